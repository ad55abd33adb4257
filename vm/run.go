package vm

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
)

// start calls the entry function on the process's worker. It returns the error of the
// call as wazero returns it: experimental.ErrSuspended when a receive suspended it.
func (p *Process) start() error {
	var types []api.ValueType
	var params []uint64
	if a := p.startArgs; a != nil {
		types, params = a.types, a.params
		p.startArgs = nil
	}
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
	p.fn = fn
	if !p.env.rt.noSuspend {
		p.resumable, _ = fn.(experimental.Resumable)
	}
	_, err := fn.Call(p.ctx, params...)
	return err
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
