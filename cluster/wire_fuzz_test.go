package cluster

import (
	"testing"

	"github.com/lunatic-go/lunatic/permissions"
)

// FuzzWireDecode feeds arbitrary bytes to the decoders of what other nodes send: data
// messages and spawn requests (whose config and parameter list come from a guest on the
// other node). Nothing may panic; a spawn request that decodes yields a config and either
// a checked parameter list or an error.
func FuzzWireDecode(f *testing.F) {
	f.Add(encode(wireMessage{Env: 1, To: 2, Tag: 3, Data: []byte("hi")}))
	f.Add(encode(wireSpawn{Env: 1, Entry: "run", Types: []byte{0x7f, 0x7b}, Params: []uint64{1, 2, 3},
		Config: configToWire(permissions.Root([]string{"a"}, nil, []permissions.Preopen{{Host: ".", Guest: "."}}))}))
	f.Add([]byte{0x9f})
	f.Add([]byte{0xdd, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		var m wireMessage
		_ = decode(b, &m)
		var s wireSpawn
		if decode(b, &s) != nil {
			return
		}
		c := s.Config.config()
		if c.Net.Mode > permissions.NetNone {
			t.Fatalf("unknown network mode %d accepted", c.Net.Mode)
		}
		types, params, err := s.params()
		if err == nil && len(types) > len(params) {
			t.Fatalf("%d types for %d values", len(types), len(params))
		}
	})
}
