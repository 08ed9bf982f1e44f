//! Orders the stages for each command.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::{CheckFormat, Cli, ColorWhen, Command, DiffFormat, HistoryFormat};
use crate::diag::{self, Diagnostic, Finding, Format, Report};
use crate::history::{self, History};
use crate::model::Lang;
use crate::problem::{Context, Problem, Result};
use crate::render::{self, Source, Theme};
use crate::source::{Source as _, WorkTree};
use crate::{audit, check};
use crate::{load, score, write};

/// How a command that ran went: clean, or with findings in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

/// The language a command speaks before it has read anything: the campaign's, for a command
/// that reads one, else the system's.
pub fn language(cli: &Cli) -> Lang {
    match cli.command {
        Command::Init { .. } | Command::Explain { .. } | Command::Help { .. } => Lang::system(),
        _ => load::language(cli.root()).unwrap_or_else(Lang::system),
    }
}

/// Runs the command; `lang` is what it speaks where no campaign says otherwise.
pub fn run(cli: Cli, lang: Lang) -> Result<Outcome> {
    let color = cli.color;
    let root = cli.root().to_path_buf();
    let unused_root = |command| -> Result<Outcome> { Err(Problem::RootNotUsed(command).into()) };
    match cli.command {
        Command::Init { .. } if cli.root.is_some() => unused_root("init"),
        Command::Explain { .. } if cli.root.is_some() => unused_root("explain"),
        Command::Check { format, strict } => run_check(&root, format, strict, color),
        Command::Build { out } => build(&root, out, color, lang),
        Command::Serve { port, bind, out } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            crate::serve::run(&root, &out, bind, port, color, lang)
        }
        Command::Diff { base, head, format } => diff(&root, &base, head.as_deref(), format),
        Command::History { town, format } => history_log(&root, town.as_deref(), format),
        Command::Init { example, dir } => {
            if example {
                crate::init::example(&dir)?;
            } else {
                crate::init::empty(&dir)?;
            }
            print(&initialised(&dir, example, lang))?;
            Ok(Outcome::Clean)
        }
        Command::New { town } => new_sheet(&root, &town),
        Command::Schema { out } => {
            let loaded = load::load(&root)?;
            let out = match out {
                Some(out) => {
                    crate::schema::write(&loaded.content, &out)?;
                    out
                }
                None => write_schemas(&root, &loaded.content)?,
            };
            print(&format!(
                "{}: {}\n",
                out.display(),
                crate::schema::FILES.join(", ")
            ))?;
            Ok(Outcome::Clean)
        }
        Command::Explain { markdown: true, .. } => {
            print(&crate::explain::markdown())?;
            Ok(Outcome::Clean)
        }
        Command::Explain { code, .. } => explain(code.as_deref(), lang),
        Command::Help { command } => {
            print(&crate::cli::help(
                command.as_deref(),
                lang,
                color.on(&std::io::stdout()),
            )?)?;
            Ok(Outcome::Clean)
        }
    }
}

/// What `init` says it did, and what to do next.
fn initialised(dir: &Path, example: bool, lang: Lang) -> String {
    let dir = dir.display();
    match (example, lang) {
        (true, Lang::Zh) => format!(
            "已在 {dir} 写入示例督查仓库（含督查过程的提交记录）。\n下一步：ducha --root {dir} check；ducha --root {dir} build\n"
        ),
        (true, Lang::En) => format!(
            "wrote the example campaign into {dir}, as a git repository with the history of its inspection.\nNext: ducha --root {dir} check; ducha --root {dir} build\n"
        ),
        (false, Lang::Zh) => format!(
            "已在 {dir} 建立新的督查仓库。\n下一步：填写 content/ 下的 campaign.yaml、rubric.yaml、towns.yaml、groups.yaml（见 {dir}/README.md），然后 ducha --root {dir} check\n"
        ),
        (false, Lang::En) => format!(
            "made a new campaign repository in {dir}.\nNext: fill in campaign.yaml, rubric.yaml, towns.yaml and groups.yaml in content/ (see {dir}/README.md), then ducha --root {dir} check\n"
        ),
    }
}

/// Loaded content, its audit trail, and every diagnostic about them.
struct Checked {
    loaded: load::Loaded,
    history: History,
    /// Changes of the trail that audit rules flag.
    flags: Vec<audit::Flag>,
    diags: Vec<Diagnostic>,
}

/// Loads and checks the content and its history: the first stages of every command that
/// reads a campaign.
fn load_checked(root: &Path) -> Result<Checked> {
    let mut loaded = load::load(root)?;
    let history = history::read(root, &loaded.content)?;
    let mut diags = std::mem::take(&mut loaded.diags);
    diags.extend(check::run(
        &loaded.content,
        &|path| loaded.evidence(path),
        &history,
    ));
    let (audited, flags) = audit::run(&loaded.content, &history);
    diags.extend(audited);
    Ok(Checked {
        loaded,
        history,
        flags,
        diags,
    })
}

/// Checks loaded content without its history: the diagnostics of loading and of every rule.
pub fn checked(mut loaded: load::Loaded) -> (load::Loaded, Vec<Diagnostic>) {
    let mut diags = std::mem::take(&mut loaded.diags);
    diags.extend(check::run(
        &loaded.content,
        &|path| loaded.evidence(path),
        &History::none(),
    ));
    (loaded, diags)
}

fn run_check(root: &Path, format: CheckFormat, strict: bool, color: ColorWhen) -> Result<Outcome> {
    let Checked { loaded, diags, .. } = load_checked(root)?;
    let report = Report::new(&loaded.files, loaded.content.lang(), &diags, strict);
    let format = match format {
        CheckFormat::Human => Format::Human {
            color: color.on(&std::io::stdout()),
        },
        CheckFormat::Json => Format::Json,
        CheckFormat::Github => Format::Github,
    };
    print(&diag::render(&report, format))?;
    Ok(if report.errors() > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// What one build did.
pub struct Build {
    pub lang: Lang,
    /// The diagnostics, for the terminal.
    pub human: String,
    pub problems: Vec<Finding>,
    pub errors: usize,
    /// `None` when the content has errors and nothing was written.
    pub site: Option<BuiltSite>,
    /// The site in memory, when it was built live.
    pub rendered: Option<Rendered>,
}

pub struct BuiltSite {
    pub towns: usize,
    pub pages: usize,
    pub provisional: bool,
}

/// Checks the content and, when it has no errors, writes the site to `out`: the one path
/// that `build` and `serve` both take.
/// The rendered files of a site, by path.
pub type Pages = std::sync::Arc<std::collections::BTreeMap<String, Vec<u8>>>;

/// A site rendered in memory, still to be written to its output folder.
pub struct Rendered {
    pub pages: Pages,
    copies: Vec<(String, PathBuf)>,
    /// The campaign's language, for what writing it may have to say.
    pub lang: Lang,
}

/// Writes a site rendered in memory to `out`, replacing the last one whole.
pub fn write_rendered(out: &write::Output, rendered: &Rendered) -> Result<()> {
    write::site(out, &rendered.copies, |sink| {
        rendered
            .pages
            .iter()
            .try_for_each(|(path, bytes)| sink.put(path, bytes))
    })
}

/// Checks the content and, when it has no errors, writes the site to `out`: the one path
/// that `build` and `serve` both take. With `live`, the site is rendered in memory and
/// returned instead, for a server to show at once and write when it can.
pub fn build_site(root: &Path, out: &write::Output, color: bool, live: bool) -> Result<Build> {
    let Checked {
        loaded,
        history,
        flags,
        diags,
    } = load_checked(root)?;
    let lang = loaded.content.lang();
    let report = Report::new(&loaded.files, lang, &diags, false);
    let human = if report.items.is_empty() {
        String::new()
    } else {
        diag::render(&report, Format::Human { color })
    };
    let problems = report.findings();
    let mut build = Build {
        lang,
        human,
        problems,
        errors: report.errors(),
        site: None,
        rendered: None,
    };
    if build.errors > 0 {
        return Ok(build);
    }
    let content = &loaded.content;
    let ranking = score::rank(content);
    let theme = Theme::load(root, content.lang())?;
    let source = Source {
        commit: history.head.clone(),
        dirty: history.dirty,
    };
    // Exactly the files the checks resolved: their real paths inside the repository.
    let tree = WorkTree::new(root)?;
    let copies: Vec<(String, PathBuf)> = render::published_files(&loaded.evidence)
        .into_iter()
        .filter_map(|(target, resolved)| Some((target, tree.local(&resolved)?)))
        .collect();
    let inputs = render::Inputs {
        content,
        evidence: &loaded.evidence,
        ranking: &ranking,
        history: &history,
        flags: &flags,
        source: &source,
    };
    let pages = if live {
        let memory = render::Memory::default();
        let pages = render::site(&inputs, &theme, &memory)?;
        build.rendered = Some(Rendered {
            pages: std::sync::Arc::new(memory.into_files()),
            copies,
            lang,
        });
        pages
    } else {
        write::site(out, &copies, |sink| render::site(&inputs, &theme, sink))?
    };
    build.site = Some(BuiltSite {
        towns: content.towns.as_ref().map_or(0, Vec::len),
        pages,
        provisional: ranking.provisional,
    });
    Ok(build)
}

/// The line that says what a build did.
pub fn build_summary(build: &Build, out: &Path) -> String {
    match (&build.site, build.lang) {
        (None, Lang::Zh) => "内容有错误，未生成网站；上次生成的网站保持不变".into(),
        (None, Lang::En) => {
            "the content has errors: the site was not built, and the last one is left as it was"
                .into()
        }
        (Some(site), Lang::Zh) => format!(
            "已生成 {}：{} 个乡镇，{} 个页面{}",
            out.display(),
            site.towns,
            site.pages,
            if site.provisional {
                "（排名为暂定）"
            } else {
                ""
            }
        ),
        (Some(site), Lang::En) => format!(
            "built {}: {} towns, {} pages{}",
            out.display(),
            site.towns,
            site.pages,
            if site.provisional {
                " (provisional ranking)"
            } else {
                ""
            }
        ),
    }
}

fn build(root: &Path, out: Option<PathBuf>, color: ColorWhen, lang: Lang) -> Result<Outcome> {
    let out = out.unwrap_or_else(|| root.join("site"));
    // A folder the site may not go to is refused before any work is done.
    let output = write::Output::resolve(root, &out)?.speaking(lang);
    let build = build_site(root, &output, color.on(&std::io::stderr()), false)?;
    eprint!("{}", build.human);
    if build.site.is_none() {
        eprintln!("{}", build_summary(&build, &out));
        return Ok(Outcome::Findings);
    }
    print(&format!("{}\n", build_summary(&build, &out)))?;
    Ok(Outcome::Clean)
}

/// One version of the content, loaded from a folder, checked and scored.
struct Loaded {
    loaded: load::Loaded,
    diags: Vec<Diagnostic>,
    ranking: score::Ranking,
}

fn load_version(loaded: load::Loaded) -> Result<Loaded> {
    let (loaded, diags) = checked(loaded);
    let ranking = score::rank(&loaded.content);
    Ok(Loaded {
        loaded,
        diags,
        ranking,
    })
}

fn diff(root: &Path, base: &str, head: Option<&str>, format: DiffFormat) -> Result<Outcome> {
    // Old versions are read from git's objects in memory: nothing is written to disk.
    let (base_tree, base_commit) = history::commit_tree(root, base)?;
    let old = load_version(load::load_from(Arc::new(base_tree))?)?;
    let (new, head_commit) = match head {
        Some(head) => {
            let (tree, id) = history::commit_tree(root, head)?;
            (load_version(load::load_from(Arc::new(tree))?)?, Some(id))
        }
        None => (load_version(load::load(root)?)?, None),
    };
    fn version(v: &Loaded, commit: Option<String>) -> crate::diff::Version<'_> {
        crate::diff::Version {
            commit,
            content: &v.loaded.content,
            files: &v.loaded.files,
            diags: &v.diags,
            ranking: &v.ranking,
        }
    }
    let comparison = crate::diff::compare(
        &version(&old, Some(base_commit)),
        &version(&new, head_commit),
    );
    print(&match format {
        DiffFormat::Markdown => crate::diff::markdown(&comparison, new.loaded.content.lang()),
        DiffFormat::Json => crate::diff::json(&comparison),
    })?;
    Ok(if comparison.errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn history_log(root: &Path, town: Option<&str>, format: HistoryFormat) -> Result<Outcome> {
    let loaded = load::load(root)?;
    let content = &loaded.content;
    let history = history::read(root, content)?;
    let slug = match town {
        None => None,
        Some(wanted) => {
            let found = content
                .towns
                .iter()
                .flatten()
                .find(|t| t.slug.value == wanted || t.name.value == wanted)
                .map(|t| t.slug.value.clone());
            let known = found.is_some() || history.changes.iter().any(|c| c.town == wanted);
            if !known {
                return Err(Problem::UnknownTown {
                    wanted: wanted.to_string(),
                    known: town_slugs(content),
                }
                .into());
            }
            Some(found.unwrap_or_else(|| wanted.to_string()))
        }
    };
    let lang = content.lang();
    let text = match format {
        HistoryFormat::Text => crate::trail::text(&history, content, slug.as_deref(), lang),
        HistoryFormat::Json => crate::trail::json(&history, slug.as_deref(), lang),
    };
    print(&text)?;
    Ok(Outcome::Clean)
}

/// The towns' slugs, for a message that names an unknown one.
fn town_slugs(content: &crate::model::Content) -> Vec<String> {
    content
        .towns
        .iter()
        .flatten()
        .map(|t| t.slug.value.clone())
        .collect()
}

/// Refuses a folder that leads out of the repository through a link: ducha writes there only
/// what belongs to the repository.
fn in_repository(root: &Path, folder: &Path) -> Result<()> {
    let real_root = root
        .canonicalize()
        .with_context(|| Problem::Resolving(root.to_path_buf()))?;
    let real = folder
        .canonicalize()
        .with_context(|| Problem::Resolving(folder.to_path_buf()))?;
    if !real.starts_with(&real_root) {
        return Err(Problem::LinkOutside {
            folder: folder.to_path_buf(),
            target: real,
        }
        .into());
    }
    Ok(())
}

/// Writes the editor schemas to `schemas/` of the repository; returns that folder.
fn write_schemas(root: &Path, content: &crate::model::Content) -> Result<PathBuf> {
    let dir = root.join("schemas");
    std::fs::create_dir_all(&dir).with_context(|| Problem::Creating(dir.clone()))?;
    in_repository(root, &dir)?;
    crate::schema::write(content, &dir)?;
    Ok(dir)
}

fn new_sheet(root: &Path, wanted: &str) -> Result<Outcome> {
    let loaded = load::load(root)?;
    let content = &loaded.content;
    let (Some(towns), Some(_), Some(_)) = (&content.towns, &content.rubric, &content.groups) else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let Some(town) = towns
        .iter()
        .find(|t| t.slug.value == wanted || t.name.value == wanted)
    else {
        return Err(Problem::UnknownTown {
            wanted: wanted.to_string(),
            known: town_slugs(content),
        }
        .into());
    };
    let path = root
        .join("content/sheets")
        .join(format!("{}.yaml", town.slug.value));
    if path.symlink_metadata().is_ok() {
        return Err(Problem::SheetExists(path).into());
    }
    let text = crate::scaffold::sheet(content, town);
    let sheets = root.join("content/sheets");
    std::fs::create_dir_all(&sheets).with_context(|| Problem::Creating(sheets.clone()))?;
    in_repository(root, &sheets)?;
    write::create_file(&path, text.as_bytes())?;
    write_schemas(root, content)?;
    print(&match content.lang() {
        Lang::Zh => format!(
            "已生成 {}（草稿）；编辑器规则已更新到 schemas/\n",
            path.display()
        ),
        Lang::En => format!(
            "wrote {} (a draft); the editor schemas in schemas/ are up to date\n",
            path.display()
        ),
    })?;
    Ok(Outcome::Clean)
}

/// `ducha explain`: every rule with its titles, or one rule's documentation in `lang`.
fn explain(code: Option<&str>, lang: Lang) -> Result<Outcome> {
    let text = match code {
        None => crate::explain::list(),
        Some(code) => crate::explain::rule(code, lang)?,
    };
    print(&text)?;
    Ok(Outcome::Clean)
}

pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context(Problem::WritingStdout),
    }
}
