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

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "compile_module", Params: "data_ptr i32, data_len i32, id_ptr i32", Results: "i32", Fn: compileModule},
	{Name: "drop_module", Params: "module_id i64", Fn: dropModule},
	{Name: "create_config", Results: "i64", Fn: createConfig},
	{Name: "drop_config", Params: "config_id i64", Fn: dropConfig},
	{Name: "config_set_max_memory", Params: "config_id i64, max_memory i64", Fn: configSetMaxMemory},
	{Name: "config_get_max_memory", Params: "config_id i64", Results: "i64", Fn: configGetMaxMemory},
	{Name: "config_set_max_fuel", Params: "config_id i64, max_fuel i64", Fn: configSetMaxFuel},
	{Name: "config_get_max_fuel", Params: "config_id i64", Results: "i64", Fn: configGetMaxFuel},
	{Name: "config_can_compile_modules", Params: "config_id i64", Results: "i32", Fn: configCanCompileModules},
	{Name: "config_set_can_compile_modules", Params: "config_id i64, can i32", Fn: configSetCanCompileModules},
	{Name: "config_can_create_configs", Params: "config_id i64", Results: "i32", Fn: configCanCreateConfigs},
	{Name: "config_set_can_create_configs", Params: "config_id i64, can i32", Fn: configSetCanCreateConfigs},
	{Name: "config_can_spawn_processes", Params: "config_id i64", Results: "i32", Fn: configCanSpawnProcesses},
	{Name: "config_set_can_spawn_processes", Params: "config_id i64, can i32", Fn: configSetCanSpawnProcesses},
	{Name: "spawn", Params: "link i64, config_id i64, module_id i64, func_str_ptr i32, func_str_len i32, params_ptr i32, params_len i32, id_ptr i32", Results: "i32", Fn: spawn},
	{Name: "get_or_spawn", Params: "name_str_ptr i32, name_str_len i32, link i64, config_id i64, module_id i64, func_str_ptr i32, func_str_len i32, params_ptr i32, params_len i32, node_id_ptr i32, id_ptr i32", Results: "i32", Fn: getOrSpawn},
	{Name: "sleep_ms", Params: "millis i64", Fn: sleepMs},
	{Name: "die_when_link_dies", Params: "trap i32", Fn: dieWhenLinkDies},
	{Name: "process_id", Results: "i64", Fn: processID},
	{Name: "environment_id", Results: "i64", Fn: environmentID},
	{Name: "link", Params: "tag i64, process_id i64", Fn: link},
	{Name: "unlink", Params: "process_id i64", Fn: unlink},
	{Name: "monitor", Params: "process_id i64", Fn: monitor},
	{Name: "stop_monitoring", Params: "process_id i64", Fn: stopMonitoring},
	{Name: "kill", Params: "process_id i64", Fn: kill},
	{Name: "exists", Params: "process_id i64", Results: "i32", Fn: exists},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}
