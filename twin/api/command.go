package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// CommandResponseJSON is what POST /api/command answers when the command
// was sent.
type CommandResponseJSON struct {
	// Topic is the DCMD topic the command was published on.
	Topic string `json:"topic"`
}

// maxCommandBody bounds the body of POST /api/command.
const maxCommandBody = 1 << 14

// serveCommand decodes a CommandRequest strictly and sends it:
// 202 when published, 400 for a bad request (naming the field), 404 for
// an unknown node or device, 409 when offline, 503 when not connected, 502
// when publishing failed.
func (s *server) serveCommand(w http.ResponseWriter, r *http.Request) {
	var req mirror.CommandRequest
	if err := decodeStrict(http.MaxBytesReader(w, r.Body, maxCommandBody), &req); err != nil {
		writeJSON(w, http.StatusBadRequest, errorJSON{Error: err.Error()})
		return
	}
	if s.t.Commands == nil {
		writeJSON(w, http.StatusServiceUnavailable, errorJSON{Error: mirror.ErrNotConnected.Error()})
		return
	}
	t, err := s.t.Commands.SendCommand(r.Context(), req)
	if err != nil {
		writeJSON(w, commandStatus(err), errorJSON{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusAccepted, CommandResponseJSON{Topic: t.String()})
}

// commandStatus maps an error of Commander.SendCommand to an HTTP status.
func commandStatus(err error) int {
	switch {
	case errors.Is(err, mirror.ErrBadCommand), errors.Is(err, mirror.ErrUnknownMetric),
		errors.Is(err, sparkplug.ErrMalformed):
		return http.StatusBadRequest
	case errors.Is(err, mirror.ErrUnknownNode), errors.Is(err, mirror.ErrUnknownDevice):
		return http.StatusNotFound
	case errors.Is(err, mirror.ErrOffline):
		return http.StatusConflict
	case errors.Is(err, mirror.ErrNotConnected):
		return http.StatusServiceUnavailable
	}
	return http.StatusBadGateway
}

// decodeStrict decodes one JSON object into v, rejecting unknown fields,
// wrong types and trailing data with an error that names the field.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &te):
			return fmt.Errorf("%s: want a JSON %s, got %s", te.Field, te.Type, te.Value)
		case errors.As(err, &mbe):
			return fmt.Errorf("body: longer than %d bytes", mbe.Limit)
		case errors.Is(err, io.EOF):
			return errors.New("body: empty, want a JSON object")
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return fmt.Errorf("%s: unknown field", strings.Trim(f, `"`))
		}
		return fmt.Errorf("body: invalid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("body: trailing data after the JSON object")
	}
	return nil
}
