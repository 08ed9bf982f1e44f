//! What the pages and data files of one build share, worked out once before they render.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::layout::{CampaignView, SourceView, TownLink};
use super::pages::{history::Trail, town};
use super::rows::{RankRow, align_subtotals};
use super::{Inputs, Source, i18n};
use crate::audit::Signer;
use crate::compare::{Round, RoundTown};
use crate::history::History;
use crate::model::{Complete, Group, Lang, Points, Sheet, Town};
use crate::score::{Ranking, TownScore};
use crate::source::Evidence;

pub struct Site<'a> {
    /// Set when the files being rendered are no longer wanted (`render::files_unless`).
    pub stop: Option<&'a std::sync::atomic::AtomicBool>,
    /// The campaign, complete: every part loaded and checked.
    pub model: Complete<'a>,
    /// What each linked path resolved to.
    pub evidence: &'a BTreeMap<String, Evidence>,
    pub ranking: &'a Ranking,
    pub history: &'a History,
    /// Who signed each commit, when the campaign signs its commits.
    pub signers: Option<&'a [Signer]>,
    /// The rounds before this one, newest first.
    pub rounds: &'a [Round],
    pub source: &'a Source,
    pub lang: Lang,
    /// The interface strings, in the campaign's language.
    pub text: BTreeMap<&'static str, &'static str>,
    /// Each section's points, in rubric order.
    pub section_points: Vec<Points>,
    /// Each town's group by the town's slug: the first group that lists it.
    pub group_of: HashMap<&'a str, &'a Group>,
    pub campaign: CampaignView<'a>,
    pub source_view: SourceView<'a>,
    /// The marking and the commit as a CSS string, for the top of every printed page.
    pub print_mark: Option<String>,
    /// Every town's line of the ranking, in rank order.
    pub rows: Vec<RankRow<'a>>,
    /// Index into `rows` by town slug.
    pub row_of: HashMap<&'a str, usize>,
    /// Towns without a final sheet, as every page's banner names them: in a bundle, only its
    /// own towns, the others counted in `missing_others`.
    pub missing: Vec<TownLink<'a>>,
    pub missing_others: usize,
    /// The changes of the audit trail, as the history and town pages show them.
    pub trail: Trail<'a>,
    /// Each item's requirement as HTML for town pages, in rubric order: the same on every page.
    pub requirements: Vec<String>,
    /// The rectification ledger: every problem to put right, as of the site's day, town by
    /// town.
    pub problems: Vec<crate::ledger::Problem<'a>>,
    /// Where each town's problems stand in `problems`, by the town's place.
    problems_of: HashMap<crate::model::TownId, std::ops::Range<usize>>,
    /// Each town's objections, by its slug (the first file, when two name one town).
    pub objections_of: HashMap<&'a str, &'a crate::model::Objections>,
    /// The towns of a bundle, by slug; `None` for the whole site.
    bundle: Option<&'a BTreeSet<String>>,
    /// The fingerprint of what every town page is made from besides its own town's
    /// (`town::key`), worked out once when first asked for.
    pub town_pages: std::sync::OnceLock<u64>,
}

impl<'a> Site<'a> {
    pub fn new(inputs: &Inputs<'a>) -> Self {
        let Inputs {
            model,
            evidence,
            ranking,
            history,
            flags,
            signers,
            rounds,
            source,
            bundle,
        } = *inputs;
        let lang = model.campaign.language;
        let shows = |slug: &str| bundle.is_none_or(|b| b.contains(slug));
        let mut problems = crate::ledger::problems(model, ranking, source.as_of);
        problems.retain(|p| shows(&model.town(p.town).slug.value));
        let mut problems_of: HashMap<crate::model::TownId, std::ops::Range<usize>> = HashMap::new();
        for (i, p) in problems.iter().enumerate() {
            problems_of.entry(p.town).or_insert(i..i).end = i + 1;
        }
        let mut site = Site {
            stop: None,
            model,
            evidence,
            ranking,
            history,
            signers,
            rounds,
            source,
            lang,
            text: i18n::strings(lang),
            section_points: model
                .rubric
                .sections
                .iter()
                .map(|s| {
                    s.parts
                        .iter()
                        .flat_map(|p| &p.items)
                        .map(|i| i.points.value)
                        .sum()
                })
                .collect(),
            group_of: model.group_of_towns(),
            campaign: CampaignView::new(model.campaign),
            print_mark: print_mark(model.campaign.marking(), source.commit.as_deref()),
            source_view: SourceView::new(
                source,
                model.campaign,
                lang,
                !problems.is_empty() || !model.rectification.is_empty(),
            ),
            rows: Vec::new(),
            row_of: HashMap::new(),
            missing: ranking
                .unranked()
                .map(|t| TownLink::new(model.town(t.town)))
                .filter(|t| shows(t.slug))
                .collect(),
            missing_others: ranking
                .unranked()
                .filter(|t| !shows(&model.town(t.town).slug.value))
                .count(),
            trail: Trail::default(),
            requirements: town::requirements(
                model.rubric,
                evidence,
                model.campaign.publish_evidence,
            ),
            problems,
            problems_of,
            objections_of: model
                .objections
                .iter()
                .rev()
                .map(|o| (o.town.value.as_str(), o))
                .filter(|(slug, _)| shows(slug))
                .collect(),
            bundle,
            town_pages: std::sync::OnceLock::new(),
        };
        site.rows = ranking.towns.iter().map(|t| site.rank_row(t)).collect();
        align_subtotals(&mut site.rows);
        site.row_of = site
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.slug, i))
            .collect();
        site.trail = Trail::new(&site, flags);
        site
    }

    /// Whether the site has the page and the details of the town with `slug`: every town, or
    /// in a bundle its own towns only.
    pub fn shows(&self, slug: &str) -> bool {
        self.bundle.is_none_or(|b| b.contains(slug))
    }

    /// The towns of a bundle by slug; `None` for the whole site.
    pub fn bundle(&self) -> Option<&'a BTreeSet<String>> {
        self.bundle
    }

    /// Whether the campaign turns the audit off, so that its git history is no record to show.
    pub fn audit_off(&self) -> bool {
        !self.model.campaign.audit.enabled
    }

    /// The actions of the consequences that apply to a town.
    pub fn actions(&self, score: &TownScore) -> Vec<&'a str> {
        score
            .consequences
            .iter()
            .flat_map(|&c| self.model.consequence(c).actions.iter())
            .map(String::as_str)
            .collect()
    }

    /// The town a score is of.
    pub fn town(&self, score: &TownScore) -> &'a Town {
        self.model.town(score.town)
    }

    /// A town's problems to put right.
    /// `Problem::Overtaken` once the files being rendered are no longer wanted.
    pub fn stopped(&self) -> crate::problem::Result<()> {
        match self.stop_now() {
            true => Err(crate::problem::Problem::Overtaken.into()),
            false => Ok(()),
        }
    }

    /// Whether the files being rendered are no longer wanted: a long loop stops early, and
    /// what it made is thrown away (`stopped`).
    pub fn stop_now(&self) -> bool {
        self.stop
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    }

    pub fn problems_of(&self, score: &TownScore) -> &[crate::ledger::Problem<'a>] {
        self.problems_of
            .get(&score.town)
            .map_or(&[], |r| &self.problems[r.clone()])
    }

    /// Whether the site has a rectification ledger: problems to put right, or records of them.
    pub fn keeps_ledger(&self) -> bool {
        !self.problems.is_empty() || !self.model.rectification.is_empty()
    }

    /// Whether the campaign hears objections: it opens a window for them, or towns filed some.
    pub fn hears_objections(&self) -> bool {
        self.model.campaign.objections.is_some() || !self.model.objections.is_empty()
    }

    /// The town's class (分类考核), when the campaign ranks within classes.
    pub fn class(&self, score: &TownScore) -> Option<&'a str> {
        score
            .class
            .and_then(|c| self.ranking.classes.get(c.index()))
            .map(String::as_str)
    }

    /// The town's sheet, when it has one.
    pub fn sheet(&self, score: &TownScore) -> Option<&'a Sheet> {
        score.sheet.map(|s| self.model.sheet(s))
    }

    /// The town with `slug` in the previous round; `None` without one or when it lacks the town.
    pub fn previous(&self, slug: &str) -> Option<&'a RoundTown> {
        self.rounds.first()?.town(slug)
    }

    /// The name of the town with `slug`, as the ranking shows it.
    pub fn town_name(&self, slug: &str) -> Option<&'a str> {
        self.row_of.get(slug).map(|&r| self.rows[r].name)
    }
}

/// `"内部资料 注意保密 · 1b1db81f6f"` as CSS writes a string: the marking and the commit, for
/// the top of every printed page; none without a marking.
fn print_mark(marking: Option<String>, commit: Option<&str>) -> Option<String> {
    let marking = marking?;
    let text = match commit {
        Some(c) => format!("{marking} · {}", c.chars().take(10).collect::<String>()),
        None => marking,
    };
    let mut css = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                css.push('\\');
                css.push(c);
            }
            c if c.is_control() || c == '<' || c == '>' => {
                css.push_str(&format!("\\{:x} ", u32::from(c)));
            }
            c => css.push(c),
        }
    }
    css.push('"');
    Some(css)
}

#[cfg(test)]
mod tests {
    use crate::model::Points;

    #[test]
    fn published_figures_have_two_places() {
        assert_eq!(Points(8673).fixed(2), "86.73");
        assert_eq!(Points(8650).fixed(2), "86.50");
        assert_eq!(Points(9300).fixed(2), "93.00");
        assert_eq!(Points(9350).fixed(1), "93.5");
        assert_eq!(Points(9350).places(), 1);
        assert_eq!(Points(-150).fixed(2), "-1.50");
    }
}
