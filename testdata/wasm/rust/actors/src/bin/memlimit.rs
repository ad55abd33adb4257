//! A child with max_memory 1,200,000 bytes allocating an 80 KB Vec (10,000 u64, as in
//! lunatic-rs test config_with_memory_limit) must fail: memory.grow past the limit returns -1
//! and the allocator aborts. A child with the same limit allocating 1 KB succeeds.
use guest::*;

fn big(parent: u64) {
    let v = vec![0u64; 10_000];
    send(parent, 0, &(v.len() as u64));
}

fn small(parent: u64) {
    let v = vec![1u8; 1024];
    send(parent, 0, &(v.len() as u64));
}

fn main() {
    die_when_link_dies(false);
    let me = this();
    let cfg = Config::new().unwrap();
    cfg.set_max_memory(1_200_000);
    println!("max_memory: {}", cfg.max_memory());
    spawn_with_config(&cfg, 6001, me, small).expect("initial memory fits in the limit");
    println!("small allocation under the limit: {} bytes", recv::<u64>());
    spawn_with_config(&cfg, 6002, me, big).expect("initial memory fits in the limit");
    match receive(&[], Some(10_000)) {
        Received::LinkDied(6002) => println!("memlimit: 80 KB allocation failed (LinkDied 6002)"),
        other => panic!("big allocation must fail, got {:?}", other),
    }
}
