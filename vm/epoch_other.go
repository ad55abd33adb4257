//go:build !linux

package vm

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/lunatic-go/lunatic/internal/tickthread"
)

const haveWatchdog = false

type watchdog struct{}

func startWatchdog(*uint64, func(int64) time.Duration, *atomic.Int64, *tickthread.Table) (*watchdog, error) {
	return nil, errors.New("no epoch watchdog on this system")
}

func (w *watchdog) arm(time.Duration) {}

func (w *watchdog) claim() (claimed, reader bool) { return false, false }

func (w *watchdog) hurry() {}

func (w *watchdog) close() {}
