package sqliteapi

import (
	"context"
	"fmt"
	"os"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// open(path_ptr, path_len, conn_id_ptr) -> i64: 0 and a connection id, or 1
// and an error id, at conn_id_ptr (8 bytes; address 0 is fine, lunatic-rs
// passes it). The path is a host path, relative ones against the runtime's
// working directory, and must be allowed by permit.
func open(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	path := guestmem.String(m, fn, uint32(stack[0]), uint32(stack[1]))
	idPtr := uint32(stack[2])
	guestmem.CheckRange(m, fn, idPtr, 8) // before opening: a trap must not leak a connection

	id, err := openPath(p, path)
	if err != nil {
		guestmem.WriteU64(m, fn, idPtr, p.Errors().Add(err))
		stack[0] = abi.Failure
		return
	}
	guestmem.WriteU64(m, fn, idPtr, id)
	stack[0] = abi.Success
}

// openPath checks path against p's preopened directories and opens it in p's
// session.
func openPath(p *vm.Process, path string) (uint64, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return 0, fmt.Errorf("Failed to access '%s': working directory: %w", path, err)
	}
	name, err := permit(cwd, path, p.Config().Preopens)
	if err != nil {
		return 0, err
	}
	id, err := session(p).Open(name)
	if err != nil {
		return 0, err
	}
	opened(p)
	return id, nil
}
