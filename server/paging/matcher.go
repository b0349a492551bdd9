package paging

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// MatchMode says how triggers are looked for in a message.
type MatchMode string

const (
	// MatchWholeWord matches case-insensitively, anywhere, on word boundaries (the default).
	MatchWholeWord MatchMode = "whole_word"
	// MatchFirstWordIs matches when the first whitespace-separated word equals a trigger, case-sensitively,
	// exactly as Mattermost's built-in outgoing webhook does.
	MatchFirstWordIs MatchMode = "first_word_is"
	// MatchFirstWordStartsWith matches when the first word starts with a trigger, case-sensitively.
	MatchFirstWordStartsWith MatchMode = "first_word_starts_with"
)

// ParseMatchMode accepts a setting value; "" means the default.
func ParseMatchMode(s string) (MatchMode, error) {
	switch m := MatchMode(strings.TrimSpace(s)); m {
	case "":
		return MatchWholeWord, nil
	case MatchWholeWord, MatchFirstWordIs, MatchFirstWordStartsWith:
		return m, nil
	}
	return "", fmt.Errorf("match mode %q is not one of whole_word, first_word_is, first_word_starts_with", s)
}

// Match is one trigger found in a message; Start and End are byte offsets into the message.
type Match struct {
	Trigger string `json:"trigger"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

type compiledTrigger struct {
	text   string // as configured
	phrase phrase // folded, for whole-word mode
}

// Matcher finds triggers in messages. It is immutable and safe for concurrent use.
type Matcher struct {
	mode     MatchMode
	triggers []compiledTrigger // longest first, so "db down" wins over "db" at one position
}

// SplitList splits a setting that holds a list: items separated by commas or new lines,
// trimmed, empty items dropped.
func SplitList(s string) []string {
	items := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ';' })
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it = strings.Join(strings.Fields(it), " "); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// UniqueTriggers are the triggers a matcher in mode keeps from list, in order: spaces collapsed,
// empty items dropped, and a trigger listed again (without case in whole-word mode) dropped.
func UniqueTriggers(mode MatchMode, list []string) []string {
	out := make([]string, 0, len(list))
	seen := map[string]bool{}
	for _, t := range list {
		t = strings.Join(strings.Fields(t), " ")
		if key := triggerKey(mode, t); t != "" && !seen[key] {
			seen[key] = true
			out = append(out, t)
		}
	}
	return out
}

// triggerKey is what two triggers must share to be the same one: the folded text in whole-word
// mode (which ignores case), the text itself in the first-word modes (which do not).
func triggerKey(mode MatchMode, t string) string {
	if mode == MatchWholeWord {
		return foldString(t).s
	}
	return t
}

// NewMatcher compiles triggers. Duplicates (case-insensitive in whole-word mode) are dropped.
// In the first-word modes a trigger cannot hold a space, since only one word is compared.
func NewMatcher(mode MatchMode, triggers []string) (*Matcher, error) {
	m := &Matcher{mode: mode}
	for _, t := range UniqueTriggers(mode, triggers) {
		if mode != MatchWholeWord && strings.Contains(t, " ") {
			return nil, fmt.Errorf("trigger %q has a space, but match mode %q compares only the first word of a message: use single words or the whole_word mode", t, mode)
		}
		m.triggers = append(m.triggers, compiledTrigger{text: t, phrase: newPhrase(triggerKey(mode, t))})
	}
	if len(m.triggers) == 0 {
		return nil, fmt.Errorf("no trigger words are set")
	}
	sort.SliceStable(m.triggers, func(i, j int) bool { return len(m.triggers[i].text) > len(m.triggers[j].text) })
	return m, nil
}

// Mode returns the match mode.
func (m *Matcher) Mode() MatchMode { return m.mode }

// Triggers returns the compiled triggers as configured, longest first.
func (m *Matcher) Triggers() []string {
	out := make([]string, len(m.triggers))
	for i, t := range m.triggers {
		out[i] = t.text
	}
	return out
}

// First returns the earliest match in text (the longest trigger when several start there).
func (m *Matcher) First(text string) (Match, bool) {
	t := NewText(text, false)
	return m.firstIn(&t)
}

// firstIn is First on a prepared text: its masked message, folded once for every matcher.
func (m *Matcher) firstIn(t *Text) (Match, bool) {
	text := t.scoped
	if m.mode != MatchWholeWord {
		return m.firstWord(text)
	}
	f := t.folded()
	best := Match{Start: -1}
	for _, t := range m.triggers {
		s, e, ok := t.phrase.find(f.s, 0)
		if ok && (best.Start < 0 || s < best.Start) {
			best = Match{Trigger: t.text, Start: s, End: e}
		}
	}
	if best.Start < 0 {
		return Match{}, false
	}
	best.Start, best.End = f.origOffset(best.Start), f.origEnd(best.End, text)
	return best, true
}

// All returns every non-overlapping match in text, in order (for previews and highlighting).
func (m *Matcher) All(text string) []Match {
	t := NewText(text, false)
	return m.allIn(&t)
}

func (m *Matcher) allIn(t *Text) []Match {
	text := t.scoped
	if m.mode != MatchWholeWord {
		if mt, ok := m.firstWord(text); ok {
			return []Match{mt}
		}
		return nil
	}
	f := t.folded()
	var all []Match
	for _, t := range m.triggers {
		for from := 0; ; {
			s, e, ok := t.phrase.find(f.s, from)
			if !ok {
				break
			}
			all = append(all, Match{Trigger: t.text, Start: s, End: e})
			from = e
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Start != all[j].Start {
			return all[i].Start < all[j].Start
		}
		return all[i].End > all[j].End
	})
	out := all[:0]
	lastEnd := -1
	for _, mt := range all {
		if mt.Start < lastEnd {
			continue // overlaps a longer or earlier match
		}
		lastEnd = mt.End
		mt.Start, mt.End = f.origOffset(mt.Start), f.origEnd(mt.End, text)
		out = append(out, mt)
	}
	return out
}

// firstWord reproduces the built-in outgoing webhook: the first whitespace-separated word,
// compared case-sensitively, exactly or as a prefix.
func (m *Matcher) firstWord(text string) (Match, bool) {
	trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
	start := len(text) - len(trimmed)
	word := trimmed
	if i := strings.IndexFunc(trimmed, unicode.IsSpace); i >= 0 {
		word = trimmed[:i]
	}
	if word == "" {
		return Match{}, false
	}
	for _, t := range m.triggers {
		if (m.mode == MatchFirstWordIs && word == t.text) ||
			(m.mode == MatchFirstWordStartsWith && strings.HasPrefix(word, t.text)) {
			return Match{Trigger: t.text, Start: start, End: start + len(word)}, true
		}
	}
	return Match{}, false
}
