// Package routing holds the routes (DESIGN §12): several PagerTree integrations, each for a
// scope of teams and channels, next to the default route that the top-level settings make. It
// is pure: it reads the two settings that hold routes, validates them, and answers which route
// a post in a channel goes through. It makes no plugin-API call; the wiring checks that the
// teams and channels exist.
package routing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Limits on what a configuration may hold, documented in the README: routes are few and
// scopes are explicit, so a saved configuration stays small and its lookup maps cheap to build.
const (
	MaxRoutes        = 100  // routes besides the default
	MaxScopePerRoute = 1000 // teams plus channels in one route
	MaxNameRunes     = 64
)

// Spec is one route as the Routes setting stores it. Its token is not here: tokens are a
// secret setting of their own (RouteTokens), keyed by route id, so the config API masks them.
// Empty optional fields take the default route's value.
type Spec struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Teams          []string `json:"teams,omitempty"`
	Channels       []string `json:"channels,omitempty"`
	EndpointURL    string   `json:"endpoint_url"`
	Format         string   `json:"format,omitempty"`
	TriggerWords   string   `json:"trigger_words,omitempty"`
	MatchMode      string   `json:"match_mode,omitempty"`
	DefaultUrgency string   `json:"default_urgency,omitempty"`
	// EveryMessage pages every message in the route's channels, with no trigger word (the
	// built-in webhook's "channel and no trigger words"); only for a route of channels.
	EveryMessage bool `json:"every_message,omitempty"`
	// ImportedFrom is the id of the outgoing webhook the route was imported from: importing
	// it again does not make a second route.
	ImportedFrom string `json:"imported_from,omitempty"`
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ParseSpecs reads the Routes setting: a JSON array of routes, or nothing.
func ParseSpecs(text string) ([]Spec, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	var specs []Spec
	if err := decodeStrict(text, &specs); err != nil {
		return nil, fmt.Errorf("the routes setting is not a JSON list of routes (%s)", err)
	}
	return specs, nil
}

// ParseTokens reads the RouteTokens setting: a JSON object of tokens by route id, or nothing.
// The error never quotes the text: it is a secret.
func ParseTokens(text string) (map[string]string, error) {
	if strings.TrimSpace(text) == "" {
		return map[string]string{}, nil
	}
	tokens := map[string]string{}
	if err := json.Unmarshal([]byte(text), &tokens); err != nil {
		return nil, errors.New("the route tokens setting is not a JSON object of tokens by route id: save the routes again from the System Console")
	}
	return tokens, nil
}

// EncodeTokens writes the RouteTokens setting back (after placeholders were resolved).
func EncodeTokens(tokens map[string]string) string {
	b, _ := json.Marshal(tokens) // a map of strings always encodes
	return string(b)
}

// EncodeSpecs writes the Routes setting.
func EncodeSpecs(specs []Spec) string {
	if len(specs) == 0 {
		return ""
	}
	b, _ := json.Marshal(specs) // plain strings and lists always encode
	return string(b)
}

func decodeStrict(text string, v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return fmt.Errorf("the field %s has the wrong type", typeErr.Field)
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return fmt.Errorf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return errors.New("not valid JSON")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("something follows the list")
	}
	return nil
}
