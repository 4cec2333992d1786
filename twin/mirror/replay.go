package mirror

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"
)

// A Replayer is a [Mirror] fed from a recording instead of a broker: its
// clock (Config.Now) is the recorded time of the message being applied,
// so the mirror after a replay equals the mirror of the host that made the
// recording (given the same Config and observers otherwise), host times
// included. After the replay the clock stays at the last message's time;
// before the first, it is the Unix epoch. Its methods are safe for
// concurrent use with the Mirror's, e.g. an HTTP API serving the mirror
// during a paced replay.
type Replayer struct {
	m *Mirror

	mu  sync.Mutex
	now time.Time
}

// NewReplayer returns a replayer around a new mirror configured by cfg,
// whose Now must be nil (the replayer is the clock). Give cfg the host id
// (and group) of the recording host, and the mirror the same observers,
// for an identical result; a Record in cfg records the replay again,
// identically.
func NewReplayer(cfg Config) (*Replayer, error) {
	if cfg.Now != nil {
		return nil, errors.New("mirror: replay: Config.Now is set; the replay is the clock")
	}
	r := &Replayer{now: time.Unix(0, 0).UTC()}
	cfg.Now = r.Now
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	r.m = m
	return r, nil
}

// Mirror returns the mirror the replay feeds.
func (r *Replayer) Mirror() *Mirror { return r.m }

// Now returns the replay clock: the recorded time of the message being
// (or last) applied.
func (r *Replayer) Now() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

// Replay reads the recording rec and applies its messages to the mirror in
// order, with [Mirror.Receive]. speed 0 applies them as fast as possible;
// speed > 0 keeps the recorded gaps divided by speed (2: twice as fast),
// leaving out the gaps of a clock set back. It stops when ctx is done,
// returning ctx's error.
//
// Replay applies each message as it reads it: on a bad line it returns a
// [*RecordingError] (matched with errors.As) with the messages before that
// line applied and none after. To apply nothing from a bad recording, run
// [CheckRecording] first. The summary counts the messages applied.
func (r *Replayer) Replay(ctx context.Context, rec io.Reader, speed float64) (RecordingSummary, error) {
	return r.ReplayFrom(ctx, NewRecordingReader(rec), speed)
}

// ReplayFrom is Replay reading the recording with rr: with a lenient
// reader, a bad final line is left out, and reported as the summary's
// Tail.
func (r *Replayer) ReplayFrom(ctx context.Context, rr *RecordingReader, speed float64) (RecordingSummary, error) {
	var s RecordingSummary
	if math.IsNaN(speed) || math.IsInf(speed, 0) || speed < 0 {
		return s, fmt.Errorf("mirror: replay: speed %v: want 0 (as fast as possible) or a finite positive factor", speed)
	}
	p := newPacer(speed)
	defer p.stop()
	for {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		m, err := rr.Next()
		if err == io.EOF {
			s.Tail = rr.Tail()
			return s, nil
		}
		if err != nil {
			return s, fmt.Errorf("mirror: replay: %w", err)
		}
		if err := p.wait(ctx, m.Time); err != nil {
			return s, err
		}
		r.mu.Lock()
		r.now = m.Time
		r.mu.Unlock()
		if m.Event != "" {
			// The live host's connection event: the same change of the
			// mirror (a replay sends no rebirth request).
			r.m.event(m.Time, m.Event)
			continue
		}
		r.m.Receive(m.Topic, m.Payload)
		s.add(m.Time)
	}
}

// A pacer spaces the messages of a paced replay on the wall clock: the
// wall time of a message is the start plus the recorded time elapsed so
// far (positive gaps only) divided by the speed, so waits do not drift.
type pacer struct {
	speed   float64
	timer   *time.Timer
	start   time.Time // wall time of the first message
	prev    time.Time // recorded time of the previous message
	elapsed float64   // recorded ns since the first message, gaps > 0 only
}

// newPacer returns a pacer; speed 0 never waits.
func newPacer(speed float64) *pacer {
	p := &pacer{speed: speed}
	if speed > 0 {
		p.timer = time.NewTimer(time.Hour)
		p.timer.Stop()
	}
	return p
}

// wait returns when the message recorded at t is due, or ctx's error.
func (p *pacer) wait(ctx context.Context, t time.Time) error {
	if p.timer == nil {
		return nil
	}
	if p.start.IsZero() {
		p.start, p.prev = time.Now(), t
		return nil
	}
	if gap := t.Sub(p.prev); gap > 0 {
		p.elapsed += float64(gap)
	}
	p.prev = t
	due := p.elapsed / p.speed
	if due > float64(math.MaxInt64/2) {
		due = float64(math.MaxInt64 / 2)
	}
	d := time.Until(p.start.Add(time.Duration(due)))
	if d <= 0 {
		return ctx.Err()
	}
	p.timer.Reset(d)
	select {
	case <-p.timer.C:
		return nil
	case <-ctx.Done():
		p.timer.Stop()
		return ctx.Err()
	}
}

// stop releases the timer.
func (p *pacer) stop() {
	if p.timer != nil {
		p.timer.Stop()
	}
}
