// Command lunatic runs lunatic WebAssembly actor programs on wazero.
//
// See package cmd/lunatic/internal/cli for the command line.
package main

import (
	"os"

	"github.com/lunatic-go/lunatic/cmd/lunatic/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
