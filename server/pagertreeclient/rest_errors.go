package pagertreeclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// ErrorKind sorts the REST API's failures by what a person (or the retry loop) can do.
type ErrorKind string

// The kinds, by HTTP status or failure (see kindOf).
const (
	KindBadKey      ErrorKind = "bad_key"      // 401: the API key is wrong, revoked or missing
	KindForbidden   ErrorKind = "forbidden"    // 403: the key's user may not do this
	KindNotFound    ErrorKind = "not_found"    // 404, or no alert with that thirdparty id
	KindNotAllowed  ErrorKind = "not_allowed"  // 409/422: not possible in the alert's current state
	KindRateLimited ErrorKind = "rate_limited" // 429: back off, honour Retry-After
	KindTransient   ErrorKind = "transient"    // 408, 5xx, timeouts, connection errors
	KindRejected    ErrorKind = "rejected"     // any other answer retrying will not fix
	KindBadAnswer   ErrorKind = "bad_answer"   // 2xx whose body is not what the API documents
	KindInternal    ErrorKind = "internal"     // the API URL is an internal address Mattermost does not allow
)

// APIError is a failed REST API call. Error() is for logs; Sentence() is for a person.
type APIError struct {
	Kind       ErrorKind
	Op         string        // what was being done, e.g. "acknowledge the alert"
	Status     int           // 0 when no HTTP answer came
	Messages   []string      // PagerTree's own error messages, if it sent any
	RetryAfter time.Duration // from Retry-After on 429/503
	Err        error         // the network or decoding cause (never holds the key)
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "PagerTree API: %s: %s", e.Op, e.Kind)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if len(e.Messages) > 0 {
		b.WriteString(": " + strings.Join(e.Messages, "; "))
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// Retryable reports whether trying again later may succeed.
func (e *APIError) Retryable() bool { return e.Kind == KindTransient || e.Kind == KindRateLimited }

// Sentence says what went wrong and what to do, for the person who asked.
func (e *APIError) Sentence() string {
	said := ""
	if len(e.Messages) > 0 {
		said = " (PagerTree said: " + strings.Join(e.Messages, "; ") + ")"
	}
	switch e.Kind {
	case KindBadKey:
		return "PagerTree rejected the API key: it is wrong, revoked or belongs to a removed user. A System Admin can create a new one in PagerTree (User Settings > API keys) and paste it into the plugin settings."
	case KindForbidden:
		return "PagerTree refused: the API key's user is not allowed to " + e.Op + said + "."
	case KindNotFound:
		return "PagerTree could not find it" + said + ": it may have been deleted, or PagerTree has not created it yet."
	case KindNotAllowed:
		return "PagerTree would not " + e.Op + " in its current state" + said + "; it may already be acknowledged or resolved."
	case KindRateLimited:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("PagerTree is rate limiting the plugin; try again in %s.", e.RetryAfter.Round(time.Second))
		}
		return "PagerTree is rate limiting the plugin; try again in a minute."
	case KindTransient:
		if e.Status != 0 {
			return fmt.Sprintf("PagerTree had a server error (HTTP %d); try again in a moment.", e.Status)
		}
		return "PagerTree could not be reached (" + e.networkReason() + "); try again in a moment."
	case KindBadAnswer:
		return "PagerTree answered in an unexpected shape, so the plugin cannot tell whether it worked; check in PagerTree."
	case KindInternal:
		return "The PagerTree API URL's host is an internal address, which Mattermost only lets integrations reach when it is listed in " + AllowSettingName + "."
	}
	return fmt.Sprintf("PagerTree refused to %s (HTTP %d)%s.", e.Op, e.Status, said)
}

func (e *APIError) networkReason() string {
	var netErr net.Error
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case e.Err == nil:
		return "no answer"
	case errors.Is(e.Err, context.DeadlineExceeded) || (errors.As(e.Err, &netErr) && netErr.Timeout()):
		return "no answer in time"
	case errors.As(e.Err, &dnsErr):
		return "the API host name could not be resolved"
	case errors.As(e.Err, &opErr) && opErr.Op == "dial":
		return "the connection was refused or blocked"
	}
	return "the request failed"
}

// SettingsNeedAdmin is what a person who is not a System Admin is told when the cause is the
// plugin's settings: that a System Admin must look, never the host, the setting or the problem.
const SettingsNeedAdmin = "The plugin's PagerTree API key or settings need a System Admin's attention. Ask a System Admin to check the PagerTree plugin."

// SentenceFor says what went wrong with a REST API call, for a System Admin (isAdmin: every
// detail) or anyone else: the same, unless it is about the key or the API settings (a rejected
// or unauthorised key, an internal address), which only an admin may see and fix. The one
// owner of this rule (commands, buttons, the press check).
func SentenceFor(err error, isAdmin bool) string {
	var ae *APIError
	if !errors.As(err, &ae) {
		return err.Error()
	}
	if !isAdmin && (ae.Kind == KindBadKey || ae.Kind == KindForbidden || ae.Kind == KindInternal) {
		return SettingsNeedAdmin
	}
	return ae.Sentence()
}

// IsKind reports whether err is an *APIError of that kind.
func IsKind(err error, kind ErrorKind) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Kind == kind
}

// kindOf classifies an HTTP status that is not 2xx.
func kindOf(status int) ErrorKind {
	switch {
	case status == http.StatusUnauthorized:
		return KindBadKey
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusConflict || status == http.StatusUnprocessableEntity:
		return KindNotAllowed
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusRequestTimeout || status >= 500:
		return KindTransient
	}
	return KindRejected
}

// maxErrorMessages and maxErrorMessageRunes bound what of PagerTree's error text is shown.
const (
	maxErrorMessages     = 3
	maxErrorMessageRunes = 200
)

// decodeErrorMessages reads {"errors":[{"message":…}],"code":…}; strings in "errors" and a
// top-level "message" or "error" are accepted too. Messages come back single-line and short:
// they are shown to people in chat.
func decodeErrorMessages(body []byte) []string {
	var j struct {
		Errors  []json.RawMessage `json:"errors"`
		Message flexString        `json:"message"`
		Error   flexString        `json:"error"`
	}
	if json.Unmarshal(body, &j) != nil {
		return nil
	}
	out := []string{}
	add := func(s string) {
		if s = cleanMessage(s); s != "" && len(out) < maxErrorMessages {
			out = append(out, s)
		}
	}
	for _, raw := range j.Errors {
		var m struct {
			Message flexString `json:"message"`
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			add(s)
		} else if json.Unmarshal(raw, &m) == nil {
			add(string(m.Message))
		}
	}
	add(string(j.Message))
	add(string(j.Error))
	if len(out) == 0 {
		return nil
	}
	return out
}

func cleanMessage(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > maxErrorMessageRunes {
		s = string(r[:maxErrorMessageRunes-1]) + "…"
	}
	return alertstate.Neutralize(s) // Sentence() is posted: PagerTree's words render no image or mention
}
