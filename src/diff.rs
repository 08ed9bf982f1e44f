//! What a change does to a campaign: rank moves, totals, item-level changes and diagnostics,
//! between two checked and scored versions of the content.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use crate::audit::{self, Keys, Signer};
use crate::compare::{self, Scored};
use crate::diag::{Finding, Report, Severity};
use crate::history::{Change, SignedCommit};
use crate::model::{Content, Lang};
use crate::pipeline::Evaluation;
use crate::score::{Ranking, SheetState};

/// One version of the content, loaded, checked and scored.
pub struct Version<'a> {
    /// A commit id, or `None` for the working tree.
    pub commit: Option<String>,
    pub evaluation: &'a Evaluation,
    /// The day its rectification problems are judged on: the commit's day, or today.
    pub as_of: Option<jiff::civil::Date>,
}

impl<'a> Version<'a> {
    fn content(&self) -> &'a Content {
        &self.evaluation.loaded.content
    }

    fn ranking(&self) -> &'a Ranking {
        &self.evaluation.ranking
    }

    fn scored(&self) -> Scored<'a> {
        Scored {
            content: self.content(),
            ranking: self.ranking(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Comparison {
    pub base: Option<String>,
    pub head: Option<String>,
    pub provisional: (bool, bool),
    /// Towns whose rank, total, consequences, status or items changed, in the head's rank order.
    pub towns: Vec<TownDelta>,
    pub new: Vec<Finding>,
    pub resolved: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
    /// The commits from base to head and who signed them, when the campaign signs its commits.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commits: Vec<CommitSigner>,
    /// Rectification problems done, closed or newly overdue.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ledger: Vec<LedgerChange>,
}

/// A problem whose state or colour changed, as of each version's day.
#[derive(Debug, Serialize)]
pub struct LedgerChange {
    pub town: String,
    pub slug: String,
    pub item: String,
    pub deduction: u32,
    /// State and colour in the base; `None` for a problem it did not have.
    pub from: Option<(&'static str, &'static str)>,
    pub to: (&'static str, &'static str),
}

/// The problems of a version, by town, item and deduction, with their state and colour.
/// A problem by town slug, item and deduction; the town's name; its state and colour.
type LedgerEntry = ((String, String, u32), String, (&'static str, &'static str));

fn ledger_of(v: &Version) -> Vec<LedgerEntry> {
    let Some(model) = v.content().complete() else {
        return Vec::new();
    };
    crate::ledger::problems(model, v.ranking(), v.as_of)
        .into_iter()
        .map(|p| {
            let town = model.town(p.town);
            (
                (town.slug.value.clone(), p.item.id.value.clone(), p.index),
                town.name.value.clone(),
                (p.state.as_str(), p.colour.as_str()),
            )
        })
        .collect()
}

fn ledger_changes(base: &Version, head: &Version) -> Vec<LedgerChange> {
    let before: std::collections::HashMap<_, _> = ledger_of(base)
        .into_iter()
        .map(|(key, _, state)| (key, state))
        .collect();
    ledger_of(head)
        .into_iter()
        .filter_map(|(key, name, to)| {
            let from = before.get(&key).copied();
            let changed = match from {
                Some(from) => from.0 != to.0 || (to.1 == "red" && from.1 != "red"),
                None => to.0 != "open" || to.1 == "red",
            };
            changed.then_some(LedgerChange {
                town: name,
                slug: key.0,
                item: key.1,
                deduction: key.2,
                from,
                to,
            })
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct CommitSigner {
    pub commit: String,
    pub summary: String,
    #[serde(flatten)]
    pub signer: Signer,
    pub text: String,
}

/// Who signed each commit, read with the keys of the head's campaign; none when it does not
/// sign its commits.
pub fn signers(commits: &[SignedCommit], head: &Content, lang: Lang) -> Vec<CommitSigner> {
    let keys = Keys::new(head);
    if !keys.in_use {
        return Vec::new();
    }
    commits
        .iter()
        .map(|c| {
            let signer = keys.signer(&c.signature);
            CommitSigner {
                commit: c.id.clone(),
                summary: c.summary.clone(),
                text: signer.describe(lang),
                signer,
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct TownDelta {
    pub town: String,
    pub slug: String,
    pub rank: (Option<u32>, Option<u32>),
    pub total: (Option<String>, Option<String>),
    /// The change of the published total, when both versions have one.
    pub delta: Option<String>,
    pub flagged: (bool, bool),
    /// The actions of the consequences that apply to the town in each version, those over
    /// several rounds included.
    pub actions: (Vec<String>, Vec<String>),
    /// The grade (等次) in each version, when the campaign grades towns.
    #[serde(skip_serializing_if = "no_grades")]
    pub grade: (Option<String>, Option<String>),
    pub status: (SheetState, SheetState),
    pub changes: Vec<Change>,
    /// The same changes in words, in the campaign's language.
    pub described: Vec<String>,
}

fn findings(v: &Version, lang: Lang) -> Vec<Finding> {
    Report::new(&v.evaluation.loaded.files, lang, &v.evaluation.diags, false).findings()
}

pub fn compare(base: &Version, head: &Version) -> Comparison {
    let lang = head.content().lang();
    let (before, after) = (base.scored(), head.scored());
    let mut towns = Vec::new();
    for pair in compare::towns(&before, &after) {
        let (b, h) = (pair.base, pair.head);
        let (old_total, new_total) = (b.and_then(|s| s.total()), h.and_then(|s| s.total()));
        // A town the head no longer has is listed as gone, without its sheet's changes.
        let changes = if h.is_some() {
            pair.changes(&after)
        } else {
            Vec::new()
        };
        let delta = TownDelta {
            town: pair.name().to_string(),
            slug: pair.slug.to_string(),
            rank: (b.and_then(|s| s.score.rank), h.and_then(|s| s.score.rank)),
            total: (old_total.map(|p| p.fixed(2)), new_total.map(|p| p.fixed(2))),
            delta: old_total
                .zip(new_total)
                .filter(|(a, b)| a != b)
                .map(|(a, b)| {
                    let d = b - a;
                    format!("{}{}", if d.0 > 0 { "+" } else { "" }, d.fixed(2))
                }),
            flagged: (
                b.is_some_and(|s| s.flagged()),
                h.is_some_and(|s| s.flagged()),
            ),
            actions: (
                b.map_or(Vec::new(), |s| before.actions(&s)),
                h.map_or(Vec::new(), |s| after.actions(&s)),
            ),
            grade: (
                b.and_then(|s| before.grade(&s)).map(str::to_string),
                h.and_then(|s| after.grade(&s)).map(str::to_string),
            ),
            status: (
                b.map_or(SheetState::Missing, |s| s.score.status),
                h.map_or(SheetState::Missing, |s| s.score.status),
            ),
            described: changes.iter().map(|c| audit::describe(c, lang)).collect(),
            changes,
        };
        let changed = delta.rank.0 != delta.rank.1
            || delta.total.0 != delta.total.1
            || delta.flagged.0 != delta.flagged.1
            || delta.actions.0 != delta.actions.1
            || delta.grade.0 != delta.grade.1
            || delta.status.0 != delta.status.1
            || !delta.changes.is_empty();
        if changed {
            towns.push(delta);
        }
    }
    let key = |f: &Finding| (f.code, f.file.clone(), f.message.clone());
    let (old, new) = (findings(base, lang), findings(head, lang));
    let old_keys: BTreeSet<_> = old.iter().map(key).collect();
    let new_keys: BTreeSet<_> = new.iter().map(key).collect();
    let mut added: Vec<Finding> = new
        .iter()
        .filter(|f| !old_keys.contains(&key(f)))
        .cloned()
        .collect();
    let mut resolved: Vec<Finding> = old
        .into_iter()
        .filter(|f| !new_keys.contains(&key(f)))
        .collect();
    added.sort();
    resolved.sort();
    Comparison {
        base: base.commit.clone(),
        head: head.commit.clone(),
        provisional: (base.ranking().provisional, head.ranking().provisional),
        towns,
        new: added,
        resolved,
        errors: head
            .evaluation
            .diags
            .iter()
            .filter(|d| d.rule().severity == Severity::Error)
            .count(),
        warnings: head
            .evaluation
            .diags
            .iter()
            .filter(|d| d.rule().severity == Severity::Warning)
            .count(),
        commits: Vec::new(),
        ledger: ledger_changes(base, head),
    }
}

fn no_grades(grade: &(Option<String>, Option<String>)) -> bool {
    grade.0.is_none() && grade.1.is_none()
}

pub fn json(c: &Comparison) -> String {
    let mut out = serde_json::to_string_pretty(c).unwrap_or_default();
    out.push('\n');
    out
}

/// Text from the content as Markdown that shows it literally: one line, no HTML, no
/// emphasis, links, mentions or control characters of its own.
fn md(text: &str) -> String {
    let line = text.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let mut out = String::with_capacity(line.len());
    for c in crate::diag::printable(&line).chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '('
                | ')'
                | '<'
                | '>'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
                | '~'
                | '@'
                | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn short(commit: &Option<String>, zh: bool) -> String {
    match commit {
        Some(id) => format!("`{}`", &id[..id.len().min(7)]),
        None => (if zh { "工作区" } else { "the working tree" }).to_string(),
    }
}

/// A pull-request comment: short lines and lists that read on a phone.
pub fn markdown(c: &Comparison, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let t = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
    let rank = |r: Option<u32>| match r {
        Some(r) => r.to_string(),
        None => "—".into(),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {} {} → {}\n",
        t("ducha：修改的影响", "ducha: what this change does"),
        short(&c.base, zh),
        short(&c.head, zh)
    );
    let scored = c.towns.iter().filter(|d| d.total.0 != d.total.1).count();
    let moved = c.towns.iter().filter(|d| d.rank.0 != d.rank.1).count();
    let status = if c.errors > 0 {
        t(
            &format!("❌ 检查有 {} 个错误，网站不会生成。", c.errors),
            &format!(
                "❌ The check finds {} errors: the site will not build.",
                c.errors
            ),
        )
    } else {
        t("✅ 检查通过。", "✅ The check passes.")
    };
    let _ = writeln!(
        out,
        "{}\n",
        t(
            &format!("**{scored} 个乡镇总分变化，{moved} 个乡镇名次变动。** {status}"),
            &format!("**{scored} towns change total, {moved} change rank.** {status}")
        )
    );
    if c.provisional.1 {
        let _ = writeln!(
            out,
            "{}\n",
            t(
                "> 排名为暂定：尚有乡镇没有定稿评分表。",
                "> The ranking is provisional: some towns have no final sheet."
            )
        );
    }
    let ranked: Vec<&TownDelta> = c
        .towns
        .iter()
        .filter(|d| {
            d.rank.0 != d.rank.1
                || d.total.0 != d.total.1
                || d.flagged.0 != d.flagged.1
                || d.actions.0 != d.actions.1
                || d.grade.0 != d.grade.1
        })
        .collect();
    if !ranked.is_empty() {
        let _ = writeln!(out, "### {}\n", t("排名与总分", "Ranks and totals"));
        for d in ranked {
            let arrow = match (d.rank.0, d.rank.1) {
                (Some(a), Some(b)) if b < a => "⬆️",
                (Some(a), Some(b)) if b > a => "⬇️",
                _ => "➡️",
            };
            let total = match (&d.total.0, &d.total.1) {
                (Some(a), Some(b)) if a != b => format!(
                    "{a} → **{b}** ({})",
                    d.delta.clone().unwrap_or_default().replace('-', "−")
                ),
                (Some(a), Some(_)) => a.clone(),
                (a, b) => format!(
                    "{} → {}",
                    a.clone().unwrap_or("—".into()),
                    b.clone().unwrap_or("—".into())
                ),
            };
            let _ = write!(
                out,
                "- {arrow} **{}** {} {} → {}, {total}",
                md(&d.town),
                t("名次", "rank"),
                rank(d.rank.0),
                rank(d.rank.1)
            );
            if d.grade.0 != d.grade.1 {
                let name = |g: &Option<String>| g.as_deref().map_or("—".to_string(), md);
                let _ = write!(
                    out,
                    ", {} {} → {}",
                    t("等次", "grade"),
                    name(&d.grade.0),
                    name(&d.grade.1)
                );
            }
            // On a provisional ranking nobody enters or leaves the bottom places.
            match d.flagged {
                _ if c.provisional.1 => {}
                (false, true) => {
                    let _ = write!(
                        out,
                        " {}",
                        t("🚩 进入倒数名次", "🚩 now in the bottom places")
                    );
                }
                (true, false) => {
                    let _ = write!(
                        out,
                        " {}",
                        t("✔️ 退出倒数名次", "✔️ out of the bottom places")
                    );
                }
                _ => {}
            }
            // Still in the bottom places, but told to do more or less: consequences over
            // several rounds (约谈).
            if !c.provisional.1 && d.flagged == (true, true) {
                let (was, now) = (&d.actions.0, &d.actions.1);
                let added: Vec<&str> = now
                    .iter()
                    .filter(|a| !was.contains(a))
                    .map(|a| a.as_str())
                    .collect();
                let dropped: Vec<&str> = was
                    .iter()
                    .filter(|a| !now.contains(a))
                    .map(|a| a.as_str())
                    .collect();
                if !added.is_empty() {
                    let _ = write!(
                        out,
                        "{}{}",
                        t("；结果运用 + ", "; consequences + "),
                        md(&added.join(&t("、", ", ")))
                    );
                }
                if !dropped.is_empty() {
                    let _ = write!(
                        out,
                        "{}{}",
                        t("；结果运用 − ", "; consequences − "),
                        md(&dropped.join(&t("、", ", ")))
                    );
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if !c.ledger.is_empty() {
        let _ = writeln!(out, "### {}\n", t("整改台账", "Rectification"));
        let state = |s: &str| match s {
            "closed" => t("已销号", "closed"),
            "done" => t("已整改", "done"),
            _ => t("未整改", "open"),
        };
        for l in &c.ledger {
            let _ = write!(
                out,
                "- **{}** {}",
                md(&l.town),
                t(
                    &format!("第 {} 项第 {} 条：", l.item, l.deduction),
                    &format!("item {}, deduction {}: ", l.item, l.deduction)
                )
            );
            match l.from {
                Some(from) if from.0 != l.to.0 => {
                    let _ = write!(out, "{} → {}", state(from.0), state(l.to.0));
                }
                _ => out.push_str(&state(l.to.0)),
            }
            if l.to.1 == "red" && l.from.is_none_or(|f| f.1 != "red") {
                let _ = write!(out, " 🔴 {}", t("逾期", "overdue"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let itemised: Vec<&TownDelta> = c
        .towns
        .iter()
        .filter(|d| !d.described.is_empty() || d.status.0 != d.status.1)
        .collect();
    if !itemised.is_empty() {
        let _ = writeln!(out, "### {}\n", t("逐项变化", "Item by item"));
        for d in itemised {
            let _ = writeln!(out, "**{}**", md(&d.town));
            for line in &d.described {
                let _ = writeln!(out, "- {}", md(line));
            }
            if d.described.is_empty() {
                let _ = writeln!(
                    out,
                    "- {} {} → {}",
                    t("状态", "status"),
                    d.status.0.as_str(),
                    d.status.1.as_str()
                );
            }
            out.push('\n');
        }
    }
    if !c.new.is_empty() || !c.resolved.is_empty() {
        let _ = writeln!(out, "### {}\n", t("检查结果", "Check"));
        for f in &c.new {
            let icon = if f.severity == Severity::Error {
                "❌"
            } else {
                "⚠️"
            };
            let _ = writeln!(
                out,
                "- {icon} {} `{}` {}:{} — {}",
                t("新增", "new"),
                f.code,
                md(&f.file),
                f.line,
                md(&f.message)
            );
        }
        for f in &c.resolved {
            let _ = writeln!(
                out,
                "- ✅ {} `{}` {} — {}",
                t("已解决", "resolved"),
                f.code,
                md(&f.file),
                md(&f.message)
            );
        }
        out.push('\n');
    }
    if !c.commits.is_empty() {
        let verified = c.commits.iter().filter(|s| s.signer.is_verified()).count();
        let _ = writeln!(out, "### {}\n", t("提交签名", "Signatures"));
        let _ = writeln!(
            out,
            "{}\n",
            t(
                &format!("{} 个提交中 {verified} 个经核实签名。", c.commits.len()),
                &format!(
                    "{verified} of {} commits signed and verified.",
                    c.commits.len()
                )
            )
        );
        for s in &c.commits {
            let icon = if s.signer.is_verified() {
                "✅"
            } else {
                "⚠️"
            };
            let _ = writeln!(
                out,
                "- {icon} `{}` {} — {}",
                &s.commit[..s.commit.len().min(7)],
                md(&s.summary),
                md(&s.text)
            );
        }
        out.push('\n');
    }
    if c.towns.is_empty() && c.new.is_empty() && c.resolved.is_empty() && c.ledger.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            t(
                "没有影响分数、排名或检查结果的修改。",
                "No change to scores, ranks or the check."
            )
        );
    }
    out
}
