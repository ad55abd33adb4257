//! A supervisor catches link deaths and restarts a flaky child (identified by its link tag)
//! until it succeeds on attempt 4. A stable sibling with its own tag keeps running and is
//! finally killed. Checks: die_when_link_dies(0), LinkDied tags, no message on normal exit,
//! kill counts as failure.
use guest::*;

fn flaky((attempt, parent): (u64, u64)) {
    if attempt < 4 {
        panic!("flaky child crash on attempt {}", attempt);
    }
    send(parent, 0, &format!("ok from attempt {}", attempt));
}

fn stable(_: ()) {
    loop {
        let _: u64 = recv();
    }
}

fn main() {
    die_when_link_dies(false);
    let me = this();
    let stable_tag = new_tag();
    let stable_pid = spawn_link(stable_tag, (), stable);
    println!("supervisor: started stable worker");

    let mut attempt = 1u64;
    let mut flaky_tag = new_tag();
    spawn_link(flaky_tag, (attempt, me), flaky);
    println!("supervisor: started flaky attempt {}", attempt);
    loop {
        match receive(&[], Some(5000)) {
            Received::LinkDied(tag) if tag == flaky_tag => {
                println!("supervisor: flaky attempt {} died (tag matched)", attempt);
                attempt += 1;
                flaky_tag = new_tag();
                spawn_link(flaky_tag, (attempt, me), flaky);
                println!("supervisor: restarted flaky as attempt {}", attempt);
            }
            Received::Data { bytes, .. } => {
                let text: String = decode(&bytes);
                println!("supervisor: flaky replied: {}", text);
                break;
            }
            other => panic!("unexpected {:?}", other),
        }
    }
    assert_eq!(receive(&[], Some(100)), Received::Timeout, "normal exit must not notify");
    println!("supervisor: flaky finished normally, no LinkDied");

    assert!(exists(stable_pid));
    kill(stable_pid);
    assert_eq!(receive(&[], Some(5000)), Received::LinkDied(stable_tag));
    println!("supervisor: stable worker killed, LinkDied tag matched");
    assert!(!exists(stable_pid));
    println!("supervisor: done after {} attempts", attempt);
}
