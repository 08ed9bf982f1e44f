//! Rules on the campaign's set-up: campaign, rubric, towns and groups.

use std::collections::HashMap;

use super::{Index, step_label};
use crate::diag::{Diagnostic, Message, Rule, Severity, Span, message};
use crate::lang::Lang;
use crate::load::rules::first_on_line;
use crate::model::{Attribute, Campaign, Content, Person, Points, Rubric, Spanned};

/// The set-up rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &CAMPAIGN_DATES,
    &BAD_STEP,
    &RUBRIC_TOTAL,
    &CRITERIA_TOTAL,
    &DUPLICATE_ID,
    &POINTS_OFF_STEP,
    &UNKNOWN_ATTRIBUTE,
    &TOWN_WITHOUT_GROUP,
    &TOWN_IN_TWO_GROUPS,
    &UNKNOWN_TOWN,
    &BAD_CONSEQUENCE,
    &BAD_EMAIL,
    &BAD_TIMEZONE,
    &UNLABELLED_ATTRIBUTE,
    &KEY_OF_TWO_PEOPLE,
    &ATTRIBUTE_NOT_A_COUNT,
];

/// Ten years: a rectification deadline beyond that is a slip, and dates stay computable.
pub const MAX_DEADLINE_DAYS: u32 = 3650;

/// The most rounds a consequence may look back over: a round a month for ten years.
pub const MAX_ROUNDS: u32 = 120;

pub fn check(content: &Content, index: &Index, out: &mut Vec<Diagnostic>) {
    if let Some(campaign) = &content.campaign {
        dates(campaign, out);
        if let Some(tz) = &campaign.timezone
            && jiff::tz::TimeZone::get(&tz.value).is_err()
        {
            let msg = BadTimezone {
                value: tz.value.clone(),
            };
            out.push(Diagnostic::new(msg, tz.span));
        }
        if campaign.step.value.0 <= 0 {
            out.push(Diagnostic::new(BadStep, campaign.step.span));
        }
        let towns = content.towns.as_ref().map(Vec::len);
        for c in &campaign.consequences {
            if c.bottom.value == 0 {
                out.push(Diagnostic::new(
                    BadConsequence::BottomTooSmall,
                    c.bottom.span,
                ));
            } else if let Some(towns) = towns
                && towns > 0
                && c.bottom.value as usize >= towns
            {
                let msg = BadConsequence::BottomTooLarge {
                    bottom: c.bottom.value,
                    towns,
                };
                out.push(Diagnostic::new(msg, c.bottom.span));
            }
            if let Some(rounds) = &c.rounds
                && !(1..=MAX_ROUNDS).contains(&rounds.value)
            {
                let msg = BadConsequence::RoundsOutOfRange { max: MAX_ROUNDS };
                out.push(Diagnostic::new(msg, rounds.span));
            }
            if let Some(days) = &c.deadline_days
                && !(1..=MAX_DEADLINE_DAYS).contains(&days.value)
            {
                let msg = BadConsequence::DeadlineOutOfRange {
                    max: MAX_DEADLINE_DAYS,
                };
                out.push(Diagnostic::new(msg, days.span));
            }
        }
    }
    if let Some(rubric) = &content.rubric {
        rubric_rules(rubric, index.step, content.whole.rubric, out);
        // Each attribute an item depends on needs a name that pages can show.
        let mut named: Vec<&str> = rubric
            .attributes
            .iter()
            .map(|(n, _)| n.value.as_str())
            .collect();
        for item in rubric.items() {
            if let Some(attribute) = &item.assessed_if
                && !named.contains(&attribute.value.as_str())
            {
                named.push(&attribute.value);
                let msg = UnlabelledAttribute {
                    attribute: attribute.value.clone(),
                };
                out.push(Diagnostic::new(msg, attribute.span));
            }
        }
        if let Some(towns) = &content.towns {
            for item in rubric.items() {
                let Some(attribute) = &item.assessed_if else {
                    continue;
                };
                for town in towns {
                    match town.attribute(&attribute.value) {
                        None => {
                            let msg = UnknownAttribute {
                                town: town.name.value.clone(),
                                attribute: attribute.value.clone(),
                                item: item.id.value.clone(),
                            };
                            out.push(Diagnostic::new(msg, town.span));
                        }
                        Some(value) if matches!(value.value, Attribute::Text(_)) => {
                            let msg = AttributeNotACount {
                                value: value.value.label(),
                                attribute: attribute.value.clone(),
                                item: item.id.value.clone(),
                            };
                            out.push(Diagnostic::new(msg, value.span));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
    if let Some(towns) = &content.towns {
        unique(towns.iter().map(|t| &t.slug), IdKind::TownSlug, out);
        unique(towns.iter().map(|t| &t.name), IdKind::TownName, out);
    }
    if let Some(groups) = &content.groups {
        unique(groups.iter().map(|g| &g.id), IdKind::Group, out);
        let mut assigned: HashMap<&str, &str> = HashMap::new();
        for group in groups {
            for slug in &group.towns {
                if content.whole.towns && !index.towns.contains_key(slug.value.as_str()) {
                    let msg = UnknownTown {
                        slug: slug.value.clone(),
                    };
                    out.push(Diagnostic::new(msg, slug.span));
                    continue;
                }
                let name = index
                    .towns
                    .get(slug.value.as_str())
                    .map_or(slug.value.clone(), |t| t.name.value.clone());
                match assigned.get(slug.value.as_str()) {
                    Some(first) => {
                        let msg = TownInTwoGroups {
                            town: name,
                            first: first.to_string(),
                            second: group.name.clone(),
                        };
                        out.push(Diagnostic::new(msg, slug.span));
                    }
                    None => {
                        assigned.insert(slug.value.as_str(), group.name.as_str());
                    }
                }
            }
        }
        for town in content.towns.iter().flatten() {
            if content.whole.groups && !assigned.contains_key(town.slug.value.as_str()) {
                let msg = TownWithoutGroup {
                    town: town.name.value.clone(),
                };
                out.push(Diagnostic::new(msg, town.slug.span));
            }
        }
    }
    emails(content, out);
    keys(content, out);
}

fn dates(campaign: &Campaign, out: &mut Vec<Diagnostic>) {
    let (start, end) = match &campaign.inspection {
        Some((s, e)) => (Some(s), Some(e)),
        None => (None, None),
    };
    let order = [
        ("issued", campaign.issued.as_ref()),
        ("inspection.start", start),
        ("inspection.end", end),
        ("review_deadline", campaign.review_deadline.as_ref()),
    ];
    for (i, (earlier, a)) in order.iter().enumerate() {
        for (later, b) in &order[i + 1..] {
            if let (Some(a), Some(b)) = (a, b)
                && b.value < a.value
            {
                let msg = CampaignDates {
                    earlier,
                    earlier_date: a.value.to_string(),
                    later,
                    later_date: b.value.to_string(),
                };
                out.push(Diagnostic::new(msg, b.span));
            }
        }
    }
}

fn rubric_rules(rubric: &Rubric, step: Option<Points>, whole: bool, out: &mut Vec<Diagnostic>) {
    let on_step = |points: &Spanned<Points>, out: &mut Vec<Diagnostic>| {
        let bad = points.value.0 <= 0 || step.is_some_and(|s| !points.value.is_multiple_of(s));
        if bad {
            let msg = PointsOffStep {
                points: points.value,
                step: step.unwrap_or(Points(1)),
            };
            out.push(Diagnostic::new(msg, points.span));
        }
    };
    on_step(&rubric.total, out);
    unique(rubric.sections.iter().map(|s| &s.id), IdKind::Section, out);
    unique(rubric.items().map(|i| &i.id), IdKind::Item, out);
    let mut sum = Points::ZERO;
    for item in rubric.items() {
        on_step(&item.points, out);
        sum = sum + item.points.value;
        if item.criteria.is_empty() {
            continue;
        }
        unique(item.criteria.iter().map(|c| &c.id), IdKind::Criterion, out);
        let mut criteria = Points::ZERO;
        for c in &item.criteria {
            on_step(&c.points, out);
            criteria = criteria + c.points.value;
        }
        if criteria != item.points.value {
            let msg = CriteriaTotal {
                item: item.id.value.clone(),
                sum: criteria,
                points: item.points.value,
            };
            out.push(Diagnostic::new(msg, item.points.span));
        }
    }
    // An item that failed to load would make the sum wrong; it is reported already.
    if whole && sum != rubric.total.value {
        let msg = RubricTotal {
            sum,
            total: rubric.total.value,
        };
        out.push(Diagnostic::new(msg, rubric.total.span));
    }
}

fn unique<'a>(
    ids: impl Iterator<Item = &'a Spanned<String>>,
    kind: IdKind,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.value.as_str()) {
            let msg = DuplicateId {
                kind,
                id: id.value.clone(),
                first_line: first.line,
            };
            out.push(Diagnostic::new(msg, id.span));
        } else {
            seen.insert(&id.value, id.span);
        }
    }
}

/// A signing key says who signed a commit: one person each.
fn keys(content: &Content, out: &mut Vec<Diagnostic>) {
    let mut owners: HashMap<&ssh_key::public::KeyData, (&str, Span)> = HashMap::new();
    for person in content.people() {
        for key in &person.keys {
            match owners.get(&key.value.data) {
                Some((name, first)) if *name != person.name.value => {
                    let msg = KeyOfTwoPeople {
                        fingerprint: key.value.fingerprint.clone(),
                        first: name.to_string(),
                        first_line: first.line,
                    };
                    out.push(Diagnostic::new(msg, key.span));
                }
                Some(_) => {}
                None => {
                    owners.insert(&key.value.data, (name_of(person), key.span));
                }
            }
        }
    }
}

/// Git e-mails identify people in the audit trail: well-formed, and one person each.
fn emails(content: &Content, out: &mut Vec<Diagnostic>) {
    let mut owners: HashMap<String, (&str, Span)> = HashMap::new();
    for person in content.people() {
        let Some(git) = &person.git else { continue };
        if !looks_like_email(&git.value) {
            let msg = BadEmail::Malformed {
                value: git.value.clone(),
            };
            out.push(Diagnostic::new(msg, git.span));
            continue;
        }
        let key = git.value.to_lowercase();
        match owners.get(&key) {
            Some((name, first)) if *name != person.name.value => {
                let msg = BadEmail::Duplicate {
                    value: git.value.clone(),
                    first_line: first.line,
                };
                out.push(Diagnostic::new(msg, git.span));
            }
            Some(_) => {}
            None => {
                owners.insert(key, (name_of(person), git.span));
            }
        }
    }
}

fn name_of(person: &Person) -> &str {
    &person.name.value
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && !host.is_empty()
                && !host.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

// The rules, in code order.

pub static CAMPAIGN_DATES: Rule = Rule {
    code: "E0201",
    name: "campaign-dates",
    severity: Severity::Error,
    title_zh: "督查日期前后矛盾",
    title_en: "Campaign dates out of order",
    doc_en: "What it checks: issued ≤ inspection start ≤ inspection end ≤ review deadline.
Why: visits and sign-offs are checked against these dates; inverted dates make every check wrong.",
    doc_zh: "检查内容：发文日期 ≤ 督查开始日期 ≤ 督查结束日期 ≤ 评议评分审核截止日期。
原因：督查日期和签名日期都要与这些日期相比较；日期前后颠倒，每一项检查都会出错。",
};

message! {
    CampaignDates {
        earlier: &'static str,
        earlier_date: String,
        later: &'static str,
        later_date: String,
    } for CAMPAIGN_DATES,
    "{later}（{later_date}）早于 {earlier}（{earlier_date}）：请更正日期",
    "{later} ({later_date}) is before {earlier} ({earlier_date}): correct the dates",
}

pub static BAD_STEP: Rule = Rule {
    code: "E0202",
    name: "bad-step",
    severity: Severity::Error,
    title_zh: "计分步长无效",
    title_en: "Invalid scoring step",
    doc_en: "What it checks: `scoring.step` is above zero.
Why: every score and deduction must be a multiple of the step (0.5 in the notice).",
    doc_zh: "检查内容：`scoring.step` 大于零。
原因：每个得分和扣分都必须是计分步长的整数倍（通知中为 0.5）。",
};

message! {
    BadStep for BAD_STEP,
    "计分步长必须大于零，如 0.5",
    "the scoring step must be above zero, e.g. 0.5",
}

pub static RUBRIC_TOTAL: Rule = Rule {
    code: "E0203",
    name: "rubric-total",
    severity: Severity::Error,
    title_zh: "评分表各项分值之和不等于总分",
    title_en: "Rubric items do not add up to the total",
    doc_en: "What it checks: the standard points of all items add up to the rubric's `total` (100 in the notice).
Why: a table that does not add up publishes totals on the wrong scale.
Fix: correct an item's points or the total; the message gives the difference.",
    doc_zh: "检查内容：所有评分项的标准分之和等于评分表的 `total`（通知中为 100）。
原因：各项加起来不等于总分的评分表，发布出来的总分口径是错的。
改法：改正某一项的分值或总分；提示信息会给出相差多少。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricTotal {
    pub sum: Points,
    pub total: Points,
}

impl Message for RubricTotal {
    fn rule(&self) -> &'static Rule {
        &RUBRIC_TOTAL
    }

    fn text(&self, lang: Lang) -> String {
        let Self { sum, total } = *self;
        let off = total - sum;
        lang.pick(
            format!("各项标准分合计 {sum}，与总分 {total} 不符（相差 {off}）：请更正某项分值或总分"),
            format!("the items add up to {sum}, not the total {total} (off by {off}): correct an item's points or the total"),
        )
    }
}

pub static CRITERIA_TOTAL: Rule = Rule {
    code: "E0204",
    name: "criteria-total",
    severity: Severity::Error,
    title_zh: "细则分值之和不等于该项标准分",
    title_en: "Criteria do not add up to their item",
    doc_en: "What it checks: when an item splits into criteria, their points add up to the item's points.
Example: item 18 (12.5) = a 5 + b 2.5 + c 2.5 + d 2.5.",
    doc_zh: "检查内容：评分项分为几条细则时，各条细则的分值之和等于该项的标准分。
示例：第 18 项（12.5 分）= a 5 + b 2.5 + c 2.5 + d 2.5。",
};

message! {
    CriteriaTotal {
        item: String,
        sum: Points,
        points: Points,
    } for CRITERIA_TOTAL,
    "第 {item} 项的细则合计 {sum}，与该项标准分 {points} 不符：请更正细则分值",
    "the criteria of item {item} add up to {sum}, not its {points} points: correct them",
}

pub static DUPLICATE_ID: Rule = Rule {
    code: "E0205",
    name: "duplicate-id",
    severity: Severity::Error,
    title_zh: "标识符重复",
    title_en: "Duplicate identifier",
    doc_en: "What it checks: section, item and criterion ids, town slugs and names, and group ids are unique.
Why: sheets, pages and links refer to them; two of one would be confused.",
    doc_zh: "检查内容：部分、评分项和细则的编号，乡镇的标识和名称，以及督查组编号，都不重复。
原因：评分表、页面和链接都靠它们指明对象；重复了就会张冠李戴。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateId {
    pub kind: IdKind,
    pub id: String,
    pub first_line: u32,
}

/// What a duplicate identifier identifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Section,
    Item,
    Criterion,
    TownSlug,
    TownName,
    Group,
}

impl Message for DuplicateId {
    fn rule(&self) -> &'static Rule {
        &DUPLICATE_ID
    }

    fn text(&self, lang: Lang) -> String {
        let Self {
            kind,
            id,
            first_line,
        } = self;
        let kind = kind.name(lang);
        lang.pick(
            format!("{kind}`{id}` 重复（第 {first_line} 行已有）：每个标识须唯一"),
            format!("{kind} `{id}` is used twice (first on line {first_line}): make it unique"),
        )
    }

    fn label(&self, lang: Lang) -> String {
        first_on_line(self.first_line, lang)
    }
}

impl IdKind {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            IdKind::Section => lang.pick("方面标识", "section id"),
            IdKind::Item => lang.pick("评分项编号", "item id"),
            IdKind::Criterion => lang.pick("细则编号", "criterion id"),
            IdKind::TownSlug => lang.pick("乡镇标识", "town slug"),
            IdKind::TownName => lang.pick("乡镇名称", "town name"),
            IdKind::Group => lang.pick("小组标识", "group id"),
        }
    }
}

pub static POINTS_OFF_STEP: Rule = Rule {
    code: "E0206",
    name: "points-off-step",
    severity: Severity::Error,
    title_zh: "标准分不是计分步长的正整数倍",
    title_en: "Standard points not a positive multiple of the step",
    doc_en: "What it checks: the rubric total and every item and criterion's points are above zero and a
multiple of `scoring.step`.
Why: otherwise full marks could not be given in steps.",
    doc_zh: "检查内容：评分表的总分，以及每个评分项和细则的分值，都大于零，并且是 `scoring.step` 的整数倍。
原因：否则无法按步长给出满分。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsOffStep {
    pub points: Points,
    pub step: Points,
}

impl Message for PointsOffStep {
    fn rule(&self) -> &'static Rule {
        &POINTS_OFF_STEP
    }

    fn text(&self, lang: Lang) -> String {
        let Self { points, step } = self;
        lang.pick(
            format!("分值 {points} 须大于零且为计分步长 {step} 的整数倍"),
            format!("points {points} must be above zero and a multiple of the step {step}"),
        )
    }

    fn label(&self, lang: Lang) -> String {
        step_label(self.step, lang)
    }
}

pub static UNKNOWN_ATTRIBUTE: Rule = Rule {
    code: "E0207",
    name: "unknown-attribute",
    severity: Severity::Error,
    title_zh: "乡镇缺少评分表所需的属性",
    title_en: "Town lacks an attribute the rubric uses",
    doc_en: "What it checks: every town has each attribute named by an item's `assessed_if`.
Why: whether the item is assessed (考核) for the town depends on it.
Example:
    - {name: 仙塘镇, slug: xiantang, attributes: {poverty_villages: 3}}",
    doc_zh: "检查内容：评分项的 `assessed_if` 所用的每个属性，每个乡镇都有。
原因：该项是否考核本乡镇，要看这个属性。
示例：
    - {name: 仙塘镇, slug: xiantang, attributes: {poverty_villages: 3}}",
};

message! {
    UnknownAttribute {
        town: String,
        attribute: String,
        item: String,
    } for UNKNOWN_ATTRIBUTE,
    "{town} 缺少属性 `{attribute}`（第 {item} 项据此判断是否考核）：请在 attributes 中补上",
    "{town} lacks the attribute `{attribute}` (item {item} depends on it): add it under attributes",
}

pub static TOWN_WITHOUT_GROUP: Rule = Rule {
    code: "E0208",
    name: "town-without-group",
    severity: Severity::Error,
    title_zh: "乡镇未分配督查小组",
    title_en: "Town in no group",
    doc_en: "What it checks: every town in towns.yaml is in the `towns` of exactly one group.
Why: nobody would inspect it, and its sheet could not be signed off.",
    doc_zh: "检查内容：towns.yaml 中的每个乡镇，都恰好列在一个督查组的 `towns` 中。
原因：否则没有人督查它，它的评分表也无人签名。",
};

message! {
    TownWithoutGroup {
        town: String,
    } for TOWN_WITHOUT_GROUP,
    "{town} 不属于任何督查小组：请加到 groups.yaml 某组的 towns 中",
    "{town} is in no group: add it to the towns of a group in groups.yaml",
}

pub static TOWN_IN_TWO_GROUPS: Rule = Rule {
    code: "E0209",
    name: "town-in-two-groups",
    severity: Severity::Error,
    title_zh: "乡镇被分配给两个督查小组",
    title_en: "Town in two groups",
    doc_en: "What it checks: no town is listed by two groups.
Why: two groups would score the same town; which sheet counts would be unclear.",
    doc_zh: "检查内容：没有乡镇同时列在两个督查组中。
原因：两个组会给同一个乡镇评分，以哪一份评分表为准就说不清了。",
};

message! {
    TownInTwoGroups {
        town: String,
        first: String,
        second: String,
    } for TOWN_IN_TWO_GROUPS,
    "{town} 同时属于 {first} 和 {second}：一个乡镇只能由一个小组督查",
    "{town} is in both {first} and {second}: a town belongs to one group",
}

pub static UNKNOWN_TOWN: Rule = Rule {
    code: "E0210",
    name: "unknown-town",
    severity: Severity::Error,
    title_zh: "未知的乡镇",
    title_en: "Unknown town",
    doc_en:
        "What it checks: towns named in groups.yaml and in sheets exist in towns.yaml (by slug).
Fix: correct the slug, or add the town to towns.yaml.",
    doc_zh: "检查内容：groups.yaml 和评分表中提到的乡镇（按标识）都在 towns.yaml 中。
改法：改正标识，或把该乡镇加入 towns.yaml。",
};

message! {
    /// Raised for groups.yaml here, and for sheets in `sheets.rs`.
    UnknownTown {
        slug: String,
    } for UNKNOWN_TOWN,
    "towns.yaml 中没有标识为 `{slug}` 的乡镇：请更正标识，或在 towns.yaml 中添加该乡镇",
    "no town with slug `{slug}` in towns.yaml: correct the slug or add the town",
}

pub static BAD_CONSEQUENCE: Rule = Rule {
    code: "E0211",
    name: "bad-consequence",
    severity: Severity::Error,
    title_zh: "结果运用设置无效",
    title_en: "Invalid consequence",
    doc_en: "What it checks: `bottom` is at least 1 and below the number of towns, and `deadline_days` between 1 and 3650 (ten years).
Why: \"the bottom 0\" or \"the bottom 21 of 21\" flags nobody or everybody.",
    doc_zh: "检查内容：`bottom` 至少为 1 且小于乡镇数，`deadline_days` 在 1 到 3650（十年）之间。
原因：“倒数 0 名”或“21 个乡镇中的倒数 21 名”，不是谁都不涉及，就是人人都涉及。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadConsequence {
    BottomTooSmall,
    BottomTooLarge { bottom: u32, towns: usize },
    DeadlineOutOfRange { max: u32 },
    RoundsOutOfRange { max: u32 },
}

impl Message for BadConsequence {
    fn rule(&self) -> &'static Rule {
        &BAD_CONSEQUENCE
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            BadConsequence::BottomTooSmall => lang
                .pick("bottom 至少为 1", "bottom must be at least 1")
                .into(),
            BadConsequence::BottomTooLarge { bottom, towns } => lang.pick(
                format!("倒数 {bottom} 名覆盖了全部 {towns} 个乡镇：请改小"),
                format!("the bottom {bottom} would cover all {towns} towns: make it smaller"),
            ),
            BadConsequence::DeadlineOutOfRange { max } => lang.pick(
                format!("整改期限 deadline_days 应在 1 至 {max} 天之间"),
                format!("deadline_days must be between 1 and {max}"),
            ),
            BadConsequence::RoundsOutOfRange { max } => lang.pick(
                format!("rounds（连续几轮）应在 1 至 {max} 之间"),
                format!("rounds (how many rounds in a row) must be between 1 and {max}"),
            ),
        }
    }
}

pub static BAD_EMAIL: Rule = Rule {
    code: "E0212",
    name: "bad-email",
    severity: Severity::Error,
    title_zh: "git 邮箱格式不对",
    title_en: "Malformed git e-mail",
    doc_en: "What it checks: `git:` values look like e-mail addresses (name@host), and no address belongs to two people.
Why: the audit trail matches commits to people by their git e-mail.",
    doc_zh: "检查内容：`git:` 的值像电子邮箱地址（名字@主机），且没有一个地址同时属于两个人。
原因：审计记录按 git 邮箱把提交对应到人。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadEmail {
    Malformed {
        value: String,
    },
    /// An address already given to someone else, first on `first_line`.
    Duplicate {
        value: String,
        first_line: u32,
    },
}

impl Message for BadEmail {
    fn rule(&self) -> &'static Rule {
        &BAD_EMAIL
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            BadEmail::Malformed { value } => lang.pick(
                format!("`{value}` 不是邮箱地址：git 邮箱应形如 name@example.org"),
                format!("`{value}` is not an e-mail address: write name@example.org"),
            ),
            BadEmail::Duplicate { value, first_line } => lang.pick(
                format!("邮箱 `{value}` 已用于他人（第 {first_line} 行）：每人一个 git 邮箱"),
                format!("e-mail `{value}` already belongs to someone else (line {first_line}): one per person"),
            ),
        }
    }
}

pub static BAD_TIMEZONE: Rule = Rule {
    code: "E0213",
    name: "bad-timezone",
    severity: Severity::Error,
    title_zh: "时区名称无效",
    title_en: "Unknown timezone",
    doc_en:
        "What it checks: `timezone` is a name from the time zone database, such as Asia/Shanghai.
Why: commit dates in the audit trail are shown, and compared with the review deadline, in it.",
    doc_zh: "检查内容：`timezone` 是时区数据库中的名称，如 Asia/Shanghai。
原因：审计记录中提交的时间按这个时区显示，也按它与评议评分审核截止日期相比较。",
};

message! {
    BadTimezone {
        value: String,
    } for BAD_TIMEZONE,
    "`{value}` 不是有效的时区名称：请写 Asia/Shanghai 这样的时区",
    "`{value}` is not a known timezone: write a name such as Asia/Shanghai",
}

pub static UNLABELLED_ATTRIBUTE: Rule = Rule {
    code: "W0215",
    name: "unlabelled-attribute",
    severity: Severity::Warning,
    title_zh: "考核条件中的乡镇属性没有名称",
    title_en: "Town attribute without a name",
    doc_en: "What it checks: every town attribute that an item's `assessed_if` names has a name under
`attributes` in rubric.yaml.
Why: the site and new sheets say which towns an item applies to; they should say it in words
(省定相对贫困村数), not with a key from the configuration (poverty_villages).
Example:
    attributes:
      poverty_villages: 省定相对贫困村数",
    doc_zh: "检查内容：评分项的 `assessed_if` 所用的每个乡镇属性，在 rubric.yaml 的 `attributes` 下都有名称。
原因：网站和新评分表要说明某一项适用于哪些乡镇，应当用文字说（省定相对贫困村数），
而不是用配置中的键（poverty_villages）。
示例：
    attributes:
      poverty_villages: 省定相对贫困村数",
};

message! {
    UnlabelledAttribute {
        attribute: String,
    } for UNLABELLED_ATTRIBUTE,
    "属性 `{attribute}` 没有名称，网站上无法说明考核条件：请在 rubric.yaml 中写 attributes: {{{attribute}: 名称}}，如“省定相对贫困村数”",
    "the attribute `{attribute}` has no name for the site to show: add attributes: {{{attribute}: name}} to rubric.yaml",
}

pub static KEY_OF_TWO_PEOPLE: Rule = Rule {
    code: "E0216",
    name: "key-of-two-people",
    severity: Severity::Error,
    title_zh: "同一签名公钥列在两个人名下",
    title_en: "One signing key listed for two people",
    doc_en: "What it checks: no SSH public key under `keys` in campaign.yaml and groups.yaml belongs to two
different people.
Why: the audit names the signer of a commit by its key; a key two people share cannot say which
of them signed, and one of them may sign for the other.
Fix: each person signs with a key of their own; remove the key from the person it is not.",
    doc_zh: "检查内容：campaign.yaml 和 groups.yaml 中 `keys` 下的 SSH 公钥，不属于两个不同的人。
原因：审计凭公钥认定提交的签名人；两人共用一把公钥，就说不清是谁签的，一人也可以替另一人签。
改法：每人用自己的密钥签名；把公钥从不属于它的人名下删去。",
};

message! {
    KeyOfTwoPeople {
        fingerprint: String,
        first: String,
        first_line: u32,
    } for KEY_OF_TWO_PEOPLE,
    "公钥 {fingerprint} 已在第 {first_line} 行列在 {first} 名下：每人须用自己的密钥签名",
    "the key {fingerprint} is already listed for {first} on line {first_line}: each person signs with a key of their own",
}

pub static ATTRIBUTE_NOT_A_COUNT: Rule = Rule {
    code: "E0221",
    name: "attribute-not-a-count",
    severity: Severity::Error,
    title_zh: "考核条件所用的属性不是数字或 true/false",
    title_en: "Attribute an item depends on is not a number or true/false",
    doc_en: "What it checks: an attribute that an item's `assessed_if` names is a whole number or true/false
for every town, not a word.
Why: 0 or false means the item is not assessed (不考核) for the town; a word such as 无 or 三个
says neither, and the item would be scored where it should not be.
Example:
    - {name: 仙塘镇, slug: xiantang, attributes: {poverty_villages: 3}}",
    doc_zh: "检查内容：评分项 `assessed_if` 所用的属性，每个乡镇都写成非负整数或 true/false，而不是文字。
原因：0 或 false 表示本乡镇不考核该项；“无”“三个”这样的文字什么也没说，该项就会在不应考核的乡镇计分。
示例：
    - {name: 仙塘镇, slug: xiantang, attributes: {poverty_villages: 3}}",
};

message! {
    AttributeNotACount {
        value: String,
        attribute: String,
        item: String,
    } for ATTRIBUTE_NOT_A_COUNT,
    "`{attribute}` 的值“{value}”是文字，第 {item} 项据此判断是否考核：请写非负整数（0 表示不考核）或 true/false",
    "`{attribute}` is the word `{value}`, and item {item} depends on it: write a whole number (0: not assessed) or true/false",
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let text = || "x".to_string();
    vec![
        Box::new(CampaignDates {
            earlier: "issued",
            earlier_date: "2020-03-01".into(),
            later: "inspection.start",
            later_date: "2020-02-01".into(),
        }),
        Box::new(BadStep),
        Box::new(RubricTotal {
            sum: Points(9900),
            total: Points(10000),
        }),
        Box::new(CriteriaTotal {
            item: text(),
            sum: Points(100),
            points: Points(200),
        }),
        Box::new(DuplicateId {
            kind: IdKind::Item,
            id: text(),
            first_line: 3,
        }),
        Box::new(PointsOffStep {
            points: Points(30),
            step: Points(50),
        }),
        Box::new(UnknownAttribute {
            town: text(),
            attribute: text(),
            item: text(),
        }),
        Box::new(TownWithoutGroup { town: text() }),
        Box::new(TownInTwoGroups {
            town: text(),
            first: text(),
            second: text(),
        }),
        Box::new(UnknownTown { slug: text() }),
        Box::new(BadConsequence::BottomTooSmall),
        Box::new(BadEmail::Malformed { value: text() }),
        Box::new(BadTimezone { value: text() }),
        Box::new(UnlabelledAttribute { attribute: text() }),
        Box::new(KeyOfTwoPeople {
            fingerprint: "SHA256:x".into(),
            first: text(),
            first_line: 3,
        }),
        Box::new(AttributeNotACount {
            value: text(),
            attribute: text(),
            item: text(),
        }),
    ]
}
