package stations

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// MaxCrew is the most members a crew may have.
const MaxCrew = 10_000

// JobKind says what a crew job is for.
type JobKind uint8

// The jobs of a crew.
const (
	JobRepair   JobKind = iota // repair a failed server (or replace a worn-out one)
	JobMaintain                // maintain one server on demand
	JobCalendar                // a station's calendar maintenance (every server)
	numJobKinds
)

var jobNames = [numJobKinds]string{"repair", "maintain", "calendar"}

// String returns the job kind's name ("repair").
func (k JobKind) String() string {
	if k < numJobKinds {
		return jobNames[k]
	}
	return fmt.Sprintf("JobKind(%d)", k)
}

// job is one request for a crew member: server K of St (-1: the whole
// station, for its calendar maintenance).
type job struct {
	st    *Station
	k     int
	kind  JobKind
	asked sim.Time
}

// member is one technician or maintenance robot.
type member struct {
	job        job
	busy       bool
	travelling bool
	at, from   *Station // where it is (nil: the depot), and where it left
	left       sim.Time // when it set off
	arrive     sim.Time // when it arrives (while travelling)
	since      sim.Time // busy since (or the last stats reset)
	ev         sim.EventID
}

// CrewStats are a crew's statistics since the last reset.
type CrewStats struct {
	Since sim.Time
	// Size is the number of members.
	Size int
	// Busy is the member time spent on jobs, travel included; Travel the
	// part of it spent travelling.
	Busy, Travel sim.Time
	// Jobs counts the members' arrivals at a job; Wait is the time from
	// each of those requests to the member's arrival (queue and travel).
	Jobs int64
	Wait sim.Time
	// Queue is the time integral of the queue of jobs waiting for a free
	// member, in job-seconds.
	Queue    float64
	qSince   sim.Time
	queueLen int
}

// Add adds o's figures to s (the crews of several copies of a line).
func (s *CrewStats) Add(o *CrewStats) {
	s.Size += o.Size
	s.Busy += o.Busy
	s.Travel += o.Travel
	s.Jobs += o.Jobs
	s.Wait += o.Wait
	s.Queue += o.Queue
}

// Crew is a maintenance crew: members who travel to a machine to repair or
// maintain it, one job each at a time. Jobs wait first in, first out for a
// free member, unless one is dispatched first (Dispatch). A member already
// at the machine needs no travel. A Crew is not safe for concurrent use;
// it belongs to the goroutine that runs its engine.
type Crew struct {
	eng     *sim.Engine
	travel  sim.Dist
	rng     *rand.Rand
	members []member
	queue   []job
	stats   CrewStats
}

// NewCrew returns a crew of size members, idle at the depot, whose trips
// take travel draws from rng. jobs is a hint of the most jobs that may
// wait at once (the servers and stations it serves), so that the queue
// never grows while running.
func NewCrew(eng *sim.Engine, size int, travel sim.Dist, rng *rand.Rand, jobs int) *Crew {
	c := &Crew{eng: eng, travel: travel, rng: rng, members: make([]member, size), queue: make([]job, 0, jobs)}
	c.stats = CrewStats{Since: eng.Now(), Size: size, qSince: eng.Now()}
	return c
}

// Size returns the number of members.
func (c *Crew) Size() int { return len(c.members) }

// Queued returns the number of jobs waiting for a free member.
func (c *Crew) Queued() int { return len(c.queue) }

// Waiting returns the job at position i (from 0) of the queue of jobs
// waiting for a free member, in the order the crew will serve them: the
// copy of the line, the station's flow index, the server (-1: the whole
// station, for its calendar maintenance) and what the job is for.
func (c *Crew) Waiting(i int) (line, station, server int, kind JobKind) {
	j := &c.queue[i]
	return j.st.line, j.st.index, j.k, j.kind
}

func (c *Crew) queueChange() {
	now := c.eng.Now()
	c.stats.Queue += float64(c.stats.queueLen) * (now - c.stats.qSince).Seconds()
	c.stats.qSince, c.stats.queueLen = now, len(c.queue)
}

// request asks for a member for j: a free one now (one already at the
// machine first, else the first free), else j waits in the queue.
func (c *Crew) request(j job) {
	j.asked = c.eng.Now()
	free := -1
	for i := range c.members {
		m := &c.members[i]
		if m.busy {
			continue
		}
		if m.at == j.st {
			free = i
			break
		}
		if free < 0 {
			free = i
		}
	}
	if free < 0 {
		c.queue = append(c.queue, j)
		c.queueChange()
		return
	}
	c.assign(free, j)
}

// assign sends member i to job j.
func (c *Crew) assign(i int, j job) {
	m := &c.members[i]
	now := c.eng.Now()
	m.job, m.busy, m.since = j, true, now
	var d sim.Time
	if m.at != j.st {
		d = c.travel.Sample(c.rng)
	}
	m.travelling, m.from, m.left, m.arrive = true, m.at, now, now.Add(d)
	m.at = nil
	m.ev = c.eng.Schedule(d, c, int64(i))
}

// Handle runs member arg's arrival at its job.
func (c *Crew) Handle(e *sim.Engine, arg int64) {
	i := int(arg)
	m := &c.members[i]
	now := c.eng.Now()
	m.ev = sim.EventID{}
	m.travelling, m.at = false, m.job.st
	c.stats.Travel += now - max(m.left, c.stats.Since)
	c.stats.Jobs++
	c.stats.Wait += now - m.job.asked
	m.job.st.crewArrived(m.job.k, i)
}

// release frees member i after its job and gives it the next one waiting.
func (c *Crew) release(i int) {
	m := &c.members[i]
	now := c.eng.Now()
	if m.travelling {
		c.eng.Cancel(m.ev)
		m.ev = sim.EventID{}
		c.stats.Travel += now - max(m.left, c.stats.Since)
		m.travelling = false
		m.at = m.from
	}
	c.stats.Busy += now - m.since
	m.busy, m.job = false, job{}
	if len(c.queue) > 0 {
		j := c.queue[0]
		copy(c.queue, c.queue[1:])
		c.queue[len(c.queue)-1] = job{}
		c.queue = c.queue[:len(c.queue)-1]
		c.queueChange()
		c.assign(i, j)
	}
}

// cancel withdraws the job of server k of st (-1: its calendar job): from
// the queue, or from the member on it, who is then free.
func (c *Crew) cancel(st *Station, k int) {
	for q := range c.queue {
		if j := &c.queue[q]; j.st == st && j.k == k {
			c.queue = append(c.queue[:q], c.queue[q+1:]...)
			c.queueChange()
			return
		}
	}
	for i := range c.members {
		if m := &c.members[i]; m.busy && m.job.st == st && m.job.k == k {
			c.release(i)
			return
		}
	}
}

// ErrNoJob is returned by Dispatch when no job of the machine waits for
// the crew.
var ErrNoJob = errors.New("no crew job waits for it")

// dispatch puts the waiting job of server k of st first in the queue (a
// job of the whole station if k has none).
func (c *Crew) dispatch(st *Station, k int) error {
	at := -1
	for q := range c.queue {
		if j := &c.queue[q]; j.st == st && (j.k == k || at < 0 && j.k < 0) {
			at = q
			if j.k == k {
				break
			}
		}
	}
	if at < 0 {
		return ErrNoJob
	}
	j := c.queue[at]
	copy(c.queue[1:at+1], c.queue[:at])
	c.queue[0] = j
	return nil
}

// ResetStats starts the statistics afresh now; members on a job count
// from now.
func (c *Crew) ResetStats() {
	now := c.eng.Now()
	c.stats = CrewStats{Since: now, Size: len(c.members), qSince: now, queueLen: len(c.queue)}
	for i := range c.members {
		if c.members[i].busy {
			c.members[i].since = now
		}
	}
}

// Stats returns the statistics up to now.
func (c *Crew) Stats() CrewStats {
	now := c.eng.Now()
	s := c.stats
	for i := range c.members {
		m := &c.members[i]
		if m.busy {
			s.Busy += now - m.since
			if m.travelling {
				s.Travel += now - max(m.left, s.Since)
			}
		}
	}
	s.Queue += float64(s.queueLen) * (now - s.qSince).Seconds()
	return s
}

// MemberView is what can be seen of one crew member.
type MemberView struct {
	// Busy says the member is on a job: travelling to it (Travelling) or
	// at work on it.
	Busy, Travelling bool
	// Job is the kind of job; Line, Station (flow index) and Server (-1:
	// the whole station) say where it is.
	Job                   JobKind
	Line, Station, Server int
	// At is where the member is when not travelling, From where it left
	// when travelling (line and station index; -1: the depot).
	AtLine, AtStation     int
	FromLine, FromStation int
	// Progress is the share of the trip done while travelling.
	Progress float64
}

// Member returns what can be seen of member i now.
func (c *Crew) Member(i int) MemberView {
	m := &c.members[i]
	v := MemberView{Busy: m.busy, Travelling: m.travelling, Line: -1, Station: -1, Server: -1,
		AtLine: -1, AtStation: -1, FromLine: -1, FromStation: -1}
	if m.busy {
		v.Job, v.Line, v.Station, v.Server = m.job.kind, m.job.st.line, m.job.st.index, m.job.k
	}
	if m.at != nil {
		v.AtLine, v.AtStation = m.at.line, m.at.index
	}
	if m.travelling {
		if m.from != nil {
			v.FromLine, v.FromStation = m.from.line, m.from.index
		}
		if span := m.arrive - m.left; span > 0 {
			v.Progress = min(float64(c.eng.Now()-m.left)/float64(span), 1)
		}
	}
	return v
}
