package networkingapi_test

import (
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
)

// TestABIEdgeCases runs each export of testdata/traps.wat as its own process: bad
// pointers, unknown ids and bad address types trap the caller only; ok_* cases check
// encodings and error returns from inside the guest.
func TestABIEdgeCases(t *testing.T) {
	rt := runtime(t)
	mod := module(t, trapsWasm)
	cases := []struct {
		entry, trap string // trap "" = must end normally
	}{
		{"unknown_stream", "lunatic::networking::tcp_read: tcp stream 99 not found"},
		{"unknown_listener", "lunatic::networking::tcp_accept: tcp listener 0 not found"},
		{"unknown_iter", "lunatic::networking::drop_dns_iterator: dns iterator 3 not found"},
		{"unknown_udp", "lunatic::networking::udp_send: udp socket 1 not found"},
		{"unknown_timeout_stream", "lunatic::networking::get_read_timeout: tcp stream 0 not found"},
		{"bad_addr_type", "lunatic::networking::tcp_bind: address type 5 is neither 4 (IPv4) nor 6 (IPv6)"},
		{"addr_oob", "lunatic::networking::tcp_bind: pointer out of bounds"},
		{"id_ptr_oob", "lunatic::networking::tcp_bind: pointer out of bounds"},
		{"resolve_bad_utf8", "lunatic::networking::resolve: string is not valid UTF-8"},
		{"iovec_oob", "lunatic::networking::tcp_write_vectored: pointer out of bounds"},
		{"iovec_buffer_oob", "lunatic::networking::tcp_write_vectored: pointer out of bounds (1000 bytes at 0xfde8)"},
		{"ttl_out_of_range", "lunatic::networking::set_udp_socket_ttl: ttl 300 is out of range"},
		{"listener_not_movable", "lunatic::message::push_tcp_stream: tcp_stream 0 not found"},
		{"double_drop_listener", "lunatic::networking::drop_tcp_listener: tcp listener 0 not found"},
		{"moved_stream_gone", "lunatic::networking::tcp_read: tcp stream 0 not found"},
		{"ok_move_to_self", ""},
		{"ok_resolve_v4", ""},
		{"ok_resolve_v6_scope", ""},
		{"ok_resolve_no_port", ""},
		{"ok_tls_bad_pem", ""},
	}
	before := socketFDs(t)
	for _, tc := range cases {
		t.Run(tc.entry, func(t *testing.T) {
			res := hostfuncstest.Run(t, rt, mod, tc.entry)
			if tc.trap == "" {
				if res.Death != nil {
					t.Fatalf("want a normal end, got: %v", res.Death)
				}
				return
			}
			if res.Death == nil || !strings.Contains(res.Death.Error(), tc.trap) {
				t.Fatalf("want a trap containing %q, got: %v", tc.trap, res.Death)
			}
		})
	}
	checkNoSocketLeak(t, before)
}
