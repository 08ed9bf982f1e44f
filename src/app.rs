//! Orders the stages for each command.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::check::{self, Evidence, rules};
use crate::cli::{CheckFormat, Cli, Command};
use crate::diag::{self, Diagnostic, Format, Report};
use crate::model::Lang;
use crate::render::{self, Source, Theme};
use crate::{load, score, write};

/// How a command that ran went: clean, or with findings in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Check { format, strict } => run_check(&cli.root, format, strict),
        Command::Build { out } => build(&cli.root, out),
        Command::Explain { code } => explain(code.as_deref()),
    }
}

/// Loads and checks the content: the first stage of every command that reads it.
fn load_checked(root: &Path) -> Result<(load::Loaded, Vec<Diagnostic>)> {
    let loaded = load::load(root)?;
    let mut diags = loaded.diags.clone();
    diags.extend(check::run(&loaded.content, &|path| {
        load::evidence(root, path)
    }));
    Ok((loaded, diags))
}

fn color(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn run_check(root: &Path, format: CheckFormat, strict: bool) -> Result<Outcome> {
    let (loaded, diags) = load_checked(root)?;
    let report = Report::new(&loaded.files, loaded.content.lang(), &diags, strict);
    let format = match format {
        CheckFormat::Human => Format::Human {
            color: color(&std::io::stdout()),
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

fn build(root: &Path, out: Option<PathBuf>) -> Result<Outcome> {
    let (loaded, diags) = load_checked(root)?;
    let report = Report::new(&loaded.files, loaded.content.lang(), &diags, false);
    if !report.items.is_empty() {
        let text = diag::render(
            &report,
            Format::Human {
                color: color(&std::io::stderr()),
            },
        );
        eprint!("{text}");
    }
    if report.errors() > 0 {
        eprintln!(
            "{}",
            match loaded.content.lang() {
                Lang::Zh => "内容有错误，未生成网站；上次生成的网站保持不变",
                Lang::En =>
                    "the content has errors: the site was not built, and the last one is left as it was",
            }
        );
        return Ok(Outcome::Findings);
    }
    let content = &loaded.content;
    let ranking = score::rank(content);
    let theme = Theme::load(root)?;
    let source = Source::default();
    let files = render::site(content, &ranking, &theme, &source)?;
    let copies: Vec<(String, PathBuf)> = render::evidence(content)
        .into_iter()
        .filter(|path| load::evidence(root, path) == Evidence::Present)
        .filter_map(|path| {
            let target = render::site_path(&path)?;
            Some((target, root.join("content").join(&path)))
        })
        .collect();
    let out = out.unwrap_or_else(|| root.join("site"));
    write::site(root, &out, &files, &copies)?;
    let towns = content.towns.as_ref().map_or(0, Vec::len);
    let pages = files.keys().filter(|k| k.ends_with(".html")).count();
    print(&match content.lang() {
        Lang::Zh => format!(
            "已生成 {}：{towns} 个乡镇，{pages} 个页面{}\n",
            out.display(),
            if ranking.provisional {
                "（排名为暂定）"
            } else {
                ""
            }
        ),
        Lang::En => format!(
            "built {}: {towns} towns, {pages} pages{}\n",
            out.display(),
            if ranking.provisional {
                " (provisional ranking)"
            } else {
                ""
            }
        ),
    })?;
    Ok(Outcome::Clean)
}

fn explain(code: Option<&str>) -> Result<Outcome> {
    let text = match code {
        None => rules::ALL
            .iter()
            .map(|r| {
                format!(
                    "{}  {:<28} {} / {}\n",
                    r.code, r.name, r.title_zh, r.title_en
                )
            })
            .collect(),
        Some(code) => match rules::find(code) {
            Some(r) => format!(
                "{} {} ({})\n{}\n{}\n\n{}\n",
                r.code,
                r.name,
                r.severity.as_str(),
                r.title_zh,
                r.title_en,
                r.doc
            ),
            None => bail!("there is no rule {code}: `ducha explain` lists them all"),
        },
    };
    print(&text)?;
    Ok(Outcome::Clean)
}

fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}
