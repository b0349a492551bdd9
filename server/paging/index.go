package paging

import "unicode/utf8"

// AnyIndex answers whether any of many whole-word triggers is in a message, in one pass over
// the message whatever the number of triggers: the post hook's gate over every team route's own
// trigger words. A whole-word match starts where a run of word characters starts, and that run
// is exactly the trigger's leading run ("sev" of "sev-1", "db" of "db down"), so the runs of the
// message are looked up in a map and only those candidates are checked. A run whose first byte
// and length no trigger's leading run has is passed over without a map look-up. Immutable.
type AnyIndex struct {
	byLead     map[string][]phrase
	leadFirst  [256]bool // the first bytes of the leading runs
	leadLens   uint64    // bit n: some leading run is n bytes long (bit 63: 63 or more)
	rest       []phrase  // triggers that start with a character that is not a word character
	ignoreCode bool
}

// asciiWord is isWordRune for ASCII, as a table: the scan's common case.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

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
		lead := p.parts[0][:wordRunLen(p.parts[0])]
		if lead == "" {
			x.rest = append(x.rest, p)
			continue
		}
		x.byLead[lead] = append(x.byLead[lead], p)
		x.leadFirst[lead[0]] = true
		x.leadLens |= lenBit(len(lead))
	}
	return x
}

func lenBit(n int) uint64 { return 1 << min(n, 63) }

// wordRunLen is how many bytes of word characters s starts with.
func wordRunLen(s string) int {
	j := 0
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if !asciiWord[c] {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isWordRune(r) {
			break
		}
		j += size
	}
	return j
}

// Matches says whether some indexed trigger is in message (outside code and quotes when set).
func (x *AnyIndex) Matches(message string) bool {
	t := NewText(message, x.ignoreCode)
	return x.MatchesText(&t)
}

// MatchesText is Matches on a prepared text, which other gates may share.
func (x *AnyIndex) MatchesText(t *Text) bool {
	f := t.forRules(x.ignoreCode).folded().s
	for _, p := range x.rest {
		if _, _, ok := p.find(f, 0); ok {
			return true
		}
	}
	for i := 0; i < len(f); {
		if c := f[i]; c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(f[i:]); !isWordRune(r) {
			i += size
			continue
		}
		n := wordRunLen(f[i:])
		if x.leadFirst[f[i]] && x.leadLens&lenBit(n) != 0 {
			for _, p := range x.byLead[f[i:i+n]] {
				if p.at(f, i) {
					return true
				}
			}
		}
		i += n
	}
	return false
}
