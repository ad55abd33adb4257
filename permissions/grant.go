package permissions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrPreopen reports a preopened directory of a config that cannot be resolved on the host
// (it does not exist, or is not a directory). The original traps the spawning process for
// it (process.md, spawn check 6), so callers keep doing that.
var ErrPreopen = errors.New("cannot resolve a preopened directory")

// NewChild returns the config lunatic::process::create_config hands to a process running
// with c: the defaults of New, except that the limits start at c's own (a limited process
// gets configs with its own limits, not 4 GiB and unlimited fuel, so that spawning with
// one is not refused) and the network access is c's.
func (c *ProcessConfig) NewChild() *ProcessConfig {
	d := New()
	d.MaxMemory = min(d.MaxMemory, c.MaxMemory)
	d.MaxFuel = c.MaxFuel
	d.Net = c.Net.clone()
	return d
}

// Grant checks that a process running with c may spawn a process with child: least
// privilege, a deviation from the original, which let a config grant anything. A child
// may have
//
//   - a capability (can_compile_modules, can_create_configs, can_spawn_processes) only if
//     c has it;
//   - max_memory no larger than c's, and a fuel limit no larger than c's (no limit only
//     if c has none);
//   - preopened directories only at or below c's own preopens (symbolic links resolved),
//     read-only below a read-only one;
//   - network access no wider than c's (Net.Within).
//
// It returns the config the child runs with: a copy of child whose preopens name the
// resolved host directories. A refusal is an error wrapping ErrDenied that says what was
// refused; a preopen that does not resolve on the host wraps ErrPreopen.
func (c *ProcessConfig) Grant(child *ProcessConfig) (*ProcessConfig, error) {
	for _, f := range []struct {
		name        string
		mine, wants bool
	}{
		{"can_compile_modules", c.CanCompileModules, child.CanCompileModules},
		{"can_create_configs", c.CanCreateConfigs, child.CanCreateConfigs},
		{"can_spawn_processes", c.CanSpawnProcesses, child.CanSpawnProcesses},
	} {
		if f.wants && !f.mine {
			return nil, fmt.Errorf("the config grants %s, which the spawning process does not have: %w", f.name, ErrDenied)
		}
	}
	if child.MaxMemory > c.MaxMemory {
		return nil, fmt.Errorf("the config's max_memory (%d bytes) is larger than the spawning process's (%d bytes): %w", child.MaxMemory, c.MaxMemory, ErrDenied)
	}
	if c.MaxFuel != 0 && (child.MaxFuel == 0 || child.MaxFuel > c.MaxFuel) {
		want := "no limit"
		if child.MaxFuel != 0 {
			want = fmt.Sprint(child.MaxFuel)
		}
		return nil, fmt.Errorf("the config's max_fuel (%s) is larger than the spawning process's (%d): %w", want, c.MaxFuel, ErrDenied)
	}
	if err := child.Net.Within(c.Net); err != nil {
		return nil, err
	}
	out := child.Clone()
	for i, d := range child.Preopens {
		p, err := c.grantPreopen(d)
		if err != nil {
			return nil, err
		}
		out.Preopens[i] = p
	}
	return out, nil
}

// grantPreopen resolves d and checks it lies at or below one of c's preopens.
func (c *ProcessConfig) grantPreopen(d Preopen) (Preopen, error) {
	host, err := resolveDir(d.Host)
	if err != nil {
		return Preopen{}, fmt.Errorf("%w: preopen %q: %w", ErrPreopen, d.Host, err)
	}
	granted := false
	readOnly := true
	for _, mine := range c.Preopens {
		base, err := resolveDir(mine.Host)
		if err != nil || !within(host, base) {
			continue
		}
		granted = true
		// Of several grants that cover the directory, a writable one wins.
		readOnly = readOnly && mine.ReadOnly
	}
	if !granted {
		return Preopen{}, fmt.Errorf("the config preopens %q (%s), which is not at or below a directory the spawning process has: %w", d.Guest, host, ErrDenied)
	}
	d.Host = host
	d.ReadOnly = d.ReadOnly || readOnly
	return d, nil
}

// resolveDir returns the absolute host path of dir with every symbolic link resolved.
func resolveDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", errors.New("not a directory")
	}
	return real, nil
}

// within reports whether path is base or lies below it (both clean and absolute).
func within(path, base string) bool {
	if path == base || base == string(filepath.Separator) {
		return true
	}
	return strings.HasPrefix(path, base+string(filepath.Separator))
}
