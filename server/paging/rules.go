package paging

// Rules decide whether a message pages and at what urgency. Immutable; safe for concurrent use.
type Rules struct {
	Matcher    *Matcher
	Urgency    *UrgencyRules
	IgnoreCode bool // ignore triggers and urgency words inside code and quotes
}

// Text prepares message for these rules (and for any rules with the same IgnoreCode).
func (r *Rules) Text(message string) Text { return NewText(message, r.IgnoreCode) }

// UrgencyOf parses the urgency of a message under the same code/quote rule as triggers
// (for /pagertree alert, where no trigger is needed).
func (r *Rules) UrgencyOf(message string) UrgencyResult {
	t := r.Text(message)
	return r.UrgencyOfText(&t)
}

// UrgencyOfText is UrgencyOf on a prepared text.
func (r *Rules) UrgencyOfText(t *Text) UrgencyResult {
	return r.Urgency.parseFolded(t.forRules(r.IgnoreCode).folded().s)
}

// Evaluation is the verdict on one message.
type Evaluation struct {
	Matched bool    `json:"matched"`
	Trigger string  `json:"trigger,omitempty"` // the first trigger in the message
	Matches []Match `json:"matches,omitempty"` // every trigger found (only from EvaluateAll)
	// OnlyInCode is true when a trigger is present but only inside code or a quote.
	OnlyInCode bool          `json:"only_in_code,omitempty"`
	Urgency    UrgencyResult `json:"urgency"`
}

// Evaluate is the post hook's check: the cheap path for a message with no trigger is one
// scan per trigger and no allocation for ASCII text without code or quotes.
func (r *Rules) Evaluate(message string) Evaluation {
	t := r.Text(message)
	return r.EvaluateText(&t)
}

// EvaluateText is Evaluate on a prepared text, which other rules may share.
func (r *Rules) EvaluateText(t *Text) Evaluation {
	t = t.forRules(r.IgnoreCode)
	m, ok := r.Matcher.firstIn(t)
	if !ok {
		return Evaluation{}
	}
	return Evaluation{Matched: true, Trigger: m.Trigger, Urgency: r.UrgencyOfText(t)}
}

// EvaluateAll also lists every match (offsets into message) and says when a trigger was
// found only inside code or quotes; for previews.
func (r *Rules) EvaluateAll(message string) Evaluation {
	t := r.Text(message)
	return r.EvaluateAllText(&t)
}

// EvaluateAllText is EvaluateAll on a prepared text.
func (r *Rules) EvaluateAllText(t *Text) Evaluation {
	t = t.forRules(r.IgnoreCode)
	ev := Evaluation{Matches: r.Matcher.allIn(t), Urgency: r.UrgencyOfText(t)}
	if len(ev.Matches) > 0 {
		ev.Matched = true
		ev.Trigger = ev.Matches[0].Trigger // the earliest, longest first: what First returns
	} else if r.IgnoreCode && t.scoped != t.original {
		_, ev.OnlyInCode = r.Matcher.First(t.original)
	}
	return ev
}

// Matches says whether some trigger is in message, without parsing urgency: the cheapest
// question, for a gate that only decides whether to look further.
func (r *Rules) Matches(message string) bool {
	t := r.Text(message)
	return r.MatchesText(&t)
}

// MatchesText is Matches on a prepared text.
func (r *Rules) MatchesText(t *Text) bool {
	_, ok := r.Matcher.firstIn(t.forRules(r.IgnoreCode))
	return ok
}
