package followup

import (
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func TestLastEventKeepsTheNewest(t *testing.T) {
	kv := kvstoretest.New()
	t0 := time.Now()
	_ = recordLastEvent(kv, LastEvent{At: t0, Type: "alert.resolved"})
	_ = recordLastEvent(kv, LastEvent{At: t0.Add(-time.Second), Type: "alert.open"})
	if e, ok, _ := loadLastEvent(kv); !ok || e.Type != "alert.resolved" {
		t.Fatalf("%+v", e)
	}
}
