//! The ranking (`index.html`): every town's total and subtotals, and a chart of the totals.

use serde::Serialize;

use crate::model::Points;
use crate::render::charts;
use crate::render::layout::Common;
use crate::render::rows::RankRow;
use crate::render::shared::Site;
use crate::render::urls;

/// Up to this many ranked towns, the ranking's chart has a bar per town.
const BARS: usize = 200;

#[derive(Serialize)]
pub struct RankingPage<'s> {
    common: Common<'s>,
    sections: Vec<SectionHead<'s>>,
    /// One table of ranked towns, or one per class when the campaign ranks within classes.
    tables: Vec<RankTable<'s>>,
    by_class: bool,
    unranked: Vec<&'s RankRow<'s>>,
    chart: String,
    /// True when there are too many towns for a bar each, and the chart counts towns per total.
    histogram: bool,
    consequences: Vec<String>,
    /// True when the campaign grades towns: the ranking has a grade column.
    grades: bool,
    /// The previous round's title, when there is one: the ranking has its column.
    previous: Option<&'s str>,
    /// How many ranked towns got each grade, as a chart and in words, when there are grades.
    grade_chart: Option<String>,
    grade_summary: String,
}

#[derive(Serialize)]
struct RankTable<'s> {
    /// The class, and the anchor the class selector links to.
    class: Option<&'s str>,
    id: String,
    rows: Vec<&'s RankRow<'s>>,
}

#[derive(Serialize)]
struct SectionHead<'s> {
    id: &'s str,
    title: &'s str,
    points: String,
}

pub fn view<'s>(site: &'s Site) -> RankingPage<'s> {
    let sections = site
        .model
        .rubric
        .sections
        .iter()
        .zip(&site.section_points)
        .map(|(s, points)| SectionHead {
            id: &s.id.value,
            title: &s.title,
            points: points.to_string(),
        })
        .collect();
    let (rows, unranked): (Vec<&RankRow>, _) = site.rows.iter().partition(|r| r.rank.is_some());
    let tables = match site.ranking.classes.is_empty() {
        true => vec![RankTable {
            class: None,
            id: "ranking".to_string(),
            rows,
        }],
        false => site
            .ranking
            .classes
            .iter()
            .enumerate()
            .map(|(i, class)| RankTable {
                class: Some(class),
                id: format!("class-{}", i + 1),
                rows: rows
                    .iter()
                    .copied()
                    .filter(|r| r.class == Some(class.as_str()))
                    .collect(),
            })
            .collect(),
    };
    let max = site.model.rubric.total.value;
    let ranked = site.ranking.ranked().count();
    let chart = if ranked <= BARS {
        let bars: Vec<charts::Bar> = site
            .ranking
            .ranked()
            .map(|t| charts::Bar {
                label: &site.town(t).name.value,
                href: site
                    .shows(&site.town(t).slug.value)
                    .then(|| urls::town(&site.town(t).slug.value)),
                value: t.total,
                flagged: !t.consequences.is_empty(),
            })
            .collect();
        let mut desc = bars
            .iter()
            .map(|b| format!("{} {}", b.label, b.value.fixed(2)))
            .collect::<Vec<_>>()
            .join(site.text["list_sep"]);
        let flagged: Vec<&str> = bars.iter().filter(|b| b.flagged).map(|b| b.label).collect();
        if !flagged.is_empty() {
            desc.push_str(site.text["list_sep"]);
            desc.push_str(
                &site.text["chart_flagged"].replace("{towns}", &flagged.join(site.text["comma"])),
            );
        }
        let alt = charts::Alt {
            id: "totals",
            title: site.text["chart_totals"],
            desc: &desc,
        };
        charts::bars(&bars, max, &alt)
    } else {
        let totals: Vec<Points> = site.ranking.ranked().map(|t| t.total).collect();
        let flagged_below = site
            .ranking
            .ranked()
            .filter(|t| !t.consequences.is_empty())
            .map(|t| t.total)
            .max();
        let alt = charts::Alt {
            id: "totals",
            title: site.text["chart_histogram"],
            desc: &charts::bins(&totals, max)
                .map(|(from, n)| {
                    site.text["chart_bin"]
                        .replace("{from}", &from.to_string())
                        .replace("{to}", &(from + 1).to_string())
                        .replace("{n}", &n.to_string())
                })
                .collect::<Vec<_>>()
                .join(site.text["list_sep"]),
        };
        charts::histogram(&totals, max, flagged_below, &alt)
    };
    let consequences = site
        .model
        .campaign
        .consequences
        .iter()
        .map(|c| {
            site.text[match (site.ranking.classes.is_empty(), c.rounds() > 1) {
                (true, false) => "bottom_actions",
                (false, false) => "bottom_actions_class",
                (true, true) => "bottom_actions_rounds",
                (false, true) => "bottom_actions_class_rounds",
            }]
            .replace("{n}", &c.bottom.value.to_string())
            .replace("{r}", &c.rounds().to_string())
            .replace("{actions}", &c.actions.join("、"))
        })
        .collect();
    let grades = &site.model.campaign.grades;
    let mut counts: Vec<(&str, u32)> = grades.iter().map(|g| (g.name.value.as_str(), 0)).collect();
    for grade in site.ranking.ranked().filter_map(|t| t.grade) {
        if let Some((_, n)) = counts.get_mut(grade.index()) {
            *n += 1;
        }
    }
    let grade_summary = counts
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect::<Vec<_>>()
        .join(" · ");
    let grade_alt = charts::Alt {
        id: "grades",
        title: site.text["chart_grades"],
        desc: &grade_summary,
    };
    RankingPage {
        grade_chart: (!grades.is_empty()).then(|| charts::grades(&counts, &grade_alt)),
        grade_summary,
        common: site.common(0, "ranking"),
        sections,
        tables,
        by_class: !site.ranking.classes.is_empty(),
        unranked,
        chart,
        histogram: ranked > BARS,
        consequences,
        grades: !site.model.campaign.grades.is_empty(),
        previous: site.rounds.first().map(|r| r.title.as_str()),
    }
}
