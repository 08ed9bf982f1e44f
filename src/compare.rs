//! Two scored versions of a campaign side by side, town by town: what `diff` reports between
//! two commits, and what a round compares with the one before it.

use std::collections::{HashMap, HashSet};

use crate::history::{self, Change};
use crate::model::{Content, Points, Sheet, Town, TownId};
use crate::score::{ItemScore, Ranking, SheetState, TownScore};

/// One version of a campaign: its content and how it scored.
#[derive(Clone, Copy)]
pub struct Scored<'a> {
    pub content: &'a Content,
    pub ranking: &'a Ranking,
}

impl<'a> Scored<'a> {
    fn town(&self, id: TownId) -> Option<&'a Town> {
        self.content.towns.as_deref()?.get(id.index())
    }

    /// Each scored town of the version, in rank order.
    fn sides(&self) -> impl Iterator<Item = Side<'a>> + use<'a> {
        let this = *self;
        self.ranking.towns.iter().filter_map(move |score| {
            let town = this.town(score.town)?;
            Some(Side {
                town,
                score,
                sheet: score.sheet.and_then(|s| this.content.sheets.get(s.index())),
            })
        })
    }
}

/// A town as one version has it.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub town: &'a Town,
    pub score: &'a TownScore,
    pub sheet: Option<&'a Sheet>,
}

impl Side<'_> {
    /// The total, when the town has a sheet to total.
    pub fn total(&self) -> Option<Points> {
        (self.score.status != SheetState::Missing).then_some(self.score.total)
    }

    /// Whether a consequence applies to the town.
    pub fn flagged(&self) -> bool {
        !self.score.consequences.is_empty()
    }
}

impl<'a> Scored<'a> {
    /// The actions of the consequences that apply to a side, in this version's campaign.
    pub fn actions(&self, side: &Side) -> Vec<String> {
        let Some(campaign) = self.content.campaign.as_ref() else {
            return Vec::new();
        };
        let mut actions: Vec<String> = Vec::new();
        for id in &side.score.consequences {
            for action in campaign
                .consequences
                .get(id.index())
                .map_or(&[][..], |c| &c.actions)
            {
                if !actions.contains(action) {
                    actions.push(action.clone());
                }
            }
        }
        actions
    }

    /// The name of a side's grade in this version's campaign.
    pub fn grade(&self, side: &Side) -> Option<&'a str> {
        let grades = &self.content.campaign.as_ref()?.grades;
        let grade = grades.get(side.score.grade?.index())?;
        Some(grade.name.value.as_str())
    }
}

/// One town in both versions, matched by slug; a town only one version has has one side.
pub struct Pair<'a> {
    pub slug: &'a str,
    pub base: Option<Side<'a>>,
    pub head: Option<Side<'a>>,
}

impl<'a> Pair<'a> {
    /// The town's name, as the newer version has it.
    pub fn name(&self) -> &'a str {
        self.head
            .or(self.base)
            .map_or("", |side| side.town.name.value.as_str())
    }

    /// The town's sheet changes from base to head, item by item in the head's rubric order.
    pub fn changes(&self, head: &Scored) -> Vec<Change> {
        history::item_changes(
            self.base.and_then(|s| s.sheet),
            self.head.and_then(|s| s.sheet),
            head.content.rubric.as_ref(),
        )
    }
}

/// Every town of either version: the head's in its rank order, then the towns only the base
/// has, in the base's rank order.
pub fn towns<'a>(base: &Scored<'a>, head: &Scored<'a>) -> Vec<Pair<'a>> {
    let mut before: HashMap<&str, Side> = HashMap::new();
    for side in base.sides() {
        before.entry(side.town.slug.value.as_str()).or_insert(side);
    }
    let mut pairs: Vec<Pair> = head
        .sides()
        .map(|side| {
            let slug = side.town.slug.value.as_str();
            Pair {
                slug,
                base: before.get(slug).copied(),
                head: Some(side),
            }
        })
        .collect();
    let seen: HashSet<&str> = pairs.iter().map(|p| p.slug).collect();
    let mut listed = HashSet::new();
    for side in base.sides() {
        let slug = side.town.slug.value.as_str();
        if !seen.contains(slug) && listed.insert(slug) {
            pairs.push(Pair {
                slug,
                base: Some(side),
                head: None,
            });
        }
    }
    pairs
}

/// An earlier round, as this one compares with it.
#[derive(Debug, Clone)]
pub struct Round {
    /// The tag or commit as `previous:` names it.
    pub reference: String,
    pub commit: String,
    /// The campaign's id and title in that round.
    pub id: String,
    pub title: String,
    /// Its towns in rank order, the unranked after.
    pub towns: Vec<RoundTown>,
    /// Where each town stands in `towns`, by slug (the first, when slugs repeat).
    places: HashMap<String, usize>,
    /// Each item's place in that round's rubric, by id: items compare across rounds by id.
    items: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct RoundTown {
    pub slug: String,
    pub name: String,
    pub rank: Option<u32>,
    pub total: Option<Points>,
    pub grade: Option<String>,
    /// Its class in that round, when that round ranked within classes: its rank is the rank
    /// in the class.
    pub class: Option<String>,
    pub vetoed: bool,
    /// Ranked towns of its class placed strictly below it.
    pub below: u32,
    /// A ranked town's score on each item of that round's rubric, in its order; empty for a
    /// town that round did not rank.
    scores: Vec<ItemScore>,
}

impl Round {
    pub fn of(reference: &str, commit: String, content: &Content, ranking: &Ranking) -> Round {
        let towns = content.towns.as_deref().unwrap_or_default();
        let listed: Vec<RoundTown> = ranking
            .towns
            .iter()
            .filter_map(|t| {
                let town = towns.get(t.town.index())?;
                Some(RoundTown {
                    slug: town.slug.value.clone(),
                    name: town.name.value.clone(),
                    rank: t.rank,
                    total: t.rank.map(|_| t.total),
                    grade: t
                        .grade
                        .and_then(|g| grades_of(content).get(g.index()))
                        .map(|g| g.name.value.clone()),
                    class: t
                        .class
                        .and_then(|c| ranking.classes.get(c.index()))
                        .cloned(),
                    vetoed: t.vetoed,
                    below: t.below,
                    scores: match (t.rank, &content.rubric) {
                        (Some(_), Some(rubric)) => rubric
                            .items()
                            .filter_map(|i| t.item(i.key).cloned())
                            .collect(),
                        _ => Vec::new(),
                    },
                })
            })
            .collect();
        let mut places = HashMap::new();
        for (i, t) in listed.iter().enumerate() {
            places.entry(t.slug.clone()).or_insert(i);
        }
        Round {
            reference: reference.to_string(),
            commit,
            id: content
                .campaign
                .as_ref()
                .map_or_else(String::new, |c| c.id.value.clone()),
            title: content
                .campaign
                .as_ref()
                .map_or_else(String::new, |c| c.title.clone()),
            towns: listed,
            places,
            items: content.rubric.as_ref().map_or_else(HashMap::new, |rubric| {
                rubric
                    .items()
                    .enumerate()
                    .map(|(i, item)| (item.id.value.clone(), i))
                    .collect()
            }),
        }
    }

    /// How the round scored the item with `id` for `town`, when it ranked the town and its
    /// rubric has the item.
    pub fn item<'t>(&self, town: &'t RoundTown, id: &str) -> Option<&'t ItemScore> {
        town.scores.get(*self.items.get(id)?)
    }

    /// The town with `slug`, if the round has it.
    pub fn town(&self, slug: &str) -> Option<&RoundTown> {
        self.towns.get(*self.places.get(slug)?)
    }
}

fn grades_of(content: &Content) -> &[crate::model::Grade] {
    content
        .campaign
        .as_ref()
        .map(|c| c.grades.as_slice())
        .unwrap_or_default()
}
