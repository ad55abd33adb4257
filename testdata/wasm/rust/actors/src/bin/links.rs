//! Links and monitors with die_when_link_dies(0): LinkDied tags, silence on normal exit,
//! link to a dead process, ProcessDied from monitor, stop_monitoring, kill of a child blocked
//! in receive and in sleep_ms, unlink, a cascade through a middle process, and the child's
//! tag-0 LinkDied when its parent fails.
use guest::*;

fn panicker(_: ()) {
    panic!("linked child panics");
}

fn finisher(parent: u64) {
    send(parent, 0, &String::from("done"));
}

fn wait_then_exit(_: ()) {
    let _: u64 = recv();
}

fn wait_then_panic(_: ()) {
    let _: u64 = recv();
    panic!("unlinked child panics");
}

fn block_in_receive(_: ()) {
    let _: u64 = recv();
    unreachable!("nobody sends");
}

fn block_in_sleep(_: ()) {
    sleep_ms(1_000_000);
}

fn middle(_: ()) {
    spawn_link(new_tag(), (), panicker);
    sleep_ms(1_000_000);
}

/// Spawns a linked grandchild that catches link deaths, then panics once it is ready.
fn failing_parent(top: u64) {
    spawn_link(new_tag(), (top, this()), watcher);
    let _: String = recv();
    panic!("parent fails on purpose");
}

fn watcher((top, parent): (u64, u64)) {
    die_when_link_dies(false);
    send(parent, 0, &String::from("ready"));
    let got = receive(&[], Some(5000));
    send(top, 0, &format!("{:?}", got));
}

fn expect(what: &str, got: Received, want: Received) {
    assert_eq!(got, want, "{}", what);
    println!("{}: ok", what);
}

fn main() {
    die_when_link_dies(false);
    let me = this();
    println!("exists(self): {}", exists(me));

    let t = 1001;
    spawn_link(t, (), panicker);
    expect("panicking linked child -> LinkDied(1001)", receive(&[], Some(5000)), Received::LinkDied(t));

    spawn_link(1002, me, finisher);
    println!("normal child said: {}", recv::<String>());
    expect("normal exit -> no message", receive(&[], Some(100)), Received::Timeout);

    let c = spawn(( ), wait_then_exit);
    monitor(c);
    send(c, 0, &0u64);
    expect("monitor -> ProcessDied(child)", receive(&[], Some(5000)), Received::ProcessDied(c));
    println!("exists(dead child): {}", exists(c));
    link(1003, c);
    expect("link to dead process -> LinkDied(1003)", receive(&[], Some(100)), Received::LinkDied(1003));
    monitor(c);
    expect("monitor of dead process -> nothing", receive(&[], Some(100)), Received::Timeout);

    let c = spawn((), wait_then_exit);
    monitor(c);
    stop_monitoring(c);
    send(c, 0, &0u64);
    expect("stop_monitoring -> nothing", receive(&[], Some(100)), Received::Timeout);

    let c = spawn_link(1004, (), block_in_receive);
    kill(c);
    expect("kill child blocked in receive -> LinkDied(1004)", receive(&[], Some(5000)), Received::LinkDied(1004));
    let c = spawn_link(1005, (), block_in_sleep);
    sleep_ms(10);
    kill(c);
    expect("kill child blocked in sleep_ms -> LinkDied(1005)", receive(&[], Some(5000)), Received::LinkDied(1005));
    println!("exists(killed child): {}", exists(c));

    let c = spawn_link(1006, (), wait_then_panic);
    unlink(c);
    monitor(c);
    send(c, 0, &0u64);
    expect("unlinked child panics -> ProcessDied only", receive(&[], Some(5000)), Received::ProcessDied(c));
    expect("unlinked child panics -> no LinkDied", receive(&[], Some(100)), Received::Timeout);
    unlink(987_654_321);
    kill(987_654_321);
    println!("unlink/kill of unknown pid: ok");

    spawn_link(1007, (), middle);
    expect("grandchild panic kills middle -> LinkDied(1007)", receive(&[], Some(5000)), Received::LinkDied(1007));

    spawn(me, failing_parent);
    let report: String = receive(&[], Some(5000)).data();
    println!("child of failed parent got: {}", report);

    let c = spawn_link(1008, (), block_in_receive);
    die_when_link_dies(true);
    unlink(c);
    kill(c);
    sleep_ms(50);
    println!("kill after unlink with die_when_link_dies(1): still alive");
}
