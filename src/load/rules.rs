//! The rules of reading: what can be wrong with a content file before the checks see the model
//! (its bytes, its YAML, its keys and the type of each value). Each rule is declared here with
//! its documentation and its messages in both languages; the loader raises them where it meets
//! the problem (`mod.rs` for files, `decode.rs` for keys and values). The rules of YAML syntax
//! and of full-width slips stand with their code, in `syntax.rs` and `slips.rs`.

use super::Encoding;
use super::yaml::{MAX_DEPTH, MAX_NODES, NodeKind};
use crate::diag::{Message, Rule, Severity, message, shell_word};
use crate::lang::Lang;
use crate::model::PointsError;

/// The load rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[
    &NOT_UTF8,
    &EMPTY_FILE,
    &YAML_LIMITS,
    &MISSING_FILE,
    &DUPLICATE_KEY,
    &UNKNOWN_KEY,
    &WRONG_TYPE,
    &MISSING_KEY,
    &BAD_NUMBER,
    &BAD_DATE,
    &BAD_CHOICE,
    &EMPTY_VALUE,
    &BAD_SLUG,
    &STRAY_FILE,
    &NOT_READABLE,
    &UNUSABLE_FILE_NAME,
    &PLACEHOLDER,
    &BAD_KEY,
];

pub static NOT_UTF8: Rule = Rule {
    code: "E0101",
    name: "not-utf8",
    severity: Severity::Error,
    title_zh: "文件不是 UTF-8 编码",
    title_en: "File is not UTF-8",
    doc_en: "What it checks: every content file must be UTF-8 text.
Why: editors on Chinese Windows often save GBK; read as UTF-8 the Chinese text would be garbage.
Fix: convert the file with the command the message gives for it, e.g.
    iconv -f GBK -t UTF-8 content/sheets/x.yaml > x.tmp && mv x.tmp content/sheets/x.yaml
and set the editor to UTF-8 so that it does not happen again: in VS Code the setting
\"files.encoding\": \"utf8\"; in Notepad or WPS, Save As with Encoding UTF-8.",
    doc_zh: "检查内容：每个内容文件都是 UTF-8 编码的文本。
原因：中文 Windows 上的编辑器常把文件存成 GBK；按 UTF-8 读取，其中的中文就成了乱码。
改法：用提示信息为该文件给出的命令转换，例如
    iconv -f GBK -t UTF-8 content/sheets/x.yaml > x.tmp && mv x.tmp content/sheets/x.yaml
再把编辑器设为 UTF-8，以免再犯：VS Code 中设置 \"files.encoding\": \"utf8\"；
记事本或 WPS 中“另存为”，编码选 UTF-8。",
};

/// A file that is not UTF-8, with what it seems to be in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub encoding: Encoding,
    /// The file, as the diagnostic shows it: the command to convert it names it.
    pub path: String,
}

impl Message for NotUtf8 {
    fn rule(&self) -> &'static Rule {
        &NOT_UTF8
    }

    /// The command that converts the file, and how to set the editor.
    fn text(&self, lang: Lang) -> String {
        let from = match self.encoding {
            Encoding::Gbk => "GBK",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Unknown => {
                return lang.pick(
                    "文件不是 UTF-8 编码：请用编辑器另存为 UTF-8（VS Code：右下角编码 → 通过编码保存 → UTF-8；WPS、记事本：另存为 → 编码选 UTF-8）".into(),
                    "the file is not UTF-8: save it as UTF-8 (VS Code: the encoding in the status bar → Save with Encoding → UTF-8; Notepad, WPS: Save As → Encoding UTF-8)".into(),
                );
            }
        };
        let path = &self.path;
        let name = path.rsplit('/').next().unwrap_or(path);
        let tmp = shell_word(&format!(
            "{}.tmp",
            name.strip_suffix(".yaml").unwrap_or(name)
        ));
        let file = shell_word(path);
        let command = format!("iconv -f {from} -t UTF-8 {file} > {tmp} && mv {tmp} {file}");
        let gbk = self.encoding == Encoding::Gbk;
        let looks = if gbk {
            "看起来是 GBK"
        } else {
            "是 UTF-16"
        };
        let looks_en = if gbk {
            "it looks like GBK"
        } else {
            "it is UTF-16"
        };
        lang.pick(
            format!(
                "文件不是 UTF-8 编码，{looks}：运行 {command} 转换；并把编辑器设为 UTF-8（VS Code：设置 \"files.encoding\": \"utf8\"；WPS、记事本：另存为 → 编码选 UTF-8）"
            ),
            format!(
                "the file is not UTF-8, {looks_en}: convert it with `{command}`, and set the editor to UTF-8 (VS Code: \"files.encoding\": \"utf8\"; Notepad, WPS: Save As → Encoding UTF-8)"
            ),
        )
    }
}

pub static EMPTY_FILE: Rule = Rule {
    code: "E0103",
    name: "empty-file",
    severity: Severity::Error,
    title_zh: "文件为空",
    title_en: "File is empty",
    doc_en: "What it checks: a content file has some content.
Why: an empty sheet or table is almost always a mistake (a failed save or a forgotten file).
Fix: fill the file in, or delete it. `ducha new TOWN` writes a sheet with every item listed.",
    doc_zh: "检查内容：内容文件不是空的。
原因：空的评分表或空的表格几乎总是差错（保存失败，或忘了填写）。
改法：填写该文件，或把它删除。`ducha new 乡镇` 会生成列出全部评分项的评分表。",
};

message! {
    EmptyFile for EMPTY_FILE,
    "文件为空：请填写内容，或删除该文件",
    "file is empty: fill it in, or delete it",
}

pub static YAML_LIMITS: Rule = Rule {
    code: "E0104",
    name: "yaml-too-complex",
    severity: Severity::Error,
    title_zh: "YAML 嵌套过深或别名展开过大",
    title_en: "YAML nested too deeply or expanding too much",
    doc_en: "What it checks: nesting is at most 64 levels deep and aliases expand to at most a million nodes.
Why: no score sheet needs more; such a file is a mistake or an attack (an \"alias bomb\").
Fix: write the values out plainly instead of through anchors (&a) and aliases (*a).",
    doc_zh: "检查内容：嵌套不超过 64 层，别名展开后不超过一百万个节点。
原因：评分表用不到这么多；这样的文件不是差错，就是攻击（“别名炸弹”）。
改法：把值直接写出来，不用锚点（&a）和别名（*a）。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlLimits {
    TooDeep,
    AliasBomb,
    TooManyValues,
}

impl Message for YamlLimits {
    fn rule(&self) -> &'static Rule {
        &YAML_LIMITS
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            YamlLimits::TooDeep => lang.pick(
                format!("嵌套超过 {MAX_DEPTH} 层：请简化结构"),
                format!("nested more than {MAX_DEPTH} levels deep: flatten it"),
            ),
            YamlLimits::AliasBomb => lang.pick(
                "别名展开后内容过大：请直接写出各值，不用锚点和别名".into(),
                "aliases expand to too much content: write the values out instead of anchors and aliases".into(),
            ),
            YamlLimits::TooManyValues => lang.pick(
                format!("文件中的值超过 {MAX_NODES} 个：评分表远少于此，请检查是否存错了文件"),
                format!("the file holds more than {MAX_NODES} values: no score sheet comes near that; check that it is the right file"),
            ),
        }
    }
}

pub static MISSING_FILE: Rule = Rule {
    code: "E0105",
    name: "missing-file",
    severity: Severity::Error,
    title_zh: "缺少必需的文件",
    title_en: "A required file is missing",
    doc_en: "What it checks: content/ has campaign.yaml, rubric.yaml, towns.yaml and groups.yaml.
Why: nothing can be scored without the campaign, its scoring table, its towns and its groups.
Fix: create the file; `ducha init DIR` writes a commented starting point.",
    doc_zh: "检查内容：content/ 中有 campaign.yaml、rubric.yaml、towns.yaml 和 groups.yaml。
原因：没有督查活动、评分表、乡镇和督查组，就无法计分。
改法：建立该文件；`ducha init 文件夹` 会写出带说明的初始文件。",
};

message! {
    MissingFile {
        name: String,
    } for MISSING_FILE,
    "缺少 {name}：请创建该文件（ducha init 可生成示例）",
    "{name} is missing: create it (ducha init writes a starting point)",
}

pub static DUPLICATE_KEY: Rule = Rule {
    code: "E0106",
    name: "duplicate-key",
    severity: Severity::Error,
    title_zh: "重复的键",
    title_en: "Duplicate key",
    doc_en: "What it checks: a key appears at most once in each mapping, including item ids under `scores`.
Why: YAML readers silently keep one of the two values, so a score would be lost without a trace.
Example:
    scores:
      \"3\": {score: 3}
      \"3\": {score: 2}     # the second \"3\" is reported",
    doc_zh: "检查内容：同一个映射中，每个键最多出现一次；`scores` 下的评分项编号也是如此。
原因：读取 YAML 的程序会悄悄只留下两个值中的一个，一项得分就无声无息地丢了。
示例：
    scores:
      \"3\": {score: 3}
      \"3\": {score: 2}     # 报告第二个 \"3\"",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first_line: u32,
}

impl Message for DuplicateKey {
    fn rule(&self) -> &'static Rule {
        &DUPLICATE_KEY
    }

    fn text(&self, lang: Lang) -> String {
        let Self { key, first_line } = self;
        lang.pick(
            format!("键 `{key}` 重复（第 {first_line} 行已有）：请删除其中一个"),
            format!("key `{key}` is given twice (first on line {first_line}): remove one"),
        )
    }

    fn label(&self, lang: Lang) -> String {
        first_on_line(self.first_line, lang)
    }
}

/// The label under a second occurrence: where the first one is.
pub fn first_on_line(line: u32, lang: Lang) -> String {
    lang.pick(format!("第 {line} 行已有"), format!("first on line {line}"))
}

pub static UNKNOWN_KEY: Rule = Rule {
    code: "E0107",
    name: "unknown-key",
    severity: Severity::Error,
    title_zh: "未知的键",
    title_en: "Unknown key",
    doc_en: "What it checks: every key is one the file format defines.
Why: a typo such as `scroe:` would otherwise pass silently and the score would be missing.
Fix: correct the spelling; the message suggests the nearest known key.",
    doc_zh: "检查内容：每个键都是文件格式中规定的键。
原因：否则像 `scroe:` 这样的笔误会悄悄通过，这一项的得分就缺了。
改法：改正拼写；提示信息会给出最接近的已知键。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub key: String,
    /// The known key it is most likely a typo of.
    pub suggestion: Option<&'static str>,
    pub allowed: Vec<&'static str>,
}

impl Message for UnknownKey {
    fn rule(&self) -> &'static Rule {
        &UNKNOWN_KEY
    }

    fn text(&self, lang: Lang) -> String {
        let key = &self.key;
        match self.suggestion {
            Some(s) => lang.pick(
                format!("未知的键 `{key}`：是否应为 `{s}`？"),
                format!("unknown key `{key}`: did you mean `{s}`?"),
            ),
            None => lang.pick(
                format!("未知的键 `{key}`：可用的键为 {}", self.allowed.join("、")),
                format!(
                    "unknown key `{key}`: the known keys are {}",
                    self.allowed.join(", ")
                ),
            ),
        }
    }

    fn label(&self, lang: Lang) -> String {
        match self.suggestion {
            Some(s) => lang.pick(format!("应为 `{s}`？"), format!("`{s}`?")),
            None => String::new(),
        }
    }
}

pub static WRONG_TYPE: Rule = Rule {
    code: "E0108",
    name: "wrong-type",
    severity: Severity::Error,
    title_zh: "值的类型不对",
    title_en: "Value of the wrong type",
    doc_en: "What it checks: each value has the type the format requires: text, number, date, list or mapping.
Why: a list where a mapping is expected, or quoted text where a number is expected, cannot be scored.
Example:
    score: \"3\"     # a score is a YAML number: write `score: 3`",
    doc_zh: "检查内容：每个值都是格式要求的类型：文字、数字、日期、列表或映射。
原因：该写映射的地方写成了列表，该写数字的地方写成了带引号的文字，都无法计分。
示例：
    score: \"3\"     # 得分是 YAML 数字：应写作 `score: 3`",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongType {
    pub expected: Expected,
    pub found: Found,
}

/// What a value should have been.
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

/// What a value is instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Node(NodeKind),
    QuotedText,
}

impl Message for WrongType {
    fn rule(&self) -> &'static Rule {
        &WRONG_TYPE
    }

    fn text(&self, lang: Lang) -> String {
        match (self.expected, self.found) {
            (Expected::Number, Found::QuotedText) => lang.pick(
                "这里应为数值，而不是带引号的文字：请去掉引号".into(),
                "expected a number, not quoted text: remove the quotes".into(),
            ),
            (expected, found) => lang.pick(
                format!(
                    "这里应为{}，实际是{}",
                    expected.name(lang),
                    found.name(lang)
                ),
                format!(
                    "expected {}, found {}",
                    expected.name(lang),
                    found.name(lang)
                ),
            ),
        }
    }

    fn label(&self, lang: Lang) -> String {
        let expected = self.expected.name(lang);
        lang.pick(format!("应为{expected}"), format!("expected {expected}"))
    }
}

impl Expected {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            Expected::Text => lang.pick("文字", "text"),
            Expected::Number => lang.pick("数值", "a number"),
            Expected::Integer => lang.pick("非负整数", "a whole number"),
            Expected::Date => lang.pick("日期", "a date"),
            Expected::Bool => lang.pick("true 或 false", "true or false"),
            Expected::List => lang.pick("列表", "a list"),
            Expected::Map => lang.pick("键值映射", "a mapping"),
            Expected::Attribute => lang.pick(
                "非负整数、true/false 或文字",
                "a whole number, true/false or a word",
            ),
        }
    }
}

impl Found {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            Found::QuotedText => lang.pick("带引号的文字", "quoted text"),
            Found::Node(NodeKind::Null) => lang.pick("空值", "nothing"),
            Found::Node(NodeKind::Scalar) => lang.pick("单个值", "a single value"),
            Found::Node(NodeKind::List) => lang.pick("列表", "a list"),
            Found::Node(NodeKind::Map) => lang.pick("键值映射", "a mapping"),
        }
    }
}

pub static MISSING_KEY: Rule = Rule {
    code: "E0109",
    name: "missing-key",
    severity: Severity::Error,
    title_zh: "缺少必需的键",
    title_en: "Missing required key",
    doc_en:
        "What it checks: every required key is present (e.g. a town's `slug`, a sheet's `town`).
Why: without it the record cannot be tied to the rest of the campaign.
Fix: add the key the message names.",
    doc_zh: "检查内容：每个必需的键都已写出（如乡镇的 `slug`、评分表的 `town`）。
原因：缺了它，这条记录就无法与督查活动的其他部分对应起来。
改法：补上提示信息中指出的键。",
};

message! {
    MissingKey {
        key: &'static str,
    } for MISSING_KEY,
    "缺少必需的键 `{key}`：请补上",
    "missing key `{key}`: add it",
}

pub static BAD_NUMBER: Rule = Rule {
    code: "E0110",
    name: "bad-number",
    severity: Severity::Error,
    title_zh: "数值格式不对",
    title_en: "Malformed number",
    doc_en: "What it checks: points and scores are decimals with at most two places, such as 2, 2.5 or 12.25.
Why: scores are kept exactly, in hundredths; 2.555 or 1e1 cannot be.
Fix: write the number as a plain decimal with at most two decimal places.",
    doc_zh: "检查内容：分值和得分是最多两位小数的数，如 2、2.5 或 12.25。
原因：得分精确到 0.01 保存；2.555 或 1e1 无法精确保存。
改法：把数写成最多两位小数的普通小数。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadNumber {
    pub text: String,
    pub problem: PointsError,
}

impl Message for BadNumber {
    fn rule(&self) -> &'static Rule {
        &BAD_NUMBER
    }

    fn text(&self, lang: Lang) -> String {
        let text = &self.text;
        match self.problem {
            PointsError::TooLarge => lang.pick(
                format!("`{text}` 过大，超出可计算的范围：请检查该数值"),
                format!("`{text}` is too large to compute with: check the number"),
            ),
            PointsError::TooManyDecimals => lang.pick(
                format!("`{text}` 超过两位小数：分数最多保留两位小数"),
                format!("`{text}` has more than two decimal places: write at most two"),
            ),
            PointsError::NotANumber => lang.pick(
                format!("`{text}` 不是数值：请写成 2、2.5 这样的小数"),
                format!("`{text}` is not a number: write a decimal such as 2 or 2.5"),
            ),
        }
    }
}

pub static BAD_DATE: Rule = Rule {
    code: "E0111",
    name: "bad-date",
    severity: Severity::Error,
    title_zh: "日期格式不对",
    title_en: "Malformed date",
    doc_en: "What it checks: dates are real calendar dates written YYYY-MM-DD.
Why: visit, sign-off and deadline dates are compared with the inspection window.
Example:
    date: 2020-3-6     # write 2020-03-06",
    doc_zh: "检查内容：日期是日历上真实存在的日期，写作 YYYY-MM-DD。
原因：督查日期、签名日期和截止日期都要与督查时间相比较。
示例：
    date: 2020-3-6     # 应写作 2020-03-06",
};

message! {
    BadDate {
        text: String,
    } for BAD_DATE,
    "`{text}` 不是有效日期：请写成 YYYY-MM-DD，如 2020-03-06",
    "`{text}` is not a valid date: write YYYY-MM-DD, e.g. 2020-03-06",
}

pub static BAD_CHOICE: Rule = Rule {
    code: "E0112",
    name: "bad-choice",
    severity: Severity::Error,
    title_zh: "取值不在允许范围内",
    title_en: "Value not among the allowed choices",
    doc_en: "What it checks: values with a fixed set of choices use one of them:
`status` draft | final, `language` zh-CN | en, `scoring.not_assessed` rescale | full_marks.
Fix: use one of the values the message lists.",
    doc_zh: "检查内容：只能取固定几个值的地方，取其中之一：
`status` 取 draft | final，`language` 取 zh-CN | en，`scoring.not_assessed` 取 rescale | full_marks。
改法：改用提示信息列出的值之一。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadChoice {
    pub value: String,
    pub allowed: &'static [&'static str],
}

impl Message for BadChoice {
    fn rule(&self) -> &'static Rule {
        &BAD_CHOICE
    }

    fn text(&self, lang: Lang) -> String {
        let value = &self.value;
        lang.pick(
            format!(
                "`{value}` 不是允许的取值：请用 {} 之一",
                self.allowed.join("、")
            ),
            format!(
                "`{value}` is not allowed here: use one of {}",
                self.allowed.join(", ")
            ),
        )
    }
}

pub static EMPTY_VALUE: Rule = Rule {
    code: "E0113",
    name: "empty-value",
    severity: Severity::Error,
    title_zh: "必填的值为空",
    title_en: "Required value is empty",
    doc_en: "What it checks: text that must say something (names, titles, reasons, not-assessed reasons) is not empty.
Why: an empty reason is as good as none in an audit.
Fix: write the text.",
    doc_zh: "检查内容：必须写明的文字（名称、标题、扣分原因、不考核原因）不是空的。
原因：在审计中，空着的原因等于没有原因。
改法：写上文字。",
};

message! {
    EmptyValue {
        key: &'static str,
    } for EMPTY_VALUE,
    "`{key}` 不能为空：请填写",
    "`{key}` must not be empty: fill it in",
}

pub static BAD_SLUG: Rule = Rule {
    code: "E0114",
    name: "bad-slug",
    severity: Severity::Error,
    title_zh: "标识符含有不允许的字符",
    title_en: "Identifier with characters that are not allowed",
    doc_en: "What it checks: town slugs, group ids and the campaign id use only letters a-z, A-Z,
digits, `-`, `_` and `.`, and start with a letter or digit.
Why: they become file names and web addresses (towns/<slug>/index.html).
Example:
    slug: Xian Tang     # write `slug: xiantang`",
    doc_zh: "检查内容：乡镇标识、督查组编号和督查活动编号只用字母 a-z、A-Z、数字、`-`、`_` 和 `.`，
并以字母或数字开头。
原因：它们会成为文件名和网址（towns/<标识>/index.html）。
示例：
    slug: Xian Tang     # 应写作 `slug: xiantang`",
};

message! {
    BadSlug {
        value: String,
    } for BAD_SLUG,
    "标识 `{value}` 含有不允许的字符：只用小写字母、数字、- 和 _，如 xiantang",
    "identifier `{value}` has characters that are not allowed: use letters, digits, - and _, e.g. xiantang",
}

pub static STRAY_FILE: Rule = Rule {
    code: "W0115",
    name: "stray-file",
    severity: Severity::Warning,
    title_zh: "sheets/ 中有不是评分表的文件",
    title_en: "A file in sheets/ that is not a sheet",
    doc_en: "What it checks: content/sheets/ holds only .yaml files, one per town.
Why: a sheet saved as .yml, .txt or in a subfolder is silently not scored.
Fix: rename the file to <slug>.yaml, or move it out of sheets/.",
    doc_zh: "检查内容：content/sheets/ 中只有 .yaml 文件，每个乡镇一个。
原因：存成 .yml、.txt，或放在子文件夹中的评分表，会被悄悄漏掉，不计分。
改法：把文件改名为 <标识>.yaml，或把它移出 sheets/。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrayFile {
    pub name: String,
    /// The folder of content/ it is in: `sheets` or `objections`.
    pub folder: &'static str,
}

impl Message for StrayFile {
    fn rule(&self) -> &'static Rule {
        &STRAY_FILE
    }

    fn text(&self, lang: Lang) -> String {
        let StrayFile { name, folder } = self;
        match *folder {
            "sheets" => lang.pick(
                format!("`{name}` 不是 .yaml 评分表，不会计分：请改名为 <乡镇标识>.yaml 或移出 sheets/"),
                format!("`{name}` is not a .yaml sheet and is not scored: rename it <slug>.yaml or move it out of sheets/"),
            ),
            _ => lang.pick(
                format!("`{name}` 不是 .yaml 文件，不会读取：请改名为 <乡镇标识>.yaml 或移出 {folder}/"),
                format!("`{name}` is not a .yaml file and is not read: rename it <slug>.yaml or move it out of {folder}/"),
            ),
        }
    }
}

pub static NOT_READABLE: Rule = Rule {
    code: "E0116",
    name: "not-readable",
    severity: Severity::Error,
    title_zh: "文件不是仓库内的普通文件，或过大",
    title_en: "File is not a regular file inside the repository, or too large",
    doc_en: "What it checks: every content file is a regular file inside the repository, of at most 16 MiB.
Why: a sheet that is a link to /etc/shadow would be shown in diagnostics and published; one that is
a link to /dev/zero or a pipe would never finish reading.
Fix: put the file itself in the repository, in place of the link, pipe or folder.",
    doc_zh: "检查内容：每个内容文件都是仓库内的普通文件，不超过 16 MiB。
原因：一份评分表如果是指向 /etc/shadow 的链接，其内容会出现在提示信息中，还会被发布；
如果是指向 /dev/zero 的链接或管道，就永远读不完。
改法：把文件本身放进仓库，替换掉链接、管道或文件夹。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReadable {
    /// A folder, a pipe or a device.
    NotAFile,
    /// A link that leads out of the repository.
    Outside,
    TooLarge {
        limit_mib: u64,
    },
}

impl Message for NotReadable {
    fn rule(&self) -> &'static Rule {
        &NOT_READABLE
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            NotReadable::NotAFile => lang.pick(
                "这不是普通文件（是文件夹、管道或设备）：评分表和设置文件须为普通文件".into(),
                "this is not a regular file (a folder, a pipe or a device): content files must be regular files".into(),
            ),
            NotReadable::Outside => lang.pick(
                "这是指向仓库以外的链接，不会读取：请把文件本身放进仓库".into(),
                "this is a link that leads out of the repository and is not read: put the file itself in the repository".into(),
            ),
            NotReadable::TooLarge { limit_mib } => lang.pick(
                format!("文件超过 {limit_mib} MiB，不会读取：评分表远小于此，请检查是否存错了文件"),
                format!("the file is larger than {limit_mib} MiB and is not read: no score sheet comes near that; check that it is the right file"),
            ),
        }
    }
}

pub static UNUSABLE_FILE_NAME: Rule = Rule {
    code: "E0117",
    name: "unusable-file-name",
    severity: Severity::Error,
    title_zh: "文件名无法使用",
    title_en: "File name cannot be used",
    doc_en:
        "What it checks: the names of the files in content/sheets/ are UTF-8 and plain file names.
Why: a name saved in another encoding (an archive unpacked on Chinese Windows) cannot be shown or
matched to its town; a crafted commit may name a file `../x` or `/etc/x`, which is never read.
Fix: rename the file <slug>.yaml.",
    doc_zh: "检查内容：content/sheets/ 中的文件名是 UTF-8 编码的普通文件名。
原因：以其他编码保存的文件名（如在中文 Windows 上解压的压缩包）无法显示，也无法对应到乡镇；
精心构造的提交可能把文件命名为 `../x` 或 `/etc/x`，这样的文件从不读取。
改法：把文件改名为 <标识>.yaml。",
};

message! {
    UnusableFileName {
        name: String,
    } for UNUSABLE_FILE_NAME,
    "文件名 `{name}` 无法使用（不是 UTF-8 编码，或不是单纯的文件名）：请改名为 <乡镇标识>.yaml",
    "the file name `{name}` cannot be used (it is not UTF-8, or not a plain file name): rename it <slug>.yaml",
}

pub static PLACEHOLDER: Rule = Rule {
    code: "W0119",
    name: "placeholder",
    severity: Severity::Warning,
    title_zh: "占位内容未替换",
    title_en: "Placeholder left in place",
    doc_en: "What it checks: no text of campaign.yaml, rubric.yaml, towns.yaml or groups.yaml still holds a
placeholder that `ducha init` writes for the office to replace, such as （督查名称） or （发文单位）.
Why: a placeholder published on the site or in a notice looks like the real thing.
Fix: write the real title, office, name or item. With --strict this is an error.",
    doc_zh: "检查内容：campaign.yaml、rubric.yaml、towns.yaml 和 groups.yaml 的文字中，不再留有 `ducha init`
写入、待督查室替换的占位内容，如（督查名称）或（发文单位）。
原因：占位内容一旦发布到网站或通报上，看上去就像真的一样。
改法：写上真实的标题、单位、姓名或评分项。加 --strict 时作为错误。",
};

message! {
    Placeholder {
        text: String,
    } for PLACEHOLDER,
    "`{text}` 是 ducha init 留下的占位内容：请换成实际内容",
    "`{text}` is a placeholder left by ducha init: replace it with the real text",
}

pub static BAD_KEY: Rule = Rule {
    code: "E0120",
    name: "bad-key",
    severity: Severity::Error,
    title_zh: "签名公钥无法读取",
    title_en: "Signing key cannot be read",
    doc_en: "What it checks: each entry of a person's `keys` is an SSH public key as `ssh-keygen` prints it
(the line of the .pub file): `ssh-ed25519 AAAA… comment`, `ecdsa-sha2-nistp256 AAAA…` or
`ssh-rsa AAAA…`.
Why: the audit knows who signed a commit by these keys; a key cut short or mistyped would make
every commit of its owner look signed by a stranger.
Fix: copy the whole line of the public key file (`cat ~/.ssh/id_ed25519.pub`), never the private key.",
    doc_zh: "检查内容：人员 `keys` 中的每一项都是 `ssh-keygen` 输出的 SSH 公钥（.pub 文件的那一行）：
`ssh-ed25519 AAAA… 备注`、`ecdsa-sha2-nistp256 AAAA…` 或 `ssh-rsa AAAA…`。
原因：审计凭这些公钥认定提交由谁签名；公钥缺了一截或抄错了，此人的每次提交都会被当作陌生人签名。
改法：复制公钥文件的完整一行（`cat ~/.ssh/id_ed25519.pub`），切勿使用私钥。",
};

message! {
    BadKey {
        reason: String,
    } for BAD_KEY,
    "这不是可用的 SSH 公钥（{reason}）：请复制公钥文件（.pub）的完整一行",
    "this is not a usable SSH public key ({reason}): copy the whole line of the public key file (.pub)",
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let name = || "x.yml".to_string();
    vec![
        Box::new(NotUtf8 {
            encoding: Encoding::Gbk,
            path: "content/sheets/x y.yaml".into(),
        }),
        Box::new(EmptyFile),
        Box::new(YamlLimits::TooDeep),
        Box::new(MissingFile { name: name() }),
        Box::new(DuplicateKey {
            key: "score".into(),
            first_line: 2,
        }),
        Box::new(UnknownKey {
            key: "scroe".into(),
            suggestion: Some("score"),
            allowed: vec!["score", "deductions"],
        }),
        Box::new(WrongType {
            expected: Expected::Map,
            found: Found::Node(NodeKind::List),
        }),
        Box::new(MissingKey { key: "town" }),
        Box::new(BadNumber {
            text: "2.555".into(),
            problem: PointsError::TooManyDecimals,
        }),
        Box::new(BadDate {
            text: "2020-3-6".into(),
        }),
        Box::new(BadChoice {
            value: "done".into(),
            allowed: &["draft", "final"],
        }),
        Box::new(EmptyValue { key: "reason" }),
        Box::new(BadSlug {
            value: "Xian Tang".into(),
        }),
        Box::new(StrayFile {
            name: name(),
            folder: "sheets",
        }),
        Box::new(NotReadable::TooLarge { limit_mib: 16 }),
        Box::new(UnusableFileName { name: name() }),
        Box::new(Placeholder {
            text: "（督查名称）".into(),
        }),
        Box::new(BadKey {
            reason: "length invalid".into(),
        }),
    ]
}
