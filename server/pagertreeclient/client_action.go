package pagertreeclient

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Action is what a person can do to an alert from Mattermost.
type Action string

// The actions PagerTree's Webhook integration and REST API both offer.
const (
	ActionAcknowledge Action = "acknowledge"
	ActionResolve     Action = "resolve"
)

// Valid reports whether a is one of the actions above.
func (a Action) Valid() bool { return a == ActionAcknowledge || a == ActionResolve }

// CanAct reports whether this integration endpoint can acknowledge and resolve alerts it
// created: only the Webhook format can (event_type acknowledge|resolve with the same Id);
// PagerTree's Mattermost adapter only creates alerts.
func (c *Client) CanAct() bool { return c.format == paging.FormatWebhook }

// Act asks the Webhook integration to acknowledge or resolve the newest alert it holds with
// this thirdparty id (the Id the alert was sent with). PagerTree answers an empty 200 without
// confirming anything: the outgoing-webhook event that follows is the confirmation. The
// answer is classified like a delivery (transient ones can be retried).
func (c *Client) Act(ctx context.Context, thirdpartyID string, action Action) paging.Outcome {
	if !c.CanAct() {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the Mattermost (Outgoing Webhook) integration cannot acknowledge or resolve alerts"}
	}
	if !action.Valid() || thirdpartyID == "" {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the action or the alert id is missing"}
	}
	body, err := json.Marshal(struct {
		EventType Action `json:"event_type"`
		ID        string `json:"Id"`
	}{action, thirdpartyID})
	if err != nil {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the action could not be encoded", Error: err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the endpoint URL is not valid", Error: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if c.token != "" {
		req.Header.Set("pagertree-token", c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return outcomeOfError(err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return paging.ClassifyStatus(resp.StatusCode, resp.Header.Get("Retry-After"), c.now())
}
