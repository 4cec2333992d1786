package bench

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// TwinReport is what RunTwin measured. Its JSON form is what `lightsout
// bench twin --json` prints.
type TwinReport struct {
	Machine Machine    `json:"machine"`
	Config  string     `json:"config"`
	Lines   int        `json:"lines"`
	Ingest  TwinIngest `json:"ingest"`
	Lag     TwinLag    `json:"lag"`
	Memory  TwinMemory `json:"memory"`
}

// TwinIngest is the unpaced run: the edge nodes publish as fast as the
// host takes their messages. MessagesPerSecond is over the time the host
// spent in Mirror.Receive (its capacity on the one goroutine that feeds
// it); EndToEndPerSecond over the wall time, the simulation of the lines
// included.
type TwinIngest struct {
	Messages          uint64  `json:"messages"`
	SimulatedS        float64 `json:"simulated_s"`
	WallS             float64 `json:"wall_s"`
	BusyS             float64 `json:"host_busy_s"`
	MessagesPerSecond float64 `json:"messages_per_second"`
	EndToEndPerSecond float64 `json:"end_to_end_messages_per_second"`
	Rebirths          uint64  `json:"rebirths"`
}

// TwinLag is the paced run: the lines at Speed times the wall clock, and
// how long a data message (NDATA, DDATA) took from its publication by an
// edge node to the end of its Receive (applied to the mirror and seen by
// its observers). Messages counts every message, births included.
type TwinLag struct {
	Speed             float64 `json:"speed"`
	Messages          uint64  `json:"messages"`
	MessagesPerSecond float64 `json:"messages_per_second"`
	P50Ms             float64 `json:"p50_ms"`
	P99Ms             float64 `json:"p99_ms"`
	MaxMs             float64 `json:"max_ms"`
	Rebirths          uint64  `json:"rebirths"`
}

// TwinMemory is the process's peak memory over both runs (the lines'
// simulation included), and after the unpaced run the heap in use (after
// a collection, the host and the lines alive) and the mirror's own
// estimate of what it holds (what --max-mirror-memory bounds).
type TwinMemory struct {
	Peak        Memory `json:"peak"`
	HeapInUse   uint64 `json:"heap_in_use_bytes"`
	MirrorBytes int64  `json:"mirror_bytes"`
}

// WriteTwinJSON writes r as one indented JSON document.
func WriteTwinJSON(w io.Writer, r *TwinReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTwinText writes r for people, one labelled line per measurement.
func WriteTwinText(w io.Writer, r *TwinReport) error {
	m, in, l, mem := r.Machine, r.Ingest, r.Lag, r.Memory
	mb := func(b float64) string { return textfmt.Grouped(b/1e6, 1) }
	rows := [][2]string{
		{"machine", fmt.Sprintf("%s, %d cores, GOMAXPROCS %d, %s %s/%s", m.CPU, m.Cores, m.GOMAXPROCS, m.Go, m.OS, m.Arch)},
		{"lines", fmt.Sprintf("%d edge nodes, each a copy of %s", r.Lines, r.Config)},
		{"ingest", fmt.Sprintf("%s messages/s into the host (%s messages in %s s of host time; %s/s end to end with the simulation, %s s wall for %s simulated)",
			textfmt.Grouped(in.MessagesPerSecond, 0), textfmt.Grouped(float64(in.Messages), 0), textfmt.Grouped(in.BusyS, 2),
			textfmt.Grouped(in.EndToEndPerSecond, 0), textfmt.Grouped(in.WallS, 1), textfmt.Grouped(in.SimulatedS, 0)+" s")},
		{"lag", fmt.Sprintf("p50 %s ms, p99 %s ms, max %s ms at speed %g (%s messages, %s/s)",
			textfmt.Grouped(l.P50Ms, 3), textfmt.Grouped(l.P99Ms, 3), textfmt.Grouped(l.MaxMs, 1), l.Speed,
			textfmt.Grouped(float64(l.Messages), 0), textfmt.Grouped(l.MessagesPerSecond, 0))},
		{"memory", fmt.Sprintf("%s MB peak (%s), %s MB heap in use, mirror %s MB (its estimate)",
			mb(float64(mem.Peak.Bytes)), mem.Peak.Source, mb(float64(mem.HeapInUse)), mb(float64(mem.MirrorBytes)))},
	}
	if n := in.Rebirths + l.Rebirths; n > 0 {
		rows = append(rows, [2]string{"rebirths", fmt.Sprintf("%d requested (sequence gaps: the host fell behind)", n)})
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%-9s %s\n", r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}
