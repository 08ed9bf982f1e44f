//! Every stage of `build` on a campaign in memory, writing nothing: evaluate, print the
//! diagnostics in every format, and render. Fuzzing and tests drive it with campaigns
//! written as archives of changes to a base campaign (`archive.rs`).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::{Trail, evaluate, render_with};
use crate::diag::{self, Finding, Format};
use crate::model::Lang;
use crate::problem::Result;
use crate::render::{self, Theme};
use crate::score::Ranking;
use crate::source::{Fetched, Source};

/// What building a campaign in memory gave.
pub struct Built {
    /// The findings as `check` reports them.
    pub findings: Vec<Finding>,
    pub errors: usize,
    /// The diagnostics as printed in every format, plain and `--strict`.
    pub printed: Vec<Printed>,
    pub ranking: Ranking,
    /// Every page, data file and evidence file of the site, by path; `None` when the content
    /// has errors.
    pub site: Option<BTreeMap<String, Vec<u8>>>,
}

/// The diagnostics as one format prints them.
pub struct Printed {
    pub format: Format,
    pub strict: bool,
    pub text: String,
}

const FORMATS: [Format; 6] = [
    Format::Human { color: false },
    Format::Human { color: true },
    Format::Json,
    Format::Github,
    Format::Gitlab,
    Format::Sarif,
];

/// Builds the campaign in `source` as `ducha build` would, outside any git repository and
/// with the built-in theme. `Err` is what would make a command exit 2.
pub fn build_in_memory(source: Arc<dyn Source>) -> Result<Built> {
    let evaluation = evaluate(Arc::clone(&source), Trail::None)?;
    let plain = evaluation.report(false);
    let strict = evaluation.report(true);
    let printed = [(&plain, false), (&strict, true)]
        .into_iter()
        .flat_map(|(report, strict)| {
            FORMATS.map(|format| Printed {
                format,
                strict,
                text: diag::render(report, format),
            })
        })
        .collect();
    let (findings, errors) = (plain.findings(), plain.errors());
    let site = if errors > 0 {
        None
    } else {
        let memory = render::Memory::default();
        let commit = render::Source {
            as_of: None,
            published: None,
            commit: None,
            dirty: false,
        };
        render_with(
            &evaluation,
            builtin_theme(evaluation.lang())?,
            &commit,
            None,
            &memory,
        )?;
        let mut files = memory.into_files();
        let publish = evaluation.publishes_evidence();
        for (target, resolved) in render::published_files(&evaluation.loaded.evidence)
            .into_iter()
            .filter(|_| publish)
        {
            if let Fetched::Bytes(bytes) = source.read(&resolved)? {
                files.insert(target, bytes);
            }
        }
        Some(files)
    };
    Ok(Built {
        findings,
        errors,
        printed,
        ranking: evaluation.ranking,
        site,
    })
}

impl Built {
    /// What would be wrong with this build whatever the content: a JSON report or data file
    /// that does not parse, or a site path that would leave the output folder. Always empty.
    pub fn faults(&self) -> Vec<String> {
        let mut faults = Vec::new();
        for printed in self.printed.iter().filter(|p| p.format == Format::Json) {
            match serde_json::from_str::<serde_json::Value>(&printed.text) {
                Err(e) => faults.push(format!("the JSON report does not parse: {e}")),
                Ok(report) if !printed.strict && report["errors"] != self.errors => faults.push(
                    format!("the JSON report counts {} errors", report["errors"]),
                ),
                Ok(_) => {}
            }
        }
        for (path, bytes) in self.site.iter().flatten() {
            let inside = |part: &str| !matches!(part, "" | "." | "..") && !part.contains('\0');
            if !path.split('/').all(inside) {
                faults.push(format!("the site path {path:?} leaves the output folder"));
            }
            if path.ends_with(".json")
                && serde_json::from_slice::<serde_json::Value>(bytes).is_err()
            {
                faults.push(format!("{path} does not parse"));
            }
        }
        faults
    }
}

/// The built-in theme in `lang`, parsed once: it is the same for every campaign, and parsing
/// it costs more than rendering a small site.
fn builtin_theme(lang: Lang) -> Result<&'static Theme> {
    static THEMES: [OnceLock<Theme>; 2] = [OnceLock::new(), OnceLock::new()];
    let cell = &THEMES[match lang {
        Lang::Zh => 0,
        Lang::En => 1,
    }];
    if let Some(theme) = cell.get() {
        return Ok(theme);
    }
    let theme = Theme::builtin(lang)?;
    Ok(cell.get_or_init(|| theme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{example, unpack};

    #[test]
    fn the_example_builds_in_memory_without_errors() {
        let built = build_in_memory(Arc::new(example())).unwrap();
        assert_eq!(built.errors, 0, "{:#?}", built.findings);
        let site = built.site.unwrap();
        assert!(site.contains_key("index.html"));
        assert!(site.contains_key("towns/xiantang/index.html"));
        assert!(
            site.contains_key("files/evidence/lankou/1-water.svg"),
            "{:?}",
            site.keys()
        );
        assert_eq!(built.printed.len(), 2 * FORMATS.len());
    }

    #[test]
    fn a_site_path_that_leaves_the_output_folder_is_a_fault() {
        let mut built = build_in_memory(Arc::new(example())).unwrap();
        assert_eq!(built.faults(), Vec::<String>::new());
        let site = built.site.as_mut().unwrap();
        site.insert("towns/../../etc/index.html".into(), vec![]);
        site.insert("data/x.json".into(), b"{".to_vec());
        assert_eq!(
            built.faults(),
            [
                "data/x.json does not parse",
                "the site path \"towns/../../etc/index.html\" leaves the output folder"
            ]
        );
    }

    #[test]
    fn a_campaign_with_errors_is_reported_and_not_rendered() {
        let broken = unpack(
            &example(),
            b"%%file content/sheets/xiantang.yaml\nscroe: 1\n",
        );
        let built = build_in_memory(Arc::new(broken)).unwrap();
        assert!(built.errors > 0);
        assert!(built.site.is_none());
        let json = built
            .printed
            .iter()
            .find(|p| p.format == Format::Json && !p.strict)
            .unwrap();
        assert!(
            json.text.contains("content/sheets/xiantang.yaml"),
            "{}",
            json.text
        );
    }
}
