package followup

import (
	"encoding/json"
	"sync"
	"time"
)

// What /pagertree status says about thread replies sent as comments: how many wait, and the
// newest failure. A failure is noted in memory and written by the action retries' owner at
// most once per sweep, so an outage that fails many comments does not write one key each time.
const commentProblemKey = "comments_last_problem"

// CommentProblem is the newest failure to send a reply as a comment.
type CommentProblem struct {
	At      time.Time `json:"at"`
	Problem string    `json:"problem"`           // a sentence for an admin
	GaveUp  bool      `json:"gave_up,omitempty"` // false: it is retried
}

// CommentsStatus is the comments' part of Status.
type CommentsStatus struct {
	Waiting     int             // replies not sent yet (retrying, or about to be sent)
	LastProblem *CommentProblem // nil when none was recorded
}

type commentNote struct {
	mu      sync.Mutex
	pending *CommentProblem
	newest  *CommentProblem
}

func (n *commentNote) note(p CommentProblem) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.newest == nil || !p.At.Before(n.newest.At) {
		n.pending, n.newest = &p, &p
	}
}

// flushCommentNote writes the newest failure noted, if any; on failure it is kept.
func (s *Service) flushCommentNote() {
	n := &s.commentNote
	n.mu.Lock()
	p := n.pending
	n.pending = nil
	n.mu.Unlock()
	if p == nil {
		return
	}
	err := s.kv.Update(commentProblemKey, func(old []byte) ([]byte, error) {
		var cur CommentProblem
		if json.Unmarshal(old, &cur) == nil && cur.At.After(p.At) {
			return old, nil
		}
		return json.Marshal(p)
	})
	if err != nil {
		n.mu.Lock()
		if n.pending == nil {
			n.pending = p
		}
		n.mu.Unlock()
	}
}

// commentsStatus reads how many replies wait and the newest failure (this node's when newer).
func (s *Service) commentsStatus() CommentsStatus {
	var st CommentsStatus
	if list, err := s.comments.set.Keys(); err == nil {
		st.Waiting = len(list)
	}
	if raw, err := s.kv.Get(commentProblemKey); err == nil && raw != nil {
		var p CommentProblem
		if json.Unmarshal(raw, &p) == nil {
			st.LastProblem = &p
		}
	}
	s.commentNote.mu.Lock()
	if mine := s.commentNote.newest; mine != nil && (st.LastProblem == nil || mine.At.After(st.LastProblem.At)) {
		cp := *mine
		st.LastProblem = &cp
	}
	s.commentNote.mu.Unlock()
	return st
}
