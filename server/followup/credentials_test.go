package followup

import (
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
