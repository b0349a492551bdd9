package paging

import "strconv"

// ThirdPartyID is the id PagerTree gives the alert it makes from what we send, and sends back
// in its outgoing-webhook events (DESIGN §10): with the Webhook format the Id we send (the
// alert id, which is the post id); with the Mattermost format channel_id + "." + timestamp.
func ThirdPartyID(a Alert, f Format) string {
	if f == FormatWebhook {
		return a.ID
	}
	return a.ChannelID + "." + strconv.FormatInt(a.SentAt(), 10)
}

// SentAt is the timestamp the Mattermost format sends: the one claimed (Stamp), else CreateAt.
func (a Alert) SentAt() int64 {
	if a.Stamp != 0 {
		return a.Stamp
	}
	return a.CreateAt
}
