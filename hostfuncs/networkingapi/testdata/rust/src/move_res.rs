//! Moving sockets between processes inside messages (`lunatic::message::push_*/take_*`),
//! the way lunatic-rs serialises them: the resource slot index as a u64 in the body.

use guest::message::{self, receive_code, FOREVER};
use guest::sys::message as raw;

use crate::{TcpStream, TlsStream, UdpSocket};

/// A socket that can travel in a message.
pub trait Movable: Sized {
    /// Moves the socket into the message being built; returns its slot index.
    fn push(self) -> u64;
    /// Takes the socket in slot `index` of the received message.
    fn take(index: u64) -> Self;
}

impl Movable for TcpStream {
    fn push(self) -> u64 {
        unsafe { raw::push_tcp_stream(self.into_id()) }
    }
    fn take(index: u64) -> Self {
        TcpStream::from_id(unsafe { raw::take_tcp_stream(index) })
    }
}

impl Movable for TlsStream {
    fn push(self) -> u64 {
        unsafe { raw::push_tls_stream(self.into_id()) }
    }
    fn take(index: u64) -> Self {
        TlsStream::from_id(unsafe { raw::take_tls_stream(index) })
    }
}

impl Movable for UdpSocket {
    fn push(self) -> u64 {
        unsafe { raw::push_udp_socket(self.into_id()) }
    }
    fn take(index: u64) -> Self {
        UdpSocket::from_id(unsafe { raw::take_udp_socket(index) })
    }
}

/// Sends `res` (and `extra` bytes after its index) to `pid` with `tag`.
pub fn send_res<T: Movable>(pid: u64, tag: i64, res: T, extra: &[u8]) {
    message::create(tag, &[]);
    let index = res.push();
    message::write(&index.to_le_bytes());
    message::write(extra);
    message::send_scratch(pid);
}

/// Receives a message carrying a socket (see [`send_res`]); returns it and the extra bytes.
pub fn recv_res<T: Movable>(tags: &[i64]) -> (T, Vec<u8>) {
    let code = receive_code(tags, FOREVER);
    assert_eq!(code, 0, "expected a data message, got code {}", code);
    let body = message::read_scratch();
    let index = u64::from_le_bytes(body[..8].try_into().unwrap());
    (T::take(index), body[8..].to_vec())
}

fn entry_with<T: Movable>(entry: i32) {
    let (res, _) = recv_res::<T>(&[]);
    let f: fn(T) = unsafe { std::mem::transmute(entry as usize) };
    f(res);
}

/// Spawns `entry(res)` in a new process: the socket travels in the first message.
pub fn spawn_with<T: Movable>(res: T, entry: fn(T)) -> u64 {
    let params = guest::process::i32_params(&[entry_with::<T> as usize as i32, entry as usize as i32]);
    let (code, pid) = guest::Spawn::new().raw(guest::process::ENTRY, &params);
    assert_eq!(code, 0, "spawn failed with code {}", code);
    send_res(pid, 0, res, &[]);
    pid
}
