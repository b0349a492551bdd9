package pagertreeclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// CanAct reports whether this integration endpoint can acknowledge and resolve alerts it
// created: only the Webhook format can (event_type acknowledge|resolve with the same Id);
// PagerTree's Mattermost adapter only creates alerts.
func (c *Client) CanAct() bool { return c.format == paging.FormatWebhook }

// Act asks the Webhook integration to acknowledge or resolve the newest alert it holds with
// this thirdparty id (the Id the alert was sent with). PagerTree answers an empty 200 without
// confirming anything: the outgoing-webhook event that follows is the confirmation. The
// answer is classified like a delivery (transient ones can be retried). PagerTree's
// event_type values are the action's names (acknowledge, resolve).
func (c *Client) Act(ctx context.Context, thirdpartyID string, action alertstate.Action) paging.Outcome {
	if !c.CanAct() {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the Mattermost (Outgoing Webhook) integration cannot acknowledge or resolve alerts"}
	}
	if !action.Valid() || thirdpartyID == "" {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the action or the alert id is missing"}
	}
	body, err := json.Marshal(struct {
		EventType alertstate.Action `json:"event_type"`
		ID        string            `json:"Id"`
	}{action, thirdpartyID})
	if err != nil {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the action could not be encoded", Error: err.Error()}
	}
	return c.post(ctx, body, true)
}

// Fingerprint identifies an endpoint URL without keeping it (the path holds the integration
// id): what an alert's record stores so a later action can tell the endpoint changed.
func Fingerprint(endpoint string) string {
	sum := sha256.Sum256([]byte(endpoint))
	return hex.EncodeToString(sum[:12])
}

// Fingerprint is the fingerprint of this client's endpoint ("" for a nil client).
func (c *Client) Fingerprint() string {
	if c == nil {
		return ""
	}
	return Fingerprint(c.endpoint)
}
