package followup

import (
	"context"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// mayPressTimeout bounds the check with PagerTree that a user is one of its team members.
const mayPressTimeout = 8 * time.Second

// The WhoMayPress rule, in two halves so that a refused press costs PagerTree nothing: what
// Mattermost alone decides (the System Admin rule; under "PagerTree team members", a verified
// e-mail and an API key) comes first, the team-member lookup (the cached, shared user
// directory of pagertreeclient) last, after every other local check of the press.

// VerifiedEmail is the identity proof (issue 21 finding 3): a Mattermost e-mail is taken as
// the person's only when Mattermost verified it (model.User.EmailVerified: the user followed
// the link Mattermost sent, or the sign-in service — SAML, LDAP, OAuth — vouched for it, or a
// System Admin set it). Anyone can type any address into their profile when verification is off, so an
// unverified one proves nothing: it neither lets a press through nor names who acknowledged
// or who is on call. It returns "" when the user has no proven e-mail.
func VerifiedEmail(u *model.User) string {
	if u == nil || u.DeleteAt != 0 || !u.EmailVerified {
		return ""
	}
	return u.Email
}

// mayPress applies the whole rule (both halves) to a user who can read the channel; "" means
// allowed, otherwise the sentence says why not. ctx is the press's.
func (s *Service) mayPress(ctx context.Context, cfg *Config, user *model.User) string {
	isAdmin := s.mm.HasPermissionTo(user.Id, model.PermissionManageSystem)
	if why := mayPressLocally(cfg, user, isAdmin); why != "" {
		return why
	}
	return s.mayPressAsTeamMember(ctx, cfg, user, isAdmin)
}

// onlyMembers opens the sentences of the "PagerTree team members" rule.
var onlyMembers = "Only PagerTree team members may " + alertstate.Verbs("or") + " alerts from Mattermost"

// mayPressLocally is the half Mattermost decides alone.
func mayPressLocally(cfg *Config, user *model.User, isAdmin bool) string {
	switch cfg.WhoMayPress {
	case PressSystemAdmins:
		if !isAdmin {
			return "Only System Admins may " + alertstate.Verbs("or") + " PagerTree alerts from Mattermost (a plugin setting). Open the alert in PagerTree instead."
		}
	case PressPagerTreeUsers:
		if cfg.Actor.API == nil {
			if isAdmin {
				return onlyMembers + ", and the plugin cannot check who is one because " + cfg.APIUnavailable + "."
			}
			return onlyMembers + ", and the plugin cannot check who is one now. " + pagertreeclient.SettingsNeedAdmin
		}
		if VerifiedEmail(user) == "" {
			return onlyMembers + ", and they are recognised by a verified Mattermost e-mail: yours is not verified, so the plugin cannot tell that it is yours. Verify it (Mattermost sends a link when e-mail verification is on) or ask a System Admin to, then try again."
		}
	}
	return ""
}

// mayPressAsTeamMember is the lookup half: under "PagerTree team members", the user's verified
// e-mail must be a PagerTree account user's.
func (s *Service) mayPressAsTeamMember(ctx context.Context, cfg *Config, user *model.User, isAdmin bool) string {
	if cfg.WhoMayPress != PressPagerTreeUsers || cfg.Actor.API == nil {
		return ""
	}
	check, cancel := context.WithTimeout(ctx, mayPressTimeout)
	defer cancel()
	_, ok, err := cfg.Actor.API.AccountUserByEmail(check, VerifiedEmail(user))
	if err != nil {
		return "The plugin could not check with PagerTree that you are a PagerTree team member. " + pagertreeclient.SentenceFor(err, isAdmin)
	}
	if !ok {
		return onlyMembers + ", and your verified Mattermost e-mail is not a PagerTree user's in this account."
	}
	return ""
}
