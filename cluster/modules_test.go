package cluster

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/lunatic-go/lunatic/vm"
)

// emptyModule is the smallest valid wasm module.
var emptyModule = []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}

// flakyStore is an object store holding one module whose first downloads fail.
type flakyStore struct {
	jetstream.ObjectStore
	wasm []byte

	mu    sync.Mutex
	fails int // downloads still to fail
}

func (s *flakyStore) GetInfo(_ context.Context, name string, _ ...jetstream.GetObjectInfoOpt) (*jetstream.ObjectInfo, error) {
	if name != objectName(ModuleID(s.wasm)) {
		return nil, jetstream.ErrObjectNotFound
	}
	return &jetstream.ObjectInfo{ObjectMeta: jetstream.ObjectMeta{Name: name}}, nil
}

func (s *flakyStore) GetBytes(_ context.Context, _ string, _ ...jetstream.GetObjectOpt) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fails > 0 {
		s.fails--
		return nil, errors.New("nats: timeout")
	}
	return s.wasm, nil
}

func testModules(t *testing.T, store jetstream.ObjectStore) *modules {
	t.Helper()
	ctx := context.Background()
	rt, err := vm.New(ctx, vm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	return newModules(rt, store)
}

// TestModuleDownloadRetried: a download that fails for a passing reason (a NATS timeout)
// is not remembered: the next spawn of that module downloads it again.
func TestModuleDownloadRetried(t *testing.T) {
	store := &flakyStore{wasm: emptyModule, fails: 1}
	s := testModules(t, store)
	id := ModuleID(emptyModule)
	ctx := context.Background()
	if _, err := s.get(ctx, id); err == nil {
		t.Fatal("the first download should have failed")
	}
	mod, err := s.get(ctx, id)
	if err != nil || mod == nil {
		t.Fatalf("second get: %v, %v", mod, err)
	}
	if s.id(mod) != id {
		t.Fatalf("module id %x, want %x", s.id(mod), id)
	}
}

// TestModuleCompileErrorKept: bytes that do not compile never will: the failure is
// remembered and the module is not downloaded again.
func TestModuleCompileErrorKept(t *testing.T) {
	bad := append(append([]byte(nil), emptyModule...), 0xff)
	store := &flakyStore{wasm: bad}
	s := testModules(t, store)
	id := ModuleID(bad)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := s.get(ctx, id); err == nil {
			t.Fatal("a module that does not compile was returned")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[id]; !ok {
		t.Fatal("the compile failure was not remembered")
	}
}
