package networkingapi_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// testCert is a self-signed certificate for localhost and 127.0.0.1 with its PKCS#8 key.
type testCert struct {
	certPEM, keyPEM []byte
	pair            tls.Certificate
	pool            *x509.CertPool
}

func newTestCert(t *testing.T) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	c := testCert{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}),
		pool:    x509.NewCertPool(),
	}
	if c.pair, err = tls.X509KeyPair(c.certPEM, c.keyPEM); err != nil {
		t.Fatal(err)
	}
	if !c.pool.AppendCertsFromPEM(c.certPEM) {
		t.Fatal("cannot add the test certificate to a pool")
	}
	return c
}

// TestTLSEcho: a guest TLS server (certificate generated here) serves concurrent Go TLS
// clients, each in its own process; a client that does not speak TLS only fails its own
// process.
func TestTLSEcho(t *testing.T) {
	before := socketFDs(t)
	cert := newTestCert(t)
	g := start(t, nettestWasm, map[string]string{"CERT": string(cert.certPEM), "KEY": string(cert.keyPEM)}, "tls_echo")
	addr := g.line("listening on ")

	plain, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = plain.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	_ = plain.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(plain); err != nil {
		t.Fatalf("the server should close a non-TLS client, got %v", err)
	}
	plain.Close()

	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- tlsEchoClient(addr, cert.pool, i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	g.stop()
	g.noLeak(before)
}

func tlsEchoClient(addr string, roots *x509.CertPool, id int) error {
	c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost"})
	if err != nil {
		return fmt.Errorf("client %d: %w", id, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	msg := bytes.Repeat([]byte(fmt.Sprintf("tls client %d;", id)), 1000)
	go func() { _, _ = c.Write(msg) }()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("client %d: %w", id, err)
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("client %d: echo differs", id)
	}
	return nil
}

// TestTLSClient: the guest connects to a Go TLS server trusting the test certificate (in
// both custom-root layouts), and gets a readable error from an untrusted server.
func TestTLSClient(t *testing.T) {
	before := socketFDs(t)
	cert := newTestCert(t)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert.pair}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var served sync.WaitGroup
	served.Add(1)
	go func() {
		defer served.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			served.Add(1)
			go func() {
				defer served.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(20 * time.Second))
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	g := start(t, nettestWasm, map[string]string{"CA": string(cert.certPEM)}, "tls_client", port)
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstdout:\n%s\nstderr:\n%s", err, g.stdout(), g.stderr.String())
	}
	out := g.stdout()
	t.Logf("guest output:\n%s", out)
	for _, want := range []string{"ok tls client ptr,len", "ok tls client len,ptr",
		"ok untrusted: tls_connect: handshake with localhost:" + port + ": tls: failed to verify certificate"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	if !strings.Contains(out, "certificate") {
		t.Errorf("the untrusted-server error should name the certificate problem:\n%s", out)
	}
	l.Close()
	served.Wait()
	g.noLeak(before)
}

// TestTLSBadCertificate: a malformed certificate is a clear error, not a trap.
func TestTLSBadCertificate(t *testing.T) {
	cert := newTestCert(t)
	g := start(t, nettestWasm, map[string]string{"KEY": string(cert.keyPEM)}, "tls_bad_cert")
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstderr:\n%s", err, g.stderr.String())
	}
	if want := "ok bad cert: tls_bind: invalid certificate or key: tls: failed to find any PEM data in certificate input"; !strings.Contains(g.stdout(), want) {
		t.Fatalf("want %q in:\n%s", want, g.stdout())
	}
}
