package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// logMemoryBreakdown prints to stderr, when BENCH_CASCADE_DEBUG is set, what the resident
// set is made of at the point named when: the Go runtime's memory classes
// (runtime/metrics) and the largest resident mappings of /proc/self/smaps. With
// BENCH_CASCADE_PROFILE=dir it also writes the goroutines and (after a collection) a heap
// profile there, as goroutines-<when>.txt and heap-<when>.pprof.
func logMemoryBreakdown(tb testing.TB, when string) {
	if os.Getenv("BENCH_CASCADE_DEBUG") == "" {
		return
	}
	if dir := os.Getenv("BENCH_CASCADE_PROFILE"); dir != "" {
		if f, err := os.Create(dir + "/goroutines-" + when + ".txt"); err == nil {
			pprof.Lookup("goroutine").WriteTo(f, 1)
			f.Close()
		}
		runtime.GC() // the profile shows the heap as of the last collection
		if f, err := os.Create(dir + "/heap-" + when + ".pprof"); err == nil {
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") || strings.HasPrefix(d.Name, "/gc/heap/") || d.Name == "/sched/goroutines:goroutines" {
			if d.Kind == metrics.KindUint64 {
				samples = append(samples, metrics.Sample{Name: d.Name})
			}
		}
	}
	metrics.Read(samples)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s:\n", when)
	for _, s := range samples {
		v := s.Value.Uint64()
		if strings.HasSuffix(s.Name, ":bytes") {
			fmt.Fprintf(&sb, "  %-50s %8.2f MiB\n", s.Name, float64(v)/(1<<20))
		} else {
			fmt.Fprintf(&sb, "  %-50s %d\n", s.Name, v)
		}
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		fmt.Fprint(os.Stderr, sb.String())
		return
	}
	defer f.Close()
	type mapping struct {
		head          string
		rss, anon, sz int64
	}
	var maps []mapping
	var cur *mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if !strings.HasSuffix(fields[0], ":") {
			maps = append(maps, mapping{head: line})
			cur = &maps[len(maps)-1]
			continue
		}
		if cur == nil || len(fields) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "Rss:":
			cur.rss = v
		case "Anonymous:":
			cur.anon = v
		case "Size:":
			cur.sz = v
		}
	}
	var total, anon, count int64
	for _, m := range maps {
		total += m.rss
		anon += m.anon
		if m.rss > 0 {
			count++
		}
	}
	sort.Slice(maps, func(i, j int) bool { return maps[i].rss > maps[j].rss })
	fmt.Fprintf(&sb, "  smaps: %d mappings (%d resident), rss %.2f MiB, anonymous %.2f MiB\n", len(maps), count, float64(total)/1024, float64(anon)/1024)
	for _, m := range maps[:min(15, len(maps))] {
		fmt.Fprintf(&sb, "  %8.2f MiB rss %10d KiB size  %s\n", float64(m.rss)/1024, m.sz, m.head)
	}
	fmt.Fprint(os.Stderr, sb.String())
}
