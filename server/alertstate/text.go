package alertstate

import (
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/shared/markdown"
)

// Neutralize is how every piece of text from PagerTree (titles, descriptions, comments, names,
// tiny ids) reaches Mattermost. The text keeps its Markdown (people format descriptions and
// follow runbook links), except:
//   - an image never renders: every client would load it and the Mattermost server fetches it
//     for its size, whatever the link-preview setting (a tracking pixel, and a request from the
//     server to any host PagerTree's side names). ![alt](url), ![alt][ref], ![alt][] and ![ref]
//     become the alt text and the URL as a plain link; inside a link, the alt text alone.
//   - a link stays clickable only for http and https; any other scheme (javascript:, data:,
//     mailto:, tel:, ftp:…) is shown as text, and so is a bare "scheme:" that a client would
//     autolink.
//   - a reference definition ("[ref]: url") is applied to the links that use it and otherwise
//     shown as text, so nothing can define a reference for an image.
//   - an @ does not mention anyone (@channel, @all, @alice).
//
// Whether Mattermost previews a bare http(s) URL is the admin's link-preview setting, as for
// any post. The result holds no "![" (and no "]:") outside a backslash escape, whatever parser
// reads it: what the rewrite does not recognise as an image is broken by an invisible space.
func Neutralize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD") // JSON gives valid text; Markdown readers expect it
	n := neutralizer{refs: references(s)}
	return backstop(n.text(s, 0, false))
}

// Name is how a name from PagerTree (a person, a team) reaches Mattermost: plain text on one
// line, every Markdown mark escaped (no emphasis, code, heading, table, link or autolinked
// "scheme:"), then Neutralize like all PagerTree text.
func Name(s string) string {
	return Neutralize(nameEscaper.Replace(strings.Join(strings.Fields(s), " ")))
}

var nameEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`,
	"#", `\#`, "|", `\|`, "<", `\<`, ">", `\>`, ":", `\:`, "!", `\!`,
)

// zwsp is the invisible space that breaks a construct without changing what people read.
const zwsp = "\u200b"

const (
	maxNesting  = 3    // link texts within link texts rewritten; deeper, everything is literal
	maxBracket  = 2000 // bytes searched for a closing bracket or parenthesis
	maxRefsText = 1 << 17
)

type neutralizer struct {
	refs map[string]string // reference label (normalized) → destination
}

// references are the text's reference definitions, found as the Mattermost server finds them.
func references(s string) map[string]string {
	if len(s) > maxRefsText || !strings.Contains(s, "]:") {
		return nil
	}
	_, defs := markdown.Parse(s)
	refs := map[string]string{}
	for _, d := range defs {
		if l := normLabel(d.Label()); l != "" {
			if _, dup := refs[l]; !dup { // the first definition wins, as in CommonMark
				refs[l] = d.Destination()
			}
		}
	}
	return refs
}

func normLabel(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// text rewrites s. Below maxNesting, links and images are rewritten; at it (literal), every
// Markdown bracket, emphasis and code mark is escaped instead. inLink: s is a link's text.
func (n *neutralizer) text(s string, depth int, inLink bool) string {
	literal := depth >= maxNesting
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.WriteString(s[i : i+2])
			i += 2
		case literal && strings.IndexByte("\\`*_~[]()<>!#|", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
			i++
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if out, end, ok := n.linkOrImage(s, i+1, true, depth, inLink); ok {
				b.WriteString(out)
				i = end
				continue
			}
			b.WriteString("!" + zwsp) // not an image here; nor anywhere else
			i++
		case c == '[':
			if out, end, ok := n.linkOrImage(s, i, false, depth, inLink); ok {
				b.WriteString(out)
				i = end
				continue
			}
			b.WriteByte('[')
			i++
		case c == ']' && i+1 < len(s) && s[i+1] == ':':
			b.WriteString("]" + zwsp) // a reference definition no more
			i++
		case c == '@':
			b.WriteString("@" + zwsp)
			i++
		case c == '&' && entityColon(s[i:]):
			b.WriteString("&" + zwsp) // "javascript&#58;" is a scheme in a link destination
			i++
		case isSchemeChar(c) && isLetter(c) && (i == 0 || !isSchemeChar(s[i-1])):
			j := i
			for j < len(s) && isSchemeChar(s[j]) {
				j++
			}
			b.WriteString(s[i:j])
			if j+1 < len(s) && s[j] == ':' && !isSpaceByte(s[j+1]) && !webScheme(s[i:j]) {
				b.WriteString(zwsp) // "ftp:", "mailto:", "javascript:" are not autolinked
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// linkOrImage rewrites the link or image whose text opens at s[open] ('['), or reports false
// when there is none there (the caller then writes the bracket as text).
func (n *neutralizer) linkOrImage(s string, open int, image bool, depth int, inLink bool) (string, int, bool) {
	closing := matchBracket(s, open)
	if closing < 0 {
		return "", 0, false
	}
	inner, after := s[open+1:closing], closing+1
	dest, end, found := "", 0, false
	if after < len(s) && s[after] == '(' {
		dest, end, found = inlineDestination(s, after)
	}
	if !found && after < len(s) && s[after] == '[' {
		if c2 := matchBracket(s, after); c2 >= 0 {
			label := s[after+1 : c2]
			if strings.TrimSpace(label) == "" {
				label = inner
			}
			dest, found = n.refs[normLabel(label)]
			end = c2 + 1
		}
	}
	if !found && (after >= len(s) || s[after] != ':') { // "[ref]:" defines, it does not use
		dest, found = n.refs[normLabel(inner)]
		end = after
	}
	if !found {
		return "", 0, false
	}
	label := strings.TrimSpace(n.text(inner, depth+1, inLink || !image))
	if image {
		switch {
		case label == "":
			label = "image"
		case inLink:
			return label, end, true // the link around it stays the link
		}
		return label + " (" + n.plainLink(dest) + ")", end, true
	}
	if inLink { // a link in a link's text: CommonMark keeps neither; show its text
		return label, end, true
	}
	if !webLink(dest) {
		if label == "" {
			return n.text(dest, maxNesting, false), end, true
		}
		return label + " (" + n.text(dest, maxNesting, false) + ")", end, true
	}
	if label == "" {
		return n.plainLink(dest), end, true
	}
	return "[" + label + "](" + encodeDestination(dest) + ")", end, true
}

// plainLink shows a URL as itself: a link for http(s) (a link, not a bare URL, so it is never
// previewed), text for anything else.
func (n *neutralizer) plainLink(dest string) string {
	dest = strings.TrimSpace(dest)
	if !webLink(dest) {
		return n.text(dest, maxNesting, false)
	}
	return "[" + n.text(dest, maxNesting, false) + "](" + encodeDestination(dest) + ")"
}

// webLink reports whether dest is an absolute http or https URL.
func webLink(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	return err == nil && u.Host != "" && (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https"))
}

func webScheme(s string) bool { return strings.EqualFold(s, "http") || strings.EqualFold(s, "https") }

// backstop breaks any "![" or "]:" left outside an escape: a rewrite must never be able to
// join with its neighbour into an image or a reference definition.
func backstop(s string) string {
	if !strings.Contains(s, "![") && !strings.Contains(s, "]:") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case (c == '!' && i+1 < len(s) && s[i+1] == '[') || (c == ']' && i+1 < len(s) && s[i+1] == ':'):
			b.WriteString(zwsp)
		}
	}
	return b.String()
}
