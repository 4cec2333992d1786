package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// mtlsPKI makes a CA, a broker certificate for 127.0.0.1 and a client
// certificate, writes the CA and the client's pair as PEM files in dir and
// returns the broker's TLS config, which requires a client certificate
// signed by the CA.
func mtlsPKI(t *testing.T, dir string) (srv *tls.Config, caFile, certFile, keyFile string) {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	now := time.Now()
	caKey := key()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	issue := func(serial int64, k *ecdsa.PrivateKey, usage x509.ExtKeyUsage, ip bool) []byte {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		if ip {
			tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	srvKey, cliKey := key(), key()
	srvDER := issue(2, srvKey, x509.ExtKeyUsageServerAuth, true)
	cliDER := issue(3, cliKey, x509.ExtKeyUsageClientAuth, false)
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cliKeyDER, err := x509.MarshalECPrivateKey(cliKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	srv = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}},
		ClientAuth:   tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12,
	}
	return srv, write("ca.pem", "CERTIFICATE", caDER), write("client.pem", "CERTIFICATE", cliDER),
		write("client.key", "EC PRIVATE KEY", cliKeyDER)
}

// The twin connects to a broker that requires mutual TLS with
// --ca-file, --cert-file and --key-file: its online STATE arrives.
func TestTwinMutualTLS(t *testing.T) {
	dir := t.TempDir()
	srvTLS, caFile, certFile, keyFile := mtlsPKI(t, dir)
	b, err := link.StartBrokerWith("127.0.0.1:0", link.BrokerOptions{TLS: srvTLS, Log: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// A watcher with the same client certificate waits for the twin's STATE.
	o, err := (&mqttFlags{broker: b.URL(), caFile: caFile, certFile: certFile, keyFile: keyFile}).options("watcher", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
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
