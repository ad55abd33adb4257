//! A linked child spins in an endless loop without host calls; the parent sleeps briefly,
//! kills it and gets LinkDied. Checks: preemption of a busy guest, kill of a running guest.
use guest::*;

fn spinner(_: ()) {
    let mut n = 0u64;
    loop {
        // Volatile so the loop is not optimised away.
        unsafe { std::ptr::write_volatile(&mut n, n.wrapping_add(1)) };
    }
}

fn main() {
    die_when_link_dies(false);
    let child = spawn_link(5001, (), spinner);
    sleep_ms(50);
    println!("child alive while spinning: {}", exists(child));
    kill(child);
    match receive(&[], Some(10_000)) {
        Received::LinkDied(5001) => println!("killed"),
        other => panic!("expected LinkDied(5001), got {:?}", other),
    }
    println!("child alive after kill: {}", exists(child));
}
