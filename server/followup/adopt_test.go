package followup

import (
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func created(id, tp string) alertstate.Event {
	return alertstate.Event{Kind: alertstate.KindCreated, AlertID: id, TinyID: "9", ThirdPartyID: tp, Title: "Disk full", Description: "98%", Key: "c-" + id}
}

func TestAdoptRecordsAnAlertFromElsewhereOnceAndLaterEventsMap(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	var wg sync.WaitGroup
	results := make([]Applied, 4)
	for i := range results { // the same created event, received four times at once (repeats, two nodes)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := s.adopt(created("alt_x", "nagios-1"), "chanX", true)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		}(i)
	}
	wg.Wait()
	work := 0
	for _, r := range results {
		if !r.Matched || r.ThirdPartyID != "pt.alt_x" {
			t.Fatalf("%+v", r)
		}
		if r.Work {
			work++
		}
	}
	if work != 1 {
		t.Fatalf("the card must be queued once, got %d", work)
	}
	rec, ok, _ := s.get("pt.alt_x")
	if !ok || !rec.External || rec.ChannelID != "chanX" || rec.RootID != "" || rec.Summary != "Disk full" || rec.Details != "98%" ||
		rec.Status.AlertID != "alt_x" || !rec.CardDirty {
		t.Fatalf("record %+v", rec)
	}
	// The card becomes the thread's root.
	if got, err := s.setCard("pt.alt_x", "card1", -1); err != nil || got.CardPostID != "card1" {
		t.Fatal(got.CardPostID, err)
	}
	rec, _, _ = s.get("pt.alt_x")
	if rec.RootID != "card1" || rec.PostID != "card1" {
		t.Fatalf("root %+v", rec)
	}
	// A later event carries the other source's thirdparty id: it maps by PagerTree's id.
	res, err := s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, AlertID: "alt_x", ThirdPartyID: "nagios-1", Key: "a"}, true)
	if err != nil || !res.Matched || !res.Changed {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestAdoptableOnlyForNewAlertsWithAnId(t *testing.T) {
	cases := []struct {
		name string
		e    alertstate.Event
		want bool
	}{
		{"created", created("alt_1", "x"), true},
		{"open", alertstate.Event{Kind: alertstate.KindOpen, AlertID: "alt_1"}, true},
		{"acknowledged", alertstate.Event{Kind: alertstate.KindAcknowledged, AlertID: "alt_1"}, false},
		{"no id", alertstate.Event{Kind: alertstate.KindCreated}, false},
		{"our test alert", created("alt_1", "test.1700000000000"), false},
	}
	for _, c := range cases {
		if got := adoptable(c.e); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
	s := newRecords(kvstoretest.New(), nil, nil)
	if res, err := s.adopt(created("alt_2", ""), "", true); err != nil || res.Matched {
		t.Fatalf("no channel: ignored, got %+v %v", res, err)
	}
}

const externalCreated = `{"type":"alert.created","data":{"id":"alt_ext","tinyId":31,"thirdparty_id":"nagios-77","status":"open",` +
	`"urgency":"high","title":"Disk full on db1","description":"98% used"}}`

func TestAlertFromAnotherSourceGetsACardInTheConfiguredChannel(t *testing.T) {
	env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, func(c *Config) { c.ExternalChannel = privateID }), nil, nil)
	if got := env.event(t, externalCreated); got != EventApplied {
		t.Fatalf("result %q", got)
	}
	card := receive(t, env.posts, "the card")
	atts := card.GetProp("attachments").([]*model.SlackAttachment)
	if card.ChannelId != privateID || card.RootId != "" || card.Message != "PagerTree alert: Disk full on db1" ||
		atts[0].Title != "PagerTree alert #31" || atts[0].Text != "Disk full on db1\n98% used" {
		t.Fatalf("card %+v %+v", card, atts[0])
	}
	var rec = func() (r struct{ card, root string }) {
		got, _, _ := env.s.Record("pt.alt_ext")
		return struct{ card, root string }{got.CardPostID, got.RootID}
	}
	eventually(t, "the card is the thread's root", func() bool { r := rec(); return r.card != "" && r.root == r.card })
	// The same created event again (a retry, another node): nothing new.
	if got := env.event(t, externalCreated); got != EventUnchanged {
		t.Fatalf("repeat %q", got)
	}

	// Later events carry the other source's thirdparty id: they follow the same card.
	cardPost := rec().card
	stored := card.Clone()
	stored.Id = cardPost
	env.api.On("GetPost", cardPost).Return(stored, nil)
	updates := make(chan *model.Post, 4)
	env.api.On("UpdatePost", mock.Anything).Run(func(a mock.Arguments) { updates <- a.Get(0).(*model.Post) }).
		Return(func(p *model.Post) *model.Post { return p }, nil)
	env.api.On("GetUserByEmail", mock.Anything).Return(nil, model.NewAppError("GetUserByEmail", "nf", nil, "", 404)).Maybe()
	ack := `{"type":"alert.acknowledged","data":{"id":"alt_ext","thirdparty_id":"nagios-77","acknowledgedby":{"id":"usr_1","name":"Bob"}}}`
	if got := env.event(t, ack); got != EventApplied {
		t.Fatalf("ack %q", got)
	}
	updated := receive(t, updates, "card update")
	if color, fields := cardFields(updated); color != alertstate.ColorAcknowledged || fields["Acknowledged by"] != "Bob" {
		t.Fatalf("card %s %v", color, fields)
	}
	reply := receive(t, env.posts, "thread reply")
	if reply.RootId != cardPost || reply.ChannelId != privateID {
		t.Fatalf("reply %+v", reply)
	}
	env.quiesce(t)
	empty(t, env.posts, "a second card or reply")
}

func TestMattermostChannelSetvalChoosesTheChannel(t *testing.T) {
	const otherTeamPrivate, otherTeamPublic = "otherprivateotherprivateot", "otherpublicotherpublicothe"
	warned := func(why string) func(api *plugintest.API) { // the fallback is told in the log, once, naming the value
		return func(api *plugintest.API) {
			api.On("LogWarn", mock.MatchedBy(func(m string) bool {
				return strings.Contains(m, "mattermost_channel "+why) && strings.Contains(m, "posted to the configured channel instead")
			}), "mattermost_channel", mock.Anything, "alert_id", "alt_s").Once()
		}
	}
	botIn := func(api *plugintest.API) {
		api.On("GetChannelMember", privateID, botID).Return(&model.ChannelMember{ChannelId: privateID, UserId: botID}, nil).Once()
	}
	botOut := func(api *plugintest.API) {
		api.On("GetChannelMember", privateID, botID).Return(nil, model.NewAppError("GetChannelMember", "nf", nil, "", 404)).Once()
		warned("names a private channel the plugin's bot is not a member of")(api)
	}
	both := func(fs ...func(*plugintest.API)) func(*plugintest.API) {
		return func(api *plugintest.API) {
			for _, f := range fs {
				f(api)
			}
		}
	}
	cases := []struct {
		name, setval, want string
		setup              func(api *plugintest.API)
	}{
		{"a private channel of the team with the bot in it, by name", "secret-ops", privateID, both(botIn, func(api *plugintest.API) {
			api.On("GetChannelByName", teamID, "secret-ops", false).Return(&model.Channel{Id: privateID, Type: model.ChannelTypePrivate, TeamId: teamID}, nil).Once()
		})},
		{"team/channel of the same team, bot in it", "acme/~secret-ops", privateID, both(botIn, func(api *plugintest.API) {
			api.On("GetChannelByNameForTeamName", "acme", "secret-ops", false).Return(&model.Channel{Id: privateID, Type: model.ChannelTypePrivate, TeamId: teamID}, nil).Once()
		})},
		{"an id of a private channel with the bot in it", privateID, privateID, botIn},
		{"a private channel without the bot: the configured channel", privateID, publicID, botOut},
		{"a private channel of another team (finance/payroll): the configured channel", "finance/payroll", publicID, func(api *plugintest.API) {
			api.On("GetChannelByNameForTeamName", "finance", "payroll", false).Return(&model.Channel{Id: otherTeamPrivate, Type: model.ChannelTypePrivate, TeamId: "financeteamfinanceteamfina"}, nil).Once()
			warned("names a channel outside the configured channel's team")(api)
		}},
		{"a public channel of another team by id: the configured channel", otherTeamPublic, publicID, func(api *plugintest.API) {
			api.On("GetChannel", otherTeamPublic).Return(&model.Channel{Id: otherTeamPublic, Type: model.ChannelTypeOpen, TeamId: "financeteamfinanceteamfina"}, nil).Once()
			warned("names a channel outside the configured channel's team")(api)
		}},
		{"a direct message is refused: the configured channel", dmID, publicID, warned("names a channel outside the configured channel's team")},
		{"unknown name: the configured channel", "nope", publicID, func(api *plugintest.API) {
			api.On("GetChannelByName", teamID, "nope", false).Return(nil, model.NewAppError("GetChannelByName", "nf", nil, "", 404)).Once()
			warned("does not name a channel")(api)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, func(cfg *Config) { cfg.ExternalChannel = publicID }), nil, c.setup)
			body := `{"type":"alert.created","mattermost_channel":"` + c.setval + `","data":{"id":"alt_s","title":"From a rule"}}`
			if got := env.event(t, body); got != EventApplied {
				t.Fatalf("result %q", got)
			}
			if card := receive(t, env.posts, "card"); card.ChannelId != c.want {
				t.Fatalf("posted in %s, want %s", card.ChannelId, c.want)
			}
			env.api.AssertExpectations(t)
		})
	}
}

func TestMattermostChannelIgnoredWithoutTheSetting(t *testing.T) {
	// Issue 21 finding 1: with the setting empty, naming a channel (even the private one the
	// bot is in) posts nothing; the event is answered "ignored".
	for _, setval := range []string{privateID, "acme/secret-ops", "secret-ops"} {
		t.Run(setval, func(t *testing.T) {
			env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, nil), nil, nil)
			body := `{"type":"alert.created","mattermost_channel":"` + setval + `","data":{"id":"alt_s","title":"From a rule"}}`
			if got := env.event(t, body); got != EventIgnored {
				t.Fatalf("result %q", got)
			}
			env.quiesce(t)
			empty(t, env.posts, "post")
			env.api.AssertNotCalled(t, "GetChannelMember", mock.Anything, mock.Anything)
		})
	}
}

func TestAlertFromAnotherSourceIgnoredWithoutAChannel(t *testing.T) {
	env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, nil), nil, nil)
	if got := env.event(t, externalCreated); got != EventIgnored {
		t.Fatalf("result %q", got)
	}
	env.quiesce(t)
	empty(t, env.posts, "post")
}
