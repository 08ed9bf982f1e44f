//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ducha",
    version,
    about = "督查 — checks a repository of inspection score sheets and publishes the ranking"
)]
pub struct Cli {
    /// The campaign repository: the folder that holds content/
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the content and report every problem (exit 0 clean, 1 errors, 2 could not run)
    Check {
        /// Output format
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Count warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Check, then build the site: ranking, town reports, groups, scoring table, notices, data
    Build {
        /// Output folder (default: site/ under the root); taken as given, relative to the current folder
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Build, serve the site on this machine, rebuild on every change, and reload the browser
    Serve {
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this machine can connect unless you give another
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Output folder (default: site/ under the root)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// What a change does: rank moves, totals, item-level changes, new and resolved problems
    Diff {
        /// The commit to compare from (a commit id, tag, branch, or e.g. HEAD~1)
        base: String,
        /// The commit to compare to (default: the working tree)
        head: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
    },
    /// The audit trail: every commit that changed a sheet, item by item
    History {
        /// A town's slug or name (default: every town)
        town: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
        format: HistoryFormat,
    },
    /// Write a new campaign repository into DIR: content files with examples to replace, a
    /// README for the office, a CI workflow and editor schemas
    Init {
        /// The example campaign instead, as a git repository with the history of its inspection
        #[arg(long)]
        example: bool,
        /// A new or empty folder
        dir: PathBuf,
    },
    /// Write a draft score sheet for a town, every rubric item listed
    New {
        /// The town's slug or name
        town: String,
    },
    /// Write JSON Schemas of the content files, for editors that check YAML as you type
    Schema {
        /// Output folder (default: schemas/ under the root); taken as given
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Explain a rule by its code (E0302) or name (score-above-points); without one, list them all
    Explain {
        /// A rule's code or name
        code: Option<String>,
        /// Every rule as one Markdown document
        #[arg(long, conflicts_with = "code")]
        markdown: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Messages with code frames, coloured on a terminal
    Human,
    /// One JSON document
    Json,
    /// GitHub Actions workflow commands, for pull-request annotations
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A pull-request comment
    Markdown,
    /// One JSON document
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// For reading in a terminal
    Text,
    /// One JSON document
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn root_is_accepted_after_the_command() {
        let cli = Cli::try_parse_from(["ducha", "check", "--root", "x"]).unwrap();
        assert_eq!(cli.root, PathBuf::from("x"));
    }
}
