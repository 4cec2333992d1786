package twin_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
)

// A seed is written as a JSON string and read from a string or from a
// whole JSON number below 2^53; larger numbers and other values are
// errors that say what to write instead.
func TestSeedJSON(t *testing.T) {
	const big = twin.Seed(18446744073709551615)
	b, err := json.Marshal(struct {
		Seed twin.Seed `json:"seed"`
	}{big})
	if err != nil || string(b) != `{"seed":"18446744073709551615"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	for _, tt := range []struct {
		in   string
		want twin.Seed
		err  string
	}{
		{`"18446744073709551615"`, big, ""},
		{`"7"`, 7, ""},
		{`7`, 7, ""},
		{`0`, 0, ""},
		{`9007199254740991`, 1<<53 - 1, ""},
		{`9007199254740992`, 0, `above 2^53 loses precision: write it as a string, "9007199254740992"`},
		{`18446744073709551616`, 0, "above 2^53"},
		{`1.5`, 0, "want a whole number"},
		{`-1`, 0, "want a whole number"},
		{`1e3`, 0, "want a whole number"},
		{`true`, 0, "want a whole number"},
		{`"x"`, 0, "want a whole number"},
		{`"-1"`, 0, "want a whole number"},
	} {
		var got struct {
			Seed twin.Seed `json:"seed"`
		}
		err := json.Unmarshal([]byte(`{"seed":`+tt.in+`}`), &got)
		switch {
		case tt.err == "" && (err != nil || got.Seed != tt.want):
			t.Errorf("seed %s: got %d, %v; want %d", tt.in, got.Seed, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "seed ")):
			t.Errorf("seed %s: error %v; want one starting \"seed \" and containing %q", tt.in, err, tt.err)
		}
	}
}

// A session log reads its seed from a string or a JSON number, and
// writes a string.
func TestSessionLogSeedNumberOrString(t *testing.T) {
	for _, seed := range []string{`"42"`, `42`} {
		log, err := twin.ReadSessionLog(strings.NewReader(`{"config":"demo-line","seed":` + seed + `,"until_s":60,"commands":[]}`))
		if err != nil || log.Seed != 42 {
			t.Fatalf("seed %s: %+v, %v", seed, log, err)
		}
		var b strings.Builder
		if err := twin.WriteSessionLog(&b, log); err != nil || !strings.Contains(b.String(), `"seed": "42"`) {
			t.Errorf("seed %s written back as:\n%s (%v)", seed, b.String(), err)
		}
	}
	_, err := twin.ReadSessionLog(strings.NewReader(`{"config":"demo-line","seed":9007199254740993,"until_s":60,"commands":[]}`))
	if err == nil || !strings.Contains(err.Error(), "write it as a string") {
		t.Errorf("seed above 2^53: %v", err)
	}
}
