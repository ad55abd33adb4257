package networkingapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// The broadcast and TTL calls have no error channel: an OS failure (such as a TTL above
// 255) traps, as in the original.

func setUDPBroadcast(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	u := getUDP(p, fn, stack[0])
	on := 0
	if uint32(stack[1]) != 0 {
		on = 1
	}
	if err := setSockopt(u.c, optBroadcast[0], optBroadcast[1], on); err != nil {
		vm.Throw(fn, "%v", err)
	}
}

func getUDPBroadcast(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	v, err := sockopt(getUDP(p, fn, stack[0]).c, optBroadcast[0], optBroadcast[1])
	if err != nil {
		vm.Throw(fn, "%v", err)
	}
	stack[0] = hostfunc.Bool(v != 0)
}

func (u *udpSocket) ttlOpt() [2]int {
	if u.v6 {
		return optTTL6
	}
	return optTTL4
}

func setUDPTTL(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	u := getUDP(p, fn, stack[0])
	opt := u.ttlOpt()
	ttl := uint32(stack[1])
	if ttl > 255 {
		vm.Throw(fn, "ttl %d is out of range (0-255)", ttl)
	}
	if err := setSockopt(u.c, opt[0], opt[1], int(ttl)); err != nil {
		vm.Throw(fn, "%v", err)
	}
}

func getUDPTTL(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	u := getUDP(p, fn, stack[0])
	opt := u.ttlOpt()
	v, err := sockopt(u.c, opt[0], opt[1])
	if err != nil {
		vm.Throw(fn, "%v", err)
	}
	stack[0] = uint64(uint32(v))
}
