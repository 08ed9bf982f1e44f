//! Totals, ranks and consequences, computed from small campaigns written as real files.

use std::fmt::Write as _;

use ducha::model::Points;
use ducha::score::{self, Ranking, SheetState};

/// A town: slug, poverty villages, sheet status (`None`: no sheet), scores per item
/// (`None`: not assessed).
type TownSpec = (
    &'static str,
    u32,
    Option<&'static str>,
    Vec<Option<&'static str>>,
);

/// A campaign of `items` (points each, the first `na_items` depending on `poverty`), and
/// towns given as (slug, poverty, status, scores per item; `None` = not assessed).
struct Campaign {
    items: Vec<&'static str>,
    conditional: usize,
    not_assessed: &'static str,
    bottom: u32,
    towns: Vec<TownSpec>,
}

/// What a campaign adds beyond its items: lines for campaign.yaml and rubric.yaml, lines for
/// some towns' sheets, and evidence files.
#[derive(Default)]
struct Extra {
    campaign: &'static str,
    rubric: &'static str,
    sheets: Vec<(&'static str, &'static str)>,
    files: Vec<&'static str>,
    /// More attributes for some towns, as YAML map entries: `class: 一类`.
    attributes: Vec<(&'static str, &'static str)>,
}

impl Campaign {
    fn rank(&self) -> Ranking {
        self.rank_with(&Extra::default())
    }

    fn rank_with(&self, extra: &Extra) -> Ranking {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("sheets")).unwrap();
        let total: Points = self.items.iter().map(|p| Points::parse(p).unwrap()).sum();
        std::fs::write(
            content.join("campaign.yaml"),
            format!(
                "id: t\ntitle: T\nissuer: I\ninspection: {{start: 2020-03-01, end: 2020-03-05}}\n\
                 scoring: {{step: 0.5, not_assessed: {}}}\n\
                 consequences: [{{bottom: {}, actions: [通报], deadline_days: 15}}]\n",
                self.not_assessed, self.bottom
            ) + extra.campaign,
        )
        .unwrap();
        for file in &extra.files {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "evidence").unwrap();
        }
        let mut rubric = format!(
            "total: {total}\nsections:\n  - id: s\n    title: S\n    parts:\n      - items:\n"
        );
        for (i, p) in self.items.iter().enumerate() {
            let _ = writeln!(
                rubric,
                "          - {{id: \"{}\", indicator: I{i}, points: {p}",
                i + 1
            );
            if i < self.conditional {
                rubric.pop();
                rubric.push_str(", assessed_if: poverty}\n");
            } else {
                rubric.pop();
                rubric.push_str("}\n");
            }
        }
        rubric.push_str(extra.rubric);
        std::fs::write(content.join("rubric.yaml"), rubric).unwrap();
        let mut towns = String::new();
        let mut slugs = Vec::new();
        for (slug, poverty, status, scores) in &self.towns {
            let more: String = extra
                .attributes
                .iter()
                .filter(|(town, _)| town == slug)
                .map(|(_, a)| format!(", {a}"))
                .collect();
            let _ = writeln!(
                towns,
                "- {{name: {slug}镇, slug: {slug}, attributes: {{poverty: {poverty}{more}}}}}"
            );
            slugs.push(*slug);
            let Some(status) = status else { continue };
            let mut sheet = format!(
                "town: {slug}\ngroup: g\nstatus: {status}\nvisited: [2020-03-02]\nscores:\n"
            );
            for (i, s) in scores.iter().enumerate() {
                match s {
                    Some(s) => {
                        let _ = writeln!(sheet, "  \"{}\": {{score: {s}}}", i + 1);
                    }
                    None => {
                        let _ = writeln!(sheet, "  \"{}\": {{not_assessed: 无}}", i + 1);
                    }
                }
            }
            sheet.push_str("signoff: {leader: 甲, members: [乙], date: 2020-03-05}\n");
            for (town, lines) in &extra.sheets {
                if town == slug {
                    sheet.push_str(lines);
                }
            }
            std::fs::write(content.join("sheets").join(format!("{slug}.yaml")), sheet).unwrap();
        }
        std::fs::write(content.join("towns.yaml"), towns).unwrap();
        std::fs::write(
            content.join("groups.yaml"),
            format!(
                "- {{id: g, name: G, leader: {{name: 甲}}, members: [{{name: 乙}}], towns: [{}]}}\n",
                slugs.join(", ")
            ),
        )
        .unwrap();
        let evaluation = ducha::pipeline::work_tree(dir.path()).unwrap();
        let errors: Vec<_> = evaluation
            .diags
            .iter()
            .filter(|d| d.rule().severity == ducha::diag::Severity::Error)
            .map(|d| format!("{:?}", d.msg))
            .collect();
        assert!(errors.is_empty(), "fixture has errors: {errors:?}");
        evaluation.ranking
    }
}

/// (slug, published total, rank, flagged) in list order.
fn table(r: &Ranking, slugs: &[&str]) -> Vec<(String, String, Option<u32>, bool)> {
    r.towns
        .iter()
        .map(|t| {
            (
                slugs[t.town.index()].to_string(),
                t.total.to_string(),
                t.rank,
                !t.consequences.is_empty(),
            )
        })
        .collect()
}

fn slugs(c: &Campaign) -> Vec<&'static str> {
    c.towns.iter().map(|t| t.0).collect()
}

#[test]
fn equal_totals_share_a_rank_and_the_next_is_skipped() {
    let c = Campaign {
        items: vec!["10", "10"],
        conditional: 0,
        not_assessed: "rescale",
        bottom: 1,
        towns: vec![
            ("a", 1, Some("final"), vec![Some("9"), Some("9")]),
            ("b", 1, Some("final"), vec![Some("10"), Some("6")]),
            ("c", 1, Some("final"), vec![Some("8"), Some("8")]),
            ("d", 1, Some("final"), vec![Some("6"), Some("9")]),
        ],
    };
    let r = c.rank();
    let got: Vec<_> = table(&r, &slugs(&c))
        .into_iter()
        .map(|t| (t.0, t.2))
        .collect();
    assert_eq!(
        got,
        [
            ("a".into(), Some(1)),
            ("b".into(), Some(2)),
            ("c".into(), Some(2)),
            ("d".into(), Some(4))
        ]
    );
    assert!(!r.provisional);
}

#[test]
fn not_assessed_items_rescale_exactly_and_round_half_up_once() {
    // 8.5 of 9.5 assessed points, over a total of 10: 8.947… → 8.95
    let c = Campaign {
        items: vec!["0.5", "9.5"],
        conditional: 1,
        not_assessed: "rescale",
        bottom: 1,
        towns: vec![
            ("a", 0, Some("final"), vec![None, Some("8.5")]),
            ("b", 1, Some("final"), vec![Some("0.5"), Some("8.5")]),
        ],
    };
    let r = c.rank();
    let got = table(&r, &slugs(&c));
    assert_eq!(got[0].0, "b");
    assert_eq!(got[0].1, "9");
    assert_eq!(got[1].0, "a");
    assert_eq!(got[1].1, "8.95");
    assert_eq!(r.towns[1].earned, Points(850));
    assert_eq!(r.towns[1].assessed, Points(950));
}

#[test]
fn full_marks_counts_not_assessed_items_as_earned() {
    let c = Campaign {
        items: vec!["2", "8"],
        conditional: 1,
        not_assessed: "full_marks",
        bottom: 1,
        towns: vec![
            ("a", 0, Some("final"), vec![None, Some("7")]),
            ("b", 1, Some("final"), vec![Some("1"), Some("7")]),
        ],
    };
    let got = table(&c.rank(), &slugs(&c));
    assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("a", "9"));
    assert_eq!((got[1].0.as_str(), got[1].1.as_str()), ("b", "8"));
}

#[test]
fn towns_equal_once_rounded_share_a_rank() {
    // a: 49.5 of 50 assessed points over a total of 50.5 is 49.995 exactly, published 50.00;
    // b earns 50 outright. Shown equal, they rank equal.
    let c = Campaign {
        items: vec!["0.5", "50"],
        conditional: 1,
        not_assessed: "rescale",
        bottom: 1,
        towns: vec![
            ("a", 0, Some("final"), vec![None, Some("49.5")]),
            ("b", 1, Some("final"), vec![Some("0"), Some("50")]),
            ("c", 1, Some("final"), vec![Some("0.5"), Some("40")]),
        ],
    };
    let got = table(&c.rank(), &slugs(&c));
    assert_eq!(got[0], ("a".into(), "50".into(), Some(1), false));
    assert_eq!(got[1], ("b".into(), "50".into(), Some(1), false));
    assert_eq!(got[2], ("c".into(), "40.5".into(), Some(3), true));
}

#[test]
fn a_tie_across_the_bottom_line_flags_every_tied_town() {
    let c = Campaign {
        items: vec!["10"],
        conditional: 0,
        not_assessed: "rescale",
        bottom: 2,
        towns: vec![
            ("a", 1, Some("final"), vec![Some("9")]),
            ("b", 1, Some("final"), vec![Some("8")]),
            ("c", 1, Some("final"), vec![Some("8")]),
            ("d", 1, Some("final"), vec![Some("7")]),
        ],
    };
    let flagged: Vec<_> = table(&c.rank(), &slugs(&c))
        .into_iter()
        .filter(|t| t.3)
        .map(|t| t.0)
        .collect();
    assert_eq!(flagged, ["b", "c", "d"]);
}

#[test]
fn drafts_and_missing_sheets_make_the_ranking_provisional() {
    let c = Campaign {
        items: vec!["10"],
        conditional: 0,
        not_assessed: "rescale",
        bottom: 1,
        towns: vec![
            ("a", 1, Some("final"), vec![Some("9")]),
            ("b", 1, Some("draft"), vec![Some("2")]),
            ("c", 1, None, vec![]),
            ("d", 1, Some("final"), vec![Some("5")]),
        ],
    };
    let r = c.rank();
    assert!(r.provisional);
    let got = table(&r, &slugs(&c));
    assert_eq!(got[0], ("a".into(), "9".into(), Some(1), false));
    // d is last of the ranked towns, but nothing is decided on an incomplete ranking.
    assert_eq!(got[1], ("d".into(), "5".into(), Some(2), false));
    assert_eq!((got[2].0.as_str(), got[2].2), ("b", None));
    assert_eq!((got[3].0.as_str(), got[3].2), ("c", None));
    assert_eq!(r.towns[2].status, SheetState::Draft);
    assert_eq!(r.towns[3].status, SheetState::Missing);
}

#[test]
fn deductions_floor_at_zero_and_criteria_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("sheets")).unwrap();
    std::fs::write(
        content.join("campaign.yaml"),
        "id: t\ntitle: T\nissuer: I\ninspection: {start: 2020-03-01, end: 2020-03-05}\nscoring: {step: 0.5}\n",
    )
    .unwrap();
    std::fs::write(
        content.join("rubric.yaml"),
        "total: 10\nsections:\n  - id: s\n    title: S\n    parts:\n      - items:\n\
         \x20         - {id: \"1\", indicator: A, points: 2}\n\
         \x20         - {id: \"2\", indicator: B, points: 8, criteria: [{id: a, text: x, points: 5}, {id: b, text: y, points: 3}]}\n",
    )
    .unwrap();
    std::fs::write(content.join("towns.yaml"), "- {name: 甲镇, slug: a}\n").unwrap();
    std::fs::write(
        content.join("groups.yaml"),
        "- {id: g, name: G, leader: {name: 甲}, towns: [a]}\n",
    )
    .unwrap();
    std::fs::write(
        content.join("sheets/a.yaml"),
        "town: a\ngroup: g\nstatus: draft\nscores:\n  \"1\": {deductions: [{points: 1.5, reason: r}, {points: 1, reason: s}]}\n  \"2\": {criteria: {a: 4.5, b: 2}}\n",
    )
    .unwrap();
    let loaded = ducha::load::load(dir.path()).unwrap();
    let r = score::rank(&loaded.content);
    assert_eq!(r.towns[0].earned, Points(650));
    let rubric = loaded.content.rubric.as_ref().unwrap();
    let items: Vec<_> = rubric.items().map(|i| r.towns[0].item(i.key)).collect();
    assert_eq!(
        items,
        [
            Some(&score::ItemScore::Scored(Points::ZERO)),
            Some(&score::ItemScore::Scored(Points(650)))
        ]
    );
}

#[test]
fn adjustments_are_capped_vetoes_go_last_and_grades_follow_the_total() {
    let c = Campaign {
        items: vec!["10", "10"],
        conditional: 1,
        not_assessed: "rescale",
        bottom: 2,
        towns: vec![
            ("a", 1, Some("final"), vec![Some("9"), Some("9")]),
            ("b", 1, Some("final"), vec![Some("10"), Some("9.5")]),
            ("c", 1, Some("final"), vec![Some("8"), Some("8")]),
            ("d", 0, Some("final"), vec![None, Some("8.5")]),
            ("e", 1, Some("final"), vec![Some("5"), Some("4")]),
            ("f", 1, Some("final"), vec![Some("1"), Some("0")]),
        ],
    };
    let extra = Extra {
        campaign: "grades:\n  - {name: 优秀, min: 18}\n  - {name: 良好, min: 15}\n  - {name: 合格, min: 10}\n  - {name: 不合格, min: 0}\n",
        rubric: "adjustments:\n  - {id: promoted, kind: bonus, text: 经验被推广, points_each: 1, cap: 2}\n  - {id: criticised, kind: penalty, text: 被通报批评, points_each: 1.5, cap: 3}\nvetoes:\n  - {id: accident, text: 较大安全事故}\n",
        sheets: vec![
            (
                "a",
                "adjustments:\n  promoted: [{reason: 一}, {reason: 二}, {reason: 三}]\n",
            ),
            (
                "b",
                "vetoes:\n  accident: {reason: 事故, evidence: [evidence/b/accident.pdf]}\n",
            ),
            ("c", "adjustments:\n  criticised: [{reason: 一}]\n"),
            ("d", "adjustments:\n  promoted: [{reason: 一}]\n"),
            (
                "e",
                "adjustments:\n  criticised: [{reason: 一}, {reason: 二}, {reason: 三}]\n",
            ),
            (
                "f",
                "adjustments:\n  criticised: [{reason: 一}, {reason: 二}]\n",
            ),
        ],
        files: vec!["evidence/b/accident.pdf"],
        ..Extra::default()
    };
    let r = c.rank_with(&extra);
    // By hand: a 18 + min(3, 2) = 20; d 8.5 of 10 rescaled to 20 = 17, + 1 = 18;
    // c 16 − 1.5 = 14.5; e 9 − min(4.5, 3) = 6; f 1 − 3 floored at 0; b 19.5 but vetoed.
    assert_eq!(
        table(&r, &slugs(&c)),
        [
            ("a".into(), "20".into(), Some(1), false),
            ("d".into(), "18".into(), Some(2), false),
            ("c".into(), "14.5".into(), Some(3), false),
            ("e".into(), "6".into(), Some(4), false),
            // One town below it (the vetoed one): in the bottom 2.
            ("f".into(), "0".into(), Some(5), true),
            // Below every town without a veto, and always counted as bottom.
            ("b".into(), "19.5".into(), Some(6), true),
        ]
    );
    let grades: Vec<Option<usize>> = r.towns.iter().map(|t| t.grade.map(|g| g.index())).collect();
    // 优秀, 优秀 (18 reaches 18), 合格, 不合格, 不合格, and the vetoed town the lowest grade.
    assert_eq!(
        grades,
        [Some(0), Some(0), Some(2), Some(3), Some(3), Some(3)]
    );
    let b = &r.towns[5];
    assert!(b.vetoed);
    assert_eq!(
        (b.base, b.bonus, b.penalty),
        (Points(1950), Points::ZERO, Points::ZERO)
    );
    let f = &r.towns[4];
    assert_eq!(
        (f.base, f.penalty, f.total),
        (Points(100), Points(300), Points::ZERO)
    );
}

#[test]
fn classes_rank_and_take_their_bottom_places_apart() {
    let c = Campaign {
        items: vec!["10", "10"],
        conditional: 0,
        not_assessed: "rescale",
        bottom: 1,
        towns: vec![
            ("a", 1, Some("final"), vec![Some("9"), Some("9")]),
            ("b", 1, Some("final"), vec![Some("10"), Some("9.5")]),
            ("c", 1, Some("final"), vec![Some("8"), Some("8")]),
            ("d", 1, Some("final"), vec![Some("7"), Some("8.5")]),
            ("e", 1, Some("final"), vec![Some("5"), Some("4")]),
            ("f", 1, Some("final"), vec![Some("6"), Some("3")]),
        ],
    };
    let extra = Extra {
        campaign: "classes: class\ngrades:\n  - {name: 好, min: 15}\n  - {name: 差, min: 0}\n",
        rubric: "vetoes:\n  - {id: accident, text: 较大安全事故}\n",
        sheets: vec![(
            "c",
            "vetoes:\n  accident: {reason: 事故, evidence: [evidence/c/accident.pdf]}\n",
        )],
        files: vec!["evidence/c/accident.pdf"],
        // Classes in the order their first town comes: 一类 (a, c, e), then 二类 (b, d, f).
        attributes: vec![
            ("a", "class: 一类"),
            ("b", "class: 二类"),
            ("c", "class: 一类"),
            ("d", "class: 二类"),
            ("e", "class: 一类"),
            ("f", "class: 二类"),
        ],
    };
    let r = c.rank_with(&extra);
    assert_eq!(r.classes, ["一类", "二类"]);
    // By hand. 一类: a 18, e 9, c 16 vetoed: a 1st, e 2nd, c 3rd, and c (vetoed) is the
    // bottom 1 of its class, so e is not. 二类: b 19.5, d 15.5, f 9: f alone is its bottom 1.
    assert_eq!(
        table(&r, &slugs(&c)),
        [
            ("a".into(), "18".into(), Some(1), false),
            ("e".into(), "9".into(), Some(2), false),
            ("c".into(), "16".into(), Some(3), true),
            ("b".into(), "19.5".into(), Some(1), false),
            ("d".into(), "15.5".into(), Some(2), false),
            ("f".into(), "9".into(), Some(3), true),
        ]
    );
    let classes: Vec<Option<usize>> = r.towns.iter().map(|t| t.class.map(|c| c.index())).collect();
    assert_eq!(
        classes,
        [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1)]
    );
    // Grades do not depend on the class: e and f both 9, both 差; c vetoed, the lowest.
    let grades: Vec<Option<usize>> = r.towns.iter().map(|t| t.grade.map(|g| g.index())).collect();
    assert_eq!(
        grades,
        [Some(0), Some(1), Some(1), Some(0), Some(0), Some(1)]
    );
}
