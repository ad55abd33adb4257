package cluster

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// reconnectFlushTimeout bounds the round trip that confirms a reconnection.
const reconnectFlushTimeout = 5 * time.Second

// connect opens the node's one NATS connection: in-process to the embedded server, or to
// the servers of o.NATS. It keeps reconnecting forever, so a NATS restart interrupts the
// cluster without ending the node.
// closed is closed when the connection is closed for good.
func connect(o Options, e *embedded, closed chan struct{}) (*nats.Conn, error) {
	opts, err := natsOptions(o)
	if err != nil {
		return nil, err
	}
	opts = append(opts, nats.ClosedHandler(func(*nats.Conn) { close(closed) }))
	url := strings.Join(o.NATS, ",")
	if e != nil {
		url = e.srv.ClientURL()
		opts = append(opts, nats.InProcessServer(e.srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to NATS %s: %w", url, err)
	}
	return nc, nil
}

// natsOptions translates the node options into nats.go connection options.
func natsOptions(o Options) ([]nats.Option, error) {
	log := o.Logger
	opts := []nats.Option{
		nats.Name(fmt.Sprintf("lunatic node %s", o.Name)),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("disconnected from NATS", "error", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			// The client sent its subscriptions again on reconnecting; a round trip makes
			// sure the server took them before the node says it is back.
			if err := nc.FlushTimeout(reconnectFlushTimeout); err != nil {
				log.Warn("NATS reconnection not confirmed by the server", "url", nc.ConnectedUrlRedacted(), "error", err)
				return
			}
			log.Info("reconnected to NATS", "url", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(asyncErrorLogger(log)),
	}
	a := o.Auth
	if a.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(a.CredsFile))
	}
	if a.NKeyFile != "" {
		opt, err := nats.NkeyOptionFromSeed(a.NKeyFile)
		if err != nil {
			return nil, fmt.Errorf("NKey seed %q: %w", a.NKeyFile, err)
		}
		opts = append(opts, opt)
	}
	if (a.TLSCert == "") != (a.TLSKey == "") {
		return nil, fmt.Errorf("a TLS client certificate needs both the certificate and the key file")
	}
	if a.TLSCert != "" {
		opts = append(opts, nats.ClientCert(a.TLSCert, a.TLSKey))
	}
	if len(a.TLSCA) > 0 {
		opts = append(opts, nats.RootCAs(a.TLSCA...))
	}
	return opts, nil
}

// asyncErrorLogger reports asynchronous NATS errors (a slow consumer dropping messages,
// a permission violation) that no call returns.
func asyncErrorLogger(log *slog.Logger) nats.ErrHandler {
	return func(_ *nats.Conn, sub *nats.Subscription, err error) {
		subject := ""
		if sub != nil {
			subject = sub.Subject
		}
		log.Warn("NATS error", "subject", subject, "error", err)
	}
}
