package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// maxBodyBytes bounds request bodies from PagerTree and the card buttons.
const maxBodyBytes = 64 << 10

// maxAdminBodyBytes bounds the System Admin API's bodies: the settings on screen (100 routes
// with their scopes) or a list of webhooks to import fit easily.
const maxAdminBodyBytes = 1 << 20

func (p *Plugin) newRouter() *mux.Router {
	r := mux.NewRouter()
	// PagerTree's events carry no Mattermost session: the receiver checks its own credentials.
	r.HandleFunc(eventsPath, p.handleEvents)
	r.PathPrefix(eventsSecretPrefix).HandlerFunc(p.handleEvents) // …/events/<secret> (http_events.go)
	// Button presses come as the logged-in user; the follow-up checks the card (http_card.go).
	r.HandleFunc(actionsPath, only(http.MethodPost, p.handleCardAction))
	// Paging as the logged-in user: each handler checks what the user may see (api_page.go).
	r.HandleFunc(pageFromPostPath, userHandler(p.handlePageFromPost))
	r.HandleFunc(alertDialogPath, only(http.MethodPost, userHandler(p.handleAlertDialog)))
	api := r.PathPrefix("/api/v1").Subrouter()
	api.Use(p.requireSystemAdmin)
	api.HandleFunc("/test", only(http.MethodPost, p.handleTest))
	api.HandleFunc("/preview", only(http.MethodPost, p.handlePreview))
	api.HandleFunc("/deliveries", only(http.MethodGet, p.handleDeliveries))
	api.HandleFunc("/resend", only(http.MethodPost, p.handleResend))
	api.HandleFunc("/receiver", only(http.MethodGet, p.handleReceiver))
	api.HandleFunc("/receiver/regenerate", only(http.MethodPost, p.handleRegenerate))
	api.HandleFunc("/apikey/check", only(http.MethodPost, p.handleCheckAPIKey))
	api.HandleFunc("/settings/check", only(http.MethodPost, p.handleSettingsCheck))
	api.HandleFunc("/routes/import", only(http.MethodPost, p.handleImportRoutes))
	api.HandleFunc("/routes/saved", only(http.MethodGet, p.handleSavedRoutes))
	notFound := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "There is no such PagerTree plugin API route.")
	})
	r.NotFoundHandler, api.NotFoundHandler = notFound, notFound
	return r
}

// only answers 405 with a JSON sentence for other methods (mux's own method matching loses
// its 405 inside a subrouter that has a NotFound handler).
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, "This PagerTree plugin API route accepts "+method+" only.")
			return
		}
		h(w, r)
	}
}

// ServeHTTP serves /plugins/pagertree/...
func (p *Plugin) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	if p.router == nil {
		writeError(w, http.StatusServiceUnavailable, "The PagerTree plugin is starting; try again in a moment.")
		return
	}
	p.router.ServeHTTP(w, r)
}

// requireSystemAdmin lets through logged-in System Admins only. Mattermost sets the
// Mattermost-User-ID header on requests with a valid session and strips it from others.
func (p *Plugin) requireSystemAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID := r.Header.Get("Mattermost-User-ID")
		if userID == "" {
			writeError(w, http.StatusUnauthorized, "Log in to Mattermost to use the PagerTree plugin API.")
			return
		}
		if !p.API.HasPermissionTo(userID, model.PermissionManageSystem) {
			writeError(w, http.StatusForbidden, "Only System Admins can use the PagerTree plugin API.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxAdminBodyBytes)
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// decodeBody reads the request body (bounded by requireSystemAdmin) into v strictly (one JSON
// object, nothing after it), answering 413 or 400 with a sentence on failure.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "The request is larger than "+strconv.Itoa(maxAdminBodyBytes>>20)+" MB; shorten the message.")
			return false
		}
		writeError(w, http.StatusBadRequest, "The request body could not be read.")
		return false
	}
	if err := decodeStrict(body, v); err != nil {
		writeRequestError(w, err)
		return false
	}
	return true
}

// writeRequestError answers 400 with the sentence and, when it concerns one setting, its key.
func writeRequestError(w http.ResponseWriter, err error) {
	var re *requestError
	if errors.As(err, &re) && re.field != "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": re.msg, "field": re.field})
		return
	}
	writeError(w, http.StatusBadRequest, err.Error())
}

// configFromScreen builds the configuration the on-screen settings would give, over the saved
// ones; sendsToken says whether PagerTree will be contacted (see screenSettings).
func (p *Plugin) configFromScreen(screen map[string]any, sendsToken bool) (*runtimeConfig, error) {
	var saved map[string]any
	if err := p.API.LoadPluginConfiguration(&saved); err != nil {
		return nil, err
	}
	merged, err := screenSettings(saved, screen, sendsToken)
	if err != nil {
		return nil, err
	}
	cfg := configFromRaw(merged, p.userAgent(), pagertreeclient.NewGuard(allowedInternal(p.API.GetConfig())))
	return cfg, nil
}

type testResponse struct {
	Class        paging.Class `json:"class"`
	StatusCode   int          `json:"status_code"`
	Meaning      string       `json:"meaning"`
	Error        string       `json:"error,omitempty"`
	EndpointHost string       `json:"endpoint_host"`
	Format       string       `json:"format"`
	RouteID      string       `json:"route_id,omitempty"`
	RouteName    string       `json:"route_name,omitempty"`
}

// handleTest sends a test alert through the default route, or the route route_id names,
// with the settings on screen.
func (p *Plugin) handleTest(w http.ResponseWriter, r *http.Request) {
	var req screenRequest
	if !decodeBody(w, r, &req) {
		return
	}
	cfg, err := p.configFromScreen(req.Settings, true)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	defer cfg.closeIdle()
	route, client, why := cfg.routeClient(req.RouteID)
	switch {
	case route == nil && req.RouteID != "":
		writeError(w, http.StatusNotFound, "There is no route with the id "+strconv.Quote(req.RouteID)+" in the settings on screen.")
		return
	case client == nil && cfg.Problem != "":
		writeError(w, http.StatusUnprocessableEntity, "Fix the settings first: "+cfg.Problem+".")
		return
	case client == nil:
		writeError(w, http.StatusUnprocessableEntity, "Fix the settings first: "+why+".")
		return
	}
	name := "admin"
	if u, appErr := p.API.GetUser(r.Header.Get("Mattermost-User-ID")); appErr == nil {
		name = u.Username
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	o := p.sendTest(ctx, route, client, name)
	res := testResponse{
		Class: o.Class, StatusCode: o.StatusCode, Meaning: o.Meaning, Error: o.Error,
		EndpointHost: route.EndpointHost, Format: string(route.Format),
	}
	if !route.IsDefault() {
		res.RouteID, res.RouteName = route.ID, route.Name
	}
	writeJSON(w, http.StatusOK, res)
}

type previewResponse struct {
	WouldPage bool                 `json:"would_page"`
	Reason    string               `json:"reason,omitempty"` // why not, when it would not page
	Matches   []paging.Match       `json:"matches"`
	Trigger   string               `json:"trigger,omitempty"`
	Urgency   paging.UrgencyResult `json:"urgency"`
	// Severity is the incident severity the message names (absent: none); Incident says in a
	// sentence what it is sent as ("Incident SEV-1 (from "sev-1")."), "" for a plain alert.
	Severity       *paging.SeverityResult `json:"severity,omitempty"`
	Incident       string                 `json:"incident,omitempty"`
	PagerTreeText  string                 `json:"pagertree_text,omitempty"`  // the text PagerTree receives (Mattermost format)
	PagerTreeReads paging.Urgency         `json:"pagertree_reads,omitempty"` // the urgency PagerTree reads from it
	Problem        string                 `json:"problem,omitempty"`
	Route          *previewRoute          `json:"route,omitempty"` // the route it would page through
}

// previewRoute names the route a previewed message goes through, and why that one.
type previewRoute struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Why    string `json:"why"`
	Host   string `json:"endpoint_host,omitempty"`
	Format string `json:"format,omitempty"`
}

func (p *Plugin) handlePreview(w http.ResponseWriter, r *http.Request) {
	var req screenRequest
	if !decodeBody(w, r, &req) {
		return
	}
	cfg, err := p.configFromScreen(req.Settings, false)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, preview(cfg, p.botID, req))
}

// preview runs the post hook's decision (routes, then skipReason) on a message and says whether
// it would page, and through which route. Without a channel it judges a channel in the route
// asked for (route_id), or in the allow-list if there is one: the panel asks about the message,
// not about one channel.
func preview(cfg *runtimeConfig, botID string, req screenRequest) previewResponse {
	res := previewResponse{Matches: []paging.Match{}, Problem: cfg.Problem}
	post := &model.Post{Message: req.Message, ChannelId: req.ChannelID}
	if req.FromBot {
		post.AddProp(model.PostPropsFromBot, "true")
	}
	teamID := req.TeamID
	if route, ok := cfg.Routes.ByID(req.RouteID); ok && req.RouteID != "" && post.ChannelId == "" && teamID == "" {
		if len(route.Channels) > 0 {
			post.ChannelId = route.Channels[0]
		} else if len(route.Teams) > 0 {
			teamID = route.Teams[0]
		}
	}
	if post.ChannelId == "" && teamID == "" {
		for id := range cfg.AllowList {
			post.ChannelId = id
			break
		}
	}
	ch := &model.Channel{Id: post.ChannelId, TeamId: teamID, Type: model.ChannelType(req.ChannelType)}
	if ch.Type == "" {
		ch.Type = model.ChannelTypeOpen
	}
	m := cfg.Routes.Match(ch.Id, ch.TeamId, req.Message, true)
	ev := m.Eval
	if ev.Matches != nil {
		res.Matches = ev.Matches
	}
	res.Trigger, res.Urgency = ev.Trigger, ev.Urgency
	if ev.Severity.Severity.IsIncident() {
		res.Severity = &ev.Severity
	}
	res.Reason = cfg.skipReason(post, botID, &m, ch)
	res.WouldPage = res.Reason == ""
	if m.Route != nil && cfg.Routes.Len() > 0 { // a site without routes sees what it saw before
		res.Route = &previewRoute{ID: m.Route.ID, Name: m.Route.Name, Why: routeWhy(m, ch), Host: m.Route.EndpointHost, Format: string(m.Route.Format)}
	}
	if ev.Matched {
		res.Incident = previewIncident(ev.Severity, m.Route)
		res.PagerTreeText = paging.TextForPagerTree(req.Message, ev.Urgency.Urgency)
		res.PagerTreeReads = paging.PagerTreeReading(res.PagerTreeText)
	}
	return res
}

// routeWhy says in a sentence why a message goes through the route it matched.
func routeWhy(m routing.Result, ch *model.Channel) string {
	var why string
	switch {
	case !m.Route.IsDefault() && containsID(m.Route.Channels, ch.Id):
		why = "the channel is in the route's scope"
	case !m.Route.IsDefault():
		why = "the channel's team is in the route's scope"
	case len(m.Tried) > 0:
		why = "the default route: the message has none of the trigger words of the route " + triedNames(m.Tried)
	default:
		why = "the default route: no route holds the channel or its team"
	}
	if m.Route.EveryMessage {
		why += ", and the route pages on every message"
	}
	return why
}

func containsID(ids []string, id string) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

func (p *Plugin) handleDeliveries(w http.ResponseWriter, r *http.Request) {
	n := 50
	if v := r.URL.Query().Get("n"); v != "" {
		parsed, err := strconv.Atoi(v)
		if err != nil || parsed < 1 {
			writeError(w, http.StatusBadRequest, "n must be a whole number from 1 to 500.")
			return
		}
		n = min(parsed, delivery.DefaultHistorySize)
	}
	entries, err := p.history.Recent(n)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "The delivery history could not be read from the database.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": deliveryRows(entries)})
}

// deliveryRow is a history entry as the panel shows it.
type deliveryRow struct {
	delivery.Entry
	// Resendable marks the latest try of an alert that failed for good: the panel's Resend
	// button, by the rule /pagertree resend failed uses (delivery.FailedSince).
	Resendable bool `json:"resendable,omitempty"`
}

// deliveryRows marks the resendable entries of a history read newest first.
func deliveryRows(entries []delivery.Entry) []deliveryRow {
	failed := map[string]bool{}
	for _, id := range delivery.FailedSince(entries, time.Time{}) {
		failed[id] = true
	}
	rows := make([]deliveryRow, len(entries))
	for i, e := range entries {
		rows[i] = deliveryRow{Entry: e, Resendable: failed[e.AlertID]}
		delete(failed, e.AlertID) // only the alert's newest row
	}
	return rows
}
