//! The audit trail: the only module that reads git. One pass over the commits, oldest first,
//! comparing each sheet a commit touched with its previous version, item by item.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use git2::{Delta, DiffFindOptions, DiffOptions, Repository, Sort, StatusOptions};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

mod signature;

pub use signature::{Signature, sign};

use crate::diag::FileId;
use crate::load::decode;
use crate::model::{Content, Deletion, Entry, Points, Rubric, Sheet, Status, entries_by_item};
use crate::problem::{Context, Problem, Result};
use crate::score::{self, ItemScore};
use crate::source::{EntryKind, Evidence, Fetched, MAX_FILE_BYTES, Source as _, WorkTree};

/// The default zone for commit dates when the campaign names none.
pub const DEFAULT_TIMEZONE: &str = "Asia/Shanghai";

#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    /// False when the root is not in a git repository: there is no history.
    pub repository: bool,
    /// The commit checked out, when there is one.
    pub head: Option<String>,
    /// The day that commit was committed, in the campaign's timezone.
    #[serde(skip)]
    pub head_day: Option<Date>,
    /// True when content/ or themes/ differ from that commit.
    pub dirty: bool,
    /// Commits that changed content/, oldest first.
    pub commits: Vec<Commit>,
    /// Changes to sheets, oldest first; uncommitted ones last.
    pub changes: Vec<SheetChange>,
    /// True when `audit.from` names no commit of the history.
    pub unknown_audit_start: bool,
    /// In a shallow clone, the oldest commit present: history before it is missing, so the
    /// audit starts there.
    pub shallow: Option<String>,
    /// The campaign's publication (`ducha publish`), when a tag in the repository records it.
    #[serde(skip)]
    pub published: Option<Publication>,
    /// Every decision on an objection and every closing (销号), as the commit that recorded it
    /// made it, oldest first.
    #[serde(skip)]
    pub rulings: Vec<Ruling>,
}

/// A decision on an objection, or a closing of a problem (销号), and the commit that wrote it.
#[derive(Debug, Clone)]
pub struct Ruling {
    /// Index into `History::commits`.
    pub commit: usize,
    pub town: String,
    pub item: String,
    /// The person the file names: `decided_by`, or `closed.by`.
    pub named: String,
    /// The deduction closed; `None` for a decision on an objection.
    pub deduction: Option<u32>,
    /// The decision, for a decision on an objection.
    pub decision: Option<crate::model::Decision>,
}

/// The rulings a change to an objections or rectification file makes: decisions and closings
/// that are new, or name someone else, in `new` against `old`.
fn rulings(
    old: Option<&[u8]>,
    new: &[u8],
    stem: &str,
    commit: usize,
    objections: bool,
) -> Vec<Ruling> {
    let mut out = Vec::new();
    let decoded = match objections {
        true => parse_with(new, |d, n| decode::objections(d, FileId(0), stem, n)),
        false => None,
    };
    if let Some(new) = decoded {
        let old = old.and_then(|b| parse_with(b, |d, n| decode::objections(d, FileId(0), stem, n)));
        for r in &new.requests {
            let (Some(decision), Some(by)) = (&r.decision, &r.decided_by) else {
                continue;
            };
            let before = old
                .iter()
                .flat_map(|o| &o.requests)
                .find(|o| o.item.value == r.item.value && o.filed.value == r.filed.value);
            let same = before.is_some_and(|o| {
                o.decision.as_ref().map(|d| d.value) == Some(decision.value)
                    && o.decided_by.as_ref().map(|b| &b.value) == Some(&by.value)
            });
            if !same {
                out.push(Ruling {
                    commit,
                    town: new.town.value.clone(),
                    item: r.item.value.clone(),
                    named: by.value.clone(),
                    deduction: None,
                    decision: Some(decision.value),
                });
            }
        }
    }
    let decoded = match objections {
        true => None,
        false => parse_with(new, |d, n| decode::rectification(d, FileId(0), stem, n)),
    };
    if let Some(new) = decoded {
        let old =
            old.and_then(|b| parse_with(b, |d, n| decode::rectification(d, FileId(0), stem, n)));
        for r in &new.records {
            let Some(closed) = &r.closed else {
                continue;
            };
            let before = old
                .iter()
                .flat_map(|o| &o.records)
                .find(|o| o.item.value == r.item.value && o.deduction.value == r.deduction.value);
            let same = before.and_then(|o| o.closed.as_ref()).is_some_and(|c| {
                c.by.value == closed.by.value && c.date.value == closed.date.value
            });
            if !same {
                out.push(Ruling {
                    commit,
                    town: new.town.value.clone(),
                    item: r.item.value.clone(),
                    named: closed.by.value.clone(),
                    deduction: Some(r.deduction.value),
                    decision: None,
                });
            }
        }
    }
    out
}

/// A small content file read from bytes with `decode`; `None` when it does not read.
fn parse_with<T>(
    bytes: &[u8],
    decode: impl FnOnce(&mut decode::Decoder, &crate::load::yaml::Node) -> Option<T>,
) -> Option<T> {
    let text = crate::load::text(bytes.to_vec()).ok()?;
    let mut scratch = Vec::new();
    let mut repaired = None;
    let parsed = crate::load::parse_text(FileId(0), &text, &mut repaired, &mut scratch)?;
    decode(
        &mut decode::Decoder {
            diags: &mut scratch,
            text: parsed.text,
            shifts: parsed.shifts,
        },
        &parsed.node,
    )
}

/// A campaign published with `ducha publish`: an annotated tag whose message ends with the
/// line `Campaign: ID`.
#[derive(Debug, Clone)]
pub struct Publication {
    pub tag: String,
    pub commit: String,
    /// The day of the tag, in the campaign's timezone.
    pub day: Option<Date>,
}

/// The line a publication tag's message ends with, before the campaign's id.
pub const PUBLISHED: &str = "Campaign: ";

/// The earliest publication of the campaign `id` among the repository's tags.
fn publication(repo: &Repository, id: &str, tz: &TimeZone) -> Option<Publication> {
    let wanted = format!("{PUBLISHED}{id}");
    let names = repo.tag_names(None).ok()?;
    let names: Vec<String> = names
        .iter()
        .filter_map(|n| n.ok().flatten())
        .map(str::to_string)
        .collect();
    let mut found: Vec<(i64, Publication)> = names
        .iter()
        .filter_map(|name| {
            let object = repo.revparse_single(&format!("refs/tags/{name}")).ok()?;
            let tag = object.as_tag()?;
            let message = tag.message().ok()??;
            if !message.lines().any(|l| l.trim() == wanted) {
                return None;
            }
            let commit = tag.target().ok()?.peel_to_commit().ok()?;
            let seconds = tag.tagger().map_or(0, |t| t.when().seconds());
            let day = Timestamp::from_second(seconds)
                .ok()
                .map(|t| t.to_zoned_datetime(tz.clone()).date());
            Some((
                seconds,
                Publication {
                    tag: name.to_string(),
                    commit: commit.id().to_string(),
                    day,
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.tag.cmp(&b.1.tag)));
    found.into_iter().next().map(|(_, p)| p)
}

#[derive(Debug, Clone, Serialize)]
pub struct Commit {
    pub id: String,
    pub author: String,
    pub email: String,
    /// Seconds since 1970 (author time).
    pub time: i64,
    /// The author time in the campaign's timezone, `YYYY-MM-DD HH:MM`.
    pub date: String,
    #[serde(skip)]
    pub day: Option<Date>,
    /// False for `audit.from` and the commits before it: shown, not audited.
    pub audited: bool,
    /// True for a commit made after the campaign was published, on top of it.
    #[serde(skip)]
    pub after_publication: bool,
    pub message: String,
    /// Files under content/ that the commit changed, relative to the root.
    pub files: Vec<String>,
    pub signature: Signature,
}

impl Commit {
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }

    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetChange {
    /// Index into `History::commits`; `None` for uncommitted changes in the working tree.
    pub commit: Option<usize>,
    /// The town the sheet is for (its `town:` value, or the file name).
    pub town: String,
    /// The sheet's path relative to the root, after the change.
    pub path: String,
    pub kind: ChangeKind,
    pub items: Vec<Change>,
    /// Whether any score changed (scores, deductions, criteria, not assessed).
    pub scores_changed: bool,
    /// Whether the sheet was signed off before this change.
    pub was_signed: bool,
    /// Whether the change gives a new sign-off (added, or a new date or signers).
    pub signs_off: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    Renamed { from: String },
}

/// One item-level change, as the audit trail shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Score {
        item: String,
        from: Option<Value>,
        to: Option<Value>,
    },
    DeductionAdded {
        item: String,
        points: String,
        reason: String,
    },
    DeductionRemoved {
        item: String,
        points: String,
        reason: String,
    },
    DeductionChanged {
        item: String,
        from: String,
        to: String,
        reason: String,
    },
    Status {
        from: Status,
        to: Status,
    },
    SignedOff {
        leader: String,
        members: Vec<String>,
        date: Option<String>,
    },
    SignoffRemoved,
    /// A sheet's first appearance, in one line: what it scores, of how many points.
    Created {
        earned: Option<String>,
        assessed: Option<String>,
    },
    /// A sheet's removal, in one line.
    Removed,
    Unreadable,
}

impl Change {
    /// The item whose score the change changes, for a change of a score or a deduction.
    pub fn scored_item(&self) -> Option<&str> {
        match self {
            Change::Score { item, .. }
            | Change::DeductionAdded { item, .. }
            | Change::DeductionRemoved { item, .. }
            | Change::DeductionChanged { item, .. } => Some(item),
            _ => None,
        }
    }
}

/// An item's value in one version of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Points(String),
    NotAssessed,
}

impl History {
    pub fn none() -> History {
        History::default()
    }

    /// The deletion of a town's sheet, when the last change the trail shows to the town's sheet
    /// deleted it.
    pub fn deletion(&self, town: &str) -> Option<Deletion> {
        let change = self.changes.iter().rev().find(|c| c.town == town)?;
        if change.kind != ChangeKind::Deleted {
            return None;
        }
        let commit = change.commit.and_then(|i| self.commits.get(i));
        Some(Deletion {
            path: change.path.clone(),
            commit: commit.map(|c| c.short().to_string()),
            author: commit.map_or_else(String::new, |c| c.author.clone()),
            date: commit.map_or_else(String::new, |c| c.date.clone()),
        })
    }
}

/// Where the content repository stands inside a git work tree.
struct Layout {
    repo: Repository,
    /// The root relative to the work tree, with `/` separators and a trailing `/` (or empty).
    prefix: String,
}

fn open(root: &Path) -> Option<Layout> {
    let repo = Repository::discover(root).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let relative = root.strip_prefix(&workdir).ok()?;
    let mut prefix = relative.to_string_lossy().replace('\\', "/");
    if !prefix.is_empty() {
        prefix.push('/');
    }
    Some(Layout { repo, prefix })
}

/// The campaign's timezone, or Asia/Shanghai.
pub fn timezone(content: &Content) -> TimeZone {
    let name = content
        .campaign
        .as_ref()
        .and_then(|c| c.timezone.as_ref())
        .map_or(DEFAULT_TIMEZONE, |t| t.value.as_str());
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// Reads the audit trail of `ROOT/content/sheets/`. A root outside git has no history.
pub fn read(root: &Path, content: &Content) -> Result<History> {
    read_remembering(root, content, None)
}

/// What `serve` keeps of the trail from one rebuild to the next: the commits as read, with a
/// fingerprint of everything they were read with (the commit checked out, the audit's start,
/// the publication, a shallow clone's boundary, the rubric and the timezone). The commits are
/// read again only when one of these changes; the uncommitted changes, every time.
#[derive(Default)]
pub struct Memo {
    walked: Mutex<Option<(u64, Walked)>>,
    /// The sheets of the commit checked out, by the id of their folder's tree.
    committed: Mutex<Option<(git2::Oid, Arc<Committed>)>>,
    /// The working sheets found to hold the bytes of that commit's, by their stamp: not read
    /// again while their stamp and that folder's tree are the same.
    clean: Mutex<Option<(git2::Oid, HashMap<String, crate::source::Stamp>)>>,
    /// The files of content/ and themes/ in the commit checked out, and those found in the
    /// working tree with the commit's bytes, by their stamp (`dirty_remembering`).
    tracked: Mutex<Option<Tracked>>,
}

/// The files of content/ and themes/ in a commit, by the ids of those two trees: each file's
/// path in the work tree and its blob; and the working files found to hold that blob, by their
/// stamp.
struct Tracked {
    trees: (Option<git2::Oid>, Option<git2::Oid>),
    /// Each file's blob, and whether it is executable.
    blobs: HashMap<String, (git2::Oid, bool)>,
    clean: HashMap<String, crate::source::Stamp>,
}

/// The sheets of a commit: each file's bytes by its name.
type Committed = HashMap<String, Vec<u8>>;

/// The part of a trail read from the commits.
#[derive(Clone)]
pub struct Walked {
    commits: Vec<Commit>,
    changes: Vec<SheetChange>,
    rulings: Vec<Ruling>,
    shallow: Option<String>,
}

/// Reads the trail like `read`, taking the commits from `memo` when they were read with the
/// same of everything they depend on.
pub fn read_remembering(root: &Path, content: &Content, memo: Option<&Memo>) -> Result<History> {
    let Some(layout) = open(root) else {
        return Ok(History::none());
    };
    let repo = &layout.repo;
    let tz = timezone(content);
    let mut history = History {
        repository: true,
        ..History::default()
    };
    let head = match repo.head().ok().and_then(|h| h.peel_to_commit().ok()) {
        Some(commit) => commit,
        None => {
            // A repository without commits yet: everything is uncommitted.
            history.dirty = true;
            history.changes = uncommitted(root, &layout, content, None, memo)?;
            return Ok(history);
        }
    };
    history.head = Some(head.id().to_string());
    history.head_day = Timestamp::from_second(head.committer().when().seconds())
        .ok()
        .map(|t| t.to_zoned_datetime(tz.clone()).date());
    history.dirty = match memo {
        Some(memo) => dirty_remembering(
            &layout,
            &head.tree().context(Problem::ReadingHistory)?,
            memo,
        )?,
        None => dirty(&layout)?,
    };

    let mut walk = repo.revwalk().context(Problem::ReadingHistory)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .context(Problem::ReadingHistory)?;
    walk.push(head.id()).context(Problem::ReadingHistory)?;
    let rubric = content.rubric.as_ref();
    let mut baseline = std::collections::HashSet::new();
    let mut start = None;
    if let Some(from) = content
        .campaign
        .as_ref()
        .and_then(|c| c.audit.from.as_ref())
    {
        match repo
            .revparse_single(&from.value)
            .and_then(|o| o.peel_to_commit())
        {
            Ok(first) => {
                start = Some(first.id());
                let mut before = repo.revwalk().context(Problem::ReadingHistory)?;
                before.push(first.id()).context(Problem::ReadingHistory)?;
                for oid in before {
                    baseline.insert(oid.context(Problem::ReadingHistory)?);
                }
            }
            Err(_) => history.unknown_audit_start = true,
        }
    }
    // The commits a publication covers: the one published and all before it.
    history.published = content
        .campaign
        .as_ref()
        .and_then(|c| publication(repo, &c.id.value, &tz));
    let mut published = std::collections::HashSet::new();
    if let Some(p) = &history.published
        && let Ok(oid) = git2::Oid::from_str(&p.commit)
    {
        let mut before = repo.revwalk().context(Problem::ReadingHistory)?;
        before.push(oid).context(Problem::ReadingHistory)?;
        for oid in before {
            published.insert(oid.context(Problem::ReadingHistory)?);
        }
    }
    // In a shallow clone the oldest commits present stand for all that came before them: their
    // sheets are the starting point, not additions.
    let boundary: std::collections::HashSet<git2::Oid> = if repo.is_shallow() {
        std::fs::read_to_string(repo.path().join("shallow"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| git2::Oid::from_str(l.trim()).ok())
            .collect()
    } else {
        Default::default()
    };
    let key = memo.map(|_| {
        use std::hash::{Hash as _, Hasher as _};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        head.id().as_bytes().hash(&mut hasher);
        layout.prefix.hash(&mut hasher);
        tz.iana_name().hash(&mut hasher);
        format!("{tz:?}").hash(&mut hasher);
        start.map(|s| s.to_string()).hash(&mut hasher);
        history.unknown_audit_start.hash(&mut hasher);
        format!("{:?}", history.published).hash(&mut hasher);
        let mut boundary: Vec<String> = boundary.iter().map(|o| o.to_string()).collect();
        boundary.sort();
        boundary.hash(&mut hasher);
        format!("{rubric:?}").hash(&mut hasher);
        hasher.finish()
    });
    let known = memo.zip(key).and_then(|(memo, key)| {
        let memo = memo.walked.lock().unwrap_or_else(|e| e.into_inner());
        memo.as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, w)| w.clone())
    });
    if let Some(walked) = known {
        history.commits = walked.commits;
        history.changes = walked.changes;
        history.rulings = walked.rulings;
        history.shallow = walked.shallow;
    } else {
        walk_commits(
            repo,
            &layout,
            walk,
            &mut history,
            rubric,
            &tz,
            (&baseline, &published, &boundary),
        )?;
        if let (Some(memo), Some(key)) = (memo, key) {
            let walked = Walked {
                commits: history.commits.clone(),
                changes: history.changes.clone(),
                rulings: history.rulings.clone(),
                shallow: history.shallow.clone(),
            };
            *memo.walked.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, walked));
        }
    }
    history.changes.extend(uncommitted(
        root,
        &layout,
        content,
        Some(&head.tree().context(Problem::ReadingHistory)?),
        memo,
    )?);
    Ok(history)
}

/// The commits from the first to `walk`'s last, each with the changes it made to the sheets and
/// the rulings it recorded, into `history`.
fn walk_commits(
    repo: &Repository,
    layout: &Layout,
    walk: git2::Revwalk,
    history: &mut History,
    rubric: Option<&crate::model::Rubric>,
    tz: &TimeZone,
    (baseline, published, boundary): (
        &std::collections::HashSet<git2::Oid>,
        &std::collections::HashSet<git2::Oid>,
        &std::collections::HashSet<git2::Oid>,
    ),
) -> Result<()> {
    let content_dir = format!("{}content", layout.prefix);
    let sheets_dir = format!("{content_dir}/sheets/");
    let objections_dir = format!("{content_dir}/objections/");
    let records_dir = format!("{content_dir}/rectification/");
    let mut last: HashMap<String, (git2::Oid, Version)> = HashMap::new();
    // Each town's latest version, kept after its sheet is deleted: a sheet is its town's, across
    // deletions and renames.
    let mut by_town: HashMap<String, Version> = HashMap::new();
    let odb = repo.odb().context(Problem::ReadingHistory)?;
    crate::progress::stage(crate::progress::Stage::History, None);
    for oid in walk {
        crate::progress::advance(1);
        let oid = oid.context(Problem::ReadingHistory)?;
        let commit = repo.find_commit(oid).context(Problem::ReadingHistory)?;
        let starts_history = boundary.contains(&oid);
        if starts_history && history.shallow.is_none() {
            history.shallow = Some(oid.to_string());
        }
        let tree = commit.tree().context(Problem::ReadingHistory)?;
        let parent_tree = match commit.parents().next() {
            Some(parent) => Some(parent.tree().context(Problem::ReadingHistory)?),
            None => None,
        };
        let entry = |t: &git2::Tree| t.get_path(Path::new(&content_dir)).ok().map(|e| e.id());
        if entry(&tree) == parent_tree.as_ref().and_then(entry) {
            continue;
        }
        let mut options = DiffOptions::new();
        options.pathspec(&content_dir).skip_binary_check(true);
        let mut diff = repo
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))
            .context(Problem::ReadingHistory)?;
        // Renames need a file removed and one added in the same commit.
        let statuses: Vec<Delta> = diff.deltas().map(|d| d.status()).collect();
        if statuses.contains(&Delta::Added) && statuses.contains(&Delta::Deleted) {
            diff.find_similar(Some(DiffFindOptions::new().renames(true)))
                .context(Problem::ReadingHistory)?;
        }
        let author = commit.author();
        let time = author.when().seconds();
        let zoned = Timestamp::from_second(time)
            .ok()
            .map(|t| t.to_zoned_datetime(tz.clone()));
        let index = history.commits.len();
        let mut files = Vec::new();
        for delta in diff.deltas() {
            let new_path = path_of(delta.new_file().path());
            let old_path = path_of(delta.old_file().path());
            files.push(strip(&new_path, &layout.prefix));
            if (new_path.starts_with(&objections_dir) || new_path.starts_with(&records_dir))
                && let Some(new) = capped_blob(repo, delta.new_file().id())
            {
                let old = capped_blob(repo, delta.old_file().id());
                history.rulings.extend(rulings(
                    old.as_deref(),
                    &new,
                    stem_of(&new_path),
                    index,
                    new_path.starts_with(&objections_dir),
                ));
            }
            if !new_path.starts_with(&sheets_dir) && !old_path.starts_with(&sheets_dir) {
                continue;
            }
            let (old_id, new_id) = (delta.old_file().id(), delta.new_file().id());
            // The version before is usually the one the last change to this path made.
            let old = match last.get(&old_path) {
                Some((id, version)) if *id == old_id => version.clone(),
                _ => Version::from_git(repo, old_id, stem_of(&old_path)),
            };
            let new = Version::from_git(repo, new_id, stem_of(&new_path));
            last.remove(&old_path);
            if !new_id.is_zero() {
                last.insert(new_path.clone(), (new_id, new.clone()));
            }
            // A sheet that appears compares with its town's last version, if it had one.
            let old = match (&old, &new) {
                (Version { present: false, .. }, Version { present: true, .. }) => by_town
                    .get(&new.town(stem_of(&new_path)))
                    .cloned()
                    .unwrap_or(old),
                _ => old,
            };
            if new.present {
                by_town.insert(new.town(stem_of(&new_path)), new.clone());
            }
            if starts_history {
                continue;
            }
            let kind = match delta.status() {
                Delta::Added | Delta::Copied => ChangeKind::Added,
                Delta::Deleted => ChangeKind::Deleted,
                Delta::Renamed => ChangeKind::Renamed {
                    from: strip(&old_path, &layout.prefix),
                },
                _ => ChangeKind::Modified,
            };
            let path = strip(
                if delta.status() == Delta::Deleted {
                    &old_path
                } else {
                    &new_path
                },
                &layout.prefix,
            );
            history
                .changes
                .push(compare(Some(index), path, kind, &old, &new, rubric));
        }
        files.sort();
        files.dedup();
        history.commits.push(Commit {
            id: commit.id().to_string(),
            author: author.name().unwrap_or("").to_string(),
            email: author.email().unwrap_or("").to_string(),
            time,
            date: zoned
                .as_ref()
                .map(|z| z.strftime("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            day: zoned.map(|z| z.date()),
            message: commit.message().unwrap_or("").trim_end().to_string(),
            files,
            audited: !baseline.contains(&oid) && !starts_history,
            after_publication: history.published.is_some() && !published.contains(&oid),
            signature: odb
                .read(oid)
                .map_or(Signature::Unsigned, |raw| signature::read(raw.data())),
        });
    }
    Ok(())
}

fn path_of(path: Option<&Path>) -> String {
    path.map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default()
}

fn strip(path: &str, prefix: &str) -> String {
    path.strip_prefix(prefix).unwrap_or(path).to_string()
}

/// Whether content/ or themes/ differ from the commit checked out.
fn dirty(layout: &Layout) -> Result<bool> {
    let mut options = StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .pathspec(format!("{}content", layout.prefix))
        .pathspec(format!("{}themes", layout.prefix));
    let statuses = layout
        .repo
        .statuses(Some(&mut options))
        .context(Problem::ReadingStatus)?;
    Ok(!statuses.is_empty())
}

/// Whether content/ or themes/ differ from the commit checked out, as `dirty` says, without
/// asking git of every file: a file is known to hold the commit's bytes by the stamp it had
/// when it did, or by the id of its bytes as a blob; any other file is asked of git
/// (`status_file`, with the repository's filters), and a file added or removed, or anything
/// this cannot tell, makes git's whole status the answer.
fn dirty_remembering(layout: &Layout, head: &git2::Tree, memo: &Memo) -> Result<bool> {
    let repo = &layout.repo;
    let Some(workdir) = repo.workdir() else {
        return dirty(layout);
    };
    let folders = ["content", "themes"].map(|f| format!("{}{f}", layout.prefix));
    let tree_of = |folder: &str| head.get_path(Path::new(folder)).ok().map(|e| e.id());
    let trees = (tree_of(&folders[0]), tree_of(&folders[1]));
    let known = memo
        .tracked
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .filter(|t| t.trees == trees);
    let mut tracked = match known {
        Some(tracked) => tracked,
        None => {
            let mut blobs = HashMap::new();
            for (folder, tree) in folders.iter().zip([trees.0, trees.1]) {
                let Some(tree) = tree.and_then(|id| repo.find_tree(id).ok()) else {
                    continue;
                };
                tree.walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
                    if entry.kind() == Some(git2::ObjectType::Blob)
                        && let Ok(name) = entry.name()
                    {
                        let executable = entry.filemode() == 0o100755;
                        blobs.insert(format!("{folder}/{parent}{name}"), (entry.id(), executable));
                    }
                    git2::TreeWalkResult::Ok
                })
                .context(Problem::ReadingStatus)?;
            }
            Tracked {
                trees,
                blobs,
                clean: HashMap::new(),
            }
        }
    };
    let answer = compare_tracked(repo, workdir, &folders, &mut tracked);
    *memo.tracked.lock().unwrap_or_else(|e| e.into_inner()) = Some(tracked);
    match answer {
        Some(dirty) => Ok(dirty),
        None => dirty(layout),
    }
}

/// Whether the working files of `folders` differ from `tracked`'s: `None` when a file was
/// added or removed, or cannot be told apart without git's whole status.
fn compare_tracked(
    repo: &Repository,
    workdir: &Path,
    folders: &[String],
    tracked: &mut Tracked,
) -> Option<bool> {
    let mut seen = 0usize;
    let mut stack: Vec<String> = folders.to_vec();
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(workdir.join(&folder)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let path = format!("{folder}/{name}");
            let meta = entry.path().symlink_metadata().ok()?;
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            let Some(&(blob, executable)) = tracked.blobs.get(&path) else {
                if repo.is_path_ignored(Path::new(&path)).ok()? {
                    continue;
                }
                return None;
            };
            seen += 1;
            let stamp = crate::source::Stamp::now(&meta);
            if stamp.is_some() && tracked.clean.get(&path) == stamp.as_ref() {
                continue;
            }
            let same = meta.is_file()
                && is_executable(&meta) == executable
                && std::fs::read(entry.path())
                    .ok()
                    .and_then(|bytes| git2::Oid::hash_object(git2::ObjectType::Blob, &bytes).ok())
                    == Some(blob);
            if same {
                if let Some(stamp) = crate::source::Stamp::of(&meta) {
                    tracked.clean.insert(path, stamp);
                }
                continue;
            }
            tracked.clean.remove(&path);
            let status = repo.status_file(Path::new(&path)).ok()?;
            if !status.is_empty() {
                return Some(true);
            }
        }
    }
    (seen == tracked.blobs.len()).then_some(false)
}

/// Whether a working file is executable, as git records it.
#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

/// Sheets in the working tree that differ from the commit checked out.
fn uncommitted(
    root: &Path,
    layout: &Layout,
    content: &Content,
    head: Option<&git2::Tree>,
    memo: Option<&Memo>,
) -> Result<Vec<SheetChange>> {
    let folder = head.and_then(|tree| {
        tree.get_path(Path::new(&format!("{}content/sheets", layout.prefix)))
            .ok()
    });
    let folder = folder.map(|f| f.id());
    let known = memo.and_then(|memo| {
        let committed = memo.committed.lock().unwrap_or_else(|e| e.into_inner());
        committed
            .as_ref()
            .filter(|(id, _)| Some(*id) == folder)
            .map(|(_, sheets)| Arc::clone(sheets))
    });
    let committed: Arc<Committed> = match known {
        Some(sheets) => sheets,
        None => {
            let sheets: Committed = folder
                .and_then(|id| {
                    let dir = layout.repo.find_tree(id).ok()?;
                    Some(
                        dir.iter()
                            .filter_map(|e| {
                                let name = e.name().ok()?.to_string();
                                Some((name, capped_blob(&layout.repo, e.id())?))
                            })
                            .collect(),
                    )
                })
                .unwrap_or_default();
            let sheets = Arc::new(sheets);
            if let (Some(memo), Some(id)) = (memo, folder) {
                *memo.committed.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some((id, Arc::clone(&sheets)));
            }
            sheets
        }
    };
    // A sheet that held the commit's bytes with the stamp it has now still does.
    let known_clean = memo
        .and_then(|memo| {
            let clean = memo.clean.lock().unwrap_or_else(|e| e.into_inner());
            clean
                .as_ref()
                .filter(|(id, _)| Some(*id) == folder)
                .map(|(_, clean)| clean.clone())
        })
        .unwrap_or_default();
    let mut clean = HashMap::new();
    // Read as every content file is read: regular files inside the repository, capped.
    let tree = WorkTree::new(root)?;
    let mut on_disk: Vec<(String, Vec<u8>)> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for entry in tree.list("content/sheets")?.unwrap_or_default() {
        if !entry.usable || !entry.name.ends_with(".yaml") {
            continue;
        }
        names.insert(entry.name.clone());
        if entry.kind != EntryKind::File {
            continue;
        }
        let path = format!("content/sheets/{}", entry.name);
        if let Some(stamp) = known_clean.get(&entry.name)
            && tree.stamp(&path) == Some(*stamp)
        {
            clean.insert(entry.name, *stamp);
            continue;
        }
        let (fetched, stamp) = tree.read_stamped(&path)?;
        let Fetched::Bytes(bytes) = fetched else {
            continue;
        };
        if committed.get(&entry.name) == Some(&bytes) {
            if let Some(stamp) = stamp {
                clean.insert(entry.name, stamp);
            }
            continue;
        }
        on_disk.push((entry.name, bytes));
    }
    if let (Some(memo), Some(id)) = (memo, folder) {
        *memo.clean.lock().unwrap_or_else(|e| e.into_inner()) = Some((id, clean));
    }
    let rubric = content.rubric.as_ref();
    let mut out = Vec::new();
    for (name, bytes) in &on_disk {
        let old = committed.get(name);
        if old.is_some_and(|o| o == bytes) {
            continue;
        }
        let kind = if old.is_some() {
            ChangeKind::Modified
        } else {
            ChangeKind::Added
        };
        let stem = stem_of(name);
        out.push(compare(
            None,
            format!("content/sheets/{name}"),
            kind,
            &Version::of(old.map(Vec::as_slice), stem),
            &Version::of(Some(bytes), stem),
            rubric,
        ));
    }
    let mut gone: Vec<&String> = committed
        .keys()
        .filter(|k| k.ends_with(".yaml") && !names.contains(*k))
        .collect();
    gone.sort();
    for name in gone {
        out.push(compare(
            None,
            format!("content/sheets/{name}"),
            ChangeKind::Deleted,
            &Version::of(committed.get(name).map(Vec::as_slice), stem_of(name)),
            &Version::default(),
            rubric,
        ));
    }
    Ok(out)
}

/// Reads one version of a sheet, leniently: history shows what it can, and reads full-width
/// slips as meant, as the checks do.
pub fn parse_sheet(bytes: &[u8], stem: &str) -> Option<Sheet> {
    let text = crate::load::text(bytes.to_vec()).ok()?;
    let mut scratch = Vec::new();
    let mut repaired = None;
    let parsed = crate::load::parse_text(FileId(0), &text, &mut repaired, &mut scratch)?;
    decode::sheet(
        &mut decode::Decoder {
            diags: &mut scratch,
            text: parsed.text,
            shifts: parsed.shifts,
        },
        FileId(0),
        stem,
        &parsed.node,
    )
}

fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".yaml").unwrap_or(name)
}

/// One version of a sheet: absent, there but unreadable, or read.
#[derive(Clone, Default)]
struct Version {
    present: bool,
    sheet: Option<Rc<Sheet>>,
}

/// A blob's bytes, when it exists and is no larger than any content file may be.
fn capped_blob(repo: &Repository, id: git2::Oid) -> Option<Vec<u8>> {
    let (size, _) = repo.odb().ok()?.read_header(id).ok()?;
    if size as u64 > MAX_FILE_BYTES {
        return None;
    }
    repo.find_blob(id).ok().map(|b| b.content().to_vec())
}

impl Version {
    /// A version from git's objects: absent for the zero id, unreadable when too large.
    fn from_git(repo: &Repository, id: git2::Oid, stem: &str) -> Version {
        if id.is_zero() {
            return Version::default();
        }
        match capped_blob(repo, id) {
            Some(bytes) => Version::of(Some(&bytes), stem),
            None => Version {
                present: true,
                sheet: None,
            },
        }
    }

    /// The town the version is for: its `town:` value, or the file name.
    fn town(&self, stem: &str) -> String {
        self.sheet
            .as_ref()
            .map_or_else(|| stem.to_string(), |s| s.town.value.clone())
    }

    fn of(bytes: Option<&[u8]>, stem: &str) -> Version {
        Version {
            present: bytes.is_some(),
            sheet: bytes.and_then(|b| parse_sheet(b, stem)).map(Rc::new),
        }
    }
}

fn compare(
    commit: Option<usize>,
    path: String,
    kind: ChangeKind,
    old: &Version,
    new: &Version,
    rubric: Option<&Rubric>,
) -> SheetChange {
    let stem = stem_of(&path).to_string();
    let (old_sheet, new_sheet) = (old.sheet.as_deref(), new.sheet.as_deref());
    let town = new_sheet
        .or(old_sheet)
        .map_or(stem, |s| s.town.value.clone());
    let mut items = Vec::new();
    if (old.present && old_sheet.is_none()) || (new.present && new_sheet.is_none()) {
        items.push(Change::Unreadable);
    }
    let detail = detailed_changes(old_sheet, new_sheet, rubric);
    let scores_changed = detail.iter().any(|c| {
        matches!(
            c,
            Change::Score { .. }
                | Change::DeductionAdded { .. }
                | Change::DeductionRemoved { .. }
                | Change::DeductionChanged { .. }
        )
    });
    let signs_off = detail.iter().any(|c| matches!(c, Change::SignedOff { .. }));
    // An unreadable version is no first appearance or removal: its changes stay item by item.
    if old.present == old_sheet.is_some() && new.present == new_sheet.is_some() {
        items.extend(summarize(old_sheet, new_sheet, rubric, detail));
    } else {
        items.extend(detail);
    }
    SheetChange {
        commit,
        town,
        path,
        kind,
        items,
        scores_changed,
        was_signed: old_sheet.is_some_and(|s| s.signoff.is_some()),
        signs_off,
    }
}

fn value(points: Option<Points>, entry: &Entry) -> Option<Value> {
    // Without the rubric, deductions alone cannot be turned into a score.
    let points = match points {
        Some(p) => p,
        None if entry.deductions.is_some() && entry.score.is_none() => return None,
        None => Points::ZERO,
    };
    match score::item_score(points, entry)? {
        ItemScore::Scored(p) => Some(Value::Points(p.to_string())),
        ItemScore::NotAssessed => Some(Value::NotAssessed),
    }
}

/// The differences between two versions of a sheet as the trail tells them: a sheet that
/// appears or goes in one line, any other change item by item, in rubric order.
pub fn item_changes(
    old: Option<&Sheet>,
    new: Option<&Sheet>,
    rubric: Option<&Rubric>,
) -> Vec<Change> {
    summarize(old, new, rubric, detailed_changes(old, new, rubric))
}

fn summarize(
    old: Option<&Sheet>,
    new: Option<&Sheet>,
    rubric: Option<&Rubric>,
    detail: Vec<Change>,
) -> Vec<Change> {
    match (old, new) {
        (None, Some(sheet)) => vec![created(sheet, rubric)],
        (Some(_), None) => vec![Change::Removed],
        _ => detail,
    }
}

/// A new sheet's points: earned over the items it scores, of those items' points.
fn created(sheet: &Sheet, rubric: Option<&Rubric>) -> Change {
    let Some(rubric) = rubric else {
        return Change::Created {
            earned: None,
            assessed: None,
        };
    };
    let entries = sheet.by_item();
    let (mut earned, mut assessed) = (Points::ZERO, Points::ZERO);
    for item in rubric.items() {
        let score = entries
            .get(item.id.value.as_str())
            .and_then(|e| score::item_score(item.points.value, e));
        if let Some(ItemScore::Scored(p)) = score {
            earned = earned + p;
            assessed = assessed + item.points.value;
        }
    }
    Change::Created {
        earned: Some(earned.to_string()),
        assessed: Some(assessed.to_string()),
    }
}

/// Every item-level difference between two versions of a sheet, in rubric order.
fn detailed_changes(
    old: Option<&Sheet>,
    new: Option<&Sheet>,
    rubric: Option<&Rubric>,
) -> Vec<Change> {
    let mut out = Vec::new();
    let status = |s: Option<&Sheet>| s.map(|s| s.status.value);
    if let (Some(from), Some(to)) = (status(old), status(new))
        && from != to
    {
        out.push(Change::Status { from, to });
    }
    let (old_entries, new_entries) = (entries_by_item(old), entries_by_item(new));
    let mut ids: Vec<&str> = rubric
        .map(|r| r.items().map(|i| i.id.value.as_str()).collect())
        .unwrap_or_default();
    let known: std::collections::HashSet<&str> = ids.iter().copied().collect();
    let mut extra: Vec<&str> = old_entries
        .keys()
        .chain(new_entries.keys())
        .copied()
        .filter(|k| !known.contains(k))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    ids.extend(extra);
    let points: HashMap<&str, Points> = rubric
        .map(|r| {
            r.items()
                .map(|i| (i.id.value.as_str(), i.points.value))
                .collect()
        })
        .unwrap_or_default();
    for &id in &ids {
        let (a, b) = (old_entries.get(id).copied(), new_entries.get(id).copied());
        if a.is_none() && b.is_none() {
            continue;
        }
        let p = points.get(id).copied();
        let (va, vb) = (a.and_then(|e| value(p, e)), b.and_then(|e| value(p, e)));
        if va != vb {
            out.push(Change::Score {
                item: id.to_string(),
                from: va,
                to: vb,
            });
        }
        let deductions = |e: Option<&Entry>| -> Vec<(String, String)> {
            e.and_then(|e| e.deductions.as_ref())
                .map(|ds| {
                    ds.iter()
                        .map(|d| {
                            (
                                d.points.value.to_string(),
                                d.reason
                                    .as_ref()
                                    .map(|r| r.value.trim().to_string())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (mut gone, mut added) = (deductions(a), Vec::new());
        for d in deductions(b) {
            match gone.iter().position(|x| *x == d) {
                Some(i) => {
                    gone.remove(i);
                }
                None => added.push(d),
            }
        }
        for (points, reason) in added {
            // The same reason with other points is a changed deduction, not a new one.
            match gone.iter().position(|x| x.1 == reason) {
                Some(i) => {
                    let (from, _) = gone.remove(i);
                    out.push(Change::DeductionChanged {
                        item: id.to_string(),
                        from,
                        to: points,
                        reason,
                    });
                }
                None => out.push(Change::DeductionAdded {
                    item: id.to_string(),
                    points,
                    reason,
                }),
            }
        }
        for (points, reason) in gone {
            out.push(Change::DeductionRemoved {
                item: id.to_string(),
                points,
                reason,
            });
        }
    }
    let signoff = |s: Option<&Sheet>| {
        s.and_then(|s| s.signoff.as_ref()).map(|so| {
            (
                so.leader.value.clone(),
                so.members
                    .iter()
                    .map(|m| m.value.clone())
                    .collect::<Vec<_>>(),
                so.date.as_ref().map(|d| d.value.to_string()),
            )
        })
    };
    match (signoff(old), signoff(new)) {
        (a, Some(b)) if a.as_ref() != Some(&b) => out.push(Change::SignedOff {
            leader: b.0,
            members: b.1,
            date: b.2,
        }),
        (Some(_), None) if new.is_some() => out.push(Change::SignoffRemoved),
        _ => {}
    }
    out
}

/// The content of a commit, read from git's objects in memory: nothing is written to disk.
pub struct GitTree {
    /// Open handles on the repository, one lent to each thread reading at a time: libgit2
    /// handles are not shared between threads.
    repos: Mutex<Vec<Repository>>,
    /// The repository's git folder, to open another handle.
    git_dir: PathBuf,
    tree: git2::Oid,
    /// The campaign root inside the repository, as folder names.
    root: Vec<String>,
    /// Each folder read so far, by its tree's id: its entries by name. A folder of 40,000
    /// sheets is one tree object of megabytes, read once rather than once per sheet.
    folders: Mutex<HashMap<git2::Oid, Arc<Folder>>>,
}

/// A folder of a commit's tree: each entry's mode and object, by name.
type Folder = HashMap<Vec<u8>, (i32, git2::Oid)>;

/// Where a path of a commit's tree leads, links followed.
enum Located {
    Blob(git2::Oid, Vec<String>),
    Tree(git2::Oid),
    Missing,
    Outside,
    Other,
}

const MODE_TREE: i32 = 0o040000;
const MODE_LINK: i32 = 0o120000;
const MODE_COMMIT: i32 = 0o160000;
/// Links followed before a path is taken for a loop.
const MAX_HOPS: usize = 8;

impl GitTree {
    /// Follows `parts` (relative to the campaign root) through the tree, as a checkout would.
    fn locate(&self, repo: &Repository, parts: &[&str]) -> Located {
        let top = self.tree;
        let mut pending: std::collections::VecDeque<String> = self
            .root
            .iter()
            .cloned()
            .chain(parts.iter().map(|p| p.to_string()))
            .collect();
        let mut hops = 0;
        'walk: loop {
            let mut current = top;
            let mut walked: Vec<String> = Vec::new();
            while let Some(part) = pending.pop_front() {
                let Some(folder) = self.folder(repo, current) else {
                    return Located::Missing;
                };
                let Some(&(mode, id)) = folder.get(part.as_bytes()) else {
                    return Located::Missing;
                };
                match mode {
                    MODE_TREE => {
                        current = id;
                        walked.push(part);
                    }
                    MODE_LINK => {
                        hops += 1;
                        let target = capped_blob(repo, id);
                        let Some(target) =
                            target.as_deref().and_then(|b| std::str::from_utf8(b).ok())
                        else {
                            return Located::Other;
                        };
                        if hops > MAX_HOPS {
                            return Located::Other;
                        }
                        if target.starts_with('/') {
                            return Located::Outside;
                        }
                        let mut next = walked;
                        for piece in target.split('/') {
                            match piece {
                                "" | "." => {}
                                ".." => {
                                    if next.pop().is_none() {
                                        return Located::Outside;
                                    }
                                }
                                piece => next.push(piece.to_string()),
                            }
                        }
                        next.extend(pending.drain(..));
                        pending = next.into();
                        continue 'walk;
                    }
                    MODE_COMMIT => return Located::Other,
                    _ if pending.is_empty() => {
                        walked.push(part);
                        return match walked.strip_prefix(self.root.as_slice()) {
                            Some(rest) if rest.first().is_some_and(|f| f != ".git") => {
                                Located::Blob(id, rest.to_vec())
                            }
                            _ => Located::Outside,
                        };
                    }
                    _ => return Located::Missing,
                }
            }
            return if walked.starts_with(&self.root) {
                Located::Tree(current)
            } else {
                Located::Outside
            };
        }
    }

    /// A handle on the repository for this thread, back to the others when dropped.
    fn repo(&self) -> Lease<'_> {
        loop {
            let lent = self.repos.lock().unwrap_or_else(|e| e.into_inner()).pop();
            if let Some(repo) = lent.or_else(|| Repository::open(&self.git_dir).ok()) {
                return Lease {
                    repo: Some(repo),
                    tree: self,
                };
            }
            // No handle free and none can be opened: the first comes back soon.
            std::thread::yield_now();
        }
    }

    /// The entries of the tree `id`, read once.
    fn folder(&self, repo: &Repository, id: git2::Oid) -> Option<Arc<Folder>> {
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(folder) = folders.get(&id) {
            return Some(folder.clone());
        }
        let tree = repo.find_tree(id).ok()?;
        let folder: Folder = tree
            .iter()
            .map(|e| (e.name_bytes().to_vec(), (e.filemode(), e.id())))
            .collect();
        let folder = Arc::new(folder);
        folders.insert(id, folder.clone());
        Some(folder)
    }
}

/// A repository handle lent by a `GitTree`.
struct Lease<'t> {
    repo: Option<Repository>,
    tree: &'t GitTree,
}

impl std::ops::Deref for Lease<'_> {
    type Target = Repository;
    fn deref(&self) -> &Repository {
        self.repo
            .as_ref()
            .expect("a lease holds its handle until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(repo) = self.repo.take() {
            let mut repos = self.tree.repos.lock().unwrap_or_else(|e| e.into_inner());
            repos.push(repo);
        }
    }
}

impl crate::source::Source for GitTree {
    fn read(&self, path: &str) -> Result<Fetched> {
        let repo = self.repo();
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        Ok(match self.locate(&repo, &parts) {
            Located::Blob(id, _) => match capped_blob(&repo, id) {
                Some(bytes) => Fetched::Bytes(bytes),
                None => Fetched::TooLarge,
            },
            Located::Tree(_) | Located::Other => Fetched::NotAFile,
            Located::Outside => Fetched::Outside,
            Located::Missing => Fetched::Missing,
        })
    }

    fn list(&self, folder: &str) -> Result<Option<Vec<crate::source::Entry>>> {
        use crate::source::{Entry, EntryKind};
        let repo = self.repo();
        let parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
        let Located::Tree(id) = self.locate(&repo, &parts) else {
            return Ok(None);
        };
        let tree = repo.find_tree(id).context(Problem::ReadingHistory)?;
        let mut out = Vec::new();
        for entry in tree.iter() {
            // A crafted tree may name an entry `..`, `/etc/x` or `a/b`: never a file of ours.
            let (name, usable) = match entry.name() {
                Ok(name) => (
                    name.to_string(),
                    !matches!(name, "" | "." | "..") && !name.contains(['/', '\\', '\0']),
                ),
                Err(_) => (
                    String::from_utf8_lossy(entry.name_bytes()).into_owned(),
                    false,
                ),
            };
            let kind = match entry.filemode() {
                MODE_TREE => EntryKind::Folder,
                MODE_COMMIT => EntryKind::Other,
                MODE_LINK if usable => {
                    let mut path = parts.clone();
                    path.push(&name);
                    match self.locate(&repo, &path) {
                        Located::Blob(..) => EntryKind::File,
                        Located::Tree(_) => EntryKind::Folder,
                        _ => EntryKind::Other,
                    }
                }
                MODE_LINK => EntryKind::Other,
                _ => EntryKind::File,
            };
            out.push(Entry { name, usable, kind });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Some(out))
    }

    fn evidence(&self, written: &str) -> Evidence {
        let parts = match crate::source::admissible(written) {
            Ok(parts) => parts,
            Err(verdict) => return verdict,
        };
        let repo = self.repo();
        match self.locate(&repo, &parts) {
            Located::Blob(_, resolved) if resolved.iter().any(|p| p.starts_with('.')) => {
                Evidence::Hidden
            }
            Located::Blob(_, resolved) => Evidence::Present {
                resolved: resolved.join("/"),
            },
            Located::Tree(_) | Located::Other => Evidence::NotAFile,
            Located::Outside => Evidence::Outside,
            Located::Missing => Evidence::Missing,
        }
    }

    fn local(&self, _resolved: &str) -> Option<PathBuf> {
        None
    }
}

/// The campaign as it was at `revision` (a commit id, tag, branch or `HEAD~1`), and the id of
/// that commit.
pub fn commit_tree(root: &Path, revision: &str) -> Result<(GitTree, String)> {
    let layout = open(root).with_context(|| Problem::NotARepository(root.to_path_buf()))?;
    let (tree, id) = {
        let commit = layout
            .repo
            .revparse_single(revision)
            .and_then(|o| o.peel_to_commit())
            .ok()
            .with_context(|| Problem::NoCommit(revision.to_string()))?;
        (commit.tree_id(), commit.id().to_string())
    };
    let root = layout
        .prefix
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    Ok((
        GitTree {
            git_dir: layout.repo.path().to_path_buf(),
            repos: Mutex::new(vec![layout.repo]),
            tree,
            root,
            folders: Mutex::new(HashMap::new()),
        },
        id,
    ))
}

/// The day commit `id` was committed, in the campaign's timezone.
pub fn commit_day(root: &Path, id: &str, content: &Content) -> Option<Date> {
    let layout = open(root)?;
    let oid = git2::Oid::from_str(id).ok()?;
    let commit = layout.repo.find_commit(oid).ok()?;
    let when = Timestamp::from_second(commit.committer().when().seconds()).ok()?;
    Some(when.to_zoned_datetime(timezone(content)).date())
}

/// Today, in the campaign's timezone.
pub fn today(content: &Content) -> Date {
    Timestamp::now().to_zoned_datetime(timezone(content)).date()
}

/// A commit and its signature, as `diff` lists the commits it compares across.
#[derive(Debug, Clone)]
pub struct SignedCommit {
    pub id: String,
    pub summary: String,
    pub signature: Signature,
}

/// The commits reachable from `head` and not from `base`, oldest first.
pub fn between(root: &Path, base: &str, head: &str) -> Result<Vec<SignedCommit>> {
    let layout = open(root).with_context(|| Problem::NotARepository(root.to_path_buf()))?;
    let repo = &layout.repo;
    let find = |rev: &str| {
        repo.revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .ok()
            .with_context(|| Problem::NoCommit(rev.to_string()))
    };
    let (base, head) = (find(base)?, find(head)?);
    let mut walk = repo.revwalk().context(Problem::ReadingHistory)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .context(Problem::ReadingHistory)?;
    walk.push(head.id()).context(Problem::ReadingHistory)?;
    walk.hide(base.id()).context(Problem::ReadingHistory)?;
    let odb = repo.odb().context(Problem::ReadingHistory)?;
    let mut out = Vec::new();
    for oid in walk {
        let oid = oid.context(Problem::ReadingHistory)?;
        let commit = repo.find_commit(oid).context(Problem::ReadingHistory)?;
        out.push(SignedCommit {
            id: oid.to_string(),
            summary: commit.summary().ok().flatten().unwrap_or("").to_string(),
            signature: odb
                .read(oid)
                .map_or(Signature::Unsigned, |raw| signature::read(raw.data())),
        });
    }
    Ok(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A repository with content/ and themes/ committed, and a file of each kind that status
    /// tells apart.
    fn repository(dir: &Path) -> Repository {
        let repo = Repository::init(dir).unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("content/sheets/a.yaml", "town: a\n");
        write("content/sheets/b.yaml", "town: b\n");
        write("content/evidence/notes/c.md", "c\n");
        write("themes/default/templates/town.html", "<p>town</p>\n");
        write(".gitignore", "*.bak\n");
        let mut index = repo.index().unwrap();
        index
            .add_all(["."], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let who = git2::Signature::new("a", "a@example.org", &git2::Time::new(0, 0)).unwrap();
        repo.commit(Some("HEAD"), &who, &who, "first", &tree, &[])
            .unwrap();
        drop(tree);
        repo
    }

    #[test]
    fn the_remembering_status_says_what_gits_status_says() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let repo = repository(root);
        let layout = Layout {
            repo,
            prefix: String::new(),
        };
        let memo = Memo::default();
        let sheet = root.join("content/sheets/a.yaml");
        let steps: [(&str, &dyn Fn()); 12] = [
            // Stamps are kept only for files that had not changed for a second.
            ("nothing changed", &|| {
                std::thread::sleep(std::time::Duration::from_millis(1100))
            }),
            ("a sheet edited", &|| {
                std::fs::write(&sheet, "town: a2\n").unwrap()
            }),
            ("its committed bytes put back", &|| {
                std::fs::write(&sheet, "town: a\n").unwrap()
            }),
            ("a file added", &|| {
                std::fs::write(root.join("content/new.yaml"), "x\n").unwrap()
            }),
            ("that file removed", &|| {
                std::fs::remove_file(root.join("content/new.yaml")).unwrap()
            }),
            ("an ignored file added", &|| {
                std::fs::write(root.join("content/sheets/a.bak"), "x\n").unwrap()
            }),
            ("a sheet removed", &|| std::fs::remove_file(&sheet).unwrap()),
            ("the sheet back", &|| {
                std::fs::write(&sheet, "town: a\n").unwrap()
            }),
            ("a theme's template edited", &|| {
                std::fs::write(
                    root.join("themes/default/templates/town.html"),
                    "<p>x</p>\n",
                )
                .unwrap()
            }),
            ("the template back", &|| {
                std::fs::write(
                    root.join("themes/default/templates/town.html"),
                    "<p>town</p>\n",
                )
                .unwrap()
            }),
            ("a sheet made executable", &|| {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&sheet, std::fs::Permissions::from_mode(0o755)).unwrap()
            }),
            ("a sheet swapped for a link to the same bytes", &|| {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&sheet, std::fs::Permissions::from_mode(0o644)).unwrap();
                std::fs::rename(&sheet, root.join("a.yaml")).unwrap();
                std::os::unix::fs::symlink(root.join("a.yaml"), &sheet).unwrap();
            }),
        ];
        let head = layout.repo.head().unwrap().peel_to_tree().unwrap();
        for (what, step) in steps {
            step();
            let expected = dirty(&layout).unwrap();
            // Twice: the second time from the stamps the first kept.
            for time in ["first", "second"] {
                let answer = dirty_remembering(&layout, &head, &memo).unwrap();
                assert_eq!(answer, expected, "{what}, asked a {time} time");
            }
        }
    }
}
