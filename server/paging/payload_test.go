package paging

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sampleAlert() Alert {
	return Alert{
		ID: "p7bq5kxj1tgz8rmd3y4wnfhe6a", PostID: "p7bq5kxj1tgz8rmd3y4wnfhe6a", ChannelID: "c1hjw9nd3fbr7xq5ks8mtp2y4e",
		ChannelName: "ops", TeamID: "t9xk3m2d7qbn5wrj8fy4hcs6pa", TeamName: "acme", UserID: "u4nd8w2k5rjx7fq3mb9ty6hs1c",
		UserName: "alice", CreateAt: 1764240000123, Message: "checkout is slow, outage in eu\nsee dashboards",
		Trigger: "outage", Urgency: UrgencyHigh, UrgencySource: SourceWord, FileIDs: []string{"f1", "f2"},
		Permalink: "https://chat.example.com/acme/pl/p7bq5kxj1tgz8rmd3y4wnfhe6a",
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path) //nolint:gosec // a golden file under testdata
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(got) {
		t.Fatalf("%s differs:\n got %s\nwant %s", name, got, want)
	}
}

func TestMattermostPayloadGolden(t *testing.T) {
	body, err := BuildMattermost(sampleAlert(), "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "mattermost.json", body)
	// Types matter: timestamp is an integer of milliseconds, file_ids a string.
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if ts, ok := raw["timestamp"].(float64); !ok || ts != 1764240000123 {
		t.Fatalf("timestamp = %#v", raw["timestamp"])
	}
	if raw["file_ids"] != "f1,f2" {
		t.Fatalf("file_ids = %#v", raw["file_ids"])
	}
	if len(raw) != 12 {
		t.Fatalf("the Mattermost format has 12 fields, got %d: %v", len(raw), raw)
	}
	// "slow" would read as low in PagerTree: our high needs the prefix.
	if raw["text"] != "[high] checkout is slow, outage in eu\nsee dashboards" {
		t.Fatalf("text = %q", raw["text"])
	}
}

func TestWebhookPayloadGolden(t *testing.T) {
	body, err := BuildWebhook(sampleAlert())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "webhook.json", body)
	a := sampleAlert()
	a.Urgency = UrgencyDefault
	a.TeamName = ""
	body, _ = BuildWebhook(a)
	var raw map[string]any
	_ = json.Unmarshal(body, &raw)
	if _, ok := raw["Urgency"]; ok {
		t.Fatal("with the PagerTree default there must be no Urgency field")
	}
	if tags := raw["Tags"].([]any); len(tags) != 2 {
		t.Fatalf("empty tags must be left out: %v", tags)
	}
}

func TestPrefixRule(t *testing.T) {
	cases := []struct {
		text string
		u    Urgency
		want string
	}{
		{"outage, critical", UrgencyCritical, "outage, critical"},                      // PagerTree reads critical too
		{"db slow, outage", UrgencyHigh, "[high] db slow, outage"},                     // would read low
		{"outage", UrgencyMedium, "[medium] outage"},                                   // would read nothing
		{"the db is slow", UrgencyDefault, "the db is slow"},                           // default: no prefix can express it
		{"highway outage urgency:low", UrgencyLow, "[low] highway outage urgency:low"}, // first match is "high"
		{"Critical outage", UrgencyCritical, "Critical outage"},
	}
	for _, c := range cases {
		got := TextForPagerTree(c.text, c.u)
		if got != c.want {
			t.Errorf("TextForPagerTree(%q, %s) = %q, want %q", c.text, c.u, got, c.want)
		}
		if c.u != UrgencyDefault && PagerTreeReading(got) != c.u {
			t.Errorf("PagerTree would read %q from %q, want %s", PagerTreeReading(got), got, c.u)
		}
	}
}

func TestTitle(t *testing.T) {
	long := ""
	for i := 0; i < 30; i++ {
		long += "word "
	}
	cases := map[string]string{
		"first line\nsecond":    "first line",
		"\n\n  spaced  \nx":     "spaced",
		"":                      "Alert from Mattermost",
		long:                    long[:TitleMaxRunes-1] + "…",
		"ünïcødé " + long[:120]: "",
	}
	for in, want := range cases {
		got := Title(in)
		if want != "" && got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
		if n := len([]rune(got)); n > TitleMaxRunes {
			t.Errorf("Title(%q) has %d runes", in, n)
		}
	}
}

func TestThreadRoot(t *testing.T) {
	cases := []struct {
		alert Alert
		want  string
	}{
		{Alert{PostID: "p", Origin: OriginPost}, "p"},                 // a root post starts its thread
		{Alert{PostID: "p", RootID: "r", Origin: OriginPost}, "r"},    // a reply belongs in its thread
		{Alert{PostID: "a", Origin: OriginCommand}, ""},               // /pagertree alert in the channel
		{Alert{PostID: "a", RootID: "r", Origin: OriginCommand}, "r"}, // /pagertree alert in a thread
		{Alert{PostID: "t", Origin: OriginTest}, ""},
	}
	for _, c := range cases {
		if got := c.alert.ThreadRoot(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.alert, got, c.want)
		}
	}
}
