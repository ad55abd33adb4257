//! Spawning processes from Rust functions, plus links, monitors, kill and sleep.
//!
//! Spawn protocol (the same as lunatic-rs 0.14.1): `spawn` is called with the entry export
//! `_lunatic_spawn_by_index_0.14.1` and two `i32` parameters encoded as 17-byte records
//! (`0x7F` + little-endian u128): the table index of a generic wrapper and the table index of
//! the user's `fn(C)`. The export calls `wrapper(entry)`. Unless `C` is zero-sized, the parent
//! then sends the captured value as the first untagged message and the wrapper receives it
//! before calling the entry.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::codec::Msg;
use crate::config::{Config, Module};
use crate::error::Error;
use crate::message;
use crate::sys::process as raw;

/// Name of the entry export used for every spawn (lunatic-rs 0.14.1's name).
pub const ENTRY: &str = "_lunatic_spawn_by_index_0.14.1";

/// Builds the packed parameter array for `spawn`: one 17-byte record per `i32`.
pub fn i32_params(values: &[i32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 17);
    for v in values {
        out.push(0x7F);
        // Sign-extended to 128 bits, as lunatic-rs does; the host keeps the low 32 bits.
        out.extend_from_slice(&(*v as i128 as u128).to_le_bytes());
    }
    out
}

#[export_name = "_lunatic_spawn_by_index_0.14.1"]
extern "C" fn spawn_by_index(function: i32, arg: i32) {
    let function: fn(i32) = unsafe { std::mem::transmute(function as usize) };
    function(arg);
}

/// Runs in the child: receives the capture (unless zero-sized) and calls the entry.
fn wrapper<C: Msg>(entry: i32) {
    let capture = if std::mem::size_of::<C>() == 0 {
        C::take(&mut &[][..])
    } else {
        message::recv::<C>()
    };
    let entry: fn(C) = unsafe { std::mem::transmute(entry as usize) };
    entry(capture);
}

/// Where and how to spawn. The default is: no link, inherit config, same module.
#[derive(Default, Clone, Copy)]
pub struct Spawn<'a> {
    /// Link tag; 0 = no link.
    pub link: i64,
    /// Config to copy for the child; `None` = the caller's own (-1).
    pub config: Option<&'a Config>,
    /// Module to instantiate; `None` = the caller's module (-1).
    pub module: Option<&'a Module>,
}

impl<'a> Spawn<'a> {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }
    /// Link the child with this tag (must be non-zero).
    pub fn link(mut self, tag: i64) -> Self {
        self.link = tag;
        self
    }
    /// Use this config.
    pub fn config(mut self, config: &'a Config) -> Self {
        self.config = Some(config);
        self
    }
    /// Use this module.
    pub fn module(mut self, module: &'a Module) -> Self {
        self.module = Some(module);
        self
    }

    fn ids(&self) -> (i64, i64) {
        let config = self.config.map_or(-1, |c| c.id() as i64);
        let module = self.module.map_or(-1, |m| m.id() as i64);
        (config, module)
    }

    /// Calls `lunatic::process::spawn` with an arbitrary export and params; returns the raw
    /// code and the id written to the out-pointer (process id or error id).
    pub fn raw(&self, function: &str, params: &[u8]) -> (u32, u64) {
        let (config, module) = self.ids();
        let mut id = 0u64;
        let code = unsafe {
            raw::spawn(
                self.link,
                config,
                module,
                function.as_ptr(),
                function.len(),
                params.as_ptr(),
                params.len(),
                &mut id,
            )
        };
        (code, id)
    }

    /// Spawns `entry(capture)` in a new process.
    pub fn spawn<C: Msg>(&self, capture: C, entry: fn(C)) -> Result<u64, Error> {
        let params = i32_params(&[wrapper::<C> as usize as i32, entry as usize as i32]);
        match self.raw(ENTRY, &params) {
            (0, pid) => {
                send_capture(pid, &capture);
                Ok(pid)
            }
            (1, err) => Err(Error::from_id(err)),
            (code, _) => panic!("spawn returned {}", code),
        }
    }

    /// Registry lookup-or-spawn (`lunatic::process::get_or_spawn`).
    pub fn get_or_spawn<C: Msg>(&self, name: &str, capture: C, entry: fn(C)) -> GetOrSpawn {
        let params = i32_params(&[wrapper::<C> as usize as i32, entry as usize as i32]);
        let (config, module) = self.ids();
        let (mut node, mut id) = (0u64, 0u64);
        let code = unsafe {
            raw::get_or_spawn(
                name.as_ptr(),
                name.len(),
                self.link,
                config,
                module,
                ENTRY.as_ptr(),
                ENTRY.len(),
                params.as_ptr(),
                params.len(),
                &mut node,
                &mut id,
            )
        };
        match code {
            0 => {
                send_capture(id, &capture);
                GetOrSpawn::Spawned { node, pid: id }
            }
            1 => GetOrSpawn::Failed(Error::from_id(id)),
            2 => GetOrSpawn::Existing { node, pid: id },
            other => panic!("get_or_spawn returned {}", other),
        }
    }
}

fn send_capture<C: Msg>(pid: u64, capture: &C) {
    if std::mem::size_of::<C>() != 0 {
        message::send(pid, 0, capture);
    }
}

/// Result of [`Spawn::get_or_spawn`].
#[derive(Debug)]
pub enum GetOrSpawn {
    /// Code 0: a new process was spawned and registered.
    Spawned { node: u64, pid: u64 },
    /// Code 1: spawning failed.
    Failed(Error),
    /// Code 2: the name was already registered.
    Existing { node: u64, pid: u64 },
}

impl GetOrSpawn {
    /// The raw ABI code (0, 1 or 2).
    pub fn code(&self) -> u32 {
        match self {
            GetOrSpawn::Spawned { .. } => 0,
            GetOrSpawn::Failed(_) => 1,
            GetOrSpawn::Existing { .. } => 2,
        }
    }
}

/// Spawns an unlinked child that inherits config and module; panics on failure.
#[track_caller]
pub fn spawn<C: Msg>(capture: C, entry: fn(C)) -> u64 {
    Spawn::new().spawn(capture, entry).expect("spawn failed")
}

/// Spawns a linked child; `tag` (non-zero) is what the caller sees if the child fails.
#[track_caller]
pub fn spawn_link<C: Msg>(tag: i64, capture: C, entry: fn(C)) -> u64 {
    Spawn::new().link(tag).spawn(capture, entry).expect("spawn_link failed")
}

/// Spawns with a config; `link` 0 = unlinked.
pub fn spawn_with_config<C: Msg>(
    config: &Config,
    link: i64,
    capture: C,
    entry: fn(C),
) -> Result<u64, Error> {
    Spawn::new().link(link).config(config).spawn(capture, entry)
}

static NEXT_TAG: AtomicI64 = AtomicI64::new(129);

/// A fresh process-local tag (counter from 129, like lunatic-rs).
pub fn new_tag() -> i64 {
    NEXT_TAG.fetch_add(1, Ordering::Relaxed)
}

/// The caller's process id.
pub fn this() -> u64 {
    unsafe { raw::process_id() }
}

/// The caller's environment id.
pub fn environment_id() -> u64 {
    unsafe { raw::environment_id() }
}

/// This node's id (0 when not distributed).
pub fn node_id() -> u64 {
    unsafe { crate::sys::distributed::node_id() }
}

/// The distributed module id of the caller's module (0 outside distributed mode).
pub fn module_id() -> u64 {
    unsafe { crate::sys::distributed::module_id() }
}

/// Links the caller and `pid`; both sides store `tag` (0 = none).
pub fn link(tag: i64, pid: u64) {
    unsafe { raw::link(tag, pid) }
}

/// Removes the link between the caller and `pid`.
pub fn unlink(pid: u64) {
    unsafe { raw::unlink(pid) }
}

/// Asks for a ProcessDied message when `pid` ends.
pub fn monitor(pid: u64) {
    unsafe { raw::monitor(pid) }
}

/// Cancels [`monitor`].
pub fn stop_monitoring(pid: u64) {
    unsafe { raw::stop_monitoring(pid) }
}

/// Kills `pid` (ends as failed).
pub fn kill(pid: u64) {
    unsafe { raw::kill(pid) }
}

/// Whether `pid` is alive in the caller's environment.
pub fn exists(pid: u64) -> bool {
    match unsafe { raw::exists(pid) } {
        0 => false,
        1 => true,
        other => panic!("exists returned {}", other),
    }
}

/// Suspends the caller (a lunatic sleep: kills and link deaths still land).
pub fn sleep_ms(ms: u64) {
    unsafe { raw::sleep_ms(ms) }
}

/// `true` (default): die when a linked process fails; `false`: get LinkDied messages.
pub fn die_when_link_dies(die: bool) {
    unsafe { raw::die_when_link_dies(die as u32) }
}
