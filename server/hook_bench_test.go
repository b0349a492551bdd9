package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// BenchmarkHook measures the post hook on posts that match no trigger (the common case:
// every post on the server goes through it) against a baseline run in the same loop: the
// straightforward implementation of the rule with one case-insensitive regexp (which does not
// even skip code blocks). It reports both costs per post and their ratio.
func BenchmarkHook(b *testing.B) {
	s := baseSettings("https://api.pagertree.com/integration/int_abc")
	s.TriggerWords = "outage, sev-1, sev1, db down, #page_noc, p1, incident, down"
	p := &Plugin{}
	p.config.Store(buildConfig(s, "bench", testGuard))
	p.outbox = nilOutbox()
	posts := map[string]*model.Post{
		"plain":   {Id: "a", UserId: aliceID, ChannelId: publicID, Message: "Morning all, deploying the checkout service in 10 minutes, shout if you see anything odd."},
		"near":    {Id: "b", UserId: aliceID, ChannelId: publicID, Message: "Downloading the incidents report now; the lowdown is in the doc."},
		"code":    {Id: "c", UserId: aliceID, ChannelId: publicID, Message: "Here is the log:\n```\nERROR outage-detector: p1 queue sev1 down\n```\nlooks fine to me"},
		"unicode": {Id: "d", UserId: aliceID, ChannelId: publicID, Message: strings.Repeat("Ünïcødé text that mentions nothing special. ", 40)},
	}
	baseline := regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])(outage|sev-1|sev1|db\s+down|#page_noc|p1|incident|down)(?:$|[^\p{L}\p{N}_])`)
	for _, name := range []string{"plain", "near", "code", "unicode"} {
		post := posts[name]
		b.Run(name, func(b *testing.B) {
			var hookTime, baseTime time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				p.MessageHasBeenPosted(nil, post)
				t1 := time.Now()
				_ = baseline.MatchString(post.Message)
				t2 := time.Now()
				hookTime += t1.Sub(t0)
				baseTime += t2.Sub(t1)
			}
			b.ReportMetric(float64(hookTime.Nanoseconds())/float64(b.N), "ns/hook")
			b.ReportMetric(float64(baseTime.Nanoseconds())/float64(b.N), "ns/regexp-baseline")
			b.ReportMetric(float64(baseTime)/float64(hookTime), "x-faster-than-baseline")
		})
	}
}

// BenchmarkEvaluateMatch measures the rules on a post that pages (trigger + urgency parse).
func BenchmarkEvaluateMatch(b *testing.B) {
	cfg := buildConfig(baseSettings("https://api.pagertree.com/integration/int_abc"), "bench", testGuard)
	msg := "Checkout is failing for EU customers, looks like a sev-1 outage, urgency:high"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !cfg.Rules.Evaluate(msg).Matched {
			b.Fatal("no match")
		}
	}
}
