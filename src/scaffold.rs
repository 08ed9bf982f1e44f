//! New files for people to fill in: a town's score sheet with every item listed.

use std::fmt::Write as _;

use crate::check::excluded;
use crate::model::{Content, Lang, Town};
use crate::schema;

/// A YAML scalar, quoted where YAML needs it.
pub fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{text:?}"))
}

fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(out, "{indent}# {}", line.trim_end());
    }
}

/// A draft sheet for `town`: its group, every rubric item in order with its points and
/// requirement as comments, items its attributes exclude already marked not assessed.
pub fn sheet(content: &Content, town: &Town) -> String {
    let zh = content.lang() == Lang::Zh;
    let group = content
        .groups
        .iter()
        .flatten()
        .find(|g| g.towns.iter().any(|t| t.value == town.slug.value));
    let mut out = schema::modeline("sheet.schema.json", 2);
    let _ = writeln!(
        out,
        "{}",
        if zh {
            "# 每项写一种：score（得分）；deductions（扣分，每条写 points 和 reason）；criteria（细则得分）；\n# score 与 deductions 同写时须一致。note 写督查记录（Markdown）。全部评完、组长签名后把 status 改为 final。"
        } else {
            "# Give each item one of: score; deductions (each with points and reason); criteria.\n# score and deductions together must agree. note is for evidence notes (Markdown).\n# When every item is scored and the leader has signed, set status to final."
        }
    );
    let _ = writeln!(out, "town: {}", scalar(&town.slug.value));
    match group {
        Some(g) => {
            let _ = writeln!(out, "group: {}  # {}", scalar(&g.id.value), g.name);
        }
        None => {
            let _ = writeln!(out, "group: \"\"");
        }
    }
    out.push_str("status: draft\nvisited: []\nscores:\n");
    for section in content.rubric.iter().flat_map(|r| &r.sections) {
        let _ = writeln!(out, "  # ══ {}", section.title);
        for part in &section.parts {
            if let Some(title) = &part.title {
                let _ = writeln!(out, "  # ── {title}");
            }
            for item in &part.items {
                let points = item.points.value;
                let _ = writeln!(
                    out,
                    "  # {}. {}（{} {points}）",
                    item.id.value,
                    item.indicator,
                    if zh { "标准分" } else { "points" }
                );
                comment(&mut out, "  ", &item.requirement);
                for c in &item.criteria {
                    let _ = writeln!(out, "  #   {} {}（{}）", c.id.value, c.text, c.points.value);
                }
                let key = scalar(&item.id.value);
                if excluded(item, town) == Some(true) {
                    let attribute = item.assessed_if.as_ref().map_or("", |a| a.value.as_str());
                    let label = content
                        .rubric
                        .as_ref()
                        .and_then(|r| r.label(attribute))
                        .unwrap_or(attribute);
                    let reason = if zh {
                        format!("本乡镇「{label}」为 0，不考核该项")
                    } else {
                        format!("{label} is 0 for this town: not assessed")
                    };
                    let _ = writeln!(out, "  {key}: {{not_assessed: {}}}", scalar(&reason));
                } else if item.criteria.is_empty() {
                    let _ = writeln!(out, "  {key}: {{}}");
                } else {
                    let _ = writeln!(
                        out,
                        "  {key}: {{}}  # criteria: {{{}}}",
                        item.criteria
                            .iter()
                            .map(|c| format!("{}: ", c.id.value))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
        }
    }
    out.push_str("summary: \"\"\n");
    let leader = group.map_or(String::new(), |g| g.leader.name.value.clone());
    let _ = writeln!(
        out,
        "{}\n# signoff:\n#   leader: {leader}\n#   members: []\n#   date: YYYY-MM-DD",
        if zh {
            "# 组长审核后签名："
        } else {
            "# When the leader signs off:"
        }
    );
    out
}

/// A town's rectification records as `ducha new TOWN --rectification` writes them: every
/// problem listed with its item and number, and its reason, points and due date as comments.
pub fn records(content: &Content, town: &Town, problems: &[crate::ledger::Problem]) -> String {
    let zh = content.lang() == crate::model::Lang::Zh;
    let mut out = schema::modeline("rectification.schema.json", 2);
    out.push_str(&format!("town: {}\nproblems:\n", scalar(&town.slug.value)));
    for p in problems {
        let reason = p
            .deduction
            .reason
            .as_ref()
            .map_or("", |r| r.value.as_str())
            .replace(['\n', '\r'], " ");
        let due = p.due.map_or(String::new(), |d| d.to_string());
        let comment = if zh {
            format!(
                "  # 第 {} 项 {}：{}（扣 {} 分），整改期限 {due}\n",
                p.item.id.value, p.item.indicator, reason, p.deduction.points.value
            )
        } else {
            format!(
                "  # item {} {}: {} (−{}), due {due}\n",
                p.item.id.value, p.item.indicator, reason, p.deduction.points.value
            )
        };
        out.push_str(comment.replace(['\n', '\r'], " ").trim_end());
        out.push('\n');
        out.push_str(&format!(
            "  - item: {}\n    deduction: {}\n    measures:\n    done:\n    evidence: []\n",
            scalar(&p.item.id.value),
            p.index
        ));
    }
    out
}
