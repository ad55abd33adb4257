//! The process registry (`lunatic::registry`).

use crate::sys::registry as raw;

/// Registers `name → (node, pid)` (overwrites).
pub fn put(name: &str, node: u64, pid: u64) {
    unsafe { raw::put(name.as_ptr(), name.len(), node, pid) }
}

/// Raw lookup: code 0 (found) or 1 (not found), and the `(node, pid)` written on success.
pub fn get_raw(name: &str) -> (u32, u64, u64) {
    let (mut node, mut pid) = (0u64, 0u64);
    let code = unsafe { raw::get(name.as_ptr(), name.len(), &mut node, &mut pid) };
    (code, node, pid)
}

/// Looks `name` up: `Some((node, pid))` when registered.
pub fn get(name: &str) -> Option<(u64, u64)> {
    match get_raw(name) {
        (0, node, pid) => Some((node, pid)),
        (1, _, _) => None,
        (code, _, _) => panic!("registry::get returned {}", code),
    }
}

/// Removes `name` (no-op when absent).
pub fn remove(name: &str) {
    unsafe { raw::remove(name.as_ptr(), name.len()) }
}
