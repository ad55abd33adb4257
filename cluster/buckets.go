package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// stores are the JetStream buckets a cluster shares. Whichever node comes first creates
// them; the others open what is there, so the first node's settings (the membership TTL)
// hold for the whole cluster.
type stores struct {
	ids      jetstream.KeyValue // node id allocation
	nodes    jetstream.KeyValue // membership, with TTL
	registry jetstream.KeyValue // process registry
	modules  jetstream.ObjectStore
	ttl      time.Duration // the membership bucket's TTL
}

// Bucket names, after the cluster prefix.
const (
	bucketIDs      = "_ids"
	bucketNodes    = "_nodes"
	bucketRegistry = "_registry"
	bucketModules  = "_modules"
)

func openStores(ctx context.Context, js jetstream.JetStream, cluster string, ttl time.Duration, replicas int) (*stores, error) {
	var s stores
	var err error
	if s.ids, err = openKV(ctx, js, jetstream.KeyValueConfig{
		Bucket: cluster + bucketIDs, History: 1, Storage: jetstream.MemoryStorage, Replicas: replicas,
		Description: "lunatic: node id allocation",
	}); err != nil {
		return nil, err
	}
	if s.nodes, err = openKV(ctx, js, jetstream.KeyValueConfig{
		Bucket: cluster + bucketNodes, History: 1, Storage: jetstream.MemoryStorage, Replicas: replicas,
		TTL: ttl, LimitMarkerTTL: ttl,
		Description: "lunatic: live nodes (heartbeat entries that expire)",
	}); err != nil {
		return nil, err
	}
	st, err := s.nodes.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("membership bucket: %w", err)
	}
	if s.ttl = st.TTL(); s.ttl <= 0 {
		return nil, fmt.Errorf("membership bucket %s has no TTL: delete it, the first node recreates it", cluster+bucketNodes)
	}
	if s.registry, err = openKV(ctx, js, jetstream.KeyValueConfig{
		Bucket: cluster + bucketRegistry, History: 1, Storage: jetstream.MemoryStorage, Replicas: replicas,
		Description: "lunatic: process registry",
	}); err != nil {
		return nil, err
	}
	if changed, err := leaderReads(ctx, js, kvStreamPrefix+cluster+bucketRegistry); err != nil {
		return nil, err
	} else if changed {
		if s.registry, err = js.KeyValue(ctx, cluster+bucketRegistry); err != nil {
			return nil, fmt.Errorf("key-value bucket %s: %w", cluster+bucketRegistry, err)
		}
	}
	if s.modules, err = openObjects(ctx, js, jetstream.ObjectStoreConfig{
		Bucket: cluster + bucketModules, Storage: jetstream.FileStorage, Replicas: replicas,
		Description: "lunatic: module bytes by id",
	}); err != nil {
		return nil, err
	}
	if changed, err := leaderReads(ctx, js, objStreamPrefix+cluster+bucketModules); err != nil {
		return nil, err
	} else if changed {
		if s.modules, err = js.ObjectStore(ctx, cluster+bucketModules); err != nil {
			return nil, fmt.Errorf("object store %s: %w", cluster+bucketModules, err)
		}
	}
	return &s, nil
}

func openKV(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	kv, err := js.CreateKeyValue(ctx, cfg)
	if errors.Is(err, jetstream.ErrBucketExists) {
		kv, err = js.KeyValue(ctx, cfg.Bucket)
	}
	if err != nil {
		return nil, fmt.Errorf("key-value bucket %s: %w", cfg.Bucket, jetStreamHint(err))
	}
	return kv, nil
}

// leaderReads makes reads of a replicated bucket go to the bucket's leader. Buckets
// answer reads from any replica ("direct get"), and a follower may not have yet a put
// that the leader acknowledged: a name registered on one node would be missing, for a
// moment, in a lookup from another, and a module just published could be "not found".
// The registry and the module store must read their writes, so their streams do not
// allow direct gets. It reports whether it changed the stream: the bucket must then be
// bound again to see the new setting.
func leaderReads(ctx context.Context, js jetstream.JetStream, stream string) (bool, error) {
	st, err := js.Stream(ctx, stream)
	if err != nil {
		return false, fmt.Errorf("stream %s: %w", stream, err)
	}
	cfg := st.CachedInfo().Config
	if cfg.Replicas <= 1 || !cfg.AllowDirect {
		return false, nil
	}
	cfg.AllowDirect = false
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		return false, fmt.Errorf("stream %s: reads from the leader: %w", stream, err)
	}
	return true, nil
}

// Name prefixes of the streams behind key-value buckets and object stores.
const (
	kvStreamPrefix  = "KV_"
	objStreamPrefix = "OBJ_"
)

func openObjects(ctx context.Context, js jetstream.JetStream, cfg jetstream.ObjectStoreConfig) (jetstream.ObjectStore, error) {
	obs, err := js.CreateObjectStore(ctx, cfg)
	if errors.Is(err, jetstream.ErrBucketExists) {
		obs, err = js.ObjectStore(ctx, cfg.Bucket)
	}
	if err != nil {
		return nil, fmt.Errorf("object store %s: %w", cfg.Bucket, jetStreamHint(err))
	}
	return obs, nil
}

// jetStreamHint adds what to do when the server has no JetStream.
func jetStreamHint(err error) error {
	if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
		return fmt.Errorf("%w (lunatic nodes need JetStream: start nats-server with -js)", err)
	}
	return err
}
