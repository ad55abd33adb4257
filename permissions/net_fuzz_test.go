package permissions

import (
	"net/netip"
	"testing"
)

// FuzzNetRule parses --allow-net values and checks addresses against the rule: nothing
// panics, a parsed rule prints back to a value that parses to the same rule, and a rule
// always allows the address it names.
func FuzzNetRule(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "10.0.0.0/8:443", "[::1]:8080", "*:53", "example.com", "::1", ":80", "[", "h:0"} {
		f.Add(s, uint16(80))
	}
	f.Fuzz(func(t *testing.T, s string, port uint16) {
		r, err := ParseNetRule(s)
		if err != nil {
			return
		}
		back, err := ParseNetRule(r.String())
		if err != nil || back != r {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, r, r.String(), back, err)
		}
		ip, err := netip.ParseAddr(r.Host)
		if err != nil {
			return
		}
		if r.Port != 0 {
			port = r.Port
		}
		p := NetPolicy{Mode: NetNone, Allow: []NetRule{r}}
		if err := p.CheckDial("connect", "", netip.AddrPortFrom(ip, port)); err != nil {
			t.Fatalf("rule %+v refuses its own address: %v", r, err)
		}
	})
}
