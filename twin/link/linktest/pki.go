// Package linktest makes throw-away certificates for tests of TLS
// connections to an MQTT broker: a CA, a broker certificate for
// 127.0.0.1 and a client certificate, valid for an hour around now.
package linktest

import (
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
	"testing"
	"time"
)

// PKI is a test certificate authority with one broker and one client
// certificate.
type PKI struct {
	// Roots holds the CA, for clients' RootCAs.
	Roots *x509.CertPool
	// Server and Client are the two certificates with their keys.
	Server, Client tls.Certificate
	ca             []byte // DER
}

// New makes a fresh PKI, failing tb on error.
func New(tb testing.TB) *PKI {
	tb.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		return k
	}
	now := time.Now()
	caKey := key()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "lightsout test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		tb.Fatal(err)
	}
	issue := func(serial int64, usage x509.ExtKeyUsage, ip bool) tls.Certificate {
		k := key()
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		if ip {
			tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			tb.Fatal(err)
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}
	}
	p := &PKI{Roots: x509.NewCertPool(), ca: caDER,
		Server: issue(2, x509.ExtKeyUsageServerAuth, true), Client: issue(3, x509.ExtKeyUsageClientAuth, false)}
	p.Roots.AddCert(ca)
	return p
}

// ServerTLS returns the broker's TLS config; with clientCerts it requires
// a client certificate signed by the CA (mutual TLS).
func (p *PKI) ServerTLS(clientCerts bool) *tls.Config {
	c := &tls.Config{Certificates: []tls.Certificate{p.Server}, MinVersion: tls.VersionTLS12}
	if clientCerts {
		c.ClientAuth, c.ClientCAs = tls.RequireAndVerifyClientCert, p.Roots
	}
	return c
}

// WriteFiles writes the CA and the client's certificate and key as PEM
// files in dir and returns their paths.
func (p *PKI) WriteFiles(tb testing.TB, dir string) (caFile, certFile, keyFile string) {
	tb.Helper()
	certFile, keyFile = writePair(tb, dir, "client", p.Client)
	return writePEM(tb, dir, "ca.pem", "CERTIFICATE", p.ca), certFile, keyFile
}

// WriteServerFiles writes the server's certificate (for 127.0.0.1) and
// key as PEM files in dir and returns their paths.
func (p *PKI) WriteServerFiles(tb testing.TB, dir string) (certFile, keyFile string) {
	tb.Helper()
	return writePair(tb, dir, "server", p.Server)
}

// writePair writes a certificate and its key as name.pem and name.key.
func writePair(tb testing.TB, dir, name string, c tls.Certificate) (certFile, keyFile string) {
	tb.Helper()
	keyDER, err := x509.MarshalECPrivateKey(c.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		tb.Fatal(err)
	}
	return writePEM(tb, dir, name+".pem", "CERTIFICATE", c.Certificate[0]), writePEM(tb, dir, name+".key", "EC PRIVATE KEY", keyDER)
}

// writePEM writes one PEM block to dir/name and returns its path.
func writePEM(tb testing.TB, dir, name, typ string, der []byte) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}
