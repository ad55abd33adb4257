package networkingapi

import (
	"errors"
	"os"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/vm"
)

// errTimedOut marks a timeout set by the guest (status 9027).
var errTimedOut = errors.New("timed out")

// errNotConnected is udp_peer_addr's "not connected" (status 1).
var errNotConnected = errors.New("socket is not connected")

// isTimeout reports whether err is a deadline the host set for a guest timeout.
func isTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, errTimedOut)
}

// reply writes the outcome of a call that returns "status + u64 out-value": on success v
// is written; on failure an error resource id. A timeout returns 9027 and writes nothing.
func reply(p *vm.Process, m api.Module, fn string, outPtr uint32, v uint64, err error, stack []uint64) {
	switch {
	case err == nil:
		guestmem.WriteU64(m, fn, outPtr, v)
		stack[0] = abi.Success
	case isTimeout(err):
		stack[0] = abi.Timeout
	default:
		guestmem.WriteU64(m, fn, outPtr, p.Errors().Add(err))
		stack[0] = abi.Failure
	}
}

// replyID is reply for calls that create a resource, where a timeout also writes an error
// id (connect): lunatic-rs turns any non-zero status into an error holding the written
// id, so writing nothing would make it read and later drop a stale id.
func replyID(p *vm.Process, m api.Module, fn string, outPtr uint32, id uint64, err error, stack []uint64) {
	if err != nil && isTimeout(err) {
		guestmem.WriteU64(m, fn, outPtr, p.Errors().Add(err))
		stack[0] = abi.Timeout
		return
	}
	reply(p, m, fn, outPtr, id, err, stack)
}
