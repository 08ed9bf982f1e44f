//! What `serve` answers: pages of the last good build from memory, other files from the
//! output folder and nothing else, the reload stream, and the problems page while the
//! content has errors.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::State;
use super::http::{Body, Connection, Request, Response};
use super::reload::{self, Reloads};
use crate::model::Lang;
use crate::render::charts::escape;

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn html(status: u16, page: String) -> Response {
    Response::new(
        status,
        "text/html; charset=utf-8",
        Body::Bytes(page.into_bytes()),
    )
}

/// The names a request may give for the server in its `Host` header, when only this machine
/// can reach it: a page from any other name that resolves to this machine (DNS rebinding)
/// must not read the site.
pub struct Hosts {
    names: Vec<String>,
    port: u16,
}

impl Hosts {
    /// The names for a server on `bind`; `None` when other machines reach it anyway.
    pub fn for_loopback(bind: IpAddr, port: u16) -> Option<Hosts> {
        if !bind.to_canonical().is_loopback() {
            return None;
        }
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).into();
        names.push(match bind {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        });
        Some(Hosts { names, port })
    }

    fn allow(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((inside, "")) => (format!("[{inside}]"), None),
                Some((inside, after)) => match after.strip_prefix(':') {
                    Some(port) => (format!("[{inside}]"), Some(port)),
                    None => return false,
                },
                None => return false,
            },
            None => match host.split_once(':') {
                Some((name, port)) => (name.to_string(), Some(port)),
                None => (host.clone(), None),
            },
        };
        let name = name.strip_suffix('.').unwrap_or(&name);
        port.is_none_or(|p| p.parse::<u16>() == Ok(self.port))
            && self.names.iter().any(|n| n == name)
    }
}

pub fn answer(
    request: Request,
    connection: Connection,
    state: &State,
    reloads: &Reloads,
    hosts: Option<&Hosts>,
) {
    // Requests without a name (HTTP/1.0) come from no browser page.
    if let (Some(hosts), Some(host)) = (hosts, &request.host)
        && !hosts.allow(host)
    {
        let lang = *state.lang.lock().unwrap_or_else(|e| e.into_inner());
        let port = hosts.port;
        let text = match lang {
            Lang::Zh => format!(
                "403：本服务只接受 http://127.0.0.1:{port}/ 或 http://localhost:{port}/ 的访问；请从这两个网址打开网站。"
            ),
            Lang::En => format!(
                "403: this server answers only to http://127.0.0.1:{port}/ and http://localhost:{port}/; open the site there."
            ),
        };
        connection.respond(Response::text(403, &text));
        return;
    }
    let (path, _query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    if path == reload::PATH && !connection.head_only() {
        reloads.park(connection.into_stream(), state);
        return;
    }
    connection.respond(respond(path, state));
}

fn respond(path: &str, state: &State) -> Response {
    if path == reload::PATH {
        return Response::new(200, "text/event-stream", Body::Bytes(Vec::new()));
    }
    let token = state.token();
    let lang = *state.lang.lock().unwrap_or_else(|e| e.into_inner());
    let problems = state
        .problems
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let pages = state
        .pages
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some((pages, key)) = pages
        .as_ref()
        .and_then(|p| page(p, path).map(|key| (p, key)))
    {
        let kind = content_type(Path::new(&key));
        let Some(body) = pages.get(&key) else {
            return html(404, not_found(lang, &token));
        };
        if !kind.starts_with("text/html") {
            return Response::new(200, kind, Body::Bytes(body.to_vec()));
        }
        if !problems.is_empty() {
            return html(200, problems_page(&problems, lang, &token));
        }
        return Response::new(200, kind, Body::Bytes(inject(body.to_vec(), &token)));
    }
    let file = resolve(state.output.path(), path);
    let wants_page = file
        .as_ref()
        .map_or(path.ends_with('/') || path.ends_with(".html"), |f| {
            f.extension().is_some_and(|e| e == "html")
        });
    if wants_page && !problems.is_empty() {
        return html(200, problems_page(&problems, lang, &token));
    }
    let Some(file) = file else {
        return html(404, not_found(lang, &token));
    };
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        return match std::fs::read(&file) {
            Ok(body) => Response::new(200, kind, Body::Bytes(inject(body, &token))),
            Err(_) => html(404, not_found(lang, &token)),
        };
    }
    // Streamed, not read whole: evidence files can be large.
    match std::fs::File::open(&file).and_then(|f| Ok((f.metadata()?.len(), f))) {
        Ok((length, f)) => Response::new(200, kind, Body::File(f, length)),
        Err(_) => html(404, not_found(lang, &token)),
    }
}

fn decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The key of the rendered page that `path` names, if there is one.
fn page(pages: &crate::pipeline::Pages, path: &str) -> Option<String> {
    let decoded = decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            s if s.starts_with('.') || s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let key = parts.join("/");
    if pages.contains_key(&key) {
        return Some(key);
    }
    let index = if key.is_empty() {
        "index.html".to_string()
    } else {
        format!("{key}/index.html")
    };
    pages.contains_key(&index).then_some(index)
}

/// The file under `out` that `path` names; `None` for anything outside it, hidden, or absent.
pub fn resolve(out: &Path, path: &str) -> Option<PathBuf> {
    let decoded = decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut file = out.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            s if s.starts_with('.') || s.contains(':') => return None,
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let root = out.canonicalize().ok()?;
    let file = file.canonicalize().ok()?;
    (file.starts_with(&root) && file.is_file()).then_some(file)
}

/// Adds the reload script to a page as it is sent; the file on disk never has it.
fn inject(mut html: Vec<u8>, token: &str) -> Vec<u8> {
    let tag = reload::script(token);
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => {
            html.splice(at..at, tag.bytes());
        }
        None => html.extend(tag.bytes()),
    }
    html
}

fn problems_page(problems: &[crate::diag::Finding], lang: Lang, token: &str) -> String {
    let zh = lang == Lang::Zh;
    let mut items = String::new();
    for p in problems {
        items.push_str(&format!(
            "<li><code>{}:{}:{}</code> <strong>{}</strong> {}</li>",
            escape(&p.file),
            p.line,
            p.column,
            p.code,
            escape(&p.message)
        ));
    }
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><link rel=\"icon\" href=\"data:,\">\
<style>body{{font:15px/1.6 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#1d1d1f}}h1{{color:#a8201a;font-size:1.4em}}li{{margin:.4em 0;overflow-wrap:anywhere}}code{{background:#f4f5f7;padding:0 .3em}}</style></head>\
<body><main><h1>{}</h1><p>{}</p><ul class=\"problems\">{items}</ul></main>{}</body></html>",
        if zh { "zh-CN" } else { "en" },
        if zh {
            "内容有错误"
        } else {
            "The content has errors"
        },
        if zh {
            "内容有错误，网站未更新"
        } else {
            "The content has errors: the site was not rebuilt"
        },
        if zh {
            "修改并保存后，本页会自动刷新。以下为需要修改之处："
        } else {
            "Fix them and save: this page reloads by itself. What to fix:"
        },
        reload::script(token)
    )
}

fn not_found(lang: Lang, token: &str) -> String {
    let (code, text) = if lang == Lang::Zh {
        ("zh-CN", "没有这个页面")
    } else {
        ("en", "No such page")
    };
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{text}</title><link rel=\"icon\" href=\"data:,\"></head><body><main><h1>404</h1><p>{text} · <a href=\"/\">/</a></p></main>{}</body></html>",
        reload::script(token)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_s_names_on_loopback() {
        let hosts = Hosts::for_loopback("127.0.0.1".parse().unwrap(), 1111).unwrap();
        for good in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LocalHost",
            "localhost.:1111",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(hosts.allow(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example:1111",
            "localhost:2222",
            "localhost:",
            "localhost:1111:1111",
            "[::1]x",
            "[::1",
            "192.0.2.2:1111",
            "",
        ] {
            assert!(!hosts.allow(bad), "{bad}");
        }
        let hosts = Hosts::for_loopback("127.0.0.2".parse().unwrap(), 80).unwrap();
        assert!(hosts.allow("127.0.0.2"));
        assert!(Hosts::for_loopback("0.0.0.0".parse().unwrap(), 80).is_none());
        assert!(Hosts::for_loopback("::".parse().unwrap(), 80).is_none());
        assert!(Hosts::for_loopback("::ffff:127.0.0.1".parse().unwrap(), 80).is_some());
    }

    #[test]
    fn nothing_outside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir_all(out.join("towns/a")).unwrap();
        std::fs::write(out.join("towns/a/index.html"), "a").unwrap();
        std::fs::write(out.join(".ducha-site"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        assert_eq!(
            resolve(&out, "/towns/a/"),
            Some(out.join("towns/a/index.html").canonicalize().unwrap())
        );
        assert!(resolve(&out, "/towns/%61/index.html").is_some());
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/towns/../../secret.txt",
            "/..%2fsecret.txt",
            "/.ducha-site",
            "/%2e%2e%5csecret.txt",
            "//etc/passwd",
            "/etc/passwd",
            "/C:/Windows/win.ini",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(resolve(&out, bad), None, "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt")).unwrap();
        assert_eq!(resolve(&out, "/link.txt"), None);
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec(), "12.7");
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains(reload::PATH) && html.contains("var t='12.7'"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
