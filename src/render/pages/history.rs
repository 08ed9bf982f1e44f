//! The history page (`history/`): every commit that changed the content, newest first, with
//! the sheet changes it made; town pages show their own changes from the same trail.

use std::collections::HashMap;

use serde::Serialize;

use crate::audit::{self, Flag, Signer};
use crate::history::{ChangeKind, Commit};
use crate::model::Lang;
use crate::render::layout::Common;
use crate::render::shared::Site;

#[derive(Serialize)]
pub struct HistoryPage<'s> {
    common: Common<'s>,
    repository: bool,
    audit_off: bool,
    uncommitted: Vec<&'s ChangeView<'s>>,
    commits: Vec<CommitEntry<'s>>,
}

#[derive(Serialize)]
struct CommitEntry<'a> {
    commit: CommitView<'a>,
    sheets: Vec<&'a ChangeView<'a>>,
}

/// A commit as its section of the history page shows it.
#[derive(Serialize)]
struct CommitView<'a> {
    #[serde(flatten)]
    head: CommitHead<'a>,
    files: &'a [String],
}

/// A commit as a change names it. Without the commit's files: a commit that adds a thousand
/// sheets would list them again for each of its thousand changes.
#[derive(Serialize, Clone)]
struct CommitHead<'a> {
    id: &'a str,
    short: &'a str,
    author: &'a str,
    date: &'a str,
    summary: &'a str,
    message: &'a str,
    /// Who signed the commit, when the campaign signs its commits.
    signed: Option<SignedView>,
}

#[derive(Serialize, Clone)]
struct SignedView {
    key: &'static str,
    text: String,
}

impl<'a> CommitHead<'a> {
    fn new(c: &'a Commit, signer: Option<&Signer>, lang: Lang) -> Self {
        CommitHead {
            id: &c.id,
            short: c.short(),
            author: &c.author,
            date: &c.date,
            summary: c.summary(),
            message: &c.message,
            signed: signer.map(|s| SignedView {
                key: s.key(),
                text: s.describe(lang),
            }),
        }
    }
}

/// A change to a town's sheet, as the history and town pages show it.
#[derive(Serialize)]
pub struct ChangeView<'a> {
    /// `None` for uncommitted changes.
    commit: Option<CommitHead<'a>>,
    town: &'a str,
    slug: &'a str,
    kind: &'static str,
    from: Option<&'a str>,
    items: Vec<String>,
    /// The audit rules that flag the change.
    flags: Vec<FlagView>,
}

#[derive(Serialize)]
struct FlagView {
    code: &'static str,
    title: &'static str,
}

/// The changes of the audit trail, each made into its view once.
#[derive(Default)]
pub struct Trail<'a> {
    /// One for each change of `History::changes`; none when the audit is off.
    changes: Vec<ChangeView<'a>>,
    /// Each town's changes (indices into `changes`), oldest first.
    by_town: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Trail<'a> {
    pub fn new(site: &Site<'a>, flags: &[Flag]) -> Self {
        let signers = site.signers;
        if site.audit_off() {
            return Trail::default();
        }
        let history = site.history;
        let mut changes: Vec<ChangeView<'a>> = history
            .changes
            .iter()
            .map(|change| {
                let (kind, from) = match &change.kind {
                    ChangeKind::Added => ("added", None),
                    ChangeKind::Modified => ("modified", None),
                    ChangeKind::Deleted => ("deleted", None),
                    ChangeKind::Renamed { from } => ("renamed", Some(from.as_str())),
                };
                ChangeView {
                    commit: change.commit.and_then(|i| {
                        let signer = signers.and_then(|s| s.get(i));
                        Some(CommitHead::new(history.commits.get(i)?, signer, site.lang))
                    }),
                    town: site.town_name(&change.town).unwrap_or(&change.town),
                    slug: &change.town,
                    kind,
                    from,
                    items: change
                        .items
                        .iter()
                        .map(|c| audit::describe(c, site.lang))
                        .collect(),
                    flags: Vec::new(),
                }
            })
            .collect();
        for flag in flags {
            if let Some(change) = changes.get_mut(flag.change) {
                change.flags.push(FlagView {
                    code: flag.rule.code,
                    title: match site.lang {
                        Lang::Zh => flag.rule.title_zh,
                        Lang::En => flag.rule.title_en,
                    },
                });
            }
        }
        let mut by_town: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, change) in history.changes.iter().enumerate() {
            by_town.entry(change.town.as_str()).or_default().push(i);
        }
        Trail { changes, by_town }
    }

    /// A town's changes, newest first.
    pub fn of_town(&self, slug: &str) -> Vec<&ChangeView<'a>> {
        self.by_town
            .get(slug)
            .map(|changes| changes.iter().rev().map(|&c| &self.changes[c]).collect())
            .unwrap_or_default()
    }
}

pub fn view<'s>(site: &'s Site) -> HistoryPage<'s> {
    let history = site.history;
    let trail = &site.trail;
    // Each commit's changes, by the commit's index: the trail is walked once.
    let mut by_commit: Vec<Vec<&ChangeView>> = vec![Vec::new(); history.commits.len()];
    let mut uncommitted = Vec::new();
    for (change, view) in history.changes.iter().zip(&trail.changes) {
        match change.commit {
            Some(i) => {
                if let Some(sheets) = by_commit.get_mut(i) {
                    sheets.push(view);
                }
            }
            None => uncommitted.push(view),
        }
    }
    let signer = |i: usize| site.signers.and_then(|s| s.get(i));
    let commits = if site.audit_off() {
        Vec::new()
    } else {
        history
            .commits
            .iter()
            .zip(by_commit)
            .enumerate()
            .rev()
            .map(|(i, (commit, sheets))| CommitEntry {
                commit: CommitView {
                    head: CommitHead::new(commit, signer(i), site.lang),
                    files: &commit.files,
                },
                sheets,
            })
            .collect()
    };
    HistoryPage {
        common: site.common(1, "history"),
        repository: history.repository,
        audit_off: site.audit_off(),
        uncommitted,
        commits,
    }
}
