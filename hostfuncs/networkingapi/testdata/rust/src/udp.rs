//! UDP sockets.

use std::net::SocketAddr;

use crate::addr::{parts, single};
use crate::{check, sys, NetError};

/// A UDP socket handle.
pub struct UdpSocket {
    id: u64,
    moved: bool,
}

impl UdpSocket {
    /// Binds to one address.
    pub fn bind(addr: SocketAddr) -> Result<UdpSocket, NetError> {
        let p = parts(&addr);
        let mut id = 0u64;
        let code =
            unsafe { sys::udp_bind(p.typ, p.octets.as_ptr(), p.port, p.flow, p.scope, &mut id) };
        Ok(UdpSocket { id: check(code, id)?, moved: false })
    }

    /// Wraps an id from the caller's table.
    pub fn from_id(id: u64) -> UdpSocket {
        UdpSocket { id, moved: false }
    }

    /// Gives up the id without dropping it.
    pub fn into_id(mut self) -> u64 {
        self.moved = true;
        self.id
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        let mut iter = 0u64;
        let code = unsafe { sys::udp_local_addr(self.id, &mut iter) };
        single(code, iter).expect("udp_local_addr")
    }

    /// The connected peer: `Err(code)` with the raw status (1 = not connected).
    pub fn peer_addr(&self) -> Result<SocketAddr, u32> {
        let mut iter = 0u64;
        let code = unsafe { sys::udp_peer_addr(self.id, &mut iter) };
        if code != 0 {
            drop(guest::Error::from_id(iter));
            return Err(code);
        }
        Ok(single(0, iter).unwrap())
    }

    /// Sets the default peer (lunatic-rs passes a timeout of 0).
    pub fn connect(&self, addr: SocketAddr) -> Result<(), NetError> {
        let p = parts(&addr);
        let mut id = 7u64;
        let code = unsafe {
            sys::udp_connect(self.id, p.typ, p.octets.as_ptr(), p.port, p.flow, p.scope, 0, &mut id)
        };
        let v = check(code, id)?;
        assert_eq!(v, 0, "udp_connect must write 0 on success");
        Ok(())
    }

    /// Sends to the connected peer.
    pub fn send(&self, buf: &[u8]) -> Result<usize, NetError> {
        let mut out = 0u64;
        let code = unsafe { sys::udp_send(self.id, buf.as_ptr(), buf.len(), &mut out) };
        Ok(check(code, out)? as usize)
    }

    /// Sends to an address.
    pub fn send_to(&self, buf: &[u8], addr: SocketAddr) -> Result<usize, NetError> {
        let p = parts(&addr);
        let mut out = 0u64;
        let code = unsafe {
            sys::udp_send_to(
                self.id,
                buf.as_ptr(),
                buf.len(),
                p.typ,
                p.octets.as_ptr(),
                p.port,
                p.flow,
                p.scope,
                &mut out,
            )
        };
        Ok(check(code, out)? as usize)
    }

    /// Receives from the connected peer.
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize, NetError> {
        let mut out = 0u64;
        let code = unsafe { sys::udp_receive(self.id, buf.as_mut_ptr(), buf.len(), &mut out) };
        Ok(check(code, out)? as usize)
    }

    /// Receives from anyone.
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr), NetError> {
        let (mut out, mut iter) = (0u64, 0u64);
        let code = unsafe {
            sys::udp_receive_from(self.id, buf.as_mut_ptr(), buf.len(), &mut out, &mut iter)
        };
        let n = check(code, out)? as usize;
        Ok((n, single(0, iter).unwrap()))
    }

    /// A second handle to the same socket.
    pub fn try_clone(&self) -> UdpSocket {
        UdpSocket::from_id(unsafe { sys::clone_udp_socket(self.id) })
    }

    /// SO_BROADCAST.
    pub fn set_broadcast(&self, on: bool) {
        unsafe { sys::set_udp_socket_broadcast(self.id, on as u32) }
    }

    /// SO_BROADCAST.
    pub fn broadcast(&self) -> bool {
        unsafe { sys::get_udp_socket_broadcast(self.id) != 0 }
    }

    /// IP_TTL.
    pub fn set_ttl(&self, ttl: u32) {
        unsafe { sys::set_udp_socket_ttl(self.id, ttl) }
    }

    /// IP_TTL.
    pub fn ttl(&self) -> u32 {
        unsafe { sys::get_udp_socket_ttl(self.id) }
    }
}

impl Drop for UdpSocket {
    fn drop(&mut self) {
        if !self.moved {
            unsafe { sys::drop_udp_socket(self.id) }
        }
    }
}
