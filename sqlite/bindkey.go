package sqlite

import "strconv"

// KeyKind is the wire variant index of a BindKey.
type KeyKind uint32

// The bind key kinds, numbered as on the wire.
const (
	KeyNone    KeyKind = 0 // None
	KeyNumeric KeyKind = 1 // Numeric(usize): 1-based parameter index
	KeyName    KeyKind = 2 // String(String): parameter name
)

// String names the key kind.
func (k KeyKind) String() string {
	switch k {
	case KeyNone:
		return "None"
	case KeyNumeric:
		return "Numeric"
	case KeyName:
		return "String"
	}
	return "KeyKind(" + strconv.FormatUint(uint64(k), 10) + ")"
}

// BindKey says which parameter a BindPair sets.
type BindKey struct {
	Kind  KeyKind
	Index uint64 // KeyNumeric
	Name  string // KeyName
}

// Param returns the SQLite parameter index the key binds, as lunatic does:
// Index for KeyNumeric, and 1 for KeyNone and KeyName (lunatic ignores the
// name and binds the first parameter).
func (k BindKey) Param() uint64 {
	if k.Kind == KeyNumeric {
		return k.Index
	}
	return 1
}

// BindPair is one (key, value) of a bind list.
type BindPair struct {
	Key   BindKey
	Value Value
}

// At returns the pair binding v at 1-based parameter index i.
func At(i uint64, v Value) BindPair {
	return BindPair{Key: BindKey{Kind: KeyNumeric, Index: i}, Value: v}
}

// Named returns the pair binding v to the parameter called name.
func Named(name string, v Value) BindPair {
	return BindPair{Key: BindKey{Kind: KeyName, Name: name}, Value: v}
}
