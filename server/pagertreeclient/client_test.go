package pagertreeclient

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func alert() paging.Alert {
	return paging.Alert{ID: "post1", PostID: "post1", ChannelName: "ops", TeamName: "acme", UserName: "alice", Message: "outage", Trigger: "outage", Urgency: paging.UrgencyHigh}
}

func TestSendHeadersAndBodies(t *testing.T) {
	var got *http.Request
	var body map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body = map[string]any{}
		_ = json.NewDecoder(r.Body).Decode(&body)
	}))
	defer srv.Close()

	o := New(srv.URL+"/int", "tok", paging.FormatMattermost, time.Second, "ua/1", nil).Send(context.Background(), alert())
	if o.Class != paging.Delivered || o.StatusCode != 200 {
		t.Fatalf("%+v", o)
	}
	if got.Method != http.MethodPost || got.URL.Path != "/int" || got.Header.Get("Content-Type") != "application/json" || got.Header.Get("User-Agent") != "ua/1" {
		t.Fatalf("request %s %s %v", got.Method, got.URL, got.Header)
	}
	if got.Header.Get("pagertree-token") != "" || body["token"] != "tok" {
		t.Fatal("the Mattermost format carries the token in the body only")
	}

	New(srv.URL, "tok", paging.FormatWebhook, time.Second, "ua/1", nil).Send(context.Background(), alert())
	if got.Header.Get("pagertree-token") != "tok" || body["token"] != nil || body["Id"] != "post1" {
		t.Fatalf("webhook format: header %q body %v", got.Header.Get("pagertree-token"), body)
	}
	New(srv.URL, "", paging.FormatWebhook, time.Second, "", nil).Send(context.Background(), alert())
	if _, ok := got.Header["Pagertree-Token"]; ok {
		t.Fatal("no token: no header")
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	o := New(srv.URL, "", paging.FormatMattermost, time.Second, "", nil).Send(context.Background(), alert())
	if o.Class != paging.Permanent || o.StatusCode != 302 || hits != 1 {
		t.Fatalf("%+v after %d hits", o, hits)
	}
}

func TestTimeoutAndRefusedAreTransientWithoutTheURL(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	o := New(srv.URL+"/int_secret_id", "", paging.FormatMattermost, 100*time.Millisecond, "", nil).Send(context.Background(), alert())
	if o.Class != paging.Transient || !strings.Contains(o.Meaning, "in time") || strings.Contains(o.Error, "int_secret_id") {
		t.Fatalf("%+v", o)
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	_ = ln.Close()
	o = New("http://"+addr+"/int_secret_id", "", paging.FormatMattermost, time.Second, "", nil).Send(context.Background(), alert())
	if o.Class != paging.Transient || !strings.Contains(o.Meaning, "connect") || strings.Contains(o.Error, "int_secret_id") {
		t.Fatalf("%+v", o)
	}
}

func TestInvalidEndpointIsPermanent(t *testing.T) {
	o := New("http://[::1/int_secret_id", "", paging.FormatMattermost, time.Second, "", nil).Send(context.Background(), alert())
	if o.Class != paging.Permanent || o.Class.WillRetry() || !strings.Contains(o.Meaning, "not valid") {
		t.Fatalf("%+v", o)
	}
}
