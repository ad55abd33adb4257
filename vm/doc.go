// Package vm is the lunatic runtime core: it compiles modules, spawns processes (one
// goroutine plus one anonymous wazero instance each), delivers messages and signals,
// and runs the death path that notifies links and monitors.
//
// vm knows wazero but not the lunatic host APIs: the hostfuncs packages find their caller
// with ProcessFrom and act on the *Process they get. State shared by several host APIs
// (resource tables that travel inside messages, the scratch message) lives on Process.
//
// docs/architecture.md follows a spawn, a send and a kill through vm and the packages
// around it; docs/abi/ describes what guests see.
package vm
