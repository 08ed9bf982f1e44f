//! The stages in order, for every command and test that reads a campaign: `evaluate` loads,
//! checks, scores and audits a campaign from any source (a working tree, a git commit,
//! memory); `Site` renders what an evaluation publishes, into any sink (the output folder, or
//! memory for `serve` and the tests).

mod archive;
mod memory;
pub mod rounds;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::audit::{self, Flag, Signer};
use crate::check;
use crate::diag::{self, Diagnostic, Finding, Format, Report};
use crate::history::{self, History};
use crate::model::Lang;
use crate::problem::{Problem, Result};
use crate::render::{self, Sink, Theme};
use crate::score::{self, Ranking};
use crate::source::{FileId, Source, WorkTree};
use crate::{load, write};

pub use archive::{Change, archive, changes, example, unpack};
pub use memory::{Built, Printed, build_in_memory};

/// A campaign read, checked, scored and audited: what every output is made from.
pub struct Evaluation {
    /// The content, its files and the evidence it links to.
    pub loaded: load::Loaded,
    /// The audit trail: every change to a sheet, commit by commit.
    pub history: History,
    /// The changes of the trail that audit rules flag.
    pub flags: Vec<Flag>,
    /// Who signed each commit of the trail, when the campaign signs its commits.
    pub signers: Option<Vec<Signer>>,
    /// Every finding of loading, the rules and the audit.
    pub diags: Vec<Diagnostic>,
    pub ranking: Ranking,
    /// The rounds before this one, newest first, when the campaign names a `previous`.
    pub rounds: Vec<crate::compare::Round>,
}

/// Where an evaluation reads the trail of changes from.
#[derive(Debug, Clone, Copy)]
pub enum Trail<'a> {
    /// No trail: a commit read from git, or a campaign in memory.
    None,
    /// The git history of the repository holding this folder, and its uncommitted changes.
    Git(&'a Path),
    /// No trail, but the earlier rounds `previous` names, read from the repository at this
    /// folder: what `diff` compares, consequences over several rounds included.
    Rounds(&'a Path),
}

/// Loads, checks, scores and audits the campaign in `source`.
pub fn evaluate(source: Arc<dyn Source>, trail: Trail) -> Result<Evaluation> {
    let loaded = load::load_from(source)?;
    evaluate_loaded(loaded, trail, None)
}

/// The campaign in the folder `root`, with its git history.
pub fn work_tree(root: &Path) -> Result<Evaluation> {
    evaluate_loaded(load::load(root)?, Trail::Git(root), None)
}

/// The campaign in the folder `root` as it is, without its history but with its earlier
/// rounds: what `diff` compares.
pub fn work_tree_alone(root: &Path) -> Result<Evaluation> {
    evaluate_loaded(load::load(root)?, Trail::Rounds(root), None)
}

/// The campaign as commit `rev` of the repository at `root` holds it, read from git's objects
/// in memory, with its earlier rounds; with the commit's id.
pub fn commit(root: &Path, rev: &str) -> Result<(Evaluation, String)> {
    let (tree, id) = history::commit_tree(root, rev)?;
    Ok((evaluate(Arc::new(tree), Trail::Rounds(root))?, id))
}

/// Evaluates what was loaded; with a `session`, taking from it what the last evaluation found
/// the same.
fn evaluate_loaded(
    mut loaded: load::Loaded,
    trail: Trail,
    session: Option<&Session>,
) -> Result<Evaluation> {
    let scans = session.map(|s| &s.scans);
    // The earlier rounds are read from git while this round's history is: neither needs the
    // other.
    let content = &loaded.content;
    let (history, rounds) = std::thread::scope(|scope| {
        let rounds = match trail {
            Trail::Git(root) | Trail::Rounds(root) => {
                Some(scope.spawn(move || rounds::earlier(root, content)))
            }
            Trail::None => None,
        };
        let history = match trail {
            Trail::None | Trail::Rounds(_) => Ok(History::none()),
            Trail::Git(root) => history::read_remembering(root, content, session.map(|s| &s.trail)),
        };
        let rounds = rounds.map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (history, rounds)
    });
    let history = history?;
    let mut diags = std::mem::take(&mut loaded.diags);
    diags.extend(check::run(
        &loaded.content,
        &|path| loaded.evidence(path),
        &|town| history.deletion(town),
    ));
    diags.extend(personal_numbers(&loaded, scans));
    let (audited, flags) = audit::run(&loaded.content, &history);
    diags.extend(audited);
    let signers = audit::signers(&loaded.content, &history);
    // `diff` scores content with errors too, so scoring takes any content.
    let mut ranking = score::rank(&loaded.content);
    let earlier = match rounds {
        Some((earlier, found)) => {
            diags.extend(found);
            rounds::consequences(&loaded.content, &mut ranking, &earlier);
            earlier
        }
        None => Vec::new(),
    };
    Ok(Evaluation {
        loaded,
        history,
        flags,
        signers,
        diags,
        ranking,
        rounds: earlier,
    })
}

/// The personal numbers written in the sheets, objections and rectification records, read from
/// their files' text on every core; a sheet whose file and text `scans` has seen is not read
/// again.
fn personal_numbers(loaded: &load::Loaded, scans: Option<&Scans>) -> Vec<Diagnostic> {
    let content = &loaded.content;
    let files: Vec<(FileId, Option<u64>)> = content
        .sheets
        .iter()
        .map(|s| (s.file, Some(s.text)))
        .chain(content.objections.iter().map(|o| (o.file, None)))
        .chain(content.rectification.iter().map(|r| (r.file, None)))
        .collect();
    let last = scans.map(|s| std::mem::take(&mut *s.0.lock().unwrap_or_else(|e| e.into_inner())));
    let key = |file: FileId, text: u64| (loaded.files.path(file).to_string(), file, text);
    let chunks: Vec<&[(FileId, Option<u64>)]> = files.chunks(256).collect();
    let found = crate::parallel::map(&chunks, |chunk| {
        let mut out = Vec::new();
        for &(file, text) in *chunk {
            let known = text
                .map(|text| key(file, text))
                .and_then(|k| Some((last.as_ref()?.get(&k)?.clone(), k)));
            let (found, key) = match known {
                Some((found, key)) => (found, Some(key)),
                None => {
                    // Kept under the fingerprint of the text read now, which may be newer
                    // than the one loaded.
                    let mut found = Vec::new();
                    let read = loaded.files.text(file);
                    if let Some(read) = &read {
                        check::personal::scan(file, read, &mut found);
                    }
                    let key = text
                        .zip(read)
                        .map(|(_, read)| key(file, load::text_hash(&read)));
                    (found, key)
                }
            };
            out.push((key, found));
        }
        Ok::<_, std::convert::Infallible>(out)
    });
    let found: Vec<(Option<ScanKey>, Vec<Diagnostic>)> =
        found.into_iter().flatten().flatten().collect();
    if let Some(scans) = scans {
        *scans.0.lock().unwrap_or_else(|e| e.into_inner()) = found
            .iter()
            .filter_map(|(key, found)| Some((key.clone()?, found.clone())))
            .collect();
    }
    found.into_iter().flat_map(|(_, found)| found).collect()
}

/// A sheet as scanned: its path, its place among the files, and its text's fingerprint.
type ScanKey = (String, FileId, u64);

/// The personal numbers found in each sheet, by its path, place and text, from one evaluation
/// to the next.
#[derive(Default)]
struct Scans(std::sync::Mutex<std::collections::HashMap<ScanKey, Vec<Diagnostic>>>);

impl Evaluation {
    /// False when `evidence: {publish: false}` keeps every evidence file off the site.
    pub fn publishes_evidence(&self) -> bool {
        self.loaded
            .content
            .campaign
            .as_ref()
            .is_none_or(|c| c.publish_evidence)
    }

    pub fn lang(&self) -> Lang {
        self.loaded.content.lang()
    }

    /// The findings as `check` reports them; with `strict`, warnings count as errors.
    pub fn report(&self, strict: bool) -> Report<'_> {
        Report::new(&self.loaded.files, self.lang(), &self.diags, strict)
    }
}

/// What a site is rendered with, besides the evaluation: the theme, the commit it is built
/// from, and the evidence files it publishes.
pub struct Site {
    theme: Arc<Theme>,
    source: render::Source,
    /// Each published evidence file: its path in the site, and the file on disk.
    pub copies: Vec<(String, PathBuf)>,
    /// The towns of a bundle, by slug; `None` for the whole site.
    bundle: Option<BTreeSet<String>>,
}

impl Site {
    /// The site of the campaign at `root`: its theme (built-in, with the repository's
    /// overrides) and exactly the evidence files the checks resolved.
    pub fn of_work_tree(
        root: &Path,
        evaluation: &Evaluation,
        as_of: Option<jiff::civil::Date>,
    ) -> Result<Site> {
        Site::of_work_tree_reusing(root, evaluation, as_of, None)
    }

    /// The site like `of_work_tree`, with the theme `last` when its files are unchanged.
    fn of_work_tree_reusing(
        root: &Path,
        evaluation: &Evaluation,
        as_of: Option<jiff::civil::Date>,
        last: Option<Arc<Theme>>,
    ) -> Result<Site> {
        let theme = Theme::load_reusing(root, evaluation.lang(), last)?;
        let tree = WorkTree::new(root)?;
        let publish = evaluation.publishes_evidence();
        let copies = render::published_files(&evaluation.loaded.evidence)
            .into_iter()
            .filter(|_| publish)
            .filter_map(|(target, resolved)| Some((target, tree.local(&resolved)?)))
            .collect();
        Ok(Site {
            theme,
            source: render::Source {
                commit: evaluation.history.head.clone(),
                dirty: evaluation.history.dirty,
                as_of: as_of.or_else(|| as_of_day(evaluation)),
                published: evaluation
                    .history
                    .published
                    .as_ref()
                    .filter(|p| {
                        !evaluation.history.dirty
                            && evaluation.history.head.as_deref() == Some(p.commit.as_str())
                    })
                    .map(|p| (p.tag.clone(), p.day)),
            },
            copies,
            bundle: None,
        })
    }

    /// The same site as a bundle for the towns of `bundle` (slugs): the whole ranking, and
    /// only those towns' pages, notices, objections, rectification, data rows and
    /// evidence files.
    pub fn bundle(mut self, evaluation: &Evaluation, bundle: BTreeSet<String>) -> Site {
        let linked = bundle_links(&evaluation.loaded.content, &bundle);
        let published: BTreeSet<String> = evaluation
            .loaded
            .evidence
            .iter()
            .filter(|(written, _)| linked.contains(written.as_str()))
            .filter_map(|(_, e)| match e {
                crate::source::Evidence::Present { resolved } => Some(render::site_path(resolved)),
                _ => None,
            })
            .collect();
        self.copies.retain(|(target, _)| published.contains(target));
        self.bundle = Some(bundle);
        self
    }

    /// Renders every page and data file into `sink`, taking every page the sink can put again
    /// from the site it replaces when that page's view is the same; returns how many pages,
    /// and how many of them were rendered anew.
    pub fn render(&self, evaluation: &Evaluation, sink: &dyn Sink) -> Result<(usize, usize)> {
        render_with(
            evaluation,
            &self.theme,
            &self.source,
            self.bundle.as_ref(),
            sink,
        )
    }

    /// Renders only `data/ranking.xlsx` into `sink`.
    pub fn workbook(&self, evaluation: &Evaluation, sink: &dyn Sink) -> Result<()> {
        let Some(model) = evaluation.loaded.content.complete() else {
            return Err(Problem::SetupNotLoaded.into());
        };
        let inputs = inputs(evaluation, model, &self.source, self.bundle.as_ref());
        render::ranking_workbook(&inputs, sink)
    }
}

fn inputs<'a>(
    evaluation: &'a Evaluation,
    model: crate::model::Complete<'a>,
    source: &'a render::Source,
    bundle: Option<&'a BTreeSet<String>>,
) -> render::Inputs<'a> {
    render::Inputs {
        model,
        evidence: &evaluation.loaded.evidence,
        ranking: &evaluation.ranking,
        history: &evaluation.history,
        flags: &evaluation.flags,
        signers: evaluation.signers.as_deref(),
        rounds: &evaluation.rounds,
        source,
        bundle,
    }
}

/// Every path a bundle's towns link to, as written: the rubric's links, and the links and
/// evidence of their sheets, objections and rectification records.
fn bundle_links<'c>(
    content: &'c crate::model::Content,
    bundle: &BTreeSet<String>,
) -> BTreeSet<&'c str> {
    let mine = |town: &crate::model::Spanned<String>| bundle.contains(&town.value);
    let rubric = content
        .rubric
        .iter()
        .flat_map(|r| r.items())
        .flat_map(|i| &i.links);
    let sheets = content
        .sheets
        .iter()
        .filter(|s| mine(&s.town))
        .flat_map(|s| s.paths());
    let objections = content
        .objections
        .iter()
        .filter(|o| mine(&o.town))
        .flat_map(|o| o.requests.iter().flat_map(|r| &r.evidence));
    let records = content
        .rectification
        .iter()
        .filter(|r| mine(&r.town))
        .flat_map(|r| r.records.iter().flat_map(|r| &r.evidence));
    rubric
        .chain(sheets)
        .chain(objections)
        .chain(records)
        .map(|p| p.value.as_str())
        .collect()
}

/// Renders the site of an evaluation with a theme, as built from `source`.
fn render_with(
    evaluation: &Evaluation,
    theme: &Theme,
    source: &render::Source,
    bundle: Option<&BTreeSet<String>>,
    sink: &dyn Sink,
) -> Result<(usize, usize)> {
    let Some(model) = evaluation.loaded.content.complete() else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let inputs = inputs(evaluation, model, source, bundle);
    render::site_over(&inputs, theme, sink).map(|(pages, views)| (pages, views.rendered()))
}

/// What one build did, for the terminal and for `serve`.
pub struct Build {
    pub lang: Lang,
    /// The diagnostics as the terminal shows them; empty when there are none.
    pub human: String,
    pub problems: Vec<Finding>,
    pub errors: usize,
    /// `None` when the content has errors and nothing was rendered.
    pub site: Option<BuiltSite>,
}

pub struct BuiltSite {
    pub towns: usize,
    pub pages: usize,
    pub provisional: bool,
    /// The names of a bundle's towns; empty for the whole site.
    pub bundle: Vec<String>,
    /// How many pages a preview rendered anew rather than took from the last one.
    pub rendered: Option<usize>,
}

/// The rendered files of a site, by path.
pub type Pages = Arc<BTreeMap<String, Arc<[u8]>>>;

/// A site rendered in memory, still to be written to its output folder.
pub struct Rendered {
    pub pages: Pages,
    copies: Vec<(String, PathBuf)>,
    /// The campaign's language, for what writing it may have to say.
    pub lang: Lang,
    /// False when its data files are the last site's, the content having changed again
    /// before its own were made: shown, but never written.
    pub whole: bool,
}

/// The day a build is as of: the day of the commit built, or today (in the campaign's
/// timezone) for content that differs from it or has no commit.
fn as_of_day(evaluation: &Evaluation) -> Option<jiff::civil::Date> {
    let history = &evaluation.history;
    match history.head_day {
        Some(day) if !history.dirty => Some(day),
        _ => Some(history::today(&evaluation.loaded.content)),
    }
}

/// Evaluates the campaign at `root` and, when it has no errors, replaces the site in `out`
/// with its new one, as of `as_of` when given: `ducha build`.
pub fn build(
    root: &Path,
    out: &write::Output,
    color: bool,
    as_of: Option<jiff::civil::Date>,
    bundle: &[String],
) -> Result<Build> {
    let (evaluation, mut build) = checked_build(root, color, None)?;
    // A town the command names that the campaign lacks stops it before anything else.
    let bundle = match (bundle, &evaluation.loaded.content.towns) {
        ([], _) | (_, None) => None,
        (wanted, Some(towns)) => {
            let content = &evaluation.loaded.content;
            let slugs: Result<BTreeSet<String>> = wanted
                .iter()
                .map(|w| Ok(content.find_town(towns, w)?.slug.value.clone()))
                .collect();
            Some(slugs?)
        }
    };
    if build.errors == 0 {
        let mut site = Site::of_work_tree(root, &evaluation, as_of)?;
        if let Some(bundle) = bundle {
            site = site.bundle(&evaluation, bundle);
        }
        let (pages, anew) = write::site(out, &site.copies, |sink| site.render(&evaluation, sink))?;
        build.site = Some(BuiltSite {
            rendered: Some(anew),
            ..built(&evaluation, pages, site.bundle.as_ref())
        });
    }
    Ok(build)
}

/// Evaluates the campaign at `root` and, when it has no errors, renders its site in memory,
/// for a server to show at once and write when it can (`write_rendered`).
/// Sheets and pages the same as in the session's last preview are taken from there. The pages
/// go to `shown` as soon as they are made, with the last preview's data exports and office
/// documents, which the site then has until its own are made. When `overtaken` then says that
/// the content has changed again (before they are begun: `Wait::Pause`; or while they are
/// made, asked every moment: `Wait::Moment`, which `overtaken` spends waiting for a change),
/// the data files are left for the next preview to make, and the site returned is not `whole`.
pub fn preview(
    root: &Path,
    color: bool,
    as_of: Option<jiff::civil::Date>,
    session: &mut Session,
    shown: &mut dyn FnMut(Pages),
    overtaken: &mut dyn FnMut(Wait) -> bool,
) -> Result<(Build, Option<Rendered>)> {
    let (mut evaluation, build) = checked_build(root, color, Some(session))?;
    let previewed = preview_evaluated(root, as_of, session, (shown, overtaken), &evaluation, build);
    // The sheets go back to the cache for the next preview, which then need not decode them.
    let sheets = std::mem::take(&mut evaluation.loaded.content.sheets);
    session.sheets.give_back(&evaluation.loaded.files, sheets);
    previewed
}

/// The rest of `preview`, once the campaign is evaluated.
fn preview_evaluated(
    root: &Path,
    as_of: Option<jiff::civil::Date>,
    session: &mut Session,
    (shown, overtaken): (&mut dyn FnMut(Pages), &mut dyn FnMut(Wait) -> bool),
    evaluation: &Evaluation,
    mut build: Build,
) -> Result<(Build, Option<Rendered>)> {
    let reuse = session.reuse.as_ref();
    if build.errors > 0 {
        return Ok((build, None));
    }
    let site = Site::of_work_tree_reusing(root, evaluation, as_of, session.theme.take())?;
    session.theme = Some(Arc::clone(&site.theme));
    let memory = render::Memory::default();
    let Some(model) = evaluation.loaded.content.complete() else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let inputs = inputs(evaluation, model, &site.source, None);
    let (pages, views) =
        render::site_reusing(&inputs, &site.theme, &memory, reuse, render::Stage::Pages)?;
    let mut first = memory.snapshot();
    for (path, bytes) in reuse.into_iter().flat_map(render::Reuse::files) {
        first
            .entry(path.clone())
            .or_insert_with(|| Arc::clone(bytes));
    }
    let first = Arc::new(first);
    shown(Arc::clone(&first));
    build.site = Some(BuiltSite {
        rendered: Some(views.rendered()),
        ..built(evaluation, pages, None)
    });
    // The data files are made on a thread of their own, while this one watches for edits:
    // one that comes meanwhile stops them.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let made = !overtaken(Wait::Pause)
        && std::thread::scope(|scope| {
            let files = scope.spawn(|| render::files_unless(&inputs, &site.theme, &memory, &stop));
            while !files.is_finished() {
                if overtaken(Wait::Moment) {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    break;
                }
            }
            match files.join() {
                Ok(Err(e)) if matches!(e.problem(), Problem::Overtaken) => Ok(false),
                Ok(made) => made.map(|()| true),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })?;
    if !made {
        // The pages shown, with the last data files, are what the next preview starts from.
        session.reuse = Some(render::Reuse::new(views, Arc::clone(&first)));
        let rendered = Rendered {
            pages: first,
            copies: site.copies,
            lang: build.lang,
            whole: false,
        };
        return Ok((build, Some(rendered)));
    }
    let rendered = Rendered {
        pages: Arc::new(memory.into_shared()),
        copies: site.copies,
        lang: build.lang,
        whole: true,
    };
    session.reuse = Some(render::Reuse::new(views, Arc::clone(&rendered.pages)));
    Ok((build, Some(rendered)))
}

/// What a preview waits for when it asks whether the content has changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Before the data files are made: for edits to pause as long as the server wants.
    Pause,
    /// While they are made: a moment, after which it asks again.
    Moment,
}

/// What a server keeps from one preview of a campaign to the next: its sheets as decoded, and
/// its pages as rendered with the fingerprints of their views.
#[derive(Default)]
pub struct Session {
    sheets: load::Cache,
    /// The personal numbers found in each sheet.
    scans: Scans,
    /// The trail as read from the commits.
    trail: history::Memo,
    reuse: Option<render::Reuse>,
    /// The theme, its templates compiled, while its files stay the same.
    theme: Option<Arc<Theme>>,
}

/// Writes a site rendered in memory to `out`, replacing the last one whole; while `hold` says
/// so, it waits between files, for work that someone waits for.
pub fn write_rendered(
    out: &write::Output,
    rendered: &Rendered,
    hold: &dyn Fn() -> bool,
) -> Result<()> {
    write::site(out, &rendered.copies, |sink| {
        rendered.pages.iter().try_for_each(|(path, bytes)| {
            while hold() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            sink.put(path, bytes)
        })
    })
}

fn checked_build(
    root: &Path,
    color: bool,
    session: Option<&Session>,
) -> Result<(Evaluation, Build)> {
    let loaded = load::load_with(root, session.map(|s| &s.sheets))?;
    let evaluation = evaluate_loaded(loaded, Trail::Git(root), session)?;
    let report = evaluation.report(false);
    let human = if report.items.is_empty() {
        String::new()
    } else {
        diag::render(&report, Format::Human { color })
    };
    let build = Build {
        lang: evaluation.lang(),
        human,
        problems: report.findings(),
        errors: report.errors(),
        site: None,
    };
    Ok((evaluation, build))
}

fn built(evaluation: &Evaluation, pages: usize, bundle: Option<&BTreeSet<String>>) -> BuiltSite {
    let towns = evaluation
        .loaded
        .content
        .towns
        .as_deref()
        .unwrap_or_default();
    BuiltSite {
        towns: towns.len(),
        pages,
        provisional: evaluation.ranking.provisional,
        rendered: None,
        bundle: bundle.map_or_else(Vec::new, |b| {
            towns
                .iter()
                .filter(|t| b.contains(&t.slug.value))
                .map(|t| t.name.value.clone())
                .collect()
        }),
    }
}

impl Build {
    /// The line that says what a build did.
    pub fn summary(&self, out: &Path) -> String {
        let Some(site) = &self.site else {
            return match self.lang {
                Lang::Zh => "内容有错误，未生成网站；上次生成的网站保持不变".into(),
                Lang::En => "the content has errors: the site was not built, and the last one is left as it was".into(),
            };
        };
        let (out, towns, pages) = (out.display(), site.towns, site.pages);
        let zh = self.lang == Lang::Zh;
        let what = match (zh, site.bundle.is_empty()) {
            (true, true) => format!("{towns} 个乡镇"),
            (false, true) => format!("{towns} towns"),
            (true, false) => format!(
                "{}的材料（全县 {towns} 个乡镇的排名）",
                site.bundle.join("、")
            ),
            (false, false) => format!(
                "the bundle of {} (the ranking of {towns} towns)",
                site.bundle.join(", ")
            ),
        };
        let provisional = match (zh, site.provisional) {
            (_, false) => "",
            (true, true) => "（排名为暂定）",
            (false, true) => " (provisional ranking)",
        };
        match zh {
            true => format!("已生成 {out}：{what}，{pages} 个页面{provisional}"),
            false => format!("built {out}: {what}, {pages} pages{provisional}"),
        }
    }
}
