package followup

import (
	"strings"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// TestAcknowledgedByNamesOnlyAVerifiedUser (issue 21 finding 3): PagerTree's person is shown
// as a Mattermost @mention only when the e-mail is a Mattermost user's verified e-mail; an
// unverified one (anyone can type it) or a matching username keeps PagerTree's name.
func TestAcknowledgedByNamesOnlyAVerifiedUser(t *testing.T) {
	for _, c := range []struct {
		name, person, want string
	}{
		{"verified e-mail", `{"id":"usr_1","name":"Alice A","email":"alice@example.com"}`, "@alice"},
		{"unverified e-mail", `{"id":"usr_2","name":"Eve E","email":"eve@example.com"}`, "Eve E"},
		{"a username proves nothing", `{"id":"usr_3","name":"Alice Look-alike","username":"alice"}`, "Alice Look-alike"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, nil), nil, nil)
			cs := env.withCard(t)
			tp := env.sentAlert(t, paging.FormatWebhook)
			body := `{"type":"alert.acknowledged","data":{"id":"alt_1","tinyId":12,"thirdparty_id":"` + tp + `","d_user":` + c.person + `}}`
			if got := env.event(t, body); got != EventApplied {
				t.Fatalf("result %q", got)
			}
			card := receive(t, cs.versions, "card update")
			color, fields := cardFields(card)
			if color != alertstate.ColorAcknowledged || fields["Acknowledged by"] != c.want {
				t.Fatalf("acknowledged by %q, want %q", fields["Acknowledged by"], c.want)
			}
			if reply := receive(t, env.posts, "thread reply"); !strings.HasSuffix(reply.Message, "by "+c.want+".") {
				t.Fatalf("reply %q", reply.Message)
			}
		})
	}
}
