//! A YAML document as a tree of nodes that remember where they stand in the file.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};

use crate::diag::{FileId, Span};

/// Nesting deeper than this is refused: no score sheet needs it, and it guards the stack.
pub const MAX_DEPTH: usize = 64;
/// Nodes a document may have once aliases are expanded (guards against alias bombs).
pub const MAX_NODES: usize = 1_000_000;

/// A node of a document; scalars borrow from the document's text where they can.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub kind: Kind<'a>,
    pub span: Span,
    /// A collection written in brackets (`[…]`, `{…}`) rather than by indentation.
    pub flow: bool,
}

#[derive(Debug, Clone)]
pub enum Kind<'a> {
    Scalar { text: Cow<'a, str>, plain: bool },
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

impl Node<'_> {
    /// A plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true }
            if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn kind_name(&self) -> NodeKind {
        match &self.kind {
            _ if self.is_null() => NodeKind::Null,
            Kind::Scalar { .. } => NodeKind::Scalar,
            Kind::Seq(_) => NodeKind::List,
            Kind::Map(_) => NodeKind::Map,
        }
    }

    fn size(&self) -> usize {
        match &self.kind {
            Kind::Scalar { .. } => 1,
            Kind::Seq(items) => 1 + items.iter().map(|n| n.size()).sum::<usize>(),
            Kind::Map(pairs) => {
                1 + pairs
                    .iter()
                    .map(|(k, v)| k.size() + v.size())
                    .sum::<usize>()
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Null,
    Scalar,
    List,
    Map,
}

/// A place in the parsed text: line from 1, column from 0, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub line: usize,
    pub col: usize,
}

/// Where the parsed text differs in length from the file: on `line`, the `removed`
/// characters at column `col` (from 0) were replaced by `inserted` ones. Positions in the
/// parsed text are given back in the file's own columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub line: usize,
    pub col: usize,
    pub removed: usize,
    pub inserted: usize,
}

/// The file's column (from 0) of a column of the parsed text, undoing `shifts` (in the
/// order they were made) from the last to the first.
pub fn file_col(shifts: &[Shift], line: usize, col: usize) -> usize {
    shifts
        .iter()
        .rev()
        .filter(|s| s.line == line)
        .fold(col, |col, s| {
            if col < s.col {
                col
            } else if col >= s.col + s.inserted {
                col + s.removed - s.inserted
            } else {
                s.col + (col - s.col).min(s.removed.saturating_sub(1))
            }
        })
}

/// The column of the parsed text (from 0) where the file's column `col` stands.
pub fn parsed_col(shifts: &[Shift], line: usize, col: usize) -> usize {
    let extra: usize = shifts
        .iter()
        .filter(|s| s.line == line)
        .map(|s| s.inserted)
        .sum();
    (0..=col + extra)
        .find(|&c| file_col(shifts, line, c) >= col)
        .unwrap_or(col)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// What the parser says, where (in the parsed text), and the innermost bracket still open.
    Syntax {
        at: Mark,
        info: String,
        open: Option<Mark>,
    },
    TooDeep {
        span: Span,
    },
    /// Aliases expand to more than `MAX_NODES` nodes.
    AliasBomb {
        span: Span,
    },
    /// The document itself has more than `MAX_NODES` nodes.
    TooLarge {
        span: Span,
    },
    Empty {
        span: Span,
    },
    MultipleDocuments {
        span: Span,
    },
    UnknownAnchor {
        span: Span,
    },
}

enum Open<'a> {
    Seq(Vec<Node<'a>>, Span, Option<usize>, bool),
    Map(
        Vec<(Node<'a>, Node<'a>)>,
        Option<Node<'a>>,
        Span,
        Option<usize>,
        bool,
    ),
}

/// Parses one YAML document into a located tree.
pub fn parse(file: FileId, text: &str) -> Result<Node<'_>, ParseError> {
    parse_shifted(file, text, &[])
}

/// Parses a text that differs from the file by `shifts`; the tree's positions are the file's.
pub fn parse_shifted<'t>(
    file: FileId,
    text: &'t str,
    shifts: &[Shift],
) -> Result<Node<'t>, ParseError> {
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut documents = 0;
    // The opening brackets of the flow collections still open.
    let mut open: Vec<Mark> = Vec::new();
    // The lines, split once and only when a node runs onto later lines.
    let lines = std::cell::OnceCell::new();
    let lines_of =
        || -> &[&str] { lines.get_or_init(|| crate::source::lines(text).collect::<Vec<_>>()) };
    let span_of = |s: &YamlSpan| span(file, lines_of, s, shifts);

    for event in Parser::new_from_str(text) {
        let (event, ys) = event.map_err(|e| {
            let at = Mark {
                line: e.marker().line().max(1),
                col: e.marker().col(),
            };
            let span = point(file, at.line, file_col(shifts, at.line, at.col));
            if e.info().contains("recursion limit") {
                ParseError::TooDeep { span }
            } else if e.info().contains("unknown anchor") {
                ParseError::UnknownAnchor { span }
            } else {
                ParseError::Syntax {
                    at,
                    info: e.info().to_string(),
                    open: open.last().copied(),
                }
            }
        })?;
        let here = span_of(&ys);
        // A flow collection's start is its bracket, one character long; a block one is empty.
        let flow = ys.end.index() > ys.start.index();
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) if flow => open.push(Mark {
                line: ys.start.line(),
                col: ys.start.col(),
            }),
            Event::SequenceEnd | Event::MappingEnd
                if matches!(
                    stack.last(),
                    Some(Open::Seq(.., true) | Open::Map(.., true))
                ) =>
            {
                open.pop();
            }
            _ => {}
        }
        let finished = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(ParseError::MultipleDocuments { span: here });
                }
                None
            }
            Event::Scalar(value, style, anchor, tag) => {
                // `!!str 2` and other tags make text of what would read as a number.
                let plain = style == ScalarStyle::Plain
                    && tag.as_ref().is_none_or(|t| {
                        t.is_yaml_core_schema()
                            && matches!(t.suffix.as_str(), "int" | "float" | "bool" | "null")
                    });
                let node = Node {
                    kind: Kind::Scalar { text: value, plain },
                    span: here,
                    flow: false,
                };
                Some((node, anchor))
            }
            Event::Alias(id) => {
                let node = anchors
                    .get(&id)
                    .ok_or(ParseError::UnknownAnchor { span: here })?;
                nodes += node.size();
                if nodes > MAX_NODES {
                    return Err(ParseError::AliasBomb { span: here });
                }
                let mut copy = node.clone();
                copy.span = here;
                Some((copy, 0))
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError::TooDeep { span: here });
                }
                stack.push(Open::Seq(Vec::new(), here, Some(anchor), flow));
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError::TooDeep { span: here });
                }
                stack.push(Open::Map(Vec::new(), None, here, Some(anchor), flow));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items, start, anchor, flow)) => Some((
                    Node {
                        kind: Kind::Seq(items),
                        span: start,
                        flow,
                    },
                    anchor.unwrap_or(0),
                )),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(pairs, _, start, anchor, flow)) => Some((
                    Node {
                        kind: Kind::Map(pairs),
                        span: start,
                        flow,
                    },
                    anchor.unwrap_or(0),
                )),
                _ => None,
            },
            _ => None,
        };
        let Some((node, anchor)) = finished else {
            continue;
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(ParseError::TooLarge { span: here });
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            Some(Open::Seq(items, ..)) => items.push(node),
            Some(Open::Map(pairs, key, ..)) => match key.take() {
                Some(k) => pairs.push((k, node)),
                None => *key = Some(node),
            },
            None => root = Some(node),
        }
    }
    match root {
        Some(node) if !node.is_null() => Ok(node),
        _ => Err(ParseError::Empty {
            span: point(file, 1, 0),
        }),
    }
}

fn point(file: FileId, line: usize, col: usize) -> Span {
    Span {
        file,
        line: line.max(1) as u32,
        col: col as u32 + 1,
        len: 1,
    }
}

fn span<'l>(
    file: FileId,
    lines: impl FnOnce() -> &'l [&'l str],
    s: &YamlSpan,
    shifts: &[Shift],
) -> Span {
    let line = s.start.line();
    let start = file_col(shifts, line, s.start.col());
    let mut out = point(file, line, start);
    let len = s.end.index().saturating_sub(s.start.index());
    if s.end.line() == line && len > 0 {
        out.len = (file_col(shifts, line, s.end.col()).saturating_sub(start)).max(1) as u32;
    } else if len > 0 {
        // Runs onto later lines: underline to the end of the first line.
        let end = lines()
            .get(out.line as usize - 1)
            .map_or(start + 1, |l| file_col(shifts, line, l.chars().count()));
        out.len = end.saturating_sub(start).max(1) as u32;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node<'_>, ParseError> {
        parse(FileId(0), text)
    }

    #[test]
    fn keeps_positions_of_values() {
        let node = p("a: 1\nb:\n  c: hello\n").unwrap();
        let Kind::Map(pairs) = &node.kind else {
            panic!("map expected")
        };
        let Kind::Map(inner) = &pairs[1].1.kind else {
            panic!("inner map expected")
        };
        let value = &inner[0].1;
        assert_eq!((value.span.line, value.span.col, value.span.len), (3, 6, 5));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let node = p("名称: 仙塘镇\n").unwrap();
        let Kind::Map(pairs) = &node.kind else {
            panic!("map expected")
        };
        assert_eq!((pairs[0].1.span.col, pairs[0].1.span.len), (5, 3));
    }

    #[test]
    fn a_value_on_several_lines_is_underlined_to_the_end_of_its_first() {
        for text in ["a: b\nc: \"xy\n  z\"\n", "a: b\rc: \"xy\r  z\"\r"] {
            let node = p(text).unwrap();
            let Kind::Map(pairs) = &node.kind else {
                panic!("map expected")
            };
            let span = pairs[1].1.span;
            assert_eq!((span.line, span.col, span.len), (2, 4, 3), "{text:?}");
        }
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            text.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(matches!(p(&text), Err(ParseError::AliasBomb { .. })));
        let plain = format!("[{}]", "1,".repeat(MAX_NODES + 1));
        assert!(matches!(p(&plain), Err(ParseError::TooLarge { .. })));
    }

    #[test]
    fn tagged_text_is_not_plain() {
        let node = p("a: !!str 2\nb: !!int 3\nc: 4\nd: ! 5\n").unwrap();
        let Kind::Map(pairs) = &node.kind else {
            panic!("map expected")
        };
        let plain: Vec<bool> = pairs
            .iter()
            .map(|(_, v)| matches!(v.kind, Kind::Scalar { plain, .. } if plain))
            .collect();
        assert_eq!(plain, [false, true, true, false]);
    }

    #[test]
    fn refuses_deep_nesting() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(matches!(p(&text), Err(ParseError::TooDeep { .. })));
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(p(&text), Err(ParseError::TooDeep { .. })));
        let text = format!("a:\n  {}x\n", "- ".repeat(5_000));
        assert!(p(&text).is_err());
    }

    #[test]
    fn empty_and_null_documents_are_empty() {
        assert!(matches!(p(""), Err(ParseError::Empty { .. })));
        assert!(matches!(
            p("# only a comment\n"),
            Err(ParseError::Empty { .. })
        ));
        assert!(matches!(p("~\n"), Err(ParseError::Empty { .. })));
    }

    #[test]
    fn second_document_is_refused() {
        assert!(matches!(
            p("a: 1\n---\nb: 2\n"),
            Err(ParseError::MultipleDocuments { .. })
        ));
    }
}
