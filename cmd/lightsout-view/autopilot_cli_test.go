package main

import (
	"strings"
	"testing"
)

func TestCLIAutopilotFlags(t *testing.T) {
	code, errs, s, _ := runCLI(t, "--config", "phone-factory", "--autopilot", "predictive", "--autopilot-param", "predictive.lead=6h",
		"--recommend-only", "--max-actions-per-hour", "3")
	if code != 0 || s == nil || s.pilot == nil {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if a := s.spec.Autopilot; a == nil || a.Policy != "predictive" || !a.RecommendOnly || a.MaxActionsPerHour != 3 {
		t.Errorf("spec's autopilot %+v", a)
	}
	p, err := s.pilot(nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := p.Status(0); st.Policy != "predictive" || !st.RecommendOnly || st.MaxPerHour != 3 {
		t.Errorf("pilot %+v", st)
	}
	if code, _, s, _ := runCLI(t, "--config", "phone-factory"); code != 0 || s.pilot != nil {
		t.Errorf("without --autopilot: exit %d, a pilot is made", code)
	}
	code, errs, s, _ = runCLI(t, "--twin", "mqtt://127.0.0.1:1999", "--twin-http", "http://127.0.0.1:8080")
	if code != 0 || s.twin == nil || s.twin.http != "http://127.0.0.1:8080" || s.pilot != nil {
		t.Errorf("twin with --twin-http: exit %d %q, %+v", code, errs, s)
	}
}

func TestCLIAutopilotBadFlagsAllAtOnce(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--autopilot", "psychic", "--autopilot-param", "nonsense", "--max-actions-per-hour", "0"},
			[]string{`--autopilot "psychic"`, `--autopilot-param "nonsense"`, "--max-actions-per-hour 0"}},
		{[]string{"--recommend-only", "--autopilot-param", "predictive.lead=6h"},
			[]string{"--recommend-only: needs --autopilot", "--autopilot-param: needs --autopilot"}},
		{[]string{"--twin", "mqtt://b:1", "--autopilot", "predictive"}, []string{"--autopilot does not apply with --twin"}},
		{[]string{"--twin-http", "http://h:1"}, []string{"--twin-http needs --twin"}},
		{[]string{"--twin", "mqtt://b:1", "--twin-http", "h:8080"}, []string{"--twin-http"}},
		{[]string{"--autopilot", "x", "--speed", "fast"}, []string{"--autopilot", "--speed"}},
	} {
		code, stderr, s, _ := runCLI(t, tc.args...)
		if code != exitBadInput || s != nil {
			t.Errorf("%v: exit %d (opened %v), want 2\n%s", tc.args, code, s != nil, stderr)
			continue
		}
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if len(lines) < len(tc.want) {
			t.Errorf("%v: %d lines for %d problems:\n%s", tc.args, len(lines), len(tc.want), stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr)
			}
		}
	}
}
