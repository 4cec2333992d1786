package progress

import (
	"context"
	"errors"
)

// ErrInterrupted is the error of a Run whose context ended first.
var ErrInterrupted = errors.New("interrupted")

// Run calls fn with ctx in a goroutine of its own and returns what fn
// returns. If ctx ends first, Run returns ErrInterrupted at once and leaves
// fn running, its result dropped: it is for a command that exits on an
// interrupt. An error fn returns once ctx has ended also counts as
// ErrInterrupted (fn stopped because it was cancelled).
func Run[T any](ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	type outcome struct {
		v   T
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		v, err := fn(ctx)
		done <- outcome{v, err}
	}()
	var zero T
	select {
	case o := <-done:
		if o.err != nil && ctx.Err() != nil {
			return zero, ErrInterrupted
		}
		return o.v, o.err
	case <-ctx.Done():
		return zero, ErrInterrupted
	}
}
