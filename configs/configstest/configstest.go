// Package configstest loads line configs in tests: an embedded one by
// name, or one written in the test, and fails the test on an error.
package configstest

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
)

// Embedded returns the embedded config called name, or fails tb.
func Embedded(tb testing.TB, name string) *twin.Spec {
	tb.Helper()
	spec, err := configs.Embedded(name)
	if err != nil {
		tb.Fatalf("config %s: %v", name, err)
	}
	return spec
}

// Parse parses a config written in a test (its errors name it
// test.yaml), or fails tb.
func Parse(tb testing.TB, yaml string) *twin.Spec {
	tb.Helper()
	spec, err := configs.Parse("test.yaml", []byte(yaml))
	if err != nil {
		tb.Fatalf("config: %v", err)
	}
	return spec
}
