package pagertreeclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// DefaultAPIBaseURL is PagerTree's REST API host (the paths below start with /api/v4).
const DefaultAPIBaseURL = "https://api.pagertree.com"

// maxAPIResponseBytes bounds what is read of one answer: a page of 100 teams fits easily.
const maxAPIResponseBytes = 1 << 20

// API is the PagerTree REST API v4 client, authenticated by a user's API key (actions are
// attributed to that user). Immutable but for its caches; rebuilt on configuration change.
type API struct {
	http      *http.Client
	base      string // scheme://host[/prefix], no trailing slash
	key       string
	userAgent string
	now       func() time.Time
	users     *userDirectory // the account's users, read once per UserListTTL (restapi_users.go)
}

// NewAPI builds a REST API client. baseURL "" means DefaultAPIBaseURL.
// guard applies Mattermost's rule for internal addresses (nil: any, for tests only).
func NewAPI(baseURL, key string, timeout time.Duration, userAgent string, guard *Guard) *API {
	if baseURL == "" {
		baseURL = DefaultAPIBaseURL
	}
	return &API{http: newHTTPClient(timeout, guard), base: strings.TrimRight(baseURL, "/"), key: key, userAgent: userAgent, now: time.Now,
		users: &userDirectory{now: time.Now}}
}

// CloseIdle releases the idle connections of a client that a new configuration replaced.
func (a *API) CloseIdle() { a.http.CloseIdleConnections() }

// FindAlert returns the newest alert with this thirdparty id (the Webhook format's Id, or
// channel_id.timestamp for the Mattermost format). No such alert is a KindNotFound error.
func (a *API) FindAlert(ctx context.Context, thirdpartyID string) (Alert, error) {
	q := url.Values{"thirdparty_id": {thirdpartyID}, "limit": {"1"}, "sort": {"created_at"}, "direction": {"desc"}}
	op := "find the alert"
	body, err := a.do(ctx, http.MethodGet, "/api/v4/alerts?"+q.Encode(), nil, op)
	if err != nil {
		return Alert{}, err
	}
	alert, ok, derr := decodeAlertList(body)
	switch {
	case derr != nil:
		return Alert{}, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
	case !ok:
		return Alert{}, &APIError{Kind: KindNotFound, Op: op, Status: http.StatusOK, Messages: []string{"no alert has thirdparty id " + thirdpartyID}}
	}
	return alert, nil
}

// GetAlert reads one alert by PagerTree's id (the alt_… prefix id or the plain id).
func (a *API) GetAlert(ctx context.Context, alertID string) (Alert, error) {
	op := "read the alert"
	body, err := a.do(ctx, http.MethodGet, "/api/v4/alerts/"+url.PathEscape(alertID), nil, op)
	if err != nil {
		return Alert{}, err
	}
	alert, derr := decodeAlert(body)
	if derr != nil {
		return Alert{}, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
	}
	return alert, nil
}

// Acknowledge acknowledges an alert (PagerTree allows it when open, dropped or suppressed).
func (a *API) Acknowledge(ctx context.Context, alertID string) error {
	_, err := a.do(ctx, http.MethodPost, "/api/v4/alerts/"+url.PathEscape(alertID)+"/acknowledge", nil, "acknowledge the alert")
	return err
}

// Resolve resolves an alert (PagerTree allows it when open, dropped or acknowledged).
func (a *API) Resolve(ctx context.Context, alertID string) error {
	_, err := a.do(ctx, http.MethodPost, "/api/v4/alerts/"+url.PathEscape(alertID)+"/resolve", nil, "resolve the alert")
	return err
}

// restCalls is the REST call of each action (alertstate's table names the actions): an
// action without one cannot go through the REST API, and is refused before anything is sent.
var restCalls = map[alertstate.Action]func(*API, context.Context, string) error{
	alertstate.Acknowledge: (*API).Acknowledge,
	alertstate.Resolve:     (*API).Resolve,
}

// Teams lists the account's teams (first page of 100; more says whether there are more).
func (a *API) Teams(ctx context.Context) (teams []Team, more bool, err error) {
	op := "list the teams"
	body, err := a.do(ctx, http.MethodGet, "/api/v4/teams?limit=100&sort=name&direction=asc", nil, op)
	if err != nil {
		return nil, false, err
	}
	teams, more, derr := decodeTeams(body)
	if derr != nil {
		return nil, false, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
	}
	return teams, more, nil
}

// CurrentOncall returns who is on call now for a team, layer by layer.
func (a *API) CurrentOncall(ctx context.Context, teamID string) ([]OncallLayer, error) {
	op := "read who is on call"
	body, err := a.do(ctx, http.MethodGet, "/api/v4/teams/"+url.PathEscape(teamID)+"/current_oncall", nil, op)
	if err != nil {
		return nil, err
	}
	layers, derr := decodeOncall(body)
	if derr != nil {
		return nil, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
	}
	return layers, nil
}

// AccountUser reads a user's name and e-mails.
func (a *API) AccountUser(ctx context.Context, id string) (AccountUser, error) {
	op := "read the user"
	body, err := a.do(ctx, http.MethodGet, "/api/v4/account_users/"+url.PathEscape(id), nil, op)
	if err != nil {
		return AccountUser{}, err
	}
	u, derr := decodeAccountUser(body)
	if derr != nil {
		return AccountUser{}, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
	}
	return u, nil
}

// do sends one request and returns the 2xx body, or an *APIError. The key goes only in the
// Authorization header of requests to this client's base URL; it never appears in an error.
func (a *API) do(ctx context.Context, method, path string, body []byte, op string) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return nil, &APIError{Kind: KindRejected, Op: op, Err: errors.New("the API URL is not valid")}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.userAgent != "" {
		req.Header.Set("User-Agent", a.userAgent)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		if _, ok := IsForbidden(err); ok { // retrying will not help until an admin lists the host
			return nil, &APIError{Kind: KindInternal, Op: op, Err: redact(err)}
		}
		return nil, &APIError{Kind: KindTransient, Op: op, Err: redact(err)}
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIResponseBytes+1))
	if err != nil {
		return nil, &APIError{Kind: KindTransient, Op: op, Status: resp.StatusCode, Err: redact(err)}
	}
	if len(data) > maxAPIResponseBytes {
		return nil, &APIError{Kind: KindBadAnswer, Op: op, Status: resp.StatusCode, Err: errors.New("the answer is larger than " + strconv.Itoa(maxAPIResponseBytes>>10) + " KB")}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return data, nil
	}
	e := &APIError{Kind: kindOf(resp.StatusCode), Op: op, Status: resp.StatusCode, Messages: decodeErrorMessages(data)}
	if e.Retryable() {
		e.RetryAfter = paging.ParseRetryAfter(resp.Header.Get("Retry-After"), a.now())
	}
	return nil, e
}
