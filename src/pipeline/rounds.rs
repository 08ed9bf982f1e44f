//! Earlier rounds: the campaign's `previous` followed back through git, each round evaluated
//! from its commit in memory (nothing checked out), and the consequences that span rounds.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::{Trail, evaluate};
use crate::compare::Round;
use crate::diag::{Diagnostic, Message, Rule, Severity};
use crate::history;
use crate::lang::Lang;
use crate::model::{ConsequenceId, Content, Spanned};
use crate::score::{self, Ranking};

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[&BAD_PREVIOUS];

/// The most rounds followed back: a round a month for ten years.
const MAX_ROUNDS: usize = 120;

/// The rounds before the campaign in `content`, newest first, read from the repository at
/// `root`; a problem on the way is a diagnostic on the `previous:` line, and the rounds read
/// before it are kept.
pub fn earlier(root: &Path, content: &Content) -> (Vec<Round>, Vec<Diagnostic>) {
    let mut rounds = Vec::new();
    let mut out = Vec::new();
    let Some(line) = content.campaign.as_ref().and_then(|c| c.previous.clone()) else {
        return (rounds, out);
    };
    let mut seen = HashSet::new();
    let mut next: Option<Spanned<String>> = Some(line.clone());
    while let Some(reference) = next.take() {
        let name = reference.value.clone();
        if rounds.len() == MAX_ROUNDS {
            out.push(Diagnostic::new(
                BadPrevious::TooMany { max: MAX_ROUNDS },
                line.span,
            ));
            break;
        }
        let Ok((tree, commit)) = history::commit_tree(root, &name) else {
            out.push(Diagnostic::new(
                BadPrevious::NoCommit { reference: name },
                line.span,
            ));
            break;
        };
        if !seen.insert(commit.clone()) {
            out.push(Diagnostic::new(
                BadPrevious::Cycle { reference: name },
                line.span,
            ));
            break;
        }
        let Ok(evaluation) = evaluate(Arc::new(tree), Trail::None) else {
            out.push(Diagnostic::new(
                BadPrevious::NoCommit { reference: name },
                line.span,
            ));
            break;
        };
        let errors = evaluation
            .diags
            .iter()
            .filter(|d| d.rule().severity == Severity::Error)
            .count();
        if errors > 0 {
            out.push(Diagnostic::new(
                BadPrevious::HasErrors {
                    reference: name,
                    errors,
                },
                line.span,
            ));
            break;
        }
        let content = &evaluation.loaded.content;
        rounds.push(Round::of(&name, commit, content, &evaluation.ranking));
        next = content.campaign.as_ref().and_then(|c| c.previous.clone());
    }
    (rounds, out)
}

/// Adds to each ranked town the consequences over several rounds that apply to it: in the
/// bottom places in this round and in each of the rounds before it that the consequence
/// counts. A town some earlier round lacks, or did not rank, was not in its bottom places.
pub fn consequences(content: &Content, ranking: &mut Ranking, rounds: &[Round]) {
    let Some(campaign) = &content.campaign else {
        return;
    };
    if ranking.provisional {
        return;
    }
    let towns = content.towns.as_deref().unwrap_or_default();
    for score in &mut ranking.towns {
        let Some(town) = towns.get(score.town.index()) else {
            continue;
        };
        for (i, consequence) in campaign.consequences.iter().enumerate() {
            let back = consequence.rounds() as usize - 1;
            if back == 0 || back > rounds.len() || !score::in_bottom(score, consequence) {
                continue;
            }
            let every = rounds[..back].iter().all(|round| {
                round.town(&town.slug.value).is_some_and(|t| {
                    t.rank.is_some() && (t.below as usize) < consequence.bottom.value as usize
                })
            });
            if every {
                score.consequences.push(ConsequenceId::at(i));
            }
        }
        score.consequences.sort_unstable();
    }
}

pub static BAD_PREVIOUS: Rule = Rule {
    code: "E0219",
    name: "bad-previous",
    severity: Severity::Error,
    title_zh: "上一轮无法读取",
    title_en: "Previous round cannot be read",
    doc_en: "What it checks: `previous` in campaign.yaml names a tag or commit of this repository that holds
the previous round, that round checks without errors, and following each round's own `previous`
back never comes round to a round already read.
Why: each town's change since the last round, and consequences such as \"in the bottom three
twice\", are worked out from the earlier rounds; a wrong name or a broken round would change
them silently.
Fix: tag each published round (git tag 2020-yingjian) and name that tag; fix the earlier round's
errors in a commit and move its tag there.",
    doc_zh: "检查内容：campaign.yaml 的 `previous` 指向本仓库中保存上一轮督查的标签或提交，那一轮检查没有错误，
沿各轮自己的 `previous` 往前追溯，不会回到已读过的一轮。
原因：各乡镇与上一轮相比的变化，以及“连续两次倒数”之类的结果运用，都依据前几轮计算；名称写错或那一轮有错误，
结果就会悄悄变样。
改法：每轮公布后打标签（git tag 2020-yingjian），在这里写标签名；上一轮有错误时，在一个提交中改正，并把标签移到那里。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadPrevious {
    NoCommit { reference: String },
    Cycle { reference: String },
    HasErrors { reference: String, errors: usize },
    TooMany { max: usize },
}

impl Message for BadPrevious {
    fn rule(&self) -> &'static Rule {
        &BAD_PREVIOUS
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            BadPrevious::NoCommit { reference } => lang.pick(
                format!("本仓库中没有标签或提交 `{reference}`：请写上一轮公布时打的标签"),
                format!("there is no tag or commit `{reference}` in this repository: name the tag of the previous round"),
            ),
            BadPrevious::Cycle { reference } => lang.pick(
                format!("沿 previous 往前追溯，又回到了 `{reference}`：各轮的 previous 不能首尾相连"),
                format!("following previous back comes round to `{reference}` again: the rounds' previous must not form a circle"),
            ),
            BadPrevious::HasErrors { reference, errors } => lang.pick(
                format!("上一轮 `{reference}` 有 {errors} 个错误，无法用于比较：请在那一轮中改正，并移动其标签"),
                format!("the previous round `{reference}` has {errors} errors and cannot be compared with: fix them there and move its tag"),
            ),
            BadPrevious::TooMany { max } => lang.pick(
                format!("往前追溯超过 {max} 轮：请检查各轮的 previous"),
                format!("more than {max} earlier rounds: check the rounds' previous"),
            ),
        }
    }
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    vec![Box::new(BadPrevious::HasErrors {
        reference: "2020".into(),
        errors: 2,
    })]
}
