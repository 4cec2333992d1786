package progress

import (
	"context"
	"errors"
	"testing"
)

func TestRunReturnsWhatFnReturns(t *testing.T) {
	v, err := Run(context.Background(), func(context.Context) (int, error) { return 42, nil })
	if v != 42 || err != nil {
		t.Errorf("Run = %d, %v; want 42, nil", v, err)
	}
	boom := errors.New("boom")
	if _, err := Run(context.Background(), func(context.Context) (int, error) { return 0, boom }); err != boom {
		t.Errorf("Run error %v, want %v", err, boom)
	}
}

// An interrupt returns at once, while fn is still running.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go func() {
		<-started
		cancel()
	}()
	v, err := Run(ctx, func(context.Context) (int, error) {
		close(started)
		<-release // still running when Run returns
		return 1, nil
	})
	if v != 0 || !errors.Is(err, ErrInterrupted) {
		t.Errorf("Run = %d, %v; want 0, ErrInterrupted", v, err)
	}
}

// A run that stops with an error because it was cancelled was interrupted.
func TestRunCancelledError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	v, err := Run(ctx, func(ctx context.Context) (int, error) {
		cancel()
		return 7, ctx.Err()
	})
	if v != 0 || !errors.Is(err, ErrInterrupted) {
		t.Errorf("Run = %d, %v; want 0, ErrInterrupted", v, err)
	}
}
