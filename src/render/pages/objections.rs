//! The objections page (`objections/`): every town's requests (征求意见, 复核), the office's
//! decision on each, and the score changes that followed; and each request as its town's page
//! shows it beside the item.

use std::collections::HashMap;

use serde::Serialize;

use crate::history::SheetChange;

use crate::model::{Objections, Request};
use crate::render::evidence::{Link, Links};
use crate::render::layout::{Common, TownLink};
use crate::render::shared::Site;

const DEPTH: usize = 1;

#[derive(Serialize)]
pub struct ObjectionsPage<'s> {
    common: Common<'s>,
    /// The window, written out: 2020年3月6日 to 2020年3月11日.
    window: Option<(String, String)>,
    requests: Vec<RequestRow<'s>>,
    pending: usize,
}

#[derive(Serialize)]
struct RequestRow<'s> {
    town: TownLink<'s>,
    item: &'s str,
    indicator: &'s str,
    request: RequestView<'s>,
    /// The changes to the item's score made on or after the day the request was filed.
    followed: Vec<Followed>,
}

#[derive(Serialize)]
struct Followed {
    commit: String,
    date: String,
    text: String,
}

/// A request as pages show it.
#[derive(Serialize)]
pub struct RequestView<'s> {
    filed: String,
    claim: &'s str,
    evidence: Vec<Link<'s>>,
    /// `accepted`, `partly`, `rejected` or `pending`: the key of its word and its style.
    decision: &'static str,
    decided: Option<String>,
    decided_by: Option<&'s str>,
    note: Option<&'s str>,
}

impl<'s> RequestView<'s> {
    pub fn new(request: &'s Request, links: &Links) -> Self {
        RequestView {
            filed: request.filed.value.to_string(),
            claim: &request.claim.value,
            evidence: links.list(&request.evidence),
            decision: request
                .decision
                .as_ref()
                .map_or("pending", |d| d.value.as_str()),
            decided: request.decided.as_ref().map(|d| d.value.to_string()),
            decided_by: request.decided_by.as_ref().map(|b| b.value.as_str()),
            note: request.note.as_deref().filter(|n| !n.trim().is_empty()),
        }
    }
}

/// The objections of the town with `slug`, when it has a file of them.
pub fn of_town<'s>(site: &'s Site, slug: &str) -> Option<&'s Objections> {
    site.objections_of.get(slug).copied()
}

pub fn view<'s>(site: &'s Site) -> ObjectionsPage<'s> {
    let links = Links::new(site.evidence, DEPTH).published(site.model.campaign.publish_evidence);
    let lang = site.lang;
    // Each town's committed sheet changes, gathered once.
    let mut changes: HashMap<&str, Vec<&SheetChange>> = HashMap::new();
    for change in &site.history.changes {
        if change.commit.is_some() {
            changes
                .entry(change.town.as_str())
                .or_default()
                .push(change);
        }
    }
    let mut requests = Vec::new();
    for score in &site.ranking.towns {
        let town = site.town(score);
        let Some(objections) = of_town(site, &town.slug.value) else {
            continue;
        };
        for request in &objections.requests {
            let item = site
                .model
                .rubric
                .items()
                .find(|i| i.id.value == request.item.value);
            let followed = changes
                .get(town.slug.value.as_str())
                .into_iter()
                .flatten()
                .filter_map(|c| {
                    let commit = &site.history.commits[c.commit?];
                    commit
                        .day
                        .is_some_and(|d| d >= request.filed.value)
                        .then_some((commit, c))
                })
                .flat_map(|(commit, c)| {
                    c.items
                        .iter()
                        .filter(|i| i.scored_item() == Some(request.item.value.as_str()))
                        .map(move |i| Followed {
                            commit: commit.short().to_string(),
                            date: commit.date.clone(),
                            text: crate::audit::describe(i, lang),
                        })
                })
                .collect();
            requests.push(RequestRow {
                town: TownLink::new(town),
                item: &request.item.value,
                indicator: item.map_or("", |i| i.indicator.as_str()),
                request: RequestView::new(request, &links),
                followed,
            });
        }
    }
    let pending = requests
        .iter()
        .filter(|r| r.request.decision == "pending")
        .count();
    ObjectionsPage {
        common: site.common(DEPTH, "objections"),
        window: site.model.campaign.objection_window().map(|(from, to)| {
            (
                crate::render::gongwen::date(from, lang),
                crate::render::gongwen::date(to, lang),
            )
        }),
        requests,
        pending,
    }
}
