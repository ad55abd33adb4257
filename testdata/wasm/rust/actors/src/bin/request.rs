//! Request/response with send_receive_skip_search: without timeout, with a timeout that is
//! met, with one that expires (9027, late reply stays queued), and the "skip search" rule
//! (a matching message queued before the call is not taken).
use guest::message::{send_receive_skip_search, TIMEOUT};
use guest::*;

const REQUEST: i64 = 7 << 56 | 5;

/// Request: (reply_to, reply_tag, n, delay_ms). Reply: n * 2, tagged reply_tag.
fn server(_: ()) {
    loop {
        let (reply_to, reply_tag, n, delay): (u64, i64, u64, u64) = recv_tag(REQUEST);
        if delay > 0 {
            sleep_ms(delay);
        }
        send(reply_to, reply_tag, &(n * 2));
    }
}

fn main() {
    let srv = spawn_link(new_tag(), (), server);
    let me = this();

    let tag = new_tag();
    let (code, reply) = send_receive_skip_search(srv, REQUEST, &(me, tag, 20u64, 0u64), tag, None);
    assert_eq!(reply.tag(), tag);
    println!("request 20 without timeout: code {}, reply {}", code, reply.data::<u64>());

    let tag = new_tag();
    let (code, reply) =
        send_receive_skip_search(srv, REQUEST, &(me, tag, 21u64, 0u64), tag, Some(5000));
    println!("request 21 with 5000 ms timeout: code {}, reply {}", code, reply.data::<u64>());

    let tag = new_tag();
    let (code, reply) =
        send_receive_skip_search(srv, REQUEST, &(me, tag, 22u64, 300u64), tag, Some(20));
    assert_eq!(reply, Received::Timeout);
    assert_eq!(code, TIMEOUT);
    println!("request 22 (server sleeps 300 ms) with 20 ms timeout: code {}", code);
    let late: u64 = recv_tag(tag);
    println!("late reply to request 22 was queued: {}", late);

    // A message with the awaited tag is already queued: it must be skipped.
    let tag = new_tag();
    send(me, tag, &999u64);
    let (code, reply) =
        send_receive_skip_search(srv, REQUEST, &(me, tag, 23u64, 0u64), tag, Some(5000));
    println!("skip search: code {}, reply {} (not the queued 999)", code, reply.data::<u64>());
    let queued: u64 = recv_tag(tag);
    println!("queued message still there: {}", queued);

    // Untagged messages never match tag 0.
    send(me, 0, &1u64);
    let (code, _) = send_receive_skip_search(srv, REQUEST, &(me, 0i64, 24u64, 0u64), 0, Some(50));
    println!("wait on tag 0: code {}", code);
    let first: u64 = receive(&[], Some(5000)).data();
    let second: u64 = receive(&[], Some(5000)).data();
    println!("untagged messages, oldest first: {} then the reply {}", first, second);
    assert_eq!(receive(&[], Some(0)), Received::Timeout, "mailbox must be empty");
}
