package progress

import (
	"io"
	"sync"
)

// Console is a terminal stream shared by writers and one progress bar. While
// a bar is drawn, every write first erases it and then draws it again on the
// last line. It is safe for concurrent use.
type Console struct {
	mu  sync.Mutex
	w   io.Writer
	bar string // the bar on screen, "" if none
}

// eraseLine moves to the start of the line and clears it (ANSI).
const eraseLine = "\r\x1b[K"

// NewConsole returns a console writing to w, with no bar.
func NewConsole(w io.Writer) *Console { return &Console{w: w} }

// Write writes p, keeping the bar (if any) on the last line.
func (c *Console) Write(p []byte) (int, error) {
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
func (c *Console) drawBar(bar string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bar = bar
	io.WriteString(c.w, eraseLine+bar)
}

// clearBar erases the bar.
func (c *Console) clearBar() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bar != "" {
		io.WriteString(c.w, eraseLine)
		c.bar = ""
	}
}
