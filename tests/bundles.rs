//! `ducha build --town TOWN… --out DIR`: a bundle that one town can be sent, with the whole
//! ranking and nothing else of any other town.

mod common;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use common::*;

/// The example campaign (objections, rectification, evidence, rounds), in a folder of its own.
fn example(dir: &Path) -> PathBuf {
    let repo = dir.join("example");
    let (code, out, err) = ducha(&["init", "--example", repo.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    repo
}

/// Every town's name, from the example's towns.yaml.
fn town_names(repo: &Path) -> Vec<String> {
    let towns = std::fs::read_to_string(repo.join("content/towns.yaml")).unwrap();
    towns
        .lines()
        .filter_map(|l| l.split("name: ").nth(1))
        .map(|rest| rest.split(',').next().unwrap().to_string())
        .collect()
}

/// The text of every file of a site: a page or a data file as it is, each XML part of a
/// workbook or a Word document by `file!part`.
fn texts(site: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, bytes) in tree(site) {
        if path.ends_with(".xlsx") || path.ends_with(".docx") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let name = part.name().unwrap().to_string();
                let mut text = String::new();
                if name.ends_with(".xml") && part.read_to_string(&mut text).is_ok() {
                    out.insert(format!("{path}!{name}"), text);
                }
            }
        } else if let Ok(text) = String::from_utf8(bytes) {
            out.insert(path, text);
        }
    }
    out
}

/// What is left of a file once the ranking is taken out of it: the ranking page, the
/// ranking's data and first sheet, and the circular that publishes it, which name every town.
fn outside_the_ranking<'t>(path: &str, text: &'t str) -> Option<&'t str> {
    match path {
        "index.html"
        | "data/ranking.json"
        | "data/ranking.xlsx!xl/worksheets/sheet1.xml"
        | "notices/通报.docx!word/document.xml" => None,
        "notices/index.html" => {
            let start = text.find("<article class=\"notice circular\">").unwrap();
            let end = start + text[start..].find("</article>").unwrap();
            // Only what follows the circular: the page's frame before it is checked on every
            // other page.
            Some(&text[end..])
        }
        _ => Some(text),
    }
}

#[test]
fn a_bundle_names_no_other_town_outside_the_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let repo = example(dir.path());
    let out = dir.path().join("上莞镇");
    let (code, stdout, err) = ducha_in(
        &repo,
        &[
            "build",
            "--town",
            "shangguan",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stdout}{err}");
    assert!(stdout.contains("上莞镇的材料"), "{stdout}");

    let files = tree(&out);
    let pages: Vec<&str> = files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        pages,
        [
            "index.html",
            "notices/index.html",
            "objections/index.html",
            "rectification/index.html",
            "rubric/index.html",
            "towns/shangguan/index.html",
        ]
    );
    let documents: Vec<&str> = files
        .keys()
        .filter(|p| p.ends_with(".docx"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        documents,
        ["notices/督办通知-shangguan.docx", "notices/通报.docx"]
    );
    // The town's own evidence is there, and no other town's.
    let evidence: Vec<&str> = files
        .keys()
        .filter(|p| p.starts_with("files/"))
        .map(String::as_str)
        .collect();
    assert!(!evidence.is_empty());
    assert!(
        evidence
            .iter()
            .all(|p| p.starts_with("files/evidence/shangguan/")),
        "{evidence:?}"
    );
    let full = dir.path().join("full");
    let (code, stdout, err) = ducha_in(&repo, &["build", "--out", full.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{err}");
    let everything = tree(&full);
    for (path, bytes) in &everything {
        if path.starts_with("files/evidence/shangguan/") {
            assert_eq!(files.get(path), Some(bytes), "{path} is in the bundle");
        }
    }
    assert!(
        everything
            .keys()
            .any(|p| p.starts_with("files/evidence/") && !p.contains("shangguan")),
        "the example has other towns' evidence to leave out"
    );

    let names = town_names(&repo);
    assert_eq!(names.len(), 21);
    let others: Vec<&String> = names.iter().filter(|n| *n != "上莞镇").collect();
    let texts = texts(&out);
    for (path, text) in &texts {
        let Some(rest) = outside_the_ranking(path, text) else {
            continue;
        };
        let named: Vec<&&String> = others
            .iter()
            .filter(|n| rest.contains(n.as_str()))
            .collect();
        assert!(named.is_empty(), "{path} names {named:?}");
    }
    // The ranking itself is whole: every town, in every format.
    for path in [
        "index.html",
        "data/ranking.json",
        "notices/通报.docx!word/document.xml",
    ] {
        for name in &names {
            assert!(texts[path].contains(name.as_str()), "{path} lacks {name}");
        }
    }
    let ranking: serde_json::Value = serde_json::from_str(&texts["data/ranking.json"]).unwrap();
    assert_eq!(ranking["towns"].as_array().unwrap().len(), 21);
    // Why another town's total moved is not said: 义合镇's bonus has a reason in the full site.
    let full_ranking: serde_json::Value =
        serde_json::from_slice(&everything["data/ranking.json"]).unwrap();
    let yihe = by_slug(&full_ranking["towns"], "yihe");
    assert_eq!(yihe["adjustments"]["lines"].as_array().unwrap().len(), 1);
    let yihe = by_slug(&ranking["towns"], "yihe");
    assert_eq!(yihe["adjustments"]["net"], 1.0);
    assert!(yihe["adjustments"]["lines"].as_array().unwrap().is_empty());
    let shangguan = by_slug(&ranking["towns"], "shangguan");
    assert!(
        !shangguan["adjustments"]["lines"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The data rows are the town's own.
    let scores = &texts["data/scores.csv"];
    let rows: Vec<&str> = scores.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.contains(",上莞镇,shangguan,")),
        "{scores}"
    );
    let ledger = &texts["data/rectification.csv"];
    assert!(
        ledger.lines().skip(1).all(|r| r.starts_with("上莞镇,")),
        "{ledger}"
    );
    // The pages say whose the bundle is, and their notice and objection are there.
    let town = &texts["towns/shangguan/index.html"];
    assert!(town.contains("本材料送上莞镇"));
    let notices = &texts["notices/index.html"];
    assert!(notices.contains("id=\"notice-shangguan\""));
    assert!(!notices.contains("id=\"notice-banjiang\""));
    assert!(texts["objections/index.html"].contains("上莞镇"));

    // Every link of every page leads to a file of the bundle.
    let mut checked = 0;
    for page in &pages {
        let html = &texts[*page];
        let folder = Path::new(page).parent().unwrap();
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let target = &piece[..piece.find('"').unwrap()];
                let target = target.split('#').next().unwrap();
                if target.is_empty() || target.starts_with("data:") {
                    continue;
                }
                assert!(
                    out.join(folder).join(target).exists(),
                    "{page}: broken link {target}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 30, "only {checked} links checked");
}

#[test]
fn a_bundle_may_be_for_several_towns_named_either_way() {
    let dir = tempfile::tempdir().unwrap();
    let repo = example(dir.path());
    let out = dir.path().join("bundle");
    let (code, stdout, err) = ducha_in(
        &repo,
        &[
            "build",
            "--town",
            "黄田镇",
            "--town",
            "lankou",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stdout}{err}");
    let towns = names_starting(&out.join("towns"), "");
    assert_eq!(towns, ["huangtian", "lankou"]);
    let ranking = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(ranking.contains("<a href=\"towns/lankou/index.html\">蓝口镇</a>"));
    assert!(ranking.contains("<td class=\"pin name\">义合镇</td>"));
    assert!(!out.join("history").exists() && !out.join("groups").exists());
}

#[test]
fn a_bundle_needs_a_known_town_and_a_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let repo = example(dir.path());
    let out = dir.path().join("bundle");
    let dest = out.to_str().unwrap();
    let (code, _, err) = ducha_in(&repo, &["build", "--town", "nowhere", "--out", dest]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`nowhere`") && err.contains("shangguan"),
        "{err}"
    );
    assert!(!out.exists());
    // Without --out the bundle would replace the office's whole site.
    let (code, _, err) = ducha_in(&repo, &["build", "--town", "shangguan"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--out"), "{err}");
    assert!(!repo.join("site").exists());
    let (code, _, err) = ducha_in(&repo, &["build", "--out", dest, "--town"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--town"), "{err}");
    assert!(!out.exists());
}
