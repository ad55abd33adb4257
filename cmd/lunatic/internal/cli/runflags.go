package cli

import (
	"log/slog"
	"strings"
)

// parsePreopen parses a --dir value: HOST, or HOST::GUEST. Without ::GUEST
// the guest sees the directory under the HOST string as given (the
// original's rule). The split is at the first "::".
func parsePreopen(v string) (Preopen, error) {
	if strings.ContainsRune(v, 0) {
		return Preopen{}, usageErrorf("--dir %q: contains a NUL byte", v)
	}
	host, guest, mapped := strings.Cut(v, "::")
	switch {
	case host == "":
		return Preopen{}, usageErrorf("--dir %q: missing host directory (want HOST or HOST::GUEST)", v)
	case mapped && guest == "":
		return Preopen{}, usageErrorf("--dir %q: missing guest directory after :: (want HOST::GUEST)", v)
	case !mapped:
		guest = host
	}
	return Preopen{Host: host, Guest: guest}, nil
}

// envFlag is one parsed --env value.
type envFlag struct {
	Key, Value string
	FromHost   bool // --env K: take the value from the host environment
}

// parseEnvFlag parses a --env value: K=V (V may be empty or contain "="),
// or K alone to copy the host's K.
func parseEnvFlag(v string) (envFlag, error) {
	if strings.ContainsRune(v, 0) {
		return envFlag{}, usageErrorf("--env %q: contains a NUL byte", v)
	}
	key, value, hasValue := strings.Cut(v, "=")
	if key == "" {
		return envFlag{}, usageErrorf("--env %q: missing variable name (want K=V or K)", v)
	}
	return envFlag{Key: key, Value: value, FromHost: !hasValue}, nil
}

// composeEnv returns the guest environment: host entries in order, then the
// --env values, each key once, a later value replacing an earlier one in its
// position. An --env K whose K is not set on the host is left out (with a
// warning), as `docker run -e K` does.
func composeEnv(host []string, flags []envFlag, lookup func(string) (string, bool), log *slog.Logger) []string {
	env := make([]string, 0, len(host)+len(flags))
	at := make(map[string]int, len(host)+len(flags))
	set := func(key, value string) {
		kv := key + "=" + value
		if i, ok := at[key]; ok {
			env[i] = kv
			return
		}
		at[key] = len(env)
		env = append(env, kv)
	}
	for _, kv := range host {
		if key, value, ok := strings.Cut(kv, "="); ok && key != "" {
			set(key, value)
		}
	}
	for _, f := range flags {
		value := f.Value
		if f.FromHost {
			v, ok := lookup(f.Key)
			if !ok {
				log.Warn("--env names a variable the host does not have; not passed", "var", f.Key)
				continue
			}
			value = v
		}
		set(f.Key, value)
	}
	return env
}
