package expctxkeys

// NanosleepKey is a context.Context Value key (lunatic patch). Its associated value
// should be an experimental.CtxNanosleep.
type NanosleepKey struct{}
