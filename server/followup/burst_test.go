package followup

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// postStore is a Mattermost that keeps posts (cards and replies) and fails some writes,
// for the burst test: the plugintest mock's bookkeeping would be most of the run.
type postStore struct {
	mu      sync.Mutex
	posts   map[string]*model.Post
	replies map[string][]string // root → messages, in order
	writes  int
	failing bool // every 23rd CreatePost/UpdatePost fails
}

func newPostStore() *postStore {
	return &postStore{posts: map[string]*model.Post{}, replies: map[string][]string{}}
}

func (m *postStore) flaky() *model.AppError {
	m.writes++
	if m.failing && m.writes%23 == 0 {
		return model.NewAppError("post", "flaky", nil, "", http.StatusInternalServerError)
	}
	return nil
}

func (m *postStore) CreatePost(p *model.Post) (*model.Post, *model.AppError) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.flaky(); err != nil {
		return nil, err
	}
	c := p.Clone()
	c.Id = model.NewId()
	m.posts[c.Id] = c
	if c.GetProp(CardProp) == nil {
		m.replies[c.RootId] = append(m.replies[c.RootId], c.Message)
	}
	return c.Clone(), nil
}

func (m *postStore) UpdatePost(p *model.Post) (*model.Post, *model.AppError) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.flaky(); err != nil {
		return nil, err
	}
	m.posts[p.Id] = p.Clone()
	return p, nil
}

func (m *postStore) GetPost(id string) (*model.Post, *model.AppError) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.posts[id]; ok {
		return p.Clone(), nil
	}
	return nil, model.NewAppError("GetPost", "not found", nil, "", http.StatusNotFound)
}

func (m *postStore) DeletePost(id string) *model.AppError {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.posts, id)
	return nil
}

func (m *postStore) GetPostThread(string) (*model.PostList, *model.AppError) {
	return model.NewPostList(), nil
}
func (m *postStore) SendEphemeralPost(string, *model.Post) *model.Post { return &model.Post{} }
func (m *postStore) GetUser(string) (*model.User, *model.AppError) {
	return nil, model.NewAppError("GetUser", "not found", nil, "", http.StatusNotFound)
}
func (m *postStore) GetUserByEmail(string) (*model.User, *model.AppError) { return m.GetUser("") }
func (m *postStore) GetUserByUsername(string) (*model.User, *model.AppError) {
	return m.GetUser("")
}
func (m *postStore) GetChannel(string) (*model.Channel, *model.AppError) { return nil, nil }
func (m *postStore) GetChannelMember(string, string) (*model.ChannelMember, *model.AppError) {
	return nil, model.NewAppError("GetChannelMember", "not a member", nil, "", 404)
}
func (m *postStore) GetChannelByName(string, string, bool) (*model.Channel, *model.AppError) {
	return nil, nil
}
func (m *postStore) GetChannelByNameForTeamName(string, string, bool) (*model.Channel, *model.AppError) {
	return nil, nil
}
func (m *postStore) HasPermissionTo(string, *model.Permission) bool                { return false }
func (m *postStore) HasPermissionToChannel(string, string, *model.Permission) bool { return true }
func (m *postStore) LogDebug(string, ...any)                                       {}
func (m *postStore) LogInfo(string, ...any)                                        {}
func (m *postStore) LogWarn(string, ...any)                                        {}
func (m *postStore) LogError(string, ...any)                                       {}

// cardOf returns the status shown on the card in the thread of root ("" when none).
func (m *postStore) cardOf(root string) (status string, cards int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.posts {
		if p.RootId != root || p.GetProp(CardProp) == nil {
			continue
		}
		cards++
		_, fields := cardFields(p)
		status = fields["Status"]
	}
	return status, cards
}

func (m *postStore) repliesIn(root string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.replies[root]...)
}

// The burst of issue 17: 100 alerts, then 1 000 PagerTree events (each sent at least twice,
// in random order) with 25 in flight, on a KV store that fails every 29th call and makes
// every 7th compare-and-set lose to a concurrent writer, and a Mattermost that fails every
// 23rd post write. Every answer that is not 2xx changed nothing (PagerTree retries it); once
// the faults stop, every card shows its alert's state and every reply is posted exactly once,
// within seconds. No key outside the records themselves takes a large share of the writes.
func TestBurstOfEventsOnAFlakyContendedStore(t *testing.T) {
	t.Run("flaky", func(t *testing.T) { burst(t, true) })
	// Without injected faults (only the 25 senders contending): not one error answer.
	t.Run("healthy", func(t *testing.T) { burst(t, false) })
}

func burst(t *testing.T, faulty bool) {
	const alerts, total, inFlight = 100, 1000, 25
	kv := kvstoretest.New()
	mm := newPostStore()
	cfg := newStandIn(t).testConfig(paging.FormatWebhook, nil)
	s := New(Deps{KV: kv, MM: mm, BotID: botID, NodeID: "node", ActionsURL: testURL, Config: func() *Config { return cfg }})
	s.cards.sweepIn = 50 * time.Millisecond
	s.records.settle = 100 * time.Millisecond
	s.poller.tick = time.Hour
	ids := make([]string, alerts)
	for i := range ids {
		ids[i] = fmt.Sprintf("post%022d", i)
		a := paging.Alert{ID: ids[i], PostID: ids[i], ChannelID: publicID, Trigger: "outage", Urgency: paging.UrgencyHigh, Origin: paging.OriginPost}
		if _, err := s.records.remember(a, paging.FormatWebhook, "pt.example", ""); err != nil {
			t.Fatal(err)
		}
		// PagerTree's alert.created came before the burst: comments find the alert by its id.
		created := fmt.Sprintf(`{"type":"alert.created","data":{"id":"alt_%d","thirdparty_id":"%s"}}`, i, ids[i])
		if res, err := s.Receive([]byte(created), EventAuth{HeaderArrived: true}); err != nil || res != EventApplied {
			t.Fatalf("created: %q %v", res, err)
		}
	}
	// Each alert: acknowledged, three comments, and (every other one) resolved; ~450 distinct
	// events, each sent twice, the rest repeats of random ones, all shuffled.
	var distinct []string
	for i, tp := range ids {
		alt := fmt.Sprintf("alt_%d", i)
		distinct = append(distinct, `{"type":"alert.acknowledged","data":{"id":"`+alt+`","tinyId":`+fmt.Sprint(i+1)+`,"thirdparty_id":"`+tp+`","acknowledgedby":{"name":"Ann"}}}`)
		for c := range 3 {
			distinct = append(distinct, fmt.Sprintf(`{"type":"comment.created","data":{"id":"cmt_%d_%d","commentable_id":"%s","body":"note %d","created_by_name":"Bo"}}`, i, c, alt, c))
		}
		if i%2 == 0 {
			distinct = append(distinct, `{"type":"alert.resolved","data":{"id":"`+alt+`","thirdparty_id":"`+tp+`","resolvedby":{"name":"Cy"}}}`)
		}
	}
	rng := rand.New(rand.NewSource(17)) //nolint:gosec // a reproducible order, not a secret
	events := append(append([]string(nil), distinct...), distinct...)
	for len(events) < total {
		events = append(events, distinct[rng.Intn(len(distinct))])
	}
	rng.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })

	writes := map[string]int{} // compare-and-sets per key (the fault sees every call, under the store's lock)
	calls := 0
	errFlaky := errors.New("the database is flaky")
	kv.SetFault(func(op kvstoretest.Op, key string) error {
		calls++
		if op == kvstoretest.OpCAS {
			writes[key]++
		}
		switch {
		case !faulty:
		case calls%29 == 0:
			return errFlaky
		case op == kvstoretest.OpCAS && calls%7 == 0:
			return kvstoretest.ErrLost
		}
		return nil
	})
	mm.mu.Lock()
	mm.failing = faulty
	mm.mu.Unlock()
	s.Start(context.Background())
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Error(err)
		}
	}()

	var answers sync.Map // status → *atomic.Int64
	count := func(status string) {
		v, _ := answers.LoadOrStore(status, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	queue := make(chan string)
	var wg sync.WaitGroup
	start := time.Now()
	for range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range queue {
				for try := 0; ; try++ { // PagerTree retries a non-2xx answer
					res, err := s.Receive([]byte(body), EventAuth{HeaderArrived: true})
					var bad *BadEventError
					if errors.As(err, &bad) {
						t.Errorf("a good event was refused: %v", err)
						break
					}
					if err == nil {
						count("200 " + string(res))
						break
					}
					count("503")
					if try == 50 {
						t.Errorf("an event was refused 50 times: %v", err)
						break
					}
				}
			}
		}()
	}
	for _, e := range events {
		queue <- e
	}
	close(queue)
	wg.Wait()
	answered := time.Since(start)
	kv.SetFault(nil) // taken under the store's lock: the counts the fault kept are final
	mm.mu.Lock()
	mm.failing = false
	mm.mu.Unlock()

	// Every card right, every reply posted. Replies a worker has taken are out of the record
	// (so it has no work) until they are posted: the replies are waited for too.
	// Acknowledged, three comments, and resolved for every other one (whose acknowledgement
	// posts nothing when it came after the resolution: the state never moves backwards).
	repliesDone := func(i int, got []string) bool {
		want := 4 + 1 - i%2
		return len(got) == want || (i%2 == 0 && len(got) == want-1 && !strings.Contains(strings.Join(got, " "), "Acknowledged"))
	}
	right := func() bool {
		for i, tp := range ids {
			want := "Acknowledged"
			if i%2 == 0 {
				want = "Resolved"
			}
			if st, cards := mm.cardOf(tp); st != want || cards != 1 {
				return false
			}
			if rec, ok, err := s.records.get(tp); err != nil || !ok || rec.HasWork() {
				return false
			}
			if !repliesDone(i, mm.repliesIn(tp)) {
				return false
			}
		}
		return true
	}
	eventually(t, "every card in its right state and every reply posted", right)
	settled := time.Since(start)
	for i, tp := range ids {
		got := mm.repliesIn(tp)
		if !repliesDone(i, got) {
			t.Fatalf("alert %d: %d replies: %q", i, len(got), got)
		}
		seen := map[string]bool{}
		for _, r := range got {
			if seen[r] {
				t.Fatalf("alert %d: reply posted twice: %q", i, r)
			}
			seen[r] = true
		}
	}
	var summary []string
	answers.Range(func(k, v any) bool {
		summary = append(summary, fmt.Sprintf("%s: %d", k, v.(*atomic.Int64).Load()))
		return true
	})
	// No hot key: the work set's shards (and every other shared key) take a small share of
	// the writes; before, one key (alerts_pending) took one write per event.
	hot, hotKey := 0, ""
	for k, n := range writes {
		if !strings.HasPrefix(k, alertPrefix) && n > hot {
			hot, hotKey = n, k
		}
	}
	t.Logf("%d events, 25 in flight, %d alerts: answers %s; all answered after %v, every card right after %v; busiest shared key %s: %d writes",
		len(events), alerts, strings.Join(summary, ", "), answered.Round(time.Millisecond), settled.Round(time.Millisecond), hotKey, hot)
	if v, ok := answers.Load("503"); ok && !faulty {
		t.Fatalf("%d error answers without any fault", v.(*atomic.Int64).Load())
	}
	if hot > total/10 {
		t.Fatalf("shared key %s took %d writes in a burst of %d events", hotKey, hot, total)
	}
}
