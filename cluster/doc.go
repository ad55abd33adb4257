// Package cluster makes lunatic runtimes on several machines (or several processes of
// one) into one cluster, over NATS. It is the only package that imports NATS.
//
// Each node is a vm.Runtime plus one NATS connection. A node either embeds a NATS server
// with JetStream (in-process, no port unless Options.Listen asks for one) or joins an
// existing NATS server or cluster (Options.NATS). What the nodes share lives in JetStream
// buckets prefixed with the cluster name:
//
//	<cluster>_ids       node id allocation: the revision of a put, unique and non-zero
//	<cluster>_nodes     membership: one entry per node, put again every TTL/3; the bucket
//	                    TTL drops a node that stops beating, and its expiry marker tells
//	                    every watcher; a node that leaves deletes its entry
//	<cluster>_registry  the process registry, keyed by environment and name
//	<cluster>_modules   module bytes, named by their id (first 8 bytes of the SHA-256)
//
// Remote spawn is a request/reply on <cluster>.v2.node.<id>.spawn, answered once the
// process runs; a remote message is a publish on <cluster>.v2.node.<id>.msg. Both are
// msgpack-encoded (wire.go). A node compiles a module it is asked to spawn from the first
// time, downloading it from the object store, and keeps it.
//
// A Node implements vm.Node; Start registers it on the runtime, where
// hostfuncs/distributedapi finds it:
//
//	rt, _ := vm.New(ctx, vm.Options{})
//	_ = hostfuncs.InstantiateAll(ctx, rt.Wazero())
//	node, err := cluster.Start(ctx, rt, cluster.Options{Name: "a", NATS: []string{"nats://127.0.0.1:4222"}})
//	if err != nil { … }
//	defer node.Close()
//	mod, _ := rt.Compile(ctx, "app.wasm", wasm)
//	_, _ = node.PublishModule(ctx, wasm, mod)
//	p, _ := node.Environment(1).Spawn(ctx, vm.SpawnOptions{Module: mod, Entry: "_start", …})
package cluster
