package followup

import (
	"context"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

const (
	outsider  = "outsideroutsideroutsiderou"
	alicePost = "alicepostalicepostaliceppp"
)

// TestForgedPressesAreRefused: the post must be the bot's card of that alert, readable by the
// user, and the action one the card offers. Nothing reaches PagerTree for any of them; the
// genuine press does, and the card queue draws the card once with its outcome. (Only the
// server-set user header counts: the route refuses a press without it, see the plugin's tests.)
func TestForgedPressesAreRefused(t *testing.T) {
	st := newStandIn(t)
	env := newTestService(t, st.testConfig(paging.FormatWebhook, nil), nil, nil)
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatWebhook)
	cs.addProp(CardProp, tp)
	env.api.On("GetPost", alicePost).Return(&model.Post{Id: alicePost, UserId: aliceID, ChannelId: publicID}, nil)
	env.api.On("HasPermissionToChannel", outsider, publicID, model.PermissionReadChannel).Return(false)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	pressed := func(action, alert string) map[string]any { return map[string]any{"action": action, "alert": alert} }
	ctx := context.Background()

	for _, c := range []struct {
		name, user, post string
		context          map[string]any
		want             string
	}{
		{"not a post id", aliceID, "nope", pressed("acknowledge", tp), "not a PagerTree status card"},
		{"someone's post", aliceID, alicePost, pressed("acknowledge", tp), "not a PagerTree status card"},
		{"cannot read the channel", outsider, cardID, pressed("acknowledge", tp), "channel you cannot read"},
		{"another alert's id", aliceID, cardID, pressed("acknowledge", "someotheralert"), "does not match the alert"},
		{"an action the card does not offer", aliceID, cardID, pressed("reject", tp), "not something the PagerTree card offers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if text := env.s.PressCard(ctx, c.user, c.post, c.context); !strings.Contains(text, c.want) {
				t.Fatalf("%q", text)
			}
		})
	}
	if n := len(st.integrationBodies()); n != 0 {
		t.Fatalf("a forged press reached PagerTree: %d requests", n)
	}
	empty(t, cs.versions, "a card drawn for a forged press")

	text := env.s.PressCard(ctx, aliceID, cardID, pressed("acknowledge", tp))
	if !strings.Contains(text, "Asked PagerTree to acknowledge") {
		t.Fatalf("genuine press: %q", text)
	}
	card := receive(t, cs.versions, "the card after the press")
	_, fields := cardFields(card)
	if fields["From Mattermost"] != "Acknowledging… (@alice)" || card.GetProp(CardProp) != tp {
		t.Fatalf("card after the press: %v", fields)
	}
	if atts := card.GetProp("attachments").([]*model.SlackAttachment); len(atts[0].Actions) != 0 {
		t.Fatalf("buttons while acknowledging: %+v", atts[0].Actions)
	}
	bodies := st.integrationBodies()
	if len(bodies) != 1 || bodies[0] != `{"event_type":"acknowledge","Id":"`+tp+`"}` {
		t.Fatalf("PagerTree got %v", bodies)
	}
	if again := env.s.PressCard(ctx, aliceID, cardID, pressed("resolve", tp)); !strings.Contains(again, "@alice already asked") {
		t.Fatalf("double press: %q", again)
	}
	env.quiesce(t)
	empty(t, cs.versions, "a second drawing of the card for one press")
}

// TestCardButtonsFollowTheRoute: the Mattermost format without an API key has no route, so no
// buttons and a press says why; the Webhook format to the configured endpoint has them.
func TestCardButtonsFollowTheRoute(t *testing.T) {
	st := newStandIn(t)
	env := newTestService(t, st.testConfig(paging.FormatMattermost, nil), nil, nil) // Mattermost format, no API key
	tp := env.sentAlert(t, paging.FormatMattermost)
	rec, _, _ := env.s.Record(tp)
	if b := env.s.buttonsFor(rec); b.URL != "" {
		t.Fatalf("buttons without a route: %+v", b)
	}
	hook := newTestService(t, st.testConfig(paging.FormatWebhook, nil), nil, nil)
	tp = hook.sentAlert(t, paging.FormatWebhook)
	rec, _, _ = hook.s.Record(tp)
	if b := hook.s.buttonsFor(rec); b.URL != "/plugins/pagertree/api/v1/actions/card" || b.Alert != tp {
		t.Fatalf("buttons: %+v", b)
	}
	rec.EndpointFP = "fingerprint-of-an-endpoint-no-longer-used"
	if b := hook.s.buttonsFor(rec); b.URL != "" {
		t.Fatalf("buttons for an alert sent to another endpoint: %+v", b)
	}
}

// TestPressBeforeTheCardIsRecorded: the card post exists a moment before its id is stored; a
// press then is checked against the alert's thread (only the plugin can post its card there),
// at once: the handler does not wait for the record.
func TestPressBeforeTheCardIsRecorded(t *testing.T) {
	st := newStandIn(t)
	env := newTestService(t, st.testConfig(paging.FormatWebhook, nil), nil, nil)
	cs := env.withCard(t)
	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", RootID: "root", ChannelID: publicID, Origin: paging.OriginPost}
	if _, err := env.s.records.remember(a, paging.FormatWebhook, "pt.example", ""); err != nil {
		t.Fatal(err)
	}
	tp := paging.ThirdPartyID(a, paging.FormatWebhook)
	cs.addProp(CardProp, tp)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	text := env.s.PressCard(context.Background(), aliceID, cardID, map[string]any{"action": "resolve", "alert": tp})
	if !strings.Contains(text, "Asked PagerTree to resolve") || len(st.integrationBodies()) != 1 {
		t.Fatalf("%q, %d requests", text, len(st.integrationBodies()))
	}
}

// TestPressFromCommand: /pagertree ack|resolve names the alert by number, link or thread and
// takes the buttons' path; what it cannot find is said with the usage.
func TestPressFromCommand(t *testing.T) {
	st := newStandIn(t)
	env := newTestService(t, st.testConfig(paging.FormatWebhook, nil), nil, nil)
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatWebhook)
	cs.addProp(CardProp, tp)
	ctx := context.Background()
	if text, usage := env.s.PressFromCommand(ctx, aliceID, AlertRef{By: ByNumber, Value: "9"}, alertstate.Acknowledge); !usage || !strings.Contains(text, "no record of that alert") {
		t.Fatalf("unknown number: %q %v", text, usage)
	}
	if text, usage := env.s.PressFromCommand(ctx, aliceID, AlertRef{By: ByThread}, alertstate.Acknowledge); !usage || !strings.Contains(text, "Name the alert") {
		t.Fatalf("no thread: %q %v", text, usage)
	}
	env.event(t, `{"type":"alert.open","data":{"id":"alt_9","tinyId":9,"thirdparty_id":"`+tp+`"}}`)
	receive(t, cs.versions, "the card with its number")

	env.api.On("HasPermissionToChannel", outsider, publicID, model.PermissionReadChannel).Return(false)
	env.api.On("GetPost", "root").Return(&model.Post{Id: "root", ChannelId: publicID}, nil)
	env.api.On("GetPost", "nosuchroot").Return(nil, model.NewAppError("GetPost", "nf", nil, "", 404))
	// Issue 21 finding 4: an alert in a channel the user cannot read is answered exactly like
	// an unknown one, by number, link and thread root; nothing of the thread is read.
	for _, c := range []struct {
		name              string
		known, unreadable AlertRef
	}{
		{"number", AlertRef{By: ByNumber, Value: "8"}, AlertRef{By: ByNumber, Value: "9"}},
		{"link", AlertRef{By: ByAlertID, Value: "alt_8"}, AlertRef{By: ByAlertID, Value: "alt_9"}},
		{"thread root", AlertRef{By: ByThread, Value: "nosuchroot"}, AlertRef{By: ByThread, Value: "root"}},
	} {
		unknownText, unknownUsage := env.s.PressFromCommand(ctx, outsider, c.known, alertstate.Acknowledge)
		text, usage := env.s.PressFromCommand(ctx, outsider, c.unreadable, alertstate.Acknowledge)
		if text != unknownText || usage != unknownUsage || strings.Contains(text, "cannot read") {
			t.Fatalf("%s: unreadable %q %v, unknown %q %v", c.name, text, usage, unknownText, unknownUsage)
		}
	}
	env.api.AssertNotCalled(t, "GetPostThread", "root")
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	if text, usage := env.s.PressFromCommand(ctx, aliceID, AlertRef{By: ByNumber, Value: "9"}, alertstate.Acknowledge); usage || !strings.Contains(text, "Asked PagerTree to acknowledge") {
		t.Fatalf("by number: %q %v", text, usage)
	}
	if bodies := st.integrationBodies(); len(bodies) != 1 || !strings.Contains(bodies[0], `"event_type":"acknowledge"`) {
		t.Fatalf("PagerTree got %v", bodies)
	}
	if text, _ := env.s.PressFromCommand(ctx, aliceID, AlertRef{By: ByAlertID, Value: "alt_9"}, alertstate.Resolve); !strings.Contains(text, "@alice already asked") {
		t.Fatalf("by link, while the acknowledge is on its way: %q", text)
	}
	thread := &model.PostList{Posts: map[string]*model.Post{}}
	card := &model.Post{Id: cardID, UserId: botID}
	card.AddProp(CardProp, tp)
	thread.Posts[cardID] = card
	thread.Posts["other"] = &model.Post{Id: "other", UserId: aliceID}
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	env.api.On("GetPostThread", "root").Return(thread, nil).Once()
	if text, _ := env.s.PressFromCommand(ctx, aliceID, AlertRef{By: ByThread, Value: "root"}, alertstate.Resolve); !strings.Contains(text, "@alice already asked") {
		t.Fatalf("by thread: %q", text)
	}
}
