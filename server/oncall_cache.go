package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// oncallTTL is how long what PagerTree said is reused: who is on call changes rarely, and every
// user may run the command, so PagerTree's rate limit (shared with acting on alerts) is spared.
// The team list and each team's line are kept, not answers to a question, so asking with
// different words costs PagerTree nothing more.
const oncallTTL = 30 * time.Second

// oncallCache keeps the team list and each team's on-call line per API client (a new
// configuration starts afresh).
type oncallCache struct {
	mu        sync.Mutex
	api       *pagertreeclient.API
	teamList  []pagertreeclient.Team
	teamsMore bool
	teamsAt   time.Time
	lines     map[string]oncallAnswer // by team id
	now       func() time.Time        // test seam; nil: time.Now
	// calls shares one PagerTree call between concurrent askers with a cold cache.
	calls pagertreeclient.Shared[oncallShared]
}

type oncallAnswer struct {
	text string
	at   time.Time
}

func (c *oncallCache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// fresh reports whether something stored at `at` may be reused now; the caller holds mu.
func (c *oncallCache) fresh(api *pagertreeclient.API, at time.Time) bool {
	now := c.clock()
	return c.api == api && !at.IsZero() && now.Sub(at) <= oncallTTL && !now.Before(at)
}

// forAPI starts afresh when the configuration (and so the client) changed; the caller holds mu.
func (c *oncallCache) forAPI(api *pagertreeclient.API) {
	if c.api != api || len(c.lines) > 1000 {
		c.api, c.teamList, c.teamsAt, c.lines = api, nil, time.Time{}, map[string]oncallAnswer{}
	}
}

func (c *oncallCache) teams(api *pagertreeclient.API) ([]pagertreeclient.Team, bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fresh(api, c.teamsAt) {
		return nil, false, false
	}
	return c.teamList, c.teamsMore, true
}

func (c *oncallCache) putTeams(api *pagertreeclient.API, teams []pagertreeclient.Team, more bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forAPI(api)
	c.teamList, c.teamsMore, c.teamsAt = teams, more, c.clock()
}

func (c *oncallCache) line(api *pagertreeclient.API, teamID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.lines[teamID]
	if !ok || !c.fresh(api, a.at) {
		return "", false
	}
	return a.text, true
}

func (c *oncallCache) putLine(api *pagertreeclient.API, teamID, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forAPI(api)
	c.lines[teamID] = oncallAnswer{text: text, at: c.clock()}
}

// oncallShared is what one shared call to PagerTree answers: the team list, or a team's line.
type oncallShared struct {
	teams []pagertreeclient.Team
	more  bool
	line  string
}

// flightKey names a shared call of one API client (a new configuration asks afresh).
func flightKey(api *pagertreeclient.API, what string) string { return fmt.Sprintf("%p %s", api, what) }

// teamsOf is the team list: the one kept for oncallTTL, else one call to PagerTree that every
// concurrent caller shares (each waits no longer than its own context).
func (c *oncallCache) teamsOf(ctx context.Context, api *pagertreeclient.API) ([]pagertreeclient.Team, bool, error) {
	if teams, more, ok := c.teams(api); ok {
		return teams, more, nil
	}
	v, err := c.calls.Do(ctx, flightKey(api, "teams"), func(ctx context.Context) (oncallShared, error) {
		teams, more, err := api.Teams(ctx)
		if err == nil {
			c.putTeams(api, teams, more)
		}
		return oncallShared{teams: teams, more: more}, err
	})
	return v.teams, v.more, err
}

// lineOf is a team's on-call line: the one kept for oncallTTL, else build's, shared likewise.
func (c *oncallCache) lineOf(ctx context.Context, api *pagertreeclient.API, teamID string, build func(context.Context) (string, error)) (string, error) {
	if line, ok := c.line(api, teamID); ok {
		return line, nil
	}
	v, err := c.calls.Do(ctx, flightKey(api, "team "+teamID), func(ctx context.Context) (oncallShared, error) {
		line, err := build(ctx)
		if err == nil {
			c.putLine(api, teamID, line)
		}
		return oncallShared{line: line}, err
	})
	return v.line, err
}
