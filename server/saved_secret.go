package main

import (
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// savedSecretMayGo is the one rule for a saved secret (the integration token, the REST API key):
// it only ever goes to the URL it was saved with. The System Console shows a saved secret as a
// placeholder and sends the placeholder back, so without this rule whoever can open the console
// for a moment could point the URL at a host of their own and have the plugin send the secret
// there. As in Mattermost's own SMTP connection test, a changed URL needs the secret typed again.
// The same URL: scheme and host (with port) without case, the path exactly (one trailing slash
// aside) and the query exactly; neither may hold a user name or password.
func savedSecretMayGo(savedURL, targetURL string) bool {
	saved, errSaved := url.Parse(strings.TrimSpace(savedURL))
	target, errTarget := url.Parse(strings.TrimSpace(targetURL))
	if errSaved != nil || errTarget != nil || saved.Host == "" || saved.User != nil || target.User != nil {
		return false
	}
	return strings.EqualFold(saved.Scheme, target.Scheme) && strings.EqualFold(saved.Host, target.Host) &&
		strings.TrimSuffix(saved.EscapedPath(), "/") == strings.TrimSuffix(target.EscapedPath(), "/") &&
		saved.RawQuery == target.RawQuery
}

// usesSavedSecret reports whether a request made with on-screen settings carries the saved
// secret rather than one typed by the admin: the secret is left out, or it is the placeholder
// the System Console shows for a saved one.
func usesSavedSecret(onScreen any, present bool) bool {
	return !present || onScreen == model.FakeSetting
}
