//! The rule table: every rule's stable code, name, severity and documentation.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line in Chinese and one in English.
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// What it checks, why, and an example.
    pub doc: &'static str,
}

macro_rules! rules {
    ($($ident:ident = $code:literal $name:literal $sev:ident, $zh:literal, $en:literal, $doc:literal;)*) => {
        $(pub static $ident: Rule = Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            title_zh: $zh,
            title_en: $en,
            doc: $doc,
        };)*
        pub static ALL: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
    NOT_UTF8 = "E0101" "not-utf8" Error, "文件不是 UTF-8 编码", "File is not UTF-8",
"What it checks: every content file must be UTF-8 text.
Why: editors on Chinese Windows often save GBK; read as UTF-8 the Chinese text would be garbage.
Fix: convert the file with the command the message gives for it, e.g.
    iconv -f GBK -t UTF-8 content/sheets/x.yaml > x.tmp && mv x.tmp content/sheets/x.yaml
and set the editor to UTF-8 so that it does not happen again: in VS Code the setting
\"files.encoding\": \"utf8\"; in Notepad or WPS, Save As with Encoding UTF-8.";

    YAML_SYNTAX = "E0102" "yaml-syntax" Error, "YAML 语法错误", "YAML syntax error",
"What it checks: the file is one well-formed YAML document.
Why: a file that does not parse cannot be checked at all.
The diagnostic points at the character at fault, which is often on a line above the one where
the parser gave up: the tab, the quote or bracket never closed, the colon without a space, the
line without a colon, the line out of line.
Example: a missing space after a colon, a tab used for indenting, an unclosed quote or bracket:
    score:4        # write `score: 4`
    towns: [a, b   # the `[` is never closed";

    EMPTY_FILE = "E0103" "empty-file" Error, "文件为空", "File is empty",
"What it checks: a content file has some content.
Why: an empty sheet or table is almost always a mistake (a failed save or a forgotten file).
Fix: fill the file in, or delete it. `ducha new TOWN` writes a sheet with every item listed.";

    YAML_LIMITS = "E0104" "yaml-too-complex" Error, "YAML 嵌套过深或别名展开过大", "YAML nested too deeply or expanding too much",
"What it checks: nesting is at most 64 levels deep and aliases expand to at most a million nodes.
Why: no score sheet needs more; such a file is a mistake or an attack (an \"alias bomb\").
Fix: write the values out plainly instead of through anchors (&a) and aliases (*a).";

    MISSING_FILE = "E0105" "missing-file" Error, "缺少必需的文件", "A required file is missing",
"What it checks: content/ has campaign.yaml, rubric.yaml, towns.yaml and groups.yaml.
Why: nothing can be scored without the campaign, its scoring table, its towns and its groups.
Fix: create the file; `ducha init DIR` writes a commented starting point.";

    DUPLICATE_KEY = "E0106" "duplicate-key" Error, "重复的键", "Duplicate key",
"What it checks: a key appears at most once in each mapping, including item ids under `scores`.
Why: YAML readers silently keep one of the two values, so a score would be lost without a trace.
Example:
    scores:
      \"3\": {score: 3}
      \"3\": {score: 2}     # the second \"3\" is reported";

    UNKNOWN_KEY = "E0107" "unknown-key" Error, "未知的键", "Unknown key",
"What it checks: every key is one the file format defines.
Why: a typo such as `scroe:` would otherwise pass silently and the score would be missing.
Fix: correct the spelling; the message suggests the nearest known key.";

    WRONG_TYPE = "E0108" "wrong-type" Error, "值的类型不对", "Value of the wrong type",
"What it checks: each value has the type the format requires: text, number, date, list or mapping.
Why: a list where a mapping is expected, or quoted text where a number is expected, cannot be scored.
Example:
    score: \"3\"     # a score is a YAML number: write `score: 3`";

    MISSING_KEY = "E0109" "missing-key" Error, "缺少必需的键", "Missing required key",
"What it checks: every required key is present (e.g. a town's `slug`, a sheet's `town`).
Why: without it the record cannot be tied to the rest of the campaign.
Fix: add the key the message names.";

    BAD_NUMBER = "E0110" "bad-number" Error, "数值格式不对", "Malformed number",
"What it checks: points and scores are decimals with at most two places, such as 2, 2.5 or 12.25.
Why: scores are kept exactly, in hundredths; 2.555 or 1e1 cannot be.
Fix: write the number as a plain decimal with at most two decimal places.";

    BAD_DATE = "E0111" "bad-date" Error, "日期格式不对", "Malformed date",
"What it checks: dates are real calendar dates written YYYY-MM-DD.
Why: visit, sign-off and deadline dates are compared with the inspection window.
Example:
    date: 2020-3-6     # write 2020-03-06";

    BAD_CHOICE = "E0112" "bad-choice" Error, "取值不在允许范围内", "Value not among the allowed choices",
"What it checks: values with a fixed set of choices use one of them:
`status` draft | final, `language` zh-CN | en, `scoring.not_assessed` rescale | full_marks.
Fix: use one of the values the message lists.";

    EMPTY_VALUE = "E0113" "empty-value" Error, "必填的值为空", "Required value is empty",
"What it checks: text that must say something (names, titles, reasons, not-assessed reasons) is not empty.
Why: an empty reason is as good as none in an audit.
Fix: write the text.";

    BAD_SLUG = "E0114" "bad-slug" Error, "标识符含有不允许的字符", "Identifier with characters that are not allowed",
"What it checks: town slugs, group ids and the campaign id use only letters a-z, A-Z,
digits, `-`, `_` and `.`, and start with a letter or digit.
Why: they become file names and web addresses (towns/<slug>/index.html).
Example:
    slug: Xian Tang     # write `slug: xiantang`";

    FULL_WIDTH = "E0118" "full-width-punctuation" Error, "全角标点或数字用在了 YAML 语法或数值处", "Full-width punctuation or digits where YAML syntax or a number is expected",
"What it checks: full-width characters typed with a Chinese input method where YAML syntax or a
number is expected: a full-width colon `：` after a key, a full-width comma `，` between list
entries or after a number, Chinese quotes `“”` around a key or a word, full-width brackets
`（）【】` around a list, a full-width space `　` used to indent, full-width digits `５０`.
Why: YAML sees none of them as syntax: `summary：一般。` is no key, `５` is no number. The file
would fail to read, or read as something else than meant.
Inside text they are right and are left alone: `reason: 抽查 10 户，1 户缺检测报告` is fine.
Example:
    summary：一般。       # write `summary: 一般。`
    score: ５            # write `score: 5`
    “2”: {score: 4}      # write `\"2\": {score: 4}`
The file is read as meant, so the other checks still run; the message gives the line as it
should read.";

    STRAY_FILE = "W0115" "stray-file" Warning, "sheets/ 中有不是评分表的文件", "A file in sheets/ that is not a sheet",
"What it checks: content/sheets/ holds only .yaml files, one per town.
Why: a sheet saved as .yml, .txt or in a subfolder is silently not scored.
Fix: rename the file to <slug>.yaml, or move it out of sheets/.";

    NOT_READABLE = "E0116" "not-readable" Error, "文件不是仓库内的普通文件，或过大", "File is not a regular file inside the repository, or too large",
"What it checks: every content file is a regular file inside the repository, of at most 16 MiB.
Why: a sheet that is a link to /etc/shadow would be shown in diagnostics and published; one that is
a link to /dev/zero or a pipe would never finish reading.
Fix: put the file itself in the repository, in place of the link, pipe or folder.";

    UNUSABLE_FILE_NAME = "E0117" "unusable-file-name" Error, "文件名无法使用", "File name cannot be used",
"What it checks: the names of the files in content/sheets/ are UTF-8 and plain file names.
Why: a name saved in another encoding (an archive unpacked on Chinese Windows) cannot be shown or
matched to its town; a crafted commit may name a file `../x` or `/etc/x`, which is never read.
Fix: rename the file <slug>.yaml.";

    PLACEHOLDER = "W0119" "placeholder" Warning, "占位内容未替换", "Placeholder left in place",
"What it checks: no text of campaign.yaml, rubric.yaml, towns.yaml or groups.yaml still holds a
placeholder that `ducha init` writes for the office to replace, such as （督查名称） or （发文单位）.
Why: a placeholder published on the site or in a notice looks like the real thing.
Fix: write the real title, office, name or item. With --strict this is an error.";

    CAMPAIGN_DATES = "E0201" "campaign-dates" Error, "督查日期前后矛盾", "Campaign dates out of order",
"What it checks: issued ≤ inspection start ≤ inspection end ≤ review deadline.
Why: visits and sign-offs are checked against these dates; inverted dates make every check wrong.";

    BAD_STEP = "E0202" "bad-step" Error, "计分步长无效", "Invalid scoring step",
"What it checks: `scoring.step` is above zero.
Why: every score and deduction must be a multiple of the step (0.5 in the notice).";

    RUBRIC_TOTAL = "E0203" "rubric-total" Error, "评分表各项分值之和不等于总分", "Rubric items do not add up to the total",
"What it checks: the standard points of all items add up to the rubric's `total` (100 in the notice).
Why: a table that does not add up publishes totals on the wrong scale.
Fix: correct an item's points or the total; the message gives the difference.";

    CRITERIA_TOTAL = "E0204" "criteria-total" Error, "细则分值之和不等于该项标准分", "Criteria do not add up to their item",
"What it checks: when an item splits into criteria, their points add up to the item's points.
Example: item 18 (12.5) = a 5 + b 2.5 + c 2.5 + d 2.5.";

    DUPLICATE_ID = "E0205" "duplicate-id" Error, "标识符重复", "Duplicate identifier",
"What it checks: section, item and criterion ids, town slugs and names, and group ids are unique.
Why: sheets, pages and links refer to them; two of one would be confused.";

    POINTS_OFF_STEP = "E0206" "points-off-step" Error, "标准分不是计分步长的正整数倍", "Standard points not a positive multiple of the step",
"What it checks: the rubric total and every item and criterion's points are above zero and a
multiple of `scoring.step`.
Why: otherwise full marks could not be given in steps.";

    UNKNOWN_ATTRIBUTE = "E0207" "unknown-attribute" Error, "乡镇缺少评分表所需的属性", "Town lacks an attribute the rubric uses",
"What it checks: every town has each attribute named by an item's `assessed_if`.
Why: whether the item is assessed (考核) for the town depends on it.
Example:
    - {name: 仙塘镇, slug: xiantang, attributes: {poverty_villages: 3}}";

    TOWN_WITHOUT_GROUP = "E0208" "town-without-group" Error, "乡镇未分配督查小组", "Town in no group",
"What it checks: every town in towns.yaml is in the `towns` of exactly one group.
Why: nobody would inspect it, and its sheet could not be signed off.";

    TOWN_IN_TWO_GROUPS = "E0209" "town-in-two-groups" Error, "乡镇被分配给两个督查小组", "Town in two groups",
"What it checks: no town is listed by two groups.
Why: two groups would score the same town; which sheet counts would be unclear.";

    UNKNOWN_TOWN = "E0210" "unknown-town" Error, "未知的乡镇", "Unknown town",
"What it checks: towns named in groups.yaml and in sheets exist in towns.yaml (by slug).
Fix: correct the slug, or add the town to towns.yaml.";

    BAD_CONSEQUENCE = "E0211" "bad-consequence" Error, "结果运用设置无效", "Invalid consequence",
"What it checks: `bottom` is at least 1 and below the number of towns, and `deadline_days` between 1 and 3650 (ten years).
Why: \"the bottom 0\" or \"the bottom 21 of 21\" flags nobody or everybody.";

    BAD_EMAIL = "E0212" "bad-email" Error, "git 邮箱格式不对", "Malformed git e-mail",
"What it checks: `git:` values look like e-mail addresses (name@host), and no address belongs to two people.
Why: the audit trail matches commits to people by their git e-mail.";

    BAD_TIMEZONE = "E0213" "bad-timezone" Error, "时区名称无效", "Unknown timezone",
"What it checks: `timezone` is a name from the time zone database, such as Asia/Shanghai.
Why: commit dates in the audit trail are shown, and compared with the review deadline, in it.";

    BAD_AUDIT_START = "E0214" "bad-audit-start" Error, "审计起点不是本仓库中的提交", "Audit start is not a commit of this repository",
"What it checks: `audit.from` names a commit of the repository's history (a commit id or a tag).
Why: commits up to it are taken as the starting point and not audited; a wrong name would
silently audit everything or nothing.";

    UNLABELLED_ATTRIBUTE = "W0215" "unlabelled-attribute" Warning, "考核条件中的乡镇属性没有名称", "Town attribute without a name",
"What it checks: every town attribute that an item's `assessed_if` names has a name under
`attributes` in rubric.yaml.
Why: the site and new sheets say which towns an item applies to; they should say it in words
(省定相对贫困村数), not with a key from the configuration (poverty_villages).
Example:
    attributes:
      poverty_villages: 省定相对贫困村数";

    SCORE_BELOW_ZERO = "E0301" "score-below-zero" Error, "得分低于零", "Score below zero",
"What it checks: item and criterion scores, and deduction points, are not negative.
Why: 扣完为止 — an item loses at most its own points; a negative score would take points from others.";

    SCORE_ABOVE_POINTS = "E0302" "score-above-points" Error, "得分高于标准分", "Score above the standard points",
"What it checks: a score is at most its item's (or criterion's) standard points (标准分).
Example:
    \"3\": {score: 4}     # item 3 is worth 3 points";

    SCORE_OFF_STEP = "E0303" "score-off-step" Error, "得分不是计分步长的整数倍", "Score not a multiple of the step",
"What it checks: scores and deduction points are multiples of `scoring.step`.
Example: with step 0.5, 2.25 is refused; write 2 or 2.5.";

    DEDUCTION_WITHOUT_REASON = "E0304" "deduction-without-reason" Error, "扣分没有写明原因", "Deduction without a reason",
"What it checks: every deduction has a non-empty `reason`.
Why: a town is entitled to know why it lost points; the reason becomes its problem list in the
supervision notice (专项督办通知).";

    SCORE_DEDUCTIONS_DISAGREE = "E0305" "score-deductions-disagree" Error, "得分与扣分不一致", "Score and deductions disagree",
"What it checks: when an entry gives both `score` and `deductions`, score = points − deductions
(floored at zero).
Why: two figures for one item; the published one would be a guess.";

    DEDUCTIONS_EXCEED_POINTS = "W0306" "deductions-exceed-points" Warning, "扣分超过标准分，按扣完为止计零分", "Deductions exceed the points; the item scores zero",
"What it checks: the deductions of an item add up to more than its points.
Why: the item scores zero (扣完为止), which is allowed, but the excess is often a typo.";

    NOT_ASSESSED_NOT_ALLOWED = "E0307" "not-assessed-not-allowed" Error, "该项对本乡镇不能标为不考核", "Item may not be marked not assessed",
"What it checks: `not_assessed` is used only for items with `assessed_if` whose attribute is 0 or
false for the town (e.g. 无贫困村的乡镇不考核该项).
Why: otherwise a town could drop an item it is judged on, and its total would be rescaled unfairly.";

    NOT_ASSESSED_REQUIRED = "E0308" "not-assessed-required" Error, "该项对本乡镇不考核，须标为不考核", "Item must be marked not assessed",
"What it checks: an item whose `assessed_if` attribute is 0 or false for the town is written as
`{not_assessed: reason}`.
Why: scoring it would count points the town cannot earn or lose.";

    MISSING_ITEM = "E0309" "missing-item" Error, "评分表缺少某项", "Sheet lacks an item",
"What it checks: every rubric item has an entry under `scores`. The diagnostic points at the
`scores:` key, where the item is to be added.
Fix: add the item; `ducha new TOWN` lists every item.";

    UNKNOWN_ITEM = "E0310" "unknown-item" Error, "未知的评分项", "Unknown item",
"What it checks: every key under `scores` is an item id of rubric.yaml.
Why: a score for an item that does not exist is a typo, and the real item is then missing.";

    ENTRY_FORM = "E0311" "entry-form" Error, "评分项写法不对", "Item entry in the wrong form",
"What it checks: each entry gives exactly one of: `score`; `deductions`; both (when they agree);
`criteria` (for items with criteria); or `not_assessed`.
Example:
    \"3\": {score: 3}
    \"1\": {deductions: [{points: 2, reason: 抽查 10 户，1 户缺检测报告}]}
    \"18\": {criteria: {a: 5, b: 2, c: 2.5, d: 2.5}}
    \"2\": {not_assessed: 本镇无省定相对贫困村}";

    MISSING_CRITERION = "E0312" "missing-criterion" Error, "缺少某条细则的得分", "Criterion not scored",
"What it checks: an entry with `criteria` scores every criterion of the item.";

    UNKNOWN_CRITERION = "E0313" "unknown-criterion" Error, "未知的细则", "Unknown criterion",
"What it checks: every criterion id in an entry exists in the item's criteria.";

    EVIDENCE_MISSING = "E0314" "evidence-missing" Error, "佐证材料文件不存在", "Evidence file does not exist",
"What it checks: every `evidence` path names an existing file, relative to content/.
Example: `evidence: [evidence/xiantang/1-water.jpg]` needs content/evidence/xiantang/1-water.jpg.";

    EVIDENCE_OUTSIDE = "E0315" "evidence-outside" Error, "佐证材料路径超出仓库", "Evidence path leaves the repository",
"What it checks: evidence paths are relative and stay inside the repository (no `/…`, no `../..`,
no link to outside).
Why: the site publishes evidence; a path outside the repository could publish any file of the machine.";

    SIGNOFF_NOT_IN_GROUP = "E0316" "signoff-not-in-group" Error, "签名人不是本组组长或成员", "Sign-off by someone outside the group",
"What it checks: `signoff.leader` is the group's leader (组长) and every `signoff.members` name is
one of the group's deputies or members.
Why: only the group that inspected a town may sign its sheet.";

    FINAL_WITHOUT_SIGNOFF = "E0317" "final-without-signoff" Error, "定稿评分表没有签名", "Final sheet without sign-off",
"What it checks: a sheet with `status: final` has a `signoff` with its leader and date.
Why: only signed sheets count in the ranking; the paper form carries the same signatures.";

    VISIT_OUTSIDE_WINDOW = "E0318" "visit-outside-window" Error, "督查日期不在督查时间内", "Visit outside the inspection window",
"What it checks: every `visited` date lies within `inspection.start`..`inspection.end`.";

    WRONG_GROUP = "E0319" "wrong-group" Error, "评分表的小组与乡镇所属小组不符", "Sheet's group is not the town's group",
"What it checks: a sheet's `group` is the group whose `towns` list its town.
Why: a sheet filed by the wrong group is either misfiled or unauthorised.";

    DUPLICATE_SHEET = "E0321" "duplicate-sheet" Error, "同一乡镇有两份评分表", "Two sheets for one town",
"What it checks: at most one sheet names each town.
Why: which of the two counts would be a guess.";

    MISSING_SHEET = "W0322" "missing-sheet" Warning, "乡镇还没有评分表", "Town has no sheet yet",
"What it checks: every town has a sheet. While one is missing the ranking is provisional.
When the git history shows that the town's sheet was deleted, the message says in which commit
and by whom, and how to restore it (`git checkout COMMIT~1 -- content/sheets/x.yaml`).
Fix: `ducha new TOWN`. With --strict this is an error.";

    SHEET_FILE_NAME = "W0323" "sheet-file-name" Warning, "评分表文件名与乡镇标识不符", "Sheet file not named after its town",
"What it checks: a sheet for town `xiantang` is content/sheets/xiantang.yaml.
Why: people find a town's sheet by its file name.";

    SIGNOFF_DATE = "W0324" "signoff-date" Warning, "签名日期可疑", "Suspicious sign-off date",
"What it checks: the sign-off date is not before the last visit and not after the review deadline.";

    NO_VISIT = "W0325" "no-visit" Warning, "定稿评分表没有督查日期", "Final sheet without visit dates",
"What it checks: a final sheet lists the dates of its visits under `visited`.";

    NOT_YET_SCORED = "W0326" "not-yet-scored" Warning, "草稿评分表中有尚未评分的项", "Draft sheet has items not scored yet",
"What it checks: in a draft sheet, items written as `{}` (as `ducha new` scaffolds them).
Why: a draft may be filled in over several days; a final sheet may not have such items
(that is E0311).";

    EVIDENCE_HIDDEN = "E0327" "evidence-hidden" Error, "佐证材料的文件名以点开头", "Evidence under a name starting with a dot",
"What it checks: no evidence file, nor a folder on its path, has a name starting with a dot.
Why: such files (.env, .ssh, editor back-ups) are hidden, often private, and are never published;
a link to one would be broken on the site.
Fix: rename the file or folder so that its name does not start with a dot.";

    NOTHING_ASSESSED = "E0328" "nothing-assessed" Error, "所有项目都不考核，无法计分", "Every item is not assessed: no score",
"What it checks: a final sheet assesses at least one item.
Why: a town whose every item is not assessed has earned 0 of 0 points; rescaled that is no score at
all, and ranking it (last, or first) would be wrong either way. Such a town is never ranked.
Fix: score at least one item, or check the towns' attributes that the items' assessed_if name.";

    UNAUTHORIZED_CHANGE = "W0401" "unauthorized-change" Warning, "评分表被本组和督查室以外的人修改", "Sheet changed by someone outside its group and the office",
"What it checks: every commit that changed a sheet was authored (by git e-mail) by the town's
group (leader, deputies, members) or by the office (`office` in campaign.yaml).
Why: a score changed by anyone else is the kind of change the audit exists to catch.
Fix: if the change is right, have the group or the office commit it; give people their `git:`
e-mail in groups.yaml so that their commits are recognised. With --strict this is an error.";

    CHANGE_AFTER_DEADLINE = "W0402" "change-after-deadline" Warning, "评议评分审核截止后修改了分数", "Scores changed after the review deadline",
"What it checks: no commit dated (in the campaign's timezone) after `review_deadline` changes a score.
Why: late corrections may be legitimate, but they must be seen and explained.
With --strict this is an error.";

    CHANGE_AFTER_SIGNOFF = "W0403" "change-after-signoff" Warning, "签名后修改了分数，未重新签名", "Scores changed after sign-off without a new sign-off",
"What it checks: when scores change on a signed sheet, the same or a later commit signs it off
again (a new `signoff` date or signers).
Why: a signature covers the scores it was given for, not later ones.
With --strict this is an error.";

    UNCOMMITTED_CHANGE = "W0404" "uncommitted-change" Warning, "评分表有未提交的修改", "Sheet has uncommitted changes",
"What it checks: the sheet in the working tree is the one in the last commit.
Why: only committed changes are in the audit trail. Commit with a message that says why.";

    SHALLOW_HISTORY = "W0405" "shallow-history" Warning, "浅克隆：审计不完整", "Shallow clone: the audit is incomplete",
"What it checks: the repository holds its whole history (it is not a shallow clone).
Why: in a clone made with --depth, the oldest commit present looks as if it added every sheet, and
everything before it (who changed what, and when) is missing. ducha takes that commit's sheets as
the starting point and audits only what follows, and says so.
Fix: git fetch --unshallow; in CI, check out with the whole history (actions/checkout with
fetch-depth: 0, GitLab GIT_DEPTH: 0).";
}

pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    let wanted = code_or_name.trim();
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(wanted) || r.name == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<_> = ALL.iter().map(|r| r.code).collect();
        let names: HashSet<_> = ALL.iter().map(|r| r.name).collect();
        assert_eq!(codes.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn code_letter_matches_severity() {
        for rule in ALL {
            let letter = match rule.severity {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(rule.code.starts_with(letter), "{}", rule.code);
            assert!(rule.doc.contains("What it checks"), "{}", rule.code);
        }
    }
}
