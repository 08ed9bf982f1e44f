//! Reads a campaign's files into the model, with a diagnostic for every file it cannot
//! understand.

pub mod decode;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, bail};

use crate::diag::{Diagnostic, FileId, Files, Span};
use crate::message::Msg;
use crate::model::{Content, Sheet};
use crate::source::{EntryKind, Evidence, Fetched, Source, WorkTree};
use decode::Decoder;
use yaml::{Node, ParseError};

#[derive(Debug)]
pub struct Loaded {
    pub files: Files,
    pub content: Content,
    pub diags: Vec<Diagnostic>,
    /// Every path the sheets and the rubric link to, as written, and what it resolves to.
    pub evidence: BTreeMap<String, Evidence>,
}

impl Loaded {
    /// What a path written in the content resolves to.
    pub fn evidence(&self, written: &str) -> Evidence {
        self.evidence
            .get(written)
            .cloned()
            .unwrap_or(Evidence::Missing)
    }
}

/// Loads `ROOT/content/` from disk. An `Err` means the command cannot run at all (exit 2);
/// problems in the content are diagnostics.
pub fn load(root: &Path) -> Result<Loaded> {
    if !root.is_dir() {
        bail!("{} is not a folder", root.display());
    }
    if !root.join("content").is_dir() {
        bail!(
            "{} has no content/ folder: run ducha in a campaign repository, or give its folder with --root",
            root.display()
        );
    }
    load_from(Arc::new(WorkTree::new(root)?))
}

/// Loads a campaign from any source: a working tree, a commit, or memory.
pub fn load_from(source: Arc<dyn Source>) -> Result<Loaded> {
    let mut files = Files::new(Arc::clone(&source));
    let mut diags = Vec::new();
    let mut content = Content::default();
    let source = source.as_ref();
    // Reads one of the four set-up files and decodes it with `decode`.
    let mut setup = |relative: &str,
                     diags: &mut Vec<Diagnostic>,
                     decode: &mut dyn FnMut(&mut Decoder, FileId, &Node)|
     -> Result<()> {
        let id = files.add(relative.to_string());
        if let Some(text) = read_text(source, relative, id, true, diags)?
            && let Some(node) = parse_text(id, &text, diags)
        {
            decode(&mut Decoder { diags }, id, &node);
        }
        Ok(())
    };

    setup("content/campaign.yaml", &mut diags, &mut |d, id, node| {
        content.campaign = decode::campaign(d, id, node);
    })?;
    let before = diags.len();
    setup("content/rubric.yaml", &mut diags, &mut |d, id, node| {
        content.rubric = decode::rubric(d, id, node);
    })?;
    content.whole.rubric = content.rubric.is_some() && diags.len() == before;
    let before = diags.len();
    setup("content/towns.yaml", &mut diags, &mut |d, _, node| {
        content.towns = decode::towns(d, node);
    })?;
    content.whole.towns = content.towns.is_some() && diags.len() == before;
    let before = diags.len();
    setup("content/groups.yaml", &mut diags, &mut |d, _, node| {
        content.groups = decode::groups(d, node);
    })?;
    content.whole.groups = content.groups.is_some() && diags.len() == before;

    let mut jobs = Vec::new();
    for entry in source.list("content/sheets")?.unwrap_or_default() {
        let name = entry.name;
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let id = files.add(format!("content/sheets/{name}"));
        if !entry.usable {
            diags.push(Diagnostic::new(
                Msg::UnusableFileName { name },
                Span::file(id),
            ));
            continue;
        }
        match name.strip_suffix(".yaml") {
            Some(stem) if entry.kind != EntryKind::Folder => jobs.push((id, stem.to_string())),
            _ => diags.push(Diagnostic::new(Msg::StrayFile { name }, Span::file(id))),
        }
    }
    // Sheets are independent: read them on every core, then merge in file order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = jobs.len().div_ceil(threads).max(1);
    let files_ref = &files;
    type Read = (Option<Sheet>, Vec<Diagnostic>, Vec<(String, Evidence)>);
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<Vec<Read>> {
                    part.iter()
                        .map(|(id, stem)| {
                            let mut diags = Vec::new();
                            let path = files_ref.path(*id);
                            let text = read_text(source, path, *id, false, &mut diags)?;
                            let sheet = text.as_deref().and_then(|text| {
                                let node = parse_text(*id, text, &mut diags)?;
                                decode::sheet(&mut Decoder { diags: &mut diags }, *id, stem, &node)
                            });
                            let resolved = sheet
                                .iter()
                                .flat_map(Sheet::paths)
                                .map(|p| (p.value.clone(), source.evidence(&p.value)))
                                .collect();
                            Ok((sheet, diags, resolved))
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<Result<Vec<_>>>()
    })?;
    let mut evidence = BTreeMap::new();
    for link in content
        .rubric
        .iter()
        .flat_map(|r| r.items())
        .flat_map(|i| &i.links)
    {
        evidence
            .entry(link.value.clone())
            .or_insert_with(|| source.evidence(&link.value));
    }
    for ((sheet, found, resolved), (_, stem)) in results.into_iter().flatten().zip(&jobs) {
        diags.extend(found);
        evidence.extend(resolved);
        match sheet {
            Some(sheet) => content.sheets.push(sheet),
            None => content.unreadable_sheets.push(stem.clone()),
        }
    }
    Ok(Loaded {
        files,
        content,
        diags,
        evidence,
    })
}

/// Reads a file's text; `None`, with a diagnostic, when it is missing (if required), not a
/// regular file inside the repository, too large, or not UTF-8.
fn read_text(
    source: &dyn Source,
    relative: &str,
    id: FileId,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<String>> {
    let msg = match source.read(relative)? {
        Fetched::Bytes(bytes) => match text(bytes) {
            Ok(text) => return Ok(Some(text)),
            Err(bad) => {
                let span = Span {
                    file: id,
                    line: bad.line,
                    col: bad.col,
                    len: 1,
                };
                let msg = Msg::NotUtf8 {
                    encoding: bad.encoding,
                };
                diags.push(Diagnostic::new(msg, span));
                return Ok(None);
            }
        },
        Fetched::Missing if !required => return Ok(None),
        Fetched::Missing => Msg::MissingFile {
            name: relative.trim_start_matches("content/").to_string(),
        },
        Fetched::NotAFile => Msg::NotAFile,
        Fetched::Outside => Msg::FileOutside,
        Fetched::TooLarge => Msg::FileTooLarge {
            limit_mib: crate::source::MAX_FILE_BYTES / (1024 * 1024),
        },
    };
    diags.push(Diagnostic::new(msg, Span::file(id)));
    Ok(None)
}

/// Parses a file's text; `None`, with a diagnostic, when it is not one YAML document.
fn parse_text<'t>(id: FileId, text: &'t str, diags: &mut Vec<Diagnostic>) -> Option<Node<'t>> {
    match yaml::parse(id, text) {
        Ok(node) => Some(node),
        Err(e) => {
            let (msg, span) = match e {
                ParseError::Syntax { span, info } => {
                    let span = if info.contains("tab") {
                        tab_after(text, span)
                    } else {
                        span
                    };
                    (Msg::YamlSyntax { info }, span)
                }
                ParseError::TooDeep { span } => (Msg::TooDeep, span),
                ParseError::AliasBomb { span } => (Msg::AliasBomb, span),
                ParseError::TooLarge { span } => (Msg::TooManyValues, span),
                ParseError::Empty { span } => (Msg::EmptyFile, span),
                ParseError::MultipleDocuments { span } => (Msg::MultipleDocuments, span),
                ParseError::UnknownAnchor { span } => (Msg::UnknownAnchor, span),
            };
            diags.push(Diagnostic::new(msg, span));
            None
        }
    }
}

/// The parser reports a tab in indentation at the token near it; point at the tab itself,
/// the first one in the leading white space of that line or a later one.
fn tab_after(text: &str, near: Span) -> Span {
    for (i, line) in crate::source::lines(text)
        .enumerate()
        .skip(near.line as usize - 1)
    {
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        if let Some(col) = indent.chars().position(|c| c == '\t') {
            return Span {
                line: i as u32 + 1,
                col: col as u32 + 1,
                len: 1,
                ..near
            };
        }
    }
    near
}

/// The encoding a file that is not UTF-8 seems to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gbk,
    Utf16Le,
    Utf16Be,
    Unknown,
}

/// Bytes that are not UTF-8: what they look like, and where the first bad byte stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotText {
    pub encoding: Encoding,
    pub line: u32,
    pub col: u32,
}

/// UTF-16 without a byte-order mark: the zero high bytes of ASCII keys, on one side.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 || !head.contains(&0) {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 4 >= pairs && even * 8 < pairs {
        Some(Encoding::Utf16Le)
    } else if even * 4 >= pairs && odd * 8 < pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Decodes file bytes as UTF-8 (a BOM is allowed), or says which encoding they look like and
/// where the first byte that is not UTF-8 stands.
pub fn text(mut bytes: Vec<u8>) -> Result<String, NotText> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(Encoding::Utf16Le),
        Some([0xFE, 0xFF]) => Some(Encoding::Utf16Be),
        _ => utf16_without_bom(&bytes),
    };
    if let Some(encoding) = utf16 {
        return Err(NotText {
            encoding,
            line: 1,
            col: 1,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = &bytes[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() as u32 + 1;
            let col = valid.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
            let gbk = encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some();
            Err(NotText {
                encoding: if gbk {
                    Encoding::Gbk
                } else {
                    Encoding::Unknown
                },
                line,
                col,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_bom_and_crlf() {
        let bytes = b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n".to_vec();
        let text = text(bytes).unwrap();
        let node = yaml::parse(FileId(0), &text).unwrap();
        let yaml::Kind::Map(pairs) = node.kind else {
            panic!("map expected")
        };
        assert_eq!(pairs[1].1.span.line, 2);
    }

    #[test]
    fn recognises_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("town: 仙塘镇\n");
        let Err(bad) = text(gbk.into_owned()) else {
            panic!("GBK must be refused")
        };
        assert_eq!(
            bad,
            NotText {
                encoding: Encoding::Gbk,
                line: 1,
                col: 7
            }
        );
    }

    #[test]
    fn recognises_utf16_without_a_byte_order_mark() {
        let text16 = |big: bool| -> Vec<u8> {
            "town: 仙塘镇\nstatus: final\n"
                .encode_utf16()
                .flat_map(|u| {
                    if big {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect()
        };
        assert_eq!(text(text16(false)).unwrap_err().encoding, Encoding::Utf16Le);
        assert_eq!(text(text16(true)).unwrap_err().encoding, Encoding::Utf16Be);
        // A stray NUL in UTF-8 text is left to the YAML parser.
        assert!(text(b"a: 1\0\nb: 2\n".to_vec()).is_ok());
    }
}
