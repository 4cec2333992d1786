package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// 'lightsout edge' publishes the line to the broker until interrupted,
// then says goodbye with its NDEATH; a twin host on the same broker
// mirrors it.
func TestEdgeCommandPublishesUntilInterrupted(t *testing.T) {
	b, err := link.StartBroker("127.0.0.1:0", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := twinwire.New(twinwire.Config{Mirror: mirror.Config{HostID: "watcher", Group: "plant"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Connect(ctx, link.Options{Broker: b.URL()}); err != nil {
		t.Fatal(err)
	}
	defer h.Close(context.Background())

	ectx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		_, _, code := runWithReplay(ectx, "edge", "--broker", b.URL(), "--config", "demo-line",
			"--group", "plant", "--node", "smt", "--speed", "600", "--tick", "10ms")
		done <- code
	}()
	_, err = h.Await(ctx, func(v *mirror.View) bool {
		m, ok := v.Metric("plant", "smt-L1", "", "Time/Simulated")
		ms, _ := m.Value.Int64()
		return ok && ms > 0
	})
	if err != nil {
		t.Fatalf("no data from the edge: %v", err)
	}
	stop()
	if code := <-done; code != exitInterrupted {
		t.Errorf("edge exit %d after Ctrl-C, want %d", code, exitInterrupted)
	}
	v, err := h.Await(ctx, func(v *mirror.View) bool {
		n, ok := v.Node("plant", "smt-L1")
		return ok && !n.Online
	})
	if err != nil || v.Deaths("plant", "smt-L1") == 0 {
		t.Errorf("no NDEATH from the edge after Ctrl-C: %v", err)
	}
}

func TestBadBrokerURL(t *testing.T) {
	for _, args := range [][]string{
		{"twin", "--broker", "foo://x"},
		{"twin", "--broker", "mqtt://"},
		{"edge", "--broker", "localhost:1883", "--config", "demo-line"},
		{"demo-twin", "--every", "1ms"},
		{"twin"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := execute(args, &out, &errb, "test"); code != exitBadInput {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitBadInput, errb.String())
			}
			if !strings.HasPrefix(errb.String(), "lightsout: ") {
				t.Errorf("stderr %q", errb.String())
			}
		})
	}
}

// A broker that refuses the credentials is bad input (status 2), said at
// once, not retried until the connect timeout.
func TestTwinRefusedCredentials(t *testing.T) {
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{Username: "twin", Password: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out, errb bytes.Buffer
	start := time.Now()
	code := execute([]string{"twin", "--broker", b.URL(), "--username", "twin", "--password", "wrong", "--http", ""}, &out, &errb, "test")
	if code != exitBadInput || !strings.Contains(errb.String(), "refused") {
		t.Fatalf("exit %d, stderr %q; want %d and a refusal", code, errb.String(), exitBadInput)
	}
	if d := time.Since(start); d > connectTimeout/2 {
		t.Errorf("took %v: the refusal was retried", d)
	}
	for _, args := range [][]string{
		{"twin", "--embedded", "--username", "u", "--http", ""},
		{"edge", "--config", "demo-line", "--password", "p"},
	} {
		errb.Reset()
		t.Setenv("LIGHTSOUT_MQTT_PASSWORD", "")
		if code := execute(args, &out, &errb, "test"); code != exitBadInput {
			t.Errorf("%v: exit %d, stderr %q; want %d", args, code, errb.String(), exitBadInput)
		}
	}
}

// Every bad flag of the twin commands is reported at once, each on its
// own line naming its flag, with the config's problems.
func TestTwinCommandsReportEveryBadFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"twin", "--broker", "foo://x", "--host-id", "a/b", "--replications", "0", "--ca-file", "ca.pem", "--config", "no-such-line"},
			[]string{"lightsout: --broker: ", "lightsout: --ca-file: open ca.pem", "--host-id contains", "lightsout: --replications 0", "no-such-line"}},
		{[]string{"edge", "--speed", "0", "--tick", "0s", "--group", "a+b", "--cert-file", "c.pem"},
			[]string{"lightsout: --cert-file c.pem: needs a tls:// --broker", "lightsout: --cert-file and --key-file go together",
				"lightsout: --speed 0", "lightsout: --tick 0s", "--group contains"}},
		{[]string{"demo-twin", "--every", "1ms", "--shift", "1s", "--username", "u"},
			[]string{"lightsout: --every 1ms", "lightsout: --shift 1s", "lightsout: --username u: the embedded broker needs a password"}},
		{[]string{"replay", "--speed", "-1", "--site", "a/b"},
			[]string{"lightsout: --log is required", "--site contains"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Setenv("LIGHTSOUT_MQTT_PASSWORD", "")
			_, errs, code := runWithReplay(context.Background(), c.args...)
			lines := strings.Split(strings.TrimSpace(errs), "\n")
			if code != exitBadInput || len(lines) < len(c.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %d lines", code, errs, exitBadInput, len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(strings.Join(lines, "\n"), w) {
					t.Errorf("line %d: stderr %q lacks %q", i, errs, w)
				}
			}
		})
	}
}
