package main

import (
	"errors"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
)

// twinError reports a failed call of a twin's API: a refused token is bad
// input (status 2, naming where the token came from), anything else a
// failure.
func twinError(err error) error {
	var ae *twinhttp.AuthError
	if errors.As(err, &ae) {
		return badInput("%v", ae)
	}
	return err
}
