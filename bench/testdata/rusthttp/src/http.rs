//! HTTP/1.x requests and responses: parsing a request head out of a connection's buffer,
//! writing a response.

use std::io::{IoSlice, Write};

use serde::{Deserialize, Serialize};

/// Largest request head accepted.
pub const MAX_HEAD: usize = 16 * 1024;

/// A parsed request, as the connection process sends it to the request process.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of a header (names compare without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the connection stays open after this request.
    pub fn keep_alive(&self) -> bool {
        match self.header("connection") {
            Some(v) if v.eq_ignore_ascii_case("close") => false,
            Some(v) if v.eq_ignore_ascii_case("keep-alive") => true,
            _ => self.minor >= 1,
        }
    }
}

/// A response, as the request process sends it back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the front of a connection's buffer holds.
pub enum Parsed {
    /// A whole request that took this many bytes.
    Complete(Request, usize),
    /// Not a whole request yet.
    Partial,
    /// Not HTTP/1.x.
    Bad(&'static str),
}

/// Parses the request at the front of `buf`.
pub fn parse(buf: &[u8]) -> Parsed {
    let end = match find(buf, b"\r\n\r\n") {
        Some(i) => i,
        None if buf.len() > MAX_HEAD => return Parsed::Bad("request head too large"),
        None => return Parsed::Partial,
    };
    let head = match std::str::from_utf8(&buf[..end]) {
        Ok(s) => s,
        Err(_) => return Parsed::Bad("request head is not UTF-8"),
    };
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (method, path, version) = match (first.next(), first.next(), first.next(), first.next()) {
        (Some(m), Some(p), Some(v), None) if !m.is_empty() && p.starts_with('/') => (m, p, v),
        _ => return Parsed::Bad("malformed request line"),
    };
    let minor = match version {
        "HTTP/1.1" => 1,
        "HTTP/1.0" => 0,
        _ => return Parsed::Bad("unsupported HTTP version"),
    };
    let mut headers = Vec::new();
    for line in lines {
        match line.split_once(':') {
            Some((k, v)) if !k.is_empty() => headers.push((k.to_string(), v.trim().to_string())),
            _ => return Parsed::Bad("malformed header"),
        }
    }
    let mut req =
        Request { method: method.to_string(), path: path.to_string(), minor, headers, body: Vec::new() };
    let len = match req.header("content-length").map(|v| v.parse::<usize>()) {
        None => 0,
        Some(Ok(n)) if n <= MAX_HEAD => n,
        Some(_) => return Parsed::Bad("bad content-length"),
    };
    let start = end + 4;
    if buf.len() < start + len {
        return Parsed::Partial;
    }
    req.body = buf[start..start + len].to_vec();
    Parsed::Complete(req, start + len)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The reason phrase of a status.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Unknown",
    }
}

/// Writes the status line, the headers, a content-length and the body.
pub fn write_response<W: Write>(w: &mut W, resp: &Response, close: bool) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(128);
    write!(head, "HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status))?;
    for (k, v) in &resp.headers {
        write!(head, "{}: {}\r\n", k, v)?;
    }
    write!(head, "content-length: {}\r\n", resp.body.len())?;
    if close {
        head.extend_from_slice(b"connection: close\r\n");
    }
    head.extend_from_slice(b"\r\n");
    write_all_vectored(w, &head, &resp.body)
}

/// Writes `a` then `b`, in one vectored write when the socket takes it all.
fn write_all_vectored<W: Write>(w: &mut W, a: &[u8], b: &[u8]) -> std::io::Result<()> {
    let mut done = 0;
    let total = a.len() + b.len();
    while done < total {
        let n = if done < a.len() {
            w.write_vectored(&[IoSlice::new(&a[done..]), IoSlice::new(b)])?
        } else {
            w.write(&b[done - a.len()..])?
        };
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        done += n;
    }
    Ok(())
}
