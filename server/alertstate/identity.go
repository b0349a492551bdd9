package alertstate

import (
	"strconv"
	"strings"
)

// Identity is what makes an event the same event however it is sent again: its kind, the
// alert, and the facts that make a notice distinct (a comment's id; who rejected and when;
// who handed off to whom and when; when it timed out), never its bytes. Key (the decoder's
// digest of the event's data in canonical form: key order and spacing do not count) stands in
// only for facts the event does not tell. State changes need no identity: the state machine
// never applies one twice. "" for kinds that post no notice.
func (e Event) Identity() string {
	alert := e.AlertID
	switch e.Kind {
	case KindCommentCreated:
		if e.CommentID == "" {
			return ""
		}
		return "cmt:" + e.CommentID
	case KindRejected:
		return distinct("rej:"+alert+":"+e.By.key(), e.At, e.By.key() == "", e.Key)
	case KindHandoff:
		return distinct("hnd:"+alert+":"+e.From.key()+">"+e.By.key(), e.At, e.From.key() == "" && e.By.key() == "", e.Key)
	case KindTimeout:
		return distinct("tmo:"+alert, e.At, true, e.Key)
	}
	return ""
}

// distinct adds the time when the event tells it, else (when unknown says the event told
// nothing else distinct) the digest of its data.
func distinct(base string, at int64, unknown bool, key string) string {
	switch {
	case at > 0:
		return base + "@" + strconv.FormatInt(at, 10)
	case unknown:
		return base + "#" + key
	}
	return base
}

// key names a person for an identity: PagerTree's id, else e-mail, username or name.
func (p Person) key() string {
	for _, v := range []string{p.ID, p.Email, p.Username, p.Name} {
		if v = strings.TrimSpace(v); v != "" {
			return strings.ToLower(v)
		}
	}
	return ""
}
