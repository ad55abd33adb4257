//! Safe wrappers over `lunatic::networking` for the networking test guests, shaped like
//! lunatic-rs 0.14's `lunatic::net`, plus moving sockets between processes in messages.

pub mod addr;
pub mod move_res;
pub mod sys;
pub mod tcp;
pub mod tls;
pub mod udp;

pub use addr::{resolve, resolve_timeout};
pub use move_res::{recv_res, send_res, spawn_with, Movable};
pub use tcp::{TcpListener, TcpStream};
pub use tls::{TlsListener, TlsStream};
pub use udp::UdpSocket;

/// Status code of a timed-out call.
pub const TIMEOUT: u32 = 9027;

/// A failed networking call.
#[derive(Debug)]
pub enum NetError {
    /// Status 9027; carries the error id the host wrote, if any.
    Timeout(Option<guest::Error>),
    /// Status 1 (or another failure code) with its error resource.
    Error(guest::Error),
}

impl NetError {
    /// The error text ("timed out" when there is no resource).
    pub fn text(&self) -> String {
        match self {
            NetError::Timeout(Some(e)) | NetError::Error(e) => e.text(),
            NetError::Timeout(None) => "timed out".to_string(),
        }
    }

    /// Whether this is a 9027 timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, NetError::Timeout(_))
    }
}

/// Turns a status plus out-value into a result (the out-value is an error id on failure).
pub fn check(code: u32, value: u64) -> Result<u64, NetError> {
    match code {
        0 => Ok(value),
        TIMEOUT => Err(NetError::Timeout(None)),
        _ => Err(NetError::Error(guest::Error::from_id(value))),
    }
}

/// Like [`check`] for calls that also write an error id on timeout (connect, resolve).
pub fn check_id(code: u32, value: u64) -> Result<u64, NetError> {
    match code {
        TIMEOUT => Err(NetError::Timeout(Some(guest::Error::from_id(value)))),
        _ => check(code, value),
    }
}

/// Maps a stream I/O status to `std::io` like lunatic-rs does.
pub(crate) fn io_result(code: u32, value: u64, what: &str) -> std::io::Result<usize> {
    use std::io::{Error, ErrorKind};
    match code {
        0 => Ok(value as usize),
        TIMEOUT => Err(Error::new(ErrorKind::TimedOut, format!("{} timed out", what))),
        _ => {
            let e = guest::Error::from_id(value);
            Err(Error::new(ErrorKind::Other, e.text()))
        }
    }
}

/// Timeout argument for the ABI: `None` = `u64::MAX`.
pub fn ms(timeout: Option<u64>) -> u64 {
    timeout.unwrap_or(u64::MAX)
}
