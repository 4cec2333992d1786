package sim_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// An event whose handler panics counts as run, and the engine stays usable
// by a caller that recovers: whatever it does next sees the queue without it.
func TestEngineAfterHandlerPanic(t *testing.T) {
	var third sim.EventID
	next := map[string]func(e *sim.Engine){
		"Step": func(e *sim.Engine) { e.Step() },
		"Run":  func(e *sim.Engine) { e.Run() },
		"RunUntil": func(e *sim.Engine) {
			if e.RunUntil(sec + sec/2); e.Events() != 1 {
				t.Errorf("RunUntil(1.5s) ran %d events, want none", e.Events()-1)
			}
		},
		"Peek":     func(e *sim.Engine) { e.Peek() },
		"Schedule": func(e *sim.Engine) { e.Schedule(sec/2, nop{}, 0) },
		"Cancel": func(e *sim.Engine) {
			if !e.Cancel(third) {
				t.Error("Cancel of a pending event = false")
			}
		},
	}
	for _, scheduled := range []int{0, 1, 2} {
		for name, f := range next {
			t.Run(fmt.Sprintf("%s after %d scheduled", name, scheduled), func(t *testing.T) {
				var e sim.Engine
				r := &recorder{}
				r.on(1, func(e *sim.Engine) {
					for range scheduled {
						e.Schedule(sec, r, 4)
					}
					panic("handler failed")
				})
				e.Schedule(sec, r, 1)
				e.Schedule(2*sec, r, 2)
				third = e.Schedule(2*sec, r, 3)
				func() {
					defer func() { recover() }()
					e.Step()
				}()
				if e.Events() != 1 || e.Now() != sec || e.Pending() != 2+scheduled {
					t.Fatalf("after the panic: Events %d, Now %v, Pending %d; want 1, 1s, %d",
						e.Events(), e.Now(), e.Pending(), 2+scheduled)
				}
				f(&e)
				e.Run()
				want := []string{"1s:1", "2s:2", "2s:3"}
				if name == "Cancel" {
					want = slices.Delete(want, 2, 3)
				}
				for range scheduled {
					want = append(want, "2s:4")
				}
				checkLog(t, r.log, want)
			})
		}
	}
}

type nop struct{}

func (nop) Handle(*sim.Engine, int64) {}
