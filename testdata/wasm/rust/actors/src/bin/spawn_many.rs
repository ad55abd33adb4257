//! Spawns 10,000 children; child i replies (i, i*i). The parent checks every index once
//! and the sum. Checks: spawn throughput, many short-lived processes, id allocation.
use guest::*;

const N: u64 = 10_000;

fn child((i, parent): (u64, u64)) {
    send(parent, 0, &(i, i * i));
}

fn main() {
    let me = this();
    let mut seen = vec![false; N as usize];
    for i in 0..N {
        spawn((i, me), child);
    }
    let mut sum = 0u64;
    for _ in 0..N {
        let (i, sq): (u64, u64) = recv();
        assert_eq!(sq, i * i);
        assert!(!seen[i as usize], "duplicate reply {}", i);
        seen[i as usize] = true;
        sum += sq;
    }
    assert_eq!(sum, (N - 1) * N * (2 * N - 1) / 6);
    println!("spawn_many: {} replies, sum {}", N, sum);
}
