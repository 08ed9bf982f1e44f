//! Reads a content folder into the model, with a diagnostic for every file it cannot understand.

pub mod decode;
pub mod yaml;

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::check::Evidence;
use crate::diag::{Diagnostic, FileId, Files, Span};
use crate::message::Msg;
use crate::model::{Content, Sheet};
use decode::Decoder;
use yaml::{Node, ParseError};

#[derive(Debug)]
pub struct Loaded {
    pub files: Files,
    pub content: Content,
    pub diags: Vec<Diagnostic>,
}

/// Loads `ROOT/content/`. An `Err` means the command cannot run at all (exit 2); problems in
/// the content are diagnostics.
pub fn load(root: &Path) -> Result<Loaded> {
    if !root.is_dir() {
        bail!("{} is not a folder", root.display());
    }
    let dir = root.join("content");
    if !dir.is_dir() {
        bail!(
            "{} has no content/ folder: run ducha in a campaign repository, or give its folder with --root",
            root.display()
        );
    }
    let mut files = Files::new(root);
    let mut diags = Vec::new();
    let mut content = Content::default();
    // Reads one of the four set-up files and decodes it with `decode`.
    let mut setup = |relative: &str,
                     diags: &mut Vec<Diagnostic>,
                     decode: &mut dyn FnMut(&mut Decoder, FileId, &Node)|
     -> Result<()> {
        let id = files.add(relative.to_string());
        if let Some(text) = read_text(&files, id, true, diags)?
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

    let sheets = dir.join("sheets");
    if sheets.is_dir() {
        let mut names = Vec::new();
        for entry in
            std::fs::read_dir(&sheets).with_context(|| format!("reading {}", sheets.display()))?
        {
            let entry = entry.with_context(|| format!("reading {}", sheets.display()))?;
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            names.push((entry.file_name(), is_dir));
        }
        names.sort();
        let mut jobs = Vec::new();
        for (name, is_dir) in names {
            let name = name.to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            let relative = format!("content/sheets/{name}");
            let id = files.add(relative);
            match name.strip_suffix(".yaml").filter(|_| !is_dir) {
                Some(stem) => jobs.push((id, stem.to_string())),
                None => diags.push(Diagnostic::new(Msg::StrayFile { name }, Span::file(id))),
            }
        }
        // Sheets are independent: read them on every core, then merge in file order.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = jobs.len().div_ceil(threads).max(1);
        let files = &files;
        let results = std::thread::scope(|scope| {
            let handles: Vec<_> = jobs
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || -> Result<Vec<(Option<Sheet>, Vec<Diagnostic>)>> {
                        part.iter()
                            .map(|(id, stem)| {
                                let mut diags = Vec::new();
                                let text = read_text(files, *id, false, &mut diags)?;
                                let sheet = text.as_deref().and_then(|text| {
                                    let node = parse_text(*id, text, &mut diags)?;
                                    decode::sheet(
                                        &mut Decoder { diags: &mut diags },
                                        *id,
                                        stem,
                                        &node,
                                    )
                                });
                                Ok((sheet, diags))
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
        for ((sheet, found), (_, stem)) in results.into_iter().flatten().zip(&jobs) {
            diags.extend(found);
            match sheet {
                Some(sheet) => content.sheets.push(sheet),
                None => content.unreadable_sheets.push(stem.clone()),
            }
        }
    }
    Ok(Loaded {
        files,
        content,
        diags,
    })
}

/// Resolves a sheet's evidence path, relative to `content/`, confined to the repository.
pub fn evidence(root: &Path, path: &str) -> Evidence {
    let relative = Path::new(path);
    let mut inside = PathBuf::from("content");
    for component in relative.components() {
        match component {
            Component::Normal(part) if part == ".git" => return Evidence::Outside,
            Component::Normal(part) => inside.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !inside.pop() {
                    return Evidence::Outside;
                }
            }
            Component::RootDir | Component::Prefix(_) => return Evidence::Outside,
        }
    }
    let full = root.join(&inside);
    match (full.canonicalize(), root.canonicalize()) {
        (Ok(file), Ok(root)) if !file.starts_with(&root) => Evidence::Outside,
        (Ok(file), Ok(_)) if file.is_file() => Evidence::Present,
        _ => Evidence::Missing,
    }
}

/// Reads a registered file's text; `None` when it is missing (if required) or not UTF-8.
fn read_text(
    files: &Files,
    id: FileId,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<String>> {
    let relative = files.path(id);
    let path = files.absolute(id);
    if required && !path.exists() {
        let name = relative.trim_start_matches("content/").to_string();
        diags.push(Diagnostic::new(Msg::MissingFile { name }, Span::file(id)));
        return Ok(None);
    }
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    match text(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(bad) => {
            let span = Span {
                file: id,
                line: bad.line,
                col: bad.col,
                len: 1,
            };
            let msg = Msg::NotUtf8 {
                gbk: bad.gbk,
                utf16: bad.utf16,
            };
            diags.push(Diagnostic::new(msg, span));
            Ok(None)
        }
    }
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
                ParseError::TooLarge { span } => (Msg::TooLarge, span),
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
    for (i, line) in text.lines().enumerate().skip(near.line as usize - 1) {
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

/// Bytes that are not UTF-8: what they look like, and where the first bad byte stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotText {
    pub gbk: bool,
    pub utf16: bool,
    pub line: u32,
    pub col: u32,
}

/// Decodes file bytes as UTF-8 (a BOM is allowed), or says which encoding they look like and
/// where the first byte that is not UTF-8 stands.
pub fn text(mut bytes: Vec<u8>) -> Result<String, NotText> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(NotText {
            gbk: false,
            utf16: true,
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
                gbk,
                utf16: false,
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
                gbk: true,
                utf16: false,
                line: 1,
                col: 7
            }
        );
    }
}
