//! Slips of a Chinese keyboard: full-width punctuation, digits and spaces typed where YAML
//! syntax or a number is expected (`summary：一般`, `score: ５`, `“2”:`, an indent of `　`).
//!
//! Such a character is found only where it breaks the YAML or the value, never inside text
//! (`reason: 抽查 10 户，1 户缺检测报告` is right as it is). Slips that break the structure are
//! repaired in the text before it is read, each one confirmed by the parser (the repair must
//! take the syntax error away, or further on); slips in a value are read as meant by the
//! decoder. Either way the person is told, and the file is read as they meant it.

use crate::diag::{FileId, Message, Rule, Severity};
use crate::lang::Lang;
use crate::load::yaml::{self, Kind, Mark, Node, ParseError, Shift};

/// A slip, in the file's own positions (line from 1, column from 0, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub line: usize,
    pub col: usize,
    /// Characters to underline: the slip, or a word between Chinese quotes.
    pub len: usize,
    /// The characters typed, and what YAML needs there (empty: nothing).
    pub found: String,
    pub meant: String,
    /// The line as it should read, trimmed; none where that says nothing (an indent).
    pub fixed: Option<String>,
}

/// A text with its structural slips repaired.
#[derive(Debug, Clone)]
pub struct Repaired {
    pub text: String,
    /// How the repaired text's columns differ from the file's.
    pub shifts: Vec<Shift>,
    pub slips: Vec<Slip>,
}

/// Repairs stop after this many slips in a file: a file with more is not a slip.
const MAX_REPAIRS: usize = 20;
/// Characters tried, nearest first, to explain one syntax error.
const MAX_TRIES: usize = 16;
/// Lines above a syntax error where its cause is looked for.
const LINES_BEFORE: usize = 5;
/// Only files up to this size are repaired (each try parses the file again).
const MAX_BYTES: usize = 1 << 20;

/// True when `text` has a character that is a slip wherever YAML syntax is expected.
fn has_candidates(text: &str) -> bool {
    text.chars().any(|c| syntax_ascii(c).is_some())
}

/// Whether a tree shows a slip that changes its structure: a key holding a full-width colon
/// or starting with a full-width space, an entry of a `[…]` list holding a full-width comma.
pub fn structural(text: &str, node: &Node) -> bool {
    has_candidates(text) && first_structural(text, node).is_some()
}

/// The text as its author meant it: structural slips repaired, one at a time, each confirmed.
/// `None` when there is nothing to repair.
pub fn repair(text: &str) -> Option<Repaired> {
    if text.len() > MAX_BYTES || !has_candidates(text) {
        return None;
    }
    let mut current = text.to_string();
    let mut shifts: Vec<Shift> = Vec::new();
    let mut slips = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let edit = match yaml::parse(FileId(0), &current) {
            Ok(node) => first_structural(&current, &node),
            Err(ParseError::Syntax { at, .. }) => confirmed(&current, at),
            Err(_) => None,
        };
        let Some(edit) = edit else { break };
        let (first, _, _) = edit.changes[0];
        let (last, removed, _) = edit.changes[edit.changes.len() - 1];
        let col = yaml::file_col(&shifts, edit.line, first);
        slips.push(Slip {
            line: edit.line,
            col,
            len: yaml::file_col(&shifts, edit.line, last + removed - 1) + 1 - col,
            found: edit.found.clone(),
            meant: edit.meant.clone(),
            fixed: (!edit.indent).then(String::new),
        });
        current = edit.apply(&current, &mut shifts);
    }
    if slips.is_empty() {
        return None;
    }
    // Every slip shows its line with all the repairs made on it.
    let lines: Vec<&str> = crate::source::lines(&current).collect();
    for slip in &mut slips {
        if slip.fixed.is_some() {
            slip.fixed = lines
                .get(slip.line.wrapping_sub(1))
                .map(|l| l.trim().to_string());
        }
    }
    Some(Repaired {
        text: current,
        shifts,
        slips,
    })
}

/// A repair on one line: characters at columns (of the text being repaired) replaced.
#[derive(Debug, Clone)]
struct Edit {
    line: usize,
    /// (column, characters removed, text inserted), left to right.
    changes: Vec<(usize, usize, String)>,
    found: String,
    meant: String,
    /// A full-width space used to indent: the fixed line shows nothing the message does not.
    indent: bool,
}

impl Edit {
    fn apply(&self, text: &str, shifts: &mut Vec<Shift>) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        for (i, (line, end)) in crate::source::lines_with_ends(text).enumerate() {
            if i + 1 != self.line {
                out.push_str(line);
                out.push_str(end);
                continue;
            }
            let mut chars: Vec<char> = line.chars().collect();
            // Right to left, so that each column still means what it meant.
            for (col, removed, inserted) in self.changes.iter().rev() {
                let start = (*col).min(chars.len());
                let stop = (start + removed).min(chars.len());
                chars.splice(start..stop, inserted.chars());
                let inserted = inserted.chars().count();
                if inserted != *removed {
                    shifts.push(Shift {
                        line: self.line,
                        col: *col,
                        removed: *removed,
                        inserted,
                    });
                }
            }
            out.extend(chars);
            out.push_str(end);
        }
        out
    }
}

/// The ASCII that a full-width character stands for where YAML syntax is expected.
fn syntax_ascii(c: char) -> Option<char> {
    Some(match c {
        '：' => ':',
        '，' => ',',
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        '【' | '［' => '[',
        '】' | '］' => ']',
        '｛' => '{',
        '｝' => '}',
        '\u{3000}' => ' ',
        '－' => '-',
        _ => return None,
    })
}

/// The repair for the slip at `col` of `line` (characters of the line), if it is one.
fn edit_at(line_no: usize, line: &[char], col: usize) -> Option<Edit> {
    let c = *line.get(col)?;
    let ascii = syntax_ascii(c)?;
    let single = |inserted: String| Edit {
        line: line_no,
        changes: vec![(col, 1, inserted.clone())],
        found: c.to_string(),
        meant: inserted.trim_end().to_string(),
        indent: false,
    };
    let spaced = |col: usize| line.get(col + 1).is_none_or(|n| n.is_whitespace());
    Some(match c {
        '：' if spaced(col) => single(":".into()),
        '：' => single(": ".into()),
        '，' if !spaced(col) => single(", ".into()),
        '“' | '”' | '‘' | '’' => {
            let (open, close) = if ascii == '"' {
                ('“', '”')
            } else {
                ('‘', '’')
            };
            let partner = if c == open {
                (col + 1..line.len()).find(|&i| line[i] == close)
            } else {
                (0..col).rev().find(|&i| line[i] == open)
            };
            let mut changes = vec![(col, 1, ascii.to_string())];
            let mut found = c.to_string();
            if let Some(p) = partner {
                changes.push((p, 1, ascii.to_string()));
                changes.sort_by_key(|(col, ..)| *col);
                found = format!("{open}{close}");
            }
            Edit {
                line: line_no,
                changes,
                found,
                meant: ascii
                    .to_string()
                    .repeat(if partner.is_some() { 2 } else { 1 }),
                indent: false,
            }
        }
        '\u{3000}' => {
            let start = (0..col)
                .rev()
                .take_while(|&i| line[i] == '\u{3000}')
                .last()
                .unwrap_or(col);
            let end = (col..line.len())
                .take_while(|&i| line[i] == '\u{3000}')
                .last()
                .map_or(col + 1, |i| i + 1);
            let indent = line[..start].iter().all(|c| *c == ' ');
            // A full-width space looks two columns wide: as an indent it stands for two.
            let width = if indent { 2 } else { 1 };
            Edit {
                line: line_no,
                changes: vec![(start, end - start, " ".repeat((end - start) * width))],
                found: "\u{3000}".repeat(end - start),
                meant: " ".repeat(width),
                indent,
            }
        }
        '－' => {
            let first = line[..col].iter().all(|c| *c == ' ');
            if !(first && spaced(col)) {
                return None;
            }
            single("-".into())
        }
        _ => single(ascii.to_string()),
    })
}

/// The slip that explains a syntax error at `at`: of the slips on its line and the few lines
/// above (and of the full-width spaces that start a line anywhere above, as an indent puts
/// the error far from its cause), the nearest whose repair takes the error away or moves it
/// further on.
fn confirmed(text: &str, at: Mark) -> Option<Edit> {
    let lines: Vec<Vec<char>> = crate::source::lines(text)
        .take(at.line)
        .map(|l| l.chars().collect())
        .collect();
    let near = at.line.saturating_sub(LINES_BEFORE).max(1);
    let mut candidates = Vec::new();
    for (i, line) in lines.iter().enumerate().rev() {
        let line_no = i + 1;
        if line_no < near {
            let indent = line.iter().position(|c| *c != ' ');
            if let Some(col) = indent.filter(|&c| line[c] == '\u{3000}') {
                candidates.push((line_no, col));
            }
            continue;
        }
        let end = if line_no == at.line {
            (at.col + 1).min(line.len())
        } else {
            line.len()
        };
        for col in (0..end).rev() {
            if syntax_ascii(line[col]).is_some() {
                candidates.push((line_no, col));
            }
        }
    }
    for (line_no, col) in candidates.into_iter().take(MAX_TRIES) {
        let Some(edit) = edit_at(line_no, &lines[line_no - 1], col) else {
            continue;
        };
        let mut shifts = Vec::new();
        let tried = edit.apply(text, &mut shifts);
        let better = match yaml::parse(FileId(0), &tried) {
            Ok(_) => true,
            Err(ParseError::Syntax { at: later, .. }) => {
                let later = Mark {
                    col: yaml::file_col(&shifts, later.line, later.col),
                    ..later
                };
                later > at
            }
            Err(_) => true,
        };
        if better {
            return Some(edit);
        }
    }
    None
}

/// The first slip in a tree that changes its structure.
fn first_structural(text: &str, node: &Node) -> Option<Edit> {
    match &node.kind {
        Kind::Scalar { .. } => None,
        Kind::Map(pairs) => pairs.iter().find_map(|(key, value)| {
            key_slip(text, key)
                .or_else(|| first_structural(text, key))
                .or_else(|| first_structural(text, value))
        }),
        Kind::Seq(items) => items.iter().find_map(|item| {
            let comma = match &item.kind {
                Kind::Scalar { text: value, .. } if node.flow && plain(item) => {
                    value.chars().position(|c| c == '，')
                }
                _ => None,
            };
            comma
                .and_then(|i| edit_in(text, item, i))
                .or_else(|| first_structural(text, item))
        }),
    }
}

fn plain(node: &Node) -> bool {
    matches!(node.kind, Kind::Scalar { plain: true, .. }) && node.span.len > 0
}

/// A key that starts with a full-width space or holds a full-width colon.
fn key_slip(text: &str, key: &Node) -> Option<Edit> {
    let Kind::Scalar { text: value, .. } = &key.kind else {
        return None;
    };
    if !plain(key) {
        return None;
    }
    let i = if value.starts_with('\u{3000}') {
        0
    } else {
        value.chars().position(|c| c == '：')?
    };
    edit_in(text, key, i)
}

/// The repair of the `i`-th character of a plain scalar written on one line.
fn edit_in(text: &str, node: &Node, i: usize) -> Option<Edit> {
    let line_no = node.span.line as usize;
    let line: Vec<char> = crate::source::lines(text)
        .nth(line_no.checked_sub(1)?)?
        .chars()
        .collect();
    edit_at(line_no, &line, node.span.col as usize - 1 + i)
}

/// A value read as meant: what was typed, what it should be, and where they differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meant {
    /// Where the first slip stands in the value, and how many characters to underline, with
    /// `found`, what was typed there.
    pub index: usize,
    pub len: usize,
    pub found: String,
    /// What to type instead (empty: nothing).
    pub meant: String,
    /// The value as meant.
    pub value: String,
    /// The value as it should be written.
    pub written: String,
}

/// A number, or a date, typed with full-width digits, signs or a trailing comma (`５０`,
/// `4.5，`, `２０２０－03－02`), or in Chinese quotes: the number meant, if that is all.
pub fn number(typed: &str) -> Option<Meant> {
    let chars: Vec<char> = typed.chars().collect();
    let (body, quoted) = match (chars.first(), chars.last()) {
        (Some('“'), Some('”')) if chars.len() > 2 => (&chars[1..chars.len() - 1], true),
        _ => (&chars[..], false),
    };
    let trailing = body
        .iter()
        .rev()
        .take_while(|c| matches!(c, '，' | '。' | '、' | '；' | '\u{3000}'))
        .count();
    let body = &body[..body.len() - trailing];
    let ascii = |c: char| match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        '．' | '。' => Some('.'),
        '－' => Some('-'),
        '＋' => Some('+'),
        _ => None,
    };
    let value: String = body.iter().map(|c| ascii(*c).unwrap_or(*c)).collect();
    if value == typed || value.is_empty() || !value.is_ascii() {
        return None;
    }
    let offset = usize::from(quoted);
    let first = if quoted {
        Some(0)
    } else {
        body.iter().position(|c| ascii(*c).is_some())
    };
    let (index, found, meant) = match first {
        Some(0) if quoted => (0, "“”".to_string(), String::new()),
        Some(i) => {
            let run: String = body[i..]
                .iter()
                .take_while(|c| ascii(**c).is_some())
                .collect();
            let meant = run.chars().filter_map(ascii).collect();
            (i + offset, run, meant)
        }
        None => {
            let i = offset + body.len();
            (
                i,
                chars[i..chars.len() - offset].iter().collect(),
                String::new(),
            )
        }
    };
    let len = if quoted {
        chars.len()
    } else {
        found.chars().count()
    };
    Some(Meant {
        index,
        len,
        found,
        meant,
        written: value.clone(),
        value,
    })
}

/// A word (a key, an id, a choice) in Chinese quotes, `“final”`: the word meant.
pub fn quoted_word(typed: &str) -> Option<Meant> {
    let (open, close) = match typed.chars().next()? {
        '“' => ('“', '”'),
        '‘' => ('‘', '’'),
        _ => return None,
    };
    let inner = typed.strip_prefix(open)?.strip_suffix(close)?;
    if inner.is_empty() || inner.contains(['“', '”', '‘', '’']) {
        return None;
    }
    let ascii = if open == '“' { '"' } else { '\'' };
    Some(Meant {
        index: 0,
        len: typed.chars().count(),
        found: format!("{open}{close}"),
        meant: format!("{ascii}{ascii}"),
        value: inner.to_string(),
        written: format!("{ascii}{inner}{ascii}"),
    })
}

/// A list typed in full-width brackets, `（a，b）` or `【a】`: the bracket meant.
pub fn list_bracket(typed: &str) -> Option<Meant> {
    let first = typed.chars().next()?;
    let last = typed.chars().last()?;
    let pair = matches!((first, last), ('（', '）') | ('【', '】') | ('［', '］'));
    if !pair || typed.chars().count() < 2 {
        return None;
    }
    let inner: String = typed
        .chars()
        .skip(1)
        .take(typed.chars().count() - 2)
        .collect();
    let inner = inner.replace('，', ", ");
    Some(Meant {
        index: 0,
        len: 1,
        found: first.to_string(),
        meant: "[".into(),
        value: inner.clone(),
        written: format!("[{inner}]"),
    })
}

/// A value written on one line where a mapping is expected, `score：5`: the key meant.
pub fn colon_in_word(typed: &str) -> Option<Meant> {
    let i = typed.chars().position(|c| c == '：')?;
    let key: String = typed.chars().take(i).collect();
    let keyish = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '"' | '\''));
    if !keyish {
        return None;
    }
    let rest: String = typed.chars().skip(i + 1).collect();
    let rest = rest.trim_start_matches([' ', '\u{3000}']);
    Some(Meant {
        index: i,
        len: 1,
        found: "：".into(),
        meant: ":".into(),
        value: key.clone(),
        written: format!("{key}: {rest}"),
    })
}

/// Line `line` of `text` with its columns `start..end` (from 0) replaced by a value written
/// as meant, trimmed.
pub fn fixed_line(
    text: &str,
    line: usize,
    start: usize,
    end: usize,
    written: &str,
) -> Option<String> {
    let source = crate::source::lines(text).nth(line.checked_sub(1)?)?;
    let chars: Vec<char> = source.chars().collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let mut out: String = chars[..start].iter().collect();
    out.push_str(written);
    out.extend(&chars[end..]);
    Some(out.trim().to_string())
}

pub static FULL_WIDTH: Rule = Rule {
    code: "E0118",
    name: "full-width-punctuation",
    severity: Severity::Error,
    title_zh: "全角标点或数字用在了 YAML 语法或数值处",
    title_en: "Full-width punctuation or digits where YAML syntax or a number is expected",
    doc_en: "What it checks: full-width characters typed with a Chinese input method where YAML syntax or a
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
    doc_zh: "检查内容：用中文输入法打出的全角字符，出现在 YAML 语法或数值处：键后面的全角冒号 `：`，
列表各项之间或数字后面的全角逗号 `，`，键或词两边的中文引号 `“”`，列表两边的全角括号
`（）【】`，用来缩进的全角空格 `　`，全角数字 `５０`。
原因：YAML 不把它们当作语法：`summary：一般。` 不是键，`５` 不是数。文件会读不通，
或者读出来的意思与本意不同。
在文字之中它们是对的，不受影响：`reason: 抽查 10 户，1 户缺检测报告` 没有问题。
示例：
    summary：一般。       # 应写作 `summary: 一般。`
    score: ５            # 应写作 `score: 5`
    “2”: {score: 4}      # 应写作 `\"2\": {score: 4}`
文件按本意读取，其他检查照常进行；提示信息会给出改正后的那一行。",
};

/// The rules declared in this file.
pub static RULES: &[&Rule] = &[&FULL_WIDTH];

/// Full-width punctuation or digits where YAML syntax or a number is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullWidth {
    pub found: String,
    /// What to type instead; empty: nothing.
    pub meant: String,
    /// The line as it should read.
    pub fixed: Option<String>,
}

impl Message for FullWidth {
    fn rule(&self) -> &'static Rule {
        &FULL_WIDTH
    }

    fn text(&self, lang: Lang) -> String {
        let Self {
            found,
            meant,
            fixed,
        } = self;
        let name = full_width_name(found.chars().next().unwrap_or('\u{3000}'), lang);
        let space = !meant.is_empty() && meant.trim().is_empty();
        match (space, fixed) {
            (true, None) => lang.pick(
                format!("{name}不能用于缩进：请改为半角空格"),
                format!("a {name} used for indenting: indent with ASCII spaces"),
            ),
            (true, Some(fixed)) => lang.pick(
                format!("{name}应为半角空格，即：{fixed}"),
                format!("a {name} where YAML needs an ASCII space: write `{fixed}`"),
            ),
            (false, _) => {
                let fixed_zh = fixed
                    .as_ref()
                    .map_or(String::new(), |f| format!("，即：{f}"));
                let fixed_en = fixed
                    .as_ref()
                    .map_or(String::new(), |f| format!(": write `{f}`"));
                if meant.is_empty() {
                    lang.pick(
                        format!("{name}「{found}」应删除{fixed_zh}"),
                        format!("{name} `{found}` to delete{fixed_en}"),
                    )
                } else {
                    lang.pick(
                        format!("{name}「{found}」应为半角「{meant}」{fixed_zh}"),
                        format!("{name} `{found}` instead of `{meant}`{fixed_en}"),
                    )
                }
            }
        }
    }

    fn label(&self, lang: Lang) -> String {
        let meant = &self.meant;
        if meant.is_empty() {
            lang.pick("应删除".into(), "delete".into())
        } else if meant.trim().is_empty() {
            lang.pick("应为半角空格".into(), "ASCII space".into())
        } else {
            lang.pick(format!("应为「{meant}」"), format!("`{meant}`"))
        }
    }
}

/// The name of a full-width character, as the person knows it.
fn full_width_name(c: char, lang: Lang) -> &'static str {
    let (zh, en) = match c {
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
    lang.pick(zh, en)
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let slip = |meant: &str, fixed: Option<&str>| FullWidth {
        found: "：".into(),
        meant: meant.into(),
        fixed: fixed.map(str::to_string),
    };
    vec![
        Box::new(slip(":", Some("summary: 一般"))),
        Box::new(slip("", None)),
        Box::new(slip(" ", None)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slips(text: &str) -> Vec<(usize, usize, String, String, Option<String>)> {
        repair(text)
            .map(|r| {
                r.slips
                    .into_iter()
                    .map(|s| (s.line, s.col + 1, s.found, s.meant, s.fixed))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn one(
        line: usize,
        col: usize,
        found: &str,
        meant: &str,
        fixed: Option<&str>,
    ) -> Vec<(usize, usize, String, String, Option<String>)> {
        vec![(
            line,
            col,
            found.into(),
            meant.into(),
            fixed.map(str::to_string),
        )]
    }

    #[test]
    fn a_full_width_colon_after_a_key_is_repaired() {
        let text = "town: x\nsummary：一般。\nstatus: final\n";
        assert_eq!(slips(text), one(2, 8, "：", ":", Some("summary: 一般。")));
        let r = repair(text).unwrap();
        assert_eq!(r.text, "town: x\nsummary: 一般。\nstatus: final\n");
        // The repaired tree is located in the file's own columns.
        let node = yaml::parse_shifted(FileId(0), &r.text, &r.shifts).unwrap();
        let Kind::Map(pairs) = &node.kind else {
            panic!()
        };
        assert_eq!(
            (
                pairs[1].1.span.line,
                pairs[1].1.span.col,
                pairs[1].1.span.len
            ),
            (2, 9, 3)
        );
        assert_eq!((pairs[2].0.span.line, pairs[2].0.span.col), (3, 1));
    }

    #[test]
    fn lines_ended_by_a_lone_carriage_return_are_repaired_in_place() {
        let text = "town: x\rsummary：一般。\r\nstatus: final\r";
        assert_eq!(slips(text), one(2, 8, "：", ":", Some("summary: 一般。")));
        let r = repair(text).unwrap();
        assert_eq!(r.text, "town: x\rsummary: 一般。\r\nstatus: final\r");
    }

    #[test]
    fn structural_slips_in_a_text_that_parses() {
        assert_eq!(
            slips("scores:\n  \"2\": {score：4}\n"),
            one(2, 14, "：", ":", Some("\"2\": {score: 4}"))
        );
        assert_eq!(
            slips("a:\n  b:\n\u{3000}\u{3000}c: 1\n"),
            one(3, 1, "\u{3000}\u{3000}", "  ", None)
        );
        assert_eq!(
            slips("members: [Lan，Liu]\n"),
            one(1, 14, "，", ",", Some("members: [Lan, Liu]"))
        );
        assert_eq!(
            slips("a: {b: 3，c: 1.5}\n"),
            one(1, 9, "，", ",", Some("a: {b: 3, c: 1.5}"))
        );
        // The quotes are left to the decoder, which knows that a key is no text.
        assert_eq!(
            slips("scores:\n  “2”：{score: 4}\n"),
            one(2, 6, "：", ":", Some("“2”: {score: 4}"))
        );
    }

    #[test]
    fn a_full_width_indent_far_above_the_error_is_found() {
        let mut text = String::from("scores:\n  \"1\":\n\u{3000}\u{3000}deductions:\n");
        for _ in 0..10 {
            text.push_str("      - {points: 1, reason: x}\n");
        }
        text.push_str("  \"2\": {score: 4}\n");
        assert_eq!(slips(&text), one(3, 1, "\u{3000}\u{3000}", "  ", None));
    }

    #[test]
    fn chinese_text_is_left_alone() {
        for text in [
            "reason: 抽查 10 户，1 户缺检测报告\n",
            "summary: 总体：良好，“两不愁”落实（见附件）\n",
            "note: |\n  \u{3000}\u{3000}台账齐全：是。\n",
            "a: {reason: 抽查，缺报告, points: 2}\n",
            "actions: [\"通报，批评\"]\n",
        ] {
            assert_eq!(slips(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_slip_that_does_not_explain_the_error_is_not_blamed() {
        // The tab is the error; the comma above it is text.
        assert_eq!(slips("a: 抽查，缺\nb:\n\t- x\n"), vec![]);
    }

    #[test]
    fn values_as_meant() {
        let m = number("５０").unwrap();
        assert_eq!(
            (
                m.index,
                m.found.as_str(),
                m.meant.as_str(),
                m.value.as_str()
            ),
            (0, "５０", "50", "50")
        );
        let m = number("4.5，").unwrap();
        assert_eq!(
            (
                m.index,
                m.found.as_str(),
                m.meant.as_str(),
                m.value.as_str()
            ),
            (3, "，", "", "4.5")
        );
        let m = number("“5”").unwrap();
        assert_eq!(
            (m.index, m.found.as_str(), m.value.as_str()),
            (0, "“”", "5")
        );
        let m = number("２０２０－03－02").unwrap();
        assert_eq!(m.value, "2020-03-02");
        assert_eq!(number("4.5"), None);
        assert_eq!(number("四"), None);
        let w = quoted_word("“final”").unwrap();
        assert_eq!(
            (w.value.as_str(), w.written.as_str()),
            ("final", "\"final\"")
        );
        assert_eq!(quoted_word("final"), None);
        let c = colon_in_word("score：5").unwrap();
        assert_eq!((c.index, c.written.as_str()), (5, "score: 5"));
        assert_eq!(colon_in_word("总体：良好"), None);
        assert_eq!(
            fixed_line("  \"2\": {score: ５}\n", 1, 15, 16, "5").as_deref(),
            Some("\"2\": {score: 5}")
        );
    }
}
