// Package natstest runs a real NATS cluster for tests and benchmarks: nats-server
// processes built from the nats-server module the project already depends on (no
// download beyond the Go module proxy), clustered with JetStream on free loopback ports,
// each with its own store directory, that a test can kill and restart.
//
//	c := natstest.Start(t, 3)
//	url := c.Servers[0].URL // nats://127.0.0.1:PORT
//	c.Servers[2].Kill()
package natstest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// serverModule is the module whose main package is nats-server.
const serverModule = "github.com/nats-io/nats-server/v2"

// readyTimeout bounds how long a cluster may take to elect its JetStream leader.
const readyTimeout = 60 * time.Second

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Binary returns the path of a nats-server executable built from the module version this
// project requires. The build is cached in the user cache directory by version, so only
// the first run on a machine pays for it.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() { buildPath, buildErr = build() })
	if buildErr != nil {
		t.Fatalf("build nats-server: %v", buildErr)
	}
	return buildPath
}

func build() (string, error) {
	version := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == serverModule {
				version = d.Version
			}
		}
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "lunatic-natstest", version)
	bin := filepath.Join(dir, "nats-server")
	if version != "unknown" {
		if _, err := os.Stat(bin); err == nil {
			return bin, nil
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	// Build under a temporary name and rename: packages tested in parallel may build at
	// the same time, and none may run a half-written file.
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	cmd := exec.Command("go", "build", "-o", tmp, serverModule)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", serverModule, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// moduleRoot is the directory of this project's go.mod.
func moduleRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the natstest source")
	}
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above " + filepath.Dir(file))
		}
		dir = parent
	}
}

// Cluster is a set of nats-server processes routed to each other.
type Cluster struct {
	Servers []*Server
}

// Server is one nats-server process of a Cluster.
type Server struct {
	Name string
	URL  string // client URL, nats://127.0.0.1:PORT

	t       testing.TB
	bin     string
	args    []string
	logPath string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// URLs are the client URLs of every server.
func (c *Cluster) URLs() []string {
	out := make([]string, len(c.Servers))
	for i, s := range c.Servers {
		out[i] = s.URL
	}
	return out
}

// Start runs n nats-server processes with JetStream, clustered (n > 1) over routes on
// loopback, and waits until JetStream has a leader. They stop when the test ends.
func Start(t testing.TB, n int) *Cluster {
	t.Helper()
	bin := Binary(t)
	ports := freePorts(t, 2*n)
	dir := t.TempDir()
	var routes []string
	for i := 0; i < n; i++ {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", ports[n+i]))
	}
	c := &Cluster{}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("s%d", i+1)
		store := filepath.Join(dir, name)
		args := []string{
			"-a", "127.0.0.1", "-p", fmt.Sprint(ports[i]), "-n", name,
			"-js", "-sd", store,
		}
		if n > 1 {
			args = append(args, "--cluster_name", "lunatic-test",
				"--cluster", routes[i], "--routes", strings.Join(routes, ","))
		}
		s := &Server{
			Name: name, URL: fmt.Sprintf("nats://127.0.0.1:%d", ports[i]),
			t: t, bin: bin, args: args, logPath: filepath.Join(dir, name+".log"),
		}
		c.Servers = append(c.Servers, s)
		t.Cleanup(s.Kill)
	}
	for _, s := range c.Servers {
		s.start()
	}
	c.AwaitReady(t)
	return c
}

// freePorts reserves count distinct free loopback TCP ports (all listeners are open at
// once, so they differ) and releases them for the servers to take.
func freePorts(t testing.TB, count int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for i := 0; i < count; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		_ = l.Close()
	}
	return ports
}

func (s *Server) start() {
	s.t.Helper()
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(s.bin, s.args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start nats-server %s: %v", s.Name, err)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
}

// Kill ends the server with SIGKILL (no lame-duck mode, no goodbye to clients or routes).
func (s *Server) Kill() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// Restart starts a killed server again, on the same ports with the same store.
func (s *Server) Restart() {
	s.t.Helper()
	s.start()
}

// Log is what the server wrote so far (for failure messages).
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.logPath)
	return string(b)
}

// AwaitReady waits until every running server answers a JetStream request, that is the
// cluster has a JetStream leader and every server takes clients.
func (c *Cluster) AwaitReady(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	for _, s := range c.Servers {
		s.mu.Lock()
		running := s.cmd != nil
		s.mu.Unlock()
		if !running {
			continue
		}
		if err := awaitJetStream(ctx, s.URL); err != nil {
			t.Fatalf("nats-server %s not ready: %v\n%s", s.Name, err, s.Log())
		}
	}
}

// awaitJetStream polls url until a JetStream account request succeeds or ctx ends.
func awaitJetStream(ctx context.Context, url string) error {
	var last error
	for {
		if err := jetStreamOK(ctx, url); err == nil {
			return nil
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func jetStreamOK(ctx context.Context, url string) error {
	nc, err := nats.Connect(url, nats.Timeout(time.Second), nats.NoReconnect())
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err = js.AccountInfo(ctx)
	return err
}
