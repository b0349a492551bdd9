package main

import (
	"context"
	"fmt"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// send is the outbox's Sender: it uses the configuration live at send time, so fixing the
// endpoint or token while an alert is being retried takes effect on the next attempt.
func (p *Plugin) send(ctx context.Context, a paging.Alert) paging.Outcome {
	cfg := p.config.Load()
	route, client, why := cfg.routeClient(a.RouteID)
	switch {
	case route == nil && cfg != nil && cfg.Routes != nil:
		// The route was removed after the alert was queued: its saved endpoint and token are gone.
		return paging.Outcome{Class: paging.Permanent, Meaning: why + ", so it was not sent"}
	case client == nil:
		// The meaning may reach the poster; the problem (which can name the endpoint) stays in
		// Error, which only admins, the history and the log see.
		return paging.Outcome{Class: paging.Transient, Meaning: "forwarding is paused until a System Admin fixes the plugin settings", Error: why}
	}
	if a.MappedAs != route.Format {
		// Recorded when queued (prepare) under another format, or queued by an older
		// version: record it under this one before the request (with the timestamp claimed).
		a = p.remember(a, route.Format, cfg)
	}
	if since, ok := delivery.PresendStart(ctx); ok {
		ctx = p.timePresend(ctx, since)
	}
	return client.Send(ctx, a)
}

// timePresend records, once the request is written to PagerTree's connection (the moment
// PagerTree can start on it), how long it took since the post hook began: the plugin's own share
// of post → PagerTree (presend_seconds).
func (p *Plugin) timePresend(ctx context.Context, since time.Time) context.Context {
	var once sync.Once
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				once.Do(func() { p.metrics.Presend(time.Since(since)) })
			}
		},
	})
}

// stamp is the outbox's Stamp: in the Mattermost format the alert's record is its claim of
// channel_id.timestamp (unique per channel), which the request itself carries, so it is written
// with the outbox entry, before the first send.
func (p *Plugin) stamp(a paging.Alert) paging.Alert {
	if a.MappedAs != paging.FormatMattermost {
		return a
	}
	return p.remember(a, a.MappedAs, p.config.Load())
}

// prepare is the outbox's Prepare: in the Webhook format (whose thirdparty id is the alert's
// own id) the alert is recorded for PagerTree's events alongside its first send (PagerTree's
// first event can beat its answer, not its request), and before the result is recorded.
func (p *Plugin) prepare(a paging.Alert) {
	if a.MappedAs == "" || a.MappedAs == paging.FormatMattermost {
		return // "": send records it; the Mattermost format: stamp did
	}
	p.remember(a, a.MappedAs, p.config.Load())
}

// remember records the alert under format f with the endpoint cfg sends to (the first record
// wins: acting on the alert later checks that this endpoint is still the configured one), and
// returns it with the timestamp claimed for it.
func (p *Plugin) remember(a paging.Alert, f paging.Format, cfg *runtimeConfig) paging.Alert {
	host, fp := "", ""
	if route, client, _ := cfg.routeClient(a.RouteID); client != nil {
		host, fp = route.EndpointHost, client.Fingerprint()
	}
	return p.followup.Remember(a, f, host, fp)
}

// formatOf is the format an alert is sent in now: its route's.
func (p *Plugin) formatOf(a paging.Alert) paging.Format {
	if route, _, _ := p.config.Load().routeClient(a.RouteID); route != nil {
		return route.Format
	}
	return a.MappedAs
}

// onRetry notes a transient failure at debug level; the channel hears nothing while retrying,
// and the log tells an outage once when it starts and once when it ends (onOutage).
func (p *Plugin) onRetry(j delivery.Job, o paging.Outcome) {
	p.API.LogDebug("PagerTree: delivery failed, will retry",
		"post_id", j.Alert.PostID, "attempt", j.Attempts, "status", o.StatusCode, "meaning", o.Meaning, "error", o.Error,
		"next_attempt", j.NextAttempt.UTC().Format("15:04:05"))
	p.metrics.Retry(o)
}

// onOutage logs the start and the end of a PagerTree endpoint failure, once each, naming the
// routes that send to it (and its host, never its path).
func (p *Plugin) onOutage(o delivery.Outage) {
	names, host := p.config.Load().routesAt(o.Endpoint)
	where := []any{"routes", strings.Join(names, ", "), "host", host}
	switch {
	case !o.Ended:
		p.API.LogWarn("PagerTree: an endpoint is failing; its queued alerts wait and one probe at a time checks when it answers again (other endpoints are not held back)",
			append(where, "status", o.Last.StatusCode, "meaning", o.Last.Meaning, "error", o.Last.Error)...)
	case o.Expired:
		p.API.LogInfo("PagerTree: no alert went to a failing endpoint for the retry window; the next one is sent at once",
			append(where, "failing_for", o.Duration.Round(time.Second).String(), "failed_probes", o.Probes)...)
	default:
		p.API.LogInfo("PagerTree: an endpoint answers again; the alerts that waited for it are being sent",
			append(where, "outage", o.Duration.Round(time.Second).String(), "alerts_waited", o.Waited, "failed_probes", o.Probes, "status", o.Last.StatusCode)...)
	}
}

// onFinal records the outcome in the history and tells the people concerned.
func (p *Plugin) onFinal(j delivery.Job, o paging.Outcome) {
	a := j.Alert
	status := delivery.StatusDelivered
	meaning := o.Meaning
	if o.Class != paging.Delivered {
		status = delivery.StatusFailed
		if j.GaveUp {
			meaning = fmt.Sprintf("gave up after %d attempts over the retry window: %s", j.Attempts, o.Meaning)
		}
	}
	p.metrics.Final(a, string(a.Origin), o, j.GaveUp)
	e := delivery.EntryFor(a, status, p.clock())
	e.Format, e.Attempts, e.StatusCode, e.Meaning, e.Error = p.formatOf(a), j.Attempts, o.StatusCode, meaning, o.Error
	record := func() {
		if err := p.history.Add(e); err != nil {
			p.API.LogWarn("PagerTree: could not record a delivery in the history", "post_id", a.PostID, "error", err.Error())
		}
	}
	if status == delivery.StatusDelivered {
		p.API.LogInfo("PagerTree: alert delivered", "post_id", a.PostID, "status", o.StatusCode, "attempts", j.Attempts)
		// The history and the chat follow on the feedback queue, so that in a burst the
		// outbox's workers go on sending (its own record of the job is written already).
		delivered := func() {
			record()
			if !p.confirm(a) { // the card points its thread at the alert; without one, this does
				p.followup.Delivered(a, p.formatOf(a)) // its thread's replies may become comments
			}
		}
		if p.feedback != nil {
			p.feedback.do(delivered)
		} else {
			delivered()
		}
		return
	}
	record()
	p.API.LogError("PagerTree: alert NOT delivered", "post_id", a.PostID, "status", o.StatusCode, "meaning", meaning,
		"error", o.Error, "attempts", j.Attempts)
	p.notifyFailure(a, meaning) // the outbox has released its flood-control claims
}

// confirm puts the reaction on the post and, by setting, a short reply in its thread; it
// reports whether the reply is the alert's status card.
func (p *Plugin) confirm(a paging.Alert) (carded bool) {
	cfg := p.config.Load()
	if cfg == nil || a.PostID == "" {
		return false
	}
	if cfg.ReactionEmoji != "" {
		if _, appErr := p.API.AddReaction(&model.Reaction{UserId: p.botID, PostId: a.PostID, EmojiName: cfg.ReactionEmoji}); appErr != nil {
			p.API.LogWarn("PagerTree: could not add the reaction", "post_id", a.PostID, "emoji", cfg.ReactionEmoji, "error", appErr.Error())
		}
	}
	// A command's announcement already says it paged; a resend is told in the thread either way.
	// A page from a message always gets its card: nothing else in the thread says it paged.
	if a.Origin == paging.OriginMessage || cfg.ReplyInThread && (a.Origin == paging.OriginPost || a.Resent != nil) {
		// The confirmation is the status card that PagerTree's events keep up to date; a resend
		// also gets a reply of its own that says so.
		if carded = p.followup.Confirm(paging.ThirdPartyID(a, p.formatOf(a))); carded && a.Resent == nil {
			return true
		}
		root := a.ThreadRoot()
		if root == "" {
			root = a.PostID // the command's announcement
		}
		paged := paging.PagedAs(a.IncidentIn(p.formatOf(a)), a.Urgency)
		msg := fmt.Sprintf("Paged PagerTree — %s (trigger: %s)", paged, a.Trigger)
		if a.Resent != nil {
			msg = fmt.Sprintf("Paged PagerTree after a System Admin resent the alert (resend %d) — %s (trigger: %s)",
				a.Resent.Number, paged, a.Trigger)
		}
		reply := &model.Post{UserId: p.botID, ChannelId: a.ChannelID, RootId: root, Message: msg}
		if appErr := p.createReply(reply); appErr != nil {
			p.API.LogWarn("PagerTree: could not post the confirmation reply", "post_id", a.PostID, "error", appErr.Error())
		}
	}
	return carded
}

// createReply posts a reply in a thread, trying again when the server fails (Mattermost can
// answer 500 to concurrent first replies in one thread: both write the thread's row).
func (p *Plugin) createReply(reply *model.Post) *model.AppError {
	var appErr *model.AppError
	for try := 0; try < 3; try++ {
		if _, appErr = p.API.CreatePost(reply.Clone()); appErr == nil || appErr.StatusCode < 500 {
			return appErr
		}
	}
	return appErr
}

// notifyFailure tells the poster, privately, that PagerTree was not paged and why.
func (p *Plugin) notifyFailure(a paging.Alert, why string) {
	if a.UserID == "" || a.ChannelID == "" || a.Origin == paging.OriginTest {
		return
	}
	msg := fmt.Sprintf(":warning: PagerTree was **not** paged for your message (trigger: %s): %s. "+
		"It is kept in the plugin's delivery history: once the settings are fixed, a System Admin can resend it "+
		"(`/pagertree resend %s`, or **Resend** in the plugin's Recent deliveries).", a.Trigger, why, a.ID)
	p.API.SendEphemeralPost(a.UserID, &model.Post{UserId: p.botID, ChannelId: a.ChannelID, RootId: a.ThreadRoot(), Message: msg})
}
