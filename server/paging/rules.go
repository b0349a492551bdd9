package paging

// Rules decide whether a message pages and at what urgency. Immutable; safe for concurrent use.
type Rules struct {
	Matcher    *Matcher
	Urgency    *UrgencyRules
	IgnoreCode bool // ignore triggers and urgency words inside code and quotes
}

// UrgencyOf parses the urgency of a message under the same code/quote rule as triggers
// (for /pagertree alert, where no trigger is needed).
func (r *Rules) UrgencyOf(message string) UrgencyResult {
	return r.Urgency.Parse(r.scope(message))
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

func (r *Rules) scope(message string) string {
	if r.IgnoreCode {
		return MaskCodeAndQuotes(message)
	}
	return message
}

// Evaluate is the post hook's check: the cheap path for a message with no trigger is one
// scan per trigger and no allocation for ASCII text without code or quotes.
func (r *Rules) Evaluate(message string) Evaluation {
	text := r.scope(message)
	m, ok := r.Matcher.First(text)
	if !ok {
		return Evaluation{}
	}
	return Evaluation{Matched: true, Trigger: m.Trigger, Urgency: r.Urgency.Parse(text)}
}

// EvaluateAll also lists every match (offsets into message) and says when a trigger was
// found only inside code or quotes; for previews.
func (r *Rules) EvaluateAll(message string) Evaluation {
	text := r.scope(message)
	ev := Evaluation{Matches: r.Matcher.All(text), Urgency: r.Urgency.Parse(text)}
	if len(ev.Matches) > 0 {
		ev.Matched = true
		ev.Trigger = ev.Matches[0].Trigger // the earliest, longest first: what First returns
	} else if r.IgnoreCode && text != message {
		_, ev.OnlyInCode = r.Matcher.First(message)
	}
	return ev
}

// Matches says whether some trigger is in message, without parsing urgency: the cheapest
// question, for a gate that only decides whether to look further.
func (r *Rules) Matches(message string) bool {
	_, ok := r.Matcher.First(r.scope(message))
	return ok
}
