//! The rectification ledger (整改台账): the bottom town's deductions are problems due 15 days
//! after the review deadline; the town records what it did, the office closes them (销号).

mod common;

use common::*;

const RECORDS: &str = "content/rectification/luohu.yaml";

/// The fixture with Luohu, the bottom town, losing its 2.5 points on item 1 in two deductions:
/// two problems, due 2020-03-21.
fn with_problems() -> Fixture {
    let f = Fixture::new();
    f.edit(
        LUOHU,
        "\"1\": {score: 7.5}",
        "\"1\":\n    deductions:\n      - {points: 1.5, reason: Water reports missing}\n      - {points: 1, reason: Ledger not signed}",
    );
    f
}

fn ledger(f: &Fixture, as_of: &str) -> serde_json::Value {
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "build", "--as-of", as_of]);
    assert_eq!(code, 0, "{out}{err}");
    serde_json::from_str(&f.read("site/data/rectification.json")).unwrap()
}

fn states(json: &serde_json::Value) -> Vec<(String, String)> {
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["state"].as_str().unwrap().to_string(),
                p["colour"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn problems_turn_amber_then_red_until_done_and_closed() {
    let f = with_problems();
    let json = ledger(&f, "2020-03-10");
    assert_eq!(json["problems"].as_array().unwrap().len(), 2);
    assert_eq!(json["problems"][0]["slug"], "luohu");
    assert_eq!(json["problems"][0]["due"], "2020-03-21");
    assert_eq!(json["problems"][1]["reason"], "Ledger not signed");
    let open = |c: &str| ("open".to_string(), c.to_string());
    assert_eq!(states(&json), [open("green"), open("green")]);
    assert_eq!(
        states(&ledger(&f, "2020-03-18")),
        [open("amber"), open("amber")]
    );
    assert_eq!(
        states(&ledger(&f, "2020-03-22")),
        [open("red"), open("red")]
    );
    // The town puts one right, and the office closes it; the other is overdue.
    f.write(
        RECORDS,
        "town: luohu\nproblems:\n  - item: \"1\"\n    deduction: 1\n    measures: Reports obtained from the county lab\n    done: 2020-03-15\n    evidence: [evidence/xiantang/1-water.jpg]\n    closed: {by: Clerk, date: 2020-03-20}\n",
    );
    let json = ledger(&f, "2020-03-22");
    assert_eq!(
        states(&json),
        [("closed".into(), "green".into()), open("red")]
    );
    assert_eq!(json["problems"][0]["closed_by"], "Clerk");
    let csv = f.read("site/data/rectification.csv");
    assert!(csv.starts_with("\u{feff}town,slug,group,item,deduction,points,reason,due,state"));
    assert!(
        csv.contains("Luohu,luohu,g2,1,2,1,Ledger not signed,2020-03-21,Open,red,"),
        "{csv}"
    );
    // The pages: the ledger, the town's section, the ranking's progress, the notices.
    let page = f.read("site/rectification/index.html");
    assert!(page.contains("1 open, 0 done, 1 closed."), "{page}");
    assert!(page.contains("As of 22 March 2020: 1 overdue"), "{page}");
    let ranking = f.read("site/index.html");
    assert!(
        ranking.contains("<small>1/2 rectified</small>"),
        "{ranking}"
    );
    let town = f.read("site/towns/luohu/index.html");
    assert!(town.contains("<tr class=\"ledger-red\">"), "{town}");
    let notices = f.read("site/notices/index.html");
    assert!(
        notices.contains("Towns with most problems overdue: "),
        "{notices}"
    );
    assert!(notices.contains(">Luohu</a> 1."), "{notices}");
}

#[test]
fn records_are_checked_where_they_are_written() {
    let f = with_problems();
    f.write(
        RECORDS,
        "town: luohu\nproblems:\n  \
         - {item: \"1\", deduction: 3}\n  \
         - {item: \"1\", deduction: 1, closed: {by: Yan, date: 2020-03-20}}\n  \
         - {item: \"1\", deduction: 2, done: 2020-03-15, closed: {by: Clerk, date: 2020-03-12}, evidence: [evidence/xiantang/1-water.jpg]}\n",
    );
    f.write(
        "content/rectification/xingang.yaml",
        "town: nowhere\nproblems: []\n",
    );
    let at = |file: &str, needle: &str| {
        let text = f.read(file);
        let (line, l) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        (
            file.to_string(),
            line as u32 + 1,
            l[..l.find(needle).unwrap()].chars().count() as u32 + 1,
        )
    };
    let mut want: Vec<Diag> = [
        ("E0511", at("content/rectification/xingang.yaml", "nowhere")),
        ("E0512", at(RECORDS, "3}")),
        ("E0513", at(RECORDS, "{by: Yan")),
        ("E0514", at(RECORDS, "Yan")),
        ("E0515", at(RECORDS, "2020-03-12")),
    ]
    .into_iter()
    .map(|(c, (file, l, col))| (c.to_string(), file, l, col))
    .collect();
    want.sort();
    let mut got = f.diags();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn new_writes_a_town_s_records_with_every_problem_listed() {
    let f = with_problems();
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "new", "luohu", "--rectification"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 problems to put right"), "{out}");
    let text = f.read(RECORDS);
    assert!(text.contains("# item 1 Households lifted out of poverty: Water reports missing (−1.5), due 2020-03-21"), "{text}");
    assert!(
        text.contains(
            "  - item: '1'\n    deduction: 2\n    measures:\n    done:\n    evidence: []\n"
        ),
        "{text}"
    );
    // The scaffold checks clean, and is never overwritten.
    assert_eq!(f.diags(), vec![]);
    let (code, _, err) = ducha(&["--root", root, "new", "luohu", "--rectification"]);
    assert_eq!(code, 2);
    assert!(err.contains("exists already"), "{err}");
    // A town with nothing to put right gets no file.
    let (code, _, err) = ducha(&["--root", root, "new", "xiantang", "--rectification"]);
    assert_eq!(code, 2);
    assert!(err.contains("no problem to put right"), "{err}");
}

#[test]
fn diff_tells_what_was_put_right_and_what_fell_overdue() {
    let f = with_problems();
    f.write(".gitignore", "/site\n");
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-06T18:00:00+08:00",
        "Scores",
    );
    f.write(
        RECORDS,
        "town: luohu\nproblems:\n  - item: \"1\"\n    deduction: 1\n    measures: Reports obtained\n    done: 2020-03-15\n    evidence: [evidence/xiantang/1-water.jpg]\n",
    );
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-25T10:00:00+08:00",
        "Luohu's records",
    );
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "diff", "HEAD~1", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("### Rectification\n\n- **Luohu** item 1, deduction 1: open → done\n- **Luohu** item 1, deduction 2: open 🔴 overdue\n"), "{out}");
    let (_, json, _) = ducha(&["--root", root, "diff", "HEAD~1", "HEAD", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["ledger"][0]["to"],
        serde_json::json!(["done", "green"])
    );
    assert_eq!(
        json["ledger"][1]["from"],
        serde_json::json!(["open", "green"])
    );
}

#[test]
fn a_closing_committed_by_someone_other_than_the_person_named_is_flagged() {
    let f = with_problems();
    f.write(".gitignore", "/site\n");
    let record = "town: luohu\nproblems:\n  - item: \"1\"\n    deduction: 1\n    done: 2020-03-15\n    evidence: [evidence/xiantang/1-water.jpg]\n";
    f.write(RECORDS, record);
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-06T18:00:00+08:00",
        "Records",
    );
    f.write(
        RECORDS,
        format!("{record}    closed: {{by: Clerk, date: 2020-03-16}}\n"),
    );
    commit(
        &f,
        "Jiang",
        "jiang@example.org",
        "2020-03-16T18:00:00+08:00",
        "Closed",
    );
    let codes: Vec<String> = f.diags().into_iter().map(|d| d.0).collect();
    assert_eq!(codes, ["W0409"]);
    // Closed by the clerk, from the clerk's account: nothing to flag.
    f.write(
        RECORDS,
        format!("{record}    closed: {{by: Clerk, date: 2020-03-17}}\n"),
    );
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-17T18:00:00+08:00",
        "Closed again",
    );
    let codes: Vec<String> = f.diags().into_iter().map(|d| d.0).collect();
    assert_eq!(codes, ["W0409"], "the first closing stays on the record");
}
