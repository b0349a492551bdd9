package alertstate

import (
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// AppURL is where a PagerTree alert is shown, by its id. Unverified against PagerTree's
// app (DESIGN §10): v3 documented https://app.pagertree.com/#/alert/<id>; v4 routes alerts
// under /alerts/<id>.
const AppURL = "https://app.pagertree.com/alerts/"

// Colours of the card by state.
const (
	ColorOpen         = "#D24B4E" // red
	ColorAcknowledged = "#FFBC1F" // amber
	ColorResolved     = "#3DB887" // green
	ColorDropped      = "#8D93A5" // grey
)

// Color is the card colour of a state.
func (s State) Color() string {
	switch s {
	case Acknowledged:
		return ColorAcknowledged
	case Resolved:
		return ColorResolved
	case Dropped:
		return ColorDropped
	}
	return ColorOpen
}

// CardInput is what the card shows: PagerTree's status plus what was paged.
type CardInput struct {
	Status  Status
	Urgency string // the urgency we sent ("" = PagerTree's default)
	Trigger string
	// Summary and Details are the alert's title and description, shown for alerts that did
	// not come from Mattermost (ours have the trigger post right above the card).
	Summary string
	Details string
	Buttons Buttons // where the buttons post (actions.go); zero: no buttons
}

// CardAttachmentKey marks the card's attachment so it can be recognised among a post's.
const CardAttachmentKey = "pagertree_card"

// Title is "PagerTree alert #<tinyId>", or without the number until PagerTree told it.
func Title(s Status) string {
	if s.TinyID != "" {
		return "PagerTree alert #" + Neutralize(s.TinyID)
	}
	return "PagerTree alert"
}

// Link is the alert's page in PagerTree, "" until its id is known.
func Link(s Status) string {
	if s.AlertID == "" {
		return ""
	}
	return AppURL + url.PathEscape(s.AlertID)
}

// Card renders the status card as a message attachment.
func Card(in CardInput) *model.SlackAttachment {
	s := in.Status
	if s.State == "" {
		s.State = Open
	}
	urgency := s.Urgency
	if urgency == "" {
		urgency = in.Urgency
	}
	if urgency == "" {
		urgency = "PagerTree default"
	}
	fields := []*model.SlackAttachmentField{
		{Title: "Status", Value: s.State.Label(), Short: true},
		{Title: "Urgency", Value: urgency, Short: true},
	}
	if in.Trigger != "" {
		fields = append(fields, &model.SlackAttachmentField{Title: "Trigger", Value: Neutralize(in.Trigger), Short: true})
	}
	if s.AckBy != "" || s.State == Acknowledged {
		fields = append(fields, &model.SlackAttachmentField{Title: "Acknowledged by", Value: orSomeone(s.AckBy), Short: true})
	}
	if s.State == Resolved {
		fields = append(fields, &model.SlackAttachmentField{Title: "Resolved by", Value: orSomeone(s.ResolvedBy), Short: true})
	}
	if f := pendingField(s); f != nil {
		fields = append(fields, f)
	}
	in.Status = s
	text := Neutralize(in.Summary)
	if in.Details != "" {
		text = strings.TrimSpace(text + "\n" + Neutralize(in.Details))
	}
	return &model.SlackAttachment{
		Text:      text,
		Actions:   buttons(in),
		Fallback:  Title(s) + ": " + s.State.Label(),
		Color:     s.State.Color(),
		Title:     Title(s),
		TitleLink: Link(s),
		Fields:    fields,
		Footer:    "PagerTree",
	}
}

func orSomeone(s string) string {
	if strings.TrimSpace(s) == "" {
		return someone
	}
	return s
}
