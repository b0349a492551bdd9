package pagertreeclient

import (
	"context"
	"net/http"
	"strconv"
	"strings"
)

// maxUserPages bounds how many pages of 100 account users one lookup reads.
const maxUserPages = 5

// AccountUserByEmail finds the account's team member whose e-mail (any of them, case-insensitive)
// is email; ok is false when nobody matches. It reads at most 500 users (the list endpoint's
// exact filters are unverified, so the plugin filters itself).
func (a *API) AccountUserByEmail(ctx context.Context, email string) (AccountUser, bool, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return AccountUser{}, false, nil
	}
	op := "list the account's users"
	for page := 1; page <= maxUserPages; page++ {
		body, err := a.do(ctx, http.MethodGet, "/api/v4/account_users?limit=100&page="+strconv.Itoa(page), nil, op)
		if err != nil {
			return AccountUser{}, false, err
		}
		env, derr := decodeList(body)
		if derr != nil {
			return AccountUser{}, false, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
		}
		for _, raw := range env.Data {
			u, uerr := decodeAccountUser(raw)
			if uerr != nil {
				continue
			}
			for _, e := range u.Emails {
				if strings.EqualFold(e, email) {
					return u, true, nil
				}
			}
		}
		if !env.HasMore || len(env.Data) == 0 {
			break
		}
	}
	return AccountUser{}, false, nil
}
