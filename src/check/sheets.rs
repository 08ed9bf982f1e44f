//! Rules on score sheets: which towns they cover, which group filed them, when it visited and
//! who signed them. The rules on their scores are in `entries.rs`, on their evidence in
//! `evidence.rs`.

use std::collections::HashMap;

use super::entries::score_rules;
use super::evidence::evidence_rules;
use super::setup::UnknownTown;
use super::{Evidence, Index};
use crate::diag::{Diagnostic, FileId, Message, Rule, Severity, message, shell_word};
use crate::lang::Lang;
use crate::model::{Campaign, Content, Deletion, Group, Objections, Sheet, Status, Town};

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &SIGNOFF_NOT_IN_GROUP,
    &FINAL_WITHOUT_SIGNOFF,
    &VISIT_OUTSIDE_WINDOW,
    &WRONG_GROUP,
    &DUPLICATE_SHEET,
    &MISSING_SHEET,
    &SHEET_FILE_NAME,
    &SIGNOFF_DATE,
    &NO_VISIT,
];

pub fn check(
    content: &Content,
    index: &Index,
    evidence: &(dyn Fn(&str) -> Evidence + Sync),
    deleted: &dyn Fn(&str) -> Option<Deletion>,
    out: &mut Vec<Diagnostic>,
) {
    // The rules of one sheet alone, on every core, in chunks of sheets.
    let chunks: Vec<&[Sheet]> = content.sheets.chunks(64).collect();
    let items = content.rubric.as_ref().map(crate::model::ItemIndex::new);
    let progress = crate::progress::Stage::Checking;
    crate::progress::stage(progress, Some(content.sheets.len() as u64));
    let alone = crate::parallel::map(&chunks, |chunk| {
        let found = chunk.iter().map(|sheet| {
            let mut out = Vec::new();
            let town = index.towns.get(sheet.town.value.as_str()).copied();
            let group = group_rules(sheet, town, index, content.whole.groups, &mut out);
            if let Some(campaign) = &content.campaign {
                date_rules(sheet, campaign, &content.objections, &mut out);
            }
            signoff_rules(sheet, group, &mut out);
            evidence_rules(sheet.paths(), evidence, &mut out);
            if let Some(items) = &items {
                let whole = content.whole.rubric;
                score_rules(sheet, items, whole, town, index.step, &mut out);
            }
            out
        });
        let found = found.collect::<Vec<_>>();
        crate::progress::advance(chunk.len() as u64);
        Ok::<_, std::convert::Infallible>(found)
    });
    let mut alone = alone.into_iter().flatten().flatten();
    let mut first_sheet: HashMap<&str, FileId> = HashMap::new();
    for sheet in &content.sheets {
        let town = index.towns.get(sheet.town.value.as_str()).copied();
        if content.whole.towns && town.is_none() {
            let msg = UnknownTown {
                slug: sheet.town.value.clone(),
            };
            out.push(Diagnostic::new(msg, sheet.town.span));
        }
        if let Some(town) = town {
            if let Some(first) = first_sheet.get(town.slug.value.as_str()) {
                let msg = DuplicateSheet {
                    town: town.name.value.clone(),
                    first: format!("sheets/{}.yaml", stem_of(content, *first)),
                };
                out.push(Diagnostic::new(msg, sheet.town.span));
            } else {
                first_sheet.insert(&town.slug.value, sheet.file);
            }
            if sheet.stem != town.slug.value {
                let msg = SheetFileName {
                    slug: town.slug.value.clone(),
                };
                out.push(Diagnostic::new(msg, sheet.town.span));
            }
        }
        out.extend(alone.next().into_iter().flatten());
    }
    for town in content.towns.iter().flatten() {
        let unreadable = content.unreadable_sheets.contains(&town.slug.value);
        if !first_sheet.contains_key(town.slug.value.as_str()) && !unreadable {
            let msg = MissingSheet {
                town: town.name.value.clone(),
                slug: town.slug.value.clone(),
                deleted: deleted(&town.slug.value),
            };
            out.push(Diagnostic::new(msg, town.slug.span));
        }
    }
}

fn stem_of(content: &Content, file: FileId) -> &str {
    content
        .sheets
        .iter()
        .find(|s| s.file == file)
        .map_or("", |s| s.stem.as_str())
}

fn group_rules<'a>(
    sheet: &Sheet,
    town: Option<&Town>,
    index: &Index<'a>,
    groups_loaded: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<&'a Group> {
    // The sign-off is checked against the group the town belongs to, whatever the sheet says.
    let assigned = town.and_then(|t| index.group_of.get(t.slug.value.as_str()).copied());
    let given = sheet.group.as_ref()?;
    let Some(group) = index.groups.get(given.value.as_str()).copied() else {
        if groups_loaded {
            let msg = WrongGroup::Unknown {
                group: given.value.clone(),
            };
            out.push(Diagnostic::new(msg, given.span));
        }
        return assigned;
    };
    if let Some(town) = town
        && let Some(assigned) = assigned
        && assigned.id.value != group.id.value
        && groups_loaded
    {
        let msg = WrongGroup::NotTheTowns {
            group: group.id.value.clone(),
            expected: assigned.id.value.clone(),
            town: town.name.value.clone(),
        };
        out.push(Diagnostic::new(msg, given.span));
    }
    assigned.or(Some(group))
}

fn date_rules(
    sheet: &Sheet,
    campaign: &Campaign,
    objections: &[Objections],
    out: &mut Vec<Diagnostic>,
) {
    // A window that ends before it starts is E0201's to report: no visit is judged by it.
    if let Some((start, end)) = &campaign.inspection
        && start.value <= end.value
    {
        for date in &sheet.visited {
            if date.value < start.value || date.value > end.value {
                let msg = VisitOutsideWindow {
                    date: date.value.to_string(),
                    start: start.value.to_string(),
                    end: end.value.to_string(),
                };
                out.push(Diagnostic::new(msg, date.span));
            }
        }
    }
    if sheet.status.value == Status::Final && sheet.visited.is_empty() && sheet.visited_read {
        out.push(Diagnostic::new(NoVisit, sheet.status.span));
    }
    let Some(date) = sheet.signoff.as_ref().and_then(|s| s.date.as_ref()) else {
        return;
    };
    if let Some(last) = sheet.visited.iter().map(|d| d.value).max()
        && date.value < last
    {
        let msg = SignoffDate::BeforeVisit {
            date: date.value.to_string(),
            last: last.to_string(),
        };
        out.push(Diagnostic::new(msg, date.span));
    }
    // A sheet signed again after an objection the office upheld is signed late on purpose.
    let upheld = objections
        .iter()
        .filter(|o| o.town.value == sheet.town.value)
        .flat_map(|o| &o.requests)
        .filter_map(|r| Some((r.decision.as_ref()?.value, r.decided.as_ref()?.value)))
        .any(|(decision, on)| decision.upheld() && on <= date.value);
    if let Some(deadline) = &campaign.review_deadline
        && date.value > deadline.value
        && !upheld
    {
        let msg = SignoffDate::AfterDeadline {
            date: date.value.to_string(),
            deadline: deadline.value.to_string(),
        };
        out.push(Diagnostic::new(msg, date.span));
    }
}

fn signoff_rules(sheet: &Sheet, group: Option<&Group>, out: &mut Vec<Diagnostic>) {
    let Some(signoff) = &sheet.signoff else {
        if sheet.status.value == Status::Final {
            out.push(Diagnostic::new(FinalWithoutSignoff, sheet.status.span));
        }
        return;
    };
    let Some(group) = group else { return };
    if signoff.leader.value != group.leader.name.value {
        let msg = SignoffNotInGroup::NotLeader {
            name: signoff.leader.value.clone(),
            leader: group.leader.name.value.clone(),
        };
        out.push(Diagnostic::new(msg, signoff.leader.span));
    }
    for member in &signoff.members {
        let known = group.inspectors().any(|p| p.name.value == member.value);
        if !known {
            let msg = SignoffNotInGroup::NotMember {
                name: member.value.clone(),
                group: group.name.clone(),
            };
            out.push(Diagnostic::new(msg, member.span));
        }
    }
}

// The rules, in code order.

pub static SIGNOFF_NOT_IN_GROUP: Rule = Rule {
    code: "E0316",
    name: "signoff-not-in-group",
    severity: Severity::Error,
    title_zh: "签名人不是本组组长或成员",
    title_en: "Sign-off by someone outside the group",
    doc_en: "What it checks: `signoff.leader` is the group's leader (组长) and every `signoff.members` name is
one of the group's deputies or members.
Why: only the group that inspected a town may sign its sheet.",
    doc_zh: "检查内容：`signoff.leader` 是本组组长，`signoff.members` 中的每个名字都是本组的副组长或成员。
原因：只有督查该乡镇的督查组，才能在它的评分表上签名。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignoffNotInGroup {
    NotLeader { name: String, leader: String },
    NotMember { name: String, group: String },
}

impl Message for SignoffNotInGroup {
    fn rule(&self) -> &'static Rule {
        &SIGNOFF_NOT_IN_GROUP
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            SignoffNotInGroup::NotLeader { name, leader } => lang.pick(
                format!("{name} 不是本组组长（组长为 {leader}）：请由组长签名"),
                format!("{name} is not the group's leader ({leader}): the leader signs"),
            ),
            SignoffNotInGroup::NotMember { name, group } => lang.pick(
                format!("{name} 不是 {group} 的成员：请只列本组副组长和成员"),
                format!("{name} is not in {group}: list only the group's deputies and members"),
            ),
        }
    }
}

pub static FINAL_WITHOUT_SIGNOFF: Rule = Rule {
    code: "E0317",
    name: "final-without-signoff",
    severity: Severity::Error,
    title_zh: "定稿评分表没有签名",
    title_en: "Final sheet without sign-off",
    doc_en: "What it checks: a sheet with `status: final` has a `signoff` with its leader and date.
Why: only signed sheets count in the ranking; the paper form carries the same signatures.",
    doc_zh: "检查内容：`status: final` 的评分表有 `signoff`，写明组长和日期。
原因：只有签了名的评分表才计入排名；纸质评分表上也是同样的签名。",
};

message! {
    FinalWithoutSignoff for FINAL_WITHOUT_SIGNOFF,
    "定稿（status: final）的评分表须有签名 signoff：组长和日期",
    "a final sheet needs a signoff: leader and date",
}

pub static VISIT_OUTSIDE_WINDOW: Rule = Rule {
    code: "E0318",
    name: "visit-outside-window",
    severity: Severity::Error,
    title_zh: "督查日期不在督查时间内",
    title_en: "Visit outside the inspection window",
    doc_en: "What it checks: every `visited` date lies within `inspection.start`..`inspection.end`.",
    doc_zh: "检查内容：`visited` 中的每个日期都在 `inspection.start` 到 `inspection.end` 之间。",
};

message! {
    VisitOutsideWindow {
        date: String,
        start: String,
        end: String,
    } for VISIT_OUTSIDE_WINDOW,
    "督查日期 {date} 不在督查时间 {start} 至 {end} 内：请更正",
    "visit date {date} is outside the inspection window {start} to {end}: correct it",
}

pub static WRONG_GROUP: Rule = Rule {
    code: "E0319",
    name: "wrong-group",
    severity: Severity::Error,
    title_zh: "评分表的小组与乡镇所属小组不符",
    title_en: "Sheet's group is not the town's group",
    doc_en: "What it checks: a sheet's `group` is the group whose `towns` list its town.
Why: a sheet filed by the wrong group is either misfiled or unauthorised.",
    doc_zh: "检查内容：评分表的 `group` 是在 `towns` 中列有该乡镇的那个督查组。
原因：组别不对的评分表，不是放错了地方，就是未经授权。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrongGroup {
    /// A group that is not the one whose `towns` list the town.
    NotTheTowns {
        group: String,
        expected: String,
        town: String,
    },
    /// A group that groups.yaml does not have.
    Unknown { group: String },
}

impl Message for WrongGroup {
    fn rule(&self) -> &'static Rule {
        &WRONG_GROUP
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            WrongGroup::NotTheTowns {
                group,
                expected,
                town,
            } => lang.pick(
                format!("{town} 由 {expected} 督查，而评分表写的是 {group}：请更正 group"),
                format!("{town} is inspected by {expected}, not {group}: correct the group"),
            ),
            WrongGroup::Unknown { group } => lang.pick(
                format!("groups.yaml 中没有小组 `{group}`：请更正"),
                format!("there is no group `{group}` in groups.yaml: correct it"),
            ),
        }
    }
}

pub static DUPLICATE_SHEET: Rule = Rule {
    code: "E0321",
    name: "duplicate-sheet",
    severity: Severity::Error,
    title_zh: "同一乡镇有两份评分表",
    title_en: "Two sheets for one town",
    doc_en: "What it checks: at most one sheet names each town.
Why: which of the two counts would be a guess.",
    doc_zh: "检查内容：每个乡镇最多只有一份评分表。
原因：两份中以哪一份为准，只能靠猜。",
};

message! {
    DuplicateSheet {
        town: String,
        /// The town's first sheet.
        first: String,
    } for DUPLICATE_SHEET,
    "{town} 已有评分表 {first}：一个乡镇只能有一份，请删除或合并",
    "{town} already has a sheet, {first}: keep one, delete or merge the other",
}

pub static MISSING_SHEET: Rule = Rule {
    code: "W0322",
    name: "missing-sheet",
    severity: Severity::Warning,
    title_zh: "乡镇还没有评分表",
    title_en: "Town has no sheet yet",
    doc_en:
        "What it checks: every town has a sheet. While one is missing the ranking is provisional.
When the git history shows that the town's sheet was deleted, the message says in which commit
and by whom, and how to restore it (`git checkout COMMIT~1 -- content/sheets/x.yaml`).
Fix: `ducha new TOWN`. With --strict this is an error.",
    doc_zh: "检查内容：每个乡镇都有评分表。只要还缺，排名就是暂定的。
如果 git 历史表明该乡镇的评分表被删除了，提示信息会说明是在哪一次提交中、由谁删除的，
以及怎样恢复（`git checkout 提交~1 -- content/sheets/x.yaml`）。
改法：`ducha new 乡镇`。加 --strict 时作为错误。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSheet {
    pub town: String,
    pub slug: String,
    /// When the town's sheet was there before and was deleted.
    pub deleted: Option<Deletion>,
}

impl Message for MissingSheet {
    fn rule(&self) -> &'static Rule {
        &MISSING_SHEET
    }

    fn text(&self, lang: Lang) -> String {
        let Self { town, slug, .. } = self;
        let Some(d) = &self.deleted else {
            return lang.pick(
                format!("{town} 还没有评分表：运行 ducha new {slug}；在此之前排名为暂定"),
                format!("{town} has no sheet yet: run `ducha new {slug}`; until then the ranking is provisional"),
            );
        };
        let path = shell_word(&d.path);
        match &d.commit {
            Some(commit) => lang.pick(
                format!("{town} 的评分表 {} 已在提交 {commit}（{}，{}）中删除：如属误删，运行 git checkout {commit}~1 -- {path} 恢复；在此之前排名为暂定", d.path, d.author, d.date),
                format!("{town}'s sheet {} was deleted in commit {commit} ({}, {}): if by mistake, restore it with `git checkout {commit}~1 -- {path}`; until then the ranking is provisional", d.path, d.author, d.date),
            ),
            None => lang.pick(
                format!("{town} 的评分表 {} 已删除（尚未提交）：如属误删，运行 git checkout HEAD -- {path} 恢复；在此之前排名为暂定", d.path),
                format!("{town}'s sheet {} is deleted (not committed yet): if by mistake, restore it with `git checkout HEAD -- {path}`; until then the ranking is provisional", d.path),
            ),
        }
    }
}

pub static SHEET_FILE_NAME: Rule = Rule {
    code: "W0323",
    name: "sheet-file-name",
    severity: Severity::Warning,
    title_zh: "评分表文件名与乡镇标识不符",
    title_en: "Sheet file not named after its town",
    doc_en: "What it checks: a sheet for town `xiantang` is content/sheets/xiantang.yaml.
Why: people find a town's sheet by its file name.",
    doc_zh: "检查内容：乡镇 `xiantang` 的评分表是 content/sheets/xiantang.yaml。
原因：大家按文件名查找乡镇的评分表。",
};

message! {
    SheetFileName {
        slug: String,
    } for SHEET_FILE_NAME,
    "文件名与乡镇标识不符：请改名为 {slug}.yaml",
    "the file is not named after its town: rename it {slug}.yaml",
}

pub static SIGNOFF_DATE: Rule = Rule {
    code: "W0324",
    name: "signoff-date",
    severity: Severity::Warning,
    title_zh: "签名日期可疑",
    title_en: "Suspicious sign-off date",
    doc_en: "What it checks: the sign-off date is not before the last visit and not after the review deadline,
unless the office upheld an objection of the town on or before it (the sheet signed again).",
    doc_zh: "检查内容：签名日期不早于最后一次督查日期，也不晚于评议评分审核截止日期；
督查室已在签名日或之前采纳本乡镇异议、评分表重新签名的除外。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignoffDate {
    BeforeVisit { date: String, last: String },
    AfterDeadline { date: String, deadline: String },
}

impl Message for SignoffDate {
    fn rule(&self) -> &'static Rule {
        &SIGNOFF_DATE
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            SignoffDate::BeforeVisit { date, last } => lang.pick(
                format!("签名日期 {date} 早于最后督查日期 {last}：请核对"),
                format!("sign-off date {date} is before the last visit on {last}: check it"),
            ),
            SignoffDate::AfterDeadline { date, deadline } => lang.pick(
                format!("签名日期 {date} 晚于评议评分审核截止日 {deadline}：请核对"),
                format!("sign-off date {date} is after the review deadline {deadline}: check it"),
            ),
        }
    }
}

pub static NO_VISIT: Rule = Rule {
    code: "W0325",
    name: "no-visit",
    severity: Severity::Warning,
    title_zh: "定稿评分表没有督查日期",
    title_en: "Final sheet without visit dates",
    doc_en: "What it checks: a final sheet lists the dates of its visits under `visited`.",
    doc_zh: "检查内容：定稿的评分表在 `visited` 下列出了各次督查的日期。",
};

message! {
    NoVisit for NO_VISIT,
    "定稿评分表没有填写督查日期 visited：请补上",
    "a final sheet lists no visit dates: add them under visited",
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let text = || "x".to_string();
    let date = || "2020-03-06".to_string();
    let deleted = Deletion {
        path: "content/sheets/x y.yaml".into(),
        commit: Some("abc1234".into()),
        author: text(),
        date: date(),
    };
    vec![
        Box::new(SignoffNotInGroup::NotLeader {
            name: text(),
            leader: text(),
        }),
        Box::new(FinalWithoutSignoff),
        Box::new(VisitOutsideWindow {
            date: date(),
            start: date(),
            end: date(),
        }),
        Box::new(WrongGroup::Unknown { group: text() }),
        Box::new(DuplicateSheet {
            town: text(),
            first: text(),
        }),
        Box::new(MissingSheet {
            town: text(),
            slug: text(),
            deleted: Some(deleted),
        }),
        Box::new(SheetFileName { slug: text() }),
        Box::new(SignoffDate::AfterDeadline {
            date: date(),
            deadline: date(),
        }),
        Box::new(NoVisit),
    ]
}
