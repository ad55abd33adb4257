package cluster

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/lunatic-go/lunatic/vm"
)

// The cluster-wide process registry is a key-value bucket: one key per (environment,
// name), so a name registered on one node is found from every other. Names are arbitrary
// UTF-8, so they are base64url-encoded into the key ("e1._bmFtZQ").

func registryKey(env uint64, name string) string {
	return "e" + strconv.FormatUint(env, 10) + "._" + base64.RawURLEncoding.EncodeToString([]byte(name))
}

// RegistryPut registers name in environment env (vm.Node), replacing any entry.
func (n *Node) RegistryPut(ctx context.Context, env uint64, name string, e vm.RegEntry) error {
	v := encode(wireRegEntry{Node: e.Node, Process: e.Process})
	if _, err := n.registry.Put(ctx, registryKey(env, name), v); err != nil {
		return fmt.Errorf("registry put %q: %w", name, err)
	}
	return nil
}

// RegistryGet looks name up in environment env (vm.Node).
func (n *Node) RegistryGet(ctx context.Context, env uint64, name string) (vm.RegEntry, bool, error) {
	kve, err := n.registry.Get(ctx, registryKey(env, name))
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return vm.RegEntry{}, false, nil
	}
	if err != nil {
		return vm.RegEntry{}, false, fmt.Errorf("registry get %q: %w", name, err)
	}
	var w wireRegEntry
	if err := decode(kve.Value(), &w); err != nil {
		return vm.RegEntry{}, false, fmt.Errorf("registry get %q: %w", name, err)
	}
	return vm.RegEntry{Node: w.Node, Process: w.Process}, true, nil
}

// RegistryRemove removes name from environment env (vm.Node); an absent name is no error.
func (n *Node) RegistryRemove(ctx context.Context, env uint64, name string) error {
	err := n.registry.Delete(ctx, registryKey(env, name))
	if err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("registry remove %q: %w", name, err)
	}
	return nil
}
