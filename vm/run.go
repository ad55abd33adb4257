package vm

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

// run calls the entry function on the process's goroutine and then runs the death path.
func (p *Process) run(types []api.ValueType, params []uint64) {
	var death error
	defer func() {
		if r := recover(); r != nil {
			death = fmt.Errorf("runtime error in process %d: %v", p.id, r)
			p.env.rt.log.Error("process crashed the host side", "process", p.id, "panic", r)
		}
		p.settleFuel()
		p.finish(death)
		p.env.rt.running.Add(-1)
		p.env.rt.live.Done()
	}()
	death = p.call(types, params)
}

func (p *Process) call(types []api.ValueType, params []uint64) error {
	fn := p.instance.ExportedFunction(p.entry)
	if fn == nil {
		return fmt.Errorf("entry function %q not found", p.entry)
	}
	def := fn.Definition()
	if len(def.ResultTypes()) != 0 {
		return fmt.Errorf("entry function %q returns values; it must return nothing", p.entry)
	}
	if !sameTypes(def.ParamTypes(), types) {
		return fmt.Errorf("entry function %q has parameters (%s), spawn passed (%s)", p.entry, typeList(def.ParamTypes()), typeList(types))
	}
	_, err := fn.Call(p.ctx, params...)
	return p.classify(err)
}

// classify turns the result of a guest call into a death cause: nil for a normal end.
func (p *Process) classify(err error) error {
	if err == nil {
		return nil
	}
	if p.ctx.Err() != nil {
		return context.Cause(p.ctx)
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() == 0 {
			return nil
		}
		return &ExitError{Code: exit.ExitCode()}
	}
	return err
}

func typeList(ts []api.ValueType) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += " "
		}
		s += api.ValueTypeName(t)
	}
	return s
}
