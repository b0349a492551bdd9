package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
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

// screenSettings overlays the on-screen values on the saved ones (keys compared without
// case). The System Console shows a saved secret as a placeholder, and a caller may leave the
// token out: then the saved token is used — but, like Mattermost's own SMTP connection test,
// only with the saved endpoint (tokenBinding, secret_binding.go: the rule the save applies
// too), so whoever can open the console for a moment cannot send the token to a host of their
// choosing. sendsToken is false for the preview, which never contacts PagerTree.
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
	// placeholder is its saved token, sent only to its saved endpoint (routeTokenBinding).
	routeTokens := resolveRouteTokens(saved, merged, !sendsToken)
	merged[keyRouteTokens] = routeTokens.text
	if len(routeTokens.moved) > 0 {
		pr := routeTokensMoved(routeTokens.moved)
		return nil, &requestError{msg: sentence(pr.Text), field: pr.Key}
	}
	if !usesSavedSecret(screenToken, tokenOnScreen) {
		merged["token"] = screenToken // typed by the admin (or cleared): decoded and checked like any value
		return merged, nil
	}
	if sendsToken {
		savedToken, _ := merged["token"].(string)
		savedEndpoint, _ := saved[keyIn(saved, "endpointurl")].(string)
		onScreen, _ := merged["endpointurl"].(string)
		if err := tokenBinding.refusal(savedToken, savedEndpoint, onScreen, true, nil); err != nil {
			return nil, &requestError{msg: upperFirst(err.Error()) + ".", field: "Token"}
		}
	}
	return merged, nil
}
