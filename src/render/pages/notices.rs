//! The circular (通报) and the supervision notices (专项督办通知) of `notices/`, each laid out
//! as an official document: 发文字号, title, 主送, a body numbered 一、（一）1., 落款 and 成文日期.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ledger::Colour;
use crate::model::{
    AdjustmentKind, ConsequenceId, Entry, Item, Lang, Occurrence, Points, Sheet, entries_by_item,
};
use crate::render::docx::{Block, Document, Face, Paragraph, Run, Style, Table};
use crate::render::evidence::Links;
use crate::render::gongwen;
use crate::render::layout::{Common, TownLink};
use crate::render::pages::rectification::ProblemRow;
use crate::render::rows::RankRow;
use crate::render::shared::Site;
use crate::render::urls;
use crate::score::{ItemScore, TownScore};

#[derive(Serialize)]
pub struct NoticesPage<'s> {
    common: Common<'s>,
    /// 成文日期, written out.
    date: Option<String>,
    circular: Circular,
    rows: Vec<&'s RankRow<'s>>,
    /// True when the campaign ranks within classes: the ranking has a class column.
    by_class: bool,
    bands: Vec<Band<'s>>,
    notices: Vec<SupervisionNotice<'s>>,
    /// The problems not put right by their due date, and the towns with most of them.
    overdue: Vec<ProblemRow<'s>>,
    /// How many are overdue in all; the page lists the first `OVERDUE_LISTED`.
    overdue_total: usize,
    overdue_shown: usize,
    overdue_towns: Vec<(TownLink<'s>, usize)>,
}

#[derive(Serialize)]
struct Circular {
    number: String,
    title: String,
    /// 一、督查基本情况: who inspected how many towns, when.
    basics: String,
    /// The circular as a Word document, from the page.
    document: String,
}

#[derive(Serialize)]
struct Band<'a> {
    /// （一）, （二）, … under 三、结果运用.
    label: String,
    /// Which towns the band names: （一）综合评分倒数3名的乡镇：
    heading: String,
    /// The towns, each with its class when the campaign ranks within classes.
    towns: Vec<String>,
    actions: &'a [String],
}

#[derive(Serialize)]
struct SupervisionNotice<'a> {
    number: String,
    title: String,
    town: TownLink<'a>,
    intro: String,
    problems: Vec<Problem>,
    /// 二、整改要求, when the consequence sets a deadline.
    deadline: Option<String>,
    /// The notice as a Word document, from the page.
    document: String,
}

#[derive(Serialize)]
struct Problem {
    /// （一）, （二）, …
    label: String,
    /// The item and what it lost: 实际减贫人口的真实情况（第1项，失2分）.
    heading: String,
    reasons: Vec<String>,
}

pub fn view<'s>(site: &'s Site) -> NoticesPage<'s> {
    let campaign = site.model.campaign;
    let lang = site.lang;
    let text = &site.text;
    let date = campaign
        .review_deadline
        .as_ref()
        .map(|d| d.value)
        .or(campaign.inspection.as_ref().map(|(_, e)| e.value));
    let title = gongwen::tidy(site.campaign.title, lang);
    let issuer = gongwen::tidy(site.campaign.issuer, lang);
    // The office's registry gives the numbers; without one, a blank to fill in by hand.
    let number = |n: u32| match &campaign.notice_number {
        Some(numbers) => text["notice_number"]
            .replace("{prefix}", &numbers.prefix)
            .replace("{n}", &(numbers.first + n).to_string()),
        None => text["notice_number_blank"].replace(
            "{year}",
            &date.map_or(String::new(), |d| d.year().to_string()),
        ),
    };
    let by_class = !site.ranking.classes.is_empty();
    let links = Links::new(site.evidence, 1).published(site.model.campaign.publish_evidence);
    let overdue: Vec<ProblemRow> = site
        .problems
        .iter()
        .filter(|p| p.colour == Colour::Red)
        .take(OVERDUE_LISTED)
        .map(|p| ProblemRow::new(site, p, &links))
        .collect();
    let mut bands = Vec::new();
    let mut notices = Vec::new();
    for (i, consequence) in campaign.consequences.iter().enumerate() {
        let id = ConsequenceId::at(i);
        let flagged: Vec<&TownScore> = site
            .ranking
            .ranked()
            .filter(|t| t.consequences.contains(&id))
            .collect();
        let days = consequence.deadline_days.as_ref().map(|d| d.value);
        bands.push(Band {
            label: gongwen::sub_label(i + 1, lang),
            heading: text[match (by_class, consequence.rounds() > 1) {
                (false, false) => "circular_bottom",
                (true, false) => "circular_bottom_class",
                (false, true) => "circular_bottom_rounds",
                (true, true) => "circular_bottom_class_rounds",
            }]
            .replace("{label}", &gongwen::sub_label(i + 1, lang))
            .replace("{n}", &consequence.bottom.value.to_string())
            .replace("{r}", &consequence.rounds().to_string()),
            towns: flagged
                .iter()
                .map(|t| {
                    let name = &site.town(t).name.value;
                    match site.class(t) {
                        Some(class) => text["town_in_class"]
                            .replace("{town}", name)
                            .replace("{class}", class),
                        None => name.clone(),
                    }
                })
                .collect(),
            actions: &consequence.actions,
        });
        let deadline = date.zip(days).and_then(|(d, n)| {
            let span = jiff::Span::new().try_days(i64::from(n)).ok()?;
            let by = d.checked_add(span).ok()?;
            Some(
                text["deadline_text"]
                    .replace("{date}", &gongwen::date(by, lang))
                    .replace("{days}", &n.to_string())
                    .replace("{issuer}", &issuer),
            )
        });
        // An escalation over several rounds (约谈) is done in person; it is a notice only when it
        // sets a deadline.
        if consequence.rounds() > 1 && days.is_none() {
            continue;
        }
        // A bundle has its own towns' notices only.
        for town in flagged
            .into_iter()
            .filter(|t| site.shows(&site.town(t).slug.value))
        {
            let sheet = site.sheet(town);
            let name = &site.town(town).name.value;
            notices.push(SupervisionNotice {
                number: number(1 + notices.len() as u32),
                title: text["supervision_title"].replace("{town}", name),
                town: TownLink::new(site.town(town)),
                intro: text[match site.class(town) {
                    Some(_) => "supervision_intro_class",
                    None => "supervision_intro",
                }]
                .replace("{class}", site.class(town).unwrap_or_default())
                .replace("{title}", &title)
                .replace("{total}", &town.total.fixed(2))
                .replace("{rank}", &town.rank.unwrap_or_default().to_string())
                .replace("{n}", &consequence.bottom.value.to_string()),
                problems: problems(site, town, sheet),
                deadline: deadline.clone(),
                document: format!(
                    "{}{}",
                    urls::root(1),
                    urls::supervision_docx(&site.town(town).slug.value)
                ),
            });
        }
    }
    let inspection = campaign.inspection.as_ref();
    let basics = text["circular_basics"]
        .replace("{title}", &title)
        .replace("{n}", &site.model.towns.len().to_string())
        .replace(
            "{start}",
            &inspection.map_or(String::new(), |(s, _)| gongwen::date(s.value, lang)),
        )
        .replace(
            "{end}",
            &inspection.map_or(String::new(), |(_, e)| gongwen::date(e.value, lang)),
        );
    NoticesPage {
        common: site.common(1, "notices"),
        date: date.map(|d| gongwen::date(d, lang)),
        circular: Circular {
            number: number(0),
            title: text["circular_title"].replace("{title}", &title),
            basics,
            document: format!("{}{}", urls::root(1), urls::CIRCULAR_DOCX),
        },
        rows: site.rows.iter().filter(|r| r.rank.is_some()).collect(),
        by_class,
        overdue_shown: overdue.len(),
        overdue,
        overdue_total: site
            .problems
            .iter()
            .filter(|p| p.colour == Colour::Red)
            .count(),
        overdue_towns: overdue_towns(site),
        bands,
        notices,
    }
}

/// What a town lost points on, each with what it was told: its vetoes first, then the items
/// in rubric order, then the penalties outside the rubric.
fn problems(site: &Site, score: &TownScore, sheet: Option<&Sheet>) -> Vec<Problem> {
    let lang = site.lang;
    let text = &site.text;
    let rubric = site.model.rubric;
    let told = |o: &Occurrence| {
        o.reason
            .iter()
            .map(|r| gongwen::tidy(r.value.trim(), lang))
            .collect::<Vec<_>>()
    };
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for rule in &rubric.vetoes {
        if let Some(o) = sheet.and_then(|s| s.vetoed(&rule.id.value)) {
            let heading = text["problem_veto"].replace("{text}", &gongwen::tidy(&rule.text, lang));
            found.push((heading, told(o)));
        }
    }
    let entries = entries_by_item(sheet);
    for item in rubric.items() {
        let Some(&ItemScore::Scored(p)) = score.item(item.key) else {
            continue;
        };
        let lost = item.points.value - p;
        if lost <= Points::ZERO {
            continue;
        }
        let entry = entries.get(item.id.value.as_str());
        let heading = text["problem"]
            .replace("{indicator}", &gongwen::tidy(item.indicator.trim(), lang))
            .replace("{item}", &item.id.value)
            .replace("{lost}", &lost.to_string());
        let reasons = entry
            .map(|e| reasons(item, e, text, lang))
            .unwrap_or_default();
        found.push((heading, reasons));
    }
    for rule in &rubric.adjustments {
        if rule.kind != AdjustmentKind::Penalty {
            continue;
        }
        if let Some(list) = sheet.and_then(|s| s.adjusted(&rule.id.value)) {
            let heading = text["problem_penalty"]
                .replace("{text}", &gongwen::tidy(&rule.text, lang))
                .replace("{lost}", &rule.points(list.len()).to_string());
            found.push((heading, list.iter().flat_map(told).collect()));
        }
    }
    found
        .into_iter()
        .enumerate()
        .map(|(i, (heading, reasons))| Problem {
            label: gongwen::sub_label(i + 1, lang),
            heading,
            reasons,
        })
        .collect()
}

/// What a town was told about its lost points: deduction reasons, criteria short of full,
/// or the evidence note.
fn reasons(item: &Item, entry: &Entry, text: &BTreeMap<&str, &str>, lang: Lang) -> Vec<String> {
    let lost = |reason: &str, points: Points| {
        text["reason_lost"]
            .replace("{reason}", &gongwen::tidy(reason.trim(), lang))
            .replace("{points}", &points.to_string())
    };
    let mut out: Vec<String> = entry
        .deductions()
        .iter()
        .filter_map(|d| d.reason.as_ref().map(|r| lost(&r.value, d.points.value)))
        .collect();
    for (id, value) in entry.criteria.iter().flatten() {
        if let Some(c) = item.criteria.iter().find(|c| c.id.value == id.value)
            && value.value < c.points.value
        {
            out.push(lost(&c.text, c.points.value - value.value));
        }
    }
    if out.is_empty()
        && let Some(note) = &entry.note
    {
        out.push(gongwen::tidy(note.trim(), lang));
    }
    out
}

/// The most problems overdue the notices page lists; the ledger has them all.
const OVERDUE_LISTED: usize = 2000;

/// The towns with problems overdue, most first (ties in rank order); at most ten.
fn overdue_towns<'s>(site: &'s Site) -> Vec<(TownLink<'s>, usize)> {
    let mut counts: Vec<(TownLink, usize, usize)> = Vec::new();
    for (order, score) in site.ranking.towns.iter().enumerate() {
        let n = site
            .problems_of(score)
            .iter()
            .filter(|p| p.colour == Colour::Red)
            .count();
        if n > 0 {
            counts.push((TownLink::new(site.town(score)), n, order));
        }
    }
    counts.sort_by_key(|(_, n, order)| (std::cmp::Reverse(*n), *order));
    counts
        .into_iter()
        .take(10)
        .map(|(t, n, _)| (t, n))
        .collect()
}

/// The circular and each supervision notice as Word documents with the page's text: where
/// each goes in the site, and the document.
pub fn documents(site: &Site) -> Vec<(String, Document)> {
    let page = view(site);
    let mut out = vec![(urls::CIRCULAR_DOCX.to_string(), circular(site, &page))];
    for notice in &page.notices {
        out.push((
            urls::supervision_docx(notice.town.slug),
            supervision(site, &page, notice),
        ));
    }
    out
}

/// The circular: the ranking goes into its attachment, and 三、结果运用 only when the ranking
/// is complete.
fn circular(site: &Site, page: &NoticesPage) -> Document {
    let text = &site.text;
    let c = &page.circular;
    let mut blocks = head(site, &c.number, &c.title);
    blocks.extend([
        Paragraph::new(Style::Addressee, text["circular_to"]).into(),
        Paragraph::new(Style::Heading, text["circular_basics_heading"]).into(),
        Paragraph::new(Style::Body, &c.basics).into(),
        Paragraph::new(Style::Heading, text["circular_ranking_heading"]).into(),
        Paragraph::new(Style::Body, text["circular_intro_attached"]).into(),
    ]);
    if !site.ranking.provisional && !page.bands.is_empty() {
        blocks.push(Paragraph::new(Style::Heading, text["circular_use_heading"]).into());
        for band in &page.bands {
            blocks.extend(band_blocks(band, text));
        }
    }
    let attachment = text["attachment_ranking"];
    blocks.extend([
        Paragraph::new(
            Style::AttachmentNote,
            text["attachment_note"].replace("{title}", attachment),
        )
        .into(),
        signature(site, page),
        Block::PageBreak,
        Paragraph::new(Style::AttachmentLabel, text["attachment"]).into(),
        Paragraph::new(Style::AttachmentTitle, attachment).into(),
        Block::Table(ranking_table(page, text)),
        record(site, page),
    ]);
    document(site, &c.title, blocks)
}

/// A band of 三、结果运用: its heading in 楷体, the towns, and what is done to them.
fn band_blocks(band: &Band, text: &BTreeMap<&str, &str>) -> Vec<Block> {
    let mut towns = if band.towns.is_empty() {
        text["none"].to_string()
    } else {
        band.towns.join("、")
    };
    towns.push_str(text["list_end"]);
    let acted = !band.towns.is_empty() && !band.actions.is_empty();
    if acted {
        towns.push_str(text["circular_actions"]);
    }
    let mut blocks = vec![Block::Paragraph(Paragraph {
        style: Style::Body,
        runs: vec![
            Run {
                text: band.heading.clone(),
                face: Face::Kai,
            },
            Run {
                text: towns,
                face: Face::Style,
            },
        ],
    })];
    if acted {
        let last = band.actions.len();
        blocks.extend(band.actions.iter().enumerate().map(|(i, action)| {
            let end = if i + 1 == last {
                text["list_end"]
            } else {
                text["list_sep"]
            };
            Paragraph::new(Style::Body, format!("{}. {action}{end}", i + 1)).into()
        }));
    }
    blocks
}

/// The ranked towns as the page's table shows them.
fn ranking_table(page: &NoticesPage, text: &BTreeMap<&str, &str>) -> Table {
    let mut header = vec![text["rank"], text["town"], text["group"]];
    let mut widths = vec![14, 34, 30];
    if page.by_class {
        header.push(text["class"]);
        widths.push(22);
    }
    header.push(text["total"]);
    widths.push(18);
    let rows = page
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.rank.map_or_else(String::new, |n| n.to_string()),
                r.name.to_string(),
                r.group_name.to_string(),
            ];
            if page.by_class {
                cells.push(r.class.unwrap_or_default().to_string());
            }
            cells.push(r.total.clone());
            cells
        })
        .collect();
    Table {
        widths,
        header: header.into_iter().map(String::from).collect(),
        rows,
    }
}

/// A supervision notice: the problems found, and the deadline when there is one.
fn supervision(site: &Site, page: &NoticesPage, notice: &SupervisionNotice) -> Document {
    let text = &site.text;
    let mut blocks = head(site, &notice.number, &notice.title);
    blocks.extend([
        Paragraph::new(
            Style::Addressee,
            text["supervision_to"].replace("{town}", notice.town.name),
        )
        .into(),
        Paragraph::new(Style::Body, &notice.intro).into(),
        Paragraph::new(Style::Heading, text["problems_heading"]).into(),
    ]);
    for problem in &notice.problems {
        let heading = format!("{}{}", problem.label, problem.heading);
        blocks.push(Paragraph::new(Style::Subheading, heading).into());
        for (i, reason) in problem.reasons.iter().enumerate() {
            blocks.push(Paragraph::new(Style::Body, format!("{}. {reason}", i + 1)).into());
        }
    }
    if let Some(deadline) = &notice.deadline {
        blocks.push(Paragraph::new(Style::Heading, text["deadline_heading"]).into());
        blocks.push(Paragraph::new(Style::Body, deadline).into());
    }
    blocks.extend([signature(site, page), record(site, page)]);
    document(site, &notice.title, blocks)
}

/// 版头: the issuer's mark, the document's number over the red rule, and its title.
fn head(site: &Site, number: &str, title: &str) -> Vec<Block> {
    vec![
        Paragraph::new(Style::IssuerMark, site.campaign.issuer).into(),
        Paragraph::new(Style::Number, number).into(),
        Paragraph::new(Style::Title, title).into(),
    ]
}

/// 落款 and 成文日期.
fn signature(site: &Site, page: &NoticesPage) -> Block {
    Block::Signature {
        issuer: site.campaign.issuer.to_string(),
        date: page.date.clone().unwrap_or_default(),
    }
}

/// 版记: who prints the document, and when.
fn record(site: &Site, page: &NoticesPage) -> Block {
    Block::Record {
        issuer: site.campaign.issuer.to_string(),
        issued: site.text["record_issued"].replace("{date}", page.date.as_deref().unwrap_or("")),
    }
}

fn document(site: &Site, title: &str, blocks: Vec<Block>) -> Document {
    Document {
        title: title.to_string(),
        author: site.campaign.issuer.to_string(),
        lang: match site.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        blocks,
    }
}
