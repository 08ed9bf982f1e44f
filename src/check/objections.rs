//! Rules on the towns' objections (征求意见, 复核): `content/objections/<slug>.yaml` names a
//! town and items that exist, each request is filed within the window with its evidence, and
//! each decision is made by the office, on or after the day it was filed.

use std::collections::HashSet;

use super::Index;
use crate::diag::{Diagnostic, Message, Rule, Severity, message};
use crate::lang::Lang;
use jiff::civil::Date;

use crate::model::{Content, Objections, Request};

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &OBJECTION_TOWN,
    &OBJECTION_ITEM,
    &OUTSIDE_WINDOW,
    &DECIDED_BY_OUTSIDER,
    &DECISION_DATES,
    &OBJECTION_WITHOUT_EVIDENCE,
];

pub fn check(
    content: &Content,
    index: &Index,
    evidence: &dyn Fn(&str) -> super::Evidence,
    out: &mut Vec<Diagnostic>,
) {
    let items: HashSet<&str> = content.item_ids().collect();
    let office: Vec<&str> = content.office_names().collect();
    let window = content.campaign.as_ref().and_then(|c| c.objection_window());
    // A window set but unusable: too long to count, or with no review deadline to start from.
    if let Some(c) = &content.campaign
        && let Some(days) = &c.objections
        && window.is_none()
    {
        let msg = match days.value > super::setup::MAX_DEADLINE_DAYS {
            true => OutsideWindow::TooLong {
                days: days.value,
                max: super::setup::MAX_DEADLINE_DAYS,
            },
            false => OutsideWindow::NoDeadline,
        };
        out.push(Diagnostic::new(msg, days.span));
    }
    let mut seen = HashSet::new();
    for file in &content.objections {
        town(file, index, content.whole.towns, &mut seen, out);
        for request in &file.requests {
            if content.whole.rubric && !items.contains(request.item.value.as_str()) {
                let msg = ObjectionItem {
                    item: request.item.value.clone(),
                };
                out.push(Diagnostic::new(msg, request.item.span));
            }
            match (window, content.campaign.as_ref()) {
                (Some((from, to)), _) => {
                    let filed = request.filed.value;
                    if filed < from || filed > to {
                        let msg = OutsideWindow::Closed {
                            filed: filed.to_string(),
                            from: from.to_string(),
                            to: to.to_string(),
                        };
                        out.push(Diagnostic::new(msg, request.filed.span));
                    }
                }
                (None, Some(c)) if c.objections.is_none() => {
                    out.push(Diagnostic::new(OutsideWindow::NoWindow, request.span));
                }
                _ => {}
            }
            decision(request, &office, out);
            if request.evidence.is_empty() {
                out.push(Diagnostic::new(
                    ObjectionWithoutEvidence,
                    request.claim.span,
                ));
            }
        }
        for request in &file.requests {
            super::evidence::evidence_rules(&request.evidence, evidence, out);
        }
    }
}

/// The town the file names exists, the file is named after it, and no other file is.
fn town<'c>(
    file: &'c Objections,
    index: &Index,
    towns_whole: bool,
    seen: &mut HashSet<&'c str>,
    out: &mut Vec<Diagnostic>,
) {
    let slug = file.town.value.as_str();
    if towns_whole && !index.towns.contains_key(slug) {
        let msg = ObjectionTown::Unknown {
            town: slug.to_string(),
        };
        out.push(Diagnostic::new(msg, file.town.span));
    } else if slug != file.stem {
        let msg = ObjectionTown::OtherFile {
            town: slug.to_string(),
            stem: file.stem.clone(),
        };
        out.push(Diagnostic::new(msg, file.town.span));
    } else if !seen.insert(slug) {
        let msg = ObjectionTown::Twice {
            town: slug.to_string(),
        };
        out.push(Diagnostic::new(msg, file.town.span));
    }
}

/// A decision is the office's, dated on or after the filing; a decision needs its date and
/// its decider, and a date or decider needs a decision.
fn decision(request: &Request, office: &[&str], out: &mut Vec<Diagnostic>) {
    if let Some(by) = &request.decided_by
        && !office.contains(&by.value.as_str())
    {
        let msg = DecidedByOutsider {
            name: by.value.clone(),
            office: office.join("、"),
        };
        out.push(Diagnostic::new(msg, by.span));
    }
    let Some(decision) = &request.decision else {
        if let Some(decided) = &request.decided {
            out.push(Diagnostic::new(DecisionDates::NoDecision, decided.span));
        } else if let Some(by) = &request.decided_by {
            out.push(Diagnostic::new(DecisionDates::NoDecision, by.span));
        }
        return;
    };
    match &request.decided {
        None => out.push(Diagnostic::new(DecisionDates::Undated, decision.span)),
        Some(decided) if decided.value < request.filed.value => {
            let msg = DecisionDates::BeforeFiled {
                decided: decided.value,
                filed: request.filed.value,
            };
            out.push(Diagnostic::new(msg, decided.span));
        }
        Some(_) => {}
    }
    if request.decided_by.is_none() {
        out.push(Diagnostic::new(DecisionDates::NoDecider, decision.span));
    }
}

pub static OBJECTION_TOWN: Rule = Rule {
    code: "E0501",
    name: "objection-town",
    severity: Severity::Error,
    title_zh: "异议文件的乡镇不存在或与文件名不符",
    title_en: "Objections name a town that does not exist, or not their file's",
    doc_en: "What it checks: `content/objections/<slug>.yaml` names a town of towns.yaml under `town`, the
same as its file name, and only one file names each town.
Why: a town's objections are shown on its page and decided for it; a request filed under the
wrong town would be decided for the wrong one.
Example: content/objections/xiantang.yaml
    town: xiantang",
    doc_zh: "检查内容：`content/objections/<乡镇标识>.yaml` 的 `town` 是 towns.yaml 中的乡镇，与文件名一致，每个乡镇只有一个文件。
原因：乡镇的异议显示在本乡镇页面，并为本乡镇作出决定；写错乡镇，决定就落到别的乡镇。
示例：content/objections/xiantang.yaml
    town: xiantang",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionTown {
    Unknown { town: String },
    OtherFile { town: String, stem: String },
    Twice { town: String },
}

impl Message for ObjectionTown {
    fn rule(&self) -> &'static Rule {
        &OBJECTION_TOWN
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            ObjectionTown::Unknown { town } => lang.pick(
                format!("towns.yaml 中没有乡镇 `{town}`：请写乡镇标识（slug），如 xiantang"),
                format!("towns.yaml has no town `{town}`: write the town's slug, e.g. xiantang"),
            ),
            ObjectionTown::OtherFile { town, stem } => lang.pick(
                format!("文件名是 {stem}.yaml，乡镇却是 `{town}`：请把文件改名为 {town}.yaml，或改正 town"),
                format!("the file is {stem}.yaml but names `{town}`: rename it {town}.yaml, or correct town"),
            ),
            ObjectionTown::Twice { town } => lang.pick(
                format!("`{town}` 的异议已在另一个文件中：请合并为 {town}.yaml 一个文件"),
                format!("`{town}` already has a file of objections: keep them all in {town}.yaml"),
            ),
        }
    }
}

pub static OBJECTION_ITEM: Rule = Rule {
    code: "E0502",
    name: "objection-item",
    severity: Severity::Error,
    title_zh: "异议针对的评分项不存在",
    title_en: "Objection to an item the rubric does not have",
    doc_en: "What it checks: each request's `item` is the id of an item of rubric.yaml.
Why: the office decides a request on the item's score, and the site shows it beside that item.",
    doc_zh: "检查内容：每条异议的 `item` 是 rubric.yaml 中某一评分项的编号。
原因：督查室就该项得分作出决定，网站也在该项旁边显示异议。",
};

message! {
    ObjectionItem {
        item: String,
    } for OBJECTION_ITEM,
    "评分表中没有第 {item} 项：请写 rubric.yaml 中的评分项编号",
    "the rubric has no item `{item}`: write the id of an item of rubric.yaml",
}

pub static OUTSIDE_WINDOW: Rule = Rule {
    code: "E0503",
    name: "objection-outside-window",
    severity: Severity::Error,
    title_zh: "异议不在征求意见期内提出",
    title_en: "Objection filed outside the window",
    doc_en: "What it checks: campaign.yaml opens a window for objections (`objections: {days: N}`), and
each request is filed from the review deadline to N days after it.
Why: the towns are heard within a set time, the same for every town; a late objection, or one
filed before the scores were reviewed, is not part of the procedure. The window needs a
`review_deadline` to open on, and lasts at most 3650 days.
Example:
    review_deadline: 2020-03-06
    objections: {days: 5}           # requests filed 2020-03-06 to 2020-03-11",
    doc_zh: "检查内容：campaign.yaml 设有征求意见期（`objections: {days: N}`），每条异议在评议评分审核截止日至其后 N 日内提出。
原因：各乡镇在同样的期限内陈述意见；逾期提出的，或在评分审核前提出的，不在程序之内。
征求意见期从 `review_deadline` 起算，最长 3650 天。
示例：
    review_deadline: 2020-03-06
    objections: {days: 5}           # 2020-03-06 至 2020-03-11 可提出异议",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutsideWindow {
    Closed {
        filed: String,
        from: String,
        to: String,
    },
    /// Objections without a window in campaign.yaml.
    NoWindow,
    /// A window longer than ten years.
    TooLong { days: u32, max: u32 },
    /// A window with no review deadline to open it.
    NoDeadline,
}

impl Message for OutsideWindow {
    fn rule(&self) -> &'static Rule {
        &OUTSIDE_WINDOW
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            OutsideWindow::Closed { filed, from, to } => lang.pick(
                format!("{filed} 不在征求意见期 {from} 至 {to} 之内：请核对提出日期"),
                format!("{filed} is outside the window, {from} to {to}: check the date it was filed"),
            ),
            OutsideWindow::TooLong { days, max } => lang.pick(
                format!("征求意见期 {days} 天过长：最多 {max} 天"),
                format!("a window of {days} days is too long: at most {max}"),
            ),
            OutsideWindow::NoDeadline => lang.pick(
                "征求意见期从评议评分审核截止日起算：请写 review_deadline".to_string(),
                "the window opens on the review deadline: add review_deadline".to_string(),
            ),
            OutsideWindow::NoWindow => lang.pick(
                "campaign.yaml 没有设征求意见期：请写 objections: {days: 5}（评议评分审核截止日后的天数）".to_string(),
                "campaign.yaml opens no window for objections: add objections: {days: 5} (days after the review deadline)".to_string(),
            ),
        }
    }
}

pub static DECIDED_BY_OUTSIDER: Rule = Rule {
    code: "E0504",
    name: "decided-by-outsider",
    severity: Severity::Error,
    title_zh: "异议不是由督查室决定",
    title_en: "Objection decided by someone outside the office",
    doc_en:
        "What it checks: `decided_by` is the name of someone listed under `office` in campaign.yaml.
Why: the office decides objections, not the group that scored the town, nor the town itself.",
    doc_zh: "检查内容：`decided_by` 是 campaign.yaml 中 `office` 所列人员的姓名。
原因：异议由督查室决定，而不是由评分的督查小组或乡镇自己决定。",
};

message! {
    DecidedByOutsider {
        name: String,
        office: String,
    } for DECIDED_BY_OUTSIDER,
    "{name} 不是督查室人员（{office}）：异议须由督查室决定",
    "{name} is not in the office ({office}): the office decides objections",
}

pub static DECISION_DATES: Rule = Rule {
    code: "E0505",
    name: "decision-dates",
    severity: Severity::Error,
    title_zh: "异议的决定不完整或日期有误",
    title_en: "Objection decision incomplete or dated wrongly",
    doc_en: "What it checks: a `decision` (accepted, partly or rejected) comes with `decided` (a date on or
after `filed`) and `decided_by`; `decided` and `decided_by` are not written without a decision.
Why: whether a later score change was allowed depends on when the decision was made; a decision
dated before the request, or without a date, cannot say.
Example:
    - {item: \"7\", filed: 2020-03-08, claim: …, evidence: […],
       decision: accepted, decided: 2020-03-10, decided_by: 叶浩}",
    doc_zh: "检查内容：写了 `decision`（accepted、partly 或 rejected）就要写 `decided`（不早于 `filed` 的日期）和 `decided_by`；
没有决定时不写 `decided` 和 `decided_by`。
原因：之后修改分数是否允许，要看决定是何时作出的；决定日期早于提出日期，或没有日期，都无从判断。
示例：
    - {item: \"7\", filed: 2020-03-08, claim: …, evidence: […],
       decision: accepted, decided: 2020-03-10, decided_by: 叶浩}",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionDates {
    BeforeFiled { decided: Date, filed: Date },
    Undated,
    NoDecider,
    NoDecision,
}

impl Message for DecisionDates {
    fn rule(&self) -> &'static Rule {
        &DECISION_DATES
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            DecisionDates::BeforeFiled { decided, filed } => lang.pick(
                format!("决定日期 {decided} 早于提出日期 {filed}：请核对日期"),
                format!("decided on {decided}, before it was filed on {filed}: check the dates"),
            ),
            DecisionDates::Undated => lang.pick(
                "有决定而没有决定日期：请写 decided: YYYY-MM-DD".to_string(),
                "a decision without its date: add decided: YYYY-MM-DD".to_string(),
            ),
            DecisionDates::NoDecider => lang.pick(
                "有决定而没有写由谁决定：请写 decided_by: 督查室人员姓名".to_string(),
                "a decision without who made it: add decided_by: a name from office".to_string(),
            ),
            DecisionDates::NoDecision => lang.pick(
                "写了决定日期或决定人，却没有决定：请写 decision: accepted、partly 或 rejected，或删去它们".to_string(),
                "a decision date or decider without a decision: add decision: accepted, partly or rejected, or remove them".to_string(),
            ),
        }
    }
}

pub static OBJECTION_WITHOUT_EVIDENCE: Rule = Rule {
    code: "E0506",
    name: "objection-without-evidence",
    severity: Severity::Error,
    title_zh: "异议没有佐证材料",
    title_en: "Objection without evidence",
    doc_en: "What it checks: each request lists at least one evidence file.
Why: an objection asks the office to change a score the group found on the spot; it must show
what the group did not see (a record, a photo, a report), not only say so.",
    doc_zh: "检查内容：每条异议都至少列出一份佐证材料。
原因：异议是请督查室改动督查小组现场评定的分数，必须拿出小组没有看到的材料（台账、照片、报告），而不能只是陈述。",
};

message! {
    ObjectionWithoutEvidence for OBJECTION_WITHOUT_EVIDENCE,
    "异议没有佐证材料：请在 evidence 下列出文件",
    "the request lists no evidence: list the files under evidence",
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let text = || "x".to_string();
    vec![
        Box::new(ObjectionTown::Unknown { town: text() }),
        Box::new(ObjectionItem { item: text() }),
        Box::new(OutsideWindow::NoWindow),
        Box::new(DecidedByOutsider {
            name: text(),
            office: text(),
        }),
        Box::new(DecisionDates::Undated),
        Box::new(ObjectionWithoutEvidence),
    ]
}
