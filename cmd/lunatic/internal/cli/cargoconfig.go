package cli

import (
	"fmt"
	"strings"
)

// lunaticRunner is the cargo runner `lunatic init` installs.
const lunaticRunner = "lunatic run"

// runnerAction is what init must do to target.<triple>.runner.
type runnerAction int

const (
	runnerKeep    runnerAction = iota // already runs lunatic run
	runnerAdd                         // missing: add "lunatic run"
	runnerUpgrade                     // "lunatic" (lunatic < 0.12): becomes "lunatic run"
)

// cargoPlan is the change a cargo config needs; the zero value is "none".
type cargoPlan struct {
	triple    string
	setTarget bool
	runner    runnerAction
}

func (p cargoPlan) empty() bool { return !p.setTarget && p.runner == runnerKeep }

// planCargoConfig decides, from the decoded config, what init must change so
// that build.target is triple and target.<triple>.runner runs lunatic. A
// value that is already set to something else is an error, never
// overwritten; the one exception is the runner "lunatic", which is what
// lunatic before 0.12 installed, and becomes "lunatic run" as the original
// init does.
func planCargoConfig(doc map[string]any, triple string) (cargoPlan, error) {
	plan := cargoPlan{triple: triple}
	build, err := subTable(doc, "build")
	if err != nil {
		return plan, err
	}
	switch t, ok := build["target"]; {
	case !ok:
		plan.setTarget = true
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
		plan.runner = runnerAdd
	case r == "lunatic":
		plan.runner = runnerUpgrade
	case !runsLunatic(r):
		return plan, fmt.Errorf("target.%s.runner is already %s, not %q; "+
			"remove it or change it, then run lunatic init again", triple, tomlValue(r), lunaticRunner)
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
		return r == lunaticRunner || strings.HasPrefix(r, lunaticRunner+" ")
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
