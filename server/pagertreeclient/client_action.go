package pagertreeclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// CanAct reports whether this integration endpoint can act on alerts it created: only the
// Webhook format can (event_type acknowledge|resolve with the same Id), and only the actions
// alertstate marks ViaWebhook; PagerTree's Mattermost adapter only creates alerts.
func (c *Client) CanAct() bool { return c.format == paging.FormatWebhook }

// Act asks the Webhook integration to act (acknowledge, resolve) on the newest alert it holds with
// this thirdparty id (the Id the alert was sent with). PagerTree answers an empty 200 without
// confirming anything: the outgoing-webhook event that follows is the confirmation. The
// answer is classified like a delivery (transient ones can be retried). PagerTree's
// event_type values are the action's names; an action the integration does not know is refused
// before anything is sent.
func (c *Client) Act(ctx context.Context, thirdpartyID string, action alertstate.Action) paging.Outcome {
	if !c.CanAct() {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the Mattermost (Outgoing Webhook) integration cannot " + alertstate.Verbs("or") + " alerts"}
	}
	if !action.Valid() || thirdpartyID == "" {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the action or the alert id is missing"}
	}
	if !webhookKnows(action) {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the Webhook integration cannot " + string(action) + " alerts (only PagerTree's REST API can)"}
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
