//! Timers: ids from 0, deliveries in deadline order, cancel before firing (1, nothing
//! delivered), cancel of an unknown or already-cancelled id (0), delay 0, timer to another
//! process.
use guest::timer::{cancel_timer, send_after};
use guest::*;

fn relay(parent: u64) {
    let v: u64 = recv_tag(77);
    send(parent, 0, &(v + 1));
}

fn main() {
    let me = this();
    let (a, b, c) = (new_tag(), new_tag(), new_tag());
    let t0 = send_after(me, a, &1u64, 60);
    let t1 = send_after(me, b, &2u64, 10);
    println!("timer ids: {} {}", t0, t1);
    let first = receive(&[a, b], Some(5000));
    let second = receive(&[a, b], Some(5000));
    println!(
        "fired in order: tag b ({}) then tag a ({})",
        first.tag() == b,
        second.tag() == a
    );

    let t2 = send_after(me, c, &3u64, 300);
    println!("cancel pending timer {}: {}", t2, cancel_timer(t2));
    println!("cancel it again: {}", cancel_timer(t2));
    println!("cancel unknown timer: {}", cancel_timer(9999));
    println!("cancelled timer delivered: {}", receive(&[c], Some(400)) != Received::Timeout);

    let d = new_tag();
    send_after(me, d, &4u64, 0);
    println!("delay 0 delivered: {}", receive(&[d], Some(5000)).data::<u64>());

    let child = spawn_link(new_tag(), me, relay);
    send_after(child, 77, &10u64, 5);
    println!("timer to child, child replied: {}", recv::<u64>());
    assert_eq!(receive(&[], Some(0)), Received::Timeout, "mailbox must be empty");
    println!("timers: done");
}
