package cluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/lunatic-go/lunatic/vm"
)

// ModuleID is the cluster-wide id of module bytes: the first 8 bytes of their SHA-256
// (never 0). Equal bytes get the same id on every node, so publishing is idempotent and
// a node can check that what it downloaded is what was asked for.
func ModuleID(wasm []byte) uint64 {
	sum := sha256.Sum256(wasm)
	if id := binary.BigEndian.Uint64(sum[:8]); id != 0 {
		return id
	}
	return 1
}

func objectName(id uint64) string { return fmt.Sprintf("%016x", id) }

// objectDigest is the digest the object store records for data ("SHA-256=" and the
// URL-safe base64 of its SHA-256).
func objectDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return "SHA-256=" + base64.URLEncoding.EncodeToString(sum[:])
}

// modules ships module bytes through a JetStream object store and keeps one compiled
// module per id on this node.
type modules struct {
	rt  *vm.Runtime
	obs jetstream.ObjectStore

	mu        sync.Mutex
	byID      map[uint64]*moduleEntry
	ids       map[*vm.Module]uint64
	downloads int // modules fetched from the store and compiled here
}

// moduleEntry is a compiled module, or the compilation in progress (done still open).
type moduleEntry struct {
	done chan struct{}
	mod  *vm.Module
	err  error
}

func newModules(rt *vm.Runtime, obs jetstream.ObjectStore) *modules {
	return &modules{rt: rt, obs: obs, byID: make(map[uint64]*moduleEntry), ids: make(map[*vm.Module]uint64)}
}

// publish stores wasm in the object store (unless it is there already) and records mod,
// compiled from wasm on this node, under its id.
func (s *modules) publish(ctx context.Context, wasm []byte, mod *vm.Module) (uint64, error) {
	id := ModuleID(wasm)
	name := objectName(id)
	info, err := s.obs.GetInfo(ctx, name)
	switch {
	case errors.Is(err, jetstream.ErrObjectNotFound):
		meta := jetstream.ObjectMeta{Name: name, Description: mod.Name}
		if _, err := s.obs.Put(ctx, meta, bytes.NewReader(wasm)); err != nil {
			return 0, fmt.Errorf("publish module %s: %w", mod.Name, err)
		}
	case err != nil:
		return 0, fmt.Errorf("publish module %s: %w", mod.Name, err)
	case info.Digest != objectDigest(wasm):
		// Another module under this module's name: other nodes would run it in place of
		// this one. Refuse rather than spread a wrong program.
		return 0, fmt.Errorf("publish module %s: the cluster's module store holds other bytes under its name %s "+
			"(published as %q, %d bytes, not these %d bytes): remove object %s from bucket %s or use another cluster name",
			mod.Name, name, info.Description, info.Size, len(wasm), name, info.Bucket)
	}
	done := make(chan struct{})
	close(done)
	s.mu.Lock()
	s.byID[id] = &moduleEntry{done: done, mod: mod}
	s.ids[mod] = id
	s.mu.Unlock()
	return id, nil
}

// id is the cluster-wide id of mod, or 0 if it was never published or fetched here.
func (s *modules) id(mod *vm.Module) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[mod]
}

// get returns the compiled module with the given id, downloading and compiling it the
// first time; concurrent callers share one download. Only a module and a failure that
// would happen again (bytes that do not compile or do not match their id) are kept: a
// module missing from the store (vm.ErrModuleNotFound) or a failed download is looked up
// again next time.
func (s *modules) get(ctx context.Context, id uint64) (*vm.Module, error) {
	s.mu.Lock()
	e, ok := s.byID[id]
	if !ok {
		e = &moduleEntry{done: make(chan struct{})}
		s.byID[id] = e
	}
	s.mu.Unlock()
	if !ok {
		e.mod, e.err = s.fetch(ctx, id)
		s.mu.Lock()
		if e.err == nil {
			s.ids[e.mod] = id
			s.downloads++
		} else if !errors.As(e.err, new(*lastingError)) {
			delete(s.byID, id)
		}
		s.mu.Unlock()
		close(e.done)
	}
	select {
	case <-e.done:
		return e.mod, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fetch downloads, checks and compiles module id.
func (s *modules) fetch(ctx context.Context, id uint64) (*vm.Module, error) {
	if id == 0 {
		return nil, fmt.Errorf("%w: module id 0 (a module compiled at run time cannot be spawned on another node)", vm.ErrModuleNotFound)
	}
	name := objectName(id)
	info, err := s.obs.GetInfo(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("%w: module %s", vm.ErrModuleNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("download module %s: %w", name, err)
	}
	wasm, err := s.obs.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("download module %s: %w", name, err)
	}
	if ModuleID(wasm) != id {
		return nil, &lastingError{fmt.Errorf("module %s: the stored bytes do not match their id", name)}
	}
	label := info.Description
	if label == "" {
		label = name
	}
	mod, err := s.rt.Compile(ctx, label, wasm)
	if err != nil {
		err = fmt.Errorf("compile module %s: %w", label, err)
		if ctx.Err() == nil {
			err = &lastingError{err}
		}
		return nil, err
	}
	return mod, nil
}

// lastingError marks a failure of fetch that trying again would repeat.
type lastingError struct{ err error }

func (e *lastingError) Error() string { return e.err.Error() }
func (e *lastingError) Unwrap() error { return e.err }
