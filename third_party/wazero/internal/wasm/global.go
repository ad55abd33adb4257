package wasm

import (
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/internal/internalapi"
)

// constantGlobal wraps GlobalInstance to implement api.Global.
type constantGlobal struct {
	internalapi.WazeroOnlyType
	g *GlobalInstance
}

// Type implements api.Global.
func (g constantGlobal) Type() api.ValueType {
	return g.g.Type.ValType.Kind()
}

// Get implements api.Global.
func (g constantGlobal) Get() uint64 {
	ret, _ := g.g.Value()
	return ret
}

// String implements api.Global.
func (g constantGlobal) String() string {
	return g.g.String()
}

// mutableGlobal extends constantGlobal to allow updates.
type mutableGlobal struct {
	internalapi.WazeroOnlyType
	g *GlobalInstance
}

// Type implements api.Global.
func (g mutableGlobal) Type() api.ValueType {
	return g.g.Type.ValType.Kind()
}

// Get implements api.Global.
func (g mutableGlobal) Get() uint64 {
	ret, _ := g.g.Value()
	return ret
}

// String implements api.Global.
func (g mutableGlobal) String() string {
	return g.g.String()
}

// Set implements the same method as documented on api.MutableGlobal.
func (g mutableGlobal) Set(v uint64) {
	g.g.SetValue(v, 0)
}

// ValuePointer returns the address where the engine keeps the global's value
// (its low 64 bits), for an embedder that reads or writes it with atomic
// operations from other goroutines while the module runs, or lets the kernel
// write it. It is 8-byte aligned and valid as long as the pointer is held.
// (lunatic patch: not part of the wazero API; found through an interface
// assertion on api.Global.)
func (g mutableGlobal) ValuePointer() *uint64 {
	return g.g.ValuePointer()
}
