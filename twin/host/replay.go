package host

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"
)

// maxRecordLine bounds one line of a recording (a birth of a large edge
// node is a few hundred kB of base64).
const maxRecordLine = 64 << 20

// A Recorded is one line of a recording written through Config.Record:
// a message (when the host received it, on which topic, what), or one of
// the host's own connection events ([EventConnectionLost], [EventOnline]),
// which change the mirror too.
type Recorded struct {
	Time    time.Time
	Topic   string
	Payload []byte
	// Event is the connection event; empty for a message.
	Event string
}

// A RecordingError is a line of a recording that [RecordingReader] cannot
// use. Line counts from 1.
type RecordingError struct {
	Line int
	Err  error
}

// Error names the line and the problem.
func (e *RecordingError) Error() string {
	return fmt.Sprintf("recording line %d: %v", e.Line, e.Err)
}

// Unwrap returns the problem.
func (e *RecordingError) Unwrap() error { return e.Err }

// A RecordingReader reads a recording written through Config.Record, one
// JSON line {"time": RFC 3339, "topic": string, "payload": base64} per
// message and {"time": RFC 3339, "event": "connection_lost" | "online"}
// per connection event of the host. It is strict: an empty line, a field missing, null or unknown,
// anything after the object, a bad time, base64 or topic, a time before
// 1970 or a line over 64 MiB is a [*RecordingError] naming the line. Times
// may go backwards (the wall clock of the recording host may have been
// set back). A final line without its newline is read like the others.
type RecordingReader struct {
	sc   *bufio.Scanner
	line int
	err  error // sticky: io.EOF or the first error
}

// NewRecordingReader returns a reader of the recording r.
func NewRecordingReader(r io.Reader) *RecordingReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxRecordLine)
	return &RecordingReader{sc: sc}
}

// Line returns the number of the last line read (0 before the first).
func (rr *RecordingReader) Line() int { return rr.line }

// Next returns the next message. At the end of the recording it returns
// io.EOF; on a bad line a [*RecordingError]; on a failure to read r that
// error, wrapped. After an error every call returns the same error.
func (rr *RecordingReader) Next() (Recorded, error) {
	if rr.err != nil {
		return Recorded{}, rr.err
	}
	if !rr.sc.Scan() {
		switch err := rr.sc.Err(); {
		case err == nil:
			rr.err = io.EOF
		case errors.Is(err, bufio.ErrTooLong):
			rr.err = &RecordingError{Line: rr.line + 1, Err: fmt.Errorf("longer than %d bytes", maxRecordLine)}
		default:
			rr.err = fmt.Errorf("reading the recording after line %d: %w", rr.line, err)
		}
		return Recorded{}, rr.err
	}
	rr.line++
	rec, err := parseRecorded(rr.sc.Bytes())
	if err != nil {
		rr.err = &RecordingError{Line: rr.line, Err: err}
		return Recorded{}, rr.err
	}
	return rec, nil
}

// parseRecorded parses one line of a recording.
func parseRecorded(b []byte) (Recorded, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return Recorded{}, errors.New("empty line")
	}
	var l struct {
		Time    *time.Time `json:"time"`
		Topic   *string    `json:"topic"`
		Payload *[]byte    `json:"payload"`
		Event   *string    `json:"event"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Recorded{}, errors.New("the line ends inside the JSON object (truncated?)")
		}
		return Recorded{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return Recorded{}, errors.New("more than one JSON value")
	}
	switch {
	case l.Time == nil:
		return Recorded{}, errors.New(`no "time"`)
	case l.Time.Before(time.Unix(0, 0)):
		return Recorded{}, fmt.Errorf("time %s is before 1970", l.Time.Format(time.RFC3339Nano))
	case l.Event != nil:
		if l.Topic != nil || l.Payload != nil {
			return Recorded{}, errors.New(`an "event" line has no "topic" or "payload"`)
		}
		if *l.Event != EventConnectionLost && *l.Event != EventOnline {
			return Recorded{}, fmt.Errorf("unknown event %q (want %q or %q)", *l.Event, EventConnectionLost, EventOnline)
		}
		return Recorded{Time: *l.Time, Event: *l.Event}, nil
	case l.Topic == nil:
		return Recorded{}, errors.New(`no "topic"`)
	case l.Payload == nil:
		return Recorded{}, errors.New(`no "payload"`)
	case *l.Topic == "":
		return Recorded{}, errors.New("empty topic")
	}
	return Recorded{Time: *l.Time, Topic: *l.Topic, Payload: *l.Payload}, nil
}

// A RecordingSummary describes a recording or the part of it replayed.
type RecordingSummary struct {
	// Messages is the number of messages.
	Messages int
	// First and Last are the times of the first and the last message
	// (zero without messages). Last may be before First when the
	// recording host's clock was set back.
	First, Last time.Time
}

// Span returns the recorded time from the first to the last message.
func (s RecordingSummary) Span() time.Duration { return s.Last.Sub(s.First) }

// add counts one message.
func (s *RecordingSummary) add(t time.Time) {
	if s.Messages == 0 {
		s.First = t
	}
	s.Messages++
	s.Last = t
}

// CheckRecording reads a whole recording without applying it: it returns
// what [Replayer.Replay] would replay, or the first bad line's error.
func CheckRecording(r io.Reader) (RecordingSummary, error) {
	var s RecordingSummary
	rr := NewRecordingReader(r)
	for {
		rec, err := rr.Next()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return s, fmt.Errorf("host: %w", err)
		}
		if rec.Event == "" {
			s.add(rec.Time)
		}
	}
}

// A Replayer is a [Host] fed from a recording instead of a broker: its
// clock (Config.Now) is the recorded time of the message being applied,
// so the mirror after a replay equals the mirror of the host that made the
// recording (given the same Config otherwise), host times included. After
// the replay the clock stays at the last message's time; before the first,
// it is the Unix epoch. Its methods are safe for concurrent use with the
// Host's, e.g. an HTTP API serving the Host during a paced replay.
type Replayer struct {
	h *Host

	mu  sync.Mutex
	now time.Time
}

// NewReplayer returns a replayer around a new host configured by cfg,
// whose Now must be nil (the replayer is the clock). Give cfg the host id
// (and group, spec …) of the recording host for an identical mirror; a
// Record in cfg records the replay again, identically.
func NewReplayer(cfg Config) (*Replayer, error) {
	if cfg.Now != nil {
		return nil, errors.New("host: replay: Config.Now is set; the replay is the clock")
	}
	r := &Replayer{now: time.Unix(0, 0).UTC()}
	cfg.Now = r.Now
	h, err := New(cfg)
	if err != nil {
		return nil, err
	}
	r.h = h
	return r, nil
}

// Host returns the host the replay feeds.
func (r *Replayer) Host() *Host { return r.h }

// Now returns the replay clock: the recorded time of the message being
// (or last) applied.
func (r *Replayer) Now() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

// Replay reads the recording rec and applies its messages to the host in
// order, with [Host.Receive]. speed 0 applies them as fast as possible;
// speed > 0 keeps the recorded gaps divided by speed (2: twice as fast),
// leaving out the gaps of a clock set back. It stops when ctx is done,
// returning ctx's error.
//
// Replay applies each message as it reads it: on a bad line it returns a
// [*RecordingError] (matched with errors.As) with the messages before that
// line applied and none after. To apply nothing from a bad recording, run
// [CheckRecording] first. The summary counts the messages applied.
func (r *Replayer) Replay(ctx context.Context, rec io.Reader, speed float64) (RecordingSummary, error) {
	var s RecordingSummary
	if math.IsNaN(speed) || math.IsInf(speed, 0) || speed < 0 {
		return s, fmt.Errorf("host: replay: speed %v: want 0 (as fast as possible) or a finite positive factor", speed)
	}
	p := newPacer(speed)
	defer p.stop()
	rr := NewRecordingReader(rec)
	for {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		m, err := rr.Next()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return s, fmt.Errorf("host: replay: %w", err)
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
			r.h.mu.Lock()
			r.h.connectionEventLocked(m.Time, m.Event)
			r.h.mu.Unlock()
			continue
		}
		r.h.Receive(m.Topic, m.Payload)
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
