//! From located YAML trees to the typed model, reporting every malformed value on the way.

use jiff::civil::Date;

use super::rules::{
    BadChoice, BadDate, BadKey, BadNumber, BadSlug, DuplicateKey, EmptyValue, Expected, Found,
    MissingKey, UnknownKey, WrongType,
};
use super::slips::FullWidth;
use super::slips::{self, Meant};
use super::yaml::{self, Kind, Node, Shift};
use crate::diag::{Diagnostic, FileId, Message, Span};
use crate::model::*;

pub struct Decoder<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
    /// The text parsed (the file's, with its slips repaired), and how its columns differ
    /// from the file's: for the line as it should read when a value holds a slip.
    pub text: &'d str,
    pub shifts: &'d [Shift],
}

/// The keys of one mapping, each taken at most once; what is left over is unknown.
pub struct Fields<'n, 'a> {
    span: Span,
    entries: Vec<(&'n Node<'a>, &'n str, &'n Node<'a>, bool)>,
}

impl<'n, 'a> Fields<'n, 'a> {
    pub fn take(&mut self, key: &str) -> Option<&'n Node<'a>> {
        let entry = self.entries.iter_mut().find(|e| e.1 == key)?;
        entry.3 = true;
        Some(entry.2)
    }

    /// Where a key itself stands.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries.iter().find(|e| e.1 == key).map(|e| e.0.span)
    }

    pub fn require(&mut self, d: &mut Decoder, key: &'static str) -> Option<&'n Node<'a>> {
        let found = self.take(key);
        if found.is_none() {
            d.error(MissingKey { key }, self.span);
        }
        found
    }

    /// Reports the keys that were not taken as unknown.
    pub fn finish(self, d: &mut Decoder, allowed: &[&'static str]) {
        for (key, text, _, used) in self.entries {
            if !used {
                d.error(
                    UnknownKey {
                        key: text.to_string(),
                        suggestion: nearest(text, allowed),
                        allowed: allowed.to_vec(),
                    },
                    key.span,
                );
            }
        }
    }

    /// All pairs, for mappings whose keys are data (item ids, attribute names).
    pub fn pairs(&self) -> impl Iterator<Item = (Spanned<String>, &'n Node<'a>)> + '_ {
        self.entries
            .iter()
            .map(|(k, text, v, _)| (Spanned::new(text.to_string(), k.span), *v))
    }
}

/// The closest known key to a misspelt one, if it is close enough to be a typo.
fn nearest(key: &str, allowed: &[&'static str]) -> Option<&'static str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A plain scalar: no quotes, no escapes, so its characters are the file's.
fn plain(node: &Node) -> bool {
    matches!(node.kind, Kind::Scalar { plain: true, .. })
}

fn scalar<'n>(node: &'n Node) -> Option<(&'n str, bool)> {
    match &node.kind {
        Kind::Scalar { text, plain } if !node.is_null() => Some((text.as_ref(), *plain)),
        _ => None,
    }
}

impl<'d> Decoder<'d> {
    pub fn error(&mut self, msg: impl Message, span: Span) {
        self.diags.push(Diagnostic::new(msg, span));
    }

    /// Reports a full-width slip in a value that is read as meant.
    fn slip(&mut self, node: &Node, meant: &Meant) {
        let span = Span {
            col: node.span.col + meant.index as u32,
            len: meant.len.max(1) as u32,
            ..node.span
        };
        let line = node.span.line as usize;
        let start = node.span.col as usize - 1;
        let end = yaml::parsed_col(self.shifts, line, start + node.span.len as usize);
        let start = yaml::parsed_col(self.shifts, line, start);
        let fixed = slips::fixed_line(self.text, line, start, end, &meant.written);
        let msg = FullWidth {
            found: meant.found.clone(),
            meant: meant.meant.clone(),
            fixed,
        };
        self.error(msg, span);
    }

    fn wrong_type(&mut self, expected: Expected, node: &Node) {
        // A value in full-width brackets, or `key：value`, is a slip rather than a wrong type.
        if let Some((text, true)) = scalar(node) {
            let slip = match expected {
                Expected::List => slips::list_bracket(text),
                Expected::Map => slips::colon_in_word(text),
                _ => None,
            };
            if let Some(meant) = slip {
                self.slip(node, &meant);
                return;
            }
        }
        self.error(
            WrongType {
                expected,
                found: Found::Node(node.kind_name()),
            },
            node.span,
        );
    }

    pub fn map<'n, 'a>(&mut self, node: &'n Node<'a>) -> Option<Fields<'n, 'a>> {
        let Kind::Map(pairs) = &node.kind else {
            self.wrong_type(Expected::Map, node);
            return None;
        };
        let mut entries: Vec<(&'n Node<'a>, &'n str, &'n Node<'a>, bool)> =
            Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            let Some((mut text, plain)) = scalar(key) else {
                self.wrong_type(Expected::Text, key);
                continue;
            };
            if let Some(meant) = slips::quoted_word(text).filter(|_| plain) {
                self.slip(key, &meant);
                // The word inside the quotes, as a slice of the key.
                text = text
                    .strip_prefix(['“', '‘'])
                    .and_then(|t| t.strip_suffix(['”', '’']))
                    .unwrap_or(text);
            }
            if let Some(first) = entries.iter().find(|e| e.1 == text) {
                self.error(
                    DuplicateKey {
                        key: text.to_string(),
                        first_line: first.0.span.line,
                    },
                    key.span,
                );
                continue;
            }
            entries.push((key, text, value, false));
        }
        Some(Fields {
            span: Span {
                len: 0,
                ..node.span
            },
            entries,
        })
    }

    pub fn list<'n, 'a, T>(
        &mut self,
        node: &'n Node<'a>,
        mut each: impl FnMut(&mut Self, &'n Node<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        match &node.kind {
            Kind::Seq(items) => Some(items.iter().filter_map(|n| each(self, n)).collect()),
            _ if node.is_null() => Some(Vec::new()),
            _ => {
                self.wrong_type(Expected::List, node);
                None
            }
        }
    }

    /// Any single value, read as text; empty text is allowed here.
    pub fn text(&mut self, node: &Node) -> Option<Spanned<String>> {
        match &node.kind {
            Kind::Scalar { text, .. } if !node.is_null() => {
                Some(Spanned::new(text.to_string(), node.span))
            }
            _ => {
                self.wrong_type(Expected::Text, node);
                None
            }
        }
    }

    /// Text that names something elsewhere (a town, a group, a person, an id): a word in Chinese
    /// quotes is read without them, as a slip.
    pub fn reference(&mut self, node: &Node, key: &'static str) -> Option<Spanned<String>> {
        let mut text = self.filled(node, key)?;
        if let Some(meant) = slips::quoted_word(&text.value).filter(|_| plain(node)) {
            self.slip(node, &meant);
            text.value = meant.value;
        }
        Some(text)
    }

    /// Text that must say something.
    pub fn filled(&mut self, node: &Node, key: &'static str) -> Option<Spanned<String>> {
        if node.is_null() {
            self.error(EmptyValue { key }, node.span);
            return None;
        }
        let text = self.text(node)?;
        if text.value.trim().is_empty() {
            self.error(EmptyValue { key }, node.span);
            return None;
        }
        Some(text)
    }

    pub fn points(&mut self, node: &Node) -> Option<Spanned<Points>> {
        let Some((text, plain)) = scalar(node) else {
            self.wrong_type(Expected::Number, node);
            return None;
        };
        if !plain {
            let found = Found::QuotedText;
            self.error(
                WrongType {
                    expected: Expected::Number,
                    found,
                },
                node.span,
            );
            return None;
        }
        match Points::parse(text) {
            Ok(p) => Some(Spanned::new(p, node.span)),
            Err(e) => {
                if let Some(meant) = slips::number(text)
                    && let Ok(p) = Points::parse(&meant.value)
                {
                    self.slip(node, &meant);
                    return Some(Spanned::new(p, node.span));
                }
                self.error(
                    BadNumber {
                        text: text.to_string(),
                        problem: e,
                    },
                    node.span,
                );
                None
            }
        }
    }

    /// A whole number typed with full-width digits, read as meant.
    fn count_slip(&mut self, node: &Node) -> Option<Spanned<u32>> {
        let (text, true) = scalar(node)? else {
            return None;
        };
        let meant = slips::number(text)?;
        if !meant.value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = meant.value.parse().ok()?;
        self.slip(node, &meant);
        Some(Spanned::new(n, node.span))
    }

    pub fn count(&mut self, node: &Node) -> Option<Spanned<u32>> {
        if let Some(n) = self.count_slip(node) {
            return Some(n);
        }
        match scalar(node) {
            Some((text, true)) if text.bytes().all(|b| b.is_ascii_digit()) => match text.parse() {
                Ok(n) => Some(Spanned::new(n, node.span)),
                Err(_) => {
                    self.error(
                        BadNumber {
                            text: text.to_string(),
                            problem: PointsError::TooLarge,
                        },
                        node.span,
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(Expected::Integer, node);
                None
            }
        }
    }

    pub fn boolean(&mut self, node: &Node) -> Option<bool> {
        match scalar(node) {
            Some(("true" | "True" | "TRUE", true)) => Some(true),
            Some(("false" | "False" | "FALSE", true)) => Some(false),
            _ => {
                self.wrong_type(Expected::Bool, node);
                None
            }
        }
    }

    pub fn date(&mut self, node: &Node) -> Option<Spanned<Date>> {
        let Some((text, _)) = scalar(node) else {
            self.wrong_type(Expected::Date, node);
            return None;
        };
        let meant = slips::number(text).filter(|_| plain(node));
        if let Some(meant) = meant
            && let Some(d) = parse_date(&meant.value)
        {
            self.slip(node, &meant);
            return Some(Spanned::new(d, node.span));
        }
        match parse_date(text) {
            Some(d) => Some(Spanned::new(d, node.span)),
            None => {
                self.error(
                    BadDate {
                        text: text.to_string(),
                    },
                    node.span,
                );
                None
            }
        }
    }

    pub fn choice(
        &mut self,
        node: &Node,
        allowed: &'static [&'static str],
    ) -> Option<Spanned<&'static str>> {
        let text = self.text(node)?;
        let meant = slips::quoted_word(&text.value).filter(|_| plain(node));
        let word = meant.as_ref().map_or(text.value.as_str(), |m| &m.value);
        match allowed.iter().find(|a| **a == word) {
            Some(a) => {
                if let Some(meant) = &meant {
                    self.slip(node, meant);
                }
                Some(Spanned::new(*a, text.span))
            }
            None => {
                self.error(
                    BadChoice {
                        value: text.value,
                        allowed,
                    },
                    text.span,
                );
                None
            }
        }
    }

    /// An SSH public key line.
    pub fn key(&mut self, node: &Node) -> Option<Spanned<Key>> {
        let text = self.filled(node, "keys")?;
        match Key::parse(&text.value) {
            Ok(key) => Some(Spanned::new(key, text.span)),
            Err(reason) => {
                self.error(BadKey { reason }, text.span);
                None
            }
        }
    }

    /// An id or slug: it becomes part of file names and addresses.
    pub fn ident(&mut self, node: &Node, key: &'static str) -> Option<Spanned<String>> {
        let mut text = self.filled(node, key)?;
        let ok = |value: &str| {
            value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        };
        let meant = slips::quoted_word(&text.value)
            .or_else(|| slips::number(&text.value))
            .filter(|m| plain(node) && ok(&m.value));
        if let Some(meant) = meant {
            self.slip(node, &meant);
            text.value = meant.value;
        }
        if !ok(&text.value) {
            self.error(
                BadSlug {
                    value: text.value.clone(),
                },
                text.span,
            );
            return None;
        }
        Some(text)
    }
}

pub fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &str| -> Option<i16> {
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, m, d) = (num(&text[..4])?, num(&text[5..7])?, num(&text[8..])?);
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// Collects the values of `Option`s that must all be present for a record to stand.
macro_rules! all_some {
    ($($name:ident),*) => { ($($name?,)*) };
}

fn person(d: &mut Decoder, node: &Node) -> Option<Person> {
    let mut f = d.map(node)?;
    let name = f.require(d, "name").and_then(|n| d.filled(n, "name"));
    let title = f.take("title").and_then(|n| d.text(n)).map(|t| t.value);
    let git = f.take("git").and_then(|n| d.filled(n, "git"));
    let phone = f.take("phone").and_then(|n| d.text(n)).map(|t| t.value);
    let keys = f
        .take("keys")
        .and_then(|n| d.list(n, |d, n| d.key(n)))
        .unwrap_or_default();
    f.finish(d, &["name", "title", "git", "phone", "keys"]);
    Some(Person {
        name: name?,
        title,
        git,
        phone,
        keys,
    })
}

fn text_or_empty(d: &mut Decoder, f: &mut Fields, key: &str) -> String {
    f.take(key)
        .and_then(|n| d.text(n))
        .map(|t| t.value)
        .unwrap_or_default()
}

pub fn campaign(d: &mut Decoder, file: FileId, node: &Node) -> Option<Campaign> {
    let mut f = d.map(node)?;
    let id = f.require(d, "id").and_then(|n| d.ident(n, "id"));
    let title = f.require(d, "title").and_then(|n| d.filled(n, "title"));
    let issuer = f.require(d, "issuer").and_then(|n| d.filled(n, "issuer"));
    let issued = f.take("issued").and_then(|n| d.date(n));
    let inspection = f.require(d, "inspection").and_then(|n| {
        let mut w = d.map(n)?;
        let start = w.require(d, "start").and_then(|n| d.date(n));
        let end = w.require(d, "end").and_then(|n| d.date(n));
        w.finish(d, &["start", "end"]);
        Some((start?, end?))
    });
    let review_deadline = f.take("review_deadline").and_then(|n| d.date(n));
    let timezone = f.take("timezone").and_then(|n| d.filled(n, "timezone"));
    let language = match f.take("language") {
        Some(n) => match d.choice(n, &["zh-CN", "en"]).map(|c| c.value) {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        },
        None => Lang::Zh,
    };
    let sample = f.take("sample").and_then(|n| d.boolean(n)).unwrap_or(false);
    let mut step = Spanned::new(Points(1), Span::file(file));
    let mut not_assessed = NotAssessedRule::Rescale;
    if let Some(n) = f.take("scoring")
        && let Some(mut s) = d.map(n)
    {
        if let Some(p) = s.take("step").and_then(|n| d.points(n)) {
            step = p;
        }
        if let Some(c) = s
            .take("not_assessed")
            .and_then(|n| d.choice(n, &["rescale", "full_marks"]))
            && c.value == "full_marks"
        {
            not_assessed = NotAssessedRule::FullMarks;
        }
        s.finish(d, &["step", "not_assessed"]);
    }
    let consequences = f
        .take("consequences")
        .and_then(|n| d.list(n, consequence))
        .unwrap_or_default();
    let office = f
        .take("office")
        .and_then(|n| d.list(n, person))
        .unwrap_or_default();
    let mut audit = Audit::default();
    if let Some(n) = f.take("audit")
        && let Some(mut a) = d.map(n)
    {
        if let Some(enabled) = a.take("enabled").and_then(|n| d.boolean(n)) {
            audit.enabled = enabled;
        }
        audit.from = a.take("from").and_then(|n| d.filled(n, "from"));
        if let Some(required) = a.take("require_signed").and_then(|n| d.boolean(n)) {
            audit.require_signed = required;
        }
        a.finish(d, &["enabled", "from", "require_signed"]);
    }
    let notice_number = f.take("notice_number").and_then(|n| {
        let mut m = d.map(n)?;
        let prefix = m.require(d, "prefix").and_then(|n| d.filled(n, "prefix"));
        let first = m.take("first").and_then(|n| d.count(n));
        m.finish(d, &["prefix", "first"]);
        Some(NoticeNumber {
            prefix: prefix?.value,
            first: first.map_or(1, |f| f.value),
        })
    });
    let grades = f
        .take("grades")
        .and_then(|n| d.list(n, grade))
        .unwrap_or_default();
    let previous = f.take("previous").and_then(|n| d.filled(n, "previous"));
    let classes = f.take("classes").and_then(|n| d.filled(n, "classes"));
    let rectify_all = f
        .take("rectification")
        .and_then(|n| d.choice(n, &["all"]))
        .is_some();
    let marking = f.take("marking").and_then(|n| d.text(n));
    let publish_evidence = f
        .take("evidence")
        .and_then(|n| {
            let mut m = d.map(n)?;
            let publish = m.take("publish").and_then(|n| d.boolean(n));
            m.finish(d, &["publish"]);
            publish
        })
        .unwrap_or(true);
    let objections = f.take("objections").and_then(|n| {
        let mut m = d.map(n)?;
        let days = m.require(d, "days").and_then(|n| d.count(n));
        m.finish(d, &["days"]);
        days
    });
    f.finish(
        d,
        &[
            "id",
            "title",
            "issuer",
            "issued",
            "inspection",
            "review_deadline",
            "timezone",
            "language",
            "sample",
            "scoring",
            "consequences",
            "office",
            "audit",
            "notice_number",
            "grades",
            "previous",
            "classes",
            "objections",
            "rectification",
            "marking",
            "evidence",
        ],
    );
    let (id, title, issuer) = all_some!(id, title, issuer);
    Some(Campaign {
        file,
        id,
        title: title.value,
        issuer: issuer.value,
        issued,
        inspection,
        review_deadline,
        timezone,
        language,
        sample,
        step,
        not_assessed,
        consequences,
        office,
        audit,
        notice_number,
        grades,
        previous,
        classes,
        objections,
        rectify_all,
        marking,
        publish_evidence,
    })
}

fn grade(d: &mut Decoder, node: &Node) -> Option<Grade> {
    let mut f = d.map(node)?;
    let name = f.require(d, "name").and_then(|n| d.filled(n, "name"));
    let min = f.require(d, "min").and_then(|n| d.points(n));
    f.finish(d, &["name", "min"]);
    Some(Grade {
        name: name?,
        min: min?,
    })
}

fn adjustment(d: &mut Decoder, node: &Node) -> Option<Adjustment> {
    let mut f = d.map(node)?;
    let id = f.require(d, "id").and_then(|n| d.ident(n, "id"));
    let kind = f
        .require(d, "kind")
        .and_then(|n| d.choice(n, &["bonus", "penalty"]))
        .map(|c| match c.value {
            "bonus" => AdjustmentKind::Bonus,
            _ => AdjustmentKind::Penalty,
        });
    let text = f.require(d, "text").and_then(|n| d.filled(n, "text"));
    let points_each = f.require(d, "points_each").and_then(|n| d.points(n));
    let cap = f.take("cap").and_then(|n| d.points(n));
    f.finish(d, &["id", "kind", "text", "points_each", "cap"]);
    let (id, kind, text, points_each) = all_some!(id, kind, text, points_each);
    Some(Adjustment {
        id,
        kind,
        text: text.value,
        points_each,
        cap,
    })
}

fn veto(d: &mut Decoder, node: &Node) -> Option<Veto> {
    let mut f = d.map(node)?;
    let id = f.require(d, "id").and_then(|n| d.ident(n, "id"));
    let text = f.require(d, "text").and_then(|n| d.filled(n, "text"));
    f.finish(d, &["id", "text"]);
    let (id, text) = all_some!(id, text);
    Some(Veto {
        id,
        text: text.value,
    })
}

/// The `reason` and `evidence` of a deduction, an adjustment or a veto; a missing reason is
/// left to the rules, which say which one lacks it.
fn reason_and_evidence(
    d: &mut Decoder,
    f: &mut Fields,
) -> (Option<Spanned<String>>, Vec<Spanned<String>>) {
    let reason = f
        .take("reason")
        .and_then(|n| if n.is_null() { None } else { d.text(n) });
    let evidence = f
        .take("evidence")
        .and_then(|n| d.list(n, |d, n| d.filled(n, "evidence")))
        .unwrap_or_default();
    (reason, evidence)
}

fn occurrence(d: &mut Decoder, node: &Node) -> Option<Occurrence> {
    let mut f = d.map(node)?;
    let (reason, evidence) = reason_and_evidence(d, &mut f);
    f.finish(d, &["reason", "evidence"]);
    Some(Occurrence {
        reason,
        evidence,
        span: node.span,
    })
}

fn consequence(d: &mut Decoder, node: &Node) -> Option<Consequence> {
    let mut f = d.map(node)?;
    let bottom = f.require(d, "bottom").and_then(|n| d.count(n));
    let actions = f
        .take("actions")
        .and_then(|n| d.list(n, |d, n| d.filled(n, "actions").map(|t| t.value)))
        .unwrap_or_default();
    let deadline_days = f.take("deadline_days").and_then(|n| d.count(n));
    let rounds = f.take("rounds").and_then(|n| d.count(n));
    f.finish(d, &["bottom", "actions", "deadline_days", "rounds"]);
    Some(Consequence {
        bottom: bottom?,
        actions,
        deadline_days,
        rounds,
    })
}

pub fn rubric(d: &mut Decoder, file: FileId, node: &Node) -> Option<Rubric> {
    let mut f = d.map(node)?;
    let total = f.require(d, "total").and_then(|n| d.points(n));
    let attributes = f
        .take("attributes")
        .and_then(|n| {
            let pairs = d.map(n)?;
            Some(
                pairs
                    .pairs()
                    .filter_map(|(name, v)| d.filled(v, "attributes").map(|label| (name, label)))
                    .collect(),
            )
        })
        .unwrap_or_default();
    let sections = f.require(d, "sections").and_then(|n| d.list(n, section));
    let adjustments = f
        .take("adjustments")
        .and_then(|n| d.list(n, adjustment))
        .unwrap_or_default();
    let vetoes = f
        .take("vetoes")
        .and_then(|n| d.list(n, veto))
        .unwrap_or_default();
    f.finish(
        d,
        &["total", "attributes", "sections", "adjustments", "vetoes"],
    );
    let (total, sections) = all_some!(total, sections);
    let mut rubric = Rubric {
        file,
        total,
        attributes,
        sections,
        adjustments,
        vetoes,
    };
    rubric.number_items();
    Some(rubric)
}

fn section(d: &mut Decoder, node: &Node) -> Option<Section> {
    let mut f = d.map(node)?;
    let id = f.require(d, "id").and_then(|n| d.filled(n, "id"));
    let title = f.require(d, "title").and_then(|n| d.filled(n, "title"));
    let parts = f.require(d, "parts").and_then(|n| d.list(n, part));
    f.finish(d, &["id", "title", "parts"]);
    let (id, title, parts) = all_some!(id, title, parts);
    Some(Section {
        id,
        title: title.value,
        parts,
    })
}

fn part(d: &mut Decoder, node: &Node) -> Option<Part> {
    let mut f = d.map(node)?;
    let title = f
        .take("title")
        .and_then(|n| d.filled(n, "title"))
        .map(|t| t.value);
    let items = f.require(d, "items").and_then(|n| d.list(n, item));
    f.finish(d, &["title", "items"]);
    Some(Part {
        title,
        items: items?,
    })
}

fn item(d: &mut Decoder, node: &Node) -> Option<Item> {
    let mut f = d.map(node)?;
    let id = f.require(d, "id").and_then(|n| d.reference(n, "id"));
    let category = text_or_empty(d, &mut f, "category");
    let indicator = f
        .require(d, "indicator")
        .and_then(|n| d.filled(n, "indicator"));
    let mut links = Vec::new();
    let requirement = f
        .take("requirement")
        .and_then(|n| d.text(n))
        .map(|t| {
            links = located_links(&t);
            t.value
        })
        .unwrap_or_default();
    let points = f.require(d, "points").and_then(|n| d.points(n));
    let assessed_if = f
        .take("assessed_if")
        .and_then(|n| d.ident(n, "assessed_if"));
    let criteria = f
        .take("criteria")
        .and_then(|n| d.list(n, criterion))
        .unwrap_or_default();
    f.finish(
        d,
        &[
            "id",
            "category",
            "indicator",
            "requirement",
            "points",
            "assessed_if",
            "criteria",
        ],
    );
    let (id, indicator, points) = all_some!(id, indicator, points);
    Some(Item {
        key: ItemId::default(),
        id,
        category,
        indicator: indicator.value,
        requirement,
        links,
        points,
        assessed_if,
        criteria,
    })
}

fn criterion(d: &mut Decoder, node: &Node) -> Option<Criterion> {
    let mut f = d.map(node)?;
    let id = f.require(d, "id").and_then(|n| d.reference(n, "id"));
    let text = f.require(d, "text").and_then(|n| d.filled(n, "text"));
    let points = f.require(d, "points").and_then(|n| d.points(n));
    f.finish(d, &["id", "text", "points"]);
    let (id, text, points) = all_some!(id, text, points);
    Some(Criterion {
        id,
        text: text.value,
        points,
    })
}

pub fn towns(d: &mut Decoder, node: &Node) -> Option<Vec<Town>> {
    d.list(node, town)
}

fn town(d: &mut Decoder, node: &Node) -> Option<Town> {
    let mut f = d.map(node)?;
    let name = f.require(d, "name").and_then(|n| d.filled(n, "name"));
    let slug = f.require(d, "slug").and_then(|n| d.ident(n, "slug"));
    let mut attributes = Vec::new();
    if let Some(n) = f.take("attributes")
        && let Some(attrs) = d.map(n)
    {
        for (key, value) in attrs.pairs() {
            let parsed = match scalar(value) {
                Some(("true" | "True" | "TRUE", true)) => Some(Attribute::Flag(true)),
                Some(("false" | "False" | "FALSE", true)) => Some(Attribute::Flag(false)),
                Some((t, true)) if t.bytes().all(|b| b.is_ascii_digit()) => {
                    t.parse().ok().map(Attribute::Count)
                }
                _ => None,
            };
            match parsed {
                Some(a) => attributes.push((key, Spanned::new(a, value.span))),
                None => match d.count_slip(value) {
                    Some(n) => attributes
                        .push((key, Spanned::new(Attribute::Count(n.value.into()), n.span))),
                    None => match scalar(value) {
                        Some((text, _)) if !text.trim().is_empty() => attributes.push((
                            key,
                            Spanned::new(Attribute::Text(text.trim().to_string()), value.span),
                        )),
                        _ => d.wrong_type(Expected::Attribute, value),
                    },
                },
            }
        }
    }
    f.finish(d, &["name", "slug", "attributes"]);
    let (name, slug) = all_some!(name, slug);
    Some(Town {
        name,
        slug,
        attributes,
        span: node.span,
    })
}

pub fn groups(d: &mut Decoder, node: &Node) -> Option<Vec<Group>> {
    d.list(node, group)
}

fn group(d: &mut Decoder, node: &Node) -> Option<Group> {
    let mut f = d.map(node)?;
    let id = f.require(d, "id").and_then(|n| d.ident(n, "id"));
    let name = f.require(d, "name").and_then(|n| d.filled(n, "name"));
    let liaison = f.take("liaison").and_then(|n| person(d, n));
    let leader = f.require(d, "leader").and_then(|n| person(d, n));
    let deputies = f
        .take("deputies")
        .and_then(|n| d.list(n, person))
        .unwrap_or_default();
    let members = f
        .take("members")
        .and_then(|n| d.list(n, person))
        .unwrap_or_default();
    let contact = f.take("contact").and_then(|n| person(d, n));
    let towns = f
        .require(d, "towns")
        .and_then(|n| d.list(n, |d, n| d.ident(n, "towns")));
    f.finish(
        d,
        &[
            "id", "name", "liaison", "leader", "deputies", "members", "contact", "towns",
        ],
    );
    let (id, name, leader, towns) = all_some!(id, name, leader, towns);
    Some(Group {
        id,
        name: name.value,
        liaison,
        leader,
        deputies,
        members,
        contact,
        towns,
    })
}

pub fn objections(d: &mut Decoder, file: FileId, stem: &str, node: &Node) -> Option<Objections> {
    let mut f = d.map(node)?;
    let town = f.require(d, "town").and_then(|n| d.reference(n, "town"));
    let requests = f
        .require(d, "requests")
        .and_then(|n| d.list(n, request))
        .unwrap_or_default();
    f.finish(d, &["town", "requests"]);
    Some(Objections {
        file,
        stem: stem.to_string(),
        town: town?,
        requests,
    })
}

pub fn rectification(
    d: &mut Decoder,
    file: FileId,
    stem: &str,
    node: &Node,
) -> Option<Rectification> {
    let mut f = d.map(node)?;
    let town = f.require(d, "town").and_then(|n| d.reference(n, "town"));
    let records = f
        .require(d, "problems")
        .and_then(|n| {
            if n.is_null() {
                Some(Vec::new())
            } else {
                d.list(n, record)
            }
        })
        .unwrap_or_default();
    f.finish(d, &["town", "problems"]);
    Some(Rectification {
        file,
        stem: stem.to_string(),
        town: town?,
        records,
    })
}

fn record(d: &mut Decoder, node: &Node) -> Option<Record> {
    let mut f = d.map(node)?;
    let item = f.require(d, "item").and_then(|n| d.reference(n, "item"));
    let deduction = f.require(d, "deduction").and_then(|n| d.count(n));
    let measures = f
        .take("measures")
        .and_then(|n| if n.is_null() { None } else { d.text(n) })
        .map(|t| t.value);
    let done = f
        .take("done")
        .and_then(|n| if n.is_null() { None } else { d.date(n) });
    let evidence = f
        .take("evidence")
        .and_then(|n| d.list(n, |d, n| d.filled(n, "evidence")))
        .unwrap_or_default();
    let closed = f.take("closed").and_then(|n| {
        if n.is_null() {
            return None;
        }
        let mut c = d.map(n)?;
        let by = c.require(d, "by").and_then(|n| d.reference(n, "by"));
        let date = c.require(d, "date").and_then(|n| d.date(n));
        c.finish(d, &["by", "date"]);
        Some(Closed {
            by: by?,
            date: date?,
            span: n.span,
        })
    });
    f.finish(
        d,
        &[
            "item",
            "deduction",
            "measures",
            "done",
            "evidence",
            "closed",
        ],
    );
    let (item, deduction) = all_some!(item, deduction);
    Some(Record {
        item,
        deduction,
        measures,
        done,
        evidence,
        closed,
        span: node.span,
    })
}

fn request(d: &mut Decoder, node: &Node) -> Option<Request> {
    let mut f = d.map(node)?;
    let item = f.require(d, "item").and_then(|n| d.reference(n, "item"));
    let filed = f.require(d, "filed").and_then(|n| d.date(n));
    let claim = f.require(d, "claim").and_then(|n| d.filled(n, "claim"));
    let evidence = f
        .take("evidence")
        .and_then(|n| d.list(n, |d, n| d.filled(n, "evidence")))
        .unwrap_or_default();
    let decision = f.take("decision").and_then(|n| {
        let c = d.choice(n, &["accepted", "partly", "rejected"])?;
        let decision = match c.value {
            "accepted" => Decision::Accepted,
            "partly" => Decision::Partly,
            _ => Decision::Rejected,
        };
        Some(Spanned::new(decision, c.span))
    });
    let decided = f.take("decided").and_then(|n| d.date(n));
    let decided_by = f
        .take("decided_by")
        .and_then(|n| d.reference(n, "decided_by"));
    let note = f.take("note").and_then(|n| d.text(n)).map(|t| t.value);
    f.finish(
        d,
        &[
            "item",
            "filed",
            "claim",
            "evidence",
            "decision",
            "decided",
            "decided_by",
            "note",
        ],
    );
    let (item, filed, claim) = all_some!(item, filed, claim);
    Some(Request {
        item,
        filed,
        claim,
        evidence,
        decision,
        decided,
        decided_by,
        note,
        span: node.span,
    })
}

pub fn sheet(d: &mut Decoder, file: FileId, stem: &str, node: &Node) -> Option<Sheet> {
    let before = d.diags.len();
    let mut f = d.map(node)?;
    let town = f.require(d, "town").and_then(|n| d.reference(n, "town"));
    let group = f.require(d, "group").and_then(|n| d.reference(n, "group"));
    let status = f.require(d, "status").and_then(|n| {
        d.choice(n, &["draft", "final"]).map(|c| {
            let s = if c.value == "final" {
                Status::Final
            } else {
                Status::Draft
            };
            Spanned::new(s, c.span)
        })
    });
    let before_visited = d.diags.len();
    let visited = f
        .take("visited")
        .and_then(|n| d.list(n, |d, n| d.date(n)))
        .unwrap_or_default();
    let visited_read = d.diags.len() == before_visited;
    let scores_span = f.key_span("scores").unwrap_or(Span::file(file));
    let mut links = Vec::new();
    let entries = f.require(d, "scores").and_then(|n| {
        let pairs = d.map(n)?;
        let entries: Vec<Entry> = pairs
            .pairs()
            .map(|(item, v)| entry(d, item, v, &mut links))
            .collect();
        Some(entries)
    });
    let summary = f.take("summary").and_then(|n| d.text(n)).map(|t| {
        links.extend(located_links(&t));
        t.value
    });
    let signoff = f.take("signoff").and_then(|n| signoff(d, n));
    let adjustments = f
        .take("adjustments")
        .and_then(|n| {
            let pairs = d.map(n)?;
            Some(
                pairs
                    .pairs()
                    .filter_map(|(id, v)| Some((id, d.list(v, occurrence)?)))
                    .collect(),
            )
        })
        .unwrap_or_default();
    let vetoes = f
        .take("vetoes")
        .and_then(|n| {
            let pairs = d.map(n)?;
            Some(
                pairs
                    .pairs()
                    .filter_map(|(id, v)| Some((id, occurrence(d, v)?)))
                    .collect(),
            )
        })
        .unwrap_or_default();
    f.finish(
        d,
        &[
            "town",
            "group",
            "status",
            "visited",
            "scores",
            "summary",
            "signoff",
            "adjustments",
            "vetoes",
        ],
    );
    let complete = d.diags.len() == before;
    let (town, status, entries) = all_some!(town, status, entries);
    Some(Sheet {
        file,
        stem: stem.to_string(),
        // The fingerprint of the text is the loader's to give.
        text: 0,
        town,
        group,
        status,
        visited,
        visited_read,
        scores_span,
        entries,
        summary,
        links,
        signoff,
        adjustments,
        vetoes,
        complete,
    })
}

/// The relative paths a Markdown text links to, each located at the text.
fn located_links(text: &Spanned<String>) -> Vec<Spanned<String>> {
    crate::markdown::links(&text.value)
        .into_iter()
        .map(|link| Spanned::new(link, text.span))
        .collect()
}

fn entry(
    d: &mut Decoder,
    item: Spanned<String>,
    node: &Node,
    links: &mut Vec<Spanned<String>>,
) -> Entry {
    let before = d.diags.len();
    let mut out = Entry {
        item,
        score: None,
        deductions: None,
        criteria: None,
        not_assessed: None,
        note: None,
        span: node.span,
        complete: false,
    };
    if node.is_null() {
        out.complete = true;
        return out;
    }
    if let Some(mut f) = d.map(node) {
        out.score = f.take("score").and_then(|n| d.points(n));
        out.deductions = f.take("deductions").and_then(|n| d.list(n, deduction));
        out.criteria = f.take("criteria").and_then(|n| {
            let pairs = d.map(n)?;
            Some(
                pairs
                    .pairs()
                    .filter_map(|(id, v)| d.points(v).map(|p| (id, p)))
                    .collect(),
            )
        });
        out.not_assessed = f
            .take("not_assessed")
            .and_then(|n| d.filled(n, "not_assessed"));
        out.note = f.take("note").and_then(|n| d.text(n)).map(|t| {
            links.extend(located_links(&t));
            t.value
        });
        f.finish(
            d,
            &["score", "deductions", "criteria", "not_assessed", "note"],
        );
    }
    out.complete = d.diags.len() == before;
    out
}

fn deduction(d: &mut Decoder, node: &Node) -> Option<Deduction> {
    let mut f = d.map(node)?;
    let points = f.require(d, "points").and_then(|n| d.points(n));
    let (reason, evidence) = reason_and_evidence(d, &mut f);
    f.finish(d, &["points", "reason", "evidence"]);
    Some(Deduction {
        points: points?,
        reason,
        evidence,
        span: node.span,
    })
}

fn signoff(d: &mut Decoder, node: &Node) -> Option<Signoff> {
    let mut f = d.map(node)?;
    let leader = f
        .require(d, "leader")
        .and_then(|n| d.reference(n, "leader"));
    let members = f
        .take("members")
        .and_then(|n| d.list(n, |d, n| d.reference(n, "members")))
        .unwrap_or_default();
    let date = f.require(d, "date").and_then(|n| d.date(n));
    f.finish(d, &["leader", "members", "date"]);
    Some(Signoff {
        leader: leader?,
        members,
        date,
        span: node.span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(nearest("scroe", &["score", "deductions"]), Some("score"));
        assert_eq!(
            nearest("deduction", &["score", "deductions"]),
            Some("deductions")
        );
        assert_eq!(nearest("banana", &["score", "deductions"]), None);
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2020-03-06").is_some());
        assert!(parse_date("2020-3-6").is_none());
        assert!(parse_date("2020-02-30").is_none());
        assert!(parse_date("二〇二〇年").is_none());
    }
}
