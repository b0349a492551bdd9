package followup

import "github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"

// mentionPeople turns PagerTree people into @mentions when their e-mail or username is a
// Mattermost user's. One local lookup each; unknown people keep PagerTree's name.
func (s *Service) mentionPeople(ev *alertstate.Event) {
	for _, person := range []*alertstate.Person{&ev.By, &ev.From} {
		if person.Email != "" {
			if u, appErr := s.mm.GetUserByEmail(person.Email); appErr == nil && u.DeleteAt == 0 {
				person.Mention = "@" + u.Username
				continue
			}
		}
		if person.Username != "" {
			if u, appErr := s.mm.GetUserByUsername(person.Username); appErr == nil && u.DeleteAt == 0 {
				person.Mention = "@" + u.Username
			}
		}
	}
}
