//! One pass over every host module: version, distributed, process, message, timer, error,
//! registry, trap, wasi, links and monitors, config and module compilation.
use guest::process::{environment_id, module_id, node_id};
use guest::timer::{cancel_timer, send_after};
use guest::*;

fn echo((parent, tag): (u64, i64)) {
    loop {
        let (n, reply_tag): (u64, i64) = recv_tag(tag);
        if n == 0 {
            return;
        }
        send(parent, reply_tag, &(n * 10));
    }
}

fn env_child(parent: u64) {
    let args: Vec<String> = std::env::args().collect();
    let v = std::env::var("LUNATIC_ALL").unwrap_or_default();
    send(parent, 0, &(args, v));
}

fn main() {
    let (major, minor, patch) = guest::version();
    assert_eq!((major, minor), (0, 13), "ABI version 0.13.x expected");
    eprintln!("runtime version {}.{}.{}", major, minor, patch);
    println!("version: {}.{}.x", major, minor);
    println!("distributed: node_id {} module_id {}", node_id(), module_id());
    println!("process: pid {} environment {}", this(), environment_id());

    let me = this();
    send(me, 3, &String::from("self message"));
    let got = receive(&[3], None);
    let at_end = guest::message::read_scratch();
    guest::message::seek(0);
    let again = guest::message::read_scratch();
    let bytes = match &got {
        Received::Data { bytes, .. } => bytes.clone(),
        other => panic!("expected data, got {:?}", other),
    };
    println!("message: {}", decode::<String>(&bytes));
    println!("message: read at end -> 0 bytes {}, seek_data(0) re-reads the same bytes {}", at_end.is_empty(), again == bytes);

    let tag = new_tag();
    let echo_pid = spawn_link(new_tag(), (me, tag), echo);
    let reply = new_tag();
    let (code, r) = guest::message::send_receive_skip_search(echo_pid, tag, &(4u64, reply), reply, Some(5000));
    println!("request: code {} reply {}", code, r.data::<u64>());

    let t = send_after(me, 9, &5u64, 5);
    println!("timer: id {} delivered {}", t, recv_tag::<u64>(9));
    let pending = send_after(me, 10, &6u64, 60_000);
    println!("timer: cancel pending -> {}, unknown id -> {}", cancel_timer(pending), cancel_timer(12345));

    registry::put("all/echo", node_id(), echo_pid);
    println!("registry: get {:?}", registry::get("all/echo").map(|(n, p)| (n, p == echo_pid)));
    registry::remove("all/echo");
    println!("registry: after remove {:?}", registry::get("all/echo"));

    let tiny = Config::new().unwrap();
    tiny.set_max_memory(0);
    match spawn_with_config(&tiny, 0, (), |_| {}) {
        Err(e) => println!("error: spawn with max_memory 0 -> error id {} with text {}", e.id(), !e.text().is_empty()),
        Ok(_) => panic!("spawn with max_memory 0 must fail"),
    }

    println!("trap: catch value {:?}, catch panic {:?}", catch(|| 7), catch(|| -> u8 { panic!("caught") }));

    let cfg = Config::new().unwrap();
    cfg.add_arg("all-child").add_env("LUNATIC_ALL", "yes");
    spawn_with_config(&cfg, 0, me, env_child).unwrap();
    let (args, v): (Vec<String>, String) = recv();
    println!("wasi: child args {:?} env LUNATIC_ALL={}", args, v);

    die_when_link_dies(false);
    spawn_link(77, (), |_| panic!("linked failure"));
    println!("links: {:?}", receive(&[], Some(5000)));
    monitor(echo_pid);
    send(echo_pid, tag, &(0u64, 0i64));
    let died = receive(&[], Some(5000));
    println!("monitor: ProcessDied of echo {}", died == Received::ProcessDied(echo_pid));
    println!("exists(echo) after exit: {}", exists(echo_pid));
    sleep_ms(1);
    println!("all: done");
}
