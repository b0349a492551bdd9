package followup

import (
	"encoding/json"
	"fmt"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Remember records an alert about to be sent under format f, to the endpoint with that host
// and fingerprint (what acting on the alert later checks is still the configured one). The
// outbox calls it before the first send, since PagerTree's first event can beat its answer;
// a record already there is kept as it is. When updates are polled, the alert joins the
// polled list. Failures are logged: the page goes out either way.
func (s *Service) Remember(a paging.Alert, f paging.Format, endpointHost, endpointFP string) {
	if err := s.records.remember(a, f, endpointHost, endpointFP); err != nil {
		s.mm.LogWarn("PagerTree: "+err.Error(), "post_id", a.PostID)
	}
	if s.config().Polling() && followed(a) {
		if err := s.records.trackOpen(paging.ThirdPartyID(a, f)); err != nil {
			s.mm.LogWarn("PagerTree: could not add the alert to the polled list: "+err.Error(), "post_id", a.PostID)
		}
	}
}

// followed reports whether PagerTree's events about the alert are followed: not a test alert,
// and it has a post in a channel.
func followed(a paging.Alert) bool {
	return a.Origin != paging.OriginTest && a.PostID != "" && a.ChannelID != ""
}

func (s *records) remember(a paging.Alert, f paging.Format, endpointHost, endpointFP string) error {
	if !followed(a) {
		return nil
	}
	root := a.RootID // the card goes in the post's thread; for /pagertree alert, under its announcement
	if root == "" {
		root = a.PostID
	}
	rec := Record{
		ThirdPartyID: paging.ThirdPartyID(a, f), PostID: a.PostID, RootID: root, ChannelID: a.ChannelID,
		Format: f, EndpointHost: endpointHost, EndpointFP: endpointFP, RouteID: a.RouteID, Urgency: a.Urgency, Trigger: a.Trigger,
		Created: s.now(), Status: alertstate.Status{State: alertstate.Open},
	}
	raw, _ := json.Marshal(rec)
	if _, err := s.kv.CompareAndSet(alertPrefix+rec.ThirdPartyID, nil, raw, s.lifetime()); err != nil {
		return fmt.Errorf("could not record the alert for PagerTree's updates: %w", err)
	}
	return nil
}
