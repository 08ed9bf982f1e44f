//! `ducha explain`: the table of every rule, built from the families that declare them, and
//! each rule's documentation (in the terminal, and as docs/rules.md).

use crate::diag::Rule;
use crate::lang::Lang;
use crate::problem::{Problem, Result};
use crate::{audit, check, load, pipeline};

/// Every family of rules. Each declares its rules beside the code that raises them, in code
/// order; the table lists them all by code number.
const FAMILIES: &[&[&Rule]] = &[
    load::rules::RULES,
    load::syntax::RULES,
    load::slips::RULES,
    check::setup::RULES,
    check::entries::RULES,
    check::evidence::RULES,
    check::sheets::RULES,
    check::outside::RULES,
    check::objections::RULES,
    check::rectification::RULES,
    check::personal::RULES,
    audit::RULES,
    pipeline::rounds::RULES,
];

/// Every rule, by code number (E0118 after W0115).
pub fn rules() -> Vec<&'static Rule> {
    let mut all: Vec<&Rule> = FAMILIES.iter().flat_map(|f| f.iter().copied()).collect();
    all.sort_by_key(|r| &r.code[1..]);
    all
}

/// The rule with this code (in any case) or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    let wanted = code_or_name.trim();
    rules()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(wanted) || r.name == wanted)
}

/// Every rule with its titles, a line each.
pub fn list() -> String {
    rules()
        .iter()
        .map(|r| {
            format!(
                "{}  {:<28} {} / {}\n",
                r.code, r.name, r.title_zh, r.title_en
            )
        })
        .collect()
}

/// One rule's documentation in `lang`, headed with its code, name, severity and titles.
pub fn rule(code: &str, lang: Lang) -> Result<String> {
    let Some(r) = find(code) else {
        let names = rules().into_iter().flat_map(|r| [r.code, r.name]);
        return Err(Problem::UnknownRule {
            wanted: code.to_string(),
            suggestions: crate::problem::similar(code, names),
        }
        .into());
    };
    Ok(format!(
        "{} {}{}\n{}\n{}\n\n{}\n",
        r.code,
        r.name,
        r.severity.label(lang),
        r.title_zh,
        r.title_en,
        r.doc(lang)
    ))
}

/// Every rule as a Markdown document: the rules page of the documentation, in both languages
/// (the same bytes whatever the system's language).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nEvery rule `ducha check` applies, from the same table as `ducha explain CODE`.\nCodes starting with E are errors; codes starting with W are warnings (errors with `--strict`).\nEach rule is explained in Chinese, then in English.\n\n| code | name | 规则 | rule |\n| --- | --- | --- | --- |\n",
    );
    let rules = rules();
    for r in &rules {
        out.push_str(&format!(
            "| [{0}](#{1}) | `{2}` | {3} | {4} |\n",
            r.code,
            r.code.to_lowercase(),
            r.name,
            r.title_zh,
            r.title_en
        ));
    }
    for r in &rules {
        out.push_str(&format!(
            "\n## {}\n\n`{}` · {} · {} / {}\n\n```text\n{}\n```\n\n```text\n{}\n```\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.title_zh,
            r.title_en,
            r.doc_zh,
            r.doc_en
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::diag::{Message, Severity};

    #[test]
    fn codes_names_and_numbers_are_unique() {
        let all = rules();
        let codes: HashSet<_> = all.iter().map(|r| r.code).collect();
        let numbers: HashSet<_> = all.iter().map(|r| &r.code[1..]).collect();
        let names: HashSet<_> = all.iter().map(|r| r.name).collect();
        assert_eq!(codes.len(), all.len());
        assert_eq!(numbers.len(), all.len());
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn each_family_is_in_code_order() {
        for family in FAMILIES {
            let numbers: Vec<_> = family.iter().map(|r| &r.code[1..]).collect();
            assert!(numbers.is_sorted(), "{numbers:?}");
        }
    }

    #[test]
    fn every_rule_is_documented_in_both_languages() {
        for rule in rules() {
            let letter = match rule.severity {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(rule.code.starts_with(letter), "{}", rule.code);
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                rule.name
            );
            assert!(!rule.title_zh.is_empty() && !rule.title_en.is_empty());
            assert_ne!(rule.title_zh, rule.title_en, "{}", rule.code);
            assert!(rule.doc_en.starts_with("What it checks"), "{}", rule.code);
            assert!(rule.doc_zh.starts_with("检查内容："), "{}", rule.code);
        }
    }

    /// One message of each family's rules, at least, in both languages.
    fn samples() -> Vec<Box<dyn Message>> {
        [
            load::rules::samples(),
            load::syntax::samples(),
            load::slips::samples(),
            check::setup::samples(),
            check::entries::samples(),
            check::evidence::samples(),
            check::sheets::samples(),
            check::outside::samples(),
            check::objections::samples(),
            check::rectification::samples(),
            check::personal::samples(),
            pipeline::rounds::samples(),
            audit::samples(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    #[test]
    fn every_rule_has_a_message_in_both_languages() {
        let samples = samples();
        for rule in rules() {
            assert!(
                samples.iter().any(|m| std::ptr::eq(m.rule(), rule)),
                "{} has no message",
                rule.code
            );
        }
        for message in &samples {
            let (zh, en) = (message.text(Lang::Zh), message.text(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{message:?}");
            assert_ne!(zh, en, "{message:?}");
        }
    }

    #[test]
    fn a_rule_is_found_by_code_or_name() {
        assert_eq!(find("e0302").map(|r| r.name), Some("score-above-points"));
        assert_eq!(find("score-above-points").map(|r| r.code), Some("E0302"));
        assert!(find("E9999").is_none());
    }
}
