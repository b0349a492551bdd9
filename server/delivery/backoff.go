package delivery

import (
	"math/rand/v2"
	"time"
)

// Backoff returns the wait before retry number attempt (1 = after the first failure):
// exponential from base, capped, with ±20% jitter so nodes and alerts do not retry in step.
func Backoff(base, maxWait time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < maxWait; i++ {
			d *= 2
		}
		if d > maxWait {
			d = maxWait
		}
		jitter := time.Duration(rand.Int64N(int64(d)/5+1)) * 2 //nolint:gosec // jitter needs no secrecy
		return d - d/5 + jitter
	}
}

// DefaultBackoff waits about 2 s, 4 s, 8 s, … up to 5 minutes between attempts.
var DefaultBackoff = Backoff(2*time.Second, 5*time.Minute)
