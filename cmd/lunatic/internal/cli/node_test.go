package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/cluster"
)

func TestNewCmdNode(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		usage bool
		check func(t *testing.T, o *nodeOptions)
	}{
		{name: "wait", args: []string{"--wait"}, check: func(t *testing.T, o *nodeOptions) {
			equal(t, "Wait", o.Wait, true)
			equal(t, "WasmPath", o.WasmPath, "")
			equal(t, "Cluster.Cluster", o.Cluster.Cluster, cluster.DefaultCluster)
			equal(t, "MinNodes", o.MinNodes, 1)
		}},
		{name: "join and run", args: []string{"--nats", "nats://h:4222", "--nats", "nats://g:4222", "--tag", "role=w", "--tag", "zone=eu=1", "--name", "b", "--min-nodes", "3", "app.wasm", "--tag", "x"}, check: func(t *testing.T, o *nodeOptions) {
			equal(t, "NATS", o.Cluster.NATS, []string{"nats://h:4222", "nats://g:4222"})
			equal(t, "Tags", o.Cluster.Tags, map[string]string{"role": "w", "zone": "eu=1"})
			equal(t, "Name", o.Cluster.Name, "b")
			equal(t, "MinNodes", o.MinNodes, 3)
			equal(t, "WasmPath", o.WasmPath, "app.wasm")
			equal(t, "Args", o.Args, []string{"--tag", "x"})
		}},
		{name: "embedded server", args: []string{"--nats-listen", "127.0.0.1:0", "--ttl", "1s", "--spawn-timeout", "2s", "--cluster", "c1", "--replicas", "3", "--wait"}, check: func(t *testing.T, o *nodeOptions) {
			equal(t, "Listen", o.Cluster.Listen, "127.0.0.1:0")
			equal(t, "Replicas", o.Cluster.Replicas, 3)
			equal(t, "TTL", o.Cluster.TTL, time.Second)
			equal(t, "SpawnTimeout", o.Cluster.SpawnTimeout, 2*time.Second)
			equal(t, "Cluster", o.Cluster.Cluster, "c1")
		}},
		{name: "credentials", args: []string{"--nats", "tls://h:4222", "--nats-creds", "u.creds", "--nats-tls-cert", "c.pem", "--nats-tls-key", "k.pem", "--nats-tls-ca", "ca.pem", "--wait"}, check: func(t *testing.T, o *nodeOptions) {
			equal(t, "Auth", o.Cluster.Auth, cluster.Auth{CredsFile: "u.creds", TLSCert: "c.pem", TLSKey: "k.pem", TLSCA: []string{"ca.pem"}})
		}},
		{name: "direct path", args: []string{"--nats", "nats://h:4222", "--direct-listen", "0.0.0.0:7000", "--direct-advertise", "10.1.2.3:0", "--wait"}, check: func(t *testing.T, o *nodeOptions) {
			equal(t, "Direct", o.Cluster.Direct, "0.0.0.0:7000")
			equal(t, "DirectAdvertise", o.Cluster.DirectAdvertise, "10.1.2.3:0")
		}},
		{name: "run flags", args: []string{"--dir", "d::/data", "--env", "K=V", "--no-inherit-env", "--no-cache", "app.wasm"}, check: func(t *testing.T, o *nodeOptions) {
			equal(t, "Dirs", o.Dirs, []Preopen{{Host: "d", Guest: "/data"}})
			equal(t, "NoInheritEnv", o.NoInheritEnv, true)
			equal(t, "NoCache", o.NoCache, true)
			equal(t, "len(EnvFlags)", len(o.EnvFlags), 1)
		}},
		{name: "observe", args: []string{"--observe=127.0.0.1:0", "--observe-actions", "--wait"}, check: func(t *testing.T, o *nodeOptions) {
			equal(t, "Prometheus", o.Prometheus, PrometheusOptions{Enabled: true, Addr: "127.0.0.1:0", Observe: true, Actions: true})
		}},
		{name: "wait with a program", args: []string{"--wait", "app.wasm"}, usage: true},
		{name: "nothing to do", args: nil, usage: true},
		{name: "join and listen", args: []string{"--nats", "nats://h", "--nats-listen", ":4222", "--wait"}, usage: true},
		{name: "join and server config", args: []string{"--nats", "nats://h", "--nats-config", "s.conf", "--wait"}, usage: true},
		{name: "tag without value", args: []string{"--tag", "role", "--wait"}, usage: true},
		{name: "tag without key", args: []string{"--tag", "=v", "--wait"}, usage: true},
		{name: "min nodes", args: []string{"--min-nodes", "0", "app.wasm"}, usage: true},
		{name: "cache flags", args: []string{"--no-cache", "--cache-dir", "d", "--wait"}, usage: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, _, _ := testFactory(&fakeRun{}, nil)
			var got *nodeOptions
			cmd := newCmdNodeWith(f, func(_ context.Context, o *nodeOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tc.usage {
				var ue *usageError
				if !errors.As(err, &ue) {
					t.Fatalf("want a usage error, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, got)
		})
	}
}

func TestRootHasNode(t *testing.T) {
	f, _, _ := testFactory(&fakeRun{}, nil)
	cmd, _, err := newCmdRoot(f).Find([]string{"node"})
	if err != nil || cmd.Name() != "node" {
		t.Fatalf("lunatic node: %v", err)
	}
}

// TestRunNodeBadNATS: a node that cannot reach its NATS server fails with exit code 1
// and says why.
func TestRunNodeBadNATS(t *testing.T) {
	var errb strings.Builder
	o := &nodeOptions{Err: &errb, Out: io.Discard, Logger: discardLogger(), Wait: true, NoCache: true, MinNodes: 1}
	o.Cluster.NATS = []string{"nats://127.0.0.1:1"}
	if code := runNode(context.Background(), o); code != exitFailure {
		t.Fatalf("exit code %d, want %d", code, exitFailure)
	}
	if !strings.Contains(errb.String(), "connect to NATS") {
		t.Fatalf("stderr: %q", errb.String())
	}
}

// The end-to-end tests run `lunatic node` as separate OS processes: the test binary
// runs itself with helperEnv set, and TestNodeHelperProcess turns it into lunatic.
const helperEnv = "LUNATIC_NODE_TEST_HELPER"

func TestNodeHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return // an ordinary test run: nothing to do
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(mainWith(context.Background(), args, newFactory()))
}

// lunaticCmd is `lunatic args...` as a child process.
func lunaticCmd(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^TestNodeHelperProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	cmd.Dir = guestDir
	return cmd
}

// guestDir holds the cluster test guests (built by cluster/testdata/build.sh).
var guestDir, _ = filepath.Abs("../../../../cluster/testdata")

// waitNode is a `lunatic node --wait` child process.
type waitNode struct {
	cmd   *exec.Cmd
	lines chan string // its stderr
	url   string      // where to join, if it embeds NATS with a port
}

var joinURL = regexp.MustCompile(`--nats (nats://\S+)`)

// startWaitNode starts `lunatic node --wait args...` and waits until it serves.
func startWaitNode(t *testing.T, args ...string) *waitNode {
	t.Helper()
	args = append([]string{"node", "--wait", "--cache-dir", t.TempDir()}, args...)
	cmd := lunaticCmd(context.Background(), args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &waitNode{cmd: cmd, lines: make(chan string, 100)}
	t.Cleanup(func() { n.kill() })
	go func() {
		defer close(n.lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			n.lines <- sc.Text()
		}
	}()
	deadline := time.After(time.Minute)
	for {
		select {
		case line, ok := <-n.lines:
			if !ok {
				t.Fatalf("node %v ended before serving", args)
			}
			if m := joinURL.FindStringSubmatch(line); m != nil {
				n.url = m[1]
			}
			if strings.Contains(line, "is serving") {
				go func() { // keep draining
					for range n.lines {
					}
				}()
				return n
			}
		case <-deadline:
			t.Fatalf("node %v not serving after a minute", args)
		}
	}
}

// kill ends the node at once (SIGKILL): no goodbye to the cluster.
func (n *waitNode) kill() {
	if n.cmd.ProcessState == nil {
		_ = n.cmd.Process.Kill()
		_ = n.cmd.Wait()
	}
}

// appResult is how a `lunatic node app.wasm` run ended.
type appResult struct {
	code           int
	stdout, stderr string
}

// runApp runs `lunatic node --nats url args...` to the end.
func runApp(t *testing.T, url string, args ...string) appResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	full := append([]string{"node", "--nats", url, "--name", "app", "--cache-dir", t.TempDir()}, args...)
	cmd := lunaticCmd(ctx, full...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("lunatic %v: %v", full, err)
	}
	return appResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func (r appResult) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// TestNodeCluster runs three `lunatic node` processes on loopback: a embeds NATS with a
// listen port, b joins it and serves, and each case runs its program on a third node
// that joins and exits with the program.
func TestNodeCluster(t *testing.T) {
	a := startWaitNode(t, "--nats-listen", "127.0.0.1:0", "--name", "a", "--tag", "role=hub", "--ttl", "1s")
	if a.url == "" {
		t.Fatal("node a printed no URL to join")
	}
	startWaitNode(t, "--nats", a.url, "--name", "b", "--tag", "role=worker")
	ok := func(t *testing.T, r appResult, want ...string) {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("%v", r)
		}
		for _, w := range want {
			if !strings.Contains(r.stdout, w) {
				t.Fatalf("stdout lacks %q\n%v", w, r)
			}
		}
	}
	t.Run("pingpong", func(t *testing.T) {
		r := runApp(t, a.url, "--min-nodes", "3", "pingpong.wasm")
		ok(t, r, "pingpong: 400 round trips with another node\npingpong: 400 round trips with another node\n")
	})
	t.Run("fanout", func(t *testing.T) {
		r := runApp(t, a.url, "--min-nodes", "3", "fanout.wasm", "1000")
		ok(t, r, "fanout: 1000 replies from 3 nodes (333..334 per node)")
	})
	t.Run("registry", func(t *testing.T) {
		r := runApp(t, a.url, "--min-nodes", "3", "registry.wasm")
		ok(t, r, "registry: claimed on one node, found from another, removed from a third")
	})
	t.Run("codes", func(t *testing.T) {
		r := runApp(t, a.url, "--min-nodes", "3", "faults.wasm", "codes")
		ok(t, r, "spawn on an unknown node: 1\n", "spawn of an unknown module: 2\n", "spawn of module 0: 2\n",
			"send to an unknown node: 0\n", "lookup name=a: 1\n", "lookup role=none: 0\n",
			"lookup %zz fails: true\n", "nodes: 3\n")
	})
	t.Run("resource traps", func(t *testing.T) {
		r := runApp(t, a.url, "--min-nodes", "3", "faults.wasm", "resource")
		if r.code != exitTrap || !strings.Contains(r.stderr, "lunatic::distributed::send: cannot send resources to remote nodes") {
			t.Fatalf("want a trap with exit code %d\n%v", exitTrap, r)
		}
	})
	t.Run("lost node", func(t *testing.T) { testLostNode(t, a.url) })
	t.Run("graceful leave", func(t *testing.T) { testGracefulLeave(t, a.url) })
}

// testLostNode kills a node (SIGKILL) while a program watches it: it disappears after
// the membership TTL, a spawn on it returns 1 and a send to it is dropped.
func testLostNode(t *testing.T, url string) {
	victim := startWaitNode(t, "--nats", url, "--name", "victim")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := lunaticCmd(ctx, "node", "--nats", url, "--min-nodes", "4", "--cache-dir", t.TempDir(), "faults.wasm", "lose", "victim")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var out []string
	for sc.Scan() {
		out = append(out, sc.Text())
		if sc.Text() == "waiting for node victim to leave" {
			victim.kill()
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v\nstdout: %q\nstderr: %s", err, out, errb.String())
	}
	want := []string{"waiting for node victim to leave", "node victim left", "spawn on the lost node: 1", "send to the lost node: 0"}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("stdout %q, want %q", out, want)
	}
}

// testGracefulLeave stops a node with SIGTERM: it exits 0 after leaving the cluster.
func testGracefulLeave(t *testing.T, url string) {
	n := startWaitNode(t, "--nats", url, "--name", "leaver")
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := n.cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v", err)
	}
}
