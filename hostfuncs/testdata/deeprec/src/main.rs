//! deeprec MODE N: recursion N calls deep of the kinds real programs do.
//!   simple  a function that recurses on an integer
//!   locals  a function with a String and a Vec in its frame
//!   list    dropping a linked list of N boxed nodes (Drop recurses once per node)
//!   tree    a recursive walk over a degenerate (list-shaped) binary tree
//! Prints "ok <result>" and exits 0.

// std::hint::black_box is unstable in Rust 1.63.
fn opaque(x: u64) -> u64 {
    unsafe { std::ptr::read_volatile(&x) }
}

fn simple(n: u64) -> u64 {
    if n == 0 {
        0
    } else {
        simple(opaque(n - 1)) + 1
    }
}

fn locals(n: u64, acc: &mut Vec<u64>) -> u64 {
    let s = format!("{}", n);
    let v: Vec<u64> = vec![n; 2];
    if n == 0 {
        return s.len() as u64;
    }
    acc.push(v[0]);
    locals(n - 1, acc) + v[1] + s.len() as u64
}

struct Node {
    value: u64,
    next: Option<Box<Node>>,
}

fn list(n: u64) -> u64 {
    let mut head: Option<Box<Node>> = None;
    for i in 0..n {
        head = Some(Box::new(Node { value: i, next: head }));
    }
    let first = head.as_ref().map_or(0, |h| h.value);
    drop(head);
    first
}

enum Tree {
    Leaf,
    Node(Box<Tree>, u64, Box<Tree>),
}

fn sum(t: &Tree) -> u64 {
    match t {
        Tree::Leaf => 0,
        Tree::Node(l, v, r) => sum(l) + v + sum(r),
    }
}

fn tree(n: u64) -> u64 {
    let mut t = Tree::Leaf;
    for i in 0..n {
        t = Tree::Node(Box::new(t), i, Box::new(Tree::Leaf));
    }
    let s = sum(&t);
    // Dismantle iteratively: the drop of a deep tree would recurse too.
    while let Tree::Node(l, _, _) = t {
        t = *l;
    }
    s
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: deeprec simple|locals|list|tree N");
        std::process::exit(2);
    }
    let n: u64 = args[2].parse().expect("N");
    let r = match args[1].as_str() {
        "simple" => simple(n),
        "locals" => locals(n, &mut Vec::new()),
        "list" => list(n),
        "tree" => tree(n),
        m => {
            eprintln!("unknown mode {}", m);
            std::process::exit(2);
        }
    };
    println!("ok {}", r);
}
