//! The only writer to disk: the output folder is decided once, rendered beside itself and
//! swapped in whole, one build at a time.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::lang::Lang;
use crate::problem::{Context, Notice, Problem, Refusal, Result};
use crate::render::{Sink, Views};

/// The file that marks a folder as written by ducha; only such folders are ever replaced.
pub const MARKER: &str = ".ducha-site";
const MARKER_TEXT: &str = "This folder is written by ducha build; it is replaced on every build.\n";

/// An output folder that passed every check, as an absolute path with links and `..`
/// resolved the way the kernel will resolve them once its missing folders exist.
#[derive(Debug, Clone)]
pub struct Output {
    /// As the user gave it, for messages.
    given: PathBuf,
    /// The given path made absolute, resolved again once its parent folders exist.
    absolute: PathBuf,
    /// The campaign repository, resolved.
    root: PathBuf,
    path: PathBuf,
    /// What it says while the site is written: the campaign's language.
    lang: Lang,
    /// Whether the site it replaces is removed by a process of its own, so that the command
    /// need not wait for it (`ducha build`).
    retire: bool,
}

impl Output {
    /// Decides where the site of the repository at `root` goes for `--out out`, refusing a
    /// folder that holds the repository, its content, themes or git data, or anything else
    /// that ducha did not write.
    pub fn resolve(root: &Path, out: &Path) -> Result<Output> {
        let root = resolve(root).with_context(|| Problem::Reading(root.to_path_buf()))?;
        let absolute =
            std::path::absolute(out).with_context(|| Problem::Resolving(out.to_path_buf()))?;
        let path = allowed(&root, out, &absolute)?;
        Ok(Output {
            given: out.to_path_buf(),
            absolute,
            root,
            path,
            lang: Lang::system(),
            retire: false,
        })
    }

    /// The same folder, the site it replaces removed in the background by a process of its
    /// own once the new one is in place (see `retire`).
    pub fn retiring(self) -> Output {
        Output {
            retire: true,
            ..self
        }
    }

    /// The same folder, with what is said while writing it in `lang`.
    pub fn speaking(self, lang: Lang) -> Output {
        Output { lang, ..self }
    }

    /// The folder the site goes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Resolves and checks the path again, now that its parent folders exist.
    fn recheck(&self) -> Result<()> {
        let now = allowed(&self.root, &self.given, &self.absolute)?;
        if now != self.path {
            return Err(Problem::RefusedOut {
                given: self.given.clone(),
                resolved: None,
                why: Some(Refusal::Changed {
                    was: self.path.clone(),
                    now,
                }),
            }
            .into());
        }
        Ok(())
    }
}

/// Where `path` (absolute) leads: the part that exists is resolved as the kernel resolves
/// it, links included, and `..` after a missing folder is taken lexically, since that folder
/// will be created as a plain folder.
fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute =
        std::path::absolute(path).with_context(|| Problem::Resolving(path.to_path_buf()))?;
    let mut existing = PathBuf::new();
    let mut missing: Vec<OsString> = Vec::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => existing.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                if missing.pop().is_none() {
                    existing.pop();
                }
            }
            Component::Normal(name) if !missing.is_empty() => missing.push(name.to_os_string()),
            Component::Normal(name) => {
                let next = existing.join(name);
                match std::fs::symlink_metadata(&next) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        existing = match next.canonicalize() {
                            Ok(target) => target,
                            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                                let to = std::fs::read_link(&next).unwrap_or_default();
                                return Err(Problem::LinkToNothing {
                                    link: next,
                                    target: to,
                                }
                                .into());
                            }
                            Err(e) => {
                                return Err(e).with_context(|| Problem::FollowingLink(next));
                            }
                        };
                        if !existing.is_dir() {
                            return Err(Problem::LinkToFile {
                                link: next,
                                target: existing,
                            }
                            .into());
                        }
                    }
                    Ok(meta) if meta.is_dir() => existing = next,
                    Ok(_) => return Err(Problem::ThroughFile(next).into()),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        missing.push(name.to_os_string())
                    }
                    Err(e) => return Err(e).with_context(|| Problem::Reading(next)),
                }
            }
        }
    }
    existing.extend(missing);
    Ok(existing)
}

/// The resolved output folder, or why the site may not be written there.
fn allowed(root: &Path, given: &Path, absolute: &Path) -> Result<PathBuf> {
    let path = resolve(absolute).with_context(|| Problem::RefusedOut {
        given: given.to_path_buf(),
        resolved: None,
        why: None,
    })?;
    let refuse = |why: Refusal| {
        Err(Problem::RefusedOut {
            given: given.to_path_buf(),
            resolved: (path != given).then(|| path.clone()),
            why: Some(why),
        }
        .into())
    };
    if path == root {
        return refuse(Refusal::Root);
    }
    if root.starts_with(&path) {
        return refuse(Refusal::HoldsRoot(root.to_path_buf()));
    }
    for guarded in ["content", "themes", ".git"] {
        if path.starts_with(root.join(guarded)) {
            return refuse(Refusal::Inside(guarded));
        }
    }
    if path.parent().is_none() || path.file_name().is_none() {
        return refuse(Refusal::TopOfFileSystem);
    }
    match std::fs::read_dir(&path) {
        Ok(mut entries) => {
            if entries.next().is_some() && !marked(&path) {
                return refuse(Refusal::NotEmpty { marker: MARKER });
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| Problem::Reading(path.clone())),
    }
    Ok(path)
}

/// True when `dir` is a folder (not a link) that carries ducha's marker.
fn marked(dir: &Path) -> bool {
    let is = |path: &Path, want: fn(&std::fs::FileType) -> bool| {
        std::fs::symlink_metadata(path).is_ok_and(|m| want(&m.file_type()))
    };
    is(dir, std::fs::FileType::is_dir) && is(&dir.join(MARKER), std::fs::FileType::is_file)
}

/// The folders a build keeps beside the output folder `NAME`: `.NAME.new-PID` while it
/// renders, `.NAME.old-PID` for the previous site while swapping without an exchange.
struct Beside {
    parent: PathBuf,
    name: String,
}

impl Beside {
    fn of(target: &Path) -> Result<Beside> {
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(Problem::NoParent(target.to_path_buf()).into());
        };
        Ok(Beside {
            parent: parent.to_path_buf(),
            name: name.to_string_lossy().into_owned(),
        })
    }

    fn fresh(&self, pid: u32) -> PathBuf {
        self.parent.join(format!(".{}.new-{pid}", self.name))
    }

    fn aside(&self, pid: u32) -> PathBuf {
        self.parent.join(format!(".{}.old-{pid}", self.name))
    }

    /// Every `.NAME.new-PID` and `.NAME.old-PID` folder beside the output folder, of any
    /// process: (is it an old one, its PID, its path).
    fn leftovers(&self) -> Vec<(bool, u32, PathBuf)> {
        let prefix = format!(".{}.", self.name);
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return Vec::new();
        };
        let mut found: Vec<(bool, u32, PathBuf)> = entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let rest = name.strip_prefix(&prefix)?;
                let (old, pid) = match (rest.strip_prefix("old-"), rest.strip_prefix("new-")) {
                    (Some(pid), _) => (true, pid),
                    (_, Some(pid)) => (false, pid),
                    _ => return None,
                };
                if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let pid = pid.parse().ok()?;
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                is_dir.then(|| (old, pid, entry.path()))
            })
            .collect();
        found.sort();
        found
    }
}

/// Serialises the builds that write into one output folder. On Unix it locks the folder that
/// holds the output folder, so that no lock file is left behind; elsewhere a lock file there.
/// Released when dropped, or when the process dies.
fn lock(parent: &Path, target: &Path, lang: Lang) -> Option<File> {
    #[cfg(unix)]
    let file = File::open(parent);
    #[cfg(not(unix))]
    let file = File::options()
        .create(true)
        .append(true)
        .open(parent.join(".ducha-lock"));
    let unlocked = |cause: io::Error| {
        let notice = Notice::CannotLock {
            folder: parent.to_path_buf(),
            target: target.to_path_buf(),
            cause,
        };
        eprintln!("{}", notice.text(lang));
    };
    let file = match file {
        Ok(file) => file,
        Err(e) => {
            unlocked(e);
            return None;
        }
    };
    match file.try_lock() {
        Ok(()) => Some(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("{}", Notice::Waiting(target.to_path_buf()).text(lang));
            match file.lock() {
                Ok(()) => Some(file),
                Err(e) => {
                    unlocked(e);
                    None
                }
            }
        }
        Err(std::fs::TryLockError::Error(e)) => {
            unlocked(e);
            None
        }
    }
}

/// Removes a folder being filled when the build does not get to publish it, on an error or a
/// panic alike.
struct Unpublished(Option<PathBuf>);

impl Unpublished {
    fn keep(&mut self) {
        self.0 = None;
    }
}

impl Drop for Unpublished {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = remove(&dir);
        }
    }
}

/// The file in a site that keeps the fingerprint of each page's view and of the bytes written
/// for it, so that the next build over the site puts a page whose view is the same again
/// without rendering it.
pub const VIEWS: &str = ".ducha-views";
const VIEWS_HEADER: &str = "ducha-views 1";

/// What the last site's `.ducha-views` says: each page's view, and the fingerprint of the bytes
/// its file was written with.
struct Last {
    views: Views,
    bytes: HashMap<String, u64>,
}

impl Last {
    /// The views kept in the site at `previous`; `None` when it has none, or they cannot be
    /// read as written.
    fn read(previous: &Path) -> Option<Last> {
        let path = previous.join(VIEWS);
        // A line of about 80 bytes a page: anything past 256 MiB is not what a build wrote.
        let limit = 1 << 28;
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() < limit) {
            return None;
        }
        let text = std::fs::read_to_string(&path).ok()?;
        let mut lines = text.lines();
        let frame = lines
            .next()?
            .strip_prefix(VIEWS_HEADER)?
            .strip_prefix(' ')?;
        let frame = u64::from_str_radix(frame, 16).ok()?;
        let mut pages = Vec::new();
        let mut bytes = HashMap::new();
        for line in lines {
            let mut parts = line.splitn(3, ' ');
            let (Some(view), Some(written), Some(page)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return None;
            };
            let view = u64::from_str_radix(view, 16).ok()?;
            let written = u64::from_str_radix(written, 16).ok()?;
            pages.push((page.to_string(), view));
            bytes.insert(page.to_string(), written);
        }
        Some(Last {
            views: Views::from_pages(frame, pages),
            bytes,
        })
    }

    /// The text of `.ducha-views` for `views`, with the fingerprint of each page's bytes.
    fn text(views: &Views, bytes: &HashMap<String, u64>) -> String {
        let mut pages: Vec<(&str, u64, u64)> = views
            .pages()
            .filter_map(|(page, view)| Some((page, view, *bytes.get(page)?)))
            .filter(|(page, _, _)| !page.contains(['\n', '\r']))
            .collect();
        pages.sort_unstable();
        let mut text = format!("{VIEWS_HEADER} {:016x}\n", views.frame());
        for (page, view, written) in pages {
            text.push_str(&format!("{view:016x} {written:016x} {page}\n"));
        }
        text
    }
}

/// A fingerprint of a page's bytes as written.
fn fingerprint(bytes: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Whether a site's file is a page, whose bytes `.ducha-views` fingerprints.
fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// Files written into a folder, from any thread.
struct Folder {
    dir: PathBuf,
    /// The site being replaced, when it is ducha's: a file it has with the very bytes to write
    /// is linked from there instead, which costs the disk far less than writing it again.
    previous: Option<PathBuf>,
    /// What that site keeps of its pages' views: a page whose view is the same again is
    /// linked from there without being rendered, when its file still has the bytes written.
    last: Option<Last>,
    /// The folders of the previous site found to be folders, not links: nothing is linked
    /// from outside it.
    real: std::sync::Mutex<std::collections::HashSet<String>>,
    /// The fingerprint of the bytes of each page put, once a render said it will give its
    /// views (`keeps_views`): a site written from memory by `serve` keeps none.
    written: std::sync::Mutex<HashMap<String, u64>>,
    keeping: std::sync::atomic::AtomicBool,
    /// The views of the render, once it is done.
    views: std::sync::Mutex<Option<Views>>,
}

impl Folder {
    /// Whether every folder on the way to `path` in the previous site is a folder of its own.
    fn inside_previous(&self, previous: &Path, path: &str) -> bool {
        let mut at = 0;
        while let Some(slash) = path[at..].find('/') {
            let folder = &path[..at + slash];
            let mut real = self.real.lock().unwrap_or_else(|e| e.into_inner());
            if !real.contains(folder) {
                let is_folder = std::fs::symlink_metadata(previous.join(folder))
                    .is_ok_and(|m| m.file_type().is_dir());
                if !is_folder {
                    return false;
                }
                real.insert(folder.to_string());
            }
            at += slash + 1;
        }
        true
    }
}

impl Folder {
    fn wrote(&self, path: &str, bytes: u64) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes);
    }

    /// The file at `path` in the new folder, its folders made.
    fn file(&self, path: &str) -> Result<PathBuf> {
        let file = self.dir.join(path);
        if let Some(folder) = file.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| Problem::Creating(folder.to_path_buf()))?;
        }
        Ok(file)
    }
}

impl Sink for Folder {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let file = self.file(path)?;
        if is_page(path) && self.keeping.load(std::sync::atomic::Ordering::Relaxed) {
            self.wrote(path, fingerprint(bytes));
        }
        if let Some(previous) = &self.previous
            && self.inside_previous(previous, path)
            && same_file(&previous.join(path), bytes)
            && std::fs::hard_link(previous.join(path), &file).is_ok()
        {
            return Ok(());
        }
        std::fs::write(&file, bytes).with_context(|| Problem::Writing(file.clone()))
    }

    fn last_views(&self) -> Option<&Views> {
        self.last.as_ref().map(|l| &l.views)
    }

    /// Links the last site's page, when its file (a regular file, through folders of the site's
    /// own) still holds the bytes the last build wrote there.
    fn put_last(&self, path: &str) -> Result<bool> {
        let (Some(previous), Some(last)) = (&self.previous, &self.last) else {
            return Ok(false);
        };
        let Some(&written) = last.bytes.get(path) else {
            return Ok(false);
        };
        let old = previous.join(path);
        if !self.inside_previous(previous, path)
            || !std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_file())
        {
            return Ok(false);
        }
        let Ok(bytes) = std::fs::read(&old) else {
            return Ok(false);
        };
        if fingerprint(&bytes) != written {
            return Ok(false);
        }
        let file = self.file(path)?;
        if std::fs::hard_link(&old, &file).is_err() {
            std::fs::write(&file, &bytes).with_context(|| Problem::Writing(file.clone()))?;
        }
        self.wrote(path, written);
        Ok(true)
    }

    fn keeps_views(&self) -> bool {
        self.keeping
            .store(true, std::sync::atomic::Ordering::Relaxed);
        true
    }

    fn keep_views(&self, views: Views) -> Result<()> {
        *self.views.lock().unwrap_or_else(|e| e.into_inner()) = Some(views);
        Ok(())
    }
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`. Files of a site are
/// never changed in place, so that a file shared by two sites stays right in both.
fn same_file(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Writes the site into a new folder beside the output folder, then swaps it in for the old
/// one, so that a failed or killed build leaves the last good site in place. `render` puts
/// the files; `copies` are files to copy in as they are (path in the site, source).
pub fn site<T>(
    output: &Output,
    copies: &[(String, PathBuf)],
    render: impl FnOnce(&dyn Sink) -> Result<T>,
) -> Result<T> {
    let target = output.path();
    let beside = Beside::of(target)?;
    std::fs::create_dir_all(&beside.parent)
        .with_context(|| Problem::Creating(beside.parent.clone()))?;
    let lang = output.lang;
    let _lock = lock(&beside.parent, target, lang);
    output.recheck()?;
    repair(&beside, target, lang);
    for (_, _, leftover) in beside.leftovers() {
        if !marked(&leftover) {
            // Only an empty folder can go: one killed before its marker was written.
            let _ = std::fs::remove_dir(&leftover);
        } else if let Err(cause) = remove(&leftover) {
            eprintln!("{}", Notice::LeftoverKept { leftover, cause }.text(lang));
        }
    }
    let pid = std::process::id();
    let fresh = beside.fresh(pid);
    std::fs::create_dir(&fresh).with_context(|| Problem::Creating(fresh.clone()))?;
    let mut unpublished = Unpublished(Some(fresh.clone()));
    // Only a site of ducha's own is linked from, never a folder someone put there.
    let previous = (target.is_dir() && marked(target)).then(|| target.to_path_buf());
    let value = fill(&fresh, previous, copies, render)?;
    let previous = publish(
        &fresh,
        target,
        &beside.aside(pid),
        &mut unpublished,
        exchange,
    )?;
    unpublished.keep();
    if let Some(previous) = previous
        && !(output.retire && retire(&previous))
        && let Err(cause) = remove(&previous)
    {
        let notice = Notice::PreviousKept {
            target: target.to_path_buf(),
            previous,
            cause,
        };
        eprintln!("{}", notice.text(lang));
    }
    Ok(value)
}

/// The variable that makes ducha remove a retired site and nothing else (`retire`).
pub const RETIRED: &str = "DUCHA_RETIRED_SITE";

/// Hands the removal of the site just replaced, at `previous` beside the output folder, to a
/// process of its own, so that the build ends once the new site is in place. That process
/// waits for the build to let go of the folder's lock; a build into the same folder that
/// starts meanwhile removes the retired site itself, as it removes any leftover. False when
/// no process could be started: the caller removes it.
fn retire(previous: &Path) -> bool {
    let Ok(program) = std::env::current_exe() else {
        return false;
    };
    std::process::Command::new(program)
        .env(RETIRED, previous)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Removes the site a build retired at `path` (`retire`), once no build holds the lock of the
/// folder it is in: only a folder named as a build names the sites beside its output folder
/// (`.NAME.new-PID`, `.NAME.old-PID`), marked as ducha's. True when it is gone, or was
/// already.
pub fn remove_retired(path: &Path) -> bool {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    let name = name.to_string_lossy();
    let beside = name.strip_prefix('.').and_then(|rest| {
        let (site, pid) = rest
            .rsplit_once(".new-")
            .or_else(|| rest.rsplit_once(".old-"))?;
        let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        (digits && !site.is_empty()).then_some(site)
    });
    let Some(site) = beside else {
        return false;
    };
    behind_others();
    let _lock = lock(parent, &parent.join(site), Lang::system());
    if std::fs::symlink_metadata(path).is_err() {
        return true;
    }
    marked(path) && remove(path).is_ok()
}

/// Lowers the calling thread's share of the cores, for work that no one waits for (writing
/// the site `serve` shows from memory, removing a retired site), so that it does not slow the
/// work someone does wait for.
#[cfg(target_os = "linux")]
pub fn behind_others() {
    // SAFETY: setpriority and gettid only read their arguments; on Linux a thread's id names
    // that thread alone.
    unsafe {
        let thread = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 10);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn behind_others() {}

/// Removes a folder of ducha's, its marker last, so that a removal cut short leaves a folder
/// that the next build still knows to remove.
fn remove(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// Puts back a site that a build killed between its two renames left beside a missing output
/// folder: the new one, complete since it was moved only once written.
fn repair(beside: &Beside, target: &Path, lang: Lang) {
    if std::fs::symlink_metadata(target).is_ok() {
        return;
    }
    let mut leftovers = beside.leftovers();
    leftovers.retain(|(_, _, path)| marked(path));
    let complete = leftovers
        .iter()
        .find(|(old, pid, _)| !*old && leftovers.iter().any(|(o, p, _)| *o && p == pid));
    if let Some((_, _, new)) = complete
        && let Err(cause) = std::fs::rename(new, target)
    {
        let notice = Notice::NotPutBack {
            site: new.clone(),
            cause,
        };
        eprintln!("{}", notice.text(lang));
    }
}

/// Puts the complete site at `fresh` in place of `target`; returns where the previous site
/// now is, for removal.
fn publish(
    fresh: &Path,
    target: &Path,
    aside: &Path,
    unpublished: &mut Unpublished,
    exchange: fn(&Path, &Path) -> io::Result<()>,
) -> Result<Option<PathBuf>> {
    let moving = || Problem::MovingSite(target.to_path_buf());
    if std::fs::symlink_metadata(target).is_err() {
        std::fs::rename(fresh, target).with_context(moving)?;
        return Ok(None);
    }
    match exchange(fresh, target) {
        Ok(()) => return Ok(Some(fresh.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::Unsupported => {}
        Err(e) => return Err(e).with_context(moving),
    }
    // Without an exchange the output folder is missing between these two renames; should the
    // build die there, the next one puts the new site in place (see `repair`).
    std::fs::rename(target, aside).with_context(|| Problem::MovingAside(target.to_path_buf()))?;
    if let Err(e) = std::fs::rename(fresh, target) {
        if std::fs::rename(aside, target).is_err() {
            // Both sites stay beside the output folder, for the next build to put back.
            unpublished.keep();
        }
        return Err(e).with_context(moving);
    }
    Ok(Some(aside.to_path_buf()))
}

/// Swaps two folders in one step, so that `b` is never missing: `renameat2` with
/// `RENAME_EXCHANGE`, on Linux 3.15 and later and the local file systems that support it.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated and outlive the call, which keeps no pointer.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // An old kernel, or a file system without the exchange.
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => {
            Err(io::Error::new(io::ErrorKind::Unsupported, e))
        }
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Writes the site into the new folder `dir`, the marker first so that a build killed
/// halfway leaves a folder that the next build knows to remove.
fn fill<T>(
    dir: &Path,
    previous: Option<PathBuf>,
    copies: &[(String, PathBuf)],
    render: impl FnOnce(&dyn Sink) -> Result<T>,
) -> Result<T> {
    std::fs::write(dir.join(MARKER), MARKER_TEXT)
        .with_context(|| Problem::Writing(dir.to_path_buf()))?;
    let folder = Folder {
        dir: dir.to_path_buf(),
        last: previous.as_deref().and_then(Last::read),
        previous,
        real: std::sync::Mutex::default(),
        written: std::sync::Mutex::default(),
        keeping: std::sync::atomic::AtomicBool::new(false),
        views: std::sync::Mutex::default(),
    };
    let value = render(&folder)?;
    for (path, source) in copies {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| Problem::Creating(parent.to_path_buf()))?;
        }
        std::fs::copy(source, &file).with_context(|| Problem::Copying(source.clone()))?;
    }
    let views = folder.views.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(views) = views {
        let written = folder
            .written
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let file = dir.join(VIEWS);
        std::fs::write(&file, Last::text(&views, &written))
            .with_context(|| Problem::Writing(file.clone()))?;
    }
    Ok(value)
}

/// Writes a file whole and never through a link: the bytes go to a temporary file beside it,
/// which is then renamed over it (replacing a link there, not the file it points to).
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path
        .parent()
        .with_context(|| Problem::NoParent(path.to_path_buf()))?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| Problem::Writing(folder.to_path_buf()))?;
    std::io::Write::write_all(&mut temporary, bytes)
        .with_context(|| Problem::Writing(path.to_path_buf()))?;
    temporary
        .persist(path)
        .with_context(|| Problem::Writing(path.to_path_buf()))?;
    Ok(())
}

/// Creates a file that does not exist yet, not even as a link to somewhere else.
pub fn create_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| Problem::Creating(path.to_path_buf()))?;
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| Problem::Writing(path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A folder as ducha leaves it: the marker and one page saying `text`.
    fn site_saying(dir: &Path, text: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(dir.join("index.html"), text).unwrap();
    }

    fn refusal(root: &Path, out: &Path) -> String {
        match Output::resolve(root, out) {
            Ok(output) => panic!("{} resolved to {}", out.display(), output.path().display()),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn refuses_folders_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/a.txt"), "keep").unwrap();
        for out in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/site"),
            root.join("themes"),
            root.join(".git/site"),
            root.join("notes"),
            root.parent().unwrap().to_path_buf(),
        ] {
            assert!(
                refusal(root, &out).starts_with("refusing"),
                "{}",
                out.display()
            );
        }
        assert_eq!(
            Output::resolve(root, &root.join("site")).unwrap().path(),
            root.canonicalize().unwrap().join("site")
        );
    }

    #[test]
    fn a_missing_folder_on_the_way_does_not_hide_where_the_path_leads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("notes.txt"), "keep").unwrap();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/a.txt"), "keep").unwrap();
        let message = refusal(root, &root.join("nosuch/../content"));
        assert!(message.contains("inside content/"), "{message}");
        let message = refusal(root, &root.join("nosuch/deeper/../../."));
        assert!(
            message.contains("the campaign repository itself"),
            "{message}"
        );
        let message = refusal(root, &root.join("nosuch/../notes"));
        assert!(message.contains("not empty"), "{message}");
        let message = refusal(root, &root.join("notes.txt/site"));
        assert!(
            message.contains("notes.txt is a file, not a folder"),
            "{message}"
        );
        let real = root.canonicalize().unwrap();
        assert_eq!(
            Output::resolve(root, &root.join("nosuch/../www/new/../site"))
                .unwrap()
                .path(),
            real.join("www/site")
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_on_the_way_are_followed_as_the_kernel_follows_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/sheets")).unwrap();
        std::fs::create_dir_all(root.join("elsewhere/www")).unwrap();
        std::os::unix::fs::symlink(root.join("content/sheets"), root.join("sheets")).unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere/www"), root.join("www")).unwrap();
        std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
        // `sheets/..` is content/, not the root: `..` applies to where the link leads.
        let message = refusal(root, &root.join("sheets/.."));
        assert!(message.contains("inside content/"), "{message}");
        let message = refusal(root, &root.join("nosuch/../sheets/nosuch/.."));
        assert!(message.contains("inside content/"), "{message}");
        let message = refusal(root, &root.join("dangling/site"));
        assert!(message.contains("which does not exist"), "{message}");
        let real = root.canonicalize().unwrap();
        assert_eq!(
            Output::resolve(root, &root.join("www/../www/site"))
                .unwrap()
                .path(),
            real.join("elsewhere/www/site")
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_file_is_linked_from_the_last_site_and_nothing_else_is() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let output = Output::resolve(root, &root.join("site")).unwrap();
        let out = output.path().to_path_buf();
        let pages = |sink: &dyn Sink| -> Result<()> {
            sink.put("same.html", b"same")?;
            sink.put("edited.html", b"ours")?;
            sink.put("towns/a/index.html", b"town")?;
            sink.put("changed.html", b"new")
        };
        site(&output, &[], |sink| {
            pages(sink)?;
            sink.put("changed.html", b"old")
        })
        .unwrap();
        let inode = |path: &str| std::fs::metadata(out.join(path)).unwrap().ino();
        let same = inode("same.html");
        // Someone changes a file of the site by hand, and puts a link where a folder was.
        std::fs::write(out.join("edited.html"), b"hers").unwrap();
        let elsewhere = root.join("elsewhere");
        std::fs::create_dir_all(elsewhere.join("a")).unwrap();
        std::fs::write(elsewhere.join("a/index.html"), b"town").unwrap();
        std::fs::remove_dir_all(out.join("towns")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("towns")).unwrap();
        site(&output, &[], pages).unwrap();
        assert_eq!(inode("same.html"), same, "linked, not written again");
        assert_eq!(std::fs::read(out.join("edited.html")).unwrap(), b"ours");
        assert_eq!(std::fs::read(out.join("changed.html")).unwrap(), b"new");
        // Nothing from outside the last site is linked in.
        let town = std::fs::symlink_metadata(out.join("towns/a/index.html")).unwrap();
        assert_eq!(town.nlink(), 1);
        assert!(
            elsewhere.join("a/index.html").exists(),
            "nothing outside is removed"
        );
        assert_ne!(
            town.ino(),
            std::fs::metadata(elsewhere.join("a/index.html"))
                .unwrap()
                .ino()
        );
    }

    #[test]
    fn replaces_its_own_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let output = Output::resolve(root, &root.join("site")).unwrap();
        let out = output.path();
        site(&output, &[], |sink| {
            sink.put("a/index.html", b"one")?;
            sink.put("old.html", b"old")
        })
        .unwrap();
        site(&output, &[], |sink| sink.put("a/index.html", b"two")).unwrap();
        // A failed build leaves the last good site, and nothing beside it.
        let failed: Result<()> = site(&output, &[], |sink| {
            sink.put("a/index.html", b"three")?;
            Err(Problem::Rendering("index.html".into()).into())
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("old.html").exists());
        assert_eq!(names(root), ["site"]);
    }

    #[test]
    fn a_panic_while_rendering_leaves_the_last_site_and_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let output = Output::resolve(root, &root.join("site")).unwrap();
        site(&output, &[], |sink| sink.put("index.html", b"good")).unwrap();
        let panicked = std::panic::catch_unwind(|| {
            site::<()>(&output, &[], |sink| {
                sink.put("index.html", b"half")?;
                panic!("a template bug")
            })
        });
        assert!(panicked.is_err());
        assert_eq!(
            std::fs::read(output.path().join("index.html")).unwrap(),
            b"good"
        );
        assert_eq!(names(root), ["site"]);
    }

    #[test]
    fn leftovers_of_earlier_builds_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let output = Output::resolve(root, &root.join("site")).unwrap();
        site(&output, &[], |sink| sink.put("index.html", b"one")).unwrap();
        site_saying(&root.join(".site.new-4242"), "half written");
        site_saying(&root.join(".site.old-77"), "old");
        // Killed before its marker was written: empty, so nothing is lost by removing it.
        std::fs::create_dir(root.join(".site.new-6")).unwrap();
        // Not ducha's: no marker, another name, not a PID, or a link.
        std::fs::create_dir_all(root.join(".site.new-5")).unwrap();
        std::fs::write(root.join(".site.new-5/mine.txt"), "keep").unwrap();
        site_saying(&root.join(".other.new-9"), "another output folder's");
        site_saying(&root.join(".site.new-x"), "not a PID");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join(".other.new-9"), root.join(".site.old-8")).unwrap();
        site(&output, &[], |sink| sink.put("index.html", b"two")).unwrap();
        let mut kept = vec![".other.new-9", ".site.new-5", ".site.new-x", "site"];
        if cfg!(unix) {
            kept.insert(3, ".site.old-8");
        }
        assert_eq!(names(root), kept);
        assert_eq!(
            std::fs::read(root.join(".site.new-5/mine.txt")).unwrap(),
            b"keep"
        );
        assert!(root.join(".other.new-9/index.html").is_file());
    }

    #[test]
    fn a_swap_cut_short_between_its_renames_is_completed_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let output = Output::resolve(root, &root.join("site")).unwrap();
        // What a build killed between its two renames leaves: no site, both copies beside it.
        site_saying(&root.join(".site.old-31"), "previous");
        site_saying(&root.join(".site.new-31"), "newest");
        let failed: Result<()> = site(&output, &[], |_| {
            Err(Problem::Rendering("index.html".into()).into())
        });
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read(root.join("site/index.html")).unwrap(),
            b"newest"
        );
        assert_eq!(names(root), ["site"]);
    }

    #[test]
    fn without_an_exchange_two_renames_replace_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (fresh, target, aside) = (root.join("new"), root.join("site"), root.join("old"));
        site_saying(&target, "one");
        site_saying(&fresh, "two");
        let unsupported = |_: &Path, _: &Path| Err(io::ErrorKind::Unsupported.into());
        let mut unpublished = Unpublished(Some(fresh.clone()));
        let previous = publish(&fresh, &target, &aside, &mut unpublished, unsupported).unwrap();
        unpublished.keep();
        assert_eq!(previous, Some(aside.clone()));
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"two");
        assert_eq!(std::fs::read(aside.join("index.html")).unwrap(), b"one");
        assert!(!fresh.exists());
    }
}
