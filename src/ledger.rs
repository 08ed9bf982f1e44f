//! The rectification ledger (整改台账): the problems towns must put right, each a deduction of
//! a town under a consequence with a deadline (or of every town, with `rectification: all`),
//! with its due date, what the town recorded, and its state as of a day.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::model::{Complete, Deduction, Item, Record, Sheet, TownId};
use crate::score::Ranking;

/// Due within this many days: amber.
pub const AMBER_DAYS: i32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// 未整改
    Open,
    /// 已整改
    Done,
    /// 已销号
    Closed,
}

impl State {
    /// The word data files use: `open`, `done` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Done => "done",
            State::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Not done by its due date.
    Red,
    /// Not done, and due within three days.
    Amber,
    Green,
}

impl Colour {
    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Red => "red",
            Colour::Amber => "amber",
            Colour::Green => "green",
        }
    }
}

/// One problem to put right.
#[derive(Debug, Clone)]
pub struct Problem<'a> {
    pub town: TownId,
    pub item: &'a Item,
    /// Its place among the item's deductions, from 1.
    pub index: u32,
    pub deduction: &'a Deduction,
    pub due: Option<Date>,
    pub record: Option<&'a Record>,
    pub state: State,
    pub colour: Colour,
}

/// Every problem of the campaign, town by town in rank order, then by item and deduction,
/// with its state as of `as_of` (no day: nothing is overdue).
pub fn problems<'a>(
    model: Complete<'a>,
    ranking: &Ranking,
    as_of: Option<Date>,
) -> Vec<Problem<'a>> {
    let (campaign, rubric) = (model.campaign, model.rubric);
    let deadline = campaign.review_deadline.as_ref().map(|d| d.value);
    let first_days = campaign
        .consequences
        .iter()
        .find_map(|c| c.deadline_days.as_ref().map(|d| d.value));
    let records: HashMap<(&str, &str, u32), &Record> = model
        .rectification
        .iter()
        .flat_map(|r| {
            r.records.iter().map(move |rec| {
                (
                    (
                        r.town.value.as_str(),
                        rec.item.value.as_str(),
                        rec.deduction.value,
                    ),
                    rec,
                )
            })
        })
        .collect();
    let towns = model.towns;
    let mut out = Vec::new();
    for score in &ranking.towns {
        let Some(sheet) = score.sheet.and_then(|s| model.sheets.get(s.index())) else {
            continue;
        };
        let Some(town) = towns.get(score.town.index()) else {
            continue;
        };
        // The shortest deadline of the consequences that apply; with `rectification: all`,
        // the campaign's first deadline for the others.
        let days = score
            .consequences
            .iter()
            .filter_map(|c| campaign.consequences.get(c.index()))
            .filter_map(|c| c.deadline_days.as_ref().map(|d| d.value))
            .min()
            .or(first_days.filter(|_| campaign.rectify_all));
        let applies = days.is_some() || campaign.rectify_all;
        if !applies {
            continue;
        }
        let due = deadline.zip(days).and_then(|(d, n)| {
            d.checked_add(jiff::Span::new().try_days(i64::from(n)).ok()?)
                .ok()
        });
        for (item, deduction, index) in deductions(sheet, rubric.items()) {
            let record = records
                .get(&(town.slug.value.as_str(), item.id.value.as_str(), index))
                .copied();
            let state = match record {
                Some(r) if r.closed.is_some() => State::Closed,
                Some(r) if r.done.is_some() => State::Done,
                _ => State::Open,
            };
            let colour = match (state, due, as_of) {
                (State::Open, Some(due), Some(today)) if today > due => Colour::Red,
                (State::Open, Some(due), Some(today)) if (due - today).get_days() <= AMBER_DAYS => {
                    Colour::Amber
                }
                _ => Colour::Green,
            };
            out.push(Problem {
                town: score.town,
                item,
                index,
                deduction,
                due,
                record,
                state,
                colour,
            });
        }
    }
    out
}

/// Each deduction of a sheet, with its item and its place among the item's deductions, in
/// rubric order.
pub fn deductions<'a>(
    sheet: &'a Sheet,
    items: impl Iterator<Item = &'a Item>,
) -> Vec<(&'a Item, &'a Deduction, u32)> {
    let entries = sheet.by_item();
    items
        .flat_map(|item| {
            let list = entries
                .get(item.id.value.as_str())
                .map_or(&[][..], |e| e.deductions());
            list.iter()
                .enumerate()
                .map(move |(i, d)| (item, d, i as u32 + 1))
        })
        .collect()
}
