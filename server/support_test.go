package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestRedactURLs(t *testing.T) {
	for in, want := range map[string]string{ //nolint:gosec // URLs made up for the test, no credentials
		"https://api.pagertree.com/integration/int_abc":                        "https://api.pagertree.com/(path redacted)",
		"https://api.pagertree.com":                                            "https://api.pagertree.com",
		"http://127.0.0.1:8080/x?token=t":                                      "http://127.0.0.1:8080/(path redacted)",
		`Post "https://u:p@h.example/int_1": dial tcp: i/o timeout`:            `Post "https://h.example/(path redacted)": dial tcp: i/o timeout`,
		"see https://h.example/a/b.":                                           "see https://h.example/(path redacted).",
		"no url here":                                                          "no url here",
		"two: https://a.example/1 and https://b.example/2?x=1#frag, then text": "two: https://a.example/(path redacted) and https://b.example/(path redacted), then text",
	} {
		assert.Equal(t, want, redactURLs(in), in)
	}
}

func TestRedactSettingsKeepsDeclaredKeysAndHidesSecrets(t *testing.T) {
	schema := []*model.PluginSetting{
		{Key: "EndpointURL"}, {Key: "Token", Secret: true}, {Key: "InboundSecret", Secret: true}, {Key: "TriggerWords"}, {Key: "Enabled"},
	}
	raw := map[string]any{
		"endpointurl": "https://api.pagertree.com/integration/int_secretpath", "token": "tok-123", "inboundsecret": "",
		"triggerwords": "outage, sev-1", "enabled": true, "undeclared": "kept out",
	}
	got := redactSettings(raw, schema)
	assert.Equal(t, map[string]any{
		"EndpointURL": "https://api.pagertree.com/(path redacted)", "Token": redactedSet, "InboundSecret": redactedUnset,
		"TriggerWords": "outage, sev-1", "Enabled": true,
	}, got)
}

// The whole file, as the hook returns it, never holds a secret, the endpoint's path or message text.
func TestSupportDataHasNoSecret(t *testing.T) {
	const (
		token    = "tok-very-secret-42"
		path     = "int_Xy7secretpath"
		endpoint = "https://api.pagertree.com/integration/" + path
		text     = "the db is down in eu-west"
	)
	schema := manifest.SettingsSchema.Settings                                // plugin.json: every secret it declares is covered
	const apiKey = "ptk-secret-api-key-77"                                    //nolint:gosec // a made-up key the output must not contain
	const routeToken, routePath = "route-tok-secret-9", "int_RouteSecretPath" //nolint:gosec // made up
	raw := map[string]any{"enabled": true, "endpointurl": endpoint, "token": token, "triggerwords": "outage", "format": "mattermost", "apikey": apiKey,
		"routes":      `[{"id":"db","name":"Database","channels":["chdbchdbchdbchdbchdbchdbch"],"endpoint_url":"https://api.pagertree.com/integration/` + routePath + `"}]`,
		"routetokens": `{"db":"` + routeToken + `"}`}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var entries []delivery.Entry
	for i := 0; i < 25; i++ {
		e := delivery.EntryFor(paging.Alert{ID: fmt.Sprintf("a%d", i), PostID: fmt.Sprintf("p%d", i), ChannelID: "c", UserName: "alice", Message: text, Trigger: "outage"}, delivery.StatusDelivered, now)
		if i == 10 {
			e.Status, e.StatusCode, e.Meaning = delivery.StatusFailed, 403, paging.Meaning(403)
			e.Error = fmt.Sprintf(`Post %q: token %s rejected (route token %s)`, endpoint, token, routeToken)
		}
		entries = append([]delivery.Entry{e}, entries...) // newest first, as History.Recent
	}
	d := buildSupportData(raw, schema, "", delivery.QueueStats{Pending: 3, OldestQueued: now.Add(-time.Minute)}, entries, now, nil)
	f, err := d.file()
	require.NoError(t, err)
	out := string(f.Body)

	assert.Equal(t, supportFile, f.Filename)
	for _, secret := range []string{token, apiKey, path, "integration/", text, "alice", routeToken, routePath} {
		assert.NotContains(t, out, secret)
	}
	assert.Len(t, d.LastOutcomes, supportOutcomes)
	assert.Equal(t, "a24", d.LastOutcomes[0].AlertID, "newest first")
	require.NotNil(t, d.LastError)
	assert.Equal(t, 403, d.LastError.StatusCode)
	assert.Equal(t, 3, d.Queue.Depth)
	assert.Equal(t, 60.0, d.Queue.OldestPendingSeconds)
	assert.Equal(t, "https://api.pagertree.com/(path redacted)", d.Settings["EndpointURL"])
	assert.Equal(t, redactedSet, d.Settings["Token"])
	assert.Contains(t, out, `"version": "`+manifest.Version+`"`)
	require.Len(t, d.Routes, 1)
	assert.Equal(t, supportRoute{ID: "db", Name: "Database", Channels: 1, Endpoint: "https://api.pagertree.com/(path redacted)", TokenSet: true}, d.Routes[0])
	assert.Equal(t, redactedSet, d.Settings["RouteTokens"])
}
