//! Messages: build in the scratch area, send, receive (selective by tag, with timeout).

use crate::codec::{decode, encode, Msg};
use crate::sys::message as raw;

/// `receive` result code: a Data message is in the scratch area.
pub const DATA_MESSAGE: u32 = 0;
/// `receive` result code: a LinkDied message is in the scratch area.
pub const LINK_DIED: u32 = 1;
/// `receive` result code: a ProcessDied message is in the scratch area.
pub const PROCESS_DIED: u32 = 2;
/// `receive`/`send_receive_skip_search` result code: timed out.
pub const TIMEOUT: u32 = 9027;

/// What a receive produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// A Data message (tag 0 = untagged) and its bytes.
    Data { tag: i64, bytes: Vec<u8> },
    /// A linked process failed; the tag stored for the link (0 = none).
    LinkDied(i64),
    /// A monitored process ended; its id.
    ProcessDied(u64),
    /// Nothing arrived before the timeout (code 9027).
    Timeout,
}

impl Received {
    /// Decodes a Data message as `T`; panics on any other kind.
    #[track_caller]
    pub fn data<T: Msg>(self) -> T {
        match self {
            Received::Data { bytes, .. } => decode(&bytes),
            other => panic!("expected a data message, got {:?}", other),
        }
    }

    /// The tag of a Data message; panics on any other kind.
    #[track_caller]
    pub fn tag(&self) -> i64 {
        match self {
            Received::Data { tag, .. } => *tag,
            other => panic!("expected a data message, got {:?}", other),
        }
    }
}

/// Milliseconds value meaning "wait forever".
pub const FOREVER: u64 = u64::MAX;

/// Replaces the scratch area with a new Data message holding `bytes`.
pub fn create(tag: i64, bytes: &[u8]) {
    unsafe { raw::create_data(tag, 0) };
    write(bytes);
}

/// Appends bytes to the Data message being built, in pieces like a streaming serializer.
pub fn write(bytes: &[u8]) {
    for chunk in bytes.chunks(1024) {
        let n = unsafe { raw::write_data(chunk.as_ptr(), chunk.len()) };
        assert_eq!(n, chunk.len(), "write_data wrote a short count");
    }
}

/// Sends raw bytes with a tag (0 = untagged) to a local process.
pub fn send_bytes(pid: u64, tag: i64, bytes: &[u8]) {
    create(tag, bytes);
    let code = unsafe { raw::send(pid) };
    assert_eq!(code, 0, "send returned {}", code);
}

/// Sends an encoded value with a tag (0 = untagged).
pub fn send<T: Msg>(pid: u64, tag: i64, value: &T) {
    send_bytes(pid, tag, &encode(value));
}

/// Reads the whole Data buffer from the current read position until `read_data` returns 0.
pub fn read_scratch() -> Vec<u8> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 512];
    loop {
        let n = unsafe { raw::read_data(chunk.as_mut_ptr(), chunk.len()) };
        if n == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..n]);
    }
    out
}

/// Turns a receive result code plus the scratch area into a [`Received`].
pub fn from_code(code: u32) -> Received {
    match code {
        DATA_MESSAGE => {
            let tag = unsafe { raw::get_tag() };
            let bytes = read_scratch();
            let size = unsafe { raw::data_size() };
            assert_eq!(bytes.len() as u64, size, "read_data total differs from data_size");
            Received::Data { tag, bytes }
        }
        LINK_DIED => Received::LinkDied(unsafe { raw::get_tag() }),
        PROCESS_DIED => Received::ProcessDied(unsafe { raw::get_process_id() }),
        TIMEOUT => Received::Timeout,
        other => panic!("unknown receive code {}", other),
    }
}

/// Calls `lunatic::message::receive` and returns its raw code (scratch holds the message).
pub fn receive_code(tags: &[i64], timeout_ms: u64) -> u32 {
    let ptr = if tags.is_empty() { std::ptr::null() } else { tags.as_ptr() };
    unsafe { raw::receive(ptr, tags.len(), timeout_ms) }
}

/// Receives the oldest message whose tag is in `tags` (any message when empty).
/// `timeout_ms` of `None` waits forever.
pub fn receive(tags: &[i64], timeout_ms: Option<u64>) -> Received {
    from_code(receive_code(tags, timeout_ms.unwrap_or(FOREVER)))
}

/// Receives any message, waiting forever, and decodes it as Data of type `T`.
#[track_caller]
pub fn recv<T: Msg>() -> T {
    receive(&[], None).data()
}

/// Receives the oldest message tagged `tag`, waiting forever, and decodes it as `T`.
#[track_caller]
pub fn recv_tag<T: Msg>(tag: i64) -> T {
    receive(&[tag], None).data()
}

/// Sends `value` with `send_tag` and waits (at most `timeout_ms`, `None` = forever) for
/// the next newly arriving message tagged `wait_tag`. Returns the raw code (0 or 9027)
/// and, on 0, the reply read from the scratch area.
pub fn send_receive_skip_search<T: Msg>(
    pid: u64,
    send_tag: i64,
    value: &T,
    wait_tag: i64,
    timeout_ms: Option<u64>,
) -> (u32, Received) {
    create(send_tag, &encode(value));
    let code =
        unsafe { raw::send_receive_skip_search(pid, wait_tag, timeout_ms.unwrap_or(FOREVER)) };
    match code {
        0 => {
            let tag = unsafe { raw::get_tag() };
            (0, Received::Data { tag, bytes: read_scratch() })
        }
        TIMEOUT => (code, Received::Timeout),
        other => panic!("send_receive_skip_search returned {}", other),
    }
}

/// Tag of the message currently in the scratch area (0 = none).
pub fn scratch_tag() -> i64 {
    unsafe { raw::get_tag() }
}

/// Moves the read position of the Data message in the scratch area.
pub fn seek(position: u64) {
    unsafe { raw::seek_data(position) }
}

/// Adds a module to the Data message being built; returns its resource slot index.
/// The caller keeps the module.
pub fn push_module(module: &crate::config::Module) -> u64 {
    unsafe { raw::push_module(module.id()) }
}

/// Takes the module in resource slot `index` of the received Data message.
pub fn take_module(index: u64) -> crate::config::Module {
    crate::config::Module::from_id(unsafe { raw::take_module(index) })
}

/// Sends the message built in the scratch area (after [`create`] and pushes) to `pid`.
pub fn send_scratch(pid: u64) {
    let code = unsafe { raw::send(pid) };
    assert_eq!(code, 0, "send returned {}", code);
}
