//! Socket addresses in the ABI's five-value form, and DNS iterators.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};

use crate::{check_id, sys, NetError};

/// An address split into `(addr_type, octets, port, flow_info, scope_id)`; IPv4 octets sit
/// in the first four bytes.
pub struct Parts {
    pub typ: u32,
    pub octets: [u8; 16],
    pub port: u32,
    pub flow: u32,
    pub scope: u32,
}

/// Splits an address for a host call.
pub fn parts(addr: &SocketAddr) -> Parts {
    let mut octets = [0u8; 16];
    match addr {
        SocketAddr::V4(a) => {
            octets[..4].copy_from_slice(&a.ip().octets());
            Parts { typ: 4, octets, port: a.port() as u32, flow: 0, scope: 0 }
        }
        SocketAddr::V6(a) => {
            octets.copy_from_slice(&a.ip().octets());
            Parts { typ: 6, octets, port: a.port() as u32, flow: a.flowinfo(), scope: a.scope_id() }
        }
    }
}

/// Takes the next address from a DNS iterator.
pub fn next(iter: u64) -> Option<SocketAddr> {
    let (mut typ, mut port, mut flow, mut scope) = (0u32, 0u16, 0u32, 0u32);
    let mut octets = [0u8; 16];
    let code = unsafe {
        sys::resolve_next(iter, &mut typ, octets.as_mut_ptr(), &mut port, &mut flow, &mut scope)
    };
    if code != 0 {
        return None;
    }
    Some(match typ {
        4 => SocketAddr::from((Ipv4Addr::new(octets[0], octets[1], octets[2], octets[3]), port)),
        6 => SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(octets), port, flow, scope)),
        other => panic!("resolve_next wrote address type {}", other),
    })
}

/// Drains and drops a DNS iterator.
pub fn collect(iter: u64) -> Vec<SocketAddr> {
    let mut out = Vec::new();
    while let Some(a) = next(iter) {
        out.push(a);
    }
    unsafe { sys::drop_dns_iterator(iter) };
    out
}

/// The single address of a one-element iterator returned by a `*_addr` call.
pub fn single(code: u32, iter: u64) -> Result<SocketAddr, NetError> {
    let iter = crate::check(code, iter)?;
    let mut all = collect(iter);
    assert_eq!(all.len(), 1, "address iterator must hold exactly one address");
    Ok(all.remove(0))
}

/// Resolves "host:port".
pub fn resolve(name: &str) -> Result<Vec<SocketAddr>, NetError> {
    resolve_timeout(name, None)
}

/// Resolves "host:port" within a timeout.
pub fn resolve_timeout(name: &str, timeout: Option<u64>) -> Result<Vec<SocketAddr>, NetError> {
    let mut id = 0u64;
    let code = unsafe { sys::resolve(name.as_ptr(), name.len(), crate::ms(timeout), &mut id) };
    Ok(collect(check_id(code, id)?))
}
