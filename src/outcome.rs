//! How a command that ran went, and its output on standard output.

use std::io::Write;

use crate::problem::{Context, Problem, Result};

/// How a command that ran went: clean, or with findings in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

/// Prints to standard output; a reader that has gone (`| head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context(Problem::WritingStdout),
    }
}
