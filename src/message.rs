//! The translation table of diagnostics: every message in Chinese and in English.

use crate::check::rules::{self, Rule};
use crate::load::Encoding;
use crate::load::syntax::Syntax;
use crate::load::yaml::NodeKind;
use crate::model::Deletion;
use crate::model::{Lang, Points, PointsError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Text,
    Number,
    Integer,
    Date,
    Bool,
    List,
    Map,
    Attribute,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Node(NodeKind),
    QuotedText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Section,
    Item,
    Criterion,
    TownSlug,
    TownName,
    Group,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    NotUtf8 {
        encoding: crate::load::Encoding,
        /// The file, as the diagnostic shows it: the command to convert it names it.
        path: String,
    },
    NotAFile,
    FileOutside,
    FileTooLarge {
        limit_mib: u64,
    },
    UnusableFileName {
        name: String,
    },
    Placeholder {
        text: String,
    },
    YamlSyntax {
        problem: Syntax,
    },
    /// Full-width punctuation or digits where YAML syntax or a number is expected.
    FullWidth {
        found: String,
        /// What to type instead; empty: nothing.
        meant: String,
        /// The line as it should read.
        fixed: Option<String>,
    },
    MultipleDocuments,
    UnknownAnchor,
    EmptyFile,
    TooDeep,
    AliasBomb,
    TooManyValues,
    MissingFile {
        name: String,
    },
    DuplicateKey {
        key: String,
        first_line: u32,
    },
    UnknownKey {
        key: String,
        suggestion: Option<&'static str>,
        allowed: Vec<&'static str>,
    },
    WrongType {
        expected: Expected,
        found: Found,
    },
    MissingKey {
        key: &'static str,
    },
    BadNumber {
        text: String,
        problem: PointsError,
    },
    BadDate {
        text: String,
    },
    BadChoice {
        value: String,
        allowed: &'static [&'static str],
    },
    EmptyValue {
        key: &'static str,
    },
    BadSlug {
        value: String,
    },
    StrayFile {
        name: String,
    },
    DateOrder {
        earlier: &'static str,
        earlier_date: String,
        later: &'static str,
        later_date: String,
    },
    BadStep,
    RubricTotal {
        sum: Points,
        total: Points,
    },
    CriteriaTotal {
        item: String,
        sum: Points,
        points: Points,
    },
    DuplicateId {
        kind: IdKind,
        id: String,
        first_line: u32,
    },
    PointsOffStep {
        points: Points,
        step: Points,
    },
    UnknownAttribute {
        town: String,
        attribute: String,
        item: String,
    },
    UnlabelledAttribute {
        attribute: String,
    },
    TownWithoutGroup {
        town: String,
    },
    TownInTwoGroups {
        town: String,
        first: String,
        second: String,
    },
    UnknownTown {
        slug: String,
    },
    BottomTooSmall,
    BottomTooLarge {
        bottom: u32,
        towns: usize,
    },
    DeadlineOutOfRange {
        max: u32,
    },
    BadEmail {
        value: String,
    },
    DuplicateEmail {
        value: String,
        first_line: u32,
    },
    ScoreBelowZero {
        value: Points,
    },
    ScoreAbovePoints {
        value: Points,
        item: String,
        criterion: Option<String>,
        points: Points,
    },
    ScoreOffStep {
        value: Points,
        step: Points,
    },
    DeductionWithoutReason {
        item: String,
    },
    ScoreDeductionsDisagree {
        score: Points,
        expected: Points,
        points: Points,
        deducted: Points,
    },
    DeductionsExceedPoints {
        item: String,
        deducted: Points,
        points: Points,
    },
    NotAssessedNotAllowed {
        item: String,
        attribute: Option<String>,
        town: String,
    },
    NotAssessedRequired {
        item: String,
        attribute: String,
        town: String,
    },
    MissingItem {
        item: String,
    },
    UnknownItem {
        item: String,
    },
    NotYetScored {
        item: String,
    },
    EntryEmpty {
        item: String,
    },
    EntryConflict {
        item: String,
    },
    CriteriaOnPlainItem {
        item: String,
    },
    MissingCriterion {
        item: String,
        criterion: String,
    },
    UnknownCriterion {
        item: String,
        criterion: String,
    },
    EvidenceMissing {
        path: String,
    },
    EvidenceOutside {
        path: String,
    },
    EvidenceNotAFile {
        path: String,
    },
    EvidenceHidden {
        path: String,
    },
    NothingAssessed,
    SignoffNotLeader {
        name: String,
        leader: String,
    },
    SignoffNotMember {
        name: String,
        group: String,
    },
    FinalWithoutSignoff,
    VisitOutsideWindow {
        date: String,
        start: String,
        end: String,
    },
    WrongGroup {
        group: String,
        expected: String,
        town: String,
    },
    UnknownGroup {
        group: String,
    },
    DuplicateSheet {
        town: String,
        first: String,
    },
    MissingSheet {
        town: String,
        slug: String,
        /// When the town's sheet was there before and was deleted.
        deleted: Option<Deletion>,
    },
    SheetFileName {
        slug: String,
    },
    SignoffBeforeVisit {
        date: String,
        last: String,
    },
    SignoffAfterDeadline {
        date: String,
        deadline: String,
    },
    NoVisit,
    BadTimezone {
        value: String,
    },
    BadAuditStart {
        value: String,
    },
    UnauthorizedChange {
        commit: String,
        author: String,
        email: String,
        date: String,
        group: String,
    },
    ChangeAfterDeadline {
        commit: String,
        author: String,
        date: String,
        deadline: String,
    },
    ChangeAfterSignoff {
        commit: Option<String>,
        date: String,
        /// Later commits that also changed scores without a new sign-off.
        more: usize,
    },
    UncommittedChange,
    ShallowHistory {
        commit: String,
    },
}

impl Msg {
    pub fn rule(&self) -> &'static Rule {
        use Msg::*;
        match self {
            NotUtf8 { .. } => &rules::NOT_UTF8,
            NotAFile | FileOutside | FileTooLarge { .. } => &rules::NOT_READABLE,
            UnusableFileName { .. } => &rules::UNUSABLE_FILE_NAME,
            Placeholder { .. } => &rules::PLACEHOLDER,
            YamlSyntax { .. } | MultipleDocuments | UnknownAnchor => &rules::YAML_SYNTAX,
            FullWidth { .. } => &rules::FULL_WIDTH,
            EmptyFile => &rules::EMPTY_FILE,
            TooDeep | AliasBomb | TooManyValues => &rules::YAML_LIMITS,
            MissingFile { .. } => &rules::MISSING_FILE,
            DuplicateKey { .. } => &rules::DUPLICATE_KEY,
            UnknownKey { .. } => &rules::UNKNOWN_KEY,
            WrongType { .. } => &rules::WRONG_TYPE,
            MissingKey { .. } => &rules::MISSING_KEY,
            BadNumber { .. } => &rules::BAD_NUMBER,
            BadDate { .. } => &rules::BAD_DATE,
            BadChoice { .. } => &rules::BAD_CHOICE,
            EmptyValue { .. } => &rules::EMPTY_VALUE,
            BadSlug { .. } => &rules::BAD_SLUG,
            StrayFile { .. } => &rules::STRAY_FILE,
            DateOrder { .. } => &rules::CAMPAIGN_DATES,
            BadStep => &rules::BAD_STEP,
            RubricTotal { .. } => &rules::RUBRIC_TOTAL,
            CriteriaTotal { .. } => &rules::CRITERIA_TOTAL,
            DuplicateId { .. } => &rules::DUPLICATE_ID,
            PointsOffStep { .. } => &rules::POINTS_OFF_STEP,
            UnknownAttribute { .. } => &rules::UNKNOWN_ATTRIBUTE,
            UnlabelledAttribute { .. } => &rules::UNLABELLED_ATTRIBUTE,
            TownWithoutGroup { .. } => &rules::TOWN_WITHOUT_GROUP,
            TownInTwoGroups { .. } => &rules::TOWN_IN_TWO_GROUPS,
            UnknownTown { .. } => &rules::UNKNOWN_TOWN,
            BottomTooSmall | BottomTooLarge { .. } | DeadlineOutOfRange { .. } => {
                &rules::BAD_CONSEQUENCE
            }
            BadEmail { .. } | DuplicateEmail { .. } => &rules::BAD_EMAIL,
            ScoreBelowZero { .. } => &rules::SCORE_BELOW_ZERO,
            ScoreAbovePoints { .. } => &rules::SCORE_ABOVE_POINTS,
            ScoreOffStep { .. } => &rules::SCORE_OFF_STEP,
            DeductionWithoutReason { .. } => &rules::DEDUCTION_WITHOUT_REASON,
            ScoreDeductionsDisagree { .. } => &rules::SCORE_DEDUCTIONS_DISAGREE,
            DeductionsExceedPoints { .. } => &rules::DEDUCTIONS_EXCEED_POINTS,
            NotAssessedNotAllowed { .. } => &rules::NOT_ASSESSED_NOT_ALLOWED,
            NotAssessedRequired { .. } => &rules::NOT_ASSESSED_REQUIRED,
            MissingItem { .. } => &rules::MISSING_ITEM,
            UnknownItem { .. } => &rules::UNKNOWN_ITEM,
            EntryEmpty { .. } | EntryConflict { .. } | CriteriaOnPlainItem { .. } => {
                &rules::ENTRY_FORM
            }
            NotYetScored { .. } => &rules::NOT_YET_SCORED,
            MissingCriterion { .. } => &rules::MISSING_CRITERION,
            UnknownCriterion { .. } => &rules::UNKNOWN_CRITERION,
            EvidenceMissing { .. } | EvidenceNotAFile { .. } => &rules::EVIDENCE_MISSING,
            EvidenceHidden { .. } => &rules::EVIDENCE_HIDDEN,
            NothingAssessed => &rules::NOTHING_ASSESSED,
            EvidenceOutside { .. } => &rules::EVIDENCE_OUTSIDE,
            SignoffNotLeader { .. } | SignoffNotMember { .. } => &rules::SIGNOFF_NOT_IN_GROUP,
            FinalWithoutSignoff => &rules::FINAL_WITHOUT_SIGNOFF,
            VisitOutsideWindow { .. } => &rules::VISIT_OUTSIDE_WINDOW,
            WrongGroup { .. } | UnknownGroup { .. } => &rules::WRONG_GROUP,
            DuplicateSheet { .. } => &rules::DUPLICATE_SHEET,
            MissingSheet { .. } => &rules::MISSING_SHEET,
            SheetFileName { .. } => &rules::SHEET_FILE_NAME,
            SignoffBeforeVisit { .. } | SignoffAfterDeadline { .. } => &rules::SIGNOFF_DATE,
            NoVisit => &rules::NO_VISIT,
            BadTimezone { .. } => &rules::BAD_TIMEZONE,
            BadAuditStart { .. } => &rules::BAD_AUDIT_START,
            UnauthorizedChange { .. } => &rules::UNAUTHORIZED_CHANGE,
            ChangeAfterDeadline { .. } => &rules::CHANGE_AFTER_DEADLINE,
            ChangeAfterSignoff { .. } => &rules::CHANGE_AFTER_SIGNOFF,
            UncommittedChange => &rules::UNCOMMITTED_CHANGE,
            ShallowHistory { .. } => &rules::SHALLOW_HISTORY,
        }
    }

    /// The one-line message: what is wrong and what to do.
    pub fn text(&self, lang: Lang) -> String {
        use Msg::*;
        let zh = lang == Lang::Zh;
        match self {
            NotUtf8 { encoding, path } => not_utf8(*encoding, path, zh),
            NotAFile => pick(zh,
                "这不是普通文件（是文件夹、管道或设备）：评分表和设置文件须为普通文件".into(),
                "this is not a regular file (a folder, a pipe or a device): content files must be regular files".into()),
            FileOutside => pick(zh,
                "这是指向仓库以外的链接，不会读取：请把文件本身放进仓库".into(),
                "this is a link that leads out of the repository and is not read: put the file itself in the repository".into()),
            FileTooLarge { limit_mib } => pick(zh,
                format!("文件超过 {limit_mib} MiB，不会读取：评分表远小于此，请检查是否存错了文件"),
                format!("the file is larger than {limit_mib} MiB and is not read: no score sheet comes near that; check that it is the right file")),
            UnusableFileName { name } => pick(zh,
                format!("文件名 `{name}` 无法使用（不是 UTF-8 编码，或不是单纯的文件名）：请改名为 <乡镇标识>.yaml"),
                format!("the file name `{name}` cannot be used (it is not UTF-8, or not a plain file name): rename it <slug>.yaml")),
            Placeholder { text } => pick(zh,
                format!("`{text}` 是 ducha init 留下的占位内容：请换成实际内容"),
                format!("`{text}` is a placeholder left by ducha init: replace it with the real text")),
            YamlSyntax { problem } => syntax(problem, zh),
            FullWidth { found, meant, fixed } => full_width(found, meant, fixed.as_deref(), zh),
            MultipleDocuments => pick(zh,
                "一个文件只能有一个 YAML 文档：请删除 `---` 及其后的第二个文档".into(),
                "a file holds one YAML document: remove the `---` and the second document".into()),
            UnknownAnchor => pick(zh,
                "别名引用了未定义的锚点：请先用 &名称 定义，或直接写出该值".into(),
                "alias to an undefined anchor: define it with &name first, or write the value out".into()),
            EmptyFile => pick(zh,
                "文件为空：请填写内容，或删除该文件".into(),
                "file is empty: fill it in, or delete it".into()),
            TooDeep => pick(zh,
                format!("嵌套超过 {} 层：请简化结构", crate::load::yaml::MAX_DEPTH),
                format!("nested more than {} levels deep: flatten it", crate::load::yaml::MAX_DEPTH)),
            AliasBomb => pick(zh,
                "别名展开后内容过大：请直接写出各值，不用锚点和别名".into(),
                "aliases expand to too much content: write the values out instead of anchors and aliases".into()),
            TooManyValues => pick(zh,
                format!("文件中的值超过 {} 个：评分表远少于此，请检查是否存错了文件", crate::load::yaml::MAX_NODES),
                format!("the file holds more than {} values: no score sheet comes near that; check that it is the right file", crate::load::yaml::MAX_NODES)),
            MissingFile { name } => pick(zh,
                format!("缺少 {name}：请创建该文件（ducha init 可生成示例）"),
                format!("{name} is missing: create it (ducha init writes a starting point)")),
            DuplicateKey { key, first_line } => pick(zh,
                format!("键 `{key}` 重复（第 {first_line} 行已有）：请删除其中一个"),
                format!("key `{key}` is given twice (first on line {first_line}): remove one")),
            UnknownKey { key, suggestion: Some(s), .. } => pick(zh,
                format!("未知的键 `{key}`：是否应为 `{s}`？"),
                format!("unknown key `{key}`: did you mean `{s}`?")),
            UnknownKey { key, allowed, .. } => pick(zh,
                format!("未知的键 `{key}`：可用的键为 {}", allowed.join("、")),
                format!("unknown key `{key}`: the known keys are {}", allowed.join(", "))),
            WrongType { expected: Expected::Number, found: Found::QuotedText } => pick(zh,
                "这里应为数值，而不是带引号的文字：请去掉引号".into(),
                "expected a number, not quoted text: remove the quotes".into()),
            WrongType { expected, found } => pick(zh,
                format!("这里应为{}，实际是{}", expected_name(*expected, true), found_name(*found, true)),
                format!("expected {}, found {}", expected_name(*expected, false), found_name(*found, false))),
            MissingKey { key } => pick(zh,
                format!("缺少必需的键 `{key}`：请补上"),
                format!("missing key `{key}`: add it")),
            BadNumber { text, problem: PointsError::TooLarge } => pick(zh,
                format!("`{text}` 过大，超出可计算的范围：请检查该数值"),
                format!("`{text}` is too large to compute with: check the number")),
            BadNumber { text, problem: PointsError::TooManyDecimals } => pick(zh,
                format!("`{text}` 超过两位小数：分数最多保留两位小数"),
                format!("`{text}` has more than two decimal places: write at most two")),
            BadNumber { text, .. } => pick(zh,
                format!("`{text}` 不是数值：请写成 2、2.5 这样的小数"),
                format!("`{text}` is not a number: write a decimal such as 2 or 2.5")),
            BadDate { text } => pick(zh,
                format!("`{text}` 不是有效日期：请写成 YYYY-MM-DD，如 2020-03-06"),
                format!("`{text}` is not a valid date: write YYYY-MM-DD, e.g. 2020-03-06")),
            BadChoice { value, allowed } => pick(zh,
                format!("`{value}` 不是允许的取值：请用 {} 之一", allowed.join("、")),
                format!("`{value}` is not allowed here: use one of {}", allowed.join(", "))),
            EmptyValue { key } => pick(zh,
                format!("`{key}` 不能为空：请填写"),
                format!("`{key}` must not be empty: fill it in")),
            BadSlug { value } => pick(zh,
                format!("标识 `{value}` 含有不允许的字符：只用小写字母、数字、- 和 _，如 xiantang"),
                format!("identifier `{value}` has characters that are not allowed: use letters, digits, - and _, e.g. xiantang")),
            StrayFile { name } => pick(zh,
                format!("`{name}` 不是 .yaml 评分表，不会计分：请改名为 <乡镇标识>.yaml 或移出 sheets/"),
                format!("`{name}` is not a .yaml sheet and is not scored: rename it <slug>.yaml or move it out of sheets/")),
            DateOrder { earlier, earlier_date, later, later_date } => pick(zh,
                format!("{later}（{later_date}）早于 {earlier}（{earlier_date}）：请更正日期"),
                format!("{later} ({later_date}) is before {earlier} ({earlier_date}): correct the dates")),
            BadStep => pick(zh,
                "计分步长必须大于零，如 0.5".into(),
                "the scoring step must be above zero, e.g. 0.5".into()),
            RubricTotal { sum, total } => pick(zh,
                format!("各项标准分合计 {sum}，与总分 {total} 不符（相差 {}）：请更正某项分值或总分", *total - *sum),
                format!("the items add up to {sum}, not the total {total} (off by {}): correct an item's points or the total", *total - *sum)),
            CriteriaTotal { item, sum, points } => pick(zh,
                format!("第 {item} 项的细则合计 {sum}，与该项标准分 {points} 不符：请更正细则分值"),
                format!("the criteria of item {item} add up to {sum}, not its {points} points: correct them")),
            DuplicateId { kind, id, first_line } => pick(zh,
                format!("{}`{id}` 重复（第 {first_line} 行已有）：每个标识须唯一", id_name(*kind, true)),
                format!("{} `{id}` is used twice (first on line {first_line}): make it unique", id_name(*kind, false))),
            PointsOffStep { points, step } => pick(zh,
                format!("分值 {points} 须大于零且为计分步长 {step} 的整数倍"),
                format!("points {points} must be above zero and a multiple of the step {step}")),
            UnknownAttribute { town, attribute, item } => pick(zh,
                format!("{town} 缺少属性 `{attribute}`（第 {item} 项据此判断是否考核）：请在 attributes 中补上"),
                format!("{town} lacks the attribute `{attribute}` (item {item} depends on it): add it under attributes")),
            UnlabelledAttribute { attribute } => pick(zh,
                format!("属性 `{attribute}` 没有名称，网站上无法说明考核条件：请在 rubric.yaml 中写 attributes: {{{attribute}: 名称}}，如“省定相对贫困村数”"),
                format!("the attribute `{attribute}` has no name for the site to show: add attributes: {{{attribute}: name}} to rubric.yaml")),
            TownWithoutGroup { town } => pick(zh,
                format!("{town} 不属于任何督查小组：请加到 groups.yaml 某组的 towns 中"),
                format!("{town} is in no group: add it to the towns of a group in groups.yaml")),
            TownInTwoGroups { town, first, second } => pick(zh,
                format!("{town} 同时属于 {first} 和 {second}：一个乡镇只能由一个小组督查"),
                format!("{town} is in both {first} and {second}: a town belongs to one group")),
            UnknownTown { slug } => pick(zh,
                format!("towns.yaml 中没有标识为 `{slug}` 的乡镇：请更正标识，或在 towns.yaml 中添加该乡镇"),
                format!("no town with slug `{slug}` in towns.yaml: correct the slug or add the town")),
            BottomTooSmall => pick(zh,
                "bottom 至少为 1".into(),
                "bottom must be at least 1".into()),
            BottomTooLarge { bottom, towns } => pick(zh,
                format!("倒数 {bottom} 名覆盖了全部 {towns} 个乡镇：请改小"),
                format!("the bottom {bottom} would cover all {towns} towns: make it smaller")),
            DeadlineOutOfRange { max } => pick(zh,
                format!("整改期限 deadline_days 应在 1 至 {max} 天之间"),
                format!("deadline_days must be between 1 and {max}")),
            BadEmail { value } => pick(zh,
                format!("`{value}` 不是邮箱地址：git 邮箱应形如 name@example.org"),
                format!("`{value}` is not an e-mail address: write name@example.org")),
            DuplicateEmail { value, first_line } => pick(zh,
                format!("邮箱 `{value}` 已用于他人（第 {first_line} 行）：每人一个 git 邮箱"),
                format!("e-mail `{value}` already belongs to someone else (line {first_line}): one per person")),
            ScoreBelowZero { value } => pick(zh,
                format!("分值 {value} 小于零：得分和扣分都不能为负"),
                format!("{value} is below zero: scores and deductions are never negative")),
            ScoreAbovePoints { value, item, criterion: None, points } => pick(zh,
                format!("得分 {value} 高于第 {item} 项的标准分（{points}）"),
                format!("score {value} is above item {item}'s standard points ({points})")),
            ScoreAbovePoints { value, item, criterion: Some(c), points } => pick(zh,
                format!("得分 {value} 高于第 {item} 项细则 {c} 的分值（{points}）"),
                format!("score {value} is above the points of item {item}, criterion {c} ({points})")),
            ScoreOffStep { value, step } => pick(zh,
                format!("{value} 不是计分步长 {step} 的整数倍：请按 {step} 分计分"),
                format!("{value} is not a multiple of the step {step}: score in steps of {step}")),
            DeductionWithoutReason { item } => pick(zh,
                format!("第 {item} 项的扣分没有写明原因：请在 reason 中写明扣分事实"),
                format!("a deduction on item {item} has no reason: say why in `reason`")),
            ScoreDeductionsDisagree { score, expected, points, deducted } => pick(zh,
                format!("得分 {score} 与扣分不一致：标准分 {points} 扣 {deducted} 应得 {expected}，请更正其一"),
                format!("score {score} disagrees with the deductions: {points} less {deducted} is {expected}; correct one of them")),
            DeductionsExceedPoints { item, deducted, points } => pick(zh,
                format!("第 {item} 项扣分合计 {deducted}，超过标准分 {points}：按扣完为止计 0 分，请确认"),
                format!("deductions on item {item} add up to {deducted}, above its {points} points: it scores 0; make sure this is meant")),
            NotAssessedNotAllowed { item, attribute: Some(a), town } => pick(zh,
                format!("第 {item} 项对 {town} 应当考核（属性 `{a}` 不为 0）：请评分，而不是标为不考核"),
                format!("item {item} is assessed for {town} (its `{a}` is not 0): score it instead of marking it not assessed")),
            NotAssessedNotAllowed { item, attribute: None, .. } => pick(zh,
                format!("第 {item} 项没有“不考核”的条件（assessed_if）：请评分"),
                format!("item {item} has no condition for not assessing it (assessed_if): score it")),
            NotAssessedRequired { item, attribute, town } => pick(zh,
                format!("第 {item} 项对 {town} 不考核（属性 `{attribute}` 为 0）：请写成 {{not_assessed: 原因}}"),
                format!("item {item} is not assessed for {town} (its `{attribute}` is 0): write {{not_assessed: reason}}")),
            MissingItem { item } => pick(zh,
                format!("缺少第 {item} 项的评分：请在 scores 中补上"),
                format!("item {item} is missing: add it under scores")),
            UnknownItem { item } => pick(zh,
                format!("评分表中没有第 `{item}` 项：请更正项目编号"),
                format!("there is no item `{item}` in the rubric: correct the item id")),
            EntryEmpty { item } => pick(zh,
                format!("第 {item} 项没有评分：请写 score、deductions、criteria 或 not_assessed"),
                format!("item {item} has no score: give score, deductions, criteria or not_assessed")),
            NotYetScored { item } => pick(zh,
                format!("第 {item} 项尚未评分：定稿前请写 score、deductions、criteria 或 not_assessed"),
                format!("item {item} is not scored yet: give score, deductions, criteria or not_assessed before the sheet is final")),
            EntryConflict { item } => pick(zh,
                format!("第 {item} 项的写法相互冲突：criteria 和 not_assessed 都不能与其他写法同用"),
                format!("item {item} mixes forms: criteria and not_assessed each stand alone")),
            CriteriaOnPlainItem { item } => pick(zh,
                format!("第 {item} 项没有细则：请用 score 或 deductions 评分"),
                format!("item {item} has no criteria: use score or deductions")),
            MissingCriterion { item, criterion } => pick(zh,
                format!("缺少第 {item} 项细则 {criterion} 的得分：请补上"),
                format!("criterion {criterion} of item {item} is not scored: add it")),
            UnknownCriterion { item, criterion } => pick(zh,
                format!("第 {item} 项没有细则 `{criterion}`：请更正细则编号"),
                format!("item {item} has no criterion `{criterion}`: correct it")),
            EvidenceMissing { path } => pick(zh,
                format!("佐证材料 `{path}` 不存在（路径相对于 content/）：请上传该文件或更正路径"),
                format!("evidence `{path}` does not exist (paths are relative to content/): add the file or correct the path")),
            EvidenceOutside { path } => pick(zh,
                format!("佐证材料路径 `{path}` 超出仓库：请把文件放在 content/evidence/ 下并用相对路径"),
                format!("evidence path `{path}` leaves the repository: put the file under content/evidence/ and use a relative path")),
            EvidenceNotAFile { path } => pick(zh,
                format!("佐证材料 `{path}` 不是文件（是文件夹或设备）：请写出具体文件的路径"),
                format!("evidence `{path}` is not a file (a folder or a device): give the path of the file itself")),
            EvidenceHidden { path } => pick(zh,
                format!("佐证材料 `{path}` 的文件名或所在文件夹以“.”开头，这样的文件不会发布：请改用不以“.”开头的名称"),
                format!("evidence `{path}` has a file or folder name starting with a dot, which is never published: rename it")),
            NothingAssessed => pick(zh,
                "所有项目都标为不考核：没有可计的分，该乡镇无法计分，也不参加排名；请至少评一项，或核对各项的 assessed_if 属性".into(),
                "every item is marked not assessed: there is nothing to score, so the town cannot be scored or ranked; score at least one item, or check the items' assessed_if attributes".into()),
            SignoffNotLeader { name, leader } => pick(zh,
                format!("{name} 不是本组组长（组长为 {leader}）：请由组长签名"),
                format!("{name} is not the group's leader ({leader}): the leader signs")),
            SignoffNotMember { name, group } => pick(zh,
                format!("{name} 不是 {group} 的成员：请只列本组副组长和成员"),
                format!("{name} is not in {group}: list only the group's deputies and members")),
            FinalWithoutSignoff => pick(zh,
                "定稿（status: final）的评分表须有签名 signoff：组长和日期".into(),
                "a final sheet needs a signoff: leader and date".into()),
            VisitOutsideWindow { date, start, end } => pick(zh,
                format!("督查日期 {date} 不在督查时间 {start} 至 {end} 内：请更正"),
                format!("visit date {date} is outside the inspection window {start} to {end}: correct it")),
            WrongGroup { group, expected, town } => pick(zh,
                format!("{town} 由 {expected} 督查，而评分表写的是 {group}：请更正 group"),
                format!("{town} is inspected by {expected}, not {group}: correct the group")),
            UnknownGroup { group } => pick(zh,
                format!("groups.yaml 中没有小组 `{group}`：请更正"),
                format!("there is no group `{group}` in groups.yaml: correct it")),
            DuplicateSheet { town, first } => pick(zh,
                format!("{town} 已有评分表 {first}：一个乡镇只能有一份，请删除或合并"),
                format!("{town} already has a sheet, {first}: keep one, delete or merge the other")),
            MissingSheet { town, slug, deleted: None } => pick(zh,
                format!("{town} 还没有评分表：运行 ducha new {slug}；在此之前排名为暂定"),
                format!("{town} has no sheet yet: run `ducha new {slug}`; until then the ranking is provisional")),
            MissingSheet { town, deleted: Some(d), .. } => {
                let path = shell_word(&d.path);
                match &d.commit {
                    Some(commit) => pick(zh,
                        format!("{town} 的评分表 {} 已在提交 {commit}（{}，{}）中删除：如属误删，运行 git checkout {commit}~1 -- {path} 恢复；在此之前排名为暂定", d.path, d.author, d.date),
                        format!("{town}'s sheet {} was deleted in commit {commit} ({}, {}): if by mistake, restore it with `git checkout {commit}~1 -- {path}`; until then the ranking is provisional", d.path, d.author, d.date)),
                    None => pick(zh,
                        format!("{town} 的评分表 {} 已删除（尚未提交）：如属误删，运行 git checkout HEAD -- {path} 恢复；在此之前排名为暂定", d.path),
                        format!("{town}'s sheet {} is deleted (not committed yet): if by mistake, restore it with `git checkout HEAD -- {path}`; until then the ranking is provisional", d.path)),
                }
            }
            SheetFileName { slug } => pick(zh,
                format!("文件名与乡镇标识不符：请改名为 {slug}.yaml"),
                format!("the file is not named after its town: rename it {slug}.yaml")),
            SignoffBeforeVisit { date, last } => pick(zh,
                format!("签名日期 {date} 早于最后督查日期 {last}：请核对"),
                format!("sign-off date {date} is before the last visit on {last}: check it")),
            SignoffAfterDeadline { date, deadline } => pick(zh,
                format!("签名日期 {date} 晚于评议评分审核截止日 {deadline}：请核对"),
                format!("sign-off date {date} is after the review deadline {deadline}: check it")),
            NoVisit => pick(zh,
                "定稿评分表没有填写督查日期 visited：请补上".into(),
                "a final sheet lists no visit dates: add them under visited".into()),
            BadTimezone { value } => pick(zh,
                format!("`{value}` 不是有效的时区名称：请写 Asia/Shanghai 这样的时区"),
                format!("`{value}` is not a known timezone: write a name such as Asia/Shanghai")),
            BadAuditStart { value } => pick(zh,
                format!("本仓库历史中没有提交 `{value}`：请写审计起点的提交号或标签"),
                format!("there is no commit `{value}` in this repository's history: give the commit id or tag where the audit starts")),
            UnauthorizedChange { commit, author, email, date, group } => pick(zh,
                format!("提交 {commit}（{author} <{email}>，{date}）修改了本评分表，但此人既不是{group}成员，也不在督查室名单中：请核实，并由本组或督查室重新提交"),
                format!("commit {commit} ({author} <{email}>, {date}) changed this sheet, but its author is neither in {group} nor in the office: check the change, and have the group or the office commit it")),
            ChangeAfterDeadline { commit, author, date, deadline } => pick(zh,
                format!("提交 {commit}（{author}，{date}）在评议评分审核截止日 {deadline} 之后修改了分数：请核实并在提交说明中写明原因"),
                format!("commit {commit} ({author}, {date}) changed scores after the review deadline {deadline}: check it, and say why in the commit message")),
            ChangeAfterSignoff { commit: Some(commit), date, more: 0 } => pick(zh,
                format!("提交 {commit}（{date}）修改了已签名评分表的分数，之后没有重新签名：请组长重新签名（更新 signoff 日期）"),
                format!("commit {commit} ({date}) changed scores of a signed sheet, and nobody signed it off again: the leader signs again (a new signoff date)")),
            ChangeAfterSignoff { commit: Some(commit), date, more } => pick(zh,
                format!("提交 {commit}（{date}）及之后 {more} 次提交修改了已签名评分表的分数，之后没有重新签名：请组长重新签名（更新 signoff 日期）"),
                format!("commit {commit} ({date}) and {more} later ones changed scores of a signed sheet, and nobody signed it off again: the leader signs again (a new signoff date)")),
            ChangeAfterSignoff { commit: None, .. } => pick(zh,
                "未提交的修改改动了已签名评分表的分数：请组长重新签名（更新 signoff 日期）".into(),
                "uncommitted changes alter scores of a signed sheet: the leader signs again (a new signoff date)".into()),
            ShallowHistory { commit } => pick(zh,
                format!("本仓库是浅克隆，提交 {commit} 之前的历史缺失，审计不完整（该提交中的评分表视为起点）：请运行 git fetch --unshallow 取得完整历史"),
                format!("this is a shallow clone: the history before commit {commit} is missing and the audit is incomplete (the sheets of that commit are taken as the starting point); run git fetch --unshallow for the whole history")),
            UncommittedChange => pick(zh,
                "评分表有未提交的修改：请提交，并在提交说明中写明修改原因".into(),
                "the sheet has uncommitted changes: commit them with a message that says why".into()),
        }
    }

    /// A few words under the offending value in the code frame.
    pub fn label(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Msg::ScoreAbovePoints { points, .. } => {
                pick(zh, format!("最多 {points}"), format!("at most {points}"))
            }
            Msg::UnknownKey {
                suggestion: Some(s),
                ..
            } => pick(zh, format!("应为 `{s}`？"), format!("`{s}`?")),
            Msg::DuplicateKey { first_line, .. } | Msg::DuplicateId { first_line, .. } => pick(
                zh,
                format!("第 {first_line} 行已有"),
                format!("first on line {first_line}"),
            ),
            Msg::ScoreOffStep { step, .. } | Msg::PointsOffStep { step, .. } => {
                pick(zh, format!("步长 {step}"), format!("step {step}"))
            }
            Msg::WrongType { expected, .. } => pick(
                zh,
                format!("应为{}", expected_name(*expected, true)),
                format!("expected {}", expected_name(*expected, false)),
            ),
            Msg::FullWidth { meant, .. } if meant.trim().is_empty() && !meant.is_empty() => {
                pick(zh, "应为半角空格".into(), "ASCII space".into())
            }
            Msg::FullWidth { meant, .. } if meant.is_empty() => {
                pick(zh, "应删除".into(), "delete".into())
            }
            Msg::FullWidth { meant, .. } => {
                pick(zh, format!("应为「{meant}」"), format!("`{meant}`"))
            }
            _ => String::new(),
        }
    }
}

fn pick(zh: bool, in_zh: String, in_en: String) -> String {
    if zh { in_zh } else { in_en }
}

/// A path as one word for a POSIX shell, quoted only when it needs to be.
fn shell_word(path: &str) -> String {
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ','));
    if plain {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

/// A file that is not UTF-8: the command that converts it, and how to set the editor.
fn not_utf8(encoding: Encoding, path: &str, zh: bool) -> String {
    let from = match encoding {
        Encoding::Gbk => "GBK",
        Encoding::Utf16Le => "UTF-16LE",
        Encoding::Utf16Be => "UTF-16BE",
        Encoding::Unknown => {
            return pick(zh,
                "文件不是 UTF-8 编码：请用编辑器另存为 UTF-8（VS Code：右下角编码 → 通过编码保存 → UTF-8；WPS、记事本：另存为 → 编码选 UTF-8）".into(),
                "the file is not UTF-8: save it as UTF-8 (VS Code: the encoding in the status bar → Save with Encoding → UTF-8; Notepad, WPS: Save As → Encoding UTF-8)".into());
        }
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    let tmp = shell_word(&format!(
        "{}.tmp",
        name.strip_suffix(".yaml").unwrap_or(name)
    ));
    let file = shell_word(path);
    let command = format!("iconv -f {from} -t UTF-8 {file} > {tmp} && mv {tmp} {file}");
    let looks = if encoding == Encoding::Gbk {
        "看起来是 GBK"
    } else {
        "是 UTF-16"
    };
    let looks_en = if encoding == Encoding::Gbk {
        "it looks like GBK"
    } else {
        "it is UTF-16"
    };
    pick(
        zh,
        format!(
            "文件不是 UTF-8 编码，{looks}：运行 {command} 转换；并把编辑器设为 UTF-8（VS Code：设置 \"files.encoding\": \"utf8\"；WPS、记事本：另存为 → 编码选 UTF-8）"
        ),
        format!(
            "the file is not UTF-8, {looks_en}: convert it with `{command}`, and set the editor to UTF-8 (VS Code: \"files.encoding\": \"utf8\"; Notepad, WPS: Save As → Encoding UTF-8)"
        ),
    )
}

/// What a YAML syntax error means and what to do, without the parser's English.
fn syntax(problem: &Syntax, zh: bool) -> String {
    match problem {
        Syntax::Tab => pick(zh,
            "这里有一个 Tab：YAML 的缩进和冒号后的间隔只能用空格，请改为空格".into(),
            "a tab: YAML indents and separates with spaces only; use spaces".into()),
        Syntax::ColonSpace => pick(zh,
            "冒号「:」后要有一个空格：写成「键: 值」".into(),
            "a colon needs a space after it: write `key: value`".into()),
        Syntax::MissingColon => pick(zh,
            "这一行缺少冒号：应写成「键: 值」".into(),
            "this line has no colon: write `key: value`".into()),
        Syntax::DashSpace => pick(zh,
            "列表项的「-」后要有一个空格：写成「- 值」".into(),
            "a list item's `-` needs a space after it: write `- value`".into()),
        Syntax::ColonInValue => pick(zh,
            "值中含有「: 」：请给整个值加引号（\"…\"），或去掉冒号后的空格".into(),
            "the value holds `: `: put the whole value in quotes, or drop the space after the colon".into()),
        Syntax::Indentation => pick(zh,
            "缩进不对：这一行没有与同一层的键（或列表项）对齐".into(),
            "wrong indentation: this line does not line up with the keys (or list items) of its level".into()),
        Syntax::UnclosedQuote { quote } => pick(zh,
            format!("引号「{quote}」没有闭合：请在值的末尾补上「{quote}」"),
            format!("this quote `{quote}` is never closed: close it at the end of the value")),
        Syntax::AfterQuote => pick(zh,
            "引号之后还有内容：请把整个值放进引号内；若这是键，后面要写冒号".into(),
            "text after the closing quote: put the whole value inside the quotes; if this is a key, add its colon".into()),
        Syntax::Unclosed { bracket } => {
            let close = if *bracket == '{' { '}' } else { ']' };
            pick(zh,
                format!("「{bracket}」没有对应的「{close}」：请补上"),
                format!("this `{bracket}` is never closed: add the `{close}`"))
        }
        Syntax::MissingComma => pick(zh,
            "前面缺少半角逗号「,」：括号内的各项要用逗号分隔".into(),
            "a comma is missing before this: separate the entries inside brackets with `,`".into()),
        Syntax::ExtraBracket { bracket } => pick(zh,
            format!("多余的「{bracket}」：前面没有与它对应的开括号，请删除"),
            format!("this `{bracket}` closes nothing: remove it")),
        Syntax::Escape => pick(zh,
            "双引号内的反斜杠「\\」是转义符：路径请用正斜杠「/」，或改用单引号".into(),
            "a backslash inside double quotes starts an escape: write paths with `/`, or use single quotes".into()),
        Syntax::Reserved { found } => pick(zh,
            format!("值不能以「{found}」开头：请给整个值加引号"),
            format!("a value cannot start with `{found}`: put it in quotes")),
        Syntax::MissingValue => pick(zh,
            "这里缺少一个值：请补上；含逗号的值要加引号".into(),
            "a value is missing here: fill it in, and quote a value that holds a comma".into()),
        Syntax::AnchorName => pick(zh,
            "「&」「*」是锚点和别名的记号，后面要有名称：以它们开头的文字请加引号".into(),
            "`&` and `*` mark anchors and aliases and need a name: quote text that starts with them".into()),
        Syntax::Bom => pick(zh,
            "文件中间有一个看不见的 BOM 字符（U+FEFF）：请删除".into(),
            "an invisible byte order mark (U+FEFF) inside the file: delete it".into()),
        Syntax::ControlCharacter => pick(zh,
            "这里有一个看不见的控制字符：请删除".into(),
            "an invisible control character: delete it".into()),
        Syntax::BlockScalar => pick(zh,
            "「|」或「>」下的多行文字缩进不对：每一行都要比它的键多缩进，且只用空格".into(),
            "the lines of a `|` or `>` text are wrongly indented: indent each more than its key, with spaces".into()),
        Syntax::Other { info } => pick(zh,
            "YAML 语法错误：请检查这一处的冒号、缩进、引号和括号".into(),
            format!("YAML syntax error ({info}): check the colons, indentation, quotes and brackets here")),
    }
}

/// The name of a full-width character, as the person knows it.
fn full_width_name(c: char, zh: bool) -> &'static str {
    let (in_zh, in_en) = match c {
        '：' => ("全角冒号", "full-width colon"),
        '，' => ("全角逗号", "full-width comma"),
        '“' | '”' => ("中文引号", "Chinese quotation marks"),
        '‘' | '’' => ("中文单引号", "Chinese single quotation marks"),
        '（' | '）' | '【' | '】' | '［' | '］' | '｛' | '｝' => {
            ("全角括号", "full-width bracket")
        }
        '\u{3000}' => ("全角空格", "full-width space"),
        '０'..='９' => ("全角数字", "full-width digits"),
        '．' | '。' => ("全角句点", "full-width full stop"),
        '－' => ("全角减号", "full-width minus"),
        '＋' => ("全角加号", "full-width plus"),
        '、' => ("顿号", "enumeration comma"),
        '；' => ("全角分号", "full-width semicolon"),
        _ => ("全角字符", "full-width character"),
    };
    if zh { in_zh } else { in_en }
}

fn full_width(found: &str, meant: &str, fixed: Option<&str>, zh: bool) -> String {
    let name = full_width_name(found.chars().next().unwrap_or('\u{3000}'), zh);
    let space = !meant.is_empty() && meant.trim().is_empty();
    match (space, fixed) {
        (true, None) => pick(
            zh,
            format!("{name}不能用于缩进：请改为半角空格"),
            format!("a {name} used for indenting: indent with ASCII spaces"),
        ),
        (true, Some(fixed)) => pick(
            zh,
            format!("{name}应为半角空格，即：{fixed}"),
            format!("a {name} where YAML needs an ASCII space: write `{fixed}`"),
        ),
        (false, _) => {
            let fixed_zh = fixed.map_or(String::new(), |f| format!("，即：{f}"));
            let fixed_en = fixed.map_or(String::new(), |f| format!(": write `{f}`"));
            if meant.is_empty() {
                pick(
                    zh,
                    format!("{name}「{found}」应删除{fixed_zh}"),
                    format!("{name} `{found}` to delete{fixed_en}"),
                )
            } else {
                pick(
                    zh,
                    format!("{name}「{found}」应为半角「{meant}」{fixed_zh}"),
                    format!("{name} `{found}` instead of `{meant}`{fixed_en}"),
                )
            }
        }
    }
}

fn expected_name(e: Expected, zh: bool) -> &'static str {
    match (e, zh) {
        (Expected::Text, true) => "文字",
        (Expected::Text, false) => "text",
        (Expected::Number, true) => "数值",
        (Expected::Number, false) => "a number",
        (Expected::Integer, true) => "非负整数",
        (Expected::Integer, false) => "a whole number",
        (Expected::Date, true) => "日期",
        (Expected::Date, false) => "a date",
        (Expected::Bool, true) => "true 或 false",
        (Expected::Bool, false) => "true or false",
        (Expected::List, true) => "列表",
        (Expected::List, false) => "a list",
        (Expected::Map, true) => "键值映射",
        (Expected::Map, false) => "a mapping",
        (Expected::Attribute, true) => "非负整数或 true/false",
        (Expected::Attribute, false) => "a whole number or true/false",
    }
}

fn found_name(f: Found, zh: bool) -> &'static str {
    match (f, zh) {
        (Found::QuotedText, true) => "带引号的文字",
        (Found::QuotedText, false) => "quoted text",
        (Found::Node(NodeKind::Null), true) => "空值",
        (Found::Node(NodeKind::Null), false) => "nothing",
        (Found::Node(NodeKind::Scalar), true) => "单个值",
        (Found::Node(NodeKind::Scalar), false) => "a single value",
        (Found::Node(NodeKind::List), true) => "列表",
        (Found::Node(NodeKind::List), false) => "a list",
        (Found::Node(NodeKind::Map), true) => "键值映射",
        (Found::Node(NodeKind::Map), false) => "a mapping",
    }
}

fn id_name(kind: IdKind, zh: bool) -> &'static str {
    match (kind, zh) {
        (IdKind::Section, true) => "方面标识",
        (IdKind::Section, false) => "section id",
        (IdKind::Item, true) => "评分项编号",
        (IdKind::Item, false) => "item id",
        (IdKind::Criterion, true) => "细则编号",
        (IdKind::Criterion, false) => "criterion id",
        (IdKind::TownSlug, true) => "乡镇标识",
        (IdKind::TownSlug, false) => "town slug",
        (IdKind::TownName, true) => "乡镇名称",
        (IdKind::TownName, false) => "town name",
        (IdKind::Group, true) => "小组标识",
        (IdKind::Group, false) => "group id",
    }
}

pub fn summary(lang: Lang, errors: usize, warnings: usize) -> String {
    match (lang, errors, warnings) {
        (Lang::Zh, 0, 0) => "检查通过：没有问题".into(),
        (Lang::Zh, e, w) => format!("检查完成：{e} 个错误，{w} 个警告"),
        (Lang::En, 0, 0) => "check passed: no problems".into(),
        (Lang::En, e, w) => format!(
            "check finished: {e} error{}, {w} warning{}",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        ),
    }
}

/// One item-level change of a sheet, as the audit trail tells it.
pub fn describe(change: &crate::history::Change, lang: Lang) -> String {
    use crate::history::{Change, Value};
    let zh = lang == Lang::Zh;
    let value = |v: &Option<Value>| match v {
        Some(Value::Points(p)) => p.clone(),
        Some(Value::NotAssessed) => pick(zh, "不考核".into(), "not assessed".into()),
        None => "—".into(),
    };
    match change {
        Change::Score { item, from, to } => pick(
            zh,
            format!("第 {item} 项：{} → {}", value(from), value(to)),
            format!("item {item}: {} → {}", value(from), value(to)),
        ),
        Change::DeductionAdded {
            item,
            points,
            reason,
        } => pick(
            zh,
            format!("第 {item} 项增加扣分：−{points}，{reason}"),
            format!("deduction added on item {item}: −{points}, {reason}"),
        ),
        Change::DeductionRemoved {
            item,
            points,
            reason,
        } => pick(
            zh,
            format!("第 {item} 项删除扣分：−{points}，{reason}"),
            format!("deduction removed on item {item}: −{points}, {reason}"),
        ),
        Change::DeductionChanged {
            item,
            from,
            to,
            reason,
        } => pick(
            zh,
            format!("第 {item} 项扣分 −{from} → −{to}：{reason}"),
            format!("deduction on item {item}: −{from} → −{to}, {reason}"),
        ),
        Change::Status { from, to } => {
            let name = |s: &str| match (s, zh) {
                ("final", true) => "定稿".to_string(),
                ("draft", true) => "草稿".to_string(),
                (s, _) => s.to_string(),
            };
            pick(
                zh,
                format!("状态：{} → {}", name(from), name(to)),
                format!("status {from} → {to}"),
            )
        }
        Change::SignedOff {
            leader,
            members,
            date,
        } => {
            let date = date.clone().unwrap_or_default();
            pick(
                zh,
                format!("签名：组长 {leader}，成员 {}，{date}", members.join("、")),
                format!(
                    "signed off by {leader} with {} on {date}",
                    members.join(", ")
                ),
            )
        }
        Change::SignoffRemoved => pick(zh, "撤销签名".into(), "sign-off removed".into()),
        Change::Created {
            earned: Some(earned),
            assessed: Some(assessed),
        } => pick(
            zh,
            format!("新建评分表：已评分项合计 {earned} 分（这些项的标准分 {assessed} 分）"),
            format!("sheet created: {earned} of the {assessed} points of the items it scores"),
        ),
        Change::Created { .. } => pick(zh, "新建评分表".into(), "sheet created".into()),
        Change::Removed => pick(zh, "删除评分表".into(), "sheet deleted".into()),
        Change::Unreadable => pick(
            zh,
            "该版本无法读取（YAML 有误），逐项变化未知".into(),
            "a version could not be read (broken YAML): item changes unknown".into(),
        ),
    }
}
