package messageapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

func pushModule(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	mod, ok := p.Modules().Get(stack[0])
	if !ok {
		vm.Throw(fn, "module %d not found", stack[0])
	}
	msg := dataScratch(p, fn)
	mod.Retain() // the sender keeps its entry; the message holds the module too
	msg.Slots = append(msg.Slots, &vm.Slot{Kind: resource.Module, Value: mod})
	stack[0] = uint64(len(msg.Slots) - 1)
}

// takeSlot empties slot index of the scratch message, trapping unless it holds kind.
func takeSlot(p *vm.Process, fn string, index uint64, kind resource.Kind) any {
	msg := dataScratch(p, fn)
	if index >= uint64(len(msg.Slots)) {
		vm.Throw(fn, "resource slot %d does not exist (the message has %d)", index, len(msg.Slots))
	}
	s := msg.Slots[index]
	if s == nil {
		vm.Throw(fn, "resource slot %d was already taken", index)
	}
	if s.Kind != kind {
		vm.Throw(fn, "resource slot %d holds a %s, not a %s", index, s.Kind, kind)
	}
	msg.Slots[index] = nil
	return s.Value
}

func takeModule(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	mod := takeSlot(p, fn, stack[0], resource.Module).(*vm.Module)
	stack[0] = p.Modules().Add(mod) // the slot's reference moves to the table
}

// pushSocket moves a socket out of the caller's table into the scratch message.
func pushSocket(kind resource.Kind) hostfunc.Impl {
	return func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		table := p.Sockets().Table(kind)
		if _, ok := table.Get(stack[0]); !ok {
			vm.Throw(fn, "%s %d not found", kind, stack[0])
		}
		msg := dataScratch(p, fn)
		c, _ := table.Remove(stack[0])
		msg.Slots = append(msg.Slots, &vm.Slot{Kind: kind, Value: c})
		stack[0] = uint64(len(msg.Slots) - 1)
	}
}

// takeSocket moves a socket from the scratch message into the caller's table.
func takeSocket(kind resource.Kind) hostfunc.Impl {
	return func(ctx context.Context, fn string, _ api.Module, stack []uint64) {
		p := hostfunc.Caller(ctx, fn)
		v := takeSlot(p, fn, stack[0], kind)
		stack[0] = p.Sockets().Table(kind).Add(v.(interface{ Close() error }))
	}
}
