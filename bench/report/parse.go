package main

import (
	"bufio"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// figures holds parsed results: per key ("<pkg>.<BenchmarkName/sub>" for Go, "erlang.<name>"
// for Erlang) the value of each unit.
type figures map[string]map[string]float64

func (f figures) add(key, unit string, v float64) {
	if f[key] == nil {
		f[key] = map[string]float64{}
	}
	f[key][unit] = v
}

// get returns the figure of key in unit.
func (f figures) get(key, unit string) (float64, bool) {
	v, ok := f[key][unit]
	return v, ok
}

// benchLine matches a result line of `go test -bench`: name (with the -GOMAXPROCS suffix),
// iterations, then value/unit pairs.
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.+)$`)

// parseGo reads `go test -bench` output. The "pkg:" header lines tell which package the
// following results belong to; keys use the package path relative to module (the part
// after the module path), e.g. "bench.BenchmarkSpawn/go" or
// "vm/internal/linmem.BenchmarkInstantiateClose/pool". A benchmark run several times
// (-count) gets the median of its results in each unit.
func parseGo(r io.Reader, module string, into figures) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	pkg := ""
	runs := map[string]map[string][]float64{}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := pkg + "." + m[1]
		fields := strings.Fields(m[3])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			if runs[key] == nil {
				runs[key] = map[string][]float64{}
			}
			runs[key][fields[i+1]] = append(runs[key][fields[i+1]], v)
		}
	}
	for key, units := range runs {
		for unit, vs := range units {
			into.add(key, unit, median(vs))
		}
	}
	return sc.Err()
}

// median returns the middle value of vs (the mean of the two middle ones when their
// number is even).
func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// parseErlang reads the "name value unit" lines of bench/erlang/bench.erl.
func parseErlang(r io.Reader, into figures) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			continue
		}
		into.add("erlang."+f[0], f[2], v)
	}
	return sc.Err()
}

// statuses maps a package (relative path) to what run.sh recorded for it: "absent" when
// the package or its benchmark does not exist, "failed" when its run failed.
type statuses map[string]string

// parseStatus reads run.sh's "<status> <pkg>" lines.
func parseStatus(r io.Reader) (statuses, error) {
	st := statuses{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 {
			st[f[1]] = f[0]
		}
	}
	return st, sc.Err()
}
