package expctxkeys

// SuspenderKey is a context.Context key for the experimental suspender.
type SuspenderKey struct{}

// FunctionPaddingKey is a context.Context key for the padding the compiler places before
// each function (lunatic patch; experimental.WithFunctionPadding).
type FunctionPaddingKey struct{}
