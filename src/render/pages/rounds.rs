//! The rounds page (`rounds/`), for a campaign with earlier rounds: every round side by side,
//! the towns that rose most since the last round, the towns that stayed in the bottom places,
//! and how many towns got each grade in each round.

use std::collections::HashMap;

use serde::Serialize;

use crate::compare::RoundTown;
use crate::model::Points;
use crate::render::charts;
use crate::render::layout::Common;
use crate::render::rows::NO_FIGURE;
use crate::render::shared::Site;
use crate::score::TownScore;

const DEPTH: usize = 1;

/// The most towns the page lists as having risen most.
const IMPROVED: usize = 10;

#[derive(Serialize)]
pub struct RoundsPage<'s> {
    common: Common<'s>,
    /// Oldest first, this round last.
    rounds: Vec<RoundHead<'s>>,
    /// Every town of this round in its order, with its place in each round.
    rows: Vec<RoundsRow<'s>>,
    improved: Vec<Improved<'s>>,
    /// The bottom places the escalation is about, when the campaign has consequences.
    bottom: Option<u32>,
    stayed: Vec<Stayed<'s>>,
    grades: Vec<&'s str>,
    /// Per round, oldest first: how many ranked towns got each grade of `grades`.
    grade_counts: Vec<GradeCounts<'s>>,
    grade_chart: Option<String>,
}

#[derive(Serialize)]
struct RoundHead<'s> {
    title: &'s str,
    /// The tag or commit the round was read from; 本轮 for this one.
    label: &'s str,
}

#[derive(Serialize)]
struct RoundsRow<'s> {
    name: &'s str,
    slug: &'s str,
    /// Oldest first: the town's rank and total in each round, empty where it was not ranked.
    cells: Vec<Cell<'s>>,
}

#[derive(Serialize)]
struct Cell<'s> {
    rank: Option<u32>,
    total: String,
    grade: Option<&'s str>,
}

#[derive(Serialize)]
struct Improved<'s> {
    name: &'s str,
    slug: &'s str,
    before: u32,
    now: u32,
    rise: u32,
    /// The change of total, signed: +3.50.
    change: String,
}

#[derive(Serialize)]
struct Stayed<'s> {
    name: &'s str,
    slug: &'s str,
    /// Rounds in a row, this one included, in the bottom places.
    rounds: usize,
    /// Its ranks in those rounds, oldest first.
    ranks: Vec<u32>,
}

#[derive(Serialize)]
struct GradeCounts<'s> {
    label: &'s str,
    /// `None` for a round that graded no town.
    counts: Option<Vec<u32>>,
}

pub fn view<'s>(site: &'s Site) -> RoundsPage<'s> {
    let text = &site.text;
    let earlier: Vec<_> = site.rounds.iter().rev().collect();
    let mut rounds: Vec<RoundHead> = earlier
        .iter()
        .map(|r| RoundHead {
            title: &r.title,
            label: &r.reference,
        })
        .collect();
    rounds.push(RoundHead {
        title: &site.model.campaign.title,
        label: text["this_round"],
    });
    let rows = site
        .ranking
        .towns
        .iter()
        .map(|score| {
            let town = site.town(score);
            let slug = town.slug.value.as_str();
            let mut cells: Vec<Cell> = earlier.iter().map(|round| cell(round.town(slug))).collect();
            cells.push(Cell {
                rank: score.rank,
                total: score
                    .rank
                    .map_or(NO_FIGURE.to_string(), |_| score.total.fixed(2)),
                grade: score.grade.map(|g| site.model.grade(g)),
            });
            RoundsRow {
                name: &town.name.value,
                slug,
                cells,
            }
        })
        .collect();
    let bottom = site
        .model
        .campaign
        .consequences
        .iter()
        .map(|c| c.bottom.value)
        .max();
    let (grades, grade_counts) = grade_counts(site, &earlier);
    let this_counts = grade_counts.last().and_then(|g| g.counts.as_deref());
    let grade_chart = this_counts.map(|counts| {
        let bars: Vec<(&str, u32)> = grades.iter().copied().zip(counts.iter().copied()).collect();
        let desc = bars
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(" · ");
        let alt = charts::Alt {
            id: "grades",
            title: site.text["chart_grades"],
            desc: &desc,
        };
        charts::grades(&bars, &alt)
    });
    RoundsPage {
        common: site.common(DEPTH, "rounds"),
        rounds,
        rows,
        improved: improved(site),
        bottom,
        stayed: bottom.map_or(Vec::new(), |n| stayed(site, &earlier, n)),
        grades,
        grade_counts,
        grade_chart,
    }
}

fn cell(town: Option<&RoundTown>) -> Cell<'_> {
    Cell {
        rank: town.and_then(|t| t.rank),
        total: town
            .and_then(|t| t.total)
            .map_or(NO_FIGURE.to_string(), |p| p.fixed(2)),
        grade: town.and_then(|t| t.grade.as_deref()),
    }
}

/// The towns whose rank rose most since the last round, among those ranked in both and in
/// the same class: by places gained, then by the larger rise of total.
fn improved<'s>(site: &'s Site) -> Vec<Improved<'s>> {
    let mut risen: Vec<(&TownScore, &RoundTown, u32, u32)> = site
        .ranking
        .ranked()
        .filter_map(|score| {
            let before = site.previous(&site.town(score).slug.value)?;
            let (was, now) = (before.rank?, score.rank?);
            let same_class = before.class.as_deref() == site.class(score);
            (same_class && now < was).then_some((score, before, was, now))
        })
        .collect();
    let change = |score: &TownScore, before: &RoundTown| {
        score.total.0 - before.total.unwrap_or(Points::ZERO).0
    };
    risen.sort_by_key(|(score, before, was, now)| {
        (
            std::cmp::Reverse(was - now),
            std::cmp::Reverse(change(score, before)),
            score.town,
        )
    });
    risen
        .into_iter()
        .take(IMPROVED)
        .map(|(score, before, was, now)| {
            let town = site.town(score);
            let delta = change(score, before);
            Improved {
                name: &town.name.value,
                slug: &town.slug.value,
                before: was,
                now,
                rise: was - now,
                change: match delta {
                    d if d >= 0 => format!("+{}", Points(d).fixed(2)),
                    d => format!("−{}", Points(-d).fixed(2)),
                },
            }
        })
        .collect()
}

/// The towns in the bottom `n` of this round and of the round before it at least, with how
/// many rounds in a row; the longest first.
fn stayed<'s>(site: &'s Site, earlier: &[&'s crate::compare::Round], n: u32) -> Vec<Stayed<'s>> {
    let mut out: Vec<Stayed> = site
        .ranking
        .ranked()
        .filter(|score| score.below < n)
        .filter_map(|score| {
            let town = site.town(score);
            let mut ranks = vec![score.rank?];
            for round in earlier.iter().rev() {
                match round.town(&town.slug.value) {
                    Some(t) if t.rank.is_some() && t.below < n => ranks.push(t.rank?),
                    _ => break,
                }
            }
            ranks.reverse();
            (ranks.len() > 1).then(|| Stayed {
                name: &town.name.value,
                slug: &town.slug.value,
                rounds: ranks.len(),
                ranks,
            })
        })
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.rounds));
    out
}

/// The grades of every round by name, this round's first in its order, then any other an
/// earlier round used; and each round's count of ranked towns per grade.
fn grade_counts<'s>(
    site: &'s Site,
    earlier: &[&'s crate::compare::Round],
) -> (Vec<&'s str>, Vec<GradeCounts<'s>>) {
    let mut names: Vec<&str> = site
        .model
        .campaign
        .grades
        .iter()
        .map(|g| g.name.value.as_str())
        .collect();
    for round in earlier {
        for grade in round.towns.iter().filter_map(|t| t.grade.as_deref()) {
            if !names.contains(&grade) {
                names.push(grade);
            }
        }
    }
    let place: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let count = |grades: &mut dyn Iterator<Item = &str>| {
        let mut counts = vec![0u32; names.len()];
        let mut any = false;
        for g in grades {
            if let Some(&i) = place.get(g) {
                counts[i] += 1;
                any = true;
            }
        }
        any.then_some(counts)
    };
    let mut rows: Vec<GradeCounts> = earlier
        .iter()
        .map(|round| GradeCounts {
            label: &round.reference,
            counts: count(&mut round.towns.iter().filter_map(|t| t.grade.as_deref())),
        })
        .collect();
    rows.push(GradeCounts {
        label: site.text["this_round"],
        counts: count(
            &mut site
                .ranking
                .ranked()
                .filter_map(|t| t.grade.map(|g| site.model.grade(g))),
        ),
    });
    (names, rows)
}
