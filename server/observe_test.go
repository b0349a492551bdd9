package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

func scrapePlugin(t *testing.T, p *Plugin) string {
	t.Helper()
	rec := httptest.NewRecorder()
	p.ServeMetrics(nil, rec, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

// The metrics hook after a few alerts: two delivered, one refused (403), one suppressed.
func TestServeMetricsAfterAFewAlerts(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	for _, msg := range []string{"outage in eu", "db down again"} {
		env.p.MessageHasBeenPosted(nil, userPost(publicID, msg))
		receive(t, env.fb.reactions, "reaction")
	}
	root := userPost(publicID, "outage in us")
	pt.setStatus(http.StatusForbidden)
	env.p.MessageHasBeenPosted(nil, root)
	receive(t, env.fb.ephemerals, "failure notice")
	reply := userPost(publicID, "sev-1 now")
	reply.RootId = root.Id
	pt.setStatus(0)
	env.p.MessageHasBeenPosted(nil, reply) // the thread was freed by the failure: it pages
	receive(t, env.fb.reactions, "reaction")
	again := userPost(publicID, "still an outage")
	again.RootId = root.Id
	env.p.MessageHasBeenPosted(nil, again) // one alert per thread: suppressed

	eventually(t, "the suppressed alert counted", func() bool {
		return strings.Contains(scrapePlugin(t, env.p), `alerts_suppressed_total{reason="thread_already_paged"} 1`)
	})
	out := scrapePlugin(t, env.p)
	for _, line := range []string{
		`mattermost_plugin_pagertree_alerts_matched_total{origin="post",route="default"} 5`,
		`mattermost_plugin_pagertree_alerts_queued_total{origin="post",route="default"} 4`,
		`mattermost_plugin_pagertree_alerts_delivered_total{origin="post",route="default"} 3`,
		`mattermost_plugin_pagertree_alerts_failed_total{reason="token_rejected",route="default"} 1`,
		`mattermost_plugin_pagertree_pagertree_answers_total{class="delivered",status="200"} 3`,
		`mattermost_plugin_pagertree_pagertree_answers_total{class="permanent",status="403"} 1`,
		`mattermost_plugin_pagertree_delivery_attempts_total 4`,
		`mattermost_plugin_pagertree_post_to_pagertree_seconds_count 3`,
		// Every alert from a post had its first request written, the refused one too.
		`mattermost_plugin_pagertree_presend_seconds_count 4`,
		`mattermost_plugin_pagertree_queue_depth 0`,
	} {
		assert.Contains(t, out, line+"\n")
	}
	assert.NotContains(t, out, "go_memstats_alloc_bytes{", "the plugin's registry, not the global one")
}

// The support data of a configured plugin, as the hook returns it: no token, no endpoint path,
// no message text.
func TestGenerateSupportDataOfAConfiguredPlugin(t *testing.T) {
	const path = "/integration/int_Qm7secretpath"
	pt, env := standInAndEnv(t, func(s *settings) { s.EndpointURL += path })
	env.api.On("GetPluginConfig").Return(map[string]any{
		"enabled": true, "endpointurl": pt.srv.URL + path, "token": token, "triggerwords": "outage, sev-1, db down", "format": "mattermost",
	})
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "outage: the payments db is on fire"))
	receive(t, env.fb.reactions, "reaction")
	pt.setStatus(http.StatusNotFound)
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "sev-1 checkout broken for card users"))
	receive(t, env.fb.ephemerals, "failure notice")

	files, err := env.p.GenerateSupportData(nil)
	require.NoError(t, err)
	require.Len(t, files, 1)
	out := string(files[0].Body)
	t.Logf("%s:\n%s", files[0].Filename, out) // what an admin would find in the packet (go test -v)
	assert.Equal(t, "pagertree/diagnostics.json", files[0].Filename)
	for _, secret := range []string{token, "int_Qm7secretpath", "integration/", "payments db", "checkout broken", "alice"} {
		assert.NotContains(t, out, secret)
	}
	var d supportData
	require.NoError(t, json.Unmarshal(files[0].Body, &d))
	assert.Equal(t, manifest.Version, d.Version)
	assert.Equal(t, redactedSet, d.Settings["Token"])
	assert.Equal(t, strings.TrimSuffix(pt.srv.URL, "/")+redactedPath, d.Settings["EndpointURL"])
	require.Len(t, d.LastOutcomes, 2)
	require.NotNil(t, d.LastError)
	assert.Equal(t, 404, d.LastError.StatusCode)
	assert.Equal(t, 0, d.Queue.Depth)
}

// A 403 (wrong token), the admin fixes the token and resends: delivered once, marked as a
// resend in the history and in the thread's reply; a second resend is refused.
func TestResendAfterFixingAWrongToken(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.Token = "wrong-token" })
	post := userPost(publicID, "db down in eu")
	env.p.MessageHasBeenPosted(nil, post)
	notice := receive(t, env.fb.ephemerals, "failure notice")
	assert.Contains(t, notice.Message, "a System Admin can resend it")
	assert.Contains(t, notice.Message, "`/pagertree resend "+post.Id+"`")

	// Not an admin: refused.
	res, _ := env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: aliceID, Command: "/pagertree resend " + post.Id})
	assert.Contains(t, res.Text, "Only System Admins")

	fixed := baseSettings(pt.srv.URL)
	env.p.config.Store(buildConfig(fixed, env.p.userAgent(), testGuard)) // the admin saved the right token

	body, _ := json.Marshal(resendRequest{AlertID: post.Id})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/resend", bytes.NewReader(body))
	req.Header.Set("Mattermost-User-ID", adminID)
	env.p.ServeHTTP(nil, rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var got resendResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	assert.True(t, got.Queued)
	assert.Contains(t, got.Message, "queued again")

	receive(t, env.fb.reactions, "reaction")
	// The status card (the two-way loop's) and the resend's own reply, in the post's thread.
	var resent *model.Post
	for resent == nil {
		if reply := receive(t, env.fb.posts, "reply"); strings.Contains(reply.Message, "resent") {
			resent = reply
		}
	}
	assert.Equal(t, post.Id, resent.RootId)
	assert.Contains(t, resent.Message, "after a System Admin resent the alert (resend 1)")
	entries, err := env.p.history.Recent(5)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusDelivered, entries[0].Status)
	require.NotNil(t, entries[0].Resent)
	assert.Equal(t, adminID, entries[0].Resent.By)
	assert.Equal(t, 2, pt.count(), "one refused request, one accepted")

	res, _ = env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: adminID, Command: "/pagertree resend " + post.Id})
	assert.Contains(t, res.Text, "was delivered; there is nothing to resend")
	res, _ = env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: adminID, Command: "/pagertree resend failed since 1h"})
	assert.Contains(t, res.Text, "No alert failed in the last 1h0m0s")
	env.quiesce(t)
	assert.Equal(t, 2, pt.count())
}

func TestResendCommandInput(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	for cmd, want := range map[string]string{
		"/pagertree resend":                   "Usage: `/pagertree resend <alert id>`",
		"/pagertree resend a b":               "Usage:",
		"/pagertree resend failed since soon": "`soon` is not a duration.",
		"/pagertree resend failed since 2d":   "No alert failed in the last 48h0m0s",
		"/pagertree resend nosuchalert":       "no alert with that id is kept",
	} {
		res, _ := env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: adminID, Command: cmd})
		assert.Contains(t, res.Text, want, cmd)
	}
}
