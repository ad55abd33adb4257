package cluster

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// directTLS is the TLS configuration of the direct path, made from the node's NATS TLS
// files: with a client certificate (Auth.TLSCert, Auth.TLSKey) every direct connection is
// TLS 1.3 both ways, each side presenting that certificate and checking the other's
// against Auth.TLSCA (the system's roots when empty). Host names are not checked: which
// node answers is proven by the handshake's key (direct.go); TLS keeps the traffic
// private and proves the peer holds a certificate the cluster's CA signed. nil, nil
// without a client certificate.
func directTLS(a Auth) (*tls.Config, error) {
	if a.TLSCert == "" || a.TLSKey == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(a.TLSCert, a.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("direct path TLS certificate: %w", err)
	}
	var roots *x509.CertPool
	if len(a.TLSCA) > 0 {
		roots = x509.NewCertPool()
		for _, f := range a.TLSCA {
			pem, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("direct path TLS roots: %w", err)
			}
			if !roots.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("direct path TLS roots: no certificate in %s", f)
			}
		}
	}
	verify := func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return errors.New("no certificate")
		}
		certs := make([]*x509.Certificate, len(raw))
		for i, b := range raw {
			c, err := x509.ParseCertificate(b)
			if err != nil {
				return err
			}
			certs[i] = c
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		_, err := certs[0].Verify(x509.VerifyOptions{
			Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		})
		return err
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		// Both sides check the chain in verify, without host names.
		InsecureSkipVerify:    true, //nolint:gosec // the chain is verified by VerifyPeerCertificate
		ClientAuth:            tls.RequireAnyClientCert,
		VerifyPeerCertificate: verify,
	}, nil
}
