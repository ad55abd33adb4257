package networkingapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"net"
	"strconv"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// serverConfig builds the configuration of a TLS listener from PEM inputs: the
// certificate buffer holds the leaf and optionally its chain, the key buffer a PKCS#8,
// PKCS#1 or SEC1 private key matching the leaf. Problems are reported as errors.
func serverConfig(certPEM, keyPEM []byte) (*tls.Config, error) {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("tls_bind: invalid certificate or key: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, nil
}

func tlsBind(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	a := readAddr(m, fn, stack, 0)
	idPtr := uint32(stack[5])
	certPEM := guestmem.Read(m, fn, uint32(stack[6]), uint32(stack[7]))
	keyPEM := guestmem.Read(m, fn, uint32(stack[8]), uint32(stack[9]))
	guestmem.CheckRange(m, fn, idPtr, 8)
	cfg, err := serverConfig(certPEM, keyPEM)
	var id uint64
	if err == nil {
		var l *net.TCPListener
		if l, err = listen(p, "tls_bind", a); err == nil {
			id = procState(p).tlsListeners.Add(newListener(p, l, cfg))
		}
	}
	reply(p, m, fn, idPtr, id, err, stack)
}

func getTLSListener(p *vm.Process, fn string, id uint64) *listener {
	l, ok := procState(p).tlsListeners.Get(id)
	if !ok {
		vm.Throw(fn, "tls listener %d not found", id)
	}
	return l
}

func dropTLSListener(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	l, ok := procState(p).tlsListeners.Remove(stack[0])
	if !ok {
		vm.Throw(fn, "tls listener %d not found", stack[0])
	}
	_ = l.close()
}

func tlsLocalAddr(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	l := getTLSListener(p, fn, stack[0])
	idPtr := uint32(stack[1])
	guestmem.CheckRange(m, fn, idPtr, 8)
	reply(p, m, fn, idPtr, newIter(p, fromNet(l.tcp.Addr())), nil, stack)
}

// tlsAccept accepts a TCP connection and returns it as a TLS stream at once. The
// handshake runs on the stream's first read or write, in whichever process holds it by
// then: a slow or broken client never blocks (or kills) the accepting process.
func tlsAccept(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	l := getTLSListener(p, fn, stack[0])
	guestmem.CheckRange(m, fn, uint32(stack[1]), 8)
	guestmem.CheckRange(m, fn, uint32(stack[2]), 8)
	c, err := accept(p, l.tcp)
	if err != nil {
		err = fmt.Errorf("tls_accept: %w", err)
	}
	replyAccept(p, m, fn, stack, func(c *net.TCPConn) uint64 {
		s := newTLSStream(p, c, func(nc net.Conn) *tls.Conn { return tls.Server(nc, l.config) })
		return p.Sockets().TLSStreams.Add(s.acquire())
	}, c, err)
}

func tlsConnect(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	host := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	port, timeout, idPtr := uint16(stack[2]), stack[3], uint32(stack[4])
	roots := customRoots(p, m, fn, uint32(stack[5]), uint32(stack[6]))
	guestmem.CheckRange(m, fn, idPtr, 8)
	var id uint64
	s, err := connectTLS(p, host, port, timeout, roots)
	if err == nil {
		id = p.Sockets().TLSStreams.Add(s.acquire())
	}
	replyID(p, m, fn, idPtr, id, err, stack)
}

// connectTLS dials host:port and completes the client handshake, all within the timeout.
func connectTLS(p *vm.Process, host string, port uint16, ms uint64, roots *rootSet) (*stream, error) {
	if err := p.Config().Net.CheckHost("tls_connect", host, port); err != nil {
		return nil, err
	}
	if roots != nil && roots.pool == nil {
		return nil, fmt.Errorf("tls_connect %s: none of the %d custom root certificates holds exactly one PEM certificate", host, roots.given)
	}
	cctx, cancel := withTimeout(p.Context(), ms)
	defer cancel()
	addr := net.JoinHostPort(host, strconv.Itoa(int(port)))
	var d net.Dialer
	nc, err := d.DialContext(cctx, "tcp", addr)
	if err == nil {
		cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		if roots != nil {
			cfg.RootCAs = roots.pool
		}
		s := newTLSStream(p, nc.(*net.TCPConn), func(c net.Conn) *tls.Conn { return tls.Client(c, cfg) })
		if err = s.tls.HandshakeContext(cctx); err == nil {
			s.handshaken.Store(true)
			return s, nil
		}
		_ = s.close()
		err = fmt.Errorf("handshake with %s: %w", addr, err)
	}
	p.CheckAlive()
	return nil, connectError("tls_connect", addr, ms, cctx, err)
}

// rootSet is the trust store given to tls_connect; nil means the system roots.
type rootSet struct {
	pool  *x509.CertPool
	given int
}

// customRoots reads count entries of {ptr u32, len u32}, each a PEM buffer holding one
// certificate. lunatic-rs 0.14 lays the entries out as {len, ptr}; an entry that does not
// describe exactly one certificate in its declared order is tried the other way round.
// Entries that fit neither way are skipped.
//
// Each entry may describe all of guest memory, so reading them can take the host a long
// time; a kill is looked at before each one.
func customRoots(p *vm.Process, m api.Module, fn string, ptr, count uint32) *rootSet {
	if count == 0 {
		return nil
	}
	size := uint64(count) * 8
	if size > uint64(^uint32(0)) {
		vm.Throw(fn, "pointer out of bounds (%d certificates at %#x)", count, ptr)
	}
	arr := guestmem.Read(m, fn, ptr, uint32(size))
	set := &rootSet{given: int(count)}
	for i := 0; i < int(count); i++ {
		p.CheckAlive()
		a, b := binary.LittleEndian.Uint32(arr[i*8:]), binary.LittleEndian.Uint32(arr[i*8+4:])
		cert := oneCert(m, a, b)
		if cert == nil {
			cert = oneCert(m, b, a)
		}
		if cert == nil {
			continue
		}
		if set.pool == nil {
			set.pool = x509.NewCertPool()
		}
		set.pool.AddCert(cert)
	}
	return set
}

// oneCert parses guest memory [ptr, ptr+n) as PEM holding exactly one certificate.
func oneCert(m api.Module, ptr, n uint32) *x509.Certificate {
	mem := m.Memory()
	if mem == nil {
		return nil
	}
	b, ok := mem.Read(ptr, n)
	if !ok {
		return nil
	}
	var found *x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return found
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		if found != nil {
			return nil
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil
		}
		found = c
	}
}
