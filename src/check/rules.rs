//! The rule table: every rule's stable code, name, severity and documentation.

use crate::lang::Lang;

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

    /// ` (error)` or `（错误）`, after a rule's name where `ducha explain` heads it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Zh) => "（错误）",
            (Severity::Warning, Lang::Zh) => "（警告）",
            (Severity::Error, Lang::En) => " (error)",
            (Severity::Warning, Lang::En) => " (warning)",
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
    /// What it checks, why, and an example: in English, and in Chinese.
    pub doc: &'static str,
    pub doc_zh: &'static str,
}

impl Rule {
    /// Its title in `lang`.
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }

    /// Its documentation in `lang`: what it checks, why, and an example.
    pub fn doc(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.doc_zh,
            Lang::En => self.doc,
        }
    }
}

macro_rules! rules {
    ($($ident:ident = $code:literal $name:literal $sev:ident, $zh:literal, $en:literal, $doc:literal, $doc_zh:literal;)*) => {
        $(pub static $ident: Rule = Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            title_zh: $zh,
            title_en: $en,
            doc: $doc,
            doc_zh: $doc_zh,
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
\"files.encoding\": \"utf8\"; in Notepad or WPS, Save As with Encoding UTF-8.",
"检查内容：每个内容文件都是 UTF-8 编码的文本。
原因：中文 Windows 上的编辑器常把文件存成 GBK；按 UTF-8 读取，其中的中文就成了乱码。
改法：用提示信息为该文件给出的命令转换，例如
    iconv -f GBK -t UTF-8 content/sheets/x.yaml > x.tmp && mv x.tmp content/sheets/x.yaml
再把编辑器设为 UTF-8，以免再犯：VS Code 中设置 \"files.encoding\": \"utf8\"；
记事本或 WPS 中“另存为”，编码选 UTF-8。";

    YAML_SYNTAX = "E0102" "yaml-syntax" Error, "YAML 语法错误", "YAML syntax error",
"What it checks: the file is one well-formed YAML document.
Why: a file that does not parse cannot be checked at all.
The diagnostic points at the character at fault, which is often on a line above the one where
the parser gave up: the tab, the quote or bracket never closed, the colon without a space, the
line without a colon, the line out of line.
Example: a missing space after a colon, a tab used for indenting, an unclosed quote or bracket:
    score:4        # write `score: 4`
    towns: [a, b   # the `[` is never closed",
"检查内容：文件是一份格式正确的 YAML 文档。
原因：读不通的文件，根本无从检查。
提示信息指向出错的那个字符，它常常在解析中断处的上面几行：那个 Tab、没有配对的引号或括号、
后面缺空格的冒号、缺冒号的行、没有对齐的行。
示例：冒号后缺空格、用 Tab 缩进、引号或括号没有配对：
    score:4        # 应写作 `score: 4`
    towns: [a, b   # `[` 没有配对的 `]`";

    EMPTY_FILE = "E0103" "empty-file" Error, "文件为空", "File is empty",
"What it checks: a content file has some content.
Why: an empty sheet or table is almost always a mistake (a failed save or a forgotten file).
Fix: fill the file in, or delete it. `ducha new TOWN` writes a sheet with every item listed.",
"检查内容：内容文件不是空的。
原因：空的评分表或空的表格几乎总是差错（保存失败，或忘了填写）。
改法：填写该文件，或把它删除。`ducha new 乡镇` 会生成列出全部评分项的评分表。";

    YAML_LIMITS = "E0104" "yaml-too-complex" Error, "YAML 嵌套过深或别名展开过大", "YAML nested too deeply or expanding too much",
"What it checks: nesting is at most 64 levels deep and aliases expand to at most a million nodes.
Why: no score sheet needs more; such a file is a mistake or an attack (an \"alias bomb\").
Fix: write the values out plainly instead of through anchors (&a) and aliases (*a).",
"检查内容：嵌套不超过 64 层，别名展开后不超过一百万个节点。
原因：评分表用不到这么多；这样的文件不是差错，就是攻击（“别名炸弹”）。
改法：把值直接写出来，不用锚点（&a）和别名（*a）。";

    MISSING_FILE = "E0105" "missing-file" Error, "缺少必需的文件", "A required file is missing",
"What it checks: content/ has campaign.yaml, rubric.yaml, towns.yaml and groups.yaml.
Why: nothing can be scored without the campaign, its scoring table, its towns and its groups.
Fix: create the file; `ducha init DIR` writes a commented starting point.",
"检查内容：content/ 中有 campaign.yaml、rubric.yaml、towns.yaml 和 groups.yaml。
原因：没有督查活动、评分表、乡镇和督查组，就无法计分。
改法：建立该文件；`ducha init 文件夹` 会写出带说明的初始文件。";

    DUPLICATE_KEY = "E0106" "duplicate-key" Error, "重复的键", "Duplicate key",
"What it checks: a key appears at most once in each mapping, including item ids under `scores`.
Why: YAML readers silently keep one of the two values, so a score would be lost without a trace.
Example:
    scores:
      \"3\": {score: 3}
      \"3\": {score: 2}     # the second \"3\" is reported",
"检查内容：同一个映射中，每个键最多出现一次；`scores` 下的评分项编号也是如此。
原因：读取 YAML 的程序会悄悄只留下两个值中的一个，一项得分就无声无息地丢了。
示例：
    scores:
      \"3\": {score: 3}
      \"3\": {score: 2}     # 报告第二个 \"3\"";

    UNKNOWN_KEY = "E0107" "unknown-key" Error, "未知的键", "Unknown key",
"What it checks: every key is one the file format defines.
Why: a typo such as `scroe:` would otherwise pass silently and the score would be missing.
Fix: correct the spelling; the message suggests the nearest known key.",
"检查内容：每个键都是文件格式中规定的键。
原因：否则像 `scroe:` 这样的笔误会悄悄通过，这一项的得分就缺了。
改法：改正拼写；提示信息会给出最接近的已知键。";

    WRONG_TYPE = "E0108" "wrong-type" Error, "值的类型不对", "Value of the wrong type",
"What it checks: each value has the type the format requires: text, number, date, list or mapping.
Why: a list where a mapping is expected, or quoted text where a number is expected, cannot be scored.
Example:
    score: \"3\"     # a score is a YAML number: write `score: 3`",
"检查内容：每个值都是格式要求的类型：文字、数字、日期、列表或映射。
原因：该写映射的地方写成了列表，该写数字的地方写成了带引号的文字，都无法计分。
示例：
    score: \"3\"     # 得分是 YAML 数字：应写作 `score: 3`";

    MISSING_KEY = "E0109" "missing-key" Error, "缺少必需的键", "Missing required key",
"What it checks: every required key is present (e.g. a town's `slug`, a sheet's `town`).
Why: without it the record cannot be tied to the rest of the campaign.
Fix: add the key the message names.",
"检查内容：每个必需的键都已写出（如乡镇的 `slug`、评分表的 `town`）。
原因：缺了它，这条记录就无法与督查活动的其他部分对应起来。
改法：补上提示信息中指出的键。";

    BAD_NUMBER = "E0110" "bad-number" Error, "数值格式不对", "Malformed number",
"What it checks: points and scores are decimals with at most two places, such as 2, 2.5 or 12.25.
Why: scores are kept exactly, in hundredths; 2.555 or 1e1 cannot be.
Fix: write the number as a plain decimal with at most two decimal places.",
"检查内容：分值和得分是最多两位小数的数，如 2、2.5 或 12.25。
原因：得分精确到 0.01 保存；2.555 或 1e1 无法精确保存。
改法：把数写成最多两位小数的普通小数。";

    BAD_DATE = "E0111" "bad-date" Error, "日期格式不对", "Malformed date",
"What it checks: dates are real calendar dates written YYYY-MM-DD.
Why: visit, sign-off and deadline dates are compared with the inspection window.
Example:
    date: 2020-3-6     # write 2020-03-06",
"检查内容：日期是日历上真实存在的日期，写作 YYYY-MM-DD。
原因：督查日期、签名日期和截止日期都要与督查时间相比较。
示例：
    date: 2020-3-6     # 应写作 2020-03-06";

    BAD_CHOICE = "E0112" "bad-choice" Error, "取值不在允许范围内", "Value not among the allowed choices",
"What it checks: values with a fixed set of choices use one of them:
`status` draft | final, `language` zh-CN | en, `scoring.not_assessed` rescale | full_marks.
Fix: use one of the values the message lists.",
"检查内容：只能取固定几个值的地方，取其中之一：
`status` 取 draft | final，`language` 取 zh-CN | en，`scoring.not_assessed` 取 rescale | full_marks。
改法：改用提示信息列出的值之一。";

    EMPTY_VALUE = "E0113" "empty-value" Error, "必填的值为空", "Required value is empty",
"What it checks: text that must say something (names, titles, reasons, not-assessed reasons) is not empty.
Why: an empty reason is as good as none in an audit.
Fix: write the text.",
"检查内容：必须写明的文字（名称、标题、扣分原因、不考核原因）不是空的。
原因：在审计中，空着的原因等于没有原因。
改法：写上文字。";

    BAD_SLUG = "E0114" "bad-slug" Error, "标识符含有不允许的字符", "Identifier with characters that are not allowed",
"What it checks: town slugs, group ids and the campaign id use only letters a-z, A-Z,
digits, `-`, `_` and `.`, and start with a letter or digit.
Why: they become file names and web addresses (towns/<slug>/index.html).
Example:
    slug: Xian Tang     # write `slug: xiantang`",
"检查内容：乡镇标识、督查组编号和督查活动编号只用字母 a-z、A-Z、数字、`-`、`_` 和 `.`，
并以字母或数字开头。
原因：它们会成为文件名和网址（towns/<标识>/index.html）。
示例：
    slug: Xian Tang     # 应写作 `slug: xiantang`";

    STRAY_FILE = "W0115" "stray-file" Warning, "sheets/ 中有不是评分表的文件", "A file in sheets/ that is not a sheet",
"What it checks: content/sheets/ holds only .yaml files, one per town.
Why: a sheet saved as .yml, .txt or in a subfolder is silently not scored.
Fix: rename the file to <slug>.yaml, or move it out of sheets/.",
"检查内容：content/sheets/ 中只有 .yaml 文件，每个乡镇一个。
原因：存成 .yml、.txt，或放在子文件夹中的评分表，会被悄悄漏掉，不计分。
改法：把文件改名为 <标识>.yaml，或把它移出 sheets/。";

    NOT_READABLE = "E0116" "not-readable" Error, "文件不是仓库内的普通文件，或过大", "File is not a regular file inside the repository, or too large",
"What it checks: every content file is a regular file inside the repository, of at most 16 MiB.
Why: a sheet that is a link to /etc/shadow would be shown in diagnostics and published; one that is
a link to /dev/zero or a pipe would never finish reading.
Fix: put the file itself in the repository, in place of the link, pipe or folder.",
"检查内容：每个内容文件都是仓库内的普通文件，不超过 16 MiB。
原因：一份评分表如果是指向 /etc/shadow 的链接，其内容会出现在提示信息中，还会被发布；
如果是指向 /dev/zero 的链接或管道，就永远读不完。
改法：把文件本身放进仓库，替换掉链接、管道或文件夹。";

    UNUSABLE_FILE_NAME = "E0117" "unusable-file-name" Error, "文件名无法使用", "File name cannot be used",
"What it checks: the names of the files in content/sheets/ are UTF-8 and plain file names.
Why: a name saved in another encoding (an archive unpacked on Chinese Windows) cannot be shown or
matched to its town; a crafted commit may name a file `../x` or `/etc/x`, which is never read.
Fix: rename the file <slug>.yaml.",
"检查内容：content/sheets/ 中的文件名是 UTF-8 编码的普通文件名。
原因：以其他编码保存的文件名（如在中文 Windows 上解压的压缩包）无法显示，也无法对应到乡镇；
精心构造的提交可能把文件命名为 `../x` 或 `/etc/x`，这样的文件从不读取。
改法：把文件改名为 <标识>.yaml。";

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
should read.",
"检查内容：用中文输入法打出的全角字符，出现在 YAML 语法或数值处：键后面的全角冒号 `：`，
列表各项之间或数字后面的全角逗号 `，`，键或词两边的中文引号 `“”`，列表两边的全角括号
`（）【】`，用来缩进的全角空格 `　`，全角数字 `５０`。
原因：YAML 不把它们当作语法：`summary：一般。` 不是键，`５` 不是数。文件会读不通，
或者读出来的意思与本意不同。
在文字之中它们是对的，不受影响：`reason: 抽查 10 户，1 户缺检测报告` 没有问题。
示例：
    summary：一般。       # 应写作 `summary: 一般。`
    score: ５            # 应写作 `score: 5`
    “2”: {score: 4}      # 应写作 `\"2\": {score: 4}`
文件按本意读取，其他检查照常进行；提示信息会给出改正后的那一行。";

    PLACEHOLDER = "W0119" "placeholder" Warning, "占位内容未替换", "Placeholder left in place",
"What it checks: no text of campaign.yaml, rubric.yaml, towns.yaml or groups.yaml still holds a
placeholder that `ducha init` writes for the office to replace, such as （督查名称） or （发文单位）.
Why: a placeholder published on the site or in a notice looks like the real thing.
Fix: write the real title, office, name or item. With --strict this is an error.",
"检查内容：campaign.yaml、rubric.yaml、towns.yaml 和 groups.yaml 的文字中，不再留有 `ducha init`
写入、待督查室替换的占位内容，如（督查名称）或（发文单位）。
原因：占位内容一旦发布到网站或通报上，看上去就像真的一样。
改法：写上真实的标题、单位、姓名或评分项。加 --strict 时作为错误。";

    CAMPAIGN_DATES = "E0201" "campaign-dates" Error, "督查日期前后矛盾", "Campaign dates out of order",
"What it checks: issued ≤ inspection start ≤ inspection end ≤ review deadline.
Why: visits and sign-offs are checked against these dates; inverted dates make every check wrong.",
"检查内容：发文日期 ≤ 督查开始日期 ≤ 督查结束日期 ≤ 评议评分审核截止日期。
原因：督查日期和签名日期都要与这些日期相比较；日期前后颠倒，每一项检查都会出错。";

    BAD_STEP = "E0202" "bad-step" Error, "计分步长无效", "Invalid scoring step",
"What it checks: `scoring.step` is above zero.
Why: every score and deduction must be a multiple of the step (0.5 in the notice).",
"检查内容：`scoring.step` 大于零。
原因：每个得分和扣分都必须是计分步长的整数倍（通知中为 0.5）。";

    RUBRIC_TOTAL = "E0203" "rubric-total" Error, "评分表各项分值之和不等于总分", "Rubric items do not add up to the total",
"What it checks: the standard points of all items add up to the rubric's `total` (100 in the notice).
Why: a table that does not add up publishes totals on the wrong scale.
Fix: correct an item's points or the total; the message gives the difference.",
"检查内容：所有评分项的标准分之和等于评分表的 `total`（通知中为 100）。
原因：各项加起来不等于总分的评分表，发布出来的总分口径是错的。
改法：改正某一项的分值或总分；提示信息会给出相差多少。";

    CRITERIA_TOTAL = "E0204" "criteria-total" Error, "细则分值之和不等于该项标准分", "Criteria do not add up to their item",
"What it checks: when an item splits into criteria, their points add up to the item's points.
Example: item 18 (12.5) = a 5 + b 2.5 + c 2.5 + d 2.5.",
"检查内容：评分项分为几条细则时，各条细则的分值之和等于该项的标准分。
示例：第 18 项（12.5 分）= a 5 + b 2.5 + c 2.5 + d 2.5。";

    DUPLICATE_ID = "E0205" "duplicate-id" Error, "标识符重复", "Duplicate identifier",
"What it checks: section, item and criterion ids, town slugs and names, and group ids are unique.
Why: sheets, pages and links refer to them; two of one would be confused.",
"检查内容：部分、评分项和细则的编号，乡镇的标识和名称，以及督查组编号，都不重复。
原因：评分表、页面和链接都靠它们指明对象；重复了就会张冠李戴。";

    POINTS_OFF_STEP = "E0206" "points-off-step" Error, "标准分不是计分步长的正整数倍", "Standard points not a positive multiple of the step",
"What it checks: the rubric total and every item and criterion's points are above zero and a
multiple of `scoring.step`.
Why: otherwise full marks could not be given in steps.",
"检查内容：评分表的总分，以及每个评分项和细则的分值，都大于零，并且是 `scoring.step` 的整数倍。
原因：否则无法按步长给出满分。";

    UNKNOWN_ATTRIBUTE = "E0207" "unknown-attribute" Error, "乡镇缺少评分表所需的属性", "Town lacks an attribute the rubric uses",
"What it checks: every town has each attribute named by an item's `assessed_if`.
Why: whether the item is assessed (考核) for the town depends on it.
Example:
    - {name: 仙塘镇, slug: xiantang, attributes: {poverty_villages: 3}}",
"检查内容：评分项的 `assessed_if` 所用的每个属性，每个乡镇都有。
原因：该项是否考核本乡镇，要看这个属性。
示例：
    - {name: 仙塘镇, slug: xiantang, attributes: {poverty_villages: 3}}";

    TOWN_WITHOUT_GROUP = "E0208" "town-without-group" Error, "乡镇未分配督查小组", "Town in no group",
"What it checks: every town in towns.yaml is in the `towns` of exactly one group.
Why: nobody would inspect it, and its sheet could not be signed off.",
"检查内容：towns.yaml 中的每个乡镇，都恰好列在一个督查组的 `towns` 中。
原因：否则没有人督查它，它的评分表也无人签名。";

    TOWN_IN_TWO_GROUPS = "E0209" "town-in-two-groups" Error, "乡镇被分配给两个督查小组", "Town in two groups",
"What it checks: no town is listed by two groups.
Why: two groups would score the same town; which sheet counts would be unclear.",
"检查内容：没有乡镇同时列在两个督查组中。
原因：两个组会给同一个乡镇评分，以哪一份评分表为准就说不清了。";

    UNKNOWN_TOWN = "E0210" "unknown-town" Error, "未知的乡镇", "Unknown town",
"What it checks: towns named in groups.yaml and in sheets exist in towns.yaml (by slug).
Fix: correct the slug, or add the town to towns.yaml.",
"检查内容：groups.yaml 和评分表中提到的乡镇（按标识）都在 towns.yaml 中。
改法：改正标识，或把该乡镇加入 towns.yaml。";

    BAD_CONSEQUENCE = "E0211" "bad-consequence" Error, "结果运用设置无效", "Invalid consequence",
"What it checks: `bottom` is at least 1 and below the number of towns, and `deadline_days` between 1 and 3650 (ten years).
Why: \"the bottom 0\" or \"the bottom 21 of 21\" flags nobody or everybody.",
"检查内容：`bottom` 至少为 1 且小于乡镇数，`deadline_days` 在 1 到 3650（十年）之间。
原因：“倒数 0 名”或“21 个乡镇中的倒数 21 名”，不是谁都不涉及，就是人人都涉及。";

    BAD_EMAIL = "E0212" "bad-email" Error, "git 邮箱格式不对", "Malformed git e-mail",
"What it checks: `git:` values look like e-mail addresses (name@host), and no address belongs to two people.
Why: the audit trail matches commits to people by their git e-mail.",
"检查内容：`git:` 的值像电子邮箱地址（名字@主机），且没有一个地址同时属于两个人。
原因：审计记录按 git 邮箱把提交对应到人。";

    BAD_TIMEZONE = "E0213" "bad-timezone" Error, "时区名称无效", "Unknown timezone",
"What it checks: `timezone` is a name from the time zone database, such as Asia/Shanghai.
Why: commit dates in the audit trail are shown, and compared with the review deadline, in it.",
"检查内容：`timezone` 是时区数据库中的名称，如 Asia/Shanghai。
原因：审计记录中提交的时间按这个时区显示，也按它与评议评分审核截止日期相比较。";

    BAD_AUDIT_START = "E0214" "bad-audit-start" Error, "审计起点不是本仓库中的提交", "Audit start is not a commit of this repository",
"What it checks: `audit.from` names a commit of the repository's history (a commit id or a tag).
Why: commits up to it are taken as the starting point and not audited; a wrong name would
silently audit everything or nothing.",
"检查内容：`audit.from` 指的是本仓库历史中的一个提交（提交编号或标签）。
原因：到这个提交为止的各次提交作为起点，不予审计；名称写错，就会悄悄地全部审计，或全不审计。";

    UNLABELLED_ATTRIBUTE = "W0215" "unlabelled-attribute" Warning, "考核条件中的乡镇属性没有名称", "Town attribute without a name",
"What it checks: every town attribute that an item's `assessed_if` names has a name under
`attributes` in rubric.yaml.
Why: the site and new sheets say which towns an item applies to; they should say it in words
(省定相对贫困村数), not with a key from the configuration (poverty_villages).
Example:
    attributes:
      poverty_villages: 省定相对贫困村数",
"检查内容：评分项的 `assessed_if` 所用的每个乡镇属性，在 rubric.yaml 的 `attributes` 下都有名称。
原因：网站和新评分表要说明某一项适用于哪些乡镇，应当用文字说（省定相对贫困村数），
而不是用配置中的键（poverty_villages）。
示例：
    attributes:
      poverty_villages: 省定相对贫困村数";

    SCORE_BELOW_ZERO = "E0301" "score-below-zero" Error, "得分低于零", "Score below zero",
"What it checks: item and criterion scores, and deduction points, are not negative.
Why: 扣完为止 — an item loses at most its own points; a negative score would take points from others.",
"检查内容：评分项和细则的得分，以及扣分分值，都不是负数。
原因：扣完为止——一项最多扣去本项的分；负分会把别的项的分也扣掉。";

    SCORE_ABOVE_POINTS = "E0302" "score-above-points" Error, "得分高于标准分", "Score above the standard points",
"What it checks: a score is at most its item's (or criterion's) standard points (标准分).
Example:
    \"3\": {score: 4}     # item 3 is worth 3 points",
"检查内容：得分不超过该评分项（或细则）的标准分。
示例：
    \"3\": {score: 4}     # 第 3 项标准分为 3 分";

    SCORE_OFF_STEP = "E0303" "score-off-step" Error, "得分不是计分步长的整数倍", "Score not a multiple of the step",
"What it checks: scores and deduction points are multiples of `scoring.step`.
Example: with step 0.5, 2.25 is refused; write 2 or 2.5.",
"检查内容：得分和扣分分值都是 `scoring.step` 的整数倍。
示例：步长为 0.5 时，2.25 不行；应写 2 或 2.5。";

    DEDUCTION_WITHOUT_REASON = "E0304" "deduction-without-reason" Error, "扣分没有写明原因", "Deduction without a reason",
"What it checks: every deduction has a non-empty `reason`.
Why: a town is entitled to know why it lost points; the reason becomes its problem list in the
supervision notice (专项督办通知).",
"检查内容：每一处扣分都写有非空的 `reason`。
原因：乡镇有权知道为什么被扣分；扣分原因会作为问题清单写进专项督办通知。";

    SCORE_DEDUCTIONS_DISAGREE = "E0305" "score-deductions-disagree" Error, "得分与扣分不一致", "Score and deductions disagree",
"What it checks: when an entry gives both `score` and `deductions`, score = points − deductions
(floored at zero).
Why: two figures for one item; the published one would be a guess.",
"检查内容：一项同时写了 `score` 和 `deductions` 时，得分 = 标准分 − 扣分（最低为零）。
原因：一项有两个数，发布哪一个都只能靠猜。";

    DEDUCTIONS_EXCEED_POINTS = "W0306" "deductions-exceed-points" Warning, "扣分超过标准分，按扣完为止计零分", "Deductions exceed the points; the item scores zero",
"What it checks: the deductions of an item add up to more than its points.
Why: the item scores zero (扣完为止), which is allowed, but the excess is often a typo.",
"检查内容：一项的扣分加起来超过了它的标准分。
原因：按扣完为止，该项得零分，这是允许的；但超出的部分往往是笔误。";

    NOT_ASSESSED_NOT_ALLOWED = "E0307" "not-assessed-not-allowed" Error, "该项对本乡镇不能标为不考核", "Item may not be marked not assessed",
"What it checks: `not_assessed` is used only for items with `assessed_if` whose attribute is 0 or
false for the town (e.g. 无贫困村的乡镇不考核该项).
Why: otherwise a town could drop an item it is judged on, and its total would be rescaled unfairly.",
"检查内容：只有带 `assessed_if`、且本乡镇相应属性为 0 或 false 的评分项，才能写 `not_assessed`
（如“无贫困村的乡镇不考核该项”）。
原因：否则乡镇可以把本应考核的项写成不考核，总分就会被不公平地折算。";

    NOT_ASSESSED_REQUIRED = "E0308" "not-assessed-required" Error, "该项对本乡镇不考核，须标为不考核", "Item must be marked not assessed",
"What it checks: an item whose `assessed_if` attribute is 0 or false for the town is written as
`{not_assessed: reason}`.
Why: scoring it would count points the town cannot earn or lose.",
"检查内容：`assessed_if` 所用属性对本乡镇为 0 或 false 的评分项，写作 `{not_assessed: 原因}`。
原因：给这样的项评分，就计入了乡镇根本无从得失的分。";

    MISSING_ITEM = "E0309" "missing-item" Error, "评分表缺少某项", "Sheet lacks an item",
"What it checks: every rubric item has an entry under `scores`. The diagnostic points at the
`scores:` key, where the item is to be added.
Fix: add the item; `ducha new TOWN` lists every item.",
"检查内容：评分表的每一个评分项，在 `scores` 下都有一条。提示信息指向 `scores:` 这个键，
缺的项就补在它下面。
改法：补上该项；`ducha new 乡镇` 会列出每一项。";

    UNKNOWN_ITEM = "E0310" "unknown-item" Error, "未知的评分项", "Unknown item",
"What it checks: every key under `scores` is an item id of rubric.yaml.
Why: a score for an item that does not exist is a typo, and the real item is then missing.",
"检查内容：`scores` 下的每个键都是 rubric.yaml 中的评分项编号。
原因：给不存在的项评分是笔误，而真正要评的那一项就缺了。";

    ENTRY_FORM = "E0311" "entry-form" Error, "评分项写法不对", "Item entry in the wrong form",
"What it checks: each entry gives exactly one of: `score`; `deductions`; both (when they agree);
`criteria` (for items with criteria); or `not_assessed`.
Example:
    \"3\": {score: 3}
    \"1\": {deductions: [{points: 2, reason: 抽查 10 户，1 户缺检测报告}]}
    \"18\": {criteria: {a: 5, b: 2, c: 2.5, d: 2.5}}
    \"2\": {not_assessed: 本镇无省定相对贫困村}",
"检查内容：每一条恰好写明以下一种：`score`；`deductions`；两者都写（须一致）；
`criteria`（用于分细则的评分项）；或 `not_assessed`。
示例：
    \"3\": {score: 3}
    \"1\": {deductions: [{points: 2, reason: 抽查 10 户，1 户缺检测报告}]}
    \"18\": {criteria: {a: 5, b: 2, c: 2.5, d: 2.5}}
    \"2\": {not_assessed: 本镇无省定相对贫困村}";

    MISSING_CRITERION = "E0312" "missing-criterion" Error, "缺少某条细则的得分", "Criterion not scored",
"What it checks: an entry with `criteria` scores every criterion of the item.",
"检查内容：写了 `criteria` 的一条，给该项的每一条细则都评了分。";

    UNKNOWN_CRITERION = "E0313" "unknown-criterion" Error, "未知的细则", "Unknown criterion",
"What it checks: every criterion id in an entry exists in the item's criteria.",
"检查内容：一条中的每个细则编号，都是该评分项中确有的细则。";

    EVIDENCE_MISSING = "E0314" "evidence-missing" Error, "佐证材料文件不存在", "Evidence file does not exist",
"What it checks: every `evidence` path names an existing file, relative to content/.
Example: `evidence: [evidence/xiantang/1-water.jpg]` needs content/evidence/xiantang/1-water.jpg.",
"检查内容：每个 `evidence` 路径都指向存在的文件，路径相对于 content/。
示例：`evidence: [evidence/xiantang/1-water.jpg]` 要求有 content/evidence/xiantang/1-water.jpg。";

    EVIDENCE_OUTSIDE = "E0315" "evidence-outside" Error, "佐证材料路径超出仓库", "Evidence path leaves the repository",
"What it checks: evidence paths are relative and stay inside the repository (no `/…`, no `../..`,
no link to outside).
Why: the site publishes evidence; a path outside the repository could publish any file of the machine.",
"检查内容：佐证材料的路径是相对路径，且不超出仓库（不以 `/…` 开头，不用 `../..` 跳出，
不是指向仓库之外的链接）。
原因：网站会发布佐证材料；超出仓库的路径可能把本机上的任何文件发布出去。";

    SIGNOFF_NOT_IN_GROUP = "E0316" "signoff-not-in-group" Error, "签名人不是本组组长或成员", "Sign-off by someone outside the group",
"What it checks: `signoff.leader` is the group's leader (组长) and every `signoff.members` name is
one of the group's deputies or members.
Why: only the group that inspected a town may sign its sheet.",
"检查内容：`signoff.leader` 是本组组长，`signoff.members` 中的每个名字都是本组的副组长或成员。
原因：只有督查该乡镇的督查组，才能在它的评分表上签名。";

    FINAL_WITHOUT_SIGNOFF = "E0317" "final-without-signoff" Error, "定稿评分表没有签名", "Final sheet without sign-off",
"What it checks: a sheet with `status: final` has a `signoff` with its leader and date.
Why: only signed sheets count in the ranking; the paper form carries the same signatures.",
"检查内容：`status: final` 的评分表有 `signoff`，写明组长和日期。
原因：只有签了名的评分表才计入排名；纸质评分表上也是同样的签名。";

    VISIT_OUTSIDE_WINDOW = "E0318" "visit-outside-window" Error, "督查日期不在督查时间内", "Visit outside the inspection window",
"What it checks: every `visited` date lies within `inspection.start`..`inspection.end`.",
"检查内容：`visited` 中的每个日期都在 `inspection.start` 到 `inspection.end` 之间。";

    WRONG_GROUP = "E0319" "wrong-group" Error, "评分表的小组与乡镇所属小组不符", "Sheet's group is not the town's group",
"What it checks: a sheet's `group` is the group whose `towns` list its town.
Why: a sheet filed by the wrong group is either misfiled or unauthorised.",
"检查内容：评分表的 `group` 是在 `towns` 中列有该乡镇的那个督查组。
原因：组别不对的评分表，不是放错了地方，就是未经授权。";

    DUPLICATE_SHEET = "E0321" "duplicate-sheet" Error, "同一乡镇有两份评分表", "Two sheets for one town",
"What it checks: at most one sheet names each town.
Why: which of the two counts would be a guess.",
"检查内容：每个乡镇最多只有一份评分表。
原因：两份中以哪一份为准，只能靠猜。";

    MISSING_SHEET = "W0322" "missing-sheet" Warning, "乡镇还没有评分表", "Town has no sheet yet",
"What it checks: every town has a sheet. While one is missing the ranking is provisional.
When the git history shows that the town's sheet was deleted, the message says in which commit
and by whom, and how to restore it (`git checkout COMMIT~1 -- content/sheets/x.yaml`).
Fix: `ducha new TOWN`. With --strict this is an error.",
"检查内容：每个乡镇都有评分表。只要还缺，排名就是暂定的。
如果 git 历史表明该乡镇的评分表被删除了，提示信息会说明是在哪一次提交中、由谁删除的，
以及怎样恢复（`git checkout 提交~1 -- content/sheets/x.yaml`）。
改法：`ducha new 乡镇`。加 --strict 时作为错误。";

    SHEET_FILE_NAME = "W0323" "sheet-file-name" Warning, "评分表文件名与乡镇标识不符", "Sheet file not named after its town",
"What it checks: a sheet for town `xiantang` is content/sheets/xiantang.yaml.
Why: people find a town's sheet by its file name.",
"检查内容：乡镇 `xiantang` 的评分表是 content/sheets/xiantang.yaml。
原因：大家按文件名查找乡镇的评分表。";

    SIGNOFF_DATE = "W0324" "signoff-date" Warning, "签名日期可疑", "Suspicious sign-off date",
"What it checks: the sign-off date is not before the last visit and not after the review deadline.",
"检查内容：签名日期不早于最后一次督查日期，也不晚于评议评分审核截止日期。";

    NO_VISIT = "W0325" "no-visit" Warning, "定稿评分表没有督查日期", "Final sheet without visit dates",
"What it checks: a final sheet lists the dates of its visits under `visited`.",
"检查内容：定稿的评分表在 `visited` 下列出了各次督查的日期。";

    NOT_YET_SCORED = "W0326" "not-yet-scored" Warning, "草稿评分表中有尚未评分的项", "Draft sheet has items not scored yet",
"What it checks: in a draft sheet, items written as `{}` (as `ducha new` scaffolds them).
Why: a draft may be filled in over several days; a final sheet may not have such items
(that is E0311).",
"检查内容：草稿评分表中写作 `{}` 的评分项（`ducha new` 生成的就是这样）。
原因：草稿可以分几天填完；定稿的评分表不能有这样的项（那是 E0311）。";

    EVIDENCE_HIDDEN = "E0327" "evidence-hidden" Error, "佐证材料的文件名以点开头", "Evidence under a name starting with a dot",
"What it checks: no evidence file, nor a folder on its path, has a name starting with a dot.
Why: such files (.env, .ssh, editor back-ups) are hidden, often private, and are never published;
a link to one would be broken on the site.
Fix: rename the file or folder so that its name does not start with a dot.",
"检查内容：佐证材料文件，以及它路径上的文件夹，名称都不以点开头。
原因：这样的文件（.env、.ssh、编辑器的备份）是隐藏的，往往属于私人内容，从不发布；
指向它的链接在网站上会失效。
改法：给文件或文件夹改名，使名称不以点开头。";

    NOTHING_ASSESSED = "E0328" "nothing-assessed" Error, "所有项目都不考核，无法计分", "Every item is not assessed: no score",
"What it checks: a final sheet assesses at least one item.
Why: a town whose every item is not assessed has earned 0 of 0 points; rescaled that is no score at
all, and ranking it (last, or first) would be wrong either way. Such a town is never ranked.
Fix: score at least one item, or check the towns' attributes that the items' assessed_if name.",
"检查内容：定稿的评分表至少考核一项。
原因：每一项都不考核的乡镇，得的是 0 分中的 0 分；折算后根本没有得分，把它排进名次
（排最后或排第一）都不对。这样的乡镇从不排名。
改法：至少给一项评分，或核对评分项的 assessed_if 所用的乡镇属性。";

    UNAUTHORIZED_CHANGE = "W0401" "unauthorized-change" Warning, "评分表被本组和督查室以外的人修改", "Sheet changed by someone outside its group and the office",
"What it checks: every commit that changed a sheet was authored (by git e-mail) by the town's
group (leader, deputies, members) or by the office (`office` in campaign.yaml).
Why: a score changed by anyone else is the kind of change the audit exists to catch.
Fix: if the change is right, have the group or the office commit it; give people their `git:`
e-mail in groups.yaml so that their commits are recognised. With --strict this is an error.",
"检查内容：每一个修改评分表的提交，其作者（按 git 邮箱）是该乡镇所属督查组的人
（组长、副组长、成员），或是督查室的人（campaign.yaml 中的 `office`）。
原因：由其他任何人改动的得分，正是审计要查出来的那种改动。
改法：如果改动是对的，请由本组或督查室提交；在 groups.yaml 中写上各人的 `git:` 邮箱，
以便认出他们的提交。加 --strict 时作为错误。";

    CHANGE_AFTER_DEADLINE = "W0402" "change-after-deadline" Warning, "评议评分审核截止后修改了分数", "Scores changed after the review deadline",
"What it checks: no commit dated (in the campaign's timezone) after `review_deadline` changes a score.
Why: late corrections may be legitimate, but they must be seen and explained.
With --strict this is an error.",
"检查内容：没有日期（按督查活动的时区）晚于 `review_deadline` 的提交修改了得分。
原因：逾期的更正可能是正当的，但必须让人看到，并说明理由。
加 --strict 时作为错误。";

    CHANGE_AFTER_SIGNOFF = "W0403" "change-after-signoff" Warning, "签名后修改了分数，未重新签名", "Scores changed after sign-off without a new sign-off",
"What it checks: when scores change on a signed sheet, the same or a later commit signs it off
again (a new `signoff` date or signers).
Why: a signature covers the scores it was given for, not later ones.
With --strict this is an error.",
"检查内容：已签名的评分表得分有改动时，同一个或之后的提交重新签了名（新的 `signoff` 日期或签名人）。
原因：签名只对签名时的得分负责，不对之后的改动负责。
加 --strict 时作为错误。";

    UNCOMMITTED_CHANGE = "W0404" "uncommitted-change" Warning, "评分表有未提交的修改", "Sheet has uncommitted changes",
"What it checks: the sheet in the working tree is the one in the last commit.
Why: only committed changes are in the audit trail. Commit with a message that says why.",
"检查内容：工作区中的评分表与最后一次提交中的相同。
原因：只有提交了的改动才进入审计记录。请提交，并在提交说明中写明原因。";

    SHALLOW_HISTORY = "W0405" "shallow-history" Warning, "浅克隆：审计不完整", "Shallow clone: the audit is incomplete",
"What it checks: the repository holds its whole history (it is not a shallow clone).
Why: in a clone made with --depth, the oldest commit present looks as if it added every sheet, and
everything before it (who changed what, and when) is missing. ducha takes that commit's sheets as
the starting point and audits only what follows, and says so.
Fix: git fetch --unshallow; in CI, check out with the whole history (actions/checkout with
fetch-depth: 0, GitLab GIT_DEPTH: 0).",
"检查内容：仓库保存着完整的历史（不是浅克隆）。
原因：用 --depth 克隆的仓库中，现存最早的提交看上去像是添加了所有评分表，而在它之前的一切
（谁在何时改了什么）都没有了。ducha 把这个提交中的评分表作为起点，只审计其后的提交，并会说明这一点。
改法：git fetch --unshallow；在 CI 中检出完整历史（actions/checkout 设 fetch-depth: 0，
GitLab 设 GIT_DEPTH: 0）。";
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
            assert!(rule.doc_zh.starts_with("检查内容："), "{}", rule.code);
        }
    }
}
