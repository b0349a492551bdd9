package main

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

const externalCreated = `{"type":"alert.created","data":{"id":"alt_ext","tinyId":31,"thirdparty_id":"nagios-77","status":"open",` +
	`"urgency":"high","title":"Disk full on db1","description":"98% used"}}`

func TestAlertFromAnotherSourceGetsACardInTheConfiguredChannel(t *testing.T) {
	_, env := standInAndEnv(t, func(s *settings) { s.ExternalAlertsChannel = privateID })
	auth := env.basicAuth(t, "")
	if got := result(t, env.event(t, auth, "application/json", externalCreated)); got != "applied" {
		t.Fatalf("result %q", got)
	}
	card := receive(t, env.fb.posts, "the card")
	atts := card.GetProp("attachments").([]*model.SlackAttachment)
	if card.ChannelId != privateID || card.RootId != "" || card.Message != "PagerTree alert: Disk full on db1" ||
		atts[0].Title != "PagerTree alert #31" || atts[0].Text != "Disk full on db1\n98% used" {
		t.Fatalf("card %+v %+v", card, atts[0])
	}
	var rec = func() (r struct{ card, root string }) {
		got, _, _ := env.p.alerts.Get("pt.alt_ext")
		return struct{ card, root string }{got.CardPostID, got.RootID}
	}
	eventually(t, "the card is the thread's root", func() bool { r := rec(); return r.card != "" && r.root == r.card })
	// The same created event again (a retry, another node): nothing new.
	if got := result(t, env.event(t, auth, "application/json", externalCreated)); got != "unchanged" {
		t.Fatalf("repeat %q", got)
	}

	// Later events carry the other source's thirdparty id: they follow the same card.
	cardPost := rec().card
	stored := card.Clone()
	stored.Id = cardPost
	env.api.On("GetPost", cardPost).Return(stored, nil).Maybe()
	updates := make(chan *model.Post, 4)
	env.api.On("UpdatePost", mock.Anything).Run(func(a mock.Arguments) { updates <- a.Get(0).(*model.Post) }).
		Return(func(p *model.Post) *model.Post { return p }, nil).Maybe()
	env.api.On("GetUserByEmail", mock.Anything).Return(nil, model.NewAppError("GetUserByEmail", "nf", nil, "", 404)).Maybe()
	env.api.On("GetUserByUsername", mock.Anything).Return(nil, model.NewAppError("GetUserByUsername", "nf", nil, "", 404)).Maybe()
	ack := `{"type":"alert.acknowledged","data":{"id":"alt_ext","thirdparty_id":"nagios-77","acknowledgedby":{"id":"usr_1","name":"Bob"}}}`
	if got := result(t, env.event(t, auth, "application/json", ack)); got != "applied" {
		t.Fatalf("ack %q", got)
	}
	updated := receive(t, updates, "card update")
	if color, fields := cardFields(updated); color != alertstate.ColorAcknowledged || fields["Acknowledged by"] != "Bob" {
		t.Fatalf("card %s %v", color, fields)
	}
	reply := receive(t, env.fb.posts, "thread reply")
	if reply.RootId != cardPost || reply.ChannelId != privateID {
		t.Fatalf("reply %+v", reply)
	}
	env.quiesce(t)
	empty(t, env.fb.posts, "a second card or reply")
}

func TestMattermostChannelSetvalChoosesTheChannel(t *testing.T) {
	cases := []struct {
		name, setval, want string
		setup              func(e *testEnv)
	}{
		{"a name in the configured channel's team", "secret-ops", privateID, func(e *testEnv) {
			e.api.On("GetChannelByName", teamID, "secret-ops", false).Return(&model.Channel{Id: privateID, Type: model.ChannelTypePrivate}, nil).Once()
		}},
		{"team/channel", "acme/~secret-ops", privateID, func(e *testEnv) {
			e.api.On("GetChannelByNameForTeamName", "acme", "secret-ops", false).Return(&model.Channel{Id: privateID, Type: model.ChannelTypePrivate}, nil).Once()
		}},
		{"an id", privateID, privateID, nil},
		{"a direct message is refused: the configured channel", dmID, publicID, func(e *testEnv) {
			e.api.On("LogWarn", mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
		}},
		{"unknown name: the configured channel", "nope", publicID, func(e *testEnv) {
			e.api.On("GetChannelByName", teamID, "nope", false).Return(nil, model.NewAppError("GetChannelByName", "nf", nil, "", 404)).Once()
			e.api.On("LogWarn", mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, env := standInAndEnv(t, func(s *settings) { s.ExternalAlertsChannel = publicID })
			if c.setup != nil {
				c.setup(env)
			}
			body := `{"type":"alert.created","mattermost_channel":"` + c.setval + `","data":{"id":"alt_s","title":"From a rule"}}`
			if got := result(t, env.event(t, env.basicAuth(t, ""), "application/json", body)); got != "applied" {
				t.Fatalf("result %q", got)
			}
			if card := receive(t, env.fb.posts, "card"); card.ChannelId != c.want {
				t.Fatalf("posted in %s, want %s", card.ChannelId, c.want)
			}
		})
	}
}

func TestAlertFromAnotherSourceIgnoredWithoutAChannel(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	if got := result(t, env.event(t, env.basicAuth(t, ""), "application/json", externalCreated)); got != "ignored" {
		t.Fatalf("result %q", got)
	}
	env.quiesce(t)
	empty(t, env.fb.posts, "post")
}
