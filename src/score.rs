//! Exact totals, ranks and consequences from checked content.

use std::collections::HashMap;

use crate::model::{
    AdjustmentKind, ClassId, Consequence, ConsequenceId, Content, Entry, Given, GradeId, ItemId,
    ItemIndex, NotAssessedRule, Points, Rubric, Sheet, SheetId, Status, TownId,
};

/// How one item of one town's sheet was scored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemScore {
    Scored(Points),
    NotAssessed,
}

#[derive(Debug, Clone, Hash)]
pub struct SectionScore {
    pub earned: Points,
    /// The section's points less its not-assessed items.
    pub assessed: Points,
}

#[derive(Debug, Clone, Hash)]
pub struct TownScore {
    pub town: TownId,
    /// The town's sheet, when it has one.
    pub sheet: Option<SheetId>,
    pub status: SheetState,
    /// One per rubric item, by the item's place (`item`); empty without a sheet.
    items: Vec<ItemScore>,
    pub sections: Vec<SectionScore>,
    pub earned: Points,
    pub assessed: Points,
    /// The rubric's score: rescaled or not, rounded half-up to two places once.
    pub base: Points,
    /// Added by the rubric's bonus adjustments, each capped.
    pub bonus: Points,
    /// Taken by its penalty adjustments, each capped.
    pub penalty: Points,
    /// The published total: base + bonus − penalty, never below zero.
    pub total: Points,
    /// 一票否决: ranked below every town without a veto, whatever the total.
    pub vetoed: bool,
    /// The grade (等次), for a ranked town when the campaign has grades.
    pub grade: Option<GradeId>,
    /// The town's class (分类考核), when the campaign ranks within classes.
    pub class: Option<ClassId>,
    /// For a ranked town, how many ranked towns of its class are placed strictly below it (a
    /// vetoed town counts as having none): the town is in the bottom N when this is below N.
    pub below: u32,
    pub rank: Option<u32>,
    /// The consequences that apply to the town.
    pub consequences: Vec<ConsequenceId>,
}

impl TownScore {
    /// How the item was scored; `None` for a town without a sheet.
    pub fn item(&self, item: ItemId) -> Option<&ItemScore> {
        self.items.get(item.index())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetState {
    Final,
    Draft,
    Missing,
}

impl SheetState {
    /// The word pages, exports and `diff` use: `final`, `draft` or `missing`.
    pub fn as_str(self) -> &'static str {
        match self {
            SheetState::Final => "final",
            SheetState::Draft => "draft",
            SheetState::Missing => "missing",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ranking {
    /// Every town, ranked towns first in rank order, then the others in towns.yaml order.
    pub towns: Vec<TownScore>,
    /// True until every town has a final sheet.
    pub provisional: bool,
    /// The classes towns are ranked within, in the order their first town has in towns.yaml;
    /// empty when the campaign does not rank by class.
    pub classes: Vec<String>,
}

impl Ranking {
    pub fn ranked(&self) -> impl Iterator<Item = &TownScore> {
        self.towns.iter().filter(|t| t.rank.is_some())
    }

    pub fn unranked(&self) -> impl Iterator<Item = &TownScore> {
        self.towns.iter().filter(|t| t.rank.is_none())
    }
}

/// Whether a ranked town is in a consequence's bottom places in its round.
pub fn in_bottom(town: &TownScore, consequence: &Consequence) -> bool {
    town.rank.is_some() && (town.below as usize) < consequence.bottom.value as usize
}

/// The score of an item worth `points` from its entry; `None` when the entry cannot be scored.
pub fn item_score(points: Points, entry: &Entry) -> Option<ItemScore> {
    Some(match entry.given() {
        Given::NotAssessed(_) => ItemScore::NotAssessed,
        Given::Criteria(criteria) => ItemScore::Scored(criteria.iter().map(|(_, p)| p.value).sum()),
        Given::Score(score, _) => ItemScore::Scored(score),
        Given::Deductions(deductions) => {
            let deducted: Points = deductions.iter().map(|d| d.points.value).sum();
            // 扣完为止: an item never goes below zero.
            ItemScore::Scored(if deducted > points {
                Points::ZERO
            } else {
                points - deducted
            })
        }
        Given::Nothing => return None,
    })
}

/// `numerator / denominator` in hundredths, rounded half-up; both are non-negative.
fn divide_half_up(numerator: i128, denominator: i128) -> i64 {
    if denominator <= 0 {
        return 0;
    }
    ((2 * numerator + denominator) / (2 * denominator)) as i64
}

/// Scores every town. Content must have passed the checks without errors.
pub fn rank(content: &Content) -> Ranking {
    let (Some(rubric), Some(towns)) = (&content.rubric, &content.towns) else {
        return Ranking {
            towns: Vec::new(),
            provisional: true,
            classes: Vec::new(),
        };
    };
    let rule = content
        .campaign
        .as_ref()
        .map(|c| c.not_assessed)
        .unwrap_or_default();
    let sheet_of: HashMap<&str, SheetId> = content
        .sheets
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| (s.town.value.as_str(), SheetId::at(i)))
        .collect();
    // Each town scored on its own, on every core, in chunks of towns.
    let chunks: Vec<std::ops::Range<usize>> = (0..towns.len())
        .step_by(128)
        .map(|start| start..(start + 128).min(towns.len()))
        .collect();
    let index = ItemIndex::new(rubric);
    let scored = crate::parallel::map(&chunks, |chunk| {
        let scores = chunk.clone().map(|i| {
            let sheet = sheet_of.get(towns[i].slug.value.as_str()).copied();
            let of = sheet.map(|s| (s, &content.sheets[s.index()]));
            score_town(TownId::at(i), of, rubric, &index, rule)
        });
        Ok::<_, std::convert::Infallible>(scores.collect::<Vec<_>>())
    });
    let mut scores: Vec<TownScore> = scored.into_iter().flatten().flatten().collect();

    // 分类考核: each value of the class attribute is a class, in towns.yaml order.
    let mut classes: Vec<String> = Vec::new();
    if let Some(attribute) = content.campaign.as_ref().and_then(|c| c.classes.as_ref()) {
        let mut of: HashMap<String, ClassId> = HashMap::new();
        for score in &mut scores {
            let Some(value) = towns[score.town.index()].attribute(&attribute.value) else {
                continue;
            };
            let label = value.value.label();
            let next = ClassId::at(of.len());
            let id = *of.entry(label.clone()).or_insert_with(|| {
                classes.push(label);
                next
            });
            score.class = Some(id);
        }
    }
    let (consequences, grades) = content
        .campaign
        .as_ref()
        .map(|c| (c.consequences.as_slice(), c.grades.as_slice()))
        .unwrap_or_default();
    // A town with nothing assessed has no score to rank it by.
    let mut ranked: Vec<&mut TownScore> = scores
        .iter_mut()
        .filter(|t| t.status == SheetState::Final && t.assessed > Points::ZERO)
        .collect();
    // Vetoed towns below every other; then the higher total first; each class apart.
    let place = |t: &TownScore| (t.class, t.vetoed, std::cmp::Reverse(t.total));
    let mut places: Vec<_> = ranked.iter().map(|t| place(t)).collect();
    places.sort_unstable();
    for town in ranked.iter_mut() {
        let mine = place(town);
        let class = places.partition_point(|p| p.0 < mine.0);
        let class_end = places.partition_point(|p| p.0 <= mine.0);
        let higher = places.partition_point(|p| *p < mine) - class;
        town.rank = Some(higher as u32 + 1);
        // A vetoed town counts as bottom.
        let lower = match town.vetoed {
            true => 0,
            false => class_end - places.partition_point(|p| *p <= mine),
        };
        town.below = lower as u32;
        // Consequences over several rounds are decided with the rounds before this one.
        town.consequences = consequences
            .iter()
            .enumerate()
            .filter(|(_, c)| c.rounds() <= 1 && in_bottom(town, c))
            .map(|(i, _)| ConsequenceId::at(i))
            .collect();
        let vetoed = town.vetoed;
        town.grade = if vetoed {
            grades.len().checked_sub(1)
        } else {
            grades.iter().position(|g| town.total >= g.min.value)
        }
        .map(GradeId::at);
    }
    let provisional = scores.iter().any(|t| t.status != SheetState::Final);
    // Consequences are decided on a complete ranking only: until every town is in, the
    // bottom places may hold the best towns.
    if provisional {
        for town in &mut scores {
            town.consequences.clear();
        }
    }
    // Rank order, class by class; equal totals keep the order of towns.yaml, and share
    // their rank.
    scores.sort_by_key(|t| (t.rank.is_none(), t.class, t.rank, t.town));
    Ranking {
        towns: scores,
        provisional,
        classes,
    }
}

fn score_town(
    town: TownId,
    sheet: Option<(SheetId, &Sheet)>,
    rubric: &Rubric,
    index: &ItemIndex,
    rule: NotAssessedRule,
) -> TownScore {
    let status = match sheet.map(|(_, s)| s.status.value) {
        Some(Status::Final) => SheetState::Final,
        Some(Status::Draft) => SheetState::Draft,
        None => SheetState::Missing,
    };
    let mut out = TownScore {
        town,
        sheet: sheet.map(|(id, _)| id),
        status,
        items: Vec::new(),
        sections: Vec::new(),
        earned: Points::ZERO,
        assessed: Points::ZERO,
        base: Points::ZERO,
        bonus: Points::ZERO,
        penalty: Points::ZERO,
        total: Points::ZERO,
        vetoed: false,
        grade: None,
        class: None,
        below: 0,
        rank: None,
        consequences: Vec::new(),
    };
    let Some((_, sheet)) = sheet else {
        return out;
    };
    let entries = index.entries(sheet);
    // The entry for an item: by the place that stands for its id.
    let entry = |item: &crate::model::Item| {
        let place = match index.items().get(item.key.index()) {
            Some(&(known, place)) if std::ptr::eq(known, item) => Some(place),
            _ => index.get(&item.id.value).map(|(place, _)| place),
        };
        place.and_then(|p| entries[p])
    };
    out.items = vec![ItemScore::Scored(Points::ZERO); rubric.items().count()];
    let mut not_assessed = Points::ZERO;
    for section in &rubric.sections {
        let mut sub = SectionScore {
            earned: Points::ZERO,
            assessed: Points::ZERO,
        };
        for item in section.parts.iter().flat_map(|p| &p.items) {
            let score = entry(item)
                .and_then(|e| item_score(item.points.value, e))
                .unwrap_or(ItemScore::Scored(Points::ZERO));
            match score {
                ItemScore::Scored(p) => {
                    sub.earned = sub.earned + p;
                    sub.assessed = sub.assessed + item.points.value;
                }
                ItemScore::NotAssessed => not_assessed = not_assessed + item.points.value,
            }
            if let Some(slot) = out.items.get_mut(item.key.index()) {
                *slot = score;
            }
        }
        out.earned = out.earned + sub.earned;
        out.assessed = out.assessed + sub.assessed;
        out.sections.push(sub);
    }
    out.base = match rule {
        _ if not_assessed == Points::ZERO => out.earned,
        NotAssessedRule::FullMarks => out.earned + not_assessed,
        NotAssessedRule::Rescale => Points(divide_half_up(
            i128::from(out.earned.0) * i128::from(rubric.total.value.0),
            i128::from(out.assessed.0),
        )),
    };
    for rule in &rubric.adjustments {
        let Some(occurrences) = sheet.adjusted(&rule.id.value) else {
            continue;
        };
        let points = rule.points(occurrences.len());
        let sum = match rule.kind {
            AdjustmentKind::Bonus => &mut out.bonus,
            AdjustmentKind::Penalty => &mut out.penalty,
        };
        *sum = Points(sum.0.saturating_add(points.0));
    }
    // Exact hundredths added to a total rounded once: no second rounding.
    let total = out
        .base
        .0
        .saturating_add(out.bonus.0)
        .saturating_sub(out.penalty.0);
    out.total = Points(total.max(0));
    out.vetoed = rubric
        .vetoes
        .iter()
        .any(|v| sheet.vetoed(&v.id.value).is_some());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_once() {
        // 85 of 98 points, rescaled to 100: 86.734… → 86.73
        assert_eq!(divide_half_up(8500 * 10000, 9800), 8673);
        // 80.5 of 98: 82.142… → 82.14
        assert_eq!(divide_half_up(8050 * 10000, 9800), 8214);
        // exactly half a hundredth rounds up: 0.125 → 0.13
        assert_eq!(divide_half_up(125, 1000), 0);
        assert_eq!(divide_half_up(1250, 1000), 1);
        assert_eq!(divide_half_up(12_500, 1000), 13);
        assert_eq!(divide_half_up(5, 0), 0);
    }
}
