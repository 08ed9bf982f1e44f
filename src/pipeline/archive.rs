//! Campaigns written as archives of changes to a base campaign: the inputs of the fuzz
//! target and of its short run in the tests.

use crate::source::Memory;

/// The example campaign that ships with ducha, in memory.
pub fn example() -> Memory {
    Memory {
        files: crate::example::files()
            .iter()
            .map(|(path, bytes)| (format!("content/{path}"), bytes.to_vec()))
            .collect(),
    }
}

/// One change an archive makes to a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Writes a file, replacing whatever was at its path.
    Put { path: String, bytes: Vec<u8> },
    /// Removes every file whose path starts with this.
    Drop { prefix: String },
}

const PUT: &[u8] = b"%%file ";
const DROP: &[u8] = b"%%drop ";

/// Reads an archive: a list of changes, each starting on a line of its own with
/// `%%file PATH` (followed by the file's bytes up to the next change) or `%%drop PREFIX`.
/// `%` never starts a line of YAML content, so files split cleanly. Any bytes are an archive:
/// what is not a change is ignored.
pub fn changes(archive: &[u8]) -> Vec<Change> {
    let mut starts: Vec<usize> = (0..archive.len())
        .filter(|&i| i == 0 || archive[i - 1] == b'\n')
        .filter(|&i| archive[i..].starts_with(PUT) || archive[i..].starts_with(DROP))
        .collect();
    starts.push(archive.len() + 1);
    starts
        .windows(2)
        .filter_map(|pair| {
            // The newline before the next change belongs to neither.
            let entry = &archive[pair[0]..pair[1] - 1];
            let (head, body) = match entry.iter().position(|b| *b == b'\n') {
                Some(at) => (&entry[..at], &entry[at + 1..]),
                None => (entry, &[][..]),
            };
            let name = String::from_utf8_lossy(&head[PUT.len()..]);
            if head.starts_with(DROP) {
                return Some(Change::Drop {
                    prefix: name.into_owned(),
                });
            }
            Some(Change::Put {
                path: file_path(&name)?,
                bytes: body.to_vec(),
            })
        })
        .collect()
}

/// Writes changes as an archive that `changes` reads back; `None` when a file holds a line
/// that would read as a change.
pub fn archive(changes: &[Change]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        match change {
            Change::Put { path, bytes } => {
                let breaks = |b: &[u8]| b.starts_with(PUT) || b.starts_with(DROP);
                if breaks(bytes) || bytes.windows(PUT.len() + 1).any(|w| breaks(&w[1..])) {
                    return None;
                }
                out.extend([PUT, path.as_bytes(), b"\n", bytes].concat());
            }
            Change::Drop { prefix } => out.extend([DROP, prefix.as_bytes()].concat()),
        }
    }
    Some(out)
}

/// A path as a file system could hold it: no empty, `.` or `..` parts, no NUL.
fn file_path(written: &str) -> Option<String> {
    let parts: Vec<&str> = written
        .trim_end_matches('\r')
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let usable = !parts.is_empty() && parts.iter().all(|p| *p != ".." && !p.contains('\0'));
    usable.then(|| parts.join("/"))
}

/// `base` with an archive's changes applied in order.
pub fn unpack(base: &Memory, archive: &[u8]) -> Memory {
    let mut files = base.files.clone();
    for change in changes(archive) {
        match change {
            Change::Put { path, bytes } => {
                // A file replaces a folder of that name and the files where its folders go.
                let folder = format!("{path}/");
                files.retain(|p, _| !p.starts_with(&folder) && !path.starts_with(&format!("{p}/")));
                files.insert(path, bytes);
            }
            Change::Drop { prefix } => files.retain(|p, _| !p.starts_with(&prefix)),
        }
    }
    Memory { files }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(path: &str, bytes: &str) -> Change {
        Change::Put {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    #[test]
    fn archives_read_back_as_written() {
        let written = vec![
            put("content/a.yaml", "a: 1\n"),
            Change::Drop {
                prefix: "content/sheets/".into(),
            },
            put("content/b.yaml", "no final newline"),
            put("content/empty.yaml", ""),
            put("content/c.yaml", "\n\n"),
        ];
        let bytes = archive(&written).unwrap();
        assert_eq!(changes(&bytes), written);
        assert_eq!(archive(&[put("x", "a\n%%drop y")]), None);
        assert_eq!(archive(&[put("x", "%%file y")]), None);
    }

    #[test]
    fn changes_apply_in_order_as_on_a_file_system() {
        let base = example();
        let campaign = unpack(
            &base,
            b"junk before the first change\n%%drop content/sheets/\n%%file content/sheets/x.yaml\ntown: x\n%%file content//./towns.yaml/a\nfolder\n%%file content/../etc/passwd\n",
        );
        let sheets: Vec<_> = campaign
            .files
            .keys()
            .filter(|p| p.starts_with("content/sheets/"))
            .collect();
        assert_eq!(sheets, ["content/sheets/x.yaml"]);
        assert_eq!(campaign.files["content/sheets/x.yaml"], b"town: x");
        assert!(!campaign.files.contains_key("content/towns.yaml"));
        assert_eq!(campaign.files["content/towns.yaml/a"], b"folder");
        assert!(!campaign.files.keys().any(|p| p.contains("etc")));
        assert_eq!(unpack(&base, b"").files, base.files);
    }
}
