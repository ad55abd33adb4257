package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/lunatic-go/lunatic/cluster"
	"github.com/lunatic-go/lunatic/internal/natstest"
)

// These tests run `lunatic node` processes on a real NATS cluster: three nats-server
// processes (built from the nats-server module, see internal/natstest) routed to each
// other, with every cluster bucket replicated on all three.

// watchedNode is a `lunatic node --wait -v` child process whose output lines the test
// can wait for: its stderr lines as they are, its stdout lines prefixed "stdout: ".
type watchedNode struct {
	*waitNode
	id uint64

	mu    sync.Mutex
	log   []string
	added chan struct{} // closed and replaced on each new line
}

var servingLine = regexp.MustCompile(`node (\d+) \(.*\) is serving`)

// startWatchedNode starts `lunatic node --wait -v args...` and waits until it serves.
func startWatchedNode(t *testing.T, args ...string) *watchedNode {
	t.Helper()
	args = append([]string{"node", "--wait", "-v", "--cache-dir", t.TempDir()}, args...)
	cmd := lunaticCmd(context.Background(), args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &watchedNode{waitNode: &waitNode{cmd: cmd}, added: make(chan struct{})}
	t.Cleanup(func() { n.kill() })
	scan := func(r io.Reader, prefix string) {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			n.mu.Lock()
			n.log = append(n.log, prefix+sc.Text())
			close(n.added)
			n.added = make(chan struct{})
			n.mu.Unlock()
		}
	}
	go scan(stderr, "")
	go scan(stdout, "stdout: ")
	m := n.await(t, servingLine, time.Minute)
	n.id, _ = strconv.ParseUint(m[1], 10, 64)
	return n
}

// await waits until a stderr line matches re and returns its submatches.
func (n *watchedNode) await(t *testing.T, re *regexp.Regexp, within time.Duration) []string {
	t.Helper()
	deadline := time.After(within)
	seen := 0
	for {
		n.mu.Lock()
		lines, added := n.log[seen:], n.added
		seen = len(n.log)
		n.mu.Unlock()
		for _, l := range lines {
			if m := re.FindStringSubmatch(l); m != nil {
				return m
			}
		}
		select {
		case <-added:
		case <-deadline:
			n.mu.Lock()
			defer n.mu.Unlock()
			t.Fatalf("no stderr line matches %q within %v:\n%s", re, within, strings.Join(n.log, "\n"))
			return nil
		}
	}
}

// appRun is a `lunatic node … app.wasm` child whose stdout lines the test reads as they
// come and whose stdin it writes.
type appRun struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  *bufio.Scanner
	stderr *bytes.Buffer
	out    []string
}

// startApp starts `lunatic node --nats url args...`; ctx bounds its run.
func startApp(t *testing.T, ctx context.Context, url string, args ...string) *appRun {
	t.Helper()
	full := append([]string{"node", "--nats", url, "--name", "app", "--cache-dir", t.TempDir()}, args...)
	cmd := lunaticCmd(ctx, full...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &appRun{cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout), stderr: &bytes.Buffer{}}
	cmd.Stderr = r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return r
}

// next returns the program's next stdout line.
func (r *appRun) next(t *testing.T) string {
	t.Helper()
	if !r.lines.Scan() {
		err := r.cmd.Wait()
		t.Fatalf("program ended (%v) after stdout %q\nstderr:\n%s", err, r.out, r.stderr)
	}
	r.out = append(r.out, r.lines.Text())
	return r.lines.Text()
}

// expect reads the next stdout line and fails unless it is want.
func (r *appRun) expect(t *testing.T, want string) {
	t.Helper()
	if got := r.next(t); got != want {
		t.Fatalf("stdout line %q, want %q\nstdout so far %q\nstderr:\n%s", got, want, r.out, r.stderr)
	}
}

// end waits for the program to exit 0 with nothing more on stdout.
func (r *appRun) end(t *testing.T) {
	t.Helper()
	for r.lines.Scan() {
		r.out = append(r.out, r.lines.Text())
	}
	if err := r.cmd.Wait(); err != nil {
		t.Fatalf("program: %v\nstdout %q\nstderr:\n%s", err, r.out, r.stderr)
	}
}

// natsNodeArgs are the flags every node of these tests shares: one cluster name, buckets
// on all three servers.
func natsNodeArgs(ttl string) []string {
	return []string{"--cluster", "t", "--replicas", "3", "--ttl", ttl}
}

// TestNodeNATSCluster runs the tour guest over three nodes, each attached to another
// server of a three-server NATS cluster.
func TestNodeNATSCluster(t *testing.T) {
	c := natstest.Start(t, 3)
	common := natsNodeArgs("3s")
	a := startWatchedNode(t, append(common, "--nats", c.Servers[0].URL, "--name", "a")...)
	b := startWatchedNode(t, append(common, "--nats", c.Servers[1].URL, "--name", "b")...)
	r := runApp(t, c.Servers[2].URL, append(common, "--min-nodes", "3", "tour.wasm", "tour")...)
	want := "tour: a member on each of 3 nodes\n" +
		"tour: every node finds every name\n" +
		"tour: 100 round trips with each member\n" +
		"tour: each member got 200 numbered messages in order from the previous one\n" +
		"tour: every name removed\n"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("want stdout %q\n%v", want, r)
	}
	// The members on a and b sent to the others over direct connections.
	for _, n := range []*watchedNode{a, b} {
		n.await(t, directUp, 10*time.Second)
	}
}

var directUp = regexp.MustCompile(`direct path up`)

var reconnected = regexp.MustCompile(`reconnected to NATS`)

// TestNodeNATSServerLoss kills (SIGKILL) one of the three NATS servers while the program
// streams numbered messages between nodes attached to the two others: the stream loses
// nothing and stays in order, the node attached to the killed server reconnects to
// another with its id and its processes, and the program completes.
func TestNodeNATSServerLoss(t *testing.T) {
	c := natstest.Start(t, 3)
	// A TTL well above a JetStream leader election (4 to 9 s in nats-server), so that the
	// loss of a bucket's leader does not expire the nodes.
	common := natsNodeArgs("20s")
	startWatchedNode(t, append(common, "--nats", c.Servers[0].URL, "--name", "b")...)
	victim := startWatchedNode(t, append(common, "--nats", c.Servers[2].URL, "--name", "c")...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := startApp(t, ctx, c.Servers[1].URL, append(common, "--min-nodes", "3", "tour.wasm", "stream", "b", "c")...)
	app.expect(t, "streaming")
	c.Servers[2].Kill()
	victim.await(t, reconnected, time.Minute)
	if _, err := io.WriteString(app.stdin, "go on\n"); err != nil {
		t.Fatal(err)
	}
	app.expect(t, "stream: B got every message in order")
	app.expect(t, "stream: C's member answers, node C still listed")
	app.end(t)
}

// TestNodeNATSLostNode kills a lunatic node (SIGKILL) that runs a process with a
// registered name: the other nodes drop it within the TTL, a spawn on it returns 1, a
// request to it times out with 9027, and its name leaves the cluster registry.
func TestNodeNATSLostNode(t *testing.T) {
	c := natstest.Start(t, 3)
	const ttl = 2 * time.Second
	common := natsNodeArgs(ttl.String())
	startWatchedNode(t, append(common, "--nats", c.Servers[0].URL, "--name", "a")...)
	victim := startWatchedNode(t, append(common, "--nats", c.Servers[2].URL, "--name", "victim")...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := startApp(t, ctx, c.Servers[1].URL, append(common, "--min-nodes", "3", "tour.wasm", "lose", "victim")...)
	app.expect(t, "waiting for node victim to leave")
	killed := time.Now()
	victim.kill()
	app.expect(t, "node victim left")
	// The last heartbeat came up to TTL/3 before the kill; the server checks expiry
	// about once a second. Allow a second more for a loaded machine.
	if took := time.Since(killed); took > ttl+2*time.Second {
		t.Errorf("the lost node was listed %v after it died (TTL %v)", took, ttl)
	} else {
		t.Logf("lost node dropped %v after SIGKILL (TTL %v)", took.Round(time.Millisecond), ttl)
	}
	app.expect(t, "spawn on the lost node: 1")
	app.expect(t, "request to the lost node: 9027")
	app.expect(t, "name of the lost node found: false")
	app.end(t)

	// The name is removed from the bucket, not only hidden by the nodes that saw the loss.
	nc, err := nats.Connect(c.Servers[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := js.KeyValue(ctx, "t_registry")
	if err != nil {
		t.Fatal(err)
	}
	// Lookups must read what another node registered a moment before: on three
	// replicas, the registry and the module store read from their leader.
	for _, stream := range []string{"KV_t_registry", "OBJ_t_modules"} {
		st, err := js.Stream(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		if cfg := st.CachedInfo().Config; cfg.Replicas != 3 || cfg.AllowDirect {
			t.Errorf("stream %s: %d replicas, direct gets %v; want 3 and false", stream, cfg.Replicas, cfg.AllowDirect)
		}
	}
	for {
		keys, err := kv.ListKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		for k := range keys.Keys() {
			left = append(left, k)
		}
		if len(left) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("registry keys %q still there", left)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestNodeModuleConflict starts a program whose module's name in the cluster's module
// store already holds other bytes: the node refuses with a clear error instead of letting
// other nodes run the other program.
func TestNodeModuleConflict(t *testing.T) {
	hub := startWaitNode(t, "--nats-listen", "127.0.0.1:0", "--name", "hub", "--cluster", "mc")
	wasm, err := os.ReadFile(filepath.Join(guestDir, "tour.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := os.ReadFile(filepath.Join(guestDir, "faults.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(hub.url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	obs, err := js.ObjectStore(ctx, "mc_modules")
	if err != nil {
		t.Fatal(err)
	}
	name := strconv.FormatUint(cluster.ModuleID(wasm), 16)
	name = strings.Repeat("0", 16-len(name)) + name
	if _, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name, Description: "faults.wasm"}, bytes.NewReader(other)); err != nil {
		t.Fatal(err)
	}
	r := runApp(t, hub.url, "--cluster", "mc", "tour.wasm", "tour")
	if r.code != exitFailure || r.stdout != "" ||
		!strings.Contains(r.stderr, "the cluster's module store holds other bytes under its name "+name) {
		t.Fatalf("want exit %d and the conflict on stderr\n%v", exitFailure, r)
	}
}

// TestNodeDistributedExample is the flow of lunatic-rs's `distributed` example: the
// program on one node starts an adding server on node a with a config of max_memory
// 1_500_000 and max_fuel 1, gets its reply, then spawns a process with the same config on
// every node and sends each a number; each prints on its own node's stdout.
func TestNodeDistributedExample(t *testing.T) {
	a := startWatchedNode(t, "--nats-listen", "127.0.0.1:0", "--name", "a", "--cluster", "ex")
	url := a.await(t, joinURL, time.Second)[1]
	r := runApp(t, url, "--cluster", "ex", "--min-nodes", "2", "tour.wasm", "example", "a")
	m := regexp.MustCompile(`(?m)^hello from node (\d+)$`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("want the program to end with a hello from its own node\n%v", r)
	}
	self, _ := strconv.ParseUint(m[1], 10, 64)
	// The program sends 10 to the hello on the lower node id, 582 to the other.
	sum := map[uint64]string{}
	if a.id < self {
		sum[a.id], sum[self] = "101 + 10 = 111", "101 + 582 = 683"
	} else {
		sum[self], sum[a.id] = "101 + 10 = 111", "101 + 582 = 683"
	}
	want := []string{
		"server on node a: memory limited to its config: true, 1 + 1 = 2",
		"hello from node " + m[1],
		sum[self],
		"hello ran on each of 2 nodes",
	}
	if got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); !slices.Equal(got, want) {
		t.Fatalf("program stdout %q, want %q\n%v", got, want, r)
	}
	// Node a printed the server's request and its own hello, in that order.
	a.await(t, regexp.MustCompile(`^stdout: got 1, 1 to add$`), 10*time.Second)
	a.await(t, regexp.MustCompile(`^stdout: hello from node `+strconv.FormatUint(a.id, 10)+`$`), 10*time.Second)
	a.await(t, regexp.MustCompile(`^stdout: `+regexp.QuoteMeta(sum[a.id])+`$`), 10*time.Second)
}
