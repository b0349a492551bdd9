package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// routeSpecs makes n routes over n*10 channels (channel routes) or n teams (team routes), each
// with its own two trigger words when own is set.
func routeSpecs(n int, teams, own bool) string {
	specs := make([]routing.Spec, n)
	for i := range specs {
		s := routing.Spec{ID: fmt.Sprintf("r%d", i), Name: fmt.Sprintf("Route %d", i), EndpointURL: fmt.Sprintf("https://api.pagertree.com/integration/int_%d", i)}
		if teams {
			s.Teams = []string{fmt.Sprintf("team%022d", i)}
		} else {
			for c := 0; c < 10; c++ {
				s.Channels = append(s.Channels, fmt.Sprintf("ch%024d", i*10+c))
			}
		}
		if own {
			s.TriggerWords = fmt.Sprintf("svc%d down, svc%d-alert", i, i)
		}
		specs[i] = s
	}
	b, _ := json.Marshal(specs)
	return string(b)
}

// BenchmarkHookWithRoutes measures the post hook on a post that matches no trigger, with 100
// routes over 1 000 channels, against the same hook without routes in the same loop (the
// DESIGN §11 target: a non-trigger post costs what it costs today).
func BenchmarkHookWithRoutes(b *testing.B) {
	plain := baseSettings("https://api.pagertree.com/integration/int_abc")
	plain.TriggerWords = "outage, sev-1, sev1, db down, #page_noc, p1, incident, down"
	none := &Plugin{}
	none.config.Store(buildConfig(plain, "bench", testGuard))
	none.outbox = nilOutbox()
	msg := "Morning all, deploying the checkout service in 10 minutes, shout if you see anything odd."
	cases := []struct {
		name       string
		teams, own bool
		channelID  string
	}{
		{"100 channel routes, default triggers, routed channel", false, false, fmt.Sprintf("ch%024d", 555)},
		{"100 channel routes, own triggers, routed channel", false, true, fmt.Sprintf("ch%024d", 555)},
		{"100 channel routes, own triggers, other channel", false, true, publicID},
		{"100 team routes, own triggers (200 words)", true, true, publicID},
	}
	for _, c := range cases {
		s := plain
		s.Routes = routeSpecs(100, c.teams, c.own)
		cfg := buildConfig(s, "bench", testGuard)
		if cfg.Problem != "" || cfg.Routes.Len() != 100 {
			b.Fatalf("routes: %q", cfg.Problem)
		}
		routed := &Plugin{}
		routed.config.Store(cfg)
		routed.outbox = nilOutbox()
		post := &model.Post{Id: "a", UserId: aliceID, ChannelId: c.channelID, Message: msg}
		b.Run(c.name, func(b *testing.B) {
			var withRoutes, without time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				routed.MessageHasBeenPosted(nil, post)
				t1 := time.Now()
				none.MessageHasBeenPosted(nil, post)
				t2 := time.Now()
				withRoutes += t1.Sub(t0)
				without += t2.Sub(t1)
			}
			b.ReportMetric(float64(withRoutes.Nanoseconds())/float64(b.N), "ns/hook-with-routes")
			b.ReportMetric(float64(without.Nanoseconds())/float64(b.N), "ns/hook-without")
			b.ReportMetric(float64(withRoutes)/float64(without), "x-cost-of-routes")
		})
	}
}

// BenchmarkBuildRoutes is the cost of a configuration change with 100 routes over 1 000 channels.
func BenchmarkBuildRoutes(b *testing.B) {
	s := baseSettings("https://api.pagertree.com/integration/int_abc")
	s.Routes = routeSpecs(100, false, true)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if cfg := buildConfig(s, "bench", testGuard); cfg.Problem != "" {
			b.Fatal(cfg.Problem)
		}
	}
}
