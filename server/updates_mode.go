package main

import (
	"fmt"
	"strings"
	"time"
)

// How PagerTree's updates arrive (issue 12 point 5): pushed to the receiver, polled from the
// REST API (behind a firewall), or both.
type updatesMode string

const (
	updatesPushed updatesMode = "pushed"
	updatesPolled updatesMode = "polled"
	updatesBoth   updatesMode = "both"
)

type updatesConfig struct {
	Mode  updatesMode
	Every time.Duration // the poll interval
}

const defaultPollSeconds = 30

func parseUpdates(s settings) (updatesConfig, error) {
	c := updatesConfig{Mode: updatesMode(strings.TrimSpace(s.UpdatesArrive)), Every: defaultPollSeconds * time.Second}
	switch c.Mode {
	case "":
		c.Mode = updatesPushed
	case updatesPushed, updatesPolled, updatesBoth:
	default:
		return c, fmt.Errorf("how PagerTree's updates arrive must be %q, %q or %q, not %q", updatesPushed, updatesPolled, updatesBoth, s.UpdatesArrive)
	}
	secs, err := s.PollSeconds.value("the poll interval", defaultPollSeconds)
	switch {
	case err != nil:
		return c, err
	case secs < 5 || secs > 3600:
		return c, fmt.Errorf("the poll interval must be between 5 and 3600 seconds, not %d", secs)
	}
	c.Every = time.Duration(secs) * time.Second
	return c, nil
}

// polling reports whether the plugin polls PagerTree now: polled or both, and a usable API key.
func (c *runtimeConfig) polling() bool {
	return c != nil && c.Updates.Mode != updatesPushed && c.Updates.Mode != "" && c.REST.API != nil
}

// updatesState says in a few words how updates arrive, for the panel and /pagertree status.
func (c *runtimeConfig) updatesState() string {
	if c == nil {
		return string(updatesPushed)
	}
	switch {
	case c.Updates.Mode == updatesPushed || c.Updates.Mode == "":
		return "pushed by PagerTree to the receiver"
	case c.REST.API == nil:
		return fmt.Sprintf("%s is chosen, but no usable PagerTree API key is set: only pushed events arrive", c.Updates.Mode)
	case c.Updates.Mode == updatesPolled:
		return fmt.Sprintf("polled from PagerTree's API every %s", c.Updates.Every)
	}
	return fmt.Sprintf("pushed by PagerTree and polled from its API every %s", c.Updates.Every)
}
