// Package abi holds the names and numeric codes of the lunatic host ABI that both the host
// packages and their tests use (docs/abi/).
package abi

// Result codes shared by several namespaces.
const (
	// Success is the in-band "ok" result (the out-pointer holds a resource id).
	Success = 0
	// Failure is the in-band error result (the out-pointer holds an error id).
	Failure = 1
	// AlreadyRegistered is what get_or_spawn returns for a name already in the registry.
	AlreadyRegistered = 2
	// Denied is what create_config and compile_module return without the permission.
	Denied = -1
	// Timeout is what receive and send_receive_skip_search return when the wait timed out.
	Timeout = 9027
)

// Registry lookup results: 0 = found, 1 = not found (docs/abi/registry.md).
const (
	RegistryFound    = 0
	RegistryNotFound = 1
)

// Value-type codes of the spawn argument records (docs/abi/process.md, "Spawn argument records").
const (
	ParamI32  = 0x7F
	ParamI64  = 0x7E
	ParamV128 = 0x7B
	// ParamRecordSize is the size of one spawn argument record: type byte + u128.
	ParamRecordSize = 17
)

// Version is the lunatic ABI version this runtime is compatible with (docs/abi/version.md).
const (
	VersionMajor = 0
	VersionMinor = 13
	VersionPatch = 2
)

// Guest exports the host relies on.
const (
	ExportCatchTrap = "_lunatic_catch_trap"
	ExportAlloc     = "lunatic_alloc"
)

// Host module names.
const (
	ModuleProcess     = "lunatic::process"
	ModuleMessage     = "lunatic::message"
	ModuleTimer       = "lunatic::timer"
	ModuleError       = "lunatic::error"
	ModuleRegistry    = "lunatic::registry"
	ModuleVersion     = "lunatic::version"
	ModuleTrap        = "lunatic::trap"
	ModuleWasi        = "lunatic::wasi"
	ModuleDistributed = "lunatic::distributed"
	ModuleMetrics     = "lunatic::metrics"
	ModuleNetworking  = "lunatic::networking"
	ModuleSqlite      = "lunatic::sqlite"
)
