package main

import "strings"

// settingProblem is one reason the settings cannot be used as they are, with the setting it
// concerns, so that the save-time refusal, the paused state and the panel's sentence next to the
// field all come from the one check (buildConfig).
type settingProblem struct {
	Key  string // the setting's key in plugin.json, e.g. "EndpointURL"
	Text string // part of a sentence: lower case, no full stop (parts are joined with "; ")
}

// problemTexts are the problems' sentence parts, in order.
func problemTexts(ps []settingProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// problemText joins the problems into the one sentence that pauses forwarding.
func problemText(ps []settingProblem) string { return strings.Join(problemTexts(ps), "; ") }
