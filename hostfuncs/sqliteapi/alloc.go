package sqliteapi

import (
	"context"
	"errors"
	"math"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/vm"
)

// giveBytes hands data to the guest by docs/abi/sqlite.md ("Results of variable size"): it calls the guest's
// lunatic_alloc(len(data)), copies data there, writes len(data) as 8
// little-endian bytes at lenPtr and returns the pointer (also for no data).
// A missing or failing lunatic_alloc, or memory it does not own, traps.
func giveBytes(ctx context.Context, p *vm.Process, m api.Module, fn string, lenPtr uint32, data []byte) uint64 {
	if len(data) > math.MaxInt32 {
		vm.Throw(fn, "result of %d bytes is too large for guest memory", len(data))
	}
	alloc, release := allocFunc(p, m, fn)
	res, err := alloc.Call(ctx, uint64(len(data)))
	release()
	if err != nil {
		allocFailed(p, fn, err)
	}
	ptr := uint32(res[0])
	if len(data) > 0 {
		guestmem.Write(m, fn, ptr, data)
	}
	guestmem.WriteU64(m, fn, lenPtr, uint64(len(data)))
	return uint64(ptr)
}

// allocFunc returns the guest's lunatic_alloc, checked, and a func to call
// once the call is over. It reuses the process's cached function unless that
// one is already running (a lunatic_alloc that calls back into this module).
func allocFunc(p *vm.Process, m api.Module, fn string) (api.Function, func()) {
	st := stateKey.Get(p)
	if st.allocMod == m && st.alloc != nil && !st.allocBusy {
		st.allocBusy = true
		return st.alloc, func() { st.allocBusy = false }
	}
	alloc := m.ExportedFunction(abi.ExportAlloc)
	if alloc == nil {
		vm.Throw(fn, "the module does not export %s", abi.ExportAlloc)
	}
	def := alloc.Definition()
	if !sameTypes(def.ParamTypes(), api.ValueTypeI32) || !sameTypes(def.ResultTypes(), api.ValueTypeI32) {
		vm.Throw(fn, "%s must have type (i32) -> i32", abi.ExportAlloc)
	}
	if st.allocBusy {
		return alloc, func() {}
	}
	st.alloc, st.allocMod, st.allocBusy = alloc, m, true
	return alloc, func() { st.allocBusy = false }
}

// allocFailed ends the host call after lunatic_alloc failed: a kill or an exit
// inside it keeps its meaning, anything else traps.
func allocFailed(p *vm.Process, fn string, err error) {
	p.CheckAlive()
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		panic(exit)
	}
	vm.Throw(fn, "%s failed: %v", abi.ExportAlloc, err)
}

func sameTypes(got []api.ValueType, want ...api.ValueType) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
