//! A town's score sheet as a workbook laid out like the paper form (督查评分表): 考核内容 merged
//! across its items, 考核指标, 考核要求, 标准分, 考核分, the deductions with their reasons, the
//! 合计 row, the 综合评价 and the signature block, printable on A4 with the header row on
//! every page. Filled, it is a town's sheet exported; empty, it is the form a group fills in,
//! with every score limited to the item's points and the campaign's step, and every cell
//! locked but the ones to fill. `ducha import` reads either back.
//!
//! Each row the import reads says what it is in hidden columns (`KIND`, `ITEM`, `CRITERION`),
//! and a very hidden sheet (`META`) names the campaign and the town.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use rust_xlsxwriter::utility::row_col_to_cell;

use super::workbook::{cell_text, footer, header_text, lines_in, number, properties, row_height};
use crate::check::excluded;
use crate::model::{Complete, Given, Lang, Points, Sheet, Status, Town, entries_by_item};
use crate::score::{ItemScore, TownScore};

/// The very hidden sheet that says whose form a workbook is.
pub const META: &str = "ducha";
/// What `META!A1` holds, and the layout's version in `META!B1`.
pub const MAGIC: &str = "ducha-form";
pub const VERSION: &str = "1";

/// The columns of the form (from 0): A 序号 … H 督查记录, then the hidden keys.
pub const ID: u16 = 0;
pub const CATEGORY: u16 = 1;
pub const INDICATOR: u16 = 2;
pub const REQUIREMENT: u16 = 3;
pub const POINTS: u16 = 4;
pub const SCORE: u16 = 5;
pub const NOT_ASSESSED: u16 = 6;
pub const NOTE: u16 = 7;
pub const KIND: u16 = 8;
pub const ITEM: u16 = 9;
pub const CRITERION: u16 = 10;

/// What a row of the form is, as its `KIND` cell says.
pub mod kind {
    pub const HEAD: &str = "head";
    pub const ITEM: &str = "item";
    pub const CRITERION: &str = "criterion";
    pub const DEDUCTION: &str = "deduction";
    pub const ADJUSTMENT: &str = "adjustment";
    pub const SUMMARY: &str = "summary";
    pub const SIGNOFF: &str = "signoff";
}

/// In a `HEAD` row: the status in `SCORE`, the days visited in `NOTE`.
pub const STATUS_CELL: u16 = SCORE;
pub const VISITED_CELL: u16 = NOTE;
/// In a `DEDUCTION` or `ADJUSTMENT` row: the item (or adjustment) in `ID`, the reason from
/// `CATEGORY` to `REQUIREMENT`, the points in `POINTS`, the evidence from `SCORE` to `NOTE`.
pub const REASON_CELL: u16 = CATEGORY;
pub const EVIDENCE_CELL: u16 = SCORE;
/// In a `SIGNOFF` row: the leader, the members and the date.
pub const LEADER_CELL: u16 = CATEGORY;
pub const MEMBERS_CELL: u16 = POINTS;
pub const DATE_CELL: u16 = NOTE;

/// The width of each column, in characters.
const WIDTHS: [f64; 11] = [6.0, 14.0, 18.0, 40.0, 7.0, 8.0, 14.0, 30.0, 10.0, 6.0, 6.0];

/// The width of the columns `from..=to` together.
fn span(from: u16, to: u16) -> f64 {
    WIDTHS[usize::from(from)..=usize::from(to)].iter().sum()
}

/// Sets the row's height to show each of `texts` (with the width it has) whole.
fn fit(ws: &mut Worksheet, row: u32, texts: &[(&str, f64)]) -> Result<(), XlsxError> {
    let lines = texts
        .iter()
        .map(|(t, w)| lines_in(t, *w))
        .max()
        .unwrap_or(1);
    ws.set_row_height(row, row_height(lines))?;
    Ok(())
}

/// Empty rows the form leaves for more deductions, and for adjustments.
const SPARE_DEDUCTIONS: usize = 20;
const SPARE_ADJUSTMENTS: usize = 5;

/// The words a form shows for a sheet's status.
pub fn status_word(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Draft, Lang::Zh) => "草稿",
        (Status::Final, Lang::Zh) => "定稿",
        (Status::Draft, Lang::En) => "draft",
        (Status::Final, Lang::En) => "final",
    }
}

/// A sheet already scored, to fill the form with.
pub struct Filled<'a> {
    pub sheet: &'a Sheet,
    pub score: &'a TownScore,
}

struct Formats {
    title: Format,
    subtitle: Format,
    label: Format,
    head: Format,
    section: Format,
    text: Format,
    wrap: Format,
    number: Format,
    figure: Format,
    fill: Format,
    fill_wrap: Format,
    fill_number: Format,
    key: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let fill = base.clone().set_unlocked().set_background_color("#FFFBE6");
        Formats {
            title: Format::new()
                .set_font_name("宋体")
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            subtitle: Format::new()
                .set_font_name("宋体")
                .set_font_size(13)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: base.clone().set_bold().set_align(FormatAlign::Center),
            head: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#E8ECF2"),
            section: base.clone().set_bold().set_background_color("#F3F5F8"),
            text: base.clone().set_text_wrap(),
            wrap: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            number: base.clone().set_align(FormatAlign::Center),
            figure: base
                .clone()
                .set_num_format("0.00")
                .set_align(FormatAlign::Center),
            fill_wrap: fill.clone().set_text_wrap().set_align(FormatAlign::Top),
            fill_number: fill.clone().set_align(FormatAlign::Center),
            fill: fill.set_text_wrap(),
            key: Format::new(),
        }
    }
}

/// The words of the form, in the campaign's language.
struct Words {
    title: &'static str,
    town: &'static str,
    group: &'static str,
    status: &'static str,
    visited: &'static str,
    columns: [&'static str; 8],
    total: &'static str,
    published: &'static str,
    deductions: &'static str,
    deduction_columns: [&'static str; 4],
    adjustments: &'static str,
    adjustment_columns: [&'static str; 4],
    summary: &'static str,
    leader: &'static str,
    members: &'static str,
    date: &'static str,
    score_error: &'static str,
    points_error: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Zh => Words {
            title: "{town}督查评分表",
            town: "被督查乡镇",
            group: "督查小组",
            status: "状态",
            visited: "督查日期",
            columns: [
                "序号",
                "考核内容",
                "考核指标",
                "考核要求",
                "标准分",
                "考核分",
                "不考核原因",
                "督查记录",
            ],
            total: "合计",
            published: "综合得分",
            deductions: "扣分明细（每条扣分一行：序号、扣分原因、扣分、佐证材料）",
            deduction_columns: ["序号", "扣分原因", "扣分", "佐证材料"],
            adjustments: "加减分及一票否决（每次一行：项目、事由、佐证材料）",
            adjustment_columns: ["项目", "事由", "", "佐证材料"],
            summary: "综合评价",
            leader: "组长签名",
            members: "成员签名",
            date: "日期",
            score_error: "考核分须为 0 至 {points} 之间、{step} 的整数倍。",
            points_error: "扣分须大于 0，且为 {step} 的整数倍。",
        },
        Lang::En => Words {
            title: "Score sheet: {town}",
            town: "Town",
            group: "Group",
            status: "Status",
            visited: "Visited",
            columns: [
                "No.",
                "Area",
                "Indicator",
                "Requirement",
                "Points",
                "Score",
                "Not assessed because",
                "Notes",
            ],
            total: "Total",
            published: "Published total",
            deductions: "Deductions (one per row: item, reason, points, evidence)",
            deduction_columns: ["Item", "Reason", "Points", "Evidence"],
            adjustments: "Adjustments and vetoes (one per row: id, reason, evidence)",
            adjustment_columns: ["Id", "Reason", "", "Evidence"],
            summary: "Summary",
            leader: "Leader",
            members: "Members",
            date: "Date",
            score_error: "The score must be between 0 and {points}, a multiple of {step}.",
            points_error: "Points must be above 0, a multiple of {step}.",
        },
    }
}

/// The workbook of `town`'s form: filled with its sheet and scores, or empty to fill in.
pub fn town_form(
    model: &Complete,
    town: &Town,
    group: Option<&str>,
    group_id: Option<&str>,
    filled: Option<Filled>,
) -> Result<Vec<u8>, XlsxError> {
    let campaign = model.campaign;
    let lang = campaign.language;
    let w = words(lang);
    let f = Formats::new();
    let step = campaign.step.value;
    let mut book = Workbook::new();
    let day = filled
        .as_ref()
        .and_then(|s| s.sheet.signoff.as_ref())
        .and_then(|s| s.date.as_ref())
        .map(|d| d.value)
        .or(campaign.issued.as_ref().map(|d| d.value));
    let title = w.title.replace("{town}", &town.name.value);
    book.set_properties(&properties(&title, &campaign.issuer, day)?);
    let sheet_name = sheet_name(&town.name.value);
    let ws = book.add_worksheet();
    ws.set_name(&sheet_name)?;
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_header(format!(
        "&L{}&R{}",
        header_text(&campaign.title, 80),
        header_text(&title, 40)
    ));
    ws.set_footer(footer(campaign.marking().as_deref(), lang));
    for (col, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    for col in [KIND, ITEM, CRITERION] {
        ws.set_column_hidden(col)?;
    }

    let sheet = filled.as_ref().map(|s| s.sheet);
    let entries = entries_by_item(sheet);
    let mut row: u32 = 0;
    ws.merge_range(row, ID, row, NOTE, cell_text(&campaign.title), &f.title)?;
    ws.set_row_height(row, 36)?;
    row += 1;
    ws.merge_range(row, ID, row, NOTE, cell_text(&title), &f.subtitle)?;
    ws.set_row_height(row, 24)?;
    row += 1;

    // 被督查乡镇, 督查小组, 状态, 督查日期.
    ws.write_string_with_format(row, ID, w.town, &f.label)?;
    ws.write_string_with_format(row, CATEGORY, cell_text(&town.name.value), &f.text)?;
    ws.write_string_with_format(row, INDICATOR, w.group, &f.label)?;
    ws.write_string_with_format(
        row,
        REQUIREMENT,
        cell_text(group.unwrap_or_default()),
        &f.text,
    )?;
    ws.write_string_with_format(row, POINTS, w.status, &f.label)?;
    let status = sheet.map_or(status_word(Status::Draft, lang), |s| {
        status_word(s.status.value, lang)
    });
    ws.write_string_with_format(row, STATUS_CELL, status, &f.fill_number)?;
    ws.add_data_validation(
        row,
        STATUS_CELL,
        row,
        STATUS_CELL,
        &DataValidation::new().allow_list_strings(&[
            status_word(Status::Draft, lang),
            status_word(Status::Final, lang),
        ])?,
    )?;
    ws.write_string_with_format(row, NOT_ASSESSED, w.visited, &f.label)?;
    let visited = sheet.map_or(String::new(), |s| {
        s.visited
            .iter()
            .map(|d| d.value.to_string())
            .collect::<Vec<_>>()
            .join("、")
    });
    ws.write_string_with_format(row, VISITED_CELL, &visited, &f.fill)?;
    ws.write_string_with_format(row, KIND, kind::HEAD, &f.key)?;
    row += 1;

    // The header row, printed on every page.
    for (col, word) in w.columns.iter().enumerate() {
        ws.write_string_with_format(row, col as u16, *word, &f.head)?;
    }
    ws.set_repeat_rows(row, row)?;
    ws.set_freeze_panes(row + 1, 0)?;
    row += 1;

    let score_rule = |row: u32, points: Points| -> Result<DataValidation, XlsxError> {
        let cell = row_col_to_cell(row, SCORE);
        DataValidation::new()
            .allow_custom(Formula::new(format!(
                "=AND(ISNUMBER({cell}),{cell}>=0,{cell}<={points},MOD(ROUND({cell}*100,0),{})=0)",
                step.0.max(1)
            )))
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_message(
                w.score_error
                    .replace("{points}", &points.to_string())
                    .replace("{step}", &step.to_string()),
            )
    };
    let mut total_points = Points::ZERO;
    for section in &model.rubric.sections {
        ws.merge_range(row, ID, row, NOTE, cell_text(&section.title), &f.section)?;
        row += 1;
        for part in &section.parts {
            if let Some(title) = &part.title {
                ws.merge_range(row, ID, row, NOTE, cell_text(title), &f.section)?;
                row += 1;
            }
            // 考核内容 merged across the items in a row that share it.
            let mut category_from: Option<(u32, &str)> = None;
            for item in &part.items {
                total_points = total_points + item.points.value;
                let start = row;
                let entry = entries.get(item.id.value.as_str()).copied();
                let scored = filled
                    .as_ref()
                    .and_then(|s| s.score.item(item.key))
                    .and_then(|s| match s {
                        ItemScore::Scored(p) => Some(*p),
                        ItemScore::NotAssessed => None,
                    });
                ws.write_string_with_format(row, ID, cell_text(&item.id.value), &f.number)?;
                ws.write_string_with_format(
                    row,
                    INDICATOR,
                    cell_text(item.indicator.trim()),
                    &f.text,
                )?;
                ws.write_string_with_format(
                    row,
                    REQUIREMENT,
                    cell_text(item.requirement.trim()),
                    &f.wrap,
                )?;
                ws.write_number_with_format(row, POINTS, number(item.points.value), &f.number)?;
                let not_assessed = match entry.map(|e| e.given()) {
                    Some(Given::NotAssessed(reason)) => reason.value.clone(),
                    _ if filled.is_none() && excluded(item, town) == Some(true) => {
                        not_assessed_reason(model, item, lang)
                    }
                    _ => String::new(),
                };
                let note = entry.and_then(|e| e.note.as_deref()).unwrap_or_default();
                if item.criteria.is_empty() {
                    match scored {
                        Some(p) if not_assessed.is_empty() => {
                            ws.write_number_with_format(row, SCORE, number(p), &f.fill_number)?
                        }
                        _ => ws.write_blank(row, SCORE, &f.fill_number)?,
                    };
                    ws.add_data_validation(
                        row,
                        SCORE,
                        row,
                        SCORE,
                        &score_rule(row, item.points.value)?,
                    )?;
                } else {
                    match scored {
                        Some(p) => ws.write_number_with_format(row, SCORE, number(p), &f.number)?,
                        None => ws.write_blank(row, SCORE, &f.number)?,
                    };
                }
                ws.write_string_with_format(row, NOT_ASSESSED, cell_text(&not_assessed), &f.fill)?;
                ws.write_string_with_format(row, NOTE, cell_text(note.trim_end()), &f.fill_wrap)?;
                fit(
                    ws,
                    row,
                    &[
                        (item.indicator.trim(), span(INDICATOR, INDICATOR)),
                        (item.requirement.trim(), span(REQUIREMENT, REQUIREMENT)),
                        (&not_assessed, span(NOT_ASSESSED, NOT_ASSESSED)),
                        (note.trim_end(), span(NOTE, NOTE)),
                        (item.category.trim(), span(CATEGORY, CATEGORY)),
                    ],
                )?;
                ws.write_string_with_format(row, KIND, kind::ITEM, &f.key)?;
                ws.write_string_with_format(row, ITEM, cell_text(&item.id.value), &f.key)?;
                row += 1;
                for c in &item.criteria {
                    let value = entry
                        .and_then(|e| e.criteria.as_ref())
                        .and_then(|list| list.iter().find(|(id, _)| id.value == c.id.value))
                        .map(|(_, v)| v.value);
                    ws.write_blank(row, ID, &f.number)?;
                    ws.write_string_with_format(
                        row,
                        REQUIREMENT,
                        cell_text(&format!("{}. {}", c.id.value, c.text.trim())),
                        &f.wrap,
                    )?;
                    ws.write_number_with_format(row, POINTS, number(c.points.value), &f.number)?;
                    match value {
                        Some(v) => {
                            ws.write_number_with_format(row, SCORE, number(v), &f.fill_number)?
                        }
                        None => ws.write_blank(row, SCORE, &f.fill_number)?,
                    };
                    ws.add_data_validation(
                        row,
                        SCORE,
                        row,
                        SCORE,
                        &score_rule(row, c.points.value)?,
                    )?;
                    ws.write_blank(row, NOT_ASSESSED, &f.text)?;
                    ws.write_blank(row, NOTE, &f.text)?;
                    fit(
                        ws,
                        row,
                        &[(c.text.trim(), span(REQUIREMENT, REQUIREMENT) - 3.0)],
                    )?;
                    ws.write_string_with_format(row, KIND, kind::CRITERION, &f.key)?;
                    ws.write_string_with_format(row, ITEM, cell_text(&item.id.value), &f.key)?;
                    ws.write_string_with_format(row, CRITERION, cell_text(&c.id.value), &f.key)?;
                    row += 1;
                }
                if row - start > 1 {
                    ws.merge_range(
                        start,
                        INDICATOR,
                        row - 1,
                        INDICATOR,
                        cell_text(item.indicator.trim()),
                        &f.text,
                    )?;
                }
                // Extend or close the run of items sharing 考核内容.
                match category_from {
                    Some((_, text)) if text == item.category.trim() => {}
                    _ => {
                        if let Some((from, text)) = category_from {
                            category(ws, from, start - 1, text, &f.text)?;
                        }
                        category_from = Some((start, item.category.trim()));
                    }
                }
            }
            if let Some((from, text)) = category_from {
                category(ws, from, row - 1, text, &f.text)?;
            }
        }
    }

    // 合计: the rubric's points, and the town's score on the rubric.
    ws.merge_range(row, ID, row, REQUIREMENT, w.total, &f.label)?;
    ws.write_number_with_format(row, POINTS, number(total_points), &f.number)?;
    match filled.as_ref() {
        Some(s) if s.score.rank.is_some() || s.score.earned > Points::ZERO => {
            ws.write_number_with_format(row, SCORE, number(s.score.base), &f.figure)?;
        }
        _ => {
            ws.write_blank(row, SCORE, &f.figure)?;
        }
    }
    ws.merge_range(row, NOT_ASSESSED, row, NOTE, "", &f.text)?;
    row += 1;
    if let Some(s) = filled.as_ref()
        && s.score.total != s.score.base
        && s.score.rank.is_some()
    {
        ws.merge_range(row, ID, row, REQUIREMENT, w.published, &f.label)?;
        ws.write_blank(row, POINTS, &f.number)?;
        ws.write_number_with_format(row, SCORE, number(s.score.total), &f.figure)?;
        ws.merge_range(row, NOT_ASSESSED, row, NOTE, "", &f.text)?;
        row += 1;
    }

    // 扣分明细: every deduction, then rows to add more.
    row += 1;
    ws.merge_range(row, ID, row, NOTE, w.deductions, &f.section)?;
    row += 1;
    let [c_id, c_reason, c_points, c_evidence] = w.deduction_columns;
    ws.write_string_with_format(row, ID, c_id, &f.head)?;
    ws.merge_range(row, REASON_CELL, row, REQUIREMENT, c_reason, &f.head)?;
    ws.write_string_with_format(row, POINTS, c_points, &f.head)?;
    ws.merge_range(row, EVIDENCE_CELL, row, NOTE, c_evidence, &f.head)?;
    row += 1;
    let mut deductions: Vec<(&str, Points, &str, String)> = Vec::new();
    for item in model.rubric.items() {
        if let Some(entry) = entries.get(item.id.value.as_str()) {
            for d in entry.deductions() {
                deductions.push((
                    &item.id.value,
                    d.points.value,
                    d.reason.as_ref().map_or("", |r| r.value.as_str()),
                    d.evidence
                        .iter()
                        .map(|e| e.value.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ));
            }
        }
    }
    let points_rule = |row: u32| -> Result<DataValidation, XlsxError> {
        let cell = row_col_to_cell(row, POINTS);
        DataValidation::new()
            .allow_custom(Formula::new(format!(
                "=AND(ISNUMBER({cell}),{cell}>0,MOD(ROUND({cell}*100,0),{})=0)",
                step.0.max(1)
            )))
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_message(w.points_error.replace("{step}", &step.to_string()))
    };
    let spare = if filled.is_some() {
        5
    } else {
        SPARE_DEDUCTIONS
    };
    for i in 0..deductions.len() + spare {
        let line = deductions.get(i);
        ws.write_string_with_format(row, ID, line.map_or("", |d| cell_text(d.0)), &f.fill_number)?;
        ws.merge_range(
            row,
            REASON_CELL,
            row,
            REQUIREMENT,
            line.map_or("", |d| cell_text(d.2.trim_end())),
            &f.fill,
        )?;
        match line {
            Some(d) => ws.write_number_with_format(row, POINTS, number(d.1), &f.fill_number)?,
            None => ws.write_blank(row, POINTS, &f.fill_number)?,
        };
        ws.add_data_validation(row, POINTS, row, POINTS, &points_rule(row)?)?;
        ws.merge_range(
            row,
            EVIDENCE_CELL,
            row,
            NOTE,
            line.map_or("", |d| cell_text(&d.3)),
            &f.fill,
        )?;
        if let Some(d) = line {
            fit(
                ws,
                row,
                &[
                    (d.2.trim_end(), span(REASON_CELL, REQUIREMENT)),
                    (&d.3, span(EVIDENCE_CELL, NOTE)),
                ],
            )?;
        }
        ws.write_string_with_format(row, KIND, kind::DEDUCTION, &f.key)?;
        row += 1;
    }

    // 加减分及一票否决, when the rubric has them.
    let rubric = model.rubric;
    if !rubric.adjustments.is_empty() || !rubric.vetoes.is_empty() {
        row += 1;
        ws.merge_range(row, ID, row, NOTE, w.adjustments, &f.section)?;
        row += 1;
        let [a_id, a_reason, _, a_evidence] = w.adjustment_columns;
        ws.write_string_with_format(row, ID, a_id, &f.head)?;
        ws.merge_range(row, REASON_CELL, row, POINTS, a_reason, &f.head)?;
        ws.merge_range(row, EVIDENCE_CELL, row, NOTE, a_evidence, &f.head)?;
        row += 1;
        let mut lines: Vec<(&str, &str, String)> = Vec::new();
        let evidence = |list: &[crate::model::Spanned<String>]| {
            list.iter()
                .map(|e| e.value.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        if let Some(sheet) = sheet {
            for (id, occurrences) in &sheet.adjustments {
                for o in occurrences {
                    lines.push((
                        &id.value,
                        o.reason.as_ref().map_or("", |r| r.value.as_str()),
                        evidence(&o.evidence),
                    ));
                }
            }
            for (id, o) in &sheet.vetoes {
                lines.push((
                    &id.value,
                    o.reason.as_ref().map_or("", |r| r.value.as_str()),
                    evidence(&o.evidence),
                ));
            }
        }
        let ids: Vec<&str> = rubric
            .adjustments
            .iter()
            .map(|a| a.id.value.as_str())
            .chain(rubric.vetoes.iter().map(|v| v.id.value.as_str()))
            .collect();
        let known = DataValidation::new().allow_list_strings(&ids);
        for i in 0..lines.len() + SPARE_ADJUSTMENTS {
            let line = lines.get(i);
            ws.write_string_with_format(
                row,
                ID,
                line.map_or("", |l| cell_text(l.0)),
                &f.fill_number,
            )?;
            if let Ok(rule) = &known {
                ws.add_data_validation(row, ID, row, ID, rule)?;
            }
            ws.merge_range(
                row,
                REASON_CELL,
                row,
                POINTS,
                line.map_or("", |l| cell_text(l.1.trim_end())),
                &f.fill,
            )?;
            ws.merge_range(
                row,
                EVIDENCE_CELL,
                row,
                NOTE,
                line.map_or("", |l| cell_text(&l.2)),
                &f.fill,
            )?;
            if let Some(l) = line {
                fit(
                    ws,
                    row,
                    &[
                        (l.1.trim_end(), span(REASON_CELL, POINTS)),
                        (&l.2, span(EVIDENCE_CELL, NOTE)),
                    ],
                )?;
            }
            ws.write_string_with_format(row, KIND, kind::ADJUSTMENT, &f.key)?;
            row += 1;
        }
    }

    // 综合评价 and the signatures.
    row += 1;
    ws.write_string_with_format(row, ID, w.summary, &f.label)?;
    ws.merge_range(
        row,
        CATEGORY,
        row,
        NOTE,
        sheet
            .and_then(|s| s.summary.as_deref())
            .map_or("", |s| cell_text(s.trim_end())),
        &f.fill_wrap,
    )?;
    ws.write_string_with_format(row, KIND, kind::SUMMARY, &f.key)?;
    let summary = sheet.and_then(|s| s.summary.as_deref()).unwrap_or_default();
    ws.set_row_height(
        row,
        row_height(lines_in(summary.trim_end(), span(CATEGORY, NOTE))).max(90.0),
    )?;
    row += 1;
    let signoff = sheet.and_then(|s| s.signoff.as_ref());
    ws.write_string_with_format(row, ID, w.leader, &f.label)?;
    ws.merge_range(
        row,
        LEADER_CELL,
        row,
        INDICATOR,
        signoff.map_or("", |s| cell_text(&s.leader.value)),
        &f.fill,
    )?;
    ws.write_string_with_format(row, REQUIREMENT, w.members, &f.label)?;
    ws.merge_range(
        row,
        MEMBERS_CELL,
        row,
        SCORE,
        &signoff.map_or(String::new(), |s| {
            s.members
                .iter()
                .map(|m| m.value.as_str())
                .collect::<Vec<_>>()
                .join("、")
        }),
        &f.fill,
    )?;
    ws.write_string_with_format(row, NOT_ASSESSED, w.date, &f.label)?;
    ws.write_string_with_format(
        row,
        DATE_CELL,
        signoff
            .and_then(|s| s.date.as_ref())
            .map_or(String::new(), |d| d.value.to_string()),
        &f.fill,
    )?;
    ws.write_string_with_format(row, KIND, kind::SIGNOFF, &f.key)?;
    ws.set_row_height(row, 30)?;
    let last_row = row;
    ws.set_print_area(0, ID, last_row, NOTE)?;
    ws.protect_with_options(&ProtectionOptions {
        format_rows: true,
        format_columns: true,
        ..ProtectionOptions::default()
    });

    // Whose form this is, where no one edits it by chance.
    let meta = book.add_worksheet();
    meta.set_name(META)?;
    meta.set_very_hidden(true);
    for (r, (key, value)) in [
        ("form", MAGIC),
        ("version", VERSION),
        ("campaign", campaign.id.value.as_str()),
        ("town", town.slug.value.as_str()),
        ("group", group_id.unwrap_or_default()),
        ("sheet", sheet_name.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        meta.write_string(r as u32, 0, key)?;
        meta.write_string(r as u32, 1, cell_text(value))?;
    }
    meta.protect();
    book.save_to_buffer()
}

/// 考核内容 across the rows `from..=to`.
fn category(
    ws: &mut Worksheet,
    from: u32,
    to: u32,
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if to > from {
        ws.merge_range(from, CATEGORY, to, CATEGORY, cell_text(text), f)?;
    } else {
        ws.write_string_with_format(from, CATEGORY, cell_text(text), f)?;
    }
    Ok(())
}

/// Why an item a town's attributes exclude is not assessed, as `new` writes it.
fn not_assessed_reason(model: &Complete, item: &crate::model::Item, lang: Lang) -> String {
    let attribute = item.assessed_if.as_ref().map_or("", |a| a.value.as_str());
    let label = model.rubric.label(attribute).unwrap_or(attribute);
    match lang {
        Lang::Zh => format!("本乡镇「{label}」为 0，不考核该项"),
        Lang::En => format!("{label} is 0 for this town: not assessed"),
    }
}

/// A worksheet's name from a town's: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(town: &str) -> String {
    let name: String = town
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    let name = name.trim_matches('\'').to_string();
    if name.is_empty() || name.eq_ignore_ascii_case(META) || name.eq_ignore_ascii_case("history") {
        "form".to_string()
    } else {
        name
    }
}
