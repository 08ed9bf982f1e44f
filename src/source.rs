//! Where a campaign's files come from (a folder on disk, a commit of its repository, or
//! memory), and the positions in them that every stage shares. Every read is confined to the
//! repository, to regular files, and to a size cap.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::problem::{Context, Problem, Result};

/// Content files larger than this are refused: no score sheet comes near it.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A place in a file: line and column from 1 (columns count characters), and how many
/// characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Span {
    /// The start of a file, for problems with a file as a whole.
    pub fn file(file: FileId) -> Span {
        Span {
            file,
            line: 1,
            col: 1,
            len: 0,
        }
    }
}

/// The files of a campaign, by id, with their paths relative to the root, and the source
/// they were read from (to show the lines that diagnostics point at).
#[derive(Clone, Default)]
pub struct Files {
    source: Option<Arc<dyn Source>>,
    paths: Vec<String>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.paths).finish()
    }
}

impl Files {
    pub fn new(source: Arc<dyn Source>) -> Files {
        Files {
            source: Some(source),
            paths: Vec::new(),
        }
    }

    pub fn add(&mut self, relative: String) -> FileId {
        self.paths.push(relative);
        FileId(self.paths.len() as u32 - 1)
    }

    /// The path relative to the root, with `/` between folders.
    pub fn path(&self, id: FileId) -> &str {
        self.paths.get(id.0 as usize).map_or("", String::as_str)
    }

    /// The file's text as the source holds it now, when it is UTF-8 text.
    pub fn text(&self, id: FileId) -> Option<String> {
        match self.source.as_ref()?.read(self.path(id)).ok()? {
            Fetched::Bytes(bytes) => String::from_utf8(bytes).ok(),
            _ => None,
        }
    }
}

/// What reading one file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Bytes(Vec<u8>),
    Missing,
    /// A folder, a pipe, a device or a socket.
    NotAFile,
    /// The path, through a symbolic link, leads out of the repository.
    Outside,
    TooLarge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Folder,
    /// Anything else: a pipe, a device, a socket, a link that leads nowhere.
    Other,
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name; where it is not UTF-8, its bytes shown with replacement characters.
    pub name: String,
    /// False for a name that is not UTF-8, or (in a crafted git tree) not a plain name.
    pub usable: bool,
    pub kind: EntryKind,
}

/// What an evidence path, relative to `content/`, turns out to be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Evidence {
    /// A regular file in the repository, at this path relative to the root as the file
    /// system resolves it (links followed, `..` applied after them).
    Present {
        resolved: String,
    },
    Missing,
    /// Absolute, or leading out of the repository or into `.git`.
    Outside,
    /// A file or folder whose name starts with a dot: never published.
    Hidden,
    /// A folder, a pipe or a device.
    NotAFile,
}

/// A campaign's files, by path relative to the repository root (`content/sheets/x.yaml`).
pub trait Source: Send + Sync {
    /// Reads one file. `Err` only when the command cannot go on (a permission refused).
    fn read(&self, path: &str) -> Result<Fetched>;
    /// The entries of a folder, sorted by name; `None` when there is no such folder.
    fn list(&self, folder: &str) -> Result<Option<Vec<Entry>>>;
    /// Resolves a path written in a sheet, relative to `content/`.
    fn evidence(&self, written: &str) -> Evidence;
    /// The file on disk behind a resolved evidence path, for copying into the site.
    fn local(&self, resolved: &str) -> Option<PathBuf>;
    /// Reads one file like `read`, with its stamp when the file can be known by it.
    fn read_stamped(&self, path: &str) -> Result<(Fetched, Option<Stamp>)> {
        Ok((self.read(path)?, None))
    }
    /// The stamp of the plain file at `path` now, without reading it; `None` when it is not
    /// one, or this source keeps no stamps.
    fn stamp(&self, _path: &str) -> Option<Stamp> {
        None
    }
}

/// What the file system says of a file without reading it: its device, inode, size and times.
/// A file whose stamp is the same as when it was read has the same bytes; a stamp is only
/// taken from a file that had not changed for a second, so that a change within the clock's
/// granularity cannot leave it the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    device: u64,
    inode: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stamp {
    /// How long, in seconds, a file must have stayed the same for its stamp to be trusted.
    const SETTLED: i64 = 1;

    /// The stamp of a plain file, to keep; `None` when it changed in the last second.
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        let stamp = Stamp::now(meta)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let now = i64::try_from(now.as_secs()).ok()?;
        let settled = now - Stamp::SETTLED;
        (stamp.changed.0 < settled && stamp.modified.0 < settled).then_some(stamp)
    }

    /// The stamp of a plain file now, to compare with one kept.
    #[cfg(unix)]
    pub fn now(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        meta.file_type().is_file().then(|| Stamp {
            device: meta.dev(),
            inode: meta.ino(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub fn now(_meta: &std::fs::Metadata) -> Option<Stamp> {
        None
    }
}

/// The lines of a text as YAML ends them: at `\n`, `\r\n` or a lone `\r`. The line numbers of
/// spans count these lines, so a span's line is found with `lines(text).nth(line - 1)`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    lines_with_ends(text).map(|(line, _)| line)
}

/// The lines of `lines`, each with the break that ends it (empty for the last line when the
/// text does not end with one): joined again they give back the text.
pub fn lines_with_ends(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        // Bytes, not characters: a CR or LF byte is never part of a longer UTF-8 character.
        let bytes = text.as_bytes();
        match bytes.iter().position(|b| matches!(b, b'\r' | b'\n')) {
            Some(at) => {
                let breaks = if bytes[at..].starts_with(b"\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&text[at + breaks..]);
                Some((&text[..at], &text[at..at + breaks]))
            }
            None => {
                rest = None;
                (!text.is_empty()).then_some((text, ""))
            }
        }
    })
}

/// Where a written path ends up when applied lexically to `content/`: its parts relative to
/// the root. `Err` for absolute paths and paths that climb above the root.
pub fn lexical(written: &str) -> Result<Vec<&str>, Evidence> {
    let mut parts = vec!["content"];
    for component in Path::new(written).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().ok_or(Evidence::Outside)?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop().ok_or(Evidence::Outside)?;
            }
            Component::RootDir | Component::Prefix(_) => return Err(Evidence::Outside),
        }
    }
    Ok(parts)
}

/// A written path applied lexically, when that alone does not already rule it out: absolute,
/// above the root, into `.git`, or through a hidden name.
pub fn admissible(written: &str) -> Result<Vec<&str>, Evidence> {
    let parts = lexical(written)?;
    match judge(&parts) {
        Some(verdict) => Err(verdict),
        None => Ok(parts),
    }
}

/// The verdict on a path relative to the root once resolved: inside `.git` is outside, and a
/// dotted name anywhere is hidden.
fn judge(parts: &[&str]) -> Option<Evidence> {
    match parts.first() {
        None => Some(Evidence::NotAFile),
        Some(&".git") => Some(Evidence::Outside),
        _ if parts.iter().any(|p| p.starts_with('.')) => Some(Evidence::Hidden),
        _ => None,
    }
}

/// A campaign repository's working tree on disk.
pub struct WorkTree {
    root: PathBuf,
    /// The root with every link resolved: what every file must stay inside.
    real: PathBuf,
    /// Folders already resolved, by path relative to the root: each is resolved once, not once
    /// for each of its files.
    folders: std::sync::Mutex<std::collections::HashMap<String, Result<PathBuf, Fetched>>>,
}

impl WorkTree {
    pub fn new(root: &Path) -> Result<WorkTree> {
        let real = root
            .canonicalize()
            .with_context(|| Problem::Resolving(root.to_path_buf()))?;
        Ok(WorkTree {
            root: root.to_path_buf(),
            real,
            folders: Default::default(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of `relative`, when it exists and stays inside the repository.
    fn inside(&self, relative: &str) -> Result<PathBuf, Fetched> {
        let path = self.real.join(relative);
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Fetched::Missing),
            // A loop of links, or a name too long: nothing readable is there.
            Err(_) => return Err(Fetched::NotAFile),
        };
        match real.strip_prefix(&self.real) {
            Ok(rest) if !rest.starts_with(".git") => Ok(real),
            _ => Err(Fetched::Outside),
        }
    }

    fn folder(&self, relative: &str) -> Result<PathBuf, Fetched> {
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        folders
            .entry(relative.to_string())
            .or_insert_with(|| self.inside(relative))
            .clone()
    }

    /// Reads a file the long way: every link resolved, then checked to stay inside.
    fn read_resolved(&self, path: &str) -> Result<Fetched> {
        let real = match self.inside(path) {
            Ok(real) => real,
            Err(fetched) => return Ok(fetched),
        };
        // Checked before opening, since opening a pipe would wait for a writer.
        match std::fs::metadata(&real) {
            Ok(meta) if !meta.is_file() => return Ok(Fetched::NotAFile),
            Ok(meta) if meta.len() > MAX_FILE_BYTES => return Ok(Fetched::TooLarge),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Fetched::Missing),
            Err(e) => return Err(e).with_context(|| Problem::Reading(real.to_path_buf())),
        }
        let file = open_regular(&real).with_context(|| Problem::Reading(real.to_path_buf()))?;
        Ok(read_capped(file, &real)?.0)
    }

    /// Reads a plain file of an already resolved folder without following a link; `None` when
    /// the name is a link (or the folder is not resolvable), which then takes the long way.
    #[cfg(unix)]
    fn read_direct(&self, path: &str) -> Option<Result<(Fetched, Option<Stamp>)>> {
        use std::os::unix::fs::OpenOptionsExt;
        let (folder, name) = path.rsplit_once('/')?;
        if matches!(name, "" | "." | "..") {
            return None;
        }
        let real = match self.folder(folder) {
            Ok(real) => real.join(name),
            Err(Fetched::Missing) => return Some(Ok((Fetched::Missing, None))),
            Err(_) => return None,
        };
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&real);
        match opened {
            Ok(file) => Some(read_capped(file, &real)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Some(Ok((Fetched::Missing, None)))
            }
            // ELOOP: the name is a link, resolved the long way.
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => None,
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => Some(Ok((Fetched::NotAFile, None))),
            Err(e) => Some(Err(e).with_context(|| Problem::Reading(real.to_path_buf()))),
        }
    }

    #[cfg(not(unix))]
    fn read_direct(&self, _path: &str) -> Option<Result<(Fetched, Option<Stamp>)>> {
        None
    }
}

/// Reads an opened file, if it is a regular file within the size limit, with its stamp as it
/// was before reading.
fn read_capped(mut file: std::fs::File, real: &Path) -> Result<(Fetched, Option<Stamp>)> {
    let meta = file
        .metadata()
        .with_context(|| Problem::Reading(real.to_path_buf()))?;
    if !meta.is_file() {
        return Ok((Fetched::NotAFile, None));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Ok((Fetched::TooLarge, None));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| Problem::Reading(real.to_path_buf()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok((Fetched::TooLarge, None));
    }
    Ok((Fetched::Bytes(bytes), Stamp::of(&meta)))
}

impl Source for WorkTree {
    fn read(&self, path: &str) -> Result<Fetched> {
        Ok(self.read_stamped(path)?.0)
    }

    fn read_stamped(&self, path: &str) -> Result<(Fetched, Option<Stamp>)> {
        if let Some(read) = self.read_direct(path) {
            return read;
        }
        // Through a link: never known by a stamp.
        Ok((self.read_resolved(path)?, None))
    }

    fn stamp(&self, path: &str) -> Option<Stamp> {
        let (folder, name) = path.rsplit_once('/')?;
        if matches!(name, "" | "." | "..") {
            return None;
        }
        let real = self.folder(folder).ok()?.join(name);
        Stamp::now(&std::fs::symlink_metadata(real).ok()?)
    }

    fn list(&self, folder: &str) -> Result<Option<Vec<Entry>>> {
        let real = match self.inside(folder) {
            Ok(real) if real.is_dir() => real,
            _ => return Ok(None),
        };
        let mut out = Vec::new();
        for entry in
            std::fs::read_dir(&real).with_context(|| Problem::Reading(real.to_path_buf()))?
        {
            let entry = entry.with_context(|| Problem::Reading(real.to_path_buf()))?;
            let raw = entry.file_name();
            let (name, usable) = match raw.to_str() {
                Some(name) => (name.to_string(), true),
                None => (raw.to_string_lossy().into_owned(), false),
            };
            // Links are judged by what they lead to, as reading them would.
            let kind = match entry.file_type() {
                Ok(t) if t.is_file() => EntryKind::File,
                Ok(t) if t.is_dir() => EntryKind::Folder,
                _ => match std::fs::metadata(entry.path()) {
                    Ok(meta) if meta.is_file() => EntryKind::File,
                    Ok(meta) if meta.is_dir() => EntryKind::Folder,
                    _ => EntryKind::Other,
                },
            };
            out.push(Entry { name, usable, kind });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Some(out))
    }

    fn evidence(&self, written: &str) -> Evidence {
        if let Err(verdict) = admissible(written) {
            return verdict;
        }
        let real = match self.inside(&format!("content/{written}")) {
            Ok(real) => real,
            Err(Fetched::Outside) => return Evidence::Outside,
            Err(Fetched::Missing) => return Evidence::Missing,
            Err(_) => return Evidence::NotAFile,
        };
        let Some(relative) = real.strip_prefix(&self.real).ok().and_then(Path::to_str) else {
            return Evidence::Outside;
        };
        let resolved: Vec<&str> = relative.split(std::path::MAIN_SEPARATOR).collect();
        if let Some(verdict) = judge(&resolved) {
            return verdict;
        }
        match std::fs::metadata(&real) {
            Ok(meta) if meta.is_file() => Evidence::Present {
                resolved: resolved.join("/"),
            },
            Ok(_) => Evidence::NotAFile,
            Err(_) => Evidence::Missing,
        }
    }

    fn local(&self, resolved: &str) -> Option<PathBuf> {
        Some(self.real.join(resolved))
    }
}

#[cfg(unix)]
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so that a file swapped for a pipe after the check cannot hang the read.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// A campaign held in memory, by path relative to the root: for tests and fuzzing.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Source for Memory {
    fn read(&self, path: &str) -> Result<Fetched> {
        Ok(match self.files.get(path) {
            Some(bytes) if bytes.len() as u64 > MAX_FILE_BYTES => Fetched::TooLarge,
            Some(bytes) => Fetched::Bytes(bytes.clone()),
            None if self.is_folder(path) => Fetched::NotAFile,
            None => Fetched::Missing,
        })
    }

    fn list(&self, folder: &str) -> Result<Option<Vec<Entry>>> {
        let prefix = format!("{folder}/");
        let mut out: Vec<Entry> = Vec::new();
        for path in self.files.keys() {
            let Some(rest) = path.strip_prefix(&prefix) else {
                continue;
            };
            let (name, kind) = match rest.split_once('/') {
                Some((name, _)) => (name, EntryKind::Folder),
                None => (rest, EntryKind::File),
            };
            if out.last().is_none_or(|e| e.name != name) {
                out.push(Entry {
                    name: name.to_string(),
                    usable: true,
                    kind,
                });
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }

    fn evidence(&self, written: &str) -> Evidence {
        let parts = match admissible(written) {
            Ok(parts) => parts,
            Err(verdict) => return verdict,
        };
        let path = parts.join("/");
        if self.files.contains_key(&path) {
            Evidence::Present { resolved: path }
        } else if self.is_folder(&path) {
            Evidence::NotAFile
        } else {
            Evidence::Missing
        }
    }

    fn local(&self, _resolved: &str) -> Option<PathBuf> {
        None
    }
}

impl Memory {
    fn is_folder(&self, path: &str) -> bool {
        let prefix = format!("{path}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }
}

/// A source with some files put in or replaced: the campaign as it would be with them, for
/// checking files before they are written.
pub struct Overlay {
    pub base: Arc<dyn Source>,
    /// By path relative to the root.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Source for Overlay {
    fn read(&self, path: &str) -> Result<Fetched> {
        match self.files.get(path) {
            Some(bytes) if bytes.len() as u64 > MAX_FILE_BYTES => Ok(Fetched::TooLarge),
            Some(bytes) => Ok(Fetched::Bytes(bytes.clone())),
            None => self.base.read(path),
        }
    }

    fn list(&self, folder: &str) -> Result<Option<Vec<Entry>>> {
        let mut entries = self.base.list(folder)?.unwrap_or_default();
        let prefix = format!("{folder}/");
        for path in self.files.keys() {
            let Some(name) = path.strip_prefix(&prefix).filter(|n| !n.contains('/')) else {
                continue;
            };
            if !entries.iter().any(|e| e.name == name) {
                entries.push(Entry {
                    name: name.to_string(),
                    usable: true,
                    kind: EntryKind::File,
                });
            }
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((!entries.is_empty()).then_some(entries))
    }

    fn evidence(&self, written: &str) -> Evidence {
        self.base.evidence(written)
    }

    fn local(&self, resolved: &str) -> Option<PathBuf> {
        self.base.local(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_followed_as_the_file_system_follows_them() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("content/evidence/real")).unwrap();
        std::fs::create_dir_all(outside.join("ssl")).unwrap();
        std::fs::write(outside.join("passwd"), "secret").unwrap();
        std::fs::write(root.join("content/evidence/passwd"), "decoy").unwrap();
        std::fs::write(root.join("content/evidence/real/a.png"), "png").unwrap();
        symlink(outside.join("ssl"), root.join("content/evidence/lnk")).unwrap();
        symlink(
            root.join("content/evidence/real"),
            root.join("content/evidence/in"),
        )
        .unwrap();
        let tree = WorkTree::new(&root).unwrap();
        // `lnk/..` is the parent of the link's target, not `evidence/`.
        assert_eq!(tree.evidence("evidence/lnk/../passwd"), Evidence::Outside);
        assert_eq!(
            tree.evidence("evidence/../../../outside/passwd"),
            Evidence::Outside
        );
        assert_eq!(tree.evidence("/etc/passwd"), Evidence::Outside);
        assert_eq!(tree.evidence("../.git/config"), Evidence::Outside);
        assert_eq!(tree.evidence("evidence/.hidden.png"), Evidence::Hidden);
        assert_eq!(tree.evidence("evidence/none.png"), Evidence::Missing);
        assert_eq!(tree.evidence("evidence/real"), Evidence::NotAFile);
        assert_eq!(
            tree.evidence("evidence/in/a.png"),
            Evidence::Present {
                resolved: "content/evidence/real/a.png".into()
            }
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_inside_the_repository_are_read() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("content/sheets")).unwrap();
        std::fs::write(dir.path().join("shadow"), "secret").unwrap();
        symlink(
            dir.path().join("shadow"),
            root.join("content/sheets/a.yaml"),
        )
        .unwrap();
        symlink("/dev/zero", root.join("content/sheets/b.yaml")).unwrap();
        let fifo = root.join("content/sheets/c.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let big = root.join("content/sheets/d.yaml");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let tree = WorkTree::new(&root).unwrap();
        let read = |p: &str| tree.read(p).unwrap();
        assert_eq!(read("content/sheets/a.yaml"), Fetched::Outside);
        assert_eq!(read("content/sheets/b.yaml"), Fetched::Outside);
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(read("content/sheets/c.yaml"), Fetched::NotAFile);
        }
        assert_eq!(read("content/sheets/d.yaml"), Fetched::TooLarge);
        assert_eq!(read("content/sheets/none.yaml"), Fetched::Missing);
        assert_eq!(read("content/sheets"), Fetched::NotAFile);
    }

    #[test]
    fn lines_end_where_yaml_ends_them() {
        let all = |text| lines(text).collect::<Vec<_>>();
        assert_eq!(all("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(all("a\n\n\r\rb\n"), ["a", "", "", "", "b"]);
        assert_eq!(all(""), Vec::<&str>::new());
        assert_eq!(all("仙塘\r"), ["仙塘"]);
    }

    #[test]
    fn memory_lists_folders_and_files() {
        let mut memory = Memory::default();
        for path in [
            "content/a.yaml",
            "content/sheets/x.yaml",
            "content/sheets/y.yaml",
        ] {
            memory.files.insert(path.into(), b"x".to_vec());
        }
        let names: Vec<_> = memory
            .list("content")
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("a.yaml".to_string(), EntryKind::File),
                ("sheets".to_string(), EntryKind::Folder)
            ]
        );
        assert_eq!(memory.list("nothing").unwrap(), None);
        assert_eq!(memory.read("content/sheets").unwrap(), Fetched::NotAFile);
    }
}
