//! Selective receive: tag filters leave other messages queued in order, multi-tag
//! filters take the oldest match, untagged messages never match (not even filter [0]),
//! timeout 0 polls (9027, scratch unchanged), waiting on a tag queues other arrivals,
//! strict FIFO per sender (also right after a timed-out receive).
use guest::message::{receive_code, scratch_tag, TIMEOUT};
use guest::*;

fn sender((parent, n): (u64, u64)) {
    for i in 0..n {
        send(parent, 0, &i);
    }
}

fn late_tagged(parent: u64) {
    send(parent, 0, &String::from("u1"));
    sleep_ms(30);
    send(parent, 42, &String::from("t42"));
}

fn after_go(parent: u64) {
    let _: u64 = recv();
    send(parent, 0, &String::from("A"));
    send(parent, 0, &String::from("B"));
}

fn s(r: Received) -> String {
    r.data()
}

fn main() {
    let me = this();
    for (tag, text) in [(1, "a"), (2, "b"), (1, "c"), (0, "d"), (3, "e")] {
        send(me, tag, &String::from(text));
    }
    let filters: [&[i64]; 5] = [&[2], &[3], &[1], &[], &[]];
    let order: Vec<String> = filters
        .iter()
        .map(|tags| s(receive(tags, None)))
        .collect();
    println!("filters [2] [3] [1] [] []: {}", order.join(" "));

    send(me, 10, &String::from("x"));
    send(me, 11, &String::from("y"));
    send(me, 0, &String::from("z"));
    println!("filter [11, 10]: {}", s(receive(&[11, 10], None)));
    println!("then [11]: {}", s(receive(&[11], None)));
    let code = receive_code(&[0], 0);
    println!("untagged vs filter [0], timeout 0: {}", code);
    let code = receive_code(&[99], 0);
    println!("filter [99], timeout 0: {}", code);
    println!("scratch after timeout still holds tag {}", scratch_tag());
    println!("then []: {}", s(receive(&[], None)));
    let code = receive_code(&[], 0);
    println!("empty mailbox, timeout 0: {}", code);
    assert_eq!(code, TIMEOUT);

    spawn(me, late_tagged);
    let t = receive(&[42], Some(5000));
    println!("waited for tag 42: {}", s(t));
    println!("untagged arrival was queued: {}", s(receive(&[], Some(5000))));

    let c = spawn(me, after_go);
    println!("receive with 10 ms timeout on empty mailbox: {:?}", receive(&[], Some(10)));
    send(c, 0, &0u64);
    let a = s(receive(&[], Some(5000)));
    let b = s(receive(&[], Some(5000)));
    println!("after a timed-out receive, FIFO: {} {}", a, b);

    for i in 0..100u64 {
        send(me, 7, &i);
    }
    let in_order = (0..100u64).all(|i| recv_tag::<u64>(7) == i);
    println!("100 self-sent tagged messages in order: {}", in_order);

    spawn((me, 1000), sender);
    let in_order = (0..1000u64).all(|i| recv::<u64>() == i);
    println!("1000 messages from one child in order: {}", in_order);
    assert_eq!(receive(&[], Some(0)), Received::Timeout);
}
