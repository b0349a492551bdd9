package paging

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Class sorts PagerTree's answers by what to do next.
type Class string

// The classes of outcomes.
const (
	Delivered Class = "delivered" // 2xx
	Transient Class = "transient" // 408, 429, 5xx, network: retry with backoff
	Permanent Class = "permanent" // other 4xx and anything else: retrying will not help
)

// WillRetry reports whether an outcome of this class is sent again (until the retry window ends).
func (c Class) WillRetry() bool { return c == Transient }

// Outcome is one attempt's result.
type Outcome struct {
	Class      Class         `json:"class"`
	StatusCode int           `json:"status_code,omitempty"` // 0 when no HTTP answer came
	Meaning    string        `json:"meaning"`
	Error      string        `json:"error,omitempty"`
	RetryAfter time.Duration `json:"retry_after,omitempty"`
}

// Answer names what an HTTP status from the integration endpoint means (DESIGN §4.3): the one
// reading of PagerTree's status codes, for the meaning shown to people and for metrics labels.
type Answer string

// The answers, by status code (see AnswerOf).
const (
	AnswerAccepted      Answer = "accepted"
	AnswerTokenRejected Answer = "token_rejected"
	AnswerNoIntegration Answer = "no_integration"
	AnswerDisabled      Answer = "integration_disabled"
	AnswerPlanProblem   Answer = "payment_required"
	AnswerRateLimited   Answer = "rate_limited"
	AnswerTimedOut      Answer = "request_timeout"
	AnswerServerError   Answer = "server_error"
	AnswerRedirect      Answer = "redirect"
	AnswerBadRequest    Answer = "bad_request"
	AnswerOtherStatus   Answer = "other_status"
)

// AnswerOf reads a status code.
func AnswerOf(code int) Answer {
	switch {
	case code >= 200 && code < 300:
		return AnswerAccepted
	case code == http.StatusForbidden:
		return AnswerTokenRejected
	case code == http.StatusNotFound:
		return AnswerNoIntegration
	case code == http.StatusMethodNotAllowed:
		return AnswerDisabled
	case code == http.StatusPaymentRequired:
		return AnswerPlanProblem
	case code == http.StatusTooManyRequests:
		return AnswerRateLimited
	case code == http.StatusRequestTimeout:
		return AnswerTimedOut
	case code >= 500:
		return AnswerServerError
	case code >= 300 && code < 400:
		return AnswerRedirect
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		return AnswerBadRequest
	}
	return AnswerOtherStatus
}

// Meaning says in plain words what PagerTree's status code means for an admin.
func Meaning(code int) string {
	switch AnswerOf(code) {
	case AnswerAccepted:
		return "accepted by PagerTree"
	case AnswerTokenRejected:
		return "PagerTree rejected the token: the token in the plugin settings does not match the one on the PagerTree integration"
	case AnswerNoIntegration:
		return "PagerTree has no integration at this endpoint URL: copy the URL again from the integration's page in PagerTree"
	case AnswerDisabled:
		return "the PagerTree integration is disabled: enable it in PagerTree"
	case AnswerPlanProblem:
		return "PagerTree refused the alert because of an account or plan problem: check billing in PagerTree"
	case AnswerRateLimited:
		return "PagerTree is rate limiting this integration"
	case AnswerTimedOut:
		return "PagerTree timed out reading the request"
	case AnswerServerError:
		return "PagerTree had a server error"
	case AnswerRedirect:
		return "the endpoint URL redirects elsewhere: use the final https URL from PagerTree"
	case AnswerBadRequest:
		return "PagerTree could not read the alert: check that the integration format setting matches the integration type"
	}
	return "PagerTree answered HTTP " + strconv.Itoa(code) + ", which retrying will not fix"
}

// ClassifyStatus classifies an HTTP answer; retryAfter is the Retry-After header, if any.
func ClassifyStatus(code int, retryAfter string, now time.Time) Outcome {
	o := Outcome{StatusCode: code, Meaning: Meaning(code)}
	switch {
	case code >= 200 && code < 300:
		o.Class = Delivered
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		o.Class = Transient
		o.RetryAfter = ParseRetryAfter(retryAfter, now)
	default:
		o.Class = Permanent
	}
	return o
}

// MaxRetryAfter caps what a Retry-After may ask for: a huge value must neither overflow nor
// park an alert (or an action) for longer than anyone would wait.
const MaxRetryAfter = time.Hour

// ParseRetryAfter reads seconds or an HTTP date, capped at MaxRetryAfter; 0 when absent or
// unreadable. The one reader of Retry-After for both PagerTree clients.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(min(s, int(MaxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), MaxRetryAfter)
	}
	return 0
}

// ClassifyError classifies a request that got no HTTP answer. Network trouble is transient.
func ClassifyError(err error) Outcome {
	o := Outcome{Class: Transient, Error: err.Error()}
	var netErr net.Error
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		o.Meaning = "PagerTree did not answer in time"
	case errors.As(err, &dnsErr):
		o.Meaning = "the endpoint's host name could not be resolved: check the endpoint URL and the server's DNS"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		o.Meaning = "could not connect to PagerTree"
	default:
		o.Meaning = "the request to PagerTree failed"
	}
	return o
}
