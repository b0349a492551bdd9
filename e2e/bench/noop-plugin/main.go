// Command noop-plugin is the benchmark's measuring plugin, never shipped: make bench-e2e builds
// and bundles it on the fly (never committed as a binary).
//
//   - Its MessageHasBeenPosted does nothing: the floor for any plugin that watches posts, compared
//     with no plugin and with the PagerTree plugin.
//   - Its route POST /plugins/bench-noop/kvwrite?n=N times what the PagerTree plugin must do before
//     sending an alert: one plugin KV write through the plugin API (an atomic create of a new key
//     with a value the size of an outbox entry), N of them at once (default 1). It answers the
//     time inside the plugin, so the HTTP request around it is not counted.
package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

type noop struct {
	plugin.MattermostPlugin
	seq atomic.Int64
}

// MessageHasBeenPosted is called for every post, like the PagerTree plugin's hook.
func (*noop) MessageHasBeenPosted(*plugin.Context, *model.Post) {}

// value is about the size of an outbox entry (a job: the alert, its state and lease).
var value = make([]byte, 900)

func (p *noop) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/kvwrite" {
		http.Error(w, "POST /kvwrite?n=N", http.StatusNotFound)
		return
	}
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 1 || n > 16 {
		n = 1
	}
	var wg sync.WaitGroup
	var failed atomic.Int32
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "bench_" + strconv.FormatInt(time.Now().UnixNano(), 36) + "_" + strconv.FormatInt(p.seq.Add(1), 36)
			ok, appErr := p.API.KVSetWithOptions(key, value, model.PluginKVSetOptions{Atomic: true, OldValue: nil, ExpireInSeconds: 600})
			if appErr != nil || !ok {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"n": n, "micros": took.Microseconds(), "failed": failed.Load()})
}

func main() {
	plugin.ClientMain(&noop{})
}
