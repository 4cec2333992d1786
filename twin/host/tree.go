package host

import (
	"net/http"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// trackState holds the ISA-95 tree, time in state and KPI accumulators.
// STUB: to be replaced.
type trackState struct{}

func (s *trackState) init(h *Host) error { return nil }

func (s *trackState) observe(h *Host, t sparkplug.Topic, now time.Time, err error) {}

// trackRoutes adds this file's HTTP routes to mux.
func (h *Host) trackRoutes(mux *http.ServeMux) {}
