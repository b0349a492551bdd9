package followup

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"
)

// Thread → PagerTree (issue 19 point 3): a person's reply in the thread of an alert the plugin
// follows becomes a comment on the alert's timeline. This file holds the two rules every
// caller (the post hook, the worker, tests) goes through: which posts are sent (commentSkip)
// and what the comment says (CommentBody).

const (
	// maxCommentRunes bounds the reply's text in a comment; longer text is cut and the
	// comment links to the post.
	maxCommentRunes = 2000
	// maxFileNames bounds the attached files named; more are counted.
	maxFileNames = 10
	// maxFileNameRunes bounds one file's name.
	maxFileNameRunes = 100
)

// commentSkip says why post is not sent to PagerTree as a comment, or "" when it is a
// candidate (its thread is checked next). Field comparisons only: the post hook asks it for
// every post before it reads anything.
func commentSkip(cfg *Config, post *model.Post, botID string) string {
	switch {
	case cfg == nil:
		return "the plugin is starting"
	case !cfg.SendComments:
		return "\"Send thread replies to PagerTree as comments\" is off"
	case cfg.Actor.API == nil:
		return "no usable PagerTree API key is set"
	case post == nil || post.RootId == "":
		return "not a reply in a thread"
	case post.Type != "":
		return "system messages are not sent"
	case post.UserId == botID:
		return "the plugin's own posts are not sent"
	case post.GetProp(model.PostPropsFromWebhook) == "true", post.GetProp(model.PostPropsFromBot) == "true",
		post.GetProp(model.PostPropsFromPlugin) == "true":
		return "posts by bots, webhooks and plugins are not sent"
	case strings.TrimSpace(post.Message) == "" && len(post.FileIds) == 0:
		return "the reply is empty"
	}
	return ""
}

// CommentsState says in a few words whether thread replies reach PagerTree, for the panel
// and /pagertree status.
func (c *Config) CommentsState() string {
	switch {
	case c == nil:
		return "unknown: the plugin is starting"
	case !c.SendComments:
		return "off"
	case c.Actor.API == nil:
		return "on, but paused: " + c.APIUnavailable
	}
	return "on: people's replies in the thread of a paged post become comments on its PagerTree alert"
}

// CommentBody is the comment a reply becomes: "@username: text", the attached files by their
// names, and when the text is longer than maxCommentRunes, its start and a link to the post
// (permalink "" when the Site URL is not set).
func CommentBody(username, message string, files []string, permalink string) string {
	text := strings.TrimSpace(message)
	if utf8.RuneCountInString(text) > maxCommentRunes {
		r := []rune(text)
		text = strings.TrimRight(string(r[:maxCommentRunes]), " \n\t") + "…"
		if permalink != "" {
			text += "\n(cut; the whole message: " + permalink + ")"
		} else {
			text += "\n(cut; the whole message is in Mattermost)"
		}
	}
	if len(files) > 0 {
		names := make([]string, 0, min(len(files), maxFileNames))
		for _, f := range files[:min(len(files), maxFileNames)] {
			names = append(names, cutRunes(oneLine(f), maxFileNameRunes))
		}
		list := strings.Join(names, ", ")
		if more := len(files) - len(names); more > 0 {
			list += fmt.Sprintf(" and %d more", more)
		}
		label := "attached: "
		if text != "" {
			text += "\n"
		}
		text += "(" + label + list + ")"
	}
	return "@" + username + ": " + text
}

// oneLine makes a file name one line (names come from uploads: anything is possible).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cutStored bounds the message kept in a job: a little past what is sent, so the body can
// still tell that it was cut.
func cutStored(message string) string {
	if utf8.RuneCountInString(message) <= maxCommentRunes+1 {
		return message
	}
	return string([]rune(message)[:maxCommentRunes+1])
}
