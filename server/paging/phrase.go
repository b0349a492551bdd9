package paging

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// phrase is a folded trigger, alias or urgency word, split on spaces so that "db down"
// also matches "db  down" or "db\tdown" (any run of white space between its words).
type phrase struct {
	parts []string
}

func newPhrase(folded string) phrase {
	return phrase{parts: strings.Fields(folded)}
}

// find returns the first whole-word occurrence of p in s at or after from: the character
// before and after the match must not be a letter, digit or underscore.
func (p phrase) find(s string, from int) (start, end int, ok bool) {
	if len(p.parts) == 0 {
		return 0, 0, false
	}
	first := p.parts[0]
	for from <= len(s) {
		i := strings.Index(s[from:], first)
		if i < 0 {
			return 0, 0, false
		}
		start = from + i
		end, ok = p.matchRest(s, start+len(first))
		if ok && boundaryBefore(s, start) && boundaryAfter(s, end) {
			return start, end, true
		}
		// Step past the first rune of this candidate.
		_, size := utf8.DecodeRuneInString(s[start:])
		from = start + size
	}
	return 0, 0, false
}

// at says whether p occurs as whole words starting exactly at s[i].
func (p phrase) at(s string, i int) bool {
	if len(p.parts) == 0 || !strings.HasPrefix(s[i:], p.parts[0]) {
		return false
	}
	end, ok := p.matchRest(s, i+len(p.parts[0]))
	return ok && boundaryBefore(s, i) && boundaryAfter(s, end)
}

// matchRest matches the words after the first, each preceded by at least one space.
func (p phrase) matchRest(s string, pos int) (int, bool) {
	for _, part := range p.parts[1:] {
		n := 0
		for pos+n < len(s) {
			r, size := utf8.DecodeRuneInString(s[pos+n:])
			if !unicode.IsSpace(r) {
				break
			}
			n += size
		}
		if n == 0 || !strings.HasPrefix(s[pos+n:], part) {
			return 0, false
		}
		pos += n + len(part)
	}
	return pos, true
}
