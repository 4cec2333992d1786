package sim_test

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// press is a machine that finishes a part every cycle.
type press struct {
	cycle sim.Time
	made  int
}

// Handle runs when a cycle ends: count the part and start the next one.
func (p *press) Handle(e *sim.Engine, arg int64) {
	p.made++
	fmt.Printf("%v: part %d done\n", e.Now(), p.made)
	e.Schedule(p.cycle, p, 0)
}

func Example() {
	var e sim.Engine // the zero Engine is ready at time 0
	p := &press{cycle: 3 * sim.Second}
	e.Schedule(p.cycle, p, 0)
	e.RunUntil(10 * sim.Second) // runs events up to 10s, then sets the clock to 10s
	fmt.Println("now", e.Now(), "made", p.made, "next event at", e.Peek())
	// Output:
	// 3s: part 1 done
	// 6s: part 2 done
	// 9s: part 3 done
	// now 10s made 3 next event at 12s
}
