package paging

import "unicode/utf8"

// AnyIndex answers whether any of many whole-word triggers is in a message, in one pass over
// the message whatever the number of triggers: the post hook's gate over every team route's own
// trigger words. A whole-word match starts where a run of word characters starts, and that run
// is exactly the trigger's leading run ("sev" of "sev-1", "db" of "db down"), so the runs of the
// message are looked up in a map and only those candidates are checked. Immutable.
type AnyIndex struct {
	byLead     map[string][]phrase
	rest       []phrase // triggers that start with a character that is not a word character
	ignoreCode bool
}

// NewAnyIndex indexes whole-word triggers; ignoreCode masks code and quotes as Rules do.
func NewAnyIndex(triggers []string, ignoreCode bool) *AnyIndex {
	x := &AnyIndex{byLead: map[string][]phrase{}, ignoreCode: ignoreCode}
	seen := map[string]bool{}
	for _, t := range triggers {
		f := foldString(t).s
		p := newPhrase(f)
		if len(p.parts) == 0 || seen[f] {
			continue
		}
		seen[f] = true
		lead := leadingRun(p.parts[0])
		if lead == "" {
			x.rest = append(x.rest, p)
			continue
		}
		x.byLead[lead] = append(x.byLead[lead], p)
	}
	return x
}

// leadingRun is the word characters at the start of s.
func leadingRun(s string) string {
	j := 0
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isWordRune(r) {
			break
		}
		j += size
	}
	return s[:j]
}

// Matches says whether some indexed trigger is in message (outside code and quotes when set).
func (x *AnyIndex) Matches(message string) bool {
	if x.ignoreCode {
		message = MaskCodeAndQuotes(message)
	}
	f := foldString(message).s
	for _, p := range x.rest {
		if _, _, ok := p.find(f, 0); ok {
			return true
		}
	}
	for i := 0; i < len(f); {
		r, size := utf8.DecodeRuneInString(f[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		run := leadingRun(f[i:])
		for _, p := range x.byLead[run] {
			if start, _, ok := p.find(f, i); ok && start == i {
				return true
			}
		}
		i += len(run)
	}
	return false
}
