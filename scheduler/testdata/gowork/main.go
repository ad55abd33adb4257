// Command gowork is a CPU-bound GOOS=wasip1 guest for the scheduler's
// corpus tests and benchmarks: sorting, hashing, maps,
// formatting and goroutines. Its output depends only on its argument (the
// amount of work, default 1).
package main

import (
	"crypto/sha256"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

func main() {
	n := 1
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		n = v
	}
	for round := range n {
		fmt.Printf("round %d\n", round)
		sorting(20000 + round)
		hashing(1 << 16)
		counting()
		collatz(100000)
		primes(200000)
		workers(8, 20000)
	}
}

// lcg is a deterministic pseudo-random sequence.
type lcg uint64

func (l *lcg) next() uint64 {
	*l = *l*6364136223846793005 + 1442695040888963407
	return uint64(*l >> 17)
}

func sorting(n int) {
	r := lcg(n)
	xs := make([]int, n)
	for i := range xs {
		xs[i] = int(r.next() % 1000000)
	}
	ys := slices.Clone(xs)
	sort.Ints(xs)
	slices.SortFunc(ys, func(a, b int) int { return b - a })
	fmt.Printf("sort: min=%d max=%d median=%d rev0=%d\n", xs[0], xs[n-1], xs[n/2], ys[0])
}

func hashing(n int) {
	buf := make([]byte, n)
	r := lcg(7)
	for i := range buf {
		buf[i] = byte(r.next())
	}
	h := fnv.New64a()
	h.Write(buf)
	fmt.Printf("hash: sha256=%x crc32=%08x fnv=%016x\n", sha256.Sum256(buf), crc32.ChecksumIEEE(buf), h.Sum64())
}

func counting() {
	text := strings.Repeat("the quick brown fox jumps over the lazy dog and the cat ", 500)
	counts := map[string]int{}
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, counts[k]))
	}
	fmt.Println("words:", strings.Join(parts, " "))
}

// collatz reports the start below limit with the longest Collatz chain.
func collatz(limit uint64) {
	best, bestLen := uint64(1), 1
	for start := uint64(1); start < limit; start++ {
		n, length := start, 1
		for n != 1 {
			if n%2 == 0 {
				n /= 2
			} else {
				n = 3*n + 1
			}
			length++
		}
		if length > bestLen {
			best, bestLen = start, length
		}
	}
	fmt.Printf("collatz below %d: %d (%d steps)\n", limit, best, bestLen)
}

func primes(limit int) {
	composite := make([]bool, limit)
	count, last := 0, 0
	for i := 2; i < limit; i++ {
		if composite[i] {
			continue
		}
		count, last = count+1, i
		for j := i * i; j < limit; j += i {
			composite[j] = true
		}
	}
	fmt.Printf("primes below %d: %d, largest %d\n", limit, count, last)
}

// workers spreads a computation over goroutines and collects results by
// index, so the output does not depend on scheduling.
func workers(k, n int) {
	results := make([]uint64, k)
	var wg sync.WaitGroup
	ch := make(chan int)
	for w := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range ch {
				r := lcg(job)
				var acc uint64
				for range n {
					acc ^= r.next()
				}
				results[job] = acc
			}
			_ = w
		}()
	}
	for job := range k {
		ch <- job
	}
	close(ch)
	wg.Wait()
	fmt.Printf("workers: %x\n", results)
}
