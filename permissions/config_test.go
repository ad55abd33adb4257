package permissions

import (
	"errors"
	"testing"
)

func TestDefaults(t *testing.T) {
	c := New()
	if c.MaxMemory != DefaultMaxMemory || c.MaxFuel != 0 || c.CanSpawnProcesses || c.CanCompileModules || c.CanCreateConfigs {
		t.Fatalf("create_config defaults wrong: %+v", c)
	}
	for _, err := range []error{c.AllowSpawn(), c.AllowCompile(), c.AllowCreateConfigs()} {
		if !errors.Is(err, ErrDenied) {
			t.Fatalf("fresh config allowed something: %v", err)
		}
	}
	r := Root([]string{"app.wasm"}, nil, []Preopen{{Host: ".", Guest: "."}})
	if r.AllowSpawn() != nil || r.AllowCompile() != nil || r.AllowCreateConfigs() != nil {
		t.Fatal("root config must allow everything")
	}
}

func TestCloneIsDeep(t *testing.T) {
	a := Root([]string{"x"}, []EnvVar{{"K", "V"}}, []Preopen{{Host: "h", Guest: "g"}})
	b := a.Clone()
	b.Args[0], b.Env[0].Value, b.Preopens[0].Host = "y", "W", "other"
	b.Args = append(b.Args, "more")
	if a.Args[0] != "x" || a.Env[0].Value != "V" || a.Preopens[0].Host != "h" || len(a.Args) != 1 {
		t.Fatalf("changing the clone changed the original: %+v", a)
	}
}

func TestFuelLimit(t *testing.T) {
	for _, tc := range []struct{ units, want uint64 }{
		{0, 0}, {1, 100_000}, {7, 700_000}, {^uint64(0), ^uint64(0)}, {^uint64(0) / 100_000, ^uint64(0) / 100_000 * 100_000},
	} {
		c := New()
		c.MaxFuel = tc.units
		if got := c.FuelLimit(); got != tc.want {
			t.Errorf("FuelLimit(%d) = %d, want %d", tc.units, got, tc.want)
		}
	}
}
