//! The data exports: `data/ranking.json` and `data/scores.csv`.

use std::collections::HashMap;

use serde::Serialize;
use serde::ser::Serializer;

use super::Source;
use crate::model::{Content, Points, entries_by_item};
use crate::score::{ItemScore, Ranking, SheetState, TownScore};

/// A published figure: two decimal places, written as a JSON number.
struct Figure(Points);

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Hundredths over 100 in f64 prints back as the same two-place decimal; no arithmetic
        // happens on it.
        s.serialize_f64(self.0.0 as f64 / 100.0)
    }
}

struct Sections(Vec<(String, Points)>);

impl Serialize for Sections {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
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
    sections: Sections,
    consequences: Vec<&'a str>,
}

#[derive(Serialize)]
struct UnrankedJson<'a> {
    town: &'a str,
    slug: &'a str,
    group: &'a str,
    status: &'static str,
}

fn group_of(content: &Content) -> HashMap<&str, &str> {
    let mut out = HashMap::new();
    for g in content.groups.iter().flatten() {
        for t in &g.towns {
            out.entry(t.value.as_str()).or_insert(g.id.value.as_str());
        }
    }
    out
}

pub fn ranking_json(content: &Content, ranking: &Ranking, source: &Source) -> Vec<u8> {
    let towns = content.towns.as_deref().unwrap_or_default();
    let groups = group_of(content);
    let section_ids: Vec<&str> = content
        .rubric
        .iter()
        .flat_map(|r| r.sections.iter().map(|s| s.id.value.as_str()))
        .collect();
    let campaign = content.campaign.as_ref();
    let consequences = |t: &TownScore| -> Vec<&str> {
        t.consequences
            .iter()
            .filter_map(|i| campaign.and_then(|c| c.consequences.get(*i)))
            .flat_map(|c| c.actions.iter().map(String::as_str))
            .collect()
    };
    let json = RankingJson {
        campaign: campaign.map_or("", |c| c.id.value.as_str()),
        title: campaign.map_or("", |c| c.title.as_str()),
        provisional: ranking.provisional,
        source,
        towns: ranking
            .ranked()
            .map(|t| {
                let town = &towns[t.town];
                TownJson {
                    rank: t.rank.unwrap_or_default(),
                    town: &town.name.value,
                    slug: &town.slug.value,
                    group: groups.get(town.slug.value.as_str()).copied().unwrap_or(""),
                    total: Figure(t.total),
                    sections: Sections(
                        section_ids
                            .iter()
                            .zip(&t.sections)
                            .map(|(id, s)| (id.to_string(), s.earned))
                            .collect(),
                    ),
                    consequences: consequences(t),
                }
            })
            .collect(),
        unranked: ranking
            .unranked()
            .map(|t| {
                let town = &towns[t.town];
                UnrankedJson {
                    town: &town.name.value,
                    slug: &town.slug.value,
                    group: groups.get(town.slug.value.as_str()).copied().unwrap_or(""),
                    status: match t.status {
                        SheetState::Final => "final",
                        SheetState::Draft => "draft",
                        SheetState::Missing => "missing",
                    },
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&json).unwrap_or_default();
    out.push(b'\n');
    out
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

/// One row per town and item, UTF-8 with a byte-order mark so that spreadsheet programs
/// read the Chinese correctly.
pub fn scores_csv(content: &Content, ranking: &Ranking) -> Vec<u8> {
    let strings = super::i18n::strings(content.lang());
    let mut out = String::from("\u{feff}");
    out.push_str(strings["scores_csv_header"]);
    out.push_str("\r\n");
    let (Some(rubric), Some(towns)) = (&content.rubric, &content.towns) else {
        return out.into_bytes();
    };
    let groups = group_of(content);
    for t in &ranking.towns {
        let town = &towns[t.town];
        let entries = entries_by_item(t.sheet.map(|s| &content.sheets[s]));
        let status = strings[match t.status {
            SheetState::Final => "csv_final",
            SheetState::Draft => "csv_draft",
            SheetState::Missing => "csv_missing",
        }];
        let mut index = 0;
        for section in &rubric.sections {
            for item in section.parts.iter().flat_map(|p| &p.items) {
                let entry = entries.get(item.id.value.as_str());
                let (score, deducted, not_assessed) = match t.items.get(index) {
                    Some(ItemScore::Scored(p)) => (
                        p.to_string(),
                        (item.points.value - *p).to_string(),
                        String::new(),
                    ),
                    Some(ItemScore::NotAssessed) => (
                        String::new(),
                        String::new(),
                        entry
                            .and_then(|e| e.not_assessed.as_ref())
                            .map(|r| r.value.clone())
                            .unwrap_or_default(),
                    ),
                    None => Default::default(),
                };
                index += 1;
                let reasons: Vec<String> = entry
                    .and_then(|e| e.deductions.as_ref())
                    .map(|ds| {
                        ds.iter()
                            .filter_map(|d| d.reason.as_ref())
                            .map(|r| r.value.trim().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                let row = [
                    csv_field(&t.rank.map(|r| r.to_string()).unwrap_or_default()),
                    csv_text(&town.name.value),
                    csv_text(&town.slug.value),
                    csv_text(groups.get(town.slug.value.as_str()).copied().unwrap_or("")),
                    csv_field(status),
                    csv_field(&if t.status == SheetState::Missing {
                        String::new()
                    } else {
                        t.total.fixed(2)
                    }),
                    csv_text(&section.id.value),
                    csv_text(&item.id.value),
                    csv_text(&item.indicator),
                    csv_field(&item.points.value.to_string()),
                    csv_field(&score),
                    csv_field(&deducted),
                    csv_text(&not_assessed),
                    csv_text(&reasons.join("；")),
                ];
                out.push_str(&row.join(","));
                out.push_str("\r\n");
            }
        }
    }
    out.into_bytes()
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
