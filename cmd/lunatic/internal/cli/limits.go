package cli

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/lunatic-go/lunatic/permissions"
)

// DefaultMaxProcesses is the default of --max-processes: BEAM's default process limit
// (+P, 2^20). A linear memory reserves only its size class of address space (64 KiB for
// a one-page memory), so a million fit easily; the memory budget stops a spawn bomb of
// larger processes first.
const DefaultMaxProcesses = 1 << 20

// minStack is the smallest --max-stack: below it hardly any program runs.
const minStack = 64 << 10

// fallbackMemory is assumed when the machine's memory cannot be read.
const fallbackMemory = 4 << 30

// LimitOptions are the runtime-wide limits and the root process's network access, shared
// by `lunatic run` and `lunatic node`.
type LimitOptions struct {
	// Net is the network access of the root process; every child gets at most as much.
	Net permissions.NetPolicy
	// MaxProcesses caps the live processes (0 = no cap).
	MaxProcesses int
	// MaxTotalMemory is the memory budget of all processes in bytes (0 = none).
	MaxTotalMemory uint64
	// MaxStack bounds the wasm call stack of each process in bytes (0 = the default,
	// vm.DefaultMaxStack).
	MaxStack uint64
}

// limitFlags are the raw values of the limit flags.
type limitFlags struct {
	net       string
	allowNet  []string
	maxProcs  int
	maxMemory string
	maxStack  string
}

func addLimitFlags(fl *pflag.FlagSet, f *limitFlags) {
	fl.StringVar(&f.net, "net", "", "network access of the program: `all`, none or loopback (default all; none when only --allow-net is given)")
	fl.StringArrayVar(&f.allowNet, "allow-net", nil, "also allow the network endpoint `HOST[:PORT]` (HOST: name, IP, CIDR or *); repeatable")
	fl.IntVar(&f.maxProcs, "max-processes", DefaultMaxProcesses, "at most `N` live processes; spawn fails past it (0: no limit)")
	fl.StringVar(&f.maxMemory, "max-total-memory", "", "memory budget of all processes together, e.g. 8G (`SIZE` in bytes or with K, M, G, T; 0: none; default half the machine's memory or cgroup limit)")
	fl.StringVar(&f.maxStack, "max-stack", "", "wasm call stack of each process, e.g. 16M (`SIZE`; default 8M); it counts toward the process's max_memory")
}

// parse turns the raw flags into LimitOptions.
func (f limitFlags) parse() (LimitOptions, error) {
	var o LimitOptions
	switch {
	case f.net != "":
		m, err := permissions.ParseNetMode(f.net)
		if err != nil {
			return o, usageErrorf("--net: %v", err)
		}
		o.Net.Mode = m
	case len(f.allowNet) > 0:
		o.Net.Mode = permissions.NetNone
	}
	for _, s := range f.allowNet {
		r, err := permissions.ParseNetRule(s)
		if err != nil {
			return o, usageErrorf("%v", err)
		}
		o.Net.Allow = append(o.Net.Allow, r)
	}
	if f.maxProcs < 0 {
		return o, usageErrorf("--max-processes must be 0 (no limit) or more")
	}
	o.MaxProcesses = f.maxProcs
	if f.maxStack != "" {
		n, err := parseSize(f.maxStack)
		if err != nil {
			return o, usageErrorf("--max-stack: %v", err)
		}
		if n < minStack {
			return o, usageErrorf("--max-stack must be at least 64K")
		}
		o.MaxStack = n
	}
	if f.maxMemory == "" {
		o.MaxTotalMemory = defaultTotalMemory()
		return o, nil
	}
	n, err := parseSize(f.maxMemory)
	if err != nil {
		return o, usageErrorf("--max-total-memory: %v", err)
	}
	o.MaxTotalMemory = n
	return o, nil
}

// parseSize parses a byte count with an optional K, M, G or T suffix (powers of 1024; a
// trailing "B" or "iB" is accepted).
func parseSize(s string) (uint64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	shift := 0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			shift = 10
		case 'M':
			shift = 20
		case 'G':
			shift = 30
		case 'T':
			shift = 40
		}
		if shift != 0 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseUint(t, 10, 64)
	if err != nil || v > ^uint64(0)>>shift {
		return 0, fmt.Errorf("%q is not a size (bytes, or a number with K, M, G or T)", s)
	}
	return v << shift, nil
}

// defaultTotalMemory is half of the smaller of the machine's memory and the cgroup's
// limit: the rest is left to the Go heap the budget does not count, the host and its
// other programs.
func defaultTotalMemory() uint64 {
	total := physicalMemory()
	if c := cgroupLimit(); c != 0 && c < total {
		total = c
	}
	return total / 2
}

// physicalMemory reads MemTotal from /proc/meminfo.
func physicalMemory() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return fallbackMemory
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			if kb, err := strconv.ParseUint(fields[1], 10, 64); err == nil && kb > 0 {
				return kb << 10
			}
		}
	}
	return fallbackMemory
}

// cgroupLimit reads the memory limit of the cgroup (v2, then v1); 0 when there is none.
func cgroupLimit() uint64 {
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || v >= 1<<60 { // "max", or v1's "unlimited" sentinel
			return 0
		}
		return v
	}
	return 0
}
