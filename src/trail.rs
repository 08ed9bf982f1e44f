//! The audit trail for the terminal (`ducha history`): text for people, JSON for scripts.

use std::fmt::Write as _;

use serde::Serialize;

use crate::audit::{self, Signer};
use crate::history::{Change, ChangeKind, History, Ruling, SheetChange};
use crate::model::{Content, Decision, Lang};

fn town_name(content: &Content, slug: &str) -> String {
    content
        .towns
        .iter()
        .flatten()
        .find(|t| t.slug.value == slug)
        .map_or_else(|| slug.to_string(), |t| t.name.value.clone())
}

fn kind(change: &SheetChange, zh: bool) -> String {
    match (&change.kind, zh) {
        (ChangeKind::Added, true) => "（新建）".into(),
        (ChangeKind::Added, false) => " (created)".into(),
        (ChangeKind::Deleted, true) => "（删除）".into(),
        (ChangeKind::Deleted, false) => " (deleted)".into(),
        (ChangeKind::Renamed { from }, true) => format!("（改名自 {from}）"),
        (ChangeKind::Renamed { from }, false) => format!(" (renamed from {from})"),
        (ChangeKind::Modified, _) => String::new(),
    }
}

fn sheet_lines(out: &mut String, content: &Content, change: &SheetChange, lang: Lang) {
    let zh = lang == Lang::Zh;
    let _ = writeln!(
        out,
        "  {} {}{}",
        town_name(content, &change.town),
        change.path,
        kind(change, zh)
    );
    for item in &change.items {
        let _ = writeln!(out, "    · {}", audit::describe(item, lang));
    }
}

/// A decision or a closing as the trail tells it: 柳城镇 第 8 项：异议采纳（叶浩）.
fn ruling_line(content: &Content, ruling: &Ruling, lang: Lang) -> String {
    let town = town_name(content, &ruling.town);
    let what = match (ruling.decision, ruling.deduction) {
        (Some(d), _) => {
            let word = match d {
                Decision::Accepted => lang.pick("异议采纳", "objection accepted"),
                Decision::Partly => lang.pick("异议部分采纳", "objection partly accepted"),
                Decision::Rejected => lang.pick("异议驳回", "objection rejected"),
            };
            lang.pick(
                format!("第 {} 项：{word}", ruling.item),
                format!("item {}: {word}", ruling.item),
            )
        }
        (None, Some(n)) => lang.pick(
            format!("第 {} 项第 {n} 条问题：销号", ruling.item),
            format!("item {}, problem {n}: closed", ruling.item),
        ),
        (None, None) => String::new(),
    };
    lang.pick(
        format!("{town} {what}（署名 {}）", ruling.named),
        format!("{town} {what} (in the name of {})", ruling.named),
    )
}

/// Each commit's sheet changes, by commit index.
fn by_commit(history: &History) -> Vec<Vec<&SheetChange>> {
    let mut out = vec![Vec::new(); history.commits.len()];
    for change in &history.changes {
        if let Some(slot) = change.commit.and_then(|i| out.get_mut(i)) {
            slot.push(change);
        }
    }
    out
}

/// Newest first, like `git log`, with each commit's sheet changes item by item.
pub fn text(history: &History, content: &Content, town: Option<&str>, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if !history.repository {
        out.push_str(if zh {
            "不是 git 仓库，没有修改记录。\n"
        } else {
            "not a git repository: no history.\n"
        });
        return out;
    }
    let wanted = |c: &&SheetChange| town.is_none_or(|t| c.town == t);
    let uncommitted: Vec<&SheetChange> = history
        .changes
        .iter()
        .filter(|c| c.commit.is_none())
        .filter(wanted)
        .collect();
    if !uncommitted.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            if zh {
                "未提交的修改"
            } else {
                "Uncommitted changes"
            }
        );
        for change in uncommitted {
            sheet_lines(&mut out, content, change, lang);
        }
        out.push('\n');
    }
    let by_commit = by_commit(history);
    let signers = audit::signers(content, history);
    let mut shown = 0;
    for (i, commit) in history.commits.iter().enumerate().rev() {
        let changes: Vec<&SheetChange> = by_commit[i].iter().copied().filter(wanted).collect();
        let rulings: Vec<&Ruling> = history
            .rulings
            .iter()
            .filter(|r| r.commit == i && town.is_none_or(|t| r.town == t))
            .collect();
        if town.is_some() && changes.is_empty() && rulings.is_empty() {
            continue;
        }
        shown += 1;
        let _ = writeln!(
            out,
            "{}  {}  {} <{}>",
            commit.short(),
            commit.date,
            commit.author,
            commit.email
        );
        if let Some(signer) = signers.as_ref().and_then(|s| s.get(i)) {
            let mark = if signer.is_verified() { "✔" } else { "⚠" };
            let _ = writeln!(out, "  {mark} {}", signer.describe(lang));
        }
        for line in commit.message.lines() {
            let _ = writeln!(out, "    {line}");
        }
        if changes.is_empty() && rulings.is_empty() {
            let _ = writeln!(out, "  {}", commit.files.join(", "));
        }
        for change in changes {
            sheet_lines(&mut out, content, change, lang);
        }
        for ruling in rulings {
            let _ = writeln!(out, "  {}", ruling_line(content, ruling, lang));
        }
        out.push('\n');
    }
    if shown == 0 {
        out.push_str(if zh {
            "没有修改记录。\n"
        } else {
            "no changes.\n"
        });
    }
    crate::diag::printable(&out).into_owned()
}

#[derive(Serialize)]
struct Trail<'a> {
    repository: bool,
    head: Option<&'a str>,
    dirty: bool,
    uncommitted: Vec<SheetJson<'a>>,
    commits: Vec<CommitJson<'a>>,
}

#[derive(Serialize)]
struct CommitJson<'a> {
    id: &'a str,
    author: &'a str,
    email: &'a str,
    date: &'a str,
    message: &'a str,
    files: &'a [String],
    /// Who signed the commit, when the campaign signs its commits.
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<SignatureJson<'a>>,
    sheets: Vec<SheetJson<'a>>,
}

#[derive(Serialize)]
struct SignatureJson<'a> {
    #[serde(flatten)]
    signer: &'a Signer,
    text: String,
}

#[derive(Serialize)]
struct SheetJson<'a> {
    town: &'a str,
    path: &'a str,
    kind: &'a ChangeKind,
    changes: Vec<ChangeJson<'a>>,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    #[serde(flatten)]
    change: &'a Change,
    text: String,
}

/// Newest first, as one JSON document.
pub fn json<'a>(history: &'a History, content: &Content, town: Option<&str>, lang: Lang) -> String {
    let signers = audit::signers(content, history);
    let sheet = |c: &'a SheetChange| SheetJson {
        town: &c.town,
        path: &c.path,
        kind: &c.kind,
        changes: c
            .items
            .iter()
            .map(|change| ChangeJson {
                change,
                text: audit::describe(change, lang),
            })
            .collect(),
    };
    let wanted = |c: &&SheetChange| town.is_none_or(|t| c.town == t);
    let by_commit = by_commit(history);
    let trail = Trail {
        repository: history.repository,
        head: history.head.as_deref(),
        dirty: history.dirty,
        uncommitted: history
            .changes
            .iter()
            .filter(|c| c.commit.is_none())
            .filter(wanted)
            .map(sheet)
            .collect(),
        commits: history
            .commits
            .iter()
            .enumerate()
            .rev()
            .filter_map(|(i, commit)| {
                let sheets: Vec<SheetJson> = by_commit[i]
                    .iter()
                    .copied()
                    .filter(wanted)
                    .map(sheet)
                    .collect();
                (town.is_none() || !sheets.is_empty()).then_some(CommitJson {
                    id: &commit.id,
                    author: &commit.author,
                    email: &commit.email,
                    date: &commit.date,
                    message: &commit.message,
                    files: &commit.files,
                    signature: signers.as_ref().and_then(|s| s.get(i)).map(|signer| {
                        SignatureJson {
                            signer,
                            text: signer.describe(lang),
                        }
                    }),
                    sheets,
                })
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&trail).unwrap_or_default();
    out.push('\n');
    out
}
