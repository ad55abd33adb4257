package cluster_test

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

	"github.com/lunatic-go/lunatic/cluster"
)

// testPKI writes a CA and a certificate it signed for 127.0.0.1 (server and client use)
// into dir; it returns the file names.
func testPKI(t testing.TB, dir, name string) (ca, cert, key string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(leafKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(file, typ string, der []byte) string {
		p := filepath.Join(dir, file)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write(name+"-ca.pem", "CERTIFICATE", caDER), write(name+".pem", "CERTIFICATE", leafDER),
		write(name+"-key.pem", "EC PRIVATE KEY", keyDER)
}

// TestDirectTLS: nodes with a TLS client certificate for NATS use TLS on their direct
// connections, and a dialer whose certificate another CA signed is refused.
func TestDirectTLS(t *testing.T) {
	dir := t.TempDir()
	ca, cert, key := testPKI(t, dir, "node")
	conf := filepath.Join(dir, "nats.conf")
	tlsBlock := "tls {\n  cert_file: \"" + cert + "\"\n  key_file: \"" + key + "\"\n  ca_file: \"" + ca + "\"\n  verify: true\n}\n"
	if err := os.WriteFile(conf, []byte(tlsBlock), 0o600); err != nil {
		t.Fatal(err)
	}
	auth := cluster.Auth{TLSCert: cert, TLSKey: key, TLSCA: []string{ca}}
	ms := startCluster(t, 2, func(i int, o *cluster.Options) {
		o.Auth = auth
		if i == 0 {
			o.ServerConfig = conf
		}
	})
	a, b := ms[0], ms[1]
	if b.node.DirectAddr() == "" {
		t.Fatal("no direct path with a TLS certificate")
	}
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	awaitDirect(t, a, b, pong.ID())
	a.pass(t, "expect_spawn", b.node.ID(), moduleSelf, 0)
	if s := a.node.DirectStats(); s.SpawnsDirect != 1 {
		t.Fatalf("the spawn did not take the direct path: %+v", s)
	}
	// A broken TLS connection leaves nothing behind for shutdown to close (the TCP
	// connection under it was tracked, the TLS one untracked: one stale entry each).
	tracked := a.node.TrackedConns()
	if !a.node.BreakDirect(b.node.ID()) {
		t.Fatal("no direct connection to break")
	}
	if n := a.node.TrackedConns(); n != tracked-1 {
		t.Fatalf("%d connections tracked after one of %d broke", n, tracked)
	}

	// A plain TCP dialer gets no lunatic handshake: the listener speaks TLS first.
	refusedBefore := b.node.DirectStats().Refused
	c, err := net.Dial("tcp", b.node.DirectAddr())
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("LNTD hello, no TLS\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, _ := c.Read(buf); n >= 4 && string(buf[:4]) == "LNTD" {
		t.Fatal("the TLS listener answered a plain dialer with the lunatic handshake")
	}
	c.Close()

	// A client certificate from another CA is refused in the TLS handshake.
	_, otherCert, otherKey := testPKI(t, dir, "stranger")
	pair, err := tls.LoadX509KeyPair(otherCert, otherKey)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := tls.Dial("tcp", b.node.DirectAddr(), &tls.Config{
		Certificates: []tls.Certificate{pair}, InsecureSkipVerify: true, MinVersion: tls.VersionTLS13,
	})
	if err == nil {
		_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
		// TLS 1.3 reports the server's refusal of the client certificate on the first read.
		_, err = tc.Read(buf)
		tc.Close()
	}
	if err == nil {
		t.Fatal("a certificate from another CA was accepted")
	}
	deadline := time.Now().Add(10 * time.Second)
	for b.node.DirectStats().Refused < refusedBefore+2 {
		if time.Now().After(deadline) {
			t.Fatalf("want the two strangers counted as refused: %+v", b.node.DirectStats())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDirectOffUnderNATSTLS: a node that reaches NATS over TLS without a client
// certificate of its own opens no direct listener (it would be plaintext beside an
// encrypted NATS); the others still reach it through NATS.
func TestDirectOffUnderNATSTLS(t *testing.T) {
	dir := t.TempDir()
	ca, cert, key := testPKI(t, dir, "server")
	conf := filepath.Join(dir, "nats.conf")
	tlsBlock := "tls {\n  cert_file: \"" + cert + "\"\n  key_file: \"" + key + "\"\n}\n"
	if err := os.WriteFile(conf, []byte(tlsBlock), 0o600); err != nil {
		t.Fatal(err)
	}
	ms := startCluster(t, 2, func(i int, o *cluster.Options) {
		o.Auth = cluster.Auth{TLSCA: []string{ca}}
		if i == 0 {
			o.ServerConfig = conf
		}
	})
	a, b := ms[0], ms[1]
	if a.node.DirectAddr() != "" || b.node.DirectAddr() != "" {
		t.Fatalf("direct listeners %q, %q under TLS NATS without certificates", a.node.DirectAddr(), b.node.DirectAddr())
	}
	b.load(t, guestID(t))
	pong := b.spawn(t, "pong")
	a.pass(t, "ping", b.node.ID(), pong.ID(), 10)
	if s := a.node.DirectStats(); s.SentDirect != 0 || s.SentNATS != 10 || s.Dials != 0 {
		t.Fatalf("want every message through NATS: %+v", s)
	}
}
