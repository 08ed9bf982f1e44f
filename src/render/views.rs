//! What the templates see: view structs built from the model and the ranking.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::{charts, gongwen, i18n};
use crate::audit;
use crate::history::{ChangeKind, History};
use crate::markdown;
use crate::model::{
    Content, Criterion, Entry, Group, Item, Lang, NotAssessedRule, Person, Points, Rubric, Sheet,
    Town, entries_by_item,
};
use crate::score::{ItemScore, Ranking, SheetState, TownScore, item_score};
use crate::source::Evidence;

/// Where a linked file is published in the site, relative to the site's root, from its path
/// relative to the repository root as the file system resolved it: files under `content/`
/// under `files/`, any other file of the repository under `root-files/`.
pub fn site_path(resolved: &str) -> String {
    match resolved.strip_prefix("content/") {
        Some(rest) => format!("files/{rest}"),
        None => format!("root-files/{resolved}"),
    }
}

/// Every file the site publishes: its path in the site, and its path in the repository.
pub fn published_files(evidence: &BTreeMap<String, Evidence>) -> Vec<(String, String)> {
    let resolved: BTreeSet<&str> = evidence
        .values()
        .filter_map(|e| match e {
            Evidence::Present { resolved } => Some(resolved.as_str()),
            _ => None,
        })
        .collect();
    resolved
        .into_iter()
        .map(|r| (site_path(r), r.to_string()))
        .collect()
}

#[derive(Serialize)]
pub struct Common {
    lang: &'static str,
    root: String,
    nav: &'static str,
    campaign: CampaignView,
    provisional: bool,
    missing: Vec<TownLink>,
    /// Towns without a final sheet beyond those named.
    more_missing: usize,
    source: SourceView,
}

/// How many towns without a final sheet every page's banner names; the rest are counted.
const MISSING_NAMED: usize = 30;

#[derive(Serialize, Clone)]
struct CampaignView {
    id: String,
    title: String,
    issuer: String,
    issued: Option<String>,
    inspection: Option<(String, String)>,
    sample: bool,
}

#[derive(Serialize, Clone)]
struct SourceView {
    commit: Option<String>,
    short: Option<String>,
    dirty: bool,
}

#[derive(Serialize, Clone)]
struct TownLink {
    name: String,
    slug: String,
}

#[derive(Serialize)]
struct SectionHead {
    id: String,
    title: String,
    points: String,
}

#[derive(Serialize, Clone)]
struct RankRow {
    rank: Option<u32>,
    name: String,
    slug: String,
    group_id: String,
    group_name: String,
    status: &'static str,
    sections: Vec<Subtotal>,
    total: String,
    rescaled: bool,
    consequences: Vec<String>,
    flagged: bool,
}

#[derive(Serialize, Clone)]
struct Subtotal {
    earned: String,
    assessed: String,
    full: bool,
    #[serde(skip)]
    points: Points,
}

#[derive(Serialize)]
pub struct RankingPage {
    common: Common,
    sections: Vec<SectionHead>,
    rows: Vec<RankRow>,
    unranked: Vec<RankRow>,
    chart: String,
    /// True when there are too many towns for a bar each, and the chart counts towns per total.
    histogram: bool,
    consequences: Vec<String>,
}

/// Up to this many ranked towns, the ranking's chart has a bar per town.
const BARS: usize = 200;
/// The rubric page's chart of lost points shows at most this many towns: the lowest ranked.
const HEAT_ROWS: usize = 100;

#[derive(Serialize)]
pub struct TownPage {
    common: Common,
    town: TownLink,
    group: Option<GroupLink>,
    row: RankRow,
    status: &'static str,
    earned: String,
    assessed: String,
    rubric_total: String,
    rescale: Option<String>,
    sections: Vec<SectionRows>,
    summary: Option<String>,
    visited: Vec<String>,
    signoff: Option<SignoffView>,
    leader: Option<String>,
    /// False outside a git repository: there is no history to show.
    repository: bool,
    /// True when the campaign turns the audit off: its history is not shown.
    audit_off: bool,
    /// Newest first.
    history: Vec<ChangeView>,
}

#[derive(Serialize)]
struct CommitView {
    id: String,
    short: String,
    author: String,
    date: String,
    summary: String,
    message: String,
    files: Vec<String>,
}

#[derive(Serialize)]
struct ChangeView {
    /// `None` for uncommitted changes.
    commit: Option<CommitView>,
    town: String,
    slug: String,
    kind: &'static str,
    from: Option<String>,
    items: Vec<String>,
    /// The audit rules that flag the change.
    flags: Vec<FlagView>,
}

#[derive(Serialize, Clone)]
struct FlagView {
    code: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
pub struct HistoryPage {
    common: Common,
    repository: bool,
    audit_off: bool,
    uncommitted: Vec<ChangeView>,
    commits: Vec<CommitEntry>,
}

#[derive(Serialize)]
struct CommitEntry {
    commit: CommitView,
    sheets: Vec<ChangeView>,
}

#[derive(Serialize, Clone)]
struct GroupLink {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct SignoffView {
    leader: String,
    members: Vec<String>,
    date: Option<String>,
}

/// A section of a town's scoring table, as the paper form has it.
#[derive(Serialize)]
struct SectionRows {
    title: String,
    earned: String,
    assessed: String,
    parts: Vec<PartRows>,
}

#[derive(Serialize)]
struct PartRows {
    title: Option<String>,
    items: Vec<ItemRow>,
}

#[derive(Serialize)]
struct ItemRow {
    id: String,
    category: String,
    /// Rows the category cell spans; 0 when an earlier row's cell covers this one.
    category_rows: usize,
    indicator: String,
    requirement: String,
    points: String,
    score: Option<String>,
    not_assessed: Option<String>,
    lost: Option<String>,
    criteria: Vec<CriterionView>,
    deductions: Vec<DeductionView>,
    note: Option<String>,
}

#[derive(Serialize)]
struct CriterionView {
    id: String,
    text: String,
    points: String,
    score: Option<String>,
}

impl CriterionView {
    fn of(c: &Criterion, score: Option<String>) -> CriterionView {
        CriterionView {
            id: c.id.value.clone(),
            text: c.text.clone(),
            points: c.points.value.to_string(),
            score,
        }
    }
}

#[derive(Serialize)]
struct DeductionView {
    points: String,
    reason: String,
    evidence: Vec<Link>,
}

#[derive(Serialize)]
struct Link {
    href: String,
    name: String,
}

#[derive(Serialize)]
pub struct GroupPage {
    common: Common,
    group: GroupLink,
    liaison: Option<PersonView>,
    leader: PersonView,
    deputies: Vec<PersonView>,
    members: Vec<PersonView>,
    contact: Option<PersonView>,
    rows: Vec<RankRow>,
}

#[derive(Serialize)]
struct PersonView {
    name: String,
    title: Option<String>,
    phone: Option<String>,
}

#[derive(Serialize)]
pub struct RubricPage {
    common: Common,
    total: String,
    rows: Vec<RubricRow>,
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
enum RubricRow {
    Section { title: String, points: String },
    Part { title: String },
    Item(Box<RubricItem>),
}

#[derive(Serialize)]
struct RubricItem {
    id: String,
    category: String,
    /// Rows the category cell spans; 0 when an earlier row's cell covers this one.
    category_rows: usize,
    indicator: String,
    requirement: String,
    points: String,
    criteria: Vec<CriterionView>,
    average: Option<String>,
    lowest: Option<String>,
    #[serde(skip)]
    lowest_points: Option<Points>,
    scored: usize,
    /// Which towns the item applies to, in words.
    condition: Option<String>,
}

/// The circular (通报) and the supervision notices (专项督办通知), each laid out as an official
/// document: 发文字号, title, 主送, a body numbered 一、（一）1., 落款 and 成文日期.
#[derive(Serialize)]
pub struct NoticesPage {
    common: Common,
    /// 成文日期, written out.
    date: Option<String>,
    circular: Circular,
    rows: Vec<RankRow>,
    bands: Vec<Band>,
    notices: Vec<SupervisionNotice>,
}

#[derive(Serialize)]
struct Circular {
    number: String,
    title: String,
    /// 一、督查基本情况: who inspected how many towns, when.
    basics: String,
}

#[derive(Serialize)]
struct Band {
    /// （一）, （二）, … under 三、结果运用.
    label: String,
    bottom: u32,
    towns: Vec<String>,
    actions: Vec<String>,
}

#[derive(Serialize)]
struct SupervisionNotice {
    number: String,
    title: String,
    town: TownLink,
    intro: String,
    problems: Vec<Problem>,
    /// 二、整改要求, when the consequence sets a deadline.
    deadline: Option<String>,
}

#[derive(Serialize)]
struct Problem {
    /// （一）, （二）, …
    label: String,
    /// The item and what it lost: 实际减贫人口的真实情况（第1项，失2分）.
    heading: String,
    reasons: Vec<String>,
}

pub struct Site<'a> {
    content: &'a Content,
    /// What each linked path resolved to.
    evidence: &'a BTreeMap<String, Evidence>,
    history: &'a History,
    /// Each town's sheet changes (indices into `History::changes`), oldest first.
    changes: HashMap<&'a str, Vec<usize>>,
    /// The audit rules that flag each change, by its index.
    flagged: HashMap<usize, Vec<FlagView>>,
    ranking: &'a Ranking,
    rubric: Option<&'a Rubric>,
    towns: &'a [Town],
    lang: Lang,
    campaign: CampaignView,
    source: SourceView,
    group_of: HashMap<&'a str, &'a Group>,
    rows: Vec<RankRow>,
    /// Index into `rows` by town slug.
    row_of: HashMap<String, usize>,
    /// Towns without a final sheet, as every page's banner names them.
    missing: Vec<TownLink>,
    /// Each item's requirement as HTML for town pages, in rubric order: the same on every page.
    requirements: Vec<String>,
}

fn fmt2(p: Points) -> String {
    fixed(p, 2)
}

/// `p` with exactly `places` decimals (0, 1 or 2).
fn fixed(p: Points, places: usize) -> String {
    let abs = p.0.unsigned_abs();
    let sign = if p.0 < 0 { "-" } else { "" };
    match places {
        0 => format!("{sign}{}", abs / 100),
        1 => format!("{sign}{}.{}", abs / 100, abs % 100 / 10),
        _ => format!("{sign}{}.{:02}", abs / 100, abs % 100),
    }
}

/// The decimals `p` needs: 0, 1 or 2.
fn places(p: Points) -> usize {
    match p.0 % 100 {
        0 => 0,
        f if f % 10 == 0 => 1,
        _ => 2,
    }
}

/// What a figure shows for a town without a final sheet: it has no score yet.
const NO_FIGURE: &str = "—";

impl<'a> Site<'a> {
    pub fn new(inputs: &super::Inputs<'a>) -> Self {
        let super::Inputs {
            content,
            evidence,
            ranking,
            history,
            flags,
            source,
        } = *inputs;
        let campaign = match &content.campaign {
            Some(c) => CampaignView {
                id: c.id.value.clone(),
                title: c.title.clone(),
                issuer: c.issuer.clone(),
                issued: c.issued.as_ref().map(|d| d.value.to_string()),
                inspection: c
                    .inspection
                    .as_ref()
                    .map(|(s, e)| (s.value.to_string(), e.value.to_string())),
                sample: c.sample,
            },
            None => CampaignView {
                id: String::new(),
                title: String::new(),
                issuer: String::new(),
                issued: None,
                inspection: None,
                sample: false,
            },
        };
        let towns = content.towns.as_deref().unwrap_or_default();
        let mut group_of = HashMap::new();
        for group in content.groups.iter().flatten() {
            for slug in &group.towns {
                group_of.entry(slug.value.as_str()).or_insert(group);
            }
        }
        let mut changes: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, change) in history.changes.iter().enumerate() {
            changes.entry(change.town.as_str()).or_default().push(i);
        }
        let mut flagged: HashMap<usize, Vec<FlagView>> = HashMap::new();
        for flag in flags {
            flagged.entry(flag.change).or_default().push(FlagView {
                code: flag.rule.code,
                title: match content.lang() {
                    Lang::Zh => flag.rule.title_zh,
                    Lang::En => flag.rule.title_en,
                },
            });
        }
        let link = |written: &str| published(evidence, written, "../../");
        let mut site = Site {
            content,
            evidence,
            history,
            changes,
            flagged,
            ranking,
            rubric: content.rubric.as_ref(),
            towns,
            lang: content.lang(),
            campaign,
            source: SourceView {
                commit: source.commit.clone(),
                short: source.commit.as_ref().map(|c| c.chars().take(10).collect()),
                dirty: source.dirty,
            },
            group_of,
            rows: Vec::new(),
            row_of: HashMap::new(),
            missing: Vec::new(),
            requirements: content
                .rubric
                .iter()
                .flat_map(|r| r.items())
                .map(|i| markdown::render(&i.requirement, &link).html)
                .collect(),
        };
        site.rows = ranking.towns.iter().map(|t| site.rank_row(t)).collect();
        align_subtotals(&mut site.rows);
        site.row_of = site
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.slug.clone(), i))
            .collect();
        site.missing = ranking
            .unranked()
            .map(|t| site.town_link(&site.towns[t.town]))
            .collect();
        site
    }

    fn common(&self, depth: usize, nav: &'static str) -> Common {
        Common {
            lang: match self.lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
            root: "../".repeat(depth),
            nav,
            campaign: self.campaign.clone(),
            provisional: self.ranking.provisional,
            missing: self.missing.iter().take(MISSING_NAMED).cloned().collect(),
            more_missing: self.missing.len().saturating_sub(MISSING_NAMED),
            source: self.source.clone(),
        }
    }

    fn town_link(&self, town: &Town) -> TownLink {
        TownLink {
            name: town.name.value.clone(),
            slug: town.slug.value.clone(),
        }
    }

    fn consequence_actions(&self, indices: &[usize]) -> Vec<String> {
        let Some(campaign) = &self.content.campaign else {
            return Vec::new();
        };
        indices
            .iter()
            .filter_map(|i| campaign.consequences.get(*i))
            .flat_map(|c| c.actions.iter().cloned())
            .collect()
    }

    fn rank_row(&self, score: &TownScore) -> RankRow {
        let town = &self.towns[score.town];
        let group = self.group_of.get(town.slug.value.as_str());
        let sections = self
            .rubric
            .map(|r| {
                r.sections
                    .iter()
                    .zip(&score.sections)
                    .map(|(s, sub)| {
                        let full: Points = s
                            .parts
                            .iter()
                            .flat_map(|p| &p.items)
                            .map(|i| i.points.value)
                            .sum();
                        Subtotal {
                            earned: if score.status == SheetState::Final {
                                sub.earned.to_string()
                            } else {
                                NO_FIGURE.to_string()
                            },
                            assessed: sub.assessed.to_string(),
                            full: sub.assessed == full || score.status != SheetState::Final,
                            points: sub.earned,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        RankRow {
            rank: score.rank,
            name: town.name.value.clone(),
            slug: town.slug.value.clone(),
            group_id: group.map(|g| g.id.value.clone()).unwrap_or_default(),
            group_name: group.map(|g| g.name.clone()).unwrap_or_default(),
            status: status_key(score.status),
            sections,
            total: if score.status == SheetState::Final {
                fmt2(score.total)
            } else {
                NO_FIGURE.to_string()
            },
            rescaled: score.total != score.earned && score.status == SheetState::Final,
            consequences: self.consequence_actions(&score.consequences),
            flagged: !score.consequences.is_empty(),
        }
    }

    pub fn ranking_page(&self) -> RankingPage {
        let sections = self
            .rubric
            .map(|r| {
                r.sections
                    .iter()
                    .map(|s| SectionHead {
                        id: s.id.value.clone(),
                        title: s.title.clone(),
                        points: s
                            .parts
                            .iter()
                            .flat_map(|p| &p.items)
                            .map(|i| i.points.value)
                            .sum::<Points>()
                            .to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (rows, unranked): (Vec<RankRow>, Vec<RankRow>) =
            self.rows.iter().cloned().partition(|r| r.rank.is_some());
        let max = self.rubric.map_or(Points(10000), |r| r.total.value);
        let ranked = self.ranking.ranked().count();
        let chart = if ranked <= BARS {
            let bars: Vec<charts::Bar> = self
                .ranking
                .ranked()
                .map(|t| charts::Bar {
                    label: self.towns[t.town].name.value.clone(),
                    href: format!("towns/{}/index.html", self.towns[t.town].slug.value),
                    value: t.total,
                    flagged: !t.consequences.is_empty(),
                })
                .collect();
            charts::bars(&bars, max)
        } else {
            let totals: Vec<Points> = self.ranking.ranked().map(|t| t.total).collect();
            let flagged_below = self
                .ranking
                .ranked()
                .filter(|t| !t.consequences.is_empty())
                .map(|t| t.total)
                .max();
            charts::histogram(&totals, max, flagged_below)
        };
        let consequences = self
            .content
            .campaign
            .iter()
            .flat_map(|c| &c.consequences)
            .map(|c| {
                i18n::strings(self.lang)["bottom_actions"]
                    .replace("{n}", &c.bottom.value.to_string())
                    .replace("{actions}", &c.actions.join("、"))
            })
            .collect();
        RankingPage {
            common: self.common(0, "ranking"),
            sections,
            rows,
            unranked,
            chart,
            histogram: ranked > BARS,
            consequences,
        }
    }

    /// The page of the `i`-th town in rank order, with its slug.
    pub fn town_page_at(&self, i: usize) -> (String, TownPage) {
        let score = &self.ranking.towns[i];
        let town = &self.towns[score.town];
        (town.slug.value.clone(), self.town_page(score))
    }

    fn town_page(&self, score: &TownScore) -> TownPage {
        let town = &self.towns[score.town];
        let sheet = score.sheet.map(|i| &self.content.sheets[i]);
        let group = self.group_of.get(town.slug.value.as_str());
        let base = |p: &str| published(self.evidence, p, "../../");
        let sections = self
            .rubric
            .map(|r| table_rows(r, score, sheet, &self.requirements, &base))
            .unwrap_or_default();
        let rubric_total = self.rubric.map_or(Points::ZERO, |r| r.total.value);
        let rescale = (score.status == SheetState::Final
            && score.assessed != rubric_total
            && self.content.campaign.as_ref().map(|c| c.not_assessed)
                == Some(NotAssessedRule::Rescale))
        .then(|| {
            format!(
                "{} ÷ {} × {} = {}",
                score.earned,
                score.assessed,
                rubric_total,
                fmt2(score.total)
            )
        });
        TownPage {
            common: self.common(2, "towns"),
            town: self.town_link(town),
            group: group.map(|g| GroupLink {
                id: g.id.value.clone(),
                name: g.name.clone(),
            }),
            row: self.rank_row(score),
            status: status_key(score.status),
            earned: score.earned.to_string(),
            assessed: score.assessed.to_string(),
            rubric_total: rubric_total.to_string(),
            rescale,
            sections,
            summary: sheet
                .and_then(|s| s.summary.as_deref())
                .map(|m| markdown::render(m, &base).html),
            visited: sheet
                .map(|s| {
                    s.visited
                        .iter()
                        .map(|d| gongwen::date(d.value, self.lang))
                        .collect()
                })
                .unwrap_or_default(),
            signoff: sheet.and_then(|s| s.signoff.as_ref()).map(|s| SignoffView {
                leader: s.leader.value.clone(),
                members: s.members.iter().map(|m| m.value.clone()).collect(),
                date: s.date.as_ref().map(|d| gongwen::date(d.value, self.lang)),
            }),
            leader: group.map(|g| g.leader.name.value.clone()),
            repository: self.history.repository,
            audit_off: self.audit_off(),
            history: self
                .changes
                .get(town.slug.value.as_str())
                .filter(|_| !self.audit_off())
                .map(|changes| changes.iter().rev().map(|&c| self.change_view(c)).collect())
                .unwrap_or_default(),
        }
    }

    /// Whether the campaign turns the audit off, so that its git history is no record to show.
    fn audit_off(&self) -> bool {
        self.content
            .campaign
            .as_ref()
            .is_some_and(|c| !c.audit.enabled)
    }

    fn commit_view(&self, index: usize) -> CommitView {
        let c = &self.history.commits[index];
        CommitView {
            id: c.id.clone(),
            short: c.short().to_string(),
            author: c.author.clone(),
            date: c.date.clone(),
            summary: c.summary().to_string(),
            message: c.message.clone(),
            files: c.files.clone(),
        }
    }

    /// The `index`-th change of the trail, as pages show it.
    fn change_view(&self, index: usize) -> ChangeView {
        let change = &self.history.changes[index];
        let name = self
            .row_of
            .get(change.town.as_str())
            .map_or_else(|| change.town.clone(), |&r| self.rows[r].name.clone());
        let (kind, from) = match &change.kind {
            ChangeKind::Added => ("added", None),
            ChangeKind::Modified => ("modified", None),
            ChangeKind::Deleted => ("deleted", None),
            ChangeKind::Renamed { from } => ("renamed", Some(from.clone())),
        };
        ChangeView {
            commit: change.commit.map(|i| self.commit_view(i)),
            town: name,
            slug: change.town.clone(),
            kind,
            from,
            items: change
                .items
                .iter()
                .map(|c| audit::describe(c, self.lang))
                .collect(),
            flags: self.flagged.get(&index).cloned().unwrap_or_default(),
        }
    }

    pub fn history_page(&self) -> HistoryPage {
        let mut by_commit: BTreeMap<usize, Vec<ChangeView>> = BTreeMap::new();
        let mut uncommitted = Vec::new();
        let shown = if self.audit_off() {
            &[][..]
        } else {
            &self.history.changes[..]
        };
        for (c, change) in shown.iter().enumerate() {
            match change.commit {
                Some(i) => by_commit.entry(i).or_default().push(self.change_view(c)),
                None => uncommitted.push(self.change_view(c)),
            }
        }
        let commits = (0..self.history.commits.len())
            .filter(|_| !self.audit_off())
            .rev()
            .map(|i| CommitEntry {
                commit: self.commit_view(i),
                sheets: by_commit.remove(&i).unwrap_or_default(),
            })
            .collect();
        HistoryPage {
            common: self.common(1, "history"),
            repository: self.history.repository,
            audit_off: self.audit_off(),
            uncommitted,
            commits,
        }
    }

    pub fn group_count(&self) -> usize {
        self.content.groups.as_ref().map_or(0, Vec::len)
    }

    /// The page of the `i`-th group, with its id.
    pub fn group_page(&self, i: usize) -> (String, GroupPage) {
        let person = |p: &Person| PersonView {
            name: p.name.value.clone(),
            title: p.title.clone(),
            phone: p.phone.clone(),
        };
        let g = &self.content.groups.as_deref().unwrap_or_default()[i];
        let mut rows: Vec<RankRow> = g
            .towns
            .iter()
            .filter_map(|slug| self.row_of.get(slug.value.as_str()))
            .map(|&r| self.rows[r].clone())
            .collect();
        // In rank order, as the ranking lists them.
        rows.sort_by_key(|r| self.row_of.get(r.slug.as_str()).copied());
        let page = GroupPage {
            common: self.common(2, "groups"),
            group: GroupLink {
                id: g.id.value.clone(),
                name: g.name.clone(),
            },
            liaison: g.liaison.as_ref().map(person),
            leader: person(&g.leader),
            deputies: g.deputies.iter().map(person).collect(),
            members: g.members.iter().map(person).collect(),
            contact: g.contact.as_ref().map(person),
            rows,
        };
        (g.id.value.clone(), page)
    }

    pub fn rubric_page(&self) -> RubricPage {
        // Only final sheets: a draft's items not yet scored would count as zeros.
        let ranked: Vec<&TownScore> = self
            .ranking
            .towns
            .iter()
            .filter(|t| t.status == SheetState::Final)
            .collect();
        let mut rows = Vec::new();
        let mut columns = Vec::new();
        if let Some(rubric) = self.rubric {
            let mut index = 0;
            for section in &rubric.sections {
                let points: Points = section
                    .parts
                    .iter()
                    .flat_map(|p| &p.items)
                    .map(|i| i.points.value)
                    .sum();
                rows.push(RubricRow::Section {
                    title: section.title.clone(),
                    points: points.to_string(),
                });
                for part in &section.parts {
                    if let Some(title) = &part.title {
                        rows.push(RubricRow::Part {
                            title: title.clone(),
                        });
                    }
                    for item in &part.items {
                        let scores: Vec<Points> = ranked
                            .iter()
                            .filter_map(|t| match t.items.get(index) {
                                Some(ItemScore::Scored(p)) => Some(*p),
                                _ => None,
                            })
                            .collect();
                        let average = average(&scores).map(fmt2);
                        rows.push(RubricRow::Item(Box::new(RubricItem {
                            id: item.id.value.clone(),
                            category: item.category.clone(),
                            category_rows: 1,
                            indicator: item.indicator.clone(),
                            requirement: markdown::render(&item.requirement, &|p| {
                                published(self.evidence, p, "../")
                            })
                            .html,
                            points: item.points.value.to_string(),
                            criteria: item
                                .criteria
                                .iter()
                                .map(|c| CriterionView::of(c, None))
                                .collect(),
                            average,
                            lowest: None,
                            lowest_points: scores.iter().min().copied(),
                            scored: scores.len(),
                            condition: item.assessed_if.as_ref().map(|a| {
                                let label = rubric.label(&a.value).unwrap_or(&a.value);
                                i18n::strings(self.lang)["assessed_only_where"]
                                    .replace("{label}", label)
                            }),
                        })));
                        columns.push((item.id.value.clone(), item.points.value, index));
                        index += 1;
                    }
                }
            }
        }
        merge_rubric_categories(&mut rows);
        let lowest = rows
            .iter()
            .filter_map(|r| match r {
                RubricRow::Item(i) => i.lowest_points.map(places),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        for row in &mut rows {
            if let RubricRow::Item(i) = row {
                i.lowest = i.lowest_points.map(|p| fixed(p, lowest));
            }
        }
        let totals: Vec<Points> = self.ranking.ranked().map(|t| t.total).collect();
        let shown = ranked.len().saturating_sub(HEAT_ROWS);
        let heat: Vec<charts::HeatRow> = ranked[shown..]
            .iter()
            .map(|t| charts::HeatRow {
                label: self.towns[t.town].name.value.clone(),
                href: format!("../towns/{}/index.html", self.towns[t.town].slug.value),
                cells: columns
                    .iter()
                    .map(|(_, points, i)| match t.items.get(*i) {
                        Some(ItemScore::Scored(p)) => Some((*points - *p, *points)),
                        _ => None,
                    })
                    .collect(),
            })
            .collect();
        let labels: Vec<String> = columns.iter().map(|(id, _, _)| id.clone()).collect();
        RubricPage {
            common: self.common(1, "rubric"),
            total: self
                .rubric
                .map_or(String::new(), |r| r.total.value.to_string()),
            rows,
            average: average(&totals).map(fmt2),
            lowest: totals.iter().min().map(|p| fmt2(*p)),
            ranked_towns: totals.len(),
            scored_towns: ranked.len(),
            chart_towns: heat.len(),
            chart: charts::heatmap(&labels, &heat),
        }
    }

    pub fn notices_page(&self) -> NoticesPage {
        let campaign = self.content.campaign.as_ref();
        let lang = self.lang;
        let text = i18n::strings(lang);
        let date = campaign.and_then(|c| {
            c.review_deadline
                .as_ref()
                .map(|d| d.value)
                .or(c.inspection.as_ref().map(|(_, e)| e.value))
        });
        let title = gongwen::tidy(&self.campaign.title, lang);
        let issuer = gongwen::tidy(&self.campaign.issuer, lang);
        // The office's registry gives the numbers; without one, a blank to fill in by hand.
        let number = |n: u32| match campaign.and_then(|c| c.notice_number.as_ref()) {
            Some(numbers) => text["notice_number"]
                .replace("{prefix}", &numbers.prefix)
                .replace("{n}", &(numbers.first + n).to_string()),
            None => text["notice_number_blank"].replace(
                "{year}",
                &date.map_or(String::new(), |d| d.year().to_string()),
            ),
        };
        let mut bands = Vec::new();
        let mut notices = Vec::new();
        for (i, consequence) in campaign
            .iter()
            .flat_map(|c| c.consequences.iter())
            .enumerate()
        {
            let flagged: Vec<&TownScore> = self
                .ranking
                .ranked()
                .filter(|t| t.consequences.contains(&i))
                .collect();
            let days = consequence.deadline_days.as_ref().map(|d| d.value);
            bands.push(Band {
                label: gongwen::sub_label(i + 1, lang),
                bottom: consequence.bottom.value,
                towns: flagged
                    .iter()
                    .map(|t| self.towns[t.town].name.value.clone())
                    .collect(),
                actions: consequence.actions.clone(),
            });
            let deadline = date.zip(days).and_then(|(d, n)| {
                let span = jiff::Span::new().try_days(i64::from(n)).ok()?;
                let by = d.checked_add(span).ok()?;
                Some(
                    text["deadline_text"]
                        .replace("{date}", &gongwen::date(by, lang))
                        .replace("{days}", &n.to_string())
                        .replace("{issuer}", &issuer),
                )
            });
            for town in flagged {
                let sheet = town.sheet.map(|s| &self.content.sheets[s]);
                let name = &self.towns[town.town].name.value;
                notices.push(SupervisionNotice {
                    number: number(1 + notices.len() as u32),
                    title: text["supervision_title"].replace("{town}", name),
                    town: self.town_link(&self.towns[town.town]),
                    intro: text["supervision_intro"]
                        .replace("{title}", &title)
                        .replace("{total}", &fmt2(town.total))
                        .replace("{rank}", &town.rank.unwrap_or_default().to_string())
                        .replace("{n}", &consequence.bottom.value.to_string()),
                    problems: self.problems(town, sheet),
                    deadline: deadline.clone(),
                });
            }
        }
        let rows = self
            .rows
            .iter()
            .filter(|r| r.rank.is_some())
            .cloned()
            .collect();
        let inspection = campaign.and_then(|c| c.inspection.as_ref());
        let basics = text["circular_basics"]
            .replace("{title}", &title)
            .replace("{n}", &self.towns.len().to_string())
            .replace(
                "{start}",
                &inspection.map_or(String::new(), |(s, _)| gongwen::date(s.value, lang)),
            )
            .replace(
                "{end}",
                &inspection.map_or(String::new(), |(_, e)| gongwen::date(e.value, lang)),
            );
        NoticesPage {
            common: self.common(1, "notices"),
            date: date.map(|d| gongwen::date(d, lang)),
            circular: Circular {
                number: number(0),
                title: text["circular_title"].replace("{title}", &title),
                basics,
            },
            rows,
            bands,
            notices,
        }
    }

    fn problems(&self, score: &TownScore, sheet: Option<&Sheet>) -> Vec<Problem> {
        let Some(rubric) = self.rubric else {
            return Vec::new();
        };
        let text = i18n::strings(self.lang);
        let entries = entries_by_item(sheet);
        rubric
            .items()
            .zip(&score.items)
            .filter_map(|(item, s)| {
                let ItemScore::Scored(p) = s else { return None };
                let lost = item.points.value - *p;
                (lost > Points::ZERO).then_some((item, lost))
            })
            .enumerate()
            .map(|(i, (item, lost))| {
                let entry = entries.get(item.id.value.as_str());
                Problem {
                    label: gongwen::sub_label(i + 1, self.lang),
                    heading: text["problem"]
                        .replace(
                            "{indicator}",
                            &gongwen::tidy(item.indicator.trim(), self.lang),
                        )
                        .replace("{item}", &item.id.value)
                        .replace("{lost}", &lost.to_string()),
                    reasons: entry
                        .map(|e| reasons(item, e, self.lang))
                        .unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// What a town was told about its lost points: deduction reasons, criteria short of full,
/// or the evidence note.
fn reasons(item: &Item, entry: &Entry, lang: Lang) -> Vec<String> {
    let lost = |text: &str, points: Points| {
        i18n::strings(lang)["reason_lost"]
            .replace("{reason}", &gongwen::tidy(text.trim(), lang))
            .replace("{points}", &points.to_string())
    };
    let mut out: Vec<String> = entry
        .deductions
        .iter()
        .flatten()
        .filter_map(|d| d.reason.as_ref().map(|r| lost(&r.value, d.points.value)))
        .collect();
    for (id, value) in entry.criteria.iter().flatten() {
        if let Some(c) = item.criteria.iter().find(|c| c.id.value == id.value)
            && value.value < c.points.value
        {
            out.push(lost(&c.text, c.points.value - value.value));
        }
    }
    if out.is_empty()
        && let Some(note) = &entry.note
    {
        out.push(gongwen::tidy(note.trim(), lang));
    }
    out
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

/// Runs of items with the same category within a part share one cell, as on town pages.
fn merge_rubric_categories(rows: &mut [RubricRow]) {
    let mut i = 0;
    while i < rows.len() {
        let RubricRow::Item(first) = &rows[i] else {
            i += 1;
            continue;
        };
        let category = first.category.clone();
        let mut j = i + 1;
        while let Some(RubricRow::Item(next)) = rows.get(j) {
            if next.category != category {
                break;
            }
            j += 1;
        }
        for (k, row) in rows[i..j].iter_mut().enumerate() {
            if let RubricRow::Item(item) = row {
                item.category_rows = if k == 0 { j - i } else { 0 };
            }
        }
        i = j;
    }
}

/// Gives each section's column of the ranked towns one number of decimals, the most any of
/// them needs, so that the figures line up.
fn align_subtotals(rows: &mut [RankRow]) {
    let columns = rows.iter().map(|r| r.sections.len()).max().unwrap_or(0);
    for c in 0..columns {
        let ranked = || rows.iter().filter(|r| r.rank.is_some());
        let decimals = ranked()
            .filter_map(|r| r.sections.get(c))
            .map(|s| places(s.points))
            .max()
            .unwrap_or(0);
        for row in rows.iter_mut().filter(|r| r.rank.is_some()) {
            if let Some(s) = row.sections.get_mut(c) {
                s.earned = fixed(s.points, decimals);
            }
        }
    }
}

fn status_key(state: SheetState) -> &'static str {
    match state {
        SheetState::Final => "final",
        SheetState::Draft => "draft",
        SheetState::Missing => "missing",
    }
}

/// The address of the published copy of a linked file, from a page `up` from the root;
/// `None` for a path that is not published.
fn published(evidence: &BTreeMap<String, Evidence>, written: &str, up: &str) -> Option<String> {
    match evidence.get(written)? {
        Evidence::Present { resolved } => Some(format!(
            "{up}{}",
            markdown::encode_path(&site_path(resolved))
        )),
        _ => None,
    }
}

fn table_rows(
    rubric: &Rubric,
    score: &TownScore,
    sheet: Option<&Sheet>,
    requirements: &[String],
    base: &dyn Fn(&str) -> Option<String>,
) -> Vec<SectionRows> {
    let entries = entries_by_item(sheet);
    let mut index = 0;
    let mut sections = Vec::new();
    for (s, section) in rubric.sections.iter().enumerate() {
        let sub = score.sections.get(s);
        let mut parts = Vec::new();
        for part in &section.parts {
            let mut items = Vec::new();
            for item in &part.items {
                let entry = entries.get(item.id.value.as_str()).copied();
                let requirement = requirements.get(index).map_or("", String::as_str);
                items.push(item_row(
                    item,
                    entry,
                    score.items.get(index),
                    requirement,
                    base,
                ));
                index += 1;
            }
            merge_categories(&mut items);
            parts.push(PartRows {
                title: part.title.clone(),
                items,
            });
        }
        sections.push(SectionRows {
            title: section.title.clone(),
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

/// Runs of items with the same category share one cell, as in the printed table.
fn merge_categories(items: &mut [ItemRow]) {
    let mut i = 0;
    while i < items.len() {
        let mut j = i + 1;
        while j < items.len() && items[j].category == items[i].category {
            j += 1;
        }
        for (k, item) in items[i..j].iter_mut().enumerate() {
            item.category_rows = if k == 0 { j - i } else { 0 };
        }
        i = j;
    }
}

fn item_row(
    item: &Item,
    entry: Option<&Entry>,
    score: Option<&ItemScore>,
    requirement: &str,
    base: &dyn Fn(&str) -> Option<String>,
) -> ItemRow {
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
                .map(|r| r.value.clone()),
            None,
        ),
        None => (None, None, None),
    };
    let given: HashMap<&str, Points> = entry
        .and_then(|e| e.criteria.as_ref())
        .map(|c| {
            c.iter()
                .map(|(id, p)| (id.value.as_str(), p.value))
                .collect()
        })
        .unwrap_or_default();
    ItemRow {
        id: item.id.value.clone(),
        category: item.category.clone(),
        category_rows: 1,
        indicator: item.indicator.clone(),
        requirement: requirement.to_string(),
        points: item.points.value.to_string(),
        score: score_text,
        not_assessed,
        lost,
        criteria: item
            .criteria
            .iter()
            .map(|c| CriterionView::of(c, given.get(c.id.value.as_str()).map(|p| p.to_string())))
            .collect(),
        deductions: entry
            .and_then(|e| e.deductions.as_ref())
            .map(|ds| {
                ds.iter()
                    .map(|d| DeductionView {
                        points: d.points.value.to_string(),
                        reason: d
                            .reason
                            .as_ref()
                            .map(|r| r.value.clone())
                            .unwrap_or_default(),
                        evidence: d
                            .evidence
                            .iter()
                            .filter_map(|e| {
                                Some(Link {
                                    href: base(&e.value)?,
                                    name: e
                                        .value
                                        .rsplit('/')
                                        .next()
                                        .unwrap_or(&e.value)
                                        .to_string(),
                                })
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        note: entry
            .and_then(|e| e.note.as_deref())
            .map(|n| markdown::render(n, base).html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_published_under_files() {
        assert_eq!(
            site_path("content/evidence/x/1.svg"),
            "files/evidence/x/1.svg"
        );
        assert_eq!(site_path("docs/a.pdf"), "root-files/docs/a.pdf");
        let mut evidence = BTreeMap::new();
        let present = |r: &str| Evidence::Present {
            resolved: r.to_string(),
        };
        evidence.insert(
            "evidence/a #1?.png".into(),
            present("content/evidence/a #1?.png"),
        );
        evidence.insert(
            "evidence/lnk/../b.png".into(),
            present("content/real/b.png"),
        );
        evidence.insert("evidence/c.png".into(), Evidence::Missing);
        assert_eq!(
            published(&evidence, "evidence/a #1?.png", "../").as_deref(),
            Some("../files/evidence/a%20%231%3F.png")
        );
        // Published where the file system found it, not where the written path points.
        assert_eq!(
            published(&evidence, "evidence/lnk/../b.png", "").as_deref(),
            Some("files/real/b.png")
        );
        assert_eq!(published(&evidence, "evidence/c.png", ""), None);
        assert_eq!(published(&evidence, "elsewhere.png", ""), None);
    }

    #[test]
    fn two_places_always() {
        assert_eq!(fmt2(Points(8673)), "86.73");
        assert_eq!(fmt2(Points(8650)), "86.50");
        assert_eq!(fmt2(Points(9300)), "93.00");
    }
}
