package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/internal/mqttflags"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/link/linktest"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// The twin connects to a broker that requires mutual TLS with
// --ca-file, --cert-file and --key-file: its online STATE arrives.
func TestTwinMutualTLS(t *testing.T) {
	dir := t.TempDir()
	pki := linktest.New(t)
	srvTLS := pki.ServerTLS(true)
	caFile, certFile, keyFile := pki.WriteFiles(t, dir)
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{TLS: srvTLS, Log: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// A watcher with the same client certificate waits for the twin's STATE.
	o, problems := (&mqttflags.Flags{Broker: b.URL(), CAFile: caFile, CertFile: certFile, KeyFile: keyFile}).Options()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	o.ClientID, o.Log = "watcher", zaptest.NewLogger(t)
	online := make(chan struct{}, 1)
	o.OnMessage = func(topic string, payload []byte) {
		if st, err := sparkplug.UnmarshalState(payload); err == nil && st.Online {
			select {
			case online <- struct{}{}:
			default:
			}
		}
	}
	w, err := link.Dial(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(context.Background())
	if err := w.Subscribe(ctx, sparkplug.StateTopic("mtls-twin").String(), 1); err != nil {
		t.Fatal(err)
	}

	tctx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		_, _, code := runWithReplay(tctx, "twin", "--broker", b.URL(), "--host-id", "mtls-twin", "--http", "",
			"--ca-file", caFile, "--cert-file", certFile, "--key-file", keyFile)
		done <- code
	}()
	select {
	case <-online:
	case code := <-done:
		t.Fatalf("the twin stopped with %d before going online", code)
	case <-ctx.Done():
		t.Fatal("no online STATE from the twin over mutual TLS")
	}
	stop()
	if code := <-done; code != exitOK && code != exitInterrupted {
		t.Errorf("twin exit %d after Ctrl-C", code)
	}

	for _, args := range [][]string{
		{"twin", "--broker", b.URL(), "--cert-file", certFile},
		{"twin", "--broker", "mqtt://127.0.0.1:1", "--ca-file", caFile},
		{"twin", "--broker", b.URL(), "--cert-file", caFile, "--key-file", caFile},
	} {
		_, errs, code := runWithReplay(ctx, args...)
		if code != exitBadInput || !strings.Contains(errs, "--") {
			t.Errorf("%v: exit %d, stderr %q; want %d naming the flag", args, code, errs, exitBadInput)
		}
	}
}
