//! A child with config_set_max_fuel(1) (≈100,000 instructions) formats 10,000 integers
//! and must run out of fuel; the linked parent catches the link death. A child with no
//! fuel limit does the same work and finishes.
use guest::*;

fn work(parent: u64) {
    let count = (0..10_000u64).map(|v| v.to_string()).filter(|s| !s.is_empty()).count();
    send(parent, 0, &(count as u64));
}

fn main() {
    die_when_link_dies(false);
    let me = this();
    let limited = Config::new().unwrap();
    limited.set_max_fuel(1);
    println!("max_fuel: {}", limited.max_fuel());
    spawn_with_config(&limited, 4001, me, work).unwrap();
    match receive(&[], Some(30_000)) {
        Received::LinkDied(4001) => println!("fuel: limited child ran out of fuel (LinkDied 4001)"),
        other => panic!("limited child must fail, got {:?}", other),
    }
    let unlimited = Config::new().unwrap();
    println!("default max_fuel: {}", unlimited.max_fuel());
    spawn_with_config(&unlimited, 4002, me, work).unwrap();
    println!("fuel: unlimited child formatted {} integers", recv::<u64>());
}
