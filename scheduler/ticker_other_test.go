//go:build !linux

package scheduler

import (
	"sync/atomic"
	"time"

	"github.com/lunatic-go/lunatic/internal/tickthread"
)

// startTicker advances the epoch at *word every interval, counting in *ticks, until
// the returned clock is stopped. Without timerfd this is a Go ticker, which cannot run while a guest
// spinning for the epoch keeps the world from stopping (see ticker_linux_test.go).
func startTicker(word *uint64, ticks *atomic.Int64, reading *uint32, interval time.Duration, table *tickthread.Table) (*clock, error) {
	atomic.StoreUint32(reading, 1) // no reads: deadlines are always plain
	done, stopped := make(chan struct{}), make(chan struct{})
	var paused atomic.Bool
	go func() {
		defer close(stopped)
		tk := time.NewTicker(interval)
		defer tk.Stop()
		for {
			select {
			case <-done:
				return
			case <-tk.C:
				if !paused.Load() {
					atomic.StoreUint64(word, uint64(ticks.Add(1)))
					if table != nil {
						table.Poison()
					}
				}
			}
		}
	}()
	return &clock{stop: func() { close(done); <-stopped }, pause: paused.Store}, nil
}
