package pagertreeclient

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxUserPages bounds how many pages of 100 account users one read takes; maxDirectoryUsers
// bounds what is kept of them.
const (
	maxUserPages      = 5
	maxDirectoryUsers = maxUserPages * 100
)

// UserListTTL is how long the account's users, once read, answer every e-mail lookup: a
// lookup (a press checked against "PagerTree team members", a name for "acknowledged by") costs
// PagerTree nothing within it, whether it finds someone or not. A user just added in PagerTree
// is found at most this long later.
const UserListTTL = time.Minute

// AccountUserByEmail finds the account's team member whose e-mail (any of them, case-insensitive)
// is email; ok is false when nobody matches. It looks in the account's first 500 users (the
// list endpoint's exact filters are unverified, so the plugin filters itself), read once per
// UserListTTL and shared by concurrent lookups (userDirectory).
func (a *API) AccountUserByEmail(ctx context.Context, email string) (AccountUser, bool, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return AccountUser{}, false, nil
	}
	users, err := a.users.list(ctx, a.readAccountUsers)
	if err != nil {
		return AccountUser{}, false, err
	}
	for _, u := range users {
		for _, e := range u.Emails {
			if strings.EqualFold(e, email) {
				return u, true, nil
			}
		}
	}
	return AccountUser{}, false, nil
}

// readAccountUsers reads up to maxUserPages pages of the account's users.
func (a *API) readAccountUsers(ctx context.Context) ([]AccountUser, error) {
	op := "list the account's users"
	users := []AccountUser{}
	for page := 1; page <= maxUserPages; page++ {
		body, err := a.do(ctx, http.MethodGet, "/api/v4/account_users?limit=100&page="+strconv.Itoa(page), nil, op)
		if err != nil {
			return nil, err
		}
		env, derr := decodeList(body)
		if derr != nil {
			return nil, &APIError{Kind: KindBadAnswer, Op: op, Status: http.StatusOK, Err: derr}
		}
		for _, raw := range env.Data {
			if u, uerr := decodeAccountUser(raw); uerr == nil && len(users) < maxDirectoryUsers {
				users = append(users, u)
			}
		}
		if !env.HasMore || len(env.Data) == 0 || len(users) >= maxDirectoryUsers {
			break
		}
	}
	return users, nil
}

// userDirectory keeps the account's users of one API client (a new configuration starts
// afresh) for UserListTTL, and shares one read between concurrent lookups. A failed read is
// not kept: the next lookup asks again.
type userDirectory struct {
	mu    sync.Mutex
	users []AccountUser
	at    time.Time
	reads Shared[[]AccountUser]
	now   func() time.Time
}

func (d *userDirectory) list(ctx context.Context, read func(context.Context) ([]AccountUser, error)) ([]AccountUser, error) {
	d.mu.Lock()
	now := d.now()
	if d.users != nil && !now.Before(d.at) && now.Sub(d.at) < UserListTTL {
		users := d.users
		d.mu.Unlock()
		return users, nil
	}
	d.mu.Unlock()
	return d.reads.Do(ctx, "users", func(ctx context.Context) ([]AccountUser, error) {
		users, err := read(ctx)
		if err == nil {
			d.mu.Lock()
			d.users, d.at = users, d.now()
			d.mu.Unlock()
		}
		return users, err
	})
}
