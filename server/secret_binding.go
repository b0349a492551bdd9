package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// A saved secret goes only to the URL it was saved with. The System Console shows a saved
// token or API key as a placeholder (model.FakeSetting) and sends the placeholder back;
// whoever changes the URL next to it must type the secret again, or the saved secret would
// follow the URL to a host of their choosing. The same rule, in the same words, refuses the
// save (ConfigurationWillBeSaved), "Send test alert" and "Check API key".

// boundSecret is a secret setting and the URL setting it is bound to.
type boundSecret struct {
	secretKey, urlKey string // setting keys as the server stores them (lower case)
	settingKey        string // the secret's key in plugin.json, for the panel's field
	// same compares the saved URL with the one that would be used.
	same func(saved, next string, guard *pagertreeclient.Guard) bool
	// again is the refusal, naming the host of next when it has one (a lower-case sentence
	// without a full stop, as Go errors are).
	again func(next string, guard *pagertreeclient.Guard) error
}

// The two secrets and their URLs.
var (
	tokenBinding = boundSecret{
		secretKey: "token", urlKey: "endpointurl", settingKey: "Token",
		same: func(saved, next string, _ *pagertreeclient.Guard) bool { return savedSecretMayGo(saved, next) },
		again: func(string, *pagertreeclient.Guard) error {
			return errors.New("enter the token again: the saved token is only sent to the saved endpoint")
		},
	}
	apiKeyBinding = boundSecret{
		secretKey: "apikey", urlKey: "apibaseurl", settingKey: "APIKey",
		same: func(saved, next string, guard *pagertreeclient.Guard) bool {
			a, _, errA := normalizeAPIBaseURL(saved, guard)
			b, _, errB := normalizeAPIBaseURL(next, guard)
			return errA == nil && errB == nil && savedSecretMayGo(a, b)
		},
		again: func(next string, guard *pagertreeclient.Guard) error {
			host := redactURL(strings.TrimSpace(next))
			if _, h, err := normalizeAPIBaseURL(next, guard); err == nil {
				host = h
			}
			return fmt.Errorf("the saved API key is only sent to the saved PagerTree API URL; type the key again to use it with %s", host)
		},
	}
)

// routeTokenRefusal is tokenBinding for a route's token: a route's saved token goes only to
// that route's saved endpoint (savedSecretMayGo), and is refused in the token's words.
func routeTokenRefusal(savedToken, savedEndpoint, nextEndpoint string) error {
	return tokenBinding.refusal(savedToken, savedEndpoint, nextEndpoint, true, nil)
}

// routeTokensMoved is the problem of the routes (by name) whose saved token was kept while
// their endpoint changed: the same sentence as the top-level token's, naming the routes.
func routeTokensMoved(names []string) settingProblem {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return settingProblem{Key: "RouteTokens", Text: "the route " + strings.Join(quoted, ", ") + " has a new endpoint URL: " +
		tokenBinding.again("", nil).Error()}
}

// refusal is why the saved secret may not be used with nextURL, or nil when it may: a kept
// secret (the placeholder, or left out) that is saved goes only to the saved URL. A typed
// secret, or none saved, goes anywhere the URL rules allow.
func (b boundSecret) refusal(savedSecret, savedURL, nextURL string, kept bool, guard *pagertreeclient.Guard) error {
	if !kept || strings.TrimSpace(savedSecret) == "" || b.same(savedURL, nextURL, guard) {
		return nil
	}
	return b.again(nextURL, guard)
}

// saveRefusal applies the rule to a save: stored and next are the plugin's settings as
// stored and as about to be saved (keys in any case). A secret left out of next is cleared
// by the save, so only the placeholder keeps it.
func (b boundSecret) saveRefusal(stored, next map[string]any, guard *pagertreeclient.Guard) error {
	secret, _ := next[keyIn(next, b.secretKey)].(string)
	savedSecret, _ := stored[keyIn(stored, b.secretKey)].(string)
	savedURL, _ := stored[keyIn(stored, b.urlKey)].(string)
	nextURL, _ := next[keyIn(next, b.urlKey)].(string)
	return b.refusal(savedSecret, savedURL, nextURL, secret == model.FakeSetting, guard)
}

// keyIn finds key in m whatever its case (the server lower-cases keys; tests may not).
func keyIn(m map[string]any, key string) string {
	for k := range m {
		if strings.EqualFold(k, key) {
			return k
		}
	}
	return key
}
