//! Rules on a sheet's scores: an entry for every rubric item and no other, each entry in one
//! form, and every score and deduction within its points and on the step.

use super::step_label;
use crate::diag::{Diagnostic, Message, Rule, Severity, message};
use crate::lang::Lang;
use crate::model::{Entry, Item, ItemIndex, Points, Sheet, Spanned, Status, Town};

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &SCORE_BELOW_ZERO,
    &SCORE_ABOVE_POINTS,
    &SCORE_OFF_STEP,
    &DEDUCTION_WITHOUT_REASON,
    &SCORE_DEDUCTIONS_DISAGREE,
    &DEDUCTIONS_EXCEED_POINTS,
    &NOT_ASSESSED_NOT_ALLOWED,
    &NOT_ASSESSED_REQUIRED,
    &MISSING_ITEM,
    &UNKNOWN_ITEM,
    &ENTRY_FORM,
    &MISSING_CRITERION,
    &UNKNOWN_CRITERION,
    &NOT_YET_SCORED,
    &NOTHING_ASSESSED,
];

pub fn score_rules(
    sheet: &Sheet,
    items: &ItemIndex,
    whole: bool,
    town: Option<&Town>,
    step: Option<Points>,
    out: &mut Vec<Diagnostic>,
) {
    let found = items.entries(sheet);
    for entry in &sheet.entries {
        let Some((_, item)) = items.get(&entry.item.value) else {
            if whole {
                let msg = UnknownItem {
                    item: entry.item.value.clone(),
                };
                out.push(Diagnostic::new(msg, entry.item.span));
            }
            continue;
        };
        if entry.complete {
            let draft = sheet.status.value == Status::Draft;
            entry_rules(entry, item, town, step, draft, out);
        }
    }
    if whole {
        for &(item, place) in items.items() {
            if found[place].is_none() {
                let msg = MissingItem {
                    item: item.id.value.clone(),
                };
                out.push(Diagnostic::new(msg, sheet.scores_span));
            }
        }
    }
    // With nothing assessed there is nothing to rescale: 0 ÷ 0 is no score.
    let nothing_assessed = whole
        && sheet.status.value == Status::Final
        && items
            .items()
            .iter()
            .all(|&(_, place)| found[place].is_some_and(|e| e.not_assessed.is_some()));
    if nothing_assessed {
        out.push(Diagnostic::new(NothingAssessed, sheet.scores_span));
    }
}

/// Whether the town's attributes take the item out of assessment (不考核).
pub fn excluded(item: &Item, town: &Town) -> Option<bool> {
    let attribute = item.assessed_if.as_ref()?;
    let value = town.attribute(&attribute.value)?;
    Some(!value.value.allows_assessment())
}

fn entry_rules(
    entry: &Entry,
    item: &Item,
    town: Option<&Town>,
    step: Option<Points>,
    draft: bool,
    out: &mut Vec<Diagnostic>,
) {
    let id = || item.id.value.clone();
    let scored = entry.score.is_some() || entry.deductions.is_some();
    let forms = [
        scored,
        entry.criteria.is_some(),
        entry.not_assessed.is_some(),
    ];
    let span = entry.span;
    match forms.iter().filter(|f| **f).count() {
        0 if draft => return out.push(Diagnostic::new(NotYetScored { item: id() }, span)),
        0 => return out.push(Diagnostic::new(EntryForm::Empty { item: id() }, span)),
        1 => {}
        _ => return out.push(Diagnostic::new(EntryForm::Conflict { item: id() }, span)),
    }
    let exclusion = town.and_then(|t| excluded(item, t));
    if let Some(reason) = &entry.not_assessed {
        let allowed = match &item.assessed_if {
            None => false,
            Some(_) => exclusion != Some(false),
        };
        if !allowed {
            let msg = NotAssessedNotAllowed {
                item: id(),
                attribute: item.assessed_if.as_ref().map(|a| a.value.clone()),
                town: town.map_or_else(String::new, |t| t.name.value.clone()),
            };
            out.push(Diagnostic::new(msg, reason.span));
        }
        return;
    }
    if exclusion == Some(true)
        && let (Some(town), Some(attribute)) = (town, &item.assessed_if)
    {
        let msg = NotAssessedRequired {
            item: id(),
            attribute: attribute.value.clone(),
            town: town.name.value.clone(),
        };
        out.push(Diagnostic::new(msg, entry.item.span));
    }
    if let Some(criteria) = &entry.criteria {
        if item.criteria.is_empty() {
            let msg = EntryForm::CriteriaOnPlainItem { item: id() };
            return out.push(Diagnostic::new(msg, entry.span));
        }
        for (cid, value) in criteria {
            match item.criteria.iter().find(|c| c.id.value == cid.value) {
                Some(c) => {
                    let item = &item.id.value;
                    range(value, c.points.value, item, Some(&c.id.value), step, out);
                }
                None => {
                    let msg = UnknownCriterion {
                        item: id(),
                        criterion: cid.value.clone(),
                    };
                    out.push(Diagnostic::new(msg, cid.span));
                }
            }
        }
        for c in &item.criteria {
            if !criteria.iter().any(|(cid, _)| cid.value == c.id.value) {
                let msg = MissingCriterion {
                    item: id(),
                    criterion: c.id.value.clone(),
                };
                out.push(Diagnostic::new(msg, entry.span));
            }
        }
        return;
    }
    if let Some(score) = &entry.score {
        range(score, item.points.value, &item.id.value, None, step, out);
    }
    let Some(deductions) = &entry.deductions else {
        return;
    };
    let mut deducted = Points::ZERO;
    for d in deductions {
        deducted = deducted + d.points.value;
        if d.points.value.0 < 0 {
            let msg = ScoreBelowZero {
                value: d.points.value,
            };
            out.push(Diagnostic::new(msg, d.points.span));
        } else if let Some(step) = step
            && !d.points.value.is_multiple_of(step)
        {
            let msg = ScoreOffStep {
                value: d.points.value,
                step,
            };
            out.push(Diagnostic::new(msg, d.points.span));
        }
        if d.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
            let span = d.reason.as_ref().map_or(d.span, |r| r.span);
            out.push(Diagnostic::new(DeductionWithoutReason { item: id() }, span));
        }
    }
    let points = item.points.value;
    if deducted > points {
        let msg = DeductionsExceedPoints {
            item: id(),
            deducted,
            points,
        };
        out.push(Diagnostic::new(msg, entry.item.span));
    }
    let expected = if deducted > points {
        Points::ZERO
    } else {
        points - deducted
    };
    if let Some(score) = &entry.score
        && score.value != expected
    {
        let msg = ScoreDeductionsDisagree {
            score: score.value,
            expected,
            points,
            deducted,
        };
        out.push(Diagnostic::new(msg, score.span));
    }
}

fn range(
    value: &Spanned<Points>,
    points: Points,
    item: &str,
    criterion: Option<&str>,
    step: Option<Points>,
    out: &mut Vec<Diagnostic>,
) {
    let span = value.span;
    let value = value.value;
    let diagnostic = if value.0 < 0 {
        Diagnostic::new(ScoreBelowZero { value }, span)
    } else if value > points {
        let msg = ScoreAbovePoints {
            value,
            item: item.to_string(),
            criterion: criterion.map(str::to_string),
            points,
        };
        Diagnostic::new(msg, span)
    } else if let Some(step) = step
        && !value.is_multiple_of(step)
    {
        Diagnostic::new(ScoreOffStep { value, step }, span)
    } else {
        return;
    };
    out.push(diagnostic);
}

// The rules, in code order.

pub static SCORE_BELOW_ZERO: Rule = Rule {
    code: "E0301",
    name: "score-below-zero",
    severity: Severity::Error,
    title_zh: "得分低于零",
    title_en: "Score below zero",
    doc_en: "What it checks: item and criterion scores, and deduction points, are not negative.
Why: 扣完为止 — an item loses at most its own points; a negative score would take points from others.",
    doc_zh: "检查内容：评分项和细则的得分，以及扣分分值，都不是负数。
原因：扣完为止——一项最多扣去本项的分；负分会把别的项的分也扣掉。",
};

message! {
    ScoreBelowZero {
        value: Points,
    } for SCORE_BELOW_ZERO,
    "分值 {value} 小于零：得分和扣分都不能为负",
    "{value} is below zero: scores and deductions are never negative",
}

pub static SCORE_ABOVE_POINTS: Rule = Rule {
    code: "E0302",
    name: "score-above-points",
    severity: Severity::Error,
    title_zh: "得分高于标准分",
    title_en: "Score above the standard points",
    doc_en:
        "What it checks: a score is at most its item's (or criterion's) standard points (标准分).
Example:
    \"3\": {score: 4}     # item 3 is worth 3 points",
    doc_zh: "检查内容：得分不超过该评分项（或细则）的标准分。
示例：
    \"3\": {score: 4}     # 第 3 项标准分为 3 分",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreAbovePoints {
    pub value: Points,
    pub item: String,
    pub criterion: Option<String>,
    /// The item's or criterion's standard points.
    pub points: Points,
}

impl Message for ScoreAbovePoints {
    fn rule(&self) -> &'static Rule {
        &SCORE_ABOVE_POINTS
    }

    fn text(&self, lang: Lang) -> String {
        let Self {
            value,
            item,
            criterion,
            points,
        } = self;
        match criterion {
            None => lang.pick(
                format!("得分 {value} 高于第 {item} 项的标准分（{points}）"),
                format!("score {value} is above item {item}'s standard points ({points})"),
            ),
            Some(c) => lang.pick(
                format!("得分 {value} 高于第 {item} 项细则 {c} 的分值（{points}）"),
                format!(
                    "score {value} is above the points of item {item}, criterion {c} ({points})"
                ),
            ),
        }
    }

    fn label(&self, lang: Lang) -> String {
        let points = self.points;
        lang.pick(format!("最多 {points}"), format!("at most {points}"))
    }
}

pub static SCORE_OFF_STEP: Rule = Rule {
    code: "E0303",
    name: "score-off-step",
    severity: Severity::Error,
    title_zh: "得分不是计分步长的整数倍",
    title_en: "Score not a multiple of the step",
    doc_en: "What it checks: scores and deduction points are multiples of `scoring.step`.
Example: with step 0.5, 2.25 is refused; write 2 or 2.5.",
    doc_zh: "检查内容：得分和扣分分值都是 `scoring.step` 的整数倍。
示例：步长为 0.5 时，2.25 不行；应写 2 或 2.5。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreOffStep {
    pub value: Points,
    pub step: Points,
}

impl Message for ScoreOffStep {
    fn rule(&self) -> &'static Rule {
        &SCORE_OFF_STEP
    }

    fn text(&self, lang: Lang) -> String {
        let Self { value, step } = self;
        lang.pick(
            format!("{value} 不是计分步长 {step} 的整数倍：请按 {step} 分计分"),
            format!("{value} is not a multiple of the step {step}: score in steps of {step}"),
        )
    }

    fn label(&self, lang: Lang) -> String {
        step_label(self.step, lang)
    }
}

pub static DEDUCTION_WITHOUT_REASON: Rule = Rule {
    code: "E0304",
    name: "deduction-without-reason",
    severity: Severity::Error,
    title_zh: "扣分没有写明原因",
    title_en: "Deduction without a reason",
    doc_en: "What it checks: every deduction has a non-empty `reason`.
Why: a town is entitled to know why it lost points; the reason becomes its problem list in the
supervision notice (专项督办通知).",
    doc_zh: "检查内容：每一处扣分都写有非空的 `reason`。
原因：乡镇有权知道为什么被扣分；扣分原因会作为问题清单写进专项督办通知。",
};

message! {
    DeductionWithoutReason {
        item: String,
    } for DEDUCTION_WITHOUT_REASON,
    "第 {item} 项的扣分没有写明原因：请在 reason 中写明扣分事实",
    "a deduction on item {item} has no reason: say why in `reason`",
}

pub static SCORE_DEDUCTIONS_DISAGREE: Rule = Rule {
    code: "E0305",
    name: "score-deductions-disagree",
    severity: Severity::Error,
    title_zh: "得分与扣分不一致",
    title_en: "Score and deductions disagree",
    doc_en: "What it checks: when an entry gives both `score` and `deductions`, score = points − deductions
(floored at zero).
Why: two figures for one item; the published one would be a guess.",
    doc_zh: "检查内容：一项同时写了 `score` 和 `deductions` 时，得分 = 标准分 − 扣分（最低为零）。
原因：一项有两个数，发布哪一个都只能靠猜。",
};

message! {
    ScoreDeductionsDisagree {
        score: Points,
        /// The points less the deductions.
        expected: Points,
        points: Points,
        deducted: Points,
    } for SCORE_DEDUCTIONS_DISAGREE,
    "得分 {score} 与扣分不一致：标准分 {points} 扣 {deducted} 应得 {expected}，请更正其一",
    "score {score} disagrees with the deductions: {points} less {deducted} is {expected}; correct one of them",
}

pub static DEDUCTIONS_EXCEED_POINTS: Rule = Rule {
    code: "W0306",
    name: "deductions-exceed-points",
    severity: Severity::Warning,
    title_zh: "扣分超过标准分，按扣完为止计零分",
    title_en: "Deductions exceed the points; the item scores zero",
    doc_en: "What it checks: the deductions of an item add up to more than its points.
Why: the item scores zero (扣完为止), which is allowed, but the excess is often a typo.",
    doc_zh: "检查内容：一项的扣分加起来超过了它的标准分。
原因：按扣完为止，该项得零分，这是允许的；但超出的部分往往是笔误。",
};

message! {
    DeductionsExceedPoints {
        item: String,
        deducted: Points,
        points: Points,
    } for DEDUCTIONS_EXCEED_POINTS,
    "第 {item} 项扣分合计 {deducted}，超过标准分 {points}：按扣完为止计 0 分，请确认",
    "deductions on item {item} add up to {deducted}, above its {points} points: it scores 0; make sure this is meant",
}

pub static NOT_ASSESSED_NOT_ALLOWED: Rule = Rule {
    code: "E0307",
    name: "not-assessed-not-allowed",
    severity: Severity::Error,
    title_zh: "该项对本乡镇不能标为不考核",
    title_en: "Item may not be marked not assessed",
    doc_en: "What it checks: `not_assessed` is used only for items with `assessed_if` whose attribute is 0 or
false for the town (e.g. 无贫困村的乡镇不考核该项).
Why: otherwise a town could drop an item it is judged on, and its total would be rescaled unfairly.",
    doc_zh: "检查内容：只有带 `assessed_if`、且本乡镇相应属性为 0 或 false 的评分项，才能写 `not_assessed`
（如“无贫困村的乡镇不考核该项”）。
原因：否则乡镇可以把本应考核的项写成不考核，总分就会被不公平地折算。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAssessedNotAllowed {
    pub item: String,
    /// The item's `assessed_if`, if it has one.
    pub attribute: Option<String>,
    pub town: String,
}

impl Message for NotAssessedNotAllowed {
    fn rule(&self) -> &'static Rule {
        &NOT_ASSESSED_NOT_ALLOWED
    }

    fn text(&self, lang: Lang) -> String {
        let Self {
            item,
            attribute,
            town,
        } = self;
        match attribute {
            Some(a) => lang.pick(
                format!("第 {item} 项对 {town} 应当考核（属性 `{a}` 不为 0）：请评分，而不是标为不考核"),
                format!("item {item} is assessed for {town} (its `{a}` is not 0): score it instead of marking it not assessed"),
            ),
            None => lang.pick(
                format!("第 {item} 项没有“不考核”的条件（assessed_if）：请评分"),
                format!("item {item} has no condition for not assessing it (assessed_if): score it"),
            ),
        }
    }
}

pub static NOT_ASSESSED_REQUIRED: Rule = Rule {
    code: "E0308",
    name: "not-assessed-required",
    severity: Severity::Error,
    title_zh: "该项对本乡镇不考核，须标为不考核",
    title_en: "Item must be marked not assessed",
    doc_en: "What it checks: an item whose `assessed_if` attribute is 0 or false for the town is written as
`{not_assessed: reason}`.
Why: scoring it would count points the town cannot earn or lose.",
    doc_zh: "检查内容：`assessed_if` 所用属性对本乡镇为 0 或 false 的评分项，写作 `{not_assessed: 原因}`。
原因：给这样的项评分，就计入了乡镇根本无从得失的分。",
};

message! {
    NotAssessedRequired {
        item: String,
        attribute: String,
        town: String,
    } for NOT_ASSESSED_REQUIRED,
    "第 {item} 项对 {town} 不考核（属性 `{attribute}` 为 0）：请写成 {{not_assessed: 原因}}",
    "item {item} is not assessed for {town} (its `{attribute}` is 0): write {{not_assessed: reason}}",
}

pub static MISSING_ITEM: Rule = Rule {
    code: "E0309",
    name: "missing-item",
    severity: Severity::Error,
    title_zh: "评分表缺少某项",
    title_en: "Sheet lacks an item",
    doc_en:
        "What it checks: every rubric item has an entry under `scores`. The diagnostic points at the
`scores:` key, where the item is to be added.
Fix: add the item; `ducha new TOWN` lists every item.",
    doc_zh:
        "检查内容：评分表的每一个评分项，在 `scores` 下都有一条。提示信息指向 `scores:` 这个键，
缺的项就补在它下面。
改法：补上该项；`ducha new 乡镇` 会列出每一项。",
};

message! {
    MissingItem {
        item: String,
    } for MISSING_ITEM,
    "缺少第 {item} 项的评分：请在 scores 中补上",
    "item {item} is missing: add it under scores",
}

pub static UNKNOWN_ITEM: Rule = Rule {
    code: "E0310",
    name: "unknown-item",
    severity: Severity::Error,
    title_zh: "未知的评分项",
    title_en: "Unknown item",
    doc_en: "What it checks: every key under `scores` is an item id of rubric.yaml.
Why: a score for an item that does not exist is a typo, and the real item is then missing.",
    doc_zh: "检查内容：`scores` 下的每个键都是 rubric.yaml 中的评分项编号。
原因：给不存在的项评分是笔误，而真正要评的那一项就缺了。",
};

message! {
    UnknownItem {
        item: String,
    } for UNKNOWN_ITEM,
    "评分表中没有第 `{item}` 项：请更正项目编号",
    "there is no item `{item}` in the rubric: correct the item id",
}

pub static ENTRY_FORM: Rule = Rule {
    code: "E0311",
    name: "entry-form",
    severity: Severity::Error,
    title_zh: "评分项写法不对",
    title_en: "Item entry in the wrong form",
    doc_en: "What it checks: each entry gives exactly one of: `score`; `deductions`; both (when they agree);
`criteria` (for items with criteria); or `not_assessed`.
Example:
    \"3\": {score: 3}
    \"1\": {deductions: [{points: 2, reason: 抽查 10 户，1 户缺检测报告}]}
    \"18\": {criteria: {a: 5, b: 2, c: 2.5, d: 2.5}}
    \"2\": {not_assessed: 本镇无省定相对贫困村}",
    doc_zh: "检查内容：每一条恰好写明以下一种：`score`；`deductions`；两者都写（须一致）；
`criteria`（用于分细则的评分项）；或 `not_assessed`。
示例：
    \"3\": {score: 3}
    \"1\": {deductions: [{points: 2, reason: 抽查 10 户，1 户缺检测报告}]}
    \"18\": {criteria: {a: 5, b: 2, c: 2.5, d: 2.5}}
    \"2\": {not_assessed: 本镇无省定相对贫困村}",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryForm {
    /// No form at all, on a final sheet.
    Empty {
        item: String,
    },
    /// `criteria` or `not_assessed` with another form.
    Conflict {
        item: String,
    },
    CriteriaOnPlainItem {
        item: String,
    },
}

impl Message for EntryForm {
    fn rule(&self) -> &'static Rule {
        &ENTRY_FORM
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            EntryForm::Empty { item } => lang.pick(
                format!("第 {item} 项没有评分：请写 score、deductions、criteria 或 not_assessed"),
                format!(
                    "item {item} has no score: give score, deductions, criteria or not_assessed"
                ),
            ),
            EntryForm::Conflict { item } => lang.pick(
                format!(
                    "第 {item} 项的写法相互冲突：criteria 和 not_assessed 都不能与其他写法同用"
                ),
                format!("item {item} mixes forms: criteria and not_assessed each stand alone"),
            ),
            EntryForm::CriteriaOnPlainItem { item } => lang.pick(
                format!("第 {item} 项没有细则：请用 score 或 deductions 评分"),
                format!("item {item} has no criteria: use score or deductions"),
            ),
        }
    }
}

pub static MISSING_CRITERION: Rule = Rule {
    code: "E0312",
    name: "missing-criterion",
    severity: Severity::Error,
    title_zh: "缺少某条细则的得分",
    title_en: "Criterion not scored",
    doc_en: "What it checks: an entry with `criteria` scores every criterion of the item.",
    doc_zh: "检查内容：写了 `criteria` 的一条，给该项的每一条细则都评了分。",
};

message! {
    MissingCriterion {
        item: String,
        criterion: String,
    } for MISSING_CRITERION,
    "缺少第 {item} 项细则 {criterion} 的得分：请补上",
    "criterion {criterion} of item {item} is not scored: add it",
}

pub static UNKNOWN_CRITERION: Rule = Rule {
    code: "E0313",
    name: "unknown-criterion",
    severity: Severity::Error,
    title_zh: "未知的细则",
    title_en: "Unknown criterion",
    doc_en: "What it checks: every criterion id in an entry exists in the item's criteria.",
    doc_zh: "检查内容：一条中的每个细则编号，都是该评分项中确有的细则。",
};

message! {
    UnknownCriterion {
        item: String,
        criterion: String,
    } for UNKNOWN_CRITERION,
    "第 {item} 项没有细则 `{criterion}`：请更正细则编号",
    "item {item} has no criterion `{criterion}`: correct it",
}

pub static NOT_YET_SCORED: Rule = Rule {
    code: "W0326",
    name: "not-yet-scored",
    severity: Severity::Warning,
    title_zh: "草稿评分表中有尚未评分的项",
    title_en: "Draft sheet has items not scored yet",
    doc_en:
        "What it checks: in a draft sheet, items written as `{}` (as `ducha new` scaffolds them).
Why: a draft may be filled in over several days; a final sheet may not have such items
(that is E0311).",
    doc_zh: "检查内容：草稿评分表中写作 `{}` 的评分项（`ducha new` 生成的就是这样）。
原因：草稿可以分几天填完；定稿的评分表不能有这样的项（那是 E0311）。",
};

message! {
    NotYetScored {
        item: String,
    } for NOT_YET_SCORED,
    "第 {item} 项尚未评分：定稿前请写 score、deductions、criteria 或 not_assessed",
    "item {item} is not scored yet: give score, deductions, criteria or not_assessed before the sheet is final",
}

pub static NOTHING_ASSESSED: Rule = Rule {
    code: "E0328",
    name: "nothing-assessed",
    severity: Severity::Error,
    title_zh: "所有项目都不考核，无法计分",
    title_en: "Every item is not assessed: no score",
    doc_en: "What it checks: a final sheet assesses at least one item.
Why: a town whose every item is not assessed has earned 0 of 0 points; rescaled that is no score at
all, and ranking it (last, or first) would be wrong either way. Such a town is never ranked.
Fix: score at least one item, or check the towns' attributes that the items' assessed_if name.",
    doc_zh: "检查内容：定稿的评分表至少考核一项。
原因：每一项都不考核的乡镇，得的是 0 分中的 0 分；折算后根本没有得分，把它排进名次
（排最后或排第一）都不对。这样的乡镇从不排名。
改法：至少给一项评分，或核对评分项的 assessed_if 所用的乡镇属性。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NothingAssessed;

impl Message for NothingAssessed {
    fn rule(&self) -> &'static Rule {
        &NOTHING_ASSESSED
    }

    fn text(&self, lang: Lang) -> String {
        lang.pick(
            "所有项目都标为不考核：没有可计的分，该乡镇无法计分，也不参加排名；请至少评一项，或核对各项的 assessed_if 属性",
            "every item is marked not assessed: there is nothing to score, so the town cannot be scored or ranked; score at least one item, or check the items' assessed_if attributes",
        )
        .into()
    }
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let item = || "3".to_string();
    vec![
        Box::new(ScoreBelowZero {
            value: Points(-100),
        }),
        Box::new(ScoreAbovePoints {
            value: Points(400),
            item: item(),
            criterion: Some("a".into()),
            points: Points(300),
        }),
        Box::new(ScoreOffStep {
            value: Points(225),
            step: Points(50),
        }),
        Box::new(DeductionWithoutReason { item: item() }),
        Box::new(ScoreDeductionsDisagree {
            score: Points(300),
            expected: Points(100),
            points: Points(300),
            deducted: Points(200),
        }),
        Box::new(DeductionsExceedPoints {
            item: item(),
            deducted: Points(400),
            points: Points(300),
        }),
        Box::new(NotAssessedNotAllowed {
            item: item(),
            attribute: None,
            town: "x".into(),
        }),
        Box::new(NotAssessedRequired {
            item: item(),
            attribute: "poverty_villages".into(),
            town: "x".into(),
        }),
        Box::new(MissingItem { item: item() }),
        Box::new(UnknownItem { item: item() }),
        Box::new(EntryForm::Conflict { item: item() }),
        Box::new(MissingCriterion {
            item: item(),
            criterion: "a".into(),
        }),
        Box::new(UnknownCriterion {
            item: item(),
            criterion: "z".into(),
        }),
        Box::new(NotYetScored { item: item() }),
        Box::new(NothingAssessed),
    ]
}
