//! The rules on the content itself: each family of checks reads the model and returns
//! diagnostics. Each file declares its rules (code, name, documentation and messages in both
//! languages) beside the checks that raise them.

pub mod entries;
pub mod evidence;
pub mod objections;
pub mod outside;
pub mod personal;
pub mod rectification;
pub mod setup;
pub mod sheets;

pub use entries::excluded;

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::{Content, Deletion, Group, Points, Town};

pub use crate::source::Evidence;

/// Lookups shared by the rule families.
pub struct Index<'a> {
    pub towns: HashMap<&'a str, &'a Town>,
    /// The first group that lists each town.
    pub group_of: HashMap<&'a str, &'a Group>,
    pub groups: HashMap<&'a str, &'a Group>,
    pub step: Option<Points>,
}

impl<'a> Index<'a> {
    pub fn new(content: &'a Content) -> Self {
        let mut towns = HashMap::new();
        for town in content.towns.iter().flatten() {
            towns.entry(town.slug.value.as_str()).or_insert(town);
        }
        let mut groups = HashMap::new();
        for group in content.groups.iter().flatten() {
            groups.entry(group.id.value.as_str()).or_insert(group);
        }
        let group_of = content.group_of_towns();
        let step = content
            .campaign
            .as_ref()
            .map(|c| c.step.value)
            .filter(|s| s.0 > 0);
        Index {
            towns,
            group_of,
            groups,
            step,
        }
    }
}

/// Runs every rule on the content itself. `evidence` resolves a sheet's evidence path;
/// `deleted` tells where a town's missing sheet was deleted, when the trail shows it.
pub fn run(
    content: &Content,
    evidence: &(dyn Fn(&str) -> Evidence + Sync),
    deleted: &dyn Fn(&str) -> Option<Deletion>,
) -> Vec<Diagnostic> {
    let index = Index::new(content);
    let mut out = Vec::new();
    setup::check(content, &index, &mut out);
    for item in content.rubric.iter().flat_map(|r| r.items()) {
        evidence::evidence_rules(&item.links, evidence, &mut out);
    }
    sheets::check(content, &index, evidence, deleted, &mut out);
    outside::check(content, &mut out);
    objections::check(content, &index, evidence, &mut out);
    rectification::check(content, &index, evidence, &mut out);
    out
}

/// The label under a value off the scoring step: the step.
fn step_label(step: Points, lang: Lang) -> String {
    lang.pick(format!("步长 {step}"), format!("step {step}"))
}
