package followup

import (
	"fmt"
	"strconv"
	"strings"
)

// PasteMode is what PagerTree's Outgoing Webhook integration must be given on this server.
type PasteMode string

// The modes.
const (
	// PasteSecretURL: the receiver's URL with the secret at its end, basic auth left empty.
	PasteSecretURL PasteMode = "secret_url"
	// PasteBasicAuth: the plain URL with the basic-auth username and password.
	PasteBasicAuth PasteMode = "basic_auth"
)

// SetupAdvice says what to paste into PagerTree and why, in a sentence for an admin.
type SetupAdvice struct {
	Mode PasteMode `json:"mode"`
	Text string    `json:"text"`
}

// headerFixedIn is the first server that passes a plugin the Authorization header of a request
// without a Mattermost session (mattermost/mattermost#23575, fixed by PR #24391). A later
// change dropped it again on some versions (#34200), so a version at or after this one is no
// promise: what the last event showed is.
var headerFixedIn = [2]int{9, 4}

// Advise is the one rule for what to paste into PagerTree: from how the last event arrived
// when there was one, otherwise from the server version (GetServerVersion; "" when unknown).
func Advise(last *LastEvent, serverVersion string) SetupAdvice {
	switch {
	case last != nil && last.HeaderArrived:
		return SetupAdvice{Mode: PasteBasicAuth, Text: "Basic auth reaches the plugin on this server (the last event's Authorization header arrived): " +
			"paste the plain receiver URL and set basic auth to the username and password. The URL with the secret works too, " +
			"and keeps working if a server upgrade stops passing the header on."}
	case last != nil && last.ByURLSecret:
		return SetupAdvice{Mode: PasteSecretURL, Text: "Basic auth does not reach the plugin on this server (the last event came with the URL secret and no Authorization header): " +
			"paste the receiver URL with the secret and leave basic auth empty."}
	}
	if major, minor, ok := parseVersion(serverVersion); ok && (major < headerFixedIn[0] || major == headerFixedIn[0] && minor < headerFixedIn[1]) {
		return SetupAdvice{Mode: PasteSecretURL, Text: fmt.Sprintf("Mattermost %s removes the Authorization header from every request to a plugin (fixed in %d.%d), so basic auth cannot work here: "+
			"paste the receiver URL with the secret and leave basic auth empty.", serverVersion, headerFixedIn[0], headerFixedIn[1])}
	}
	return SetupAdvice{Mode: PasteSecretURL, Text: "Paste the receiver URL with the secret and leave basic auth empty: it works on every Mattermost version. " +
		"Basic auth with the plain URL works only where the server passes the Authorization header on to plugins, which depends on the version; " +
		"after the first event, this says which."}
}

// parseVersion reads "9.11.2" (or "v9.11.2") as 9, 11.
func parseVersion(v string) (int, int, bool) {
	parts := strings.SplitN(strings.TrimPrefix(strings.TrimSpace(v), "v"), ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}
