//! What the pages and data files of one build share, worked out once before they render.

use std::collections::{BTreeMap, HashMap};

use super::layout::{CampaignView, SourceView, TownLink};
use super::pages::{history::Trail, town};
use super::rows::{RankRow, align_subtotals};
use super::{Inputs, Source, i18n};
use crate::history::History;
use crate::model::{Content, Group, Lang, Points, Rubric, Town};
use crate::score::Ranking;
use crate::source::Evidence;

pub struct Site<'a> {
    pub content: &'a Content,
    /// What each linked path resolved to.
    pub evidence: &'a BTreeMap<String, Evidence>,
    pub ranking: &'a Ranking,
    pub history: &'a History,
    pub source: &'a Source,
    pub rubric: Option<&'a Rubric>,
    pub towns: &'a [Town],
    pub groups: &'a [Group],
    pub lang: Lang,
    /// The interface strings, in the campaign's language.
    pub text: BTreeMap<&'static str, &'static str>,
    /// Each section's points, in rubric order.
    pub section_points: Vec<Points>,
    /// Each town's group by the town's slug: the first group that lists it.
    pub group_of: HashMap<&'a str, &'a Group>,
    pub campaign: CampaignView<'a>,
    pub source_view: SourceView<'a>,
    /// Every town's line of the ranking, in rank order.
    pub rows: Vec<RankRow<'a>>,
    /// Index into `rows` by town slug.
    pub row_of: HashMap<&'a str, usize>,
    /// Towns without a final sheet, as every page's banner names them.
    pub missing: Vec<TownLink<'a>>,
    /// The changes of the audit trail, as the history and town pages show them.
    pub trail: Trail<'a>,
    /// Each item's requirement as HTML for town pages, in rubric order: the same on every page.
    pub requirements: Vec<String>,
}

impl<'a> Site<'a> {
    pub fn new(inputs: &Inputs<'a>) -> Self {
        let Inputs {
            content,
            evidence,
            ranking,
            history,
            flags,
            source,
        } = *inputs;
        let towns = content.towns.as_deref().unwrap_or_default();
        let groups = content.groups.as_deref().unwrap_or_default();
        let group_of = content.group_of_towns();
        let rubric = content.rubric.as_ref();
        let mut site = Site {
            content,
            evidence,
            ranking,
            history,
            source,
            rubric,
            towns,
            groups,
            lang: content.lang(),
            text: i18n::strings(content.lang()),
            section_points: rubric
                .iter()
                .flat_map(|r| &r.sections)
                .map(|s| {
                    s.parts
                        .iter()
                        .flat_map(|p| &p.items)
                        .map(|i| i.points.value)
                        .sum()
                })
                .collect(),
            group_of,
            campaign: CampaignView::new(content.campaign.as_ref()),
            source_view: SourceView::new(source),
            rows: Vec::new(),
            row_of: HashMap::new(),
            missing: ranking
                .unranked()
                .map(|t| TownLink::new(&towns[t.town]))
                .collect(),
            trail: Trail::default(),
            requirements: town::requirements(rubric, evidence),
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

    /// Whether the campaign turns the audit off, so that its git history is no record to show.
    pub fn audit_off(&self) -> bool {
        self.content
            .campaign
            .as_ref()
            .is_some_and(|c| !c.audit.enabled)
    }

    /// The actions of the consequences that apply to a town, by their indices.
    pub fn actions(&self, consequences: &[usize]) -> Vec<&'a str> {
        let Some(campaign) = &self.content.campaign else {
            return Vec::new();
        };
        consequences
            .iter()
            .filter_map(|i| campaign.consequences.get(*i))
            .flat_map(|c| c.actions.iter().map(String::as_str))
            .collect()
    }

    /// The name of the town with `slug`, as the ranking shows it.
    pub fn town_name(&self, slug: &str) -> Option<&'a str> {
        self.row_of.get(slug).map(|&r| self.rows[r].name)
    }
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
