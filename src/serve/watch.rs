//! What `serve` watches: content/ and themes/ all the way down, and the repository folder
//! itself, not its subfolders, so that a content/ deleted and put back (restored from a copy,
//! a branch switch) is watched again. The output folder, .git and anything else in the
//! repository are never watched.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::model::Lang;
use crate::problem::{Context, Problem, Result};

const FOLDERS: [&str; 2] = ["content", "themes"];

/// Something about the watches that the person serving should know.
pub enum Note {
    /// The repository folder cannot be watched.
    RootFailed(PathBuf, String),
    Failed(&'static str, String),
    Gone(&'static str),
    /// Watched from now on; again, when it was watched before.
    Watching(&'static str, bool),
    Trouble(String),
}

impl Note {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Note::RootFailed(root, e), Lang::Zh) => format!(
                "警告：无法监视 {}（{e}）：若 content/ 或 themes/ 被删除后重新放回，其中的修改将不再自动重建网站",
                root.display()
            ),
            (Note::RootFailed(root, e), Lang::En) => format!(
                "warning: cannot watch {} ({e}): if content/ or themes/ is deleted and put back, changes there will no longer rebuild the site",
                root.display()
            ),
            (Note::Failed(folder, e), Lang::Zh) => {
                format!("警告：无法监视 {folder}/（{e}）：其中的修改不会自动重建网站")
            }
            (Note::Failed(folder, e), Lang::En) => {
                format!(
                    "warning: cannot watch {folder}/ ({e}): changes there will not rebuild the site"
                )
            }
            (Note::Gone(folder), Lang::Zh) => {
                format!("{folder}/ 已不存在；重新出现后会继续监视")
            }
            (Note::Gone(folder), Lang::En) => {
                format!("{folder}/ is gone; it is watched again when it is back")
            }
            (Note::Watching(folder, true), Lang::Zh) => format!("重新监视 {folder}/"),
            (Note::Watching(folder, true), Lang::En) => format!("watching {folder}/ again"),
            (Note::Watching(folder, false), Lang::Zh) => format!("开始监视 {folder}/"),
            (Note::Watching(folder, false), Lang::En) => format!("watching {folder}/"),
            (Note::Trouble(e), Lang::Zh) => format!("警告：监视修改时出错：{e}"),
            (Note::Trouble(e), Lang::En) => format!("warning: while watching for changes: {e}"),
        }
    }
}

/// What one event means for the site.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Change {
    /// Nothing the site is made from.
    None,
    /// A file changed and may still be being written.
    Started,
    /// A file was closed after writing, renamed or removed, and no other is being written:
    /// the change is whole.
    Done,
}

/// How a watched folder stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Watch {
    On,
    Absent,
    Failed,
}

pub struct Watches {
    watcher: RecommendedWatcher,
    root: PathBuf,
    out: PathBuf,
    folders: [Watch; 2],
    /// Whether each folder has been watched at some point.
    watched: [bool; 2],
    /// Whether "watching again" was said for each folder since the last rebuild: a folder
    /// replaced at once shows as removed and created, and is watched afresh for both.
    told: [bool; 2],
    last_trouble: Option<String>,
    /// Files changed since the last rebuild and not yet closed, renamed or removed.
    writing: std::collections::HashSet<PathBuf>,
}

impl Watches {
    /// Starts watching; what could not be watched is in the notes.
    pub fn start(
        root: &Path,
        out: &Path,
        events: Sender<notify::Result<Event>>,
    ) -> Result<(Watches, Vec<Note>)> {
        let watcher = notify::recommended_watcher(move |event| {
            let _ = events.send(event);
        })
        .context(Problem::Watching)?;
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let mut watches = Watches {
            watcher,
            out: std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()),
            folders: [Watch::Absent; 2],
            watched: [false; 2],
            told: [false; 2],
            last_trouble: None,
            writing: Default::default(),
            root,
        };
        let mut notes = Vec::new();
        if let Err(e) = watches
            .watcher
            .watch(&watches.root, RecursiveMode::NonRecursive)
        {
            notes.push(Note::RootFailed(watches.root.clone(), e.to_string()));
        }
        for index in 0..FOLDERS.len() {
            watches.sync(index, true, &mut notes);
        }
        Ok((watches, notes))
    }

    /// Takes in one event from the watcher: what it changes for the site, and what to say.
    pub fn take(&mut self, event: notify::Result<Event>) -> (Change, Vec<Note>) {
        let mut notes = Vec::new();
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                // The same trouble again and again is said once.
                let text = e.to_string();
                if self.last_trouble.as_ref() != Some(&text) {
                    notes.push(Note::Trouble(text.clone()));
                    self.last_trouble = Some(text);
                }
                return (Change::Started, notes);
            }
        };
        if event.need_rescan() {
            // Events were lost: watch everything afresh and rebuild.
            for index in 0..FOLDERS.len() {
                let quiet = self.folders[index] == Watch::On;
                self.sync(index, quiet, &mut notes);
            }
            return (Change::Started, notes);
        }
        let done = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => return (Change::None, notes),
            EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => true,
            _ => false,
        };
        let mut rebuild = false;
        for path in &event.paths {
            if path.starts_with(&self.out) {
                continue;
            }
            let Ok(inside) = path.strip_prefix(&self.root) else {
                continue;
            };
            let mut parts = inside.components();
            let Some(index) = parts
                .next()
                .and_then(|first| FOLDERS.iter().position(|f| first.as_os_str() == *f))
            else {
                continue;
            };
            rebuild = true;
            match done {
                true => self.writing.remove(path),
                false => self.writing.insert(path.clone()),
            };
            // Only a change of name or existence can put another folder in its place; the
            // folder's identity cannot tell, as a new folder may get the old one's inode.
            let replaced = !matches!(event.kind, EventKind::Modify(ModifyKind::Metadata(_)));
            if parts.next().is_none() && replaced {
                self.sync(index, false, &mut notes);
            }
        }
        let change = match (rebuild, self.writing.is_empty()) {
            (false, _) => Change::None,
            (true, false) => Change::Started,
            (true, true) => Change::Done,
        };
        (change, notes)
    }

    /// Watches the folder that is there now afresh. `quiet` says only what went wrong.
    fn sync(&mut self, index: usize, quiet: bool, notes: &mut Vec<Note>) {
        let name = FOLDERS[index];
        let path = self.root.join(name);
        let before = self.folders[index];
        // The folder there may be another one than the one watched: start over.
        let _ = self.watcher.unwatch(&path);
        if !path.is_dir() {
            if before == Watch::On {
                notes.push(Note::Gone(name));
            }
            self.folders[index] = Watch::Absent;
            return;
        }
        self.folders[index] = match self.watcher.watch(&path, RecursiveMode::Recursive) {
            Ok(()) => {
                if !quiet && !self.told[index] {
                    notes.push(Note::Watching(name, self.watched[index]));
                    self.told[index] = true;
                }
                self.watched[index] = true;
                Watch::On
            }
            Err(e) => {
                notes.push(Note::Failed(name, e.to_string()));
                Watch::Failed
            }
        };
    }

    /// A rebuild starts: what happens to the folders from now on is news again.
    pub fn rebuilding(&mut self) {
        self.told = [false; 2];
        self.writing.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind};

    fn event(kind: EventKind, path: &Path) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(path.to_path_buf()))
    }

    #[test]
    fn a_change_is_done_once_every_file_written_is_closed_renamed_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::path::absolute(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("content/sheets")).unwrap();
        let (events, _changes) = std::sync::mpsc::channel();
        let (mut watches, _) = Watches::start(&root, &root.join("site"), events).unwrap();
        let (a, b) = (
            root.join("content/sheets/a.yaml"),
            root.join("content/sheets/b.yaml"),
        );
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let mut take = |kind, path: &Path| watches.take(event(kind, path)).0;
        assert_eq!(take(written, &a), Change::Started);
        assert_eq!(take(written, &b), Change::Started);
        // `b` may still be being written.
        assert_eq!(take(closed, &a), Change::Started);
        assert_eq!(take(EventKind::Remove(RemoveKind::File), &b), Change::Done);
        // Reading a file, or anything in the output folder, is no change.
        let opened = EventKind::Access(AccessKind::Open(AccessMode::Read));
        assert_eq!(take(opened, &a), Change::None);
        let page = root.join("site/index.html");
        assert_eq!(
            take(EventKind::Create(CreateKind::File), &page),
            Change::None
        );
        // A file created and closed; a file renamed into place.
        assert_eq!(
            take(EventKind::Create(CreateKind::File), &a),
            Change::Started
        );
        assert_eq!(take(closed, &a), Change::Done);
        let renamed = EventKind::Modify(ModifyKind::Name(notify::event::RenameMode::To));
        assert_eq!(take(renamed, &b), Change::Done);
        // A file left open is forgotten when a rebuild starts.
        assert_eq!(take(written, &a), Change::Started);
        watches.rebuilding();
        assert_eq!(watches.take(event(closed, &b)).0, Change::Done);
    }
}
