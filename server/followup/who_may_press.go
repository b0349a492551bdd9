package followup

import (
	"context"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// mayPressTimeout bounds the check with PagerTree that a user is one of its team members.
const mayPressTimeout = 8 * time.Second

// mayPress applies the WhoMayPress rule to a user who can read the channel; "" means
// allowed, otherwise the sentence says why not. ctx is the press's.
func (s *Service) mayPress(ctx context.Context, cfg *Config, user *model.User) string {
	switch cfg.WhoMayPress {
	case PressSystemAdmins:
		if !s.mm.HasPermissionTo(user.Id, model.PermissionManageSystem) {
			return "Only System Admins may acknowledge or resolve PagerTree alerts from Mattermost (a plugin setting). Open the alert in PagerTree instead."
		}
	case PressPagerTreeUsers:
		if cfg.Actor.API == nil {
			return "Only PagerTree team members may acknowledge or resolve alerts from Mattermost, and the plugin cannot check who is one because " + cfg.APIUnavailable + ". Ask a System Admin."
		}
		check, cancel := context.WithTimeout(ctx, mayPressTimeout)
		defer cancel()
		_, ok, err := cfg.Actor.API.AccountUserByEmail(check, user.Email)
		if err != nil {
			return "The plugin could not check with PagerTree that you are a PagerTree team member: " + err.Error() + ". Try again in a moment."
		}
		if !ok {
			return "Only PagerTree team members may acknowledge or resolve alerts from Mattermost, and your Mattermost e-mail is not a PagerTree user's in this account."
		}
	}
	return ""
}
