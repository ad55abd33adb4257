package vm

import "sync/atomic"

// maxIdleWorkers bounds the goroutines kept waiting for the next process to run.
const maxIdleWorkers = 128

// workers runs processes on goroutines that outlive them: a goroutine that ran a process
// to its end waits for the next one instead of exiting. A new goroutine starts with a
// small stack that the wazero call path grows by copying (about 6 % of a spawn's CPU); a
// reused one has grown it already.
type workers struct {
	tasks chan func() // unbuffered: a send succeeds only when a worker is waiting
	idle  atomic.Int32
	stop  <-chan struct{}
}

func newWorkers(stop <-chan struct{}) *workers {
	return &workers{tasks: make(chan func()), stop: stop}
}

// run runs f on a waiting worker, or on a new goroutine when none waits.
func (w *workers) run(f func()) {
	select {
	case w.tasks <- f:
	default:
		go w.loop(f)
	}
}

// loop runs f, then the tasks handed over while it waits, until too many workers wait
// or the runtime closes.
func (w *workers) loop(f func()) {
	for {
		f()
		f = nil
		if w.idle.Add(1) > maxIdleWorkers {
			w.idle.Add(-1)
			return
		}
		select {
		case f = <-w.tasks:
			w.idle.Add(-1)
		case <-w.stop:
			w.idle.Add(-1)
			return
		}
	}
}
