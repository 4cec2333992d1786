package host

import (
	"net/http"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// watchState holds the deviation detectors and the events they raised.
// STUB: to be replaced.
type watchState struct{}

func (s *watchState) init(h *Host) error { return nil }

func (s *watchState) observe(h *Host, t sparkplug.Topic, now time.Time, err error) {}

// watchRoutes adds this file's HTTP routes to mux.
func (h *Host) watchRoutes(mux *http.ServeMux) {}
