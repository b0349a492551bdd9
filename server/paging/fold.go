package paging

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// folded is a case-folded copy of a text, with a map back to the original's byte offsets
// when folding changed the length of any character (rare: most scripts keep their size).
type folded struct {
	s    string
	orig []int // orig[i] is the byte offset in the original text of folded byte i; nil = identity
}

// foldRune maps every rune of one case-fold orbit (K, k, Kelvin sign; Σ, σ, ς …) to one
// representative, so matching is case-insensitive across Unicode, not only ASCII.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	if r < rune(len(latinFold)) {
		return latinFold[r]
	}
	return foldOrbit(r)
}

// latinFold caches foldOrbit for the Latin blocks, where most non-ASCII chat text lives.
var latinFold = func() (t [0x250]rune) {
	for r := range t {
		t[r] = foldOrbit(rune(r))
	}
	return t
}()

func foldOrbit(r rune) rune {
	if r < utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	lower := unicode.ToLower(r)
	best := lower
	for f := unicode.SimpleFold(lower); f != lower; f = unicode.SimpleFold(f) {
		if f < best {
			best = f
		}
	}
	if best < utf8.RuneSelf {
		return unicode.ToLower(best)
	}
	return best
}

// foldString folds s; ASCII-only text takes a fast path.
func foldString(s string) folded {
	ascii := true
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return folded{s: s}
		}
		return folded{s: strings.ToLower(s)}
	}
	var b strings.Builder
	b.Grow(len(s))
	var orig []int
	for i, r := range s {
		f := foldRune(r)
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
			if i+1 <= len(s) {
				_, size = utf8.DecodeRuneInString(s[i:])
			}
		}
		fsize := utf8.RuneLen(f)
		if fsize != size && orig == nil {
			// First size change: start the offset map, identity up to here.
			orig = make([]int, b.Len(), len(s)+8)
			for j := range orig {
				orig[j] = j
			}
		}
		if orig != nil {
			for k := 0; k < fsize; k++ {
				orig = append(orig, i)
			}
		}
		b.WriteRune(f)
	}
	if orig != nil {
		orig = append(orig, len(s))
	}
	return folded{s: b.String(), orig: orig}
}

// origOffset turns a byte offset in the folded text into one in the original text.
func (f folded) origOffset(i int) int {
	if f.orig == nil {
		return i
	}
	if i >= len(f.orig) {
		return f.orig[len(f.orig)-1]
	}
	return f.orig[i]
}

// origEnd turns the end offset of a match in the folded text into one in the original:
// the end of the original character that produced the last folded byte.
func (f folded) origEnd(end int, original string) int {
	if f.orig == nil || end == 0 {
		return end
	}
	start := f.origOffset(end - 1)
	_, size := utf8.DecodeRuneInString(original[start:])
	return start + size
}

// isWordRune is the boundary rule of DESIGN §6: letters, digits and underscore are word characters.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// boundaryBefore reports whether the character before s[i] (if any) is not a word character.
func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isWordRune(r)
}

// boundaryAfter reports whether the character at s[i] (if any) is not a word character.
func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(r)
}
