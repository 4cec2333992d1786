package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// whatIfTwin serves the HTTP API of a host that mirrors demo-line (edge
// node demo-line-L1, fed without MQTT) after ten simulated minutes; spec
// false leaves the host without a model.
func whatIfTwin(t *testing.T, spec bool) *httptest.Server {
	t.Helper()
	s, err := configs.Resolve("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	cfg := twinwire.Config{Mirror: mirror.Config{HostID: "h"}, Forecast: forecast.Config{Replications: 4, Seed: 1, Shift: time.Hour}}
	if spec {
		cfg.Model = mirror.Model{Spec: s, Prefix: s.Name}
	}
	h, err := twinwire.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(s, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := edge.New(line, edge.Config{Group: "g", EdgeNode: "demo-line-L1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Connect(1); err != nil {
		t.Fatal(err)
	}
	msgs, err := n.Birth(1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		line.RunFor(2 * sim.Second)
		more, err := n.Update(uint64(2 + i))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, more...)
	}
	for _, m := range msgs {
		h.Mirror.Receive(m.Topic.String(), m.Payload)
	}
	handler, err := h.Handler(api.Policy{Token: cmdTestToken})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}

// whatIf runs 'lightsout whatif args…' in-process, with the twin's token
// in $LIGHTSOUT_API_TOKEN.
func whatIf(t *testing.T, args ...string) result {
	t.Helper()
	return whatIfWithToken(t, cmdTestToken, args...)
}

// whatIfWithToken runs 'lightsout whatif args…' in-process with token in
// $LIGHTSOUT_API_TOKEN.
func whatIfWithToken(t *testing.T, token string, args ...string) result {
	t.Helper()
	t.Setenv(twinhttp.TokenEnv, token)
	var out, errb bytes.Buffer
	a := &app{version: "test", stdout: &out, stderr: &console{w: &errb}, log: zap.NewNop()}
	cmd := newWhatIfCmd(a)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetArgs(args)
	c, err := cmd.ExecuteContextC(context.Background())
	return result{report(a.stderr, c, err), out.String(), errb.String()}
}

func TestWhatIfCommand(t *testing.T) {
	srv := whatIfTwin(t, true)

	r := whatIf(t, "--twin", srv.URL, "--station-speed", "test=1.5", "--until", "40m")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"What-if: speed of test x1.5",
		"Window: 10m to 40m of simulated time (4 replications, seed 1",
		"base", "what-if", "paired difference", "shift total, what-if", "P50 of the what-if minus P50 of the base: +",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	r = whatIf(t, "--twin", srv.URL+"/", "--buffer", "test=inf", "--replications", "2", "--seed", "7", "--json")
	var w forecast.WhatIfJSON
	if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &w) != nil {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if w.Base.Replications != 2 || w.Base.Seed != 7 || w.Base.Until != sim.Hour || len(w.Changes) != 1 ||
		!strings.Contains(w.Changes[0], "-> inf") {
		t.Errorf("answer %+v", w)
	}
}

func TestWhatIfCommandErrors(t *testing.T) {
	srv := whatIfTwin(t, true)
	noModel := whatIfTwin(t, false)
	gone := httptest.NewServer(nil)
	gone.Close()
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no change", []string{"--twin", srv.URL}, exitBadInput, "no change given"},
		{"bad buffer", []string{"--twin", srv.URL, "--buffer", "test"}, exitBadInput, "--buffer"},
		{"bad speed", []string{"--twin", srv.URL, "--station-speed", "test=-1"}, exitBadInput, "--station-speed"},
		{"bad seed", []string{"--twin", srv.URL, "--repair-arm", "arm-1", "--seed", "x"}, exitBadInput, "--seed"},
		{"bad twin", []string{"--twin", "127.0.0.1:8080", "--repair-arm", "arm-1"}, exitBadInput, "--twin"},
		{"bad until", []string{"--twin", srv.URL, "--repair-arm", "arm-1", "--until", "soon"}, exitBadInput, "until"},
		{"nothing to repair", []string{"--twin", srv.URL, "--repair-arm", "arm-1"}, exitBadInput, "repair_arm: arm \"arm-1\" is not down"},
		{"unknown station", []string{"--twin", srv.URL, "--buffer", "nowhere=3"}, exitBadInput, "buffer.station: unknown station"},
		{"past", []string{"--twin", srv.URL, "--station-speed", "test=2", "--until", "5m"}, exitBadInput, "until_s: 5m is not after"},
		{"no model", []string{"--twin", noModel.URL, "--repair-arm", "arm-1"}, exitFailure, "--config"},
		{"no twin", []string{"--twin", gone.URL, "--repair-arm", "arm-1"}, exitFailure, "asking the twin"},
		{"wrong token", []string{"--twin", srv.URL, "--repair-arm", "arm-1", "--api-token-file", writeFile(t, "token", "wrong-token-0123456789")},
			exitBadInput, "/api/whatif refused the API token from --api-token-file "},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := whatIf(t, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
				t.Errorf("exit %d (want %d), stderr %q (want %q), stdout %q", r.code, c.code, r.stderr, c.want, r.stdout)
			}
		})
	}
}

// Without a token the twin refuses the what-if; the command says so in one
// line (status 2).
func TestWhatIfWithoutToken(t *testing.T) {
	srv := whatIfTwin(t, true)
	r := whatIfWithToken(t, "", "--twin", srv.URL, "--repair-arm", "arm-1")
	if r.code != exitBadInput || len(lines(r.stderr)) != 1 || !strings.Contains(r.stderr, "needs its API token: give --api-token-file FILE or set LIGHTSOUT_API_TOKEN") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
