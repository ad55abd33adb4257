// Package cargoconfig is what `lunatic init` does to a cargo project's
// .cargo/config.toml: PlanFor decides which keys must change so that cargo builds for a
// wasm target and runs the result with `lunatic run`, and Apply makes that change keeping
// the file's comments and layout where TOML allows it.
package cargoconfig

import (
	"fmt"
	"strings"
)

// LunaticRunner is the cargo runner `lunatic init` installs.
const LunaticRunner = "lunatic run"

// RunnerAction is what init must do to target.<triple>.runner.
type RunnerAction int

const (
	RunnerKeep    RunnerAction = iota // already runs lunatic run
	RunnerAdd                         // missing: add "lunatic run"
	RunnerUpgrade                     // "lunatic" (lunatic < 0.12): becomes "lunatic run"
)

// Plan is the change a cargo config needs; the zero value is "none".
type Plan struct {
	Triple    string       // the wasm target build.target must name
	SetTarget bool         // build.target must be set
	Runner    RunnerAction // what to do to target.<Triple>.runner
}

// Empty reports whether the config needs no change.
func (p Plan) Empty() bool { return !p.SetTarget && p.Runner == RunnerKeep }

// PlanFor decides, from the decoded config, what init must change so
// that build.target is triple and target.<triple>.runner runs lunatic. A
// value that is already set to something else is an error, never
// overwritten; the one exception is the runner "lunatic", which is what
// lunatic before 0.12 installed, and becomes "lunatic run" as the original
// init does.
func PlanFor(doc map[string]any, triple string) (Plan, error) {
	plan := Plan{Triple: triple}
	build, err := subTable(doc, "build")
	if err != nil {
		return plan, err
	}
	switch t, ok := build["target"]; {
	case !ok:
		plan.SetTarget = true
	case t != triple:
		return plan, fmt.Errorf("build.target is already %s, not %q; "+
			"remove it or set it to %q, then run lunatic init again", tomlValue(t), triple, triple)
	}
	targets, err := subTable(doc, "target")
	if err != nil {
		return plan, err
	}
	this, err := subTable(targets, triple)
	if err != nil {
		return plan, fmt.Errorf("target.%w", err)
	}
	r, ok := this["runner"]
	switch {
	case !ok:
		plan.Runner = RunnerAdd
	case r == "lunatic":
		plan.Runner = RunnerUpgrade
	case !runsLunatic(r):
		return plan, fmt.Errorf("target.%s.runner is already %s, not %q; "+
			"remove it or change it, then run lunatic init again", triple, tomlValue(r), LunaticRunner)
	}
	return plan, nil
}

// subTable returns doc[key] as a table (nil if absent).
func subTable(doc map[string]any, key string) (map[string]any, error) {
	v, ok := doc[key]
	if !ok {
		return nil, nil
	}
	t, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is %s, not a table", key, tomlValue(v))
	}
	return t, nil
}

// runsLunatic accepts "lunatic run", "lunatic run <flags>" and the array
// form ["lunatic", "run", …]: a runner the user extended is kept.
func runsLunatic(v any) bool {
	switch r := v.(type) {
	case string:
		return r == LunaticRunner || strings.HasPrefix(r, LunaticRunner+" ")
	case []any:
		return len(r) >= 2 && r[0] == "lunatic" && r[1] == "run"
	}
	return false
}

// tomlValue formats a decoded value for a message: strings quoted.
func tomlValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%v", v)
}
