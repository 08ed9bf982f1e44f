//! The rectification ledger (`rectification/`, 整改台账): every problem to put right, its due
//! date, what the town did and whether the office closed it, with counts per state and colour;
//! and the same problems as a town's page and the notices show them.

use serde::Serialize;

use crate::ledger::{Colour, Problem, State};
use crate::render::evidence::{Link, Links};
use crate::render::layout::{Common, TownLink};
use crate::render::shared::Site;
use crate::score::TownScore;

const DEPTH: usize = 1;

/// Up to this many problems, the ledger lists every one; beyond, it sums up each town and
/// lists the problems overdue or due soon, this many at most.
const LISTED: usize = 2000;

#[derive(Serialize)]
pub struct RectificationPage<'s> {
    common: Common<'s>,
    /// As of this day, written out.
    as_of: Option<String>,
    counts: Counts,
    rows: Vec<ProblemRow<'s>>,
    /// With more problems than are listed: the count of all, and each town's sums.
    summed: Option<usize>,
    towns: Vec<TownCounts<'s>>,
}

#[derive(Serialize)]
struct TownCounts<'s> {
    town: TownLink<'s>,
    group: &'s str,
    counts: Counts,
}

/// How many problems are in each state and colour.
#[derive(Serialize, Default)]
pub struct Counts {
    pub open: usize,
    pub done: usize,
    pub closed: usize,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
}

/// A problem as pages show it.
#[derive(Serialize)]
pub struct ProblemRow<'s> {
    town: TownLink<'s>,
    group: &'s str,
    item: &'s str,
    indicator: &'s str,
    index: u32,
    points: String,
    reason: &'s str,
    due: Option<String>,
    /// `open`, `done` or `closed`: the key of its word.
    state: &'static str,
    /// `red`, `amber` or `green`.
    colour: &'static str,
    measures: Option<&'s str>,
    done: Option<String>,
    evidence: Vec<Link<'s>>,
    closed_by: Option<&'s str>,
    closed: Option<String>,
}

impl Counts {
    pub fn of<'a>(problems: impl Iterator<Item = &'a Problem<'a>>) -> Counts {
        let mut counts = Counts::default();
        for p in problems {
            match p.state {
                State::Open => counts.open += 1,
                State::Done => counts.done += 1,
                State::Closed => counts.closed += 1,
            }
            match p.colour {
                Colour::Red => counts.red += 1,
                Colour::Amber => counts.amber += 1,
                Colour::Green => counts.green += 1,
            }
        }
        counts
    }
}

impl<'s> ProblemRow<'s> {
    pub fn new(site: &Site<'s>, problem: &'s Problem<'s>, links: &Links) -> Self {
        let town = site.model.town(problem.town);
        let record = problem.record;
        ProblemRow {
            town: TownLink::new(town),
            group: site
                .group_of
                .get(town.slug.value.as_str())
                .map_or("", |g| g.name.as_str()),
            item: &problem.item.id.value,
            indicator: &problem.item.indicator,
            index: problem.index,
            points: problem.deduction.points.value.to_string(),
            reason: problem
                .deduction
                .reason
                .as_ref()
                .map_or("", |r| r.value.as_str()),
            due: problem.due.map(|d| d.to_string()),
            state: problem.state.as_str(),
            colour: problem.colour.as_str(),
            measures: record.and_then(|r| r.measures.as_deref()),
            done: record
                .and_then(|r| r.done.as_ref())
                .map(|d| d.value.to_string()),
            evidence: record.map_or_else(Vec::new, |r| links.list(&r.evidence)),
            closed_by: record
                .and_then(|r| r.closed.as_ref())
                .map(|c| c.by.value.as_str()),
            closed: record
                .and_then(|r| r.closed.as_ref())
                .map(|c| c.date.value.to_string()),
        }
    }
}

/// A town's problems as its page shows them.
pub fn of_town<'s>(site: &'s Site, score: &TownScore, links: &Links) -> Vec<ProblemRow<'s>> {
    site.problems_of(score)
        .iter()
        .map(|p| ProblemRow::new(site, p, links))
        .collect()
}

/// A town's progress: how many of its problems are done or closed, of how many.
pub fn progress(site: &Site, score: &TownScore) -> Option<(usize, usize)> {
    let mine = site.problems_of(score);
    (!mine.is_empty()).then(|| {
        let done = mine.iter().filter(|p| p.state != State::Open).count();
        (done, mine.len())
    })
}

pub fn view<'s>(site: &'s Site) -> RectificationPage<'s> {
    let links = Links::new(site.evidence, DEPTH).published(site.model.campaign.publish_evidence);
    let all = site.problems.len();
    let summed = all > LISTED;
    let towns = match summed {
        false => Vec::new(),
        true => site
            .ranking
            .towns
            .iter()
            .filter_map(|score| {
                let mine = site.problems_of(score);
                let town = site.town(score);
                (!mine.is_empty()).then(|| TownCounts {
                    town: TownLink::new(town),
                    group: site
                        .group_of
                        .get(town.slug.value.as_str())
                        .map_or("", |g| g.name.as_str()),
                    counts: Counts::of(mine.iter()),
                })
            })
            .collect(),
    };
    RectificationPage {
        common: site.common(DEPTH, "rectification"),
        as_of: site
            .source
            .as_of
            .map(|d| crate::render::gongwen::date(d, site.lang)),
        counts: Counts::of(site.problems.iter()),
        // Beyond the listed, only what needs doing soonest.
        rows: site
            .problems
            .iter()
            .filter(|p| !summed || p.colour != Colour::Green)
            .take(LISTED)
            .map(|p| ProblemRow::new(site, p, &links))
            .collect(),
        summed: summed.then_some(all),
        towns,
    }
}
