package main

import (
	"encoding/json"
	"io"

	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// writeJSON writes rep as one indented JSON document (the --json contract:
// field names are those of experiment.Report and documented in the
// README). encoding/json formats floats deterministically, and
// experiment.Report holds no NaN or infinity, so identical reports give
// identical bytes.
func writeJSON(w io.Writer, rep *experiment.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}
