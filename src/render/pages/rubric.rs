//! The scoring table (`rubric/`): every item with the average and lowest scores of the towns,
//! and a chart of the points the lowest ranked towns lost.

use serde::Serialize;

use crate::model::{Criterion, ItemId, Points, Rubric};
use crate::render::charts;
use crate::render::evidence::Links;
use crate::render::layout::Common;
use crate::render::shared::Site;
use crate::render::urls;
use crate::score::{ItemScore, SheetState, TownScore};

/// The rubric page's chart of lost points shows at most this many towns: the lowest ranked.
const HEAT_ROWS: usize = 100;
const DEPTH: usize = 1;

#[derive(Serialize)]
pub struct RubricPage<'s> {
    common: Common<'s>,
    total: String,
    rows: Vec<RubricRow<'s>>,
    /// The average and the lowest of the ranked towns' published totals.
    average: Option<String>,
    lowest: Option<String>,
    ranked_towns: usize,
    scored_towns: usize,
    /// How many towns the chart shows: all of them, or the lowest ranked when there are many.
    chart_towns: usize,
    chart: String,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum RubricRow<'a> {
    Section { title: &'a str, points: String },
    Part { title: &'a str },
    Item(Box<RubricItem<'a>>),
}

#[derive(Serialize)]
struct RubricItem<'a> {
    id: &'a str,
    category: &'a str,
    /// Rows the category cell spans; 0 when an earlier row's cell covers this one.
    category_rows: usize,
    indicator: &'a str,
    requirement: String,
    points: String,
    criteria: Vec<CriterionView<'a>>,
    average: Option<String>,
    lowest: Option<String>,
    #[serde(skip)]
    lowest_points: Option<Points>,
    scored: usize,
    /// Which towns the item applies to, in words.
    condition: Option<String>,
}

/// A criterion of an item, with the score a town's sheet gives it.
#[derive(Serialize)]
pub struct CriterionView<'a> {
    id: &'a str,
    text: &'a str,
    points: String,
    score: Option<String>,
}

impl<'a> CriterionView<'a> {
    pub fn new(c: &'a Criterion, score: Option<Points>) -> Self {
        CriterionView {
            id: &c.id.value,
            text: &c.text,
            points: c.points.value.to_string(),
            score: score.map(|p| p.to_string()),
        }
    }
}

/// How many rows each row's category cell spans, as in the printed table: a run of rows with
/// the same category shares the cell of its first row, and the others get 0. A row without a
/// category (`None`) is in no run.
pub fn category_rows(categories: &[Option<&str>]) -> Vec<usize> {
    let mut rows = vec![0; categories.len()];
    let mut i = 0;
    while i < categories.len() {
        let mut j = i + 1;
        if categories[i].is_some() {
            while j < categories.len() && categories[j] == categories[i] {
                j += 1;
            }
        }
        rows[i] = j - i;
        i = j;
    }
    rows
}

pub fn view<'s>(site: &'s Site) -> RubricPage<'s> {
    // Only final sheets: a draft's items not yet scored would count as zeros.
    let scored: Vec<&TownScore> = site
        .ranking
        .towns
        .iter()
        .filter(|t| t.status == SheetState::Final)
        .collect();
    let (mut rows, columns) = table(site, site.model.rubric, &scored);
    let categories: Vec<Option<&str>> = rows
        .iter()
        .map(|r| match r {
            RubricRow::Item(i) => Some(i.category),
            _ => None,
        })
        .collect();
    // The lowest scores line up in one number of decimals, the most any of them needs.
    let places = rows
        .iter()
        .filter_map(|r| match r {
            RubricRow::Item(i) => i.lowest_points.map(Points::places),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    for (row, span) in rows.iter_mut().zip(category_rows(&categories)) {
        if let RubricRow::Item(i) = row {
            i.category_rows = span;
            i.lowest = i.lowest_points.map(|p| p.fixed(places));
        }
    }
    let totals: Vec<Points> = site.ranking.ranked().map(|t| t.total).collect();
    // The chart names towns: a bundle's own only.
    let charted: Vec<&TownScore> = scored
        .iter()
        .copied()
        .filter(|t| site.shows(&site.town(t).slug.value))
        .collect();
    let shown = charted.len().saturating_sub(HEAT_ROWS);
    let heat: Vec<charts::HeatRow> = charted[shown..]
        .iter()
        .map(|t| {
            let town = site.town(t);
            charts::HeatRow {
                label: &town.name.value,
                href: Some(format!(
                    "{}{}",
                    urls::root(DEPTH),
                    urls::town(&town.slug.value)
                )),
                cells: columns
                    .iter()
                    .map(|&(key, _, points)| match t.item(key) {
                        Some(&ItemScore::Scored(p)) => Some((points - p, points)),
                        _ => None,
                    })
                    .collect(),
            }
        })
        .collect();
    let labels: Vec<&str> = columns.iter().map(|&(_, id, _)| id).collect();
    let desc = heat
        .iter()
        .map(|row| {
            let lost: Vec<String> = row
                .cells
                .iter()
                .zip(&labels)
                .filter_map(|(cell, item)| match cell {
                    Some((lost, _)) if lost.0 > 0 => Some(
                        site.text["chart_lost"]
                            .replace("{item}", item)
                            .replace("{lost}", &lost.to_string()),
                    ),
                    _ => None,
                })
                .collect();
            let lost = match lost.is_empty() {
                true => site.text["heat_none_lost"].to_string(),
                false => lost.join(site.text["comma"]),
            };
            site.text["chart_town_lost"]
                .replace("{town}", row.label)
                .replace("{lost}", &lost)
        })
        .collect::<Vec<_>>()
        .join(site.text["list_sep"]);
    let alt = charts::Alt {
        id: "heatmap",
        title: site.text["chart_heatmap"],
        desc: &desc,
    };
    RubricPage {
        common: site.common(DEPTH, "rubric"),
        total: site.model.rubric.total.value.to_string(),
        rows,
        average: average(&totals).map(|p| p.fixed(2)),
        lowest: totals.iter().min().map(|p| p.fixed(2)),
        ranked_towns: totals.len(),
        scored_towns: charted.len(),
        chart_towns: heat.len(),
        chart: charts::heatmap(&labels, &heat, &alt),
    }
}

/// The rows of the table, and its items in order as the chart's columns: (place, id, points).
fn table<'s>(
    site: &'s Site,
    rubric: &'s Rubric,
    scored: &[&TownScore],
) -> (Vec<RubricRow<'s>>, Vec<(ItemId, &'s str, Points)>) {
    let links = Links::new(site.evidence, DEPTH).published(site.model.campaign.publish_evidence);
    let mut rows = Vec::new();
    let mut columns = Vec::new();
    for (section, points) in rubric.sections.iter().zip(&site.section_points) {
        rows.push(RubricRow::Section {
            title: &section.title,
            points: points.to_string(),
        });
        for part in &section.parts {
            if let Some(title) = &part.title {
                rows.push(RubricRow::Part { title });
            }
            for item in &part.items {
                let scores: Vec<Points> = scored
                    .iter()
                    .filter_map(|t| match t.item(item.key) {
                        Some(&ItemScore::Scored(p)) => Some(p),
                        _ => None,
                    })
                    .collect();
                rows.push(RubricRow::Item(Box::new(RubricItem {
                    id: &item.id.value,
                    category: &item.category,
                    category_rows: 1,
                    indicator: &item.indicator,
                    requirement: links.markdown(&item.requirement),
                    points: item.points.value.to_string(),
                    criteria: item
                        .criteria
                        .iter()
                        .map(|c| CriterionView::new(c, None))
                        .collect(),
                    average: average(&scores).map(|p| p.fixed(2)),
                    lowest: None,
                    lowest_points: scores.iter().min().copied(),
                    scored: scores.len(),
                    condition: item.assessed_if.as_ref().map(|a| {
                        let label = rubric.label(&a.value).unwrap_or(&a.value);
                        site.text["assessed_only_where"].replace("{label}", label)
                    }),
                })));
                columns.push((item.key, item.id.value.as_str(), item.points.value));
            }
        }
    }
    (rows, columns)
}

/// The mean of `scores`, rounded half-up to hundredths; `None` for none.
fn average(scores: &[Points]) -> Option<Points> {
    if scores.is_empty() {
        return None;
    }
    let sum: i128 = scores.iter().map(|p| i128::from(p.0)).sum();
    let n = scores.len() as i128;
    Some(Points(((2 * sum + n) / (2 * n)) as i64))
}
