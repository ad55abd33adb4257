// Package trapreport renders why a process failed for a person: the trap reason and the
// wasm backtrace, one frame per line, with module prefixes dropped and Rust symbol names
// demangled. `lunatic run` prints it when the root process fails, the test harness when a
// test process traps.
package trapreport

import (
	"fmt"
	"strconv"
	"strings"
)

// Format renders the death cause of a failed process for a person: the reason on the
// first line, then the wasm backtrace with one frame per line, module prefixes dropped and
// Rust symbol names demangled.
func Format(death error) string {
	msg := death.Error()
	reason, trace, _ := strings.Cut(msg, "\nwasm stack trace:\n")
	reason = strings.TrimPrefix(reason, "wasm error: ")
	reason = strings.ReplaceAll(reason, " (recovered by wazero)", "")
	if trace == "" {
		return reason
	}
	var b strings.Builder
	b.WriteString(reason)
	b.WriteString("\nwasm backtrace:")
	n := 0
	for _, line := range strings.Split(trace, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "0x") { // source-position lines from DWARF
			fmt.Fprintf(&b, "\n          at %s", line)
			continue
		}
		fmt.Fprintf(&b, "\n  %3d: %s", n, frameName(line))
		n++
	}
	return b.String()
}

// frameName turns wazero's "module.function(params) results" into a readable name.
func frameName(frame string) string {
	name := frame
	if i := strings.IndexByte(name, '('); i >= 0 {
		name = name[:i]
	}
	// wazero prefixes the module name and a dot; guest modules are anonymous ("").
	if strings.HasPrefix(name, ".") {
		name = name[1:]
	} else if i := strings.Index(name, "."); i >= 0 && strings.HasPrefix(name, "lunatic::") || strings.HasPrefix(name, "wasi_snapshot_preview1.") {
		name = strings.Replace(name, ".", "::", 1)
	}
	return demangle(name)
}

// demangle decodes a legacy Rust symbol (_ZN…E, as rustc emits by default) into its path,
// dropping the trailing hash; other names are returned unchanged.
func demangle(sym string) string {
	s, ok := strings.CutPrefix(sym, "_ZN")
	if !ok {
		s, ok = strings.CutPrefix(sym, "__ZN")
	}
	if !ok || !strings.HasSuffix(s, "E") {
		return sym
	}
	s = s[:len(s)-1]
	var parts []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(s[:i])
		if i == 0 || err != nil || i+n > len(s) {
			return sym
		}
		parts = append(parts, unescapeRust(s[i:i+n]))
		s = s[i+n:]
	}
	if k := len(parts) - 1; k > 0 && isRustHash(parts[k]) {
		parts = parts[:k]
	}
	return strings.Join(parts, "::")
}

func isRustHash(s string) bool {
	if len(s) != 17 || s[0] != 'h' {
		return false
	}
	for _, c := range s[1:] {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// unescapeRust decodes the $…$ escapes of legacy Rust mangling.
func unescapeRust(s string) string {
	if strings.HasPrefix(s, "_$") {
		s = s[1:]
	}
	r := strings.NewReplacer(
		"$SP$", "@", "$BP$", "*", "$RF$", "&", "$LT$", "<", "$GT$", ">",
		"$LP$", "(", "$RP$", ")", "$C$", ",", "$u7e$", "~", "$u20$", " ",
		"$u27$", "'", "$u5b$", "[", "$u5d$", "]", "$u7b$", "{", "$u7d$", "}",
		"$u3b$", ";", "$u2b$", "+", "$u22$", "\"", "..", "::",
	)
	return r.Replace(s)
}
