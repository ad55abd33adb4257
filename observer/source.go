package observer

import (
	"slices"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// source is the runtime as the observer sees it.
type source interface {
	// appendSnapshots appends every live process.
	appendSnapshots(dst []vm.ProcessSnapshot) []vm.ProcessSnapshot
	// lookup finds a live process; nil when there is none.
	lookup(env, id uint64) *vm.Process
	// names are the names registered for the process, and whether the registry could be
	// read (a cluster node keeps it in the cluster, out of reach).
	names(env, id uint64) ([]string, bool)
	// allNames maps every process that has registered names to them (nil on a cluster
	// node).
	allNames() map[procKey][]string
}

// envSource reads the live environments.
type envSource struct{ envs func() []*vm.Environment }

func (s envSource) appendSnapshots(dst []vm.ProcessSnapshot) []vm.ProcessSnapshot {
	for _, e := range s.envs() {
		dst = e.AppendSnapshots(dst)
	}
	return dst
}

func (s envSource) env(id uint64) *vm.Environment {
	for _, e := range s.envs() {
		if e.ID() == id {
			return e
		}
	}
	return nil
}

func (s envSource) lookup(env, id uint64) *vm.Process {
	if e := s.env(env); e != nil {
		return e.Lookup(id)
	}
	return nil
}

func (s envSource) names(env, id uint64) ([]string, bool) {
	e := s.env(env)
	if e == nil {
		return nil, true
	}
	if e.Runtime() != nil && e.Runtime().Node() != nil {
		return nil, false
	}
	return e.Registry().NamesOf(0, id), true
}

func (s envSource) allNames() map[procKey][]string {
	var out map[procKey][]string
	for _, e := range s.envs() {
		if e.Runtime() != nil && e.Runtime().Node() != nil {
			continue
		}
		for name, r := range e.Registry().Names() {
			if r.Node != 0 {
				continue
			}
			if out == nil {
				out = make(map[procKey][]string)
			}
			k := procKey{e.ID(), r.Process}
			out[k] = append(out[k], name)
		}
	}
	for _, names := range out {
		slices.Sort(names)
	}
	return out
}

// configView is what the detail shows of a process config. Environment variables are
// listed by name only: their values are often secrets.
type configView struct {
	MaxMemory         uint64        `json:"max_memory"`
	MaxFuel           uint64        `json:"max_fuel"` // units of 100,000 instructions; 0 = unlimited
	CanCompileModules bool          `json:"can_compile_modules"`
	CanCreateConfigs  bool          `json:"can_create_configs"`
	CanSpawnProcesses bool          `json:"can_spawn_processes"`
	Args              []string      `json:"args"`
	EnvNames          []string      `json:"env_names"`
	Preopens          []preopenView `json:"preopens"`
}

type preopenView struct {
	Host  string `json:"host"`
	Guest string `json:"guest"`
}

func viewConfig(c *permissions.ProcessConfig) *configView {
	if c == nil {
		return nil
	}
	v := &configView{
		MaxMemory: c.MaxMemory, MaxFuel: c.MaxFuel,
		CanCompileModules: c.CanCompileModules, CanCreateConfigs: c.CanCreateConfigs,
		CanSpawnProcesses: c.CanSpawnProcesses,
		Args:              append([]string{}, c.Args...), EnvNames: []string{}, Preopens: []preopenView{},
	}
	for _, kv := range c.Env {
		v.EnvNames = append(v.EnvNames, kv.Key)
	}
	for _, p := range c.Preopens {
		v.Preopens = append(v.Preopens, preopenView{Host: p.Host, Guest: p.Guest})
	}
	return v
}
