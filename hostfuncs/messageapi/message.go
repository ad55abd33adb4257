// Package messageapi implements the lunatic::message host module: the per-process scratch
// message, tags, resources inside messages, send and selective receive
// (docs/abi/message.md).
package messageapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/vm"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleMessage

const ns = ModuleName + "::"

type t = []api.ValueType

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// Functions lists the host functions in ABI order.
var Functions = []hostfunc.Func{
	{Name: "create_data", Params: t{i64, i64}, ParamNames: []string{"tag", "buffer_capacity"}, Fn: createData},
	{Name: "write_data", Params: t{i32, i32}, ParamNames: []string{"data_ptr", "data_len"}, Results: t{i32}, Fn: writeData},
	{Name: "read_data", Params: t{i32, i32}, ParamNames: []string{"data_ptr", "data_len"}, Results: t{i32}, Fn: readData},
	{Name: "seek_data", Params: t{i64}, ParamNames: []string{"index"}, Fn: seekData},
	{Name: "get_tag", Results: t{i64}, Fn: getTag},
	{Name: "get_process_id", Results: t{i64}, Fn: getProcessID},
	{Name: "data_size", Results: t{i64}, Fn: dataSize},
	{Name: "push_module", Params: t{i64}, ParamNames: []string{"module_id"}, Results: t{i64}, Fn: pushModule},
	{Name: "take_module", Params: t{i64}, ParamNames: []string{"index"}, Results: t{i64}, Fn: takeModule},
	{Name: "push_tcp_stream", Params: t{i64}, ParamNames: []string{"stream_id"}, Results: t{i64}, Fn: pushSocket(vm.ResourceTCPStream, "push_tcp_stream")},
	{Name: "take_tcp_stream", Params: t{i64}, ParamNames: []string{"index"}, Results: t{i64}, Fn: takeSocket(vm.ResourceTCPStream, "take_tcp_stream")},
	{Name: "push_tls_stream", Params: t{i64}, ParamNames: []string{"stream_id"}, Results: t{i64}, Fn: pushSocket(vm.ResourceTLSStream, "push_tls_stream")},
	{Name: "take_tls_stream", Params: t{i64}, ParamNames: []string{"index"}, Results: t{i64}, Fn: takeSocket(vm.ResourceTLSStream, "take_tls_stream")},
	{Name: "push_udp_socket", Params: t{i64}, ParamNames: []string{"socket_id"}, Results: t{i64}, Fn: pushSocket(vm.ResourceUDPSocket, "push_udp_socket")},
	{Name: "take_udp_socket", Params: t{i64}, ParamNames: []string{"index"}, Results: t{i64}, Fn: takeSocket(vm.ResourceUDPSocket, "take_udp_socket")},
	{Name: "send", Params: t{i64}, ParamNames: []string{"process_id"}, Results: t{i32}, Fn: send},
	{Name: "send_receive_skip_search", Params: t{i64, i64, i64}, ParamNames: []string{"process_id", "wait_on_tag", "timeout_duration"}, Results: t{i32}, Fn: sendReceiveSkipSearch},
	{Name: "receive", Params: t{i32, i32, i64}, ParamNames: []string{"tag_ptr", "tag_len", "timeout_duration"}, Results: t{i32}, Fn: receive},
}

// Export adds the module's functions to b.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, Functions)
}

// scratch returns the caller's scratch message, trapping when it is empty.
func scratch(p *vm.Process, fn string) *vm.Message {
	if p.Scratch == nil {
		vm.Throw(fn, "no message in the scratch area")
	}
	return p.Scratch
}

// dataScratch returns the caller's scratch message, trapping unless it is a Data message.
func dataScratch(p *vm.Process, fn string) *vm.Message {
	msg := scratch(p, fn)
	if msg.Kind != vm.KindData {
		vm.Throw(fn, "the scratch message is not a data message")
	}
	return msg
}
