//! What a YAML syntax error means to the person who typed it, and the character at fault.
//!
//! The parser reports where it gave up, which is often the line after the mistake; each kind of
//! error is taken back to the character that caused it (the tab, the quote never closed, the
//! colon without a space), and told in the campaign's language rather than the parser's.

use super::yaml::Mark;
use crate::diag::{Message, Rule, Severity};
use crate::lang::Lang;

/// A YAML syntax error, by what the person should do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Syntax {
    /// A tab in indentation, or after a colon.
    Tab,
    /// `key:value`: a colon needs a space after it.
    ColonSpace,
    /// A line that is neither `key: value` nor `- item`.
    MissingColon,
    /// `-item`: a dash needs a space after it.
    DashSpace,
    /// `key: a: b`: a value with `: ` in it.
    ColonInValue,
    /// A line that does not line up with its level.
    Indentation,
    UnclosedQuote {
        quote: char,
    },
    /// Text after a closing quote.
    AfterQuote,
    /// A `[` or `{` never closed.
    Unclosed {
        bracket: char,
    },
    /// Two entries inside brackets without a comma between them.
    MissingComma,
    /// A closing bracket that closes nothing.
    ExtraBracket {
        bracket: char,
    },
    /// A backslash inside double quotes that is no escape.
    Escape,
    /// A value that starts with `@` or a backquote.
    Reserved {
        found: char,
    },
    /// Nothing where a value is expected, as in `[a, , b]`.
    MissingValue,
    /// `&` or `*` without a name.
    AnchorName,
    /// A byte order mark inside the text.
    Bom,
    ControlCharacter,
    /// A `|` or `>` text whose lines are wrongly indented.
    BlockScalar,
    /// Anything else, with the parser's own words (shown in English only).
    Other {
        info: String,
    },
}

pub static YAML_SYNTAX: Rule = Rule {
    code: "E0102",
    name: "yaml-syntax",
    severity: Severity::Error,
    title_zh: "YAML 语法错误",
    title_en: "YAML syntax error",
    doc_en: "What it checks: the file is one well-formed YAML document.
Why: a file that does not parse cannot be checked at all.
The diagnostic points at the character at fault, which is often on a line above the one where
the parser gave up: the tab, the quote or bracket never closed, the colon without a space, the
line without a colon, the line out of line.
Example: a missing space after a colon, a tab used for indenting, an unclosed quote or bracket:
    score:4        # write `score: 4`
    towns: [a, b   # the `[` is never closed",
    doc_zh: "检查内容：文件是一份格式正确的 YAML 文档。
原因：读不通的文件，根本无从检查。
提示信息指向出错的那个字符，它常常在解析中断处的上面几行：那个 Tab、没有配对的引号或括号、
后面缺空格的冒号、缺冒号的行、没有对齐的行。
示例：冒号后缺空格、用 Tab 缩进、引号或括号没有配对：
    score:4        # 应写作 `score: 4`
    towns: [a, b   # `[` 没有配对的 `]`",
};

/// The rules declared in this file.
pub static RULES: &[&Rule] = &[&YAML_SYNTAX];

/// A file that is not one YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlSyntax {
    Syntax(Syntax),
    MultipleDocuments,
    UnknownAnchor,
}

impl Message for YamlSyntax {
    fn rule(&self) -> &'static Rule {
        &YAML_SYNTAX
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            YamlSyntax::Syntax(syntax) => syntax.text(lang),
            YamlSyntax::MultipleDocuments => lang.pick(
                "一个文件只能有一个 YAML 文档：请删除 `---` 及其后的第二个文档".into(),
                "a file holds one YAML document: remove the `---` and the second document".into(),
            ),
            YamlSyntax::UnknownAnchor => lang.pick(
                "别名引用了未定义的锚点：请先用 &名称 定义，或直接写出该值".into(),
                "alias to an undefined anchor: define it with &name first, or write the value out"
                    .into(),
            ),
        }
    }
}

impl Syntax {
    /// What the error means and what to do, without the parser's English.
    fn text(&self, lang: Lang) -> String {
        let pick = |zh: &str, en: &str| lang.pick(zh, en).to_string();
        match self {
            Syntax::Tab => pick(
                "这里有一个 Tab：YAML 的缩进和冒号后的间隔只能用空格，请改为空格",
                "a tab: YAML indents and separates with spaces only; use spaces",
            ),
            Syntax::ColonSpace => pick(
                "冒号「:」后要有一个空格：写成「键: 值」",
                "a colon needs a space after it: write `key: value`",
            ),
            Syntax::MissingColon => pick(
                "这一行缺少冒号：应写成「键: 值」",
                "this line has no colon: write `key: value`",
            ),
            Syntax::DashSpace => pick(
                "列表项的「-」后要有一个空格：写成「- 值」",
                "a list item's `-` needs a space after it: write `- value`",
            ),
            Syntax::ColonInValue => pick(
                "值中含有「: 」：请给整个值加引号（\"…\"），或去掉冒号后的空格",
                "the value holds `: `: put the whole value in quotes, or drop the space after the colon",
            ),
            Syntax::Indentation => pick(
                "缩进不对：这一行没有与同一层的键（或列表项）对齐",
                "wrong indentation: this line does not line up with the keys (or list items) of its level",
            ),
            Syntax::UnclosedQuote { quote } => lang.pick(
                format!("引号「{quote}」没有闭合：请在值的末尾补上「{quote}」"),
                format!("this quote `{quote}` is never closed: close it at the end of the value"),
            ),
            Syntax::AfterQuote => pick(
                "引号之后还有内容：请把整个值放进引号内；若这是键，后面要写冒号",
                "text after the closing quote: put the whole value inside the quotes; if this is a key, add its colon",
            ),
            Syntax::Unclosed { bracket } => {
                let close = if *bracket == '{' { '}' } else { ']' };
                lang.pick(
                    format!("「{bracket}」没有对应的「{close}」：请补上"),
                    format!("this `{bracket}` is never closed: add the `{close}`"),
                )
            }
            Syntax::MissingComma => pick(
                "前面缺少半角逗号「,」：括号内的各项要用逗号分隔",
                "a comma is missing before this: separate the entries inside brackets with `,`",
            ),
            Syntax::ExtraBracket { bracket } => lang.pick(
                format!("多余的「{bracket}」：前面没有与它对应的开括号，请删除"),
                format!("this `{bracket}` closes nothing: remove it"),
            ),
            Syntax::Escape => pick(
                "双引号内的反斜杠「\\」是转义符：路径请用正斜杠「/」，或改用单引号",
                "a backslash inside double quotes starts an escape: write paths with `/`, or use single quotes",
            ),
            Syntax::Reserved { found } => lang.pick(
                format!("值不能以「{found}」开头：请给整个值加引号"),
                format!("a value cannot start with `{found}`: put it in quotes"),
            ),
            Syntax::MissingValue => pick(
                "这里缺少一个值：请补上；含逗号的值要加引号",
                "a value is missing here: fill it in, and quote a value that holds a comma",
            ),
            Syntax::AnchorName => pick(
                "「&」「*」是锚点和别名的记号，后面要有名称：以它们开头的文字请加引号",
                "`&` and `*` mark anchors and aliases and need a name: quote text that starts with them",
            ),
            Syntax::Bom => pick(
                "文件中间有一个看不见的 BOM 字符（U+FEFF）：请删除",
                "an invisible byte order mark (U+FEFF) inside the file: delete it",
            ),
            Syntax::ControlCharacter => pick(
                "这里有一个看不见的控制字符：请删除",
                "an invisible control character: delete it",
            ),
            Syntax::BlockScalar => pick(
                "「|」或「>」下的多行文字缩进不对：每一行都要比它的键多缩进，且只用空格",
                "the lines of a `|` or `>` text are wrongly indented: indent each more than its key, with spaces",
            ),
            Syntax::Other { info } => lang.pick(
                "YAML 语法错误：请检查这一处的冒号、缩进、引号和括号".into(),
                format!("YAML syntax error ({info}): check the colons, indentation, quotes and brackets here"),
            ),
        }
    }
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    vec![
        Box::new(YamlSyntax::Syntax(Syntax::Tab)),
        Box::new(YamlSyntax::MultipleDocuments),
    ]
}

/// The meaning of the parser's error `info` at `at`, and the place of the character at fault
/// (in the parsed text). `open` is the innermost bracket still open.
pub fn explain(text: &str, at: Mark, info: &str, open: Option<Mark>) -> (Syntax, Mark) {
    let lines = Lines::new(text);
    let here = |syntax| (syntax, at);
    if info.contains("':' must be followed by a valid YAML whitespace") {
        let colon = lines.find_back(at, ':').unwrap_or(at);
        let after = Mark {
            col: colon.col + 1,
            ..colon
        };
        return if lines.char_at(after) == Some('\t') {
            (Syntax::Tab, after)
        } else {
            (Syntax::ColonSpace, colon)
        };
    }
    if info.contains("tab") {
        return (Syntax::Tab, lines.tab_from(at).unwrap_or(at));
    }
    if info.contains("simple key expect") || info.contains("could not find expected ':'") {
        return lines.without_colon(at.line);
    }
    if info.contains("mapping values are not allowed") {
        return lines.misplaced_colon(at);
    }
    if info.contains("did not find expected key")
        || info.contains("did not find expected '-' indicator")
        || info.contains("invalid indentation for anchor")
        || info == "invalid indentation"
    {
        return lines.indentation(at.line, at);
    }
    if info.contains("quoted scalar, found unexpected")
        || info.contains("invalid indentation in quoted scalar")
    {
        let quote = lines
            .find_back(at, '"')
            .into_iter()
            .chain(lines.find_back(at, '\''))
            .max();
        let quote = match lines.char_at(at) {
            Some(q @ ('"' | '\'')) => Some((q, at)),
            _ => quote.and_then(|m| Some((lines.char_at(m)?, m))),
        };
        return match quote {
            Some((quote, m)) => (Syntax::UnclosedQuote { quote }, m),
            None => here(Syntax::UnclosedQuote { quote: '"' }),
        };
    }
    if info.contains("trailing content after double-quoted scalar") {
        return here(Syntax::AfterQuote);
    }
    if info.contains("while parsing a flow sequence")
        || info.contains("while parsing a flow mapping")
        || info.contains("illegal placement of ':'")
    {
        return match open {
            Some(open) if open.line < at.line => {
                let bracket = lines.char_at(open).unwrap_or('[');
                (Syntax::Unclosed { bracket }, open)
            }
            _ => (Syntax::MissingComma, lines.token_before(at)),
        };
    }
    if info.contains("misplaced bracket") {
        let bracket = lines.char_at(at).unwrap_or(']');
        return here(Syntax::ExtraBracket { bracket });
    }
    if info.contains("escape") || info.contains("hexadecimal number") {
        let numeric = !info.contains("unknown escape");
        return (
            Syntax::Escape,
            lines.backslash_from(at, numeric).unwrap_or(at),
        );
    }
    if info.starts_with("unexpected character") {
        let found = lines.char_at(at).unwrap_or('@');
        return here(Syntax::Reserved { found });
    }
    if info.contains("did not find expected node content") {
        return here(Syntax::MissingValue);
    }
    if info.contains("anchor or alias") {
        return here(Syntax::AnchorName);
    }
    if info.contains("byte order mark") {
        return here(Syntax::Bom);
    }
    if info.contains("unprintable character") {
        return here(Syntax::ControlCharacter);
    }
    if info.contains("block scalar") {
        return match lines.tab_from(at) {
            Some(tab) if tab.line <= at.line + 1 => (Syntax::Tab, tab),
            _ => here(Syntax::BlockScalar),
        };
    }
    here(Syntax::Other {
        info: info.to_string(),
    })
}

/// The lines of the parsed text, as characters.
struct Lines<'t> {
    lines: Vec<&'t str>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            lines: crate::source::lines(text).collect(),
        }
    }

    fn line(&self, line: usize) -> &'t str {
        line.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or("")
    }

    fn char_at(&self, at: Mark) -> Option<char> {
        self.line(at.line).chars().nth(at.col)
    }

    /// The first character that is not white space (where the line's content starts).
    fn start(&self, line: usize) -> Option<Mark> {
        let col = self
            .line(line)
            .chars()
            .position(|c| !matches!(c, ' ' | '\t'))?;
        Some(Mark { line, col })
    }

    /// The nearest line above `line` with content: not blank, not only a comment.
    fn content_above(&self, line: usize) -> Option<usize> {
        (1..line).rev().find(|&l| {
            let text = self.line(l).trim_start_matches([' ', '\t']);
            !text.is_empty() && !text.starts_with('#')
        })
    }

    /// `wanted` at or before `at` on its line.
    fn find_back(&self, at: Mark, wanted: char) -> Option<Mark> {
        let chars: Vec<char> = self.line(at.line).chars().collect();
        let end = at.col.min(chars.len().saturating_sub(1));
        (0..=end)
            .rev()
            .find(|&c| chars.get(c) == Some(&wanted))
            .map(|col| Mark { line: at.line, col })
    }

    /// The first tab in the leading white space of the line of `at` or a later one, or else
    /// any tab on the line of `at`.
    fn tab_from(&self, at: Mark) -> Option<Mark> {
        for line in at.line..=self.lines.len() {
            let col = self
                .line(line)
                .chars()
                .take_while(|c| c.is_whitespace())
                .position(|c| c == '\t');
            if let Some(col) = col {
                return Some(Mark { line, col });
            }
        }
        let col = self.line(at.line).chars().position(|c| c == '\t')?;
        Some(Mark { line: at.line, col })
    }

    /// The first backslash at or after `at` on its line that starts an escape YAML does not
    /// know, or (`numeric`) a character code (`\x`, `\u`, `\U`); else the first backslash.
    fn backslash_from(&self, at: Mark, numeric: bool) -> Option<Mark> {
        let chars: Vec<char> = self.line(at.line).chars().collect();
        let mut slashes = Vec::new();
        let mut c = at.col;
        while c < chars.len() {
            if chars[c] == '\\' {
                slashes.push(c);
                // The character after a backslash starts no escape of its own.
                c += 1;
            }
            c += 1;
        }
        let fault = |c: Option<&char>| match c {
            Some(c) if numeric => "xuU".contains(*c),
            Some(c) => !"0abt\tnvfre \"/\\N_LPxuU".contains(*c),
            None => true,
        };
        let col = slashes
            .iter()
            .find(|&&c| fault(chars.get(c + 1)))
            .or(slashes.first())?;
        Some(Mark {
            line: at.line,
            col: *col,
        })
    }

    /// The start of the word just before `at` (for a comma missing in front of it).
    fn token_before(&self, at: Mark) -> Mark {
        let chars: Vec<char> = self.line(at.line).chars().collect();
        let mut col = at.col.min(chars.len());
        if chars.get(col) == Some(&':') {
            while col > 0 && chars[col - 1] == ' ' {
                col -= 1;
            }
            while col > 0 && !matches!(chars[col - 1], ' ' | ',' | '[' | '{') {
                col -= 1;
            }
        }
        Mark { col, ..at }
    }

    /// The parser expected `key: value` and the line above `line` was neither.
    fn without_colon(&self, line: usize) -> (Syntax, Mark) {
        let fault = self
            .content_above(line)
            .or(Some(line).filter(|&l| l <= self.lines.len()));
        let Some(start) = fault.and_then(|l| self.start(l)) else {
            return (Syntax::MissingColon, Mark { line, col: 0 });
        };
        let text: Vec<char> = self.line(start.line).chars().skip(start.col).collect();
        if text.first() == Some(&'-') && text.get(1).is_some_and(|c| !c.is_whitespace()) {
            return (Syntax::DashSpace, start);
        }
        match tight_colon(&text) {
            Some(col) => (
                Syntax::ColonSpace,
                Mark {
                    col: start.col + col,
                    ..start
                },
            ),
            None => (Syntax::MissingColon, start),
        }
    }

    /// A colon where the parser was in the middle of a value.
    fn misplaced_colon(&self, at: Mark) -> (Syntax, Mark) {
        let before: String = self.line(at.line).chars().take(at.col).collect();
        if key_colon(&before).is_some() {
            return (Syntax::ColonInValue, at);
        }
        // The value began on a line above, which ran on into this one.
        let Some(above) = self.content_above(at.line) else {
            return (Syntax::ColonInValue, at);
        };
        let text = self.line(above);
        let body = text.trim_start_matches([' ', '\t']);
        if key_colon(text).is_none() && !body.starts_with("- ") {
            let chars: Vec<char> = text.chars().collect();
            if let Some(col) = tight_colon(&chars) {
                return (Syntax::ColonSpace, Mark { line: above, col });
            }
            if !body.contains(':') {
                return self.without_colon(above + 1);
            }
        }
        self.indentation(at.line, at)
    }

    /// The line at fault is `line`, wrongly indented (or indented with a tab).
    fn indentation(&self, line: usize, at: Mark) -> (Syntax, Mark) {
        let lead: Vec<char> = self
            .line(line)
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        if let Some(col) = lead.iter().position(|c| *c == '\t') {
            return (Syntax::Tab, Mark { line, col });
        }
        (Syntax::Indentation, self.start(line).unwrap_or(at))
    }
}

/// The first colon with no space after it (`key:value`), not one of an address (`http://`).
fn tight_colon(chars: &[char]) -> Option<usize> {
    (0..chars.len()).find(|&c| {
        chars[c] == ':'
            && chars
                .get(c + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != '/')
    })
}

/// Where `key: ` ends a key in `text` (a colon then a space or the end), outside quotes.
fn key_colon(text: &str) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut quote = None;
    for (i, c) in chars.iter().enumerate() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(*c),
            (Some(q), c) if q == *c => quote = None,
            (None, '#') if i == 0 || chars[i - 1] == ' ' => return None,
            (None, ':') if chars.get(i + 1).is_none_or(|n| *n == ' ' || *n == '\t') => {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{self, ParseError};

    /// What a text's first syntax error means, and where (line and column from 1).
    fn explained(text: &str) -> (Syntax, usize, usize) {
        match yaml::parse(crate::diag::FileId(0), text) {
            Err(ParseError::Syntax { at, info, open }) => {
                let (syntax, m) = explain(text, at, &info, open);
                (syntax, m.line, m.col + 1)
            }
            other => panic!("{text:?} gives no syntax error: {other:?}"),
        }
    }

    /// The common mistakes, each with the parser's words and the character it comes to.
    #[test]
    fn common_errors_point_at_the_character_at_fault() {
        use Syntax::*;
        let table: &[(&str, Syntax, usize, usize)] = &[
            // "tabs disallowed within this context (block indentation)"
            ("a:\n\t- x\n", Tab, 2, 1),
            // "while scanning a plain scalar, found a tab"
            ("a:\n  b: 1\n\tc: 2\n", Tab, 3, 1),
            // "a block scalar content cannot start with a tab"
            ("a: |\n\tx\n", Tab, 2, 1),
            // "':' must be followed by a valid YAML whitespace"
            ("a:\tb\n", Tab, 1, 3),
            // "mapping values are not allowed in this context", a colon without its space
            ("a:b\nc: 1\n", ColonSpace, 1, 2),
            ("score:4\nnote: x\n", ColonSpace, 1, 6),
            // "simple key expect ':'" after `key:value` between keys
            ("a: 1\ngroup:g1\nb: 2\n", ColonSpace, 2, 6),
            // the same, a second `: ` in a value
            ("a: b: c\n", ColonInValue, 1, 5),
            // the same, a line indented under a plain value
            ("a: 1\n  b: 2\n", Indentation, 2, 3),
            // the same, a line without a colon above a key
            ("a:\n  b 1\n  c: 2\n", MissingColon, 2, 3),
            // "simple key expect ':'"
            ("a: 1\nsummary 一般\nb: 2\n", MissingColon, 2, 1),
            ("a: 1\n\n# note\nsummary\nb: 2\n", MissingColon, 4, 1),
            // "simple key expected", at the end of the text
            ("a: 1\nb", MissingColon, 2, 1),
            ("- a\n-b\n- c\n", DashSpace, 2, 1),
            // "while parsing a block mapping, did not find expected key"
            ("a:\n  b: 1\n c: 2\n", Indentation, 3, 2),
            ("a: 1\n- b\n", Indentation, 2, 1),
            // "while parsing a block collection, did not find expected '-' indicator"
            ("a:\n  - x\n  y: 1\n", Indentation, 3, 3),
            // "while scanning a quoted scalar, found unexpected end of stream"
            ("a: \"x\n", UnclosedQuote { quote: '"' }, 1, 4),
            ("a: 'x", UnclosedQuote { quote: '\'' }, 1, 4),
            // "invalid indentation in quoted scalar"
            ("a: \"abc\nb: 1\n", UnclosedQuote { quote: '"' }, 1, 4),
            // "invalid trailing content after double-quoted scalar"
            ("a: \"x\"y\n", AfterQuote, 1, 7),
            ("\"a\": 1\n\"b\" 2\n", AfterQuote, 2, 5),
            // "while parsing a flow sequence, expected ',' or ']'"
            ("a: [1, 2\nb: 3\n", Unclosed { bracket: '[' }, 1, 4),
            // "while parsing a flow mapping, did not find expected ',' or '}'"
            ("a: {x: 1\n", Unclosed { bracket: '{' }, 1, 4),
            ("a: {b: 1 c: 2}\n", MissingComma, 1, 10),
            // "misplaced bracket"
            ("a: [x]]\n", ExtraBracket { bracket: ']' }, 1, 7),
            ("a: x\n}\n", ExtraBracket { bracket: '}' }, 2, 1),
            // "while parsing a quoted scalar, found unknown escape character"
            ("a: \"C:\\temp\\q.jpg\"\n", Escape, 1, 12),
            // "... did not find expected hexadecimal number"
            ("a: \"\\u12\"\n", Escape, 1, 5),
            ("a: \"x\\\\y\\xiantang\"\n", Escape, 1, 9),
            ("a: \"x\\\\y\\q\"\n", Escape, 1, 9),
            // "unexpected character: `@'"
            ("a: @x\n", Reserved { found: '@' }, 1, 4),
            ("a: `x\n", Reserved { found: '`' }, 1, 4),
            // "while parsing a node, did not find expected node content"
            ("a: [a, ,]\n", MissingValue, 1, 8),
            // "while scanning an anchor or alias, did not find expected alphabetic ..."
            ("a: &\n", AnchorName, 1, 4),
        ];
        let wrong: Vec<String> = table
            .iter()
            .filter_map(|(text, syntax, line, col)| {
                let got = explained(text);
                let want = (syntax.clone(), *line, *col);
                (got != want).then(|| format!("{text:?}: got {got:?}, want {want:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn other_errors_keep_the_parser_s_words() {
        let (syntax, _, _) = explained("%YAML 1.2\n%YAML 1.2\n---\na: 1\n");
        assert!(matches!(syntax, Syntax::Other { info } if info.contains("version")));
    }
}
