package main

import (
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

// The refusals of /pagertree alert that protect the on-call team and the settings: a paused
// plugin, an announcement Mattermost cannot post whole, and the per-user limit.

// pausedAnswer says why nothing was paged while forwarding is off or paused. Only System
// Admins see the settings problem: it can quote the endpoint URL, which is a credential of
// sorts (PagerTree's integration URLs are unguessable ids).
func (p *Plugin) pausedAnswer(cfg *runtimeConfig, userID string) string {
	if p.API.HasPermissionTo(userID, model.PermissionManageSystem) {
		return "PagerTree was not paged: forwarding is " + cfg.state() + ". Fix the plugin settings in the System Console, or see `/pagertree status`."
	}
	why := "paused until a System Admin fixes the plugin settings"
	switch {
	case cfg == nil:
		why = "paused: the plugin is starting"
	case !cfg.Enabled:
		why = "turned off in the plugin settings"
	}
	return "PagerTree was not paged: forwarding is " + why + ". Ask a System Admin to check the PagerTree plugin."
}

// tooLongAnswer refuses an alert whose announcement would exceed Mattermost's post limit: the
// channel would see a shortened text while PagerTree got the whole one.
func tooLongAnswer(announcement, message string) string {
	n := utf8.RuneCountInString(announcement)
	if n <= model.PostMessageMaxRunesV2 {
		return ""
	}
	room := model.PostMessageMaxRunesV2 - (n - utf8.RuneCountInString(message))
	return fmt.Sprintf("PagerTree was not paged: the alert is %d characters and Mattermost posts hold at most %d, so the channel "+
		"could not see what was sent. Shorten it to about %d characters (put long logs in a file or a thread) and page again.",
		utf8.RuneCountInString(message), model.PostMessageMaxRunesV2, max(room, 0))
}

// takeAlertSlot applies the per-user limit; it returns the slot to give back if the page does
// not go out, or the answer when the limit is reached. System Admins are not limited (they
// can change the limit anyway, and may need to page repeatedly in a large incident). When the
// count cannot be kept (KV store unavailable) the page goes out: paging once too often is
// better than not paging.
func (p *Plugin) takeAlertSlot(cfg *runtimeConfig, userID string) (int64, string) {
	if cfg.AlertLimit <= 0 || p.limiter == nil || p.API.HasPermissionTo(userID, model.PermissionManageSystem) {
		return 0, ""
	}
	now := p.clock()
	d, err := p.limiter.Take(userID, cfg.AlertLimit, now)
	if err != nil {
		p.API.LogWarn("PagerTree: the /pagertree alert limit could not be checked; the page goes out", "user_id", userID, "error", err.Error())
		return 0, ""
	}
	if d.Allowed {
		return d.Stamp, ""
	}
	// Parallel commands may have stamped a moment after this one's clock read: never say more
	// than the window.
	wait := min(int(math.Ceil(d.RetryAt.Sub(now).Minutes())), int(p.limiter.Window().Minutes()))
	return 0, fmt.Sprintf("PagerTree was not paged: you have paged %d times in the last %s; the limit is %d per user per %s. "+
		"You can page again in %s. If this cannot wait, ask a System Admin to page (System Admins are not limited) "+
		"or to raise \"/pagertree alert limit\" in the plugin settings.",
		d.Used, minutes(p.limiter.Window()), cfg.AlertLimit, minutes(p.limiter.Window()), plural(max(wait, 1), "minute"))
}

func (p *Plugin) releaseAlertSlot(userID string, stamp int64) {
	if stamp == 0 {
		return
	}
	if err := p.limiter.Release(userID, stamp, p.clock()); err != nil {
		p.API.LogWarn("PagerTree: could not give back a /pagertree alert slot", "user_id", userID, "error", err.Error())
	}
}

func minutes(d time.Duration) string { return plural(int(d.Minutes()), "minute") }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// limitHelp is the help text's line on the limits of /pagertree alert.
func limitHelp(cfg *runtimeConfig) string {
	n := defaultAlertLimit
	if cfg != nil && cfg.Problem == "" {
		n = cfg.AlertLimit
	}
	limit := "`/pagertree alert` has no per-user limit"
	if n > 0 {
		limit = "Each user may page " + plural(n, "time") + " per " + minutes(delivery.AlertLimitWindow) +
			" with `/pagertree alert` (System Admins are not limited)"
	}
	return limit + ". The channel cooldown and \"one alert per thread\" apply to trigger words only: `/pagertree alert` always pages when you mean it."
}
