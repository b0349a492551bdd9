package followup

import (
	"encoding/json"
	"unicode/utf8"
)

// A record has a size bound: what PagerTree sent is bounded field by field already
// (pagertreeclient's limits), and a record that still grows past maxRecordBytes (a long
// title, description and queued comments together) has its longest texts cut, with an
// ellipsis, until it fits. Everything that makes the record work (ids, state, revisions) is
// short and never cut.
const (
	maxRecordBytes = 16 << 10
	// minTrimmedRunes is where trimming stops: no text is cut shorter than this.
	minTrimmedRunes = 200
)

// encodeRecord is the one way a record is written: JSON within maxRecordBytes (rec is
// trimmed in place, so the caller sees what was stored), CardDirty mirroring CardRev.
func encodeRecord(rec *Record) []byte {
	rec.CardDirty = rec.CardBehind()
	raw, _ := json.Marshal(rec)
	for len(raw) > maxRecordBytes {
		longest := rec.longestText()
		if longest == nil || utf8.RuneCountInString(*longest) <= minTrimmedRunes {
			break // nothing left to cut: the record is as small as it can be
		}
		*longest = cutRunes(*longest, max(minTrimmedRunes, utf8.RuneCountInString(*longest)/2))
		raw, _ = json.Marshal(rec)
	}
	return raw
}

// longestText points at the longest text from outside that the record keeps.
func (r *Record) longestText() *string {
	var best *string
	consider := func(s *string) {
		if best == nil || len(*s) > len(*best) {
			best = s
		}
	}
	consider(&r.Summary)
	consider(&r.Details)
	for i := range r.Pending {
		consider(&r.Pending[i].Message)
	}
	return best
}

// cutRunes cuts s to n characters, the last an ellipsis.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
