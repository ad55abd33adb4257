// Package networkingapi implements the lunatic::networking host module: TCP listeners and
// streams, TLS listeners and streams (crypto/tls), UDP sockets and DNS resolution
// (docs/abi/networking.md).
//
// Streams and UDP sockets are shared, reference-counted objects: clone_* adds a handle,
// a message moves a handle to another process (lunatic::message push/take, implemented in
// messageapi on vm.Process.Sockets), and the socket closes when its last handle is dropped
// or its last owning process ends. Listeners and DNS iterators never leave their process;
// they live in an API-private table closed at process death.
//
// Every blocking call (accept, connect, read, write, peek, receive, resolve) wakes up at
// once when its process is killed.
package networkingapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleNetworking

const ns = ModuleName + "::"

type t = []api.ValueType

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// names builds a parameter-name list.
func names(n ...string) []string { return n }

// Parameter groups shared by several functions.
var (
	addrParams  = t{i32, i32, i32, i32, i32}
	addrNames   = []string{"addr_type", "addr_ptr", "port", "flow_info", "scope_id"}
	streamIO    = t{i64, i32, i32, i32}
	streamNames = names("stream_id", "buffer_ptr", "buffer_len", "opaque_ptr")
	writeNames  = names("stream_id", "ciovec_array_ptr", "ciovec_array_len", "opaque_ptr")
)

func cat(a, b []api.ValueType) []api.ValueType { return append(append(t{}, a...), b...) }

func catNames(a []string, b ...string) []string { return append(append([]string{}, a...), b...) }

// Functions lists the host functions in ABI order.
var Functions = []hostfunc.Func{
	{Name: "resolve", Params: t{i32, i32, i64, i32}, ParamNames: names("name_str_ptr", "name_str_len", "timeout_duration", "id_u64_ptr"), Results: t{i32}, Fn: resolve},
	{Name: "resolve_next", Params: t{i64, i32, i32, i32, i32, i32}, ParamNames: names("dns_iter_id", "addr_type_u32_ptr", "addr_u8_ptr", "port_u16_ptr", "flow_info_u32_ptr", "scope_id_u32_ptr"), Results: t{i32}, Fn: resolveNext},
	{Name: "drop_dns_iterator", Params: t{i64}, ParamNames: names("dns_iter_id"), Fn: dropDNSIterator},

	{Name: "tcp_bind", Params: cat(addrParams, t{i32}), ParamNames: catNames(addrNames, "id_u64_ptr"), Results: t{i32}, Fn: tcpBind},
	{Name: "drop_tcp_listener", Params: t{i64}, ParamNames: names("tcp_listener_id"), Fn: dropTCPListener},
	{Name: "tcp_local_addr", Params: t{i64, i32}, ParamNames: names("tcp_listener_id", "id_u64_ptr"), Results: t{i32}, Fn: tcpLocalAddr},
	{Name: "tcp_accept", Params: t{i64, i32, i32}, ParamNames: names("listener_id", "id_u64_ptr", "socket_addr_id_ptr"), Results: t{i32}, Fn: tcpAccept},
	{Name: "tcp_connect", Params: cat(addrParams, t{i64, i32}), ParamNames: catNames(addrNames, "timeout_duration", "id_u64_ptr"), Results: t{i32}, Fn: tcpConnect},
	{Name: "tcp_peer_addr", Params: t{i64, i32}, ParamNames: names("tcp_stream_id", "id_u64_ptr"), Results: t{i32}, Fn: tcpPeerAddr},
	{Name: "drop_tcp_stream", Params: t{i64}, ParamNames: names("tcp_stream_id"), Fn: dropTCPStream},
	{Name: "clone_tcp_stream", Params: t{i64}, ParamNames: names("tcp_stream_id"), Results: t{i64}, Fn: cloneTCPStream},
	{Name: "tcp_write_vectored", Params: streamIO, ParamNames: writeNames, Results: t{i32}, Fn: tcpWriteVectored},
	{Name: "tcp_read", Params: streamIO, ParamNames: streamNames, Results: t{i32}, Fn: tcpRead},
	{Name: "tcp_peek", Params: streamIO, ParamNames: streamNames, Results: t{i32}, Fn: tcpPeek},
	{Name: "tcp_flush", Params: t{i64, i32}, ParamNames: names("stream_id", "error_id_ptr"), Results: t{i32}, Fn: tcpFlush},
	{Name: "set_read_timeout", Params: t{i64, i64}, ParamNames: names("stream_id", "duration"), Fn: setTimeout(kindTCP, slotRead)},
	{Name: "get_read_timeout", Params: t{i64}, ParamNames: names("stream_id"), Results: t{i64}, Fn: getTimeout(kindTCP, slotRead)},
	{Name: "set_write_timeout", Params: t{i64, i64}, ParamNames: names("stream_id", "duration"), Fn: setTimeout(kindTCP, slotWrite)},
	{Name: "get_write_timeout", Params: t{i64}, ParamNames: names("stream_id"), Results: t{i64}, Fn: getTimeout(kindTCP, slotWrite)},
	{Name: "set_peek_timeout", Params: t{i64, i64}, ParamNames: names("stream_id", "duration"), Fn: setTimeout(kindTCP, slotPeek)},
	{Name: "get_peek_timeout", Params: t{i64}, ParamNames: names("stream_id"), Results: t{i64}, Fn: getTimeout(kindTCP, slotPeek)},

	{Name: "tls_bind", Params: cat(addrParams, t{i32, i32, i32, i32, i32}), ParamNames: catNames(addrNames, "id_u64_ptr", "certs_array_ptr", "certs_array_len", "keys_array_ptr", "keys_array_len"), Results: t{i32}, Fn: tlsBind},
	{Name: "drop_tls_listener", Params: t{i64}, ParamNames: names("tls_listener_id"), Fn: dropTLSListener},
	{Name: "tls_local_addr", Params: t{i64, i32}, ParamNames: names("tls_listener_id", "id_u64_ptr"), Results: t{i32}, Fn: tlsLocalAddr},
	{Name: "tls_accept", Params: t{i64, i32, i32}, ParamNames: names("listener_id", "id_u64_ptr", "socket_addr_id_ptr"), Results: t{i32}, Fn: tlsAccept},
	{Name: "tls_connect", Params: t{i32, i32, i32, i64, i32, i32, i32}, ParamNames: names("addr_str_ptr", "addr_str_len", "port", "timeout_duration", "id_u64_ptr", "certs_array_ptr", "certs_array_len"), Results: t{i32}, Fn: tlsConnect},
	{Name: "drop_tls_stream", Params: t{i64}, ParamNames: names("tls_stream_id"), Fn: dropTLSStream},
	{Name: "clone_tls_stream", Params: t{i64}, ParamNames: names("tls_stream_id"), Results: t{i64}, Fn: cloneTLSStream},
	{Name: "tls_write_vectored", Params: streamIO, ParamNames: writeNames, Results: t{i32}, Fn: tlsWriteVectored},
	{Name: "tls_read", Params: streamIO, ParamNames: streamNames, Results: t{i32}, Fn: tlsRead},
	{Name: "tls_flush", Params: t{i64, i32}, ParamNames: names("stream_id", "error_id_ptr"), Results: t{i32}, Fn: tlsFlush},
	{Name: "set_tls_read_timeout", Params: t{i64, i64}, ParamNames: names("stream_id", "duration"), Fn: setTimeout(kindTLS, slotRead)},
	{Name: "get_tls_read_timeout", Params: t{i64}, ParamNames: names("stream_id"), Results: t{i64}, Fn: getTimeout(kindTLS, slotRead)},
	{Name: "set_tls_write_timeout", Params: t{i64, i64}, ParamNames: names("stream_id", "duration"), Fn: setTimeout(kindTLS, slotWrite)},
	{Name: "get_tls_write_timeout", Params: t{i64}, ParamNames: names("stream_id"), Results: t{i64}, Fn: getTimeout(kindTLS, slotWrite)},

	{Name: "udp_bind", Params: cat(addrParams, t{i32}), ParamNames: catNames(addrNames, "id_u64_ptr"), Results: t{i32}, Fn: udpBind},
	{Name: "udp_local_addr", Params: t{i64, i32}, ParamNames: names("udp_socket_id", "id_u64_ptr"), Results: t{i32}, Fn: udpLocalAddr},
	{Name: "udp_peer_addr", Params: t{i64, i32}, ParamNames: names("udp_socket_id", "id_u64_ptr"), Results: t{i32}, Fn: udpPeerAddr},
	{Name: "drop_udp_socket", Params: t{i64}, ParamNames: names("udp_socket_id"), Fn: dropUDPSocket},
	{Name: "clone_udp_socket", Params: t{i64}, ParamNames: names("udp_socket_id"), Results: t{i64}, Fn: cloneUDPSocket},
	{Name: "udp_connect", Params: cat(t{i64}, cat(addrParams, t{i64, i32})), ParamNames: catNames(catNames([]string{"udp_socket_id"}, addrNames...), "timeout_duration", "id_u64_ptr"), Results: t{i32}, Fn: udpConnect},
	{Name: "udp_send", Params: streamIO, ParamNames: names("socket_id", "buffer_ptr", "buffer_len", "opaque_ptr"), Results: t{i32}, Fn: udpSend},
	{Name: "udp_send_to", Params: cat(t{i64, i32, i32}, cat(addrParams, t{i32})), ParamNames: catNames(catNames([]string{"socket_id", "buffer_ptr", "buffer_len"}, addrNames...), "opaque_ptr"), Results: t{i32}, Fn: udpSendTo},
	{Name: "udp_receive", Params: streamIO, ParamNames: names("socket_id", "buffer_ptr", "buffer_len", "opaque_ptr"), Results: t{i32}, Fn: udpReceive},
	{Name: "udp_receive_from", Params: t{i64, i32, i32, i32, i32}, ParamNames: names("socket_id", "buffer_ptr", "buffer_len", "opaque_ptr", "dns_iter_ptr"), Results: t{i32}, Fn: udpReceiveFrom},
	{Name: "set_udp_socket_broadcast", Params: t{i64, i32}, ParamNames: names("socket_id", "broadcast"), Fn: setUDPBroadcast},
	{Name: "get_udp_socket_broadcast", Params: t{i64}, ParamNames: names("socket_id"), Results: t{i32}, Fn: getUDPBroadcast},
	{Name: "set_udp_socket_ttl", Params: t{i64, i32}, ParamNames: names("socket_id", "ttl"), Fn: setUDPTTL},
	{Name: "get_udp_socket_ttl", Params: t{i64}, ParamNames: names("socket_id"), Results: t{i32}, Fn: getUDPTTL},
}

// Export adds the module's functions to b.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, Functions)
}
