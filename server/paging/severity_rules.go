package paging

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultIncidentSeverities is plugin.json's default for the "Incident severities" setting.
const DefaultIncidentSeverities = "sev-1=SEV-1 critical, sev-2=SEV-2 high, sev-3=SEV-3 medium"

// SeverityItem is one item of the "Incident severities" setting as the plugin reads it: the
// word, the severity it names and the urgency it sets (UrgencyDefault: the message's), or why
// the item is refused. Overridden marks a word that a later item names again (without case).
type SeverityItem struct {
	Text       string
	Word       string
	Severity   Severity
	Urgency    Urgency
	Err        error
	Overridden bool
}

// ReadSeverities reads each item of "sev-1=SEV-1 critical, major=SEV-2" (items separated as
// in every list setting; "word:SEV-1 critical" too): the one reading of the setting, for the
// runtime rules, the save-time check and the panel. It has the shape of ReadAliases.
func ReadSeverities(s string) []SeverityItem {
	items := SplitList(s)
	out := make([]SeverityItem, 0, len(items))
	last := map[string]int{}
	for _, item := range items {
		it := readSeverity(item)
		if it.Err == nil {
			key := foldString(it.Word).s
			if i, ok := last[key]; ok {
				out[i].Overridden = true
			}
			last[key] = len(out)
		}
		out = append(out, it)
	}
	return out
}

const severityShape = "word=SEV-n urgency, for example sev-1=SEV-1 critical"

func readSeverity(item string) SeverityItem {
	it := SeverityItem{Text: item}
	sep := strings.LastIndexAny(item, "=:")
	if sep < 0 {
		it.Word = item
		it.Err = fmt.Errorf("incident severity %q must look like %s", item, severityShape)
		return it
	}
	it.Word = strings.TrimSpace(item[:sep])
	parts := strings.Fields(item[sep+1:])
	switch {
	case it.Word == "":
		it.Err = fmt.Errorf("incident severity %q has no word before the %c: it must look like %s", item, item[sep], severityShape)
		return it
	case len(parts) == 0:
		it.Err = fmt.Errorf("incident severity word %q has no severity after the %c: use SEV-1 to SEV-5, then optionally an urgency", it.Word, item[sep])
		return it
	case len(parts) > 2:
		it.Err = fmt.Errorf("incident severity word %q is followed by %q: give a severity and at most one urgency, for example SEV-1 critical", it.Word, strings.Join(parts, " "))
		return it
	}
	sev, err := ParseSeverity(parts[0])
	if err != nil || sev == SeverityNone {
		it.Err = fmt.Errorf("incident severity word %q names %q, which is not SEV-1, SEV-2, SEV-3, SEV-4 or SEV-5", it.Word, parts[0])
		return it
	}
	if len(parts) == 2 {
		u, err := ParseUrgency(parts[1])
		if err != nil || u == UrgencyDefault {
			it.Err = fmt.Errorf("incident severity word %q sets the urgency %q, which is not low, medium, high or critical", it.Word, parts[1])
			return it
		}
		it.Urgency = u
	}
	it.Severity = sev
	return it
}

// severityWord is one compiled item of the setting.
type severityWord struct {
	name     string
	phrase   phrase
	severity Severity
	urgency  Urgency
}

// SeverityRules find the incident severity a message names. Immutable; safe for concurrent use.
type SeverityRules struct {
	words []severityWord // most severe first, then longest, then by name
}

// ParseSeverities reads the setting into rules; the first refused item is the error. A word
// listed again counts with its last item.
func ParseSeverities(s string) (*SeverityRules, error) {
	byWord := map[string]SeverityItem{}
	for _, it := range ReadSeverities(s) {
		if it.Err != nil {
			return nil, it.Err
		}
		byWord[foldString(it.Word).s] = it
	}
	r := &SeverityRules{}
	for f, it := range byWord {
		r.words = append(r.words, severityWord{name: it.Word, phrase: newPhrase(f), severity: it.Severity, urgency: it.Urgency})
	}
	sort.Slice(r.words, func(i, j int) bool {
		a, b := r.words[i], r.words[j]
		if a.severity != b.severity {
			return a.severity.MoreSevere(b.severity)
		}
		if a.urgency != b.urgency { // of two words for one severity, the higher urgency counts
			return a.urgency.rank() > b.urgency.rank()
		}
		if len(a.name) != len(b.name) {
			return len(a.name) > len(b.name)
		}
		return a.name < b.name
	})
	return r, nil
}

// Len is the number of severity words.
func (r *SeverityRules) Len() int {
	if r == nil {
		return 0
	}
	return len(r.words)
}

// urgencyOf is the urgency the setting gives sev (its most urgent word's), for a severity
// chosen by name rather than by a word (/pagertree alert --severity).
func (r *SeverityRules) urgencyOf(sev Severity) Urgency {
	if r == nil {
		return UrgencyDefault
	}
	for _, w := range r.words {
		if w.severity == sev {
			return w.urgency
		}
	}
	return UrgencyDefault
}

// SeverityResult is the incident severity of a message and the word that named it; Urgency is
// the urgency that word sets (UrgencyDefault: none).
type SeverityResult struct {
	Severity Severity `json:"severity,omitempty"`
	Word     string   `json:"word,omitempty"`
	Urgency  Urgency  `json:"urgency,omitempty"`
}

// Parse finds the most severe word in text (already masked for code and quotes where that
// applies), on the same word boundaries as triggers and aliases. nil rules name none.
func (r *SeverityRules) Parse(text string) SeverityResult {
	if r == nil || len(r.words) == 0 {
		return SeverityResult{}
	}
	return r.parseFolded(foldString(text).s)
}

// parseFolded is Parse on text already case-folded.
func (r *SeverityRules) parseFolded(f string) SeverityResult {
	if r == nil {
		return SeverityResult{}
	}
	for _, w := range r.words { // most severe first: the first found wins
		if _, _, ok := w.phrase.find(f, 0); ok {
			return SeverityResult{Severity: w.severity, Word: w.name, Urgency: w.urgency}
		}
	}
	return SeverityResult{}
}
