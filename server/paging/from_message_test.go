package paging

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPageFromMessagePayloads(t *testing.T) {
	a := Alert{
		ID: "new", PostID: "post1", ChannelID: "ch", ChannelName: "ops", TeamName: "acme", UserName: "alice", Author: "bob",
		Message: "disk full on db-3\nsee graph", Trigger: MessageTrigger, Urgency: UrgencyHigh, Origin: OriginMessage,
		Permalink: "https://chat.example.com/acme/pl/post1",
	}
	for _, c := range []struct {
		title, note, headline, desc string
	}{
		{"", "", "disk full on db-3", "Message from @bob:\ndisk full on db-3\nsee graph\n\n---\nPaged by @alice from a message in ~ops (team acme)\nhttps://chat.example.com/acme/pl/post1"},
		{"DB-3 disk", "on it", "DB-3 disk", "Note from @alice: on it\n\nMessage from @bob:\ndisk full on db-3\nsee graph\n\n---\nPaged by @alice from a message in ~ops (team acme)\nhttps://chat.example.com/acme/pl/post1"},
	} {
		a.Title, a.Note = c.title, c.note
		raw, _ := BuildWebhook(a)
		var w WebhookPayload
		_ = json.Unmarshal(raw, &w)
		if w.Title != c.headline || w.Description != c.desc || w.ID != "new" {
			t.Fatalf("webhook %+v", w)
		}
		raw, _ = BuildMattermost(a, "tok")
		var m MattermostPayload
		_ = json.Unmarshal(raw, &m)
		if m.Text != "[high] "+c.headline+"\n\n"+c.desc || m.PostID != "post1" || m.UserName != "alice" {
			t.Fatalf("mattermost %+v", m)
		}
	}
	if a.ThreadRoot() != "post1" {
		t.Fatal("a root message's page belongs in its own thread")
	}
	a.RootID = "root"
	if a.ThreadRoot() != "root" {
		t.Fatal("a reply's page belongs in its thread")
	}
	if got := CutRunes(strings.Repeat("é", 10), 5); got != "éééé…" {
		t.Fatal(got)
	}
}
