package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// console is stderr as shared by log lines, error messages and the progress
// bar: while a bar is drawn, every write first erases it and then draws it
// again below, so logs never end up in the middle of a bar. It is safe for
// concurrent use.
type console struct {
	mu  sync.Mutex
	w   io.Writer
	bar string // the bar on screen, "" if none
}

const eraseLine = "\r\x1b[K"

// Write writes p, keeping the bar (if any) on the last line.
func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bar != "" {
		io.WriteString(c.w, eraseLine)
	}
	n, err := c.w.Write(p)
	if c.bar != "" {
		io.WriteString(c.w, c.bar)
	}
	return n, err
}

// drawBar replaces the bar on screen by bar.
func (c *console) drawBar(bar string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bar = bar
	io.WriteString(c.w, eraseLine+bar)
}

// clearBar erases the bar.
func (c *console) clearBar() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bar != "" {
		io.WriteString(c.w, eraseLine)
		c.bar = ""
	}
}

// progressBar shows a batch's progress with its ETA on a terminal,
// redrawn at most every redrawEvery. Its update method is a
// experiment.BatchOptions.Progress callback (calls never overlap).
type progressBar struct {
	out     *console
	label   string
	start   time.Time
	last    time.Time
	mu      sync.Mutex // orders a late update against done
	stopped bool       // set by done: later updates draw nothing
}

const redrawEvery = 100 * time.Millisecond

func newProgressBar(out *console, label string) *progressBar {
	return &progressBar{out: out, label: label, start: time.Now()}
}

// update redraws the bar for fraction done, unless it was redrawn less than
// redrawEvery ago (the first and the final draw always happen).
func (b *progressBar) update(fraction float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return
	}
	now := time.Now()
	if !b.last.IsZero() && now.Sub(b.last) < redrawEvery && fraction < 1 {
		return
	}
	b.last = now
	b.out.drawBar(renderBar(b.label, fraction, now.Sub(b.start)))
}

// done erases the bar for good.
func (b *progressBar) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stopped = true
	b.out.clearBar()
}

// renderBar draws "label [=====>     ]  45%  ETA 1m23s" for the fraction
// done after elapsed wall time; the ETA assumes a constant pace.
func renderBar(label string, fraction float64, elapsed time.Duration) string {
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
