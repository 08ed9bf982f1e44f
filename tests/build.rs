//! `ducha build` on small real campaigns: the pages, the data, and the output folder.

mod common;

use std::path::Path;

use common::*;

fn build(fixture: &Fixture, extra: &[&str]) -> (i32, String, String) {
    let root = fixture.root().to_str().unwrap();
    let mut args = vec!["--root", root, "build"];
    args.extend_from_slice(extra);
    ducha(&args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn ranking_json_agrees_with_a_hand_calculation() {
    let f = Fixture::new();
    let (code, stdout, stderr) = build(&f, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&read(&f.root().join("site/data/ranking.json"))).unwrap();
    // xingang: 10 + (5 − 1) + (2.5 + 2) = 18.5
    // xiantang: (10 − 2) + 4.5 + (3 + 1.5) = 17
    // luohu: 7.5 + not assessed + (3 + 2) = 12.5 of 15 assessed, × 20 = 16.666… → 16.67
    let expected = serde_json::json!({
        "campaign": "test-2020",
        "title": "Test campaign",
        "provisional": false,
        "source": {"commit": null, "dirty": false},
        "towns": [
            {"rank": 1, "town": "Xingang", "slug": "xingang", "group": "g1", "total": 18.5,
             "sections": {"poverty": 14.0, "revival": 4.5}, "consequences": []},
            {"rank": 2, "town": "Xiantang", "slug": "xiantang", "group": "g1", "total": 17.0,
             "sections": {"poverty": 12.5, "revival": 4.5}, "consequences": []},
            {"rank": 3, "town": "Luohu", "slug": "luohu", "group": "g2", "total": 16.67,
             "sections": {"poverty": 7.5, "revival": 5.0}, "consequences": ["notice"]},
        ],
        "unranked": [],
    });
    assert_eq!(json, expected);
}

#[test]
fn writes_every_page_and_the_evidence() {
    let f = Fixture::new();
    assert_eq!(build(&f, &[]).0, 0);
    let site = f.root().join("site");
    for page in [
        "index.html",
        "towns/xiantang/index.html",
        "towns/xingang/index.html",
        "towns/luohu/index.html",
        "groups/g1/index.html",
        "groups/g2/index.html",
        "rubric/index.html",
        "notices/index.html",
        "data/ranking.json",
        "data/scores.csv",
        "assets/style.css",
        "assets/app.js",
        "files/evidence/xiantang/1-water.jpg",
    ] {
        assert!(site.join(page).is_file(), "{page} is missing");
    }
    let town = read(&site.join("towns/xiantang/index.html"));
    assert!(town.contains("One household lacks a water test report"));
    assert!(town.contains("href=\"../../files/evidence/xiantang/1-water.jpg\""));
    assert!(town.contains("Households lifted out of poverty"));
    let notices = read(&site.join("notices/index.html"));
    assert!(
        notices.contains("id=\"notice-luohu\""),
        "the bottom town gets a notice"
    );
    assert!(!notices.contains("id=\"notice-xingang\""));
    // The deadline counts from the review deadline: 2020-03-06 + 15 days.
    assert!(notices.contains("21 March 2020"));
}

#[test]
fn every_link_in_the_site_is_relative_and_resolves() {
    let f = Fixture::new();
    assert_eq!(build(&f, &[]).0, 0);
    let site = f.root().join("site");
    let files = tree(&site);
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let page_dir = Path::new(path).parent().unwrap();
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let target = &piece[..piece.find('"').unwrap()];
                if target.starts_with('#') || target.starts_with("data:") {
                    continue;
                }
                assert!(
                    !target.starts_with('/') && !target.contains("://"),
                    "{path} links outside the site: {target}"
                );
                let target = target.split('#').next().unwrap();
                let resolved = site.join(page_dir).join(target);
                assert!(resolved.exists(), "{path}: broken link {target}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn scores_csv_has_a_row_per_town_and_item() {
    let f = Fixture::new();
    assert_eq!(build(&f, &[]).0, 0);
    let csv = read(&f.root().join("site/data/scores.csv"));
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a BOM for spreadsheets");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 3 * 3);
    assert!(lines[0].starts_with("rank,town,slug,group,status,total,section,item"));
    assert!(
        lines.contains(
            &"3,Luohu,luohu,g2,final,16.67,poverty,2,Income in poor villages,5,,,No poverty villages in this town,"
        ),
        "{csv}"
    );
    assert!(lines.contains(
        &"2,Xiantang,xiantang,g1,final,17.00,poverty,1,Households lifted out of poverty,10,8,2,,One household lacks a water test report"
    ));
    // Headers and states in the campaign's language; the figures are the same.
    f.edit(CAMPAIGN, "language: en", "language: zh-CN");
    assert_eq!(build(&f, &[]).0, 0);
    let csv = read(&f.root().join("site/data/scores.csv"));
    assert!(csv.starts_with(
        "\u{feff}名次,乡镇,标识,督查小组,状态,总分,方面,评分项,考核指标,标准分,得分,扣分,不考核原因,扣分原因\r\n"
    ));
    assert!(
        csv.contains("\r\n2,Xiantang,xiantang,g1,定稿,17.00,poverty,1,"),
        "{csv}"
    );
}

#[test]
fn a_broken_sheet_builds_nothing_and_leaves_the_last_site() {
    let f = Fixture::new();
    assert_eq!(build(&f, &[]).0, 0);
    let before = tree(&f.root().join("site"));
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 11}");
    let (code, _, stderr) = build(&f, &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error[E0302]"), "{stderr}");
    assert!(
        stderr.contains("content/sheets/xingang.yaml:6:16"),
        "{stderr}"
    );
    assert_eq!(tree(&f.root().join("site")), before);
}

#[test]
fn the_same_input_builds_the_same_bytes() {
    let f = Fixture::new();
    let a = f.root().join("a");
    let b = f.root().join("b");
    assert_eq!(build(&f, &["--out", a.to_str().unwrap()]).0, 0);
    assert_eq!(build(&f, &["--out", b.to_str().unwrap()]).0, 0);
    assert_eq!(tree(&a), tree(&b));
}

#[test]
fn refuses_output_folders_it_did_not_write() {
    let f = Fixture::new();
    f.write("notes/keep.txt", "mine");
    let root = f.root().to_str().unwrap().to_string();
    for out in [
        root.clone(),
        format!("{root}/content"),
        format!("{root}/themes"),
        format!("{root}/notes"),
    ] {
        let (code, _, stderr) = build(&f, &["--out", &out]);
        assert_eq!(code, 2, "--out {out}: {stderr}");
        assert!(stderr.contains("refusing"), "{stderr}");
    }
    assert_eq!(read(&f.root().join("notes/keep.txt")), "mine");
    assert!(f.root().join("content/campaign.yaml").is_file());
}

/// The campaign's own files, to see that a refused build touched none of them.
fn guarded_files(f: &Fixture) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = tree(f.root()).into_iter().collect();
    files.retain(|(path, _)| !path.starts_with("site/"));
    files
}

#[test]
fn a_folder_that_does_not_exist_yet_does_not_hide_where_the_output_goes() {
    let f = Fixture::new();
    f.write("notes/keep.txt", "mine");
    let before = guarded_files(&f);
    let root = f.root().to_str().unwrap();
    for (out, why) in [
        ("nosuch/../content", "inside content/"),
        ("nosuch/../themes/x/..", "inside themes/"),
        ("nosuch/../.", "the campaign repository itself"),
        ("nosuch/deeper/../../..", "holds the campaign repository"),
        ("nosuch/../notes", "not empty"),
    ] {
        let args = ["--root", root, "build", "--out", out];
        let (code, stdout, stderr) = ducha_in(f.root(), &args);
        assert_eq!(code, 2, "--out {out}: {stdout}{stderr}");
        assert!(
            stderr.contains("refusing to write the site to") && stderr.contains(why),
            "--out {out}: {stderr}"
        );
    }
    assert_eq!(guarded_files(&f), before, "nothing changed");
    assert!(
        !f.root().join("nosuch").exists(),
        "refused before any folder is made"
    );
}

#[test]
fn an_output_path_through_a_file_says_which_file() {
    let f = Fixture::new();
    f.write("notes.txt", "mine");
    let root = f.root().to_str().unwrap();
    let args = ["--root", root, "build", "--out", "notes.txt/site"];
    let (code, stdout, stderr) = ducha_in(f.root(), &args);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("refusing to write the site to notes.txt/site")
            && stderr.contains("notes.txt is a file, not a folder"),
        "{stderr}"
    );
    assert_eq!(f.read("notes.txt"), "mine");
}

#[cfg(unix)]
#[test]
fn links_in_the_output_path_lead_where_the_system_takes_them() {
    let f = Fixture::new();
    let www = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(f.root().join("content"), f.root().join("data")).unwrap();
    std::os::unix::fs::symlink(www.path(), f.root().join("www")).unwrap();
    let before = guarded_files(&f);
    let root = f.root().to_str().unwrap();
    for out in ["data", "nosuch/../data", "data/sheets/nosuch/.."] {
        let (code, _, stderr) = ducha_in(f.root(), &["--root", root, "build", "--out", out]);
        assert_eq!(code, 2, "--out {out}: {stderr}");
        assert!(stderr.contains("inside content/"), "--out {out}: {stderr}");
    }
    assert_eq!(guarded_files(&f), before, "nothing changed");
    // A link to a folder of its own is followed: the site goes where it leads.
    let (code, stdout, stderr) =
        ducha_in(f.root(), &["--root", root, "build", "--out", "www/site"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(www.path().join("site/index.html").is_file());
    assert!(f.root().join("www").is_symlink(), "the link stays a link");
}

#[test]
fn builds_into_one_folder_at_the_same_time_all_succeed_one_after_the_other() {
    let f = Fixture::new();
    let reference = f.root().join("reference");
    assert_eq!(build(&f, &["--out", reference.to_str().unwrap()]).0, 0);
    let expected = tree(&reference);
    let root = f.root().to_str().unwrap().to_string();
    // One build pauses before a second rename, should it make one: a swap done in two steps
    // is then open for a while, for the other builds to run into.
    let strace = strace_works();
    for _ in 0..3 {
        let builds: Vec<_> = (0..4)
            .map(|i| {
                let root = root.clone();
                std::thread::spawn(move || {
                    let args = ["--root", root.as_str(), "build"];
                    if i == 0 && strace {
                        let mut all = vec![
                            "-f",
                            "-qq",
                            "-o",
                            "/dev/null",
                            "--inject=rename,renameat,renameat2:delay_enter=1s:when=2",
                            env!("CARGO_BIN_EXE_ducha"),
                        ];
                        all.extend(args);
                        run_program("strace", &all)
                    } else {
                        ducha(&args)
                    }
                })
            })
            .collect();
        for b in builds {
            let (code, stdout, stderr) = b.join().unwrap();
            assert_eq!(code, 0, "{stdout}{stderr}");
        }
        assert_eq!(tree(&f.root().join("site")), expected);
        assert_eq!(names_settled(f.root(), ".site"), Vec::<String>::new());
    }
}

#[cfg(unix)]
#[test]
fn a_build_waits_for_the_build_before_it_and_says_so() {
    use std::io::{BufRead, BufReader};
    let f = Fixture::new();
    // Builds into one folder take turns by a lock on the folder that holds it.
    let holder = std::fs::File::open(f.root()).unwrap();
    holder.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ducha"))
        .args(["--root", f.root().to_str().unwrap(), "build"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("waiting for another ducha build into") && line.contains("site"),
        "{line}"
    );
    assert!(child.try_wait().unwrap().is_none(), "it waits");
    assert!(!f.root().join("site").exists());
    drop(holder);
    assert!(child.wait().unwrap().success());
    assert!(f.root().join("site/index.html").is_file());
}

#[test]
fn markdown_from_sheets_never_carries_script_or_raw_html() {
    let f = Fixture::new();
    f.edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary: |\n  Clean <script>alert('x')</script> roads.\n\n  <img src=x onerror=alert(1)>\n\n  [link](javascript:alert(2)) and ![p](http://example.org/p.png)",
    );
    f.edit(
        XIANTANG,
        "  \"2\": {score: 4.5}",
        "  \"2\":\n    score: 4.5\n    note: \"**ok** <iframe src=//evil></iframe>\"",
    );
    let (code, stdout, stderr) = build(&f, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for (path, bytes) in tree(&f.root().join("site")) {
        let text = String::from_utf8_lossy(&bytes);
        if !path.ends_with(".html") {
            continue;
        }
        for bad in [
            "<script>alert",
            "<img src=x",
            "<iframe",
            "javascript:",
            "src=\"http",
        ] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
    }
    let town = read(&f.root().join("site/towns/xiantang/index.html"));
    assert!(
        town.contains("&lt;script&gt;alert"),
        "the text stays readable"
    );
    assert!(town.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(town.contains("<strong>ok</strong>"));
}

#[test]
fn a_theme_file_in_the_repository_overrides_the_built_in_one() {
    let f = Fixture::new();
    f.write("themes/default/static/style.css", "body { color: red }\n");
    f.write(
        "themes/default/templates/group.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"own\">{{ group.name }}</p>{% endblock main %}",
    );
    assert_eq!(build(&f, &[]).0, 0);
    let site = f.root().join("site");
    assert_eq!(
        read(&site.join("assets/style.css")),
        "body { color: red }\n"
    );
    assert!(read(&site.join("groups/g1/index.html")).contains("<p class=\"own\">Group One</p>"));
    assert!(read(&site.join("index.html")).contains("class=\"ranking sortable\""));
}

#[test]
fn a_draft_makes_the_ranking_provisional_and_says_which_towns_are_missing() {
    let f = Fixture::new();
    f.edit(LUOHU, "status: final", "status: draft");
    assert_eq!(build(&f, &[]).0, 0);
    let site = f.root().join("site");
    let index = read(&site.join("index.html"));
    assert!(index.contains("Provisional ranking"), "{index}");
    assert!(index.contains("<a href=\"towns/luohu/index.html\">Luohu</a>"));
    let json: serde_json::Value =
        serde_json::from_str(&read(&site.join("data/ranking.json"))).unwrap();
    assert_eq!(json["provisional"], true);
    assert_eq!(json["towns"].as_array().unwrap().len(), 2);
    assert_eq!(json["unranked"][0]["slug"], "luohu");
    assert_eq!(json["unranked"][0]["status"], "draft");
    // With luohu out xiantang is last, but no consequence is decided on an incomplete ranking.
    for town in json["towns"].as_array().unwrap() {
        assert_eq!(town["consequences"], serde_json::json!([]), "{town}");
    }
    assert!(
        !index.contains("class=\"tag\""),
        "no consequence badge: {index}"
    );
    assert!(index.contains("consequences are decided once every town has a final sheet"));
    let notices = read(&site.join("notices/index.html"));
    assert!(!notices.contains("Supervision notice"), "{notices}");
    assert!(!notices.contains("Towns in the bottom"), "{notices}");
    assert!(
        notices.contains("no supervision notice is drafted yet"),
        "{notices}"
    );
    assert!(read(&site.join("towns/xiantang/index.html")).contains("Provisional ranking"));
    assert!(read(&site.join("towns/luohu/index.html")).contains("This sheet is a draft"));
}

#[test]
fn the_site_speaks_the_campaign_language() {
    let f = Fixture::new();
    assert_eq!(build(&f, &[]).0, 0);
    let en = read(&f.root().join("site/index.html"));
    assert!(en.contains("<html lang=\"en\">") && en.contains(">Ranking<"));
    f.edit(CAMPAIGN, "language: en", "language: zh-CN");
    assert_eq!(build(&f, &[]).0, 0);
    let zh = read(&f.root().join("site/index.html"));
    assert!(zh.contains("<html lang=\"zh-CN\">") && zh.contains(">排名<"));
    assert!(zh.contains("示例数据"), "the sample banner");
}

#[test]
fn the_bundled_example_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, stdout, stderr) = ducha(&["--root", root, "build", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/ranking.json"))).unwrap();
    assert_eq!(json["towns"].as_array().unwrap().len(), 21);
    let flagged = json["towns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !t["consequences"].as_array().unwrap().is_empty())
        .count();
    assert!(flagged >= 3, "the bottom three are flagged");
    // Which towns an item applies to, said in words.
    let rubric = read(&out.join("rubric/index.html"));
    assert!(
        rubric.contains("只考核「省定相对贫困村数」不为 0 的乡镇"),
        "{rubric}"
    );
    assert!(!rubric.contains("assessed_if") && !rubric.contains("poverty_villages"));
    // The example's own git history is that of this project, not of an inspection.
    let history = read(&out.join("history/index.html"));
    assert!(history.contains("audit: {enabled: false}"), "{history}");
    assert!(!history.contains("class=\"commit\""), "{history}");
    let town = read(&out.join("towns/xiantang/index.html"));
    assert!(town.contains("audit: {enabled: false}"));
    assert!(!town.contains("class=\"change"), "{town}");
}

#[test]
fn icons_are_drawn_inline_not_taken_from_a_font() {
    // Chinese fonts have no pictographs (a paperclip, a flag): where they are the only fonts,
    // such a character shows as an empty box. The example with its history has evidence links
    // and flagged changes.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("example");
    let (code, out, err) = ducha(&["init", "--example", repo.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = ducha(&["--root", repo.to_str().unwrap(), "build"]);
    assert_eq!(code, 0, "{out}{err}");
    let site = repo.join("site");
    for (path, bytes) in tree(&site) {
        if !(path.ends_with(".html") || path.ends_with(".css")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let pictographs: Vec<char> = text
            .chars()
            .filter(|c| matches!(*c as u32, 0x2600..=0x27BF | 0x1F000..=0x1FAFF))
            .collect();
        assert!(pictographs.is_empty(), "{path} uses {pictographs:?}");
    }
    let town = read(&site.join("towns/lankou/index.html"));
    let evidence = &town[town
        .find("<a class=\"evidence\"")
        .expect("an evidence link")..];
    assert!(
        evidence[..evidence.find("</a>").unwrap()].contains("<svg class=\"icon\""),
        "{evidence}"
    );
    // The flagged changes are the 2020 round's.
    let round = dir.path().join("2020");
    let (code, _, err) = run_program(
        "git",
        &[
            "-C",
            repo.to_str().unwrap(),
            "worktree",
            "add",
            "-q",
            round.to_str().unwrap(),
            "2020-yingjian",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(ducha(&["--root", round.to_str().unwrap(), "build"]).0, 0);
    let history = read(&round.join("site/history/index.html"));
    let flag = &history[history
        .find("<span class=\"audit-flag\"")
        .expect("a flagged change")..];
    assert!(flag[..flag.find("</span>").unwrap()].contains("<svg class=\"icon\""));
}

#[test]
fn the_ranking_gives_each_column_one_format() {
    let f = Fixture::new();
    f.edit(CAMPAIGN, "language: en", "language: zh-CN");
    assert_eq!(build(&f, &[]).0, 0);
    let index = read(&f.root().join("site/index.html"));
    assert!(
        index.contains("倒数 1：notice"),
        "a full-width colon in Chinese"
    );
    let cells: Vec<Vec<String>> = table_rows(&index, "<table class=\"ranking sortable\"")
        .into_iter()
        .map(|r| r[..6].to_vec())
        .collect();
    // Section subtotals to the decimals their column needs, totals always to two.
    assert_eq!(
        cells,
        [
            ["1", "Xingang", "Group One", "14.0", "4.5", "18.50"],
            ["2", "Xiantang", "Group One", "12.5", "4.5", "17.00"],
            ["3", "Luohu", "Group Two", "7.5 / 10", "5.0", "16.67 (折算)"],
        ]
    );
    f.edit(CAMPAIGN, "language: zh-CN", "language: en");
    assert_eq!(build(&f, &[]).0, 0);
    let index = read(&f.root().join("site/index.html"));
    assert!(index.contains("Bottom 1: notice"), "{index}");
}

#[test]
fn towns_without_a_final_sheet_have_no_figures() {
    let f = Fixture::new();
    // A draft with an item not scored yet, and a town without a sheet.
    f.edit(LUOHU, "status: final", "status: draft")
        .edit(LUOHU, "\"1\": {score: 7.5}", "\"1\": {}")
        .remove(XINGANG);
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let site = f.root().join("site");
    let index = read(&site.join("index.html"));
    let unranked = table_rows(&index, "<table class=\"unranked\"");
    let totals: Vec<(&str, &str)> = unranked
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(totals, [("Xingang", "—"), ("Luohu", "—")]);
    let group = read(&site.join("groups/g2/index.html"));
    assert_eq!(
        table_rows(&group, "<table class=\"ranking sortable\"")[0][3],
        "—"
    );
    let town = read(&site.join("towns/luohu/index.html"));
    assert!(
        town.contains("<span class=\"total\">Total <strong>—</strong></span>"),
        "{town}"
    );
    let items = table_rows(&town, "<table class=\"scoring\"");
    let first = items.iter().find(|r| r.len() == 5).unwrap();
    assert_eq!(
        (first[1].as_str(), first[4].as_str()),
        ("1. Households lifted out of poverty", "")
    );
    // The rubric's figures are those of final sheets only: not the draft's unscored zero.
    let rubric = read(&site.join("rubric/index.html"));
    let rows = table_rows(&rubric, "<table class=\"scoring rubric\"");
    let item1 = rows.iter().find(|r| r.len() >= 5).unwrap();
    assert_eq!(item1[item1.len() - 2..], ["8.00", "8.0"], "{item1:?}");
}

#[test]
fn the_rubric_page_reads_like_the_town_pages() {
    let f = Fixture::new();
    f.edit(RUBRIC, "category: Villages", "category: Households");
    assert_eq!(build(&f, &[]).0, 0);
    let rubric = read(&f.root().join("site/rubric/index.html"));
    // Items of one category share one merged cell.
    assert!(
        rubric.contains("<td class=\"category pin\" rowspan=\"2\">Households</td>"),
        "{rubric}"
    );
    assert_eq!(rubric.matches(">Households</td>").count(), 1);
    let rows: Vec<Vec<String>> = table_rows(&rubric, "<table class=\"scoring rubric\"")
        .into_iter()
        .filter(|r| r.len() >= 5 || r.first().is_some_and(|c| c == "20"))
        .collect();
    // Lowest scores to one decimal, as item 1's 7.5 needs; the total row has the average
    // and the lowest of the published totals: (18.50 + 17.00 + 16.67) / 3 = 17.39.
    let lowest: Vec<&str> = rows.iter().map(|r| r[r.len() - 1].as_str()).collect();
    assert_eq!(lowest, ["7.5", "4.0", "4.5", "16.67"], "{rows:?}");
    assert_eq!(rows.last().unwrap()[1], "17.39");
    // The heat map has a key, and its tooltips never say "−0".
    assert!(rubric.contains("class=\"legend\""), "{rubric}");
    assert!(
        rubric.contains("<title>Xingang · 1: 10 / 10</title>"),
        "{rubric}"
    );
    assert!(
        rubric.contains("<title>Xiantang · 1: 8 / 10 (−2)</title>"),
        "{rubric}"
    );
    let minus_zero = rubric
        .match_indices("−0")
        .any(|(i, _)| !rubric[i + "−0".len()..].starts_with('.'));
    assert!(!minus_zero, "{rubric}");
}

/// The text of an HTML fragment, tags taken out and lines trimmed, for reading it as a reader does.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_notices_read_as_official_documents() {
    let f = Fixture::new();
    f.edit(CAMPAIGN, "language: en", "language: zh-CN")
        .edit(
            CAMPAIGN,
            "title: Test campaign",
            "title: 2020 年度 Test 专项督查",
        )
        .edit(
            CAMPAIGN,
            "office:",
            "notice_number: {prefix: 东督办〔2020〕, first: 3}\noffice:",
        );
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let notices = read(&f.root().join("site/notices/index.html"));
    let main = text_of(&notices[notices.find("<main").unwrap()..notices.find("</main>").unwrap()]);
    // The page's heading, then the documents; the table's caption is for screen readers.
    let expected = "\
通报与督办
County office
东督办〔2020〕3号
下载 Word 文档
关于2020年度Test专项督查结果的通报
各乡镇党委、政府：
一、督查基本情况
按照2020年度Test专项督查工作安排，各督查小组于2020年3月1日至2020年3月5日对3个乡镇逐项开展督查，依据评分标准评分，形成督查评分结果。
二、综合评分和排名情况
各乡镇综合评分和排名情况如下：
各乡镇综合评分和排名
名次乡镇督查小组总分
1XingangGroup One18.502XiantangGroup One17.003LuohuGroup Two16.67
三、结果运用
（一）综合评分倒数1名的乡镇：Luohu。对以上乡镇：
1. notice。
County office2020年3月6日
County office
东督办〔2020〕4号
下载 Word 文档
关于Luohu专项督查发现问题限期整改的督办通知
Luohu党委、政府：
在2020年度Test专项督查中，你单位综合评分16.67分，排名第3名，列入综合评分倒数1名。现将督查发现的问题督办如下，请限期落实整改。
一、存在问题
（一）Households lifted out of poverty（第1项，失2.5分）
二、整改要求
请于2020年3月21日前（15日内）完成整改，并将整改情况书面报送County office。
County office2020年3月6日";
    assert_eq!(main, expected, "{main}");
    // The town report's dates are written as the notices write them.
    let town = read(&f.root().join("site/towns/xiantang/index.html"));
    assert!(
        town.contains("<div class=\"date\">2020年3月5日</div>"),
        "{town}"
    );
    assert!(town.contains("督查日期：2020年3月2日"), "{town}");

    // Without a number from the office's registry, the number is left for it to fill in.
    f.edit(
        CAMPAIGN,
        "notice_number: {prefix: 东督办〔2020〕, first: 3}\n",
        "",
    );
    assert_eq!(build(&f, &[]).0, 0);
    let notices = read(&f.root().join("site/notices/index.html"));
    assert_eq!(
        notices
            .matches("<p class=\"doc-number\">〔2020〕　号</p>")
            .count(),
        2
    );

    // In English, dates are written out as English has them.
    f.edit(CAMPAIGN, "language: zh-CN", "language: en");
    assert_eq!(build(&f, &[]).0, 0);
    let notices = read(&f.root().join("site/notices/index.html"));
    assert!(
        notices.contains("Complete the remedies by 21 March 2020 (within 15 days) and report them in writing to County office."),
        "{notices}"
    );
    assert!(
        notices.contains("County office<br>6 March 2020"),
        "{notices}"
    );
    let text = text_of(&notices);
    assert!(
        text.contains("(1) Towns in the bottom 1: Luohu. For these towns:\n1. notice."),
        "{text}"
    );
    assert!(
        text.contains("(1) Households lifted out of poverty (item 1, 2.5 points lost)"),
        "{text}"
    );
}

#[test]
fn grades_adjustments_and_vetoes_say_how_each_total_is_made() {
    let f = Fixture::new();
    f.append(
        CAMPAIGN,
        "grades:\n  - {name: Good, min: 17}\n  - {name: Fair, min: 0}\n",
    );
    f.append(
        RUBRIC,
        "adjustments:\n  - {id: promoted, kind: bonus, text: Practice promoted, points_each: 1, cap: 2}\n  - {id: criticised, kind: penalty, text: Criticised, points_each: 0.5, cap: 1}\nvetoes:\n  - {id: accident, text: Major accident}\n",
    );
    // Xingang 18.5 + 2 (three promotions, capped) − 0.5 = 20; Xiantang 17, vetoed.
    f.append(
        XINGANG,
        "adjustments:\n  promoted: [{reason: Model A}, {reason: Model B}, {reason: Model C}]\n  criticised: [{reason: Late report}]\n",
    );
    f.append(
        XIANTANG,
        "vetoes:\n  accident: {reason: Bridge collapse, evidence: [evidence/xiantang/1-water.jpg]}\n",
    );
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let json: serde_json::Value =
        serde_json::from_str(&read(&f.root().join("site/data/ranking.json"))).unwrap();
    let towns: Vec<(&str, u64, f64, &str, bool)> = json["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["slug"].as_str().unwrap(),
                t["rank"].as_u64().unwrap(),
                t["total"].as_f64().unwrap(),
                t["grade"].as_str().unwrap(),
                t["vetoed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        towns,
        [
            ("xingang", 1, 20.0, "Good", false),
            ("luohu", 2, 16.67, "Fair", false),
            ("xiantang", 3, 17.0, "Fair", true),
        ]
    );
    assert_eq!(
        json["towns"][0]["adjustments"],
        serde_json::json!({
            "base": 18.5,
            "net": 1.5,
            "lines": [
                {"id": "promoted", "text": "Practice promoted", "points": 2.0, "reasons": ["Model A", "Model B", "Model C"]},
                {"id": "criticised", "text": "Criticised", "points": -0.5, "reasons": ["Late report"]},
            ]
        })
    );
    let ranking = read(&f.root().join("site/index.html"));
    assert!(
        ranking.contains("<small>= 18.50 + 2 − 0.5</small>"),
        "{ranking}"
    );
    assert!(ranking.contains("<td class=\"grade\">Good</td>"));
    let xiantang = read(&f.root().join("site/towns/xiantang/index.html"));
    assert!(
        xiantang.contains("<strong>Vetoed</strong> Major accident"),
        "{xiantang}"
    );
    let at = xiantang
        .find("<li>Bridge collapse")
        .expect("the veto with its reason");
    let veto = &xiantang[at..at + 100];
    assert!(
        veto.starts_with(
            "<li>Bridge collapse <a class=\"evidence\" href=\"../../files/evidence/xiantang/1-water.jpg\">"
        ),
        "{veto}"
    );
    assert!(
        f.root()
            .join("site/files/evidence/xiantang/1-water.jpg")
            .is_file()
    );
    let notices = read(&f.root().join("site/notices/index.html"));
    assert!(
        notices.contains("Veto: Major accident"),
        "the vetoed town is told why"
    );
}

#[test]
fn classes_are_ranked_in_tables_of_their_own() {
    let f = Fixture::new();
    f.append(CAMPAIGN, "classes: class\n");
    f.edit(
        TOWNS,
        "poverty_villages: 3}",
        "poverty_villages: 3, class: Upland}",
    );
    f.edit(
        TOWNS,
        "poverty_villages: 2}",
        "poverty_villages: 2, class: Plain}",
    );
    f.edit(
        TOWNS,
        "poverty_villages: 0}",
        "poverty_villages: 0, class: Upland}",
    );
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let json: serde_json::Value =
        serde_json::from_str(&read(&f.root().join("site/data/ranking.json"))).unwrap();
    let towns: Vec<(&str, &str, u64, f64, bool)> = json["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["slug"].as_str().unwrap(),
                t["class"].as_str().unwrap(),
                t["rank"].as_u64().unwrap(),
                t["total"].as_f64().unwrap(),
                !t["consequences"].as_array().unwrap().is_empty(),
            )
        })
        .collect();
    // Xingang is first overall, but alone in its class, and so also its bottom 1.
    assert_eq!(
        towns,
        [
            ("xiantang", "Upland", 1, 17.0, false),
            ("luohu", "Upland", 2, 16.67, true),
            ("xingang", "Plain", 1, 18.5, true),
        ]
    );
    let ranking = read(&f.root().join("site/index.html"));
    let text = text_of(&ranking);
    assert!(text.contains("Classes: Upland (2) · Plain (1)"), "{text}");
    assert!(text.contains("Bottom 1 of each class"), "{text}");
    let upland = ranking.find("<h2 id=\"class-1\">Upland</h2>").unwrap();
    let plain = ranking.find("<h2 id=\"class-2\">Plain</h2>").unwrap();
    let xingang = ranking.find("towns/xingang/index.html").unwrap();
    let luohu = ranking.find("towns/luohu/index.html").unwrap();
    assert!(upland < luohu && luohu < plain && plain < xingang);
    let notices = text_of(&read(&f.root().join("site/notices/index.html")));
    assert!(
        notices.contains("Towns in the bottom 1 of their class: Luohu (Upland)、Xingang (Plain)"),
        "{notices}"
    );
    assert!(
        notices.contains("rank 2 among the Upland towns"),
        "{notices}"
    );
    let town = text_of(&read(&f.root().join("site/towns/luohu/index.html")));
    assert!(town.contains("Upland Rank 2"), "{town}");
}

#[test]
fn every_page_is_marked_for_the_intranet_and_closed_to_search_engines() {
    // An English campaign has no marking unless it asks for one.
    let f = Fixture::new();
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let site = f.root().join("site");
    assert_eq!(
        read(&site.join("robots.txt")),
        "User-agent: *\nDisallow: /\n"
    );
    let pages: Vec<_> = tree(&site)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(pages.len() > 5);
    for page in &pages {
        let html = read(&site.join(page));
        assert!(
            html.contains(r#"<meta name="robots" content="noindex, nofollow">"#),
            "{page}"
        );
        assert!(!html.contains(r#"class="marking""#), "{page}");
    }

    // A marking of the campaign's own, on every page and every printed page, and in the
    // workbook's footer.
    f.edit(
        CAMPAIGN,
        "sample: true",
        "sample: true\nmarking: \"内部资料  \\\"请勿外传\\\"\"",
    );
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    for page in &pages {
        let html = read(&site.join(page));
        assert!(
            html.contains(r#"<div class="marking">内部资料 &quot;请勿外传&quot;</div>"#),
            "{page}"
        );
        assert!(
            html.contains(r#"@top-right { content: "内部资料 \"请勿外传\"";"#),
            "{page}"
        );
    }
    let xlsx = std::fs::read(site.join("data/ranking.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains(
            "<oddFooter>&amp;L内部资料 \"请勿外传\"&amp;CPage &amp;P of &amp;N</oddFooter>"
        ),
        "{sheet}"
    );

    // `marking: ""` turns it off; a marking that is not text is an error where it is written.
    f.edit(
        CAMPAIGN,
        "marking: \"内部资料  \\\"请勿外传\\\"\"",
        "marking: \"\"",
    );
    let (code, _, err) = build(&f, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!read(&site.join("index.html")).contains(r#"class="marking""#));
    f.edit(CAMPAIGN, "marking: \"\"", "marking: [内部资料]");
    let diags = f.diags();
    assert!(
        diags == [("E0108".to_string(), CAMPAIGN.to_string(), 10, 10)],
        "{diags:?}"
    );
}

#[test]
fn personal_numbers_are_masked_on_the_site_in_every_export_and_in_diff() {
    let f = repository();
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-06T10:00:00+08:00",
        "Sheets",
    );
    leak_personal_numbers(&f);
    f.edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary: Subsidy not paid to card 6222021234567890128.",
    )
    .edit(
        GROUPS,
        "  members:\n    - {name: Lan",
        "  contact: {name: Ye, phone: \"13900001111\"}\n  members:\n    - {name: Lan",
    );
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let site = f.root().join("site");
    let files = tree(&site);
    let raw = [
        "440102198001021230",
        "13812345678",
        "6222021234567890128",
        "13912345678",
    ];
    for (path, bytes) in &files {
        // Workbooks and documents are zips: their parts are read unpacked.
        let texts: Vec<String> = if path.ends_with(".xlsx") || path.ends_with(".docx") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            (0..zip.len())
                .map(|i| {
                    let mut text = String::new();
                    let _ = std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut text);
                    text
                })
                .collect()
        } else {
            vec![String::from_utf8_lossy(bytes).into_owned()]
        };
        for text in texts {
            for number in raw {
                assert!(!text.contains(number), "{number} in {path}");
            }
        }
        assert!(!path.contains("13912345678"), "{path}");
    }
    let town = read(&site.join("towns/xiantang/index.html"));
    assert!(
        town.contains("Household 440102********1230 (tel. 138****5678)"),
        "{town}"
    );
    assert!(town.contains("***************0128"), "{town}");
    // The evidence is published under its masked name, and linked there.
    assert!(
        files.contains_key("files/evidence/xiantang/139xxxx5678.jpg"),
        "{:?}",
        files.keys()
    );
    assert!(
        town.contains(r#"href="../../files/evidence/xiantang/139xxxx5678.jpg""#),
        "{town}"
    );
    let scores = read(&site.join("data/scores.csv"));
    assert!(scores.contains("440102********1230"), "{scores}");
    // A contact number the groups publish stays as written.
    let group = read(&site.join("groups/g1/index.html"));
    assert!(group.contains("13900001111"), "{group}");

    // diff, for a pull-request comment.
    let root = f.root().to_str().unwrap();
    let (_, out, err) = ducha(&["--root", root, "diff", "HEAD"]);
    assert!(
        out.contains("440102********1230") || !out.contains("Household"),
        "{out}{err}"
    );
    for number in raw {
        assert!(!out.contains(number), "{number} in diff:\n{out}");
    }
}

#[test]
fn evidence_kept_off_the_site_is_named_but_not_published() {
    let f = Fixture::new();
    f.edit(
        CAMPAIGN,
        "sample: true",
        "sample: true\nevidence: {publish: false}",
    );
    let (code, out, err) = build(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let site = f.root().join("site");
    assert!(!site.join("files").exists(), "no evidence file is copied");
    let town = read(&site.join("towns/xiantang/index.html"));
    assert!(
        town.contains(r#"<span class="evidence">"#) && town.contains("1-water.jpg</span>"),
        "{town}"
    );
    assert!(!town.contains("files/evidence"), "{town}");

    // A setting that is not true or false is an error where it is written.
    f.edit(
        CAMPAIGN,
        "evidence: {publish: false}",
        "evidence: {publish: sometimes}",
    );
    let diags = f.diags();
    assert!(
        diags
            .iter()
            .any(|(_, file, line, _)| file == CAMPAIGN && *line == 10),
        "{diags:?}"
    );
    f.edit(
        CAMPAIGN,
        "evidence: {publish: sometimes}",
        "evidence: {publihs: false}",
    );
    let diags = f.diags();
    assert_eq!(
        diags,
        [("E0107".to_string(), CAMPAIGN.to_string(), 10, 12)],
        "an unknown key"
    );
}
