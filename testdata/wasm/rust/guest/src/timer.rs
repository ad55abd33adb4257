//! Delayed sends (`lunatic::timer`).

use crate::codec::{encode, Msg};
use crate::message;
use crate::sys::timer as raw;

/// Sends `value` tagged `tag` to `pid` after `delay_ms`; returns the timer id.
pub fn send_after<T: Msg>(pid: u64, tag: i64, value: &T, delay_ms: u64) -> u64 {
    message::create(tag, &encode(value));
    unsafe { raw::send_after(pid, delay_ms) }
}

/// Raw `cancel_timer`: 1 if the timer was in the table (cancelled), 0 otherwise.
pub fn cancel_timer(timer_id: u64) -> u32 {
    unsafe { raw::cancel_timer(timer_id) }
}
