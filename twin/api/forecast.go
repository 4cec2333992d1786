package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// maxWhatIfBody bounds the body of POST /api/whatif.
const maxWhatIfBody = 1 << 16

// serveForecast answers GET /api/forecast?until=8h&reps=40&seed=1 (see
// forecast.Forecaster.Forecast): 400 for a bad parameter (named), 409 when
// no model is loaded or the mirror cannot give the state yet, 500
// otherwise.
func (s *server) serveForecast(w http.ResponseWriter, r *http.Request) {
	req, err := forecast.ParseQuery(r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	if s.t.Forecast == nil {
		writeError(w, mirror.ErrNoModel)
		return
	}
	out, err := s.t.Forecast.Forecast(r.Context(), req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// serveWhatIf answers POST /api/whatif (see forecast.Forecaster.WhatIf),
// with the statuses of serveForecast.
func (s *server) serveWhatIf(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWhatIfBody+1))
	switch {
	case err != nil:
		writeError(w, &forecast.RequestError{Field: "body", Msg: err.Error()})
		return
	case len(body) > maxWhatIfBody:
		writeError(w, &forecast.RequestError{Field: "body", Msg: fmt.Sprintf("larger than %d bytes", maxWhatIfBody)})
		return
	}
	req, err := forecast.DecodeWhatIf(bytes.NewReader(body))
	if err != nil {
		writeError(w, err)
		return
	}
	if s.t.Forecast == nil {
		writeError(w, mirror.ErrNoModel)
		return
	}
	out, err := s.t.Forecast.WhatIf(r.Context(), req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// writeError answers a forecast or what-if error with its status (see
// serveForecast).
func writeError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var re *forecast.RequestError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &re), errors.As(err, &mb):
		status = http.StatusBadRequest
	case errors.Is(err, mirror.ErrNoModel), errors.Is(err, mirror.ErrNoState):
		status = http.StatusConflict
	}
	writeJSON(w, status, errorJSON{Error: err.Error()})
}
