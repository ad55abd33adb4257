//! An HTTP hello-world server shaped like the lunatic web framework (submillisecond):
//! the main process accepts on a listener and spawns a process per connection; the
//! connection process parses HTTP/1.1 requests (keep-alive, pipelining) and, for each one,
//! spawns a request process that gets the request in a message, runs the handler and sends
//! the response back; the connection process writes it and sends an access-log line to a
//! logger process, which prints it.
//!
//!     lunatic run httpguest.wasm [ADDR]     (default 127.0.0.1:3000; port 0 = any)
//!
//! It prints "listening on ADDR" first, then one line per request:
//! "METHOD PATH STATUS BODY-BYTES MICROSECONDS".
use std::io::Read;
use std::time::Instant;

use netguest::{resolve, TcpListener, TcpStream};

mod http;
mod proc;

use http::{parse, write_response, Parsed, Request, Response};

fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3000".to_string());
    let addrs = resolve(&addr).unwrap_or_else(|e| panic!("resolve {}: {}", addr, e.text()));
    let listener = addrs
        .iter()
        .find_map(|a| TcpListener::bind(*a).ok())
        .unwrap_or_else(|| panic!("cannot bind {}", addr));
    let logger = proc::spawn((), logger);
    println!("listening on {}", listener.local_addr());
    loop {
        match listener.accept() {
            Ok((stream, _peer)) => {
                proc::spawn_with_stream(stream, logger, connection);
            }
            Err(e) => eprintln!("accept: {}", e.text()),
        }
    }
}

/// Prints the access log.
fn logger(_: ()) {
    loop {
        let line: String = proc::receive(&[]);
        println!("{}", line);
    }
}

/// Serves the requests of one connection until it closes or asks to close.
fn connection(mut stream: TcpStream, logger: u64) {
    let me = guest::this();
    let mut buf: Vec<u8> = Vec::with_capacity(8 * 1024);
    let mut chunk = vec![0u8; 8 * 1024];
    loop {
        match parse(&buf) {
            Parsed::Complete(req, used) => {
                buf.drain(..used);
                let started = Instant::now();
                let close = !req.keep_alive();
                let (method, path) = (req.method.clone(), req.path.clone());
                let tag = guest::new_tag();
                proc::spawn((me, tag, req), request);
                let resp: Response = proc::receive(&[tag]);
                if write_response(&mut stream, &resp, close).is_err() {
                    return;
                }
                let took = started.elapsed().as_micros();
                let line = format!("{} {} {} {} {}", method, path, resp.status, resp.body.len(), took);
                proc::send(logger, 0, &line);
                if close {
                    return;
                }
                continue;
            }
            Parsed::Bad(why) => {
                let resp = Response {
                    status: 400,
                    headers: vec![("content-type".to_string(), "text/plain".to_string())],
                    body: why.as_bytes().to_vec(),
                };
                let _ = write_response(&mut stream, &resp, true);
                return;
            }
            Parsed::Partial => {}
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// One request: route it, run the handler, send the response to the connection process.
fn request((conn, tag, req): (u64, i64, Request)) {
    let resp = route(&req);
    proc::send(conn, tag, &resp);
}

fn route(req: &Request) -> Response {
    let text = |status: u16, body: &str| Response {
        status,
        headers: vec![("content-type".to_string(), "text/plain; charset=utf-8".to_string())],
        body: body.as_bytes().to_vec(),
    };
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/") => text(200, "Hello, world!"),
        (_, "/") => text(405, "method not allowed"),
        _ => text(404, "not found"),
    }
}
