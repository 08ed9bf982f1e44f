//! Orders the stages for each command.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use crate::cli::{CheckFormat, Cli, ColorWhen, Command, DiffFormat, HistoryFormat};
use crate::diag::{self, Format};
use crate::model::{Content, Lang};
pub use crate::outcome::{Outcome, print};
use crate::pipeline;
use crate::problem::{Context, Problem, Result};
use crate::progress::{self, Shown};
use crate::{history, load, write};

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
        Command::Build { out, town, as_of } => build(&root, out, &town, as_of, color, lang),
        Command::Serve {
            port,
            bind,
            out,
            as_of,
        } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            crate::serve::run(&root, &out, bind, port, as_of, color, lang)
        }
        Command::Diff { base, head, format } => diff(&root, &base, head.as_deref(), format),
        Command::History { town, format } => history_log(&root, town.as_deref(), format),
        Command::Init { example, dir, ci } => {
            match ci {
                // A campaign repository already: only its pipeline is added.
                Some(forge) if !example && crate::init::is_campaign(&dir) => {
                    let path = crate::init::add_pipeline(&dir, forge)?;
                    print(&match lang {
                        Lang::Zh => format!("已写入 {}\n", dir.join(path).display()),
                        Lang::En => format!("wrote {}\n", dir.join(path).display()),
                    })?;
                    return Ok(Outcome::Clean);
                }
                _ if example => crate::init::example(&dir, ci)?,
                _ => crate::init::empty(&dir, ci.unwrap_or(crate::cli::Forge::Github))?,
            }
            print(&initialised(&dir, example, lang))?;
            Ok(Outcome::Clean)
        }
        Command::New {
            town,
            xlsx: true,
            out,
            ..
        } => crate::forms::new_form(&root, &town, out.as_deref()),
        Command::New {
            town,
            rectification: false,
            ..
        } => new_sheet(&root, &town),
        Command::New {
            town,
            rectification: true,
            ..
        } => new_records(&root, &town),
        Command::Export { towns, out, .. } => crate::forms::export(&root, &towns, &out),
        Command::Import { files, force } => crate::forms::import(&root, &files, force),
        Command::Publish { tag } => crate::publish::run(&root, tag.as_deref()),
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

fn run_check(root: &Path, format: CheckFormat, strict: bool, color: ColorWhen) -> Result<Outcome> {
    let shown = Shown::start(load::language(root).unwrap_or_else(Lang::system));
    let evaluation = pipeline::work_tree(root)?;
    let report = evaluation.report(strict);
    // The time is said where a person reads it, not into a file or a pipe.
    let took = shown.finish().filter(|_| std::io::stdout().is_terminal());
    let format = match format {
        CheckFormat::Human => Format::Human {
            color: color.on(&std::io::stdout()),
        },
        CheckFormat::Json => Format::Json,
        CheckFormat::Github => Format::Github,
        CheckFormat::Gitlab => Format::Gitlab,
        CheckFormat::Sarif => Format::Sarif,
    };
    let mut said = diag::render(&report, format);
    // The summary, the last line of what a person reads, says how long the check took.
    if let (Format::Human { .. }, Some(took)) = (format, took)
        && said.ends_with('\n')
    {
        said.pop();
        said.push_str(&progress::took(took, evaluation.lang()));
        said.push('\n');
    }
    print(&said)?;
    Ok(if report.errors() > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn build(
    root: &Path,
    out: Option<PathBuf>,
    towns: &[String],
    as_of: Option<jiff::civil::Date>,
    color: ColorWhen,
    lang: Lang,
) -> Result<Outcome> {
    let out = out.unwrap_or_else(|| root.join("site"));
    // A folder the site may not go to is refused before any work is done.
    let output = write::Output::resolve(root, &out)?
        .speaking(lang)
        .retiring();
    let shown = Shown::start(lang);
    let build = pipeline::build(root, &output, color.on(&std::io::stderr()), as_of, towns)?;
    let took = shown.finish().map(|t| progress::took(t, build.lang));
    eprint!("{}", build.human);
    if build.site.is_none() {
        eprintln!("{}{}", build.summary(&out), took.unwrap_or_default());
        return Ok(Outcome::Findings);
    }
    // The time is said where a person reads it, not into a file or a pipe.
    let took = took.filter(|_| std::io::stdout().is_terminal());
    print(&format!(
        "{}{}\n",
        build.summary(&out),
        took.unwrap_or_default()
    ))?;
    Ok(Outcome::Clean)
}

fn diff(root: &Path, base: &str, head: Option<&str>, format: DiffFormat) -> Result<Outcome> {
    // Old versions are read from git's objects in memory: nothing is written to disk.
    let (old, base_commit) = pipeline::commit(root, base)?;
    let (new, head_commit) = match head {
        Some(head) => {
            let (new, id) = pipeline::commit(root, head)?;
            (new, Some(id))
        }
        None => (pipeline::work_tree_alone(root)?, None),
    };
    let mut comparison = crate::diff::compare(
        &crate::diff::Version {
            as_of: history::commit_day(root, &base_commit, &old.loaded.content),
            commit: Some(base_commit.clone()),
            evaluation: &old,
        },
        &crate::diff::Version {
            as_of: match &head_commit {
                Some(id) => history::commit_day(root, id, &new.loaded.content),
                None => Some(history::today(&new.loaded.content)),
            },
            commit: head_commit,
            evaluation: &new,
        },
    );
    let content = &new.loaded.content;
    if crate::audit::Keys::new(content).in_use {
        // The working tree's commits are those up to the commit checked out.
        let commits = history::between(root, &base_commit, head.unwrap_or("HEAD"))?;
        comparison.commits = crate::diff::signers(&commits, content, content.lang());
    }
    let said = match format {
        DiffFormat::Markdown => crate::diff::markdown(&comparison, new.loaded.content.lang()),
        DiffFormat::Json => crate::diff::json(&comparison),
    };
    // A pull-request comment is published too: personal numbers masked (W0601–W0603).
    print(&crate::personal::mask(&said))?;
    Ok(if comparison.errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn history_log(root: &Path, town: Option<&str>, format: HistoryFormat) -> Result<Outcome> {
    let shown = Shown::start(load::language(root).unwrap_or_else(Lang::system));
    let loaded = load::load(root)?;
    let content = &loaded.content;
    let history = history::read(root, content)?;
    let took = shown.finish();
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
                    known: content.town_slugs().map(str::to_string).collect(),
                }
                .into());
            }
            Some(found.unwrap_or_else(|| wanted.to_string()))
        }
    };
    let lang = content.lang();
    let text = match format {
        HistoryFormat::Text => crate::trail::text(&history, content, slug.as_deref(), lang),
        HistoryFormat::Json => crate::trail::json(&history, content, slug.as_deref(), lang),
    };
    print(&text)?;
    if let Some(took) = took {
        let commits = history.commits.len();
        eprintln!(
            "{}{}",
            match lang {
                Lang::Zh => format!("修改记录：{commits} 个提交修改了 content/"),
                Lang::En => format!("the trail: {commits} commits changed content/"),
            },
            progress::took(took, lang)
        );
    }
    Ok(Outcome::Clean)
}

/// Refuses a folder that leads out of the repository through a link: ducha writes there only
/// what belongs to the repository.
pub fn in_repository(root: &Path, folder: &Path) -> Result<()> {
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
fn write_schemas(root: &Path, content: &Content) -> Result<PathBuf> {
    let dir = root.join("schemas");
    std::fs::create_dir_all(&dir).with_context(|| Problem::Creating(dir.clone()))?;
    in_repository(root, &dir)?;
    crate::schema::write(content, &dir)?;
    Ok(dir)
}

/// `ducha new TOWN --rectification`: the town's rectification records, every problem listed.
fn new_records(root: &Path, wanted: &str) -> Result<Outcome> {
    let evaluation = pipeline::work_tree_alone(root)?;
    let content = &evaluation.loaded.content;
    let (Some(towns), Some(model)) = (&content.towns, content.complete()) else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let town = content.find_town(towns, wanted)?;
    let folder = root.join("content/rectification");
    let path = folder.join(format!("{}.yaml", town.slug.value));
    if path.symlink_metadata().is_ok() {
        return Err(Problem::SheetExists(path).into());
    }
    let problems: Vec<_> = crate::ledger::problems(model, &evaluation.ranking, None)
        .into_iter()
        .filter(|p| model.town(p.town).slug.value == town.slug.value)
        .collect();
    if problems.is_empty() {
        return Err(Problem::NoProblems(town.name.value.clone()).into());
    }
    let text = crate::scaffold::records(content, town, &problems);
    std::fs::create_dir_all(&folder).with_context(|| Problem::Creating(folder.clone()))?;
    in_repository(root, &folder)?;
    write::create_file(&path, text.as_bytes())?;
    write_schemas(root, content)?;
    print(&match content.lang() {
        Lang::Zh => format!(
            "已生成 {}：{} 个待整改的问题\n",
            path.display(),
            problems.len()
        ),
        Lang::En => format!(
            "wrote {}: {} problems to put right\n",
            path.display(),
            problems.len()
        ),
    })?;
    Ok(Outcome::Clean)
}

fn new_sheet(root: &Path, wanted: &str) -> Result<Outcome> {
    let loaded = load::load(root)?;
    let content = &loaded.content;
    let (Some(towns), Some(_), Some(_)) = (&content.towns, &content.rubric, &content.groups) else {
        return Err(Problem::SetupNotLoaded.into());
    };
    let town = content.find_town(towns, wanted)?;
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
