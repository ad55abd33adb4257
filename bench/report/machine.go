package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// machine describes the computer the suite ran on.
func machine() string {
	cpu := cpuinfoField("model name")
	if cpu == "" {
		cpu = runtime.GOARCH
	}
	s := fmt.Sprintf("%s, %d cores", cpu, runtime.NumCPU())
	if kb := meminfoKB("MemTotal"); kb > 0 {
		s += fmt.Sprintf(", %.1f GiB RAM", float64(kb)/(1<<20))
	}
	if rel, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		s += fmt.Sprintf(", %s %s", runtime.GOOS, strings.TrimSpace(string(rel)))
	}
	return s
}

func cpuinfoField(name string) string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func meminfoKB(name string) int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != name {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) > 0 {
			n, _ := strconv.ParseInt(fields[0], 10, 64)
			return n
		}
	}
	return 0
}
