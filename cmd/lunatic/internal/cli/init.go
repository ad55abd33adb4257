package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/lunatic-go/lunatic/cmd/lunatic/internal/cargoconfig"
)

// initOptions holds the dependencies and flags of `lunatic init`.
type initOptions struct {
	Out     io.Writer
	Dir     string // the cargo project directory (the working directory)
	Verbose bool
	Logger  *slog.Logger // diagnostics on stderr (Debug level with -v)
}

// newCmdInit builds `lunatic init`; runF (runInit when nil) does the work.
func newCmdInit(f *Factory, runF func(context.Context, *initOptions) error) *cobra.Command {
	opts := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Configure the cargo project in this directory to build for and run on lunatic",
		Long: "Create or update .cargo/config.toml so that cargo builds for WebAssembly\n" +
			"(wasm32-wasip1, or wasm32-wasi for rustc older than 1.78) and runs the\n" +
			"result with `lunatic run`. Other settings in the file are kept.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := f.Getwd()
			if err != nil {
				return asFailure(fmt.Errorf("find the working directory: %w", err))
			}
			opts.Out, opts.Dir = f.Out, dir
			opts.Logger = newLogger(f.Err, opts.Verbose)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return asFailure(runInit(cmd.Context(), opts))
		},
	}
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "print diagnostics to stderr")
	return cmd
}

// runInit makes the cargo config in o.Dir select the wasm target and the
// lunatic runner. It changes nothing when the config already does, and
// leaves the file untouched on any error.
func runInit(ctx context.Context, o *initOptions) error {
	if _, err := os.Stat(filepath.Join(o.Dir, "Cargo.toml")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no Cargo.toml in %s: run lunatic init inside a cargo project", o.Dir)
		}
		return fmt.Errorf("check for Cargo.toml: %w", err)
	}
	triple, why := rustTarget(ctx, o.Dir)
	fmt.Fprintf(o.Out, "Using target %s (%s).\n", triple, why)

	rel := cargoConfigPath(o.Dir)
	path := filepath.Join(o.Dir, rel)
	o.Logger.Debug("cargo config", "path", path)
	data, err := os.ReadFile(path)
	created := errors.Is(err, fs.ErrNotExist)
	if err != nil && !created {
		return fmt.Errorf("read %s: %w", rel, err)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("parse %s: %w", rel, err)
	}
	plan, err := cargoconfig.PlanFor(doc, triple)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if plan.Empty() {
		fmt.Fprintf(o.Out, "%s already builds for %s and runs with lunatic; nothing to do.\n", rel, triple)
		return nil
	}
	out, kept, err := cargoconfig.Apply(data, plan)
	if err != nil {
		return fmt.Errorf("update %s: %w", rel, err)
	}
	o.Logger.Debug("cargo config edit", "plan", fmt.Sprintf("%+v", plan), "layout_kept", kept)
	if err := writeFileAtomic(path, out); err != nil {
		return err
	}
	reportInit(o.Out, rel, plan, created, kept)
	return nil
}

// cargoConfigPath is the config file init edits, relative to the project:
// .cargo/config when that legacy file exists (cargo reads it in preference
// to config.toml), else .cargo/config.toml.
func cargoConfigPath(dir string) string {
	legacy := filepath.Join(".cargo", "config")
	if st, err := os.Stat(filepath.Join(dir, legacy)); err == nil && st.Mode().IsRegular() {
		return legacy
	}
	return filepath.Join(".cargo", "config.toml")
}

// reportInit prints what runInit changed.
func reportInit(w io.Writer, rel string, plan cargoconfig.Plan, created, kept bool) {
	verb := "Updated"
	if created {
		verb = "Created"
	}
	fmt.Fprintf(w, "%s %s:\n", verb, rel)
	if plan.SetTarget {
		fmt.Fprintf(w, "  set build.target = %q\n", plan.Triple)
	}
	switch plan.Runner {
	case cargoconfig.RunnerAdd:
		fmt.Fprintf(w, "  set target.%s.runner = %q\n", plan.Triple, cargoconfig.LunaticRunner)
	case cargoconfig.RunnerUpgrade:
		fmt.Fprintf(w, "  changed target.%s.runner from %q to %q\n", plan.Triple, "lunatic", cargoconfig.LunaticRunner)
	}
	if !created && !kept {
		fmt.Fprintf(w, "  note: all other settings were kept, but the file was re-encoded,\n"+
			"  so its comments and layout were not\n")
	}
}

// writeFileAtomic replaces path's contents (following a symlink to its
// target) through a temporary file and a rename, keeping the file mode.
func writeFileAtomic(path string, data []byte) error {
	mode := fs.FileMode(0o644)
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
