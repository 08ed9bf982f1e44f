//! Reads a campaign's files into the model, with a diagnostic for every file it cannot
//! understand.

pub mod decode;
pub mod rules;
pub mod slips;
pub mod syntax;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, FileId, Files, Span};
use crate::model::{Content, Lang, Sheet};
use crate::problem::{Problem, Result};
use crate::source::{EntryKind, Evidence, Fetched, Source, WorkTree};
use decode::Decoder;
use rules::{
    EmptyFile, MissingFile, NotReadable, NotUtf8, Placeholder, StrayFile, UnusableFileName,
    YamlLimits,
};
use slips::FullWidth;
use syntax::YamlSyntax;
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
    load_with(root, None)
}

/// Loads like `load`, taking from `cache` the sheets it decoded before.
pub fn load_with(root: &Path, cache: Option<&Cache>) -> Result<Loaded> {
    if !root.is_dir() {
        return Err(if root.exists() {
            Problem::RootIsAFile(root.to_path_buf())
        } else {
            Problem::NoRoot(root.to_path_buf())
        }
        .into());
    }
    if !root.join("content").is_dir() {
        return Err(Problem::NoContent(root.to_path_buf()).into());
    }
    load_cached(Arc::new(WorkTree::new(root)?), cache)
}

/// The language of the campaign at `root`, read from its campaign.yaml alone: what a command
/// that reads the campaign speaks in, from its first word. `None` when there is no readable
/// campaign.yaml.
pub fn language(root: &Path) -> Option<Lang> {
    let tree = WorkTree::new(root).ok()?;
    let Ok(Fetched::Bytes(bytes)) = tree.read("content/campaign.yaml") else {
        return None;
    };
    let text = text(bytes).ok()?;
    let node = yaml::parse(FileId(0), &text).ok()?;
    let yaml::Kind::Map(pairs) = &node.kind else {
        return None;
    };
    let value = pairs
        .iter()
        .find_map(|(key, value)| match (&key.kind, &value.kind) {
            (yaml::Kind::Scalar { text: k, .. }, yaml::Kind::Scalar { text: v, .. })
                if k.as_ref() == "language" =>
            {
                Some(v.as_ref())
            }
            _ => None,
        });
    // As `decode::campaign` reads it: anything but `en` is Chinese.
    Some(if value == Some("en") {
        Lang::En
    } else {
        Lang::Zh
    })
}

/// Loads a campaign from any source: a working tree, a commit, or memory.
pub fn load_from(source: Arc<dyn Source>) -> Result<Loaded> {
    load_cached(source, None)
}

/// Sheets as an earlier load decoded them, by path, for the next load of the same campaign
/// (`ducha serve`): a sheet whose text and place among the files are the same is not parsed
/// again.
#[derive(Default)]
pub struct Cache {
    sheets: std::sync::Mutex<std::collections::HashMap<String, Decoded>>,
    /// The paths this load has read, to forget the others when it is done.
    seen: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// A sheet as it decoded, with what decoding it found, and what it was decoded from.
struct Decoded {
    id: FileId,
    text: u64,
    sheet: Option<Sheet>,
    diags: Vec<Diagnostic>,
}

/// A fingerprint of a file's text: what `Sheet::text` holds.
pub fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl Cache {
    /// The sheet at `path` (file `id`) with `text` (fingerprinted `hash`): as decoded last time
    /// when that was the same file with the same text, else decoded by `decode` now. Its
    /// findings go to `diags`.
    fn sheet(
        &self,
        path: &str,
        id: FileId,
        text: &str,
        hash: u64,
        diags: &mut Vec<Diagnostic>,
        decode: impl FnOnce(&str, &mut Vec<Diagnostic>) -> Option<Sheet>,
    ) -> Option<Sheet> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string());
        if let Some(d) = self
            .sheets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .filter(|d| d.id == id && d.text == hash)
        {
            diags.extend(d.diags.iter().cloned());
            return d.sheet.clone();
        }
        let before = diags.len();
        let sheet = decode(text, diags);
        let decoded = Decoded {
            id,
            text: hash,
            sheet: sheet.clone(),
            diags: diags[before..].to_vec(),
        };
        self.sheets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), decoded);
        sheet
    }

    /// Forgets the sheets this load did not read: deleted, or no longer text.
    fn forget_unseen(&self) {
        let seen = std::mem::take(&mut *self.seen.lock().unwrap_or_else(|e| e.into_inner()));
        self.sheets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|path, _| seen.contains(path));
    }
}

/// Loads like `load_from`, taking from `cache` the sheets it decoded before.
pub fn load_cached(source: Arc<dyn Source>, cache: Option<&Cache>) -> Result<Loaded> {
    let mut files = Files::new(Arc::clone(&source));
    let mut diags = Vec::new();
    let mut content = Content::default();
    let source = source.as_ref();
    // Reads one of the four set-up files and decodes it with `decode`.
    // Placeholders left in place are warnings, apart from the decoding that decides whether a
    // file loaded whole.
    let mut left = Vec::new();
    let mut setup = |relative: &str,
                     diags: &mut Vec<Diagnostic>,
                     decode: &mut dyn FnMut(&mut Decoder, FileId, &Node)|
     -> Result<()> {
        let id = files.add(relative.to_string());
        let mut repaired = None;
        if let Some(text) = read_text(source, relative, id, true, diags)?
            && let Some(parsed) = parse_text(id, &text, &mut repaired, diags)
        {
            let mut decoder = Decoder {
                diags,
                text: parsed.text,
                shifts: parsed.shifts,
            };
            decode(&mut decoder, id, &parsed.node);
            placeholders(&parsed.node, &mut left);
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
    diags.append(&mut left);

    let jobs = folder(source, "sheets", &mut files, &mut diags)?;
    // Sheets are independent: read them on every core, then merge in file order.
    type Read = (Option<Sheet>, Vec<Diagnostic>, Vec<(String, Evidence)>);
    let results = crate::parallel::map(&jobs, |(id, stem)| -> Result<Read> {
        let mut diags = Vec::new();
        let path = files.path(*id);
        let text = read_text(source, path, *id, false, &mut diags)?;
        let decode = |text: &str, diags: &mut Vec<Diagnostic>| {
            let mut repaired = None;
            let parsed = parse_text(*id, text, &mut repaired, diags)?;
            let mut decoder = Decoder {
                diags,
                text: parsed.text,
                shifts: parsed.shifts,
            };
            decode::sheet(&mut decoder, *id, stem, &parsed.node)
        };
        let sheet = text.as_deref().and_then(|text| {
            let hash = text_hash(text);
            let sheet = match cache {
                Some(cache) => cache.sheet(path, *id, text, hash, &mut diags, decode),
                None => decode(text, &mut diags),
            };
            sheet.map(|sheet| Sheet {
                text: hash,
                ..sheet
            })
        });
        let resolved = sheet
            .iter()
            .flat_map(Sheet::paths)
            .map(|p| (p.value.clone(), source.evidence(&p.value)))
            .collect();
        Ok((sheet, diags, resolved))
    })?;
    if let Some(cache) = cache {
        cache.forget_unseen();
    }
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
    for ((sheet, found, resolved), (_, stem)) in results.into_iter().zip(&jobs) {
        diags.extend(found);
        evidence.extend(resolved);
        match sheet {
            Some(sheet) => content.sheets.push(sheet),
            None => content.unreadable_sheets.push(stem.clone()),
        }
    }
    // The towns' objections and rectification records: small files, read in turn.
    for (id, stem) in folder(source, "objections", &mut files, &mut diags)? {
        if let Some(objections) = small_file(source, &files, id, &mut diags, |d, node| {
            decode::objections(d, id, &stem, node)
        })? {
            let paths = objections.requests.iter().flat_map(|r| &r.evidence);
            resolve(source, paths, &mut evidence);
            content.objections.push(objections);
        }
    }
    for (id, stem) in folder(source, "rectification", &mut files, &mut diags)? {
        if let Some(records) = small_file(source, &files, id, &mut diags, |d, node| {
            decode::rectification(d, id, &stem, node)
        })? {
            let paths = records.records.iter().flat_map(|r| &r.evidence);
            resolve(source, paths, &mut evidence);
            content.rectification.push(records);
        }
    }
    Ok(Loaded {
        files,
        content,
        diags,
        evidence,
    })
}

/// Reads, parses and decodes one small file with `decode`.
fn small_file<T>(
    source: &dyn Source,
    files: &Files,
    id: FileId,
    diags: &mut Vec<Diagnostic>,
    decode: impl FnOnce(&mut Decoder, &Node) -> Option<T>,
) -> Result<Option<T>> {
    let path = files.path(id).to_string();
    let Some(text) = read_text(source, &path, id, false, diags)? else {
        return Ok(None);
    };
    let mut repaired = None;
    let Some(parsed) = parse_text(id, &text, &mut repaired, diags) else {
        return Ok(None);
    };
    let mut decoder = Decoder {
        diags,
        text: parsed.text,
        shifts: parsed.shifts,
    };
    Ok(decode(&mut decoder, &parsed.node))
}

/// Resolves each evidence path not resolved yet.
fn resolve<'p>(
    source: &dyn Source,
    paths: impl Iterator<Item = &'p crate::model::Spanned<String>>,
    evidence: &mut BTreeMap<String, Evidence>,
) {
    for path in paths {
        evidence
            .entry(path.value.clone())
            .or_insert_with(|| source.evidence(&path.value));
    }
}

/// The YAML files of a folder of `content/`, each with its file id and its name without
/// `.yaml`; anything else in it, or a name that cannot be used, is reported.
fn folder(
    source: &dyn Source,
    folder: &'static str,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<(FileId, String)>> {
    let mut jobs = Vec::new();
    for entry in source
        .list(&format!("content/{folder}"))?
        .unwrap_or_default()
    {
        let name = entry.name;
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let id = files.add(format!("content/{folder}/{name}"));
        if !entry.usable {
            diags.push(Diagnostic::new(UnusableFileName { name }, Span::file(id)));
            continue;
        }
        match name.strip_suffix(".yaml") {
            Some(stem) if entry.kind != EntryKind::Folder => jobs.push((id, stem.to_string())),
            _ => {
                let msg = StrayFile { name, folder };
                diags.push(Diagnostic::new(msg, Span::file(id)));
            }
        }
    }
    Ok(jobs)
}

/// The placeholders that `ducha init` writes for the office to replace, such as （督查名称）.
fn template_placeholders() -> &'static [String] {
    static FOUND: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FOUND.get_or_init(|| {
        let templates = [
            include_str!("../init/template/campaign.yaml"),
            include_str!("../init/template/rubric.yaml"),
            include_str!("../init/template/towns.yaml"),
            include_str!("../init/template/groups.yaml"),
        ];
        let mut found: Vec<String> = Vec::new();
        for line in templates.iter().flat_map(|t| t.lines()) {
            let value = line.split(" #").next().unwrap_or("");
            if value.trim_start().starts_with('#') {
                continue;
            }
            let mut rest = value;
            while let Some(open) = rest.find('（') {
                let Some(len) = rest[open..].find('）') else {
                    break;
                };
                found.push(rest[open..open + len + '）'.len_utf8()].to_string());
                rest = &rest[open + len..];
            }
        }
        found.sort();
        found.dedup();
        found
    })
}

/// Reports every text of a document that still holds a placeholder of `ducha init`.
fn placeholders(node: &Node, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        yaml::Kind::Scalar { text, .. } => {
            if let Some(found) = template_placeholders()
                .iter()
                .find(|p| text.contains(p.as_str()))
            {
                let msg = Placeholder {
                    text: found.clone(),
                };
                out.push(Diagnostic::new(msg, node.span));
            }
        }
        yaml::Kind::Seq(items) => items.iter().for_each(|n| placeholders(n, out)),
        yaml::Kind::Map(pairs) => pairs.iter().for_each(|(_, v)| placeholders(v, out)),
    }
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
    let diagnostic = match source.read(relative)? {
        Fetched::Bytes(bytes) => match text(bytes) {
            Ok(text) => return Ok(Some(text)),
            Err(bad) => {
                let span = Span {
                    file: id,
                    line: bad.line,
                    col: bad.col,
                    len: 1,
                };
                let msg = NotUtf8 {
                    encoding: bad.encoding,
                    path: relative.to_string(),
                };
                diags.push(Diagnostic::new(msg, span));
                return Ok(None);
            }
        },
        Fetched::Missing if !required => return Ok(None),
        Fetched::Missing => {
            let name = relative.trim_start_matches("content/").to_string();
            Diagnostic::new(MissingFile { name }, Span::file(id))
        }
        Fetched::NotAFile => Diagnostic::new(NotReadable::NotAFile, Span::file(id)),
        Fetched::Outside => Diagnostic::new(NotReadable::Outside, Span::file(id)),
        Fetched::TooLarge => {
            let limit_mib = crate::source::MAX_FILE_BYTES / (1024 * 1024);
            Diagnostic::new(NotReadable::TooLarge { limit_mib }, Span::file(id))
        }
    };
    diags.push(diagnostic);
    Ok(None)
}

/// A file's tree, with the text it was read from and how that text's columns differ from
/// the file's.
pub struct Parsed<'t> {
    pub node: Node<'t>,
    pub text: &'t str,
    pub shifts: &'t [yaml::Shift],
}

/// Parses a file's text; `None`, with a diagnostic, when it is not one YAML document.
/// Full-width slips that break the structure are reported and repaired first (the repaired
/// text is kept in `repaired`, which the tree borrows from), so that the file reads as meant.
pub fn parse_text<'t>(
    id: FileId,
    text: &'t str,
    repaired: &'t mut Option<slips::Repaired>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Parsed<'t>> {
    let as_is = |node| Parsed {
        node,
        text,
        shifts: &[],
    };
    let first = yaml::parse(id, text);
    if first
        .as_ref()
        .is_ok_and(|node| !slips::structural(text, node))
    {
        return first.ok().map(as_is);
    }
    let Some(found) = slips::repair(text) else {
        return match first {
            Ok(node) => Some(as_is(node)),
            Err(e) => {
                diags.push(parse_error(id, text, &[], e));
                None
            }
        };
    };
    for slip in &found.slips {
        let span = Span {
            file: id,
            line: slip.line as u32,
            col: slip.col as u32 + 1,
            len: slip.len as u32,
        };
        let msg = FullWidth {
            found: slip.found.clone(),
            meant: slip.meant.clone(),
            fixed: slip.fixed.clone(),
        };
        diags.push(Diagnostic::new(msg, span));
    }
    let found: &'t slips::Repaired = repaired.insert(found);
    match yaml::parse_shifted(id, &found.text, &found.shifts) {
        Ok(node) => Some(Parsed {
            node,
            text: &found.text,
            shifts: &found.shifts,
        }),
        Err(e) => {
            diags.push(parse_error(id, &found.text, &found.shifts, e));
            None
        }
    }
}

/// The diagnostic for a text that is not one YAML document, in the file's own columns.
fn parse_error(id: FileId, text: &str, shifts: &[yaml::Shift], e: ParseError) -> Diagnostic {
    match e {
        ParseError::Syntax { at, info, open } => {
            let (problem, at) = syntax::explain(text, at, &info, open);
            let span = Span {
                file: id,
                line: at.line as u32,
                col: yaml::file_col(shifts, at.line, at.col) as u32 + 1,
                len: 1,
            };
            Diagnostic::new(YamlSyntax::Syntax(problem), span)
        }
        ParseError::TooDeep { span } => Diagnostic::new(YamlLimits::TooDeep, span),
        ParseError::AliasBomb { span } => Diagnostic::new(YamlLimits::AliasBomb, span),
        ParseError::TooLarge { span } => Diagnostic::new(YamlLimits::TooManyValues, span),
        ParseError::Empty { span } => Diagnostic::new(EmptyFile, span),
        ParseError::MultipleDocuments { span } => {
            Diagnostic::new(YamlSyntax::MultipleDocuments, span)
        }
        ParseError::UnknownAnchor { span } => Diagnostic::new(YamlSyntax::UnknownAnchor, span),
    }
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
