package followup

import (
	"fmt"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// maxStampTries bounds the milliseconds tried after a post's own when its channel has other
// alerts at the same time (a burst of posts): far more than a channel posts in one moment.
const maxStampTries = 1000

// Remember records an alert about to be sent under format f, to the endpoint with that host
// and fingerprint (what acting on the alert later checks is still the configured one). The
// outbox calls it before the first send, since PagerTree's first event can beat its answer;
// a record already there for this alert is kept as it is. When updates are polled, the alert
// joins the polled list. Failures are logged: the page goes out either way.
//
// With the Mattermost format the record's creation is the claim of the thirdparty id
// channel_id.timestamp: when another alert of the channel holds the post's millisecond, the
// next free one is claimed. The alert returned carries the timestamp to send (Stamp).
func (s *Service) Remember(a paging.Alert, f paging.Format, endpointHost, endpointFP string) paging.Alert {
	a, err := s.records.remember(a, f, endpointHost, endpointFP)
	if err != nil {
		s.mm.LogWarn("PagerTree: "+err.Error(), "post_id", a.PostID)
	}
	if s.config().Polling() && followed(a) {
		if err := s.records.trackOpen(paging.ThirdPartyID(a, f)); err != nil {
			s.mm.LogWarn("PagerTree: could not add the alert to the polled list: "+err.Error(), "post_id", a.PostID)
		}
	}
	return a
}

// followed reports whether PagerTree's events about the alert are followed: not a test alert,
// and it has a post in a channel.
func followed(a paging.Alert) bool {
	return a.Origin != paging.OriginTest && a.PostID != "" && a.ChannelID != ""
}

// remember creates the alert's record (compare-and-set) and returns the alert with the
// timestamp its thirdparty id holds: its own, or with the Mattermost format the first free
// millisecond after it. A record of the same post is this alert's (a retry, a resend).
func (s *records) remember(a paging.Alert, f paging.Format, endpointHost, endpointFP string) (paging.Alert, error) {
	if !followed(a) {
		return a, nil
	}
	root := a.RootID // the card goes in the post's thread; for /pagertree alert, under its announcement
	if root == "" {
		root = a.PostID
	}
	base := a.SentAt()
	next := base
	if f == paging.FormatMattermost { // skip the milliseconds this node gave other posts of the channel
		next = s.stamps.reserve(a.ChannelID, a.PostID, base, maxStampTries)
	}
	for try := 0; try < maxStampTries; try++ {
		cand := a
		if next != base {
			cand.Stamp = next
		}
		tp := paging.ThirdPartyID(cand, f)
		now := s.now()
		rec := Record{
			ThirdPartyID: tp, PostID: a.PostID, RootID: root, ChannelID: a.ChannelID,
			Format: f, EndpointHost: endpointHost, EndpointFP: endpointFP, RouteID: a.RouteID, Urgency: a.Urgency, Trigger: a.Trigger,
			Severity: a.IncidentIn(f),
			Created:  now, Touched: now, Status: alertstate.Status{State: alertstate.Open},
		}
		created, err := s.kv.CompareAndSet(alertPrefix+tp, nil, encodeRecord(&rec), s.lifetime())
		if err != nil {
			return a, fmt.Errorf("could not record the alert for PagerTree's updates: %w", err)
		}
		if created || f != paging.FormatMattermost {
			return cand, nil
		}
		holder, ok, err := s.get(tp)
		if err != nil {
			return a, fmt.Errorf("could not record the alert for PagerTree's updates: %w", err)
		}
		if !ok { // expired in between: this millisecond is free again
			try--
			continue
		}
		if holder.PostID == a.PostID {
			return cand, nil // ours already
		}
		s.stamps.taken(a.ChannelID, holder.PostID, next) // another node's, or from before a restart
		next = s.stamps.reserve(a.ChannelID, a.PostID, next+1, maxStampTries-try)
	}
	return a, fmt.Errorf("could not find a free timestamp for the alert in its channel after %d tries", maxStampTries)
}
