package paging

// Text is one message made ready for matching: code and quotes masked when the rules ignore
// them, and case-folded the first time a whole-word rule needs it. The post hook's gate and the
// route decision make one Text per post and ask every route's rules about it, so a site with
// a hundred routes masks and folds a post once, not once per route. Use it from one goroutine.
type Text struct {
	original   string
	scoped     string // original, masked when ignoreCode
	ignoreCode bool
	fold       folded
	foldDone   bool
}

// NewText prepares message for rules whose IgnoreCode is ignoreCode.
func NewText(message string, ignoreCode bool) Text {
	t := Text{original: message, scoped: message, ignoreCode: ignoreCode}
	if ignoreCode {
		t.scoped = MaskCodeAndQuotes(message)
	}
	return t
}

// Original is the message as posted.
func (t *Text) Original() string { return t.original }

// folded is the masked message, case-folded, computed once.
func (t *Text) folded() folded {
	if !t.foldDone {
		t.fold, t.foldDone = foldString(t.scoped), true
	}
	return t.fold
}

// forRules is t when it was prepared under the same code rule as rules with ignoreCode, else a
// Text prepared again: a Text never answers for a rule it was not masked for.
func (t *Text) forRules(ignoreCode bool) *Text {
	if t.ignoreCode == ignoreCode {
		return t
	}
	again := NewText(t.original, ignoreCode)
	return &again
}
