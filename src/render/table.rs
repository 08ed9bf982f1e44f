//! The scores of a build as one table that no format shapes: each export (CSV, JSON, and any
//! spreadsheet format) writes it.

use std::borrow::Cow;

use super::Source;
use super::shared::Site;
use crate::compare::{Round, RoundTown};
use crate::model::{AdjustmentKind, Points, Rubric, Sheet, entries_by_item};
use crate::score::{ItemScore, SheetState, TownScore};

pub struct ScoreTable<'a> {
    /// The campaign's id and title.
    pub campaign: &'a str,
    pub title: &'a str,
    pub provisional: bool,
    pub source: &'a Source,
    /// The sections' ids in rubric order: the columns of a town's subtotals.
    pub sections: Vec<&'a str>,
    /// Every town, the ranked ones first in rank order.
    pub towns: Vec<TownScores<'a>>,
    /// The names of the columns of `rows`, in the campaign's language.
    pub columns: Vec<&'static str>,
    /// The words for final, draft and missing sheets, in the campaign's language.
    states: [&'static str; 3],
    /// The rounds before this one, newest first.
    pub rounds: &'a [Round],
    /// What the rubric counts beyond its points: adjustments, vetoes.
    pub has_adjustments: bool,
    pub has_vetoes: bool,
    /// False for a bundle: only its own towns have their items and reasons in the table.
    pub whole: bool,
}

/// One adjustment of a town's total: what it is, the points it adds (+) or takes (−), and why.
pub struct AdjustmentLine<'a> {
    pub id: &'a str,
    pub text: &'a str,
    /// Signed: positive for a bonus.
    pub points: Points,
    pub reasons: Vec<&'a str>,
}

pub struct TownScores<'a> {
    pub rank: Option<u32>,
    pub name: &'a str,
    pub slug: &'a str,
    /// The id of the town's group; empty for a town no group lists.
    pub group: &'a str,
    pub status: SheetState,
    pub total: Points,
    /// What each section earned, in rubric order.
    pub subtotals: Vec<Points>,
    /// The actions of the consequences that apply to the town.
    pub consequences: Vec<&'a str>,
    /// The town's grade (等次), when the campaign has grades and the town is ranked.
    pub grade: Option<&'a str>,
    /// The town's class, when the campaign ranks within classes.
    pub class: Option<&'a str>,
    pub base: Points,
    pub vetoed: bool,
    /// The town in the previous round: `None` without one, `Some(None)` for a town it lacks.
    pub previous: Option<Option<&'a RoundTown>>,
    /// True when the table has the town's items and reasons: every town's, but in a bundle
    /// its own only.
    pub detailed: bool,
    rubric: &'a Rubric,
    score: &'a TownScore,
    sheet: Option<&'a Sheet>,
}

/// One item of one town's sheet.
pub struct ItemScores<'a> {
    pub section: &'a str,
    pub item: &'a str,
    pub indicator: &'a str,
    pub points: Points,
    /// `None` for an item not assessed or not scored.
    pub score: Option<Points>,
    pub deducted: Option<Points>,
    /// Why the item is not assessed; empty when it is.
    pub not_assessed: &'a str,
    /// The reasons of its deductions.
    pub reasons: Vec<&'a str>,
}

/// A cell of a row of the table; each format writes each kind its own way.
pub enum Cell<'a> {
    Empty,
    /// Text from the content: a spreadsheet must never run it as a formula.
    Text(Cow<'a, str>),
    /// ducha's own words.
    Word(&'static str),
    Count(u32),
    /// Points as a sheet writes them: 2, 2.5, 2.25.
    Points(Points),
    /// A published figure: always two places.
    Figure(Points),
}

impl<'a> ScoreTable<'a> {
    pub fn new(site: &Site<'a>) -> Self {
        let campaign = site.model.campaign;
        let text = &site.text;
        ScoreTable {
            campaign: &campaign.id.value,
            title: &campaign.title,
            provisional: site.ranking.provisional,
            source: site.source,
            sections: site
                .model
                .rubric
                .sections
                .iter()
                .map(|s| s.id.value.as_str())
                .collect(),
            towns: site
                .ranking
                .towns
                .iter()
                .map(|score| TownScores::new(site, site.model.rubric, score))
                .collect(),
            columns: text["scores_csv_header"].split(',').collect(),
            states: [text["csv_final"], text["csv_draft"], text["csv_missing"]],
            rounds: site.rounds,
            has_adjustments: !site.model.rubric.adjustments.is_empty(),
            has_vetoes: !site.model.rubric.vetoes.is_empty(),
            whole: site.bundle().is_none(),
        }
    }

    /// One row per town and item, in the columns of `columns`.
    pub fn rows(&self) -> impl Iterator<Item = [Cell<'_>; 14]> {
        self.towns.iter().filter(|t| t.detailed).flat_map(move |t| {
            t.items().map(move |i| {
                let state = match t.status {
                    SheetState::Final => self.states[0],
                    SheetState::Draft => self.states[1],
                    SheetState::Missing => self.states[2],
                };
                let or_empty = |p: Option<Points>| p.map_or(Cell::Empty, Cell::Points);
                [
                    t.rank.map_or(Cell::Empty, Cell::Count),
                    Cell::Text(t.name.into()),
                    Cell::Text(t.slug.into()),
                    Cell::Text(t.group.into()),
                    Cell::Word(state),
                    match t.status {
                        SheetState::Missing => Cell::Empty,
                        _ => Cell::Figure(t.total),
                    },
                    Cell::Text(i.section.into()),
                    Cell::Text(i.item.into()),
                    Cell::Text(i.indicator.into()),
                    Cell::Points(i.points),
                    or_empty(i.score),
                    or_empty(i.deducted),
                    Cell::Text(i.not_assessed.into()),
                    Cell::Text(match i.reasons.as_slice() {
                        [one] => Cow::Borrowed(*one),
                        many => Cow::Owned(many.join("；")),
                    }),
                ]
            })
        })
    }
}

impl<'a> TownScores<'a> {
    fn new(site: &Site<'a>, rubric: &'a Rubric, score: &'a TownScore) -> Self {
        let town = site.town(score);
        TownScores {
            rank: score.rank,
            name: &town.name.value,
            slug: &town.slug.value,
            group: site
                .group_of
                .get(town.slug.value.as_str())
                .map_or("", |g| &g.id.value),
            status: score.status,
            total: score.total,
            subtotals: score.sections.iter().map(|s| s.earned).collect(),
            consequences: site.actions(score),
            grade: score.grade.map(|g| site.model.grade(g)),
            class: site.class(score),
            base: score.base,
            vetoed: score.vetoed,
            previous: (!site.rounds.is_empty()).then(|| site.previous(&town.slug.value)),
            detailed: site.shows(&town.slug.value),
            rubric,
            score,
            sheet: site.sheet(score),
        }
    }

    /// Each adjustment the town's sheet records, in the rubric's order, capped as it counts.
    pub fn adjustments(&self) -> Vec<AdjustmentLine<'a>> {
        let Some(sheet) = self.sheet else {
            return Vec::new();
        };
        self.rubric
            .adjustments
            .iter()
            .filter_map(|rule| {
                let occurrences = sheet.adjusted(&rule.id.value)?;
                let points = rule.points(occurrences.len());
                Some(AdjustmentLine {
                    id: &rule.id.value,
                    text: &rule.text,
                    points: match rule.kind {
                        AdjustmentKind::Bonus => points,
                        AdjustmentKind::Penalty => Points(-points.0),
                    },
                    reasons: occurrences
                        .iter()
                        .filter_map(|o| o.reason.as_ref())
                        .map(|r| r.value.trim())
                        .collect(),
                })
            })
            .collect()
    }

    /// The town's items in rubric order, made as they are read.
    pub fn items(&self) -> impl Iterator<Item = ItemScores<'a>> + use<'a> {
        let entries = entries_by_item(self.sheet);
        let score = self.score;
        self.rubric
            .sections
            .iter()
            .flat_map(|s| {
                s.parts
                    .iter()
                    .flat_map(move |p| &p.items)
                    .map(move |i| (s, i))
            })
            .map(move |(section, item)| {
                let entry = entries.get(item.id.value.as_str());
                let (score, deducted, not_assessed) = match score.item(item.key) {
                    Some(&ItemScore::Scored(p)) => (Some(p), Some(item.points.value - p), ""),
                    Some(ItemScore::NotAssessed) => (
                        None,
                        None,
                        entry
                            .and_then(|e| e.not_assessed.as_ref())
                            .map_or("", |r| r.value.as_str()),
                    ),
                    None => (None, None, ""),
                };
                ItemScores {
                    section: &section.id.value,
                    item: &item.id.value,
                    indicator: &item.indicator,
                    points: item.points.value,
                    score,
                    deducted,
                    not_assessed,
                    reasons: entry
                        .iter()
                        .flat_map(|e| e.deductions())
                        .filter_map(|d| d.reason.as_ref())
                        .map(|r| r.value.trim())
                        .collect(),
                }
            })
    }
}
