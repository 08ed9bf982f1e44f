//! Rules on what counts outside the rubric's points: grade bands (等次) and classes (分类考核)
//! in campaign.yaml, the rubric's adjustments (加减分项) and vetoes (一票否决), and the
//! occurrences sheets record.

use std::collections::HashSet;

use crate::diag::{Diagnostic, Message, Rule, Severity, message};
use crate::lang::Lang;
use crate::model::{Campaign, Content, Points, Rubric, Spanned, Town};

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &BAD_GRADES,
    &BAD_ADJUSTMENT,
    &MISSING_CLASS,
    &UNKNOWN_ADJUSTMENT,
    &OCCURRENCE_WITHOUT_REASON,
    &VETO_WITHOUT_EVIDENCE,
];

pub fn check(content: &Content, out: &mut Vec<Diagnostic>) {
    if let Some(campaign) = &content.campaign {
        grades(campaign, out);
        if let (Some(attribute), Some(towns)) = (&campaign.classes, &content.towns) {
            classes(attribute, towns, out);
        }
    }
    let Some(rubric) = &content.rubric else {
        return;
    };
    adjustments(rubric, out);
    let known: HashSet<&str> = rubric
        .adjustments
        .iter()
        .map(|a| a.id.value.as_str())
        .collect();
    let vetoes: HashSet<&str> = rubric.vetoes.iter().map(|v| v.id.value.as_str()).collect();
    for sheet in &content.sheets {
        for (id, occurrences) in &sheet.adjustments {
            if !known.contains(id.value.as_str()) {
                let msg = UnknownAdjustment {
                    id: id.value.clone(),
                    known: sorted(&known),
                };
                out.push(Diagnostic::new(msg, id.span));
            }
            for o in occurrences {
                if o.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
                    let span = o.reason.as_ref().map_or(o.span, |r| r.span);
                    let msg = OccurrenceWithoutReason {
                        id: id.value.clone(),
                    };
                    out.push(Diagnostic::new(msg, span));
                }
            }
        }
        for (id, o) in &sheet.vetoes {
            if !vetoes.contains(id.value.as_str()) {
                let msg = UnknownAdjustment {
                    id: id.value.clone(),
                    known: sorted(&vetoes),
                };
                out.push(Diagnostic::new(msg, id.span));
            }
            if o.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
                let span = o.reason.as_ref().map_or(o.span, |r| r.span);
                let msg = OccurrenceWithoutReason {
                    id: id.value.clone(),
                };
                out.push(Diagnostic::new(msg, span));
            }
            if o.evidence.is_empty() {
                let msg = VetoWithoutEvidence {
                    id: id.value.clone(),
                };
                out.push(Diagnostic::new(msg, id.span));
            }
        }
    }
}

/// Every town has the attribute its class is read from; when none has it, the `classes:` line
/// is where the slip is.
fn classes(attribute: &Spanned<String>, towns: &[Town], out: &mut Vec<Diagnostic>) {
    let lacking: Vec<&Town> = towns
        .iter()
        .filter(|t| t.attribute(&attribute.value).is_none())
        .collect();
    if !towns.is_empty() && lacking.len() == towns.len() {
        let mut names: Vec<&str> = towns
            .iter()
            .flat_map(|t| &t.attributes)
            .map(|(k, _)| k.value.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        let msg = MissingClass::Nowhere {
            attribute: attribute.value.clone(),
            known: names.join(", "),
        };
        out.push(Diagnostic::new(msg, attribute.span));
        return;
    }
    for town in lacking {
        let msg = MissingClass::Town {
            town: town.name.value.clone(),
            attribute: attribute.value.clone(),
        };
        out.push(Diagnostic::new(msg, town.span));
    }
}

fn sorted(ids: &HashSet<&str>) -> String {
    let mut ids: Vec<&str> = ids.iter().copied().collect();
    ids.sort_unstable();
    ids.join(", ")
}

/// Grades highest first, each lower than the one before, the last from zero: every total
/// gets exactly one grade.
fn grades(campaign: &Campaign, out: &mut Vec<Diagnostic>) {
    let mut above: Option<&crate::model::Grade> = None;
    for grade in &campaign.grades {
        if grade.min.value < Points::ZERO {
            let msg = BadGrades::Negative {
                name: grade.name.value.clone(),
            };
            out.push(Diagnostic::new(msg, grade.min.span));
        } else if let Some(above) = above
            && grade.min.value >= above.min.value
        {
            let msg = BadGrades::NotBelow {
                name: grade.name.value.clone(),
                above: above.name.value.clone(),
                min: above.min.value,
            };
            out.push(Diagnostic::new(msg, grade.min.span));
        }
        above = Some(grade);
    }
    if let Some(last) = campaign.grades.last()
        && last.min.value > Points::ZERO
    {
        let msg = BadGrades::Gap {
            name: last.name.value.clone(),
            min: last.min.value,
        };
        out.push(Diagnostic::new(msg, last.min.span));
    }
}

fn adjustments(rubric: &Rubric, out: &mut Vec<Diagnostic>) {
    for a in &rubric.adjustments {
        let each = a.points_each.value;
        if each <= Points::ZERO {
            let msg = BadAdjustment::NotPositive {
                id: a.id.value.clone(),
            };
            out.push(Diagnostic::new(msg, a.points_each.span));
        } else if let Some(cap) = &a.cap
            && (cap.value < each || !cap.value.is_multiple_of(each))
        {
            let msg = BadAdjustment::Cap {
                id: a.id.value.clone(),
                cap: cap.value,
                each,
            };
            out.push(Diagnostic::new(msg, cap.span));
        }
    }
    let mut seen = HashSet::new();
    let ids = rubric
        .adjustments
        .iter()
        .map(|a| &a.id)
        .chain(rubric.vetoes.iter().map(|v| &v.id));
    for id in ids {
        if !seen.insert(id.value.as_str()) {
            let msg = BadAdjustment::Duplicate {
                id: id.value.clone(),
            };
            out.push(Diagnostic::new(msg, id.span));
        }
    }
}

pub static BAD_GRADES: Rule = Rule {
    code: "E0217",
    name: "bad-grades",
    severity: Severity::Error,
    title_zh: "等次划分有重叠或空缺",
    title_en: "Grade bands overlap or leave a gap",
    doc_en: "What it checks: `grades` in campaign.yaml lists the bands highest first, each `min` lower than
the one before, and the last band starts at 0.
Why: each published total must get exactly one grade (等次); bands out of order overlap, and a
lowest band above 0 leaves the lowest totals without one.
Example:
    grades:
      - {name: 优秀, min: 90}
      - {name: 良好, min: 80}
      - {name: 合格, min: 60}
      - {name: 不合格, min: 0}",
    doc_zh: "检查内容：campaign.yaml 的 `grades` 从高到低列出各等次，每一档的 `min` 都低于上一档，最后一档从 0 开始。
原因：每个公布的总分都应恰好对应一个等次；顺序错了会重叠，最低一档不从 0 开始，最低的总分就没有等次。
示例：
    grades:
      - {name: 优秀, min: 90}
      - {name: 良好, min: 80}
      - {name: 合格, min: 60}
      - {name: 不合格, min: 0}",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadGrades {
    Negative {
        name: String,
    },
    /// Not below the band listed before it.
    NotBelow {
        name: String,
        above: String,
        min: Points,
    },
    /// The lowest band starts above zero.
    Gap {
        name: String,
        min: Points,
    },
}

impl Message for BadGrades {
    fn rule(&self) -> &'static Rule {
        &BAD_GRADES
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            BadGrades::Negative { name } => lang.pick(
                format!("等次“{name}”的 min 是负数：总分不会低于 0，请写 0 或以上"),
                format!("the grade `{name}` has a negative min: totals never go below 0; write 0 or more"),
            ),
            BadGrades::NotBelow { name, above, min } => lang.pick(
                format!("等次“{name}”的 min 应低于上一档“{above}”的 {min}：等次从高到低排列"),
                format!("the grade `{name}` must start below `{above}` ({min}): list grades highest first"),
            ),
            BadGrades::Gap { name, min } => lang.pick(
                format!("最低一档“{name}”从 {min} 开始，低于 {min} 的总分没有等次：请把它的 min 改为 0"),
                format!("the lowest grade `{name}` starts at {min}, leaving totals below {min} without a grade: make its min 0"),
            ),
        }
    }
}

pub static BAD_ADJUSTMENT: Rule = Rule {
    code: "E0218",
    name: "bad-adjustment",
    severity: Severity::Error,
    title_zh: "加减分项或否决项定义有误",
    title_en: "Adjustment or veto defined wrongly",
    doc_en: "What it checks: each of the rubric's `adjustments` gives positive `points_each`, a `cap` (if any)
that is a whole number of occurrences, and no id is used twice among adjustments and vetoes.
Why: a cap of 2.5 with 1 point each could never be reached exactly, and two definitions under
one id would leave sheets unclear about which one they record.
Example:
    adjustments:
      - {id: promoted, kind: bonus, text: 工作经验被省级以上推广, points_each: 1, cap: 3}",
    doc_zh: "检查内容：评分表 `adjustments` 中每一项的 `points_each` 为正数，`cap`（若有）是整数次的分值，
加减分项和否决项之间没有重复的 id。
原因：每次 1 分、上限 2.5 分，永远无法恰好达到；同一 id 有两个定义，评分表就说不清记的是哪一个。
示例：
    adjustments:
      - {id: promoted, kind: bonus, text: 工作经验被省级以上推广, points_each: 1, cap: 3}",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadAdjustment {
    NotPositive {
        id: String,
    },
    Cap {
        id: String,
        cap: Points,
        each: Points,
    },
    Duplicate {
        id: String,
    },
}

impl Message for BadAdjustment {
    fn rule(&self) -> &'static Rule {
        &BAD_ADJUSTMENT
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            BadAdjustment::NotPositive { id } => lang.pick(
                format!("`{id}` 的 points_each 应为正数：加分或减分由 kind 决定"),
                format!("`{id}` needs a positive points_each: kind says whether it adds or takes"),
            ),
            BadAdjustment::Cap { id, cap, each } => lang.pick(
                format!("`{id}` 的上限 {cap} 不是每次 {each} 分的整数倍：请改为 {each} 的倍数"),
                format!("the cap {cap} of `{id}` is not a whole number of occurrences of {each}: make it a multiple of {each}"),
            ),
            BadAdjustment::Duplicate { id } => lang.pick(
                format!("id `{id}` 已用于另一个加减分项或否决项：每项一个 id"),
                format!("the id `{id}` is already used by another adjustment or veto: one id each"),
            ),
        }
    }
}

pub static UNKNOWN_ADJUSTMENT: Rule = Rule {
    code: "E0329",
    name: "unknown-adjustment",
    severity: Severity::Error,
    title_zh: "评分表记录了评分表中没有的加减分项或否决项",
    title_en: "Sheet records an adjustment or veto the rubric lacks",
    doc_en: "What it checks: every id under a sheet's `adjustments` is one of the rubric's adjustments, and
every id under `vetoes` one of its vetoes.
Why: points outside the rubric's total, and above all a veto, count only by a rule the office
published; an unknown id is a typo or a rule that does not exist.",
    doc_zh: "检查内容：评分表 `adjustments` 下的每个 id 都是评分表定义的加减分项，`vetoes` 下的每个 id 都是定义的否决项。
原因：总分以外的加减分，尤其是一票否决，只能依据督查室公布的规则；未知的 id 是笔误，或是不存在的规则。",
};

message! {
    UnknownAdjustment {
        id: String,
        known: String,
    } for UNKNOWN_ADJUSTMENT,
    "评分表没有定义 `{id}`：可用的有 {known}",
    "the rubric defines no `{id}`: the ones it defines are {known}",
}

pub static OCCURRENCE_WITHOUT_REASON: Rule = Rule {
    code: "E0330",
    name: "occurrence-without-reason",
    severity: Severity::Error,
    title_zh: "加减分或否决没有写明原因",
    title_en: "Adjustment or veto without a reason",
    doc_en:
        "What it checks: every occurrence of an adjustment and every veto on a sheet has a `reason`.
Why: points given or taken outside the scoring table, and a veto above all, must say why; the
town is told the reason, and it may object.",
    doc_zh: "检查内容：评分表上每一次加减分和每一项否决都写有 `reason`。
原因：在评分表之外给分、扣分，尤其是一票否决，都必须说明原因；乡镇会收到这个原因，也可以提出异议。",
};

message! {
    OccurrenceWithoutReason {
        id: String,
    } for OCCURRENCE_WITHOUT_REASON,
    "`{id}` 没有写原因：请写 reason",
    "`{id}` has no reason: write one under reason",
}

pub static VETO_WITHOUT_EVIDENCE: Rule = Rule {
    code: "E0331",
    name: "veto-without-evidence",
    severity: Severity::Error,
    title_zh: "一票否决没有佐证材料",
    title_en: "Veto without evidence",
    doc_en: "What it checks: every veto on a sheet lists at least one evidence file.
Why: a veto puts the town below every other whatever its score; it must rest on a document
(the accident report, the notice of criticism), not on a sentence.",
    doc_zh: "检查内容：评分表上的每一项否决都至少列出一份佐证材料。
原因：一票否决不论得分多少都把乡镇排在最后，必须有文件为据（事故报告、通报文件），而不能只凭一句话。",
};

message! {
    VetoWithoutEvidence {
        id: String,
    } for VETO_WITHOUT_EVIDENCE,
    "否决项 `{id}` 没有佐证材料：请在 evidence 下列出文件",
    "the veto `{id}` lists no evidence: list the files under evidence",
}

pub static MISSING_CLASS: Rule = Rule {
    code: "E0220",
    name: "missing-class",
    severity: Severity::Error,
    title_zh: "乡镇缺少分类考核所用的属性",
    title_en: "Town without the attribute its class is read from",
    doc_en:
        "What it checks: when campaign.yaml says `classes: class`, every town in towns.yaml has the
attribute `class`.
Why: towns are ranked, and the bottom places decided, within each class (分类考核); a town without
a class could be ranked in none, or compared with towns it is not measured against.
Example:
    classes: class                  # campaign.yaml
    - {name: 仙塘镇, slug: xiantang, attributes: {class: 一类镇}}",
    doc_zh:
        "检查内容：campaign.yaml 写了 `classes: class` 时，towns.yaml 中每个乡镇都有属性 `class`。
原因：分类考核在每一类内排名、确定末位；没有类别的乡镇无处排名，或被拿去与不同类的乡镇比较。
示例：
    classes: class                  # campaign.yaml
    - {name: 仙塘镇, slug: xiantang, attributes: {class: 一类镇}}",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MissingClass {
    Town {
        town: String,
        attribute: String,
    },
    /// No town has the attribute: `classes:` likely names the wrong one.
    Nowhere {
        attribute: String,
        known: String,
    },
}

impl Message for MissingClass {
    fn rule(&self) -> &'static Rule {
        &MISSING_CLASS
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            MissingClass::Town { town, attribute } => lang.pick(
                format!("{town} 缺少属性 `{attribute}`，无法分类排名：请在 attributes 中写明它属于哪一类，如 {attribute}: 一类镇"),
                format!("{town} lacks the attribute `{attribute}` its class is read from: add it under attributes, e.g. {attribute}: A"),
            ),
            MissingClass::Nowhere { attribute, known } if known.is_empty() => lang.pick(
                format!("没有乡镇有属性 `{attribute}`：请在 towns.yaml 每个乡镇的 attributes 中写明类别"),
                format!("no town has the attribute `{attribute}`: give each town its class under attributes in towns.yaml"),
            ),
            MissingClass::Nowhere { attribute, known } => lang.pick(
                format!("没有乡镇有属性 `{attribute}`：乡镇的属性有 {known}，请改为其中之一，或在 towns.yaml 中补上"),
                format!("no town has the attribute `{attribute}`: towns have {known}; name one of those, or add it in towns.yaml"),
            ),
        }
    }
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let text = || "x".to_string();
    vec![
        Box::new(BadGrades::Gap {
            name: text(),
            min: Points(6000),
        }),
        Box::new(BadAdjustment::Cap {
            id: text(),
            cap: Points(250),
            each: Points(100),
        }),
        Box::new(UnknownAdjustment {
            id: text(),
            known: text(),
        }),
        Box::new(OccurrenceWithoutReason { id: text() }),
        Box::new(VetoWithoutEvidence { id: text() }),
        Box::new(MissingClass::Town {
            town: text(),
            attribute: text(),
        }),
    ]
}
