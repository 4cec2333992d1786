package host

import "net/http"

// forecastState holds the latest forecast. STUB: to be replaced.
type forecastState struct{}

func (s *forecastState) init(h *Host) error { return nil }

// forecastRoutes adds this file's HTTP routes to mux.
func (h *Host) forecastRoutes(mux *http.ServeMux) {}
