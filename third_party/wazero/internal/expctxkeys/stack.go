package expctxkeys

// StackLimiterKey is a context.Context key for the experimental stack limiter.
type StackLimiterKey struct{}
