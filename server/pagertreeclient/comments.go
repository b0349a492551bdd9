package pagertreeclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// Comments on an alert's timeline (DESIGN §13): POST /api/v4/alerts/:id/comments {"body"} adds
// one as the API key's user, GET …/comments lists them. PagerTree's Outgoing Webhook sends the
// comments the key's user made back as comment.created events, so what the answer tells about
// a comment made (its ids) is what the follow-up recognises the echo by; the content hash
// (CommentHash) stands in when the answer told nothing or has not arrived yet.

// MaxCommentsListed bounds the comments read of one alert per call: the newest ones.
const MaxCommentsListed = 50

// Comment is a comment on an alert's timeline, bounded as events are (limits.go).
type Comment struct {
	ID       string // as PagerTree's events name it (data.id)
	PrefixID string // cmt_…, when PagerTree tells it
	Body     string
	By       alertstate.Person
	At       int64 // seconds; 0 when unknown
}

// Comment adds text to an alert's timeline and returns the comment PagerTree made. A 2xx
// answer that cannot be read still means the comment was made: the Comment is empty then.
func (a *API) Comment(ctx context.Context, alertID, text string) (Comment, error) {
	op := "comment on the alert"
	b, err := json.Marshal(map[string]string{"body": text})
	if err != nil {
		return Comment{}, &APIError{Kind: KindRejected, Op: op, Err: err}
	}
	body, err := a.do(ctx, http.MethodPost, "/api/v4/alerts/"+url.PathEscape(alertID)+"/comments", b, op)
	if err != nil {
		return Comment{}, err
	}
	c, _ := decodeRESTComment(body)
	return c, nil
}

// Comments lists the newest comments of an alert (at most MaxCommentsListed), oldest first.
func (a *API) Comments(ctx context.Context, alertID string) ([]Comment, error) {
	op := "read the alert's comments"
	q := url.Values{"limit": {"50"}, "sort": {"created_at"}, "direction": {"desc"}}
	body, err := a.do(ctx, http.MethodGet, "/api/v4/alerts/"+url.PathEscape(alertID)+"/comments?"+q.Encode(), nil, op)
	if err != nil {
		return nil, err
	}
	list, derr := decodeComments(body)
	if derr != nil {
		return nil, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
	}
	return list, nil
}

// CommentHash is the digest the echo guard compares: the body with line ends and the spaces
// around it normalised, as PagerTree may store it. 16 hex digits: a comment's text, not a secret.
func CommentHash(body string) string {
	norm := strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:8])
}

// CommentEvent is a comment read from the REST API as the comment.created event PagerTree
// would have pushed, so polled and pushed comments go through the same de-duplication (by
// the comment's id) and the same echo guard.
func CommentEvent(alertID string, c Comment) alertstate.Event {
	e := alertstate.Event{
		Kind: alertstate.KindCommentCreated, RawType: "poll", AlertID: alertID,
		CommentID: c.ID, CommentPrefixID: c.PrefixID, CommentBody: c.Body, By: c.By, At: c.At,
	}
	if e.CommentID == "" {
		e.CommentID = c.PrefixID
	}
	e = bound(e)
	e.Key = "poll-comment:" + e.AlertID + ":" + e.CommentID
	return e
}

type commentJSON struct {
	ID            flexString `json:"id"`
	PrefixID      flexString `json:"prefix_id"`
	Body          flexString `json:"body"`
	CreatedByName flexString `json:"created_by_name"`
	AccountUserID flexString `json:"account_user_id"`
	CreatedAt     flexString `json:"created_at"`
	AccountUser   struct {
		User json.RawMessage `json:"user"`
	} `json:"account_user"`
}

func decodeRESTComment(raw []byte) (Comment, error) {
	var j commentJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return Comment{}, errShape
	}
	if j.ID == "" && j.PrefixID == "" {
		// Some APIs wrap the object: {"data": {...}}.
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(raw, &env) == nil && len(env.Data) > 0 && env.Data[0] == '{' {
			return decodeRESTComment(env.Data)
		}
		return Comment{}, errShape
	}
	by := person(j.AccountUser.User)
	if by.Name == "" {
		by.Name = string(j.CreatedByName)
	}
	if by.ID == "" {
		by.ID = string(j.AccountUserID)
	}
	return Comment{
		ID: clip(string(j.ID), MaxIDLen), PrefixID: clip(string(j.PrefixID), MaxIDLen),
		Body: clip(string(j.Body), MaxTextLen), By: boundPerson(by), At: seconds(j.CreatedAt),
	}, nil
}

// decodeComments reads {data: [...]} (or a bare array), newest first as asked, and returns the
// comments oldest first, at most MaxCommentsListed; entries that cannot be read are left out.
func decodeComments(body []byte) ([]Comment, error) {
	items, err := listItems(body)
	if err != nil {
		return nil, err
	}
	if len(items) > MaxCommentsListed {
		items = items[:MaxCommentsListed]
	}
	out := make([]Comment, 0, len(items))
	for i := len(items) - 1; i >= 0; i-- {
		if c, err := decodeRESTComment(items[i]); err == nil {
			out = append(out, c)
		}
	}
	return out, nil
}
