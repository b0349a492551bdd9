package followup

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// Sending a reply's comment: one try per claim, by the action retries' owner (its slots, its
// timeout per try, its backoff and retry time), so a reply is retried exactly like a button.

// kickComment asks for a job to be tried now. Never blocks: when the owner is busy, its
// next sweep tries the job.
func (r *actionRetries) kickComment(postID string) {
	select {
	case r.kicks <- postID:
	default:
	}
}

// tryKicked tries a kicked job when a slot is free (else the sweep does, within seconds).
func (r *actionRetries) tryKicked(ctx context.Context, postID string, slots chan struct{}, wg *sync.WaitGroup) {
	select {
	case slots <- struct{}{}:
	default:
		return
	}
	job, err := r.s.comments.claim(postID)
	if err != nil || job == nil {
		<-slots
		return
	}
	wg.Add(1)
	go func() {
		defer func() { <-slots; wg.Done() }()
		r.s.sendComment(ctx, *job)
	}()
}

// sweepComments claims every due job and tries them in the slots shared with the actions.
func (r *actionRetries) sweepComments(ctx context.Context, slots chan struct{}, wg *sync.WaitGroup) {
	s := r.s
	list, err := s.comments.set.Keys()
	if err != nil {
		s.mm.LogWarn("PagerTree: could not read the replies waiting to be sent as comments", "error", err.Error())
		return
	}
	for _, postID := range list {
		if ctx.Err() != nil {
			return
		}
		_, raw, err := s.comments.get(postID)
		if err == nil && raw == nil { // sent or given up meanwhile (or expired): the entry goes
			_ = s.comments.set.Remove(postID)
			continue
		}
		job, err := s.comments.claim(postID)
		if err != nil || job == nil {
			continue
		}
		if !inSlot(ctx, slots, wg, func() { s.sendComment(ctx, *job) }) {
			return // the claim's lease runs out: the next start tries it
		}
	}
}

// sendComment makes one try of a claimed job: the body composed once, its hash kept in the
// alert's record before it leaves (the echo guard), the alert found, the comment made; the
// ids PagerTree answered kept. A failure plans another try or gives up (commentFailed).
func (s *Service) sendComment(ctx context.Context, job CommentJob) {
	cfg := s.config()
	if cfg == nil || !cfg.SendComments {
		s.finishComment(job.PostID) // turned off meanwhile: the admin said stop
		return
	}
	if cfg.Actor.API == nil {
		s.commentFailed(job, errors.New("no usable PagerTree API key is set: "+cfg.APIUnavailable), true, 0)
		return
	}
	tp := job.ThirdPartyID
	rec, ok, err := s.records.get(tp)
	if err != nil {
		s.commentFailed(job, err, true, 0)
		return
	}
	if !ok {
		s.finishComment(job.PostID) // the alert is no longer followed
		return
	}
	if job.Body == "" {
		body, skip, cerr := s.composeComment(job)
		switch {
		case skip != "":
			s.mm.LogDebug("PagerTree: a reply is not sent as a comment: "+skip, "post_id", job.PostID)
			s.finishComment(job.PostID)
			return
		case cerr != nil:
			s.commentFailed(job, cerr, true, 0)
			return
		}
		job.Body = body
		if _, _, cerr = s.comments.update(job.PostID, func(j *CommentJob) bool { j.Body = body; return true }); cerr != nil {
			s.commentFailed(job, cerr, true, 0)
			return
		}
	}
	if err = s.records.noteSending(tp, job.PostID, pagertreeclient.CommentHash(job.Body)); err != nil {
		s.commentFailed(job, err, true, 0) // not sent: an echo could not be recognised
		return
	}
	tctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	alertID := rec.Status.AlertID
	if alertID == "" { // no event told PagerTree's id yet
		found, ferr := cfg.Actor.API.FindAlert(tctx, tp)
		if ferr != nil {
			s.commentAPIFailed(ctx, job, ferr)
			return
		}
		alertID = found.ID
	}
	made, err := cfg.Actor.API.Comment(tctx, alertID, job.Body)
	if err != nil {
		s.commentAPIFailed(ctx, job, err)
		return
	}
	if err := s.records.noteSent(tp, job.PostID, made); err != nil { // the hash still guards
		s.mm.LogWarn("PagerTree: could not keep the id of a comment sent", "thirdparty_id", tp, "error", err.Error())
	}
	s.finishComment(job.PostID)
}

// composeComment builds the comment of a job: the author's username and the files' names. A
// reply deleted before it left, or made by a bot account, is not sent (skip says why).
func (s *Service) composeComment(job CommentJob) (body, skip string, err error) {
	post, appErr := s.mm.GetPost(job.PostID)
	if appErr != nil && appErr.StatusCode == 404 || appErr == nil && post.DeleteAt != 0 {
		return "", "the reply was deleted before it was sent", nil
	}
	if appErr != nil {
		return "", "", appErr
	}
	user, appErr := s.mm.GetUser(job.UserID)
	if appErr != nil {
		return "", "", appErr
	}
	if user.IsBot {
		return "", "replies by bot accounts are not sent", nil
	}
	names := make([]string, 0, job.FileCount)
	for _, id := range job.FileIDs {
		if len(names) == maxFileNames {
			break
		}
		name := "a file"
		if fi, appErr := s.mm.GetFileInfo(id); appErr == nil && fi != nil && fi.Name != "" {
			name = fi.Name
		}
		names = append(names, name)
	}
	for len(names) < job.FileCount {
		names = append(names, "")
	}
	return CommentBody(user.Username, job.Message, names, s.permalink(job.PostID)), "", nil
}

// commentAPIFailed classifies PagerTree's refusal: retried when trying again may work (an
// alert PagerTree has not created yet is one), given up otherwise.
func (s *Service) commentAPIFailed(ctx context.Context, job CommentJob, err error) {
	if ctx.Err() != nil {
		s.commentFailed(job, err, true, 0) // stopping: the next start tries it
		return
	}
	var ae *pagertreeclient.APIError
	if !errors.As(err, &ae) {
		s.commentFailed(job, err, true, 0)
		return
	}
	notYet := ae.Kind == pagertreeclient.KindNotFound && ae.Op == "find the alert"
	s.commentFailed(job, err, ae.Retryable() || notYet, ae.RetryAfter)
}

// commentFailed plans another try with the actions' backoff while the retry time lasts
// (retry), or gives the job up; /pagertree status shows the newest failure.
func (s *Service) commentFailed(job CommentJob, err error, retry bool, retryAfter time.Duration) {
	now := s.now()
	attempts := job.Attempts + 1
	again := retry && now.Sub(job.First) < actionRetryFor
	problem := pagertreeclient.SentenceFor(err, true)
	// The failure is noted once the job says what happens next, so whoever reads the status
	// (an admin, a test) finds the job already planned.
	note := CommentProblem{At: now.UTC(), Problem: problem, GaveUp: !again}
	if again {
		_, _, uerr := s.comments.update(job.PostID, func(j *CommentJob) bool {
			j.Attempts, j.NextTry, j.LeaseUntil = attempts, now.Add(actionBackoff(attempts, retryAfter)), time.Time{}
			return true
		})
		s.commentNote.note(note)
		if uerr != nil { // the lease runs out and the sweep tries again
			s.mm.LogWarn("PagerTree: could not plan the next try of a comment", "post_id", job.PostID, "error", uerr.Error())
		}
		return
	}
	s.commentNote.note(note)
	s.mm.LogWarn("PagerTree: gave up sending a thread reply as a comment: "+problem, "post_id", job.PostID, "thirdparty_id", job.ThirdPartyID)
	s.finishComment(job.PostID)
}

func (s *Service) finishComment(postID string) {
	if err := s.comments.finish(postID); err != nil {
		s.mm.LogWarn("PagerTree: could not remove a comment job done", "post_id", postID, "error", err.Error())
	}
}
