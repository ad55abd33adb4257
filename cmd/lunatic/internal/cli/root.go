package cli

import (
	"github.com/spf13/cobra"
)

// newCmdRoot builds the `lunatic` command tree. Errors and usage are never
// printed by cobra: Main prints one line per error and picks the exit code.
func newCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "lunatic",
		Short: "Run lunatic WebAssembly actor programs",
		Long: "lunatic runs WebAssembly programs written for the lunatic actor runtime\n" +
			"(e.g. with lunatic-rs), each process in its own sandboxed instance.\n\n" +
			"`lunatic app.wasm [args…]` is short for `lunatic run app.wasm [args…]`.",
		Version:       versionLine(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Without a command, show the help on stderr and fail as a usage
		// error, as clap does for a missing subcommand.
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(f.Err)
			if err := cmd.Help(); err != nil {
				return err
			}
			return &exitError{code: exitUsage}
		},
	}
	root.SetVersionTemplate("{{.Version}}\n")
	// Our own --version also answers to -V, the original's (clap) spelling;
	// cobra uses a "version" flag it finds instead of adding its own.
	root.Flags().BoolP("version", "V", false, "print the lunatic version")
	// run and init define their own -v; this global one lets cobra know -v
	// takes no value, so `lunatic -v run app.wasm` finds the run command.
	root.PersistentFlags().BoolP("verbose", "v", false, "print diagnostics to stderr")
	root.SetIn(f.In)
	root.SetOut(f.Out)
	root.SetErr(f.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{msg: err.Error()}
	})

	root.AddCommand(
		newCmdRun(f, nil),
		newCmdInit(f, nil),
		newCmdVersion(f),
	)
	root.AddCommand(newCmdNode(f))
	return root
}

// noArgs is cobra.NoArgs returning a usageError.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("unexpected argument %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}
