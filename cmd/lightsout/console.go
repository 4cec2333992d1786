package main

import (
	"io"
	"sync"

	"github.com/lightsout-sim/lightsout/cmd/internal/progress"
)

// console is lightsout's stderr, shared by logs, error messages and the
// progress bar: a progress.Console over w, made on first use so that a
// console{w: …} literal is ready to use.
type console struct {
	w    io.Writer
	once sync.Once
	c    *progress.Console
}

// shared returns the progress.Console over w.
func (c *console) shared() *progress.Console {
	c.once.Do(func() { c.c = progress.NewConsole(c.w) })
	return c.c
}

// Write writes p below any progress bar; see progress.Console.Write.
func (c *console) Write(p []byte) (int, error) { return c.shared().Write(p) }
