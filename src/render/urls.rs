//! Where each file of the site lives: the one place that knows the site's addresses.

use std::collections::{BTreeMap, BTreeSet};

use crate::source::Evidence;

pub const RANKING: &str = "index.html";
pub const RUBRIC: &str = "rubric/index.html";
pub const NOTICES: &str = "notices/index.html";
pub const HISTORY: &str = "history/index.html";
pub const ROUNDS: &str = "rounds/index.html";
pub const OBJECTIONS: &str = "objections/index.html";
pub const RECTIFICATION: &str = "rectification/index.html";
pub const RECTIFICATION_CSV: &str = "data/rectification.csv";
pub const RECTIFICATION_JSON: &str = "data/rectification.json";
pub const SCORES_CSV: &str = "data/scores.csv";
pub const RANKING_JSON: &str = "data/ranking.json";
pub const RANKING_XLSX: &str = "data/ranking.xlsx";
/// Tells search engines to index nothing: the site is for the intranet.
pub const ROBOTS: &str = "robots.txt";
pub const ROUNDS_JSON: &str = "data/rounds.json";
/// The circular as a Word document.
pub const CIRCULAR_DOCX: &str = "notices/通报.docx";

/// Whether a file is a data export or an office document: what `Stage::Files` writes after
/// the pages.
pub fn made_after_pages(path: &str) -> bool {
    path.starts_with("data/") || path.ends_with(".docx")
}

/// A town's supervision notice as a Word document, from the site's root.
pub fn supervision_docx(slug: &str) -> String {
    format!("notices/督办通知-{slug}.docx")
}

/// A town's page, from the site's root.
pub fn town(slug: &str) -> String {
    format!("towns/{slug}/index.html")
}

/// A group's page, from the site's root.
pub fn group(id: &str) -> String {
    format!("groups/{id}/index.html")
}

/// A file of the theme's `static/` folder, from the site's root.
pub fn asset(name: &str) -> String {
    format!("assets/{name}")
}

/// The way back to the site's root from a page `depth` folders down: "", "../", "../../".
pub fn root(depth: usize) -> String {
    "../".repeat(depth)
}

/// Where a linked file is published in the site, relative to the site's root, from its path
/// relative to the repository root as the file system resolved it: files under `content/`
/// under `files/`, any other file of the repository under `root-files/`.
pub fn site_path(resolved: &str) -> String {
    // A personal number in a file's name is masked in its address too (W0601–W0603).
    let resolved = crate::personal::mask_path(resolved);
    match resolved.strip_prefix("content/") {
        Some(rest) => format!("files/{rest}"),
        None => format!("root-files/{resolved}"),
    }
}

/// Every file the site publishes: its path in the site, and its path in the repository.
pub fn published_files(evidence: &BTreeMap<String, Evidence>) -> Vec<(String, String)> {
    let resolved: BTreeSet<&str> = evidence
        .values()
        .filter_map(|e| match e {
            Evidence::Present { resolved } => Some(resolved.as_str()),
            _ => None,
        })
        .collect();
    resolved
        .into_iter()
        .map(|r| (site_path(r), r.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_published_under_files() {
        assert_eq!(
            site_path("content/evidence/x/1.svg"),
            "files/evidence/x/1.svg"
        );
        assert_eq!(site_path("docs/a.pdf"), "root-files/docs/a.pdf");
    }

    #[test]
    fn pages_find_the_root() {
        assert_eq!(root(0), "");
        assert_eq!(root(2), "../../");
        assert_eq!(format!("{}{}", root(1), town("a")), "../towns/a/index.html");
    }
}
