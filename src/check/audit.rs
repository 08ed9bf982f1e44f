//! Rules on the audit trail: who changed a sheet, when, and whether it was signed again.

use std::collections::{HashMap, HashSet};

use super::Index;
use super::rules::Rule;
use crate::diag::{Diagnostic, Span};
use crate::history::History;
use crate::message::Msg;
use crate::model::Content;

/// A change of the trail that an audit rule flags: shown with the rule's title wherever the
/// change is shown.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// Index into `History::changes`.
    pub change: usize,
    pub rule: &'static Rule,
}

pub fn check(
    content: &Content,
    index: &Index,
    history: &History,
    out: &mut Vec<Diagnostic>,
    flags: &mut Vec<Flag>,
) {
    let Some(campaign) = &content.campaign else {
        return;
    };
    if history.unknown_audit_start
        && let Some(from) = &campaign.audit.from
    {
        let msg = Msg::BadAuditStart {
            value: from.value.clone(),
        };
        out.push(Diagnostic::new(msg, from.span));
    }
    if !campaign.audit.enabled || !history.repository {
        return;
    }
    if let Some(start) = &history.shallow {
        let msg = Msg::ShallowHistory {
            commit: start.chars().take(7).collect(),
        };
        out.push(Diagnostic::new(msg, Span::file(campaign.file)));
    }
    let office: HashSet<String> = campaign
        .office
        .iter()
        .filter_map(|p| p.git.as_ref().map(|g| g.value.to_lowercase()))
        .collect();
    // Where to point at a town's sheet: its `town:` value, or the town in towns.yaml.
    let mut place: HashMap<&str, Span> = HashMap::new();
    for town in content.towns.iter().flatten() {
        place.insert(&town.slug.value, town.slug.span);
    }
    for sheet in &content.sheets {
        place.insert(&sheet.town.value, sheet.town.span);
    }
    let mut flag = |out: &mut Vec<Diagnostic>, change: usize, msg: Msg, span: Span| {
        flags.push(Flag {
            change,
            rule: msg.rule(),
        });
        out.push(Diagnostic::new(msg, span));
    };
    // Per town, the changes of a signed sheet's scores since its last sign-off.
    let mut unsigned: HashMap<&str, Vec<usize>> = HashMap::new();
    for (c, change) in history.changes.iter().enumerate() {
        let Some(&span) = place.get(change.town.as_str()) else {
            continue;
        };
        let Some(i) = change.commit else {
            flag(out, c, Msg::UncommittedChange, span);
            if change.was_signed && change.scores_changed && !change.signs_off {
                let msg = Msg::ChangeAfterSignoff {
                    commit: None,
                    date: String::new(),
                    more: 0,
                };
                flag(out, c, msg, span);
            }
            continue;
        };
        let commit = &history.commits[i];
        if !commit.audited {
            continue;
        }
        let group = index.group_of.get(change.town.as_str()).copied();
        let email = commit.email.to_lowercase();
        let in_group = group.is_some_and(|g| {
            g.inspectors()
                .filter_map(|p| p.git.as_ref())
                .any(|git| git.value.to_lowercase() == email)
        });
        if !in_group && !office.contains(&email) {
            let msg = Msg::UnauthorizedChange {
                commit: commit.short().to_string(),
                author: commit.author.clone(),
                email: commit.email.clone(),
                date: commit.date.clone(),
                group: group.map_or_else(String::new, |g| g.name.clone()),
            };
            flag(out, c, msg, span);
        }
        if change.scores_changed
            && let (Some(day), Some(deadline)) = (commit.day, &campaign.review_deadline)
            && day > deadline.value
        {
            let msg = Msg::ChangeAfterDeadline {
                commit: commit.short().to_string(),
                author: commit.author.clone(),
                date: commit.date.clone(),
                deadline: deadline.value.to_string(),
            };
            flag(out, c, msg, span);
        }
        let pending = unsigned.entry(change.town.as_str()).or_default();
        if change.signs_off {
            pending.clear();
        } else if change.was_signed && change.scores_changed {
            pending.push(c);
        }
    }
    for (town, changes) in unsigned {
        let Some(first) = changes.first().and_then(|c| history.changes[*c].commit) else {
            continue;
        };
        let msg = Msg::ChangeAfterSignoff {
            commit: Some(history.commits[first].short().to_string()),
            date: history.commits[first].date.clone(),
            more: changes.len() - 1,
        };
        for c in &changes {
            flags.push(Flag {
                change: *c,
                rule: msg.rule(),
            });
        }
        out.push(Diagnostic::new(msg, place[town]));
    }
    flags.sort_by_key(|f| (f.change, f.rule.code));
}
