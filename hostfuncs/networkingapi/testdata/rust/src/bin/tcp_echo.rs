//! The classic lunatic server: accept connections and hand each one to its own process,
//! which echoes every byte back until the client closes.
//!
//!     lunatic run tcp_echo.wasm [ADDR]     (default 127.0.0.1:8080; port 0 = any)
use std::io::{Read, Write};

use netguest::{resolve, spawn_with, TcpListener, TcpStream};

fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let addrs = resolve(&addr).unwrap_or_else(|e| panic!("resolve {}: {}", addr, e.text()));
    let listener = addrs
        .iter()
        .find_map(|a| TcpListener::bind(*a).ok())
        .unwrap_or_else(|| panic!("cannot bind {}", addr));
    println!("listening on {}", listener.local_addr());
    loop {
        match listener.accept() {
            Ok((stream, _peer)) => {
                spawn_with(stream, echo);
            }
            Err(e) => eprintln!("accept: {}", e.text()),
        }
    }
}

fn echo(mut stream: TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if stream.write_all(&buf[..n]).is_err() {
            return;
        }
    }
}
