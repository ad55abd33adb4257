//! Entry points the benchmarks spawn directly (vm.SpawnOptions.Entry), the way a
//! lunatic-rs program's processes start: no `_start`, one export per process shape.
//! The messaging processes (idle, pong, ping, ring_node) send and receive as lunatic-rs
//! 0.14's `Process<T>` and `Mailbox<T>` do (module lrs): bincode straight into and out of
//! the message buffer, the node check before each send. spawner and child use the test
//! guests' binding crate.
use guest::*;
use guest::message;

mod lrs;

/// Value that tells `pong` to stop.
const STOP: u64 = u64::MAX;

/// Returns at once: spawn+exit.
#[no_mangle]
pub extern "C" fn noop() {}

/// Spawns `child(me)` n times, each time waiting for the child's message: the cost of
/// spawning a process and seeing it run.
#[no_mangle]
pub extern "C" fn spawner(n: u64) {
    let params = i64_param(this());
    for _ in 0..n {
        let (code, _) = Spawn::new().raw("child", &params);
        assert_eq!(code, 0, "spawn failed");
        let _ = receive(&[], None);
    }
}

/// Sends an empty message to its parent and returns.
#[no_mangle]
pub extern "C" fn child(parent: u64) {
    message::send_bytes(parent, 0, &[]);
}

/// One spawn argument record: an i64 (type code 0x7E, then a little-endian u128).
fn i64_param(v: u64) -> Vec<u8> {
    let mut out = vec![0x7E];
    out.extend_from_slice(&(v as u128).to_le_bytes());
    out
}

/// Blocks in receive forever: idle memory.
#[no_mangle]
pub extern "C" fn idle() {
    let _: u64 = lrs::receive(&[]);
}

/// Receives the peer's id, then echoes every value back to it until STOP.
#[no_mangle]
pub extern "C" fn pong() {
    let peer: lrs::Process = lrs::receive(&[]);
    loop {
        let v: u64 = lrs::receive(&[]);
        if v == STOP {
            return;
        }
        peer.send(&v);
    }
}

/// Sends its id to `peer` (a `pong`), then does `n` round trips and stops the peer.
#[no_mangle]
pub extern "C" fn ping(peer: u64, n: u64) {
    let peer = lrs::Process::local(peer);
    peer.send(&lrs::Process::this());
    for i in 0..n {
        peer.send(&i);
        let r: u64 = lrs::receive(&[]);
        assert_eq!(r, i, "pong echoed a different value");
    }
    peer.send(&STOP);
}

/// One ring member: receives the id of the next member (a u64 from the benchmark), then
/// forwards the token (the number of hops left) decremented. A token of 0 is forwarded
/// once more and ends the member, so the 0 makes one last lap that ends the whole ring.
#[no_mangle]
pub extern "C" fn ring_node() {
    let next = lrs::Process::local(lrs::receive(&[]));
    loop {
        let t: u64 = lrs::receive(&[]);
        if t == 0 {
            next.send(&0u64);
            return;
        }
        next.send(&(t - 1));
    }
}

fn main() {}
