use std::process::ExitCode;

use clap::Parser;
use ducha::{app, cli};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match app::run(cli) {
        Ok(app::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(app::Outcome::Findings) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
