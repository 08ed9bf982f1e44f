//! Orders the stages for each command.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result, bail};

use crate::check::{self, rules};
use crate::cli::{CheckFormat, Cli, Command};
use crate::diag::{self, Format, Report};
use crate::load;

/// How a command that ran went: clean, or with findings in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Check { format, strict } => run_check(&cli.root, format, strict),
        Command::Explain { code } => explain(code.as_deref()),
    }
}

fn run_check(root: &std::path::Path, format: CheckFormat, strict: bool) -> Result<Outcome> {
    let loaded = load::load(root)?;
    let mut diags = loaded.diags;
    diags.extend(check::run(&loaded.content, &|path| load::evidence(root, path)));
    let report = Report::new(&loaded.files, loaded.content.lang(), &diags, strict);
    let format = match format {
        CheckFormat::Human => Format::Human {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
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

fn explain(code: Option<&str>) -> Result<Outcome> {
    let text = match code {
        None => rules::ALL
            .iter()
            .map(|r| format!("{}  {:<28} {} / {}\n", r.code, r.name, r.title_zh, r.title_en))
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
