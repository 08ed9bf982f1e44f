//! Rules on the rectification ledger (整改台账): `content/rectification/<slug>.yaml` names a
//! town, each record a deduction its sheet has, and each closing (销号) is the office's, after
//! the work is done and shown.

use std::collections::HashSet;

use jiff::civil::Date;

use super::Index;
use crate::diag::{Diagnostic, Message, Rule, Severity, message};
use crate::lang::Lang;
use crate::model::{Content, Record, Rectification};

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &RECTIFICATION_TOWN,
    &NO_SUCH_PROBLEM,
    &CLOSED_TOO_SOON,
    &CLOSED_BY_OUTSIDER,
    &RECTIFICATION_DATES,
];

pub fn check(
    content: &Content,
    index: &Index,
    evidence: &dyn Fn(&str) -> super::Evidence,
    out: &mut Vec<Diagnostic>,
) {
    let office: Vec<&str> = content.office_names().collect();
    let start = content
        .campaign
        .as_ref()
        .and_then(|c| c.inspection.as_ref())
        .map(|(s, _)| s.value);
    let mut seen_towns = HashSet::new();
    for file in &content.rectification {
        town(file, index, content.whole.towns, &mut seen_towns, out);
        let sheet = content
            .sheets
            .iter()
            .find(|s| s.town.value == file.town.value);
        let mut seen = HashSet::new();
        for record in &file.records {
            let key = (record.item.value.as_str(), record.deduction.value);
            if !seen.insert(key) {
                let msg = NoSuchProblem::Twice {
                    item: record.item.value.clone(),
                    deduction: record.deduction.value,
                };
                out.push(Diagnostic::new(msg, record.item.span));
            }
            if let Some(sheet) = sheet {
                let count = sheet
                    .by_item()
                    .get(record.item.value.as_str())
                    .map_or(0, |e| e.deductions().len()) as u32;
                if record.deduction.value == 0 || record.deduction.value > count {
                    let msg = match record.closed {
                        Some(_) => NoSuchProblem::RemovedAfterClosing {
                            item: record.item.value.clone(),
                            deduction: record.deduction.value,
                        },
                        None => NoSuchProblem::NoDeduction {
                            item: record.item.value.clone(),
                            deduction: record.deduction.value,
                            count,
                        },
                    };
                    out.push(Diagnostic::new(msg, record.deduction.span));
                }
            }
            closing(record, &office, out);
            dates(record, start, out);
        }
        for record in &file.records {
            super::evidence::evidence_rules(&record.evidence, evidence, out);
        }
    }
}

fn town<'c>(
    file: &'c Rectification,
    index: &Index,
    towns_whole: bool,
    seen: &mut HashSet<&'c str>,
    out: &mut Vec<Diagnostic>,
) {
    let slug = file.town.value.as_str();
    let msg = if towns_whole && !index.towns.contains_key(slug) {
        RectificationTown::Unknown {
            town: slug.to_string(),
        }
    } else if slug != file.stem {
        RectificationTown::OtherFile {
            town: slug.to_string(),
            stem: file.stem.clone(),
        }
    } else if !seen.insert(slug) {
        RectificationTown::Twice {
            town: slug.to_string(),
        }
    } else {
        return;
    };
    out.push(Diagnostic::new(msg, file.town.span));
}

/// Closing (销号) is the office's, once the work is done and shown.
fn closing(record: &Record, office: &[&str], out: &mut Vec<Diagnostic>) {
    let Some(closed) = &record.closed else {
        return;
    };
    if record.done.is_none() {
        out.push(Diagnostic::new(ClosedTooSoon::NotDone, closed.span));
    } else if record.evidence.is_empty() {
        out.push(Diagnostic::new(ClosedTooSoon::NoEvidence, closed.span));
    }
    if !office.contains(&closed.by.value.as_str()) {
        let msg = ClosedByOutsider {
            name: closed.by.value.clone(),
            office: office.join("、"),
        };
        out.push(Diagnostic::new(msg, closed.by.span));
    }
}

/// Done after the inspection began, closed on or after the day it was done.
fn dates(record: &Record, start: Option<Date>, out: &mut Vec<Diagnostic>) {
    if let (Some(done), Some(start)) = (&record.done, start)
        && done.value < start
    {
        let msg = RectificationDates::DoneBeforeInspection {
            done: done.value,
            start,
        };
        out.push(Diagnostic::new(msg, done.span));
    }
    if let (Some(done), Some(closed)) = (&record.done, &record.closed)
        && closed.date.value < done.value
    {
        let msg = RectificationDates::ClosedBeforeDone {
            closed: closed.date.value,
            done: done.value,
        };
        out.push(Diagnostic::new(msg, closed.date.span));
    }
}

pub static RECTIFICATION_TOWN: Rule = Rule {
    code: "E0511",
    name: "rectification-town",
    severity: Severity::Error,
    title_zh: "整改台账的乡镇不存在或与文件名不符",
    title_en: "Rectification records name a town that does not exist, or not their file's",
    doc_en: "What it checks: `content/rectification/<slug>.yaml` names a town of towns.yaml under `town`,
the same as its file name, and only one file names each town.
Why: a record closes a problem of its own town; under the wrong town it would close another's.
Example: content/rectification/lankou.yaml
    town: lankou",
    doc_zh: "检查内容：`content/rectification/<乡镇标识>.yaml` 的 `town` 是 towns.yaml 中的乡镇，与文件名一致，每个乡镇只有一个文件。
原因：整改记录销的是本乡镇的问题；写错乡镇，销的就是别的乡镇的号。
示例：content/rectification/lankou.yaml
    town: lankou",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RectificationTown {
    Unknown { town: String },
    OtherFile { town: String, stem: String },
    Twice { town: String },
}

impl Message for RectificationTown {
    fn rule(&self) -> &'static Rule {
        &RECTIFICATION_TOWN
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            RectificationTown::Unknown { town } => lang.pick(
                format!("towns.yaml 中没有乡镇 `{town}`：请写乡镇标识（slug），如 lankou"),
                format!("towns.yaml has no town `{town}`: write the town's slug, e.g. lankou"),
            ),
            RectificationTown::OtherFile { town, stem } => lang.pick(
                format!("文件名是 {stem}.yaml，乡镇却是 `{town}`：请把文件改名为 {town}.yaml，或改正 town"),
                format!("the file is {stem}.yaml but names `{town}`: rename it {town}.yaml, or correct town"),
            ),
            RectificationTown::Twice { town } => lang.pick(
                format!("`{town}` 的整改记录已在另一个文件中：请合并为 {town}.yaml 一个文件"),
                format!("`{town}` already has a file of records: keep them all in {town}.yaml"),
            ),
        }
    }
}

pub static NO_SUCH_PROBLEM: Rule = Rule {
    code: "E0512",
    name: "no-such-problem",
    severity: Severity::Error,
    title_zh: "整改记录对应的扣分不存在",
    title_en: "Rectification record for a deduction the sheet does not have",
    doc_en: "What it checks: each record's `item` and `deduction` (the deduction's place among the item's
deductions, from 1) name a deduction of the town's sheet, and only one record names each.
Why: a record says a problem was put right; for a deduction that does not exist it says nothing,
and a deduction removed after its problem was closed (销号) rewrites what the office accepted.
Fix: `ducha new TOWN --rectification` lists every problem with its item and number.",
    doc_zh: "检查内容：每条记录的 `item` 和 `deduction`（该项扣分中的第几条，从 1 起）对应本乡镇评分表中的一条扣分，且每条扣分只有一条记录。
原因：整改记录说明某个问题已经整改；扣分不存在，记录就无所指；问题销号后再删去扣分，等于改写了督查室已认可的内容。
改法：`ducha new 乡镇 --rectification` 会列出每个问题的评分项和序号。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSuchProblem {
    NoDeduction {
        item: String,
        deduction: u32,
        count: u32,
    },
    /// The record is closed, and its deduction is gone.
    RemovedAfterClosing {
        item: String,
        deduction: u32,
    },
    Twice {
        item: String,
        deduction: u32,
    },
}

impl Message for NoSuchProblem {
    fn rule(&self) -> &'static Rule {
        &NO_SUCH_PROBLEM
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            NoSuchProblem::NoDeduction {
                item,
                deduction,
                count,
            } => lang.pick(
                format!("评分表第 {item} 项只有 {count} 条扣分，没有第 {deduction} 条：请核对 item 和 deduction"),
                format!("item {item} of the sheet has {count} deductions, not a number {deduction}: check item and deduction"),
            ),
            NoSuchProblem::RemovedAfterClosing { item, deduction } => lang.pick(
                format!("第 {item} 项第 {deduction} 条扣分已销号，评分表中却已没有这条扣分：销号后不能删去扣分，请恢复它"),
                format!("deduction {deduction} of item {item} was closed, and is no longer on the sheet: a closed problem's deduction stays; restore it"),
            ),
            NoSuchProblem::Twice { item, deduction } => lang.pick(
                format!("第 {item} 项第 {deduction} 条扣分已有一条记录：请合并"),
                format!("deduction {deduction} of item {item} already has a record: merge them"),
            ),
        }
    }
}

pub static CLOSED_TOO_SOON: Rule = Rule {
    code: "E0513",
    name: "closed-too-soon",
    severity: Severity::Error,
    title_zh: "问题未整改或没有佐证材料就销号",
    title_en: "Problem closed before it was done and shown",
    doc_en: "What it checks: a record with `closed` has `done` (the day the town finished) and at least one
evidence file.
Why: closing (销号) is the office accepting the work; there is nothing to accept before it is
done, nor without the documents that show it.",
    doc_zh: "检查内容：写了 `closed` 的记录有 `done`（整改完成日期），并至少列出一份佐证材料。
原因：销号是督查室认可整改结果；整改尚未完成，或没有证明材料，就无可认可。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClosedTooSoon {
    NotDone,
    NoEvidence,
}

impl Message for ClosedTooSoon {
    fn rule(&self) -> &'static Rule {
        &CLOSED_TOO_SOON
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            ClosedTooSoon::NotDone => lang.pick(
                "尚未整改（没有 done）就销号：请先写整改完成日期 done".to_string(),
                "closed without being done: write the day it was done under done first".to_string(),
            ),
            ClosedTooSoon::NoEvidence => lang.pick(
                "没有佐证材料就销号：请在 evidence 下列出整改材料".to_string(),
                "closed without evidence: list the documents that show the work under evidence"
                    .to_string(),
            ),
        }
    }
}

pub static CLOSED_BY_OUTSIDER: Rule = Rule {
    code: "E0514",
    name: "closed-by-outsider",
    severity: Severity::Error,
    title_zh: "不是督查室人员销号",
    title_en: "Problem closed by someone outside the office",
    doc_en:
        "What it checks: `closed.by` is the name of someone listed under `office` in campaign.yaml.
Why: only the office closes (销号) a problem; a town closing its own would check its own work.",
    doc_zh: "检查内容：`closed.by` 是 campaign.yaml 中 `office` 所列人员的姓名。
原因：只有督查室能销号；乡镇自己销号，等于自己验收自己。",
};

message! {
    ClosedByOutsider {
        name: String,
        office: String,
    } for CLOSED_BY_OUTSIDER,
    "{name} 不是督查室人员（{office}）：销号须由督查室进行",
    "{name} is not in the office ({office}): the office closes problems",
}

pub static RECTIFICATION_DATES: Rule = Rule {
    code: "E0515",
    name: "rectification-dates",
    severity: Severity::Error,
    title_zh: "整改日期前后矛盾",
    title_en: "Rectification dates out of order",
    doc_en: "What it checks: `done` is not before the inspection began, and `closed.date` is not before `done`.
Why: a problem cannot be put right before it was found, nor closed before it was put right.",
    doc_zh: "检查内容：`done` 不早于督查开始日期，`closed.date` 不早于 `done`。
原因：问题不能在发现之前就已整改，也不能在整改之前就已销号。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RectificationDates {
    DoneBeforeInspection { done: Date, start: Date },
    ClosedBeforeDone { closed: Date, done: Date },
}

impl Message for RectificationDates {
    fn rule(&self) -> &'static Rule {
        &RECTIFICATION_DATES
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            RectificationDates::DoneBeforeInspection { done, start } => lang.pick(
                format!("整改完成日期 {done} 早于督查开始日期 {start}：请核对"),
                format!("done on {done}, before the inspection began on {start}: check the date"),
            ),
            RectificationDates::ClosedBeforeDone { closed, done } => lang.pick(
                format!("销号日期 {closed} 早于整改完成日期 {done}：请核对"),
                format!("closed on {closed}, before it was done on {done}: check the dates"),
            ),
        }
    }
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let text = || "x".to_string();
    vec![
        Box::new(RectificationTown::Unknown { town: text() }),
        Box::new(NoSuchProblem::NoDeduction {
            item: text(),
            deduction: 2,
            count: 1,
        }),
        Box::new(ClosedTooSoon::NotDone),
        Box::new(ClosedByOutsider {
            name: text(),
            office: text(),
        }),
        Box::new(RectificationDates::ClosedBeforeDone {
            closed: Date::constant(2020, 3, 1),
            done: Date::constant(2020, 3, 2),
        }),
    ]
}
