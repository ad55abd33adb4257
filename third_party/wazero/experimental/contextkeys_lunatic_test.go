package experimental

import (
	"context"
	"testing"
)

type nopLimiter struct{}

func (nopLimiter) GrowStack(need, want uint64) uint64 { return want }
func (nopLimiter) ReleaseStack(uint64)                {}

// TestContextKeys checks that the exported keys are those WithStackLimiter and
// WithSuspender store under.
func TestContextKeys(t *testing.T) {
	var l StackLimiter = nopLimiter{}
	s := &Suspender{}
	ctx := WithSuspender(WithStackLimiter(context.Background(), l), s)
	if got := ctx.Value(StackLimiterContextKey()); got != l {
		t.Fatalf("StackLimiterContextKey gives %v, want the limiter", got)
	}
	if got := ctx.Value(SuspenderContextKey()); got != s {
		t.Fatalf("SuspenderContextKey gives %v, want the suspender", got)
	}
}
