//go:build !linux

package sandboxfs

import "github.com/tetratelabs/wazero/experimental/sys"

// platformFlag passes no extra flags off Linux: O_DIRECTORY is still
// enforced by the type check in newFile.
func platformFlag(sys.Oflag) int { return 0 }
