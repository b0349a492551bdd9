package followup

import "github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"

// mentionPeople turns PagerTree people into @mentions when their e-mail is a Mattermost
// user's verified e-mail (verifiedEmail: the same proof as "PagerTree team members"). A
// username or an unverified e-mail proves nothing (anyone may set their own to match), so
// such people keep PagerTree's name. One local lookup each.
func (s *Service) mentionPeople(ev *alertstate.Event) {
	for _, person := range []*alertstate.Person{&ev.By, &ev.From} {
		if person.Email == "" {
			continue
		}
		if u, appErr := s.mm.GetUserByEmail(person.Email); appErr == nil && VerifiedEmail(u) != "" {
			person.Mention = "@" + u.Username
		}
	}
}
