package main

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// runtimeConfig is the validated, immutable configuration the plugin runs on. A new one is
// built on every change and swapped in atomically; the live one is never mutated.
type runtimeConfig struct {
	Enabled bool
	// Problem, when set, pauses forwarding and says in one sentence what an admin must fix.
	Problem string
	// problems are Problem's parts, each with the setting it concerns, for the save-time check
	// and the panel's settings check.
	problems []settingProblem
	// noEndpoint: one of the problems is errNoEndpoint.
	noEndpoint bool

	Rules         *paging.Rules
	Client        *pagertreeclient.Client
	Format        paging.Format
	WatchPrivate  bool
	ForwardBots   bool
	AllowList     map[string]bool // nil: every channel
	OnePerThread  bool
	Cooldown      time.Duration
	AlertLimit    int // /pagertree alert pages per user per delivery.AlertLimitWindow; 0: no limit
	RetryWindow   time.Duration
	ReactionEmoji string
	ReplyInThread bool

	EndpointHost string
	TokenSet     bool

	// The REST API (who is on call, acting on alerts) stands apart from forwarding.
	REST apiConfig

	// Followup is what happens after a page (cards, buttons, polling): never nil.
	Followup *followup.Config

	// Routes are the other integrations, by scope (routes.go); Client, Format and EndpointHost
	// above are the default route's.
	Routes *routing.Table
	// clients are the routes' clients by route id (the default route's is Client).
	clients map[string]*pagertreeclient.Client
}

// forwarding reports whether posts are being forwarded.
func (c *runtimeConfig) forwarding() bool { return c != nil && c.Enabled && c.Problem == "" }

// state says in a few words whether forwarding is on, and why not.
func (c *runtimeConfig) state() string {
	switch {
	case c == nil:
		return "paused: the plugin is starting"
	case !c.Enabled:
		return "off: forwarding is disabled in the plugin settings"
	case c.Problem != "":
		return "paused: " + c.Problem
	}
	return "on"
}

// Values of the StatusUpdates setting.
const (
	statusCardAndReplies = "card_and_replies"
	statusCardOnly       = "card_only"
)

var emojiNameRE = regexp.MustCompile(`^[a-z0-9_+\-]{1,64}$`)

// buildConfig validates raw settings. It never fails: an invalid configuration comes back
// with Problem set (forwarding paused) and everything that could be parsed. guard is
// Mattermost's rule for internal addresses (ServiceSettings.AllowedUntrustedInternalConnections).
func buildConfig(s settings, userAgent string, guard *pagertreeclient.Guard) *runtimeConfig {
	c := &runtimeConfig{
		Enabled: s.Enabled, WatchPrivate: s.WatchPrivateChannels, ForwardBots: s.ForwardBotPosts,
		OnePerThread: s.OneAlertPerThread, ReplyInThread: s.ReplyInThread, TokenSet: strings.TrimSpace(s.Token) != "",
		REST: buildAPIConfig(s, userAgent, guard),
	}
	f := &followup.Config{APIUnavailable: c.REST.apiUnavailable()}
	c.Followup = f
	problems := []settingProblem{}
	fail := func(key, format string, args ...any) {
		problems = append(problems, settingProblem{Key: key, Text: fmt.Sprintf(format, args...)})
	}

	endpoint := strings.TrimSpace(s.EndpointURL)
	specs, specsErr := routing.ParseSpecs(s.Routes)
	if specsErr != nil {
		fail("Routes", "%s", specsErr)
	}
	if host, err := validateEndpoint(endpoint, guard); err != nil {
		c.noEndpoint = errors.Is(err, errNoEndpoint)
		if !c.noEndpoint || len(specs) == 0 {
			fail("EndpointURL", "%s", err) // with routes, the default route may have no endpoint (routes.go)
		}
	} else {
		c.EndpointHost = host
	}
	format, err := paging.ParseFormat(s.Format)
	if err != nil {
		fail("Format", "%s", err)
	}
	c.Format = format

	mode, err := paging.ParseMatchMode(s.MatchMode)
	if err != nil {
		fail("MatchMode", "%s", err)
	}
	var matcher *paging.Matcher
	if triggers := paging.SplitList(s.TriggerWords); err == nil {
		matcher, err = paging.NewMatcher(mode, triggers)
		if err != nil {
			if len(triggers) == 0 {
				fail("TriggerWords", "no trigger words are set: add at least one, such as outage")
			} else {
				fail("TriggerWords", "%s", err)
			}
		}
	}
	def, err := paging.ParseUrgency(s.DefaultUrgency)
	if err != nil {
		fail("DefaultUrgency", "default urgency: %s", err)
	}
	aliases, err := paging.ParseAliases(s.UrgencyAliases)
	if err != nil {
		fail("UrgencyAliases", "%s", err)
	}
	severities, err := paging.ParseSeverities(s.IncidentSeverities)
	if err != nil {
		fail("IncidentSeverities", "%s", err)
	}
	if matcher != nil {
		c.Rules = &paging.Rules{Matcher: matcher, Urgency: paging.NewUrgencyRules(aliases, def), Severity: severities, IgnoreCode: s.IgnoreCodeAndQuotes}
	}

	if ids := paging.SplitList(s.ChannelAllowList); len(ids) > 0 {
		c.AllowList = map[string]bool{}
		for _, id := range ids {
			if !model.IsValidId(id) {
				fail("ChannelAllowList", "the channel allow-list holds %q, which is not a channel id (26 letters and digits)", id)
				continue
			}
			c.AllowList[id] = true
		}
	}
	if ch := strings.TrimSpace(s.ExternalAlertsChannel); ch != "" {
		if model.IsValidId(ch) {
			f.ExternalChannel = ch
		} else {
			fail("ExternalAlertsChannel", "the channel for alerts that did not come from Mattermost is %q, which is not a channel id (26 letters and digits)", ch)
		}
	}
	cooldown, err := s.ChannelCooldownSeconds.value("the channel cooldown", 0)
	switch {
	case err != nil:
		fail("ChannelCooldownSeconds", "%s", err)
	case cooldown < 0 || cooldown > 86400:
		fail("ChannelCooldownSeconds", "the channel cooldown must be between 0 (off) and 86400 seconds, not %d", cooldown)
	default:
		c.Cooldown = time.Duration(cooldown) * time.Second
	}
	limit, err := s.AlertCommandLimit.value("the /pagertree alert limit", defaultAlertLimit)
	switch {
	case err != nil:
		fail("AlertCommandLimit", "%s", err)
	case limit < 0 || limit > 100:
		fail("AlertCommandLimit", "the /pagertree alert limit must be between 0 (no limit) and 100 per user per 10 minutes, not %d", limit)
	default:
		c.AlertLimit = limit
	}
	// Durations are only computed from values in range: 1000000000 minutes would overflow.
	window, err := s.RetryWindowMinutes.value("the retry window", 60)
	switch {
	case err != nil:
		fail("RetryWindowMinutes", "%s", err)
	case window < 1 || window > 1440:
		fail("RetryWindowMinutes", "the retry window must be between 1 and 1440 minutes, not %d", window)
	default:
		c.RetryWindow = time.Duration(window) * time.Minute
	}
	emoji := strings.Trim(strings.TrimSpace(s.ReactionEmoji), ":")
	if emoji != "" && !emojiNameRE.MatchString(emoji) {
		fail("ReactionEmoji", "the reaction emoji %q is not an emoji name such as rotating_light (leave it empty for no reaction)", s.ReactionEmoji)
	}
	c.ReactionEmoji = emoji
	switch strings.TrimSpace(s.StatusUpdates) {
	case "", statusCardAndReplies:
		f.StatusReplies = true
	case statusCardOnly:
	default:
		fail("StatusUpdates", "status updates must be %q or %q, not %q", statusCardAndReplies, statusCardOnly, s.StatusUpdates)
	}
	days, err := s.AlertLifetimeDays.value("the alert lifetime", 30)
	switch {
	case err != nil:
		fail("AlertLifetimeDays", "%s", err)
	case days < 1 || days > 365:
		fail("AlertLifetimeDays", "alerts can be followed for 1 to 365 days, not %d", days)
	}
	f.AlertLifetime = time.Duration(days) * 24 * time.Hour
	if f.WhoMayPress, err = followup.ParsePressRule(s.WhoMayPress); err != nil {
		fail("WhoMayPress", "%s", err)
	}
	if f.Updates, err = parseUpdates(s); err != nil {
		fail("UpdatesArrive", "%s", err)
	}
	f.SendComments = s.SendRepliesAsComments

	problems = append(problems, c.buildRoutes(s, specs, aliases, guard)...)

	if len(problems) > 0 {
		c.problems = problems
		c.Problem = problemText(problems)
	} else {
		c.buildClients(userAgent, guard)
	}
	// Acting on alerts: the REST API when a key is set, else the Webhook integration (the
	// alert's route's: IntegrationFor).
	f.Actor = pagertreeclient.Actor{API: c.REST.API, Integration: c.Client, Routes: c.clients}
	return c
}

// parseUpdates reads how PagerTree's updates arrive and the poll interval.
func parseUpdates(s settings) (followup.Updates, error) {
	u := followup.Updates{Every: followup.DefaultPollSeconds * time.Second}
	var err error
	if u.Mode, err = followup.ParseUpdatesMode(s.UpdatesArrive); err != nil {
		return u, err
	}
	secs, err := s.PollSeconds.value("the poll interval", followup.DefaultPollSeconds)
	if err != nil {
		return u, err
	}
	u.Every, err = followup.PollInterval(secs)
	return u, err
}

// defaultAlertLimit matches plugin.json: three pages per user per 10 minutes.
const defaultAlertLimit = 3

// errNoEndpoint is the one problem an admin may save while forwarding is disabled.
var errNoEndpoint = errors.New("no PagerTree endpoint URL is set: paste the Endpoint URL of your PagerTree integration")

// validateEndpoint applies the rule for URLs that get a secret (checkOutgoingURL) to the
// endpoint; "" is errNoEndpoint. It returns the host the token goes to.
func validateEndpoint(endpoint string, guard *pagertreeclient.Guard) (string, error) {
	if endpoint == "" {
		return "", errNoEndpoint
	}
	u, err := checkOutgoingURL(endpoint, "the endpoint URL", "copy it again from the PagerTree integration", guard)
	if err != nil {
		return "", err
	}
	return u.Host, nil
}

// redactURL keeps a URL recognisable in messages without its path (which holds the
// integration id), query or credentials: scheme and host only. Text that is not a URL with a
// host keeps what looks like its scheme and host, never what follows the first slash.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		if u.Scheme == "" {
			return u.Host + "/…"
		}
		return u.Scheme + "://" + u.Host + "/…"
	}
	prefix, host := "", s
	if i := strings.Index(host, "://"); i >= 0 {
		prefix, host = host[:i+3], host[i+3:]
	}
	cut := false
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host, cut = host[:i], true
	}
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	if r := []rune(host); len(r) > 40 {
		host, cut = string(r[:40]), true
	}
	if cut {
		return prefix + host + "/…"
	}
	return prefix + host
}

// closeIdle closes the idle connections of the configuration's clients, once it is replaced or,
// for one built from on-screen settings, once its request is answered.
func (c *runtimeConfig) closeIdle() {
	if c.Client != nil {
		c.Client.CloseIdle()
	}
	for _, cl := range c.clients {
		cl.CloseIdle()
	}
	if c.REST.API != nil {
		c.REST.API.CloseIdle()
	}
}
