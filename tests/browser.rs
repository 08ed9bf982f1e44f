//! The built site in headless Chromium, opened from `file://`: no console errors, the script
//! runs, and the tables read as they should.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// Opens a page headless and returns (the DOM after scripts ran, the console messages).
fn open(page: &Path) -> (String, Vec<String>) {
    open_with(page, &[])
}

fn open_with(page: &Path, flags: &[&str]) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = headless(profile.path())
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .args(flags)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the browser tests need Chromium: apt-get install chromium");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(90), "Chromium hung");
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    let console = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(str::to_string)
        .collect();
    (dom, console)
}

#[test]
fn the_ranking_and_a_town_page_work_from_file_urls() {
    let f = Fixture::new();
    let root = f.root().to_str().unwrap();
    let (code, stdout, stderr) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let site = f.root().join("site");

    let (dom, console) = open(&site.join("index.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");
    let ranking = table_rows(&dom, "<table class=\"ranking sortable\"");
    let read: Vec<(&str, &str, &str)> = ranking
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        read,
        [
            ("1", "Xingang", "18.50"),
            ("2", "Xiantang", "17.00"),
            ("3", "Luohu", "16.67 (Rescaled)")
        ]
    );
    assert!(
        dom.contains("<input class=\"filter\" type=\"search\" placeholder=\"Filter towns…\" aria-label=\"Filter towns…\">"),
        "the script ran and showed the filter"
    );
    assert!(dom.contains("<svg class=\"chart bars\""));

    let (dom, console) = open(&site.join("towns/luohu/index.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");
    let table = table_rows(&dom, "<table class=\"scoring\"");
    let items: Vec<(&str, &str, &str)> = table
        .iter()
        .filter(|r| r.len() >= 4)
        .map(|r| {
            let n = r.len();
            (r[n - 4].as_str(), r[n - 2].as_str(), r[n - 1].as_str())
        })
        .collect();
    assert_eq!(
        items[0],
        ("1. Households lifted out of poverty", "10", "7.5")
    );
    assert_eq!(items[1].0, "2. Income in poor villages");
    assert_eq!(items[1].2, "Not assessed");
    assert!(
        dom.contains("<button class=\"print\" type=\"button\">"),
        "the print button shows"
    );
}

/// The width of a phone held upright, in CSS pixels.
const PHONE: u32 = 390;

/// How a page lays out on a phone.
struct PhoneLayout {
    page: String,
    /// The width of the whole page, which is wider than the screen when anything overflows.
    width: u32,
    screen: u32,
    /// The elements that reach past the screen's right edge, outermost first.
    overflowing: String,
    /// Links to towns and groups in tables whose name is broken over two lines.
    broken_names: String,
}

/// Every HTML page of a site.
fn pages_of(site: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = tree(site)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .map(|p| site.join(p))
        .collect();
    pages.sort();
    pages
}

/// Lays out every page in a phone-wide frame of one headless Chromium (one browser for all
/// pages keeps this fast), and measures each frame from a script in the frame's parent.
fn at_phone_width(pages: &[PathBuf]) -> Vec<PhoneLayout> {
    let dir = tempfile::tempdir().unwrap();
    let frames: String = pages
        .iter()
        .map(|p| {
            format!(
                "<iframe src=\"file://{}\" width=\"{PHONE}\" height=\"844\"></iframe>\n",
                p.display()
            )
        })
        .collect();
    let harness = dir.path().join("phone.html");
    std::fs::write(
        &harness,
        format!(
            r#"<!doctype html><meta charset="utf-8"><body>{frames}<pre id="out"></pre><script>
window.addEventListener("load", function () {{
  var lines = [];
  document.querySelectorAll("iframe").forEach(function (frame) {{
    var doc = frame.contentDocument, root = doc.documentElement, screen = root.clientWidth;
    var over = [];
    doc.querySelectorAll("body *").forEach(function (e) {{
      if (e.getBoundingClientRect().right > screen + 0.5 && !over.some(function (o) {{ return o.contains(e); }})) {{ over.push(e); }}
    }});
    var broken = [];
    doc.querySelectorAll("td a, th a").forEach(function (a) {{
      if (/(towns|groups)\//.test(a.getAttribute("href")) && a.getClientRects().length > 1) {{ broken.push(a.textContent); }}
    }});
    lines.push([frame.getAttribute("src"), root.scrollWidth, screen,
      over.slice(0, 3).map(function (e) {{ return e.tagName.toLowerCase() + "." + (e.getAttribute("class") || ""); }}).join(" "),
      broken.join(" ")].join("\t"));
  }});
  document.getElementById("out").textContent = lines.join("\n");
}});
</script>"#
        ),
    )
    .unwrap();
    // Frames from file:// may be read by their parent only with this flag; overlay
    // scrollbars, as on a phone, take no width from the page.
    let (dom, _) = open_with(
        &harness,
        &["--allow-file-access-from-files", "--hide-scrollbars"],
    );
    let out = &dom[dom.find("<pre id=\"out\">").expect("the harness ran") + 14..];
    let out = &out[..out.find("</pre>").unwrap()];
    let layouts: Vec<PhoneLayout> = out
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            PhoneLayout {
                page: f[0].to_string(),
                width: f[1].parse().unwrap(),
                screen: f[2].parse().unwrap(),
                overflowing: f[3].to_string(),
                broken_names: f[4].to_string(),
            }
        })
        .collect();
    assert_eq!(layouts.len(), pages.len(), "{out}");
    layouts
}

#[test]
fn every_page_fits_a_phone_screen() {
    let dir = tempfile::tempdir().unwrap();
    // The bundled example, the example with its history (a history page full of changes), and
    // the English fixture.
    let bundled = dir.path().join("bundled");
    let (code, out, err) = ducha(&[
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "build",
        "--out",
        bundled.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let repo = dir.path().join("example");
    let (code, out, err) = ducha(&["init", "--example", repo.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = ducha(&["--root", repo.to_str().unwrap(), "build"]);
    assert_eq!(code, 0, "{out}{err}");
    let f = Fixture::new();
    let (code, out, err) = ducha(&["--root", f.root().to_str().unwrap(), "build"]);
    assert_eq!(code, 0, "{out}{err}");

    let mut pages = pages_of(&bundled);
    pages.extend(pages_of(&repo.join("site")));
    pages.extend(pages_of(&f.root().join("site")));
    for kind in [
        "/index.html",
        "/towns/",
        "/groups/",
        "/rubric/",
        "/notices/",
        "/history/",
    ] {
        assert!(
            pages
                .iter()
                .filter(|p| p.to_str().unwrap().contains(kind))
                .count()
                >= 3,
            "no {kind} page measured"
        );
    }
    let wrong: Vec<String> = at_phone_width(&pages)
        .iter()
        .filter(|l| l.screen != PHONE || l.width > l.screen || !l.broken_names.is_empty())
        .map(|l| {
            format!(
                "{}: {} px wide on a {} px screen (reaching past it: {}); names broken over lines: {}",
                l.page, l.width, l.screen, l.overflowing, l.broken_names
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}
