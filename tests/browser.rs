//! The built site in headless Chromium, opened from `file://`: no console errors, the script
//! runs, and the tables read as they should.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::*;

/// Waits for Chromium to finish, reading its output meanwhile (a large page fills the pipe);
/// fails the test if it takes more than 90 s.
fn finish(child: std::process::Child) -> std::process::Output {
    let id = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    match finished.recv_timeout(Duration::from_secs(90)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &id.to_string()])
                .status();
            panic!("Chromium hung")
        }
    }
}

/// Opens a page headless and returns (the DOM after scripts ran, the console messages).
fn open(page: &Path) -> (String, Vec<String>) {
    open_with(page, &[])
}

fn open_with(page: &Path, flags: &[&str]) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let child = headless(profile.path())
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .args(flags)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the browser tests need Chromium: apt-get install chromium");
    let output = finish(child);
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

/// Prints a page to PDF as Chromium's print dialog does on A4, and returns the text of each
/// printed page (pdftotext, in reading order).
fn print(page: &Path) -> Vec<String> {
    let profile = tempfile::tempdir().unwrap();
    let pdf = profile.path().join("out.pdf");
    let child = headless(profile.path())
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the browser tests need Chromium: apt-get install chromium");
    finish(child);
    let (code, text, err) = run_program("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert_eq!(
        code, 0,
        "the print tests need pdftotext: apt-get install poppler-utils\n{err}"
    );
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Builds the printing campaign and prints one of its pages.
fn print_paper(page: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    paper_campaign(dir.path(), 21);
    let (code, out, err) = ducha(&["--root", dir.path().to_str().unwrap(), "build"]);
    assert_eq!(code, 0, "{out}{err}");
    print(&dir.path().join("site").join(page))
}

/// Checks that each printed page says which page of how many it is.
fn assert_numbered(pages: &[String]) {
    for (i, page) in pages.iter().enumerate() {
        let text: String = page.split_whitespace().collect();
        let foot = format!("第{}页共{}页", i + 1, pages.len());
        assert!(
            text.contains(&foot) && text.matches("页共").count() == 1,
            "page {} is not marked {foot}:\n{page}",
            i + 1
        );
        assert!(
            text.contains("内部资料注意保密"),
            "page {} lacks the marking:\n{page}",
            i + 1
        );
    }
}

/// The index of the printed page that shows `text`.
fn page_of(pages: &[String], text: &str) -> usize {
    pages
        .iter()
        .position(|p| p.contains(text))
        .unwrap_or_else(|| panic!("{text} is on no printed page"))
}

#[test]
fn a_printed_town_report_numbers_its_pages_and_keeps_headings_with_their_items() {
    let pages = print_paper("towns/t00/index.html");
    assert!(pages.len() >= 5, "{} pages", pages.len());
    assert_numbered(&pages);
    for part in 0..20 {
        let heading = format!("PART{part:02}部分");
        let first = format!("ITEM{:02}指标", 2 * part + 1);
        assert_eq!(
            page_of(&pages, &heading),
            page_of(&pages, &first),
            "{heading} ends a page, apart from its first item {first}"
        );
    }
    for section in 0..2 {
        let heading = format!("SECTION{section}方面");
        let first = format!("PART{:02}部分", section * 10);
        assert_eq!(
            page_of(&pages, &heading),
            page_of(&pages, &first),
            "{heading}"
        );
    }
    assert_eq!(
        page_of(&pages, "合计"),
        page_of(&pages, "ITEM40指标"),
        "the total row goes with the last item"
    );
    assert_eq!(
        page_of(&pages, "督查小组组长签名"),
        page_of(&pages, "综合评价"),
        "the signatures go with the summary"
    );
}

#[test]
fn printed_notices_number_their_pages_and_never_leave_a_signature_alone() {
    let pages = print_paper("notices/index.html");
    assert_numbered(&pages);
    // The circular and the three bottom towns' notices each start a page.
    let starts = pages
        .iter()
        .filter(|p| {
            // The marking at the top of every printed page comes before or after the issuer.
            p.replace("内部资料 注意保密", "")
                .split_whitespace()
                .collect::<String>()
                .starts_with("中共某县委办公室〔2020〕")
        })
        .count();
    assert_eq!(starts, 4, "{pages:#?}");
    // A 落款 (the issuer and the date) shares its page with the text it closes.
    let mut signatures = 0;
    for (i, page) in pages.iter().enumerate() {
        if !page.contains("2020年3月6日") {
            continue;
        }
        signatures += 1;
        let body: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "中共某县委办公室" && *l != "2020年3月6日")
            .filter(|l| !l.starts_with('第'))
            .collect();
        assert!(
            !body.is_empty(),
            "page {} holds only a signature:\n{page}",
            i + 1
        );
    }
    assert_eq!(signatures, 4);
}

/// What a reader sees, after the pages' scripts ran, of a provisional ranking's consequences
/// and of the audit's flags.
#[test]
fn a_provisional_ranking_shows_no_consequence_and_flagged_changes_show_their_rule() {
    let f = repository();
    f.edit(LUOHU, "status: final", "status: draft").edit(
        XIANTANG,
        "\"2\": {score: 4.5}",
        "\"2\": {score: 5}",
    );
    commit(
        &f,
        "Jiang",
        "jiang@example.org",
        "2020-03-07T20:00:00+08:00",
        "Raise item 2",
    );
    let root = f.root().to_str().unwrap();
    let (code, stdout, stderr) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let site = f.root().join("site");

    let (dom, console) = open(&site.join("index.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(dom.contains("Provisional ranking"), "{dom}");
    assert!(!dom.contains("class=\"tag\""), "a consequence badge: {dom}");
    assert!(dom.contains("consequences are decided once every town has a final sheet"));

    let (dom, console) = open(&site.join("notices/index.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(!dom.contains("Supervision notice"), "{dom}");
    assert!(
        dom.contains("no supervision notice is drafted yet"),
        "{dom}"
    );

    let (dom, console) = open(&site.join("history/index.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");
    for title in [
        "Sheet changed by someone outside its group and the office · W0401",
        "Scores changed after the review deadline · W0402",
    ] {
        assert!(dom.contains(title), "{title} on the history page: {dom}");
    }
    let (dom, _) = open(&site.join("towns/xiantang/index.html"));
    assert!(dom.contains("Scores changed after the review deadline · W0402"));
}
