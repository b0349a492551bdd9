package paging

import "strings"

// MaskCodeAndQuotes blanks fenced code blocks, inline code spans and quoted lines ("> …")
// so that pasted logs and quoted old alerts do not page. Every masked byte becomes a space
// and newlines stay, so byte offsets into the result are offsets into the original.
func MaskCodeAndQuotes(s string) string {
	if !strings.ContainsAny(s, "`~>") {
		return s // the common case costs one scan and no allocation
	}
	b := []byte(s)
	var fence string // the opening fence ("```", "~~~~", …) while inside a fenced block
	for start := 0; start < len(b); {
		end := start
		for end < len(b) && b[end] != '\n' {
			end++
		}
		line := s[start:end] // the original text: no copy, and masking never changes it
		body := strings.TrimLeft(line, " ")
		indented := len(line)-len(body) <= 3
		switch {
		case fence != "":
			if indented && strings.HasPrefix(body, fence) && strings.Trim(body[len(fence):], string(fence[0])+" \t\r") == "" {
				fence = ""
			}
			blank(b[start:end])
		case indented && (strings.HasPrefix(body, "```") || strings.HasPrefix(body, "~~~")):
			fence = openingFence(body)
			blank(b[start:end])
		case indented && strings.HasPrefix(body, ">"):
			blank(b[start:end])
		default:
			maskInlineCode(b[start:end])
		}
		start = end + 1
	}
	return string(b)
}

func openingFence(body string) string {
	n := 0
	for n < len(body) && body[n] == body[0] {
		n++
	}
	return body[:n]
}

// maskInlineCode blanks `code` spans on one line: a run of n backticks up to the next run of
// exactly n backticks. An unmatched run is literal text, as in Markdown.
func maskInlineCode(line []byte) {
	for i := 0; i < len(line); {
		if line[i] != '`' {
			i++
			continue
		}
		n := run(line, i)
		closeAt := -1
		for j := i + n; j < len(line); {
			if line[j] != '`' {
				j++
				continue
			}
			m := run(line, j)
			if m == n {
				closeAt = j
				break
			}
			j += m
		}
		if closeAt < 0 {
			i += n
			continue
		}
		blank(line[i : closeAt+n])
		i = closeAt + n
	}
}

func run(line []byte, i int) int {
	n := 0
	for i+n < len(line) && line[i+n] == '`' {
		n++
	}
	return n
}

func blank(b []byte) {
	for i := range b {
		if b[i] != '\r' {
			b[i] = ' '
		}
	}
}
