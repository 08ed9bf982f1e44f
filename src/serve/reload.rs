//! Reloading open pages: a served page keeps one event stream open, every build sends the
//! streams its token, and a page whose token differs reloads. A stream costs no thread: the
//! streams wait in a list, and one thread writes to them all.

use std::collections::VecDeque;
use std::io::{ErrorKind, Write};
use std::net::TcpStream;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use super::State;

/// Where pages open their event stream.
pub const PATH: &str = "/__ducha/events";
/// Streams kept at once; beyond this the oldest is closed (its page, if still open,
/// reconnects by itself).
const STREAMS: usize = 256;
/// How often streams are checked on between builds, so that closed ones are let go.
const HEARTBEAT: Duration = Duration::from_secs(5);

pub struct Reloads {
    streams: Mutex<VecDeque<TcpStream>>,
}

impl Reloads {
    pub fn new() -> Reloads {
        Reloads {
            streams: Mutex::new(VecDeque::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<TcpStream>> {
        self.streams.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers a page's request for the event stream, and keeps the stream for the builds to
    /// come. The current token is sent at once, so that a build that finished between the
    /// page and its stream still reloads it.
    pub fn park(&self, stream: TcpStream, state: &State) {
        // Under the lock, so that a build is either in this first token or sent to the stream.
        let mut streams = self.lock();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\ndata: {}\n\n",
            state.token()
        );
        // Never wait on a client: a stream that cannot take a message at once is dropped.
        if stream.set_nonblocking(true).is_err() || !send(&stream, head.as_bytes()) {
            return;
        }
        streams.push_back(stream);
        while streams.len() > STREAMS {
            streams.pop_front();
        }
    }

    /// Sends the token of each build after the build `seen` to every stream, and a comment
    /// between builds; drops the streams that are closed or will not take it. Runs as long as
    /// the process.
    pub fn broadcast(&self, state: &State, mut seen: u64) {
        loop {
            {
                let generation = state.generation.lock().unwrap_or_else(|e| e.into_inner());
                let _ = state
                    .changed
                    .wait_timeout_while(generation, HEARTBEAT, |g| *g == seen)
                    .unwrap_or_else(|e| e.into_inner());
            }
            let mut streams = self.lock();
            let generation = state.generation();
            let message = if generation == seen {
                ":\n\n".to_string()
            } else {
                format!("data: {}\n\n", state.token())
            };
            seen = generation;
            streams.retain(|stream| open(stream) && send(stream, message.as_bytes()));
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

/// Whether all of `bytes` went out at once.
fn send(mut stream: &TcpStream, bytes: &[u8]) -> bool {
    matches!(stream.write(bytes), Ok(n) if n == bytes.len())
}

/// Whether the client still holds the connection: a closed one reads as its end.
fn open(stream: &TcpStream) -> bool {
    match stream.peek(&mut [0]) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == ErrorKind::WouldBlock,
    }
}

/// The script that reloads a page on the next build. Hidden tabs close their stream, so that
/// many open tabs do not use up the browser's few connections to the server.
pub fn script(token: &str) -> String {
    format!(
        "<script>(function(){{var t='{token}',s=null;function on(){{if(!s){{s=new EventSource('{PATH}');s.onmessage=function(e){{if(e.data!==t){{s.close();location.reload()}}}}}}}}function off(){{if(s){{s.close();s=null}}}}document.addEventListener('visibilitychange',function(){{if(document.hidden){{off()}}else{{on()}}}});if(!document.hidden){{on()}}}})();</script>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    use std::sync::Arc;

    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    #[test]
    fn closed_streams_are_let_go_and_open_ones_hear_of_builds() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let output = crate::write::Output::resolve(dir.path(), &dir.path().join("site")).unwrap();
        let state = Arc::new(State::new(output));
        let reloads = Arc::new(Reloads::new());
        let (gone, server) = pair(&listener);
        reloads.park(server, &state);
        let (kept, server) = pair(&listener);
        reloads.park(server, &state);
        assert_eq!(reloads.len(), 2);
        drop(gone);
        {
            let (state, reloads) = (Arc::clone(&state), Arc::clone(&reloads));
            std::thread::spawn(move || reloads.broadcast(&state, 0));
        }
        state.finish(crate::model::Lang::En, Vec::new());
        kept.set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let mut lines = BufReader::new(kept).lines().map_while(Result::ok);
        let first = format!("data: {:x}.0", state.instance);
        assert!(
            lines.any(|l| l == first),
            "the stream starts with the token"
        );
        let next = format!("data: {}", state.token());
        assert!(
            lines.any(|l| l == next),
            "the build reaches the open stream"
        );
        assert_eq!(reloads.len(), 1, "the closed stream is gone");
    }
}
