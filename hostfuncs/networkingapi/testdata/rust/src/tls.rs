//! TLS listeners and streams.

use std::io::{IoSlice, Read, Write};
use std::net::SocketAddr;

use crate::addr::{parts, single};
use crate::{check, check_id, io_result, ms, sys, NetError};

/// A bound TLS listener.
pub struct TlsListener {
    id: u64,
}

impl TlsListener {
    /// Binds with a PEM certificate (chain) and a PEM private key.
    pub fn bind(addr: SocketAddr, cert: &[u8], key: &[u8]) -> Result<TlsListener, NetError> {
        let p = parts(&addr);
        let mut id = 0u64;
        let code = unsafe {
            sys::tls_bind(
                p.typ,
                p.octets.as_ptr(),
                p.port,
                p.flow,
                p.scope,
                &mut id,
                cert.as_ptr() as *const u32,
                cert.len(),
                key.as_ptr() as *const u32,
                key.len(),
            )
        };
        Ok(TlsListener { id: check(code, id)? })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        let mut iter = 0u64;
        let code = unsafe { sys::tls_local_addr(self.id, &mut iter) };
        single(code, iter).expect("tls_local_addr")
    }

    /// Waits for a connection (the handshake happens on first use of the stream).
    pub fn accept(&self) -> Result<(TlsStream, SocketAddr), NetError> {
        let (mut id, mut peer) = (0u64, 0u64);
        let code = unsafe { sys::tls_accept(self.id, &mut id, &mut peer) };
        let id = check(code, id)?;
        let peer = single(0, peer).expect("peer address");
        Ok((TlsStream::from_id(id), peer))
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        unsafe { sys::drop_tls_listener(self.id) }
    }
}

/// A TLS connection handle.
pub struct TlsStream {
    id: u64,
    moved: bool,
}

/// How custom root certificates are laid out for `tls_connect`.
#[derive(Clone, Copy)]
pub enum RootLayout {
    /// `{ptr, len}` entries, as the host ABI documents.
    PtrLen,
    /// `{len, ptr}` entries, as lunatic-rs 0.14 builds them.
    LenPtr,
}

impl TlsStream {
    /// Wraps an id from the caller's table.
    pub fn from_id(id: u64) -> TlsStream {
        TlsStream { id, moved: false }
    }

    /// Gives up the id without dropping it.
    pub fn into_id(mut self) -> u64 {
        self.moved = true;
        self.id
    }

    /// Connects and shakes hands with `host:port`, trusting `roots` (PEM) or, when empty,
    /// the system roots.
    pub fn connect(
        host: &str,
        port: u16,
        timeout: Option<u64>,
        roots: &[&[u8]],
        layout: RootLayout,
    ) -> Result<TlsStream, NetError> {
        let mut entries: Vec<u32> = Vec::new();
        for r in roots {
            let (ptr, len) = (r.as_ptr() as u32, r.len() as u32);
            match layout {
                RootLayout::PtrLen => entries.extend_from_slice(&[ptr, len]),
                RootLayout::LenPtr => entries.extend_from_slice(&[len, ptr]),
            }
        }
        let mut id = 0u64;
        let code = unsafe {
            sys::tls_connect(
                host.as_ptr(),
                host.len() as u32,
                port as u32,
                ms(timeout),
                &mut id,
                entries.as_ptr() as *const u8,
                roots.len() as u32,
            )
        };
        Ok(TlsStream::from_id(check_id(code, id)?))
    }

    /// Sets the read timeout in ms.
    pub fn set_read_timeout(&self, timeout: Option<u64>) {
        unsafe { sys::set_tls_read_timeout(self.id, ms(timeout)) }
    }

    /// The read timeout.
    pub fn read_timeout(&self) -> Option<u64> {
        match unsafe { sys::get_tls_read_timeout(self.id) } {
            u64::MAX => None,
            v => Some(v),
        }
    }
}

impl Drop for TlsStream {
    fn drop(&mut self) {
        if !self.moved {
            unsafe { sys::drop_tls_stream(self.id) }
        }
    }
}

impl Read for TlsStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut out = 0u64;
        let code = unsafe { sys::tls_read(self.id, buf.as_mut_ptr(), buf.len(), &mut out) };
        io_result(code, out, "tls read")
    }
}

impl Write for TlsStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_vectored(&[IoSlice::new(buf)])
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
        let mut out = 0u64;
        let code = unsafe {
            sys::tls_write_vectored(self.id, bufs.as_ptr() as *const u32, bufs.len(), &mut out)
        };
        io_result(code, out, "tls write")
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let mut out = 0u64;
        let code = unsafe { sys::tls_flush(self.id, &mut out) };
        io_result(code, out, "tls flush").map(|_| ())
    }
}
