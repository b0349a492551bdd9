package paging

import (
	"fmt"
	"sort"
	"strings"
)

// Urgency is PagerTree's urgency; UrgencyDefault ("") lets the PagerTree integration decide.
type Urgency string

// The urgencies; UrgencyDefault lets PagerTree decide.
const (
	UrgencyDefault  Urgency = ""
	UrgencyLow      Urgency = "low"
	UrgencyMedium   Urgency = "medium"
	UrgencyHigh     Urgency = "high"
	UrgencyCritical Urgency = "critical"
)

// Levels lists the urgencies from lowest to highest.
var Levels = []Urgency{UrgencyLow, UrgencyMedium, UrgencyHigh, UrgencyCritical}

func (u Urgency) rank() int {
	for i, l := range Levels {
		if u == l {
			return i + 1
		}
	}
	return 0
}

// String names the urgency for people ("PagerTree default" for the empty one).
func (u Urgency) String() string {
	if u == UrgencyDefault {
		return "PagerTree default"
	}
	return string(u)
}

// ParseUrgency reads a level name, case-insensitively. "" and the setting value
// "pagertree_default" are the PagerTree default.
func ParseUrgency(s string) (Urgency, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "" || v == "pagertree_default" || v == "default" {
		return UrgencyDefault, nil
	}
	for _, l := range Levels {
		if v == string(l) {
			return l, nil
		}
	}
	return "", fmt.Errorf("%q is not an urgency: use low, medium, high or critical", s)
}

// UrgencySource says where the urgency of an alert came from.
type UrgencySource string

// The sources of an urgency.
const (
	SourceExplicit UrgencySource = "explicit" // urgency:<level> or urgency=<level>
	SourceWord     UrgencySource = "word"     // a level word in the message
	SourceAlias    UrgencySource = "alias"    // an admin-defined alias such as sev-1
	SourceDefault  UrgencySource = "default"  // the configured default
	SourceCommand  UrgencySource = "command"  // the slash command's urgency argument
	SourceSeverity UrgencySource = "severity" // an incident severity word (or --severity) that sets one
)

// UrgencyResult is the urgency of a message and why.
type UrgencyResult struct {
	Urgency Urgency       `json:"urgency"`
	Source  UrgencySource `json:"source"`
	Word    string        `json:"word,omitempty"` // the word, alias or explicit text that decided it
}

type alias struct {
	name    string
	phrase  phrase
	urgency Urgency
}

// UrgencyRules parses urgency from messages. Immutable and safe for concurrent use.
type UrgencyRules struct {
	levels   []alias // the four level words, as phrases
	aliases  []alias
	fallback Urgency
	keyword  phrase
}

// AliasItem is one item of the urgency aliases setting as the plugin reads it: the alias and its
// urgency, or why the item is refused. Overridden marks an alias that a later item names again
// (without case): the later one counts.
type AliasItem struct {
	Text       string  // the item as split from the setting
	Name       string  // the alias, trimmed
	Urgency    Urgency // UrgencyDefault when refused
	Level      string  // the urgency as written, trimmed
	Err        error
	Overridden bool
}

// ReadAliases reads each item of "sev-1=critical, p1=critical" (also "alias:level", one per
// line): the one reading of the setting, for the runtime rules, the save-time check and the panel.
func ReadAliases(s string) []AliasItem {
	items := SplitList(s)
	out := make([]AliasItem, 0, len(items))
	last := map[string]int{}
	for _, item := range items {
		a := readAlias(item)
		if a.Err == nil {
			key := foldString(a.Name).s
			if i, ok := last[key]; ok {
				out[i].Overridden = true
			}
			last[key] = len(out)
		}
		out = append(out, a)
	}
	return out
}

func readAlias(item string) AliasItem {
	a := AliasItem{Text: item}
	sep := strings.LastIndexAny(item, "=:")
	if sep < 0 {
		a.Name = item
		a.Err = fmt.Errorf("urgency alias %q must look like alias=level, for example sev-1=critical", item)
		return a
	}
	a.Name, a.Level = strings.TrimSpace(item[:sep]), strings.TrimSpace(item[sep+1:])
	switch u, err := ParseUrgency(a.Level); {
	case a.Name == "":
		a.Err = fmt.Errorf("urgency alias %q has no alias before the %c: it must look like alias=level, for example sev-1=critical", item, item[sep])
	case a.Level == "":
		a.Err = fmt.Errorf("urgency alias %q has no urgency after the %c: use low, medium, high or critical", a.Name, item[sep])
	case err != nil || u == UrgencyDefault:
		a.Err = fmt.Errorf("urgency alias %q points to %q, which is not low, medium, high or critical", a.Name, a.Level)
	default:
		a.Urgency = u
	}
	return a
}

// ParseAliases reads the setting into folded alias names → urgency; the first refused item is the error.
func ParseAliases(s string) (map[string]Urgency, error) {
	out := map[string]Urgency{}
	for _, a := range ReadAliases(s) {
		if a.Err != nil {
			return nil, a.Err
		}
		out[foldString(a.Name).s] = a.Urgency
	}
	return out, nil
}

// NewUrgencyRules compiles aliases (folded names → urgency) and the default.
func NewUrgencyRules(aliases map[string]Urgency, fallback Urgency) *UrgencyRules {
	r := &UrgencyRules{fallback: fallback, keyword: newPhrase("urgency")}
	for _, l := range Levels {
		r.levels = append(r.levels, alias{name: string(l), phrase: newPhrase(string(l)), urgency: l})
	}
	names := make([]string, 0, len(aliases))
	for n := range aliases {
		names = append(names, n)
	}
	// Deterministic order: longest first, then by name.
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		f := foldString(n).s
		r.aliases = append(r.aliases, alias{name: n, phrase: newPhrase(f), urgency: aliases[n]})
	}
	return r
}

// Default returns the configured default urgency.
func (r *UrgencyRules) Default() Urgency { return r.fallback }

// Parse reads the urgency of text (already masked for code and quotes where that applies):
// an explicit urgency:<level> wins; otherwise the highest level word or alias; otherwise the default.
func (r *UrgencyRules) Parse(text string) UrgencyResult {
	return r.parseFolded(foldString(text).s)
}

// parseFolded is Parse on text already case-folded.
func (r *UrgencyRules) parseFolded(f string) UrgencyResult {
	if res, ok := r.explicit(f); ok {
		return res
	}
	best := UrgencyResult{Urgency: r.fallback, Source: SourceDefault}
	bestRank := 0
	consider := func(list []alias, src UrgencySource) {
		for _, a := range list {
			if a.urgency.rank() <= bestRank {
				continue
			}
			if _, _, ok := a.phrase.find(f, 0); ok {
				best = UrgencyResult{Urgency: a.urgency, Source: src, Word: a.name}
				bestRank = a.urgency.rank()
			}
		}
	}
	consider(r.levels, SourceWord)
	consider(r.aliases, SourceAlias)
	return best
}

// explicit finds the first "urgency:<level>" or "urgency=<level>" (spaces allowed after the sign).
func (r *UrgencyRules) explicit(f string) (UrgencyResult, bool) {
	for from := 0; ; {
		s, e, ok := r.keyword.find(f, from)
		if !ok {
			return UrgencyResult{}, false
		}
		from = e
		if e >= len(f) || (f[e] != ':' && f[e] != '=') {
			continue
		}
		rest := strings.TrimLeft(f[e+1:], " \t")
		for _, l := range r.levels {
			if strings.HasPrefix(rest, l.name) && boundaryAfter(rest, len(l.name)) {
				word := f[s:e+1] + l.name
				return UrgencyResult{Urgency: l.urgency, Source: SourceExplicit, Word: word}, true
			}
		}
	}
}
