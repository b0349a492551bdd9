package paging

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Format is which PagerTree integration the endpoint belongs to.
type Format string

const (
	// FormatMattermost is PagerTree's "Mattermost (Outgoing Webhook)" integration (DESIGN §4.1).
	FormatMattermost Format = "mattermost"
	// FormatWebhook is PagerTree's generic "Webhook" integration (DESIGN §4.2).
	FormatWebhook Format = "webhook"
)

// ParseFormat accepts a setting value; "" means the default.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.TrimSpace(s)); f {
	case "":
		return FormatMattermost, nil
	case FormatMattermost, FormatWebhook:
		return f, nil
	}
	return "", fmt.Errorf("integration format %q is not mattermost or webhook", s)
}

// Alert is everything PagerTree is told about one page, gathered when the post is taken.
type Alert struct {
	ID                 string `json:"id"` // stable: the post id, or a new id for /pagertree alert
	PostID             string `json:"post_id"`
	RootID             string `json:"root_id,omitempty"`
	ChannelID          string `json:"channel_id"`
	ChannelName        string `json:"channel_name"`
	ChannelDisplayName string `json:"channel_display_name,omitempty"`
	TeamID             string `json:"team_id"`
	TeamName           string `json:"team_name"`
	UserID             string `json:"user_id"`
	UserName           string `json:"user_name"`
	CreateAt           int64  `json:"create_at"` // milliseconds
	// Stamp is the millisecond the Mattermost format sends as the timestamp when it is not
	// CreateAt: two posts of a channel in the same millisecond would share PagerTree's
	// thirdparty id (channel_id.timestamp), so each alert claims a free one (0: CreateAt).
	Stamp         int64         `json:"stamp,omitempty"`
	Message       string        `json:"message"`
	Trigger       string        `json:"trigger"`
	Urgency       Urgency       `json:"urgency"`
	UrgencySource UrgencySource `json:"urgency_source"`
	FileIDs       []string      `json:"file_ids,omitempty"`
	Permalink     string        `json:"permalink,omitempty"`
	Origin        Origin        `json:"origin"`
	Resent        *Resent       `json:"resent,omitempty"` // set when a System Admin sent it again
	// MappedAs is the format whose thirdparty id the alert was recorded under for PagerTree's
	// events when it was queued; a send in another format records it again.
	MappedAs Format `json:"mapped_as,omitempty"`
	// RouteID and RouteName are the route the alert went through (DESIGN §12); empty for the
	// default route, and for alerts queued before routes existed.
	RouteID   string `json:"route_id,omitempty"`
	RouteName string `json:"route_name,omitempty"`
	// Severity makes the alert an incident (DESIGN §13); SeverityNone for a plain alert.
	Severity Severity `json:"severity,omitempty"`
	// Title, Note and Author are set when paging from a message (OriginMessage): the title the
	// pager chose ("": the message's first line), the pager's note, and the username of the
	// message's author (UserName is the pager's).
	Title  string `json:"title,omitempty"`
	Note   string `json:"note,omitempty"`
	Author string `json:"author,omitempty"`
}

// Origin says what made an alert.
type Origin string

// The origins of alerts.
const (
	OriginPost    Origin = "post"    // a trigger word in a post (the post hook)
	OriginCommand Origin = "command" // /pagertree alert: PostID is the bot's announcement
	OriginTest    Origin = "test"    // a test alert: no post, no channel, nobody to tell
	OriginMessage Origin = "message" // "Page PagerTree…" on an existing post: PostID is that post
)

// ThreadRoot is the thread that replies about the alert belong in, "" for the channel itself:
// a post's thread (the post when it is a root; the same for a page from a message), or the
// thread /pagertree alert ran in.
func (a Alert) ThreadRoot() string {
	if a.RootID != "" || a.Origin != OriginPost && a.Origin != OriginMessage {
		return a.RootID
	}
	return a.PostID
}

// MattermostPayload is the body of Mattermost's own outgoing webhook, field for field.
type MattermostPayload struct {
	Token       string `json:"token"`
	TeamID      string `json:"team_id"`
	TeamDomain  string `json:"team_domain"`
	ChannelID   string `json:"channel_id"`
	ChannelName string `json:"channel_name"`
	Timestamp   int64  `json:"timestamp"`
	UserID      string `json:"user_id"`
	UserName    string `json:"user_name"`
	PostID      string `json:"post_id"`
	Text        string `json:"text"`
	TriggerWord string `json:"trigger_word"`
	FileIDs     string `json:"file_ids"`
}

// pagerTreeUrgencyRE is PagerTree's own reading of urgency in the Mattermost format:
// the first case-insensitive substring match, so "slow" reads as low.
var pagerTreeUrgencyRE = regexp.MustCompile(`(?i)low|medium|high|critical`)

// PagerTreeReading returns the urgency PagerTree's Mattermost adapter will read from text.
func PagerTreeReading(text string) Urgency {
	m := pagerTreeUrgencyRE.FindString(text)
	return Urgency(strings.ToLower(m))
}

// TextForPagerTree prefixes "[<urgency>] " when PagerTree's substring rule would otherwise
// read a different urgency than ours. With the PagerTree default no prefix can help.
func TextForPagerTree(text string, u Urgency) string {
	if u == UrgencyDefault || PagerTreeReading(text) == u {
		return text
	}
	return "[" + string(u) + "] " + text
}

// BuildMattermost builds the "Mattermost (Outgoing Webhook)" body.
func BuildMattermost(a Alert, token string) ([]byte, error) {
	text := a.Message
	if a.Origin == OriginMessage {
		text = messageText(a)
	}
	return json.Marshal(MattermostPayload{
		Token:       token,
		TeamID:      a.TeamID,
		TeamDomain:  a.TeamName,
		ChannelID:   a.ChannelID,
		ChannelName: a.ChannelName,
		Timestamp:   a.SentAt(),
		UserID:      a.UserID,
		UserName:    a.UserName,
		PostID:      a.PostID,
		Text:        TextForPagerTree(text, a.Urgency),
		TriggerWord: a.Trigger,
		FileIDs:     strings.Join(a.FileIDs, ","),
	})
}

// WebhookPayload is the body of PagerTree's generic "Webhook" integration.
type WebhookPayload struct {
	EventType   string   `json:"event_type"`
	ID          string   `json:"Id"`
	Title       string   `json:"Title"`
	Description string   `json:"Description"`
	Urgency     Urgency  `json:"Urgency,omitempty"`
	Tags        []string `json:"Tags"`
	// Meta marks an incident; absent for a plain alert (PagerTree's adapter reads any value of
	// Meta.incident as true, so false is never sent).
	Meta *IncidentMeta `json:"Meta,omitempty"`
}

// IncidentMeta is what PagerTree's Webhook adapter reads from Meta to open an incident
// (DESIGN §13): incident, incident_severity (it upper-cases it) and incident_message.
type IncidentMeta struct {
	Incident bool     `json:"incident"`
	Severity Severity `json:"incident_severity"`
	Message  string   `json:"incident_message"`
}

// IncidentIn is the severity an alert is sent with in format f: its own in the Webhook
// format; none in the Mattermost format, whose adapter has no incident field (it goes as a
// plain alert, with the severity's urgency).
func (a Alert) IncidentIn(f Format) Severity {
	if f == FormatWebhook && a.Severity.IsIncident() {
		return a.Severity
	}
	return SeverityNone
}

// TitleMaxRunes keeps titles readable on a phone's lock screen and in PagerTree's lists.
const TitleMaxRunes = 120

// Title is the message's first non-empty line, cut to TitleMaxRunes with an ellipsis.
func Title(message string) string {
	line := ""
	for _, l := range strings.Split(message, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			line = l
			break
		}
	}
	if line == "" {
		return "Alert from Mattermost"
	}
	if utf8.RuneCountInString(line) <= TitleMaxRunes {
		return line
	}
	r := []rune(line)
	return strings.TrimSpace(string(r[:TitleMaxRunes-1])) + "…"
}

// Description is the full message, then who posted where, with a link back to the post.
func Description(a Alert) string {
	if a.Origin == OriginMessage {
		return messageDescription(a)
	}
	var b strings.Builder
	b.WriteString(a.Message)
	b.WriteString("\n\n---\nPosted by @")
	b.WriteString(a.UserName)
	b.WriteString(" in ~")
	b.WriteString(a.ChannelName)
	if a.TeamName != "" {
		b.WriteString(" (team ")
		b.WriteString(a.TeamName)
		b.WriteString(")")
	}
	if a.Trigger != "" {
		b.WriteString(", trigger: ")
		b.WriteString(a.Trigger)
	}
	if a.Permalink != "" {
		b.WriteString("\n")
		b.WriteString(a.Permalink)
	}
	return b.String()
}

// BuildWebhook builds the "Webhook" body; its Id makes PagerTree aggregate a repeat.
func BuildWebhook(a Alert) ([]byte, error) {
	tags := []string{}
	for _, t := range []string{a.TeamName, a.ChannelName, a.Trigger} {
		if t != "" {
			tags = append(tags, t)
		}
	}
	p := WebhookPayload{
		EventType:   "create",
		ID:          a.ID,
		Title:       a.Headline(),
		Description: Description(a),
		Urgency:     a.Urgency,
		Tags:        tags,
	}
	if sev := a.IncidentIn(FormatWebhook); sev.IsIncident() {
		p.Meta = &IncidentMeta{Incident: true, Severity: sev, Message: a.Headline()} // the title: the message's first line, or the one typed in the dialog
	}
	return json.Marshal(p)
}
