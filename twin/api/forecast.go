package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// maxWhatIfBody bounds the body of POST /api/whatif.
const maxWhatIfBody = 1 << 16

// Outcomes of a forecast or what-if, the label of forecasts_total.
const (
	outcomeDone      = "done"
	outcomeFailed    = "failed"
	outcomeTimeout   = "timeout"
	outcomeCancelled = "cancelled"
)

// withParameters says whether a forecast request gives any parameter:
// then it needs the token (see Policy).
func withParameters(r *http.Request) bool { return r.URL.RawQuery != "" }

// serveForecast answers GET /api/forecast?until=8h&replications=40&seed=1 (see
// forecast.Forecaster.Forecast): 400 for a bad parameter (named), 409 when
// no model is loaded or the mirror cannot give the state yet, 429 when
// busy, 503 past the time limit or when cancelled, 500 otherwise.
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
	s.costly(w, r, func(ctx context.Context) (any, error) { return s.t.Forecast.Forecast(ctx, req) })
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
	s.costly(w, r, func(ctx context.Context) (any, error) { return s.t.Forecast.WhatIf(ctx, req) })
}

// costly runs one forecast or what-if if a slot is free (else 429 with
// Retry-After), with the request's context ended at the policy's time
// limit, and answers its result. When the request's context ends (the
// client left, the server is stopping) the work stops and the answer, if
// anyone reads it, is 503.
func (s *server) costly(w http.ResponseWriter, r *http.Request, run func(ctx context.Context) (any, error)) {
	g := s.g
	select {
	case g.slots <- struct{}{}:
	default:
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter/time.Second)))
		g.refuse(w, refusedBusy, http.StatusTooManyRequests,
			fmt.Sprintf("busy: %d forecasts or what-ifs in progress, the most this twin runs at once; try again later", cap(g.slots)))
		return
	}
	var err error
	defer func() {
		<-g.slots
		if g.p.costlyDone != nil {
			g.p.costlyDone(err)
		}
	}()
	ctx, cancel := context.WithTimeout(r.Context(), g.p.ForecastTimeout)
	defer cancel()
	var out any
	out, err = run(ctx)
	switch {
	case err == nil:
		g.outcome.WithLabelValues(outcomeDone).Inc()
		writeJSON(w, http.StatusOK, out)
	case r.Context().Err() != nil: // the client left, or the server is stopping
		g.outcome.WithLabelValues(outcomeCancelled).Inc()
		writeJSON(w, http.StatusServiceUnavailable, errorJSON{Error: "stopped: the request was cancelled (the client left, or the twin is stopping)"})
	case errors.Is(err, context.DeadlineExceeded):
		g.outcome.WithLabelValues(outcomeTimeout).Inc()
		writeJSON(w, http.StatusServiceUnavailable, errorJSON{Error: fmt.Sprintf(
			"stopped at this twin's time limit of %v: ask for fewer replications or a nearer until", g.p.ForecastTimeout)})
	default:
		g.outcome.WithLabelValues(outcomeFailed).Inc()
		writeError(w, err)
	}
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
