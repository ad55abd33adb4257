//! A small actor system that keeps working for a while, for the observer page and its
//! browser test: the root monitors three supervisors; each supervises four workers (one of
//! which crashes every 40 rounds and is restarted) and a slow worker whose mailbox piles
//! up, spawns a short-lived task every round and holds a pending timer. Names: "main",
//! "supervisor-1" … "supervisor-3". Runs SECONDS (argv[1], default 30; 0 = until killed).
use guest::*;

fn worker((supervisor, index): (u64, u64)) {
    let mut state: Vec<u64> = Vec::new();
    loop {
        let (round, from): (u64, u64) = recv();
        let mut acc = round;
        for i in 0..20_000u64 {
            acc = acc.wrapping_mul(6364136223846793005).wrapping_add(i);
        }
        if state.len() < 40_000 {
            state.extend_from_slice(&[acc; 64]);
        }
        if index == 0 && round % 40 == 39 {
            panic!("worker 0 of supervisor {} crashes on round {}", supervisor, round);
        }
        send(from, 0, &(index, acc));
    }
}

fn slow(_: ()) {
    loop {
        let _: (u64, u64) = recv();
        sleep_ms(300);
    }
}

fn task(n: u64) {
    let mut acc = n;
    for i in 0..5_000u64 {
        acc = acc.rotate_left(7) ^ i;
    }
    if acc == u64::MAX {
        println!("task {}: an unlikely checksum", n);
    }
}

fn supervisor((n, _root): (u64, u64)) {
    die_when_link_dies(false);
    let me = this();
    registry::put(&format!("supervisor-{}", n), process::node_id(), me);
    let mut tags = Vec::new();
    let mut pids = Vec::new();
    for i in 0..4u64 {
        let tag = new_tag();
        pids.push(spawn_link(tag, (me, i), worker));
        tags.push(tag);
    }
    let slow_pid = spawn_link(new_tag(), (), slow);
    timer::send_after(me, 0, &(0u64, 0u64), 3_600_000);
    let mut round = 0u64;
    loop {
        round += 1;
        for pid in &pids {
            send(*pid, 0, &(round, me));
        }
        send(slow_pid, 0, &(round, me));
        spawn(round, task);
        let mut replies = 0;
        while replies < pids.len() {
            match receive(&[], Some(2000)) {
                Received::Data { .. } => replies += 1,
                Received::LinkDied(tag) => {
                    if let Some(i) = tags.iter().position(|t| *t == tag) {
                        let tag = new_tag();
                        pids[i] = spawn_link(tag, (me, i as u64), worker);
                        tags[i] = tag;
                        replies += 1;
                    }
                }
                Received::Timeout => break,
                Received::ProcessDied(_) => {}
            }
        }
        sleep_ms(50);
    }
}

fn main() {
    let seconds: u64 = std::env::args().nth(1).map_or(30, |a| a.parse().expect("SECONDS"));
    let me = this();
    registry::put("main", process::node_id(), me);
    die_when_link_dies(false);
    for n in 1..=3u64 {
        let pid = spawn_link(new_tag(), (n, me), supervisor);
        monitor(pid);
    }
    println!("busy: 3 supervisors started");
    let mut tenths = 0u64;
    while seconds == 0 || tenths < seconds * 10 {
        sleep_ms(100);
        tenths += 1;
    }
    println!("busy: done after {} s", seconds);
}
