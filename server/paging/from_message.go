package paging

import (
	"strings"
	"unicode/utf8"
)

// Paging from a message ("Page PagerTree…" on an existing post, DESIGN §13): the person who
// pages chooses the title and adds a note; the message itself, its author and a link to it go
// into the description. Everything a person types is bounded here, for every surface.
const (
	// NoteMaxRunes bounds the pager's note: a few sentences for the on-call engineer.
	NoteMaxRunes = 1000
	// MessageTrigger is what a page from a message shows as its trigger (PagerTree's
	// "Trigger" field, the card, the history).
	MessageTrigger = "Page PagerTree…"
)

// Headline is the alert's title: the one chosen when paging from a message, else the
// message's first line (Title).
func (a Alert) Headline() string {
	if t := strings.TrimSpace(a.Title); t != "" {
		return t
	}
	return Title(a.Message)
}

// CutRunes shortens s to at most n runes, ending with "…" when it was cut.
func CutRunes(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// CleanTitle is a typed title as it is sent: one line, spaces trimmed, at most TitleMaxRunes.
func CleanTitle(s string) string {
	return CutRunes(strings.Join(strings.Fields(s), " "), TitleMaxRunes)
}

// messageDescription is the description of a page from a message: the note first (what the
// pager wants the on-call engineer to know), then the message, who wrote it where, and the link.
func messageDescription(a Alert) string {
	var b strings.Builder
	if a.Note != "" {
		b.WriteString("Note from @")
		b.WriteString(a.UserName)
		b.WriteString(": ")
		b.WriteString(a.Note)
		b.WriteString("\n\n")
	}
	b.WriteString("Message from @")
	b.WriteString(a.Author)
	b.WriteString(":\n")
	b.WriteString(a.Message)
	b.WriteString("\n\n---\nPaged by @")
	b.WriteString(a.UserName)
	b.WriteString(" from a message in ~")
	b.WriteString(a.ChannelName)
	if a.TeamName != "" {
		b.WriteString(" (team ")
		b.WriteString(a.TeamName)
		b.WriteString(")")
	}
	if a.Permalink != "" {
		b.WriteString("\n")
		b.WriteString(a.Permalink)
	}
	return b.String()
}

// messageText is what the Mattermost format sends as text for a page from a message: PagerTree's
// adapter makes the title of the whole text and has no description, so the title leads and the
// rest follows.
func messageText(a Alert) string {
	return a.Headline() + "\n\n" + messageDescription(a)
}
