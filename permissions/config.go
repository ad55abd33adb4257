// Package permissions holds a lunatic process configuration: its memory and fuel limits,
// its capability flags and the WASI view (arguments, environment, preopened directories)
// a process spawned with it gets.
//
// A ProcessConfig is a plain value. The config table of a process owns mutable copies;
// spawning hands the child its own Clone, so later changes never reach running children
// (docs/abi/config.md, "What a config is").
package permissions

import (
	"errors"
	"fmt"
)

// DefaultMaxMemory is the memory limit of a fresh config and of the root process:
// u32::MAX bytes, one byte short of 4 GiB, as in the original runtime.
const DefaultMaxMemory = 4294967295

// ErrDenied reports that a process config does not grant a capability.
var ErrDenied = errors.New("permission denied")

// Preopen is one preopened directory: the host path and the name the guest sees.
type Preopen struct {
	Host  string
	Guest string
	// ReadOnly mounts the directory so that nothing in it can be created, changed or
	// removed. A preopen granted below a read-only one is read-only too (Grant).
	ReadOnly bool
}

// EnvVar is one environment variable, kept as a pair so that duplicates and their order
// survive exactly as the guest added them.
type EnvVar struct {
	Key, Value string
}

// ProcessConfig is the configuration a process runs with.
type ProcessConfig struct {
	// MaxMemory is the largest linear memory, in bytes.
	MaxMemory uint64
	// MaxFuel is the compute budget in units of 100,000 instructions; 0 means unlimited.
	MaxFuel uint64

	CanCompileModules bool
	CanCreateConfigs  bool
	CanSpawnProcesses bool

	Args     []string
	Env      []EnvVar
	Preopens []Preopen

	// Net is the network access of a process with this config. Its zero value allows
	// everything (the original's behaviour); a child never gets more than its creator.
	Net NetPolicy
}

// New returns the config that lunatic::process::create_config hands out: default memory
// limit, no fuel limit, no capabilities, no args, env or preopens.
func New() *ProcessConfig {
	return &ProcessConfig{MaxMemory: DefaultMaxMemory}
}

// Root returns the config of the first process of `lunatic run`: every capability and the
// given WASI view.
func Root(args []string, env []EnvVar, preopens []Preopen) *ProcessConfig {
	return &ProcessConfig{
		MaxMemory:         DefaultMaxMemory,
		CanCompileModules: true,
		CanCreateConfigs:  true,
		CanSpawnProcesses: true,
		Args:              append([]string(nil), args...),
		Env:               append([]EnvVar(nil), env...),
		Preopens:          append([]Preopen(nil), preopens...),
	}
}

// Clone returns a deep copy, so the copy and the original can change independently.
func (c *ProcessConfig) Clone() *ProcessConfig {
	d := *c
	d.Args = append([]string(nil), c.Args...)
	d.Env = append([]EnvVar(nil), c.Env...)
	d.Preopens = append([]Preopen(nil), c.Preopens...)
	d.Net = c.Net.clone()
	return &d
}

// AllowSpawn reports whether a process with this config may spawn processes.
func (c *ProcessConfig) AllowSpawn() error {
	if !c.CanSpawnProcesses {
		return fmt.Errorf("spawn processes: %w", ErrDenied)
	}
	return nil
}

// AllowCompile reports whether a process with this config may compile modules.
func (c *ProcessConfig) AllowCompile() error {
	if !c.CanCompileModules {
		return fmt.Errorf("compile modules: %w", ErrDenied)
	}
	return nil
}

// AllowCreateConfigs reports whether a process with this config may create configs.
func (c *ProcessConfig) AllowCreateConfigs() error {
	if !c.CanCreateConfigs {
		return fmt.Errorf("create configs: %w", ErrDenied)
	}
	return nil
}

// FuelLimit returns the budget in raw fuel units (instructions), or 0 when unlimited.
func (c *ProcessConfig) FuelLimit() uint64 {
	const unit = 100_000
	if c.MaxFuel == 0 {
		return 0
	}
	if c.MaxFuel > ^uint64(0)/unit {
		return ^uint64(0)
	}
	return c.MaxFuel * unit
}
