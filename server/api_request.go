package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// screenRequest carries the settings as they are on screen, before Save.
type screenRequest struct {
	// Settings are the on-screen values by setting key (any case); absent keys keep the saved value.
	Settings    map[string]any `json:"settings"`
	Message     string         `json:"message"`
	ChannelType string         `json:"channel_type"` // O (default), P, D, G
	ChannelID   string         `json:"channel_id"`   // optional: checked against the allow-list and routes
	TeamID      string         `json:"team_id"`      // optional: the channel's team, for team routes
	RouteID     string         `json:"route_id"`     // optional: a channel of this route (the panel's per-route try)
	FromBot     bool           `json:"from_bot"`
}

// requestError is a 400 answer: a sentence, and the setting it concerns when there is one
// (the webapp focuses that field).
type requestError struct {
	msg   string
	field string
}

func (e *requestError) Error() string { return e.msg }

// decodeStrict reads an API request body into v: one JSON value, nothing after it, each field
// of the right type. Errors are sentences that name the field.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return &requestError{msg: jsonProblem(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &requestError{msg: "The request body holds something after the JSON object; send exactly one object."}
	}
	return nil
}

// jsonProblem says what is wrong with a body in a sentence, naming the field when it can.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			return "The request body must be a JSON object of the expected fields."
		}
		want := map[string]string{"settings": "an object of setting values", "message": "text", "channel_type": "text (O, P, D or G)", "channel_id": "text", "team_id": "text", "route_id": "text", "from_bot": "true or false",
			"settings.apikey": "text", "settings.apibaseurl": "text"}[field]
		if want == "" {
			want = "of another type"
		}
		return "The field " + field + " has the wrong type: it must be " + want + ", not " + typeErr.Value + "."
	}
	return "The request body is not valid JSON of the expected shape."
}

// errTokenAgain is the answer when the saved token would go to an endpoint it was not saved for.
var errTokenAgain = &requestError{
	msg:   "Enter the token again: the saved token is only sent to the saved endpoint.",
	field: "Token",
}

// screenSettings overlays the on-screen values on the saved ones (keys compared without
// case). The System Console shows a saved secret as a placeholder, and a caller may leave the
// token out: then the saved token is used — but, like Mattermost's own SMTP connection test,
// only with the saved endpoint (same scheme, host, path and query), so whoever can open the
// console for a moment cannot send the token to a host of their choosing. sendsToken is false
// for the preview, which never contacts PagerTree.
func screenSettings(saved, screen map[string]any, sendsToken bool) (map[string]any, error) {
	merged := make(map[string]any, len(saved)+len(screen))
	for k, v := range saved {
		merged[strings.ToLower(k)] = v
	}
	screenToken, tokenOnScreen := any(nil), false
	for k, v := range screen {
		k = strings.ToLower(k)
		if k == "token" {
			screenToken, tokenOnScreen = v, true
			continue
		}
		merged[k] = v
	}
	// The routes' tokens: the whole setting masked keeps the saved tokens; a route's
	// placeholder is its saved token, sent only to its saved endpoint (routes_save.go).
	routeTokens := resolveRouteTokens(saved, merged, !sendsToken)
	merged[keyRouteTokens] = routeTokens.text
	if len(routeTokens.moved) > 0 {
		return nil, &requestError{msg: "T" + strings.TrimPrefix(movedProblem(routeTokens.moved), "t") + ".", field: "Routes"}
	}
	savedToken, _ := merged["token"].(string)
	if tokenOnScreen && screenToken != model.FakeSetting {
		merged["token"] = screenToken // typed by the admin (or cleared): decoded and checked like any value
		return merged, nil
	}
	if sendsToken && strings.TrimSpace(savedToken) != "" {
		savedEndpoint, _ := saved[keyIn(saved, "endpointurl")].(string)
		onScreen, _ := merged["endpointurl"].(string)
		if !sameEndpoint(savedEndpoint, onScreen) {
			return nil, errTokenAgain
		}
	}
	return merged, nil
}

// savedKey finds key in m whatever its case (the server lower-cases keys; tests may not).
func keyIn(m map[string]any, key string) string {
	for k := range m {
		if strings.EqualFold(k, key) {
			return k
		}
	}
	return key
}

// sameEndpoint compares two endpoint URLs: scheme and host without case, path and query exactly.
func sameEndpoint(a, b string) bool {
	ua, errA := url.Parse(strings.TrimSpace(a))
	ub, errB := url.Parse(strings.TrimSpace(b))
	if errA != nil || errB != nil || ua.Host == "" {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host) &&
		ua.EscapedPath() == ub.EscapedPath() && ua.RawQuery == ub.RawQuery && ua.User.String() == ub.User.String()
}
