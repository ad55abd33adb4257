//! Entry points the benchmarks spawn directly (vm.SpawnOptions.Entry), the way a
//! lunatic-rs program's processes start: no `_start`, one export per process shape.
//! Messages are u64 values in the guest crate's encoding (8 bytes, little endian).
use guest::*;
use guest::message;

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
    let _ = receive(&[], None);
}

/// Receives the peer's id, then echoes every value back to it until STOP.
#[no_mangle]
pub extern "C" fn pong() {
    let peer: u64 = recv();
    loop {
        let v: u64 = recv();
        if v == STOP {
            return;
        }
        send(peer, 0, &v);
    }
}

/// Sends its id to `peer` (a `pong`), then does `n` round trips and stops the peer.
#[no_mangle]
pub extern "C" fn ping(peer: u64, n: u64) {
    send(peer, 0, &this());
    for i in 0..n {
        send(peer, 0, &i);
        let r: u64 = recv();
        assert_eq!(r, i, "pong echoed a different value");
    }
    send(peer, 0, &STOP);
}

/// One ring member: receives the id of the next member, then forwards the token (the
/// number of hops left) decremented. A token of 0 is forwarded once more and ends the
/// member, so the 0 makes one last lap that ends the whole ring.
#[no_mangle]
pub extern "C" fn ring_node() {
    let next: u64 = recv();
    loop {
        let t: u64 = recv();
        if t == 0 {
            send(next, 0, &0u64);
            return;
        }
        send(next, 0, &(t - 1));
    }
}

fn main() {}
