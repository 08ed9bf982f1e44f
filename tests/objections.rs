//! Objections (征求意见, 复核): towns object to items within the window, the office decides, and
//! the audit, the site and the checks follow the decisions.

mod common;

use common::*;

const OBJECTIONS: &str = "content/objections/xiantang.yaml";

/// The fixture with a five-day window after the review deadline (2020-03-06 to 2020-03-11),
/// committed, and Xiantang objecting to item 1 (accepted) and item 2 (rejected).
fn with_objections() -> Fixture {
    let f = repository();
    f.append(CAMPAIGN, "objections: {days: 5}\n");
    f.write(
        OBJECTIONS,
        "town: xiantang\nrequests:\n  \
         - {item: \"1\", filed: 2020-03-08, claim: The water test report was filed on time, evidence: [evidence/xiantang/1-water.jpg], decision: accepted, decided: 2020-03-10, decided_by: Clerk, note: Report found in the archive}\n  \
         - {item: \"2\", filed: 2020-03-09, claim: Income figures are complete, evidence: [evidence/xiantang/1-water.jpg], decision: rejected, decided: 2020-03-10, decided_by: Clerk}\n",
    );
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-10T18:00:00+08:00",
        "Objections decided",
    );
    f
}

#[test]
fn a_change_after_an_accepted_objection_is_not_late_and_one_after_a_rejection_is_flagged() {
    let f = with_objections();
    assert_eq!(f.diags(), vec![]);
    // The accepted request: the deduction on item 1 goes, after the review deadline.
    f.edit(
        XIANTANG,
        "      - points: 2\n        reason: One household lacks a water test report\n        evidence: [evidence/xiantang/1-water.jpg]\n",
        "      []\n",
    );
    f.edit(XIANTANG, "    deductions:\n      []\n", "    score: 10\n");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-11T09:00:00+08:00",
        "Item 1 after the accepted objection",
    );
    // Signed off before, changed since: re-signing is still asked for, lateness is not.
    let diags = f.diags();
    let codes: Vec<&str> = diags.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(codes, ["W0403"], "{diags:?}");
    // The rejected request: item 2 changes anyway.
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 5}");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-11T10:00:00+08:00",
        "Item 2 despite the rejection",
    );
    let diags = f.diags();
    let codes: Vec<&str> = diags.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(codes, ["W0402", "W0403", "W0407"], "{diags:?}");
    let (_, json, _) = f.check(&["--format", "json"]);
    assert!(
        json.contains("changed item 2, whose objection was rejected"),
        "{json}"
    );
}

#[test]
fn the_site_is_a_draft_for_comment_until_the_window_closes() {
    let f = with_objections();
    let root = f.root().to_str().unwrap();
    // Built from the commit of 2020-03-10: the window is open.
    let (code, out, err) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{out}{err}");
    let ranking = std::fs::read_to_string(f.root().join("site/index.html")).unwrap();
    assert!(ranking.contains("Draft for comment"), "{ranking}");
    assert!(ranking.contains("as of 10 March 2020"), "{ranking}");
    assert!(ranking.contains("<a href=\"objections/index.html\">Objections</a>"));
    // The same commit builds the same bytes.
    let again = f.root().join("again");
    ducha(&["--root", root, "build", "--out", again.to_str().unwrap()]);
    assert_eq!(tree(&f.root().join("site")), tree(&again));
    // As of the day after the window: final.
    let (code, _, _) = ducha(&["--root", root, "build", "--as-of", "2020-03-12"]);
    assert_eq!(code, 0);
    let ranking = std::fs::read_to_string(f.root().join("site/index.html")).unwrap();
    assert!(!ranking.contains("Draft for comment"));
    assert!(ranking.contains("as of 12 March 2020"));
    let (code, _, err) = ducha(&["--root", root, "build", "--as-of", "2020-3-12"]);
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn each_request_is_shown_with_its_decision_and_what_followed() {
    let f = with_objections();
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 5}");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-11T10:00:00+08:00",
        "Item 2 despite the rejection",
    );
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{out}{err}");
    let page = std::fs::read_to_string(f.root().join("site/objections/index.html")).unwrap();
    let rows = table_rows(&page, "<table class=\"ranking objections\">");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "Xiantang");
    assert_eq!(rows[0][1], "1. Households lifted out of poverty");
    assert_eq!(rows[0][2], "2020-03-08");
    assert!(
        rows[0][4].starts_with("Accepted Clerk 2020-03-10"),
        "{:?}",
        rows[0]
    );
    assert!(rows[0][4].contains("Report found in the archive"));
    assert_eq!(rows[0][5], "—", "nothing changed on item 1");
    assert!(rows[1][4].starts_with("Rejected"));
    assert!(rows[1][5].contains("item 2: 4.5 → 5"), "{:?}", rows[1]);
    let town = std::fs::read_to_string(f.root().join("site/towns/xiantang/index.html")).unwrap();
    let at = town.find("id=\"item-2\"").unwrap();
    let row = &town[at..at + town[at..].find("</tr>").unwrap()];
    assert!(
        row.contains("<strong>Objection</strong> 2020-03-09：Income figures are complete"),
        "{row}"
    );
    assert!(row.contains("decision-rejected"));
}

#[test]
fn objections_are_checked_where_they_are_written() {
    let f = repository();
    f.append(CAMPAIGN, "objections: {days: 5}\n");
    f.write(
        "content/objections/xingang.yaml",
        "town: xiantang\nrequests:\n  \
         - {item: \"9\", filed: 2020-03-20, claim: Late, evidence: []}\n  \
         - {item: \"1\", filed: 2020-03-08, claim: Early decision, evidence: [evidence/xiantang/1-water.jpg], decision: accepted, decided: 2020-03-07, decided_by: Pan}\n  \
         - {item: \"1\", filed: 2020-03-08, claim: No date, evidence: [evidence/nosuch.pdf], decision: partly}\n",
    );
    let at = |needle: &str| {
        let text = f.read("content/objections/xingang.yaml");
        let (line, l) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        (
            "content/objections/xingang.yaml",
            line as u32 + 1,
            l[..l.find(needle).unwrap()].chars().count() as u32 + 1,
        )
    };
    let mut got = f.diags();
    got.sort();
    let mut want: Vec<(String, String, u32, u32)> = [
        ("E0501", at("xiantang")),
        ("E0502", at("\"9\"")),
        ("E0503", at("2020-03-20")),
        ("E0506", at("Late")),
        ("E0504", at("Pan}")),
        ("E0505", at("2020-03-07")),
        ("E0505", at("partly")),
        ("E0505", at("partly")),
        ("E0314", at("evidence/nosuch.pdf")),
    ]
    .iter()
    .map(|(c, (f, l, col))| (c.to_string(), f.to_string(), *l, *col))
    .collect();
    want.sort();
    assert_eq!(got, want);
    // A window too long to count is refused where it is written.
    f.edit(CAMPAIGN, "{days: 5}", "{days: 4294967295}");
    let (line, column) = {
        let text = f.read(CAMPAIGN);
        let (i, l) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("4294967295"))
            .unwrap();
        (
            i as u32 + 1,
            l[..l.find("4294967295").unwrap()].chars().count() as u32 + 1,
        )
    };
    assert!(
        f.diags()
            .contains(&("E0503".to_string(), CAMPAIGN.to_string(), line, column))
    );
    // Without a window in campaign.yaml, objections are an error where they are.
    f.edit(CAMPAIGN, "objections: {days: 4294967295}\n", "");
    assert!(f.diags().iter().any(|d| d.0 == "E0503"));
}

#[test]
fn a_decision_committed_by_someone_other_than_the_person_named_is_flagged() {
    let f = repository();
    f.append(CAMPAIGN, "objections: {days: 5}\n");
    f.write(
        OBJECTIONS,
        "town: xiantang\nrequests:\n  - {item: \"1\", filed: 2020-03-08, claim: Filed on time, evidence: [evidence/xiantang/1-water.jpg]}\n",
    );
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-08T18:00:00+08:00",
        "Xiantang objects",
    );
    assert_eq!(f.diags(), vec![]);
    // The group leader writes the office's decision in.
    f.edit(OBJECTIONS, "evidence: [evidence/xiantang/1-water.jpg]}", "evidence: [evidence/xiantang/1-water.jpg], decision: rejected, decided: 2020-03-09, decided_by: Clerk}");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-09T18:00:00+08:00",
        "Rejected",
    );
    let (line, column) = {
        let text = f.read(OBJECTIONS);
        let (i, l) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("decided_by: Clerk"))
            .unwrap();
        (
            i as u32 + 1,
            l[..l.find("Clerk}").unwrap()].chars().count() as u32 + 1,
        )
    };
    assert_eq!(
        f.diags(),
        [("W0409".to_string(), OBJECTIONS.to_string(), line, column)]
    );
    let (_, json, _) = f.check(&["--format", "json"]);
    assert!(
        json.contains("in the name of Clerk, who did not make it"),
        "{json}"
    );
    // The trail tells who wrote the decision in, and in whose name.
    let root = f.root().to_str().unwrap();
    let (_, log, _) = ducha(&["--root", root, "history", "xiantang"]);
    assert!(
        log.contains("Pan <pan@example.org>\n    Rejected\n  Xiantang item 1: objection rejected (in the name of Clerk)\n"),
        "{log}"
    );
}
