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
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleMessage

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "create_data", Params: "tag i64, buffer_capacity i64", Fn: createData},
	{Name: "write_data", Params: "data_ptr i32, data_len i32", Results: "i32", Fn: writeData},
	{Name: "read_data", Params: "data_ptr i32, data_len i32", Results: "i32", Fn: readData},
	{Name: "seek_data", Params: "index i64", Fn: seekData},
	{Name: "get_tag", Results: "i64", Fn: getTag},
	{Name: "get_process_id", Results: "i64", Fn: getProcessID},
	{Name: "data_size", Results: "i64", Fn: dataSize},
	{Name: "push_module", Params: "module_id i64", Results: "i64", Fn: pushModule},
	{Name: "take_module", Params: "index i64", Results: "i64", Fn: takeModule},
	{Name: "push_tcp_stream", Params: "stream_id i64", Results: "i64", Fn: pushSocket(resource.TCPStream)},
	{Name: "take_tcp_stream", Params: "index i64", Results: "i64", Fn: takeSocket(resource.TCPStream)},
	{Name: "push_tls_stream", Params: "stream_id i64", Results: "i64", Fn: pushSocket(resource.TLSStream)},
	{Name: "take_tls_stream", Params: "index i64", Results: "i64", Fn: takeSocket(resource.TLSStream)},
	{Name: "push_udp_socket", Params: "socket_id i64", Results: "i64", Fn: pushSocket(resource.UDPSocket)},
	{Name: "take_udp_socket", Params: "index i64", Results: "i64", Fn: takeSocket(resource.UDPSocket)},
	{Name: "send", Params: "process_id i64", Results: "i32", Fn: send},
	{Name: "send_receive_skip_search", Params: "process_id i64, wait_on_tag i64, timeout_duration i64", Results: "i32", Fn: sendReceiveSkipSearch},
	{Name: "receive", Params: "tag_ptr i32, tag_len i32, timeout_duration i64", Results: "i32", Fn: receive},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}

// scratch returns the caller's scratch message, trapping when it is empty.
func scratch(p *vm.Process, fn string) *vm.Message {
	m := p.Scratch()
	if m == nil {
		vm.Throw(fn, "no message in the scratch area")
	}
	return m
}

// takeScratch takes the caller's scratch message, trapping when there is none.
func takeScratch(p *vm.Process, fn string) *vm.Message {
	m := p.TakeScratch()
	if m == nil {
		vm.Throw(fn, "no message in the scratch area")
	}
	return m
}

// dataScratch returns the caller's scratch message, trapping unless it is a Data message.
func dataScratch(p *vm.Process, fn string) *vm.Message {
	msg := scratch(p, fn)
	if msg.Kind != vm.KindData {
		vm.Throw(fn, "the scratch message is not a data message")
	}
	return msg
}
