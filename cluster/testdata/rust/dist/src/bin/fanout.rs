//! Spawns N processes (default 1,000) round-robin over every node and gathers one reply
//! from each: the index it was given and the node it ran on.
use dist::*;
use std::collections::BTreeMap;

fn worker((parent, index): (Addr, u64)) {
    send(parent, 0, &(index, node_id()));
}

fn main() {
    let n: u64 = std::env::args().nth(1).map_or(1000, |a| a.parse().expect("count"));
    let me = this();
    let nodes = nodes();
    for i in 0..n {
        let node = nodes[(i as usize) % nodes.len()];
        spawn_on(node, (me, i), worker).expect("remote spawn");
    }
    let mut seen = vec![false; n as usize];
    let mut per_node: BTreeMap<u64, u64> = BTreeMap::new();
    for _ in 0..n {
        let (index, node): (u64, u64) = guest::recv();
        assert!(!seen[index as usize], "reply {} twice", index);
        seen[index as usize] = true;
        *per_node.entry(node).or_default() += 1;
    }
    assert_eq!(per_node.len(), nodes.len(), "every node must have run workers");
    let min = per_node.values().min().unwrap();
    let max = per_node.values().max().unwrap();
    println!("fanout: {} replies from {} nodes ({}..{} per node)", n, nodes.len(), min, max);
}
