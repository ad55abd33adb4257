package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// idleGoal is the idle-memory goal per Rust-guest process: 40 KB, taken as 40 KiB.
const idleGoal = 40 * 1024

// fuelGoal is DESIGN.md's target slowdown of a CPU-bound guest from fuel metering, in %.
const fuelGoal = 10.0

// renderGoals checks the measured figures against the goals of the issue and DESIGN.md.
func renderGoals(f figures) string {
	var b strings.Builder
	for _, n := range []string{"10000", "100000"} {
		key := pkgBench + ".BenchmarkIdleMemory/n=" + n + "/lunatic-rust"
		v, ok := f.get(key, "B/proc")
		if !ok {
			fmt.Fprintf(&b, "- Idle memory ≤ 40 KiB per Rust-guest process at %s processes: not measured.\n", thousands(n))
			continue
		}
		fmt.Fprintf(&b, "- Idle memory ≤ 40 KiB per Rust-guest process at %s processes: %s (%.0f B) — %s.\n",
			thousands(n), formatBytes(v), v, verdict(v <= idleGoal))
	}
	if v, ok := f.get(pkgBench+".BenchmarkIdleMemory/n=100000/lunatic-rust", "B/proc"); ok {
		fmt.Fprintf(&b, "- 100,000 live processes: reached — 100,000 Rust-guest processes blocked in receive at once, %s resident for all of them.\n",
			formatBytes(v*100000))
	} else {
		b.WriteString("- 100,000 live processes: not measured.\n")
	}
	b.WriteString(maxProcessesGoal(f))
	var parts []string
	worst := 0.0
	for _, w := range []string{"fib", "sieve", "xorshift", "gowork"} {
		key := pkgScheduler + ".BenchmarkSlowdown/" + w
		inst, ok1 := f.get(key, "inst-min-ns")
		orig, ok2 := f.get(key, "orig-min-ns")
		if !ok1 || !ok2 || orig <= 0 {
			continue
		}
		pct := math.Round(1000*(inst/orig-1)) / 10 // judged as printed
		worst = max(worst, pct)
		parts = append(parts, fmt.Sprintf("%s %+.1f %%", w, pct))
	}
	if len(parts) == 0 {
		b.WriteString("- Fuel overhead ≤ 10 % on a CPU-bound guest (DESIGN.md): not measured.\n")
	} else {
		fmt.Fprintf(&b, "- Fuel overhead ≤ 10 %% on a CPU-bound guest (DESIGN.md): %s — %s.\n",
			strings.Join(parts, ", "), verdict(worst <= fuelGoal))
	}
	return b.String()
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "not met"
}

// maxProcessesGoal reports BenchmarkMaxProcesses against issue 14's target: 1,000,000 WAT
// and 250,000 Rust-guest processes blocked in receive at once.
func maxProcessesGoal(f figures) string {
	const what = "- 1,000,000 WAT + 250,000 Rust-guest processes blocked in receive at once"
	key := pkgBench + ".BenchmarkMaxProcesses"
	wat, ok1 := f.get(key, "wat-procs")
	rust, ok2 := f.get(key, "rust-procs")
	rss, _ := f.get(key, "rss-bytes")
	secs, _ := f.get(key, "seconds")
	stop, _ := f.get(key, "stop")
	if !ok1 || !ok2 {
		return what + ": not measured.\n"
	}
	why := map[float64]string{0: "", 1: ", stopped: the machine's available memory ran low",
		2: ", stopped: time bound", 3: ", stopped: a spawn failed"}[stop]
	return fmt.Sprintf("%s: %s — %s WAT + %s Rust live together, %s resident for all of them, in %.0f s%s.\n",
		what, verdict(wat >= 1_000_000 && rust >= 250_000),
		thousands(strconv.FormatFloat(wat, 'f', 0, 64)), thousands(strconv.FormatFloat(rust, 'f', 0, 64)),
		formatBytes(rss), secs, why)
}
