//! TCP listeners and streams.

use std::io::{IoSlice, Read, Write};
use std::net::SocketAddr;

use crate::addr::{parts, single};
use crate::{check, check_id, io_result, ms, sys, NetError};

/// A bound TCP listener; dropped with `drop_tcp_listener`.
pub struct TcpListener {
    id: u64,
}

impl TcpListener {
    /// Binds to one address.
    pub fn bind(addr: SocketAddr) -> Result<TcpListener, NetError> {
        let p = parts(&addr);
        let mut id = 0u64;
        let code =
            unsafe { sys::tcp_bind(p.typ, p.octets.as_ptr(), p.port, p.flow, p.scope, &mut id) };
        Ok(TcpListener { id: check(code, id)? })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        let mut iter = 0u64;
        let code = unsafe { sys::tcp_local_addr(self.id, &mut iter) };
        single(code, iter).expect("tcp_local_addr")
    }

    /// Waits for a connection.
    pub fn accept(&self) -> Result<(TcpStream, SocketAddr), NetError> {
        let (mut id, mut peer) = (0u64, 0u64);
        let code = unsafe { sys::tcp_accept(self.id, &mut id, &mut peer) };
        let id = check(code, id)?;
        let peer = single(0, peer).expect("peer address");
        Ok((TcpStream::from_id(id), peer))
    }

    /// The raw id.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for TcpListener {
    fn drop(&mut self) {
        unsafe { sys::drop_tcp_listener(self.id) }
    }
}

/// A TCP connection handle; dropped with `drop_tcp_stream` unless it was moved away.
pub struct TcpStream {
    id: u64,
    moved: bool,
}

impl TcpStream {
    /// Wraps an id from the caller's table.
    pub fn from_id(id: u64) -> TcpStream {
        TcpStream { id, moved: false }
    }

    /// The raw id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Gives up the id without dropping it (it is being moved into a message).
    pub fn into_id(mut self) -> u64 {
        self.moved = true;
        self.id
    }

    /// Connects to one address; `timeout` in ms (`None` = no limit).
    pub fn connect(addr: SocketAddr, timeout: Option<u64>) -> Result<TcpStream, NetError> {
        let p = parts(&addr);
        let mut id = 0u64;
        let code = unsafe {
            sys::tcp_connect(p.typ, p.octets.as_ptr(), p.port, p.flow, p.scope, ms(timeout), &mut id)
        };
        Ok(TcpStream::from_id(check_id(code, id)?))
    }

    /// The peer's address.
    pub fn peer_addr(&self) -> SocketAddr {
        let mut iter = 0u64;
        let code = unsafe { sys::tcp_peer_addr(self.id, &mut iter) };
        single(code, iter).expect("tcp_peer_addr")
    }

    /// A second handle to the same connection.
    pub fn try_clone(&self) -> TcpStream {
        TcpStream::from_id(unsafe { sys::clone_tcp_stream(self.id) })
    }

    /// Sets the read timeout in ms (`None` clears it).
    pub fn set_read_timeout(&self, timeout: Option<u64>) {
        unsafe { sys::set_read_timeout(self.id, ms(timeout)) }
    }

    /// The read timeout.
    pub fn read_timeout(&self) -> Option<u64> {
        match unsafe { sys::get_read_timeout(self.id) } {
            u64::MAX => None,
            v => Some(v),
        }
    }

    /// Sets the write timeout in ms.
    pub fn set_write_timeout(&self, timeout: Option<u64>) {
        unsafe { sys::set_write_timeout(self.id, ms(timeout)) }
    }

    /// Sets the peek timeout in ms.
    pub fn set_peek_timeout(&self, timeout: Option<u64>) {
        unsafe { sys::set_peek_timeout(self.id, ms(timeout)) }
    }

    /// The peek timeout.
    pub fn peek_timeout(&self) -> Option<u64> {
        match unsafe { sys::get_peek_timeout(self.id) } {
            u64::MAX => None,
            v => Some(v),
        }
    }

    /// Reads without consuming.
    pub fn peek(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut out = 0u64;
        let code = unsafe { sys::tcp_peek(self.id, buf.as_mut_ptr(), buf.len(), &mut out) };
        io_result(code, out, "peek")
    }

    /// Raw read returning the ABI status and out-value.
    pub fn read_raw(&mut self, buf: &mut [u8]) -> (u32, u64) {
        let mut out = 0u64;
        let code = unsafe { sys::tcp_read(self.id, buf.as_mut_ptr(), buf.len(), &mut out) };
        (code, out)
    }
}

impl Drop for TcpStream {
    fn drop(&mut self) {
        if !self.moved {
            unsafe { sys::drop_tcp_stream(self.id) }
        }
    }
}

impl Read for TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let (code, out) = self.read_raw(buf);
        io_result(code, out, "read")
    }
}

impl Write for TcpStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_vectored(&[IoSlice::new(buf)])
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
        let mut out = 0u64;
        let code = unsafe {
            sys::tcp_write_vectored(self.id, bufs.as_ptr() as *const u32, bufs.len(), &mut out)
        };
        io_result(code, out, "write")
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let mut out = 0u64;
        let code = unsafe { sys::tcp_flush(self.id, &mut out) };
        io_result(code, out, "flush").map(|_| ())
    }
}
