//! Diagnostics, the files they point into, and their output formats. A diagnostic carries a
//! message that knows its rule and puts itself in words: this module knows no particular rule.

use std::any::Any;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

use crate::lang::Lang;
pub use crate::source::{FileId, Files, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
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

/// A rule: its stable code and name, its severity and its documentation in both languages.
/// Each is declared once, as a `static`, beside the code that raises it.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    /// Kebab-case, as `ducha explain` also takes it.
    pub name: &'static str,
    pub severity: Severity,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// What it checks, why, and an example.
    pub doc_en: &'static str,
    pub doc_zh: &'static str,
}

impl Rule {
    /// Its title in `lang`.
    pub fn title(&self, lang: Lang) -> &'static str {
        lang.pick(self.title_zh, self.title_en)
    }

    /// Its documentation in `lang`: what it checks, why, and an example.
    pub fn doc(&self, lang: Lang) -> &'static str {
        lang.pick(self.doc_zh, self.doc_en)
    }
}

/// What a diagnostic says: a value that knows its rule and puts itself in words. Each rule
/// declares its message type beside it.
pub trait Message: fmt::Debug + Send + Sync + Any + SameMessage {
    fn rule(&self) -> &'static Rule;

    /// The one-line message: what is wrong and what to do.
    fn text(&self, lang: Lang) -> String;

    /// A few words under the offending value in the code frame, if any.
    fn label(&self, _lang: Lang) -> String {
        String::new()
    }
}

/// Declares the message type of a rule that says one thing: a struct of the values the texts
/// name in braces (as `format!` does), or a unit struct, with its text in Chinese, then in
/// English. Messages with several forms or a label implement `Message` themselves.
macro_rules! message {
    (
        $(#[$attr:meta])*
        $name:ident { $($(#[$field_attr:meta])* $field:ident: $type:ty),* $(,)? } for $rule:ident,
        $zh:literal,
        $en:literal $(,)?
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type),*
        }

        impl $crate::diag::Message for $name {
            fn rule(&self) -> &'static $crate::diag::Rule {
                &$rule
            }

            fn text(&self, lang: $crate::lang::Lang) -> String {
                let Self { $($field),* } = self;
                lang.pick(format!($zh), format!($en))
            }
        }
    };
    ($(#[$attr:meta])* $name:ident for $rule:ident, $zh:literal, $en:literal $(,)?) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name;

        impl $crate::diag::Message for $name {
            fn rule(&self) -> &'static $crate::diag::Rule {
                &$rule
            }

            fn text(&self, lang: $crate::lang::Lang) -> String {
                lang.pick($zh, $en).to_string()
            }
        }
    };
}

pub(crate) use message;

/// Equality between messages of any type, so that a diagnostic found twice is reported once:
/// implemented for every message type that has `PartialEq`.
pub trait SameMessage {
    fn same(&self, other: &dyn Message) -> bool;
}

impl<T: Message + PartialEq> SameMessage for T {
    fn same(&self, other: &dyn Message) -> bool {
        (other as &dyn Any).downcast_ref::<T>() == Some(self)
    }
}

impl PartialEq for dyn Message {
    fn eq(&self, other: &Self) -> bool {
        self.same(other)
    }
}

/// A path as one word for a POSIX shell, quoted only when it needs to be: for the commands
/// that messages give.
pub fn shell_word(path: &str) -> String {
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

/// Text from the content made safe for a terminal: control characters (escape sequences, bell,
/// carriage return) and bidirectional overrides are shown as escapes instead of acting.
/// Line breaks stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(acts) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if acts(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if acts(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub msg: Arc<dyn Message>,
    pub span: Span,
}

impl Diagnostic {
    pub fn new(msg: impl Message, span: Span) -> Diagnostic {
        Diagnostic {
            msg: Arc::new(msg),
            span,
        }
    }

    pub fn rule(&self) -> &'static Rule {
        self.msg.rule()
    }
}

/// Diagnostics ready to print: sorted, with their final severity.
pub struct Report<'a> {
    pub files: &'a Files,
    pub lang: Lang,
    pub items: Vec<(Severity, &'a Diagnostic)>,
}

impl<'a> Report<'a> {
    pub fn new(files: &'a Files, lang: Lang, diags: &'a [Diagnostic], strict: bool) -> Self {
        let mut items: Vec<(Severity, &Diagnostic)> = diags
            .iter()
            .map(|d| {
                let severity = match d.rule().severity {
                    Severity::Warning if strict => Severity::Error,
                    s => s,
                };
                (severity, d)
            })
            .collect();
        items.sort_by(|(_, a), (_, b)| {
            (
                files.path(a.span.file),
                a.span.line,
                a.span.col,
                a.rule().code,
            )
                .cmp(&(
                    files.path(b.span.file),
                    b.span.line,
                    b.span.col,
                    b.rule().code,
                ))
        });
        items.dedup_by(|(_, a), (_, b)| a.span == b.span && *a.msg == *b.msg);
        Report { files, lang, items }
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|(s, _)| *s == severity).count()
    }
}

/// One diagnostic as a person reads it, with its final severity and message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Report<'_> {
    pub fn findings(&self) -> Vec<Finding> {
        self.items
            .iter()
            .map(|(severity, d)| Finding {
                severity: *severity,
                code: d.rule().code,
                file: self.files.path(d.span.file).to_string(),
                line: d.span.line,
                column: d.span.col,
                message: d.msg.text(self.lang),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human { color: bool },
    Json,
    Github,
    Gitlab,
    Sarif,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Human { color } => human(report, color),
        Format::Json => json(report),
        Format::Github => github(report),
        Format::Gitlab => gitlab(report),
        Format::Sarif => sarif(report),
    }
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, style: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn human(report: &Report, color: bool) -> String {
    let paint = Paint { on: color };
    let mut sources: HashMap<FileId, Option<String>> = HashMap::new();
    let mut out = String::new();
    for (severity, d) in &report.items {
        let (word, style) = match severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let head = format!("{word}[{}]", d.rule().code);
        let _ = writeln!(
            out,
            "{}{}",
            paint.wrap(style, &head),
            paint.wrap(
                "1",
                &format!(
                    ": {}",
                    printable(&d.msg.text(report.lang)).replace('\n', " ")
                )
            )
        );
        let path = printable(report.files.path(d.span.file));
        let text = sources
            .entry(d.span.file)
            .or_insert_with(|| report.files.text(d.span.file));
        let line_text = text
            .as_deref()
            .and_then(|t| crate::source::lines(t).nth((d.span.line as usize).saturating_sub(1)))
            .map(|l| l.trim_start_matches('\u{feff}'));
        let number = d.span.line.to_string();
        let pad = " ".repeat(number.len());
        let bar = paint.wrap("1;34", "|");
        let _ = writeln!(
            out,
            "{pad}{} {path}:{}:{}",
            paint.wrap("1;34", "-->"),
            d.span.line,
            d.span.col
        );
        if let Some(line_text) = line_text {
            let (shown, col) = window(line_text, d.span.col as usize);
            let before: usize = shown
                .chars()
                .take(col - 1)
                .map(|c| c.width().unwrap_or(0))
                .sum();
            let under: usize = shown
                .chars()
                .skip(col - 1)
                .take(d.span.len.max(1) as usize)
                .map(|c| c.width().unwrap_or(0))
                .sum::<usize>()
                .max(1);
            let label = printable(&d.msg.label(report.lang)).into_owned();
            let _ = writeln!(out, "{pad} {bar}");
            let _ = writeln!(out, "{} {bar} {shown}", paint.wrap("1;34", &number));
            let carets = paint.wrap(
                style,
                &format!("{}{}", "^".repeat(under), label_sep(&label)),
            );
            let _ = writeln!(out, "{pad} {bar} {}{carets}", " ".repeat(before));
        }
        out.push('\n');
    }
    let summary = summary(report.lang, report.errors(), report.warnings());
    let style = if report.errors() > 0 { "1;31" } else { "1;32" };
    let _ = writeln!(out, "{}", paint.wrap(style, &summary));
    out
}

/// The last line of a check: how many errors and warnings it found.
fn summary(lang: Lang, errors: usize, warnings: usize) -> String {
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

/// The part of a long line around column `col` (from 1), tabs shown as spaces, and the
/// column within it.
fn window(line: &str, col: usize) -> (String, usize) {
    const BEFORE: usize = 40;
    const WIDTH: usize = 100;
    let chars: Vec<char> = line
        .chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c == '\t' || c.is_control() || bidi {
                ' '
            } else {
                c
            }
        })
        .collect();
    if chars.len() <= WIDTH {
        return (chars.into_iter().collect(), col.max(1));
    }
    // A column past the end of the line shows the line's end.
    let start = col.saturating_sub(BEFORE + 1).min(chars.len());
    let end = (start + WIDTH).min(chars.len());
    let mut shown = String::new();
    let mut offset = 0;
    if start > 0 {
        shown.push('…');
        offset = 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, col.max(1) - start + offset)
}

fn label_sep(label: &str) -> String {
    if label.is_empty() {
        String::new()
    } else {
        format!(" {label}")
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: String,
    file: &'a str,
    line: u32,
    column: u32,
}

fn json(report: &Report) -> String {
    let out = JsonReport {
        diagnostics: report
            .items
            .iter()
            .map(|(severity, d)| JsonDiagnostic {
                code: d.rule().code,
                severity: severity.as_str(),
                message: d.msg.text(report.lang),
                file: report.files.path(d.span.file),
                line: d.span.line,
                column: d.span.col,
            })
            .collect(),
        errors: report.errors(),
        warnings: report.warnings(),
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

fn github(report: &Report) -> String {
    let mut out = String::new();
    for (severity, d) in &report.items {
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            severity.as_str(),
            escape_property(&printable(report.files.path(d.span.file))),
            d.span.line,
            d.span.col,
            d.rule().code,
            escape_data(&printable(&d.msg.text(report.lang))),
        );
    }
    out
}

/// One finding as GitLab's Code Quality report has it.
#[derive(Serialize)]
struct GitlabIssue<'a> {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: GitlabLocation<'a>,
}

#[derive(Serialize)]
struct GitlabLocation<'a> {
    path: &'a str,
    lines: GitlabLines,
}

#[derive(Serialize)]
struct GitlabLines {
    begin: u32,
}

/// A GitLab Code Quality report: a JSON list that merge requests show beside the changed lines.
/// Errors are `major`, warnings `minor`; each fingerprint is the same for the same finding in
/// every run, so that GitLab tells new findings from old ones.
fn gitlab(report: &Report) -> String {
    let issues: Vec<GitlabIssue> = report
        .items
        .iter()
        .map(|(severity, d)| {
            let path = report.files.path(d.span.file);
            let description = format!("{} {}", d.rule().code, d.msg.text(report.lang));
            GitlabIssue {
                fingerprint: fingerprint(&[
                    d.rule().code,
                    path,
                    &d.span.line.to_string(),
                    &d.span.col.to_string(),
                    &description,
                ]),
                description,
                check_name: d.rule().name,
                severity: match severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: GitlabLocation {
                    path,
                    lines: GitlabLines { begin: d.span.line },
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

/// A SARIF 2.1.0 log: one run of ducha, one rule for each code found (with its title and its
/// documentation as help, in the report's language), and each finding with its place (columns
/// count characters, as SARIF's `unicodeCodePoints` does).
fn sarif(report: &Report) -> String {
    use serde_json::json;
    let mut rules: Vec<&Rule> = Vec::new();
    for (_, d) in &report.items {
        if !rules.iter().any(|r| r.code == d.rule().code) {
            rules.push(d.rule());
        }
    }
    rules.sort_by_key(|r| r.code);
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let results: Vec<serde_json::Value> = report
        .items
        .iter()
        .map(|(severity, d)| {
            let path = report.files.path(d.span.file);
            let message = d.msg.text(report.lang);
            let mut region = json!({
                "startLine": d.span.line.max(1),
                "startColumn": d.span.col.max(1),
            });
            if d.span.len > 0 {
                region["endColumn"] = json!(d.span.col.max(1) + d.span.len);
            }
            json!({
                "ruleId": d.rule().code,
                "ruleIndex": rules.iter().position(|r| r.code == d.rule().code),
                "level": level(*severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": crate::markdown::encode_path(path)},
                        "region": region,
                    }
                }],
                "partialFingerprints": {
                    "ducha/v1": fingerprint(&[d.rule().code, path, &message]),
                },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ducha",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": {"text": r.title(report.lang)},
                    "fullDescription": {"text": r.doc(report.lang)},
                    "help": {"text": r.doc(report.lang)},
                    "defaultConfiguration": {"level": level(r.severity)},
                })).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A stable digest of `parts` (FNV-1a, 128 bits as two 64-bit halves), in hex.
fn fingerprint(parts: &[&str]) -> String {
    let digest = |seed: u64| {
        let mut hash = seed;
        for part in parts {
            for byte in part.bytes().chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        hash
    };
    format!(
        "{:016x}{:016x}",
        digest(0xcbf2_9ce4_8422_2325),
        digest(0x6c62_272e_07bb_0142)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(400);
        let (shown, col) = window(&line, 250);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(col - 1), Some('x'));
        assert_eq!(col, 42);
        assert_eq!(window("a\tb", 3), ("a b".to_string(), 3));
        let (shown, _) = window(&line, 1000);
        assert_eq!(shown, "…");
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        assert_eq!(printable("仙塘镇"), "仙塘镇");
        assert_eq!(printable("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
        assert_eq!(printable("x\r\ny\u{202e}z"), "x\\x0d\ny\\u{202e}z");
        assert_eq!(window("a\x1b[31mb", 1).0, "a [31mb");
    }

    #[test]
    fn github_escapes_what_the_workflow_syntax_reserves() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
