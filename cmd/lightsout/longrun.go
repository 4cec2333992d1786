package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	"github.com/lightsout-sim/lightsout/cmd/internal/progress"
)

// longRun runs fn (a batch, its warm-up pilots, a sweep) until it ends or
// lightsout gets SIGINT or SIGTERM: then it returns at once with status 130
// and the run is abandoned with the process. fn's progress draws a bar
// labelled label when stderr is a terminal, and goes to otherwise (nil:
// nowhere) when it is not.
func longRun[T any](ctx context.Context, a *app, label string, otherwise func(float64),
	fn func(ctx context.Context, onProgress func(float64)) (T, error)) (T, error) {
	prog := otherwise
	if a.tty {
		bar := progress.NewBar(a.stderr.shared(), label)
		prog = bar.Update
		defer bar.Done()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	v, err := progress.Run(ctx, func(ctx context.Context) (T, error) { return fn(ctx, prog) })
	if errors.Is(err, progress.ErrInterrupted) {
		return v, interrupted("interrupted; no output written")
	}
	return v, err
}
