//! The built site in headless Chromium, opened from `file://`: no console errors, the script
//! runs, and the tables read as they should.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// Opens a page headless and returns (the DOM after scripts ran, the console messages).
fn open(page: &Path) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = headless(profile.path())
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
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

/// The text of each cell of each body row of the table that starts at `marker`.
fn rows(dom: &str, marker: &str) -> Vec<Vec<String>> {
    let start = dom
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in the page"));
    let table = &dom[start..start + dom[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let cell = &cell[cell.find('>').unwrap() + 1..];
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in cell[..cell.find("</td>").unwrap_or(cell.len())].chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_string()
                })
                .collect()
        })
        .collect()
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
    let ranking = rows(&dom, "<table class=\"ranking sortable\"");
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
    let table = rows(&dom, "<table class=\"scoring\"");
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
