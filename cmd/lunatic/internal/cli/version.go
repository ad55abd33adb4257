package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is this runtime's release; release builds may set it with
// -ldflags "-X github.com/lunatic-go/lunatic/cmd/lunatic/internal/cli.Version=…".
var Version = "0.1.0"

// ABIVersion is the lunatic runtime whose guest ABI this one implements
// (lunatic-runtime 0.13.2, the version lunatic-rs 0.14 targets).
var ABIVersion = "0.13.2"

// wazeroFallback is reported when the binary carries no module build info
// (e.g. the cli package tested on its own, without wazero linked in).
const wazeroFallback = "v1.12.0"

// versionLine is what --version, -V and `lunatic version` print, without
// the trailing newline: "lunatic 0.1.0 (ABI 0.13.2, wazero v1.12.0)".
func versionLine() string {
	return fmt.Sprintf("lunatic %s (ABI %s, wazero %s)", Version, ABIVersion, wazeroVersion())
}

// wazeroVersion reads the linked wazero module version from the build info.
func wazeroVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return wazeroFallback
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/tetratelabs/wazero" {
			if dep.Replace != nil && dep.Replace.Version != "" {
				return dep.Replace.Version
			}
			return dep.Version
		}
	}
	return wazeroFallback
}

// newCmdVersion is `lunatic version`, the same line as `lunatic --version`.
func newCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the lunatic version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(f.Out, versionLine())
			return asFailure(err)
		},
	}
}
