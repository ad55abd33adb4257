package cluster

import (
	"errors"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// TestCheckSizes: well-formed msgpack of every shape passes; data whose declared sizes
// exceed what is left fails before msgpack allocates anything for it.
func TestCheckSizes(t *testing.T) {
	good := []any{
		nil, true, 1, -1, 300, -300, 70000, int64(1) << 40, 1.5, float32(2.5), "",
		"short", string(make([]byte, 300)), make([]byte, 70000), []any{1, "a", []int{1, 2}},
		map[string]any{"k": []any{nil, map[string]int{"x": 1}}}, make([]uint64, 20000),
		wireConfig{MaxMemory: 1 << 20, Args: []string{"a", "b"}, Env: [][2]string{{"K", "V"}}},
	}
	for _, v := range good {
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkSizes(b); err != nil {
			t.Errorf("%T %.40v: %v", v, v, err)
		}
	}
	bad := map[string][]byte{
		"fuzz: struct with a 3.7e9-element array":  []byte("\x9600\xa3000\xc4\x0200\xdd\xdd\xdd0\x9b00"),
		"array32 longer than the data":             {0xdd, 0, 0, 1, 0, 1, 2, 3},
		"map16 longer than the data":               {0xde, 0, 4, 1, 2, 3, 4, 5, 6, 7},
		"str32 longer than the data":               {0xdb, 0, 0, 0, 9, 'a'},
		"nested arrays each within the data alone": {0x93, 0xdc, 0, 3, 0xdc, 0, 3, 1, 1, 1},
		"truncated length":                         {0xdd, 0, 0},
		"truncated value":                          {0x92, 1},
		"unused byte 0xc1":                         {0xc1},
		"empty":                                    {},
	}
	for name, b := range bad {
		if err := checkSizes(b); !errors.Is(err, errWireShape) {
			t.Errorf("%s: %v, want errWireShape", name, err)
		}
	}
}
