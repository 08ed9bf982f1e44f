//! The pages of the site: one module each, with the view structs its template sees, and the
//! table below that `render::site` walks.

pub mod group;
pub mod history;
pub mod notices;
pub mod objections;
pub mod ranking;
pub mod rectification;
pub mod rounds;
pub mod rubric;
pub mod town;

use serde::Serialize;

use std::collections::HashMap;
use std::hash::Hasher as _;
use std::sync::Mutex;

use super::shared::Site;
use super::{Masked, Reuse, Sink as _, Theme, urls};
use crate::problem::Result;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$((
            concat!("templates/", $name),
            include_str!(concat!("../../../themes/default/templates/", $name)),
        )),*]
    };
}

/// The built-in template of each page.
pub const TEMPLATES: &[(&str, &str)] = templates![
    "index.html",
    "town.html",
    "group.html",
    "rubric.html",
    "notices.html",
    "history.html",
    "rounds.html",
    "objections.html",
    "rectification.html",
];

#[derive(Debug, Clone, Copy)]
pub enum Page {
    Ranking,
    Notices,
    Rubric,
    History,
    /// Only for a campaign with earlier rounds.
    Rounds,
    /// Only for a campaign that hears objections.
    Objections,
    /// Only for a campaign with problems to put right.
    Rectification,
    /// The `i`-th group of groups.yaml.
    Group(usize),
    /// The `i`-th town in rank order.
    Town(usize),
}

impl Page {
    /// Every page of the site, the large ones first so that the cores finish together.
    /// A bundle has no history, rounds or groups' pages, and only its own towns' pages.
    pub fn all(site: &Site) -> Vec<Page> {
        let whole = site.bundle().is_none();
        let mut pages = vec![Page::Ranking, Page::Notices, Page::Rubric];
        if whole {
            pages.push(Page::History);
        }
        if whole && !site.rounds.is_empty() {
            pages.push(Page::Rounds);
        }
        if site.hears_objections() {
            pages.push(Page::Objections);
        }
        if site.keeps_ledger() {
            pages.push(Page::Rectification);
        }
        if whole {
            pages.extend((0..site.model.groups.len()).map(Page::Group));
        }
        pages.extend(
            (0..site.ranking.towns.len())
                .filter(|&i| site.shows(&site.town(&site.ranking.towns[i]).slug.value))
                .map(Page::Town),
        );
        pages
    }

    /// Renders the page into `out`: its address, its template and its view.
    pub(super) fn render(self, site: &Site, out: &Output) -> Result<()> {
        match self {
            Page::Ranking => out.put(urls::RANKING, "index.html", &ranking::view(site)),
            Page::Notices => out.put(urls::NOTICES, "notices.html", &notices::view(site)),
            Page::Rubric => out.put(urls::RUBRIC, "rubric.html", &rubric::view(site)),
            Page::History => out.put(urls::HISTORY, "history.html", &history::view(site)),
            Page::Rounds => out.put(urls::ROUNDS, "rounds.html", &rounds::view(site)),
            Page::Objections => {
                out.put(urls::OBJECTIONS, "objections.html", &objections::view(site))
            }
            Page::Rectification => out.put(
                urls::RECTIFICATION,
                "rectification.html",
                &rectification::view(site),
            ),
            Page::Group(i) => {
                let group = &site.model.groups[i];
                let path = urls::group(&group.id.value);
                out.put(&path, "group.html", &group::view(site, group))
            }
            Page::Town(i) => {
                let score = &site.ranking.towns[i];
                let path = urls::town(&site.town(score).slug.value);
                out.put_keyed(
                    &path,
                    "town.html",
                    || town::key(site, score),
                    || town::view(site, score),
                )
            }
        }
    }
}

/// Where a page goes: through its template, into the sink; or, when an earlier render made it
/// from the same view, its bytes from then.
pub(super) struct Output<'r> {
    pub(super) theme: &'r Theme,
    pub(super) sink: &'r Masked<'r>,
    /// The earlier render's views and pages, when there is one to reuse.
    pub(super) reuse: Option<&'r Reuse>,
    /// The views of the site on disk that the sink replaces, whose pages it can put again.
    pub(super) last: Option<&'r super::Views>,
    /// The fingerprint of each page's view, for the next render; `None` when no render
    /// follows.
    pub(super) views: Option<&'r Mutex<HashMap<String, u64>>>,
    /// How many pages were rendered, not taken from `reuse`.
    pub(super) rendered: &'r std::sync::atomic::AtomicUsize,
}

impl Output<'_> {
    /// Whether a page's fingerprint is wanted: to take it from the last render, or for the
    /// next one.
    fn fingerprints(&self) -> bool {
        self.views.is_some() || self.reuse.is_some() || self.last.is_some()
    }

    fn put(&self, path: &str, template: &str, view: &impl Serialize) -> Result<()> {
        // A view that cannot be serialized fails to render too: nothing to reuse.
        let fingerprint = self
            .fingerprints()
            .then(|| fingerprint(template, view))
            .flatten();
        if let Some(fingerprint) = fingerprint
            && self.put_kept(path, fingerprint)?
        {
            return Ok(());
        }
        self.render(path, template, view)
    }

    /// Puts a page whose view is made only when it must be rendered: `key` fingerprints
    /// everything its view is made from, so that a page whose key is the same as in the last
    /// render is taken from there without making its view.
    fn put_keyed<V: Serialize>(
        &self,
        path: &str,
        template: &str,
        key: impl FnOnce() -> u64,
        view: impl FnOnce() -> V,
    ) -> Result<()> {
        if self.fingerprints() {
            let mut hasher = Fingerprint::new();
            hasher.0.write(template.as_bytes());
            hasher.0.write_u8(1);
            hasher.0.write_u64(key());
            if self.put_kept(path, hasher.finish())? {
                return Ok(());
            }
        }
        self.render(path, template, &view())
    }

    /// Notes the page's fingerprint for the next render, and puts the page of the last render
    /// when it had the same: from memory, or from the site on disk that the sink replaces.
    /// False when the page must be rendered.
    fn put_kept(&self, path: &str, fingerprint: u64) -> Result<bool> {
        if let Some(views) = self.views {
            views
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_string(), fingerprint);
        }
        if let Some(bytes) = self.reuse.and_then(|r| r.page(path, fingerprint)) {
            self.sink.put_masked(path, bytes)?;
            return Ok(true);
        }
        if self
            .last
            .is_some_and(|l| l.pages.get(path) == Some(&fingerprint))
        {
            return self.sink.put_last(path);
        }
        Ok(false)
    }

    fn render(&self, path: &str, template: &str, view: &impl Serialize) -> Result<()> {
        self.rendered
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put_text(path, &self.theme.page(template, view)?)
    }
}

/// A 64-bit fingerprint of values, as JSON or as their `Debug` text, fed in turn.
pub(super) struct Fingerprint(std::collections::hash_map::DefaultHasher);

impl Fingerprint {
    pub(super) fn new() -> Fingerprint {
        Fingerprint(std::collections::hash_map::DefaultHasher::new())
    }

    /// Adds a value as its JSON; false when it cannot be serialized.
    pub(super) fn json(&mut self, value: &impl Serialize) -> bool {
        self.0.write_u8(b'j');
        serde_json::to_writer(Hashing(&mut self.0), value).is_ok()
    }

    /// Adds a value by its `Hash`.
    pub(super) fn hash(&mut self, value: &impl std::hash::Hash) {
        self.0.write_u8(b'h');
        value.hash(&mut self.0);
    }

    /// Adds a value as its `Debug` text.
    pub(super) fn debug(&mut self, value: &(impl std::fmt::Debug + ?Sized)) {
        use std::fmt::Write as _;
        thread_local! {
            static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        self.0.write_u8(b'd');
        TEXT.with_borrow_mut(|text| {
            text.clear();
            // Writing to a string cannot fail.
            let _ = write!(text, "{value:?}");
            self.0.write(text.as_bytes());
        });
    }

    pub(super) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

struct Hashing<'h>(&'h mut std::collections::hash_map::DefaultHasher);

impl std::io::Write for Hashing<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A fingerprint of a page's template and view: the same for the same JSON.
fn fingerprint(template: &str, view: &impl Serialize) -> Option<u64> {
    let mut hasher = Fingerprint::new();
    hasher.0.write(template.as_bytes());
    hasher.0.write_u8(0);
    hasher.json(view).then(|| hasher.finish())
}
