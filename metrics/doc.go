// Package metrics holds every Prometheus collector of the runtime, in one dedicated
// registry that New builds: never the process-global one. Callers report events through
// small nil-safe methods (a nil *Metrics records nothing), so the runtime does not need to
// know whether metrics are on.
//
// Three kinds of series end up in the registry:
//   - runtime metrics, fed by events (processes spawned and finished, messages, fuel,
//     notifications, open resources) and by a Sampler read at scrape time (mailbox depth,
//     linear memory of live processes);
//   - guest metrics from the lunatic::metrics host module, with sanitised names, fixed
//     histogram buckets and a cap on the number of distinct series;
//   - the accounting of that cap (series in use, updates dropped).
//
// Fuel (lunatic_fuel_consumed_total, fuel_used in the process view) is exact only for
// processes whose config sets max_fuel: they run an instrumentation that charges every
// executed wasm operator as wasmtime does. Other processes run a cheaper one that only
// has to make them yield. On Linux it counts nothing (vm.PreemptInstrumentation: epoch
// checks), and their fuel grows by 100,000 per time slice (vm.TimeSlice) that ended while
// they computed, a coarse CPU time; elsewhere, or with LUNATIC_PREEMPT=counting, it
// charges a loop body's static cost on each back edge and a recursive function's at each
// entry. Either compares processes; neither
// is a count. The counter grows at each fuel yield (every 100,000 units, or each slice)
// and when a process ends; fuel_used is read from the process's counter when the view is
// built.
//
// Handler serves /metrics and the live process view (/processes, /processes/ID), whose
// rows come from a ProcessLister.
//
// This package imports only the standard library, client_golang and the resource kinds
// (package resource); the glue to the runtime (a vm.Observer, the lister, the sampler)
// lives in metrics/vmobserver.
package metrics
