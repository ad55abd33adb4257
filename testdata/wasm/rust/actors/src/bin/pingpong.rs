//! Two processes bounce a counter 1,000 times; each side adds one.
//! Checks: spawn with a capture, untagged send/receive, per-pair FIFO.
use guest::*;

const ROUNDS: u64 = 1000;

fn ponger(parent: u64) {
    loop {
        let n: u64 = recv();
        if n >= ROUNDS {
            send(parent, 0, &u64::MAX);
            return;
        }
        send(parent, 0, &(n + 1));
    }
}

fn main() {
    let child = spawn_link(new_tag(), this(), ponger);
    let mut n = 0u64;
    loop {
        send(child, 0, &n);
        let reply: u64 = recv();
        if reply == u64::MAX {
            break;
        }
        assert_eq!(reply, n + 1, "ponger must return counter + 1");
        n = reply + 1;
    }
    println!("pingpong: {} bounces, final counter {}", ROUNDS, n);
}
