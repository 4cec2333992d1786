package edge

import (
	"context"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestPacerKeepsTheSpeedOfTheWallClock(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	p := pacer{start: t0, speed: 60}
	for _, c := range []struct {
		wall time.Duration
		want sim.Time
	}{
		{0, 0},
		{time.Second, sim.Minute}, // an hour a minute: a minute a second
		{1500 * time.Millisecond, 30 * sim.Second},        // what is due beyond what was sent
		{1200 * time.Millisecond, -18 * sim.Second},       // a clock seen out of order sends nothing
		{10 * time.Second, 10*sim.Minute - 90*sim.Second}, // a late tick catches up
	} {
		got := p.due(t0.Add(c.wall))
		if got != c.want {
			t.Errorf("at %v: due %v, want %v", c.wall, got, c.want)
		}
		if got > 0 {
			p.sent += got
		}
	}
}

func TestPacedStepsFollowTheClockAndStop(t *testing.T) {
	const speed = 1000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	steps := Paced(ctx, speed, time.Millisecond)
	var sum sim.Time
	for range 5 {
		st := <-steps
		if st.Span <= 0 || st.Done != nil {
			t.Fatalf("step %+v", st)
		}
		sum += st.Span
	}
	if most := sim.Time(float64(time.Since(start)) * speed); sum > most {
		t.Errorf("%v of simulated time after %v of wall time at speed %d", sum, time.Since(start), speed)
	}
	cancel()
	for range steps {
	}
}
