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

// Parameter groups shared by several functions.
const (
	addrParams   = "addr_type i32, addr_ptr i32, port i32, flow_info i32, scope_id i32"
	streamParams = "stream_id i64, buffer_ptr i32, buffer_len i32, opaque_ptr i32"
	writeParams  = "stream_id i64, ciovec_array_ptr i32, ciovec_array_len i32, opaque_ptr i32"
	socketParams = "socket_id i64, buffer_ptr i32, buffer_len i32, opaque_ptr i32"
)

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "resolve", Params: "name_str_ptr i32, name_str_len i32, timeout_duration i64, id_u64_ptr i32", Results: "i32", Fn: resolve},
	{Name: "resolve_next", Params: "dns_iter_id i64, addr_type_u32_ptr i32, addr_u8_ptr i32, port_u16_ptr i32, flow_info_u32_ptr i32, scope_id_u32_ptr i32", Results: "i32", Fn: resolveNext},
	{Name: "drop_dns_iterator", Params: "dns_iter_id i64", Fn: dropDNSIterator},

	{Name: "tcp_bind", Params: addrParams + ", id_u64_ptr i32", Results: "i32", Fn: tcpBind},
	{Name: "drop_tcp_listener", Params: "tcp_listener_id i64", Fn: dropTCPListener},
	{Name: "tcp_local_addr", Params: "tcp_listener_id i64, id_u64_ptr i32", Results: "i32", Fn: tcpLocalAddr},
	{Name: "tcp_accept", Params: "listener_id i64, id_u64_ptr i32, socket_addr_id_ptr i32", Results: "i32", Fn: tcpAccept},
	{Name: "tcp_connect", Params: addrParams + ", timeout_duration i64, id_u64_ptr i32", Results: "i32", Fn: tcpConnect},
	{Name: "tcp_peer_addr", Params: "tcp_stream_id i64, id_u64_ptr i32", Results: "i32", Fn: tcpPeerAddr},
	{Name: "drop_tcp_stream", Params: "tcp_stream_id i64", Fn: dropTCPStream},
	{Name: "clone_tcp_stream", Params: "tcp_stream_id i64", Results: "i64", Fn: cloneTCPStream},
	{Name: "tcp_write_vectored", Params: writeParams, Results: "i32", Fn: tcpWriteVectored},
	{Name: "tcp_read", Params: streamParams, Results: "i32", Fn: tcpRead},
	{Name: "tcp_peek", Params: streamParams, Results: "i32", Fn: tcpPeek},
	{Name: "tcp_flush", Params: "stream_id i64, error_id_ptr i32", Results: "i32", Fn: tcpFlush},
	{Name: "set_read_timeout", Params: "stream_id i64, duration i64", Fn: setTimeout(kindTCP, slotRead)},
	{Name: "get_read_timeout", Params: "stream_id i64", Results: "i64", Fn: getTimeout(kindTCP, slotRead)},
	{Name: "set_write_timeout", Params: "stream_id i64, duration i64", Fn: setTimeout(kindTCP, slotWrite)},
	{Name: "get_write_timeout", Params: "stream_id i64", Results: "i64", Fn: getTimeout(kindTCP, slotWrite)},
	{Name: "set_peek_timeout", Params: "stream_id i64, duration i64", Fn: setTimeout(kindTCP, slotPeek)},
	{Name: "get_peek_timeout", Params: "stream_id i64", Results: "i64", Fn: getTimeout(kindTCP, slotPeek)},

	{Name: "tls_bind", Params: addrParams + ", id_u64_ptr i32, certs_array_ptr i32, certs_array_len i32, keys_array_ptr i32, keys_array_len i32", Results: "i32", Fn: tlsBind},
	{Name: "drop_tls_listener", Params: "tls_listener_id i64", Fn: dropTLSListener},
	{Name: "tls_local_addr", Params: "tls_listener_id i64, id_u64_ptr i32", Results: "i32", Fn: tlsLocalAddr},
	{Name: "tls_accept", Params: "listener_id i64, id_u64_ptr i32, socket_addr_id_ptr i32", Results: "i32", Fn: tlsAccept},
	{Name: "tls_connect", Params: "addr_str_ptr i32, addr_str_len i32, port i32, timeout_duration i64, id_u64_ptr i32, certs_array_ptr i32, certs_array_len i32", Results: "i32", Fn: tlsConnect},
	{Name: "drop_tls_stream", Params: "tls_stream_id i64", Fn: dropTLSStream},
	{Name: "clone_tls_stream", Params: "tls_stream_id i64", Results: "i64", Fn: cloneTLSStream},
	{Name: "tls_write_vectored", Params: writeParams, Results: "i32", Fn: tlsWriteVectored},
	{Name: "tls_read", Params: streamParams, Results: "i32", Fn: tlsRead},
	{Name: "tls_flush", Params: "stream_id i64, error_id_ptr i32", Results: "i32", Fn: tlsFlush},
	{Name: "set_tls_read_timeout", Params: "stream_id i64, duration i64", Fn: setTimeout(kindTLS, slotRead)},
	{Name: "get_tls_read_timeout", Params: "stream_id i64", Results: "i64", Fn: getTimeout(kindTLS, slotRead)},
	{Name: "set_tls_write_timeout", Params: "stream_id i64, duration i64", Fn: setTimeout(kindTLS, slotWrite)},
	{Name: "get_tls_write_timeout", Params: "stream_id i64", Results: "i64", Fn: getTimeout(kindTLS, slotWrite)},

	{Name: "udp_bind", Params: addrParams + ", id_u64_ptr i32", Results: "i32", Fn: udpBind},
	{Name: "udp_local_addr", Params: "udp_socket_id i64, id_u64_ptr i32", Results: "i32", Fn: udpLocalAddr},
	{Name: "udp_peer_addr", Params: "udp_socket_id i64, id_u64_ptr i32", Results: "i32", Fn: udpPeerAddr},
	{Name: "drop_udp_socket", Params: "udp_socket_id i64", Fn: dropUDPSocket},
	{Name: "clone_udp_socket", Params: "udp_socket_id i64", Results: "i64", Fn: cloneUDPSocket},
	{Name: "udp_connect", Params: "udp_socket_id i64, " + addrParams + ", timeout_duration i64, id_u64_ptr i32", Results: "i32", Fn: udpConnect},
	{Name: "udp_send", Params: socketParams, Results: "i32", Fn: udpSend},
	{Name: "udp_send_to", Params: "socket_id i64, buffer_ptr i32, buffer_len i32, " + addrParams + ", opaque_ptr i32", Results: "i32", Fn: udpSendTo},
	{Name: "udp_receive", Params: socketParams, Results: "i32", Fn: udpReceive},
	{Name: "udp_receive_from", Params: "socket_id i64, buffer_ptr i32, buffer_len i32, opaque_ptr i32, dns_iter_ptr i32", Results: "i32", Fn: udpReceiveFrom},
	{Name: "set_udp_socket_broadcast", Params: "socket_id i64, broadcast i32", Fn: setUDPBroadcast},
	{Name: "get_udp_socket_broadcast", Params: "socket_id i64", Results: "i32", Fn: getUDPBroadcast},
	{Name: "set_udp_socket_ttl", Params: "socket_id i64, ttl i32", Fn: setUDPTTL},
	{Name: "get_udp_socket_ttl", Params: "socket_id i64", Results: "i32", Fn: getUDPTTL},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}
