package resource

import "testing"

// TestNames: every kind has its own name, and only kinds below NumKinds have one.
func TestNames(t *testing.T) {
	seen := map[string]Kind{}
	for k := Kind(1); int(k) < NumKinds; k++ {
		name := k.String()
		if name == "unknown_resource" {
			t.Errorf("kind %d has no name", k)
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("kinds %d and %d are both %q", prev, k, name)
		}
		seen[name] = k
	}
	if got := Kind(NumKinds).String(); got != "unknown_resource" {
		t.Errorf("Kind(NumKinds) = %q", got)
	}
}
