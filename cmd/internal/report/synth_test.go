package report

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// synthBatch makes plausible results of a demo line run: 8 h replications in
// 5-minute buckets, a ramp-up of about 40 minutes, the test station the
// bottleneck, so the stations before it are blocked and after it starved.
func synthBatch(title string, reps int, seed uint64, capacity float64) Batch {
	rng := rand.New(rand.NewPCG(seed, 7))
	const durationS, bucketS = 8 * 3600.0, 300.0
	n := int(durationS / bucketS)
	rate := 110 * (1 - math.Exp(-capacity/3)) // good units per hour at steady state
	good := make([][]float64, reps)
	wip := make([][]float64, reps)
	for r := range reps {
		good[r] = make([]float64, n)
		wip[r] = make([]float64, n)
		for i := range n {
			t := (float64(i) + 0.5) * bucketS
			ramp := 1 - math.Exp(-t/900)
			mean := rate * ramp * bucketS / 3600
			good[r][i] = math.Max(0, math.Round(mean+rng.NormFloat64()*math.Sqrt(mean+1)))
			wip[r][i] = math.Max(0, (14+capacity)*(1-math.Exp(-t/1200))+rng.NormFloat64()*1.5)
		}
	}
	ids := []string{"paste-print", "spi", "placement", "reflow", "aoi", "test", "assembly", "pack"}
	var stations []Station
	for i, id := range ids {
		s := Station{ID: id}
		switch {
		case id == "test":
			s.Working, s.Handling, s.Blocked, s.Starved, s.Down, s.Maintenance = 0.80, 0.08, 0.01, 0.02, 0.06, 0.03
			s.Bottleneck = true
		case i < 5:
			s.Working, s.Handling, s.Blocked, s.Starved, s.Down, s.Maintenance = 0.55, 0.06, 0.18+0.02*float64(i), 0.05, 0.05, 0.02
		default:
			s.Working, s.Handling, s.Blocked, s.Starved, s.Down, s.Maintenance = 0.50, 0.07, 0.01, 0.32, 0.04, 0.02
		}
		switch id {
		case "paste-print":
			s.Defects = 14
		case "placement":
			s.Defects = 22
		case "spi":
			s.Caught, s.Reworked = 12, 10
		case "aoi":
			s.Caught, s.Reworked, s.Scrapped = 19, 15, 4
		case "test":
			s.Defects, s.Caught, s.Scrapped = 3, 6, 6
		}
		stations = append(stations, s)
	}
	return Batch{
		Title: title, Config: "demo-line", Seed: seed, Replications: reps,
		DurationS: durationS, WarmupS: 2400, WarmupAuto: true, BucketS: bucketS,
		GoodPerBucket: good, WIP: wip, Stations: stations,
		KPIs: []KPI{
			{Name: "good_per_hour", Unit: "units/h", Mean: rate, HalfWidth: 2.4, N: reps},
			{Name: "oee", Unit: "", Mean: 0.71, HalfWidth: 0.012, N: reps},
			{Name: "scrap_rate", Unit: "", Mean: 0.011, HalfWidth: 0.002, N: reps},
			{Name: "lead_time", Unit: "s", Mean: 742, HalfWidth: 18, N: reps},
		},
	}
}

// synthSweep is a buffer-capacity sweep with diminishing returns.
func synthSweep() Sweep {
	s := Sweep{Title: "Buffer before test", Parameter: "stations[test].buffer", KPIs: []string{"good_per_hour", "oee"}}
	for c := 1; c <= 10; c++ {
		x := float64(c)
		s.Points = append(s.Points, SweepPoint{
			Scenario: fmt.Sprintf("buffer=%d", c), X: x,
			KPIs: map[string]KPI{
				"good_per_hour": {Name: "good_per_hour", Unit: "units/h", Mean: 110 * (1 - math.Exp(-x/3)), HalfWidth: 6 / math.Sqrt(x), N: 10},
				"oee":           {Name: "oee", Mean: 0.8 * (1 - math.Exp(-x/2.5)), HalfWidth: 0.03 / math.Sqrt(x), N: 10},
			},
		})
	}
	return s
}
