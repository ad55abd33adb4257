//go:build !amd64

package wazevo

// numSavedRegisters is the size of executionContext.savedRegisters (arm64 saves up to
// 64 registers there).
const numSavedRegisters = 64
