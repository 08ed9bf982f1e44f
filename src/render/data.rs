//! The data exports (`data/`): each writes the one score table in its format.

use serde::Serialize;
use serde::ser::Serializer;

use super::shared::Site;
use super::table::{Cell, ScoreTable};
use super::{Sink, Source, urls, workbook};
use crate::model::Points;
use crate::problem::{Context, Problem, Result};

/// Writes the score table in one format; `None` when the campaign has nothing for it.
type Export = fn(&ScoreTable) -> Option<Vec<u8>>;

/// Every export: where it goes, and how it writes the table.
const EXPORTS: &[(&str, Export)] = &[
    (urls::SCORES_CSV, scores_csv),
    (urls::RANKING_JSON, ranking_json),
    (urls::ROUNDS_JSON, rounds_json),
];

/// Builds the score table once and writes every export of it into `sink`.
pub fn write(site: &Site, sink: &dyn Sink) -> Result<()> {
    let table = ScoreTable::new(site);
    for (path, export) in EXPORTS {
        site.stopped()?;
        if let Some(bytes) = export(&table) {
            sink.put(path, &bytes)?;
        }
    }
    if site.keeps_ledger() {
        let ledger = ledger_rows(site);
        sink.put(urls::RECTIFICATION_CSV, &ledger_csv(&ledger, site))?;
        let mut json = serde_json::to_vec_pretty(&LedgerJson {
            as_of: site.source.as_of.map(|d| d.to_string()),
            problems: ledger,
        })
        .unwrap_or_default();
        json.push(b'\n');
        sink.put(urls::RECTIFICATION_JSON, &json)?;
    }
    Ok(())
}

/// `data/ranking.xlsx`: the ranking, the scores, the deductions and the ledger in one
/// workbook.
pub fn workbook(site: &Site, sink: &dyn Sink) -> Result<()> {
    let table = ScoreTable::new(site);
    let ledger = site.keeps_ledger().then(|| {
        ledger_rows(site)
            .into_iter()
            .map(|r| workbook::LedgerRow {
                cells: ledger_cells(r, site),
            })
            .collect()
    });
    site.stopped()?;
    let bytes = workbook::ranking(site, &table, ledger)
        .context(Problem::Document(urls::RANKING_XLSX.to_string()))?;
    // A workbook cut short by a stop is not the workbook.
    site.stopped()?;
    sink.put(urls::RANKING_XLSX, &bytes)
}

/// A problem of the ledger as a spreadsheet's row: the columns of `data/rectification.csv`.
fn ledger_cells<'a>(r: ProblemJson<'a>, site: &Site) -> Vec<Cell<'a>> {
    let text = |t: Option<&'a str>| Cell::Text(t.unwrap_or_default().into());
    let owned = |t: Option<String>| t.map_or(Cell::Empty, |t| Cell::Text(t.into()));
    vec![
        Cell::Text(r.town.into()),
        Cell::Text(r.slug.into()),
        Cell::Text(r.group.into()),
        Cell::Text(r.item.into()),
        Cell::Count(r.deduction),
        Cell::Points(r.points.0),
        Cell::Text(r.reason.into()),
        owned(r.due),
        Cell::Word(
            site.text[match r.state {
                "closed" => "state_closed",
                "done" => "state_done",
                _ => "state_open",
            }],
        ),
        Cell::Word(r.colour),
        text(r.measures),
        owned(r.done),
        Cell::Text(r.evidence.join("\n").into()),
        text(r.closed_by),
        owned(r.closed),
    ]
}

#[derive(Serialize)]
struct LedgerJson<'a> {
    /// The day states and colours are as of.
    as_of: Option<String>,
    problems: Vec<ProblemJson<'a>>,
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    town: &'a str,
    slug: &'a str,
    group: &'a str,
    item: &'a str,
    /// The deduction's place among the item's deductions, from 1.
    deduction: u32,
    points: Figure,
    reason: &'a str,
    due: Option<String>,
    state: &'static str,
    colour: &'static str,
    measures: Option<&'a str>,
    done: Option<String>,
    evidence: Vec<&'a str>,
    closed_by: Option<&'a str>,
    closed: Option<String>,
}

fn ledger_rows<'a>(site: &'a Site) -> Vec<ProblemJson<'a>> {
    site.problems
        .iter()
        .map(|p| {
            let town = site.model.town(p.town);
            let record = p.record;
            let closed = record.and_then(|r| r.closed.as_ref());
            ProblemJson {
                town: &town.name.value,
                slug: &town.slug.value,
                group: site
                    .group_of
                    .get(town.slug.value.as_str())
                    .map_or("", |g| g.id.value.as_str()),
                item: &p.item.id.value,
                deduction: p.index,
                points: Figure(p.deduction.points.value),
                reason: p.deduction.reason.as_ref().map_or("", |r| r.value.as_str()),
                due: p.due.map(|d| d.to_string()),
                state: p.state.as_str(),
                colour: p.colour.as_str(),
                measures: record.and_then(|r| r.measures.as_deref()),
                done: record
                    .and_then(|r| r.done.as_ref())
                    .map(|d| d.value.to_string()),
                evidence: record.map_or_else(Vec::new, |r| {
                    r.evidence.iter().map(|e| e.value.as_str()).collect()
                }),
                closed_by: closed.map(|c| c.by.value.as_str()),
                closed: closed.map(|c| c.date.value.to_string()),
            }
        })
        .collect()
}

/// `data/rectification.csv`: one row per problem, for spreadsheets (UTF-8 with a BOM).
fn ledger_csv(rows: &[ProblemJson], site: &Site) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(site.text["ledger_csv_header"]);
    out.push_str("\r\n");
    for r in rows {
        let cells = [
            csv_text(r.town),
            csv_text(r.slug),
            csv_text(r.group),
            csv_text(r.item),
            r.deduction.to_string(),
            r.points.0.to_string(),
            csv_text(r.reason),
            r.due.clone().unwrap_or_default(),
            csv_field(
                site.text[match r.state {
                    "closed" => "state_closed",
                    "done" => "state_done",
                    _ => "state_open",
                }],
            ),
            r.colour.to_string(),
            csv_text(r.measures.unwrap_or_default()),
            r.done.clone().unwrap_or_default(),
            csv_text(&r.evidence.join(" ")),
            csv_text(r.closed_by.unwrap_or_default()),
            r.closed.clone().unwrap_or_default(),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[derive(Serialize)]
struct RoundsJson<'a> {
    /// This round first, then the earlier ones, newest first.
    rounds: Vec<RoundJson<'a>>,
}

#[derive(Serialize)]
struct RoundJson<'a> {
    /// The tag or commit `previous:` names; none for this round.
    reference: Option<&'a str>,
    commit: Option<&'a str>,
    campaign: &'a str,
    title: &'a str,
    towns: Vec<RoundTownJson<'a>>,
}

#[derive(Serialize)]
struct RoundTownJson<'a> {
    slug: &'a str,
    town: &'a str,
    rank: Option<u32>,
    total: Option<Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'a str>,
    vetoed: bool,
}

/// `data/rounds.json`: every round's ranking, this one first; only for a campaign with rounds.
fn rounds_json(table: &ScoreTable) -> Option<Vec<u8>> {
    if table.rounds.is_empty() || !table.whole {
        return None;
    }
    let this = RoundJson {
        reference: None,
        commit: table.source.commit.as_deref(),
        campaign: table.campaign,
        title: table.title,
        towns: table
            .towns
            .iter()
            .map(|t| RoundTownJson {
                slug: t.slug,
                town: t.name,
                rank: t.rank,
                total: t.rank.map(|_| Figure(t.total)),
                grade: t.grade,
                class: t.class,
                vetoed: t.vetoed,
            })
            .collect(),
    };
    let earlier = table.rounds.iter().map(|r| RoundJson {
        reference: Some(&r.reference),
        commit: Some(&r.commit),
        campaign: &r.id,
        title: &r.title,
        towns: r
            .towns
            .iter()
            .map(|t| RoundTownJson {
                slug: &t.slug,
                town: &t.name,
                rank: t.rank,
                total: t.total.map(Figure),
                grade: t.grade.as_deref(),
                class: t.class.as_deref(),
                vetoed: t.vetoed,
            })
            .collect(),
    });
    let json = RoundsJson {
        rounds: std::iter::once(this).chain(earlier).collect(),
    };
    let mut out = serde_json::to_vec_pretty(&json).unwrap_or_default();
    out.push(b'\n');
    Some(out)
}

/// A published figure: two decimal places, written as a JSON number.
struct Figure(Points);

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        // Hundredths over 100 in f64 prints back as the same two-place decimal; no arithmetic
        // happens on it.
        s.serialize_f64(self.0.0 as f64 / 100.0)
    }
}

struct Sections<'a>(Vec<(&'a str, Points)>);

impl Serialize for Sections<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, Figure(*v))))
    }
}

#[derive(Serialize)]
struct RankingJson<'a> {
    campaign: &'a str,
    title: &'a str,
    provisional: bool,
    source: &'a Source,
    towns: Vec<TownJson<'a>>,
    unranked: Vec<UnrankedJson<'a>>,
}

#[derive(Serialize)]
struct TownJson<'a> {
    rank: u32,
    town: &'a str,
    slug: &'a str,
    group: &'a str,
    total: Figure,
    sections: Sections<'a>,
    consequences: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<&'a str>,
    /// Present when the campaign ranks within classes: `rank` is then the rank in the class.
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'a str>,
    /// Present when the rubric defines vetoes.
    #[serde(skip_serializing_if = "Option::is_none")]
    vetoed: Option<bool>,
    /// Present when the rubric defines adjustments.
    #[serde(skip_serializing_if = "Option::is_none")]
    adjustments: Option<AdjustmentsJson<'a>>,
    /// Present when there is a previous round: the town there, or null for a town it lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<Option<PreviousJson<'a>>>,
}

#[derive(Serialize)]
struct PreviousJson<'a> {
    rank: Option<u32>,
    total: Option<Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<&'a str>,
}

/// How the total is made from the rubric's score: total = base + net, never below zero.
#[derive(Serialize)]
struct AdjustmentsJson<'a> {
    base: Figure,
    net: Figure,
    lines: Vec<LineJson<'a>>,
}

#[derive(Serialize)]
struct LineJson<'a> {
    id: &'a str,
    text: &'a str,
    points: Figure,
    reasons: Vec<&'a str>,
}

#[derive(Serialize)]
struct UnrankedJson<'a> {
    town: &'a str,
    slug: &'a str,
    group: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'a str>,
    status: &'static str,
}

/// `data/ranking.json`: the ranked towns with their totals and subtotals, then the others.
fn ranking_json(table: &ScoreTable) -> Option<Vec<u8>> {
    let json = RankingJson {
        campaign: table.campaign,
        title: table.title,
        provisional: table.provisional,
        source: table.source,
        towns: table
            .towns
            .iter()
            .filter_map(|t| {
                Some(TownJson {
                    rank: t.rank?,
                    town: t.name,
                    slug: t.slug,
                    group: t.group,
                    total: Figure(t.total),
                    sections: Sections(
                        table
                            .sections
                            .iter()
                            .copied()
                            .zip(t.subtotals.iter().copied())
                            .collect(),
                    ),
                    consequences: t.consequences.clone(),
                    grade: t.grade,
                    class: t.class,
                    previous: t.previous.map(|p| {
                        p.map(|p| PreviousJson {
                            rank: p.rank,
                            total: p.total.map(Figure),
                            grade: p.grade.as_deref(),
                        })
                    }),
                    vetoed: table.has_vetoes.then_some(t.vetoed),
                    adjustments: table.has_adjustments.then(|| {
                        let lines = t.adjustments();
                        AdjustmentsJson {
                            base: Figure(t.base),
                            net: Figure(lines.iter().map(|l| l.points).sum()),
                            // Why another town's total moved is in its report, not a bundle's.
                            lines: lines
                                .into_iter()
                                .filter(|_| t.detailed)
                                .map(|l| LineJson {
                                    id: l.id,
                                    text: l.text,
                                    points: Figure(l.points),
                                    reasons: l.reasons,
                                })
                                .collect(),
                        }
                    }),
                })
            })
            .collect(),
        unranked: table
            .towns
            .iter()
            .filter(|t| t.rank.is_none())
            .map(|t| UnrankedJson {
                town: t.name,
                slug: t.slug,
                group: t.group,
                class: t.class,
                status: t.status.as_str(),
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&json).unwrap_or_default();
    out.push(b'\n');
    Some(out)
}

/// `data/scores.csv`: one row per town and item, UTF-8 with a byte-order mark so that
/// spreadsheet programs read the Chinese correctly.
fn scores_csv(table: &ScoreTable) -> Option<Vec<u8>> {
    let mut out = String::from("\u{feff}");
    out.push_str(&table.columns.join(","));
    out.push_str("\r\n");
    for row in table.rows() {
        let cells: Vec<String> = row.iter().map(csv_cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Some(out.into_bytes())
}

fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => csv_text(text),
        Cell::Word(word) => csv_field(word),
        Cell::Count(n) => n.to_string(),
        Cell::Points(p) => p.to_string(),
        Cell::Figure(p) => p.fixed(2),
    }
}

/// A text cell, neutralised as OWASP recommends: a cell starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be run as a formula by spreadsheet programs, so it gets a
/// leading `'`.
fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_field(&format!("'{text}"))
    } else {
        csv_field(text)
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_print_as_two_place_decimals() {
        let json = serde_json::to_string(&[
            Figure(Points(8673)),
            Figure(Points(9300)),
            Figure(Points(5)),
        ])
        .unwrap();
        assert_eq!(json, "[86.73,93.0,0.05]");
    }

    #[test]
    fn csv_never_starts_a_formula() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_text("+1"), "'+1");
        assert_eq!(csv_text("-2 分"), "'-2 分");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("\tx"), "'\tx");
        assert_eq!(csv_text("\rx"), "\"'\rx\"");
        assert_eq!(csv_text("抽查 10 户"), "抽查 10 户");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("扣分"), "扣分");
    }
}
