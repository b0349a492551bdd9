package alertstate

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/shared/markdown"
)

// The pieces of Markdown syntax Neutralize reads and writes (text.go).

// encodeDestination writes a URL so that no Markdown reader can end it early or read more
// into it: everything but unreserved and reserved URL characters is percent-encoded, and so
// is "@" (a user name in a link to PagerTree's side has no business there).
func encodeDestination(dest string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(dest); i++ {
		c := dest[i]
		if isLetter(c) || (c >= '0' && c <= '9') || strings.IndexByte("-._~:/?#!$&*+,;=%", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// matchBracket finds the ']' that closes the '[' at s[open] (nested brackets and backslash
// escapes counted, code spans skipped: they bind tighter than brackets, so "[`]`](x)" is a link
// whose text is the code "]"), or -1 within maxBracket bytes.
func matchBracket(s string, open int) int {
	depth := 0
	for i := open; i < len(s) && i-open < maxBracket; i++ {
		switch s[i] {
		case '\\':
			i++
		case '`':
			i = codeSpanEnd(s, i, open+maxBracket) - 1
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// codeSpanEnd returns the index after the code span that starts with the backtick run at
// s[i], or after the run itself when no run of the same length closes it before limit (then
// the backticks are plain text, as in CommonMark).
func codeSpanEnd(s string, i, limit int) int {
	run := i
	for run < len(s) && s[run] == '`' {
		run++
	}
	n := run - i
	for j := run; j < len(s) && j < limit; {
		if s[j] != '`' {
			j++
			continue
		}
		k := j
		for k < len(s) && s[k] == '`' {
			k++
		}
		if k-j == n {
			return k
		}
		j = k
	}
	return run
}

// inlineDestination reads "(dest)", "(<dest>)" or either with a title, from the '(' at
// s[open]; it returns the destination unescaped and the index after ')'.
func inlineDestination(s string, open int) (string, int, bool) {
	i := skipSpace(s, open+1)
	start, stop := i, 0
	switch {
	case i < len(s) && s[i] == '<':
		j := i + 1
		for ; j < len(s) && s[j] != '>'; j++ {
			if s[j] == '\n' || s[j] == '<' || j-open > maxBracket {
				return "", 0, false
			}
			if s[j] == '\\' {
				j++
			}
		}
		if j >= len(s) {
			return "", 0, false
		}
		start, stop, i = i+1, j, j+1
	default:
		depth := 0
		for ; i < len(s) && i-open < maxBracket; i++ {
			c := s[i]
			if c == '\\' && i+1 < len(s) {
				i++
				continue
			}
			if c <= ' ' || (c == ')' && depth == 0) {
				break
			}
			switch c {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		stop = i
	}
	i = skipSpace(s, i)
	if i < len(s) && (s[i] == '"' || s[i] == '\'' || s[i] == '(') && i > stop {
		closer := s[i]
		if closer == '(' {
			closer = ')'
		}
		j := i + 1
		for ; j < len(s) && s[j] != closer && j-open < maxBracket; j++ {
			if s[j] == '\\' {
				j++
			}
		}
		if j >= len(s) || s[j] != closer {
			return "", 0, false
		}
		i = skipSpace(s, j+1)
	}
	if i >= len(s) || s[i] != ')' {
		return "", 0, false
	}
	return markdown.Unescape(s[start:stop]), i + 1, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	return i
}

// entityColon reports whether s starts with a character reference that could be a colon
// (&#58;, &#x3A;, &colon;): numeric ones all count, being cheaper to break than to decode.
func entityColon(s string) bool {
	return strings.HasPrefix(s, "&#") || (len(s) >= 7 && strings.EqualFold(s[:7], "&colon;"))
}

func isPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !isLetter(c) && (c < '0' || c > '9')
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isSchemeChar(c byte) bool {
	return isLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
