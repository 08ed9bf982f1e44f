//! Rules on the audit trail: who changed a sheet, when, and whether it was signed again.
//! They read the trail that `history` returns, never git itself. Each rule is declared here
//! with its documentation and messages in both languages; `describe.rs` tells each change of
//! the trail in words, for the pages, `ducha history` and `ducha diff`.

mod describe;
mod signing;

pub use describe::describe;
pub use signing::{Keys, Signer, signers};

use std::collections::{HashMap, HashSet};

use crate::check::Index;
use crate::diag::{Diagnostic, Message, Rule, Severity, Span, message};
use crate::history::History;
use crate::lang::Lang;
use crate::model::Content;

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &BAD_AUDIT_START,
    &UNAUTHORIZED_CHANGE,
    &CHANGE_AFTER_DEADLINE,
    &CHANGE_AFTER_SIGNOFF,
    &UNCOMMITTED_CHANGE,
    &SHALLOW_HISTORY,
    &UNVERIFIED_CHANGE,
    &CHANGE_AFTER_REJECTION,
    &CHANGE_AFTER_PUBLICATION,
    &RULING_BY_OTHER,
];

/// A change of the trail that an audit rule flags: shown with the rule's title wherever the
/// change is shown.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// Index into `History::changes`.
    pub change: usize,
    pub rule: &'static Rule,
}

/// Runs the rules on the audit trail: who changed the sheets, when, and their sign-offs.
/// Returns the diagnostics, and each flagged change with the rule that flags it.
pub fn run(content: &Content, history: &History) -> (Vec<Diagnostic>, Vec<Flag>) {
    let mut out = Vec::new();
    let mut flags = Vec::new();
    check(content, &Index::new(content), history, &mut out, &mut flags);
    (out, flags)
}

fn check(
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
        let msg = BadAuditStart {
            value: from.value.clone(),
        };
        out.push(Diagnostic::new(msg, from.span));
    }
    if !campaign.audit.enabled || !history.repository {
        return;
    }
    if let Some(start) = &history.shallow {
        let msg = ShallowHistory {
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
    let mut flag = |out: &mut Vec<Diagnostic>, change: usize, diagnostic: Diagnostic| {
        flags.push(Flag {
            change,
            rule: diagnostic.rule(),
        });
        out.push(diagnostic);
    };
    let keys = Keys::new(content);
    // Per town, the changes of a signed sheet's scores since its last sign-off.
    let mut unsigned: HashMap<&str, Vec<usize>> = HashMap::new();
    for (c, change) in history.changes.iter().enumerate() {
        let Some(&span) = place.get(change.town.as_str()) else {
            continue;
        };
        let Some(i) = change.commit else {
            flag(out, c, Diagnostic::new(UncommittedChange, span));
            if change.was_signed && change.scores_changed && !change.signs_off {
                let msg = ChangeAfterSignoff {
                    commit: None,
                    date: String::new(),
                    more: 0,
                };
                flag(out, c, Diagnostic::new(msg, span));
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
            let msg = UnauthorizedChange {
                commit: commit.short().to_string(),
                author: commit.author.clone(),
                email: commit.email.clone(),
                date: commit.date.clone(),
                group: group.map_or_else(String::new, |g| g.name.clone()),
            };
            flag(out, c, Diagnostic::new(msg, span));
        }
        if campaign.audit.require_signed {
            let why = match keys.signer(&commit.signature) {
                Signer::Verified { .. }
                    if keys.allowed(&commit.signature, group, &campaign.office) =>
                {
                    None
                }
                Signer::Verified { name, .. } => Some(Unverified::NotAllowed {
                    name,
                    group: group.map_or_else(String::new, |g| g.name.clone()),
                }),
                Signer::UnknownKey { fingerprint } => Some(Unverified::UnknownKey { fingerprint }),
                Signer::Invalid { .. } => Some(Unverified::Invalid),
                Signer::OtherFormat => Some(Unverified::OtherFormat),
                Signer::Unsigned => Some(Unverified::Unsigned),
            };
            if let Some(why) = why {
                let msg = UnverifiedChange {
                    commit: commit.short().to_string(),
                    author: commit.author.clone(),
                    date: commit.date.clone(),
                    why,
                };
                flag(out, c, Diagnostic::new(msg, span));
            }
        }
        // The items whose score the change changes, and the objections decided on them by the
        // day of the commit.
        let decided = |item: &str, upheld: bool| {
            content
                .objections
                .iter()
                .filter(|o| o.town.value == change.town)
                .flat_map(|o| &o.requests)
                .filter(|r| r.item.value == item)
                .filter_map(|r| Some((r.decision.as_ref()?.value, r.decided.as_ref()?.value)))
                .any(|(decision, on)| {
                    decision.upheld() == upheld && commit.day.is_some_and(|d| on <= d)
                })
        };
        let scored: Vec<&str> = change
            .items
            .iter()
            .filter_map(|i| i.scored_item())
            .collect();
        let covered = !scored.is_empty() && scored.iter().all(|item| decided(item, true));
        for item in scored
            .iter()
            .filter(|item| !decided(item, true) && decided(item, false))
        {
            let msg = ChangeAfterRejection {
                commit: commit.short().to_string(),
                date: commit.date.clone(),
                item: item.to_string(),
            };
            flag(out, c, Diagnostic::new(msg, span));
        }
        if change.scores_changed
            && !covered
            && commit.after_publication
            && let Some(published) = &history.published
        {
            let msg = ChangeAfterPublication {
                commit: commit.short().to_string(),
                author: commit.author.clone(),
                date: commit.date.clone(),
                tag: published.tag.clone(),
            };
            flag(out, c, Diagnostic::new(msg, span));
        }
        if change.scores_changed
            && !covered
            && let (Some(day), Some(deadline)) = (commit.day, &campaign.review_deadline)
            && day > deadline.value
        {
            let msg = ChangeAfterDeadline {
                commit: commit.short().to_string(),
                author: commit.author.clone(),
                date: commit.date.clone(),
                deadline: deadline.value.to_string(),
            };
            flag(out, c, Diagnostic::new(msg, span));
        }
        let pending = unsigned.entry(change.town.as_str()).or_default();
        if change.signs_off {
            pending.clear();
        } else if change.was_signed && change.scores_changed {
            pending.push(c);
        }
    }
    rulings(content, history, out);
    for (town, changes) in unsigned {
        let Some(first) = changes.first().and_then(|c| history.changes[*c].commit) else {
            continue;
        };
        let msg = ChangeAfterSignoff {
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

// The rules, in code order.

pub static BAD_AUDIT_START: Rule = Rule {
    code: "E0214",
    name: "bad-audit-start",
    severity: Severity::Error,
    title_zh: "审计起点不是本仓库中的提交",
    title_en: "Audit start is not a commit of this repository",
    doc_en: "What it checks: `audit.from` names a commit of the repository's history (a commit id or a tag).
Why: commits up to it are taken as the starting point and not audited; a wrong name would
silently audit everything or nothing.",
    doc_zh: "检查内容：`audit.from` 指的是本仓库历史中的一个提交（提交编号或标签）。
原因：到这个提交为止的各次提交作为起点，不予审计；名称写错，就会悄悄地全部审计，或全不审计。",
};

message! {
    BadAuditStart {
        value: String,
    } for BAD_AUDIT_START,
    "本仓库历史中没有提交 `{value}`：请写审计起点的提交号或标签",
    "there is no commit `{value}` in this repository's history: give the commit id or tag where the audit starts",
}

pub static UNAUTHORIZED_CHANGE: Rule = Rule {
    code: "W0401",
    name: "unauthorized-change",
    severity: Severity::Warning,
    title_zh: "评分表被本组和督查室以外的人修改",
    title_en: "Sheet changed by someone outside its group and the office",
    doc_en: "What it checks: every commit that changed a sheet was authored (by git e-mail) by the town's
group (leader, deputies, members) or by the office (`office` in campaign.yaml).
Why: a score changed by anyone else is the kind of change the audit exists to catch.
Fix: if the change is right, have the group or the office commit it; give people their `git:`
e-mail in groups.yaml so that their commits are recognised. With --strict this is an error.",
    doc_zh: "检查内容：每一个修改评分表的提交，其作者（按 git 邮箱）是该乡镇所属督查组的人
（组长、副组长、成员），或是督查室的人（campaign.yaml 中的 `office`）。
原因：由其他任何人改动的得分，正是审计要查出来的那种改动。
改法：如果改动是对的，请由本组或督查室提交；在 groups.yaml 中写上各人的 `git:` 邮箱，
以便认出他们的提交。加 --strict 时作为错误。",
};

message! {
    UnauthorizedChange {
        commit: String,
        author: String,
        email: String,
        date: String,
        /// The town's group, by name.
        group: String,
    } for UNAUTHORIZED_CHANGE,
    "提交 {commit}（{author} <{email}>，{date}）修改了本评分表，但此人既不是{group}成员，也不在督查室名单中：请核实，并由本组或督查室重新提交",
    "commit {commit} ({author} <{email}>, {date}) changed this sheet, but its author is neither in {group} nor in the office: check the change, and have the group or the office commit it",
}

pub static CHANGE_AFTER_DEADLINE: Rule = Rule {
    code: "W0402",
    name: "change-after-deadline",
    severity: Severity::Warning,
    title_zh: "评议评分审核截止后修改了分数",
    title_en: "Scores changed after the review deadline",
    doc_en: "What it checks: no commit dated (in the campaign's timezone) after `review_deadline` changes a score,
except on items whose objection (content/objections/) the office accepted or partly accepted
on or before the day of the commit.
Why: late corrections may be legitimate, but they must be seen and explained; a decided
objection is that explanation.
With --strict this is an error.",
    doc_zh: "检查内容：没有日期（按督查活动的时区）晚于 `review_deadline` 的提交修改了得分；
督查室在提交当日或之前已采纳或部分采纳异议（content/objections/）的评分项除外。
原因：逾期的更正可能是正当的，但必须让人看到，并说明理由；已作决定的异议就是这个理由。
加 --strict 时作为错误。",
};

message! {
    ChangeAfterDeadline {
        commit: String,
        author: String,
        date: String,
        deadline: String,
    } for CHANGE_AFTER_DEADLINE,
    "提交 {commit}（{author}，{date}）在评议评分审核截止日 {deadline} 之后修改了分数：请核实并在提交说明中写明原因",
    "commit {commit} ({author}, {date}) changed scores after the review deadline {deadline}: check it, and say why in the commit message",
}

pub static CHANGE_AFTER_SIGNOFF: Rule = Rule {
    code: "W0403",
    name: "change-after-signoff",
    severity: Severity::Warning,
    title_zh: "签名后修改了分数，未重新签名",
    title_en: "Scores changed after sign-off without a new sign-off",
    doc_en: "What it checks: when scores change on a signed sheet, the same or a later commit signs it off
again (a new `signoff` date or signers).
Why: a signature covers the scores it was given for, not later ones.
With --strict this is an error.",
    doc_zh: "检查内容：已签名的评分表得分有改动时，同一个或之后的提交重新签了名（新的 `signoff` 日期或签名人）。
原因：签名只对签名时的得分负责，不对之后的改动负责。
加 --strict 时作为错误。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeAfterSignoff {
    /// The first commit that changed the scores, none for uncommitted changes.
    pub commit: Option<String>,
    pub date: String,
    /// Later commits that also changed scores without a new sign-off.
    pub more: usize,
}

impl Message for ChangeAfterSignoff {
    fn rule(&self) -> &'static Rule {
        &CHANGE_AFTER_SIGNOFF
    }

    fn text(&self, lang: Lang) -> String {
        let Self { date, more, .. } = self;
        let Some(commit) = &self.commit else {
            return lang.pick(
                "未提交的修改改动了已签名评分表的分数：请组长重新签名（更新 signoff 日期）",
                "uncommitted changes alter scores of a signed sheet: the leader signs again (a new signoff date)",
            )
            .into();
        };
        if *more == 0 {
            lang.pick(
                format!("提交 {commit}（{date}）修改了已签名评分表的分数，之后没有重新签名：请组长重新签名（更新 signoff 日期）"),
                format!("commit {commit} ({date}) changed scores of a signed sheet, and nobody signed it off again: the leader signs again (a new signoff date)"),
            )
        } else {
            lang.pick(
                format!("提交 {commit}（{date}）及之后 {more} 次提交修改了已签名评分表的分数，之后没有重新签名：请组长重新签名（更新 signoff 日期）"),
                format!("commit {commit} ({date}) and {more} later ones changed scores of a signed sheet, and nobody signed it off again: the leader signs again (a new signoff date)"),
            )
        }
    }
}

pub static UNCOMMITTED_CHANGE: Rule = Rule {
    code: "W0404",
    name: "uncommitted-change",
    severity: Severity::Warning,
    title_zh: "评分表有未提交的修改",
    title_en: "Sheet has uncommitted changes",
    doc_en: "What it checks: the sheet in the working tree is the one in the last commit.
Why: only committed changes are in the audit trail. Commit with a message that says why.",
    doc_zh: "检查内容：工作区中的评分表与最后一次提交中的相同。
原因：只有提交了的改动才进入审计记录。请提交，并在提交说明中写明原因。",
};

message! {
    UncommittedChange for UNCOMMITTED_CHANGE,
    "评分表有未提交的修改：请提交，并在提交说明中写明修改原因",
    "the sheet has uncommitted changes: commit them with a message that says why",
}

pub static SHALLOW_HISTORY: Rule = Rule {
    code: "W0405",
    name: "shallow-history",
    severity: Severity::Warning,
    title_zh: "浅克隆：审计不完整",
    title_en: "Shallow clone: the audit is incomplete",
    doc_en: "What it checks: the repository holds its whole history (it is not a shallow clone).
Why: in a clone made with --depth, the oldest commit present looks as if it added every sheet, and
everything before it (who changed what, and when) is missing. ducha takes that commit's sheets as
the starting point and audits only what follows, and says so.
Fix: git fetch --unshallow; in CI, check out with the whole history (actions/checkout with
fetch-depth: 0, GitLab GIT_DEPTH: 0).",
    doc_zh: "检查内容：仓库保存着完整的历史（不是浅克隆）。
原因：用 --depth 克隆的仓库中，现存最早的提交看上去像是添加了所有评分表，而在它之前的一切
（谁在何时改了什么）都没有了。ducha 把这个提交中的评分表作为起点，只审计其后的提交，并会说明这一点。
改法：git fetch --unshallow；在 CI 中检出完整历史（actions/checkout 设 fetch-depth: 0，
GitLab 设 GIT_DEPTH: 0）。",
};

message! {
    ShallowHistory {
        /// The oldest commit present.
        commit: String,
    } for SHALLOW_HISTORY,
    "本仓库是浅克隆，提交 {commit} 之前的历史缺失，审计不完整（该提交中的评分表视为起点）：请运行 git fetch --unshallow 取得完整历史",
    "this is a shallow clone: the history before commit {commit} is missing and the audit is incomplete (the sheets of that commit are taken as the starting point); run git fetch --unshallow for the whole history",
}

pub static UNVERIFIED_CHANGE: Rule = Rule {
    code: "W0406",
    name: "unverified-change",
    severity: Severity::Warning,
    title_zh: "评分表的修改没有经核实的签名",
    title_en: "Sheet changed without a verified signature",
    doc_en: "What it checks: with `audit: {require_signed: true}` in campaign.yaml, every commit that changed a
sheet is signed with SSH (`gpg.format=ssh`), the signature holds for the commit as it is, and the
key is listed under `keys` for an inspector of the town's group or for the office.
Why: a commit's author name and e-mail are typed by whoever commits; only a signature with a
listed key says who made a change. A commit that is unsigned, signed by a stranger's key, or
changed after it was signed could have been made by anyone.
Fix: sign commits (git config gpg.format ssh; git config user.signingkey ~/.ssh/id_ed25519.pub;
git config commit.gpgsign true) and list the public key under your name; have the change
made again in a signed commit by someone allowed to make it. With --strict this is an error.",
    doc_zh: "检查内容：campaign.yaml 中设了 `audit: {require_signed: true}` 时，每个修改评分表的提交都用 SSH 签名
（`gpg.format=ssh`），签名与提交内容相符，且所用公钥列在该乡镇所属小组的组员或督查室人员的 `keys` 下。
原因：提交的作者姓名和邮箱由提交者自己填写；只有用登记过的公钥所作的签名，才能说明修改是谁做的。
未签名、用陌生公钥签名、或签名后又被改动的提交，任何人都可能做出。
改法：为提交签名（git config gpg.format ssh；git config user.signingkey ~/.ssh/id_ed25519.pub；
git config commit.gpgsign true），并把公钥登记在自己名下；由有权修改的人以签名提交重新修改。
加 --strict 时作为错误。",
};

pub static CHANGE_AFTER_REJECTION: Rule = Rule {
    code: "W0407",
    name: "change-after-rejection",
    severity: Severity::Warning,
    title_zh: "异议被驳回后仍修改了该项分数",
    title_en: "Score changed on an item whose objection was rejected",
    doc_en: "What it checks: no commit changes the score of an item after the office rejected the town's
objection to it (`decision: rejected` in content/objections/), unless another request on the
item was accepted or partly accepted by then.
Why: a rejected objection means the score stands; changing it anyway undoes the office's
decision without a record of why. A change that follows an accepted decision is not flagged as
late either. With --strict this is an error.",
    doc_zh: "检查内容：督查室驳回乡镇对某项的异议（content/objections/ 中 `decision: rejected`）之后，没有提交再修改该项分数，
除非此前对该项的另一条异议已被采纳或部分采纳。
原因：异议被驳回，分数就应维持；仍然修改，等于不留记录地推翻了督查室的决定。
按已采纳的决定修改分数，也不再作为逾期修改提示。加 --strict 时作为错误。",
};

message! {
    ChangeAfterRejection {
        commit: String,
        date: String,
        item: String,
    } for CHANGE_AFTER_REJECTION,
    "提交 {commit}（{date}）修改了第 {item} 项的分数，而对该项的异议已被驳回：请核实，必要时恢复原分数",
    "commit {commit} ({date}) changed item {item}, whose objection was rejected: check it, and restore the score if need be",
}

pub static CHANGE_AFTER_PUBLICATION: Rule = Rule {
    code: "W0408",
    name: "change-after-publication",
    severity: Severity::Warning,
    title_zh: "正式发布后修改了分数",
    title_en: "Scores changed after publication",
    doc_en: "What it checks: no commit made on top of the published campaign (the tag `ducha publish`
made) changes a score, unless it follows an objection the office accepted or partly accepted on
that item by then.
Why: the published ranking has been sent out county-wide; a score that changes afterwards makes
the site disagree with the document towns received. Publish again with a new tag once the change
is decided. With --strict this is an error.",
    doc_zh: "检查内容：在正式发布（`ducha publish` 所建的标签）之后的提交没有修改得分；按督查室此前已采纳或部分采纳的异议修改该项的除外。
原因：正式发布的排名已全县通报；之后再改分数，网站就与各乡镇收到的文件不一致。改动决定后，请以新的标签重新发布。
加 --strict 时作为错误。",
};

message! {
    ChangeAfterPublication {
        commit: String,
        author: String,
        date: String,
        tag: String,
    } for CHANGE_AFTER_PUBLICATION,
    "提交 {commit}（{author}，{date}）在正式发布（{tag}）之后修改了分数：请核实；确需修改的，决定后重新发布",
    "commit {commit} ({author}, {date}) changed scores after the campaign was published ({tag}): check it, and publish again once the change is decided",
}

/// Each decision and closing was committed by the person the file names, as their git e-mail
/// says.
fn rulings(content: &Content, history: &History, out: &mut Vec<Diagnostic>) {
    let Some(campaign) = &content.campaign else {
        return;
    };
    for ruling in &history.rulings {
        let Some(commit) = history.commits.get(ruling.commit) else {
            continue;
        };
        if !commit.audited {
            continue;
        }
        let Some(person) = campaign
            .office
            .iter()
            .find(|p| p.name.value == ruling.named)
        else {
            // Someone outside the office: E0504 and E0514 say so.
            continue;
        };
        let theirs = person.git.as_ref().map(|g| g.value.to_lowercase());
        if theirs.as_deref() == Some(commit.email.to_lowercase().as_str()) {
            continue;
        }
        let span = ruling_span(content, ruling).unwrap_or(Span::file(campaign.file));
        let msg = RulingByOther {
            commit: commit.short().to_string(),
            author: commit.author.clone(),
            date: commit.date.clone(),
            named: ruling.named.clone(),
        };
        out.push(Diagnostic::new(msg, span));
    }
}

/// Where the file names the person of a ruling, as it stands now.
fn ruling_span(content: &Content, ruling: &crate::history::Ruling) -> Option<Span> {
    match ruling.deduction {
        None => content
            .objections
            .iter()
            .filter(|o| o.town.value == ruling.town)
            .flat_map(|o| &o.requests)
            .filter(|r| r.item.value == ruling.item)
            .find_map(|r| r.decided_by.as_ref().map(|b| b.span)),
        Some(n) => content
            .rectification
            .iter()
            .filter(|o| o.town.value == ruling.town)
            .flat_map(|o| &o.records)
            .filter(|r| r.item.value == ruling.item && r.deduction.value == n)
            .find_map(|r| r.closed.as_ref().map(|c| c.by.span)),
    }
}

pub static RULING_BY_OTHER: Rule = Rule {
    code: "W0409",
    name: "ruling-by-other",
    severity: Severity::Warning,
    title_zh: "异议决定或销号不是由署名人提交",
    title_en: "Decision or closing committed by someone other than the person named",
    doc_en: "What it checks: the commit that records a decision on an objection (`decided_by`) or a closing
(`closed.by`) is authored, by git e-mail, by the person of the office it names.
Why: a decision or a 销号 is the office's word; written in by someone else, under the office's
name, it is not. Have the person named commit it, from their own account. With --strict this
is an error.",
    doc_zh: "检查内容：记录异议决定（`decided_by`）或销号（`closed.by`）的提交，其作者（按 git 邮箱）就是所署名的督查室人员。
原因：异议决定和销号代表督查室的意见；由别人以督查室人员的名义写入，就不是。请由署名人用自己的账户提交。
加 --strict 时作为错误。",
};

message! {
    RulingByOther {
        commit: String,
        author: String,
        date: String,
        named: String,
    } for RULING_BY_OTHER,
    "提交 {commit}（{author}，{date}）以{named}的名义写入了决定或销号，提交者却不是{named}：请由{named}本人提交",
    "commit {commit} ({author}, {date}) records a decision or closing in the name of {named}, who did not make it: have {named} commit it",
}

/// Why a change's commit does not say who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unverified {
    Unsigned,
    /// Signed with OpenPGP or X.509, not with SSH.
    OtherFormat,
    /// The signature does not hold for the commit.
    Invalid,
    UnknownKey {
        fingerprint: String,
    },
    /// Verified, but the signer is neither in the town's group nor in the office.
    NotAllowed {
        name: String,
        group: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnverifiedChange {
    pub commit: String,
    pub author: String,
    pub date: String,
    pub why: Unverified,
}

impl Message for UnverifiedChange {
    fn rule(&self) -> &'static Rule {
        &UNVERIFIED_CHANGE
    }

    fn text(&self, lang: Lang) -> String {
        let UnverifiedChange {
            commit,
            author,
            date,
            why,
        } = self;
        let why = match why {
            Unverified::Unsigned => lang.pick("没有签名".to_string(), "is not signed".to_string()),
            Unverified::OtherFormat => lang.pick(
                "有签名，但不是用登记的 SSH 公钥签的（OpenPGP 或 X.509 签名）".to_string(),
                "is signed, but not with a listed SSH key (an OpenPGP or X.509 signature)"
                    .to_string(),
            ),
            Unverified::Invalid => lang.pick(
                "的签名与提交内容不符（签名后被改动，或签名是伪造的）".to_string(),
                "has a signature that does not hold for it (changed after signing, or forged)"
                    .to_string(),
            ),
            Unverified::UnknownKey { fingerprint } => lang.pick(
                format!("由未登记的公钥 {fingerprint} 签名"),
                format!("is signed by the key {fingerprint}, which nobody lists"),
            ),
            Unverified::NotAllowed { name, group } => lang.pick(
                format!("由 {name} 签名，但此人既不在{group}也不在督查室"),
                format!("is signed by {name}, who is in neither {group} nor the office"),
            ),
        };
        lang.pick(
            format!("修改本评分表的提交 {commit}（{author}，{date}）{why}：请由有权修改的人以签名提交重新修改"),
            format!("commit {commit} ({author}, {date}) that changed this sheet {why}: have someone allowed to make the change make it again in a signed commit"),
        )
    }
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let text = || "x".to_string();
    vec![
        Box::new(BadAuditStart { value: text() }),
        Box::new(UnauthorizedChange {
            commit: text(),
            author: text(),
            email: text(),
            date: text(),
            group: text(),
        }),
        Box::new(ChangeAfterDeadline {
            commit: text(),
            author: text(),
            date: text(),
            deadline: text(),
        }),
        Box::new(ChangeAfterSignoff {
            commit: Some(text()),
            date: text(),
            more: 2,
        }),
        Box::new(UncommittedChange),
        Box::new(ShallowHistory { commit: text() }),
        Box::new(UnverifiedChange {
            commit: text(),
            author: text(),
            date: text(),
            why: Unverified::NotAllowed {
                name: text(),
                group: text(),
            },
        }),
        Box::new(ChangeAfterRejection {
            commit: text(),
            date: text(),
            item: text(),
        }),
        Box::new(ChangeAfterPublication {
            commit: text(),
            author: text(),
            date: text(),
            tag: text(),
        }),
        Box::new(RulingByOther {
            commit: text(),
            author: text(),
            date: text(),
            named: text(),
        }),
    ]
}
