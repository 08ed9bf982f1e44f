//! The only writer to disk: the output folder is decided once, rendered beside itself and
//! swapped in whole.

use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use crate::render::Sink;

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
}

impl Output {
    /// Decides where the site of the repository at `root` goes for `--out out`, refusing a
    /// folder that holds the repository, its content, themes or git data, or anything else
    /// that ducha did not write.
    pub fn resolve(root: &Path, out: &Path) -> Result<Output> {
        let root = resolve(root)
            .with_context(|| format!("reading the repository folder {}", root.display()))?;
        let absolute =
            std::path::absolute(out).with_context(|| format!("resolving {}", out.display()))?;
        let path = allowed(&root, out, &absolute)?;
        Ok(Output {
            given: out.to_path_buf(),
            absolute,
            root,
            path,
        })
    }

    /// The folder the site goes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Resolves and checks the path again, now that its parent folders exist.
    fn recheck(&self) -> Result<()> {
        let now = allowed(&self.root, &self.given, &self.absolute)?;
        if now != self.path {
            bail!(
                "refusing to write the site to {}: it led to {} and now leads to {}; a folder or link on the way changed while ducha was running",
                self.given.display(),
                self.path.display(),
                now.display()
            );
        }
        Ok(())
    }
}

/// Where `path` (absolute) leads: the part that exists is resolved as the kernel resolves
/// it, links included, and `..` after a missing folder is taken lexically, since that folder
/// will be created as a plain folder.
fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute =
        std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
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
                                bail!(
                                    "{} is a link to {}, which does not exist",
                                    next.display(),
                                    to.display()
                                )
                            }
                            Err(e) => {
                                return Err(e).with_context(|| {
                                    format!("following the link {}", next.display())
                                });
                            }
                        };
                        if !existing.is_dir() {
                            bail!(
                                "{} is a link to the file {}, not a folder",
                                next.display(),
                                existing.display()
                            );
                        }
                    }
                    Ok(meta) if meta.is_dir() => existing = next,
                    Ok(_) => bail!("{} is a file, not a folder", next.display()),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        missing.push(name.to_os_string())
                    }
                    Err(e) => return Err(e).with_context(|| format!("reading {}", next.display())),
                }
            }
        }
    }
    existing.extend(missing);
    Ok(existing)
}

/// The resolved output folder, or why the site may not be written there.
fn allowed(root: &Path, given: &Path, absolute: &Path) -> Result<PathBuf> {
    let path = resolve(absolute)
        .with_context(|| format!("refusing to write the site to {}", given.display()))?;
    let refuse = |why: String| {
        let shown = if path == given {
            given.display().to_string()
        } else {
            format!("{} (that is {})", given.display(), path.display())
        };
        Err(anyhow!("refusing to write the site to {shown}: {why}"))
    };
    if path == root {
        return refuse("it is the campaign repository itself".into());
    }
    if root.starts_with(&path) {
        return refuse(format!(
            "it holds the campaign repository {}",
            root.display()
        ));
    }
    for guarded in ["content", "themes", ".git"] {
        if path.starts_with(root.join(guarded)) {
            return refuse(format!("it is inside {guarded}/ of the repository"));
        }
    }
    if path.parent().is_none() || path.file_name().is_none() {
        return refuse("it is the top of the file system".into());
    }
    match std::fs::read_dir(&path) {
        Ok(mut entries) => {
            if entries.next().is_some() && !marked(&path) {
                return refuse(format!(
                    "the folder is not empty and was not written by ducha (it has no {MARKER}); choose another --out, or empty it"
                ));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
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

/// Files written into a folder, from any thread.
struct Folder {
    dir: PathBuf,
}

impl Sink for Folder {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let file = self.dir.join(path);
        if let Some(folder) = file.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("creating {}", folder.display()))?;
        }
        std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))
    }
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
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        bail!("{} has no parent folder", target.display());
    };
    let name = name.to_string_lossy();
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    output.recheck()?;
    let fresh = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    for leftover in [&fresh, &old] {
        if leftover.join(MARKER).is_file() {
            std::fs::remove_dir_all(leftover)
                .with_context(|| format!("removing {}", leftover.display()))?;
        }
    }
    let filled = fill(&fresh, copies, render);
    let value = match filled {
        Ok(value) => value,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e);
        }
    };
    if target.exists() {
        std::fs::rename(target, &old)
            .with_context(|| format!("moving the previous site {} aside", target.display()))?;
    }
    if let Err(e) = std::fs::rename(&fresh, target) {
        if old.exists() {
            let _ = std::fs::rename(&old, target);
        }
        return Err(e).with_context(|| format!("moving the new site into {}", target.display()));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(value)
}

fn fill<T>(
    dir: &Path,
    copies: &[(String, PathBuf)],
    render: impl FnOnce(&dyn Sink) -> Result<T>,
) -> Result<T> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join(MARKER), MARKER_TEXT)
        .with_context(|| format!("writing {}", dir.display()))?;
    let folder = Folder {
        dir: dir.to_path_buf(),
    };
    let value = render(&folder)?;
    for (path, source) in copies {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::copy(source, &file).with_context(|| format!("copying {}", source.display()))?;
    }
    Ok(value)
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
            anyhow::bail!("broken")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("old.html").exists());
        assert_eq!(names(root), ["site"]);
    }
}
