package pagertreeclient

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// fakeAPI is a PagerTree REST API answering canned bodies per "METHOD path" and recording requests.
type fakeAPI struct {
	t       *testing.T
	srvURL  string
	answers map[string]fakeAnswer
	got     []*http.Request
	bodies  []string
}

type fakeAnswer struct {
	status int
	body   string
	header map[string]string
}

func newFakeAPI(t *testing.T, answers map[string]fakeAnswer) (*fakeAPI, *API) {
	f := &fakeAPI{t: t, answers: answers}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.got = append(f.got, r)
		f.bodies = append(f.bodies, string(b))
		a, ok := f.answers[r.Method+" "+r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"message":"Not found"}],"code":404}`))
			return
		}
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	f.srvURL = srv.URL
	return f, NewAPI(srv.URL+"/", "key_secret", time.Second, "ua/1", nil)
}

func TestAPIRequestsCarryTheKeyAndDocumentedShapes(t *testing.T) {
	f, api := newFakeAPI(t, map[string]fakeAnswer{
		"GET /api/v4/alerts":                      {200, `{"data":[{"id":"01ALERT","prefix_id":"alt_1","tiny_id":42,"status":"open","thirdparty_id":"post1"}],"has_more":false,"total_count":1}`, nil},
		"POST /api/v4/alerts/01ALERT/acknowledge": {200, `{"id":"01ALERT","status":"acknowledged"}`, nil},
		"POST /api/v4/alerts/01ALERT/resolve":     {200, `{}`, nil},
		"POST /api/v4/alerts/01ALERT/comments":    {201, `{"id":"c1"}`, nil},
	})
	ctx := context.Background()
	a, err := api.FindAlert(ctx, "ch1.1700000000000")
	if err != nil || a.ID != "01ALERT" || a.TinyID != 42 || a.Status != "open" || a.PrefixID != "alt_1" {
		t.Fatalf("%+v %v", a, err)
	}
	q := f.got[0].URL.Query()
	if q.Get("thirdparty_id") != "ch1.1700000000000" || q.Get("limit") != "1" || q.Get("sort") != "created_at" || q.Get("direction") != "desc" {
		t.Fatalf("query %v", q)
	}
	if err := api.Acknowledge(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := api.Resolve(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Comment(ctx, a.ID, `Acknowledged from Mattermost by @alice "quoted"`); err != nil {
		t.Fatal(err)
	}
	for i, r := range f.got {
		if r.Header.Get("Authorization") != "Bearer key_secret" || r.Header.Get("Accept") != "application/json" || r.Header.Get("User-Agent") != "ua/1" {
			t.Fatalf("request %d headers %v", i, r.Header)
		}
	}
	if f.bodies[1] != "" || f.bodies[2] != "" {
		t.Fatalf("acknowledge/resolve have no body: %q %q", f.bodies[1], f.bodies[2])
	}
	var c map[string]string
	if json.Unmarshal([]byte(f.bodies[3]), &c) != nil || c["body"] != `Acknowledged from Mattermost by @alice "quoted"` || f.got[3].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("comment body %q", f.bodies[3])
	}
}

func TestAPIErrorsAreTypedWithASentence(t *testing.T) {
	cases := []struct {
		name      string
		answer    fakeAnswer
		kind      ErrorKind
		retryable bool
		retry     time.Duration
		sentence  string
	}{
		{"bad key", fakeAnswer{401, `{"errors":[{"message":"Unauthorized"}],"code":401}`, nil}, KindBadKey, false, 0, "rejected the API key"},
		{"forbidden", fakeAnswer{403, `{"errors":[{"message":"not a team admin"}],"code":403}`, nil}, KindForbidden, false, 0, "not a team admin"},
		{"not found", fakeAnswer{404, `{"errors":[{"message":"Record not found"}],"code":404}`, nil}, KindNotFound, false, 0, "could not find"},
		{"wrong state", fakeAnswer{422, `{"errors":[{"message":"Alert must be open"}],"code":422}`, nil}, KindNotAllowed, false, 0, "Alert must be open"},
		{"rate limited", fakeAnswer{429, `{}`, map[string]string{"Retry-After": "7"}}, KindRateLimited, true, 7 * time.Second, "try again in 7s"},
		{"rate limited, absurd wait", fakeAnswer{429, ``, map[string]string{"Retry-After": "999999"}}, KindRateLimited, true, time.Hour, "rate limiting"},
		{"server error", fakeAnswer{502, `<html>bad gateway</html>`, nil}, KindTransient, true, 0, "HTTP 502"},
		{"odd status", fakeAnswer{418, `{"error":"teapot"}`, nil}, KindRejected, false, 0, "teapot"},
		{"2xx of the wrong shape", fakeAnswer{200, `[1,2]`, nil}, KindBadAnswer, false, 0, "unexpected shape"},
		{"empty list", fakeAnswer{200, `{"data":[],"has_more":false,"total_count":0}`, nil}, KindNotFound, false, 0, "could not find"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, api := newFakeAPI(t, map[string]fakeAnswer{"GET /api/v4/alerts": tc.answer})
			_, err := api.FindAlert(context.Background(), "x")
			ae, ok := err.(*APIError)
			if !ok {
				t.Fatalf("%T %v", err, err)
			}
			if ae.Kind != tc.kind || ae.Retryable() != tc.retryable || ae.RetryAfter != tc.retry || !IsKind(err, tc.kind) {
				t.Fatalf("%+v", ae)
			}
			if s := ae.Sentence(); !strings.Contains(s, tc.sentence) || strings.Contains(s, "key_secret") || strings.Contains(ae.Error(), "key_secret") {
				t.Fatalf("sentence %q / error %q", s, ae.Error())
			}
		})
	}
}

func TestAPINetworkFailuresAreTransient(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	err := NewAPI(srv.URL, "key_secret", 100*time.Millisecond, "", nil).Acknowledge(context.Background(), "a1")
	if !IsKind(err, KindTransient) || !strings.Contains(err.(*APIError).Sentence(), "no answer in time") {
		t.Fatalf("%v / %s", err, err.(*APIError).Sentence())
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	_ = ln.Close()
	err = NewAPI("http://"+addr, "key_secret", time.Second, "", nil).Resolve(context.Background(), "a1")
	if !IsKind(err, KindTransient) || !strings.Contains(err.(*APIError).Sentence(), "refused") || strings.Contains(err.Error(), "key_secret") {
		t.Fatalf("%v", err)
	}
}

func TestAPIRedirectIsNotFollowedWithTheKey(t *testing.T) {
	hits := 0
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	defer srv.Close()
	_, _, err := NewAPI(srv.URL, "key_secret", time.Second, "", nil).Teams(context.Background())
	if !IsKind(err, KindRejected) || hits != 0 {
		t.Fatalf("%v after %d hits elsewhere", err, hits)
	}
}

func TestAPIResponseReadIsBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"data":[` + strings.Repeat(`{"id":"t","name":"x"},`, 100000) + `{"id":"t"}]}`))
	}))
	defer srv.Close()
	_, _, err := NewAPI(srv.URL, "k", time.Second, "", nil).Teams(context.Background())
	if !IsKind(err, KindBadAnswer) || !strings.Contains(err.Error(), "larger than") {
		t.Fatal(err)
	}
}

func TestAPITeamsOncallAndUsers(t *testing.T) {
	_, api := newFakeAPI(t, map[string]fakeAnswer{
		"GET /api/v4/teams":                   {200, `{"data":[{"id":"T1","name":"Devops","tiny_id":"3"},{"name":"no id"},{"id":"T2","name":"DB"}],"has_more":true,"total_count":120}`, nil},
		"GET /api/v4/teams/T1/current_oncall": {200, `[{"layer":1,"start_time":"2026-11-27T00:00:00Z","attendees":[{"attendee_id":"U1","attendee_type":"AccountUser"},{"attendee_id":"U1"}]},{"layer":2,"attendees":[{"account_user_id":"U2"}]}]`, nil},
		"GET /api/v4/teams/T2/current_oncall": {200, `{"data":[]}`, nil},
		"GET /api/v4/account_users/U1":        {200, `{"id":"U1","user":{"name":"Ada Lovelace","emails":[{"email":"ada@old.example","primary":false},{"email":"ada@example.com","primary":true}]}}`, nil},
	})
	ctx := context.Background()
	teams, more, err := api.Teams(ctx)
	if err != nil || !more || len(teams) != 2 || teams[0].Name != "Devops" || teams[0].TinyID != 3 {
		t.Fatalf("%+v %v %v", teams, more, err)
	}
	layers, err := api.CurrentOncall(ctx, "T1")
	if err != nil || len(layers) != 2 || layers[0].Layer != 1 || strings.Join(layers[0].AccountUserIDs, ",") != "U1" || layers[1].AccountUserIDs[0] != "U2" {
		t.Fatalf("%+v %v", layers, err)
	}
	if none, noneErr := api.CurrentOncall(ctx, "T2"); noneErr != nil || len(none) != 0 {
		t.Fatalf("%+v %v", none, noneErr)
	}
	u, err := api.AccountUser(ctx, "U1")
	if err != nil || u.Name != "Ada Lovelace" || u.Email() != "ada@example.com" || len(u.Emails) != 2 {
		t.Fatalf("%+v %v", u, err)
	}
	if _, err := api.AccountUser(ctx, "U9"); !IsKind(err, KindNotFound) {
		t.Fatal(err)
	}
}

func TestDecodeAlertSpellings(t *testing.T) {
	for _, body := range []string{
		`{"data":[{"id":"A","tinyId":7}]}`,
		`{"data":[{"id":"A","tiny_id":"7"}]}`,
		`{"data":[{"prefix_id":"alt_x","id":"A","tiny_id":7.0}]}`,
	} {
		a, ok, err := decodeAlertList([]byte(body))
		if err != nil || !ok || a.ID != "A" || (a.TinyID != 7 && !strings.Contains(body, "7.0")) {
			t.Fatalf("%s: %+v %v %v", body, a, ok, err)
		}
	}
	if _, _, err := decodeAlertList([]byte(`{"data":[{"title":"no id"}]}`)); err == nil {
		t.Fatal("an alert without an id is not usable")
	}
}

func TestDecodeErrorMessagesAreShortAndSingleLine(t *testing.T) {
	long := strings.Repeat("x", 500)
	got := decodeErrorMessages([]byte(`{"errors":[{"message":"a\nb"},"plain",{"message":"` + long + `"},{"message":"fourth"}],"code":422}`))
	if len(got) != 3 || got[0] != "a b" || got[1] != "plain" || len([]rune(got[2])) != maxErrorMessageRunes {
		t.Fatalf("%q", got)
	}
	if decodeErrorMessages([]byte(`not json`)) != nil || decodeErrorMessages([]byte(`{"code":500}`)) != nil {
		t.Fatal("no messages")
	}
}

func TestWebhookActBody(t *testing.T) {
	var got *http.Request
	var body map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body = map[string]any{}
		_ = json.NewDecoder(r.Body).Decode(&body)
	}))
	defer srv.Close()
	c := New(srv.URL+"/int", "tok", "webhook", time.Second, "ua/1", nil)
	for _, act := range []alertstate.Action{alertstate.Acknowledge, alertstate.Resolve} {
		o := c.Act(context.Background(), "post1", act)
		if o.Class != "delivered" || body["event_type"] != string(act) || body["Id"] != "post1" || len(body) != 2 || got.Header.Get("pagertree-token") != "tok" {
			t.Fatalf("%s: %+v %v %v", act, o, body, got.Header)
		}
	}
	if o := New(srv.URL, "", "mattermost", time.Second, "", nil).Act(context.Background(), "p", alertstate.Resolve); o.Class != "permanent" {
		t.Fatalf("the Mattermost format cannot act: %+v", o)
	}
	if o := c.Act(context.Background(), "p", "reject"); o.Class != "permanent" {
		t.Fatalf("%+v", o)
	}
}
