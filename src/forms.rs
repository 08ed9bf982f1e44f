//! The Excel forms: `export xlsx` (towns' sheets laid out like the paper form), `new TOWN
//! --xlsx` (an empty form to fill in) and `import` (filled forms back into
//! `content/sheets/<slug>.yaml`). An import is checked by the rules of `check` on the campaign
//! as it would be, every finding located at the form's cell (`FILE!F12`); nothing is written
//! while any form has an error.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::utility::row_col_to_cell;

use crate::diag::Severity;
use crate::model::{Complete, Lang, Points, Town};
use crate::outcome::{Outcome, print};
use crate::pipeline::{self, Trail};
use crate::problem::{Context, Problem, Result};
use crate::render::form::{self, Filled, kind};
use crate::scaffold::scalar;
use crate::source::{Overlay, WorkTree};
use crate::{load, write};

/// The largest workbook `import` reads, and the most its parts may hold unpacked.
const MAX_FILE_BYTES: u64 = 16 << 20;
const MAX_UNPACKED_BYTES: u64 = 64 << 20;
const MAX_PARTS: usize = 1000;

/// The group a town's form names: its sheet's, else the first group that lists it.
fn group_of<'c>(model: &Complete<'c>, town: &Town) -> Option<&'c crate::model::Group> {
    model
        .groups
        .iter()
        .find(|g| g.towns.iter().any(|t| t.value == town.slug.value))
}

/// `ducha export xlsx [TOWN…] --out DIR`: each town's sheet as a form, filled.
pub fn export(root: &Path, wanted: &[String], out: &Path) -> Result<Outcome> {
    let evaluation = pipeline::work_tree_alone(root)?;
    let content = &evaluation.loaded.content;
    let Some(model) = content.complete() else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let towns: Vec<&Town> = if wanted.is_empty() {
        evaluation
            .ranking
            .towns
            .iter()
            .filter(|s| s.sheet.is_some())
            .map(|s| model.town(s.town))
            .collect()
    } else {
        wanted
            .iter()
            .map(|w| content.find_town(model.towns, w))
            .collect::<Result<_>>()?
    };
    std::fs::create_dir_all(out).with_context(|| Problem::Creating(out.to_path_buf()))?;
    let mut written = 0;
    let mut without = Vec::new();
    for town in towns {
        let Some(score) = evaluation
            .ranking
            .towns
            .iter()
            .find(|s| model.town(s.town).slug.value == town.slug.value)
        else {
            continue;
        };
        let Some(sheet) = score.sheet.map(|s| model.sheet(s)) else {
            without.push(town.name.value.clone());
            continue;
        };
        let group = group_of(&model, town);
        let bytes = form::town_form(
            &model,
            town,
            group.map(|g| g.name.as_str()),
            sheet
                .group
                .as_ref()
                .map(|g| g.value.as_str())
                .or(group.map(|g| g.id.value.as_str())),
            Some(Filled { sheet, score }),
        )
        .with_context(|| Problem::Document(format!("{}.xlsx", town.slug.value)))?;
        write::replace_file(&out.join(format!("{}.xlsx", town.slug.value)), &bytes)?;
        written += 1;
    }
    let lang = content.lang();
    let mut said = match lang {
        Lang::Zh => format!("已导出 {written} 个乡镇的评分表到 {}\n", out.display()),
        Lang::En => format!("exported {written} towns' sheets to {}\n", out.display()),
    };
    if !without.is_empty() {
        let _ = writeln!(
            said,
            "{}{}",
            lang.pick("没有评分表、未导出：", "no sheet, not exported: "),
            without.join(lang.pick("、", ", "))
        );
    }
    print(&said)?;
    Ok(Outcome::Clean)
}

/// `ducha new TOWN --xlsx`: an empty form for the town, into `out` (the current folder).
pub fn new_form(root: &Path, wanted: &str, out: Option<&Path>) -> Result<Outcome> {
    let loaded = load::load(root)?;
    let content = &loaded.content;
    let Some(model) = content.complete() else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let town = content.find_town(model.towns, wanted)?;
    let folder = out.unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).with_context(|| Problem::Creating(folder.to_path_buf()))?;
    let path = folder.join(format!("{}.xlsx", town.slug.value));
    if path.symlink_metadata().is_ok() {
        return Err(Problem::SheetExists(path).into());
    }
    let group = group_of(&model, town);
    let bytes = form::town_form(
        &model,
        town,
        group.map(|g| g.name.as_str()),
        group.map(|g| g.id.value.as_str()),
        None,
    )
    .with_context(|| Problem::Document(path.display().to_string()))?;
    write::create_file(&path, &bytes)?;
    print(&match content.lang() {
        Lang::Zh => format!(
            "已生成 {}：在黄色格子里填写，填好后用 ducha import {} 导入\n",
            path.display(),
            path.display()
        ),
        Lang::En => format!(
            "wrote {}: fill in the yellow cells, then bring it back with ducha import {}\n",
            path.display(),
            path.display()
        ),
    })?;
    Ok(Outcome::Clean)
}

/// A problem with a form, where it is: `FILE!F12`, or `FILE` for the workbook as a whole.
struct Finding {
    at: String,
    severity: Severity,
    code: Option<&'static str>,
    message: String,
}

/// A form read: the sheet it becomes, and the cell each line of it came from.
struct Form {
    /// The file as given.
    file: String,
    slug: String,
    yaml: String,
    /// By line number (from 1): the cell the line's value came from.
    cells: Vec<Option<String>>,
}

/// `ducha import FILE.xlsx… [--force]`.
pub fn import(root: &Path, files: &[PathBuf], force: bool) -> Result<Outcome> {
    let loaded = load::load(root)?;
    let content = &loaded.content;
    let Some(model) = content.complete() else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let lang = content.lang();
    let mut findings = Vec::new();
    let mut forms: Vec<Form> = Vec::new();
    for file in files {
        let name = file.display().to_string();
        match read_form(file, &name, &model, lang) {
            Ok(form) => {
                if let Some(other) = forms.iter().find(|f| f.slug == form.slug) {
                    findings.push(Finding {
                        at: name.clone(),
                        severity: Severity::Error,
                        code: None,
                        message: match lang {
                            Lang::Zh => format!(
                                "与 {} 是同一乡镇（{}）的评分表：只导入其中一个",
                                other.file, form.slug
                            ),
                            Lang::En => format!(
                                "a form of the same town ({}) as {}: import one of them",
                                form.slug, other.file
                            ),
                        },
                    });
                } else {
                    forms.push(form);
                }
            }
            Err(mut found) => findings.append(&mut found),
        }
    }
    let sheets = root.join("content/sheets");
    for form in &forms {
        let path = sheets.join(format!("{}.yaml", form.slug));
        if !force && path.symlink_metadata().is_ok() {
            findings.push(Finding {
                at: form.file.clone(),
                severity: Severity::Error,
                code: None,
                message: match lang {
                    Lang::Zh => format!("{} 已存在：确需覆盖时加 --force", path.display()),
                    Lang::En => format!("{} exists: add --force to overwrite it", path.display()),
                },
            });
        }
    }
    // The campaign as it would be with the forms' sheets, checked by `check`'s rules.
    if !forms.is_empty() {
        let overlay = Overlay {
            base: Arc::new(WorkTree::new(root)?),
            files: forms
                .iter()
                .map(|f| (sheet_path(&f.slug), f.yaml.clone().into_bytes()))
                .collect(),
        };
        let evaluation = pipeline::evaluate(Arc::new(overlay), Trail::None)?;
        let report = evaluation.report(false);
        for f in report.findings() {
            let Some(form) = forms.iter().find(|form| sheet_path(&form.slug) == f.file) else {
                continue;
            };
            let cell = usize::try_from(f.line)
                .ok()
                .and_then(|l| form.cells.get(l))
                .cloned()
                .flatten();
            findings.push(Finding {
                at: match cell {
                    Some(cell) => format!("{}!{cell}", form.file),
                    None => form.file.clone(),
                },
                severity: f.severity,
                code: Some(f.code),
                message: f.message,
            });
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let mut said = String::new();
    for f in &findings {
        let word = match (f.severity, lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
        };
        let code = f.code.map_or(String::new(), |c| format!("[{c}]"));
        let _ = writeln!(
            said,
            "{}: {word}{code}: {}",
            f.at,
            crate::diag::printable(&f.message)
        );
    }
    if errors > 0 {
        let _ = writeln!(
            said,
            "{}",
            match lang {
                Lang::Zh => format!("{errors} 个错误：未写入任何评分表"),
                Lang::En => format!("{errors} errors: no sheet written"),
            }
        );
        eprint!("{said}");
        return Ok(Outcome::Findings);
    }
    std::fs::create_dir_all(&sheets).with_context(|| Problem::Creating(sheets.clone()))?;
    crate::app::in_repository(root, &sheets)?;
    for form in &forms {
        let path = sheets.join(format!("{}.yaml", form.slug));
        write::replace_file(&path, form.yaml.as_bytes())?;
        let _ = writeln!(
            said,
            "{}",
            match lang {
                Lang::Zh => format!("已导入 {} → {}", form.file, path.display()),
                Lang::En => format!("imported {} → {}", form.file, path.display()),
            }
        );
    }
    print(&said)?;
    Ok(Outcome::Clean)
}

fn sheet_path(slug: &str) -> String {
    format!("content/sheets/{slug}.yaml")
}

/// One finding about the workbook at `at`.
fn trouble(at: String, message: String) -> Vec<Finding> {
    vec![Finding {
        at,
        severity: Severity::Error,
        code: None,
        message,
    }]
}

/// Reads the file, refusing what is too large or unpacks to too much.
fn read_bytes(file: &Path, name: &str, lang: Lang) -> std::result::Result<Vec<u8>, Vec<Finding>> {
    let refuse = |zh: &str, en: &str| trouble(name.to_string(), lang.pick(zh, en).to_string());
    if file.is_dir() {
        return Err(refuse(
            "这是文件夹，不是 .xlsx 文件",
            "a folder, not an .xlsx file",
        ));
    }
    let mut handle = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse("找不到该文件", "no such file"));
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(refuse("无权读取该文件", "not allowed to read it"));
        }
        Err(e) => {
            return Err(trouble(
                name.to_string(),
                match lang {
                    Lang::Zh => format!("无法读取：{e}"),
                    Lang::En => format!("cannot read it: {e}"),
                },
            ));
        }
    };
    let mut bytes = Vec::new();
    if handle
        .by_ref()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return Err(refuse("无法读取该文件", "cannot read the file"));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refuse(
            "文件超过 16 MiB，不是 ducha 生成的评分表",
            "larger than 16 MiB: not a form ducha wrote",
        ));
    }
    let not_xlsx = || {
        refuse(
            "不是 Excel 工作簿（.xlsx）：请用 ducha new --xlsx 或 ducha export xlsx 生成的文件，在 WPS 中另存时选 .xlsx 格式",
            "not an Excel workbook (.xlsx): use a form from ducha new --xlsx or ducha export xlsx, saved as .xlsx",
        )
    };
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(&bytes)) else {
        return Err(not_xlsx());
    };
    if zip.len() > MAX_PARTS {
        return Err(not_xlsx());
    }
    // Unpacks every part with a limit, whatever the archive claims its sizes are.
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            return Err(not_xlsx());
        };
        let left = MAX_UNPACKED_BYTES - unpacked;
        match std::io::copy(&mut part.by_ref().take(left + 1), &mut std::io::sink()) {
            Ok(n) => unpacked += n,
            Err(_) => return Err(not_xlsx()),
        }
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(refuse(
                "解压后超过 64 MiB（可能是压缩炸弹），不是 ducha 生成的评分表",
                "unpacks to more than 64 MiB (a zip bomb?): not a form ducha wrote",
            ));
        }
    }
    Ok(bytes)
}

/// A cell's text as the form holds it; numbers as written.
fn text_of(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        Some(Data::DateTime(d)) => {
            serial_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string())
        }
        Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => s.clone(),
        Some(Data::Error(e)) => e.to_string(),
    }
}

/// A spreadsheet's day number as a date: 43896 → 2020-03-06.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = jiff::civil::date(1899, 12, 30);
    let days = serial.floor() as i64;
    let span = jiff::Span::new().try_days(days).ok()?;
    Some(base.checked_add(span).ok()?.to_string())
}

/// A date written as people write one (2020-3-6, 2020/3/6, 2020年3月6日, 2020.3.6) as YAML
/// writes it; anything else as it is.
fn normal_date(text: &str) -> String {
    let digits: Vec<&str> = text
        .trim()
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    if let [y, m, d] = digits.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
        && let Ok(date) = jiff::civil::Date::new(y, m, d)
    {
        return date.to_string();
    }
    text.trim().to_string()
}

/// A score or points cell as YAML: the number as written, or the text as it is (which the
/// loader then reports, at this cell).
fn number_yaml(cell: Option<&Data>) -> Option<String> {
    match cell {
        None | Some(Data::Empty) => None,
        Some(Data::Float(f)) => Some(format!("{f}")),
        Some(Data::Int(i)) => Some(i.to_string()),
        Some(Data::String(s)) if s.trim().is_empty() => None,
        Some(Data::String(s)) => {
            let t = s.trim();
            Some(
                if t.parse::<f64>().is_ok_and(f64::is_finite) && !t.starts_with(['+', '.']) {
                    t.to_string()
                } else {
                    scalar(t)
                },
            )
        }
        other => Some(scalar(&text_of(other))),
    }
}

/// A YAML value for `text` written after `key: ` at `indent`: plain or quoted on one line,
/// a literal block for several.
fn text_yaml(text: &str, indent: usize) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = text.trim_end();
    if !trimmed.contains('\n') {
        return vec![scalar(trimmed)];
    }
    let blockable = trimmed
        .lines()
        .all(|l| !l.chars().any(|c| c.is_control() && c != '\t') && l.trim_end() == l)
        && !trimmed.starts_with([' ', '\t']);
    if !blockable {
        return vec![serde_json::to_string(trimmed).unwrap_or_else(|_| scalar(trimmed))];
    }
    let pad = " ".repeat(indent + 2);
    let mut lines = vec!["|".to_string()];
    for l in trimmed.lines() {
        lines.push(if l.is_empty() {
            String::new()
        } else {
            format!("{pad}{l}")
        });
    }
    lines
}

/// Lines of YAML with the cell each came from.
#[derive(Default)]
struct Writer {
    text: String,
    cells: Vec<Option<String>>,
}

impl Writer {
    fn line(&mut self, text: &str, cell: Option<&str>) {
        self.text.push_str(text);
        self.text.push('\n');
        if self.cells.is_empty() {
            self.cells.push(None);
        }
        self.cells.push(cell.map(str::to_string));
    }

    /// `key: value` at `indent`, the value from `text_yaml`.
    fn field(&mut self, indent: usize, key: &str, value: &str, cell: &str) {
        let mut lines = text_yaml(value, indent).into_iter();
        let first = lines.next().unwrap_or_default();
        self.line(&format!("{}{key}: {first}", " ".repeat(indent)), Some(cell));
        for l in lines {
            self.line(&l, Some(cell));
        }
    }
}

/// What one row of the form holds.
struct Row<'d> {
    at: u32,
    cells: BTreeMap<u16, &'d Data>,
}

impl Row<'_> {
    fn get(&self, col: u16) -> Option<&Data> {
        self.cells.get(&col).copied()
    }

    fn text(&self, col: u16) -> String {
        text_of(self.get(col)).trim().to_string()
    }

    fn cell(&self, col: u16) -> String {
        row_col_to_cell(self.at, col)
    }
}

fn read_form(
    file: &Path,
    name: &str,
    model: &Complete,
    lang: Lang,
) -> std::result::Result<Form, Vec<Finding>> {
    let bytes = read_bytes(file, name, lang)?;
    let here = |cell: &str| format!("{name}!{cell}");
    let not_form = || {
        trouble(
            name.to_string(),
            lang.pick(
                "不是 ducha 的评分表：请用 ducha new 乡镇 --xlsx 或 ducha export xlsx 生成的表格填写",
                "not a ducha form: fill in a form from ducha new TOWN --xlsx or ducha export xlsx",
            )
            .to_string(),
        )
    };
    let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) else {
        return Err(trouble(
            name.to_string(),
            lang.pick(
                "不是 Excel 工作簿（.xlsx），或已损坏",
                "not an Excel workbook (.xlsx), or damaged",
            )
            .to_string(),
        ));
    };
    let Ok(meta) = book.worksheet_range(form::META) else {
        return Err(not_form());
    };
    let value = |key: &str| -> Option<String> {
        (0..8).find_map(|r| {
            (text_of(meta.get_value((r, 0))) == key).then(|| text_of(meta.get_value((r, 1))))
        })
    };
    if value("form").as_deref() != Some(form::MAGIC) {
        return Err(not_form());
    }
    if value("version").as_deref() != Some(form::VERSION) {
        return Err(trouble(
            name.to_string(),
            lang.pick(
                "评分表的版式来自另一版本的 ducha：请重新生成",
                "the form's layout is from another version of ducha: make it again",
            )
            .to_string(),
        ));
    }
    let campaign = value("campaign").unwrap_or_default();
    if campaign != model.campaign.id.value {
        return Err(trouble(
            name.to_string(),
            match lang {
                Lang::Zh => format!(
                    "这是督查活动「{campaign}」的评分表，本仓库的督查活动是「{}」",
                    model.campaign.id.value
                ),
                Lang::En => format!(
                    "a form of the campaign '{campaign}'; this repository's campaign is '{}'",
                    model.campaign.id.value
                ),
            },
        ));
    }
    let slug = value("town").unwrap_or_default();
    if !model.towns.iter().any(|t| t.slug.value == slug) {
        return Err(trouble(
            name.to_string(),
            match lang {
                Lang::Zh => format!("乡镇「{slug}」不在 towns.yaml 中"),
                Lang::En => format!("the town '{slug}' is not in towns.yaml"),
            },
        ));
    }
    let group = value("group").unwrap_or_default();
    let sheet_name = value("sheet").unwrap_or_default();
    let Ok(range) = book.worksheet_range(&sheet_name) else {
        return Err(trouble(
            name.to_string(),
            match lang {
                Lang::Zh => format!("找不到工作表「{sheet_name}」：不要改名或删除它"),
                Lang::En => {
                    format!("no worksheet '{sheet_name}': it must not be renamed or deleted")
                }
            },
        ));
    };
    let merged = book
        .merge_cells_by_sheet_name(&sheet_name)
        .unwrap_or_default();

    // The rows, by what their hidden key says they are.
    let mut rows: BTreeMap<u32, Row> = BTreeMap::new();
    for (r, c, data) in range.used_cells() {
        let (r, c) = (
            r as u32 + range.start().map_or(0, |s| s.0),
            c as u32 + range.start().map_or(0, |s| s.1),
        );
        let Ok(c) = u16::try_from(c) else { continue };
        rows.entry(r)
            .or_insert_with(|| Row {
                at: r,
                cells: BTreeMap::new(),
            })
            .cells
            .insert(c, data);
    }
    let rows: Vec<Row> = rows
        .into_values()
        .filter(|r| !r.text(form::KIND).is_empty())
        .collect();
    let kind_of = |r: &Row| r.text(form::KIND);
    let mut findings = Vec::new();

    // Merged cells hide what the import reads.
    let fill_rows: BTreeSet<u32> = rows
        .iter()
        .filter(|r| {
            matches!(
                kind_of(r).as_str(),
                kind::ITEM | kind::CRITERION | kind::DEDUCTION | kind::ADJUSTMENT
            )
        })
        .map(|r| r.at)
        .collect();
    for d in &merged {
        let (top, left) = d.start;
        let (bottom, right) = d.end;
        let vertical_ok = left == right && matches!(left as u16, form::CATEGORY | form::INDICATOR);
        let spans_rows = bottom > top;
        let touches_fill = fill_rows.contains(&top)
            && (left..=right).any(|c| {
                matches!(c as u16, form::SCORE | form::NOT_ASSESSED | form::NOTE)
                    && matches!(
                        rows.iter().find(|r| r.at == top).map(kind_of).as_deref(),
                        Some(kind::ITEM | kind::CRITERION)
                    )
            });
        let keys = (left..=right).any(|c| c as u16 >= form::KIND);
        if (spans_rows && !vertical_ok) || touches_fill || keys {
            findings.push(Finding {
                at: here(&format!(
                    "{}:{}",
                    row_col_to_cell(top, left as u16),
                    row_col_to_cell(bottom, right as u16)
                )),
                severity: Severity::Error,
                code: None,
                message: lang
                    .pick(
                        "这些单元格被合并了，合并会隐藏要导入的内容：请取消合并",
                        "these cells are merged, which hides what is imported: unmerge them",
                    )
                    .to_string(),
            });
        }
    }

    // Every row the rubric needs, once.
    let mut seen: BTreeMap<(String, String), u32> = BTreeMap::new();
    for r in &rows {
        let k = kind_of(r);
        if matches!(k.as_str(), kind::ITEM | kind::CRITERION) {
            let key = (r.text(form::ITEM), r.text(form::CRITERION));
            if let Some(first) = seen.insert(key.clone(), r.at) {
                findings.push(Finding {
                    at: here(&r.cell(form::ID)),
                    severity: Severity::Error,
                    code: None,
                    message: match lang {
                        Lang::Zh => format!(
                            "第 {} 行重复了第 {} 项（第 {} 行）：删除复制出的行",
                            r.at + 1,
                            key.0,
                            first + 1
                        ),
                        Lang::En => format!(
                            "row {} repeats item {} (row {}): delete the copy",
                            r.at + 1,
                            key.0,
                            first + 1
                        ),
                    },
                });
            }
        }
    }
    let mut place = 0u32;
    for item in model.rubric.items() {
        let mut want = vec![(item.id.value.clone(), String::new())];
        want.extend(
            item.criteria
                .iter()
                .map(|c| (item.id.value.clone(), c.id.value.clone())),
        );
        for key in want {
            match seen.get(&key) {
                Some(&at) => place = at,
                None => findings.push(Finding {
                    at: here(&row_col_to_cell(place + 1, form::ID)),
                    severity: Severity::Error,
                    code: None,
                    message: match (lang, key.1.is_empty()) {
                        (Lang::Zh, true) => format!("缺少第 {} 项的行：行被删除了；请重新生成评分表，不要删行", key.0),
                        (Lang::Zh, false) => format!("缺少第 {} 项细则 {} 的行：行被删除了；请重新生成评分表，不要删行", key.0, key.1),
                        (Lang::En, true) => format!("the row of item {} is missing: rows were deleted; make the form again and keep its rows", key.0),
                        (Lang::En, false) => format!("the row of item {} criterion {} is missing: rows were deleted; make the form again and keep its rows", key.0, key.1),
                    },
                }),
            }
        }
    }
    for ((id, criterion), at) in &seen {
        let known = model.rubric.items().any(|i| {
            i.id.value == *id
                && (criterion.is_empty() || i.criteria.iter().any(|c| c.id.value == *criterion))
        });
        if !known {
            findings.push(Finding {
                at: here(&row_col_to_cell(*at, form::ID)),
                severity: Severity::Error,
                code: None,
                message: match lang {
                    Lang::Zh => format!("第 {id} 项不在 rubric.yaml 中：评分表是按另一版评分标准生成的，请重新生成"),
                    Lang::En => format!("item {id} is not in rubric.yaml: the form was made for another rubric; make it again"),
                },
            });
        }
    }
    for k in [kind::HEAD, kind::SUMMARY, kind::SIGNOFF] {
        if !rows.iter().any(|r| kind_of(r) == k) {
            findings.push(Finding {
                at: name.to_string(),
                severity: Severity::Error,
                code: None,
                message: lang
                    .pick(
                        "表头、综合评价或签名的行被删除了：请重新生成评分表",
                        "the heading, summary or signature row was deleted: make the form again",
                    )
                    .to_string(),
            });
            break;
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }

    // The sheet, line by line, each line with its cell.
    let row_of = |k: &str| rows.iter().find(|r| kind_of(r) == k);
    let mut w = Writer::default();
    let head = row_of(kind::HEAD);
    w.line(
        &format!("town: {}", scalar(&slug)),
        head.map(|h| h.cell(form::CATEGORY)).as_deref(),
    );
    if !group.is_empty() {
        w.line(
            &format!("group: {}", scalar(&group)),
            head.map(|h| h.cell(form::REQUIREMENT)).as_deref(),
        );
    }
    if let Some(h) = head {
        let status = h.text(form::STATUS_CELL);
        let status = match status.as_str() {
            "" | "草稿" | "draft" | "Draft" => "draft".to_string(),
            "定稿" | "final" | "Final" => "final".to_string(),
            other => scalar(other),
        };
        w.line(
            &format!("status: {status}"),
            Some(&h.cell(form::STATUS_CELL)),
        );
        let visited: Vec<String> = match h.get(form::VISITED_CELL) {
            Some(Data::DateTime(d)) => serial_date(d.as_f64()).into_iter().collect(),
            other => text_of(other)
                .split(['、', ',', '，', ';', '；', '\n', ' '])
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    let d = normal_date(t);
                    if jiff::civil::Date::strptime("%Y-%m-%d", &d).is_ok() {
                        d
                    } else {
                        scalar(&d)
                    }
                })
                .collect(),
        };
        w.line(
            &format!("visited: [{}]", visited.join(", ")),
            Some(&h.cell(form::VISITED_CELL)),
        );
    }
    w.line("scores:", None);
    let deductions: Vec<&Row> = rows
        .iter()
        .filter(|r| kind_of(r) == kind::DEDUCTION)
        .collect();
    for item in model.rubric.items() {
        let id = &item.id.value;
        let Some(row) = rows
            .iter()
            .find(|r| kind_of(r) == kind::ITEM && r.text(form::ITEM) == *id)
        else {
            continue;
        };
        let criteria: Vec<(&str, &Row)> = item
            .criteria
            .iter()
            .filter_map(|c| {
                rows.iter()
                    .find(|r| {
                        kind_of(r) == kind::CRITERION
                            && r.text(form::ITEM) == *id
                            && r.text(form::CRITERION) == c.id.value
                    })
                    .map(|r| (c.id.value.as_str(), r))
            })
            .filter(|(_, r)| number_yaml(r.get(form::SCORE)).is_some())
            .collect();
        let mut score = if item.criteria.is_empty() {
            number_yaml(row.get(form::SCORE))
        } else {
            None
        };
        // A score the deductions already say is left to them, as sheets are written.
        let deducted: Option<Points> = deductions
            .iter()
            .filter(|d| d.text(form::ID) == *id)
            .map(|d| number_yaml(d.get(form::POINTS)).and_then(|p| Points::parse(&p).ok()))
            .sum();
        if let (Some(given), Some(deducted)) = (score.as_deref().map(Points::parse), deducted)
            && deducted > Points::ZERO
            && given
                .as_ref()
                .is_ok_and(|g| *g == item.points.value - deducted)
        {
            score = None;
        }
        let not_assessed = row.text(form::NOT_ASSESSED);
        let note = text_of(row.get(form::NOTE));
        let own: Vec<&&Row> = deductions
            .iter()
            .filter(|d| d.text(form::ID) == *id)
            .collect();
        if score.is_none()
            && criteria.is_empty()
            && not_assessed.is_empty()
            && own.is_empty()
            && note.trim().is_empty()
        {
            // Not scored yet: listed empty, as a draft lists it.
            w.line(
                &format!("  {}: {{}}", scalar(id)),
                Some(&row.cell(form::ID)),
            );
            continue;
        }
        w.line(&format!("  {}:", scalar(id)), Some(&row.cell(form::ID)));
        if !not_assessed.is_empty() {
            w.field(
                4,
                "not_assessed",
                &not_assessed,
                &row.cell(form::NOT_ASSESSED),
            );
        }
        if let Some(score) = score {
            w.line(&format!("    score: {score}"), Some(&row.cell(form::SCORE)));
        }
        if !criteria.is_empty() {
            w.line("    criteria:", Some(&row.cell(form::ID)));
            for (c, r) in &criteria {
                if let Some(v) = number_yaml(r.get(form::SCORE)) {
                    w.line(
                        &format!("      {}: {v}", scalar(c)),
                        Some(&r.cell(form::SCORE)),
                    );
                }
            }
        }
        if !own.is_empty() {
            w.line("    deductions:", Some(&row.cell(form::ID)));
            for d in own {
                let points = number_yaml(d.get(form::POINTS)).unwrap_or_else(|| "null".into());
                w.line(
                    &format!("      - points: {points}"),
                    Some(&d.cell(form::POINTS)),
                );
                let reason = text_of(d.get(form::REASON_CELL));
                if !reason.trim().is_empty() {
                    w.field(8, "reason", &reason, &d.cell(form::REASON_CELL));
                }
                let evidence = list(&text_of(d.get(form::EVIDENCE_CELL)));
                if !evidence.is_empty() {
                    w.line(
                        &format!("        evidence: [{}]", evidence.join(", ")),
                        Some(&d.cell(form::EVIDENCE_CELL)),
                    );
                }
            }
        }
        if !note.trim().is_empty() {
            w.field(4, "note", &note, &row.cell(form::NOTE));
        }
    }
    // Deductions of items the rubric lacks, or of no item: the rules say which.
    for d in &deductions {
        let id = d.text(form::ID);
        let filled = !(d.text(form::POINTS).is_empty()
            && d.text(form::REASON_CELL).is_empty()
            && d.text(form::EVIDENCE_CELL).is_empty());
        if filled && !model.rubric.items().any(|i| i.id.value == id) {
            w.line(&format!("  {}:", scalar(&id)), Some(&d.cell(form::ID)));
            w.line("    deductions:", Some(&d.cell(form::ID)));
            let points = number_yaml(d.get(form::POINTS)).unwrap_or_else(|| "null".into());
            w.line(
                &format!("      - points: {points}"),
                Some(&d.cell(form::POINTS)),
            );
        }
    }
    if let Some(r) = row_of(kind::SUMMARY) {
        let summary = text_of(r.get(form::CATEGORY));
        if !summary.trim().is_empty() {
            w.field(0, "summary", &summary, &r.cell(form::CATEGORY));
        }
    }
    if let Some(r) = row_of(kind::SIGNOFF) {
        let leader = r.text(form::LEADER_CELL);
        let members: Vec<String> = r
            .text(form::MEMBERS_CELL)
            .split(['、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(scalar)
            .collect();
        let date = match r.get(form::DATE_CELL) {
            Some(Data::DateTime(d)) => serial_date(d.as_f64()).unwrap_or_default(),
            other => normal_date(&text_of(other)),
        };
        if !leader.is_empty() || !members.is_empty() || !date.is_empty() {
            w.line("signoff:", Some(&r.cell(form::LEADER_CELL)));
            w.line(
                &format!("  leader: {}", scalar(&leader)),
                Some(&r.cell(form::LEADER_CELL)),
            );
            w.line(
                &format!("  members: [{}]", members.join(", ")),
                Some(&r.cell(form::MEMBERS_CELL)),
            );
            if !date.is_empty() {
                let date = if jiff::civil::Date::strptime("%Y-%m-%d", &date).is_ok() {
                    date
                } else {
                    scalar(&date)
                };
                w.line(&format!("  date: {date}"), Some(&r.cell(form::DATE_CELL)));
            }
        }
    }
    let occurrences: Vec<&Row> = rows
        .iter()
        .filter(|r| kind_of(r) == kind::ADJUSTMENT && !r.text(form::ID).is_empty())
        .collect();
    let vetoes: Vec<&&Row> = occurrences
        .iter()
        .filter(|r| {
            model
                .rubric
                .vetoes
                .iter()
                .any(|v| v.id.value == r.text(form::ID))
        })
        .collect();
    let adjusted: Vec<&&Row> = occurrences
        .iter()
        .filter(|r| {
            !model
                .rubric
                .vetoes
                .iter()
                .any(|v| v.id.value == r.text(form::ID))
        })
        .collect();
    let occurrence = |w: &mut Writer, r: &Row, indent: usize, dash: bool| {
        let pad = " ".repeat(indent);
        let lead = if dash {
            format!("{pad}- ")
        } else {
            format!("{pad}  ")
        };
        let reason = text_of(r.get(form::REASON_CELL));
        let mut first = true;
        let prefix = |first: &mut bool| {
            if std::mem::take(first) {
                lead.clone()
            } else {
                format!("{pad}  ")
            }
        };
        if !reason.trim().is_empty() {
            let mut lines = text_yaml(&reason, indent + 2).into_iter();
            let head = lines.next().unwrap_or_default();
            w.line(
                &format!("{}reason: {head}", prefix(&mut first)),
                Some(&r.cell(form::REASON_CELL)),
            );
            for l in lines {
                w.line(&l, Some(&r.cell(form::REASON_CELL)));
            }
        }
        let evidence = list(&text_of(r.get(form::EVIDENCE_CELL)));
        w.line(
            &format!("{}evidence: [{}]", prefix(&mut first), evidence.join(", ")),
            Some(&r.cell(form::EVIDENCE_CELL)),
        );
    };
    if !adjusted.is_empty() {
        w.line("adjustments:", None);
        let mut ids: Vec<String> = Vec::new();
        for r in &adjusted {
            let id = r.text(form::ID);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        for id in ids {
            let first = adjusted.iter().find(|r| r.text(form::ID) == id);
            w.line(
                &format!("  {}:", scalar(&id)),
                first.map(|r| r.cell(form::ID)).as_deref(),
            );
            for r in adjusted.iter().filter(|r| r.text(form::ID) == id) {
                occurrence(&mut w, r, 4, true);
            }
        }
    }
    if !vetoes.is_empty() {
        w.line("vetoes:", None);
        for r in &vetoes {
            w.line(
                &format!("  {}:", scalar(&r.text(form::ID))),
                Some(&r.cell(form::ID)),
            );
            occurrence(&mut w, r, 2, false);
        }
    }
    Ok(Form {
        file: name.to_string(),
        slug,
        yaml: w.text,
        cells: w.cells,
    })
}

/// Evidence paths in a cell: one per line, or separated by `；` or `;`.
fn list(text: &str) -> Vec<String> {
    text.split(['\n', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(scalar)
        .collect()
}
