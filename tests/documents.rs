//! The circular and the supervision notices as Word documents: written by every build, opened
//! by LibreOffice, with the text of the notices page laid out as 公文.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// `ducha build` of the campaign at `root` into `out`.
fn build(root: &Path, out: &Path) {
    let (code, stdout, stderr) = ducha(&[
        "--root",
        root.to_str().unwrap(),
        "build",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// The project's own example, `content/`.
fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Word documents of a built site, by name.
fn documents(site: &Path) -> Vec<String> {
    names_starting(&site.join("notices"), "")
        .into_iter()
        .filter(|n| n.ends_with(".docx"))
        .collect()
}

/// Each document of `site/notices` named in `names`, converted to PDF by LibreOffice into
/// `dir`, under a profile of its own so that tests running at once do not share one.
fn to_pdf(site: &Path, names: &[String], dir: &Path) -> Vec<PathBuf> {
    let mut child = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(names.iter().map(|n| site.join("notices").join(n)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("these tests need LibreOffice: apt-get install libreoffice-writer");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("LibreOffice ran for more than 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "LibreOffice failed: {status}");
    names
        .iter()
        .map(|n| {
            let pdf = dir.join(n.replace(".docx", ".pdf"));
            assert!(pdf.is_file(), "LibreOffice did not convert {n}");
            pdf
        })
        .collect()
}

/// The text of each page of a PDF, laid out as printed.
fn pages(pdf: &Path) -> Vec<String> {
    let (code, text, err) = run_program("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    assert_eq!(code, 0, "{err}");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    let (code, info, err) = run_program("pdfinfo", &[pdf.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let count: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count:\n{info}"));
    assert_eq!(pages.len(), count, "pdftotext and pdfinfo disagree");
    pages
}

/// Text without its spaces and line breaks: a title that wraps reads whole again.
fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

fn assert_has(text: &str, expected: &str, what: &str) {
    assert!(
        squash(text).contains(&squash(expected)),
        "{what} lacks {expected:?}:\n{text}"
    );
}

/// Where each page's number stands, from the left edge: the x of the figure between the two
/// dashes of `— n —`.
fn number_positions(pdf: &Path) -> Vec<f64> {
    let (code, html, err) = run_program("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    assert_eq!(code, 0, "{err}");
    html.split("<page ")
        .skip(1)
        .enumerate()
        .map(|(i, page)| {
            let words: Vec<(f64, &str)> = page
                .split("<word xMin=\"")
                .skip(1)
                .map(|w| {
                    let x = w[..w.find('"').unwrap()].parse().unwrap();
                    let text = &w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()];
                    (x, text)
                })
                .collect();
            let n = (i + 1).to_string();
            words
                .windows(3)
                .find(|w| w[0].1 == "—" && w[1].1 == n && w[2].1 == "—")
                .map(|w| w[1].0)
                .unwrap_or_else(|| panic!("page {n} has no number — {n} —"))
        })
        .collect()
}

/// Page numbers stand on the outside edge: odd pages on the right, even pages on the left.
fn assert_numbered_outside(pdf: &Path) {
    const HALF_A4: f64 = 595.0 / 2.0;
    for (i, x) in number_positions(pdf).into_iter().enumerate() {
        let odd = i % 2 == 0;
        assert_eq!(
            x > HALF_A4,
            odd,
            "page {} of {} has its number at x = {x}",
            i + 1,
            pdf.display()
        );
    }
}

const ISSUER: &str = "中共东源县委办公室";
const DATE: &str = "2020年3月6日";

#[test]
fn the_example_s_circular_and_notices_open_as_official_documents() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(example(), &site);
    let names = documents(&site);
    let ranking: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("data/ranking.json")).unwrap()).unwrap();
    let towns = ranking["towns"].as_array().unwrap();
    let mut expected = vec!["通报.docx".to_string()];
    for town in towns {
        if !town["consequences"].as_array().unwrap().is_empty() {
            expected.push(format!("督办通知-{}.docx", town["slug"].as_str().unwrap()));
        }
    }
    expected.sort();
    assert_eq!(
        names, expected,
        "the circular and one notice per flagged town"
    );
    let page = std::fs::read_to_string(site.join("notices/index.html")).unwrap();
    for name in &names {
        assert!(
            page.contains(&format!("href=\"../notices/{name}\"")),
            "the notices page links {name}"
        );
    }

    let pdfs = dir.path().join("pdf");
    std::fs::create_dir(&pdfs).unwrap();
    for (name, pdf) in names.iter().zip(to_pdf(&site, &names, &pdfs)) {
        let pages = pages(&pdf);
        let all = pages.concat();
        assert_has(&pages[0], ISSUER, name);
        assert_has(&all, &format!("{ISSUER}{DATE}"), "the 落款 and 成文日期");
        assert_has(&all, &format!("{ISSUER}{DATE}印发"), "the 版记");
        assert_numbered_outside(&pdf);
        if name == "通报.docx" {
            assert_eq!(
                pages.len(),
                3,
                "the body on two pages, the attachment on one"
            );
            for text in [
                "东督办〔2020〕3号",
                "关于2020年度东源县脱贫攻坚和乡村振兴考核迎检工作专项督查结果的通报",
                "各乡镇党委、政府：",
                "一、督查基本情况",
                "二、综合评分和排名情况",
                "三、结果运用",
                "（一）综合评分倒数3名的乡镇：蓝口镇、半江镇、船塘镇。",
                "附件：综合评分排名",
            ] {
                assert_has(&all, text, name);
            }
            // The attachment starts a page of its own, its label first.
            let at = pages
                .iter()
                .position(|p| p.trim_start().starts_with("附件\n"))
                .expect("a page that starts with 附件");
            let attachment = pages[at..].concat();
            assert_has(&attachment, "综合评分排名", "the attachment");
            assert_has(&attachment, "名次乡镇督查小组总分", "the table's header");
            for town in towns {
                let name = town["town"].as_str().unwrap();
                assert_has(&attachment, name, "the attachment's table");
            }
        } else {
            assert_eq!(pages.len(), 5, "{name}");
            for text in [
                "专项督查发现问题限期整改的督办通知",
                "一、存在问题",
                "（一）",
                "二、整改要求",
            ] {
                assert_has(&all, text, name);
            }
        }
    }
}

#[test]
fn two_builds_write_the_same_documents() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(example(), &a);
    // Zip entries carry a time to the second: a later build must not differ by it.
    std::thread::sleep(Duration::from_millis(2100));
    build(example(), &b);
    let names = documents(&a);
    assert!(names.len() >= 2, "{names:?}");
    assert_eq!(names, documents(&b));
    for name in &names {
        let read = |site: &Path| std::fs::read(site.join("notices").join(name)).unwrap();
        assert!(read(&a) == read(&b), "{name} differs between two builds");
    }
}

#[test]
fn markup_and_control_characters_in_content_come_out_as_valid_text() {
    let f = Fixture::new();
    f.edit(CAMPAIGN, "issuer: County office", "issuer: County office & <partners>")
        .edit(
            LUOHU,
            "\"1\": {score: 7.5}",
            "\"1\":\n    score: 7.5\n    deductions:\n      - points: 2.5\n        reason: \"Records <missing> & \\u0007bell \\x01 unsigned\"",
        );
    let site = f.root().join("site");
    build(f.root(), &site);
    let names = documents(&site);
    assert_eq!(names, ["督办通知-luohu.docx", "通报.docx"]);
    let pdfs = tempfile::tempdir().unwrap();
    let converted = to_pdf(&site, &names, pdfs.path());
    let notice = pages(&converted[0]).concat();
    assert_has(
        &notice,
        "1. Records <missing> & bell unsigned (−2.5)",
        "the notice",
    );
    assert_has(&notice, "County office & <partners>", "the notice");
    // An English campaign: the same structure in English.
    for text in [
        "Supervision notice to Luohu: problems to remedy by a deadline",
        "To the Party committee and government of Luohu:",
        "1. Problems found",
        "(1) Households lifted out of poverty (item 1, 2.5 points lost)",
        "2. Remedies",
        "County office & <partners> 6 March 2020",
        "Issued 6 March 2020",
    ] {
        assert_has(&notice, text, "the English notice");
    }
    let circular = pages(&converted[1]).concat();
    for text in [
        "Results of the Test campaign",
        "1. The inspection",
        "2. Totals and ranks",
        "3. Consequences",
        "(1) Towns in the bottom 1: Luohu. For these towns:",
        "Attachment: Ranking of the towns",
        "Rank Town Group Total",
    ] {
        assert_has(&circular, text, "the English circular");
    }
}

#[test]
fn a_provisional_ranking_gives_a_circular_without_consequences_and_no_notice() {
    let f = Fixture::new();
    f.edit(LUOHU, "status: final", "status: draft");
    let site = f.root().join("site");
    build(f.root(), &site);
    let names = documents(&site);
    assert_eq!(names, ["通报.docx"], "no supervision notice");
    let pdfs = tempfile::tempdir().unwrap();
    let converted = to_pdf(&site, &names, pdfs.path());
    let circular = pages(&converted[0]).concat();
    assert_has(&circular, "2. Totals and ranks", "the circular");
    assert!(
        !circular.contains("3. Consequences"),
        "a provisional ranking has no consequences:\n{circular}"
    );
    for town in ["Xingang", "Xiantang"] {
        assert_has(&circular, town, "the ranking");
    }
}
