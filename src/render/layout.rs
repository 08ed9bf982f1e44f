//! What every page shows around its own content (`base.html`): the campaign, the banners,
//! the navigation and the source it was built from.

use serde::Serialize;

use super::Source;
use super::shared::Site;
use super::{gongwen, urls};
use crate::model::{Campaign, Lang, Town};

/// How many towns without a final sheet every page's banner names; the rest are counted.
const MISSING_NAMED: usize = 30;

#[derive(Serialize)]
pub struct Common<'s> {
    lang: &'static str,
    root: String,
    nav: &'static str,
    /// True when the campaign has earlier rounds: the navigation has the rounds page.
    rounds: bool,
    /// True when the campaign hears objections: the navigation has their page.
    objections: bool,
    /// True when the site has a rectification ledger: the navigation has it.
    ledger: bool,
    /// True when the site has the history page and the groups' pages: every site but a
    /// bundle.
    whole: bool,
    /// In a bundle, the names of its towns, for the banner that says whose it is.
    bundle: Option<String>,
    campaign: &'s CampaignView<'s>,
    provisional: bool,
    missing: &'s [TownLink<'s>],
    /// Towns without a final sheet beyond those named.
    more_missing: usize,
    source: &'s SourceView<'s>,
    /// What every printed page carries at its top: the marking and the commit, as a CSS string.
    print_mark: Option<String>,
}

#[derive(Serialize)]
pub struct CampaignView<'a> {
    id: &'a str,
    pub title: &'a str,
    pub issuer: &'a str,
    issued: Option<String>,
    inspection: Option<(String, String)>,
    sample: bool,
    /// 内部资料 注意保密, in the header of every page.
    marking: Option<String>,
}

impl<'a> CampaignView<'a> {
    pub fn new(c: &'a Campaign) -> Self {
        CampaignView {
            id: &c.id.value,
            title: &c.title,
            issuer: &c.issuer,
            issued: c.issued.as_ref().map(|d| d.value.to_string()),
            inspection: c
                .inspection
                .as_ref()
                .map(|(s, e)| (s.value.to_string(), e.value.to_string())),
            sample: c.sample,
            marking: c.marking(),
        }
    }
}

#[derive(Serialize)]
pub struct SourceView<'a> {
    commit: Option<&'a str>,
    short: Option<String>,
    dirty: bool,
    /// The day the site is as of, written out, when something on it depends on the day.
    as_of: Option<String>,
    /// True while towns may still object: the site is a draft for comment (征求意见稿).
    consultation: bool,
    /// The publication's tag and day, written out, when the site is of the published commit.
    published: Option<(String, String)>,
}

impl<'a> SourceView<'a> {
    /// `dated`: something on the site besides objections depends on the day (the ledger).
    pub fn new(source: &'a Source, campaign: &Campaign, lang: Lang, dated: bool) -> Self {
        let window = campaign.objection_window();
        SourceView {
            commit: source.commit.as_deref(),
            short: source.commit.as_ref().map(|c| c.chars().take(10).collect()),
            dirty: source.dirty,
            as_of: source
                .as_of
                .filter(|_| window.is_some() || dated)
                .map(|d| gongwen::date(d, lang)),
            consultation: source.published.is_none()
                && window
                    .zip(source.as_of)
                    .is_some_and(|((_, to), day)| day <= to),
            published: source.published.as_ref().map(|(tag, day)| {
                (
                    tag.clone(),
                    day.map_or_else(String::new, |d| gongwen::date(d, lang)),
                )
            }),
        }
    }
}

#[derive(Serialize, Clone, Copy)]
pub struct TownLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
}

impl<'a> TownLink<'a> {
    pub fn new(town: &'a Town) -> Self {
        TownLink {
            name: &town.name.value,
            slug: &town.slug.value,
        }
    }
}

impl Site<'_> {
    /// The frame of a page `depth` folders below the site's root, `nav` marking its tab.
    pub fn common(&self, depth: usize, nav: &'static str) -> Common<'_> {
        Common {
            lang: match self.lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
            root: urls::root(depth),
            nav,
            rounds: !self.rounds.is_empty() && self.bundle().is_none(),
            whole: self.bundle().is_none(),
            bundle: self.bundle().map(|b| {
                let names: Vec<&str> = self
                    .rows
                    .iter()
                    .filter(|r| b.contains(r.slug))
                    .map(|r| r.name)
                    .collect();
                names.join(self.text["name_sep"])
            }),
            objections: self.hears_objections(),
            ledger: self.keeps_ledger(),
            campaign: &self.campaign,
            provisional: self.ranking.provisional,
            missing: &self.missing[..self.missing.len().min(MISSING_NAMED)],
            more_missing: self.missing.len().saturating_sub(MISSING_NAMED) + self.missing_others,
            source: &self.source_view,
            print_mark: self.print_mark.clone(),
        }
    }
}
