//! A service on one node registers a name; a client on another node finds it through the
//! registry and talks to it; the root on a third node removes the name.
use dist::*;

const NAME: &str = "dist/counter";

fn service(parent: Addr) {
    let me = this();
    guest::registry::put(NAME, me.node, me.pid);
    send(parent, 0, &me);
    let mut total = 0u64;
    loop {
        let (from, add): (Addr, u64) = guest::recv();
        total += add;
        send(from, 0, &total);
    }
}

fn client(parent: Addr) {
    let (node, pid) = guest::registry::get(NAME).expect("name not found from the client's node");
    let svc = Addr { node, pid };
    send(svc, 0, &(this(), 5u64));
    let total: u64 = guest::recv();
    send(parent, 0, &(svc, total, node_id()));
}

fn main() {
    let others = other_nodes();
    assert!(others.len() >= 2, "need two other nodes, have {:?}", others);
    let me = this();
    spawn_on(others[0], me, service).expect("spawn service");
    let registered: Addr = guest::recv();
    assert_eq!(registered.node, others[0]);
    spawn_on(others[1], me, client).expect("spawn client");
    let (found, total, client_node): (Addr, u64, u64) = guest::recv();
    assert_eq!(found, registered, "the client found another process");
    assert_eq!(total, 5);
    assert_eq!(client_node, others[1]);
    assert_eq!(guest::registry::get(NAME), Some((registered.node, registered.pid)));
    guest::registry::remove(NAME);
    assert_eq!(guest::registry::get(NAME), None);
    println!("registry: claimed on one node, found from another, removed from a third");
}
