package expctxkeys

import "sync/atomic"

// SnapshotterUsed is set once any context has enabled snapshots (experimental.
// WithSnapshotter): until then a call need not look the key up in its context, a walk
// up the whole chain of context values on every call and resumption (lunatic patch).
var SnapshotterUsed atomic.Bool

// EnableSnapshotterKey is a context key to indicate that snapshotting should be enabled.
// The context.Context passed to a exported function invocation should have this key set
// to a non-nil value, and host functions will be able to retrieve it using SnapshotterKey.
type EnableSnapshotterKey struct{}

// SnapshotterKey is a context key to access a Snapshotter from a host function.
// It is only present if EnableSnapshotter was set in the function invocation context.
type SnapshotterKey struct{}
