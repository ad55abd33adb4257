//! A program that uses every node of a cluster, one mode per run:
//!   tour            a member process on every node registers a name; every member looks
//!                   up every name; the root ping-pongs and request/replies with each
//!                   member; each member streams numbered messages to the next one;
//!                   every member removes its name and ends
//!   stream B C      the root streams numbered messages to a member on node B (acknowledged
//!                   in windows) until a line arrives on stdin, checks that B got every
//!                   one in order, then reaches a member on node C (by request/reply,
//!                   retried) that was started before the line
//!   lose NAME       a member on node NAME registers a name; once NAME is no longer
//!                   listed, a spawn, a request and a lookup of its name all fail
//!   example NAME    the flow of lunatic-rs's `distributed` example: a server on node
//!                   NAME started with a config of max_memory 1_500_000 and max_fuel 1
//!                   answers a request, then a process on every node, started with the
//!                   same config, prints on its own node
use dist::*;

/// A command for a member: (kind, address, number, list).
type Cmd = (u64, Addr, u64, Vec<u64>);

const LOOKUP: u64 = 1; // look up the name of every node in list, reply to address
const PING: u64 = 2; // reply number + 1 to address, tagged with list[0]
const STREAM: u64 = 3; // send `number` numbered messages to the member at address
const SEQ: u64 = 4; // one numbered message: (SEQ, sender, seq, [total])
const STOP: u64 = 5; // remove the name, reply to address, end

const WINDOW: u64 = 64;

fn name_of(node: u64) -> String {
    format!("tour/member-{}", node)
}

/// A member on some node: registers its name and serves commands until STOP.
fn member(parent: Addr) {
    let me = this();
    guest::registry::put(&name_of(me.node), me.node, me.pid);
    send(parent, 0, &(0u64, me, 0u64, vec![]) as &Cmd);
    let mut expect: Vec<(Addr, u64)> = Vec::new();
    let mut in_order = true;
    loop {
        let (kind, addr, n, list): Cmd = guest::recv();
        match kind {
            LOOKUP => {
                let found: Vec<Option<(u64, u64)>> =
                    list.iter().map(|node| guest::registry::get(&name_of(*node))).collect();
                let flat: Vec<u64> =
                    found.iter().flat_map(|f| { let (a, b) = f.unwrap_or((0, 0)); vec![a, b] }).collect();
                send(addr, 0, &(LOOKUP, me, 0u64, flat) as &Cmd);
            }
            PING => send(addr, list[0] as i64, &(n + 1)),
            STREAM => {
                for i in 0..n {
                    send(addr, 0, &(SEQ, me, i, vec![n]) as &Cmd);
                }
            }
            SEQ => {
                let slot = match expect.iter().position(|(a, _)| *a == addr) {
                    Some(i) => i,
                    None => {
                        expect.push((addr, 0));
                        expect.len() - 1
                    }
                };
                if expect[slot].1 != n {
                    in_order = false;
                }
                expect[slot].1 = n + 1;
                if n + 1 == list[0] {
                    send(parent, 0, &(SEQ, addr, if in_order { n + 1 } else { 0 }, vec![me.node]) as &Cmd);
                }
            }
            STOP => {
                guest::registry::remove(&name_of(me.node));
                send(addr, 0, &(STOP, me, 0u64, vec![]) as &Cmd);
                return;
            }
            other => panic!("unknown command {}", other),
        }
    }
}

fn tour() {
    let me = this();
    let nodes = nodes();
    assert!(nodes.len() >= 3, "need three nodes, have {:?}", nodes);
    let mut members = Vec::new();
    for node in &nodes {
        let m = spawn_on(*node, me, member).expect("spawn a member");
        let (_, reg, _, _): Cmd = guest::recv();
        assert_eq!(reg, m, "the member registered another address");
        members.push(m);
    }
    println!("tour: a member on each of {} nodes", nodes.len());

    for m in &members {
        send(*m, 0, &(LOOKUP, me, 0u64, nodes.clone()) as &Cmd);
        let (_, from, _, flat): Cmd = guest::recv();
        for (i, want) in members.iter().enumerate() {
            let got = Addr { node: flat[2 * i], pid: flat[2 * i + 1] };
            assert_eq!(got, *want, "node {} found another process under {}", from.node, name_of(want.node));
        }
    }
    println!("tour: every node finds every name");

    for m in &members {
        let mut n = 0u64;
        for _ in 0..50 {
            send(*m, 0, &(PING, me, n, vec![0u64]) as &Cmd);
            let reply: u64 = guest::recv();
            assert_eq!(reply, n + 1, "replies must come back in order");
            n = reply;
        }
        for _ in 0..50 {
            let tag = guest::new_tag();
            let reply: u64 = request(*m, tag, &(PING, me, n, vec![tag as u64]) as &Cmd, 10_000).expect("request timed out");
            assert_eq!(reply, n + 1);
            n = reply;
        }
        assert_eq!(n, 100);
    }
    println!("tour: 100 round trips with each member");

    let k = members.len();
    for (i, m) in members.iter().enumerate() {
        send(*m, 0, &(STREAM, members[(i + 1) % k], 200u64, vec![]) as &Cmd);
    }
    for _ in 0..k {
        let (kind, _, count, _): Cmd = guest::recv();
        assert_eq!(kind, SEQ);
        assert_eq!(count, 200, "a member got numbered messages out of order");
    }
    println!("tour: each member got 200 numbered messages in order from the previous one");

    for m in &members {
        send(*m, 0, &(STOP, me, 0u64, vec![]) as &Cmd);
        let (kind, _, _, _): Cmd = guest::recv();
        assert_eq!(kind, STOP);
    }
    for node in &nodes {
        assert_eq!(guest::registry::get(&name_of(*node)), None, "a removed name is still found");
    }
    println!("tour: every name removed");
}

fn node_named(name: &str) -> u64 {
    let found = lookup_nodes(&format!("name={}", name)).expect("lookup");
    assert_eq!(found.len(), 1, "node {} not found", name);
    found[0]
}

/// Streams numbered messages to `to` in acknowledged windows until a stop message
/// (tag 3) arrives; then reports the count to `root`.
fn streamer((root, to): (Addr, Addr)) {
    let me = this();
    let mut sent = 0u64;
    loop {
        for _ in 0..WINDOW {
            send(to, 0, &(SEQ, me, sent, vec![u64::MAX]) as &Cmd);
            sent += 1;
        }
        // The member acknowledges each window with a ping reply tagged 2.
        let tag = 2i64;
        send(to, 0, &(PING, me, sent, vec![tag as u64]) as &Cmd);
        let acked: u64 = guest::recv_tag(tag);
        assert_eq!(acked, sent + 1);
        if let guest::Received::Data { .. } = guest::receive(&[3], Some(0)) {
            send(root, 0, &sent);
            return;
        }
    }
}

fn stream(b: &str, c: &str) {
    let me = this();
    let (nb, nc) = (node_named(b), node_named(c));
    let mb = spawn_on(nb, me, member).expect("spawn on B");
    let _: Cmd = guest::recv();
    let mc = spawn_on(nc, me, member).expect("spawn on C");
    let _: Cmd = guest::recv();
    let s = guest::spawn((me, mb), streamer);
    println!("streaming");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).expect("read stdin");
    guest::message::send(s, 3, &());
    let sent: u64 = guest::recv();
    // Ask B how far it got: a PING carries no order check, so end the stream with
    // the last numbered message (total = sent) and wait for B's report.
    send(mb, 0, &(SEQ, s_addr(s), sent, vec![sent + 1]) as &Cmd);
    let (kind, _, count, _): Cmd = guest::recv();
    assert_eq!(kind, SEQ);
    assert_eq!(count, sent + 1, "B lost or reordered numbered messages");
    println!("stream: B got every message in order");
    let mut tries = 0;
    loop {
        tries += 1;
        let tag = guest::new_tag();
        if let Some(v) = request::<Cmd, u64>(mc, tag, &(PING, me, 41u64, vec![tag as u64]), 1_000) {
            assert_eq!(v, 42);
            break;
        }
        assert!(tries < 30, "node C's member never answered");
    }
    assert!(nodes().contains(&nc), "node C is no longer listed");
    println!("stream: C's member answers, node C still listed");
}

fn s_addr(pid: u64) -> Addr {
    Addr { node: node_id(), pid }
}

fn lose(name: &str) {
    let me = this();
    let victim = node_named(name);
    let m = spawn_on(victim, me, member).expect("spawn on the victim");
    let _: Cmd = guest::recv();
    assert_eq!(guest::registry::get(&name_of(victim)), Some((m.node, m.pid)));
    println!("waiting for node {} to leave", name);
    let mut waited = 0;
    while nodes().contains(&victim) {
        assert!(waited < 60_000, "node {} is still listed after 60 s", name);
        guest::sleep_ms(20);
        waited += 20;
    }
    println!("node {} left", name);
    println!("spawn on the lost node: {}", spawn_raw(victim, module_id(), member).0);
    let tag = guest::new_tag();
    guest::message::create(tag, &guest::encode(&(PING, me, 1u64, vec![tag as u64]) as &Cmd));
    let code = unsafe { raw::send_receive_skip_search(m.node, m.pid, tag, 2_000) };
    println!("request to the lost node: {}", code);
    println!("name of the lost node found: {}", guest::registry::get(&name_of(victim)).is_some());
}

/// The example's server (its `Adder`): reports whether its memory may grow past its
/// config's limit, then adds pairs of numbers on request, printing each pair on its node.
fn server(parent: Addr) {
    let refused = core::arch::wasm32::memory_grow(0, 100) == usize::MAX;
    send(parent, 0, &refused);
    loop {
        let (from, tag, a, b): (Addr, i64, u64, u64) = guest::recv();
        println!("got {}, {} to add", a, b);
        send(from, tag, &(a + b));
    }
}

/// The example's `hello`: prints on its node, adds the number it is sent to its start
/// value, and tells the parent where it ran.
fn hello((parent, start): (Addr, u64)) {
    println!("hello from node {}", node_id());
    let m: u64 = guest::recv();
    println!("{} + {} = {}", start, m, start + m);
    send(parent, 0, &node_id());
}

fn example(name: &str) {
    let me = this();
    let target = node_named(name);
    let config = guest::Config::new().expect("create a config");
    config.set_max_memory(1_500_000);
    config.set_max_fuel(1);
    let srv = spawn_config_on(target, config.id() as i64, me, server)
        .unwrap_or_else(|(code, _)| panic!("spawn the server on node {}: {}", name, code));
    let refused: bool = guest::recv();
    let tag = guest::new_tag();
    let sum: u64 = request(srv, tag, &(me, tag, 1u64, 1u64), 10_000).expect("the server did not answer");
    println!("server on node {}: memory limited to its config: {}, 1 + 1 = {}", name, refused, sum);
    let nodes = nodes();
    let msgs = [10u64, 582, 172, 45];
    let procs: Vec<Addr> = nodes
        .iter()
        .map(|node| spawn_config_on(*node, config.id() as i64, (me, 101u64), hello).expect("spawn hello"))
        .collect();
    for (i, p) in procs.iter().enumerate() {
        send(*p, 0, &msgs[i % msgs.len()]);
    }
    let mut seen: Vec<u64> = (0..nodes.len()).map(|_| guest::recv::<u64>()).collect();
    seen.sort();
    assert_eq!(seen, nodes, "a hello ran on the wrong node");
    println!("hello ran on each of {} nodes", nodes.len());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("tour") => tour(),
        Some("stream") => stream(&args[2], &args[3]),
        Some("lose") => lose(&args[2]),
        Some("example") => example(&args[2]),
        other => panic!("unknown mode {:?}", other),
    }
}
