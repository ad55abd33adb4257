//! Ping-pong with a process on every other node: plain sends both ways, then
//! request/reply through send_receive_skip_search. Per-pair order makes the counter
//! come back in sequence.
use dist::*;

const ROUNDS: u64 = 200;

/// Answers (from, reply_tag, n) with n + 1, tagged reply_tag.
fn pong(_: ()) {
    loop {
        let (from, tag, n): (Addr, i64, u64) = guest::recv();
        send(from, tag, &(n + 1));
    }
}

fn main() {
    let me = this();
    let others = other_nodes();
    assert!(!others.is_empty(), "no other node in the cluster");
    for node in others {
        let ponger = spawn_on(node, (), pong).expect("spawn pong");
        assert_eq!(ponger.node, node);
        let mut n = 0u64;
        for _ in 0..ROUNDS {
            send(ponger, 0, &(me, 0i64, n));
            let reply: u64 = guest::recv();
            assert_eq!(reply, n + 1, "replies must come back in order");
            n = reply;
        }
        for _ in 0..ROUNDS {
            let tag = guest::new_tag();
            let reply: u64 = request(ponger, tag, &(me, tag, n), 10_000).expect("request timed out");
            assert_eq!(reply, n + 1);
            n = reply;
        }
        assert_eq!(n, 2 * ROUNDS);
        println!("pingpong: {} round trips with another node", 2 * ROUNDS);
    }
}
