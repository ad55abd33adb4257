package expctxkeys

// SuspenderKey is a context.Context key for the experimental suspender.
type SuspenderKey struct{}
