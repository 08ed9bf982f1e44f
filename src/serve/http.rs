//! A small HTTP/1.1 server for `serve`: one request per connection, bounded in time and in
//! threads, so that no client, slow, stalled or gone, can hold the server for the others.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Connections handled at once; at the limit the oldest is closed to make room for the newest.
const CONNECTIONS: usize = 128;
/// A request's head must arrive within this, whole.
const HEAD_TIME: Duration = Duration::from_secs(10);
/// The longest request head taken.
const HEAD_BYTES: usize = 16 * 1024;
/// A client that takes nothing of a response for this long is let go.
const WRITE_TIME: Duration = Duration::from_secs(10);
/// After a response, what the client still sends is read for this long, so that closing the
/// socket on unread bytes does not reset the connection before the response arrives.
const LINGER: Duration = Duration::from_secs(1);

/// A request as far as `serve` needs it.
pub struct Request {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    pub host: Option<String>,
}

pub enum Body {
    Bytes(Vec<u8>),
    File(File, u64),
}

pub struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

impl Response {
    pub fn new(status: u16, kind: &str, body: Body) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", kind.to_string())],
            body,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            Body::Bytes(format!("{text}\n").into_bytes()),
        )
    }
}

/// The client's end of one request: answer it once, or take its stream to keep.
pub struct Connection {
    stream: TcpStream,
    head_only: bool,
}

impl Connection {
    /// Sends the response (without its body for HEAD), then closes the connection.
    pub fn respond(mut self, response: Response) {
        let _ = self.write(response);
        self.close();
    }

    /// The stream, for a response that goes on after this returns; its head is the caller's.
    pub fn into_stream(self) -> TcpStream {
        self.stream
    }

    pub fn head_only(&self) -> bool {
        self.head_only
    }

    fn write(&mut self, response: Response) -> io::Result<()> {
        self.stream.set_write_timeout(Some(WRITE_TIME))?;
        let length = match &response.body {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::File(_, length) => *length,
        };
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            response.status,
            reason(response.status)
        );
        for (name, value) in &response.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {length}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
        ));
        let mut head = head.into_bytes();
        match response.body {
            _ if self.head_only => self.stream.write_all(&head),
            Body::Bytes(bytes) => {
                head.extend_from_slice(&bytes);
                self.stream.write_all(&head)
            }
            Body::File(file, length) => {
                self.stream.write_all(&head)?;
                io::copy(&mut file.take(length), &mut self.stream).map(|_| ())
            }
        }
    }

    fn close(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let deadline = Instant::now() + LINGER;
        let mut sink = [0; 4096];
        let mut left: usize = 64 * 1024;
        while left > 0 {
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            if wait.is_zero() || self.stream.set_read_timeout(Some(wait)).is_err() {
                break;
            }
            match self.stream.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// The connections being handled, and a way to close the oldest.
struct Slots {
    live: Mutex<Live>,
    freed: Condvar,
}

struct Live {
    count: usize,
    next: u64,
    /// Handles on the open connections, oldest first, to shut one down from outside.
    open: VecDeque<(u64, TcpStream)>,
}

impl Slots {
    fn lock(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for room for one more connection, closing the oldest while there is none.
    fn take(&self, stream: &TcpStream) -> u64 {
        let mut live = self.lock();
        while live.count >= CONNECTIONS {
            if let Some((_, oldest)) = live.open.pop_front() {
                let _ = oldest.shutdown(Shutdown::Both);
            }
            live = self
                .freed
                .wait_timeout(live, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        live.count += 1;
        let id = live.next;
        live.next += 1;
        if let Ok(handle) = stream.try_clone() {
            live.open.push_back((id, handle));
        }
        id
    }

    fn give_back(&self, id: u64) {
        let mut live = self.lock();
        live.count = live.count.saturating_sub(1);
        live.open.retain(|(open, _)| *open != id);
        self.freed.notify_all();
    }
}

/// Accepts connections for as long as the process runs, one thread each, and hands every
/// request that reads as HTTP to `handle`. `trouble` hears of errors accepting connections.
pub fn serve<H, T>(listener: TcpListener, handle: H, trouble: T)
where
    H: Fn(Request, Connection) + Send + Sync + 'static,
    T: Fn(&io::Error),
{
    let handle = Arc::new(handle);
    let slots = Arc::new(Slots {
        live: Mutex::new(Live {
            count: 0,
            next: 0,
            open: VecDeque::new(),
        }),
        freed: Condvar::new(),
    });
    let mut failing = false;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => {
                failing = false;
                stream
            }
            Err(e) => {
                // Out of file handles, say: said once, and tried again shortly.
                if !failing && !is_transient(&e) {
                    trouble(&e);
                }
                failing = true;
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let held = Held {
            id: slots.take(&stream),
            slots: Arc::clone(&slots),
        };
        let handle = Arc::clone(&handle);
        // Should no thread start, the connection is dropped and its slot given back.
        let _ = std::thread::Builder::new()
            .name("ducha-http".into())
            .spawn(move || {
                let _held = held;
                connection(stream, &*handle);
            });
    }
}

/// A connection's slot, given back however its thread ends.
struct Held {
    id: u64,
    slots: Arc<Slots>,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.slots.give_back(self.id);
    }
}

fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

fn connection(mut stream: TcpStream, handle: &dyn Fn(Request, Connection)) {
    let _ = stream.set_nodelay(true);
    let head = read_head(&mut stream);
    let mut connection = Connection {
        stream,
        head_only: false,
    };
    let head = match head {
        Ok(head) => head,
        Err(Failure::Closed) => return,
        Err(Failure::Status(status)) => {
            connection.respond(Response::text(status, reason(status)));
            return;
        }
    };
    match parse(&head) {
        Ok(request) if request.method == "GET" || request.method == "HEAD" => {
            connection.head_only = request.method == "HEAD";
            handle(request, connection);
        }
        // The site is read, never changed, through the server.
        Ok(_) => connection.respond(
            Response::text(405, "405 Method Not Allowed: only GET and HEAD")
                .with_header("Allow", "GET, HEAD"),
        ),
        Err(status) => connection.respond(Response::text(status, reason(status))),
    }
}

enum Failure {
    Closed,
    Status(u16),
}

/// The bytes of a request up to the blank line that ends its head.
fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, Failure> {
    let deadline = Instant::now() + HEAD_TIME;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0; 2048];
    loop {
        let wait = deadline
            .checked_duration_since(Instant::now())
            .filter(|w| !w.is_zero())
            .ok_or(Failure::Status(408))?;
        stream
            .set_read_timeout(Some(wait))
            .map_err(|_| Failure::Closed)?;
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(Failure::Closed),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(Failure::Status(408));
            }
            Err(_) => return Err(Failure::Closed),
        };
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = end_of_head(&head[from..]) {
            head.truncate(from + end);
            return Ok(head);
        }
        if head.len() > HEAD_BYTES {
            return Err(Failure::Status(431));
        }
    }
}

/// Where the blank line that ends a head ends, in `bytes`.
fn end_of_head(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A request head, or the status that says why it is not one.
fn parse(head: &[u8]) -> Result<Request, u16> {
    let head = std::str::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let first = lines.next().unwrap_or_default();
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    if !token(method) || target.is_empty() {
        return Err(400);
    }
    match version {
        "HTTP/1.0" | "HTTP/1.1" => {}
        v if v.starts_with("HTTP/") => return Err(505),
        _ => return Err(400),
    }
    let mut host = None;
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(400u16)?;
        if !token(name) {
            return Err(400);
        }
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(400);
            }
            host = Some(value.trim().to_string());
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_heads() {
        let request =
            parse(b"GET /towns/a/?x=1 HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nAccept: */*\r\n\r\n")
                .unwrap_or_else(|s| panic!("{s}"));
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/towns/a/?x=1");
        assert_eq!(request.host.as_deref(), Some("127.0.0.1:1111"));
        let request = parse(b"HEAD / HTTP/1.0\n\n").unwrap_or_else(|s| panic!("{s}"));
        assert_eq!(request.method, "HEAD");
        assert_eq!(request.host, None);
        for (bad, status) in [
            (&b"GET /\r\n\r\n"[..], 400),
            (b"GET  / HTTP/1.1\r\n\r\n", 400),
            (b"GET / HTTP/2.0\r\n\r\n", 505),
            (b"GET / FTP\r\n\r\n", 400),
            (b"G(T / HTTP/1.1\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\n folded\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nno colon\r\n\r\n", 400),
            (b"GET /\xff HTTP/1.1\r\n\r\n", 400),
            (b"", 400),
        ] {
            assert_eq!(
                parse(bad).err(),
                Some(status),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\n\r\nbody"), Some(18));
        assert_eq!(end_of_head(b"GET / HTTP/1.0\n\nbody"), Some(16));
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
    }
}
