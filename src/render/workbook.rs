//! `data/ranking.xlsx`: the ranking, every town's item scores, every deduction and the
//! rectification ledger as one workbook for Excel and WPS. Numbers are numbers (published
//! figures with two places), the header row is frozen and printed on every page, columns are
//! as wide as their Chinese text, and each sheet prints on A4 landscape with the campaign's
//! title and commit in the page header. The same commit writes the same bytes.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::shared::Site;
use super::table::{Cell, ScoreTable};
use crate::model::{Lang, Points, entries_by_item};

/// The most rows a worksheet holds; a longer list stops with a line that says where the rest is.
const MAX_ROWS: u32 = 1_048_576;
/// The most characters a cell holds.
const MAX_CELL_CHARS: usize = 32_767;
/// The widest a column grows before its text wraps, in character widths.
const MAX_WIDTH: usize = 60;
/// A4, in Excel's paper numbers.
const A4: u8 = 9;

/// The formats of the data sheets: their cells are otherwise the default style, printed with
/// grid lines, so that a sheet of a million cells writes fast.
struct Formats {
    head: Format,
    wrap: Format,
    figure: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#E8ECF2"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            figure: Format::new().set_num_format("0.00"),
        }
    }
}

/// Text as a cell holds it: within the cell's limit, and never read as a formula (a string
/// cell is never one).
pub fn cell_text(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Hundredths as the number a spreadsheet shows: 8673 → 86.73.
pub fn number(p: Points) -> f64 {
    p.0 as f64 / 100.0
}

/// How wide a column must be to show `text` on one line, in Excel's character widths
/// (a Chinese character is two).
pub fn width_of(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// How many lines `text` takes wrapped in a column `width` characters wide.
pub fn lines_in(text: &str, width: f64) -> usize {
    let per = (width - 1.0).max(1.0);
    text.lines()
        .map(|l| ((UnicodeWidthStr::width(l) as f64) / per).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// The height in points of a row whose tallest cell takes `lines` lines, the most Excel allows.
pub fn row_height(lines: usize) -> f64 {
    (lines as f64 * 14.0 + 4.0).min(409.0)
}

/// Header and footer text: `&` is Excel's escape there.
pub fn header_text(text: &str, max: usize) -> String {
    let short: String = text.chars().take(max).collect();
    short.replace('&', "&&")
}

/// What the page header and footer of every printed sheet say.
pub struct PrintPage<'a> {
    pub title: &'a str,
    pub commit: &'a str,
    /// 内部资料 注意保密, at the foot of every page.
    pub marking: Option<String>,
    pub lang: Lang,
}

/// Prints a sheet on A4 landscape, fitted to the page's width, with grid lines, the header row
/// on every page, the title and commit in the page header and the marking in the footer.
pub fn print_setup(ws: &mut Worksheet, page: &PrintPage) {
    ws.set_paper_size(A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_gridlines(true);
    ws.set_margins(0.5, 0.5, 0.7, 0.7, 0.3, 0.3);
    ws.set_header(format!(
        "&L{}&R{}",
        header_text(page.title, 80),
        header_text(page.commit, 40)
    ));
    ws.set_footer(footer(page.marking.as_deref(), page.lang));
}

/// The footer of a printed sheet: the marking at the left, the page number in the middle.
pub fn footer(marking: Option<&str>, lang: Lang) -> String {
    let numbers = match lang {
        Lang::Zh => "&C第 &P 页，共 &N 页",
        Lang::En => "&CPage &P of &N",
    };
    match marking {
        Some(m) => format!("&L{}{numbers}", header_text(m, 60)),
        None => numbers.to_string(),
    }
}

/// A workbook's title and author, and a creation time that depends on the content only: `day`
/// (or 1 January 1980), so that the same content writes the same bytes.
pub fn properties(
    title: &str,
    author: &str,
    day: Option<jiff::civil::Date>,
) -> Result<DocProperties, XlsxError> {
    let date = match day {
        Some(d) => ExcelDateTime::from_ymd(
            u16::try_from(d.year()).unwrap_or(1980),
            d.month().unsigned_abs(),
            d.day().unsigned_abs(),
        )?,
        None => ExcelDateTime::from_ymd(1980, 1, 1)?,
    };
    Ok(DocProperties::new()
        .set_title(cell_text(title))
        .set_author(cell_text(author))
        .set_creation_datetime(&date))
}

/// One worksheet filled row by row, remembering how wide each column must be.
struct Grid<'f> {
    formats: &'f Formats,
    widths: Vec<usize>,
    row: u32,
    /// The most lines a wrapped cell of the current row takes.
    lines: usize,
}

impl<'f> Grid<'f> {
    fn new(ws: &mut Worksheet, formats: &'f Formats, head: &[String]) -> Result<Self, XlsxError> {
        for (c, title) in head.iter().enumerate() {
            ws.write_string_with_format(0, col(c), cell_text(title), &formats.head)?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_repeat_rows(0, 0)?;
        Ok(Grid {
            formats,
            widths: head.iter().map(|h| width_of(h).min(16)).collect(),
            row: 1,
            lines: 1,
        })
    }

    /// True while the sheet has room for one more row and the line that ends a cut list.
    fn room(&self) -> bool {
        self.row < MAX_ROWS - 1
    }

    fn put(&mut self, ws: &mut Worksheet, c: usize, cell: &Cell) -> Result<(), XlsxError> {
        let f = self.formats;
        let width = match cell {
            Cell::Empty => 0,
            Cell::Text(text) => self.text(ws, c, text)?,
            Cell::Word(word) => self.text(ws, c, word)?,
            Cell::Count(n) => {
                ws.write_number(self.row, col(c), f64::from(*n))?;
                n.to_string().len()
            }
            Cell::Points(p) => {
                ws.write_number(self.row, col(c), number(*p))?;
                p.to_string().len()
            }
            Cell::Figure(p) => {
                ws.write_number_with_format(self.row, col(c), number(*p), &f.figure)?;
                p.fixed(2).len()
            }
        };
        if let Some(w) = self.widths.get_mut(c) {
            *w = (*w).max(width);
        }
        Ok(())
    }

    fn text(&mut self, ws: &mut Worksheet, c: usize, text: &str) -> Result<usize, XlsxError> {
        let text = &crate::personal::mask(text);
        let width = width_of(text);
        if width > MAX_WIDTH || text.contains('\n') {
            let column = self.widths.get(c).copied().unwrap_or(MAX_WIDTH);
            let shown = (width.min(MAX_WIDTH).max(column) + 2) as f64;
            self.lines = self.lines.max(lines_in(text, shown));
            ws.write_string_with_format(self.row, col(c), cell_text(text), &self.formats.wrap)?;
        } else if !text.is_empty() {
            ws.write_string(self.row, col(c), cell_text(text))?;
        }
        Ok(width)
    }

    fn row(&mut self, ws: &mut Worksheet, cells: &[Cell]) -> Result<(), XlsxError> {
        self.lines = 1;
        for (c, cell) in cells.iter().enumerate() {
            self.put(ws, c, cell)?;
        }
        if self.lines > 1 {
            ws.set_row_height(self.row, row_height(self.lines))?;
        }
        self.row += 1;
        Ok(())
    }

    /// Writes the line that says the list goes on elsewhere.
    fn cut(&mut self, ws: &mut Worksheet, said: &str) -> Result<(), XlsxError> {
        ws.write_string(self.row, 0, said)?;
        self.row += 1;
        Ok(())
    }

    fn finish(self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            ws.set_column_width(col(c), (w.clamp(&4, &MAX_WIDTH) + 2) as f64)?;
        }
        Ok(())
    }
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// One row of the rectification ledger, as `data/rectification.csv` has it.
pub struct LedgerRow<'a> {
    pub cells: Vec<Cell<'a>>,
}

/// The whole workbook.
pub fn ranking(
    site: &Site,
    table: &ScoreTable,
    ledger: Option<Vec<LedgerRow>>,
) -> Result<Vec<u8>, XlsxError> {
    let text = &site.text;
    let lang = site.lang;
    let title = site.campaign.title;
    let commit = site
        .source
        .commit
        .as_deref()
        .map_or(String::new(), |c| c.chars().take(12).collect());
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_properties(&properties(title, site.campaign.issuer, site.source.as_of)?);
    book.set_zip_compression_level(1);
    let said_cut = text["xlsx_cut"];
    let page = PrintPage {
        title,
        commit: &commit,
        marking: site.model.campaign.marking(),
        lang,
    };

    // 排名: the ranking as the ranking page has it, then the towns not ranked.
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(text["ranking"])?;
    print_setup(ws, &page);
    let by_class = table.towns.iter().any(|t| t.class.is_some());
    let grades = table.towns.iter().any(|t| t.grade.is_some());
    let previous = !table.rounds.is_empty();
    let mut head: Vec<String> = vec![
        text["rank"].into(),
        text["town"].into(),
        text["group"].into(),
    ];
    if by_class {
        head.push(text["class"].into());
    }
    for s in &site.model.rubric.sections {
        head.push(s.title.clone());
    }
    head.push(text["total"].into());
    if grades {
        head.push(text["grade"].into());
    }
    if previous {
        head.push(text["previous_round"].into());
    }
    head.push(text["consequences"].into());
    head.push(text["status"].into());
    let mut grid = Grid::new(ws, &formats, &head)?;
    let states = [text["csv_final"], text["csv_draft"], text["csv_missing"]];
    for t in &table.towns {
        if site.stop_now() {
            break;
        }
        if !grid.room() {
            grid.cut(ws, said_cut)?;
            break;
        }
        let ranked = t.rank.is_some();
        let figure = |p: Points| if ranked { Cell::Figure(p) } else { Cell::Empty };
        let group = site
            .group_of
            .get(t.slug)
            .map_or(t.group, |g| g.name.as_str());
        let mut cells = vec![
            t.rank.map_or(Cell::Empty, Cell::Count),
            Cell::Text(t.name.into()),
            Cell::Text(group.into()),
        ];
        if by_class {
            cells.push(Cell::Text(t.class.unwrap_or_default().into()));
        }
        cells.extend(t.subtotals.iter().map(|&p| figure(p)));
        cells.push(figure(t.total));
        if grades {
            cells.push(Cell::Text(t.grade.unwrap_or_default().into()));
        }
        if previous {
            cells.push(
                t.previous
                    .flatten()
                    .and_then(|p| p.rank)
                    .map_or(Cell::Empty, Cell::Count),
            );
        }
        cells.push(Cell::Text(t.consequences.join("、").into()));
        cells.push(Cell::Word(match t.status {
            crate::score::SheetState::Final => states[0],
            crate::score::SheetState::Draft => states[1],
            crate::score::SheetState::Missing => states[2],
        }));
        grid.row(ws, &cells)?;
    }
    ws.set_freeze_panes(1, 2)?;
    grid.finish(ws)?;

    // 得分明细: a row per town, a column per item.
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(text["xlsx_scores"])?;
    print_setup(ws, &page);
    let items: Vec<_> = site.model.rubric.items().collect();
    let mut head: Vec<String> = vec![text["rank"].into(), text["town"].into()];
    head.extend(items.iter().map(|i| {
        format!(
            "{} {}（{}）",
            i.id.value,
            i.indicator.trim(),
            i.points.value
        )
    }));
    head.push(text["total"].into());
    let mut grid = Grid::new(ws, &formats, &head)?;
    for c in 2..2 + items.len() {
        grid.widths[c] = 8;
    }
    ws.set_row_height(0, 60)?;
    for t in table.towns.iter().filter(|t| t.detailed) {
        if site.stop_now() {
            break;
        }
        if !grid.room() {
            grid.cut(ws, said_cut)?;
            break;
        }
        let mut cells = vec![
            t.rank.map_or(Cell::Empty, Cell::Count),
            Cell::Text(t.name.into()),
        ];
        for i in t.items() {
            cells.push(match (i.score, i.not_assessed.is_empty()) {
                (Some(p), _) => Cell::Points(p),
                (None, false) => Cell::Word(text["not_assessed"]),
                (None, true) => Cell::Empty,
            });
        }
        cells.push(if t.rank.is_some() {
            Cell::Figure(t.total)
        } else {
            Cell::Empty
        });
        grid.row(ws, &cells)?;
    }
    ws.set_freeze_panes(1, 2)?;
    grid.finish(ws)?;

    // 扣分明细: every deduction, and every criterion short of its points.
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(text["xlsx_deductions"])?;
    print_setup(ws, &page);
    let head: Vec<String> = [
        "town",
        "group",
        "item",
        "indicator",
        "xlsx_deducted",
        "reason",
        "evidence",
    ]
    .iter()
    .map(|k| text[k].to_string())
    .collect();
    let mut grid = Grid::new(ws, &formats, &head)?;
    'towns: for score in &site.ranking.towns {
        if site.stop_now() {
            break;
        }
        let town = site.town(score);
        let Some(sheet) = site.sheet(score).filter(|_| site.shows(&town.slug.value)) else {
            continue;
        };
        let group = site
            .group_of
            .get(town.slug.value.as_str())
            .map_or("", |g| g.name.as_str());
        let entries = entries_by_item(Some(sheet));
        for item in site.model.rubric.items() {
            let Some(entry) = entries.get(item.id.value.as_str()) else {
                continue;
            };
            let mut lines: Vec<(Points, &str, String)> = entry
                .deductions()
                .iter()
                .map(|d| {
                    (
                        d.points.value,
                        d.reason.as_ref().map_or("", |r| r.value.trim()),
                        d.evidence
                            .iter()
                            .map(|e| e.value.as_str())
                            .collect::<Vec<_>>()
                            .join("\n"),
                    )
                })
                .collect();
            for (id, value) in entry.criteria.iter().flatten() {
                if let Some(c) = item.criteria.iter().find(|c| c.id.value == id.value)
                    && value.value < c.points.value
                {
                    lines.push((c.points.value - value.value, c.text.trim(), String::new()));
                }
            }
            for (points, reason, evidence) in lines {
                if !grid.room() {
                    grid.cut(ws, said_cut)?;
                    break 'towns;
                }
                grid.row(
                    ws,
                    &[
                        Cell::Text(town.name.value.as_str().into()),
                        Cell::Text(group.into()),
                        Cell::Text(item.id.value.as_str().into()),
                        Cell::Text(item.indicator.trim().into()),
                        Cell::Points(points),
                        Cell::Text(reason.into()),
                        Cell::Text(evidence.into()),
                    ],
                )?;
            }
        }
    }
    grid.finish(ws)?;

    // 整改台账, when the campaign keeps one.
    if let Some(rows) = ledger {
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(text["rectification"])?;
        print_setup(ws, &page);
        let head: Vec<String> = text["ledger_csv_header"]
            .split(',')
            .map(String::from)
            .collect();
        let mut grid = Grid::new(ws, &formats, &head)?;
        for row in rows {
            if !grid.room() {
                grid.cut(ws, said_cut)?;
                break;
            }
            grid.row(ws, &row.cells)?;
        }
        grid.finish(ws)?;
    }
    book.save_to_buffer()
}
