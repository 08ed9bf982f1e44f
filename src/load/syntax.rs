//! What a YAML syntax error means to the person who typed it, and the character at fault.
//!
//! The parser reports where it gave up, which is often the line after the mistake; each kind of
//! error is taken back to the character that caused it (the tab, the quote never closed, the
//! colon without a space), and told in the campaign's language rather than the parser's.

use super::yaml::Mark;

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
