//go:build !linux

package vm

import (
	"errors"
	"sync/atomic"
	"time"
)

const haveWatchdog = false

type watchdog struct{}

func startWatchdog(*uint64, func() time.Duration, *atomic.Bool) (*watchdog, error) {
	return nil, errors.New("no epoch watchdog on this system")
}

func (w *watchdog) arm(time.Duration) {}

func (w *watchdog) close() {}
