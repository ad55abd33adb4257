// Package processapi implements the lunatic::process host module: identity, spawning,
// links, monitors, kill, sleep, process configurations and guest-side module compilation
// (docs/abi/process.md, docs/abi/config.md).
package processapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleProcess

const ns = ModuleName + "::"

type t = []api.ValueType

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// Functions lists the host functions in ABI order.
var Functions = []hostfunc.Func{
	{Name: "compile_module", Params: t{i32, i32, i32}, ParamNames: []string{"data_ptr", "data_len", "id_ptr"}, Results: t{i32}, Fn: compileModule},
	{Name: "drop_module", Params: t{i64}, ParamNames: []string{"module_id"}, Fn: dropModule},
	{Name: "create_config", Results: t{i64}, Fn: createConfig},
	{Name: "drop_config", Params: t{i64}, ParamNames: []string{"config_id"}, Fn: dropConfig},
	{Name: "config_set_max_memory", Params: t{i64, i64}, ParamNames: []string{"config_id", "max_memory"}, Fn: configSetMaxMemory},
	{Name: "config_get_max_memory", Params: t{i64}, ParamNames: []string{"config_id"}, Results: t{i64}, Fn: configGetMaxMemory},
	{Name: "config_set_max_fuel", Params: t{i64, i64}, ParamNames: []string{"config_id", "max_fuel"}, Fn: configSetMaxFuel},
	{Name: "config_get_max_fuel", Params: t{i64}, ParamNames: []string{"config_id"}, Results: t{i64}, Fn: configGetMaxFuel},
	{Name: "config_can_compile_modules", Params: t{i64}, ParamNames: []string{"config_id"}, Results: t{i32}, Fn: configCanCompileModules},
	{Name: "config_set_can_compile_modules", Params: t{i64, i32}, ParamNames: []string{"config_id", "can"}, Fn: configSetCanCompileModules},
	{Name: "config_can_create_configs", Params: t{i64}, ParamNames: []string{"config_id"}, Results: t{i32}, Fn: configCanCreateConfigs},
	{Name: "config_set_can_create_configs", Params: t{i64, i32}, ParamNames: []string{"config_id", "can"}, Fn: configSetCanCreateConfigs},
	{Name: "config_can_spawn_processes", Params: t{i64}, ParamNames: []string{"config_id"}, Results: t{i32}, Fn: configCanSpawnProcesses},
	{Name: "config_set_can_spawn_processes", Params: t{i64, i32}, ParamNames: []string{"config_id", "can"}, Fn: configSetCanSpawnProcesses},
	{Name: "spawn", Params: t{i64, i64, i64, i32, i32, i32, i32, i32}, ParamNames: []string{"link", "config_id", "module_id", "func_str_ptr", "func_str_len", "params_ptr", "params_len", "id_ptr"}, Results: t{i32}, Fn: spawn},
	{Name: "get_or_spawn", Params: t{i32, i32, i64, i64, i64, i32, i32, i32, i32, i32, i32}, ParamNames: []string{"name_str_ptr", "name_str_len", "link", "config_id", "module_id", "func_str_ptr", "func_str_len", "params_ptr", "params_len", "node_id_ptr", "id_ptr"}, Results: t{i32}, Fn: getOrSpawn},
	{Name: "sleep_ms", Params: t{i64}, ParamNames: []string{"millis"}, Fn: sleepMs},
	{Name: "die_when_link_dies", Params: t{i32}, ParamNames: []string{"trap"}, Fn: dieWhenLinkDies},
	{Name: "process_id", Results: t{i64}, Fn: processID},
	{Name: "environment_id", Results: t{i64}, Fn: environmentID},
	{Name: "link", Params: t{i64, i64}, ParamNames: []string{"tag", "process_id"}, Fn: link},
	{Name: "unlink", Params: t{i64}, ParamNames: []string{"process_id"}, Fn: unlink},
	{Name: "monitor", Params: t{i64}, ParamNames: []string{"process_id"}, Fn: monitor},
	{Name: "stop_monitoring", Params: t{i64}, ParamNames: []string{"process_id"}, Fn: stopMonitoring},
	{Name: "kill", Params: t{i64}, ParamNames: []string{"process_id"}, Fn: kill},
	{Name: "exists", Params: t{i64}, ParamNames: []string{"process_id"}, Results: t{i32}, Fn: exists},
}

// Export adds the module's functions to b.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, Functions)
}
