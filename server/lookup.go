package main

import (
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// lookupTTL is how long a channel, user, team or the Site URL read for a matched post is
// reused: a burst of alerts reads each once instead of once per post (each read is an RPC
// to the server). A rename shows in alerts after at most this long.
const lookupTTL = 30 * time.Second

// lookupCache keeps recent reads for matched posts; bounded by dropping expired entries
// when it grows.
type lookupCache struct {
	mu sync.Mutex
	m  map[string]cachedValue
}

type cachedValue struct {
	v     any
	until time.Time
}

const lookupMaxEntries = 5000

func (c *lookupCache) get(key string, now time.Time, load func() (any, *model.AppError)) (any, *model.AppError) {
	c.mu.Lock()
	if e, ok := c.m[key]; ok && now.Before(e.until) {
		c.mu.Unlock()
		return e.v, nil
	}
	c.mu.Unlock()
	v, appErr := load()
	if appErr != nil {
		return nil, appErr
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= lookupMaxEntries {
		fresh := make(map[string]cachedValue, len(c.m))
		for k, e := range c.m {
			if now.Before(e.until) {
				fresh[k] = e
			}
		}
		if len(fresh) >= lookupMaxEntries {
			fresh = map[string]cachedValue{}
		}
		c.m = fresh
	}
	c.m[key] = cachedValue{v: v, until: now.Add(lookupTTL)}
	return v, nil
}

func (p *Plugin) channel(id string) (*model.Channel, *model.AppError) {
	v, appErr := p.lookups.get("c"+id, p.clock(), func() (any, *model.AppError) { return p.API.GetChannel(id) })
	if appErr != nil {
		return nil, appErr
	}
	return v.(*model.Channel), nil
}

func (p *Plugin) user(id string) (*model.User, *model.AppError) {
	v, appErr := p.lookups.get("u"+id, p.clock(), func() (any, *model.AppError) { return p.API.GetUser(id) })
	if appErr != nil {
		return nil, appErr
	}
	return v.(*model.User), nil
}

func (p *Plugin) team(id string) (*model.Team, *model.AppError) {
	v, appErr := p.lookups.get("t"+id, p.clock(), func() (any, *model.AppError) { return p.API.GetTeam(id) })
	if appErr != nil {
		return nil, appErr
	}
	return v.(*model.Team), nil
}

// siteURL is the server's Site URL without a trailing slash ("" when unset).
func (p *Plugin) siteURL() string {
	v, _ := p.lookups.get("siteurl", p.clock(), func() (any, *model.AppError) {
		cfg := p.API.GetConfig()
		if cfg == nil || cfg.ServiceSettings.SiteURL == nil {
			return "", nil
		}
		return *cfg.ServiceSettings.SiteURL, nil
	})
	s, _ := v.(string)
	return s
}
