package main

import (
	"fmt"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// limitFlags are the twin host's limits on what it takes from MQTT: the
// sizes it mirrors, when it forgets a silent edge node, and how many
// rebirth requests it sends.
type limitFlags struct {
	maxPayload, maxMemory                          sizeFlag
	maxNodes, maxDevices, maxMetrics, rebirthBurst int
	rebirthRate                                    float64
	evictAfter                                     durationFlag
}

// Bounds of the limit flags: what a twin host can sensibly be asked for.
const (
	maxPayloadFlag = 256 << 20 // MQTT's own packet limit
	maxCountFlag   = 10_000_000
)

// register adds every limit flag, with the library's defaults.
func (f *limitFlags) register(cmd *cobra.Command) {
	f.maxPayload, f.maxMemory = host.DefaultMaxPayload, host.DefaultMaxBytes
	f.evictAfter = durationFlag{t: sim.Time(mirror.DefaultEvictAfter), set: true}
	fl := cmd.Flags()
	fl.Var(&f.maxPayload, "max-payload", "largest MQTT payload the twin decodes; larger ones are refused and counted")
	fl.IntVar(&f.maxNodes, "max-nodes", host.DefaultMaxNodes, "most edge nodes mirrored at once")
	fl.IntVar(&f.maxDevices, "max-devices", host.DefaultMaxDevices, "most devices mirrored per edge node")
	fl.IntVar(&f.maxMetrics, "max-metrics", host.DefaultMaxMetrics, "most metrics in one message (a birth defines at most this many)")
	fl.Var(&f.maxMemory, "max-mirror-memory", "most memory the mirrored nodes, devices and metrics may take, as the twin estimates it")
	fl.Var(&f.evictAfter, "evict-after", "forget edge nodes silent for this long (host time); 0s: never")
	fl.IntVar(&f.rebirthBurst, "rebirth-burst", host.DefaultRebirthBurst, "rebirth requests the twin may send at once, whatever the number of nodes")
	fl.Float64Var(&f.rebirthRate, "rebirth-rate", host.DefaultRebirthRate, "rebirth requests a second once the burst is spent")
}

// check checks the limit flags, returning every problem, and sets cfg's
// limits and eviction.
func (f *limitFlags) check(cfg *mirror.Config) []string {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if f.maxPayload < 1 || f.maxPayload > maxPayloadFlag {
		bad("--max-payload %s: want 1 to %d bytes (256MiB)", f.maxPayload.String(), maxPayloadFlag)
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"--max-nodes", f.maxNodes}, {"--max-devices", f.maxDevices}, {"--max-metrics", f.maxMetrics}, {"--rebirth-burst", f.rebirthBurst}} {
		if c.v < 1 || c.v > maxCountFlag {
			bad("%s %d: want 1 to %d", c.name, c.v, maxCountFlag)
		}
	}
	if f.maxMemory < 1<<20 {
		bad("--max-mirror-memory %s: want at least 1MiB", f.maxMemory.String())
	}
	if math.IsNaN(f.rebirthRate) || f.rebirthRate <= 0 || f.rebirthRate > 1e6 {
		bad("--rebirth-rate %v: want a number above 0, at most 1000000", f.rebirthRate)
	}
	evict := time.Duration(f.evictAfter.t)
	switch {
	case evict == 0:
		evict = -1 // never
	case evict < time.Minute:
		bad("--evict-after %s: want 0s (never) or at least 1m", f.evictAfter.String())
	}
	cfg.EvictAfter = evict
	cfg.Limits = host.Config{
		MaxPayload: int(f.maxPayload), MaxNodes: f.maxNodes, MaxDevices: f.maxDevices, MaxMetrics: f.maxMetrics,
		MaxBytes: int64(f.maxMemory), RebirthBurst: f.rebirthBurst, RebirthRate: f.rebirthRate,
	}
	return problems
}
