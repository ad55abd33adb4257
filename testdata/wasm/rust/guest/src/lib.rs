//! Bindings to the lunatic host ABI for the runtime's end-to-end test guests.
//!
//! The imports and the three exports (`_lunatic_spawn_by_index_0.14.1`,
//! `_lunatic_catch_trap`, `lunatic_alloc`) are those of lunatic-rs 0.14.1, so the guests
//! exercise the runtime the way real lunatic-rs programs do.

pub mod codec;
pub mod config;
pub mod error;
pub mod message;
pub mod process;
pub mod registry;
pub mod sys;
pub mod timer;
pub mod trap;

pub use codec::{decode, encode, Msg};
pub use config::{CompileError, Config, Module};
pub use error::Error;
pub use message::{receive, recv, recv_tag, send, Received, TIMEOUT};
pub use process::{
    die_when_link_dies, exists, kill, link, monitor, new_tag, sleep_ms, spawn, spawn_link,
    spawn_with_config, stop_monitoring, this, unlink, GetOrSpawn, Spawn,
};
pub use trap::catch;

/// Runtime version reported by `lunatic::version` as `(major, minor, patch)`.
pub fn version() -> (u32, u32, u32) {
    use sys::version::*;
    unsafe { (major(), minor(), patch()) }
}

/// Lets host functions that return buffers allocate them in guest memory.
#[export_name = "lunatic_alloc"]
pub extern "C" fn lunatic_alloc(len: u32) -> *mut u8 {
    let mut buf = std::mem::ManuallyDrop::new(Vec::<u8>::with_capacity(len as usize));
    buf.as_mut_ptr()
}
