package main

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// One rule for both saved secrets: the token and its endpoint, the API key and its API URL.
func TestSavedSecretMayGo(t *testing.T) {
	for _, c := range []struct {
		saved, target string
		mayGo         bool
	}{
		{"https://api.pagertree.com/integration/int_1", "https://api.pagertree.com/integration/int_1", true},
		{"https://api.pagertree.com/integration/int_1", "HTTPS://API.PagerTree.com/integration/int_1", true},
		{" https://api.pagertree.com/integration/int_1 ", "https://api.pagertree.com/integration/int_1/", true},
		{"https://api.pagertree.com", "https://api.pagertree.com/", true}, // the API URL as saved and as typed
		{"https://api.pagertree.com/integration/int_1", "https://api.pagertree.com/integration/INT_1", false},
		{"https://api.pagertree.com/integration/int_1", "https://api.pagertree.com/integration/int_2", false},
		{"https://api.pagertree.com/integration/int_1", "https://api.pagertree.com:8443/integration/int_1", false},
		{"https://api.pagertree.com/integration/int_1", "http://api.pagertree.com/integration/int_1", false},
		{"https://api.pagertree.com/integration/int_1", "https://evil.example/integration/int_1", false},
		{"https://api.pagertree.com/integration/int_1", "https://api.pagertree.com.evil.example/integration/int_1", false},
		{"https://api.pagertree.com/integration/int_1", "https://api.pagertree.com/integration/int_1?a=1", false},
		{"https://api.pagertree.com", "https://api.pagertree.com/v4", false},
		{"https://api.pagertree.com/x", "https://u:p@api.pagertree.com/x", false},
		{"https://u:p@api.pagertree.com/x", "https://u:p@api.pagertree.com/x", false},
		{"", "https://api.pagertree.com/x", false}, // nothing saved: nowhere to go
		{"", "", false},
		{"not a url", "not a url", false},
	} {
		if got := savedSecretMayGo(c.saved, c.target); got != c.mayGo {
			t.Errorf("savedSecretMayGo(%q, %q) = %v, want %v", c.saved, c.target, got, c.mayGo)
		}
	}
}

func TestUsesSavedSecret(t *testing.T) {
	for _, c := range []struct {
		onScreen any
		present  bool
		saved    bool
	}{
		{nil, false, true},
		{model.FakeSetting, true, true},
		{"typed", true, false},
		{"", true, false}, // cleared on screen: no secret, not the saved one
		{5.0, true, false},
	} {
		if got := usesSavedSecret(c.onScreen, c.present); got != c.saved {
			t.Errorf("usesSavedSecret(%v, %v) = %v", c.onScreen, c.present, got)
		}
	}
}
