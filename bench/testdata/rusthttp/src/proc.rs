//! Processes whose messages are serde values encoded with bincode, as lunatic-rs's
//! `Process<T>` sends them by default: a value is serialized straight into the message
//! being built (`write_data`) and deserialized straight out of the received one
//! (`read_data`); a spawn passes the table indices of a generic wrapper and of the entry,
//! and the parent sends the capture as the child's first message.

use std::io::{Read, Write};

use guest::sys::message as raw;
use netguest::TcpStream;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Receive code of a Data message.
const DATA: u32 = 0;

/// Writes into the message being built.
struct MessageWriter;

impl Write for MessageWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(unsafe { raw::write_data(buf.as_ptr(), buf.len()) })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads from the received message.
struct MessageReader;

impl Read for MessageReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(unsafe { raw::read_data(buf.as_mut_ptr(), buf.len()) })
    }
}

/// Sends `value` to `pid` (a process of this node) with `tag` (0 = untagged). Like
/// lunatic-rs's `host::send`, it asks for the node id first, which lunatic-rs compares
/// with the receiver's to choose between a local and a remote send; every process of
/// this server runs on the node it started on, so the send is always local.
pub fn send<T: Serialize>(pid: u64, tag: i64, value: &T) {
    unsafe { raw::create_data(tag, 0) };
    bincode::serialize_into(MessageWriter, value).expect("serialize a message");
    let _this_node = unsafe { guest::sys::distributed::node_id() };
    let code = unsafe { raw::send(pid) };
    assert_eq!(code, 0, "send returned {}", code);
}

/// Waits for the next message whose tag is in `tags` (any when empty) and decodes it.
pub fn receive<T: DeserializeOwned>(tags: &[i64]) -> T {
    let code = guest::message::receive_code(tags, guest::message::FOREVER);
    assert_eq!(code, DATA, "expected a data message, got code {}", code);
    bincode::deserialize_from(MessageReader).expect("deserialize a message")
}

fn wrapper<C: DeserializeOwned>(entry: i32) {
    let capture: C = if std::mem::size_of::<C>() == 0 {
        bincode::deserialize(&[]).expect("zero-sized capture")
    } else {
        receive(&[])
    };
    let entry: fn(C) = unsafe { std::mem::transmute(entry as usize) };
    entry(capture);
}

/// Spawns `entry(capture)` in a new process of this module and returns its id.
pub fn spawn<C: Serialize + DeserializeOwned>(capture: C, entry: fn(C)) -> u64 {
    let pid = spawn_raw(wrapper::<C> as usize as i32, entry as usize as i32);
    if std::mem::size_of::<C>() != 0 {
        send(pid, 0, &capture);
    }
    pid
}

fn spawn_raw(wrapper: i32, entry: i32) -> u64 {
    let params = guest::process::i32_params(&[wrapper, entry]);
    let (code, pid) = guest::Spawn::new().raw(guest::process::ENTRY, &params);
    assert_eq!(code, 0, "spawn returned {}", code);
    pid
}

fn stream_wrapper<C: DeserializeOwned>(entry: i32) {
    let code = guest::message::receive_code(&[], guest::message::FOREVER);
    assert_eq!(code, DATA, "expected a data message, got code {}", code);
    let mut index = [0u8; 8];
    MessageReader.read_exact(&mut index).expect("stream index");
    let stream = TcpStream::from_id(unsafe { raw::take_tcp_stream(u64::from_le_bytes(index)) });
    let capture: C = bincode::deserialize_from(MessageReader).expect("deserialize a capture");
    let entry: fn(TcpStream, C) = unsafe { std::mem::transmute(entry as usize) };
    entry(stream, capture);
}

/// Spawns `entry(stream, capture)`: the stream travels in the first message as a resource
/// (its slot index first, as lunatic-rs serializes a `TcpStream`), then the capture.
pub fn spawn_with_stream<C: Serialize + DeserializeOwned>(
    stream: TcpStream,
    capture: C,
    entry: fn(TcpStream, C),
) -> u64 {
    let pid = spawn_raw(stream_wrapper::<C> as usize as i32, entry as usize as i32);
    unsafe { raw::create_data(0, 0) };
    let index = unsafe { raw::push_tcp_stream(stream.into_id()) };
    MessageWriter.write_all(&index.to_le_bytes()).expect("write a stream index");
    bincode::serialize_into(MessageWriter, &capture).expect("serialize a capture");
    let code = unsafe { raw::send(pid) };
    assert_eq!(code, 0, "send returned {}", code);
    pid
}
