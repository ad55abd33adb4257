package cluster

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// serverStartTimeout bounds how long the embedded NATS server may take to get ready.
const serverStartTimeout = 10 * time.Second

// embedded is a NATS server running inside this process.
type embedded struct {
	srv     *server.Server
	tempDir string // removed at stop; "" when the store directory is the user's
}

// startServer starts the embedded NATS server with JetStream, configured by o.
func startServer(o Options) (*embedded, error) {
	sopts := &server.Options{}
	if o.ServerConfig != "" {
		var err error
		if sopts, err = server.ProcessConfigFile(o.ServerConfig); err != nil {
			return nil, fmt.Errorf("NATS server configuration %q: %w", o.ServerConfig, err)
		}
	} else {
		sopts.MaxPayload = embeddedMaxPayload
		sopts.NoLog = true
		if o.Listen == "" {
			sopts.DontListen = true
		}
	}
	if o.Listen != "" {
		host, port, err := splitListen(o.Listen)
		if err != nil {
			return nil, err
		}
		sopts.Host, sopts.Port = host, port
	}
	sopts.NoSigs = true
	sopts.JetStream = true
	if sopts.ServerName == "" {
		sopts.ServerName = o.Cluster + "-" + o.Name
	}
	e := &embedded{}
	if o.StoreDir != "" {
		sopts.StoreDir = o.StoreDir
	} else if sopts.StoreDir == "" {
		dir, err := os.MkdirTemp("", "lunatic-nats-")
		if err != nil {
			return nil, fmt.Errorf("JetStream store directory: %w", err)
		}
		sopts.StoreDir, e.tempDir = dir, dir
	}
	srv, err := server.NewServer(sopts)
	if err != nil {
		e.stop()
		return nil, fmt.Errorf("NATS server: %w", err)
	}
	e.srv = srv
	srv.Start()
	if !srv.ReadyForConnections(serverStartTimeout) {
		e.stop()
		return nil, fmt.Errorf("NATS server not ready after %v (is %s free?)", serverStartTimeout, o.Listen)
	}
	return e, nil
}

// splitListen parses HOST:PORT; port 0 asks for a free port.
func splitListen(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("NATS listen address %q: want HOST:PORT: %w", addr, err)
	}
	port, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return "", 0, fmt.Errorf("NATS listen address %q: port %q is not a number from 0 to 65535", addr, p)
	}
	if port == 0 {
		return host, server.RANDOM_PORT, nil
	}
	return host, int(port), nil
}

// clientURL is where other nodes reach the server, or "" when it opens no port.
func (e *embedded) clientURL() string {
	if e == nil || e.srv == nil || e.srv.Addr() == nil {
		return ""
	}
	return e.srv.ClientURL()
}

// stop shuts the server down and removes a temporary store.
func (e *embedded) stop() {
	if e == nil {
		return
	}
	if e.srv != nil {
		e.srv.Shutdown()
		e.srv.WaitForShutdown()
	}
	if e.tempDir != "" {
		_ = os.RemoveAll(e.tempDir)
	}
}
