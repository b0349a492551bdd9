package followup

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// A reply to send as a comment is a job of its own in the KV store (keyed by the post, so the
// hook running twice or on two nodes makes one), listed in a sharded key set; the action
// retries' owner sends it (comments_send.go) with the actions' backoff, time limit, timeout
// and slots. The thread's alert is found by a pointer from the thread's root, written when
// the alert's card is posted in it.
const (
	commentJobPrefix = "cmt_out_"
	commentSetPrefix = "comments_work_"
	threadPrefix     = "alert_th_"
	// commentJobTTL lets a job that nobody can finish (its alert gone, every node stopped for
	// long) vanish after the retry time.
	commentJobTTL = actionRetryFor + time.Hour
	// maxJobFiles bounds the file ids a job keeps (CommentBody names at most maxFileNames).
	maxJobFiles = maxFileNames + 1
)

// CommentJob is a reply that must still reach PagerTree as a comment.
type CommentJob struct {
	PostID       string   `json:"post_id"`
	ThirdPartyID string   `json:"thirdparty_id"`
	UserID       string   `json:"user_id"`
	Message      string   `json:"message"` // as posted (cutStored); an edit later is not sent
	FileIDs      []string `json:"file_ids,omitempty"`
	FileCount    int      `json:"file_count,omitempty"`
	// Body is the comment, composed at the first try and sent as it is on every retry.
	Body       string    `json:"body,omitempty"`
	First      time.Time `json:"first"`
	Attempts   int       `json:"attempts,omitempty"`
	NextTry    time.Time `json:"next_try"`
	LeaseUntil time.Time `json:"lease_until,omitempty"`
}

// commentJobs stores the jobs.
type commentJobs struct {
	kv  kvstore.KV
	now func() time.Time
	set *kvstore.KeySet
}

func newCommentJobs(kv kvstore.KV, now func() time.Time) *commentJobs {
	if now == nil {
		now = time.Now
	}
	return &commentJobs{kv: kv, now: now, set: kvstore.NewKeySet(kv, commentSetPrefix, workSetShards)}
}

// ThreadReply is the post hook's part for comments: a person's reply in the thread of an
// alert the plugin follows is stored as a job, before it returns, and handed to the action
// retries' owner; PagerTree is never waited for here. The gate (commentSkip) comes first and
// reads nothing; a reply that passes it costs one KV read to find the thread's alert, and
// two writes when there is one.
func (s *Service) ThreadReply(post *model.Post) {
	if commentSkip(s.config(), post, s.botID) != "" {
		return
	}
	rec, ok, err := s.records.threadAlert(post.RootId)
	if err != nil {
		s.mm.LogWarn("PagerTree: could not look up the thread's alert; the reply is not sent as a comment", "post_id", post.Id, "error", err.Error())
		return
	}
	if !ok {
		return // a thread that never paged
	}
	now := s.now()
	job := CommentJob{
		PostID: post.Id, ThirdPartyID: rec.ThirdPartyID, UserID: post.UserId, Message: cutStored(post.Message),
		FileCount: len(post.FileIds), First: now, NextTry: now,
	}
	job.FileIDs = append(job.FileIDs, post.FileIds[:min(len(post.FileIds), maxJobFiles)]...)
	created, err := s.comments.add(job)
	if err != nil {
		s.mm.LogWarn("PagerTree: could not keep the reply to send as a comment", "post_id", post.Id, "error", err.Error())
		return
	}
	if created {
		s.retries.kickComment(post.Id)
	}
}

// add stores a new job (intent first: the set lists it before it exists, and an entry whose
// job is gone is dropped by the sweep). false: the job exists already (the hook ran twice).
func (c *commentJobs) add(job CommentJob) (bool, error) {
	if err := c.set.Add(job.PostID); err != nil {
		return false, err
	}
	raw, _ := json.Marshal(job)
	return c.kv.CompareAndSet(commentJobPrefix+job.PostID, nil, raw, commentJobTTL)
}

func (c *commentJobs) get(postID string) (CommentJob, []byte, error) {
	raw, err := c.kv.Get(commentJobPrefix + postID)
	if err != nil || raw == nil {
		return CommentJob{}, nil, err
	}
	var job CommentJob
	if err := json.Unmarshal(raw, &job); err != nil {
		return CommentJob{}, raw, fmt.Errorf("the comment job of post %s could not be read: %w", postID, err)
	}
	return job, raw, nil
}

// update applies fn to the job with compare-and-set; fn returns false to leave it. ok is false
// when the job is gone (sent, given up, or expired).
func (c *commentJobs) update(postID string, fn func(*CommentJob) bool) (job CommentJob, ok bool, err error) {
	for range 20 {
		cur, raw, err := c.get(postID)
		if err != nil || raw == nil {
			return CommentJob{}, false, err
		}
		if !fn(&cur) {
			return cur, true, nil
		}
		next, _ := json.Marshal(cur)
		done, err := c.kv.CompareAndSet(commentJobPrefix+postID, raw, next, commentJobTTL)
		if err != nil {
			return CommentJob{}, false, err
		}
		if done {
			return cur, true, nil
		}
	}
	return CommentJob{}, false, fmt.Errorf("too many concurrent updates of the comment job of post %s", postID)
}

// claim takes the job when it is due and nobody holds it; nil when not.
func (c *commentJobs) claim(postID string) (*CommentJob, error) {
	now := c.now()
	var taken *CommentJob
	_, _, err := c.update(postID, func(j *CommentJob) bool {
		if now.Before(j.NextTry) || now.Before(j.LeaseUntil) {
			return false
		}
		j.LeaseUntil = now.Add(actionLease)
		cp := *j
		taken = &cp
		return true
	})
	return taken, err
}

// finish removes a job sent or given up, then its set entry.
func (c *commentJobs) finish(postID string) error {
	err := retried(func() error {
		_, raw, err := c.get(postID)
		if err != nil || raw == nil {
			return err
		}
		ok, err := c.kv.CompareAndSet(commentJobPrefix+postID, raw, nil, 0)
		if err == nil && !ok {
			err = fmt.Errorf("the comment job of post %s changed while it was removed", postID)
		}
		return err
	})
	if err != nil {
		return err // the set keeps the entry: the sweep finds the job and finishes it
	}
	return retried(func() error { return c.set.Remove(postID) })
}

// threadAlert finds the alert whose card is in the thread rootID: by the pointer written when
// the card was posted, else (alerts recorded before the pointers existed) the Webhook-format
// alert of the root post itself.
func (s *records) threadAlert(rootID string) (Record, bool, error) {
	if !model.IsValidId(rootID) {
		return Record{}, false, nil
	}
	tp, err := s.kv.Get(threadPrefix + rootID)
	if err != nil {
		return Record{}, false, err
	}
	if tp == nil {
		rec, ok, err := s.get(rootID)
		if err != nil || !ok || rec.RootID != rootID {
			return Record{}, false, err
		}
		return rec, true, nil
	}
	return s.get(string(tp))
}

// Delivered is told when PagerTree took an alert sent under format f and its thread has no
// card (Confirm points the thread otherwise): its thread now belongs to it, and replies there
// may become comments. It runs after the send, never before it: the send's path keeps its one
// KV write. A reply posted before this is not sent.
func (s *Service) Delivered(a paging.Alert, f paging.Format) {
	if !followed(a) {
		return
	}
	root := a.RootID
	if root == "" {
		root = a.PostID
	}
	s.pointThread(root, paging.ThirdPartyID(a, f))
}

// pointThread points the thread at its alert when replies are sent as comments: only they
// read the pointer, and without them an alert spares the write (under a burst every write is
// the database's work). A thread paged while the setting was off has none; the Webhook format's
// alert of a thread's first post is found without it (threadAlert).
func (s *Service) pointThread(rootID, tp string) {
	if cfg := s.config(); cfg == nil || !cfg.SendComments {
		return
	}
	if err := s.records.rememberThread(rootID, tp); err != nil {
		s.mm.LogWarn("PagerTree: could not point the thread at its alert; replies in it are not sent as comments", "thirdparty_id", tp, "error", err.Error())
	}
}

// rememberThread points the thread at its alert: the newest alert of a thread gets its
// replies (a thread can page again when "One alert per thread" is off). A thread's first
// alert, nearly every one, costs one write (create only); a later one replaces the pointer.
func (s *records) rememberThread(rootID, tp string) error {
	if !model.IsValidId(rootID) || tp == "" {
		return nil
	}
	return retried(func() error {
		key := threadPrefix + rootID
		if created, err := s.kv.CompareAndSet(key, nil, []byte(tp), s.lifetime()); err != nil || created {
			return err
		}
		return kvstore.Update(s.kv, key, s.lifetime(), func([]byte) ([]byte, error) { return []byte(tp), nil })
	})
}

// permalink links to a post through Mattermost's redirect, which finds its team.
func (s *Service) permalink(postID string) string {
	site := strings.TrimRight(s.siteURL(), "/")
	if site == "" {
		return ""
	}
	return site + "/_redirect/pl/" + postID
}
