//! A town's page (`towns/<slug>/`): its sheet laid out as the paper form, with its result,
//! sign-off and history.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Fingerprint;
use super::group::GroupLink;
use super::history::ChangeView;
use super::objections::RequestView;
use super::rubric::{CriterionView, category_rows};
use crate::model::{
    AdjustmentKind, Entry, Item, NotAssessedRule, Occurrence, Points, Rubric, Sheet, Town,
    entries_by_item,
};
use crate::render::charts;
use crate::render::evidence::{Link, Links};
use crate::render::gongwen;
use crate::render::layout::{Common, TownLink};
use crate::render::rows::{NO_FIGURE, RankRow};
use crate::render::shared::Site;
use crate::score::{ItemScore, SheetState, TownScore, item_score};
use crate::source::Evidence;

const DEPTH: usize = 2;

#[derive(Serialize)]
pub struct TownPage<'s> {
    common: Common<'s>,
    town: TownLink<'s>,
    group: Option<GroupLink<'s>>,
    row: RankRow<'s>,
    status: &'static str,
    earned: String,
    assessed: String,
    rubric_total: String,
    /// The rubric's score, before adjustments.
    base: String,
    rescale: Option<String>,
    sections: Vec<SectionRows<'s>>,
    summary: Option<String>,
    visited: Vec<String>,
    signoff: Option<SignoffView<'s>>,
    leader: Option<&'s str>,
    /// False outside a git repository: there is no history to show.
    repository: bool,
    /// True when the campaign turns the audit off: its history is not shown.
    audit_off: bool,
    /// Newest first.
    history: Vec<&'s ChangeView<'s>>,
    /// The vetoes and adjustments outside the rubric's points, each occurrence with its reason
    /// and evidence.
    outside: Vec<OutsideView<'s>>,
    /// The town in every round, oldest first and this one last, when there are earlier rounds:
    /// a table, and the same figures as a chart.
    rounds: Vec<RoundRow<'s>>,
    trend: Option<String>,
    /// The town's problems to put right (整改), when it has any.
    problems: Vec<super::rectification::ProblemRow<'s>>,
}

#[derive(Serialize)]
struct RoundRow<'a> {
    title: &'a str,
    /// A short name for the chart: the round's tag, or "this round".
    #[serde(skip)]
    label: &'a str,
    rank: Option<u32>,
    total: Option<String>,
    grade: Option<&'a str>,
    #[serde(skip)]
    points: Option<Points>,
}

#[derive(Serialize)]
struct OutsideView<'a> {
    text: &'a str,
    /// `+1`, `−2`; empty for a veto.
    points: String,
    veto: bool,
    occurrences: Vec<DeductionView<'a>>,
}

#[derive(Serialize)]
struct SignoffView<'a> {
    leader: &'a str,
    members: Vec<&'a str>,
    date: Option<String>,
}

/// A section of a town's scoring table, as the paper form has it.
#[derive(Serialize)]
struct SectionRows<'a> {
    title: &'a str,
    earned: String,
    assessed: String,
    parts: Vec<PartRows<'a>>,
}

#[derive(Serialize)]
struct PartRows<'a> {
    title: Option<&'a str>,
    items: Vec<ItemRow<'a>>,
}

#[derive(Serialize)]
struct ItemRow<'a> {
    id: &'a str,
    category: &'a str,
    /// Rows the category cell spans; 0 when an earlier row's cell covers this one.
    category_rows: usize,
    indicator: &'a str,
    requirement: &'a str,
    points: String,
    score: Option<String>,
    /// The item's score in the last round, when that round ranked the town and had the item.
    before: Option<String>,
    /// The town's objections to the item.
    requests: Vec<RequestView<'a>>,
    not_assessed: Option<&'a str>,
    lost: Option<String>,
    criteria: Vec<CriterionView<'a>>,
    deductions: Vec<DeductionView<'a>>,
    note: Option<String>,
}

#[derive(Serialize)]
struct DeductionView<'a> {
    points: String,
    reason: &'a str,
    evidence: Vec<Link<'a>>,
}

/// Each item's requirement as HTML as town pages show it, in rubric order: the same on every
/// town page, so made once.
pub fn requirements(
    rubric: &Rubric,
    evidence: &BTreeMap<String, Evidence>,
    publish: bool,
) -> Vec<String> {
    let links = Links::new(evidence, DEPTH).published(publish);
    rubric
        .items()
        .map(|i| links.markdown(&i.requirement))
        .collect()
}

/// A fingerprint of everything a town's page is made from: the town, its sheet and score, its
/// line of the ranking, group, objections, problems and changes, and what every town page
/// shares (the frame's common parts, the rubric and its requirements, the campaign, the
/// evidence, the earlier rounds, the source). Pages with equal keys are equal.
pub fn key(site: &Site, score: &TownScore) -> u64 {
    let shared = *site.town_pages.get_or_init(|| {
        let mut all = Fingerprint::new();
        all.json(&site.common(DEPTH, "towns"));
        all.json(&site.requirements);
        all.debug(site.model.rubric);
        all.debug(site.model.campaign);
        all.debug(site.evidence);
        // A round is what its commit holds; its indexes are not hashed (their order is not
        // fixed).
        for round in site.rounds {
            all.debug(&(&round.reference, &round.commit, &round.id, &round.title));
            all.debug(&round.towns);
        }
        all.debug(site.source);
        all.debug(&site.ranking.classes);
        all.debug(&(site.lang, site.history.repository, site.audit_off()));
        all.finish()
    });
    let town = site.town(score);
    let slug = town.slug.value.as_str();
    let mut mine = Fingerprint::new();
    mine.debug(&shared);
    mine.hash(town);
    mine.hash(score);
    mine.debug(&site.sheet(score).map(|s| (s.file, &s.stem, s.text)));
    let group = site.group_of.get(slug);
    mine.json(&group.map(|g| (GroupLink::new(g), &g.leader.name.value)));
    mine.hash(&site.rank_row(score));
    mine.debug(&site.objections_of.get(slug));
    mine.debug(site.problems_of(score));
    mine.json(&site.trail.of_town(slug));
    mine.finish()
}

pub fn view<'s>(site: &'s Site, score: &'s TownScore) -> TownPage<'s> {
    let town = site.town(score);
    let sheet = site.sheet(score);
    let group = site.group_of.get(town.slug.value.as_str()).copied();
    let links = Links::new(site.evidence, DEPTH).published(site.model.campaign.publish_evidence);
    let sections = table(site, site.model.rubric, score, sheet, &links);
    let rubric_total = site.model.rubric.total.value;
    let rescale = (score.status == SheetState::Final
        && score.assessed != rubric_total
        && site.model.campaign.not_assessed == NotAssessedRule::Rescale)
        .then(|| {
            format!(
                "{} ÷ {} × {} = {}",
                score.earned,
                score.assessed,
                rubric_total,
                score.base.fixed(2)
            )
        });
    let rounds = rounds(site, town, score);
    TownPage {
        common: site.common(DEPTH, "towns"),
        town: TownLink::new(town),
        group: group.map(GroupLink::new),
        row: site.rank_row(score),
        status: score.status.as_str(),
        earned: score.earned.to_string(),
        assessed: score.assessed.to_string(),
        rubric_total: rubric_total.to_string(),
        base: score.base.fixed(2),
        rescale,
        sections,
        summary: sheet
            .and_then(|s| s.summary.as_deref())
            .map(|m| links.markdown(m)),
        visited: sheet
            .map(|s| {
                s.visited
                    .iter()
                    .map(|d| gongwen::date(d.value, site.lang))
                    .collect()
            })
            .unwrap_or_default(),
        signoff: sheet.and_then(|s| s.signoff.as_ref()).map(|s| SignoffView {
            leader: &s.leader.value,
            members: s.members.iter().map(|m| m.value.as_str()).collect(),
            date: s.date.as_ref().map(|d| gongwen::date(d.value, site.lang)),
        }),
        leader: group.map(|g| g.leader.name.value.as_str()),
        repository: site.history.repository,
        audit_off: site.audit_off(),
        history: site.trail.of_town(&town.slug.value),
        outside: sheet.map(|s| outside(site, s, &links)).unwrap_or_default(),
        trend: (!rounds.is_empty()).then(|| {
            let points: Vec<charts::TrendPoint> = rounds
                .iter()
                .map(|r| charts::TrendPoint {
                    label: r.label,
                    total: r.points,
                    rank: r
                        .rank
                        .map(|n| site.text["rank_n"].replace("{n}", &n.to_string())),
                })
                .collect();
            let desc = points
                .iter()
                .map(|p| {
                    let total = p.total.map_or(NO_FIGURE.to_string(), |t| t.fixed(2));
                    match &p.rank {
                        Some(rank) => site.text["chart_point_rank"].replace("{rank}", rank),
                        None => site.text["chart_point"].to_string(),
                    }
                    .replace("{label}", p.label)
                    .replace("{total}", &total)
                })
                .collect::<Vec<_>>()
                .join(site.text["list_sep"]);
            let title = site.text["chart_trend"].replace("{town}", &town.name.value);
            let alt = charts::Alt {
                id: "trend",
                title: &title,
                desc: &desc,
            };
            charts::trend(&points, site.model.rubric.total.value, &alt)
        }),
        rounds,
        problems: super::rectification::of_town(site, score, &links),
    }
}

/// The town in each round, oldest first, this round last; none without earlier rounds.
fn rounds<'s>(site: &'s Site, town: &'s Town, score: &TownScore) -> Vec<RoundRow<'s>> {
    if site.rounds.is_empty() {
        return Vec::new();
    }
    let earlier = site.rounds.iter().rev().map(|round| {
        let t = round.town(&town.slug.value);
        RoundRow {
            title: &round.title,
            label: &round.reference,
            rank: t.and_then(|t| t.rank),
            total: t.and_then(|t| t.total).map(|p| p.fixed(2)),
            grade: t.and_then(|t| t.grade.as_deref()),
            points: t.and_then(|t| t.total),
        }
    });
    let this = RoundRow {
        title: &site.model.campaign.title,
        label: site.text["this_round"],
        rank: score.rank,
        total: score.rank.map(|_| score.total.fixed(2)),
        grade: score.grade.map(|g| site.model.grade(g)),
        points: score.rank.map(|_| score.total),
    };
    earlier.chain(std::iter::once(this)).collect()
}

/// The sheet's vetoes, then its adjustments, in the rubric's order.
fn outside<'s>(site: &'s Site, sheet: &'s Sheet, links: &Links) -> Vec<OutsideView<'s>> {
    let rubric = site.model.rubric;
    let occurrence = |o: &'s Occurrence| DeductionView {
        points: String::new(),
        reason: o.reason.as_ref().map_or("", |r| &r.value),
        evidence: links.list(&o.evidence),
    };
    let vetoes = rubric.vetoes.iter().filter_map(|rule| {
        let o = sheet.vetoed(&rule.id.value)?;
        Some(OutsideView {
            text: &rule.text,
            points: String::new(),
            veto: true,
            occurrences: vec![occurrence(o)],
        })
    });
    let adjustments = rubric.adjustments.iter().filter_map(|rule| {
        let list = sheet.adjusted(&rule.id.value)?;
        let points = rule.points(list.len());
        Some(OutsideView {
            text: &rule.text,
            points: match rule.kind {
                AdjustmentKind::Bonus => format!("+{points}"),
                AdjustmentKind::Penalty => format!("−{points}"),
            },
            veto: false,
            occurrences: list.iter().map(occurrence).collect(),
        })
    });
    vetoes.chain(adjustments).collect()
}

/// The scoring table with the town's scores, section by section.
fn table<'s>(
    site: &'s Site,
    rubric: &'s Rubric,
    score: &'s TownScore,
    sheet: Option<&'s Sheet>,
    links: &Links,
) -> Vec<SectionRows<'s>> {
    let entries = entries_by_item(sheet);
    let slug = &site.town(score).slug.value;
    let last = site.rounds.first();
    let was = last.and_then(|r| r.town(slug));
    let before = |item: &Item| last.zip(was).and_then(|(r, t)| r.item(t, &item.id.value));
    let objections = super::objections::of_town(site, slug);

    let mut sections = Vec::new();
    for (s, section) in rubric.sections.iter().enumerate() {
        let sub = score.sections.get(s);
        let mut parts = Vec::new();
        for part in &section.parts {
            let mut items: Vec<ItemRow> = part
                .items
                .iter()
                .map(|item| {
                    let entry = entries.get(item.id.value.as_str()).copied();
                    let requirement = site
                        .requirements
                        .get(item.key.index())
                        .map_or("", String::as_str);
                    let mut row = item_row(item, entry, score.item(item.key), requirement, links);
                    row.before = before(item).map(|s| match s {
                        ItemScore::Scored(p) => p.to_string(),
                        ItemScore::NotAssessed => site.text["not_assessed"].to_string(),
                    });
                    row.requests = objections
                        .iter()
                        .flat_map(|o| &o.requests)
                        .filter(|r| r.item.value == item.id.value)
                        .map(|r| RequestView::new(r, links))
                        .collect();
                    row
                })
                .collect();
            let categories: Vec<Option<&str>> = items.iter().map(|i| Some(i.category)).collect();
            for (item, span) in items.iter_mut().zip(category_rows(&categories)) {
                item.category_rows = span;
            }
            parts.push(PartRows {
                title: part.title.as_deref(),
                items,
            });
        }
        sections.push(SectionRows {
            title: &section.title,
            earned: match score.status {
                SheetState::Final => sub.map(|x| x.earned.to_string()).unwrap_or_default(),
                SheetState::Draft => NO_FIGURE.to_string(),
                // A town without a sheet prints as the blank form.
                SheetState::Missing => String::new(),
            },
            assessed: sub.map(|x| x.assessed.to_string()).unwrap_or_default(),
            parts,
        });
    }
    sections
}

fn item_row<'a>(
    item: &'a Item,
    entry: Option<&'a Entry>,
    score: Option<&ItemScore>,
    requirement: &'a str,
    links: &Links,
) -> ItemRow<'a> {
    // An item a draft has not scored yet has an empty cell, as on the paper form, not a 0.
    let score = score.filter(|_| entry.is_some_and(|e| item_score(item.points.value, e).is_some()));
    let (score_text, not_assessed, lost) = match score {
        Some(ItemScore::Scored(p)) => (
            Some(p.to_string()),
            None,
            (*p < item.points.value).then(|| (item.points.value - *p).to_string()),
        ),
        Some(ItemScore::NotAssessed) => (
            None,
            entry
                .and_then(|e| e.not_assessed.as_ref())
                .map(|r| r.value.as_str()),
            None,
        ),
        None => (None, None, None),
    };
    let given = entry
        .and_then(|e| e.criteria.as_deref())
        .unwrap_or_default();
    ItemRow {
        id: &item.id.value,
        category: &item.category,
        category_rows: 1,
        indicator: &item.indicator,
        requirement,
        points: item.points.value.to_string(),
        score: score_text,
        before: None,
        requests: Vec::new(),
        not_assessed,
        lost,
        criteria: item
            .criteria
            .iter()
            .map(|c| {
                // The last score a sheet gives the criterion counts.
                let score = given.iter().rev().find(|(id, _)| id.value == c.id.value);
                CriterionView::new(c, score.map(|(_, p)| p.value))
            })
            .collect(),
        deductions: entry
            .iter()
            .flat_map(|e| e.deductions())
            .map(|d| DeductionView {
                points: d.points.value.to_string(),
                reason: d.reason.as_ref().map_or("", |r| &r.value),
                evidence: links.list(&d.evidence),
            })
            .collect(),
        note: entry
            .and_then(|e| e.note.as_deref())
            .map(|n| links.markdown(n)),
    }
}
