package followup

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

// A store written before the URL secret existed gets one at the next start; its password is
// kept, so PagerTree's integration keeps working.
func TestEnsureAddsTheURLSecretToOldStores(t *testing.T) {
	kv := kvstoretest.New()
	old, _ := json.Marshal(map[string]any{"username": "pagertree", "password": "old-password-old-password-old-password-old", "created": time.Now()})
	if _, err := kv.CompareAndSet(credentialsKey, nil, old, 0); err != nil {
		t.Fatal(err)
	}
	c, err := ensureCredentials(kv, time.Now())
	if err != nil || c.Password != "old-password-old-password-old-password-old" || len(c.Secret) != 43 {
		t.Fatalf("%+v %v", c, err)
	}
	again, _ := ensureCredentials(kv, time.Now())
	if again.Secret != c.Secret {
		t.Fatal("a second start made another secret")
	}
}

func TestURLSecretIsChecked(t *testing.T) {
	kv := kvstoretest.New()
	s := New(Deps{KV: kv, Now: time.Now})
	c, err := s.EnsureCredentials()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		secret string
		want   bool
	}{{c.Secret, true}, {"", false}, {c.Secret + "x", false}, {c.Secret[1:], false}, {c.Password, false}} {
		if ok, _ := s.CheckCredentials("", tc.secret); ok != tc.want {
			t.Errorf("secret %q: %v, want %v", tc.secret, ok, tc.want)
		}
	}
}

// Concurrent regenerates (two admins, a double click, two nodes) end with one set of
// credentials, the one every call returned; a regenerate after the quiet time makes new ones.
func TestConcurrentRegeneratesEndWithOneSet(t *testing.T) {
	kv := kvstoretest.New()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	nodes := []*Service{New(Deps{KV: kv, Now: clock}), New(Deps{KV: kv, Now: clock})}
	first, _ := nodes[0].EnsureCredentials()
	got := make([]Credentials, 20)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := nodes[i%2].RegenerateCredentials()
			if err != nil {
				t.Error(err)
			}
			got[i] = c
		}()
	}
	wg.Wait()
	stored, _, _ := loadCredentials(kv)
	for i, c := range got {
		if c.Password != stored.Password || c.Secret != stored.Secret {
			t.Fatalf("call %d got another password than the stored one", i)
		}
	}
	if stored.Password == first.Password || stored.Secret == first.Secret {
		t.Fatal("not regenerated")
	}
	mu.Lock()
	now = now.Add(regenerateQuiet)
	mu.Unlock()
	later, _ := nodes[1].RegenerateCredentials()
	if later.Password == stored.Password || later.Secret == stored.Secret {
		t.Fatal("a regenerate after the quiet time returned the old credentials")
	}
}

func TestAdvise(t *testing.T) {
	for _, tc := range []struct {
		name    string
		last    *LastEvent
		version string
		mode    PasteMode
		says    string
	}{
		{"header arrived", &LastEvent{HeaderArrived: true}, "7.4.0", PasteBasicAuth, "Basic auth reaches the plugin on this server"},
		{"secret, no header", &LastEvent{ByURLSecret: true}, "11.4.0", PasteSecretURL, "Basic auth does not reach the plugin on this server"},
		{"7.4, no event", nil, "7.4.0", PasteSecretURL, "Mattermost 7.4.0 removes the Authorization header"},
		{"9.3, no event", nil, "9.3.2", PasteSecretURL, "removes the Authorization header"},
		{"9.4, no event", nil, "9.4.0", PasteSecretURL, "works on every Mattermost version"},
		{"11.4, no event", nil, "11.4.0", PasteSecretURL, "works on every Mattermost version"},
		{"unknown version", nil, "", PasteSecretURL, "works on every Mattermost version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := Advise(tc.last, tc.version)
			if a.Mode != tc.mode || !strings.Contains(a.Text, tc.says) {
				t.Fatalf("%+v", a)
			}
		})
	}
}
