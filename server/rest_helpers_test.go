package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const savedKey = "ptk_test_key_123"

// fakeREST is an httptest PagerTree REST API: 401 unless the Bearer key matches, canned JSON
// bodies per path, every request recorded.
type fakeREST struct {
	srv    *httptest.Server
	mu     sync.Mutex
	paths  []string
	auths  []string
	bodies map[string]string        // path → JSON answer
	hold   map[string]chan struct{} // path → answered once the channel is closed
}

func newFakeREST(t *testing.T) *fakeREST {
	f := &fakeREST{bodies: map[string]string{
		"/api/v4/teams":                   `{"data":[{"id":"T1","name":"Devops","tiny_id":1},{"id":"T2","name":"Databases","tiny_id":2}],"has_more":false,"total_count":2}`,
		"/api/v4/teams/T1/current_oncall": `[{"layer":1,"attendees":[{"attendee_id":"U1"}]},{"layer":2,"attendees":[{"attendee_id":"U2"}]}]`,
		"/api/v4/teams/T2/current_oncall": `[]`,
		"/api/v4/account_users/U1":        `{"id":"U1","user":{"name":"Alice A","emails":[{"email":"alice@example.com","primary":true}]}}`,
		"/api/v4/account_users/U2":        `{"id":"U2","user":{"name":"Bob *Builder* @channel","emails":[{"email":"bob@elsewhere.example","primary":true}]}}`,
	}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		f.mu.Lock()
		f.paths = append(f.paths, r.URL.Path)
		f.auths = append(f.auths, r.Header.Get("Authorization"))
		body, ok := f.bodies[r.URL.Path]
		hold := f.hold[r.URL.Path]
		f.mu.Unlock()
		if hold != nil {
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("Authorization") != "Bearer "+savedKey:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":[{"message":"Unauthorized"}],"code":401}`))
		case !ok:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"message":"Not found"}],"code":404}`))
		default:
			_, _ = w.Write([]byte(body))
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeREST) requests() (paths, auths []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...), append([]string(nil), f.auths...)
}

func (f *fakeREST) saw(path string) bool {
	paths, _ := f.requests()
	for _, p := range paths {
		if strings.HasPrefix(p, path) {
			return true
		}
	}
	return false
}
