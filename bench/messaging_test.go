package bench

import (
	"os"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// Ring shape: ringSize processes pass a token ringHops times.
const (
	ringSize = 10_000
	ringHops = 1_000_000
)

// BenchmarkPingPong measures the round trip of a small (8-byte) message between two
// processes: ping sends a value, pong echoes it back, b.N times. The baseline is two
// goroutines doing the same over channels with a buffer of one (a send that does not wait
// for the receiver, like a mailbox).
func BenchmarkPingPong(b *testing.B) {
	pingPongGuests(b)
	abRuns(b, pingPongGuests)
	b.Run("go", func(b *testing.B) {
		ping, pong := make(chan uint64, 1), make(chan uint64, 1)
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		var i uint64
		for b.Loop() {
			ping <- i
			if <-pong != i {
				b.Fatal("pong echoed a different value")
			}
			i++
		}
		close(ping)
	})
}

// pingPongGuests runs the ping-pong rows of both guests on a runtime of its own.
func pingPongGuests(b *testing.B) {
	g := newGuests(b)
	for _, c := range []struct {
		name string
		mod  *vm.Module
	}{{"lunatic-rust", g.rust}, {"lunatic-wat", g.wat}} {
		b.Run(c.name, func(b *testing.B) {
			b.ResetTimer()
			cpu := startCPU()
			g.pingPong(b, c.mod, uint64(b.N))
			cpu.report(b, 0, "cpu-ns/op")
		})
	}
}

// pingPong runs n round trips between a pong and a ping process of mod.
func (g *guests) pingPong(tb testing.TB, mod *vm.Module, n uint64) {
	pong := g.spawn(tb, mod, "pong")
	ping := g.spawn(tb, mod, "ping", pong.ID(), n)
	wait(tb, ping)
	wait(tb, pong)
}

// BenchmarkRing measures one token passed ringHops times around a ring of ringSize
// processes, in ns per hop (spawning the ring is not timed). The 0 token makes one more
// lap to end every member, so a run is ringHops+ringSize hops. The baseline is a ring of
// goroutines, each receiving on its own channel with a buffer of one. Run with
// -benchtime=1x.
func BenchmarkRing(b *testing.B) {
	g := newGuests(b)
	b.Run("lunatic-rust", func(b *testing.B) { g.ringRun(b) })
	abRuns(b, func(b *testing.B) {
		g := newGuests(b)
		b.Run("lunatic-rust", func(b *testing.B) { g.ringRun(b) })
	})
	b.Run("go", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			chans, done := goRing(ringSize)
			b.StartTimer()
			chans[0] <- ringHops
			for range ringSize {
				<-done
			}
		}
		reportPerHop(b)
	})
}

func reportPerHop(b *testing.B) {
	hops := float64(b.N) * (ringHops + ringSize)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/hops, "ns/hop")
}

// ring spawns n ring_node processes of mod, tells each the id of the next, and returns
// once all are blocked waiting for the token.
func (g *guests) ring(tb testing.TB, mod *vm.Module, n int) []*vm.Process {
	procs := make([]*vm.Process, n)
	for i := range procs {
		procs[i] = g.spawn(tb, mod, "ring_node")
	}
	for i, p := range procs {
		g.sendU64(p.ID(), procs[(i+1)%n].ID())
	}
	awaitWaiting(tb, procs)
	return procs
}

// goRing starts n goroutines with the ring_node protocol of the guests; each signals done
// when it ends.
func goRing(n int) ([]chan uint64, chan struct{}) {
	chans := make([]chan uint64, n)
	for i := range chans {
		chans[i] = make(chan uint64, 1)
	}
	done := make(chan struct{}, n)
	for i := range chans {
		in, next := chans[i], chans[(i+1)%n]
		go func() {
			defer func() { done <- struct{}{} }()
			for t := range in {
				if t == 0 {
					next <- 0
					return
				}
				next <- t - 1
			}
		}()
	}
	return chans, done
}

// ringRun is one lunatic case of BenchmarkRing.
func (g *guests) ringRun(b *testing.B) {
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		procs := g.ring(b, g.rust, ringSize)
		b.StartTimer()
		m := startCPU()
		g.sendU64(procs[0].ID(), ringHops)
		for _, p := range procs {
			wait(b, p)
		}
		if end, ok := processCPUTime(); ok && m.ok {
			cpu += end - m.start
		}
	}
	reportPerHop(b)
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/(float64(b.N)*(ringHops+ringSize)), "cpu-ns/hop")
	}
}

// abRuns runs f again, when BENCH_SUSPEND_AB is set, with the processes of a blocked
// receive keeping their goroutine (nosuspend, LUNATIC_SUSPEND=0) and with suspension but
// without the hand-off of a woken process to its waker's worker (nohandoff,
// LUNATIC_HANDOFF=0): the A/B figures of vm's suspension, measured in the same run.
func abRuns(b *testing.B, f func(b *testing.B)) {
	if os.Getenv("BENCH_SUSPEND_AB") == "" {
		return
	}
	for _, c := range []struct{ name, env, val string }{
		{"nosuspend", "LUNATIC_SUSPEND", "0"},
		{"nohandoff", "LUNATIC_HANDOFF", "0"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.Setenv(c.env, c.val)
			f(b)
		})
	}
}
