// Package followup is what happens after a page: the record of every alert sent (and of alerts
// from other sources the admin wants in a channel), PagerTree's events applied to it, the
// status card drawn and the thread replies posted, the card's buttons (and /pagertree ack|resolve)
// pressed and retried until PagerTree takes them, and polling PagerTree's REST API when its
// events cannot be pushed. It talks to Mattermost through a narrow interface (Mattermost) and
// to PagerTree through pagertreeclient; it never sees the plugin.
//
// Service is the one owner of the package's goroutines: the card queue (cards drawn, replies
// posted), the action retries, and the poller, each stopped by Stop.
package followup

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
)

// Deps is what a Service is built from.
type Deps struct {
	KV     kvstore.KV
	MM     Mattermost
	BotID  string           // the plugin's bot: it posts the cards and replies
	NodeID string           // unique per plugin instance: holds the poll lease
	Now    func() time.Time // the plugin's clock (nil: time.Now)
	// Config is the configuration in force; nil while the plugin is starting.
	Config func() *Config
	// EventReceived counts an authenticated event from PagerTree by its kind (nil: not counted).
	EventReceived func(alertstate.Kind)
	// ActionsURL is the integration URL of the card's buttons: relative (/plugins/<id>/…), so
	// it works behind any proxy ("": the card has no buttons).
	ActionsURL string
	// SiteURL is Mattermost's Site URL ("" when unset), for links to posts in comments.
	SiteURL func() string
	// CredentialsChanged tells the other nodes that the receiver's credentials were
	// regenerated (they call ReloadCredentials); nil on a single node and in tests.
	CredentialsChanged func()
}

// Service follows the alerts. Safe for concurrent use; Start once, Stop once.
type Service struct {
	mm      Mattermost
	kv      kvstore.KV
	botID   string
	nodeID  string
	now     func() time.Time
	config  func() *Config
	counted func(alertstate.Kind)
	actions string
	// credsChanged is Deps.CredentialsChanged.
	credsChanged func()
	siteURL      func() string
	creds        credentialCache
	lastEvent    lastEventNote
	commentNote  commentNote

	records  *records
	cards    *cardQueue
	retries  *actionRetries
	comments *commentJobs
	poller   *poller

	cancel context.CancelFunc
	owners []owner
}

// owner is one goroutine of the Service, with a name for the log when it does not stop.
type owner struct {
	name string
	run  func(ctx context.Context)
	done chan struct{}
}

// New builds a Service; nothing runs before Start.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Config == nil {
		d.Config = func() *Config { return nil }
	}
	if d.EventReceived == nil {
		d.EventReceived = func(alertstate.Kind) {}
	}
	if d.CredentialsChanged == nil {
		d.CredentialsChanged = func() {}
	}
	if d.SiteURL == nil {
		d.SiteURL = func() string { return "" }
	}
	s := &Service{
		mm: d.MM, kv: d.KV, botID: d.BotID, nodeID: d.NodeID, now: d.Now, config: d.Config,
		counted: d.EventReceived, actions: d.ActionsURL, credsChanged: d.CredentialsChanged, siteURL: d.SiteURL,
	}
	s.records = newRecords(d.KV, func() time.Duration { return s.config().lifetime() }, d.Now)
	s.cards = newCardQueue(s)
	s.retries = newActionRetries(s)
	s.comments = newCommentJobs(d.KV, d.Now)
	s.poller = newPoller(s)
	return s
}

// Start runs the owners until ctx is cancelled or Stop is called. Their PagerTree calls are
// made under ctx, so stopping cancels those in flight.
func (s *Service) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.owners = []owner{
		{name: "the status card queue", run: s.cards.run},
		{name: "the action retries", run: s.retries.run},
		{name: "the PagerTree poller", run: s.poller.run},
	}
	for i := range s.owners {
		o := &s.owners[i]
		o.done = make(chan struct{})
		go func() {
			defer close(o.done)
			o.run(ctx)
		}()
	}
}

// Stop cancels the owners and waits for them until ctx ends. Work not done stays in the KV
// store for the next start or another node.
func (s *Service) Stop(ctx context.Context) error {
	if s.cancel == nil {
		return nil // never started
	}
	s.cancel()
	var late []string
	for _, o := range s.owners {
		select {
		case <-o.done:
		case <-ctx.Done():
			select {
			case <-o.done:
			default:
				late = append(late, o.name)
			}
		}
	}
	if len(late) > 0 {
		return fmt.Errorf("%s did not stop in time", strings.Join(late, ", "))
	}
	return nil
}

// Record reads an alert's record by its thirdparty id (for status and tests).
func (s *Service) Record(thirdPartyID string) (Record, bool, error) {
	return s.records.get(thirdPartyID)
}
