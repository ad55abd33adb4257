package linmem

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Instantiate instantiates compiled with its linear memory taken from a.
// wazero panics when an allocator refuses the initial memory; Instantiate
// turns that into an error wrapping ErrMemoryLimit or ErrMap. On any
// failure the memory is released, so the caller only calls a.Release after
// closing a module that was returned.
func Instantiate(ctx context.Context, r wazero.Runtime, compiled wazero.CompiledModule,
	cfg wazero.ModuleConfig, a *Allocator) (mod api.Module, err error) {
	defer func() {
		if p := recover(); p != nil {
			mod, err = nil, panicError(a, p)
		}
		if err != nil {
			a.Release()
		}
	}()
	mod, err = r.InstantiateModule(experimental.WithMemoryAllocator(ctx, a), compiled, cfg)
	if err != nil {
		if aerr := a.Err(); aerr != nil {
			err = errors.Join(aerr, err)
		}
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	return mod, nil
}

// panicError explains a panic raised by wazero during instantiation.
func panicError(a *Allocator, p any) error {
	if err := a.Err(); err != nil {
		return fmt.Errorf("instantiate: %w", err)
	}
	return fmt.Errorf("instantiate: wazero panicked: %v", p)
}
