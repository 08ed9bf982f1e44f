//! The site in memory: Tera templates from the theme, fed with view structs made for them.

pub mod charts;
mod data;
pub mod i18n;
mod views;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use tera::Tera;

use crate::history::History;
use crate::model::Content;
use crate::score::Ranking;

/// Where the content came from, for the footer and `data/ranking.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The commit built from; `None` outside a git repository.
    pub commit: Option<String>,
    /// True when the content differs from that commit.
    pub dirty: bool,
}

/// The files of the site, by path relative to the output folder, in a stable order.
pub type SiteFiles = BTreeMap<String, Vec<u8>>;

macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}

/// The built-in theme, compiled into the binary.
const BUILTIN: &[(&str, &str)] = theme_files![
    "templates/base.html",
    "templates/index.html",
    "templates/town.html",
    "templates/group.html",
    "templates/rubric.html",
    "templates/notices.html",
    "templates/history.html",
    "templates/macros.html",
    "static/style.css",
    "static/app.js",
];

pub struct Theme {
    tera: Tera,
    assets: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The built-in theme, with each file that `ROOT/themes/default/` also has taken from there.
    pub fn load(root: &Path) -> Result<Theme> {
        let overrides = root.join("themes").join("default");
        let mut templates = Vec::new();
        let mut assets = Vec::new();
        for (path, builtin) in BUILTIN {
            let local = overrides.join(path);
            let text = if local.is_file() {
                std::fs::read_to_string(&local)
                    .with_context(|| format!("reading {}", local.display()))?
            } else {
                (*builtin).to_string()
            };
            match path.strip_prefix("templates/") {
                Some(name) => templates.push((name.to_string(), text)),
                None => {
                    let name = path.trim_start_matches("static/");
                    assets.push((format!("assets/{name}"), text.into_bytes()));
                }
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(templates)
            .map_err(|e| anyhow::anyhow!(tera_error(&e)))
            .context("reading the theme's templates")?;
        Ok(Theme { tera, assets })
    }

    fn page(&self, template: &str, context: &impl Serialize) -> Result<Vec<u8>> {
        let context = tera::Context::from_serialize(context)
            .with_context(|| format!("preparing {template}"))?;
        let html = self
            .tera
            .render(template, &context)
            .map_err(|e| anyhow::anyhow!(tera_error(&e)))
            .with_context(|| format!("rendering {template}"))?;
        Ok(html.into_bytes())
    }
}

/// Escapes text for HTML content and quoted attributes; unlike Tera's default it leaves `/`
/// alone, so that addresses stay readable in the source.
fn escape_html(text: &str) -> String {
    charts::escape(text)
}

fn tera_error(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Renders every page and data file of the site.
pub fn site(
    content: &Content,
    ranking: &Ranking,
    history: &History,
    theme: &Theme,
    source: &Source,
) -> Result<SiteFiles> {
    let mut files = SiteFiles::new();
    let site = views::Site::new(content, ranking, history, source);
    files.insert(
        "index.html".into(),
        theme.page("index.html", &site.ranking_page())?,
    );
    for (slug, page) in site.town_pages() {
        files.insert(
            format!("towns/{slug}/index.html"),
            theme.page("town.html", &page)?,
        );
    }
    for (id, page) in site.group_pages() {
        files.insert(
            format!("groups/{id}/index.html"),
            theme.page("group.html", &page)?,
        );
    }
    files.insert(
        "rubric/index.html".into(),
        theme.page("rubric.html", &site.rubric_page())?,
    );
    files.insert(
        "notices/index.html".into(),
        theme.page("notices.html", &site.notices_page())?,
    );
    files.insert(
        "history/index.html".into(),
        theme.page("history.html", &site.history_page())?,
    );
    files.insert(
        "data/ranking.json".into(),
        data::ranking_json(content, ranking, source),
    );
    files.insert("data/scores.csv".into(), data::scores_csv(content, ranking));
    for (path, bytes) in &theme.assets {
        files.insert(path.clone(), bytes.clone());
    }
    Ok(files)
}

pub use views::site_path;

/// Evidence files the site links to, relative to `content/`, for the writer to copy.
pub fn evidence(content: &Content) -> Vec<String> {
    views::evidence_paths(content)
}
