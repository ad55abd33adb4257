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
