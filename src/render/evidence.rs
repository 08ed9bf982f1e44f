//! Links from a page to the published copies of the files that content points at: evidence
//! lists, and the relative links of Markdown notes, summaries and requirements.

use std::collections::BTreeMap;

use serde::Serialize;

use super::urls;
use crate::markdown;
use crate::model::Spanned;
use crate::source::Evidence;

/// The published files as one page reaches them.
pub struct Links<'a> {
    /// What each linked path resolved to.
    evidence: &'a BTreeMap<String, Evidence>,
    /// The way back to the site's root from the page.
    root: String,
    /// False when the campaign keeps its evidence files off the site: names are shown as text.
    publish: bool,
}

/// A file of an evidence list.
#[derive(Serialize)]
pub struct Link<'a> {
    /// `None` when the campaign does not publish its evidence files.
    href: Option<String>,
    /// The file's name, without its folders.
    name: &'a str,
}

impl<'a> Links<'a> {
    /// The links of a page `depth` folders below the site's root.
    pub fn new(evidence: &'a BTreeMap<String, Evidence>, depth: usize) -> Self {
        Links {
            evidence,
            root: urls::root(depth),
            publish: true,
        }
    }

    /// The same links, or none at all when `publish` is false (`evidence: {publish: false}`).
    pub fn published(self, publish: bool) -> Self {
        Links { publish, ..self }
    }

    /// The address of the published copy of a path as written; `None` for a path that is not
    /// published.
    pub fn href(&self, written: &str) -> Option<String> {
        if !self.publish {
            return None;
        }
        match self.evidence.get(written)? {
            Evidence::Present { resolved } => Some(format!(
                "{}{}",
                self.root,
                markdown::encode_path(&urls::site_path(resolved))
            )),
            _ => None,
        }
    }

    /// Markdown as safe HTML, its relative links leading to the published copies.
    pub fn markdown(&self, text: &str) -> String {
        markdown::render(text, &|p| self.href(p)).html
    }

    /// An evidence list: a link for each published file, or each file's name alone when the
    /// campaign does not publish them.
    pub fn list<'m>(&self, paths: &'m [Spanned<String>]) -> Vec<Link<'m>> {
        paths
            .iter()
            .filter_map(|p| {
                let href = self.href(&p.value);
                (href.is_some() || !self.publish).then(|| Link {
                    href,
                    name: p.value.rsplit('/').next().unwrap_or(&p.value),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_lead_to_where_the_file_system_found_the_file() {
        let mut evidence = BTreeMap::new();
        let present = |r: &str| Evidence::Present {
            resolved: r.to_string(),
        };
        evidence.insert(
            "evidence/a #1?.png".into(),
            present("content/evidence/a #1?.png"),
        );
        evidence.insert(
            "evidence/lnk/../b.png".into(),
            present("content/real/b.png"),
        );
        evidence.insert("evidence/c.png".into(), Evidence::Missing);
        assert_eq!(
            Links::new(&evidence, 1)
                .href("evidence/a #1?.png")
                .as_deref(),
            Some("../files/evidence/a%20%231%3F.png")
        );
        // Published where the file system found it, not where the written path points.
        let top = Links::new(&evidence, 0);
        assert_eq!(
            top.href("evidence/lnk/../b.png").as_deref(),
            Some("files/real/b.png")
        );
        assert_eq!(top.href("evidence/c.png"), None);
        assert_eq!(top.href("elsewhere.png"), None);
    }
}
