package main

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// apiConfig is the PagerTree REST API part of the configuration. It is independent of
// forwarding: a bad API setting never pauses paging, and paging settings never disable it.
type apiConfig struct {
	API     *pagertreeclient.API // nil when no key is set or the API settings have a problem
	KeySet  bool
	BaseURL string // normalized; the only URL the saved key is ever sent to
	Host    string
	// Problem, when set, says in one sentence what an admin must fix in the API settings (it
	// names settings and hosts: for admins only); the API is not used until then.
	Problem string
	// problems are Problem's parts, each with its setting, refused at save time in the same words.
	problems []settingProblem
}

// buildAPIConfig validates the API key, the API URL and what needs them (apiProblems).
func buildAPIConfig(s settings, userAgent string, guard *pagertreeclient.Guard) apiConfig {
	c := apiConfig{KeySet: strings.TrimSpace(s.APIKey) != ""}
	base, host, problems := apiProblems(s, guard)
	if len(problems) > 0 {
		c.problems, c.Problem = problems, problemText(problems)
		return c
	}
	c.BaseURL, c.Host = base, host
	if c.KeySet {
		c.API = pagertreeclient.NewAPI(base, strings.TrimSpace(s.APIKey), pagertreeclient.DefaultTimeout, userAgent, guard)
	}
	return c
}

// errPressNeedsKey: "PagerTree team members" are found with the REST API; without a key nobody
// could press.
var errPressNeedsKey = errors.New(`"Who may acknowledge and resolve from Mattermost" is "PagerTree team members", which needs a PagerTree API key ` +
	"(the plugin asks PagerTree who its members are): add the key, or choose who may press otherwise")

// errCommentsNeedKey: comments are made through the REST API, as the key's user.
var errCommentsNeedKey = errors.New(`"Send thread replies to PagerTree as comments" is on, which needs a PagerTree API key ` +
	"(the comments are made through PagerTree's REST API): add the key, or turn it off")

// apiProblems is the one decision about the API settings, for the save (refused) and for the
// runtime (the API is not used, and /pagertree status says why) alike: the URL (normalizeAPIBaseURL),
// the key (no spaces or control characters inside: a key pasted with a line break is not a
// key), and a press rule or comments that need the key.
func apiProblems(s settings, guard *pagertreeclient.Guard) (base, host string, problems []settingProblem) {
	base, host, err := normalizeAPIBaseURL(s.APIBaseURL, guard)
	if err != nil {
		problems = append(problems, settingProblem{Key: "APIBaseURL", Text: err.Error()})
	}
	if err := checkAPIKey(s.APIKey); err != nil {
		problems = append(problems, settingProblem{Key: "APIKey", Text: err.Error()})
	}
	if rule, err := followup.ParsePressRule(s.WhoMayPress); err == nil && rule == followup.PressPagerTreeUsers && strings.TrimSpace(s.APIKey) == "" {
		problems = append(problems, settingProblem{Key: "WhoMayPress", Text: errPressNeedsKey.Error()})
	}
	if s.SendRepliesAsComments && strings.TrimSpace(s.APIKey) == "" {
		problems = append(problems, settingProblem{Key: "SendRepliesAsComments", Text: errCommentsNeedKey.Error()})
	}
	return base, host, problems
}

// checkAPIKey refuses a key with whitespace or control characters inside (around it they are
// trimmed, as a paste leaves them).
func checkAPIKey(key string) error {
	if strings.IndexFunc(strings.TrimSpace(key), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return errors.New("the PagerTree API key holds a space, line break or control character: paste the key again exactly as PagerTree shows it")
	}
	return nil
}

// normalizeAPIBaseURL applies the rule for URLs that get a secret (checkOutgoingURL) to the API
// URL ("" means PagerTree's), which also may not hold a query or fragment.
func normalizeAPIBaseURL(raw string, guard *pagertreeclient.Guard) (base, host string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = pagertreeclient.DefaultAPIBaseURL
	}
	u, err := checkOutgoingURL(raw, "the PagerTree API URL", "leave it as "+pagertreeclient.DefaultAPIBaseURL+" unless you use a PagerTree test server", guard)
	if err != nil {
		return "", "", err
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", "", fmt.Errorf("the PagerTree API URL must not contain a query or fragment")
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), u.Host, nil
}

// apiUnavailable says, for anyone, why the REST API cannot be used, or "" when it can. It never
// names a setting's value or a host (non-admins read it); admins see Problem in /pagertree status.
func (c apiConfig) apiUnavailable() string {
	switch {
	case c.API != nil:
		return ""
	case !c.KeySet:
		return "no PagerTree API key is set in the plugin settings"
	}
	return "the plugin's PagerTree API settings need fixing"
}

// apiStatus says whether the REST API is usable, for /pagertree status (never the key itself).
func apiStatus(c apiConfig) string {
	switch {
	case c.Problem != "":
		return "needs fixing: " + c.Problem
	case !c.KeySet:
		return "no API key (on-call and acting on alerts are off)"
	}
	return "API key set · " + c.Host
}
