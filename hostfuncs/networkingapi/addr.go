package networkingapi

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strconv"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/vm"
)

// sockAddr is a socket address in the ABI's shape. The IPv6 scope id travels as the
// address zone (decimal interface index or interface name); flow info is carried for
// resolve_next but Go cannot apply it to a socket.
type sockAddr struct {
	ap   netip.AddrPort
	flow uint32
}

// readAddr decodes the five-parameter address form (docs/abi/networking.md, "Addresses") from stack[at:].
// An address type other than 4 or 6, or a bad pointer, traps.
func readAddr(m api.Module, fn string, stack []uint64, at int) sockAddr {
	typ, ptr := uint32(stack[at]), uint32(stack[at+1])
	port := uint16(stack[at+2])
	flow, scope := uint32(stack[at+3]), uint32(stack[at+4])
	switch typ {
	case 4:
		b := guestmem.View(m, fn, ptr, 4)
		return sockAddr{ap: netip.AddrPortFrom(netip.AddrFrom4([4]byte(b)), port)}
	case 6:
		b := guestmem.View(m, fn, ptr, 16)
		ip := netip.AddrFrom16([16]byte(b))
		if scope != 0 {
			ip = ip.WithZone(strconv.FormatUint(uint64(scope), 10))
		}
		return sockAddr{ap: netip.AddrPortFrom(ip, port), flow: flow}
	}
	vm.Throw(fn, "address type %d is neither 4 (IPv4) nor 6 (IPv6)", typ)
	return sockAddr{}
}

// fromNet converts an address reported by Go's net package.
func fromNet(a net.Addr) sockAddr {
	var ap netip.AddrPort
	switch a := a.(type) {
	case *net.TCPAddr:
		ap = a.AddrPort()
	case *net.UDPAddr:
		ap = a.AddrPort()
	}
	return sockAddr{ap: ap}
}

// network is the Go network name for listening on or dialing a: "tcp4"/"udp4" for IPv4,
// "tcp6"/"udp6" for a specific IPv6 address, and the dual-stack "tcp"/"udp" for the IPv6
// wildcard (like the Linux default the original inherits).
func (a sockAddr) network(base string) string {
	ip := a.ap.Addr()
	switch {
	case ip.Is4():
		return base + "4"
	case ip.IsUnspecified():
		return base
	}
	return base + "6"
}

func (a sockAddr) String() string { return a.ap.String() }

// encode writes a through the resolve_next out-pointers, field by field: IPv4 writes type,
// octets and port only; IPv6 also writes flow info and scope id.
func (a sockAddr) encode(m api.Module, fn string, typPtr, addrPtr, portPtr, flowPtr, scopePtr uint32) {
	ip := a.ap.Addr()
	var port [2]byte
	binary.LittleEndian.PutUint16(port[:], a.ap.Port())
	if ip.Is4() {
		guestmem.WriteU32(m, fn, typPtr, 4)
		b := ip.As4()
		guestmem.Write(m, fn, addrPtr, b[:])
		guestmem.Write(m, fn, portPtr, port[:])
		return
	}
	guestmem.WriteU32(m, fn, typPtr, 6)
	b := ip.As16()
	guestmem.Write(m, fn, addrPtr, b[:])
	guestmem.Write(m, fn, portPtr, port[:])
	guestmem.WriteU32(m, fn, flowPtr, a.flow)
	guestmem.WriteU32(m, fn, scopePtr, zoneIndex(ip.Zone()))
}

// zoneIndex turns an IPv6 zone into a scope id: an interface name is looked up, a number
// is taken as is, anything else is 0.
func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n)
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

// zoneName turns a scope id into a zone (the interface name when it exists).
func zoneName(index uint32) string {
	if index == 0 {
		return ""
	}
	if ifi, err := net.InterfaceByIndex(int(index)); err == nil {
		return ifi.Name
	}
	return strconv.FormatUint(uint64(index), 10)
}

// netipMapped turns an IPv4 address into its IPv4-mapped IPv6 form, for IPv6 sockets.
func netipMapped(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom16(ap.Addr().As16()), ap.Port())
}
