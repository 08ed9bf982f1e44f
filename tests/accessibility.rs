//! Every kind of page under axe-core in headless Chromium: the WCAG 2.1 A and AA rules and
//! axe's best practices (landmarks, one `h1`, headings in order) find nothing, at any impact,
//! on a desktop screen and at 200 % zoom, and no page scrolls sideways at 200 % zoom.
//!
//! axe-core is the npm package that `.ci/run` installs into `target/npm`; nothing is fetched
//! while the tests run. The pages are those of the example campaign, of `init --example` (with
//! its rounds, objections and rectification), of a bundle, of the English fixture with a
//! draft sheet (a provisional ranking), and the two pages `serve` makes itself: the problems
//! page and its 404.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Where `.ci/run` installs axe-core.
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/npm/node_modules/axe-core/axe.min.js"
);

/// The rules run: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const TAGS: &str = r#"["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]"#;

/// A desktop window, and the same window at 200 % zoom: half as many CSS pixels across.
const DESKTOP: u32 = 1280;
const ZOOMED: u32 = 640;

fn axe() -> &'static str {
    assert!(
        Path::new(AXE).is_file(),
        "axe-core is missing ({AXE}): run .ci/run, which installs it \
         (npm install --prefix target/npm axe-core@4.14.1)"
    );
    AXE
}

/// A page to check, and whether axe runs on it at 200 % zoom too (every page is measured for
/// sideways scrolling at that width).
struct Page {
    path: PathBuf,
    zoomed: bool,
}

/// What axe found on one page at one width, and the page's width at 200 % zoom.
#[derive(serde::Deserialize)]
struct Report {
    page: String,
    width: u32,
    violations: Vec<Violation>,
    #[serde(rename = "scrollWidth")]
    scroll_width: u32,
    #[serde(rename = "clientWidth")]
    client_width: u32,
}

#[derive(serde::Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    nodes: Vec<Node>,
}

#[derive(serde::Deserialize)]
struct Node {
    target: String,
    html: String,
    summary: String,
}

/// Runs axe over `pages` in one headless Chromium: each page is opened in a frame of a
/// harness page, which injects axe into the frame, runs it at the desktop width (and at the
/// zoomed width when asked), and measures the page's width at the zoomed width.
fn audit(pages: &[Page]) -> Vec<Report> {
    let axe = axe();
    let dir = tempfile::tempdir().unwrap();
    let list: Vec<String> = pages
        .iter()
        .map(|p| format!("[\"file://{}\", {}]", p.path.display(), p.zoomed))
        .collect();
    let harness = dir.path().join("axe.html");
    std::fs::write(
        &harness,
        format!(
            r#"<!doctype html><meta charset="utf-8"><body><iframe id="frame" width="{DESKTOP}" height="900"></iframe><pre id="out"></pre><script>
var pages = [{pages}], next = 0, reports = [];
var frame = document.getElementById("frame");
function run(page, width) {{
  frame.width = width;
  var doc = frame.contentDocument, root = doc.documentElement;
  return frame.contentWindow.axe.run(doc, {{runOnly: {{type: "tag", values: {TAGS}}}, resultTypes: ["violations"]}}).then(function (r) {{
    reports.push({{page: page, width: width, scrollWidth: 0, clientWidth: 0, violations: r.violations.map(function (v) {{
      return {{id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {{
        return {{target: n.target.join(" "), html: n.html, summary: n.failureSummary || ""}};
      }})}};
    }})}});
  }});
}}
function finish() {{
  // JSON that survives being serialised as HTML text: no <, >, & or no-break space unescaped.
  document.getElementById("out").textContent = JSON.stringify(reports).replace(/[<>&\u00a0]/g, function (c) {{
    return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
  }});
}}
function step() {{
  if (next >= pages.length) {{ finish(); return; }}
  var page = pages[next][0], zoomed = pages[next][1];
  next++;
  frame.onload = function () {{
    var doc = frame.contentDocument, script = doc.createElement("script");
    script.src = "file://{axe}";
    script.onload = function () {{
      // At 200 % zoom the page has half the CSS pixels across: it must fit them.
      frame.width = {ZOOMED};
      var root = doc.documentElement, fits = [root.scrollWidth, root.clientWidth];
      (zoomed ? run(page, {ZOOMED}) : Promise.resolve()).then(function () {{
        return run(page, {DESKTOP});
      }}).then(function () {{
        reports[reports.length - 1].scrollWidth = fits[0];
        reports[reports.length - 1].clientWidth = fits[1];
        step();
      }}, function (e) {{
        reports.push({{page: page, width: 0, scrollWidth: 0, clientWidth: 0, violations: [{{id: "axe-failed", impact: null, help: String(e), nodes: []}}]}});
        step();
      }});
    }};
    doc.head.appendChild(script);
  }};
  frame.src = page;
}}
step();
</script>"#,
            pages = list.join(", "),
        ),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    // Frames from file:// may be read by their parent only with this flag; virtual time lets
    // the harness run to its end before the DOM is dumped.
    let child = headless(profile.path())
        .args([
            "--allow-file-access-from-files",
            "--hide-scrollbars",
            "--virtual-time-budget=3600000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", harness.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the accessibility tests need Chromium: apt-get install chromium");
    let dom = finish(child);
    let out = dom
        .find("<pre id=\"out\">")
        .map(|at| &dom[at + 14..])
        .and_then(|out| out.find("</pre>").map(|end| &out[..end]))
        .filter(|out| !out.is_empty())
        .unwrap_or_else(|| panic!("the axe harness did not finish:\n{dom}"));
    let reports: Vec<Report> =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("axe's results ({e}):\n{out}"));
    assert_eq!(
        reports.len(),
        pages.len() + pages.iter().filter(|p| p.zoomed).count(),
        "a page was not checked"
    );
    reports
}

/// Waits for Chromium, reading its output meanwhile; fails the test after ten minutes.
fn finish(child: Child) -> String {
    let id = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    match finished.recv_timeout(Duration::from_secs(600)) {
        Ok(output) => String::from_utf8_lossy(&output.unwrap().stdout).into_owned(),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
            panic!("Chromium hung")
        }
    }
}

/// Every violation and every page too wide at 200 % zoom, as a reader can act on it: the
/// page, the rule, its impact, and each element (its selector and its HTML).
fn failures(reports: &[Report], root: &Path) -> Vec<String> {
    // Elements shown for each rule broken on a page.
    const SHOWN: usize = 5;
    let mut out = Vec::new();
    for r in reports {
        let page = r
            .page
            .trim_start_matches("file://")
            .trim_start_matches(root.to_str().unwrap());
        for v in &r.violations {
            let mut text = format!(
                "{page} at {} px: {} ({}): {}",
                r.width,
                v.id,
                v.impact.as_deref().unwrap_or("no impact"),
                v.help
            );
            for n in v.nodes.iter().take(SHOWN) {
                let html: String = n.html.chars().take(300).collect();
                text.push_str(&format!(
                    "\n    {}\n      {html}\n      {}",
                    n.target,
                    n.summary.replace('\n', "\n      ")
                ));
            }
            if v.nodes.len() > SHOWN {
                text.push_str(&format!("\n    and {} more", v.nodes.len() - SHOWN));
            }
            out.push(text);
        }
        if r.scroll_width > r.client_width {
            out.push(format!(
                "{page}: {} CSS px wide at 200 % zoom, in a window of {} (it scrolls sideways)",
                r.scroll_width, r.client_width
            ));
        }
    }
    out
}

/// The pages to check: all of them, with axe at 200 % zoom on the first page of each kind
/// (the folder under the site, or the ranking).
fn checked(site: &Path, pages: Vec<PathBuf>) -> Vec<Page> {
    let mut kinds = std::collections::BTreeSet::new();
    pages
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let kind = rel.split('/').next().unwrap_or_default().to_string();
            Page {
                zoomed: kinds.insert(kind),
                path,
            }
        })
        .collect()
}

fn build(args: &[&str]) {
    let (code, out, err) = ducha(args);
    assert_eq!(code, 0, "ducha {args:?}:\n{out}{err}");
}

#[test]
fn every_kind_of_page_passes_axe_core() {
    axe();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The example campaign, as the repository has it.
    let example = root.join("example");
    build(&[
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "build",
        "--out",
        example.to_str().unwrap(),
    ]);
    // The example with its history: rounds, objections, rectification; and a bundle of it.
    let repo = root.join("repo");
    build(&["init", "--example", repo.to_str().unwrap()]);
    let full = root.join("full");
    let repo = repo.to_str().unwrap();
    build(&["--root", repo, "build", "--out", full.to_str().unwrap()]);
    let bundle = root.join("bundle");
    build(&[
        "--root",
        repo,
        "build",
        "--town",
        "lankou",
        "--out",
        bundle.to_str().unwrap(),
    ]);
    // In English, with a draft sheet: a provisional ranking, and a town not ranked.
    let f = Fixture::new();
    f.edit(XINGANG, "status: final", "status: draft");
    let english = root.join("english");
    build(&[
        "--root",
        f.root().to_str().unwrap(),
        "build",
        "--out",
        english.to_str().unwrap(),
    ]);

    let mut pages = Vec::new();
    for site in [&example, &full, &bundle, &english] {
        pages.extend(checked(site, pages_of(site)));
    }
    let has = |part: &str| {
        pages
            .iter()
            .any(|p| p.path.to_str().unwrap().contains(part))
    };
    for kind in [
        "example/index.html",
        "example/towns/",
        "example/groups/",
        "example/rubric/",
        "example/notices/",
        "example/history/",
        "example/rectification/",
        "full/rounds/",
        "full/objections/",
        "full/rectification/",
        "bundle/index.html",
        "bundle/towns/lankou/",
        "english/index.html",
    ] {
        assert!(has(kind), "no {kind} page checked");
    }
    let started = Instant::now();
    let reports = audit(&pages);
    eprintln!(
        "axe-core checked {} pages ({} of them at 200 % zoom too) in {:.1} s",
        pages.len(),
        pages.iter().filter(|p| p.zoomed).count(),
        started.elapsed().as_secs_f64()
    );
    let wrong = failures(&reports, root);
    assert!(
        wrong.is_empty(),
        "{} accessibility problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// A running `ducha serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ducha"))
            .args(["--root", root.to_str().unwrap(), "serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting ducha serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // Keep reading, so that serve never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let port = address(&line)
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server { child, port }
    }

    /// The body of `path` once it contains `text`; fails after 30 s.
    fn until(&self, path: &str, text: &str) -> String {
        until(self.port, path, text)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_pages_serve_makes_pass_axe_core() {
    axe();
    let f = Fixture::new();
    let server = Server::start(f.root());
    let not_found = server.until("/no/such/page.html", "No such page");
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 12}");
    let problems = server.until("/", "The content has errors");
    drop(server);

    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for (name, page) in [("problems.html", problems), ("404.html", not_found)] {
        let path = dir.path().join(name);
        std::fs::write(&path, page).unwrap();
        pages.push(Page { path, zoomed: true });
    }
    let wrong = failures(&audit(&pages), dir.path());
    assert!(
        wrong.is_empty(),
        "{} accessibility problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
