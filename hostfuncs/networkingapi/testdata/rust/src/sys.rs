//! Raw `lunatic::networking` imports, declared exactly as lunatic-rs 0.14.1 declares them
//! (`src/host/api.rs`, module `networking`).
#![allow(missing_docs)]

#[link(wasm_import_module = "lunatic::networking")]
extern "C" {
    pub fn resolve(name_str: *const u8, name_str_len: usize, timeout: u64, id: *mut u64) -> u32;
    pub fn drop_dns_iterator(dns_iter_id: u64);
    pub fn resolve_next(
        dns_iter_id: u64,
        addr_type: *mut u32,
        addr: *mut u8,
        port: *mut u16,
        flow_info: *mut u32,
        scope_id: *mut u32,
    ) -> u32;
    pub fn tcp_bind(
        addr_type: u32,
        addr: *const u8,
        port: u32,
        flow_info: u32,
        scope_id: u32,
        id: *mut u64,
    ) -> u32;
    pub fn udp_bind(
        addr_type: u32,
        addr: *const u8,
        port: u32,
        flow_info: u32,
        scope_id: u32,
        id: *mut u64,
    ) -> u32;
    pub fn drop_tcp_listener(tcp_listener_id: u64);
    pub fn drop_tls_listener(tcp_listener_id: u64);
    pub fn drop_udp_socket(udp_socket_id: u64);
    pub fn tcp_local_addr(tcp_listener_id: u64, addr_dns_iter: *mut u64) -> u32;
    pub fn tls_local_addr(tcp_listener_id: u64, addr_dns_iter: *mut u64) -> u32;
    pub fn udp_local_addr(udp_socket_id: u64, addr_dns_iter: *mut u64) -> u32;
    pub fn tcp_peer_addr(tcp_stream_id: u64, addr_dns_iter: *mut u64) -> u32;
    pub fn udp_peer_addr(udp_stream_id: u64, addr_dns_iter: *mut u64) -> u32;
    pub fn tcp_accept(listener_id: u64, id: *mut u64, peer_dns_iter: *mut u64) -> u32;
    pub fn tcp_connect(
        addr_type: u32,
        addr: *const u8,
        port: u32,
        flow_info: u32,
        scope_id: u32,
        timeout: u64,
        id: *mut u64,
    ) -> u32;
    pub fn udp_connect(
        udp_socket_id: u64,
        addr_type: u32,
        addr: *const u8,
        port: u32,
        flow_info: u32,
        scope_id: u32,
        timeout: u64,
        id: *mut u64,
    ) -> u32;
    pub fn drop_tcp_stream(tcp_stream_id: u64);
    pub fn clone_tcp_stream(tcp_stream_id: u64) -> u64;
    pub fn tcp_write_vectored(
        tcp_stream_id: u64,
        ciovec_array: *const u32,
        ciovec_array_len: usize,
        opaque: *mut u64,
    ) -> u32;
    pub fn tcp_read(tcp_stream_id: u64, buffer: *mut u8, buffer_len: usize, opaque: *mut u64)
        -> u32;
    pub fn tcp_peek(tcp_stream_id: u64, buffer: *mut u8, buffer_len: usize, opaque: *mut u64)
        -> u32;
    pub fn udp_send(
        udp_socket_id: u64,
        buffer: *const u8,
        buffer_len: usize,
        opaque: *mut u64,
    ) -> u32;
    pub fn udp_send_to(
        udp_socket_id: u64,
        buffer: *const u8,
        buffer_len: usize,
        addr_type: u32,
        addr: *const u8,
        port: u32,
        flow_info: u32,
        scope_id: u32,
        opaque: *mut u64,
    ) -> u32;
    pub fn udp_receive(
        udp_socket_id: u64,
        buffer: *mut u8,
        buffer_len: usize,
        opaque: *mut u64,
    ) -> u32;
    pub fn udp_receive_from(
        udp_socket_id: u64,
        buffer: *mut u8,
        buffer_len: usize,
        opaque: *mut u64,
        dns_iter_ptr: *mut u64,
    ) -> u32;
    pub fn set_udp_socket_ttl(udp_socket_id: u64, ttl: u32);
    pub fn set_udp_socket_broadcast(udp_socket_id: u64, broadcast: u32);
    pub fn get_udp_socket_ttl(udp_socket_id: u64) -> u32;
    pub fn get_udp_socket_broadcast(udp_socket_id: u64) -> i32;
    pub fn clone_udp_socket(udp_socket_id: u64) -> u64;
    pub fn tcp_flush(tcp_stream_id: u64, error_id: *mut u64) -> u32;
    pub fn tls_flush(tcp_stream_id: u64, error_id: *mut u64) -> u32;
    pub fn set_read_timeout(tcp_stream_id: u64, duration: u64);
    pub fn get_read_timeout(tcp_stream_id: u64) -> u64;
    pub fn set_write_timeout(tcp_stream_id: u64, duration: u64);
    pub fn get_write_timeout(tcp_stream_id: u64) -> u64;
    pub fn set_peek_timeout(tcp_stream_id: u64, duration: u64);
    pub fn get_peek_timeout(tcp_stream_id: u64) -> u64;

    pub fn tls_bind(
        addr_type: u32,
        addr: *const u8,
        port: u32,
        flow_info: u32,
        scope_id: u32,
        id: *mut u64,
        certs_array_ptr: *const u32,
        certs_array_len: usize,
        keys_array_ptr: *const u32,
        keys_array_len: usize,
    ) -> u32;
    pub fn tls_accept(listener_id: u64, id: *mut u64, peer_dns_iter: *mut u64) -> u32;
    pub fn tls_connect(
        addr_str: *const u8,
        addr_str_len: u32,
        port: u32,
        timeout: u64,
        id: *mut u64,
        certs_ptr: *const u8,
        certs_len: u32,
    ) -> u32;
    pub fn drop_tls_stream(tcp_stream_id: u64);
    pub fn clone_tls_stream(tcp_stream_id: u64) -> u64;
    pub fn tls_write_vectored(
        tcp_stream_id: u64,
        ciovec_array: *const u32,
        ciovec_array_len: usize,
        opaque: *mut u64,
    ) -> u32;
    pub fn tls_read(tcp_stream_id: u64, buffer: *mut u8, buffer_len: usize, opaque: *mut u64)
        -> u32;
    pub fn set_tls_read_timeout(tls_stream_id: u64, duration: u64);
    pub fn get_tls_read_timeout(tls_stream_id: u64) -> u64;
    pub fn set_tls_write_timeout(tls_stream_id: u64, duration: u64);
    pub fn get_tls_write_timeout(tls_stream_id: u64) -> u64;
}
