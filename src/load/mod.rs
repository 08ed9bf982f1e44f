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
use crate::source::{EntryKind, Evidence, Fetched, Source, Stamp, WorkTree};
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
    /// The four set-up files, by path.
    setup: std::sync::Mutex<std::collections::HashMap<String, SetupDecoded>>,
}

/// A set-up file as it decoded (an `Option` of its part of the content), with what decoding
/// found, and what it was decoded from.
struct SetupDecoded {
    id: FileId,
    text: u64,
    value: Box<dyn std::any::Any + Send>,
    diags: Vec<Diagnostic>,
    /// The placeholders left in it.
    left: Vec<Diagnostic>,
}

/// A sheet as it decoded, with what decoding it found, and what it was decoded from.
struct Decoded {
    id: FileId,
    text: u64,
    /// The file's stamp when it was read, when it can be known by it.
    stamp: Option<Stamp>,
    sheet: Slot,
    diags: Vec<Diagnostic>,
}

/// Where a decoded sheet is.
enum Slot {
    /// In the cache.
    Here(Box<Sheet>),
    /// In the content of the last load, until it is given back.
    Lent,
    /// The text decoded to no sheet.
    None,
}

/// A fingerprint of a file's text: what `Sheet::text` holds.
pub fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl Cache {
    /// Takes out the sheet decoded last time at each path, for this load to use or replace;
    /// the others are forgotten when this load keeps what it decoded.
    fn take(&self, paths: impl Iterator<Item = String>) -> Vec<std::sync::Mutex<Option<Decoded>>> {
        let mut sheets = self.sheets.lock().unwrap_or_else(|e| e.into_inner());
        paths
            .map(|path| std::sync::Mutex::new(sheets.remove(&path)))
            .collect()
    }

    /// Keeps the sheets of this load, by path, and forgets all others.
    fn keep(&self, decoded: impl Iterator<Item = (String, Decoded)>) {
        *self.sheets.lock().unwrap_or_else(|e| e.into_inner()) = decoded.collect();
    }

    /// Takes back the sheets of the content of a load, so that the next load has them
    /// without decoding them again.
    pub fn give_back(&self, files: &Files, sheets: Vec<Sheet>) {
        let mut cached = self.sheets.lock().unwrap_or_else(|e| e.into_inner());
        for sheet in sheets {
            if let Some(d) = cached.get_mut(files.path(sheet.file))
                && d.id == sheet.file
                && d.text == sheet.text
                && matches!(d.sheet, Slot::Lent)
            {
                d.sheet = Slot::Here(Box::new(sheet));
            }
        }
    }
}

impl Decoded {
    /// The sheet, lent to the load that asks for it; `None` when it decoded to none, or
    /// is still lent.
    fn take(&mut self) -> Option<Sheet> {
        match std::mem::replace(&mut self.sheet, Slot::Lent) {
            Slot::Here(sheet) => Some(*sheet),
            Slot::Lent => None,
            Slot::None => {
                self.sheet = Slot::None;
                None
            }
        }
    }

    /// Whether the sheet as decoded can be had without decoding it again.
    fn here(&self) -> bool {
        !matches!(self.sheet, Slot::Lent)
    }
}

/// Reads and decodes one sheet, or takes it from `known` (the cache's entry for its path)
/// when its stamp or its text is the same as then: the sheet, its findings, and the entry
/// to keep for the next load (`None` without a cache).
fn sheet_file(
    source: &dyn Source,
    path: &str,
    id: FileId,
    stem: &str,
    known: Option<Option<Decoded>>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Option<Sheet>, Option<Decoded>)> {
    let caching = known.is_some();
    let mut known = known.flatten().filter(|k| k.id == id && k.here());
    if let Some(k) = &mut known
        && k.stamp.is_some()
        && source.stamp(path) == k.stamp
    {
        diags.extend(k.diags.iter().cloned());
        let sheet = k.take().map(|sheet| Sheet {
            text: k.text,
            ..sheet
        });
        return Ok((sheet, known));
    }
    let (text, stamp) = read_text_stamped(source, path, id, false, diags)?;
    let Some(text) = text else {
        return Ok((None, None));
    };
    let hash = text_hash(&text);
    if let Some(k) = &mut known
        && k.text == hash
    {
        diags.extend(k.diags.iter().cloned());
        k.stamp = stamp;
        let sheet = k.take().map(|sheet| Sheet {
            text: hash,
            ..sheet
        });
        return Ok((sheet, known));
    }
    let before = diags.len();
    let mut repaired = None;
    let sheet = parse_text(id, &text, &mut repaired, diags).and_then(|parsed| {
        let mut decoder = Decoder {
            diags,
            text: parsed.text,
            shifts: parsed.shifts,
        };
        decode::sheet(&mut decoder, id, stem, &parsed.node)
    });
    let sheet = sheet.map(|sheet| Sheet {
        text: hash,
        ..sheet
    });
    let decoded = caching.then(|| Decoded {
        id,
        text: hash,
        stamp,
        sheet: match sheet {
            Some(_) => Slot::Lent,
            None => Slot::None,
        },
        diags: diags[before..].to_vec(),
    });
    Ok((sheet, decoded))
}

/// Loads like `load_from`, taking from `cache` the sheets it decoded before.
pub fn load_cached(source: Arc<dyn Source>, cache: Option<&Cache>) -> Result<Loaded> {
    let mut files = Files::new(Arc::clone(&source));
    let mut diags = Vec::new();
    let mut content = Content::default();
    let source = source.as_ref();
    // Placeholders left in place are warnings, apart from the decoding that decides whether a
    // file loaded whole.
    let mut left = Vec::new();
    let mut setup = Setup {
        source,
        files: &mut files,
        left: &mut left,
        cache,
    };
    content.campaign = setup.file("content/campaign.yaml", &mut diags, decode::campaign)?;
    let before = diags.len();
    content.rubric = setup.file("content/rubric.yaml", &mut diags, decode::rubric)?;
    content.whole.rubric = content.rubric.is_some() && diags.len() == before;
    let before = diags.len();
    content.towns = setup.file("content/towns.yaml", &mut diags, |d, _, node| {
        decode::towns(d, node)
    })?;
    content.whole.towns = content.towns.is_some() && diags.len() == before;
    let before = diags.len();
    content.groups = setup.file("content/groups.yaml", &mut diags, |d, _, node| {
        decode::groups(d, node)
    })?;
    content.whole.groups = content.groups.is_some() && diags.len() == before;
    diags.append(&mut left);

    let jobs = folder(source, "sheets", &mut files, &mut diags)?;
    // Sheets are independent: read them on every core, then merge in file order.
    let known = cache.map(|c| c.take(jobs.iter().map(|(id, _)| files.path(*id).to_string())));
    let places: Vec<usize> = (0..jobs.len()).collect();
    crate::progress::stage(crate::progress::Stage::Reading, Some(jobs.len() as u64));
    type Read = (
        Option<Sheet>,
        Vec<Diagnostic>,
        Vec<(String, Evidence)>,
        Option<Decoded>,
    );
    let results = crate::parallel::map(&places, |&place| -> Result<Read> {
        let (id, stem) = &jobs[place];
        let mut diags = Vec::new();
        let path = files.path(*id);
        let mine = known.as_ref().map(|k| {
            let mut slot = k[place].lock().unwrap_or_else(|e| e.into_inner());
            slot.take()
        });
        let (sheet, decoded) = sheet_file(source, path, *id, stem, mine, &mut diags)?;
        let resolved = sheet
            .iter()
            .flat_map(Sheet::paths)
            .map(|p| (p.value.clone(), source.evidence(&p.value)))
            .collect();
        crate::progress::advance(1);
        Ok((sheet, diags, resolved, decoded))
    })?;
    let mut kept = Vec::new();
    let results: Vec<_> = results
        .into_iter()
        .zip(&jobs)
        .map(|((sheet, found, resolved, decoded), (id, _))| {
            if let Some(decoded) = decoded {
                kept.push((files.path(*id).to_string(), decoded));
            }
            (sheet, found, resolved)
        })
        .collect();
    if let Some(cache) = cache {
        cache.keep(kept.into_iter());
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

/// What reads the four set-up files.
struct Setup<'a> {
    source: &'a dyn Source,
    files: &'a mut Files,
    /// The placeholders left in the files read.
    left: &'a mut Vec<Diagnostic>,
    cache: Option<&'a Cache>,
}

impl Setup<'_> {
    /// Reads one of the four set-up files and decodes it with `decode`, or takes it from the
    /// cache when it decoded the same text in the same place before.
    fn file<T: Clone + Send + 'static>(
        &mut self,
        relative: &str,
        diags: &mut Vec<Diagnostic>,
        decode: impl FnOnce(&mut Decoder, FileId, &Node) -> Option<T>,
    ) -> Result<Option<T>> {
        let id = self.files.add(relative.to_string());
        let Some(text) = read_text(self.source, relative, id, true, diags)? else {
            return Ok(None);
        };
        let hash = text_hash(&text);
        let mut setups = self
            .cache
            .map(|c| c.setup.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(known) = setups
            .as_ref()
            .and_then(|s| s.get(relative))
            .filter(|k| k.id == id && k.text == hash)
            && let Some(value) = known.value.downcast_ref::<Option<T>>()
        {
            diags.extend(known.diags.iter().cloned());
            self.left.extend(known.left.iter().cloned());
            return Ok(value.clone());
        }
        let (diags_before, left_before) = (diags.len(), self.left.len());
        let mut repaired = None;
        let mut value = None;
        if let Some(parsed) = parse_text(id, &text, &mut repaired, diags) {
            let mut decoder = Decoder {
                diags,
                text: parsed.text,
                shifts: parsed.shifts,
            };
            value = decode(&mut decoder, id, &parsed.node);
            placeholders(&parsed.node, self.left);
        }
        if let Some(setups) = &mut setups {
            let known = SetupDecoded {
                id,
                text: hash,
                value: Box::new(value.clone()),
                diags: diags[diags_before..].to_vec(),
                left: self.left[left_before..].to_vec(),
            };
            setups.insert(relative.to_string(), known);
        }
        Ok(value)
    }
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
    Ok(read_text_stamped(source, relative, id, required, diags)?.0)
}

/// Reads a file's text like `read_text`, with its stamp when it can be known by it.
fn read_text_stamped(
    source: &dyn Source,
    relative: &str,
    id: FileId,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Option<String>, Option<Stamp>)> {
    let (fetched, stamp) = source.read_stamped(relative)?;
    let diagnostic = match fetched {
        Fetched::Bytes(bytes) => match text(bytes) {
            Ok(text) => return Ok((Some(text), stamp)),
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
                return Ok((None, None));
            }
        },
        Fetched::Missing if !required => return Ok((None, None)),
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
    Ok((None, None))
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
