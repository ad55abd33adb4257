//! Registry: get of a missing name (1), put/get (0), overwrite, remove, get_or_spawn
//! (0 spawned, 2 already registered), dead processes stay registered.
use guest::process::node_id;
use guest::registry;
use guest::*;

fn echo(parent: u64) {
    let n: u64 = recv();
    send(parent, 0, &(n + 1));
}

fn idle(_: ()) {
    let _: u64 = recv();
}

fn main() {
    let me = this();
    let (code, _, _) = registry::get_raw("missing");
    println!("get missing: code {}", code);

    let a = spawn_link(new_tag(), (), idle);
    let b = spawn_link(new_tag(), (), idle);
    registry::put("worker", node_id(), a);
    let (code, node, pid) = registry::get_raw("worker");
    println!("get after put: code {}, node {}, same pid {}", code, node, pid == a);
    registry::put("worker", node_id(), b);
    println!("get after overwrite: now b {}", registry::get("worker") == Some((0, b)));
    registry::put("wörker/ünïcode", 0, 42);
    println!("unicode name, unchecked pid: {:?}", registry::get("wörker/ünïcode"));
    registry::remove("worker");
    println!("get after remove: code {}", registry::get_raw("worker").0);
    registry::remove("worker");
    println!("remove of absent name: ok");

    let first = Spawn::new().get_or_spawn("svc", me, echo);
    let svc = match first {
        GetOrSpawn::Spawned { node, pid } => {
            println!("get_or_spawn first: code 0, node {}", node);
            pid
        }
        other => panic!("expected Spawned, got {:?}", other),
    };
    let second = Spawn::new().get_or_spawn("svc", me, echo);
    match second {
        GetOrSpawn::Existing { pid, .. } => {
            println!("get_or_spawn second: code 2, same pid {}", pid == svc)
        }
        other => panic!("expected Existing, got {:?}", other),
    }
    println!("get svc: same pid {}", registry::get("svc") == Some((0, svc)));
    monitor(svc);
    send(svc, 0, &41u64);
    println!("svc replied {}", recv::<u64>());
    assert_eq!(receive(&[], Some(5000)), Received::ProcessDied(svc));
    println!("svc ended; still registered: code {}", registry::get_raw("svc").0);
    match Spawn::new().get_or_spawn("svc", me, echo) {
        GetOrSpawn::Existing { pid, .. } => println!("get_or_spawn on dead entry: code 2, dead pid {}", pid == svc),
        other => panic!("expected Existing, got {:?}", other),
    }
    registry::remove("svc");
    match Spawn::new().get_or_spawn("svc", me, echo) {
        GetOrSpawn::Spawned { pid, .. } => {
            println!("get_or_spawn after remove: code 0, new pid {}", pid != svc);
            send(pid, 0, &1u64);
            println!("new svc replied {}", recv::<u64>());
        }
        other => panic!("expected Spawned, got {:?}", other),
    }
    send(a, 0, &0u64);
    send(b, 0, &0u64);
}
