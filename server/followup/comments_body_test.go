package followup

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

func TestCommentBody(t *testing.T) {
	long := strings.Repeat("é", maxCommentRunes+50)
	cases := []struct {
		name, message string
		files         []string
		link          string
		want          string
	}{
		{"text", "  db is back  \n", nil, "", "@alice: db is back"},
		{"markdown kept as typed", "**restarted** `api`", nil, "", "@alice: **restarted** `api`"},
		{"files by name", "logs attached", []string{"api.log", "trace\n.txt"}, "", "@alice: logs attached\n(attached: api.log, trace .txt)"},
		{"files only", "", []string{"screen.png"}, "", "@alice: (attached: screen.png)"},
		{"many files counted", "x", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "", ""}, "", "@alice: x\n(attached: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more)"},
		{"long text cut with a link", long, nil, "https://mm.example/_redirect/pl/p1",
			"@alice: " + strings.Repeat("é", maxCommentRunes) + "…\n(cut; the whole message: https://mm.example/_redirect/pl/p1)"},
		{"long text cut without a Site URL", long, nil, "", "@alice: " + strings.Repeat("é", maxCommentRunes) + "…\n(cut; the whole message is in Mattermost)"},
		{"exactly at the bound is not cut", strings.Repeat("a", maxCommentRunes), nil, "x", "@alice: " + strings.Repeat("a", maxCommentRunes)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CommentBody("alice", c.message, c.files, c.link)
			if got != c.want {
				t.Fatalf("got  %q\nwant %q", got, c.want)
			}
		})
	}
	// A file name from an upload is bounded too.
	got := CommentBody("alice", "", []string{strings.Repeat("n", 500)}, "")
	if n := utf8.RuneCountInString(got); n > len("@alice: (attached: )")+maxFileNameRunes {
		t.Fatalf("a file name is not bounded: %d characters", n)
	}
	// What a job keeps is just past the bound: the body still says it was cut.
	if kept := cutStored(long); utf8.RuneCountInString(kept) != maxCommentRunes+1 || !strings.Contains(CommentBody("a", kept, nil, ""), "(cut;") {
		t.Fatal("the stored message lost the sign that it was cut")
	}
}

func TestCommentSkip(t *testing.T) {
	on := &Config{SendComments: true, Actor: pagertreeclient.Actor{API: pagertreeclient.NewAPI("http://127.0.0.1:1", "k", 0, "", nil)}}
	off := &Config{Actor: on.Actor}
	noKey := &Config{SendComments: true, APIUnavailable: "no PagerTree API key is set in the plugin settings"}
	reply := func(tweak func(*model.Post)) *model.Post {
		p := &model.Post{Id: model.NewId(), RootId: model.NewId(), UserId: aliceID, ChannelId: publicID, Message: "on it"}
		if tweak != nil {
			tweak(p)
		}
		return p
	}
	cases := []struct {
		name string
		cfg  *Config
		post *model.Post
		sent bool
	}{
		{"a person's reply", on, reply(nil), true},
		{"files only", on, reply(func(p *model.Post) { p.Message, p.FileIds = "", []string{"f1"} }), true},
		{"starting", nil, reply(nil), false},
		{"setting off", off, reply(nil), false},
		{"no API key", noKey, reply(nil), false},
		{"not in a thread", on, reply(func(p *model.Post) { p.RootId = "" }), false},
		{"system message", on, reply(func(p *model.Post) { p.Type = model.PostTypeJoinChannel }), false},
		{"the plugin's own card or reply", on, reply(func(p *model.Post) { p.UserId = botID }), false},
		{"a bot", on, reply(func(p *model.Post) { p.AddProp(model.PostPropsFromBot, "true") }), false},
		{"a webhook", on, reply(func(p *model.Post) { p.AddProp(model.PostPropsFromWebhook, "true") }), false},
		{"another plugin", on, reply(func(p *model.Post) { p.AddProp(model.PostPropsFromPlugin, "true") }), false},
		{"empty", on, reply(func(p *model.Post) { p.Message = "  \n" }), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if why := commentSkip(c.cfg, c.post, botID); (why == "") != c.sent {
				t.Fatalf("sent %v, want %v (%q)", why == "", c.sent, why)
			}
		})
	}
	if s := noKey.CommentsState(); s != "on, but paused: no PagerTree API key is set in the plugin settings" {
		t.Fatalf("state %q", s)
	}
	if s := off.CommentsState(); s != "off" {
		t.Fatalf("state %q", s)
	}
}
