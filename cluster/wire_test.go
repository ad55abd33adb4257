package cluster

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/permissions"
)

func TestConfigRoundTrip(t *testing.T) {
	in := &permissions.ProcessConfig{
		MaxMemory: 1 << 20, MaxFuel: 7, CanSpawnProcesses: true, CanCompileModules: true,
		Args:     []string{"app.wasm", "x"},
		Env:      []permissions.EnvVar{{Key: "K", Value: "v"}, {Key: "K", Value: "w"}},
		Preopens: []permissions.Preopen{{Host: ".", Guest: "."}, {Host: "/data", Guest: "/d", ReadOnly: true}},
		Net:      permissions.NetPolicy{Mode: permissions.NetLoopback, Allow: []permissions.NetRule{{Host: "10.0.0.1", Port: 80}}},
	}
	var w wireSpawn
	if err := decode(encode(wireSpawn{Config: configToWire(in)}), &w); err != nil {
		t.Fatal(err)
	}
	if out := w.Config.config(); !reflect.DeepEqual(out, in) {
		t.Fatalf("config %+v came back as %+v", in, out)
	}
}

func TestSpawnParams(t *testing.T) {
	v128 := api.ValueType(0x7b)
	cases := []struct {
		types  []api.ValueType
		params []uint64
		err    string
	}{
		{[]api.ValueType{api.ValueTypeI32, api.ValueTypeI64}, []uint64{1, 2}, ""},
		{[]api.ValueType{v128}, []uint64{1, 2}, ""},
		{[]api.ValueType{v128}, []uint64{1}, "1 parameter values for 1 parameter types"},
		{[]api.ValueType{0x40}, []uint64{1}, "unknown type code 0x40"},
		{nil, []uint64{1}, "1 parameter values for 0 parameter types"},
	}
	for _, tc := range cases {
		s := wireSpawn{Types: tc.types, Params: tc.params}
		_, _, err := s.params()
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("types %v params %v: error %v, want %q", tc.types, tc.params, err, tc.err)
		}
	}
}

func TestModuleIDIsContentHash(t *testing.T) {
	a, b := []byte("\x00asm\x01\x00\x00\x00"), []byte("\x00asm\x01\x00\x00\x00\x00")
	if ModuleID(a) != ModuleID(append([]byte(nil), a...)) || ModuleID(a) == ModuleID(b) || ModuleID(a) == 0 {
		t.Fatal("module ids must be equal exactly for equal bytes, and never 0")
	}
}
