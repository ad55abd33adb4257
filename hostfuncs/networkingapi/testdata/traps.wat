;; Edge cases of lunatic::networking driven directly through the ABI. Each export is run
;; as its own process by networking_test.go: "ok_*" cases must end normally (they check
;; with unreachable), the others must trap with the message named in the test.
(module
  (import "lunatic::networking" "resolve" (func $resolve (param i32 i32 i64 i32) (result i32)))
  (import "lunatic::networking" "resolve_next" (func $resolve_next (param i64 i32 i32 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "drop_dns_iterator" (func $drop_dns_iterator (param i64)))
  (import "lunatic::networking" "tcp_bind" (func $tcp_bind (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "tcp_accept" (func $tcp_accept (param i64 i32 i32) (result i32)))
  (import "lunatic::networking" "tcp_read" (func $tcp_read (param i64 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "tcp_write_vectored" (func $tcp_write_vectored (param i64 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "drop_tcp_listener" (func $drop_tcp_listener (param i64)))
  (import "lunatic::networking" "get_read_timeout" (func $get_read_timeout (param i64) (result i64)))
  (import "lunatic::networking" "udp_bind" (func $udp_bind (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "udp_send" (func $udp_send (param i64 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "set_udp_socket_ttl" (func $set_udp_socket_ttl (param i64 i32)))
  (import "lunatic::networking" "tls_bind" (func $tls_bind (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "lunatic::error" "string_size" (func $string_size (param i64) (result i32)))
  (import "lunatic::message" "create_data" (func $create_data (param i64 i64)))
  (import "lunatic::message" "push_tcp_stream" (func $push_tcp_stream (param i64) (result i64)))
  (import "lunatic::message" "take_tcp_stream" (func $take_tcp_stream (param i64) (result i64)))
  (import "lunatic::message" "send" (func $send (param i64) (result i32)))
  (import "lunatic::message" "receive" (func $receive (param i32 i32 i64) (result i32)))
  (import "lunatic::process" "process_id" (func $process_id (result i64)))
  (import "lunatic::networking" "tcp_local_addr" (func $tcp_local_addr (param i64 i32) (result i32)))
  (import "lunatic::networking" "tcp_connect" (func $tcp_connect (param i32 i32 i32 i32 i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "127.0.0.1:80")      ;; 12 bytes
  (data (i32.const 120) "[::1]:8080")        ;; 10 bytes
  (data (i32.const 140) "\ff\fe")            ;; invalid UTF-8
  (data (i32.const 160) "[fe80::1%7]:9")     ;; 13 bytes
  (data (i32.const 180) "localhost")         ;; 9 bytes, no port
  (data (i32.const 200) "\7f\00\00\01")      ;; 127.0.0.1

  (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))

  ;; --- traps ---
  (func (export "unknown_stream") (drop (call $tcp_read (i64.const 99) (i32.const 0) (i32.const 0) (i32.const 0))))
  (func (export "unknown_listener") (drop (call $tcp_accept (i64.const 0) (i32.const 0) (i32.const 8))))
  (func (export "unknown_iter") (call $drop_dns_iterator (i64.const 3)))
  (func (export "unknown_udp") (drop (call $udp_send (i64.const 1) (i32.const 0) (i32.const 0) (i32.const 0))))
  (func (export "unknown_timeout_stream") (drop (call $get_read_timeout (i64.const 0))))
  (func (export "bad_addr_type")
    (drop (call $tcp_bind (i32.const 5) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
  (func (export "addr_oob")
    (drop (call $tcp_bind (i32.const 4) (i32.const 65534) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
  (func (export "id_ptr_oob")
    (drop (call $tcp_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 65532))))
  (func (export "resolve_bad_utf8")
    (drop (call $resolve (i32.const 140) (i32.const 2) (i64.const -1) (i32.const 0))))
  ;; the iovec array is checked before the (unknown) stream id
  (func (export "iovec_oob")
    (drop (call $tcp_write_vectored (i64.const 42) (i32.const 65532) (i32.const 1) (i32.const 0))))
  (func (export "iovec_buffer_oob")
    (i32.store (i32.const 0) (i32.const 65000))
    (i32.store (i32.const 4) (i32.const 1000))
    (drop (call $tcp_write_vectored (i64.const 42) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "ttl_out_of_range")
    (call $assert (i32.eqz (call $udp_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (call $set_udp_socket_ttl (i64.load (i32.const 0)) (i32.const 300)))
  (func (export "listener_not_movable")
    ;; a listener id is not a stream id: push_tcp_stream must trap
    (call $assert (i32.eqz (call $tcp_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (call $create_data (i64.const 0) (i64.const 0))
    (drop (call $push_tcp_stream (i64.load (i32.const 0)))))
  (func (export "double_drop_listener")
    (call $assert (i32.eqz (call $tcp_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (call $drop_tcp_listener (i64.load (i32.const 0)))
    (call $drop_tcp_listener (i64.load (i32.const 0))))

  ;; --- cases that must end normally ---
  ;; IPv4: type 4, octets, u16 port; flow and scope untouched; then exhausted (1).
  (func (export "ok_resolve_v4") (local $it i64)
    (call $assert (i32.eqz (call $resolve (i32.const 100) (i32.const 12) (i64.const -1) (i32.const 0))))
    (local.set $it (i64.load (i32.const 0)))
    (i64.store (i32.const 300) (i64.const -1))          ;; port sentinel (8 bytes)
    (i32.store (i32.const 320) (i32.const 0x55555555))  ;; flow sentinel
    (i32.store (i32.const 324) (i32.const 0x66666666))  ;; scope sentinel
    (call $assert (i32.eqz (call $resolve_next (local.get $it) (i32.const 280) (i32.const 284) (i32.const 300) (i32.const 320) (i32.const 324))))
    (call $assert (i32.eq (i32.load (i32.const 280)) (i32.const 4)))
    (call $assert (i32.eq (i32.load (i32.const 284)) (i32.const 0x0100007f)))
    (call $assert (i64.eq (i64.load (i32.const 300)) (i64.const 0xffffffffffff0050))) ;; only 2 bytes written
    (call $assert (i32.eq (i32.load (i32.const 320)) (i32.const 0x55555555)))
    (call $assert (i32.eq (i32.load (i32.const 324)) (i32.const 0x66666666)))
    (call $assert (i32.eq (call $resolve_next (local.get $it) (i32.const 280) (i32.const 284) (i32.const 300) (i32.const 320) (i32.const 324)) (i32.const 1)))
    (call $assert (i32.eq (call $resolve_next (local.get $it) (i32.const 280) (i32.const 284) (i32.const 300) (i32.const 320) (i32.const 324)) (i32.const 1)))
    (call $drop_dns_iterator (local.get $it)))
  ;; IPv6 with a numeric zone: type 6, 16 octets, port, flow 0, scope 7.
  (func (export "ok_resolve_v6_scope") (local $it i64)
    (call $assert (i32.eqz (call $resolve (i32.const 160) (i32.const 13) (i64.const 0) (i32.const 0))))
    (local.set $it (i64.load (i32.const 0)))
    (i32.store (i32.const 320) (i32.const 0x55555555))
    (call $assert (i32.eqz (call $resolve_next (local.get $it) (i32.const 280) (i32.const 284) (i32.const 300) (i32.const 320) (i32.const 324))))
    (call $assert (i32.eq (i32.load (i32.const 280)) (i32.const 6)))
    (call $assert (i32.eq (i32.load (i32.const 284)) (i32.const 0x000080fe)))
    (call $assert (i32.eq (i32.load8_u (i32.const 299)) (i32.const 1)))
    (call $assert (i32.eq (i32.load16_u (i32.const 300)) (i32.const 9)))
    (call $assert (i32.eq (i32.load (i32.const 320)) (i32.const 0)))
    (call $assert (i32.eq (i32.load (i32.const 324)) (i32.const 7))))
  ;; A name without a port is an error (1), not a trap; its text is readable.
  (func (export "ok_resolve_no_port")
    (call $assert (i32.eq (call $resolve (i32.const 180) (i32.const 9) (i64.const -1) (i32.const 0)) (i32.const 1)))
    (call $assert (i32.gt_u (call $string_size (i64.load (i32.const 0))) (i32.const 0))))
  ;; A malformed certificate is an error (1) with a text, not a trap.
  (func (export "ok_tls_bad_pem")
    (call $assert (i32.eq
      (call $tls_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                      (i32.const 100) (i32.const 12) (i32.const 120) (i32.const 10))
      (i32.const 1)))
    (call $assert (i32.gt_u (call $string_size (i64.load (i32.const 0))) (i32.const 0))))
;; --- moving a stream ---
  ;; $pair binds a listener on 127.0.0.1:0, connects to it and accepts: the connected
  ;; stream id is left at 8, the accepted one at 16.
  (func $pair (local $l i64) (local $it i64)
    (call $assert (i32.eqz (call $tcp_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (local.set $l (i64.load (i32.const 0)))
    (call $assert (i32.eqz (call $tcp_local_addr (local.get $l) (i32.const 0))))
    (local.set $it (i64.load (i32.const 0)))
    (call $assert (i32.eqz (call $resolve_next (local.get $it) (i32.const 280) (i32.const 284) (i32.const 300) (i32.const 320) (i32.const 324))))
    (call $assert (i32.eqz (call $tcp_connect (i32.const 4) (i32.const 284) (i32.load16_u (i32.const 300)) (i32.const 0) (i32.const 0) (i64.const 5000) (i32.const 8))))
    (call $assert (i32.eqz (call $tcp_accept (local.get $l) (i32.const 16) (i32.const 24)))))
  ;; After push_tcp_stream the sender's id is gone: using it traps.
  (func (export "moved_stream_gone")
    (call $pair)
    (call $create_data (i64.const 0) (i64.const 0))
    (drop (call $push_tcp_stream (i64.load (i32.const 8))))
    (drop (call $tcp_read (i64.load (i32.const 8)) (i32.const 400) (i32.const 4) (i32.const 0))))
  ;; A stream sent to oneself comes back under a new id and still works.
  (func (export "ok_move_to_self") (local $new i64)
    (call $pair)
    (call $create_data (i64.const 0) (i64.const 0))
    (call $assert (i64.eqz (call $push_tcp_stream (i64.load (i32.const 8)))))
    (call $assert (i32.eqz (call $send (call $process_id))))
    (call $assert (i32.eqz (call $receive (i32.const 0) (i32.const 0) (i64.const -1))))
    (local.set $new (call $take_tcp_stream (i64.const 0)))
    (call $assert (i64.ne (local.get $new) (i64.load (i32.const 8))))
    ;; write "ping" (iovec at 40: ptr 100, len 4) through the new id, read it on the other end
    (i32.store (i32.const 40) (i32.const 100))
    (i32.store (i32.const 44) (i32.const 4))
    (call $assert (i32.eqz (call $tcp_write_vectored (local.get $new) (i32.const 40) (i32.const 1) (i32.const 48))))
    (call $assert (i64.eq (i64.load (i32.const 48)) (i64.const 4)))
    (call $assert (i32.eqz (call $tcp_read (i64.load (i32.const 16)) (i32.const 400) (i32.const 4) (i32.const 48))))
    (call $assert (i64.eq (i64.load (i32.const 48)) (i64.const 4)))
    (call $assert (i32.eq (i32.load (i32.const 400)) (i32.load (i32.const 100)))))
)
