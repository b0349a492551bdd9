package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestReceiverAPIForAdmins(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	call := func(method, path, user string) (int, receiverInfo) {
		r := httptest.NewRequest(method, path, strings.NewReader("{}"))
		if user != "" {
			r.Header.Set("Mattermost-User-ID", user)
		}
		w := httptest.NewRecorder()
		env.p.ServeHTTP(nil, w, r)
		var info receiverInfo
		_ = json.Unmarshal(w.Body.Bytes(), &info)
		return w.Code, info
	}
	if code, _ := call(http.MethodGet, "/api/v1/receiver", aliceID); code != http.StatusForbidden {
		t.Fatalf("non-admin: %d", code)
	}
	if code, _ := call(http.MethodPost, "/api/v1/receiver/regenerate", ""); code != http.StatusUnauthorized {
		t.Fatalf("anonymous regenerate: %d", code)
	}
	code, info := call(http.MethodGet, "/api/v1/receiver", adminID)
	if code != http.StatusOK || info.URL != "https://chat.example.com/plugins/pagertree/api/v1/pagertree/events" ||
		info.Username != "pagertree" || len(info.Password) < 40 || !slices.Contains(info.Events, "alert.created") || !slices.Contains(info.Events, "alert.resolved") {
		t.Fatalf("%d %+v", code, info)
	}
	old := env.basicAuth(t, "")
	env.api.On("PublishPluginClusterEvent", model.PluginClusterEvent{Id: credentialsChangedEvent},
		model.PluginClusterEventSendOptions{SendType: model.PluginClusterEventSendTypeReliable}).Return(nil).Once()
	_, fresh := call(http.MethodPost, "/api/v1/receiver/regenerate", adminID)
	if fresh.Password == info.Password {
		t.Fatal("password not regenerated")
	}
	if w := env.event(t, old, "application/json", `{"type":"alert.open"}`); w.Code != http.StatusUnauthorized {
		t.Fatalf("old password still accepted: %d", w.Code)
	}
	if w := env.event(t, env.basicAuth(t, ""), "application/json", `{"type":"alert.open"}`); w.Code != http.StatusOK {
		t.Fatalf("new password refused: %d", w.Code)
	}
	env.api.AssertCalled(t, "PublishPluginClusterEvent", model.PluginClusterEvent{Id: credentialsChangedEvent},
		model.PluginClusterEventSendOptions{SendType: model.PluginClusterEventSendTypeReliable})
	status := env.p.commandStatus()
	if !strings.Contains(status, info.URL) || strings.Contains(status, fresh.Password) || !strings.Contains(status, "(alert.open)") {
		t.Fatalf("status:\n%s", status)
	}
}
