package mirror

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.uber.org/zap"
)

// maxRecordLine bounds one line of a recording (a birth of a large edge
// node is a few hundred kB of base64).
const maxRecordLine = 64 << 20

// A recorder writes the recording: one JSON line per message and per
// connection event. The first write error stops it. A nil recorder
// records nothing.
type recorder struct {
	enc *json.Encoder
	log *zap.Logger
	err error
}

func newRecorder(w io.Writer, log *zap.Logger) *recorder {
	return &recorder{enc: json.NewEncoder(w), log: log}
}

// recordLine is one line of the recording for a message.
type recordLine struct {
	Time    time.Time `json:"time"`
	Topic   string    `json:"topic"`
	Payload []byte    `json:"payload"`
}

// recordEvent is a line of the recording for a connection event.
type recordEvent struct {
	Time  time.Time `json:"time"`
	Event string    `json:"event"`
}

// message records one message received at now.
func (r *recorder) message(now time.Time, topic string, payload []byte) {
	r.write(recordLine{Time: now.UTC(), Topic: topic, Payload: payload})
}

// event records one connection event at now.
func (r *recorder) event(now time.Time, event string) {
	r.write(recordEvent{Time: now.UTC(), Event: event})
}

func (r *recorder) write(v any) {
	if r == nil || r.err != nil {
		return
	}
	if err := r.enc.Encode(v); err != nil {
		r.err = err
		r.log.Error("mirror: recording stopped", zap.Error(err))
	}
}

// failed returns the error that stopped the recording, if any.
func (r *recorder) failed() error {
	if r == nil {
		return nil
	}
	return r.err
}

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
	// Offset is where the line starts, in bytes from the start of the
	// recording: the length of the good lines before it.
	Offset int64
	// Cut says that the line is the recording's last and ends without its
	// newline: a write cut short, by a crash or a full disk.
	Cut bool
	Err error
}

// Error names the line and the problem.
func (e *RecordingError) Error() string {
	if e.Cut {
		return fmt.Sprintf("recording line %d is cut short (the recording ends mid-line)", e.Line)
	}
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
//
// A lenient reader ([RecordingReader.Lenient]) forgives a bad final line
// and only that one: a recording is written line by line at its end, so a
// crash or a full disk can cut its last line short (or, on some file
// systems, leave it as zeros), but nothing else. A bad line with good lines
// after it is damage of another kind, an error in both modes.
type RecordingReader struct {
	sc      *bufio.Scanner
	line    int
	err     error // sticky: io.EOF or the first error
	lenient bool
	tail    *RecordingError
	// pos is the offset after the last line scanned, start where that line
	// starts; cut says it ended without a newline.
	pos, start int64
	cut        bool
}

// NewRecordingReader returns a strict reader of the recording r.
func NewRecordingReader(r io.Reader) *RecordingReader {
	rr := &RecordingReader{}
	rr.sc = bufio.NewScanner(r)
	rr.sc.Buffer(make([]byte, 0, 64<<10), maxRecordLine)
	rr.sc.Split(rr.split)
	return rr
}

// Lenient makes rr forgive a bad final line: Next then ends the recording
// with io.EOF before it, and [RecordingReader.Tail] reports it. It returns
// rr. Call it before the first Next.
func (rr *RecordingReader) Lenient() *RecordingReader {
	rr.lenient = true
	return rr
}

// Tail returns the bad final line a lenient reader left out, once Next has
// returned io.EOF; nil when there was none.
func (rr *RecordingReader) Tail() *RecordingError { return rr.tail }

// split is bufio.ScanLines, keeping count of the bytes and of whether the
// line ended with a newline.
func (rr *RecordingReader) split(data []byte, atEOF bool) (int, []byte, error) {
	n, line, err := bufio.ScanLines(data, atEOF)
	if line != nil {
		rr.start, rr.pos, rr.cut = rr.pos, rr.pos+int64(n), data[n-1] != '\n'
	}
	return n, line, err
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
			rr.err = &RecordingError{Line: rr.line + 1, Offset: rr.pos, Err: fmt.Errorf("longer than %d bytes", maxRecordLine)}
		default:
			rr.err = fmt.Errorf("reading the recording after line %d: %w", rr.line, err)
		}
		return Recorded{}, rr.err
	}
	rr.line++
	rec, err := parseRecorded(rr.sc.Bytes())
	if err == nil {
		return rec, nil
	}
	bad := &RecordingError{Line: rr.line, Offset: rr.start, Cut: rr.cut, Err: err}
	if rr.lenient && rr.last() {
		rr.tail, rr.err = bad, io.EOF
		return Recorded{}, io.EOF
	}
	rr.err = bad
	return Recorded{}, bad
}

// last reports whether the line just read is the recording's last. It
// reads on, so the reader is done with either answer.
func (rr *RecordingReader) last() bool {
	if rr.cut {
		return true // no newline: the data ended there
	}
	return !rr.sc.Scan() && rr.sc.Err() == nil
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
	// Tail is the bad final line a lenient reader left out, if any.
	Tail *RecordingError
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

// CheckRecording reads a whole recording without applying it, strictly:
// it returns what [Replayer.Replay] would replay, or the first bad line's
// error.
func CheckRecording(r io.Reader) (RecordingSummary, error) {
	return NewRecordingReader(r).Check()
}

// Check reads the rest of the recording without applying it: it returns
// what [Replayer.ReplayFrom] would replay from rr (with the bad final line
// left out as its Tail, when rr is lenient), or the first bad line's error.
func (rr *RecordingReader) Check() (RecordingSummary, error) {
	var s RecordingSummary
	for {
		rec, err := rr.Next()
		if err == io.EOF {
			s.Tail = rr.tail
			return s, nil
		}
		if err != nil {
			return s, fmt.Errorf("mirror: %w", err)
		}
		if rec.Event == "" {
			s.add(rec.Time)
		}
	}
}

// ResumeRecording readies the recording in f, opened for reading and
// writing, for more lines at its end (a twin that records again into the
// same file): it reads it leniently, cuts off a final line cut short (a
// write interrupted by a crash), and adds the newline a final line lacks,
// so that the lines written after it read back. It returns what the
// recording holds, with the line cut off as its Tail. Any other bad line,
// and a line cut short with no good line before it, is a
// [*RecordingError]: f may not be a recording at all, and is left as it
// was. f is left positioned at its end.
func ResumeRecording(f *os.File) (RecordingSummary, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return RecordingSummary{}, err
	}
	s, err := NewRecordingReader(f).Lenient().Check()
	if err != nil {
		return s, err
	}
	if t := s.Tail; t != nil && (!t.Cut || t.Line == 1) {
		return s, fmt.Errorf("mirror: %w", t)
	}
	if s.Tail != nil {
		if err := f.Truncate(s.Tail.Offset); err != nil {
			return s, fmt.Errorf("mirror: cutting off recording line %d: %w", s.Tail.Line, err)
		}
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil || end == 0 {
		return s, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, end-1); err != nil {
		return s, err
	}
	if last[0] != '\n' {
		if _, err := f.Write([]byte{'\n'}); err != nil {
			return s, err
		}
	}
	return s, nil
}
