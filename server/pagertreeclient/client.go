// Package pagertreeclient is PagerTree's HTTP contract in one place: the integration endpoint
// client (sending alerts, and acknowledge/resolve for the Webhook format) and the REST API v4 client.
package pagertreeclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// DefaultTimeout bounds one request, connection to last byte.
const DefaultTimeout = 10 * time.Second

// Client sends alerts to one endpoint in one format. Immutable; rebuilt on configuration change.
type Client struct {
	http      *http.Client
	endpoint  string
	token     string
	format    paging.Format
	userAgent string
	now       func() time.Time
}

// New builds a client with its own transport and timeouts (see newHTTPClient). guard decides
// which addresses may be dialled (nil: any, for tests only).
func New(endpoint, token string, format paging.Format, timeout time.Duration, userAgent string, guard *Guard) *Client {
	return &Client{
		http:      newHTTPClient(timeout, guard),
		endpoint:  endpoint,
		token:     token,
		format:    format,
		userAgent: userAgent,
		now:       time.Now,
	}
}

// CloseIdle releases the idle connections of a client that a new configuration replaced.
func (c *Client) CloseIdle() { c.http.CloseIdleConnections() }

// Body builds the request body for a, in this client's format.
func (c *Client) Body(a paging.Alert) ([]byte, error) {
	if c.format == paging.FormatWebhook {
		return paging.BuildWebhook(a)
	}
	return paging.BuildMattermost(a, c.token)
}

// Send posts one alert and classifies the answer. It never returns a Go error: every failure
// becomes an Outcome with a meaning a person can act on.
func (c *Client) Send(ctx context.Context, a paging.Alert) paging.Outcome {
	body, err := c.Body(a)
	if err != nil {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the alert could not be encoded", Error: err.Error()}
	}
	return c.post(ctx, body, c.format == paging.FormatWebhook)
}

// post sends one JSON body to the integration endpoint (the token in the pagertree-token header
// when tokenHeader: the Webhook format) and classifies the answer.
func (c *Client) post(ctx context.Context, body []byte, tokenHeader bool) paging.Outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return paging.Outcome{Class: paging.Permanent, Meaning: "the endpoint URL is not valid", Error: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if tokenHeader && c.token != "" {
		req.Header.Set("pagertree-token", c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return outcomeOfError(err)
	}
	defer func() { _ = resp.Body.Close() }()
	// Drain a little so the connection can be reused; PagerTree's body is empty.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return paging.ClassifyStatus(resp.StatusCode, resp.Header.Get("Retry-After"), c.now())
}

// outcomeOfError classifies a request to the integration endpoint that got no HTTP answer.
func outcomeOfError(err error) paging.Outcome {
	if f, ok := IsForbidden(err); ok {
		// Retrying will not help until an admin lists the host or changes the endpoint.
		// The meaning may reach the poster: it names the setting, not the address.
		return paging.Outcome{Class: paging.Permanent, Error: f.Error(),
			Meaning: "the endpoint's host is an internal address, which Mattermost only lets integrations reach when it is listed in " + AllowSettingName}
	}
	return paging.ClassifyError(redact(err))
}

// redact drops the URL from a *url.Error: the endpoint URL is itself a credential of sorts
// (PagerTree's integration URLs are unguessable ids), so it stays out of logs and messages.
func redact(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return &redactedError{op: uerr.Op, err: uerr.Err}
	}
	return err
}

type redactedError struct {
	op  string
	err error
}

func (e *redactedError) Error() string { return e.op + " to PagerTree endpoint: " + e.err.Error() }
func (e *redactedError) Unwrap() error { return e.err }
