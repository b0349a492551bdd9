package delivery

import (
	"errors"
	"fmt"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Flood control keys. Their value is the id of the alert that took the claim, so the same
// post seen twice (hook run twice) is recognised and not counted as a second alert.
func threadKey(rootID string) string      { return "thread_" + rootID }
func cooldownKey(channelID string) string { return "cooldown_" + channelID }

// threadClaimTTL bounds how long "this thread already paged" is remembered.
const threadClaimTTL = 30 * 24 * time.Hour

// FloodRule is the flood control in force: "one alert per thread" and a channel cooldown (0: off).
type FloodRule struct {
	OnePerThread bool
	Cooldown     time.Duration
}

// SuppressReason says which flood rule held an alert back; its value is the metric label.
type SuppressReason string

// The flood rules.
const (
	ThreadAlreadyPaged SuppressReason = "thread_already_paged" // one alert per thread
	ChannelCooldown    SuppressReason = "channel_cooldown"     // the channel's cooldown is running
)

// Suppression is why flood control held an alert back; the zero value means it did not.
type Suppression struct {
	Reason   SuppressReason
	Cooldown time.Duration // for ChannelCooldown: the cooldown in force
}

// Suppressed reports whether the alert was held back.
func (s Suppression) Suppressed() bool { return s.Reason != "" }

// Label names the reason for the suppressed counter ("" when not suppressed).
func (s Suppression) Label() string { return string(s.Reason) }

// Sentence says why, for the history and the log.
func (s Suppression) Sentence() string {
	switch s.Reason {
	case ThreadAlreadyPaged:
		return "this thread already paged PagerTree (one alert per thread)"
	case ChannelCooldown:
		return fmt.Sprintf("the channel cooldown of %s is running", s.Cooldown)
	}
	return ""
}

// Claim applies the flood rule to an alert from a post before it is queued. It returns why the
// alert is suppressed (the zero Suppression when it is not). A KV error lets the alert through
// (paging twice is better than not paging) and is returned for the log.
func (o *Outbox) Claim(a paging.Alert, rule FloodRule) (Suppression, error) {
	var errs []error
	if rule.OnePerThread {
		ok, err := o.claim(threadKey(a.ThreadRoot()), a.ID, threadClaimTTL)
		errs = append(errs, err)
		if !ok {
			return Suppression{Reason: ThreadAlreadyPaged}, errors.Join(errs...)
		}
	}
	if rule.Cooldown > 0 {
		ok, err := o.claim(cooldownKey(a.ChannelID), a.ID, rule.Cooldown)
		errs = append(errs, err)
		if !ok {
			if rule.OnePerThread {
				// This alert does not page, so its thread has not paged: a reply after the
				// cooldown must still be able to.
				_, _ = o.kv.CompareAndSet(threadKey(a.ThreadRoot()), []byte(a.ID), nil, 0)
			}
			return Suppression{Reason: ChannelCooldown, Cooldown: rule.Cooldown}, errors.Join(errs...)
		}
	}
	return Suppression{}, errors.Join(errs...)
}

// claim takes key for id; true if taken now or already by the same id, or if the store failed.
func (o *Outbox) claim(key, id string, ttl time.Duration) (bool, error) {
	ok, err := o.kv.CompareAndSet(key, nil, []byte(id), ttl)
	if err != nil {
		return true, err
	}
	if ok {
		return true, nil
	}
	cur, err := o.kv.Get(key)
	if err != nil {
		return true, err
	}
	return string(cur) == id, nil
}

// release lets the next message in the thread or channel page when an alert from a post (or
// paged from a message, which claims its thread) was not delivered. Only the alert's own
// claims are removed.
func (o *Outbox) release(a paging.Alert) {
	if a.Origin != paging.OriginPost && a.Origin != paging.OriginMessage {
		return // commands and tests take no claims
	}
	for _, key := range []string{threadKey(a.ThreadRoot()), cooldownKey(a.ChannelID)} {
		_, _ = o.kv.CompareAndSet(key, []byte(a.ID), nil, 0)
	}
}
