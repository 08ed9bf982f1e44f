//! Every stage of `build` on a campaign in memory, writing nothing: load, check, print the
//! diagnostics, score and render. Fuzzing and tests drive it with campaigns written as
//! archives of changes to a base campaign.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::diag::{self, Finding, Format, Report};
use crate::history::History;
use crate::model::Lang;
use crate::problem::Result;
use crate::render::{self, Theme};
use crate::score::{self, Ranking};
use crate::source::{Fetched, Memory, Source};
use crate::{audit, check, load};

/// What building a campaign in memory gave.
pub struct Built {
    /// The findings as `check` reports them.
    pub findings: Vec<Finding>,
    pub errors: usize,
    /// The diagnostics as printed in every format, plain and `--strict`.
    pub printed: Vec<Printed>,
    pub ranking: Ranking,
    /// Every page, data file and evidence file of the site, by path; `None` when the content
    /// has errors.
    pub site: Option<BTreeMap<String, Vec<u8>>>,
}

/// The diagnostics as one format prints them.
pub struct Printed {
    pub format: Format,
    pub strict: bool,
    pub text: String,
}

const FORMATS: [Format; 4] = [
    Format::Human { color: false },
    Format::Human { color: true },
    Format::Json,
    Format::Github,
];

/// Builds the campaign in `source` as `ducha build` would, outside any git repository and
/// with the built-in theme. `Err` is what would make a command exit 2.
pub fn build_in_memory(source: Arc<dyn Source>) -> Result<Built> {
    let mut loaded = load::load_from(Arc::clone(&source))?;
    let content = &loaded.content;
    let history = History::none();
    let mut diags = std::mem::take(&mut loaded.diags);
    diags.extend(check::run(content, &|path| loaded.evidence(path), &history));
    let (audited, flags) = audit::run(content, &history);
    diags.extend(audited);

    let lang = content.lang();
    let plain = Report::new(&loaded.files, lang, &diags, false);
    let strict = Report::new(&loaded.files, lang, &diags, true);
    let printed = [(&plain, false), (&strict, true)]
        .into_iter()
        .flat_map(|(report, strict)| {
            FORMATS.map(|format| Printed {
                format,
                strict,
                text: diag::render(report, format),
            })
        })
        .collect();
    let (findings, errors) = (plain.findings(), plain.errors());

    // `diff` scores content with errors too, so scoring must take any content.
    let ranking = score::rank(content);
    let site = if errors > 0 {
        None
    } else {
        let memory = render::Memory::default();
        let commit = render::Source {
            commit: None,
            dirty: false,
        };
        let inputs = render::Inputs {
            content,
            evidence: &loaded.evidence,
            ranking: &ranking,
            history: &history,
            flags: &flags,
            source: &commit,
        };
        render::site(&inputs, builtin_theme(lang)?, &memory)?;
        let mut files = memory.into_files();
        for (target, resolved) in render::published_files(&loaded.evidence) {
            if let Fetched::Bytes(bytes) = source.read(&resolved)? {
                files.insert(target, bytes);
            }
        }
        Some(files)
    };
    Ok(Built {
        findings,
        errors,
        printed,
        ranking,
        site,
    })
}

impl Built {
    /// What would be wrong with this build whatever the content: a JSON report or data file
    /// that does not parse, or a site path that would leave the output folder. Always empty.
    pub fn faults(&self) -> Vec<String> {
        let mut faults = Vec::new();
        for printed in self.printed.iter().filter(|p| p.format == Format::Json) {
            match serde_json::from_str::<serde_json::Value>(&printed.text) {
                Err(e) => faults.push(format!("the JSON report does not parse: {e}")),
                Ok(report) if !printed.strict && report["errors"] != self.errors => faults.push(
                    format!("the JSON report counts {} errors", report["errors"]),
                ),
                Ok(_) => {}
            }
        }
        for (path, bytes) in self.site.iter().flatten() {
            let inside = |part: &str| !matches!(part, "" | "." | "..") && !part.contains('\0');
            if !path.split('/').all(inside) {
                faults.push(format!("the site path {path:?} leaves the output folder"));
            }
            if path.ends_with(".json")
                && serde_json::from_slice::<serde_json::Value>(bytes).is_err()
            {
                faults.push(format!("{path} does not parse"));
            }
        }
        faults
    }
}

/// The built-in theme in `lang`, parsed once: it is the same for every campaign, and parsing
/// it costs more than rendering a small site.
fn builtin_theme(lang: Lang) -> Result<&'static Theme> {
    static THEMES: [OnceLock<Theme>; 2] = [OnceLock::new(), OnceLock::new()];
    let cell = &THEMES[match lang {
        Lang::Zh => 0,
        Lang::En => 1,
    }];
    if let Some(theme) = cell.get() {
        return Ok(theme);
    }
    let theme = Theme::builtin(lang)?;
    Ok(cell.get_or_init(|| theme))
}

/// The example campaign that ships with ducha, in memory.
pub fn example() -> Memory {
    Memory {
        files: crate::init::example_files()
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

    #[test]
    fn the_example_builds_in_memory_without_errors() {
        let built = build_in_memory(Arc::new(example())).unwrap();
        assert_eq!(built.errors, 0, "{:#?}", built.findings);
        let site = built.site.unwrap();
        assert!(site.contains_key("index.html"));
        assert!(site.contains_key("towns/xiantang/index.html"));
        assert!(
            site.contains_key("files/evidence/lankou/1-water.svg"),
            "{:?}",
            site.keys()
        );
        assert_eq!(built.printed.len(), 8);
    }

    #[test]
    fn a_site_path_that_leaves_the_output_folder_is_a_fault() {
        let mut built = build_in_memory(Arc::new(example())).unwrap();
        assert_eq!(built.faults(), Vec::<String>::new());
        let site = built.site.as_mut().unwrap();
        site.insert("towns/../../etc/index.html".into(), vec![]);
        site.insert("data/x.json".into(), b"{".to_vec());
        assert_eq!(
            built.faults(),
            [
                "data/x.json does not parse",
                "the site path \"towns/../../etc/index.html\" leaves the output folder"
            ]
        );
    }

    #[test]
    fn a_campaign_with_errors_is_reported_and_not_rendered() {
        let broken = unpack(
            &example(),
            b"%%file content/sheets/xiantang.yaml\nscroe: 1\n",
        );
        let built = build_in_memory(Arc::new(broken)).unwrap();
        assert!(built.errors > 0);
        assert!(built.site.is_none());
        let json = built
            .printed
            .iter()
            .find(|p| p.format == Format::Json && !p.strict)
            .unwrap();
        assert!(
            json.text.contains("content/sheets/xiantang.yaml"),
            "{}",
            json.text
        );
    }
}
