//! Rules on score sheets: which towns they cover, who signed them, and every score in them.

use std::collections::{HashMap, HashSet};

use super::{Evidence, Index};
use crate::diag::{Diagnostic, FileId};
use crate::message::Msg;
use crate::model::{
    Campaign, Content, Deletion, Entry, Group, Item, Points, Rubric, Sheet, Spanned, Status, Town,
};

pub fn check(
    content: &Content,
    index: &Index,
    evidence: &dyn Fn(&str) -> Evidence,
    deleted: &dyn Fn(&str) -> Option<Deletion>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first_sheet: HashMap<&str, FileId> = HashMap::new();
    for sheet in &content.sheets {
        let town = index.towns.get(sheet.town.value.as_str()).copied();
        if content.whole.towns && town.is_none() {
            let msg = Msg::UnknownTown {
                slug: sheet.town.value.clone(),
            };
            out.push(Diagnostic::new(msg, sheet.town.span));
        }
        if let Some(town) = town {
            if let Some(first) = first_sheet.get(town.slug.value.as_str()) {
                let msg = Msg::DuplicateSheet {
                    town: town.name.value.clone(),
                    first: format!("sheets/{}.yaml", stem_of(content, *first)),
                };
                out.push(Diagnostic::new(msg, sheet.town.span));
            } else {
                first_sheet.insert(&town.slug.value, sheet.file);
            }
            if sheet.stem != town.slug.value {
                let msg = Msg::SheetFileName {
                    slug: town.slug.value.clone(),
                };
                out.push(Diagnostic::new(msg, sheet.town.span));
            }
        }
        let group = group_rules(sheet, town, index, content.whole.groups, out);
        if let Some(campaign) = &content.campaign {
            date_rules(sheet, campaign, out);
        }
        signoff_rules(sheet, group, out);
        evidence_rules(sheet.paths(), evidence, out);
        if let Some(rubric) = &content.rubric {
            score_rules(sheet, rubric, content.whole.rubric, town, index.step, out);
        }
    }
    for town in content.towns.iter().flatten() {
        let unreadable = content.unreadable_sheets.contains(&town.slug.value);
        if !first_sheet.contains_key(town.slug.value.as_str()) && !unreadable {
            let msg = Msg::MissingSheet {
                town: town.name.value.clone(),
                slug: town.slug.value.clone(),
                deleted: deleted(&town.slug.value),
            };
            out.push(Diagnostic::new(msg, town.slug.span));
        }
    }
}

/// Every linked file must be a regular, visible file inside the repository.
pub fn evidence_rules<'p>(
    paths: impl IntoIterator<Item = &'p Spanned<String>>,
    evidence: &dyn Fn(&str) -> Evidence,
    out: &mut Vec<Diagnostic>,
) {
    for path in paths {
        let written = path.value.clone();
        let msg = match evidence(&path.value) {
            Evidence::Present { .. } => continue,
            Evidence::Missing => Msg::EvidenceMissing { path: written },
            Evidence::NotAFile => Msg::EvidenceNotAFile { path: written },
            Evidence::Outside => Msg::EvidenceOutside { path: written },
            Evidence::Hidden => Msg::EvidenceHidden { path: written },
        };
        out.push(Diagnostic::new(msg, path.span));
    }
}

fn stem_of(content: &Content, file: FileId) -> &str {
    content
        .sheets
        .iter()
        .find(|s| s.file == file)
        .map_or("", |s| s.stem.as_str())
}

fn group_rules<'a>(
    sheet: &Sheet,
    town: Option<&Town>,
    index: &Index<'a>,
    groups_loaded: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<&'a Group> {
    // The sign-off is checked against the group the town belongs to, whatever the sheet says.
    let assigned = town.and_then(|t| index.group_of.get(t.slug.value.as_str()).copied());
    let given = sheet.group.as_ref()?;
    let Some(group) = index.groups.get(given.value.as_str()).copied() else {
        if groups_loaded {
            let msg = Msg::UnknownGroup {
                group: given.value.clone(),
            };
            out.push(Diagnostic::new(msg, given.span));
        }
        return assigned;
    };
    if let Some(town) = town
        && let Some(assigned) = assigned
        && assigned.id.value != group.id.value
        && groups_loaded
    {
        let msg = Msg::WrongGroup {
            group: group.id.value.clone(),
            expected: assigned.id.value.clone(),
            town: town.name.value.clone(),
        };
        out.push(Diagnostic::new(msg, given.span));
    }
    assigned.or(Some(group))
}

fn date_rules(sheet: &Sheet, campaign: &Campaign, out: &mut Vec<Diagnostic>) {
    if let Some((start, end)) = &campaign.inspection {
        for date in &sheet.visited {
            if date.value < start.value || date.value > end.value {
                let msg = Msg::VisitOutsideWindow {
                    date: date.value.to_string(),
                    start: start.value.to_string(),
                    end: end.value.to_string(),
                };
                out.push(Diagnostic::new(msg, date.span));
            }
        }
    }
    if sheet.status.value == Status::Final && sheet.visited.is_empty() && sheet.visited_read {
        out.push(Diagnostic::new(Msg::NoVisit, sheet.status.span));
    }
    let Some(date) = sheet.signoff.as_ref().and_then(|s| s.date.as_ref()) else {
        return;
    };
    if let Some(last) = sheet.visited.iter().map(|d| d.value).max()
        && date.value < last
    {
        let msg = Msg::SignoffBeforeVisit {
            date: date.value.to_string(),
            last: last.to_string(),
        };
        out.push(Diagnostic::new(msg, date.span));
    }
    if let Some(deadline) = &campaign.review_deadline
        && date.value > deadline.value
    {
        let msg = Msg::SignoffAfterDeadline {
            date: date.value.to_string(),
            deadline: deadline.value.to_string(),
        };
        out.push(Diagnostic::new(msg, date.span));
    }
}

fn signoff_rules(sheet: &Sheet, group: Option<&Group>, out: &mut Vec<Diagnostic>) {
    let Some(signoff) = &sheet.signoff else {
        if sheet.status.value == Status::Final {
            out.push(Diagnostic::new(Msg::FinalWithoutSignoff, sheet.status.span));
        }
        return;
    };
    let Some(group) = group else { return };
    if signoff.leader.value != group.leader.name.value {
        let msg = Msg::SignoffNotLeader {
            name: signoff.leader.value.clone(),
            leader: group.leader.name.value.clone(),
        };
        out.push(Diagnostic::new(msg, signoff.leader.span));
    }
    for member in &signoff.members {
        let known = group.inspectors().any(|p| p.name.value == member.value);
        if !known {
            let msg = Msg::SignoffNotMember {
                name: member.value.clone(),
                group: group.name.clone(),
            };
            out.push(Diagnostic::new(msg, member.span));
        }
    }
}

fn score_rules(
    sheet: &Sheet,
    rubric: &Rubric,
    whole: bool,
    town: Option<&Town>,
    step: Option<Points>,
    out: &mut Vec<Diagnostic>,
) {
    let items: HashMap<&str, &Item> = rubric.items().map(|i| (i.id.value.as_str(), i)).collect();
    let mut present = HashSet::new();
    for entry in &sheet.entries {
        present.insert(entry.item.value.as_str());
        let Some(item) = items.get(entry.item.value.as_str()) else {
            if whole {
                let msg = Msg::UnknownItem {
                    item: entry.item.value.clone(),
                };
                out.push(Diagnostic::new(msg, entry.item.span));
            }
            continue;
        };
        if entry.complete {
            let draft = sheet.status.value == Status::Draft;
            entry_rules(entry, item, town, step, draft, out);
        }
    }
    for item in rubric.items() {
        if whole && !present.contains(item.id.value.as_str()) {
            let msg = Msg::MissingItem {
                item: item.id.value.clone(),
            };
            out.push(Diagnostic::new(msg, sheet.scores_span));
        }
    }
    // With nothing assessed there is nothing to rescale: 0 ÷ 0 is no score.
    let entries = sheet.by_item();
    let nothing_assessed = whole
        && sheet.status.value == Status::Final
        && rubric.items().all(|i| {
            entries
                .get(i.id.value.as_str())
                .is_some_and(|e| e.not_assessed.is_some())
        });
    if nothing_assessed {
        out.push(Diagnostic::new(Msg::NothingAssessed, sheet.scores_span));
    }
}

/// Whether the town's attributes take the item out of assessment (不考核).
pub fn excluded(item: &Item, town: &Town) -> Option<bool> {
    let attribute = item.assessed_if.as_ref()?;
    let value = town.attribute(&attribute.value)?;
    Some(!value.value.allows_assessment())
}

fn entry_rules(
    entry: &Entry,
    item: &Item,
    town: Option<&Town>,
    step: Option<Points>,
    draft: bool,
    out: &mut Vec<Diagnostic>,
) {
    let id = || item.id.value.clone();
    let push = |out: &mut Vec<Diagnostic>, msg: Msg, span| out.push(Diagnostic::new(msg, span));
    let scored = entry.score.is_some() || entry.deductions.is_some();
    let forms = [
        scored,
        entry.criteria.is_some(),
        entry.not_assessed.is_some(),
    ];
    match forms.iter().filter(|f| **f).count() {
        0 if draft => return push(out, Msg::NotYetScored { item: id() }, entry.span),
        0 => return push(out, Msg::EntryEmpty { item: id() }, entry.span),
        1 => {}
        _ => return push(out, Msg::EntryConflict { item: id() }, entry.span),
    }
    let exclusion = town.and_then(|t| excluded(item, t));
    if let Some(reason) = &entry.not_assessed {
        let allowed = match &item.assessed_if {
            None => false,
            Some(_) => exclusion != Some(false),
        };
        if !allowed {
            let msg = Msg::NotAssessedNotAllowed {
                item: id(),
                attribute: item.assessed_if.as_ref().map(|a| a.value.clone()),
                town: town.map_or_else(String::new, |t| t.name.value.clone()),
            };
            push(out, msg, reason.span);
        }
        return;
    }
    if exclusion == Some(true)
        && let (Some(town), Some(attribute)) = (town, &item.assessed_if)
    {
        let msg = Msg::NotAssessedRequired {
            item: id(),
            attribute: attribute.value.clone(),
            town: town.name.value.clone(),
        };
        push(out, msg, entry.item.span);
    }
    if let Some(criteria) = &entry.criteria {
        if item.criteria.is_empty() {
            return push(out, Msg::CriteriaOnPlainItem { item: id() }, entry.span);
        }
        for (cid, value) in criteria {
            match item.criteria.iter().find(|c| c.id.value == cid.value) {
                Some(c) => range(value, c.points.value, &id(), Some(&c.id.value), step, out),
                None => {
                    let msg = Msg::UnknownCriterion {
                        item: id(),
                        criterion: cid.value.clone(),
                    };
                    push(out, msg, cid.span);
                }
            }
        }
        for c in &item.criteria {
            if !criteria.iter().any(|(cid, _)| cid.value == c.id.value) {
                let msg = Msg::MissingCriterion {
                    item: id(),
                    criterion: c.id.value.clone(),
                };
                push(out, msg, entry.span);
            }
        }
        return;
    }
    if let Some(score) = &entry.score {
        range(score, item.points.value, &id(), None, step, out);
    }
    let Some(deductions) = &entry.deductions else {
        return;
    };
    let mut deducted = Points::ZERO;
    for d in deductions {
        deducted = deducted + d.points.value;
        if d.points.value.0 < 0 {
            push(
                out,
                Msg::ScoreBelowZero {
                    value: d.points.value,
                },
                d.points.span,
            );
        } else if let Some(step) = step
            && !d.points.value.is_multiple_of(step)
        {
            let msg = Msg::ScoreOffStep {
                value: d.points.value,
                step,
            };
            push(out, msg, d.points.span);
        }
        if d.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
            let span = d.reason.as_ref().map_or(d.span, |r| r.span);
            push(out, Msg::DeductionWithoutReason { item: id() }, span);
        }
    }
    let points = item.points.value;
    if deducted > points {
        let msg = Msg::DeductionsExceedPoints {
            item: id(),
            deducted,
            points,
        };
        push(out, msg, entry.item.span);
    }
    let expected = if deducted > points {
        Points::ZERO
    } else {
        points - deducted
    };
    if let Some(score) = &entry.score
        && score.value != expected
    {
        let msg = Msg::ScoreDeductionsDisagree {
            score: score.value,
            expected,
            points,
            deducted,
        };
        push(out, msg, score.span);
    }
}

fn range(
    value: &Spanned<Points>,
    points: Points,
    item: &str,
    criterion: Option<&str>,
    step: Option<Points>,
    out: &mut Vec<Diagnostic>,
) {
    let msg = if value.value.0 < 0 {
        Msg::ScoreBelowZero { value: value.value }
    } else if value.value > points {
        Msg::ScoreAbovePoints {
            value: value.value,
            item: item.to_string(),
            criterion: criterion.map(str::to_string),
            points,
        }
    } else if let Some(step) = step
        && !value.value.is_multiple_of(step)
    {
        Msg::ScoreOffStep {
            value: value.value,
            step,
        }
    } else {
        return;
    };
    out.push(Diagnostic::new(msg, value.span));
}
