package cluster

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

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
	if w.Node != n.id && n.members.isGone(w.Node) {
		// The node is gone; its names are being removed (forgetNames).
		return vm.RegEntry{}, false, nil
	}
	return vm.RegEntry{Node: w.Node, Process: w.Process}, true, nil
}

// forgetNamesTimeout bounds the removal of a lost node's names.
const forgetNamesTimeout = 30 * time.Second

// forgetNames removes from the registry every name that points at a process of node
// gone, which left or was lost. Every node that sees the loss does this; each removal is
// conditional on the entry's revision, so a name registered again meanwhile stays, and
// the nodes do not undo each other's work.
func (n *Node) forgetNames(gone uint64) {
	n.closeMu.RLock()
	defer n.closeMu.RUnlock()
	if n.closing {
		return
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		ctx, cancel := context.WithTimeout(n.ctx, forgetNamesTimeout)
		defer cancel()
		removed, err := n.removeNamesOf(ctx, gone)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("names of a lost node not removed", "node", gone, "error", err)
		}
		if removed > 0 {
			n.log.Debug("names of a lost node removed", "node", gone, "count", removed)
		}
	}()
}

func (n *Node) removeNamesOf(ctx context.Context, gone uint64) (int, error) {
	lister, err := n.registry.ListKeys(ctx)
	if err != nil {
		return 0, fmt.Errorf("list the registry: %w", err)
	}
	var keys []string
	for k := range lister.Keys() {
		keys = append(keys, k)
	}
	removed := 0
	for _, key := range keys {
		kve, err := n.registry.Get(ctx, key)
		if err != nil {
			continue // deleted meanwhile
		}
		var w wireRegEntry
		if decode(kve.Value(), &w) != nil || w.Node != gone {
			continue
		}
		err = n.registry.Delete(ctx, key, jetstream.LastRevision(kve.Revision()))
		if err == nil {
			removed++
		}
	}
	return removed, nil
}

// RegistryRemove removes name from environment env (vm.Node); an absent name is no error.
func (n *Node) RegistryRemove(ctx context.Context, env uint64, name string) error {
	err := n.registry.Delete(ctx, registryKey(env, name))
	if err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("registry remove %q: %w", name, err)
	}
	return nil
}
