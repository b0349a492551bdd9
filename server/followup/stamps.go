package followup

import "sync"

// recentStamps remembers the Mattermost-format timestamps this node claimed lately, per
// channel, so that in a burst (posts of one channel in the same millisecond) the next post
// starts at a millisecond no alert of this node holds: the claim then costs one write instead
// of a lost write, a read and another write, on the path before the send. It is only a hint:
// the record's compare-and-set still decides (another node may hold the millisecond), and a
// hint this node has lost (a restart, a channel dropped for room) costs only that detour.
type recentStamps struct {
	mu       sync.Mutex
	channels map[string]*channelStamps
}

// Bounds: the channels remembered (all are forgotten at once when full: it is a hint) and
// the stamps per channel (a ring, oldest replaced first).
const (
	stampChannels    = 256
	stampsPerChannel = 64
)

type channelStamps struct {
	owner map[int64]string // stamp → the post that claimed it
	ring  [stampsPerChannel]int64
	next  int
	n     int
}

// reserve returns the first millisecond from base on that this node has not given to another
// post of the channel, and notes it as postID's. A post's own earlier stamp is returned again
// (a second record of one alert would split its events).
func (r *recentStamps) reserve(channelID, postID string, base int64, limit int) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.channels == nil || len(r.channels) >= stampChannels && r.channels[channelID] == nil {
		r.channels = map[string]*channelStamps{}
	}
	c := r.channels[channelID]
	if c == nil {
		c = &channelStamps{owner: map[int64]string{}}
		r.channels[channelID] = c
	}
	stamp := base
	for i := 0; i < limit; i++ {
		owner, taken := c.owner[stamp]
		if !taken || owner == postID {
			break
		}
		stamp++
	}
	c.note(stamp, postID)
	return stamp
}

// taken notes that another post holds stamp (its record was found there).
func (r *recentStamps) taken(channelID, holderPostID string, stamp int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.channels[channelID]; c != nil {
		c.note(stamp, holderPostID)
	}
}

func (c *channelStamps) note(stamp int64, postID string) {
	if _, ok := c.owner[stamp]; ok {
		c.owner[stamp] = postID
		return
	}
	if c.n == len(c.ring) {
		delete(c.owner, c.ring[c.next])
	} else {
		c.n++
	}
	c.ring[c.next] = stamp
	c.next = (c.next + 1) % len(c.ring)
	c.owner[stamp] = postID
}
