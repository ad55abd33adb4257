//! Networking test cases, one per first argument. Each prints "ok <what>" lines and panics
//! (failing the process) when a check does not hold. Servers print "listening on ADDR".
use std::io::{Read, Write};
use std::net::SocketAddr;

use guest::message::{receive_code, TIMEOUT};
use netguest::tls::RootLayout;
use netguest::*;

fn arg(i: usize) -> String {
    std::env::args().nth(i).unwrap_or_else(|| panic!("missing argument {}", i))
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("missing env {}", name))
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

fn main() {
    match arg(1).as_str() {
        "handoff" => handoff(),
        "timeouts" => timeouts(arg(2).parse().unwrap()),
        "connect_errors" => connect_errors(arg(2).parse().unwrap(), arg(3).parse().unwrap()),
        "block_read" => block_read(arg(2).parse().unwrap()),
        "accept_kill" => accept_kill(),
        "udp_echo" => udp_echo(),
        "udp_local" => udp_local(),
        "dns" => dns(),
        "tls_echo" => tls_echo(),
        "tls_client" => tls_client(arg(2).parse().unwrap()),
        "tls_bad_cert" => tls_bad_cert(),
        "clone_move" => clone_move(arg(2).parse().unwrap()),
        "block_write" => block_write(arg(2).parse().unwrap()),
        "block_udp" => block_udp(),
        "lock_wait" => lock_wait(arg(2).parse().unwrap(), arg(3) == "parent_first"),
        "ipv6" => ipv6(),
        other => panic!("unknown case {}", other),
    }
}

/// Accepts connections and passes each stream to one worker process in a message; the
/// worker answers "worker: " + each chunk it reads.
fn handoff() {
    let listener = TcpListener::bind(loopback(0)).unwrap();
    let worker = guest::spawn((), handoff_worker);
    println!("listening on {}", listener.local_addr());
    loop {
        let (stream, _) = listener.accept().unwrap();
        send_res(worker, 0, stream, b"hi");
    }
}

fn handoff_worker(_: ()) {
    loop {
        let (mut stream, extra): (TcpStream, _) = recv_res(&[]);
        assert_eq!(extra, b"hi");
        let mut buf = [0u8; 1024];
        let n = stream.read(&mut buf).unwrap();
        let mut reply = b"worker: ".to_vec();
        reply.extend_from_slice(&buf[..n]);
        stream.write_all(&reply).unwrap();
    }
}

/// Talks to the Go test server on `port`: read timeouts, zero timeouts, peek.
fn timeouts(port: u16) {
    let mut s = TcpStream::connect(loopback(port), Some(5000)).unwrap();
    assert_eq!(s.read_timeout(), None);
    s.set_read_timeout(Some(50));
    assert_eq!(s.read_timeout(), Some(50));
    let mut buf = [0u8; 64];
    let (code, _) = s.read_raw(&mut buf);
    assert_eq!(code, TIMEOUT, "read with nothing to read must time out");
    let err = s.read(&mut buf).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    println!("ok read timeout");

    s.set_read_timeout(Some(0));
    let (code, _) = s.read_raw(&mut buf);
    assert_eq!(code, TIMEOUT, "zero timeout with no data must time out at once");
    s.write_all(b"send peek\n").unwrap();
    // The server answers "peekdata"; a peek without a peek timeout must not consume it.
    s.set_read_timeout(None);
    assert_eq!(s.peek_timeout(), None);
    let n = s.peek(&mut buf).unwrap();
    assert!(n > 0 && b"peekdata".starts_with(&buf[..n]), "peek got {:?}", &buf[..n]);
    let mut got = Vec::new();
    while got.len() < 8 {
        let n = s.read(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"peekdata", "peek must not consume");
    println!("ok peek");

    s.write_all(b"send zero\n").unwrap();
    // Wait until the answer is there, then a zero-timeout read must return it.
    s.set_peek_timeout(Some(5000));
    let n = s.peek(&mut buf[..4]).unwrap();
    assert_eq!(&buf[..n], &b"zero"[..n]);
    s.set_read_timeout(Some(0));
    let mut got = Vec::new();
    while got.len() < 4 {
        let n = s.read(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"zero");
    println!("ok zero timeout with data");

    s.set_write_timeout(Some(1000));
    s.write_all(b"bye\n").unwrap();
    s.set_read_timeout(None);
    assert_eq!(s.read(&mut buf).unwrap(), 0, "server closed: EOF");
    println!("ok eof");
}

/// A refused connection and a connect that times out (`full` is a listener whose accept
/// queue is full).
fn connect_errors(closed: u16, full: u16) {
    match TcpStream::connect(loopback(closed), None) {
        Err(NetError::Error(e)) => {
            let text = e.text();
            assert!(text.contains("connection refused"), "text: {}", text);
            println!("ok refused: {}", text);
        }
        Err(e) => panic!("want an error, got {:?}", e),
        Ok(_) => panic!("connect to a closed port succeeded"),
    }
    match TcpStream::connect(loopback(full), Some(200)) {
        Err(NetError::Timeout(Some(e))) => {
            let text = e.text();
            assert!(text.contains("timed out"), "text: {}", text);
            println!("ok connect timeout: {}", text);
        }
        Err(e) => panic!("want a timeout, got {:?}", e),
        Ok(_) => panic!("connect to a full listener succeeded"),
    }
}

/// Connects and blocks in a read forever (the test kills it).
fn block_read(port: u16) {
    let mut s = TcpStream::connect(loopback(port), None).unwrap();
    println!("reading");
    let mut buf = [0u8; 16];
    let _ = s.read(&mut buf);
    panic!("read returned");
}

/// A child blocks in accept; the parent gives up after a receive timeout and kills it.
fn accept_kill() {
    let child = guest::spawn((), |_: ()| {
        let l = TcpListener::bind(loopback(0)).unwrap();
        let _ = l.accept();
        panic!("accept returned");
    });
    guest::monitor(child);
    assert_eq!(receive_code(&[], 100), TIMEOUT);
    guest::kill(child);
    match guest::receive(&[], Some(5000)) {
        guest::Received::ProcessDied(pid) => assert_eq!(pid, child),
        other => panic!("want ProcessDied, got {:?}", other),
    }
    println!("ok accept killed");
}

/// UDP echo server until a "quit" datagram.
fn udp_echo() {
    let s = UdpSocket::bind(loopback(0)).unwrap();
    println!("listening on {}", s.local_addr());
    let mut buf = [0u8; 2048];
    loop {
        let (n, from) = s.recv_from(&mut buf).unwrap();
        if &buf[..n] == b"quit" {
            return;
        }
        assert_eq!(s.send_to(&buf[..n], from).unwrap(), n);
    }
}

/// Connected UDP sockets inside the guest, a socket moved to another process, options.
fn udp_local() {
    let a = UdpSocket::bind(loopback(0)).unwrap();
    let b = UdpSocket::bind(loopback(0)).unwrap();
    assert_eq!(b.peer_addr().unwrap_err(), 1, "unconnected peer_addr returns 1");
    b.connect(a.local_addr()).unwrap();
    assert_eq!(b.peer_addr().unwrap(), a.local_addr());
    b.send(b"ping").unwrap();
    let mut buf = [0u8; 16];
    let (n, from) = a.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"ping"[..], b.local_addr()));
    a.send_to(b"pong", from).unwrap();
    let n = b.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"pong");
    println!("ok udp connect send recv");

    assert!(!a.broadcast());
    a.set_broadcast(true);
    assert!(a.broadcast());
    a.set_ttl(42);
    assert_eq!(a.ttl(), 42);
    println!("ok udp options");

    // Move b to a child; the child answers through it.
    let b_addr = b.local_addr();
    let child = guest::spawn((), |_: ()| {
        let (s, _): (UdpSocket, _) = recv_res(&[]);
        let mut buf = [0u8; 16];
        let n = s.recv(&mut buf).unwrap();
        s.send(&buf[..n]).unwrap();
    });
    send_res(child, 0, b, &[]);
    a.send_to(b"moved", b_addr).unwrap();
    let (n, from) = a.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"moved"[..], b_addr));
    println!("ok udp moved");
}

fn dns() {
    let addrs = resolve("localhost:80").unwrap();
    for a in &addrs {
        println!("localhost {}", a);
    }
    assert!(!addrs.is_empty());
    assert_eq!(resolve("127.0.0.1:8080").unwrap(), vec![loopback(8080)]);
    let v6 = resolve("[::1]:443").unwrap();
    assert_eq!(v6.len(), 1);
    assert_eq!(v6[0].to_string(), "[::1]:443");
    let err = resolve("localhost").unwrap_err();
    println!("ok no port: {}", err.text());
    println!("ok dns");
}

fn tls_echo() {
    let cert = env("CERT");
    let key = env("KEY");
    let l = TlsListener::bind(loopback(0), cert.as_bytes(), key.as_bytes()).unwrap();
    println!("listening on {}", l.local_addr());
    loop {
        let (stream, _) = l.accept().unwrap();
        spawn_with(stream, |mut s: TlsStream| {
            let mut buf = [0u8; 4096];
            loop {
                let n = match s.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                if s.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        });
    }
}

fn tls_client(port: u16) {
    let ca = env("CA");
    for (layout, name) in [(RootLayout::PtrLen, "ptr,len"), (RootLayout::LenPtr, "len,ptr")] {
        let mut s = TlsStream::connect("localhost", port, Some(5000), &[ca.as_bytes()], layout)
            .unwrap_or_else(|e| panic!("connect ({}): {}", name, e.text()));
        s.write_all(b"hello tls").unwrap();
        s.flush().unwrap();
        let mut got = vec![0u8; 9];
        s.read_exact(&mut got).unwrap();
        assert_eq!(got, b"hello tls");
        println!("ok tls client {}", name);
    }
    // The system roots do not know the test CA: a clear handshake error, no trap.
    match TlsStream::connect("localhost", port, Some(5000), &[], RootLayout::PtrLen) {
        Err(NetError::Error(e)) => println!("ok untrusted: {}", e.text()),
        Err(e) => panic!("want an error, got {:?}", e),
        Ok(_) => panic!("an untrusted server was accepted"),
    }
}

fn tls_bad_cert() {
    let key = env("KEY");
    match TlsListener::bind(loopback(0), b"not a certificate", key.as_bytes()) {
        Err(NetError::Error(e)) => println!("ok bad cert: {}", e.text()),
        Err(e) => panic!("want an error, got {:?}", e),
        Ok(_) => panic!("bind accepted a malformed certificate"),
    }
}

/// Clones share the connection and its timeouts; moving a clone leaves the other usable.
fn clone_move(port: u16) {
    let mut s = TcpStream::connect(loopback(port), None).unwrap();
    let c = s.try_clone();
    c.set_read_timeout(Some(1234));
    assert_eq!(s.read_timeout(), Some(1234), "timeouts are shared by clones");
    let peer = s.peer_addr();
    assert_eq!(peer, loopback(port));
    let child = guest::spawn((), |_: ()| {
        let (mut s, _): (TcpStream, _) = recv_res(&[]);
        assert_eq!(s.read_timeout(), Some(1234), "timeouts travel with the stream");
        s.write_all(b"from child\n").unwrap();
    });
    guest::monitor(child);
    send_res(child, 0, c, &[]);
    match guest::receive(&[], None) {
        guest::Received::ProcessDied(_) => {}
        other => panic!("want ProcessDied, got {:?}", other),
    }
    s.write_all(b"from parent\n").unwrap();
    println!("ok clone move");
}

/// Connects and writes to a peer that does not read until a write times out (9027, after
/// partial writes were reported as successes), then writes without a timeout and blocks
/// (the test kills it).
fn block_write(port: u16) {
    let mut s = TcpStream::connect(loopback(port), None).unwrap();
    s.set_write_timeout(Some(100));
    let buf = vec![7u8; 64 * 1024];
    let mut total = 0usize;
    loop {
        match s.write(&buf) {
            Ok(n) => {
                assert!(n > 0 && n <= buf.len());
                total += n;
            }
            Err(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::TimedOut, "{}", e);
                break;
            }
        }
    }
    println!("blocked after {} bytes", total);
    s.set_write_timeout(None);
    loop {
        s.write_all(&buf).unwrap();
    }
}

/// Blocks in a UDP receive (the test kills it).
fn block_udp() {
    let s = UdpSocket::bind(loopback(0)).unwrap();
    println!("listening on {}", s.local_addr());
    let mut buf = [0u8; 16];
    let _ = s.recv_from(&mut buf);
    panic!("receive returned");
}

/// A child reads through a clone of the parent's stream while the parent reads too, so
/// one of them waits for the other's read: with `parent_first` the parent starts reading
/// before it lets the child go, otherwise after the child said it is about to read. The
/// test kills the parent: the child must keep its read, get the server's byte and answer
/// "child got <byte>".
fn lock_wait(port: u16, parent_first: bool) {
    let mut s = TcpStream::connect(loopback(port), None).unwrap();
    let child = guest::spawn(guest::this(), |parent: u64| {
        let (mut s, _): (TcpStream, _) = recv_res(&[]);
        let parent_first: bool = guest::recv();
        if parent_first {
            println!("child reading");
        } else {
            guest::send(parent, 0, &1u64);
        }
        let mut b = [0u8; 1];
        assert_eq!(s.read(&mut b).unwrap(), 1);
        let mut reply = b"child got ".to_vec();
        reply.push(b[0]);
        s.write_all(&reply).unwrap();
    });
    send_res(child, 0, s.try_clone(), &[]);
    if parent_first {
        guest::send(child, 0, &true);
    } else {
        guest::send(child, 0, &false);
        let _: u64 = guest::recv();
        println!("parent reading");
    }
    let mut b = [0u8; 1];
    let _ = s.read(&mut b);
    panic!("the parent's read returned");
}

/// IPv6 loopback sockets: address encoding of local and peer addresses, and an IPv4
/// sender seen by a dual-stack socket as a mapped address.
fn ipv6() {
    let any: SocketAddr = "[::1]:0".parse().unwrap();
    let l = match TcpListener::bind(any) {
        Ok(l) => l,
        Err(e) => {
            println!("no ipv6: {}", e.text());
            return;
        }
    };
    let addr = l.local_addr();
    assert!(addr.is_ipv6() && addr.port() != 0, "local addr {}", addr);
    let c = TcpStream::connect(addr, Some(5000)).unwrap();
    let (s, peer) = l.accept().unwrap();
    assert_eq!(c.peer_addr(), addr);
    assert_eq!(s.peer_addr(), peer);
    assert_eq!(peer.ip().to_string(), "::1");
    println!("ok tcp6 {} <- {}", addr, peer);

    let a = UdpSocket::bind(any).unwrap();
    let b = UdpSocket::bind(any).unwrap();
    b.send_to(b"six", a.local_addr()).unwrap();
    let mut buf = [0u8; 8];
    let (n, from) = a.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"six"[..], b.local_addr()));
    println!("ok udp6");

    let dual = UdpSocket::bind("[::]:0".parse().unwrap()).unwrap();
    let v4 = UdpSocket::bind(loopback(0)).unwrap();
    v4.send_to(b"four", loopback(dual.local_addr().port())).unwrap();
    let (n, from) = dual.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"four");
    assert_eq!(from.to_string(), format!("[::ffff:127.0.0.1]:{}", v4.local_addr().port()));
    dual.send_to(b"back", v4.local_addr()).unwrap();
    let (n, _) = v4.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"back");
    println!("ok dual stack {}", from);
}
