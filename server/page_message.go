package main

import (
	"net/http"
	"strconv"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// "Page PagerTree…" on an existing message (DESIGN §13): the webapp's dialog asks what to
// prefill and submits as the user; every rule is here, the dialog only shows the answers.

// defaultRouteKey names the default route in the dialog: route ids never hold "@", and ""
// means "the channel's route".
const defaultRouteKey = "@default"

// notFoundRefusal is the one answer for a message that does not exist, was deleted, or that
// the user cannot read: nothing tells them apart.
const notFoundRefusal = "That message was not found, or you cannot read it."

// pageRequest is the dialog's submission.
type pageRequest struct {
	PostID   string `json:"post_id"`
	Route    string `json:"route"` // a route id, defaultRouteKey, or "" for the channel's route
	Urgency  string `json:"urgency"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Note     string `json:"note"`
}

// pageRefusal is why a page from a message was not sent: an HTTP status, one sentence, the
// field it concerns (the dialog marks it) and, for a thread that already paged, its card.
type pageRefusal struct {
	Status    int    `json:"-"`
	Error     string `json:"error"`
	Field     string `json:"field,omitempty"`
	Permalink string `json:"permalink,omitempty"`
}

func refuse(status int, msg string) *pageRefusal { return &pageRefusal{Status: status, Error: msg} }

// choice is one option of a select in the dialog.
type choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// routeChoice is a route the message may page through, with the urgency that route's rules
// read from the message (the dialog preselects it when the route is chosen).
type routeChoice struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Urgency string `json:"urgency"`
}

// pagePrefill is what the dialog shows before anything is typed.
type pagePrefill struct {
	PostID     string        `json:"post_id"`
	Author     string        `json:"author"`
	Channel    string        `json:"channel"`
	Title      string        `json:"title"`
	TitleMax   int           `json:"title_max"`
	NoteMax    int           `json:"note_max"`
	Routes     []routeChoice `json:"routes"`
	Route      string        `json:"route"` // the channel's route
	Urgencies  []choice      `json:"urgencies"`
	Severities []choice      `json:"severities"`
	// AlreadyPaged is set when the thread already has a PagerTree card: the dialog says so and
	// offers to open it instead.
	AlreadyPaged *pageRefusal `json:"already_paged,omitempty"`
}

// pageAnswer is a page that went out (to the outbox).
type pageAnswer struct {
	Message   string `json:"message"`
	AlertID   string `json:"alert_id"`
	Permalink string `json:"permalink"` // the message paged from: its thread gets the card
}

// pageable is a message the user may page from, with what the page needs.
type pageable struct {
	post *model.Post
	ch   *model.Channel
	cfg  *runtimeConfig
}

// pageablePost applies the checks both the prefill and the submission make: forwarding is on,
// the message exists and the user can read it (one answer for both), and it is a person's or a
// bot's message, not a system message.
func (p *Plugin) pageablePost(userID, postID string) (pageable, *pageRefusal) {
	cfg := p.config.Load()
	if !cfg.forwarding() || p.outbox == nil {
		return pageable{}, refuse(http.StatusServiceUnavailable, p.pausedAnswer(cfg, userID))
	}
	if !model.IsValidId(postID) {
		return pageable{}, refuse(http.StatusNotFound, notFoundRefusal)
	}
	post, appErr := p.API.GetPost(postID)
	if appErr != nil || post == nil || post.DeleteAt != 0 || !p.API.HasPermissionToChannel(userID, post.ChannelId, model.PermissionReadChannel) {
		return pageable{}, refuse(http.StatusNotFound, notFoundRefusal)
	}
	ch, appErr := p.channel(post.ChannelId)
	if appErr != nil {
		return pageable{}, refuse(http.StatusNotFound, notFoundRefusal)
	}
	if ch.Type == model.ChannelTypeDirect || ch.Type == model.ChannelTypeGroup {
		// System Admins may read every channel, but a conversation they are not in is not theirs to page from.
		if _, appErr := p.API.GetChannelMember(ch.Id, userID); appErr != nil {
			return pageable{}, refuse(http.StatusNotFound, notFoundRefusal)
		}
	}
	if post.IsSystemMessage() {
		return pageable{}, refuse(http.StatusUnprocessableEntity, "This is a system message; page from a message someone posted, or use `/pagertree alert`.")
	}
	if ch.DeleteAt != 0 {
		return pageable{}, refuse(http.StatusUnprocessableEntity, "This channel is archived, so the PagerTree card could not be posted in its thread; page with `/pagertree alert` from an open channel.")
	}
	return pageable{post: post, ch: ch, cfg: cfg}, nil
}

// prefillPage answers what the dialog starts with for postID.
func (p *Plugin) prefillPage(userID, postID string) (pagePrefill, *pageRefusal) {
	pg, refusal := p.pageablePost(userID, postID)
	if refusal != nil {
		return pagePrefill{}, refusal
	}
	author := "someone"
	if u, appErr := p.user(pg.post.UserId); appErr == nil {
		author = u.Username
	}
	routes := routeChoices(pg.cfg, pg.ch, pg.post.Message)
	out := pagePrefill{
		PostID: pg.post.Id, Author: author, Channel: pg.ch.DisplayName, Title: paging.Title(pg.post.Message),
		TitleMax: paging.TitleMaxRunes, NoteMax: paging.NoteMaxRunes, Routes: routes, Route: routes[0].Key,
		Urgencies: urgencyChoices(), Severities: severityChoices(),
	}
	out.AlreadyPaged = p.threadPaged(pg.post, false)
	return out, nil
}

// threadPaged says whether the message's thread already paged: it holds a PagerTree card, or
// (claimed) another alert holds the thread's claim and its card is on its way.
func (p *Plugin) threadPaged(post *model.Post, claimed bool) *pageRefusal {
	root := post.RootId
	if root == "" {
		root = post.Id
	}
	card, err := p.followup.ThreadCard(root)
	if err != nil {
		p.API.LogWarn("PagerTree: could not look for a card in the thread of a message paged from", "post_id", post.Id, "error", err.Error())
	}
	if card == "" && !claimed {
		return nil
	}
	team := ""
	if ch, appErr := p.channel(post.ChannelId); appErr == nil && ch.TeamId != "" {
		if t, appErr := p.team(ch.TeamId); appErr == nil {
			team = t.Name
		}
	}
	if card == "" {
		return &pageRefusal{Status: http.StatusConflict, Permalink: p.permalink(team, root),
			Error: "This thread already paged PagerTree; its status card appears in the thread once PagerTree has the alert."}
	}
	return &pageRefusal{Status: http.StatusConflict, Permalink: p.permalink(team, card),
		Error: "This thread already paged PagerTree: open its status card to follow or act on that alert."}
}

// pageFromPost pages PagerTree from an existing message as userID, through the outbox that
// /pagertree alert uses. The message's thread is claimed ("one alert per thread") so that a
// second page of it, even at the same moment, is told the thread already paged.
func (p *Plugin) pageFromPost(userID string, req pageRequest) (pageAnswer, *pageRefusal) {
	pg, refusal := p.pageablePost(userID, req.PostID)
	if refusal != nil {
		return pageAnswer{}, refusal
	}
	route, urg, sev, title, note, refusal := checkPageFields(req, routeChoices(pg.cfg, pg.ch, pg.post.Message), pg.cfg.Routes)
	if refusal != nil {
		return pageAnswer{}, refusal
	}
	if route.Paused != "" {
		return pageAnswer{}, &pageRefusal{Status: http.StatusUnprocessableEntity, Field: "route", Error: "PagerTree was not paged: " + route.Paused + "."}
	}
	if already := p.threadPaged(pg.post, false); already != nil {
		return pageAnswer{}, already
	}
	pager, appErr := p.user(userID)
	if appErr != nil {
		return pageAnswer{}, refuse(http.StatusInternalServerError, "PagerTree was not paged: your user could not be read ("+appErr.Message+").")
	}
	author, appErr := p.user(pg.post.UserId)
	if appErr != nil {
		return pageAnswer{}, refuse(http.StatusInternalServerError, "PagerTree was not paged: the message's author could not be read ("+appErr.Message+").")
	}
	var team *model.Team
	if pg.ch.TeamId != "" {
		team, _ = p.team(pg.ch.TeamId) // optional: the alert goes without a team name
	}
	slot, limited := p.takeAlertSlot(pg.cfg, userID)
	if limited != "" {
		return pageAnswer{}, refuse(http.StatusTooManyRequests, limited)
	}
	a := p.newAlert(paging.OriginMessage, route, pg.post, pg.ch, pager, team, pg.post.Message, paging.MessageTrigger,
		paging.UrgencyResult{Urgency: urg, Source: paging.SourceCommand, Word: string(urg)}) // chosen in the dialog
	a.ID = model.NewId() // a new alert about the message: the message may have paged (and failed) before
	a.Title, a.Note, a.Author, a.Severity = title, note, author.Username, sev
	held, err := p.queueOnPurpose(a, slot, true)
	switch {
	case held.Suppressed():
		return pageAnswer{}, p.threadPaged(pg.post, true)
	case err != nil:
		return pageAnswer{}, refuse(http.StatusInternalServerError, "PagerTree was not paged: the plugin could not store the alert ("+err.Error()+"). Try again in a moment.")
	}
	through := ""
	if !route.IsDefault() {
		through = " through the route " + strconv.Quote(route.Name)
	}
	return pageAnswer{
		AlertID: a.ID, Permalink: a.Permalink,
		Message: "PagerTree is being paged" + through + ". The status card appears in the message's thread.",
	}, nil
}
