//! A town's line of the ranking, as the ranking, group, notices and town pages show it.

use serde::Serialize;

use super::shared::Site;
use crate::model::Points;
use crate::score::{SheetState, TownScore};

/// What a figure shows for a town without a final sheet: it has no score yet.
pub const NO_FIGURE: &str = "—";

#[derive(Serialize, Hash)]
pub struct RankRow<'a> {
    pub rank: Option<u32>,
    pub name: &'a str,
    pub slug: &'a str,
    /// True when the site has the town's page: always, but for other towns in a bundle.
    linked: bool,
    group_id: &'a str,
    pub group_name: &'a str,
    status: &'static str,
    sections: Vec<Subtotal>,
    pub total: String,
    rescaled: bool,
    consequences: Vec<&'a str>,
    /// A flagged town's rectification: 3/5 已整改.
    progress: Option<String>,
    flagged: bool,
    /// The grade (等次), when the campaign has grades.
    pub grade: Option<&'a str>,
    /// The class (分类考核) the town is ranked in, when the campaign ranks within classes.
    pub class: Option<&'a str>,
    pub vetoed: bool,
    /// How the total is made when adjustments change it: `87.50 + 3 − 1`.
    pub made: Option<String>,
    /// The town in the previous round, when there is one: its rank, total and grade, and
    /// the change of rank (`↑3`, `↓2`, `新` for a town the round did not rank).
    pub previous: Option<PreviousView<'a>>,
}

#[derive(Serialize, Hash)]
pub struct PreviousView<'a> {
    rank: Option<u32>,
    total: Option<String>,
    grade: Option<&'a str>,
    change: String,
}

#[derive(Serialize, Hash)]
struct Subtotal {
    earned: String,
    assessed: String,
    full: bool,
    #[serde(skip)]
    points: Points,
}

impl<'a> Site<'a> {
    pub fn rank_row(&self, score: &TownScore) -> RankRow<'a> {
        let town = self.town(score);
        let group = self.group_of.get(town.slug.value.as_str());
        let fin = score.status == SheetState::Final;
        RankRow {
            rank: score.rank,
            name: &town.name.value,
            slug: &town.slug.value,
            linked: self.shows(&town.slug.value),
            group_id: group.map_or("", |g| &g.id.value),
            group_name: group.map_or("", |g| &g.name),
            status: score.status.as_str(),
            sections: self
                .section_points
                .iter()
                .zip(&score.sections)
                .map(|(full, sub)| Subtotal {
                    earned: if fin {
                        sub.earned.to_string()
                    } else {
                        NO_FIGURE.to_string()
                    },
                    assessed: sub.assessed.to_string(),
                    full: sub.assessed == *full || !fin,
                    points: sub.earned,
                })
                .collect(),
            total: if fin {
                score.total.fixed(2)
            } else {
                NO_FIGURE.to_string()
            },
            rescaled: score.base != score.earned && fin,
            consequences: self.actions(score),
            progress: crate::render::pages::rectification::progress(self, score)
                .filter(|_| !score.consequences.is_empty())
                .map(|(done, all)| format!("{done}/{all} {}", self.text["rectified"])),
            flagged: !score.consequences.is_empty(),
            grade: score.grade.map(|g| self.model.grade(g)),
            class: self.class(score),
            vetoed: score.vetoed && fin,
            previous: (!self.rounds.is_empty()).then(|| {
                let before = self.previous(&town.slug.value);
                let rank = before.and_then(|t| t.rank);
                PreviousView {
                    rank,
                    total: before.and_then(|t| t.total).map(|p| p.fixed(2)),
                    grade: before.and_then(|t| t.grade.as_deref()),
                    change: match (rank, score.rank) {
                        (None, Some(_)) => self.text["new_in_round"].to_string(),
                        (Some(a), Some(b)) if b < a => format!("↑{}", a - b),
                        (Some(a), Some(b)) if b > a => format!("↓{}", b - a),
                        (Some(_), Some(_)) => "=".to_string(),
                        _ => String::new(),
                    },
                }
            }),
            made: (fin && (score.bonus != Points::ZERO || score.penalty != Points::ZERO)).then(
                || {
                    let mut made = score.base.fixed(2);
                    if score.bonus != Points::ZERO {
                        made.push_str(&format!(" + {}", score.bonus));
                    }
                    if score.penalty != Points::ZERO {
                        made.push_str(&format!(" − {}", score.penalty));
                    }
                    made
                },
            ),
        }
    }
}

/// Gives each section's column of the ranked towns one number of decimals, the most any of
/// them needs, so that the figures line up.
pub fn align_subtotals(rows: &mut [RankRow]) {
    let columns = rows.iter().map(|r| r.sections.len()).max().unwrap_or(0);
    for c in 0..columns {
        let ranked = || rows.iter().filter(|r| r.rank.is_some());
        let decimals = ranked()
            .filter_map(|r| r.sections.get(c))
            .map(|s| s.points.places())
            .max()
            .unwrap_or(0);
        for row in rows.iter_mut().filter(|r| r.rank.is_some()) {
            if let Some(s) = row.sections.get_mut(c) {
                s.earned = s.points.fixed(decimals);
            }
        }
    }
}
