//go:build linux

package cluster_test

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuMeter measures the CPU time this process and another one (a benchmark's peer OS
// process) spend during a benchmark, so that a two-process round trip can be reported
// as CPU per operation as well as wall time: on a machine shared with other work the
// latency varies with the load, the CPU a round trip costs much less. Linux only
// (/proc; cpu_other_test.go does nothing).
type cpuMeter struct {
	pid         int
	self, other time.Duration
	ok          bool
	switches    int64 // thread switches of both processes at the start
}

func startCPU(pid int) cpuMeter {
	self, ok1 := selfCPU()
	other, ok2 := procCPU(pid)
	return cpuMeter{pid: pid, self: self, other: other, ok: ok1 && ok2, switches: selfSwitches() + procSwitches(pid)}
}

// report adds cpu-µs/op (both processes) and peer-cpu-µs/op (the other process alone)
// to b's results.
func (m cpuMeter) report(b *testing.B) {
	self, ok1 := selfCPU()
	other, ok2 := procCPU(m.pid)
	if !m.ok || !ok1 || !ok2 || b.N == 0 {
		return
	}
	n := float64(b.N)
	peer := float64(other-m.other) / float64(time.Microsecond)
	b.ReportMetric((float64(self-m.self)/float64(time.Microsecond)+peer)/n, "cpu-µs/op")
	b.ReportMetric(peer/n, "peer-cpu-µs/op")
	b.ReportMetric(float64(selfSwitches()+procSwitches(m.pid)-m.switches)/n, "switches/op")
}

// selfSwitches is the number of thread switches (voluntary and not) of this process's
// threads, those that ended included.
func selfSwitches() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Nvcsw + ru.Nivcsw
}

// procSwitches is the number of thread switches of process pid's live threads (from
// /proc/pid/task/*/status).
func procSwitches(pid int) int64 {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/status")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				total += n
			}
		}
	}
	return total
}

func selfCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// procCPU reads utime+stime of process pid from /proc (in clock ticks, taken as the
// usual 100 a second).
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+st) * 10 * time.Millisecond, true
}
