package cluster

import (
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/lunatic-go/lunatic/permissions"
)

// The wire between nodes: msgpack, each struct as an array of its fields in declaration
// order. The protocol version is part of every subject (protocolVersion), so nodes of
// different versions never misread each other: they simply do not meet.

// wireMessage is a data message for a process on another node (subject …msg), or one
// chunk of it: a message larger than what NATS carries in one piece travels as chunks
// that share a non-zero Chunk id, all but the last with More set. Offset is where the
// chunk's bytes go in the message, so that a lost chunk is noticed.
type wireMessage struct {
	_msgpack struct{} `msgpack:",as_array"`
	Env      uint64   // environment of the sender, and so of the receiver
	FromNode uint64
	From     uint64 // sending process (diagnostics)
	To       uint64 // receiving process
	Tag      int64
	Data     []byte
	Chunk    uint64 // 0: the whole message
	More     bool
	Offset   uint64
	// Fence, when not 0, makes this a fence of the direct path (direct.go), not a
	// message: FromNode sends its next messages to the receiver on its direct
	// connection, behind the frame with this id.
	Fence uint64
}

// wireSpawn asks a node to start a process (subject …spawn, request/reply).
type wireSpawn struct {
	_msgpack struct{} `msgpack:",as_array"`
	Env      uint64
	Module   uint64 // cluster-wide module id
	Entry    string
	Types    []byte   // wasm value type of each parameter
	Params   []uint64 // wazero encoding: a v128 takes two words
	Config   wireConfig
}

// wireConfig is a permissions.ProcessConfig.
type wireConfig struct {
	_msgpack          struct{} `msgpack:",as_array"`
	MaxMemory         uint64
	MaxFuel           uint64
	CanCompileModules bool
	CanCreateConfigs  bool
	CanSpawnProcesses bool
	Args              []string
	Env               [][2]string
	Preopens          [][2]string
	ReadOnly          []bool // per preopen
	NetMode           uint8
	NetAllow          []wireNetRule
}

// wireNetRule is a permissions.NetRule.
type wireNetRule struct {
	_msgpack struct{} `msgpack:",as_array"`
	Host     string
	Port     uint16
}

// Spawn reply codes.
const (
	spawnOK             = 0
	spawnFailed         = 1
	spawnModuleNotFound = 2
)

// wireSpawnReply answers a wireSpawn.
type wireSpawnReply struct {
	_msgpack struct{} `msgpack:",as_array"`
	Code     uint8
	Process  uint64
	Err      string
}

// wireNode is a node's entry in the membership bucket.
type wireNode struct {
	_msgpack struct{} `msgpack:",as_array"`
	Name     string
	Tags     map[string]string
	// Direct is the address of the node's direct path ("" when it has none) and Key the
	// secret a dialer proves it knows (direct.go).
	Direct string
	Key    []byte
}

// wireRegEntry is a registry value.
type wireRegEntry struct {
	_msgpack struct{} `msgpack:",as_array"`
	Node     uint64
	Process  uint64
}

func encode(v any) []byte {
	b, err := msgpack.Marshal(v)
	if err != nil {
		// Only the fixed types above are encoded; they always marshal.
		panic(fmt.Sprintf("cluster: encode %T: %v", v, err))
	}
	return b
}

func decode(b []byte, v any) error {
	if err := checkSizes(b); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	if err := msgpack.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

func configToWire(c *permissions.ProcessConfig) wireConfig {
	w := wireConfig{
		MaxMemory: c.MaxMemory, MaxFuel: c.MaxFuel,
		CanCompileModules: c.CanCompileModules, CanCreateConfigs: c.CanCreateConfigs,
		CanSpawnProcesses: c.CanSpawnProcesses,
		Args:              c.Args,
	}
	for _, kv := range c.Env {
		w.Env = append(w.Env, [2]string{kv.Key, kv.Value})
	}
	for _, d := range c.Preopens {
		w.Preopens = append(w.Preopens, [2]string{d.Host, d.Guest})
		w.ReadOnly = append(w.ReadOnly, d.ReadOnly)
	}
	w.NetMode = uint8(c.Net.Mode)
	for _, r := range c.Net.Allow {
		w.NetAllow = append(w.NetAllow, wireNetRule{Host: r.Host, Port: r.Port})
	}
	return w
}

func (w wireConfig) config() *permissions.ProcessConfig {
	c := &permissions.ProcessConfig{
		MaxMemory: w.MaxMemory, MaxFuel: w.MaxFuel,
		CanCompileModules: w.CanCompileModules, CanCreateConfigs: w.CanCreateConfigs,
		CanSpawnProcesses: w.CanSpawnProcesses,
		Args:              w.Args,
	}
	for _, kv := range w.Env {
		c.Env = append(c.Env, permissions.EnvVar{Key: kv[0], Value: kv[1]})
	}
	for i, d := range w.Preopens {
		ro := i < len(w.ReadOnly) && w.ReadOnly[i]
		c.Preopens = append(c.Preopens, permissions.Preopen{Host: d[0], Guest: d[1], ReadOnly: ro})
	}
	c.Net.Mode = permissions.NetMode(w.NetMode)
	if c.Net.Mode > permissions.NetNone {
		c.Net.Mode = permissions.NetNone // an unknown mode grants nothing
	}
	for _, r := range w.NetAllow {
		c.Net.Allow = append(c.Net.Allow, permissions.NetRule{Host: r.Host, Port: r.Port})
	}
	return c
}

// valueTypeV128 is wasm's v128 type code, which wazero's api package does not name.
const valueTypeV128 api.ValueType = 0x7b

// params checks the parameter list of a spawn request and returns it in wazero's form.
func (s *wireSpawn) params() ([]api.ValueType, []uint64, error) {
	words := 0
	for i, t := range s.Types {
		switch t {
		case api.ValueTypeI32, api.ValueTypeI64, api.ValueTypeF32, api.ValueTypeF64:
			words++
		case valueTypeV128:
			words += 2
		default:
			return nil, nil, fmt.Errorf("parameter %d has unknown type code %#x", i, t)
		}
	}
	if words != len(s.Params) {
		return nil, nil, fmt.Errorf("%d parameter values for %d parameter types", len(s.Params), len(s.Types))
	}
	return s.Types, s.Params, nil
}

// The hot path of remote messages encodes and decodes wireMessage by hand, in the same
// msgpack form the reflective encoder gives it (an array of its ten fields), without
// reflection and without copying the data bytes on receipt.

// wireMessageFields is the length of wireMessage's msgpack array.
const wireMessageFields = 10

// appendMsgpack appends w in msgpack form to b.
func (w *wireMessage) appendMsgpack(b []byte) []byte {
	b = append(b, 0x90|wireMessageFields)
	b = appendUint(b, w.Env)
	b = appendUint(b, w.FromNode)
	b = appendUint(b, w.From)
	b = appendUint(b, w.To)
	b = appendInt(b, w.Tag)
	b = appendBin(b, w.Data)
	b = appendUint(b, w.Chunk)
	if w.More {
		b = append(b, 0xc3)
	} else {
		b = append(b, 0xc2)
	}
	b = appendUint(b, w.Offset)
	return appendUint(b, w.Fence)
}

func appendUint(b []byte, v uint64) []byte {
	switch {
	case v <= 0x7f:
		return append(b, byte(v))
	case v <= 0xff:
		return append(b, 0xcc, byte(v))
	case v <= 0xffff:
		return append(b, 0xcd, byte(v>>8), byte(v))
	case v <= 0xffffffff:
		return append(b, 0xce, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return append(b, 0xcf, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func appendInt(b []byte, v int64) []byte {
	if v >= 0 {
		return appendUint(b, uint64(v))
	}
	if v >= -32 {
		return append(b, byte(v))
	}
	u := uint64(v)
	return append(b, 0xd3, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

func appendBin(b []byte, data []byte) []byte {
	n := len(data)
	switch {
	case n <= 0xff:
		b = append(b, 0xc4, byte(n))
	case n <= 0xffff:
		b = append(b, 0xc5, byte(n>>8), byte(n))
	default:
		b = append(b, 0xc6, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, data...)
}

// errWire is a malformed remote message.
var errWire = fmt.Errorf("decode %T: malformed msgpack", wireMessage{})

// decodeMsgpack reads w from b, which it keeps: w.Data is a part of b.
func (w *wireMessage) decodeMsgpack(b []byte) error {
	r := wireReader{b: b}
	if r.byte() != 0x90|wireMessageFields {
		return errWire
	}
	w.Env = r.uint()
	w.FromNode = r.uint()
	w.From = r.uint()
	w.To = r.uint()
	w.Tag = r.int()
	w.Data = r.bin()
	w.Chunk = r.uint()
	switch r.byte() {
	case 0xc2:
		w.More = false
	case 0xc3:
		w.More = true
	default:
		r.bad = true
	}
	w.Offset = r.uint()
	w.Fence = r.uint()
	if r.bad || len(r.b) != 0 {
		return errWire
	}
	return nil
}

// wireReader reads msgpack values; bad is set at the first malformed one.
type wireReader struct {
	b   []byte
	bad bool
}

func (r *wireReader) byte() byte {
	if len(r.b) < 1 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// be reads an n-byte big-endian number.
func (r *wireReader) be(n int) uint64 {
	if len(r.b) < n {
		r.bad = true
		return 0
	}
	var v uint64
	for _, c := range r.b[:n] {
		v = v<<8 | uint64(c)
	}
	r.b = r.b[n:]
	return v
}

// number reads any msgpack integer as its 64 bits.
func (r *wireReader) number() uint64 {
	c := r.byte()
	switch {
	case c <= 0x7f:
		return uint64(c)
	case c >= 0xe0:
		return uint64(int64(int8(c)))
	}
	switch c {
	case 0xcc:
		return r.be(1)
	case 0xcd:
		return r.be(2)
	case 0xce:
		return r.be(4)
	case 0xcf:
		return r.be(8)
	case 0xd0:
		return uint64(int64(int8(r.be(1))))
	case 0xd1:
		return uint64(int64(int16(r.be(2))))
	case 0xd2:
		return uint64(int64(int32(r.be(4))))
	case 0xd3:
		return r.be(8)
	}
	r.bad = true
	return 0
}

func (r *wireReader) uint() uint64 { return r.number() }
func (r *wireReader) int() int64   { return int64(r.number()) }

func (r *wireReader) bin() []byte {
	var n uint64
	switch r.byte() {
	case 0xc0:
		return nil
	case 0xc4:
		n = r.be(1)
	case 0xc5:
		n = r.be(2)
	case 0xc6:
		n = r.be(4)
	default:
		r.bad = true
		return nil
	}
	if r.bad || uint64(len(r.b)) < n {
		r.bad = true
		return nil
	}
	data := r.b[:n:n]
	r.b = r.b[n:]
	return data
}
