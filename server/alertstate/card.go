package alertstate

import (
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
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

// Colours of an open incident by severity, most severe darkest; once acknowledged or resolved
// the state's colour shows instead (what matters then is that someone has it).
var severityColors = map[paging.Severity]string{
	paging.Severity1: "#8B0000", // dark red
	paging.Severity2: "#D24B4E", // red
	paging.Severity3: "#F07D2E", // orange
	paging.Severity4: "#E6C229", // yellow
	paging.Severity5: "#5D89EA", // blue
}

// ColorUnknownSeverity is an open incident whose severity PagerTree did not name (SEV-UNKNOWN).
const ColorUnknownSeverity = "#A23BB5" // purple

// Incident is what the card says the alert is: PagerTree's word once an event said it is an
// incident, else the severity the plugin sent it with.
type Incident struct {
	Is       bool
	Severity paging.Severity // SeverityNone with Is: an incident of unknown severity
}

// IncidentOf combines what PagerTree said (s) with what was sent (sent).
func IncidentOf(s Status, sent paging.Severity) Incident {
	switch {
	case s.Severity.IsIncident():
		return Incident{Is: true, Severity: s.Severity}
	case sent.IsIncident():
		return Incident{Is: true, Severity: sent}
	}
	return Incident{Is: s.Incident}
}

// Label is "Incident SEV-1" ("Incident" when the severity is unknown), "" for a plain alert.
func (i Incident) Label() string {
	switch {
	case !i.Is:
		return ""
	case i.Severity.IsIncident():
		return "Incident " + string(i.Severity)
	}
	return "Incident"
}

// color is the card's colour: the severity's while an incident is open, else the state's.
func color(s State, i Incident) string {
	if !i.Is || (s != Open && s != "") {
		return s.Color()
	}
	if c, ok := severityColors[i.Severity]; ok {
		return c
	}
	return ColorUnknownSeverity
}

// CardInput is what the card shows: PagerTree's status plus what was paged.
type CardInput struct {
	Status  Status
	Urgency string // the urgency we sent ("" = PagerTree's default)
	Trigger string
	// Severity is the incident severity the alert was sent with (SeverityNone: a plain alert).
	Severity paging.Severity
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
	incident := IncidentOf(s, in.Severity)
	title := Title(s)
	if label := incident.Label(); label != "" {
		title = label + " · " + title
	}
	text := Neutralize(in.Summary)
	if in.Details != "" {
		text = strings.TrimSpace(text + "\n" + Neutralize(in.Details))
	}
	return &model.SlackAttachment{
		Text:      text,
		Actions:   buttons(in),
		Fallback:  title + ": " + s.State.Label(),
		Color:     color(s.State, incident),
		Title:     title,
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
