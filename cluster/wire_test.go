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

// TestWireMessageMsgpack: the hand-written encoding of remote messages is the msgpack
// the reflective encoder reads, and the hand-written decoder reads what it writes;
// truncated or altered input is an error, never a panic.
func TestWireMessageMsgpack(t *testing.T) {
	big := make([]byte, 70000)
	for i := range big {
		big[i] = byte(i)
	}
	cases := []wireMessage{
		{},
		{Env: 1, FromNode: 2, From: 3, To: 4, Tag: 5, Data: []byte("hi")},
		{Env: 1 << 40, FromNode: 300, From: 70000, To: 1<<64 - 1, Tag: -1, Data: big[:300], Chunk: 9, More: true, Offset: 1 << 33},
		{Tag: -200, Data: big},
		{Tag: -1 << 63, Data: big[:65535]},
		{Tag: 1<<63 - 1, Data: big[:255], Offset: 127},
		{FromNode: 7, Fence: 1 << 50},
	}
	same := func(a, b wireMessage) bool {
		return a.Env == b.Env && a.FromNode == b.FromNode && a.From == b.From && a.To == b.To &&
			a.Tag == b.Tag && string(a.Data) == string(b.Data) && a.Chunk == b.Chunk &&
			a.More == b.More && a.Offset == b.Offset && a.Fence == b.Fence
	}
	for i, w := range cases {
		mine := w.appendMsgpack(nil)
		var viaLib wireMessage
		if err := decode(mine, &viaLib); err != nil || !same(viaLib, w) {
			t.Errorf("case %d: the msgpack library reads %+v, %v", i, viaLib.Tag, err)
		}
		var viaMine wireMessage
		if err := viaMine.decodeMsgpack(encode(&w)); err != nil || !same(viaMine, w) {
			t.Errorf("case %d: decodeMsgpack of the library's encoding: %v", i, err)
		}
		for cut := 0; cut < len(mine) && cut < 40; cut++ {
			var x wireMessage
			if x.decodeMsgpack(mine[:cut]) == nil {
				t.Errorf("case %d: %d of %d bytes decode without error", i, cut, len(mine))
			}
		}
		var x wireMessage
		if x.decodeMsgpack(append(mine, 0)) == nil {
			t.Errorf("case %d: a trailing byte decodes without error", i)
		}
		alt := append([]byte(nil), mine...)
		alt[0] = 0x99
		if x.decodeMsgpack(alt) == nil {
			t.Errorf("case %d: an array of 9 decodes without error", i)
		}
	}
}
