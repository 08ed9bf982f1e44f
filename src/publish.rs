//! `ducha publish`: the campaign, once it is ready, published as an annotated tag of the commit
//! checked out, whose message sums up the ranking.

use std::fmt::Write as _;
use std::path::Path;

use crate::history::PUBLISHED;
use crate::model::Lang;
use crate::outcome::{Outcome, print};
use crate::pipeline::{self, Evaluation};
use crate::problem::{Context, Problem, Result};
use crate::score::SheetState;

/// Up to this many ranked towns, the tag's message lists them all; beyond, the first and last
/// ten.
const LISTED: usize = 50;

pub fn run(root: &Path, tag: Option<&str>) -> Result<Outcome> {
    let evaluation = pipeline::work_tree(root)?;
    let lang = evaluation.lang();
    let content = &evaluation.loaded.content;
    let id = content
        .campaign
        .as_ref()
        .map_or_else(String::new, |c| c.id.value.clone());
    let name = tag.map_or_else(|| id.clone(), str::to_string);
    let repo = git2::Repository::discover(root).ok();
    let mut reasons = refusals(&evaluation, lang);
    match &repo {
        None => reasons.push(lang.pick(
            "这里不是 git 仓库：发布是给提交打标签".to_string(),
            "this is not a git repository: publishing tags a commit".to_string(),
        )),
        Some(repo) => {
            if git2::Reference::is_valid_name(&format!("refs/tags/{name}")) {
                if repo.refname_to_id(&format!("refs/tags/{name}")).is_ok() {
                    reasons.push(lang.pick(
                        format!("标签 {name} 已存在：请用 --tag 另起一个名称"),
                        format!("the tag {name} already exists: give another name with --tag"),
                    ));
                }
            } else {
                reasons.push(lang.pick(
                    format!("`{name}` 不能用作标签名称：请用 --tag 给出字母、数字和 - 组成的名称"),
                    format!("`{name}` cannot be a tag's name: give one of letters, digits and - with --tag"),
                ));
            }
            if repo.signature().is_err() {
                reasons.push(
                    lang.pick(
                        "git 没有设置 user.name 和 user.email：发布标签要写明是谁发布的"
                            .to_string(),
                        "git has no user.name and user.email: a publication says who published"
                            .to_string(),
                    ),
                );
            }
        }
    }
    if !reasons.is_empty() {
        let mut text = lang.pick("不能发布：\n".to_string(), "cannot publish:\n".to_string());
        for reason in &reasons {
            let _ = writeln!(text, "  - {reason}");
        }
        eprint!("{text}");
        return Ok(Outcome::Findings);
    }
    let repo = repo.context(Problem::NotARepository(root.to_path_buf()))?;
    let message = summary(&evaluation, &id, lang);
    let publishing = || Problem::Committing(name.clone());
    let head = repo
        .head()
        .and_then(|h| h.peel(git2::ObjectType::Commit))
        .with_context(publishing)?;
    let who = repo.signature().with_context(publishing)?;
    repo.tag(&name, &head, &who, &message, false)
        .with_context(publishing)?;
    let short: String = head.id().to_string().chars().take(7).collect();
    print(&format!(
        "{message}\n\n{}\n",
        lang.pick(
            format!("已发布：标签 {name}，提交 {short}"),
            format!("published: tag {name}, commit {short}"),
        )
    ))?;
    Ok(Outcome::Clean)
}

/// Every reason the content is not ready: problems under `--strict`, sheets not final, objections
/// not decided, changes not committed.
fn refusals(evaluation: &Evaluation, lang: Lang) -> Vec<String> {
    let mut reasons = Vec::new();
    let report = evaluation.report(true);
    if report.errors() > 0 {
        reasons.push(lang.pick(
            format!(
                "ducha check --strict 发现 {} 个问题：请先处理",
                report.errors()
            ),
            format!(
                "ducha check --strict finds {} problems: deal with them first",
                report.errors()
            ),
        ));
    }
    let content = &evaluation.loaded.content;
    let towns = content.towns.as_deref().unwrap_or_default();
    let name = |i: usize| towns.get(i).map_or("", |t| t.name.value.as_str());
    let unfinished: Vec<&str> = evaluation
        .ranking
        .towns
        .iter()
        .filter(|t| t.status != SheetState::Final)
        .map(|t| name(t.town.index()))
        .collect();
    if !unfinished.is_empty() {
        reasons.push(lang.pick(
            format!("这些乡镇的评分表尚未定稿：{}", unfinished.join("、")),
            format!("these towns have no final sheet: {}", unfinished.join(", ")),
        ));
    }
    let pending: Vec<String> = content
        .objections
        .iter()
        .flat_map(|o| o.requests.iter().map(move |r| (o, r)))
        .filter(|(_, r)| r.decision.is_none())
        .map(|(o, r)| {
            let town = towns
                .iter()
                .find(|t| t.slug.value == o.town.value)
                .map_or(o.town.value.as_str(), |t| t.name.value.as_str());
            lang.pick(
                format!("{town}第 {} 项", r.item.value),
                format!("{town} item {}", r.item.value),
            )
        })
        .collect();
    if !pending.is_empty() {
        reasons.push(lang.pick(
            format!("这些异议尚未决定：{}", pending.join("、")),
            format!("these objections are not decided: {}", pending.join(", ")),
        ));
    }
    let history = &evaluation.history;
    if history.repository && history.head.is_none() {
        reasons.push(lang.pick(
            "仓库还没有提交：请先提交".to_string(),
            "the repository has no commit yet: commit first".to_string(),
        ));
    } else if history.dirty {
        reasons.push(lang.pick(
            "content/ 或 themes/ 有未提交的修改：发布的须是提交过的内容，请先提交".to_string(),
            "content/ or themes/ has uncommitted changes: publish committed content only; commit first"
                .to_string(),
        ));
    }
    reasons
}

/// The tag's message: the title, the ranking (all of it, or its two ends), the towns under
/// each consequence, and the line that marks it as this campaign's publication.
pub fn summary(evaluation: &Evaluation, id: &str, lang: Lang) -> String {
    let content = &evaluation.loaded.content;
    let towns = content.towns.as_deref().unwrap_or_default();
    let campaign = content.campaign.as_ref();
    let title = campaign.map_or("", |c| c.title.as_str());
    let mut out = lang.pick(
        format!("正式发布：{title}\n\n"),
        format!("Published: {title}\n\n"),
    );
    let ranked: Vec<_> = evaluation.ranking.ranked().collect();
    let line = |t: &crate::score::TownScore| {
        let grade = t
            .grade
            .and_then(|g| campaign?.grades.get(g.index()))
            .map_or(String::new(), |g| format!(" {}", g.name.value));
        let name = towns
            .get(t.town.index())
            .map_or("", |t| t.name.value.as_str());
        format!(
            "{:>5}  {name}  {}{grade}\n",
            t.rank.unwrap_or_default(),
            t.total.fixed(2)
        )
    };
    if ranked.len() <= LISTED {
        for t in &ranked {
            out.push_str(&line(t));
        }
    } else {
        for t in &ranked[..10] {
            out.push_str(&line(t));
        }
        let _ = writeln!(
            out,
            "{:>5}  {}",
            "…",
            lang.pick(
                format!("（共 {} 个乡镇）", ranked.len()),
                format!("({} towns)", ranked.len())
            )
        );
        for t in &ranked[ranked.len() - 10..] {
            out.push_str(&line(t));
        }
    }
    for (i, consequence) in campaign.iter().flat_map(|c| &c.consequences).enumerate() {
        let named: Vec<&str> = ranked
            .iter()
            .filter(|t| t.consequences.iter().any(|c| c.index() == i))
            .filter_map(|t| towns.get(t.town.index()))
            .map(|t| t.name.value.as_str())
            .collect();
        if named.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n{}",
            lang.pick(
                format!(
                    "倒数 {}（{}）：{}",
                    consequence.bottom.value,
                    consequence.actions.join("、"),
                    named.join("、")
                ),
                format!(
                    "Bottom {} ({}): {}",
                    consequence.bottom.value,
                    consequence.actions.join(", "),
                    named.join(", ")
                ),
            )
        );
    }
    let _ = write!(out, "\n\n{PUBLISHED}{id}");
    out
}
