//! `ducha serve` on a small campaign: pages over HTTP, rebuilds on save, the problems page,
//! paths outside the site refused, and a browser that reloads by itself.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

/// A running `ducha serve`, stopped with Ctrl-C (SIGINT) when dropped.
struct Server {
    child: Child,
    port: u16,
    /// The line that says where it serves.
    serving: String,
    /// What it has written to standard error so far.
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(f: &Fixture) -> Server {
        let server = Server::start_with(f, &[]);
        assert!(
            server.serving.contains("http://127.0.0.1:"),
            "loopback by default: {}",
            server.serving
        );
        server
    }

    /// `ducha serve --port 0` with more arguments.
    fn start_with(f: &Fixture, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ducha"))
            .args(["--root", f.root().to_str().unwrap(), "serve", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting ducha serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let pipe = child.stderr.take().unwrap();
            let stderr = Arc::clone(&stderr);
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let mut text = stderr.lock().unwrap();
                    text.push_str(&line);
                    text.push('\n');
                }
            });
        }
        let serving = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("serve says where it serves");
        let port = address(&serving)
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {serving:?}"));
        Server {
            child,
            port,
            serving,
            stderr,
        }
    }

    /// Waits until serve has written `text` to standard error; fails after 15 s.
    fn says(&self, text: &str) {
        let started = Instant::now();
        while !self.stderr.lock().unwrap().contains(text) {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "serve never said {text:?}; it said:\n{}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    fn until(&self, path: &str, text: &str) -> String {
        until(self.port, path, text)
    }

    fn interrupt(&mut self) -> i32 {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "serve did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn a_saved_change_shows_then_an_error_then_the_page_again() {
    let f = Fixture::new();
    let mut server = Server::start(&f);
    let (status, page) = server.get("/towns/xingang/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<td class=\"num total\">18.50</td>"),
        "{page}"
    );
    assert!(
        page.contains("/__ducha/events"),
        "the reload script is in served pages"
    );

    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9}");
    server.until("/towns/xingang/", "<td class=\"num total\">17.50</td>");
    server.until("/", "<td class=\"num total\">17.50</td>");

    f.edit(XINGANG, "\"1\": {score: 9}", "\"1\": {score: 12}");
    let problems = server.until("/towns/xingang/", "The content has errors");
    assert!(
        problems.contains("content/sheets/xingang.yaml:6:16"),
        "{problems}"
    );
    assert!(problems.contains("E0302"), "{problems}");
    assert!(
        problems.contains("/__ducha/events"),
        "the problems page reloads too"
    );
    // The last good site is still there for what is not a page.
    assert_eq!(server.get("/data/ranking.json").0, 200);

    f.edit(XINGANG, "\"1\": {score: 12}", "\"1\": {score: 8}");
    server.until("/towns/xingang/", "<td class=\"num total\">16.50</td>");

    assert_eq!(server.interrupt(), 0, "Ctrl-C stops cleanly");
    let built = std::fs::read_to_string(f.root().join("site/towns/xingang/index.html")).unwrap();
    assert!(built.contains("16.50"), "the last good build stays");
    assert!(
        !built.contains("__ducha"),
        "the reload script is never written to the site"
    );
    let names: Vec<String> = std::fs::read_dir(f.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".site")),
        "no leftovers: {names:?}"
    );
}

#[test]
fn nothing_outside_the_site_is_served() {
    let f = Fixture::new();
    f.write("secret.txt", "secret");
    let server = Server::start(&f);
    std::os::unix::fs::symlink(f.root().join("secret.txt"), f.root().join("site/link.txt"))
        .unwrap();
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/%2e%2e%5csecret.txt",
        "//etc/passwd",
        "/link.txt",
        "/.ducha-site",
        "/content/campaign.yaml",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("secret") && !body.contains("root:"),
            "{path}: {body}"
        );
    }
    assert_eq!(server.get("/assets/style.css").0, 200);
}

#[test]
fn a_bad_output_folder_is_refused_before_anything_is_served() {
    let f = Fixture::new();
    f.write("notes.txt", "mine");
    let before = tree(&f.root().join("content"));
    let root = f.root().to_str().unwrap();
    for (out, why) in [
        ("nosuch/../content", "inside content/"),
        ("nosuch/../.", "the campaign repository itself"),
        ("notes.txt/site", "notes.txt is a file, not a folder"),
    ] {
        let args = ["--root", root, "serve", "--port", "0", "--out", out];
        let (code, stdout, stderr) = ducha_in(f.root(), &args);
        assert_eq!(code, 2, "--out {out}: {stdout}{stderr}");
        assert!(
            stderr.contains("refusing to write the site to") && stderr.contains(why),
            "--out {out}: {stderr}"
        );
        assert!(!stdout.contains("serving"), "--out {out}: {stdout}");
    }
    assert_eq!(tree(&f.root().join("content")), before);
    assert_eq!(f.read("notes.txt"), "mine");
    assert!(!f.root().join("nosuch").exists());
}

#[test]
fn many_requests_at_once() {
    let f = Fixture::new();
    let server = Server::start(&f);
    let port = server.port;
    let threads: Vec<_> = (0..40)
        .map(|i| {
            std::thread::spawn(move || {
                let path = ["/", "/towns/luohu/", "/assets/app.js", "/data/scores.csv"][i % 4];
                (0..5).map(|_| get(port, path).0).collect::<Vec<u16>>()
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap().iter().all(|s| *s == 200));
    }
    assert_eq!(server.get("/").0, 200, "still up");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let f = Fixture::new();
    let server = Server::start(&f);
    let port = server.port.to_string();
    let root = f.root().to_str().unwrap();
    let (code, _, err) = ducha(&["--root", root, "serve", "--port", &port]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot listen on 127.0.0.1:"), "{err}");
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn an_open_page_reloads_by_itself() {
    let f = Fixture::new();
    let server = Server::start(&f);
    let profile = tempfile::tempdir().unwrap();
    let browser = headless(profile.path())
        .arg("--remote-debugging-port=0")
        .arg(format!("http://127.0.0.1:{}/towns/xingang/", server.port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the browser tests need Chromium: apt-get install chromium");
    // Stopped however the test ends.
    let _browser = Stop(browser);
    // The browser's own debugging endpoint lists its pages with their titles.
    let started = Instant::now();
    let devtools = loop {
        let file = profile.path().join("DevToolsActivePort");
        if let Some(port) = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| t.lines().next().and_then(|p| p.parse::<u16>().ok()))
        {
            break port;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "Chromium did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    until(devtools, "/json/list", "Xingang · Test campaign");
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 12}");
    until(devtools, "/json/list", "The content has errors");
    f.edit(XINGANG, "\"1\": {score: 12}", "\"1\": {score: 10}");
    until(devtools, "/json/list", "Xingang · Test campaign");
}

struct Stop(Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A connection that has sent `GET path` and read the first `n` bytes of the answer.
fn opened(port: u16, path: &str, n: usize) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut start = vec![0; n];
    stream.read_exact(&mut start).unwrap();
    (stream, String::from_utf8_lossy(&start).into_owned())
}

/// The next `data:` line of an event stream, within 15 s.
fn next_event(lines: &mut impl Iterator<Item = String>) -> String {
    lines
        .find_map(|l| l.strip_prefix("data: ").map(str::to_string))
        .expect("an event within 15 s")
}

#[test]
fn abandoned_reload_streams_hold_nobody_up() {
    let f = Fixture::new();
    let server = Server::start(&f);
    // 200 pages' reload streams: half closed by their client, half left open and never read.
    let mut kept = Vec::new();
    for i in 0..200 {
        let (stream, head) = opened(server.port, "/__ducha/events", 12);
        assert_eq!(head, "HTTP/1.1 200", "a page can wait for the next build");
        if i % 2 == 0 {
            kept.push(stream);
        }
    }
    let started = Instant::now();
    assert_eq!(server.get("/").0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "GET / answers within 5 s beside 200 abandoned reload streams"
    );

    // A page still open hears of the next build.
    let (stream, _) = opened(server.port, "/__ducha/events", 12);
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
    let served = next_event(&mut lines);
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9}");
    let built = loop {
        let token = next_event(&mut lines);
        if token != served {
            break token;
        }
    };
    let (_, page) = server.get("/towns/xingang/");
    assert!(page.contains(&format!("'{built}'")), "{page}");
    drop(kept);
}

#[test]
fn clients_that_stop_reading_hold_nobody_up() {
    let f = Fixture::new();
    let server = Server::start(&f);
    std::fs::write(f.root().join("site/big.bin"), vec![b'x'; 8 << 20]).unwrap();
    // More than the server handles at once, each served and never read further.
    let stalled: Vec<TcpStream> = (0..150)
        .map(|_| opened(server.port, "/big.bin", 12).0)
        .collect();
    let started = Instant::now();
    assert_eq!(server.get("/").0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "GET / answers within 5 s beside 150 stalled downloads"
    );
    drop(stalled);
}

#[test]
fn idle_connections_hold_nobody_up() {
    let f = Fixture::new();
    let server = Server::start(&f);
    // Connections that never send a request, or only part of one.
    let idle: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            if i % 2 == 0 {
                stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.").unwrap();
            }
            stream
        })
        .collect();
    let started = Instant::now();
    assert_eq!(server.get("/").0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "GET / answers within 5 s beside 300 idle connections"
    );
    drop(idle);
}

fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_content_folder_deleted_and_put_back_is_watched_again() {
    let f = Fixture::new();
    let server = Server::start(&f);
    let backup = tempfile::tempdir().unwrap();
    let copy = backup.path().join("content");
    copy_folder(&f.root().join("content"), &copy);
    let sheet = copy.join("sheets/xingang.yaml");
    let text = std::fs::read_to_string(&sheet).unwrap();
    std::fs::write(
        &sheet,
        text.replace("\"1\": {score: 10}", "\"1\": {score: 9}"),
    )
    .unwrap();

    // rm -rf content && cp -r backup/content content
    std::fs::remove_dir_all(f.root().join("content")).unwrap();
    copy_folder(&copy, &f.root().join("content"));
    server.until("/towns/xingang/", "<td class=\"num total\">17.50</td>");
    server.says("watching content/ again");
    // The new folder is watched all the way down.
    f.edit(XINGANG, "\"1\": {score: 9}", "\"1\": {score: 8}");
    server.until("/towns/xingang/", "<td class=\"num total\">16.50</td>");
}

/// Sends `request` as written and reads the answer to its end: (status, head, body).
fn exchange(address: &str, request: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

#[test]
fn only_reading_and_only_from_this_machine() {
    let f = Fixture::new();
    let server = Server::start(&f);
    let address = format!("127.0.0.1:{}", server.port);
    let with_host = |method: &str, host: &str| {
        exchange(
            &address,
            &format!("{method} / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    let port = server.port;
    // A page from another name that resolves to this machine (DNS rebinding) reads nothing.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        let (status, _, body) = with_host("GET", &host);
        assert_eq!(status, 403, "{host}");
        assert!(
            body.contains(&format!("http://127.0.0.1:{port}/")),
            "{body}"
        );
        assert!(!body.contains("Xingang"), "{body}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(with_host("GET", &host).0, 200, "{host}");
    }
    let (status, _, _) = exchange(&address, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200, "HTTP/1.0 without Host");

    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let (status, head, _) = with_host(method, &format!("127.0.0.1:{port}"));
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("\r\nAllow: GET, HEAD"), "{method}: {head}");
    }
    let (status, head, body) = with_host("HEAD", &format!("127.0.0.1:{port}"));
    assert_eq!(status, 200);
    assert!(head.contains("Content-Length: "), "{head}");
    assert_eq!(body, "", "HEAD has no body");
}

#[test]
fn listening_on_every_address_warns_and_says_where() {
    let f = Fixture::new();
    let server = Server::start_with(&f, &["--bind", "0.0.0.0"]);
    server.says("warning: --bind 0.0.0.0 lets other machines on the network open this site");
    let address = address(&server.serving).to_string();
    assert!(
        !address.starts_with("0.0.0.0"),
        "an address others can use: {}",
        server.serving
    );
    let host = address.rsplit_once(':').map_or("", |(h, _)| h).to_string();
    let (status, _, body) = exchange(
        &address,
        &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200, "{address}");
    assert!(body.contains("Test campaign"), "{body}");
    assert!(
        server
            .serving
            .contains(&format!("this machine: http://127.0.0.1:{}/", server.port)),
        "{}",
        server.serving
    );
}
