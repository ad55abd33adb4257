//! A ring of 1,000 processes; a token goes around LAPS times (argv[1], default 3) and
//! every process adds its position (1..=1000) to it.
//! Checks: 1,000 concurrent processes, message forwarding, capture delivery.
use guest::*;

const SIZE: u64 = 1000;
const TOKEN: u64 = 1;
const STOP: u64 = 2;

fn node((position, _): (u64, u64)) {
    let next: u64 = recv();
    loop {
        let (kind, value): (u64, u64) = recv();
        match kind {
            TOKEN => send(next, 0, &(TOKEN, value + position)),
            STOP => {
                send(next, 0, &(STOP, 0u64));
                return;
            }
            _ => panic!("bad token kind {}", kind),
        }
    }
}

fn main() {
    let laps: u64 = std::env::args().nth(1).map_or(3, |a| a.parse().expect("laps"));
    let me = this();
    let nodes: Vec<u64> = (1..=SIZE).map(|p| spawn_link(new_tag(), (p, me), node)).collect();
    for (i, pid) in nodes.iter().enumerate() {
        let next = nodes.get(i + 1).copied().unwrap_or(me);
        send(*pid, 0, &next);
    }
    let mut sum = 0u64;
    for _ in 0..laps {
        send(nodes[0], 0, &(TOKEN, sum));
        let (kind, value): (u64, u64) = recv();
        assert_eq!(kind, TOKEN);
        sum = value;
    }
    send(nodes[0], 0, &(STOP, 0u64));
    let (kind, _): (u64, u64) = recv();
    assert_eq!(kind, STOP);
    assert_eq!(sum, laps * SIZE * (SIZE + 1) / 2);
    println!("ring: {} processes, {} laps, sum {}", SIZE, laps, sum);
}
