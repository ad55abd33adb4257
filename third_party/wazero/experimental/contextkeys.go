package experimental

import "github.com/tetratelabs/wazero/internal/expctxkeys"

// StackLimiterContextKey is the context key WithStackLimiter stores its StackLimiter
// under. An embedder whose own context type answers Value for it (with a
// StackLimiter) needs no WithStackLimiter layer, one allocation per context less
// (lunatic patch).
func StackLimiterContextKey() any { return expctxkeys.StackLimiterKey{} }

// SuspenderContextKey is the context key WithSuspender stores its *Suspender under;
// see StackLimiterContextKey (lunatic patch).
func SuspenderContextKey() any { return expctxkeys.SuspenderKey{} }
