//! Rules on the campaign's set-up: campaign, rubric, towns and groups.

use std::collections::HashMap;

use super::Index;
use crate::diag::{Diagnostic, Span};
use crate::message::{IdKind, Msg};
use crate::model::{Campaign, Content, Person, Points, Rubric, Spanned};

/// Ten years: a rectification deadline beyond that is a slip, and dates stay computable.
pub const MAX_DEADLINE_DAYS: u32 = 3650;

pub fn check(content: &Content, index: &Index, out: &mut Vec<Diagnostic>) {
    if let Some(campaign) = &content.campaign {
        dates(campaign, out);
        if let Some(tz) = &campaign.timezone
            && jiff::tz::TimeZone::get(&tz.value).is_err()
        {
            let msg = Msg::BadTimezone {
                value: tz.value.clone(),
            };
            out.push(Diagnostic::new(msg, tz.span));
        }
        if campaign.step.value.0 <= 0 {
            out.push(Diagnostic::new(Msg::BadStep, campaign.step.span));
        }
        let towns = content.towns.as_ref().map(Vec::len);
        for c in &campaign.consequences {
            if c.bottom.value == 0 {
                out.push(Diagnostic::new(Msg::BottomTooSmall, c.bottom.span));
            } else if let Some(towns) = towns
                && towns > 0
                && c.bottom.value as usize >= towns
            {
                let msg = Msg::BottomTooLarge {
                    bottom: c.bottom.value,
                    towns,
                };
                out.push(Diagnostic::new(msg, c.bottom.span));
            }
            if let Some(days) = &c.deadline_days
                && !(1..=MAX_DEADLINE_DAYS).contains(&days.value)
            {
                let msg = Msg::DeadlineOutOfRange {
                    max: MAX_DEADLINE_DAYS,
                };
                out.push(Diagnostic::new(msg, days.span));
            }
        }
    }
    if let Some(rubric) = &content.rubric {
        rubric_rules(rubric, index.step, content.whole.rubric, out);
        // Each attribute an item depends on needs a name that pages can show.
        let mut named: Vec<&str> = rubric
            .attributes
            .iter()
            .map(|(n, _)| n.value.as_str())
            .collect();
        for item in rubric.items() {
            if let Some(attribute) = &item.assessed_if
                && !named.contains(&attribute.value.as_str())
            {
                named.push(&attribute.value);
                let msg = Msg::UnlabelledAttribute {
                    attribute: attribute.value.clone(),
                };
                out.push(Diagnostic::new(msg, attribute.span));
            }
        }
        if let Some(towns) = &content.towns {
            for item in rubric.items() {
                let Some(attribute) = &item.assessed_if else {
                    continue;
                };
                for town in towns {
                    if town.attribute(&attribute.value).is_none() {
                        let msg = Msg::UnknownAttribute {
                            town: town.name.value.clone(),
                            attribute: attribute.value.clone(),
                            item: item.id.value.clone(),
                        };
                        out.push(Diagnostic::new(msg, town.span));
                    }
                }
            }
        }
    }
    if let Some(towns) = &content.towns {
        unique(towns.iter().map(|t| &t.slug), IdKind::TownSlug, out);
        unique(towns.iter().map(|t| &t.name), IdKind::TownName, out);
    }
    if let Some(groups) = &content.groups {
        unique(groups.iter().map(|g| &g.id), IdKind::Group, out);
        let mut assigned: HashMap<&str, &str> = HashMap::new();
        for group in groups {
            for slug in &group.towns {
                if content.whole.towns && !index.towns.contains_key(slug.value.as_str()) {
                    let msg = Msg::UnknownTown {
                        slug: slug.value.clone(),
                    };
                    out.push(Diagnostic::new(msg, slug.span));
                    continue;
                }
                let name = index
                    .towns
                    .get(slug.value.as_str())
                    .map_or(slug.value.clone(), |t| t.name.value.clone());
                match assigned.get(slug.value.as_str()) {
                    Some(first) => {
                        let msg = Msg::TownInTwoGroups {
                            town: name,
                            first: first.to_string(),
                            second: group.name.clone(),
                        };
                        out.push(Diagnostic::new(msg, slug.span));
                    }
                    None => {
                        assigned.insert(slug.value.as_str(), group.name.as_str());
                    }
                }
            }
        }
        for town in content.towns.iter().flatten() {
            if content.whole.groups && !assigned.contains_key(town.slug.value.as_str()) {
                let msg = Msg::TownWithoutGroup {
                    town: town.name.value.clone(),
                };
                out.push(Diagnostic::new(msg, town.slug.span));
            }
        }
    }
    emails(content, out);
}

fn dates(campaign: &Campaign, out: &mut Vec<Diagnostic>) {
    let (start, end) = match &campaign.inspection {
        Some((s, e)) => (Some(s), Some(e)),
        None => (None, None),
    };
    let order = [
        ("issued", campaign.issued.as_ref()),
        ("inspection.start", start),
        ("inspection.end", end),
        ("review_deadline", campaign.review_deadline.as_ref()),
    ];
    for (i, (earlier, a)) in order.iter().enumerate() {
        for (later, b) in &order[i + 1..] {
            if let (Some(a), Some(b)) = (a, b)
                && b.value < a.value
            {
                let msg = Msg::DateOrder {
                    earlier,
                    earlier_date: a.value.to_string(),
                    later,
                    later_date: b.value.to_string(),
                };
                out.push(Diagnostic::new(msg, b.span));
            }
        }
    }
}

fn rubric_rules(rubric: &Rubric, step: Option<Points>, whole: bool, out: &mut Vec<Diagnostic>) {
    let on_step = |points: &Spanned<Points>, out: &mut Vec<Diagnostic>| {
        let bad = points.value.0 <= 0 || step.is_some_and(|s| !points.value.is_multiple_of(s));
        if bad {
            let msg = Msg::PointsOffStep {
                points: points.value,
                step: step.unwrap_or(Points(1)),
            };
            out.push(Diagnostic::new(msg, points.span));
        }
    };
    on_step(&rubric.total, out);
    unique(rubric.sections.iter().map(|s| &s.id), IdKind::Section, out);
    unique(rubric.items().map(|i| &i.id), IdKind::Item, out);
    let mut sum = Points::ZERO;
    for item in rubric.items() {
        on_step(&item.points, out);
        sum = sum + item.points.value;
        if item.criteria.is_empty() {
            continue;
        }
        unique(item.criteria.iter().map(|c| &c.id), IdKind::Criterion, out);
        let mut criteria = Points::ZERO;
        for c in &item.criteria {
            on_step(&c.points, out);
            criteria = criteria + c.points.value;
        }
        if criteria != item.points.value {
            let msg = Msg::CriteriaTotal {
                item: item.id.value.clone(),
                sum: criteria,
                points: item.points.value,
            };
            out.push(Diagnostic::new(msg, item.points.span));
        }
    }
    // An item that failed to load would make the sum wrong; it is reported already.
    if whole && sum != rubric.total.value {
        let msg = Msg::RubricTotal {
            sum,
            total: rubric.total.value,
        };
        out.push(Diagnostic::new(msg, rubric.total.span));
    }
}

fn unique<'a>(
    ids: impl Iterator<Item = &'a Spanned<String>>,
    kind: IdKind,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.value.as_str()) {
            let msg = Msg::DuplicateId {
                kind,
                id: id.value.clone(),
                first_line: first.line,
            };
            out.push(Diagnostic::new(msg, id.span));
        } else {
            seen.insert(&id.value, id.span);
        }
    }
}

/// Git e-mails identify people in the audit trail: well-formed, and one person each.
fn emails(content: &Content, out: &mut Vec<Diagnostic>) {
    let office = content.campaign.iter().flat_map(|c| c.office.iter());
    let groups = content.groups.iter().flatten().flat_map(|g| {
        g.liaison
            .iter()
            .chain(g.inspectors())
            .chain(g.contact.iter())
    });
    let mut owners: HashMap<String, (&str, Span)> = HashMap::new();
    for person in office.chain(groups) {
        let Some(git) = &person.git else { continue };
        if !looks_like_email(&git.value) {
            let msg = Msg::BadEmail {
                value: git.value.clone(),
            };
            out.push(Diagnostic::new(msg, git.span));
            continue;
        }
        let key = git.value.to_lowercase();
        match owners.get(&key) {
            Some((name, first)) if *name != person.name.value => {
                let msg = Msg::DuplicateEmail {
                    value: git.value.clone(),
                    first_line: first.line,
                };
                out.push(Diagnostic::new(msg, git.span));
            }
            Some(_) => {}
            None => {
                owners.insert(key, (name_of(person), git.span));
            }
        }
    }
}

fn name_of(person: &Person) -> &str {
    &person.name.value
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && !host.is_empty()
                && !host.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}
