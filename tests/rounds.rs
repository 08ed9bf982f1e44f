//! Rounds: `previous:` names the tag of the round before, read from git in memory; the site
//! shows each town's last round and the consequences that span rounds.

mod common;

use common::*;

fn tag(f: &Fixture, name: &str) {
    let repo = git2::Repository::open(f.root()).unwrap();
    let head = repo.head().unwrap().peel(git2::ObjectType::Commit).unwrap();
    repo.tag_lightweight(name, &head, true).unwrap();
}

/// The line of `needle` in `file`, from 1.
fn line_of(f: &Fixture, file: &str, needle: &str) -> u32 {
    f.read(file)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle} in {file}")) as u32
        + 1
}

/// Round 1 as committed and tagged; round 2 in the working tree names it, with a
/// consequence for two rounds in the bottom place: Xiantang climbs, Xingang falls, Luohu stays
/// last.
fn two_rounds() -> Fixture {
    let f = repository();
    tag(&f, "round-1");
    f.append(CAMPAIGN, "previous: round-1\n");
    f.edit(
        CAMPAIGN,
        "    deadline_days: 15\n",
        "    deadline_days: 15\n  - bottom: 1\n    rounds: 2\n    actions: [interview]\n",
    );
    f.edit(XIANTANG, "      - points: 2\n", "      - points: 0.5\n");
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9.5}");
    f
}

#[test]
fn each_town_is_shown_against_the_round_before() {
    let f = two_rounds();
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "check", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{out}{err}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(f.root().join("site/data/ranking.json")).unwrap(),
    )
    .unwrap();
    let towns: Vec<(&str, u64, &serde_json::Value, &serde_json::Value)> = json["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["slug"].as_str().unwrap(),
                t["rank"].as_u64().unwrap(),
                &t["previous"],
                &t["consequences"],
            )
        })
        .collect();
    assert_eq!(
        towns,
        [
            (
                "xiantang",
                1,
                &serde_json::json!({"rank": 2, "total": 17.0}),
                &serde_json::json!([])
            ),
            (
                "xingang",
                2,
                &serde_json::json!({"rank": 1, "total": 18.5}),
                &serde_json::json!([])
            ),
            // Last in both rounds: the two-round consequence applies too.
            (
                "luohu",
                3,
                &serde_json::json!({"rank": 3, "total": 16.67}),
                &serde_json::json!(["notice", "interview"])
            ),
        ]
    );
    let ranking = std::fs::read_to_string(f.root().join("site/index.html")).unwrap();
    assert!(
        ranking.contains(">Last round</th>"),
        "the ranking has the column"
    );
    assert!(ranking.contains("<td class=\"num previous\">2 <span class=\"change\">↑1</span></td>"));
    assert!(ranking.contains("<td class=\"num previous\">1 <span class=\"change\">↓1</span></td>"));
    // The town page: every round's rank, total and grade, and the same as a chart.
    let luohu = std::fs::read_to_string(f.root().join("site/towns/luohu/index.html")).unwrap();
    let table = &luohu[luohu
        .find("<table class=\"rounds\">")
        .expect("the rounds table")..];
    let rows: Vec<&str> = table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|r| &r[..r.find("</tr>").unwrap()])
        .collect();
    assert_eq!(
        rows,
        [
            "Test campaign</th><td class=\"num\">3</td><td class=\"num\">16.67</td><td></td>",
            "Test campaign</th><td class=\"num\">3</td><td class=\"num\">16.67</td><td></td>",
        ]
    );
    assert!(luohu.contains("<svg class=\"chart trend\""));
    assert!(luohu.contains(">round-1</text>"));
    let rounds: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(f.root().join("site/data/rounds.json")).unwrap(),
    )
    .unwrap();
    let rounds = rounds["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0]["reference"], serde_json::Value::Null);
    assert_eq!(rounds[1]["reference"], "round-1");
    assert_eq!(rounds[1]["towns"][0]["slug"], "xingang");
    // diff follows the rounds too: Luohu, last in both, is now also to be interviewed.
    let (code, out, err) = ducha(&["--root", root, "diff", "round-1"]);
    assert_eq!(code, 0, "{err}");
    let luohu = out
        .lines()
        .find(|l| l.contains("**Luohu**"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(luohu.ends_with("; consequences + interview"), "{luohu}");
    let (_, out, _) = ducha(&["--root", root, "diff", "round-1", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let luohu = by_slug(&json["towns"], "luohu");
    assert_eq!(
        luohu["actions"],
        serde_json::json!([["notice"], ["notice", "interview"]])
    );
}

#[test]
fn a_campaign_without_previous_has_no_rounds() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    assert!(!f.root().join("site/data/rounds.json").exists());
    assert!(!f.root().join("site/rounds").exists());
    let json = std::fs::read_to_string(f.root().join("site/data/ranking.json")).unwrap();
    assert!(!json.contains("\"previous\""));
    // Two rounds needed, one present: only the one-round consequence applies.
    f.edit(
        CAMPAIGN,
        "    deadline_days: 15\n",
        "    deadline_days: 15\n  - bottom: 1\n    rounds: 2\n    actions: [interview]\n",
    );
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let json = std::fs::read_to_string(f.root().join("site/data/ranking.json")).unwrap();
    assert!(
        json.contains("\"notice\"") && !json.contains("\"interview\""),
        "{json}"
    );
}

#[test]
fn a_previous_round_that_cannot_be_read_is_said_on_its_line() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    // No such tag.
    f.append(CAMPAIGN, "previous: nosuch\n");
    let line = line_of(&f, CAMPAIGN, "previous:");
    let (code, found) = f.check_json(&[]);
    assert_eq!((code, found), (1, diags(&[("E0219", CAMPAIGN, line, 11)])));
    let (_, human, _) = ducha(&["--root", root, "check"]);
    assert!(
        human.contains("there is no tag or commit `nosuch` in this repository"),
        "{human}"
    );

    // A round whose previous leads back to itself.
    f.edit(CAMPAIGN, "previous: nosuch\n", "previous: loop\n");
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T19:00:00+08:00",
        "Loop",
    );
    tag(&f, "loop");
    let (_, human, _) = ducha(&["--root", root, "check"]);
    assert!(
        human.contains("following previous back comes round to `loop` again"),
        "{human}"
    );

    // A previous round with errors.
    f.edit(CAMPAIGN, "previous: loop\n", "");
    f.edit(XINGANG, "status: final", "status: finished");
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T19:10:00+08:00",
        "Broken",
    );
    tag(&f, "broken");
    f.edit(XINGANG, "status: finished", "status: final");
    f.append(CAMPAIGN, "previous: broken\n");
    let (code, out, _) = ducha(&["--root", root, "check"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("the previous round `broken` has 1 errors and cannot be compared with"),
        "{out}"
    );
}

/// Three rounds, each graded: the rounds page compares them side by side.
#[test]
fn the_rounds_page_compares_every_round() {
    let f = Fixture::new();
    f.write(".gitignore", "/site\n");
    f.append(
        CAMPAIGN,
        "grades:\n  - {name: A, min: 18}\n  - {name: B, min: 0}\n",
    );
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T18:00:00+08:00",
        "Round 1",
    );
    tag(&f, "r1");
    f.append(CAMPAIGN, "previous: r1\n");
    f.edit(XIANTANG, "      - points: 2\n", "      - points: 0.5\n");
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9.5}");
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-06-05T18:00:00+08:00",
        "Round 2",
    );
    tag(&f, "r2");
    f.edit(CAMPAIGN, "previous: r1", "previous: r2");
    f.edit(XINGANG, "\"1\": {score: 9.5}", "\"1\": {score: 10}");
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{out}{err}");
    let page = std::fs::read_to_string(f.root().join("site/rounds/index.html")).unwrap();
    // Xingang 18 → 18.5, second → first (shared with Xiantang).
    assert_eq!(
        table_rows(&page, "<section class=\"improved\">"),
        [["Xingang", "2", "1", "↑1", "+0.50"]]
    );
    // Luohu last in all three rounds.
    assert_eq!(
        table_rows(&page, "<section class=\"stayed\">"),
        [["Luohu", "3", "3 → 3 → 3"]]
    );
    assert!(page.contains(">Luohu</a></td><td class=\"num\">3</td>"));
    assert_eq!(
        table_rows(&page, "<section class=\"grades\">"),
        [["1", "2"], ["2", "1"], ["2", "1"]]
    );
    assert!(
        page.contains("<figcaption>this round：A 2 · B 1</figcaption>"),
        "{page}"
    );
    let side = table_rows(&page, "<section class=\"side-by-side\">");
    assert_eq!(
        side[2],
        ["Luohu", "3", "16.67 B", "3", "16.67 B", "3", "16.67 B"],
        "Luohu in each round, oldest first"
    );
    assert_eq!(
        side[1],
        ["Xingang", "1", "18.50 A", "2", "18.00 A", "1", "18.50 A"]
    );
    // Every page links to it; the town page charts the rank too.
    let ranking = std::fs::read_to_string(f.root().join("site/index.html")).unwrap();
    assert!(ranking.contains("<a href=\"rounds/index.html\">Rounds</a>"));
    assert!(ranking.contains("A 2 · B 1"), "the grade distribution");
    let luohu = std::fs::read_to_string(f.root().join("site/towns/luohu/index.html")).unwrap();
    assert_eq!(luohu.matches(">rank 3</text>").count(), 3);
}

/// A round whose rubric differs from the last one's: totals and ranks compare as ever, items
/// by id where both rubrics have the id.
#[test]
fn items_compare_by_id_across_rubrics() {
    let f = two_rounds();
    // This round renames item 3.
    f.edit(RUBRIC, "- id: \"3\"", "- id: \"3b\"");
    for sheet in [XIANTANG, XINGANG, LUOHU] {
        f.edit(sheet, "\"3\":", "\"3b\":");
    }
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{out}{err}");
    let page = std::fs::read_to_string(f.root().join("site/towns/xiantang/index.html")).unwrap();
    let score_of = |item: &str| {
        let at = page
            .find(&format!("id=\"item-{item}\""))
            .unwrap_or_else(|| panic!("no item {item}"));
        let row = &page[at..at + page[at..].find("</tr>").unwrap()];
        let cell = &row[row.find("<td class=\"num score\">").unwrap()..];
        cell[..cell.find("</td>").unwrap()].to_string()
    };
    assert_eq!(
        score_of("1"),
        "<td class=\"num score\">9.5<br><small class=\"before\">Last round 8</small>"
    );
    assert_eq!(
        score_of("2"),
        "<td class=\"num score\">4.5<br><small class=\"before\">Last round 4.5</small>"
    );
    assert_eq!(score_of("3b"), "<td class=\"num score\">4.5");
    // Luohu: item 2 was not assessed in either round.
    let page = std::fs::read_to_string(f.root().join("site/towns/luohu/index.html")).unwrap();
    assert!(page.contains("<small class=\"before\">Last round Not assessed</small>"));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(f.root().join("site/data/ranking.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["towns"][0]["previous"]["rank"], 2);
}
