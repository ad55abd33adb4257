//! Failure cases of the distributed API, one mode per run:
//!   codes        remote spawn and send failures that return codes
//!   resource     sending a resource to another node (traps)
//!   lose NAME    waits until node NAME disappears, then spawns and sends to it
use dist::*;

fn noop(_: ()) {}

fn code_of(node: u64, module: u64) -> u32 {
    spawn_raw(node, module, noop).0
}

fn codes() {
    let unknown_node = 1 << 40;
    let (code, err) = spawn_raw(unknown_node, module_id(), noop);
    assert_eq!(code, 1);
    let text = guest::Error::from_id(err).text();
    assert!(text.contains("node does not exist"), "error text: {}", text);
    println!("spawn on an unknown node: {}", code);
    let other = other_nodes()[0];
    println!("spawn of an unknown module: {}", code_of(other, 12345));
    println!("spawn of module 0: {}", code_of(other, 0));
    guest::message::create(0, b"lost");
    println!("send to an unknown node: {}", send_scratch(Addr { node: unknown_node, pid: 1 }));
    println!("lookup name=a: {}", lookup_nodes("name=a").expect("lookup").len());
    println!("lookup role=none: {}", lookup_nodes("role=none").expect("lookup").len());
    println!("lookup %zz fails: {}", lookup_nodes("%zz").is_err());
    println!("nodes: {}", nodes().len());
}

fn resource() {
    let module = guest::Module::compile(b"\0asm\x01\0\0\0").expect("compile");
    guest::message::create(0, b"");
    guest::message::push_module(&module);
    send_scratch(Addr { node: other_nodes()[0], pid: 1 });
    println!("unreachable: the send must trap");
}

fn lose(name: &str) {
    let found = lookup_nodes(&format!("name={}", name)).expect("lookup");
    assert_eq!(found.len(), 1, "node {} not found", name);
    let victim = found[0];
    println!("waiting for node {} to leave", name);
    let mut waited = 0;
    while nodes().contains(&victim) {
        assert!(waited < 30_000, "node {} is still listed after 30 s", name);
        guest::sleep_ms(50);
        waited += 50;
    }
    println!("node {} left", name);
    println!("spawn on the lost node: {}", code_of(victim, module_id()));
    guest::message::create(0, b"lost");
    println!("send to the lost node: {}", send_scratch(Addr { node: victim, pid: 1 }));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("codes") => codes(),
        Some("resource") => resource(),
        Some("lose") => lose(&args[2]),
        other => panic!("unknown mode {:?}", other),
    }
}
