package edge

import (
	"context"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Paced returns the steps that keep a line at speed times the wall clock
// (60: an hour a minute), one every tick, for [Runner.Run]. A step that
// finds the runner busy waits, and the next one catches up, so the line
// does not drift. The channel closes when ctx is done. speed and tick must
// be positive.
func Paced(ctx context.Context, speed float64, tick time.Duration) <-chan Step {
	steps := make(chan Step)
	go func() {
		defer close(steps)
		t := time.NewTicker(tick)
		defer t.Stop()
		p := pacer{start: time.Now(), speed: speed}
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				span := p.due(now)
				if span <= 0 {
					continue
				}
				select {
				case steps <- Step{Span: span}:
					p.sent += span
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return steps
}

// A pacer maps the wall clock onto simulated time: speed times the wall
// time since start, less what it has sent.
type pacer struct {
	start time.Time
	speed float64
	sent  sim.Time
}

// due returns the simulated time due at wall time now and not yet sent (0
// or less when none is).
func (p *pacer) due(now time.Time) sim.Time {
	return sim.Time(float64(now.Sub(p.start))*p.speed) - p.sent
}
