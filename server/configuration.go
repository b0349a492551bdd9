package main

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

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
	// problems are Problem's parts, for the save-time check.
	problems []string
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
	StatusReplies bool          // PagerTree's updates also post thread replies, not only the card
	AlertLifetime time.Duration // how long a sent alert follows PagerTree's events
	// ExternalChannel is where alerts that did not come from Mattermost are posted ("": not posted).
	ExternalChannel string

	EndpointHost string
	TokenSet     bool

	// The REST API (who is on call, acting on alerts) stands apart from forwarding.
	REST apiConfig

	// Routes are the other integrations, by scope (routes.go); Client, Format and EndpointHost
	// above are the default route's.
	Routes *routing.Table
	// clients are the routes' clients by route id (the default route's is Client).
	clients map[string]*pagertreeclient.Client

	WhoMayPress pressRule     // who may acknowledge and resolve from Mattermost (press_rule.go)
	Updates     updatesConfig // pushed, polled or both (updates_mode.go)
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
	problems := []string{}
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	endpoint := strings.TrimSpace(s.EndpointURL)
	specs, specsErr := routing.ParseSpecs(s.Routes)
	if specsErr != nil {
		fail("%s", specsErr)
	}
	if host, err := validateEndpoint(endpoint, guard); err != nil {
		c.noEndpoint = errors.Is(err, errNoEndpoint)
		if !c.noEndpoint || len(specs) == 0 {
			fail("%s", err) // with routes, the default route may have no endpoint (routes.go)
		}
	} else {
		c.EndpointHost = host
	}
	format, err := paging.ParseFormat(s.Format)
	if err != nil {
		fail("%s", err)
	}
	c.Format = format

	mode, err := paging.ParseMatchMode(s.MatchMode)
	if err != nil {
		fail("%s", err)
	}
	var matcher *paging.Matcher
	if triggers := paging.SplitList(s.TriggerWords); err == nil {
		matcher, err = paging.NewMatcher(mode, triggers)
		if err != nil {
			if len(triggers) == 0 {
				fail("no trigger words are set: add at least one, such as outage")
			} else {
				fail("%s", err)
			}
		}
	}
	def, err := paging.ParseUrgency(s.DefaultUrgency)
	if err != nil {
		fail("default urgency: %s", err)
	}
	aliases, err := paging.ParseAliases(s.UrgencyAliases)
	if err != nil {
		fail("%s", err)
	}
	if matcher != nil {
		c.Rules = &paging.Rules{Matcher: matcher, Urgency: paging.NewUrgencyRules(aliases, def), IgnoreCode: s.IgnoreCodeAndQuotes}
	}

	if ids := paging.SplitList(s.ChannelAllowList); len(ids) > 0 {
		c.AllowList = map[string]bool{}
		for _, id := range ids {
			if !model.IsValidId(id) {
				fail("the channel allow-list holds %q, which is not a channel id (26 letters and digits)", id)
				continue
			}
			c.AllowList[id] = true
		}
	}
	if ch := strings.TrimSpace(s.ExternalAlertsChannel); ch != "" {
		if model.IsValidId(ch) {
			c.ExternalChannel = ch
		} else {
			fail("the channel for alerts that did not come from Mattermost is %q, which is not a channel id (26 letters and digits)", ch)
		}
	}
	cooldown, err := s.ChannelCooldownSeconds.value("the channel cooldown", 0)
	switch {
	case err != nil:
		fail("%s", err)
	case cooldown < 0 || cooldown > 86400:
		fail("the channel cooldown must be between 0 (off) and 86400 seconds, not %d", cooldown)
	default:
		c.Cooldown = time.Duration(cooldown) * time.Second
	}
	limit, err := s.AlertCommandLimit.value("the /pagertree alert limit", defaultAlertLimit)
	switch {
	case err != nil:
		fail("%s", err)
	case limit < 0 || limit > 100:
		fail("the /pagertree alert limit must be between 0 (no limit) and 100 per user per 10 minutes, not %d", limit)
	default:
		c.AlertLimit = limit
	}
	// Durations are only computed from values in range: 1000000000 minutes would overflow.
	window, err := s.RetryWindowMinutes.value("the retry window", 60)
	switch {
	case err != nil:
		fail("%s", err)
	case window < 1 || window > 1440:
		fail("the retry window must be between 1 and 1440 minutes, not %d", window)
	default:
		c.RetryWindow = time.Duration(window) * time.Minute
	}
	emoji := strings.Trim(strings.TrimSpace(s.ReactionEmoji), ":")
	if emoji != "" && !emojiNameRE.MatchString(emoji) {
		fail("the reaction emoji %q is not an emoji name such as rotating_light (leave it empty for no reaction)", s.ReactionEmoji)
	}
	c.ReactionEmoji = emoji
	switch strings.TrimSpace(s.StatusUpdates) {
	case "", statusCardAndReplies:
		c.StatusReplies = true
	case statusCardOnly:
	default:
		fail("status updates must be %q or %q, not %q", statusCardAndReplies, statusCardOnly, s.StatusUpdates)
	}
	days, err := s.AlertLifetimeDays.value("the alert lifetime", 30)
	switch {
	case err != nil:
		fail("%s", err)
	case days < 1 || days > 365:
		fail("alerts can be followed for 1 to 365 days, not %d", days)
	}
	c.AlertLifetime = time.Duration(days) * 24 * time.Hour
	if c.WhoMayPress, err = parsePressRule(s.WhoMayPress); err != nil {
		fail("%s", err)
	}
	if c.Updates, err = parseUpdates(s); err != nil {
		fail("%s", err)
	}

	problems = append(problems, c.buildRoutes(s, specs, aliases, guard)...)

	if len(problems) > 0 {
		c.Problem = strings.Join(problems, "; ")
		c.problems = problems
		return c
	}
	c.buildClients(userAgent, guard)
	return c
}

// defaultAlertLimit matches plugin.json: three pages per user per 10 minutes.
const defaultAlertLimit = 3

// errNoEndpoint is the one problem an admin may save while forwarding is disabled.
var errNoEndpoint = errors.New("no PagerTree endpoint URL is set: paste the Endpoint URL of your PagerTree integration")

// validateEndpoint wants an absolute https URL. Plain http is only for a host listed in
// Mattermost's AllowedUntrustedInternalConnections (a stand-in on a trusted network): on any
// other host it would send the token in clear. An IP literal must pass the guard now; names
// are checked on the address dialled.
func validateEndpoint(endpoint string, guard *pagertreeclient.Guard) (string, error) {
	if endpoint == "" {
		return "", errNoEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("the endpoint URL %q is not an absolute http(s) URL: copy it again from the PagerTree integration", redactURL(endpoint))
	}
	if u.User != nil {
		return "", fmt.Errorf("the endpoint URL must not contain a user name or password")
	}
	if u.Scheme == "http" && !guard.HostListed(u.Hostname()) {
		return "", fmt.Errorf("the endpoint URL must use https (plain http is only allowed for a host listed in %s)", pagertreeclient.AllowSettingName)
	}
	if err := guard.CheckLiteral(u.Hostname()); err != nil {
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
