package pagertreeclient

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// ParseBasicAuth reads an Authorization header as PagerTree's outgoing webhooks send it:
// base64(user:pass) WITHOUT the "Basic " prefix (DESIGN §10), or the standard form with it.
func ParseBasicAuth(header string) (user, pass string, ok bool) {
	h := strings.TrimSpace(header)
	if len(h) >= 6 && strings.EqualFold(h[:6], "basic ") {
		h = strings.TrimSpace(h[6:])
	}
	if h == "" {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(h); err != nil {
			return "", "", false
		}
	}
	user, pass, ok = strings.Cut(string(raw), ":")
	return user, pass, ok
}

// CheckBasicAuth reports whether the header carries exactly this user and password, in
// time that does not depend on where a guess differs (digests compare at equal length).
func CheckBasicAuth(header, wantUser, wantPass string) bool {
	if wantUser == "" || wantPass == "" {
		return false
	}
	user, pass, ok := ParseBasicAuth(header)
	u1, u2 := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(wantUser))
	p1, p2 := sha256.Sum256([]byte(pass)), sha256.Sum256([]byte(wantPass))
	same := subtle.ConstantTimeCompare(u1[:], u2[:]) & subtle.ConstantTimeCompare(p1[:], p2[:])
	return ok && same == 1
}
