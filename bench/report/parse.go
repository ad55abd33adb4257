package main

import (
	"bufio"
	"io"
	"regexp"
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
// "vm/internal/linmem.BenchmarkInstantiateClose/pool".
func parseGo(r io.Reader, module string, into figures) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	pkg := ""
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
			into.add(key, fields[i+1], v)
		}
	}
	return sc.Err()
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
