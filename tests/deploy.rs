//! `deploy/nginx.conf` as `init` writes it, run by nginx on loopback: the site behind a password
//! over TLS, closed to search engines, no folder listed, pages never cached and assets for days.

mod common;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::*;

/// A free port on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `curl` with `args`: the status line and headers, then the body.
fn curl(args: &[&str]) -> String {
    let (code, out, err) = run_program(
        "curl",
        &[&["-s", "-k", "-i", "--max-time", "10"], args].concat(),
    );
    assert_eq!(code, 0, "curl {args:?}: {err}");
    out
}

#[test]
fn the_nginx_configuration_serves_the_site_behind_a_password_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (code, _, err) = ducha(&["init", &at("repo")]);
    assert_eq!(code, 0, "{err}");
    let conf = std::fs::read_to_string(dir.path().join("repo/deploy/nginx.conf")).unwrap();
    // The site: the project's own example.
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, out, err) = ducha(&["--root", root, "build", "--out", &at("site")]);
    assert_eq!(code, 0, "{out}{err}");

    let (code, _, err) = run_program(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            &at("ducha.key"),
            "-out",
            &at("ducha.crt"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, hash, err) = run_program("openssl", &["passwd", "-apr1", "secret"]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.path().join("ducha.htpasswd"), format!("reader:{hash}")).unwrap();

    let (http, https) = (free_port(), free_port());
    let server = conf
        .replace("/srv/ducha/site", &at("site"))
        .replace("/etc/nginx/tls/ducha.crt", &at("ducha.crt"))
        .replace("/etc/nginx/tls/ducha.key", &at("ducha.key"))
        .replace("/etc/nginx/ducha.htpasswd", &at("ducha.htpasswd"))
        .replace("listen 80;", &format!("listen 127.0.0.1:{http};"))
        .replace(
            "listen 443 ssl http2;",
            &format!("listen 127.0.0.1:{https} ssl http2;"),
        );
    assert!(server.contains(&at("site")) && server.contains(&format!(":{https} ssl")));
    std::fs::write(dir.path().join("ducha.conf"), server).unwrap();
    std::fs::create_dir_all(dir.path().join("temp")).unwrap();
    let temp = at("temp");
    std::fs::write(
        dir.path().join("nginx.conf"),
        format!(
            "daemon off;\nmaster_process off;\npid {pid};\nerror_log {log} warn;\n\
             events {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  access_log off;\n\
             client_body_temp_path {temp};\n  fastcgi_temp_path {temp};\n  proxy_temp_path {temp};\n\
             scgi_temp_path {temp};\n  uwsgi_temp_path {temp};\n  include {conf};\n}}\n",
            pid = at("nginx.pid"),
            log = at("error.log"),
            conf = at("ducha.conf"),
        ),
    )
    .unwrap();
    let prefix = format!("{}/", dir.path().display());
    let (code, out, err) = run_program("nginx", &["-t", "-p", &prefix, "-c", &at("nginx.conf")]);
    assert_eq!(code, 0, "nginx -t: {out}{err}");
    let _nginx = Nginx(
        Command::new("nginx")
            .args(["-p", &prefix, "-c", &at("nginx.conf")])
            .spawn()
            .expect("nginx is installed"),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", https)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let page = format!("https://127.0.0.1:{https}/");
    // Without the password: nothing.
    let denied = curl(&[&page]);
    assert!(denied.starts_with("HTTP/2 401"), "{denied}");
    assert!(!denied.contains("<table"), "{denied}");
    // With it: the ranking, never cached, closed to search engines.
    let ranking = curl(&["-u", "reader:secret", &page]);
    assert!(ranking.starts_with("HTTP/2 200"), "{ranking}");
    let head = ranking.to_ascii_lowercase();
    assert!(
        head.contains("x-robots-tag: noindex, nofollow"),
        "{ranking}"
    );
    assert!(head.contains("cache-control: no-cache"), "{ranking}");
    assert!(ranking.contains("<table"), "{ranking}");
    // Assets are cached for days.
    let css = curl(&["-u", "reader:secret", &format!("{page}assets/style.css")]);
    assert!(css.starts_with("HTTP/2 200"), "{css}");
    assert!(
        css.to_ascii_lowercase()
            .contains("cache-control: private, max-age=604800")
    );
    // No folder is listed, and ducha's marker file is not served.
    for hidden in ["towns/", ".ducha-site"] {
        let got = curl(&["-u", "reader:secret", &format!("{page}{hidden}")]);
        assert!(got.starts_with("HTTP/2 404"), "{hidden}: {got}");
    }
    // Plain HTTP only sends the reader to HTTPS.
    let plain = curl(&[&format!("http://127.0.0.1:{http}/")]);
    assert!(plain.starts_with("HTTP/1.1 301"), "{plain}");
    assert!(plain.contains("Location: https://"), "{plain}");
}
