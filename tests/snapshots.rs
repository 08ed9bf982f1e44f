//! The whole output of `check`, as a user reads it, in each format: human, JSON and GitHub
//! annotations, for a campaign broken in the ways of each rule family. A change to any
//! message, position, order or count shows as a difference in `tests/snapshots/`.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test snapshots`, then read the
//! differences in `git diff tests/snapshots/` before committing them.

mod common;

use common::*;

/// `check` in every format (plain and `--strict` for JSON), with the fixture's temporary
/// folder written as `ROOT`.
fn outputs(f: &Fixture) -> String {
    let root = f.root().to_str().unwrap().to_string();
    let mut all = String::new();
    for args in [
        &["--format", "human"][..],
        &["--format", "json"],
        &["--format", "json", "--strict"],
        &["--format", "github"],
    ] {
        let (code, stdout, stderr) = f.check(args);
        all.push_str(&format!(
            "$ ducha check {}\n[exit {code}]\n{stdout}{stderr}\n",
            args.join(" ")
        ));
    }
    all.replace(&root, "ROOT")
}

/// The example's problems in campaign.yaml, rubric.yaml, towns.yaml and groups.yaml.
#[test]
fn setup_rules() {
    let f = Fixture::new();
    f.edit(CAMPAIGN, "end: 2020-03-05", "end: 2020-02-05")
        .edit(CAMPAIGN, "step: 0.5", "step: 0.3")
        .edit(CAMPAIGN, "deadline_days: 15", "deadline_days: 0")
        .edit(CAMPAIGN, "clerk@example.org", "clerk-at-example.org")
        .edit(RUBRIC, "points: 10", "points: 9")
        .edit(RUBRIC, "points: 3}", "points: 2}")
        .edit(TOWNS, "{poverty_villages: 0}", "{}")
        .edit(GROUPS, "towns: [luohu]", "towns: [luohu, xingang, nowhere]");
    insta::assert_snapshot!(outputs(&f));
}

/// Scores, deductions, criteria, sign-off and evidence in the sheets.
#[test]
fn sheet_rules() {
    let f = Fixture::new();
    f.edit(XIANTANG, "points: 2\n", "points: 2\n        reason: \"\"\n")
        .edit(
            XIANTANG,
            "        reason: One household lacks a water test report\n",
            "",
        )
        .edit(
            XIANTANG,
            "evidence/xiantang/1-water.jpg",
            "evidence/xiantang/none.jpg",
        )
        .edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 5.5}")
        .edit(XIANTANG, "b: 1.5", "b: 1.3")
        .edit(XINGANG, "  \"1\": {score: 10}\n", "")
        .edit(XINGANG, "members: [Ou]", "members: [Yan]")
        .edit(XINGANG, "2020-03-03, ", "2020-03-13, ")
        .edit(
            LUOHU,
            "  \"3\": {criteria: {a: 3, b: 2}}\n",
            "  \"3\": {criteria: {a: 3}}\n  \"9\": {score: 1}\n",
        )
        .edit(LUOHU, "status: final", "status: draft");
    insta::assert_snapshot!(outputs(&f));
}

/// What the parser and the decoder find: syntax, full-width slips, keys and types.
#[test]
fn load_rules() {
    let f = Fixture::new();
    f.edit(XIANTANG, "summary: Roads", "summary：Roads")
        .edit(
            XINGANG,
            "group: g1\n",
            "group: g1\ngroup: g2\nweather: fine\n",
        )
        .edit(LUOHU, "\"1\": {score: 7.5}", "\"1\": {score: ７.5}")
        .edit(CAMPAIGN, "issued: 2020-02-29", "issued: 2020-02-30")
        .write("content/sheets/notes.txt", "not a sheet\n")
        .write(
            "content/sheets/gbk.yaml",
            b"town: xiantang\nsummary: \xb5\xc0\xc2\xb7\n".as_slice(),
        );
    insta::assert_snapshot!(outputs(&f));
}

/// The audit of the git history: an outsider's edit, a change after the review deadline, a
/// change after sign-off and an uncommitted change.
#[test]
fn audit_rules() {
    let f = repository();
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 4}");
    commit(
        &f,
        "Stranger",
        "stranger@example.org",
        "2020-03-05T20:00:00+08:00",
        "Lower item 2",
    );
    f.edit(XINGANG, "score: 4\n", "score: 3.5\n")
        .edit(XINGANG, "points: 1\n", "points: 1.5\n");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-09T09:00:00+08:00",
        "Item 2 re-counted",
    );
    f.edit(LUOHU, "{score: 7.5}", "{score: 7}");
    insta::assert_snapshot!(outputs(&f));
}

/// The same slips in a campaign written in Chinese: every message in Chinese.
#[test]
fn chinese_messages() {
    let f = Fixture::new();
    f.edit(CAMPAIGN, "language: en", "language: zh-CN")
        .edit(XIANTANG, "summary: Roads", "summary：Roads")
        .edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 11}")
        .edit(LUOHU, "  \"3\": {criteria: {a: 3, b: 2}}\n", "");
    insta::assert_snapshot!(outputs(&f));
}
