//! Children with max_memory 1,200,000 bytes (as in lunatic-rs test config_with_memory_limit).
//! The module starts with 17 pages (1,114,112 bytes), so one more page (18 = 1,179,648 bytes)
//! is allowed and a 19th is refused: memory.grow returns -1 without trapping, and an
//! allocation that needs it aborts (the child fails, the linked parent gets LinkDied).
//! Note: in this binary ~51 KB of heap are free in the initial memory, so a single 80 KB Vec
//! fits after one grow; two of them (160 KB) do not.
use core::arch::wasm32::{memory_grow, memory_size};
use guest::*;

fn alloc(parent: u64, vectors: usize) {
    let held: Vec<Vec<u64>> = (0..vectors).map(|_| vec![0u64; 10_000]).collect();
    send(parent, 0, &(held.len() as u64, memory_size(0) as u64));
}

fn one_vec(parent: u64) {
    alloc(parent, 1)
}

fn two_vecs(parent: u64) {
    alloc(parent, 2)
}

fn small(parent: u64) {
    let v = vec![1u8; 1024];
    send(parent, 0, &(v.len() as u64));
}

fn raw_grow(parent: u64) {
    let before = memory_size(0) as i64;
    let two = memory_grow(0, 2) as isize as i64;
    let after_refused = memory_size(0) as i64;
    let one = memory_grow(0, 1) as isize as i64;
    send(parent, 0, &(before, two, after_refused, one, memory_size(0) as i64));
}

fn main() {
    die_when_link_dies(false);
    let me = this();
    let cfg = Config::new().unwrap();
    cfg.set_max_memory(1_200_000);
    println!("max_memory: {}", cfg.max_memory());
    spawn_with_config(&cfg, 6001, me, small).expect("initial memory fits in the limit");
    println!("small allocation under the limit: {} bytes", recv::<u64>());
    spawn_with_config(&cfg, 6002, me, raw_grow).unwrap();
    let (before, two, refused, one, after): (i64, i64, i64, i64, i64) = recv();
    println!(
        "memory.grow: {} pages, grow by 2 -> {} (size {}), grow by 1 -> {} (size {})",
        before, two, refused, one, after
    );
    spawn_with_config(&cfg, 6003, me, one_vec).unwrap();
    let (n, pages): (u64, u64) = recv();
    println!("one 80 KB Vec: ok ({} vector, memory {} pages)", n, pages);
    spawn_with_config(&cfg, 6004, me, two_vecs).unwrap();
    match receive(&[], Some(10_000)) {
        Received::LinkDied(6004) => println!("memlimit: two 80 KB Vecs failed (LinkDied 6004)"),
        other => panic!("160 KB must not fit under 1.2 MB, got {:?}", other),
    }
}
