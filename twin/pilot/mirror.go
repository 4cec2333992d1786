package pilot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// A Commander sends one command to a device of a mirrored edge node: it
// builds the DCMD with the mirror and publishes it on the host's broker
// connection (the host's operator-command path).
type Commander interface {
	SendCommand(ctx context.Context, r mirror.CommandRequest) (sparkplug.Topic, error)
}

// TwinConfig configures a [Twin].
type TwinConfig struct {
	// Model is the mirrored line: its spec (the machines, their servers,
	// design cycles and condition sensors' trip levels), the group and the
	// edge node prefix of its copies. Required.
	Model mirror.Model
	// NewPilot makes the pilot; it is given an Evaluator that forks
	// what-ifs from the mirror's state (the policy forecast uses it).
	NewPilot func(autopilot.Evaluator) (*autopilot.Pilot, error)
	// Commands sends the DCMDs of the actions applied; nil sends nothing
	// (a replay: the decisions are made and logged all the same).
	Commands Commander
	// Seed derives the what-ifs' random streams; Replications is the
	// what-if replications per candidate (0: DefaultReplications); Shift
	// is the shift the forecasts run to the end of (0: 8 hours; shifts
	// start at simulated time 0).
	Seed         uint64
	Replications int
	Shift        sim.Time
	// Report, if set, hears of every command sent for an applied action:
	// the action, the DCMD topic, and the error if it was not sent. It is
	// called from the Twin's own goroutine.
	Report func(a autopilot.Action, topic string, err error)
	// SendTimeout bounds the sending of one command; 0 means 5 s.
	SendTimeout time.Duration
}

// maxPending bounds the condition readings a Twin keeps of one server
// between two epochs: readings beyond it make way, the oldest first.
const maxPending = 256

// queueLen is how many epochs may wait for the Twin's goroutine before
// the mirror's feed waits for it.
const queueLen = 64

// Twin flies an autopilot on the line a mirror mirrors: it is the mirror's
// [mirror.Observer]. Its decision epochs come on the mirror's clock, the
// simulated time the copies' edge nodes publish (Time/Simulated): when
// that clock reaches the pilot's next epoch, the Twin builds the
// observation from what the mirror holds at that moment (the machines'
// states mapped from their published phases and PackML states, buffers,
// capacities, speeds, counters, crews, stale flags) with the condition
// readings that arrived since the previous epoch, and hands it to its own
// goroutine, which steps the pilot and sends the actions applied as DCMDs
// through Commands. The observations depend only on the messages and
// their order, so a replay of a recording makes the same decisions.
//
// The observation is what the edge publishes, never the true health. What
// the edge does not publish is approximated: a server's failures and
// maintenances are the entries into Down and Maintenance the mirror saw
// (plus, for a one-server station, the station's counters), and a crew's
// queue is the servers waiting for it, in the order they started waiting,
// less the ones a busy member is on the way to (the first to wait).
type Twin struct {
	cfg   TwinConfig
	m     *mirror.Mirror
	pilot *autopilot.Pilot
	eval  *Evaluator
	epoch sim.Time

	// What the observer keeps; only Observe touches it (one call at a time).
	filler mirror.Filler
	snap   twin.Snapshot
	marks  mirror.Marks
	first  []int // first[c*n+i]: index of server 0 of station i of copy c
	mach   []machineTrack
	// drift[c*n+i] watches station i of copy c (nil: not watched); devs
	// are the deviations raised since the last epoch, evs scratch.
	drift   []*deviation.Counters
	devs    []autopilot.Deviation
	evs     []deviation.Event
	order   uint64 // counts the waits started, to order crew queues
	next    sim.Time
	started bool

	work   chan *twinEpoch
	done   chan struct{}
	sendMu sync.Mutex // held while an epoch is handed over, and to close work

	mu      sync.Mutex // guards what follows
	now     sim.Time   // the mirror's clock
	closed  bool
	sent    uint64
	failed  uint64
	lastErr string
	epochs  uint64 // epochs handed to the goroutine
	stepped uint64 // epochs it finished
	idle    *sync.Cond
}

// machineTrack is what the Twin remembers of one machine between epochs.
type machineTrack struct {
	phase              stations.Phase
	downs, maints      int64
	lastAt             sim.Time // the latest reading taken (-1: none)
	pending            []autopilot.Reading
	waiting            bool
	waitOrder          uint64
	station, slot, srv int // station index, snapshot slot, server (-1: an arm)
}

// twinEpoch is one decision epoch handed to the Twin's goroutine.
type twinEpoch struct {
	obs   *autopilot.Observation
	state twin.State
	spec  *twin.Spec
	err   error // why the state could not be taken
}

// NewTwin makes the pilot and the Twin that flies it on m, adds the Twin
// to m's observers and starts its goroutine; [Twin.Close] stops it. Call
// it before m is fed.
func NewTwin(m *mirror.Mirror, cfg TwinConfig) (*Twin, error) {
	if cfg.Model.Spec == nil {
		return nil, fmt.Errorf("autopilot in the twin: %w", mirror.ErrNoModel)
	}
	if cfg.NewPilot == nil {
		return nil, errors.New("autopilot in the twin: no pilot")
	}
	if cfg.Model.Group == "" {
		cfg.Model.Group = m.Config().Group
	}
	if cfg.Model.Prefix == "" {
		cfg.Model.Prefix = cfg.Model.Spec.Name
	}
	if cfg.Shift <= 0 {
		cfg.Shift = 8 * sim.Hour
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 5 * time.Second
	}
	t := &Twin{cfg: cfg, m: m, work: make(chan *twinEpoch, queueLen), done: make(chan struct{})}
	t.idle = sync.NewCond(&t.mu)
	t.filler.Model = cfg.Model
	var cur *twinEpoch // the epoch being decided, read by the evaluator
	t.eval = NewEvaluator(func() (twin.State, *twin.Spec, error) {
		if cur == nil || cur.err != nil {
			if cur != nil {
				return twin.State{}, nil, cur.err
			}
			return twin.State{}, nil, mirror.ErrNoState
		}
		return cur.state, cur.spec, nil
	}, EvalOptions{Seed: sim.StreamSeed(cfg.Seed, "autopilot/whatif"), Replications: cfg.Replications,
		Horizon: t.shiftEnd})
	p, err := cfg.NewPilot(t.eval)
	if err != nil {
		return nil, err
	}
	t.pilot, t.epoch = p, p.Policy().Epoch()
	t.layout()
	m.Observe(t)
	fc := (*twinForecaster)(nil)
	if p.Policy().Name() == "forecast" {
		fc = &twinForecaster{t: t, next: 0}
	}
	go t.run(func(e *twinEpoch) { cur = e }, fc)
	return t, nil
}

// Pilot returns the pilot, for its log and stats.
func (t *Twin) Pilot() *autopilot.Pilot { return t.pilot }

// Now returns the mirror's clock: the latest simulated time the copies'
// edge nodes published.
func (t *Twin) Now() sim.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.now
}

// Status returns the pilot's status and the decisions after since (see
// autopilot.Pilot.Status).
func (t *Twin) Status(since uint64) autopilot.Status { return t.pilot.Status(since) }

// Hold stops the pilot now (on the mirror's clock) for reason; it reports
// whether the pilot was running.
func (t *Twin) Hold(reason string) bool { return t.pilot.Hold(t.Now(), reason) }

// Release lets a held pilot act again; it reports whether it was held.
func (t *Twin) Release(reason string) bool { return t.pilot.Release(t.Now(), reason) }

// Delivery counts the commands of applied actions: sent, and not sent
// (refused by the mirror, no connection, publishing failed), with the last
// error.
type Delivery struct {
	Sent, Failed uint64
	LastError    string
}

// Delivery returns how the commands of the applied actions fared.
func (t *Twin) Delivery() Delivery {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Delivery{Sent: t.sent, Failed: t.failed, LastError: t.lastErr}
}

// Commands returns how many commands of applied actions were sent and how
// many were not (for api.Autopilot).
func (t *Twin) Commands() (sent, failed uint64) {
	d := t.Delivery()
	return d.Sent, d.Failed
}

// Flush waits until the epochs the mirror's feed has handed over so far
// are decided and their commands sent (a replay's end, a test).
func (t *Twin) Flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.stepped < t.epochs && !t.closed {
		t.idle.Wait()
	}
}

// Close stops the Twin after the epochs handed over are decided; later
// changes of the mirror start no epoch. It waits for its goroutine.
func (t *Twin) Close() {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		<-t.done
		return
	}
	t.closed = true
	t.idle.Broadcast()
	t.mu.Unlock()
	t.sendMu.Lock()
	close(t.work)
	t.sendMu.Unlock()
	<-t.done
}

// run is the Twin's goroutine: it steps the pilot at each epoch and sends
// the actions applied.
func (t *Twin) run(setCurrent func(*twinEpoch), fc *twinForecaster) {
	defer close(t.done)
	for e := range t.work {
		setCurrent(e)
		if fc != nil {
			e.obs.Forecast = fc.forecast(e)
		}
		acts, err := t.pilot.Step(context.Background(), e.obs)
		if err == nil {
			for i := range acts {
				t.send(&acts[i])
			}
		}
		setCurrent(nil)
		t.mu.Lock()
		t.stepped++
		t.idle.Broadcast()
		t.mu.Unlock()
	}
}

// send sends the commands of an applied action.
func (t *Twin) send(a *autopilot.Action) {
	reqs, n := Requests(t.cfg.Model, a)
	for _, r := range reqs[:n] {
		var (
			topic sparkplug.Topic
			err   = errNoCommander
		)
		if t.cfg.Commands != nil {
			ctx, cancel := context.WithTimeout(context.Background(), t.cfg.SendTimeout)
			topic, err = t.cfg.Commands.SendCommand(ctx, r)
			cancel()
		}
		t.mu.Lock()
		if err != nil {
			t.failed++
			t.lastErr = err.Error()
		} else {
			t.sent++
		}
		t.mu.Unlock()
		if t.cfg.Report != nil {
			t.cfg.Report(*a, topic.String(), err)
		}
	}
}

// errNoCommander: the Twin has no way to send commands (a replay).
var errNoCommander = errors.New("no broker connection to send commands on (replay)")

// Requests returns the command requests (DCMDs) that carry out action a
// on the mirrored line model, and how many of the two it uses (0 for an
// action with no command): maintain and dispatch name their server (from
// 1), a speed change its value, a buffer move two capacity changes.
func Requests(model mirror.Model, a *autopilot.Action) (reqs [2]mirror.CommandRequest, n int) {
	req := func(device string, act packml.Action) mirror.CommandRequest {
		return mirror.CommandRequest{Group: model.Group, Node: packml.NodeID(model.Prefix, a.Line), Device: device,
			Command: act.String()}
	}
	switch a.Kind {
	case autopilot.Maintain, autopilot.Dispatch:
		act := packml.Maintain
		if a.Kind == autopilot.Dispatch {
			act = packml.Dispatch
		}
		r := req(a.Target, act)
		s := a.Server + 1
		r.Server = &s
		reqs[0] = r
		return reqs, 1
	case autopilot.SetSpeed:
		r := req(a.Target, packml.Speed)
		v := a.Speed
		r.Value = &v
		reqs[0] = r
		return reqs, 1
	case autopilot.MoveBuffer:
		from, to := req(a.From, packml.Buffer), req(a.Target, packml.Buffer)
		fv, tv := float64(a.FromCapacity), float64(a.ToCapacity)
		from.Value, to.Value = &fv, &tv
		reqs[0], reqs[1] = from, to
		return reqs, 2
	}
	return reqs, 0
}

// shiftEnd returns the end of the shift that now lies in.
func (t *Twin) shiftEnd(now sim.Time) sim.Time { return (now/t.cfg.Shift + 1) * t.cfg.Shift }

// twinForecaster forecasts the current shift's good output for the policy
// forecast, every hour of the mirror's clock, from forks of the mirrored
// state.
type twinForecaster struct {
	t         *Twin
	next      sim.Time
	start     sim.Time
	good0     int64
	have      bool
	last      autopilot.ShiftForecast
	lastValid bool
}

// forecast returns the latest forecast of the shift the epoch lies in,
// made anew when due; nil when none could be made.
func (f *twinForecaster) forecast(e *twinEpoch) *autopilot.ShiftForecast {
	if e.err != nil {
		return nil
	}
	now := e.state.Time
	end := f.t.shiftEnd(now)
	start := end - f.t.cfg.Shift
	good := e.state.Counters.Good
	if !f.have || start != f.start {
		f.start, f.good0, f.have = start, good, true
	}
	if now >= f.next {
		f.next = now + sim.Hour
		q, err := f.t.eval.Baseline(context.Background(), end)
		if err == nil {
			spec := f.t.cfg.Model.Spec
			target := spec.TargetPerHour
			if target <= 0 {
				target = spec.IdealPerHour()
			}
			so := float64(good - f.good0)
			f.last = autopilot.ShiftForecast{At: now, End: end, Target: target * f.t.cfg.Shift.Hours(),
				P10: so + q[0], P50: so + q[1], P90: so + q[2]}
			f.lastValid = true
		}
	}
	if !f.lastValid || f.last.End != end {
		return nil
	}
	return &f.last
}
