package progress

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Bar shows a run's progress with its ETA on a Console. Its Update method
// is a progress callback (as experiment.BatchOptions.Progress takes);
// Done erases it for good.
type Bar struct {
	out     *Console
	label   string
	now     func() time.Time
	start   time.Time
	last    time.Time
	mu      sync.Mutex // orders a late update against Done
	stopped bool       // set by Done: later updates draw nothing
}

// redrawEvery is the least time between two draws of a bar.
const redrawEvery = 100 * time.Millisecond

// NewBar returns a bar labelled label on out, not drawn yet; its ETA counts
// from now.
func NewBar(out *Console, label string) *Bar {
	return newBar(out, label, time.Now)
}

// newBar returns a bar that reads the time from now.
func newBar(out *Console, label string, now func() time.Time) *Bar {
	return &Bar{out: out, label: label, now: now, start: now()}
}

// Update redraws the bar for the fraction done, unless it was drawn less
// than a tenth of a second ago (the first and the final draw, at 1, always
// happen). After Done it does nothing.
func (b *Bar) Update(fraction float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return
	}
	now := b.now()
	if !b.last.IsZero() && now.Sub(b.last) < redrawEvery && fraction < 1 {
		return
	}
	b.last = now
	b.out.drawBar(render(b.label, fraction, now.Sub(b.start)))
}

// Done erases the bar for good.
func (b *Bar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stopped = true
	b.out.clearBar()
}

// render draws "label [=====>     ]  45%  ETA 1m23s" for the fraction done
// after elapsed wall time; the ETA assumes a constant pace.
func render(label string, fraction float64, elapsed time.Duration) string {
	const width = 30
	f := min(max(fraction, 0), 1)
	filled := int(f * width)
	bar := strings.Repeat("=", filled)
	if filled < width {
		bar += ">" + strings.Repeat(" ", width-filled-1)
	}
	eta := "ETA --"
	switch {
	case f >= 1:
		eta = "done in " + elapsed.Round(time.Second).String()
	case f > 0.001 && elapsed > 0:
		left := time.Duration(float64(elapsed) * (1 - f) / f)
		eta = "ETA " + left.Round(time.Second).String()
	}
	return fmt.Sprintf("%s [%s] %3d%%  %s", label, bar, int(100*f), eta)
}

// Log returns a progress callback for where there is no terminal: it logs
// msg at info level with the percentage done each time another tenth is
// done. Its calls must not overlap.
func Log(log *zap.Logger, msg string) func(float64) {
	next := 0.1
	return func(f float64) {
		if f >= next {
			log.Info(msg, zap.Int("percent", int(100*f)))
			for next <= f {
				next += 0.1
			}
		}
	}
}
