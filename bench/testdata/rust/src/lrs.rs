//! Sending and receiving as lunatic-rs 0.14 does it for a `Process<T>` with the default
//! Bincode serializer, call for call (facts from lunatic-rs: `Process::send`,
//! `host::send`, `Mailbox::receive`, `serializer::MessageRw`):
//!
//! - send: `create_data(tag, 0)`, then bincode serializes the value straight into the
//!   message, one `write_data` per primitive it writes; then `node_id()`, and `send(pid)`
//!   when the process lives on this node (`distributed::send` otherwise).
//! - receive: `receive(tags, len, u64::MAX)` with the tags collected into a Vec, then
//!   bincode deserializes straight out of the message, one `read_data` per primitive.
//! - a `Process` serializes as its node id and process id (two u64 values).
use std::io::{Read, Write};

use guest::sys::{distributed, message as raw, process};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Receive result of a Data message.
const DATA_MESSAGE: u32 = 0;

/// Reads from and writes to the message buffer (lunatic-rs's `MessageRw`).
struct MessageRw;

impl Read for MessageRw {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(unsafe { raw::read_data(buf.as_mut_ptr(), buf.len()) })
    }
}

impl Write for MessageRw {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(unsafe { raw::write_data(buf.as_ptr(), buf.len()) })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A process handle as lunatic-rs's `Process<T>` holds it.
#[derive(Clone, Copy, Serialize, Deserialize)]
pub struct Process {
    node_id: u64,
    id: u64,
}

impl Process {
    /// The calling process (lunatic-rs's `Process::this`: node id, then process id).
    pub fn this() -> Process {
        Process { node_id: unsafe { distributed::node_id() }, id: unsafe { process::process_id() } }
    }

    /// A process of this node, from a raw id passed in by the benchmark.
    pub fn local(id: u64) -> Process {
        Process { node_id: unsafe { distributed::node_id() }, id }
    }

    /// Sends `value` untagged.
    pub fn send<T: Serialize>(&self, value: &T) {
        unsafe { raw::create_data(0, 0) };
        bincode::serialize_into(MessageRw, value).unwrap();
        if unsafe { distributed::node_id() } == self.node_id {
            let code = unsafe { raw::send(self.id) };
            assert_eq!(code, 0, "send returned {}", code);
        } else {
            panic!("the benchmarks run on one node");
        }
    }
}

/// Waits for the next message whose tag is in `tags` (any when empty) and decodes it.
pub fn receive<T: DeserializeOwned>(tags: &[i64]) -> T {
    let tags: Vec<i64> = tags.to_vec();
    let code = unsafe { raw::receive(tags.as_ptr(), tags.len(), u64::MAX) };
    assert_eq!(code, DATA_MESSAGE, "expected a data message, got code {}", code);
    bincode::deserialize_from(MessageRw).unwrap()
}
