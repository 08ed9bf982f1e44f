//! The HTTP side of `serve`: files from the output folder and nothing else, the reload
//! script, and the problems page while the content has errors.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

use super::State;
use crate::model::Lang;
use crate::render::charts::escape;

/// Requests handled at once; more wait in the queue of the listening socket.
const WORKERS: usize = 64;
/// How long a page waits for the next build before it asks again.
const WAIT: Duration = Duration::from_secs(25);

pub fn accept(server: &Server, state: &Arc<State>) {
    let busy = Arc::new(AtomicUsize::new(0));
    for request in server.incoming_requests() {
        if busy.load(Ordering::SeqCst) >= WORKERS {
            let _ = request.respond(Response::from_string("busy").with_status_code(503));
            continue;
        }
        busy.fetch_add(1, Ordering::SeqCst);
        let state = Arc::clone(state);
        let busy = Arc::clone(&busy);
        std::thread::spawn(move || {
            respond(request, &state);
            busy.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| Header::from_bytes(&b"X-Ducha"[..], &b"1"[..]).expect("ASCII header"))
}

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
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn send(request: Request, status: u16, kind: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

fn respond(request: Request, state: &State) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == "/__ducha/wait" {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        let generation = wait(state, since);
        send(
            request,
            200,
            "text/plain; charset=utf-8",
            generation.to_string().into_bytes(),
        );
        return;
    }
    let generation = state.generation();
    let lang = *state.lang.lock().unwrap_or_else(|e| e.into_inner());
    let pages = state
        .pages
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let in_memory = pages
        .as_ref()
        .and_then(|p| page(p, path).map(|key| (p, key)));
    if let Some((pages, key)) = &in_memory {
        let problems = state
            .problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let kind = content_type(Path::new(key));
        if kind.starts_with("text/html") && !problems.is_empty() {
            let page = problems_page(&problems, lang, generation);
            send(request, 200, "text/html; charset=utf-8", page.into_bytes());
            return;
        }
        let mut body = pages[key.as_str()].clone();
        if kind.starts_with("text/html") {
            body = inject(body, generation);
        }
        send(request, 200, kind, body);
        return;
    }
    let file = resolve(state.output.path(), path);
    let wants_page = file
        .as_ref()
        .map_or(path.ends_with('/') || path.ends_with(".html"), |f| {
            f.extension().is_some_and(|e| e == "html")
        });
    let problems = state
        .problems
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if wants_page && !problems.is_empty() {
        let page = problems_page(&problems, lang, generation);
        send(request, 200, "text/html; charset=utf-8", page.into_bytes());
        return;
    }
    let Some(file) = file else {
        let page = not_found(lang, generation);
        send(request, 404, "text/html; charset=utf-8", page.into_bytes());
        return;
    };
    let mut body = Vec::new();
    if std::fs::File::open(&file)
        .and_then(|mut f| f.read_to_end(&mut body))
        .is_err()
    {
        let page = not_found(lang, generation);
        send(request, 404, "text/html; charset=utf-8", page.into_bytes());
        return;
    }
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        body = inject(body, generation);
    }
    send(request, 200, kind, body);
}

/// Blocks until a build newer than `since` finishes, or for a while; returns the generation.
fn wait(state: &State, since: u64) -> u64 {
    let guard = state.generation.lock().unwrap_or_else(|e| e.into_inner());
    let (guard, _) = state
        .changed
        .wait_timeout_while(guard, WAIT, |g| *g <= since)
        .unwrap_or_else(|e| e.into_inner());
    *guard
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
fn page(pages: &crate::app::Pages, path: &str) -> Option<String> {
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

fn script(generation: u64) -> String {
    format!(
        "<script>(function(){{var g={generation};function w(){{fetch('/__ducha/wait?since='+g,{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{var n=parseInt(t,10);if(n>g){{location.reload()}}else{{w()}}}}).catch(function(){{setTimeout(w,1000)}})}}w()}})();</script>"
    )
}

/// Adds the reload script to a page as it is sent; the file on disk never has it.
fn inject(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag = script(generation);
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => {
            html.splice(at..at, tag.bytes());
        }
        None => html.extend(tag.bytes()),
    }
    html
}

fn problems_page(problems: &[crate::diag::Finding], lang: Lang, generation: u64) -> String {
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
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"icon\" href=\"data:,\">\
<style>body{{font:15px/1.6 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#1d1d1f}}h1{{color:#a8201a;font-size:1.4em}}li{{margin:.4em 0}}code{{background:#f4f5f7;padding:0 .3em}}</style></head>\
<body><h1>{}</h1><p>{}</p><ul class=\"problems\">{items}</ul>{}</body></html>",
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
        script(generation)
    )
}

fn not_found(lang: Lang, generation: u64) -> String {
    let text = if lang == Lang::Zh {
        "没有这个页面"
    } else {
        "No such page"
    };
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{text}</title><link rel=\"icon\" href=\"data:,\"></head><body><h1>404</h1><p>{text} · <a href=\"/\">/</a></p>{}</body></html>",
        script(generation)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec(), 7);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("since='+g") && html.contains("var g=7;"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
