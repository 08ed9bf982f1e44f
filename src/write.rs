//! The only writer to disk: the output folder is rendered beside itself and swapped in whole.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::render::Sink;

/// The file that marks a folder as written by ducha; only such folders are ever replaced.
pub const MARKER: &str = ".ducha-site";
const MARKER_TEXT: &str = "This folder is written by ducha build; it is replaced on every build.\n";

/// The absolute form of a path that may not exist yet, with `.` and `..` resolved.
fn absolute(path: &Path) -> Result<PathBuf> {
    let path =
        std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    let mut existing = path.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    Ok(out)
}

/// Refuses an output folder that would overwrite something ducha did not write.
pub fn check_output(root: &Path, out: &Path) -> Result<PathBuf> {
    let root = absolute(root)?;
    let target = absolute(out)?;
    let shown = out.display();
    if root.starts_with(&target) {
        bail!("refusing to write the site to {shown}: it holds the campaign repository itself");
    }
    for guarded in ["content", "themes", ".git"] {
        if target.starts_with(root.join(guarded)) {
            bail!(
                "refusing to write the site to {shown}: it is inside {guarded}/ of the repository"
            );
        }
    }
    if target.exists() {
        if !target.is_dir() {
            bail!("refusing to write the site to {shown}: it is a file, not a folder");
        }
        let empty = std::fs::read_dir(&target)
            .with_context(|| format!("reading {shown}"))?
            .next()
            .is_none();
        if !empty && !target.join(MARKER).is_file() {
            bail!(
                "refusing to write the site to {shown}: the folder is not empty and was not written by ducha (it has no {MARKER}); choose another --out, or empty it"
            );
        }
    }
    Ok(target)
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

/// Writes the site into a new folder beside `out`, then swaps it in for the old one, so that
/// a failed or killed build leaves the last good site in place. `render` puts the files;
/// `copies` are files to copy in as they are (path in the site, source).
pub fn site<T>(
    root: &Path,
    out: &Path,
    copies: &[(String, PathBuf)],
    render: impl FnOnce(&dyn Sink) -> Result<T>,
) -> Result<T> {
    let target = check_output(root, out)?;
    let parent = target
        .parent()
        .context("the output folder has no parent folder")?
        .to_path_buf();
    let name = target
        .file_name()
        .context("the output folder has no name")?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
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
        std::fs::rename(&target, &old)
            .with_context(|| format!("moving the previous site {} aside", target.display()))?;
    }
    if let Err(e) = std::fs::rename(&fresh, &target) {
        if old.exists() {
            let _ = std::fs::rename(&old, &target);
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

/// Writes a file whole and never through a link: the bytes go to a temporary file beside it,
/// which is then renamed over it (replacing a link there, not the file it points to).
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path
        .parent()
        .with_context(|| format!("{} has no folder", path.display()))?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("writing in {}", folder.display()))?;
    std::io::Write::write_all(&mut temporary, bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    temporary
        .persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Creates a file that does not exist yet, not even as a link to somewhere else.
pub fn create_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/a.txt"), "keep").unwrap();
        assert!(check_output(root, root).is_err());
        assert!(check_output(root, &root.join("content")).is_err());
        assert!(check_output(root, &root.join("content/site")).is_err());
        assert!(check_output(root, &root.join("themes")).is_err());
        assert!(check_output(root, &root.join("notes")).is_err());
        assert!(check_output(root, root.parent().unwrap()).is_err());
        assert!(check_output(root, &root.join("site")).is_ok());
    }

    #[test]
    fn replaces_its_own_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let out = root.join("site");
        site(root, &out, &[], |sink| {
            sink.put("a/index.html", b"one")?;
            sink.put("old.html", b"old")
        })
        .unwrap();
        site(root, &out, &[], |sink| sink.put("a/index.html", b"two")).unwrap();
        // A failed build leaves the last good site, and nothing beside it.
        let failed: Result<()> = site(root, &out, &[], |sink| {
            sink.put("a/index.html", b"three")?;
            anyhow::bail!("broken")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("old.html").exists());
        let names: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["site"]);
    }
}
