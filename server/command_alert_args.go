package main

import (
	"fmt"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// severityFlag chooses the incident severity of /pagertree alert by name.
const severityFlag = "--severity"

// alertArgs is what /pagertree alert was told before the message: an urgency level and an
// incident severity, each optional and in either order.
type alertArgs struct {
	message  string
	urgency  paging.Urgency // UrgencyDefault: read from the message
	word     string         // the urgency as typed
	severity paging.Severity
	sevSet   bool // --severity was given (SeverityNone: "none", a plain alert)
}

// parseAlertArgs reads "[--severity SEV-n] [low|medium|high|critical] <message>"; refusal is
// one sentence (without the usage) when the arguments cannot be used.
func parseAlertArgs(rest string) (alertArgs, string) {
	a := alertArgs{message: rest}
	for a.message != "" {
		first := strings.Fields(a.message)[0]
		lower := strings.ToLower(first)
		switch {
		case lower == severityFlag || strings.HasPrefix(lower, severityFlag+"="):
			if a.sevSet {
				return a, fmt.Sprintf("`%s` is given twice: name one incident severity.", severityFlag)
			}
			value, skip := strings.TrimPrefix(lower, severityFlag+"="), 1
			if lower == severityFlag {
				fields := strings.Fields(a.message)
				if len(fields) < 2 {
					return a, fmt.Sprintf("`%s` needs a severity after it: SEV-1 (most severe) to SEV-5, or none.", severityFlag)
				}
				value, skip = fields[1], 2
			}
			sev, err := paging.ParseSeverity(value)
			if err != nil {
				return a, upperFirst(err.Error()) + "."
			}
			a.severity, a.sevSet, a.message = sev, true, restAfter(a.message, skip)
		case a.urgency == paging.UrgencyDefault && isLevel(lower):
			a.urgency, a.word, a.message = paging.Urgency(lower), lower, restAfter(a.message, 1)
		case strings.HasPrefix(lower, "--"):
			return a, fmt.Sprintf("`%s` is not an option of `/pagertree alert`: the one option is `%s SEV-n`.", first, severityFlag)
		default:
			if near := nearestLevel(lower); near != "" && a.urgency == paging.UrgencyDefault {
				return a, fmt.Sprintf("`%s` is not an urgency: did you mean `%s`? Urgencies are low, medium, high and critical.", first, near)
			}
			return a, ""
		}
	}
	return a, ""
}

func isLevel(s string) bool {
	u, err := paging.ParseUrgency(s)
	return err == nil && u != paging.UrgencyDefault
}

// urgencyResult is the urgency typed before the message, nil when none was.
func (a alertArgs) urgencyResult() *paging.UrgencyResult {
	if a.urgency == paging.UrgencyDefault {
		return nil
	}
	return &paging.UrgencyResult{Urgency: a.urgency, Source: paging.SourceCommand, Word: a.word}
}
