package paging

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestClassifyStatus(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		code       int
		retryAfter string
		class      Class
		meaning    string
		wait       time.Duration
	}{
		{200, "", Delivered, "accepted", 0},
		{202, "", Delivered, "accepted", 0},
		{403, "", Permanent, "token", 0},
		{404, "", Permanent, "no integration", 0},
		{405, "", Permanent, "disabled", 0},
		{402, "", Permanent, "account", 0},
		{400, "", Permanent, "format", 0},
		{301, "", Permanent, "redirects", 0},
		{408, "", Transient, "timed out", 0},
		{429, "7", Transient, "rate limiting", 7 * time.Second},
		{429, "Fri, 27 Nov 2026 12:00:30 GMT", Transient, "rate limiting", 30 * time.Second},
		{429, "soon", Transient, "rate limiting", 0},
		{500, "", Transient, "server error", 0},
		{503, "2", Transient, "server error", 2 * time.Second},
		{418, "", Permanent, "418", 0},
	}
	for _, c := range cases {
		o := ClassifyStatus(c.code, c.retryAfter, now)
		if o.Class != c.class || !strings.Contains(o.Meaning, c.meaning) || o.RetryAfter != c.wait || o.StatusCode != c.code {
			t.Errorf("ClassifyStatus(%d, %q) = %+v", c.code, c.retryAfter, o)
		}
	}
}

func TestClassifyError(t *testing.T) {
	cases := []struct {
		err     error
		meaning string
	}{
		{context.DeadlineExceeded, "in time"},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, "connect"},
		{&net.DNSError{Err: "no such host", Name: "x.invalid"}, "resolved"},
		{errors.New("EOF"), "failed"},
	}
	for _, c := range cases {
		o := ClassifyError(c.err)
		if o.Class != Transient || !strings.Contains(o.Meaning, c.meaning) || o.StatusCode != 0 {
			t.Errorf("ClassifyError(%v) = %+v", c.err, o)
		}
	}
}

// Whether an outcome is retried is its class, never words in its meaning.
func TestRetryIsTheClassNotTheMeaning(t *testing.T) {
	now := time.Now()
	for code := 100; code < 600; code++ {
		o := ClassifyStatus(code, "", now)
		if strings.Contains(o.Meaning, "will retry") || o.Class.WillRetry() != (o.Class == Transient) {
			t.Errorf("%d: %+v", code, o)
		}
	}
	for _, err := range []error{context.DeadlineExceeded, &net.DNSError{Err: "no such host"}, &net.OpError{Op: "dial", Err: errors.New("refused")}, errors.New("eof")} {
		if o := ClassifyError(err); !o.Class.WillRetry() || strings.Contains(o.Meaning, "retry") {
			t.Errorf("%v: %+v", err, o)
		}
	}
	if Delivered.WillRetry() || Permanent.WillRetry() {
		t.Error("only transient outcomes are retried")
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"120": 2 * time.Minute, "3600": time.Hour, "86400": time.Hour, "99999999999999999": time.Hour,
		now.Add(48 * time.Hour).Format(http.TimeFormat): time.Hour, "-5": 0, "soon": 0,
	} {
		if got := ParseRetryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}
