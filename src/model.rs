//! The typed campaign: what the content files say, with where they say it.

use std::collections::HashMap;
use std::fmt;

use jiff::civil::Date;

pub use crate::lang::Lang;
use crate::source::{FileId, Span};

/// Typed places: a town, sheet, rubric item or consequence by its position in the file that
/// declares it, so that one kind of place is never taken for another.
macro_rules! places {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            /// The place at `index`, counted from zero.
            pub fn at(index: usize) -> Self {
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

places! {
    /// A town by its place in towns.yaml.
    TownId,
    /// A sheet by its place among the sheets loaded.
    SheetId,
    /// A rubric item by its place in the rubric, section by section.
    ItemId,
    /// A consequence by its place in campaign.yaml's `consequences`.
    ConsequenceId,
    /// A grade by its place in campaign.yaml's `grades`, highest first.
    GradeId,
    /// A class (分类考核) by the order its first town has in towns.yaml.
    ClassId,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// Points in hundredths: scores are decimals with at most two places, kept exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsError {
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

impl Points {
    pub const ZERO: Points = Points(0);
    /// Largest magnitude accepted, so that sums over any campaign stay far from overflow.
    const LIMIT: i64 = 1_000_000_000;

    /// Reads a YAML decimal such as `2`, `2.5`, `-1`, `12.50` or `.5`.
    pub fn parse(text: &str) -> Result<Points, PointsError> {
        let (negative, digits) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
            return Err(PointsError::NotANumber);
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > 2 {
            return Err(PointsError::TooManyDecimals);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 9 {
            return Err(PointsError::TooLarge);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| PointsError::NotANumber)?
        };
        let mut hundredths: i64 = 0;
        for (i, b) in frac.bytes().chain("00".bytes()).take(2).enumerate() {
            hundredths += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let value = whole * 100 + hundredths;
        if value > Self::LIMIT * 100 {
            return Err(PointsError::TooLarge);
        }
        Ok(Points(if negative { -value } else { value }))
    }

    pub fn is_multiple_of(self, step: Points) -> bool {
        step.0 > 0 && self.0 % step.0 == 0
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{whole}"),
            f10 if f10 % 10 == 0 => write!(f, "{sign}{whole}.{}", f10 / 10),
            _ => write!(f, "{sign}{whole}.{frac:02}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotAssessedRule {
    #[default]
    Rescale,
    FullMarks,
}

#[derive(Debug, Clone)]
pub struct Campaign {
    pub file: FileId,
    pub id: Spanned<String>,
    pub title: String,
    pub issuer: String,
    pub issued: Option<Spanned<Date>>,
    pub inspection: Option<(Spanned<Date>, Spanned<Date>)>,
    pub review_deadline: Option<Spanned<Date>>,
    pub timezone: Option<Spanned<String>>,
    pub language: Lang,
    pub sample: bool,
    pub step: Spanned<Points>,
    pub not_assessed: NotAssessedRule,
    pub consequences: Vec<Consequence>,
    pub office: Vec<Person>,
    pub audit: Audit,
    /// The 发文字号 of the notices ducha drafts; `None` leaves the number for the office to fill in.
    pub notice_number: Option<NoticeNumber>,
    /// 等次, highest first: a published total of at least `min` gets the first grade it reaches.
    pub grades: Vec<Grade>,
    /// The previous round: a tag or commit of the same repository.
    pub previous: Option<Spanned<String>>,
    /// 分类考核: the town attribute whose values are the classes towns are ranked within.
    pub classes: Option<Spanned<String>>,
    /// 征求意见: how many days after the review deadline towns may object to a score.
    pub objections: Option<Spanned<u32>>,
    /// `rectification: all`: every town rectifies its deductions, not only those under a
    /// consequence with a deadline.
    pub rectify_all: bool,
    /// `marking:` as written: `Some("")` turns the default off.
    pub marking: Option<Spanned<String>>,
    /// `evidence: {publish: false}` keeps evidence files off the site; their names stay.
    pub publish_evidence: bool,
}

impl Campaign {
    /// What every page and printed page is marked with (内部资料 注意保密): the campaign's
    /// `marking`, else that for a Chinese campaign and none for an English one.
    pub fn marking(&self) -> Option<String> {
        match &self.marking {
            Some(m) => {
                let words = m.value.split_whitespace().collect::<Vec<_>>().join(" ");
                (!words.is_empty()).then_some(words)
            }
            None => (self.language == Lang::Zh).then(|| "内部资料 注意保密".to_string()),
        }
    }

    /// The first and last day towns may file an objection: the review deadline and the days
    /// after it; `None` without a window or a deadline.
    pub fn objection_window(&self) -> Option<(Date, Date)> {
        let days = self.objections.as_ref()?.value;
        let from = self.review_deadline.as_ref()?.value;
        let span = jiff::Span::new().try_days(i64::from(days)).ok()?;
        Some((from, from.checked_add(span).ok()?))
    }
}

/// A town's rectification records (整改台账): `content/rectification/<slug>.yaml`.
#[derive(Debug, Clone)]
pub struct Rectification {
    pub file: FileId,
    /// The file name without `.yaml`.
    pub stem: String,
    pub town: Spanned<String>,
    pub records: Vec<Record>,
}

/// What a town did about one problem: a deduction, by its item and its place among the
/// item's deductions (from 1).
#[derive(Debug, Clone)]
pub struct Record {
    pub item: Spanned<String>,
    pub deduction: Spanned<u32>,
    pub measures: Option<String>,
    /// The day the town finished (已整改).
    pub done: Option<Spanned<Date>>,
    pub evidence: Vec<Spanned<String>>,
    /// 销号: the office's acceptance.
    pub closed: Option<Closed>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Closed {
    pub by: Spanned<String>,
    pub date: Spanned<Date>,
    pub span: Span,
}

/// A town's objections to its scores (征求意见, 复核): `content/objections/<slug>.yaml`.
#[derive(Debug, Clone)]
pub struct Objections {
    pub file: FileId,
    /// The file name without `.yaml`.
    pub stem: String,
    pub town: Spanned<String>,
    pub requests: Vec<Request>,
}

/// One request: the item objected to, the claim and its evidence, and the office's decision.
#[derive(Debug, Clone)]
pub struct Request {
    pub item: Spanned<String>,
    pub filed: Spanned<Date>,
    pub claim: Spanned<String>,
    pub evidence: Vec<Spanned<String>>,
    /// `None` while the office has not decided.
    pub decision: Option<Spanned<Decision>>,
    pub decided: Option<Spanned<Date>>,
    pub decided_by: Option<Spanned<String>>,
    pub note: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accepted,
    Partly,
    Rejected,
}

impl Decision {
    /// The word files and data use: `accepted`, `partly` or `rejected`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Partly => "partly",
            Decision::Rejected => "rejected",
        }
    }

    /// Whether the decision allows the score to change.
    pub fn upheld(self) -> bool {
        self != Decision::Rejected
    }
}

/// A grade band (等次): its name, and the lowest published total that reaches it.
#[derive(Debug, Clone)]
pub struct Grade {
    pub name: Spanned<String>,
    pub min: Spanned<Points>,
}

/// A run of document numbers (发文字号) such as 东督办〔2020〕3号, 4号, …: the circular takes
/// `first`, and each supervision notice the next.
#[derive(Debug, Clone)]
pub struct NoticeNumber {
    /// The issuer's code and the year: 东督办〔2020〕.
    pub prefix: String,
    pub first: u32,
}

/// How the git history is audited.
#[derive(Debug, Clone)]
pub struct Audit {
    /// False for a repository whose history is not an inspection record.
    pub enabled: bool,
    /// Commits up to and including this one are the starting point: shown, not audited.
    pub from: Option<Spanned<String>>,
    /// Every change to a sheet must come in a commit signed with the key of someone allowed
    /// to make it.
    pub require_signed: bool,
}

impl Default for Audit {
    fn default() -> Self {
        Audit {
            enabled: true,
            from: None,
            require_signed: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Consequence {
    pub bottom: Spanned<u32>,
    pub actions: Vec<String>,
    pub deadline_days: Option<Spanned<u32>>,
    /// In the bottom places in this round and each of the `rounds − 1` rounds before it;
    /// `None` for this round alone.
    pub rounds: Option<Spanned<u32>>,
}

impl Consequence {
    /// How many rounds in a row the town must be in the bottom places: 1 for this one alone.
    pub fn rounds(&self) -> u32 {
        self.rounds.as_ref().map_or(1, |r| r.value)
    }
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: Spanned<String>,
    pub title: Option<String>,
    pub git: Option<Spanned<String>>,
    pub phone: Option<String>,
    /// The SSH public keys the person signs commits with.
    pub keys: Vec<Spanned<Key>>,
}

/// An SSH public key, as `ssh-keygen` prints it: `ssh-ed25519 AAAA… comment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key itself, without its comment: what a signature names its signer by.
    pub data: ssh_key::public::KeyData,
    /// `SHA256:…`, as `ssh-keygen -l` and `git log --show-signature` show it.
    pub fingerprint: String,
}

impl Key {
    /// Reads a key line, with any run of spaces between its parts.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut words = text.split_whitespace();
        let line = match (words.next(), words.next()) {
            (Some(kind), Some(blob)) => format!("{kind} {blob}"),
            _ => return Err("not `TYPE BASE64 [COMMENT]`".into()),
        };
        let key = ssh_key::PublicKey::from_openssh(&line).map_err(|e| e.to_string())?;
        Ok(Key {
            fingerprint: key.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
            data: key.key_data().clone(),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Rubric {
    pub file: FileId,
    pub total: Spanned<Points>,
    /// What the town attributes that items depend on are called, for pages and people:
    /// `attributes: {poverty_villages: 省定相对贫困村数}`.
    pub attributes: Vec<(Spanned<String>, Spanned<String>)>,
    pub sections: Vec<Section>,
    /// 加减分项: points added or taken outside the rubric's total.
    pub adjustments: Vec<Adjustment>,
    /// 一票否决: what puts a town below every other, whatever its score.
    pub vetoes: Vec<Veto>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentKind {
    /// 加分.
    Bonus,
    /// 减分.
    Penalty,
}

/// A kind of points added (bonus) or taken (penalty) per occurrence, up to a cap.
#[derive(Debug, Clone)]
pub struct Adjustment {
    pub id: Spanned<String>,
    pub kind: AdjustmentKind,
    pub text: String,
    pub points_each: Spanned<Points>,
    /// The most the occurrences add or take together; none for no limit.
    pub cap: Option<Spanned<Points>>,
}

impl Adjustment {
    /// What `occurrences` of it add or take, capped.
    pub fn points(&self, occurrences: usize) -> Points {
        let each = i64::try_from(occurrences).unwrap_or(i64::MAX);
        let total = Points(self.points_each.value.0.saturating_mul(each));
        match &self.cap {
            Some(cap) if total > cap.value => cap.value,
            _ => total,
        }
    }
}

/// A veto (一票否决).
#[derive(Debug, Clone)]
pub struct Veto {
    pub id: Spanned<String>,
    pub text: String,
}

impl Rubric {
    /// The name people know a town attribute by, when the rubric gives one.
    pub fn label(&self, attribute: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(name, _)| name.value == attribute)
            .map(|(_, label)| label.value.as_str())
    }

    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections
            .iter()
            .flat_map(|s| s.parts.iter().flat_map(|p| p.items.iter()))
    }

    /// The item with `id`, the first when ids repeat.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().find(|i| i.id.value == id)
    }

    /// Gives every item its place, once the sections are read.
    pub fn number_items(&mut self) {
        let items = self
            .sections
            .iter_mut()
            .flat_map(|s| s.parts.iter_mut().flat_map(|p| p.items.iter_mut()));
        for (i, item) in items.enumerate() {
            item.key = ItemId::at(i);
        }
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: Spanned<String>,
    pub title: String,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub title: Option<String>,
    pub items: Vec<Item>,
}

/// A rubric's items by id, each with the place that stands for its id (the last item with
/// that id): made once, to find the entry of every sheet for each item without hashing each
/// sheet's entries.
pub struct ItemIndex<'r> {
    by_id: HashMap<&'r str, (usize, &'r Item)>,
    /// Each item in the rubric's order, with the place that stands for its id.
    places: Vec<(&'r Item, usize)>,
}

impl<'r> ItemIndex<'r> {
    pub fn new(rubric: &'r Rubric) -> ItemIndex<'r> {
        let mut by_id = HashMap::new();
        for (place, item) in rubric.items().enumerate() {
            by_id.insert(item.id.value.as_str(), (place, item));
        }
        let places = rubric
            .items()
            .map(|item| (item, by_id[item.id.value.as_str()].0))
            .collect();
        ItemIndex { by_id, places }
    }

    /// The item with this id, and the place that stands for the id.
    pub fn get(&self, id: &str) -> Option<(usize, &'r Item)> {
        self.by_id.get(id).copied()
    }

    /// Every item in the rubric's order, with the place that stands for its id.
    pub fn items(&self) -> &[(&'r Item, usize)] {
        &self.places
    }

    /// A sheet's entries by the place of their item's id: the last entry for each, as
    /// `Sheet::by_item` has them.
    pub fn entries<'s>(&self, sheet: &'s Sheet) -> Vec<Option<&'s Entry>> {
        let mut found = vec![None; self.places.len()];
        for entry in &sheet.entries {
            if let Some((place, _)) = self.get(&entry.item.value) {
                found[place] = Some(entry);
            }
        }
        found
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    /// Its place in the rubric, which keys its score in every town's scores.
    pub key: ItemId,
    pub id: Spanned<String>,
    pub category: String,
    pub indicator: String,
    pub requirement: String,
    /// Relative paths the requirement links to, located at the requirement.
    pub links: Vec<Spanned<String>>,
    pub points: Spanned<Points>,
    pub assessed_if: Option<Spanned<String>>,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: Spanned<String>,
    pub text: String,
    pub points: Spanned<Points>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attribute {
    Count(u64),
    Flag(bool),
    /// A word, such as a class (一类镇); items cannot depend on it.
    Text(String),
}

impl Attribute {
    /// 0 or false means the items that depend on this attribute are not assessed (不考核).
    pub fn allows_assessment(&self) -> bool {
        !matches!(self, Attribute::Count(0) | Attribute::Flag(false))
    }

    /// The value as written, for a class's name.
    pub fn label(&self) -> String {
        match self {
            Attribute::Count(n) => n.to_string(),
            Attribute::Flag(b) => b.to_string(),
            Attribute::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Clone, Hash)]
pub struct Town {
    pub name: Spanned<String>,
    pub slug: Spanned<String>,
    pub attributes: Vec<(Spanned<String>, Spanned<Attribute>)>,
    pub span: Span,
}

impl Town {
    pub fn attribute(&self, name: &str) -> Option<&Spanned<Attribute>> {
        self.attributes
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(_, v)| v)
    }
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: Spanned<String>,
    pub name: String,
    pub liaison: Option<Person>,
    pub leader: Person,
    pub deputies: Vec<Person>,
    pub members: Vec<Person>,
    pub contact: Option<Person>,
    pub towns: Vec<Spanned<String>>,
}

impl Group {
    /// Everyone who inspects for the group: leader, deputies and members.
    pub fn inspectors(&self) -> impl Iterator<Item = &Person> {
        std::iter::once(&self.leader)
            .chain(&self.deputies)
            .chain(&self.members)
    }

    /// Everyone the group lists: its liaison and contact too.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.liaison
            .iter()
            .chain(self.inspectors())
            .chain(&self.contact)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Final,
}

impl Status {
    /// As sheets write it: `draft` or `final`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Final => "final",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub file: FileId,
    /// The file name without `.yaml`.
    pub stem: String,
    /// A fingerprint of the file's text: a sheet is decoded from its file, name and text alone,
    /// so sheets with the same three are the same.
    pub text: u64,
    pub town: Spanned<String>,
    pub group: Option<Spanned<String>>,
    pub status: Spanned<Status>,
    pub visited: Vec<Spanned<Date>>,
    /// False when `visited` was given but could not be read.
    pub visited_read: bool,
    /// Where the key `scores` stands, for problems with the set of items as a whole.
    pub scores_span: Span,
    pub entries: Vec<Entry>,
    pub summary: Option<String>,
    /// Relative paths the notes and the summary link to, located at the note or summary.
    pub links: Vec<Spanned<String>>,
    pub signoff: Option<Signoff>,
    /// Occurrences of the rubric's adjustments, by adjustment id.
    pub adjustments: Vec<(Spanned<String>, Vec<Occurrence>)>,
    /// The rubric's vetoes that apply to the town, by veto id.
    pub vetoes: Vec<(Spanned<String>, Occurrence)>,
    /// False when some part failed to load: the sheet is reported but never scored.
    pub complete: bool,
}

/// One occurrence of an adjustment, or a veto: why, and the evidence.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub reason: Option<Spanned<String>>,
    pub evidence: Vec<Spanned<String>>,
    pub span: Span,
}

impl Sheet {
    /// Every file the sheet points at: its evidence lists and the links of its notes and
    /// summary, as written, relative to `content/`.
    pub fn paths(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.entries
            .iter()
            .flat_map(|e| e.deductions.iter().flatten())
            .flat_map(|d| &d.evidence)
            .chain(&self.links)
            .chain(self.occurrences().flat_map(|o| &o.evidence))
    }

    /// The occurrences the sheet records of the adjustment `id`; `None` for none.
    pub fn adjusted(&self, id: &str) -> Option<&[Occurrence]> {
        self.adjustments
            .iter()
            .find(|(key, list)| key.value == id && !list.is_empty())
            .map(|(_, list)| list.as_slice())
    }

    /// The sheet's veto `id`, if it records one.
    pub fn vetoed(&self, id: &str) -> Option<&Occurrence> {
        self.vetoes
            .iter()
            .find(|(key, _)| key.value == id)
            .map(|(_, o)| o)
    }

    /// Every occurrence of an adjustment or a veto the sheet records.
    pub fn occurrences(&self) -> impl Iterator<Item = &Occurrence> {
        self.adjustments
            .iter()
            .flat_map(|(_, list)| list)
            .chain(self.vetoes.iter().map(|(_, o)| o))
    }

    /// The sheet's entries by item id.
    pub fn by_item(&self) -> HashMap<&str, &Entry> {
        self.entries
            .iter()
            .map(|e| (e.item.value.as_str(), e))
            .collect()
    }
}

/// The entries of a sheet that may be absent, by item id.
pub fn entries_by_item(sheet: Option<&Sheet>) -> HashMap<&str, &Entry> {
    sheet.map(Sheet::by_item).unwrap_or_default()
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub item: Spanned<String>,
    pub score: Option<Spanned<Points>>,
    pub deductions: Option<Vec<Deduction>>,
    pub criteria: Option<Vec<(Spanned<String>, Spanned<Points>)>>,
    pub not_assessed: Option<Spanned<String>>,
    pub note: Option<String>,
    /// Where the entry's value stands.
    pub span: Span,
    pub complete: bool,
}

/// How an entry scores its item, once checked: exactly one of these.
#[derive(Debug, Clone, Copy)]
pub enum Given<'a> {
    /// 不考核, with the reason.
    NotAssessed(&'a Spanned<String>),
    /// A score per criterion.
    Criteria(&'a [(Spanned<String>, Spanned<Points>)]),
    /// A score, with the deductions that explain it when the sheet gives both.
    Score(Points, &'a [Deduction]),
    /// Deductions from the item's points (扣分).
    Deductions(&'a [Deduction]),
    /// Nothing yet: a draft's entry with a note only.
    Nothing,
}

impl Entry {
    /// What the entry gives, in the order that decides when a sheet gives more than one.
    pub fn given(&self) -> Given<'_> {
        if let Some(reason) = &self.not_assessed {
            Given::NotAssessed(reason)
        } else if let Some(criteria) = &self.criteria {
            Given::Criteria(criteria)
        } else if let Some(score) = &self.score {
            Given::Score(score.value, self.deductions())
        } else if let Some(deductions) = &self.deductions {
            Given::Deductions(deductions)
        } else {
            Given::Nothing
        }
    }

    /// The deductions the entry lists, if any.
    pub fn deductions(&self) -> &[Deduction] {
        self.deductions.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
pub struct Deduction {
    pub points: Spanned<Points>,
    pub reason: Option<Spanned<String>>,
    pub evidence: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Signoff {
    pub leader: Spanned<String>,
    pub members: Vec<Spanned<String>>,
    pub date: Option<Spanned<Date>>,
    pub span: Span,
}

/// Everything loaded from a content folder; a part is `None` when its file could not be read.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub campaign: Option<Campaign>,
    pub rubric: Option<Rubric>,
    pub towns: Option<Vec<Town>>,
    pub groups: Option<Vec<Group>>,
    pub sheets: Vec<Sheet>,
    /// The towns' objections, one file per town, in file order.
    pub objections: Vec<Objections>,
    /// The towns' rectification records, one file per town, in file order.
    pub rectification: Vec<Rectification>,
    /// Which of rubric.yaml, towns.yaml and groups.yaml loaded without a single problem. Rules
    /// that would call something unknown or missing because of a problem already reported
    /// there wait until it is fixed.
    pub whole: Whole,
    /// File names (without `.yaml`) of sheets that could not be read: they exist, so their
    /// towns are not missing a sheet.
    pub unreadable_sheets: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Whole {
    pub rubric: bool,
    pub towns: bool,
    pub groups: bool,
}

/// A campaign whose every part loaded: what the stages after `check` publish from, with
/// nothing left optional that loading decides.
#[derive(Debug, Clone, Copy)]
pub struct Complete<'a> {
    pub campaign: &'a Campaign,
    pub rubric: &'a Rubric,
    pub towns: &'a [Town],
    pub groups: &'a [Group],
    pub sheets: &'a [Sheet],
    pub objections: &'a [Objections],
    pub rectification: &'a [Rectification],
}

impl<'a> Complete<'a> {
    pub fn town(&self, id: TownId) -> &'a Town {
        &self.towns[id.index()]
    }

    pub fn sheet(&self, id: SheetId) -> &'a Sheet {
        &self.sheets[id.index()]
    }

    pub fn consequence(&self, id: ConsequenceId) -> &'a Consequence {
        &self.campaign.consequences[id.index()]
    }

    /// A grade's name.
    pub fn grade(&self, id: GradeId) -> &'a str {
        &self.campaign.grades[id.index()].name.value
    }

    /// Each town's group, by slug: the first group that lists it.
    pub fn group_of_towns(&self) -> HashMap<&'a str, &'a Group> {
        group_of(self.groups)
    }
}

fn group_of(groups: &[Group]) -> HashMap<&str, &Group> {
    let mut group_of = HashMap::new();
    for group in groups {
        for slug in &group.towns {
            group_of.entry(slug.value.as_str()).or_insert(group);
        }
    }
    group_of
}

impl Content {
    /// Everyone the campaign names: the office, then each group's people.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        let office = self.campaign.iter().flat_map(|c| c.office.iter());
        office.chain(self.groups.iter().flatten().flat_map(|g| g.people()))
    }

    /// The ids of the rubric's items, in rubric order.
    pub fn item_ids(&self) -> impl Iterator<Item = &str> {
        self.rubric
            .iter()
            .flat_map(|r| r.items())
            .map(|i| i.id.value.as_str())
    }

    /// The names of the office's people.
    pub fn office_names(&self) -> impl Iterator<Item = &str> {
        self.campaign
            .iter()
            .flat_map(|c| &c.office)
            .map(|p| p.name.value.as_str())
    }

    /// The campaign with every part, when all of them loaded.
    pub fn complete(&self) -> Option<Complete<'_>> {
        Some(Complete {
            campaign: self.campaign.as_ref()?,
            rubric: self.rubric.as_ref()?,
            towns: self.towns.as_deref()?,
            groups: self.groups.as_deref()?,
            sheets: &self.sheets,
            objections: &self.objections,
            rectification: &self.rectification,
        })
    }

    /// The town of `towns` a command names by slug or by name; an error listing the known
    /// slugs otherwise.
    pub fn find_town<'c>(
        &self,
        towns: &'c [Town],
        wanted: &str,
    ) -> crate::problem::Result<&'c Town> {
        towns
            .iter()
            .find(|t| t.slug.value == wanted || t.name.value == wanted)
            .ok_or_else(|| {
                crate::problem::Problem::UnknownTown {
                    wanted: wanted.to_string(),
                    known: self.town_slugs().map(str::to_string).collect(),
                }
                .into()
            })
    }

    /// The towns' slugs, in towns.yaml's order.
    pub fn town_slugs(&self) -> impl Iterator<Item = &str> {
        self.towns.iter().flatten().map(|t| t.slug.value.as_str())
    }

    /// Each town's group, by slug: the first group that lists it.
    pub fn group_of_towns(&self) -> HashMap<&str, &Group> {
        group_of(self.groups.as_deref().unwrap_or_default())
    }

    pub fn lang(&self) -> Lang {
        self.campaign
            .as_ref()
            .map(|c| c.language)
            .unwrap_or_default()
    }
}

impl Points {
    /// With exactly `places` decimals (0, 1 or 2), as a column of figures prints them.
    pub fn fixed(self, places: usize) -> String {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        match places {
            0 => format!("{sign}{}", abs / 100),
            1 => format!("{sign}{}.{}", abs / 100, abs % 100 / 10),
            _ => format!("{sign}{}.{:02}", abs / 100, abs % 100),
        }
    }

    /// The decimals the value needs: 0, 1 or 2.
    pub fn places(self) -> usize {
        match self.0 % 100 {
            0 => 0,
            f if f % 10 == 0 => 1,
            _ => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimals_exactly() {
        assert_eq!(Points::parse("2"), Ok(Points(200)));
        assert_eq!(Points::parse("2.5"), Ok(Points(250)));
        assert_eq!(Points::parse("12.50"), Ok(Points(1250)));
        assert_eq!(Points::parse("0.05"), Ok(Points(5)));
        assert_eq!(Points::parse(".5"), Ok(Points(50)));
        assert_eq!(Points::parse("-1"), Ok(Points(-100)));
        assert_eq!(Points::parse("2.555"), Err(PointsError::TooManyDecimals));
        assert_eq!(Points::parse("2.500"), Ok(Points(250)));
        assert_eq!(Points::parse("1e3"), Err(PointsError::NotANumber));
        assert_eq!(Points::parse("."), Err(PointsError::NotANumber));
        assert_eq!(Points::parse(""), Err(PointsError::NotANumber));
        assert_eq!(
            Points::parse("99999999999999999999"),
            Err(PointsError::TooLarge)
        );
    }

    #[test]
    fn displays_without_trailing_zeros() {
        assert_eq!(Points(200).to_string(), "2");
        assert_eq!(Points(250).to_string(), "2.5");
        assert_eq!(Points(1225).to_string(), "12.25");
        assert_eq!(Points(5).to_string(), "0.05");
        assert_eq!(Points(-150).to_string(), "-1.5");
    }

    #[test]
    fn multiples_of_step() {
        assert!(Points(250).is_multiple_of(Points(50)));
        assert!(!Points(225).is_multiple_of(Points(50)));
        assert!(!Points(225).is_multiple_of(Points(0)));
    }
}

/// Where a town's sheet was deleted: enough to say so, and how to get it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    /// The sheet's path relative to the root.
    pub path: String,
    /// The commit that deleted it (short id), none when the deletion is not committed yet.
    pub commit: Option<String>,
    pub author: String,
    pub date: String,
}
