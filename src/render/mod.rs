//! The site in memory: Tera templates from the theme, fed with view structs made for them.

pub mod charts;
mod data;
mod docx;
mod evidence;
pub mod form;
mod gongwen;
pub mod i18n;
mod layout;
mod pages;
mod rows;
mod shared;
mod table;
mod urls;
mod workbook;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::Tera;

use crate::audit::{Flag, Signer};
use crate::compare::Round;
use crate::history::History;
use crate::model::{Complete, Lang};
use crate::problem::{Context, Problem, Result, ThemeTrouble};
use crate::score::Ranking;
use crate::source::{Evidence, Fetched, Source as _, WorkTree};
use pages::Page;
use shared::Site;

/// Where the content came from, for the footer and `data/ranking.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The commit built from; `None` outside a git repository.
    pub commit: Option<String>,
    /// True when the content differs from that commit.
    pub dirty: bool,
    /// The day states that depend on a date (a window open, a deadline passed) are computed
    /// as of: the commit's day, today for uncommitted content, or the day `--as-of` gives.
    #[serde(skip)]
    pub as_of: Option<jiff::civil::Date>,
    /// The tag and day of the publication, when the commit built is the one `ducha publish`
    /// tagged.
    #[serde(skip)]
    pub published: Option<(String, Option<jiff::civil::Date>)>,
}

/// Where rendered files go, one at a time, by path relative to the output folder. Called from
/// several threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;

    /// Puts bytes that are shared with a site kept in memory: a sink that keeps files in memory
    /// keeps them without a copy.
    fn put_shared(&self, path: &str, bytes: &Arc<[u8]>) -> Result<()> {
        self.put(path, bytes)
    }

    /// The views of the last site, when this sink replaces one whose pages it can put again
    /// without rendering them (a folder over ducha's last site).
    fn last_views(&self) -> Option<&Views> {
        None
    }

    /// Puts the last site's page at `path` again, as it was written; false when the sink
    /// cannot (no such page, or its file no longer holds what was written), and the page must
    /// be rendered.
    fn put_last(&self, _path: &str) -> Result<bool> {
        Ok(false)
    }

    /// Whether the sink keeps the views of what it is given, for the next render over it;
    /// asked once, before anything is put, and a sink that does may fingerprint from then on
    /// what it is given.
    fn keeps_views(&self) -> bool {
        false
    }

    /// Keeps the views of the render just made, once every file is put.
    fn keep_views(&self, _views: Views) -> Result<()> {
        Ok(())
    }
}

/// The files of a site kept in memory, in a stable order, each shared rather than copied
/// (`serve`, tests and small sites).
#[derive(Default)]
pub struct Memory(pub std::sync::Mutex<BTreeMap<String, Arc<[u8]>>>);

impl Memory {
    /// The files put so far, sharing their bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Arc<[u8]>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn into_shared(self) -> BTreeMap<String, Arc<[u8]>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.into_shared()
            .into_iter()
            .map(|(path, bytes)| (path, bytes.to_vec()))
            .collect()
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.put_shared(path, &Arc::from(bytes))
    }

    fn put_shared(&self, path: &str, bytes: &Arc<[u8]>) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), Arc::clone(bytes));
        Ok(())
    }
}

macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}

/// The built-in theme, compiled into the binary: the frame of every page, each page's own
/// template (`pages::TEMPLATES`), then the macros and the static files they share.
const FRAME: &[(&str, &str)] = theme_files!["templates/base.html"];
const SHARED: &[(&str, &str)] =
    theme_files!["templates/macros.html", "static/style.css", "static/app.js",];

pub struct Theme {
    tera: Tera,
    assets: Vec<(String, Vec<u8>)>,
    /// A fingerprint of the language and every template and file: pages rendered with an
    /// equal one from equal views are equal.
    fingerprint: u64,
}

impl Theme {
    /// The built-in theme, with each file that `ROOT/themes/default/` also has taken from there,
    /// speaking `lang`: templates get interface strings from `t(k="rank")`.
    pub fn load(root: &Path, lang: Lang) -> Result<Theme> {
        Theme::with_overrides(Some(root), lang, None)?.ok_or_else(|| Problem::Templates.into())
    }

    /// The theme as `load` reads it, or `last` itself when its files and language are the same
    /// (`ducha serve`: its templates are not compiled again).
    pub fn load_reusing(root: &Path, lang: Lang, last: Option<Arc<Theme>>) -> Result<Arc<Theme>> {
        match Theme::with_overrides(Some(root), lang, last.as_deref())? {
            Some(theme) => Ok(Arc::new(theme)),
            None => last.ok_or_else(|| Problem::Templates.into()),
        }
    }

    /// The built-in theme alone, for a campaign that has no folder on disk.
    pub fn builtin(lang: Lang) -> Result<Theme> {
        Theme::with_overrides(None, lang, None)?.ok_or_else(|| Problem::Templates.into())
    }

    /// The theme; `None` when it is the same as `last`.
    fn with_overrides(
        root: Option<&Path>,
        lang: Lang,
        last: Option<&Theme>,
    ) -> Result<Option<Theme>> {
        // Overrides are read like content: regular files inside the repository only.
        let tree = root.and_then(|root| WorkTree::new(root).ok());
        let mut templates = Vec::new();
        let mut assets = Vec::new();
        for (path, builtin) in FRAME.iter().chain(pages::TEMPLATES).chain(SHARED) {
            let local = format!("themes/default/{path}");
            let found = match &tree {
                Some(tree) => tree.read(&local)?,
                None => Fetched::Missing,
            };
            let refuse = |trouble| -> Result<Option<Theme>> {
                Err(Problem::ThemeFile {
                    path: local.clone(),
                    trouble,
                }
                .into())
            };
            let text = match found {
                Fetched::Bytes(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(_) => return refuse(ThemeTrouble::NotUtf8),
                },
                Fetched::Missing => (*builtin).to_string(),
                Fetched::NotAFile => return refuse(ThemeTrouble::NotAFile),
                Fetched::Outside => return refuse(ThemeTrouble::Outside),
                Fetched::TooLarge => return refuse(ThemeTrouble::TooLarge),
            };
            match path.strip_prefix("templates/") {
                Some(name) => templates.push((name.to_string(), text)),
                None => {
                    let name = path.trim_start_matches("static/");
                    assets.push((urls::asset(name), text.into_bytes()));
                }
            }
        }
        let fingerprint = {
            use std::hash::{Hash as _, Hasher as _};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (lang == Lang::Zh).hash(&mut hasher);
            templates.hash(&mut hasher);
            assets.hash(&mut hasher);
            hasher.finish()
        };
        if last.is_some_and(|t| t.fingerprint == fingerprint) {
            return Ok(None);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        let strings = i18n::strings(lang);
        tera.register_function(
            "t",
            move |args: &std::collections::HashMap<String, tera::Value>| {
                let key = args.get("k").and_then(|k| k.as_str()).unwrap_or("");
                strings
                    .get(key)
                    .map(|s| tera::Value::String((*s).to_string()))
                    .ok_or_else(|| tera::Error::msg(format!("no interface string `{key}`")))
            },
        );
        tera.add_raw_templates(templates)
            .context(Problem::Templates)?;
        Ok(Some(Theme {
            tera,
            assets,
            fingerprint,
        }))
    }

    fn page(&self, template: &str, context: &impl Serialize) -> Result<String> {
        let context = tera::Context::from_serialize(context)
            .with_context(|| Problem::Preparing(template.to_string()))?;
        self.tera
            .render(template, &context)
            .with_context(|| Problem::Rendering(template.to_string()))
    }
}

/// Escapes text for HTML content and quoted attributes; unlike Tera's default it leaves `/`
/// alone, so that addresses stay readable in the source.
fn escape_html(text: &str) -> String {
    charts::escape(text)
}

/// What a site is made from: the checked content, the ranking and the audit trail.
pub struct Inputs<'a> {
    pub model: Complete<'a>,
    /// What each linked path resolved to.
    pub evidence: &'a BTreeMap<String, Evidence>,
    pub ranking: &'a Ranking,
    pub history: &'a History,
    /// The changes of the trail that audit rules flag.
    pub flags: &'a [Flag],
    /// Who signed each commit, when the campaign signs its commits.
    pub signers: Option<&'a [Signer]>,
    /// The rounds before this one, newest first.
    pub rounds: &'a [Round],
    pub source: &'a Source,
    /// The towns of a bundle (`build --town`), by slug: only their reports, notices, objections,
    /// rectification and evidence, beside the whole ranking. `None` for the whole site.
    pub bundle: Option<&'a std::collections::BTreeSet<String>>,
}

/// One thread's share of the work at a time: a page, the data exports, the workbook, the
/// notices as Word documents, or the theme's files.
#[derive(Clone, Copy)]
enum Job {
    Page(Page),
    Exports,
    Workbook,
    Documents,
    Assets,
}

/// What a render leaves for the next render of the same campaign (`ducha serve`): the
/// fingerprint of each page's view, and the pages as written. A page whose view is the same
/// again is not rendered again.
#[derive(Default)]
pub struct Reuse {
    views: Views,
    pages: Arc<BTreeMap<String, Arc<[u8]>>>,
}

impl Reuse {
    /// The views of a render, and the files it wrote.
    pub fn new(views: Views, pages: Arc<BTreeMap<String, Arc<[u8]>>>) -> Reuse {
        Reuse { views, pages }
    }

    /// The data exports and office documents of the last render, which a server shows
    /// with the new pages until the new ones are made.
    pub fn files(&self) -> impl Iterator<Item = (&String, &Arc<[u8]>)> {
        self.pages
            .iter()
            .filter(|(path, _)| urls::made_after_pages(path))
    }

    /// The page at `path` as written last time, when its view then had this fingerprint.
    fn page(&self, path: &str, fingerprint: u64) -> Option<&Arc<[u8]>> {
        (self.views.pages.get(path) == Some(&fingerprint))
            .then(|| self.pages.get(path))
            .flatten()
    }
}

/// The fingerprint of each page's view, with what every page was rendered with: the theme, the
/// numbers left unmasked, the towns of a bundle and the program itself.
#[derive(Default)]
pub struct Views {
    frame: u64,
    pages: HashMap<String, u64>,
    /// How many pages this render made anew, not taken from the last one.
    rendered: usize,
}

impl Views {
    /// How many pages the render made anew.
    pub fn rendered(&self) -> usize {
        self.rendered
    }

    /// What every page was rendered with.
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// Each page's path and the fingerprint of its view.
    pub fn pages(&self) -> impl Iterator<Item = (&str, u64)> {
        self.pages.iter().map(|(path, f)| (path.as_str(), *f))
    }

    /// Views as kept beside a site: its frame, and each page's path and fingerprint.
    pub fn from_pages(frame: u64, pages: impl IntoIterator<Item = (String, u64)>) -> Views {
        Views {
            frame,
            pages: pages.into_iter().collect(),
            rendered: 0,
        }
    }
}

/// A fingerprint of the program that renders: pages kept from a site another program wrote are
/// never taken for this one's. Its own bytes, read once; a program that cannot read itself is
/// told apart from every other by its process and the time.
fn program() -> u64 {
    static PROGRAM: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *PROGRAM.get_or_init(|| {
        use std::hash::{Hash as _, Hasher as _};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        match std::env::current_exe().and_then(std::fs::read) {
            Ok(bytes) => hasher.write(&bytes),
            Err(_) => {
                std::process::id().hash(&mut hasher);
                std::time::SystemTime::now().hash(&mut hasher);
            }
        }
        hasher.finish()
    })
}

/// Which of a site's files a render writes: all of them, or in two stages, the pages first
/// (with the theme's files) and then the data exports and office documents, so that a
/// server shows the pages before the slower files are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    All,
    Pages,
    Files,
}

/// Renders every page and data file of the site into `sink`; returns how many pages.
pub fn site(inputs: &Inputs, theme: &Theme, sink: &dyn Sink) -> Result<usize> {
    render_site(inputs, theme, sink, None, Stage::All, false, None).map(|(pages, _)| pages)
}

/// Renders like `site`, taking every page that `sink` can put again from the site it replaces
/// (`Sink::put_last`) when that page's view is the same; returns how many pages, and the views.
pub fn site_over(inputs: &Inputs, theme: &Theme, sink: &dyn Sink) -> Result<(usize, Views)> {
    render_site(inputs, theme, sink, None, Stage::All, false, None)
}

/// Renders the files of `stage` into `sink` like `site`, taking from `reuse` every page whose
/// view is the same as then; returns how many pages, and their views for the next render.
pub fn site_reusing(
    inputs: &Inputs,
    theme: &Theme,
    sink: &dyn Sink,
    reuse: Option<&Reuse>,
    stage: Stage,
) -> Result<(usize, Views)> {
    render_site(inputs, theme, sink, reuse, stage, true, None)
}

/// Renders the data files and documents (`Stage::Files`) into `sink`, unless `stop` is set
/// meanwhile: then it stops soon after, with `Problem::Overtaken`, and what it put is not the
/// whole of them.
pub fn files_unless(
    inputs: &Inputs,
    theme: &Theme,
    sink: &dyn Sink,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<()> {
    render_site(inputs, theme, sink, None, Stage::Files, false, Some(stop)).map(|_| ())
}

/// Renders like `site_reusing`; the views are fingerprinted only when `remember` asks for
/// them, for a render to come.
fn render_site(
    inputs: &Inputs,
    theme: &Theme,
    sink: &dyn Sink,
    reuse: Option<&Reuse>,
    stage: Stage,
    remember: bool,
    stop: Option<&std::sync::atomic::AtomicBool>,
) -> Result<(usize, Views)> {
    let masked = Masked {
        inner: sink,
        keep: crate::personal::kept(
            inputs
                .model
                .groups
                .iter()
                .flat_map(|g| g.people())
                .filter_map(|p| p.phone.as_deref()),
        ),
    };
    // The pages of a site on disk may be from another program, or another bundle.
    let last = sink.last_views();
    let keeps = sink.keeps_views();
    let frame = {
        use std::hash::{Hash as _, Hasher as _};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        theme.fingerprint.hash(&mut hasher);
        masked.keep.hash(&mut hasher);
        if last.is_some() || keeps {
            program().hash(&mut hasher);
            inputs.bundle.hash(&mut hasher);
        }
        hasher.finish()
    };
    let views = Mutex::new(HashMap::new());
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let out = pages::Output {
        theme,
        sink: &masked,
        reuse: reuse.filter(|r| r.views.frame == frame),
        last: last.filter(|l| l.frame == frame && reuse.is_none()),
        views: (remember || keeps).then_some(&views),
        rendered: &rendered,
    };
    let sink: &dyn Sink = &masked;
    let mut site = Site::new(inputs);
    site.stop = stop;
    let pages = Page::all(&site);
    // The large jobs first, so that the cores finish together.
    let files = match stage {
        Stage::Pages => &[][..],
        Stage::All | Stage::Files => &[Job::Exports, Job::Workbook, Job::Documents][..],
    };
    let shown = match stage {
        Stage::Files => &[][..],
        Stage::All | Stage::Pages => &pages[..],
    };
    let jobs: Vec<Job> = files
        .iter()
        .copied()
        .chain(shown.iter().map(|&p| Job::Page(p)))
        .chain((stage != Stage::Files).then_some(Job::Assets))
        .collect();
    crate::progress::stage(crate::progress::Stage::Rendering, Some(jobs.len() as u64));
    crate::parallel::map(&jobs, |job| {
        site.stopped()?;
        let done = match *job {
            Job::Page(page) => page.render(&site, &out),
            Job::Exports => data::write(&site, sink),
            Job::Workbook => data::workbook(&site, sink),
            Job::Documents => documents(&site, sink),
            Job::Assets => {
                sink.put(urls::ROBOTS, b"User-agent: *\nDisallow: /\n")?;
                theme
                    .assets
                    .iter()
                    .try_for_each(|(path, bytes)| sink.put(path, bytes))
            }
        };
        crate::progress::advance(1);
        done
    })?;
    let mut views = Views {
        frame,
        pages: views.into_inner().unwrap_or_else(|e| e.into_inner()),
        rendered: rendered.into_inner(),
    };
    if keeps {
        let rendered = views.rendered;
        sink.keep_views(std::mem::take(&mut views))?;
        views.rendered = rendered;
    }
    Ok((pages.len(), views))
}

/// A sink that masks the personal numbers in every page and text export (W0601–W0603), but the
/// groups' contact numbers, which are published on purpose. Workbooks, documents and file
/// addresses mask their own text.
struct Masked<'a> {
    inner: &'a dyn Sink,
    keep: Vec<String>,
}

impl Masked<'_> {
    /// Puts bytes that were masked when they were written first.
    fn put_masked(&self, path: &str, bytes: &Arc<[u8]>) -> Result<()> {
        self.inner.put_shared(path, bytes)
    }

    /// Puts a page as text, masked.
    fn put_text(&self, path: &str, page: &str) -> Result<()> {
        match crate::personal::mask_except(page, &self.keep) {
            std::borrow::Cow::Owned(masked) => self.inner.put(path, masked.as_bytes()),
            std::borrow::Cow::Borrowed(_) => self.inner.put(path, page.as_bytes()),
        }
    }
}

impl Sink for Masked<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let text = [".html", ".csv", ".json", ".txt", ".svg"]
            .iter()
            .any(|e| path.ends_with(e));
        match std::str::from_utf8(bytes) {
            Ok(page) if text => self.put_text(path, page),
            _ => self.inner.put(path, bytes),
        }
    }

    fn last_views(&self) -> Option<&Views> {
        self.inner.last_views()
    }

    /// The last site's pages were masked when they were written.
    fn put_last(&self, path: &str) -> Result<bool> {
        self.inner.put_last(path)
    }

    fn keeps_views(&self) -> bool {
        self.inner.keeps_views()
    }

    fn keep_views(&self, views: Views) -> Result<()> {
        self.inner.keep_views(views)
    }
}

/// Writes only `data/ranking.xlsx` into `sink`, for measuring it alone (`benches/workbook.rs`).
pub fn ranking_workbook(inputs: &Inputs, sink: &dyn Sink) -> Result<()> {
    data::workbook(&Site::new(inputs), sink)
}

/// Writes the circular and the supervision notices as Word documents into `sink`.
fn documents(site: &Site, sink: &dyn Sink) -> Result<()> {
    for (path, document) in pages::notices::documents(site) {
        site.stopped()?;
        let bytes = docx::write(&document).with_context(|| Problem::Document(path.clone()))?;
        sink.put(&path, &bytes)?;
    }
    Ok(())
}

pub use urls::{published_files, site_path};
