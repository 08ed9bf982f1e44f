//! The audit trail on temporary git repositories built here, with several authors and dates.

mod common;

use common::*;

fn codes(diags: &[Diag]) -> Vec<(&str, &str, u32)> {
    diags
        .iter()
        .map(|(code, file, line, _)| (code.as_str(), file.as_str(), *line))
        .collect()
}

#[test]
fn committed_by_the_office_before_the_deadline_is_clean() {
    let f = repository();
    assert_eq!(f.check_json(&[]), (0, vec![]));
}

#[test]
fn an_edit_by_someone_outside_the_group_is_reported_with_its_commit() {
    let f = repository();
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 5}");
    let id = commit(
        &f,
        "Jiang",
        "jiang@example.org",
        "2020-03-05T20:00:00+08:00",
        "Raise item 2",
    );
    let (code, stdout, _) = f.check(&[]);
    assert_eq!(code, 0, "warnings only");
    assert_eq!(
        codes(&f.diags()),
        [("W0401", XIANTANG, 1), ("W0403", XIANTANG, 1)],
        "located at the sheet's town; the sheet was signed, and nobody signed again"
    );
    assert!(stdout.contains(&format!("commit {}", &id[..7])), "{stdout}");
    assert!(
        stdout.contains("Jiang <jiang@example.org>, 2020-03-05 20:00"),
        "{stdout}"
    );
    assert_eq!(f.check(&["--strict"]).0, 1);
}

#[test]
fn the_group_may_edit_its_own_towns() {
    let f = repository();
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 5}");
    f.edit(XIANTANG, "members: [Lan, Liu]", "members: [Lan]");
    commit(
        &f,
        "Lan",
        "LAN@example.org",
        "2020-03-05T20:00:00+08:00",
        "Raise item 2",
    );
    assert_eq!(f.diags(), vec![]);
}

#[test]
fn a_score_changed_after_the_review_deadline_is_reported() {
    let f = repository();
    // 2020-03-06 23:30 in Beijing is still the deadline day; 2020-03-07 00:30 is not.
    // Each change is signed again, so only the date matters here.
    f.edit(LUOHU, "\"1\": {score: 7.5}", "\"1\": {score: 7}");
    f.edit(LUOHU, "members: [Jiang, He]", "members: [Jiang]");
    commit(
        &f,
        "Jiang",
        "jiang@example.org",
        "2020-03-06T15:30:00Z",
        "On the day",
    );
    assert_eq!(f.diags(), vec![]);
    f.edit(LUOHU, "\"1\": {score: 7}", "\"1\": {score: 6.5}");
    f.edit(LUOHU, "  date: 2020-03-06", "  date: 2020-03-07");
    commit(
        &f,
        "Jiang",
        "jiang@example.org",
        "2020-03-06T16:30:00Z",
        "After the day",
    );
    let diags = f.diags();
    assert_eq!(codes(&diags), [("W0402", LUOHU, 1), ("W0324", LUOHU, 12)]);
}

#[test]
fn a_change_to_a_signed_sheet_needs_a_new_signoff() {
    let f = repository();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9.5}");
    commit(
        &f,
        "Liu",
        "liu@example.org",
        "2020-03-06T09:00:00+08:00",
        "Correct item 1",
    );
    assert_eq!(codes(&f.diags()), [("W0403", XINGANG, 1)]);
    // The leader signs again: the warning goes.
    f.edit(XINGANG, "  members: [Ou]", "  members: [Ou, Lan]");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-06T10:00:00+08:00",
        "Sign again",
    );
    assert_eq!(f.diags(), vec![]);
}

#[test]
fn uncommitted_changes_are_reported_and_marked_on_the_site() {
    let f = repository();
    f.edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary: Roads clean.",
    );
    assert_eq!(codes(&f.diags()), [("W0404", XIANTANG, 1)]);
    let root = f.root().to_str().unwrap();
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(f.root().join("site/data/ranking.json")).unwrap(),
    )
    .unwrap();
    let head = git2::Repository::open(f.root())
        .unwrap()
        .head()
        .unwrap()
        .target()
        .unwrap()
        .to_string();
    assert_eq!(json["source"]["commit"], head.as_str());
    assert_eq!(json["source"]["dirty"], true);
    for page in ["index.html", "towns/luohu/index.html", "history/index.html"] {
        let html = std::fs::read_to_string(f.root().join("site").join(page)).unwrap();
        assert!(html.contains("class=\"banner dirty\""), "{page}");
        assert!(html.contains(&head[..10]), "{page} names the commit");
    }
}

#[test]
fn the_history_names_every_change_item_by_item() {
    let f = repository();
    f.edit(XIANTANG, "      - points: 2\n", "      - points: 3\n");
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 4}");
    commit(
        &f,
        "Lan",
        "lan@example.org",
        "2020-03-05T21:00:00+08:00",
        "Recheck items 1 and 2\n\nThe water report was missing for a second household.",
    );
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "history", "xiantang"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Lan <lan@example.org>"), "{out}");
    assert!(out.contains("2020-03-05 21:00"), "{out}");
    assert!(out.contains("    Recheck items 1 and 2"), "{out}");
    assert!(out.contains("· item 1: 8 → 7"), "{out}");
    assert!(
        out.contains("· deduction on item 1: −2 → −3, One household lacks a water test report"),
        "{out}"
    );
    assert!(out.contains("· item 2: 4.5 → 4"), "{out}");
    assert!(!out.contains("xingang"), "only the town asked for: {out}");
    // By name as well as by slug, and as JSON.
    let (code, json, _) = ducha(&["--root", root, "history", "Xiantang", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let change = &json["commits"][0]["sheets"][0]["changes"][0];
    assert_eq!(change["change"], "score");
    assert_eq!(change["item"], "1");
    assert_eq!(change["from"]["points"], "8");
    assert_eq!(change["to"]["points"], "7");
    assert_eq!(json["commits"].as_array().unwrap().len(), 2);
    let (code, _, err) = ducha(&["--root", root, "history", "nowhere"]);
    assert_eq!(code, 2);
    assert!(err.contains("no town `nowhere`"), "{err}");
}

#[test]
fn a_renamed_sheet_keeps_its_history() {
    let f = repository();
    let text = f.read(LUOHU);
    f.remove(LUOHU);
    f.write(
        "content/sheets/luo-hu.yaml",
        text.replace("\"1\": {score: 7.5}", "\"1\": {score: 7}"),
    );
    commit(
        &f,
        "Yan",
        "yan@example.org",
        "2020-03-05T22:00:00+08:00",
        "Rename",
    );
    let root = f.root().to_str().unwrap();
    let (_, out, _) = ducha(&["--root", root, "history", "luohu"]);
    assert!(
        out.contains("renamed from content/sheets/luohu.yaml"),
        "{out}"
    );
    assert!(out.contains("item 1: 7.5 → 7"), "{out}");
}

#[test]
fn town_pages_and_the_history_page_show_the_trail() {
    let f = repository();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9}");
    f.edit(XINGANG, "  members: [Ou]", "  members: [Ou, Lan]");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-06T11:00:00+08:00",
        "Item 1 of Xingang",
    );
    let root = f.root().to_str().unwrap();
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let town = std::fs::read_to_string(f.root().join("site/towns/xingang/index.html")).unwrap();
    assert!(town.contains("Item 1 of Xingang"), "{town}");
    assert!(town.contains("<li>item 1: 10 → 9</li>"), "{town}");
    let log = std::fs::read_to_string(f.root().join("site/history/index.html")).unwrap();
    assert!(log.contains("Set up the campaign") && log.contains("Item 1 of Xingang"));
    assert!(
        log.find("Item 1 of Xingang") < log.find("Set up the campaign"),
        "newest first"
    );
}

#[test]
fn the_same_commit_builds_the_same_bytes() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    let a = f.root().join("site");
    let b = tempfile::tempdir().unwrap();
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    assert_eq!(
        ducha(&["--root", root, "build", "--out", b.path().to_str().unwrap()]).0,
        0
    );
    for page in [
        "index.html",
        "history/index.html",
        "towns/xiantang/index.html",
        "data/ranking.json",
    ] {
        assert_eq!(
            std::fs::read(a.join(page)).unwrap(),
            std::fs::read(b.path().join(page)).unwrap(),
            "{page}"
        );
    }
}

#[test]
fn diff_reports_rank_moves_item_changes_and_new_problems() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    // Luohu (16.67, rank 3) climbs above Xiantang (17) once item 1 of Xiantang drops by 1.5.
    f.edit(XIANTANG, "      - points: 2\n", "      - points: 3.5\n");
    f.edit(XINGANG, "\"2\":\n    score: 4", "\"2\":\n    score: 4.5");
    let (code, md, err) = ducha(&["--root", root, "diff", "HEAD"]);
    assert_eq!(code, 1, "the head has errors: {err}");
    assert!(
        md.contains("**2 towns change total, 2 change rank.**"),
        "{md}"
    );
    assert!(
        md.contains("- ⬇️ **Xiantang** rank 2 → 3, 17.00 → **15.50** (−1.50)"),
        "{md}"
    );
    assert!(md.contains("- ⬆️ **Luohu** rank 3 → 2, 16.67"), "{md}");
    assert!(md.contains("🚩"), "Xiantang enters the bottom place: {md}");
    assert!(md.contains("- item 1: 8 → 6.5"), "{md}");
    assert!(
        md.contains("- ❌ new `E0305`"),
        "score and deductions of Xingang now disagree: {md}"
    );
    let (code, json, _) = ducha(&["--root", root, "diff", "HEAD", "--format", "json"]);
    assert_eq!(code, 1, "the head has errors");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["new"][0]["code"], "E0305");
    assert_eq!(json["head"], serde_json::Value::Null);
    let (code, _, err) = ducha(&["--root", root, "diff", "nosuchcommit"]);
    assert_eq!(code, 2);
    assert!(err.contains("no commit `nosuchcommit`"), "{err}");
}

#[test]
fn diff_lists_towns_that_are_gone_after_the_others_in_their_old_rank_order() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    // Committed: Xingang 1st, Xiantang 2nd, Luohu 3rd. The head keeps Xingang alone, which
    // makes it the bottom town.
    f.write(
        TOWNS,
        "- {name: Xingang, slug: xingang, attributes: {poverty_villages: 2}}\n",
    );
    f.remove(XIANTANG).remove(LUOHU);
    for _ in 0..3 {
        let (_, json, err) = ducha(&["--root", root, "diff", "HEAD", "--format", "json"]);
        let json: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {err}"));
        let towns: Vec<(&str, &serde_json::Value, &serde_json::Value)> = json["towns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["slug"].as_str().unwrap(), &t["rank"], &t["status"]))
            .collect();
        assert_eq!(
            towns,
            [
                (
                    "xingang",
                    &serde_json::json!([1, 1]),
                    &serde_json::json!(["final", "final"])
                ),
                (
                    "xiantang",
                    &serde_json::json!([2, null]),
                    &serde_json::json!(["final", "missing"])
                ),
                (
                    "luohu",
                    &serde_json::json!([3, null]),
                    &serde_json::json!(["final", "missing"])
                ),
            ]
        );
    }
}

#[test]
fn a_sheet_appears_and_goes_in_one_line() {
    let f = repository();
    f.remove(LUOHU);
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T19:00:00+08:00",
        "Remove luohu",
    );
    let root = f.root().to_str().unwrap();
    let (_, text, _) = ducha(&["--root", root, "history", "xiantang"]);
    assert!(
        text.contains("    · sheet created: 17 of the 20 points of the items it scores\n"),
        "{text}"
    );
    assert!(!text.contains("item 1"), "no line per item: {text}");
    let (_, text, _) = ducha(&["--root", root, "history", "luohu"]);
    assert_eq!(text.matches("    · sheet deleted\n").count(), 1, "{text}");
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let page = f.read("site/towns/xiantang/index.html");
    assert!(page.contains("<li>sheet created: 17 of the 20 points of the items it scores</li>"));
    assert!(!page.contains("item 1:"), "{page}");
}

#[test]
fn the_site_marks_every_flagged_change_with_its_rule() {
    let f = repository();
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 5}");
    let id = commit(
        &f,
        "Jiang",
        "jiang@example.org",
        "2020-03-07T20:00:00+08:00",
        "Raise item 2",
    );
    let root = f.root().to_str().unwrap();
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let town = f.read("site/towns/xiantang/index.html");
    let history = f.read("site/history/index.html");
    for (code, title) in [
        (
            "W0401",
            "Sheet changed by someone outside its group and the office",
        ),
        ("W0402", "Scores changed after the review deadline"),
        (
            "W0403",
            "Scores changed after sign-off without a new sign-off",
        ),
    ] {
        // The flag icon is an inline SVG between the two.
        let open = format!("<span class=\"audit-flag\" title=\"{code}\"><svg class=\"icon\"");
        let text = format!("</svg> {title} · {code}</span>");
        for mark in [&open, &text] {
            assert_eq!(
                town.matches(mark.as_str()).count(),
                1,
                "{code} on the town page: {town}"
            );
            assert_eq!(
                history.matches(mark.as_str()).count(),
                1,
                "{code} on the history page"
            );
        }
    }
    // Only the flagged change is marked: the office's first commit is not.
    let flagged = history
        .split("<section class=\"commit\"")
        .filter(|s| s.contains("audit-flag"))
        .collect::<Vec<_>>();
    assert_eq!(flagged.len(), 1);
    assert!(flagged[0].contains(&id[..7]));
}

#[test]
fn diff_says_nothing_of_bottom_places_on_a_provisional_ranking() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    // Luohu is last (and flagged) in the committed ranking; a draft makes the head provisional.
    f.edit(XINGANG, "status: final", "status: draft");
    let (code, md, err) = ducha(&["--root", root, "diff", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("The ranking is provisional"), "{md}");
    assert!(!md.contains("bottom places"), "{md}");
    let (_, json, _) = ducha(&["--root", root, "diff", "HEAD", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let luohu = by_slug(&json["towns"], "luohu");
    assert_eq!(luohu["flagged"], serde_json::json!([true, false]));
}

#[test]
fn the_example_repository_tells_the_inspection_story() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x");
    let x = x.to_str().unwrap();
    let (code, _, err) = ducha(&["init", "--example", x]);
    assert_eq!(code, 0, "{err}");
    // After publication a town's rectification report names a household head by resident ID
    // and mobile number: warnings, at the numbers.
    let (code, stdout, _) = ducha(&["--root", x, "check", "--format", "json"]);
    assert_eq!(code, 0);
    let ledger_file = "content/rectification/shangguan.yaml";
    assert_eq!(
        parse_diags(&stdout, ""),
        [
            ("W0601".to_string(), ledger_file.to_string(), 17, 55),
            ("W0602".to_string(), ledger_file.to_string(), 17, 79),
        ]
    );
    // The 2021 round as published is clean even under --strict.
    // A tag checked out beside the repository, as a folder of its own.
    let worktree = |name: &str, tag: &str| {
        let folder = dir.path().join(name);
        let path = folder.to_str().unwrap();
        let (code, _, err) = run_program("git", &["-C", x, "worktree", "add", "-q", path, tag]);
        assert_eq!(code, 0, "{err}");
        folder
    };
    let z = worktree("z", "2021-yingjian");
    let z = z.to_str().unwrap();
    let (code, stdout, _) = ducha(&["--root", z, "check", "--strict", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&parse_diags(&stdout, "")), []);
    // The 2020 round, as its tag holds it, tells its own story.
    let y = worktree("y", "2020-yingjian");
    let (code, stdout, _) = ducha(&["--root", y.to_str().unwrap(), "check", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        codes(&parse_diags(&stdout, "")),
        [
            ("W0406", "content/sheets/luohu.yaml", 3),
            ("W0401", "content/sheets/xiantang.yaml", 3),
            ("W0406", "content/sheets/xiantang.yaml", 3),
            ("W0402", "content/sheets/xichang.yaml", 3),
            ("W0403", "content/sheets/xichang.yaml", 3),
        ]
    );
    // That round was published: its tag is a publication, and its site says so.
    let (code, _, err) = ducha(&["--root", y.to_str().unwrap(), "build"]);
    assert_eq!(code, 0, "{err}");
    let ranking = std::fs::read_to_string(y.join("site/index.html")).unwrap();
    assert!(
        ranking.contains("正式发布：2020-yingjian（2020年3月10日）"),
        "{ranking}"
    );
    // Its commits are signed with the example keys of their authors, but one.
    let (_, log, _) = ducha(&["--root", x, "history", "--format", "json"]);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let signed: Vec<&str> = log["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["signature"]["signed"].as_str().unwrap())
        .collect();
    assert_eq!(
        signed.iter().filter(|s| **s == "unsigned").count(),
        1,
        "{signed:?}"
    );
    assert!(signed.iter().all(|s| ["verified", "unsigned"].contains(s)));
    let keys = dir.path().join("x/.keys");
    assert!(
        std::fs::read_to_string(keys.join("README.txt"))
            .unwrap()
            .contains("EXAMPLE KEYS")
    );
    assert!(
        std::fs::read_to_string(keys.join("panyuping"))
            .unwrap()
            .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
    );
    assert!(
        std::fs::read_to_string(dir.path().join("x/content/sheets/yihe.yaml"))
            .unwrap()
            .starts_with("# yaml-language-server: $schema=../../schemas/sheet.schema.json\n"),
        "editors find the schemas"
    );
    assert!(dir.path().join("x/schemas/sheet.schema.json").is_file());
    let (code, _, _) = ducha(&["--root", x, "build"]);
    assert_eq!(code, 0);
    let page =
        std::fs::read_to_string(dir.path().join("x/site/towns/liucheng/index.html")).unwrap();
    assert!(
        page.contains("柳城镇第 8 项：异议采纳"),
        "the town page shows its history"
    );
    // The second round: grades, a veto, adjustments, and a town in the bottom three twice.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("x/site/data/ranking.json")).unwrap(),
    )
    .unwrap();
    let town = |slug: &str| by_slug(&json["towns"], slug).clone();
    assert_eq!(town("yihe")["grade"], "优秀");
    assert_eq!(town("yihe")["adjustments"]["net"], 1.0);
    assert_eq!(town("huangtian")["vetoed"], true);
    assert_eq!(town("huangtian")["grade"], "不合格");
    assert_eq!(town("huangtian")["rank"], 21);
    assert_eq!(town("shangguan")["adjustments"]["net"], -2.0);
    assert_eq!(
        town("banjiang")["consequences"],
        serde_json::json!([
            "全县通报批评",
            "下达专项督办通知",
            "限期落实整改",
            "约谈主要负责人"
        ])
    );
    assert_eq!(town("banjiang")["previous"]["rank"], 20);
    assert_eq!(town("chuantang")["previous"]["rank"], 21);
    let rounds = std::fs::read_to_string(dir.path().join("x/site/rounds/index.html")).unwrap();
    assert_eq!(
        table_rows(&rounds, "<section class=\"stayed\">"),
        [["半江镇", "2", "20 → 20"]],
        "半江镇 in the bottom three twice"
    );
    assert_eq!(
        table_rows(&rounds, "<section class=\"improved\">")[0],
        ["船塘镇", "21", "16", "↑5", "+8.50"],
        "船塘镇 rose most"
    );
    // Two objections: one accepted and put right (not a late change), one rejected.
    let objections =
        std::fs::read_to_string(dir.path().join("x/site/objections/index.html")).unwrap();
    let rows = table_rows(&objections, "<table class=\"ranking objections\">");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let liucheng = rows.iter().find(|r| r[0] == "柳城镇").unwrap();
    assert!(
        liucheng[4].starts_with("采纳 叶浩 2021-03-10"),
        "{liucheng:?}"
    );
    assert!(liucheng[5].contains("第 8 项"), "{liucheng:?}");
    let shangguan = rows.iter().find(|r| r[0] == "上莞镇").unwrap();
    assert!(shangguan[4].starts_with("驳回"), "{shangguan:?}");
    let ranking = std::fs::read_to_string(dir.path().join("x/site/index.html")).unwrap();
    assert!(
        !ranking.contains("征求意见稿"),
        "the window closed on 11 March"
    );
    assert!(ranking.contains("截至 2021年3月27日"));
    // The site of the published commit says so; the later one does not.
    assert!(!ranking.contains("正式发布"));
    assert_eq!(ducha(&["--root", z, "build"]).0, 0);
    let published = std::fs::read_to_string(dir.path().join("z/site/index.html")).unwrap();
    assert!(published.contains("正式发布：2021-yingjian（2021年3月25日）"));
    // The numbers are masked wherever the site shows them.
    let site = tree(&dir.path().join("x/site"));
    for (path, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("441625196803152316") && !text.contains("13925061234"),
            "{path}"
        );
    }
    let ledger_page = String::from_utf8_lossy(&site["rectification/index.html"]).into_owned();
    assert!(
        ledger_page.contains("身份证号 441625********2316，联系电话 139****1234"),
        "{ledger_page}"
    );
    // The bottom three's rectification: one problem closed, two done, the rest overdue.
    let ledger: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("x/site/data/rectification.json")).unwrap(),
    )
    .unwrap();
    let problems = ledger["problems"].as_array().unwrap();
    let count = |state: &str, colour: &str| {
        problems
            .iter()
            .filter(|p| p["state"] == state && p["colour"] == colour)
            .count()
    };
    assert_eq!((count("closed", "green"), count("done", "green")), (1, 2));
    assert_eq!(count("open", "red"), problems.len() - 3);
    // init refuses to write over anything.
    let (code, _, err) = ducha(&["init", "--example", x]);
    assert_eq!(code, 2);
    assert!(err.contains("not empty"), "{err}");
}

#[test]
fn a_folder_outside_git_has_no_history() {
    let f = Fixture::new();
    let root = f.root().to_str().unwrap();
    let (code, out, _) = ducha(&["--root", root, "history"]);
    assert_eq!(code, 0);
    assert!(out.contains("not a git repository"), "{out}");
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let page = std::fs::read_to_string(f.root().join("site/towns/xiantang/index.html")).unwrap();
    assert!(page.contains("not a git repository: no history"));
}

#[test]
fn the_audit_can_start_at_a_commit_or_be_off() {
    let f = Fixture::new();
    f.write(".gitignore", "/site\n");
    let start = commit(
        &f,
        "Importer",
        "import@example.org",
        "2020-03-08T09:00:00+08:00",
        "Import",
    );
    assert_eq!(
        codes(&f.diags()),
        [
            ("W0401", LUOHU, 1),
            ("W0402", LUOHU, 1),
            ("W0401", XIANTANG, 1),
            ("W0402", XIANTANG, 1),
            ("W0401", XINGANG, 1),
            ("W0402", XINGANG, 1)
        ]
    );
    f.edit(
        CAMPAIGN,
        "office:",
        &format!("audit: {{from: {}}}\noffice:", &start[..8]),
    );
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-08T10:00:00+08:00",
        "Audit from the import",
    );
    assert_eq!(f.diags(), vec![]);
    f.edit(
        CAMPAIGN,
        &format!("audit: {{from: {}}}", &start[..8]),
        "audit: {from: v9}",
    );
    let diags = f.diags();
    assert_eq!(codes(&diags)[0], ("E0214", CAMPAIGN, 17));
    f.edit(CAMPAIGN, "audit: {from: v9}", "audit: {enabled: false}");
    assert_eq!(f.diags(), vec![]);
}

#[test]
fn a_deleted_sheet_is_told_with_the_commit_that_deleted_it_and_how_to_restore_it() {
    let f = repository();
    f.edit(CAMPAIGN, "language: en", "language: zh-CN");
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T18:30:00+08:00",
        "Chinese messages",
    );
    f.remove(LUOHU);
    let id = commit(
        &f,
        "Jiang",
        "jiang@example.org",
        "2020-03-05T20:00:00+08:00",
        "Remove Luohu",
    );
    let short = &id[..7];
    let (code, diags) = f.check_json(&[]);
    assert_eq!(code, 0, "warnings only");
    assert!(
        codes(&diags).contains(&("W0322", TOWNS, 3)),
        "at the town in towns.yaml: {diags:?}"
    );
    let (_, stdout, _) = f.check(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let message = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "W0322")
        .and_then(|d| d["message"].as_str())
        .unwrap()
        .to_string();
    assert_eq!(
        message,
        format!(
            "Luohu 的评分表 content/sheets/luohu.yaml 已在提交 {short}（Jiang，2020-03-05 20:00）中删除：\
             如属误删，运行 git checkout {short}~1 -- content/sheets/luohu.yaml 恢复；在此之前排名为暂定"
        )
    );
    assert!(!message.contains("ducha new"), "{message}");
    // The command given restores the sheet.
    let restore = format!("git checkout {short}~1 -- content/sheets/luohu.yaml");
    let status = std::process::Command::new("sh")
        .args(["-c", &restore])
        .current_dir(f.root())
        .status();
    if status.is_ok_and(|s| s.success()) {
        assert!(!codes(&f.diags()).contains(&("W0322", TOWNS, 3)));
    }
}

#[test]
fn a_sheet_deleted_and_not_committed_yet_is_told_so() {
    let f = repository();
    f.remove(LUOHU);
    let (_, stdout, _) = f.check(&[]);
    assert!(
        stdout.contains(
            "Luohu's sheet content/sheets/luohu.yaml is deleted (not committed yet): if by mistake, \
             restore it with `git checkout HEAD -- content/sheets/luohu.yaml`"
        ),
        "{stdout}"
    );
}

#[test]
fn a_town_that_never_had_a_sheet_is_told_to_make_one() {
    // A repository whose history never had Luohu's sheet.
    let g = Fixture::new();
    g.remove(LUOHU);
    commit(
        &g,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T18:00:00+08:00",
        "Set up the campaign",
    );
    let (_, stdout, _) = g.check(&[]);
    assert!(
        stdout.contains("Luohu has no sheet yet: run `ducha new luohu`"),
        "{stdout}"
    );
}

#[test]
fn the_trail_reads_a_version_with_a_full_width_slip_as_the_checks_do() {
    let (_, text) = FILES.iter().find(|(path, _)| *path == XIANTANG).unwrap();
    let slipped = text.replace("summary: Roads", "summary：Roads");
    let sheet = ducha::history::parse_sheet(slipped.as_bytes(), "xiantang").unwrap();
    assert_eq!(
        sheet.summary.as_deref(),
        Some("Roads clean, records complete.")
    );
}

#[test]
fn diff_reports_grade_changes() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    f.append(
        CAMPAIGN,
        "grades:\n  - {name: Good, min: 17}\n  - {name: Fair, min: 0}\n",
    );
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T18:30:00+08:00",
        "Grades",
    );
    // Xiantang 17 → 15.5: from Good to Fair.
    f.edit(XIANTANG, "      - points: 2\n", "      - points: 3.5\n");
    let (_, md, err) = ducha(&["--root", root, "diff", "HEAD"]);
    assert!(md.contains(", grade Good → Fair"), "{md}{err}");
    let (_, json, _) = ducha(&["--root", root, "diff", "HEAD", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let xiantang = by_slug(&json["towns"], "xiantang");
    assert_eq!(xiantang["grade"], serde_json::json!(["Good", "Fair"]));
}
