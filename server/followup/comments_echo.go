package followup

import (
	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// The echo guard (issue 19 point 4): PagerTree's Outgoing Webhook sends back, as
// comment.created, the comments the plugin made through the API key's user (thread replies,
// and the "Acknowledged from Mattermost by @…" of an action), and polling lists them. The
// alert's record keeps what the plugin sent: the content hash before the comment is sent (the
// echo may arrive before PagerTree's answer), the ids once the answer told them. A comment
// that is one of these is never posted back to the thread.

// maxSentComments bounds the comments a record remembers (the oldest go first); the ids of
// older ones stay known as seen notices (seenKey) for the record's life.
const maxSentComments = 40

// SentComment is a comment the plugin made, or is making, on the alert's timeline.
type SentComment struct {
	Key      string `json:"key"`  // the reply's post id, or "act:…" for an action's comment
	Hash     string `json:"hash"` // pagertreeclient.CommentHash of the body sent
	ID       string `json:"id,omitempty"`
	PrefixID string `json:"prefix_id,omitempty"`
}

// noteSending records that a comment with this hash is about to be sent under key (a retry
// with the same key and hash changes nothing). It reports whether the record changed.
func (r *Record) noteSending(key, hash string) bool {
	for i, c := range r.Sent {
		if c.Key == key {
			if c.Hash == hash {
				return false
			}
			sent := append([]SentComment(nil), r.Sent...)
			sent[i].Hash = hash
			r.Sent = sent
			return true
		}
	}
	sent := append(append([]SentComment(nil), r.Sent...), SentComment{Key: key, Hash: hash})
	if len(sent) > maxSentComments {
		sent = sent[len(sent)-maxSentComments:]
	}
	r.Sent = sent
	return true
}

// noteSent records the ids PagerTree gave the comment sent under key.
func (r *Record) noteSent(key string, c pagertreeclient.Comment) bool {
	if c.ID == "" && c.PrefixID == "" {
		return false
	}
	for i, s := range r.Sent {
		if s.Key == key {
			if s.ID == c.ID && s.PrefixID == c.PrefixID {
				return false
			}
			sent := append([]SentComment(nil), r.Sent...)
			sent[i].ID, sent[i].PrefixID = c.ID, c.PrefixID
			r.Sent = sent
			return true
		}
	}
	return false
}

// echoOf is the one decision whether a comment event is the plugin's own comment coming back:
// the index of the sent comment it is, or -1. A comment whose id the plugin was told is its
// own; otherwise one with the same content hash as a comment whose id is not known yet (sent,
// PagerTree's answer not in, or told no id). A comment someone typed in PagerTree with the
// same words as one already identified is theirs.
func (r Record) echoOf(e alertstate.Event) int {
	if e.Kind != alertstate.KindCommentCreated {
		return -1
	}
	ids := []string{e.CommentID, e.CommentPrefixID}
	for i, s := range r.Sent {
		for _, id := range ids {
			if id != "" && (id == s.ID || id == s.PrefixID) {
				return i
			}
		}
	}
	hash := pagertreeclient.CommentHash(e.CommentBody)
	for i, s := range r.Sent {
		if s.Hash == hash && (s.ID == "" && s.PrefixID == "" || e.CommentID == "" && e.CommentPrefixID == "") {
			return i
		}
	}
	return -1
}

// takeEcho reports whether e is the plugin's own comment; an echo recognised by its hash
// teaches the record its ids (learned), so a second identical comment is matched by id.
func (r *Record) takeEcho(e alertstate.Event) (echo, learned bool) {
	i := r.echoOf(e)
	if i < 0 {
		return false, false
	}
	s := r.Sent[i]
	if s.ID != "" || s.PrefixID != "" || e.CommentID == "" && e.CommentPrefixID == "" {
		return true, false
	}
	sent := append([]SentComment(nil), r.Sent...)
	sent[i].ID, sent[i].PrefixID = e.CommentID, e.CommentPrefixID
	r.Sent = sent
	return true, true
}

// noteSending records the hash of a comment about to be sent (compare-and-set).
func (s *records) noteSending(tp, key, hash string) error {
	_, _, err := s.update(tp, func(r *Record) bool { return r.noteSending(key, hash) })
	return err
}

// noteSent records the ids of a comment PagerTree made, and remembers them as seen notices
// (beyond the record's bounded list): a replay of the echo however late posts nothing.
func (s *records) noteSent(tp, key string, c pagertreeclient.Comment) error {
	if _, _, err := s.update(tp, func(r *Record) bool { return r.noteSent(key, c) }); err != nil {
		return err
	}
	for _, id := range []string{c.ID, c.PrefixID} {
		if id == "" {
			continue
		}
		ident := alertstate.Event{Kind: alertstate.KindCommentCreated, CommentID: id}.Identity()
		err := retried(func() error {
			_, err := s.kv.CompareAndSet(seenKey(tp, ident), nil, []byte{1}, s.lifetime())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
