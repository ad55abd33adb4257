package vmobserver

import (
	"errors"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/vm"
)

// outcome classifies a process's death cause (vm.Process.Death) for
// lunatic_processes_finished_total. A kill and the failure of a linked process are both
// "killed" (the original turns a link death into a kill signal); proc_exit with a non-zero
// code is a "trap", as it is a failure that notifies links.
func outcome(death error) metrics.Outcome {
	var linkDied *vm.LinkDiedError
	switch {
	case death == nil:
		return metrics.OutcomeNormal
	case errors.Is(death, vm.ErrOutOfFuel):
		return metrics.OutcomeOutOfFuel
	case errors.Is(death, vm.ErrKilled), errors.As(death, &linkDied):
		return metrics.OutcomeKilled
	}
	return metrics.OutcomeTrap
}
