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
    /// Explain a rule by its code (E0302) or name (score-above-points); without one, list them all
    Explain {
        /// A rule's code or name
        code: Option<String>,
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
