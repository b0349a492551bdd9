package paging

// Rules decide whether a message pages, at what urgency and as what incident severity.
// Immutable; safe for concurrent use.
type Rules struct {
	Matcher    *Matcher
	Urgency    *UrgencyRules
	Severity   *SeverityRules // nil: no severity words (every alert is a plain alert)
	IgnoreCode bool           // ignore trigger, urgency and severity words inside code and quotes
}

// Text prepares message for these rules (and for any rules with the same IgnoreCode).
func (r *Rules) Text(message string) Text { return NewText(message, r.IgnoreCode) }

// Weight is how a message pages: its urgency and, when it names one, its incident severity.
type Weight struct {
	Urgency  UrgencyResult  `json:"urgency"`
	Severity SeverityResult `json:"severity"`
}

// Weigh decides the urgency and incident severity of a message under the same code/quote rule
// as triggers, for callers that need no trigger (/pagertree alert, the dialog's choices).
// Evaluate and EvaluateAll decide the same way.
func (r *Rules) Weigh(message string) Weight {
	t := r.Text(message)
	return r.WeighText(&t)
}

// WeighText is Weigh on a prepared text (routes that page on every message): the one decision.
func (r *Rules) WeighText(t *Text) Weight {
	f := t.forRules(r.IgnoreCode).folded().s
	s := r.Severity.parseFolded(f)
	return Weight{Urgency: withSeverity(r.Urgency.parseFolded(f), s), Severity: s}
}

// WeighAs is Weigh with the severity chosen by name (/pagertree alert --severity SEV-2, a form)
// instead of by the message's words: it sets the urgency the setting gives that severity, by
// the same rule as a severity word. SeverityNone chooses a plain alert.
func (r *Rules) WeighAs(message string, sev Severity) Weight {
	t := r.Text(message)
	s := SeverityResult{}
	if sev.IsIncident() {
		s = SeverityResult{Severity: sev, Word: string(sev), Urgency: r.Severity.urgencyOf(sev)}
	}
	return Weight{Urgency: withSeverity(r.Urgency.parseFolded(t.folded().s), s), Severity: s}
}

// withSeverity is how a severity sets the urgency: the severity word's urgency replaces the
// default and a lower level word or alias ("sev-1 … low"), the highest still wins ("sev-3 …
// critical" is critical), and an explicit urgency:<level> or the command's level beats it.
func withSeverity(u UrgencyResult, s SeverityResult) UrgencyResult {
	if !s.Severity.IsIncident() || s.Urgency == UrgencyDefault || u.Source == SourceExplicit || u.Source == SourceCommand {
		return u
	}
	if u.Source == SourceDefault || s.Urgency.rank() > u.Urgency.rank() {
		return UrgencyResult{Urgency: s.Urgency, Source: SourceSeverity, Word: s.Word}
	}
	return u
}

// Evaluation is the verdict on one message.
type Evaluation struct {
	Matched bool    `json:"matched"`
	Trigger string  `json:"trigger,omitempty"` // the first trigger in the message
	Matches []Match `json:"matches,omitempty"` // every trigger found (only from EvaluateAll)
	// OnlyInCode is true when a trigger is present but only inside code or a quote.
	OnlyInCode bool `json:"only_in_code,omitempty"`
	Weight
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
	return Evaluation{Matched: true, Trigger: m.Trigger, Weight: r.WeighText(t)}
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
	ev := Evaluation{Matches: r.Matcher.allIn(t), Weight: r.WeighText(t)}
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
