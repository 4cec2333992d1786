package api

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// The collector describes every metric it collects (the Collector
// contract), as a pedantic registry checks.
func TestCollectorDescribesWhatItCollects(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	h := l.MustHost(twintest.HostConfig{})
	l.Birth()
	l.Run(5*sim.Minute, 2*sim.Second, nil)
	h.Mirror.Receive("spBv1.0/g/NDATA/other", []byte{0xff}) // a deviation
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(newCollector(h.Mirror, h.Monitor)); err != nil {
		t.Fatal(err)
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var described int
	ch := make(chan *prometheus.Desc, 64)
	go func() {
		newCollector(h.Mirror, h.Monitor).Describe(ch)
		close(ch)
	}()
	for range ch {
		described++
	}
	if len(fams) != described {
		t.Errorf("%d families gathered, %d described", len(fams), described)
	}
}
