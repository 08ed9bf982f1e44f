//! Word documents (.docx) laid out as official documents (公文, GB/T 9704-2012): A4, a 版心 of
//! 22 lines of 28 characters, the text in 仿宋 三号, page numbers on the outside edge. A small
//! model (paragraphs of runs in a few styles, a table, page breaks, the 落款 and the 版记) is
//! written as WordprocessingML into a zip with fixed times: the same document, the same bytes.

use std::io::{Cursor, Write as _};

use unicode_width::UnicodeWidthStr;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A document: what its properties say, and its blocks in order.
pub struct Document {
    pub title: String,
    pub author: String,
    /// The language of its text: `zh-CN` or `en`.
    pub lang: &'static str,
    pub blocks: Vec<Block>,
}

pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
    /// What follows starts a new page.
    PageBreak,
    /// 落款 and 成文日期: the date four characters from the right edge, the issuer centred over
    /// it, room above them for the seal.
    Signature {
        issuer: String,
        date: String,
    },
    /// 版记: the issuer on the left and the day it is issued on the right, between two rules.
    Record {
        issuer: String,
        issued: String,
    },
}

pub struct Paragraph {
    pub style: Style,
    pub runs: Vec<Run>,
}

impl Paragraph {
    /// A paragraph of one run in its style's face.
    pub fn new(style: Style, text: impl Into<String>) -> Paragraph {
        Paragraph {
            style,
            runs: vec![Run {
                text: text.into(),
                face: Face::Style,
            }],
        }
    }
}

impl From<Paragraph> for Block {
    fn from(p: Paragraph) -> Block {
        Block::Paragraph(p)
    }
}

pub struct Run {
    pub text: String,
    pub face: Face,
}

/// The typeface of a run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Its paragraph's.
    Style,
    /// 楷体, as a second-level heading （一） is set.
    Kai,
}

/// The kinds of paragraph, each a style of the document that an editor can change once.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// 发文机关标志: the issuer in red, large, centred.
    IssuerMark,
    /// 发文字号, centred, over the red rule.
    Number,
    /// 标题: 方正小标宋 二号, centred.
    Title,
    /// 主送机关: flush left.
    Addressee,
    /// 正文: first line indented two characters.
    Body,
    /// 一、: 黑体.
    Heading,
    /// （一）: 楷体.
    Subheading,
    /// 附件说明 after the body: 附件：…
    AttachmentNote,
    /// "附件" at the top left of the attachment's first page: 黑体.
    AttachmentLabel,
    /// The attachment's title, centred as a title.
    AttachmentTitle,
}

impl Style {
    fn id(self) -> &'static str {
        match self {
            Style::IssuerMark => "IssuerMark",
            Style::Number => "DocNumber",
            Style::Title => "DocTitle",
            Style::Addressee => "Addressee",
            Style::Body => "BodyText",
            Style::Heading => "Heading1",
            Style::Subheading => "Heading2",
            Style::AttachmentNote => "AttachmentNote",
            Style::AttachmentLabel => "AttachmentLabel",
            Style::AttachmentTitle => "AttachmentTitle",
        }
    }
}

/// A table as wide as the 版心, its header row repeated on every page it spans.
pub struct Table {
    /// Each column's share of the width.
    pub widths: Vec<u32>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Twips (1/20 pt) in `mm` millimetres, rounded.
const fn mm(mm: u32) -> u32 {
    (mm * 14400 + 127) / 254
}

const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const TOP: u32 = mm(37);
const BOTTOM: u32 = mm(35);
const LEFT: u32 = mm(28);
const RIGHT: u32 = mm(26);
/// The 版心's width: 156 mm.
const TEXT_WIDTH: u32 = PAGE_WIDTH - LEFT - RIGHT;
const LINES: u32 = 22;
const CHARS: u32 = 28;
/// One line of the grid: the 版心's height (225 mm) over 22 lines.
const LINE: u32 = (PAGE_HEIGHT - TOP - BOTTOM) / LINES;
/// One character of the grid: the 版心's width over 28 characters.
const CHAR: u32 = TEXT_WIDTH / CHARS;
/// The body's size in half points: 三号, 16 pt.
const BODY_SIZE: u32 = 32;
/// The grid's character pitch less the body's size, in 1/4096 pt (as w:charSpace counts):
/// slightly negative, since 28 characters of 16 pt are wider than 156 mm.
const CHAR_SPACE: i64 =
    (TEXT_WIDTH as i64 - (CHARS * BODY_SIZE * 10) as i64) * 4096 / (CHARS as i64 * 20);
/// 二号 for titles, 四号 for tables, the 版记 and page numbers.
const TITLE_SIZE: u32 = 44;
const SMALL_SIZE: u32 = 28;
/// A table's line: 20 pt.
const TABLE_LINE: u32 = 400;
/// What each character gives up, in twips, so that 28 characters of 三号 fit the 版心's
/// width, with a twip to spare for rounding.
const CONDENSED: u32 = BODY_SIZE * 10 - CHAR + 1;
/// The bottom of the page number 7 mm under the 版心.
const FOOTER: u32 = BOTTOM - mm(7);

const RED: &str = "FF0000";
const FANGSONG: &str = "仿宋_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const SONGTI: &str = "宋体";
const LATIN: &str = "Times New Roman";

/// The document as the bytes of a .docx file.
pub fn write(doc: &Document) -> std::io::Result<Vec<u8>> {
    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", PACKAGE_RELS.to_string()),
        ("docProps/core.xml", core(doc)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document(doc)),
        ("word/styles.xml", styles(doc.lang)),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/fontTable.xml", font_table()),
        ("word/footer1.xml", footer(true)),
        ("word/footer2.xml", footer(false)),
    ];
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Text for XML content or a quoted attribute: markup characters escaped, and the characters
/// XML 1.0 does not allow (control characters but tab and line breaks, U+FFFE, U+FFFF) left
/// out.
fn escape(text: &str) -> String {
    let text = crate::personal::mask(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"#;

/// Odd and even pages have footers of their own; punctuation keeps its full width.
const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// The properties: a title and an author, and no dates.
fn core(doc: &Document) -> String {
    format!(
        r#"{XML}
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>{}</dc:language></cp:coreProperties>"#,
        escape(&doc.title),
        escape(&doc.author),
        doc.lang,
    )
}

/// Each font the styles name, with the name a system without it may know it by.
fn font_table() -> String {
    const FONTS: &[(&str, &str, &str)] = &[
        (FANGSONG, "仿宋", "modern"),
        ("仿宋", "FangSong", "modern"),
        ("FangSong", "STFangsong", "modern"),
        (XIAOBIAOSONG, "宋体", "roman"),
        (SONGTI, "SimSun", "roman"),
        ("SimSun", "STSong", "roman"),
        (HEITI, "SimHei", "swiss"),
        ("SimHei", "STHeiti", "swiss"),
        (KAITI, "楷体", "modern"),
        ("楷体", "KaiTi", "modern"),
        ("KaiTi", "STKaiti", "modern"),
    ];
    let mut xml = format!("{XML}\n<w:fonts {W}>");
    for (name, alt, family) in FONTS {
        xml.push_str(&format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
        ));
    }
    xml.push_str(&format!(
        r#"<w:font w:name="{LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#
    ));
    xml
}

/// `w:rFonts` naming one font for every script.
fn fonts(name: &str) -> String {
    format!(r#"<w:rFonts w:ascii="{name}" w:eastAsia="{name}" w:hAnsi="{name}" w:cs="{name}"/>"#)
}

/// A paragraph style: its id and name, the style it is based on, its paragraph and run
/// properties.
fn style(id: &str, name: &str, based_on: &str, ppr: &str, rpr: &str) -> String {
    format!(
        r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
    )
}

fn size(half_points: u32) -> String {
    format!(r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#)
}

/// Space before a paragraph, in lines of the grid.
fn before(lines: u32) -> String {
    format!(r#"<w:spacing w:before="{}"/>"#, lines * LINE)
}

/// The styles: 仿宋 三号 on lines of exactly a grid line by default, each kind of paragraph
/// from it, named as an editor of 公文 knows them.
fn styles(lang: &str) -> String {
    let centred = r#"<w:jc w:val="center"/>"#;
    let title = format!("{}{}", fonts(XIAOBIAOSONG), size(TITLE_SIZE));
    let heading = |level: u32| format!(r#"<w:keepNext/><w:outlineLvl w:val="{level}"/>"#);
    let styles = [
        style(
            "IssuerMark",
            "发文机关标志",
            "Normal",
            &format!(r#"<w:spacing w:line="240" w:lineRule="auto"/>{centred}"#),
            &format!(r#"{}<w:color w:val="{RED}"/>"#, fonts(XIAOBIAOSONG)),
        ),
        style(
            "DocNumber",
            "发文字号",
            "Normal",
            // The red rule 4 mm under the number, as wide as the 版心.
            &format!(
                r#"<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="{RED}"/></w:pBdr>{}{centred}"#,
                before(2)
            ),
            "",
        ),
        style(
            "DocTitle",
            "标题",
            "Normal",
            &format!(r#"{}{centred}<w:outlineLvl w:val="0"/>"#, before(2)),
            &title,
        ),
        style("Addressee", "主送机关", "Normal", &before(1), ""),
        style(
            "BodyText",
            "正文",
            "Normal",
            &format!(r#"<w:ind w:firstLine="{}"/>"#, 2 * CHAR),
            "",
        ),
        style(
            "Heading1",
            "一级标题",
            "BodyText",
            &heading(1),
            &fonts(HEITI),
        ),
        style(
            "Heading2",
            "二级标题",
            "BodyText",
            &heading(2),
            &fonts(KAITI),
        ),
        style(
            "AttachmentNote",
            "附件说明",
            "Normal",
            &format!(r#"{}<w:ind w:left="{}"/>"#, before(1), 2 * CHAR),
            "",
        ),
        style(
            "AttachmentLabel",
            "附件标识",
            "Normal",
            "<w:keepNext/>",
            &fonts(HEITI),
        ),
        style(
            "AttachmentTitle",
            "附件标题",
            "Normal",
            &format!(r#"<w:keepNext/>{}{centred}"#, before(1)),
            &title,
        ),
        style(
            "Signature",
            "发文机关署名",
            "Normal",
            &format!(r#"<w:keepNext/>{}<w:jc w:val="right"/>"#, before(2)),
            "",
        ),
        style(
            "SignatureDate",
            "成文日期",
            "Normal",
            r#"<w:jc w:val="right"/>"#,
            "",
        ),
        style(
            "TableText",
            "表格",
            "Normal",
            &format!(r#"<w:spacing w:line="{TABLE_LINE}" w:lineRule="exact"/>{centred}"#),
            &size(SMALL_SIZE),
        ),
        style("TableHeading", "表头", "TableText", "", &fonts(HEITI)),
        style(
            "Record",
            "版记",
            "Normal",
            &format!(
                r#"<w:keepLines/><w:pBdr><w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/></w:pBdr><w:tabs><w:tab w:val="left" w:pos="{CHAR}"/><w:tab w:val="right" w:pos="{}"/></w:tabs>"#,
                TEXT_WIDTH - CHAR,
            ),
            &size(SMALL_SIZE),
        ),
        style(
            "PageNumber",
            "页码",
            "Normal",
            r#"<w:spacing w:line="240" w:lineRule="auto"/>"#,
            &format!("{}{}", fonts(SONGTI), size(SMALL_SIZE)),
        ),
    ];
    let defaults = format!(
        r#"<w:rFonts w:ascii="{LATIN}" w:eastAsia="{FANGSONG}" w:hAnsi="{LATIN}" w:cs="{LATIN}"/><w:spacing w:val="-{CONDENSED}"/><w:kern w:val="2"/>{}<w:lang w:val="{}" w:eastAsia="zh-CN"/>"#,
        size(BODY_SIZE),
        if lang == "en" { "en-GB" } else { "zh-CN" },
    );
    // Paragraphs keep to the grid by their exact line height and condensed characters rather
    // than by snapping: LibreOffice gives a character larger than the grid's pitch two cells.
    // No extra space between Chinese and figures, as 公文 set them.
    let paragraph = format!(
        r#"<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:line="{LINE}" w:lineRule="exact"/><w:jc w:val="both"/>"#
    );
    format!(
        r#"{XML}
<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>{defaults}</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{paragraph}</w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>{paragraph}</w:pPr><w:rPr>{defaults}</w:rPr></w:style>{}</w:styles>"#,
        styles.concat(),
    )
}

/// A footer with the page number, `— 1 —`, one character in from the outside edge: the right
/// on odd pages, the left on even ones.
fn footer(odd: bool) -> String {
    let (jc, side) = if odd {
        ("right", "right")
    } else {
        ("left", "left")
    };
    format!(
        r#"{XML}
<w:ftr {W}><w:p><w:pPr><w:pStyle w:val="PageNumber"/><w:ind w:{side}="{CHAR}"/><w:jc w:val="{jc}"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#
    )
}

/// The body: every block, then the section's page, margins and grid.
fn document(doc: &Document) -> String {
    let mut xml = format!("{XML}\n<w:document {W}><w:body>");
    let mut break_before = false;
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::PageBreak => {
                break_before = true;
                continue;
            }
            Block::Paragraph(p) => {
                // The 落款 never starts a page alone: the text it closes goes over with it.
                let signed = matches!(doc.blocks.get(i + 1), Some(Block::Signature { .. }));
                xml.push_str(&paragraph(p, break_before, signed));
            }
            Block::Table(t) => {
                if break_before {
                    xml.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
                }
                xml.push_str(&table(t));
            }
            Block::Signature { issuer, date } => xml.push_str(&signature(issuer, date)),
            Block::Record { issuer, issued } => xml.push_str(&record(issuer, issued)),
        }
        break_before = false;
    }
    xml.push_str(&format!(
        r#"<w:sectPr><w:footerReference w:type="even" r:id="rId5"/><w:footerReference w:type="default" r:id="rId4"/><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/><w:pgMar w:top="{TOP}" w:right="{RIGHT}" w:bottom="{BOTTOM}" w:left="{LEFT}" w:header="851" w:footer="{FOOTER}" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="{LINE}" w:charSpace="{CHAR_SPACE}"/></w:sectPr></w:body></w:document>"#
    ));
    xml
}

/// A paragraph in its style; `keep_next` keeps it on the page of the next block.
fn paragraph(p: &Paragraph, break_before: bool, keep_next: bool) -> String {
    let mut xml = format!(r#"<w:p><w:pPr><w:pStyle w:val="{}"/>"#, p.style.id());
    if keep_next {
        xml.push_str("<w:keepNext/>");
    }
    if break_before {
        xml.push_str("<w:pageBreakBefore/>");
    }
    xml.push_str("</w:pPr>");
    let size = (p.style == Style::IssuerMark).then(|| mark_size(&p.runs));
    let title = matches!(p.style, Style::Title | Style::AttachmentTitle);
    for r in &p.runs {
        if title {
            xml.push_str(&run(&balanced(&r.text), ""));
            continue;
        }
        let mut rpr = String::new();
        if r.face == Face::Kai {
            rpr.push_str(&fonts(KAITI));
        }
        if let Some(size) = size {
            rpr.push_str(&format!(
                r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#
            ));
        }
        xml.push_str(&run(&r.text, &rpr));
    }
    xml.push_str("</w:p>");
    xml
}

/// A title broken into lines of even length, as 公文 set a title that takes several lines,
/// never a line starting with closing punctuation nor ending with opening punctuation. Text
/// with spaces (Latin) is left to wrap at its spaces.
fn balanced(title: &str) -> String {
    // Half characters on a line of 二号 text.
    let line = 2 * (TEXT_WIDTH / (TITLE_SIZE * 10 - CONDENSED)) as usize;
    let width = title.width();
    if title.contains(' ') || width <= line {
        return title.to_string();
    }
    let count = width.div_ceil(line);
    let each = width.div_ceil(count);
    let mut lines: Vec<String> = Vec::new();
    let (mut current, mut used) = (String::new(), 0);
    for c in title.chars() {
        let w = c.to_string().width();
        // The last line takes the rest, as far as a line goes.
        let limit = if lines.len() + 1 < count { each } else { line };
        let closing = "，。、；：？！）》」』”’…".contains(c);
        if used + w > limit && !(closing && used + w <= line) {
            let mut next = String::new();
            // An opening bracket goes over with what it opens.
            if let Some(open) = current.chars().last().filter(|o| "（《「『“‘".contains(*o))
            {
                current.pop();
                next.push(open);
            }
            lines.push(std::mem::replace(&mut current, next));
            used = current.width();
        }
        current.push(c);
        used += w;
    }
    lines.push(current);
    lines.join("\n")
}

/// The issuer's mark as large as fits on one line, up to 48 pt, in half points.
fn mark_size(runs: &[Run]) -> u32 {
    let half_chars: usize = runs.iter().map(|r| r.text.width()).sum();
    // Nine tenths of the width, for the spacing between characters.
    let fits = (TEXT_WIDTH as usize * 9 / 10) / half_chars.max(1) / 5;
    (fits as u32).clamp(TITLE_SIZE, 96)
}

/// A run of text with its properties; tabs and line breaks as Word writes them.
fn run(text: &str, rpr: &str) -> String {
    let mut xml = String::from("<w:r>");
    if !rpr.is_empty() {
        xml.push_str(&format!("<w:rPr>{rpr}</w:rPr>"));
    }
    let mut piece = String::new();
    let flush = |piece: &mut String, xml: &mut String| {
        if !piece.is_empty() {
            xml.push_str(&format!(
                r#"<w:t xml:space="preserve">{}</w:t>"#,
                escape(piece)
            ));
            piece.clear();
        }
    };
    for c in text.chars() {
        match c {
            '\t' => {
                flush(&mut piece, &mut xml);
                xml.push_str("<w:tab/>");
            }
            '\n' => {
                flush(&mut piece, &mut xml);
                xml.push_str("<w:br/>");
            }
            '\r' => {}
            c => piece.push(c),
        }
    }
    flush(&mut piece, &mut xml);
    xml.push_str("</w:r>");
    xml
}

/// The 落款: the date four characters in from the right, the issuer centred over it (moved
/// left only as far as the right edge allows).
fn signature(issuer: &str, date: &str) -> String {
    let date_in = 4 * CHAR;
    let (i, d) = (issuer.width() as i64, date.width() as i64);
    // Half the difference of the widths, in half characters over two: quarters of CHAR.
    let issuer_in = (i64::from(date_in) + (d - i) * i64::from(CHAR) / 4).max(0);
    let date_in = i64::from(date_in).max((i - d) * i64::from(CHAR) / 4);
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="Signature"/><w:ind w:right="{issuer_in}"/></w:pPr>{}</w:p><w:p><w:pPr><w:pStyle w:val="SignatureDate"/><w:ind w:right="{date_in}"/></w:pPr>{}</w:p>"#,
        run(issuer, ""),
        run(date, ""),
    )
}

/// The 版记's line: the issuer one character in from the left, the day of issue one character
/// in from the right, a rule above and below; in a frame at the foot of the last page.
fn record(issuer: &str, issued: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="Record"/><w:framePr w:w="{TEXT_WIDTH}" w:wrap="notBeside" w:vAnchor="margin" w:hAnchor="margin" w:xAlign="center" w:yAlign="bottom"/></w:pPr>{}</w:p>"#,
        run(&format!("\t{issuer}\t{issued}"), "")
    )
}

fn table(t: &Table) -> String {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let mut widths: Vec<u32> = t.widths.iter().map(|w| w * TEXT_WIDTH / total).collect();
    if let Some(last) = widths.last_mut() {
        *last += TEXT_WIDTH - t.widths.iter().map(|w| w * TEXT_WIDTH / total).sum::<u32>();
    }
    let border =
        |side: &str| format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#);
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .map(border)
        .concat();
    let mut xml = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
    );
    for w in &widths {
        xml.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    xml.push_str("</w:tblGrid>");
    xml.push_str(&row(&t.header, &widths, true));
    for r in &t.rows {
        xml.push_str(&row(r, &widths, false));
    }
    xml.push_str("</w:tbl>");
    xml
}

fn row(cells: &[String], widths: &[u32], header: bool) -> String {
    let mut xml = String::from("<w:tr><w:trPr><w:cantSplit/>");
    if header {
        xml.push_str("<w:tblHeader/>");
    }
    xml.push_str("</w:trPr>");
    let style = if header { "TableHeading" } else { "TableText" };
    for (cell, w) in cells.iter().zip(widths) {
        xml.push_str(&format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{}</w:p></w:tc>"#,
            run(cell, "")
        ));
    }
    xml.push_str("</w:tr>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_22_lines_of_28_characters() {
        assert_eq!((TOP, BOTTOM, LEFT, RIGHT), (2098, 1984, 1587, 1474));
        assert_eq!(LINE, 579);
        // 28 characters at the grid's pitch fill the 版心's width, to a twip.
        let pitch = f64::from(BODY_SIZE) / 2.0 + CHAR_SPACE as f64 / 4096.0;
        assert!((pitch * 20.0 * 28.0 - f64::from(TEXT_WIDTH)).abs() < 1.0);
    }

    #[test]
    fn content_text_is_escaped_and_freed_of_illegal_characters() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}\u{7}d\u{FFFE}"),
            "a&lt;b &amp; &quot;c&quot;d"
        );
        assert_eq!(
            run("一\t二\n三", ""),
            r#"<w:r><w:t xml:space="preserve">一</w:t><w:tab/><w:t xml:space="preserve">二</w:t><w:br/><w:t xml:space="preserve">三</w:t></w:r>"#
        );
    }

    #[test]
    fn long_titles_break_into_even_lines() {
        let title = "关于蓝口镇专项督查发现问题限期整改的督办通知";
        assert_eq!(
            balanced(title),
            "关于蓝口镇专项督查发现\n问题限期整改的督办通知"
        );
        assert_eq!(balanced("短标题"), "短标题");
        assert_eq!(
            balanced("关于某某某某某某某某某某某（某某某某某）某某某某某某的通知"),
            "关于某某某某某某某某某某某\n（某某某某某）某某某某某某的通知"
        );
        let english = "Supervision notice to Lankou: problems to remedy by a deadline";
        assert_eq!(balanced(english), english);
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let doc = || Document {
            title: "标题".into(),
            author: "机关".into(),
            lang: "zh-CN",
            blocks: vec![Paragraph::new(Style::Body, "正文").into()],
        };
        assert_eq!(write(&doc()).unwrap(), write(&doc()).unwrap());
    }
}
