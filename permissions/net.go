package permissions

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// NetMode is the base network access of a NetPolicy.
type NetMode uint8

// Network access modes (`lunatic run --net`).
const (
	// NetAll allows every address: the default, as in the original runtime.
	NetAll NetMode = iota
	// NetLoopback allows loopback addresses (and "localhost") plus the Allow rules.
	NetLoopback
	// NetNone allows only the Allow rules.
	NetNone
)

func (m NetMode) String() string {
	switch m {
	case NetLoopback:
		return "loopback"
	case NetNone:
		return "none"
	default:
		return "all"
	}
}

// ParseNetMode parses the value of --net.
func ParseNetMode(s string) (NetMode, error) {
	switch s {
	case "all":
		return NetAll, nil
	case "loopback":
		return NetLoopback, nil
	case "none":
		return NetNone, nil
	}
	return 0, fmt.Errorf("network mode %q: want all, none or loopback", s)
}

// NetRule allows one host (and optionally one port): `--allow-net HOST[:PORT]`.
type NetRule struct {
	// Host is "*" (any host), an IP address, a CIDR prefix, or a host name. A host name
	// allows resolving it, TLS connections to it, and the addresses it resolves to.
	Host string
	// Port is the allowed port; 0 allows every port.
	Port uint16
}

// ParseNetRule parses HOST[:PORT]; an IPv6 address with a port is written [ADDR]:PORT.
func ParseNetRule(s string) (NetRule, error) {
	if s == "" {
		return NetRule{}, fmt.Errorf("empty --allow-net rule")
	}
	host, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1]
	}
	r := NetRule{Host: host}
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || n == 0 {
			return NetRule{}, fmt.Errorf("--allow-net %q: port must be 1-65535", s)
		}
		r.Port = uint16(n)
	}
	if r.Host == "" {
		return NetRule{}, fmt.Errorf("--allow-net %q: missing host (use * for any)", s)
	}
	if !validRuleHost(r.Host) {
		return NetRule{}, fmt.Errorf("--allow-net %q: %q is not a host name, IP address or CIDR prefix", s, r.Host)
	}
	return r, nil
}

// validRuleHost accepts *, an IP address, a CIDR prefix or a DNS name.
func validRuleHost(h string) bool {
	if h == "*" {
		return true
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if _, err := netip.ParsePrefix(h); err == nil {
		return true
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (r NetRule) String() string {
	if r.Port == 0 {
		return r.Host
	}
	return net.JoinHostPort(r.Host, strconv.Itoa(int(r.Port)))
}

// NetPolicy is a process's network access: a mode and extra allowed endpoints.
type NetPolicy struct {
	Mode  NetMode
	Allow []NetRule
}

func (p NetPolicy) clone() NetPolicy {
	p.Allow = append([]NetRule(nil), p.Allow...)
	return p
}

// String renders the policy as the command-line flags that set it.
func (p NetPolicy) String() string {
	s := "--net " + p.Mode.String()
	for _, r := range p.Allow {
		s += " --allow-net " + r.String()
	}
	return s
}

// ErrNetDenied reports a network operation the process's network permission refuses.
var ErrNetDenied = fmt.Errorf("network access: %w", ErrDenied)

func (p NetPolicy) deny(op string) error {
	return fmt.Errorf("%s refused by the process's network permission (%s): %w", op, p, ErrNetDenied)
}

// CheckDial checks a connection (TCP, UDP connect/send) to addr. name is the host name the
// guest gave (tls_connect), or "".
func (p NetPolicy) CheckDial(op, name string, addr netip.AddrPort) error {
	if p.allowsAddr(name, addr, false) {
		return nil
	}
	target := addr.String()
	if name != "" {
		target = net.JoinHostPort(name, strconv.Itoa(int(addr.Port())))
	}
	return p.deny(op + " to " + target)
}

// CheckBind checks binding a socket to addr: the unspecified address (every interface)
// is allowed only by --net all, or a rule for * or that address.
func (p NetPolicy) CheckBind(op string, addr netip.AddrPort) error {
	if p.allowsAddr("", addr, true) {
		return nil
	}
	return p.deny(op + " on " + addr.String())
}

// CheckHost checks an operation on a host given by name or IP literal (resolve, and
// tls_connect, which resolves the name itself), for port.
func (p NetPolicy) CheckHost(op, name string, port uint16) error {
	if p.Mode == NetAll {
		return nil
	}
	if ip, err := netip.ParseAddr(name); err == nil {
		if p.allowsAddr("", netip.AddrPortFrom(ip, port), false) {
			return nil
		}
	} else if p.allowsName(name, port) {
		return nil
	}
	return p.deny(op + " " + net.JoinHostPort(name, strconv.Itoa(int(port))))
}

func (p NetPolicy) allowsName(name string, port uint16) bool {
	if p.Mode == NetLoopback && strings.EqualFold(name, "localhost") {
		return true
	}
	for _, r := range p.Allow {
		if (r.Port == 0 || r.Port == port) && (r.Host == "*" || strings.EqualFold(r.Host, name)) {
			return true
		}
	}
	return false
}

func (p NetPolicy) allowsAddr(name string, ap netip.AddrPort, bind bool) bool {
	if p.Mode == NetAll {
		return true
	}
	ip := ap.Addr().Unmap()
	if p.Mode == NetLoopback && ip.IsLoopback() {
		return true
	}
	if name != "" && p.allowsName(name, ap.Port()) {
		return true
	}
	for _, r := range p.Allow {
		if r.Port != 0 && r.Port != ap.Port() {
			continue
		}
		if r.Host == "*" || ruleMatchesIP(r.Host, ip, bind) {
			return true
		}
	}
	return false
}

// ruleMatchesIP reports whether rule host h covers ip: the same address, a prefix holding
// it, or a host name that resolves to it. A bind to the unspecified address is covered
// only by that address itself.
func ruleMatchesIP(h string, ip netip.Addr, bind bool) bool {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap() == ip
	}
	if pfx, err := netip.ParsePrefix(h); err == nil {
		return !(bind && ip.IsUnspecified()) && pfx.Contains(ip)
	}
	if bind && ip.IsUnspecified() {
		return false
	}
	if strings.EqualFold(h, "localhost") && ip.IsLoopback() {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", h)
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if a.Unmap() == ip {
			return true
		}
	}
	return false
}

// Within checks that p allows nothing that parent does not: the mode is as narrow, and
// every extra rule is covered by one of parent's.
func (p NetPolicy) Within(parent NetPolicy) error {
	if parent.Mode == NetAll {
		return nil
	}
	if p.Mode == NetAll || (p.Mode == NetLoopback && parent.Mode == NetNone) {
		return fmt.Errorf("the config's network permission (%s) is wider than the spawning process's (%s): %w", p, parent, ErrDenied)
	}
	for _, r := range p.Allow {
		if !parent.coversRule(r) {
			return fmt.Errorf("the config's network rule --allow-net %s is not covered by the spawning process's network permission (%s): %w", r, parent, ErrDenied)
		}
	}
	return nil
}

func (p NetPolicy) coversRule(r NetRule) bool {
	for _, q := range p.Allow {
		if (q.Port == 0 || q.Port == r.Port) && (q.Host == "*" || strings.EqualFold(q.Host, r.Host)) {
			return true
		}
	}
	if p.Mode == NetLoopback {
		if ip, err := netip.ParseAddr(r.Host); err == nil && ip.Unmap().IsLoopback() {
			return true
		}
		return strings.EqualFold(r.Host, "localhost")
	}
	return false
}
