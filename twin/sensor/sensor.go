package sensor

import (
	"bufio"
	"io"
	"math/rand/v2"
	"strconv"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Kind is the kind of sensor a reading comes from.
type Kind uint8

// The kinds of sensor.
const (
	PhotoEyeIn  Kind = iota // a unit passed the buffer entry (value 1)
	PhotoEyeOut             // a unit left the buffer for a machine (value 1)
	Counter                 // a station's processed count (cumulative)
	CycleTime               // measured processing time, seconds, with noise
	Vision                  // inspection verdict: 1 pass, 0 fail
	State                   // a server's state signal: phase number, with its name
	Shipped                 // the line's shipped count (cumulative)
	Scrap                   // the line's scrap bin count (cumulative)
	Vibration               // a worn machine's vibration level, mm/s RMS (condition sensor)
	Temperature             // a worn machine's temperature, °C (condition sensor)
	NumKinds    = 10
)

var kindNames = [NumKinds]string{"photo_eye_in", "photo_eye_out", "counter", "cycle_time", "vision", "state", "shipped", "scrap",
	"vibration", "temperature"}

// String returns the name written in traces ("photo_eye_in").
func (k Kind) String() string {
	if int(k) < NumKinds {
		return kindNames[k]
	}
	return "kind?"
}

// Reading is one sensor reading.
type Reading struct {
	// T is when the reading is available: event time plus latency.
	T sim.Time
	// Event is the true time of the event read.
	Event  sim.Time
	Line   int
	Device string
	Server int
	Kind   Kind
	Value  float64
	// Label is the state name of a State reading.
	Label string
	seq   uint64
}

// Spec says how readings differ from the truth.
type Spec struct {
	Latency sim.Dist
	Noise   float64 // relative standard deviation of analogue readings
	Dropout float64 // probability a reading is lost
}

// Writer turns events into readings and writes them as JSON lines. It
// keeps only the readings still in flight (within the latency), so its
// memory does not grow with the run.
type Writer struct {
	spec    Spec
	rng     *rand.Rand
	w       *bufio.Writer
	pending []Reading // min-heap on (T, seq)
	seq     uint64
	line    []byte
	err     error
	written int64
	dropped int64
}

// NewWriter returns a Writer writing to w, drawing latency, noise and
// dropout from rng.
func NewWriter(w io.Writer, spec Spec, rng *rand.Rand) *Writer {
	return &Writer{spec: spec, rng: rng, w: bufio.NewWriterSize(w, 1<<16), line: make([]byte, 0, 256)}
}

// Observe records an event that happened at now. Readings whose time has
// come are written first.
func (s *Writer) Observe(now sim.Time, r Reading) {
	s.Flush(now)
	if s.spec.Dropout > 0 && s.rng.Float64() < s.spec.Dropout {
		s.dropped++
		return
	}
	r.Event = now
	r.T = now.Add(s.spec.Latency.Sample(s.rng))
	if r.Kind == CycleTime && s.spec.Noise > 0 {
		r.Value *= 1 + s.spec.Noise*s.rng.NormFloat64()
		if r.Value < 0 {
			r.Value = 0
		}
	}
	s.seq++
	r.seq = s.seq
	s.push(r)
}

// Condition reports whether the kind is a condition sensor's (Vibration,
// Temperature): an analogue reading of one server, taken on a period.
func (k Kind) Condition() bool { return k == Vibration || k == Temperature }

// ParseKind returns the kind written name ("vibration").
func ParseKind(name string) (Kind, bool) {
	for k := range Kind(NumKinds) {
		if kindNames[k] == name {
			return k, true
		}
	}
	return 0, false
}

// Push queues a reading whose noise, latency and dropout were already
// applied where it was taken (a condition sensor's, drawn in the model so
// that the readings are the same with or without a trace): r.T is when it
// arrives and r.Event when it was taken, now. Readings whose time has come
// are written first.
func (s *Writer) Push(now sim.Time, r Reading) {
	s.Flush(now)
	s.seq++
	r.seq = s.seq
	s.push(r)
}

// Flush writes every reading due at or before t.
func (s *Writer) Flush(t sim.Time) {
	for len(s.pending) > 0 && s.pending[0].T <= t {
		s.write(s.pop())
	}
}

// Close writes the readings due by end, drops later ones, and flushes the
// buffer. It returns the first write error.
func (s *Writer) Close(end sim.Time) error {
	s.Flush(end)
	s.pending = s.pending[:0]
	if err := s.w.Flush(); err != nil && s.err == nil {
		s.err = err
	}
	return s.err
}

// Written returns the number of readings written; Dropped, the number lost.
func (s *Writer) Written() int64 { return s.written }

// Dropped returns the number of readings lost to dropout.
func (s *Writer) Dropped() int64 { return s.dropped }

func (s *Writer) write(r Reading) {
	if s.err != nil {
		return
	}
	b := s.line[:0]
	b = append(b, `{"t_s":`...)
	b = strconv.AppendFloat(b, r.T.Seconds(), 'f', -1, 64)
	b = append(b, `,"event_s":`...)
	b = strconv.AppendFloat(b, r.Event.Seconds(), 'f', -1, 64)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(r.Line+1), 10)
	b = append(b, `,"device":`...)
	b = strconv.AppendQuote(b, r.Device)
	if r.Kind == State || r.Kind == CycleTime || r.Kind.Condition() {
		b = append(b, `,"server":`...)
		b = strconv.AppendInt(b, int64(r.Server+1), 10) // from 1, as people count
	}
	b = append(b, `,"sensor":"`...)
	b = append(b, kindNames[r.Kind]...)
	b = append(b, `","value":`...)
	b = strconv.AppendFloat(b, r.Value, 'g', 6, 64)
	if r.Label != "" {
		b = append(b, `,"state":`...)
		b = strconv.AppendQuote(b, r.Label)
	}
	b = append(b, "}\n"...)
	s.line = b
	if _, err := s.w.Write(b); err != nil {
		s.err = err
	}
	s.written++
}

func (a *Reading) before(b *Reading) bool {
	return a.T < b.T || (a.T == b.T && a.seq < b.seq)
}

func (s *Writer) push(r Reading) {
	s.pending = append(s.pending, r)
	h := s.pending
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].before(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (s *Writer) pop() Reading {
	h := s.pending
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h[r].before(&h[l]) {
			c = r
		}
		if !h[c].before(&h[i]) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	s.pending = h
	return top
}
