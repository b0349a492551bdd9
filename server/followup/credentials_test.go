package followup

import (
	"encoding/base64"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func TestCredentials(t *testing.T) {
	kv := kvstoretest.New()
	a, err := ensureCredentials(kv, time.Now())
	if err != nil || a.Username != "pagertree" || len(a.Password) < 40 {
		t.Fatalf("%+v %v", a, err)
	}
	b, _ := ensureCredentials(kv, time.Now())
	if b.Password != a.Password {
		t.Fatal("a second node made other credentials")
	}
	c, _ := regenerateCredentials(kv, time.Now())
	d, ok, _ := loadCredentials(kv)
	if !ok || c.Password == a.Password || d.Password != c.Password {
		t.Fatal("regenerate did not replace the password")
	}
}

func authHeader(c Credentials) string {
	return base64.StdEncoding.EncodeToString([]byte(c.Username + ":" + c.Password))
}

// A flood of wrong passwords is answered from memory: at most one read of the store per
// second of the plugin's clock, however many requests come at once.
func TestWrongPasswordsCostAlmostNoReads(t *testing.T) {
	kv := kvstoretest.New()
	var clock atomic.Int64 // nanoseconds since start
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := New(Deps{KV: kv, Now: func() time.Time { return start.Add(time.Duration(clock.Load())) }})
	good, err := s.EnsureCredentials()
	if err != nil {
		t.Fatal(err)
	}
	before := kv.Calls(kvstoretest.OpGet)
	bad := authHeader(Credentials{Username: "pagertree", Password: "wrong"})
	var wg sync.WaitGroup
	var accepted atomic.Int32
	for w := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if w == 0 && i%20 == 0 {
					clock.Add(int64(500 * time.Millisecond)) // 3 000 requests over 2.5 s
				}
				if ok, err := s.CheckCredentials(bad, ""); ok || err != nil {
					accepted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if accepted.Load() != 0 {
		t.Fatalf("%d wrong passwords accepted or failed", accepted.Load())
	}
	if reads := kv.Calls(kvstoretest.OpGet) - before; reads > 4 {
		t.Fatalf("3 000 wrong passwords cost %d reads of the store, want at most 4 (one per second)", reads)
	}
	if ok, _ := s.CheckCredentials(authHeader(good), ""); !ok {
		t.Fatal("the right password was refused")
	}
}

// Credentials regenerated on another node are accepted here once it is told (or, if the
// notice is lost, at the next read a second later); the old ones are refused.
func TestCredentialsRegeneratedOnAnotherNode(t *testing.T) {
	kv := kvstoretest.New()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var told atomic.Int32
	a := New(Deps{KV: kv, Now: func() time.Time { return now }, CredentialsChanged: func() { told.Add(1) }})
	b := New(Deps{KV: kv, Now: func() time.Time { return now }})
	old, _ := a.EnsureCredentials()
	if _, err := b.EnsureCredentials(); err != nil {
		t.Fatal(err)
	}
	fresh, err := a.RegenerateCredentials()
	if err != nil || told.Load() != 1 {
		t.Fatalf("regenerate: %v, told %d times", err, told.Load())
	}
	if ok, _ := a.CheckCredentials(authHeader(old), ""); ok {
		t.Fatal("the node that regenerated still accepts the old password")
	}
	b.ReloadCredentials() // the cluster event
	if ok, _ := b.CheckCredentials(authHeader(fresh), ""); !ok {
		t.Fatal("the other node refuses the new password after the notice")
	}
	if ok, _ := b.CheckCredentials(authHeader(old), ""); ok {
		t.Fatal("the other node still accepts the old password")
	}
	// A lost notice: c holds the old ones in memory, and reads the store on a mismatch.
	c := New(Deps{KV: kv, Now: func() time.Time { return now }})
	c.creds.cur.Store(&old)
	if ok, _ := c.CheckCredentials(authHeader(fresh), ""); !ok {
		t.Fatal("a node that missed the notice refuses the new password")
	}
}

// When the store cannot be read and no credentials are known, the request is answered as a
// database problem (PagerTree retries), not as wrong credentials.
func TestCredentialsUnreadable(t *testing.T) {
	kv := kvstoretest.New()
	s := New(Deps{KV: kv})
	kv.SetFailure(errors.New("database down"))
	if ok, err := s.CheckCredentials("x", ""); ok || err == nil {
		t.Fatalf("ok %v err %v, want an error", ok, err)
	}
}
