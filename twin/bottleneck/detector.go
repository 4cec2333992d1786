package bottleneck

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// DefaultWindow is the sliding window of a Detector given none: one
// simulated hour, long enough to average over many cycles and breakdowns,
// short enough to follow a change (a speed-up, a repair) within the hour.
const DefaultWindow = sim.Hour

// Buckets is the number of buckets the sliding window is kept in: the
// window covers the last Buckets-1 whole buckets and the one in progress,
// so its length is between (Buckets-1)/Buckets of the window and the
// window.
const Buckets = 60

// None is the station index a Detector gives when there is no bottleneck
// (no station active, or no time observed).
const None = -1

// A Detector runs the active period method on the n stations of one line
// (one copy). Feed it every change of a station's activity with Set, in
// time order; read the momentary bottleneck with Momentary and the shares
// with Window and Total. Times passed must never go back.
type Detector struct {
	n      int
	width  sim.Time // of a bucket: the window / Buckets
	since  sim.Time // the last reset
	now    sim.Time // time accounted up to
	active []bool
	start  []sim.Time // start of each active station's current period
	cur    int        // the momentary bottleneck, None when no station is active
	curAt  sim.Time   // when cur became the bottleneck

	// The ring: absolute bucket b (time b*width on) is at b % Buckets;
	// head is the newest bucket. sole[k*n+i], shift[k*n+i]: station i's
	// time as sole and shifting bottleneck in bucket k; span[k]: the time
	// accounted in bucket k. headK is head % Buckets and headEnd the end
	// of the head bucket, so that time within it is accounted without a
	// division.
	head        int64
	headK       int
	headEnd     sim.Time
	sole, shift []sim.Time
	span        []sim.Time
	// Since the last reset.
	totSole, totShift []sim.Time
	totSpan           sim.Time
}

// New returns a detector of n stations, all inactive, at time now, with a
// sliding window of window (DefaultWindow when it is 0). It panics when n
// is not positive or window is negative or shorter than Buckets ns.
func New(n int, window, now sim.Time) *Detector {
	if window == 0 {
		window = DefaultWindow
	}
	if n <= 0 || window < Buckets {
		panic(fmt.Sprintf("bottleneck: New(%d stations, window %v)", n, window))
	}
	d := &Detector{
		n: n, width: window / Buckets, cur: None,
		active: make([]bool, n), start: make([]sim.Time, n),
		sole: make([]sim.Time, Buckets*n), shift: make([]sim.Time, Buckets*n), span: make([]sim.Time, Buckets),
		totSole: make([]sim.Time, n), totShift: make([]sim.Time, n),
	}
	d.Reset(now)
	return d
}

// Window returns the sliding window's length (Buckets x bucket width).
func (d *Detector) Window() sim.Time { return d.width * Buckets }

// Reset forgets the shares (window and total) at time now; the stations'
// activity and current active periods are kept.
func (d *Detector) Reset(now sim.Time) {
	d.since, d.now, d.curAt = now, now, max(d.curAt, now)
	d.setHead(int64(now / d.width))
	clear(d.sole)
	clear(d.shift)
	clear(d.span)
	clear(d.totSole)
	clear(d.totShift)
	d.totSpan = 0
}

// Set records that station i turned active (true) or inactive at now.
// Setting the activity a station already has does nothing.
func (d *Detector) Set(now sim.Time, i int, active bool) {
	d.advance(now)
	if d.active[i] == active {
		return
	}
	d.active[i] = active
	if active {
		d.start[i] = now
		// A station that turns active later than the bottleneck cannot
		// overtake it; at the same moment, the first in flow order wins.
		if d.cur == None || d.start[d.cur] == now && i < d.cur {
			d.cur, d.curAt = i, now
		}
		return
	}
	if i != d.cur {
		return
	}
	next := None
	for j := range d.n {
		if d.active[j] && (next == None || d.start[j] < d.start[next]) {
			next = j
		}
	}
	if next != None {
		d.shiftOver(i, next, now)
	}
	d.cur, d.curAt = next, now
}

// Momentary returns the momentary bottleneck: the active station with the
// longest current active period (None when none is active).
func (d *Detector) Momentary() int { return d.cur }

// Active reports whether station i is active.
func (d *Detector) Active(i int) bool { return d.active[i] }

// WindowShares adds to sole and shifting (of length n at least) each station's
// time as sole and as shifting bottleneck over the sliding window up to
// now, in seconds, and returns the window's length observed, in seconds.
func (d *Detector) WindowShares(now sim.Time, sole, shifting []float64) float64 {
	d.advance(now)
	var span sim.Time
	for k := range Buckets {
		span += d.span[k]
		for i := range d.n {
			sole[i] += d.sole[k*d.n+i].Seconds()
			shifting[i] += d.shift[k*d.n+i].Seconds()
		}
	}
	return span.Seconds()
}

// TotalShares is WindowShares since the last reset.
func (d *Detector) TotalShares(now sim.Time, sole, shifting []float64) float64 {
	d.advance(now)
	for i := range d.n {
		sole[i] += d.totSole[i].Seconds()
		shifting[i] += d.totShift[i].Seconds()
	}
	return d.totSpan.Seconds()
}

// Average returns the average bottleneck of shares added up by
// WindowShares or TotalShares: the station with the largest sole plus
// shifting time (the first in flow order of equals), None when every one
// is 0.
func Average(sole, shifting []float64) int {
	best, most := None, 0.0
	for i := range sole {
		if s := sole[i] + shifting[i]; s > most {
			best, most = i, s
		}
	}
	return best
}

// advance accounts the time from d.now to now to the momentary bottleneck
// as sole bottleneck time, rolling the window's buckets.
func (d *Detector) advance(now sim.Time) {
	if now <= d.now {
		return
	}
	// The common case: now is in the head bucket, where d.now is (d.now
	// is never before the head bucket, and before its end here since now
	// is later).
	if now <= d.headEnd {
		dt := now - d.now
		d.span[d.headK] += dt
		d.totSpan += dt
		if d.cur != None {
			d.sole[d.headK*d.n+d.cur] += dt
			d.totSole[d.cur] += dt
		}
		d.now = now
		return
	}
	// Past a whole window, only the totals need the time in between.
	if skip := now - d.Window() - d.width; skip > d.now {
		d.totSpan += skip - d.now
		if d.cur != None {
			d.totSole[d.cur] += skip - d.now
		}
		d.now = skip
	}
	for d.now < now {
		b := int64(d.now / d.width)
		d.roll(b)
		end := min(now, sim.Time(b+1)*d.width)
		dt := end - d.now
		k := int(b % Buckets)
		d.span[k] += dt
		d.totSpan += dt
		if d.cur != None {
			d.sole[k*d.n+d.cur] += dt
			d.totSole[d.cur] += dt
		}
		d.now = end
	}
}

// roll makes absolute bucket b the newest, clearing the buckets it reuses.
func (d *Detector) roll(b int64) {
	if b <= d.head {
		return
	}
	for h := max(d.head+1, b-Buckets+1); h <= b; h++ {
		k := int(h % Buckets)
		d.span[k] = 0
		clear(d.sole[k*d.n : (k+1)*d.n])
		clear(d.shift[k*d.n : (k+1)*d.n])
	}
	d.setHead(b)
}

// setHead makes absolute bucket b the head.
func (d *Detector) setHead(b int64) {
	d.head, d.headK, d.headEnd = b, int(b%Buckets), sim.Time(b+1)*d.width
}

// shiftOver hands the bottleneck from a, whose active period ends now, to
// b, whose current active period overlaps it: the overlap is a shifting
// period. b is a shifting bottleneck over all of it; a over the part it was
// the sole bottleneck (before curAt, a shifting bottleneck already with the
// one before it). Only time since the reset and in the window counts.
func (d *Detector) shiftOver(a, b int, now sim.Time) {
	from := max(d.start[b], d.since)
	if from >= now {
		return
	}
	fromA := max(from, d.curAt)
	d.totShift[b] += now - from
	if fromA < now {
		d.totSole[a] -= now - fromA
		d.totShift[a] += now - fromA
	}
	oldest := sim.Time(d.head-Buckets+1) * d.width
	for h := max(int64(from/d.width), d.head-Buckets+1, 0); h <= d.head; h++ {
		lo, hi := max(sim.Time(h)*d.width, oldest), sim.Time(h+1)*d.width
		k := int(h % Buckets)
		if o := min(hi, now) - max(lo, from); o > 0 {
			d.shift[k*d.n+b] += o
		}
		if o := min(hi, now) - max(lo, fromA); o > 0 {
			d.sole[k*d.n+a] -= o
			d.shift[k*d.n+a] += o
		}
	}
}
