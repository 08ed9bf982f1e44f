//! `ducha check` never panics, never hangs and never gives up (exit 2) on content: every file of
//! the fixture and of the bundled example, broken in a few hundred deterministic ways, is
//! loaded, checked and rendered in all three formats.
//!
//! The library is called directly (not one process per input) to keep this fast.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::survives;
use ducha::diag::Format;

/// A single input may take at most this long: more means it hangs.
const PATIENCE: Duration = Duration::from_secs(10);

/// What `ducha check` does with the content under `root`: its exit code (0 or 1), or why it
/// could not run.
fn check(root: &Path) -> Result<i32, String> {
    let evaluation = ducha::pipeline::work_tree(root).map_err(|e| format!("exit 2: {e:#}"))?;
    let mut code = 0;
    for strict in [false, true] {
        let report = evaluation.report(strict);
        for format in [
            Format::Human { color: true },
            Format::Json,
            Format::Github,
            Format::Gitlab,
            Format::Sarif,
        ] {
            let text = ducha::diag::render(&report, format);
            assert!(format == Format::Github || !text.is_empty());
            if matches!(format, Format::Json | Format::Gitlab | Format::Sarif) {
                assert!(
                    serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                    "{format:?} is not JSON:\n{text}"
                );
            }
        }
        if !strict && report.errors() > 0 {
            code = 1;
        }
    }
    Ok(code)
}

/// Deterministic ways to break a file: about 120 × `scale` for a file of some size.
fn mutations(text: &[u8], scale: usize) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let stride = |len: usize, wanted: usize| (len / wanted).max(1);

    for cut in (0..text.len()).step_by(stride(text.len(), 20 * scale)) {
        out.push((format!("truncated at byte {cut}"), text[..cut].to_vec()));
    }

    let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    let with_line = |i: usize, new: &[&[u8]]| -> Vec<u8> {
        let mut v = lines[..i].concat();
        for part in new {
            v.extend_from_slice(part);
        }
        v.extend(lines[i + 1..].concat());
        v
    };
    for i in (0..lines.len()).step_by(stride(lines.len(), 10 * scale)) {
        let line = lines[i];
        let body = line.trim_ascii_start();
        let indent = &line[..line.len() - body.len()];
        out.push((format!("line {} deleted", i + 1), with_line(i, &[])));
        out.push((
            format!("line {} doubled", i + 1),
            with_line(i, &[line, line]),
        ));
        out.push((
            format!("line {} indented further", i + 1),
            with_line(i, &[b"  ", line]),
        ));
        out.push((
            format!("line {} dedented", i + 1),
            with_line(i, &[&indent[indent.len().min(2)..], body]),
        ));
        out.push((
            format!("line {} indented with a tab", i + 1),
            with_line(i, &[b"\t", body]),
        ));
        // An anchor on this line's value and an alias to it on the next.
        if let (Some(at), Some(next)) = (find(line, b": "), lines.get(i + 1)) {
            let mut v = lines[..i].concat();
            v.extend([&line[..at + 2], b"&a ", &line[at + 2..]].concat());
            match find(next, b": ") {
                Some(n) => v.extend([&next[..n + 2], b"*a\n"].concat()),
                None => v.extend(b"- *a\n"),
            }
            v.extend(lines[i + 2..].concat());
            out.push((
                format!("line {} anchored, line {} aliased", i + 1, i + 2),
                v,
            ));
        }
    }

    const INSERTS: &[&[u8]] = &[
        b": [",
        b"&a ",
        b"*a",
        b"{",
        b"\t",
        b"\0",
        b"\xff",
        b"\xe4\xb8",
        b"\n- ",
        b"\"",
    ];
    for insert in INSERTS {
        for at in (0..=text.len()).step_by(stride(text.len(), 4 * scale)) {
            let v = [&text[..at], insert, &text[at..]].concat();
            out.push((
                format!(
                    "{:?} inserted at byte {at}",
                    String::from_utf8_lossy(insert)
                ),
                v,
            ));
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Copies `from/content` into a fresh folder.
fn copy_content(from: &Path, keep: impl Fn(&str) -> bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &from.join("content"),
        &dir.path().join("content"),
        "content",
        &keep,
    );
    dir
}

fn copy_dir(from: &Path, to: &Path, relative: &str, keep: &dyn Fn(&str) -> bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let rel = format!("{relative}/{name}");
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(&name), &rel, keep);
        } else if keep(&rel) {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// Breaks each of `files` (relative to `root`) in every way, one at a time, and checks. The
/// work runs on a thread so that an input that hangs fails the test instead of stalling it.
fn survive(root: PathBuf, files: Vec<String>, scale: usize) {
    survives(PATIENCE, 5, move |trying| {
        let mut failures = Vec::new();
        for file in &files {
            let path = root.join(file);
            let original = std::fs::read(&path).unwrap();
            for (what, bytes) in mutations(&original, scale) {
                trying(format!("{file}, {what}"));
                std::fs::write(&path, &bytes).unwrap();
                let outcome = catch_unwind(AssertUnwindSafe(|| check(&root)));
                let problem = match outcome {
                    Ok(Ok(0 | 1)) => continue,
                    Ok(Ok(code)) => format!("exit {code}"),
                    Ok(Err(e)) => e,
                    Err(_) => "panic".to_string(),
                };
                failures.push(format!(
                    "{file}, {what}: {problem}\n--- input ---\n{}\n-------------",
                    String::from_utf8_lossy(&bytes)
                ));
            }
            std::fs::write(&path, &original).unwrap();
        }
        failures
    });
}

fn yaml_files_under(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["content", "content/sheets"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".yaml") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_mutations_are_many_and_deterministic() {
    let text = common::FILES[4].1.as_bytes();
    let first = mutations(text, 3);
    assert!(first.len() >= 250, "{}", first.len());
    assert_eq!(first, mutations(text, 3));
}

#[test]
fn mutated_fixture_files_never_break_check() {
    let fx = common::Fixture::new();
    let files = common::FILES
        .iter()
        .map(|(p, _)| p.to_string())
        .filter(|p| p.ends_with(".yaml"))
        .collect();
    survive(fx.root().to_path_buf(), files, 3);
}

/// The example's set-up files, with a few of its sheets beside them.
#[test]
fn mutated_example_setup_files_never_break_check() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = copy_content(example, |p| {
        !p.starts_with("content/sheets/") || p.ends_with("/xiantang.yaml")
    });
    let files = yaml_files_under(dir.path())
        .into_iter()
        .filter(|p| !p.starts_with("content/sheets/"))
        .collect();
    survive(dir.path().to_path_buf(), files, 3);
}

/// Each of the example's sheets, beside the example's set-up files. Parsing the example's
/// rubric dominates each run, so the sheets get fewer mutations each, and two tests (to use two
/// cores).
fn mutate_example_sheets(half: usize) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sheets: Vec<String> = yaml_files_under(example)
        .into_iter()
        .filter(|p| p.starts_with("content/sheets/"))
        .collect();
    assert!(sheets.len() >= 20, "{sheets:?}");
    for sheet in sheets.into_iter().skip(half).step_by(2) {
        let dir = copy_content(example, |p| {
            !p.starts_with("content/sheets/") || *p == sheet
        });
        survive(dir.path().to_path_buf(), vec![sheet], 1);
    }
}

#[test]
fn mutated_example_sheets_never_break_check_first_half() {
    mutate_example_sheets(0);
}

#[test]
fn mutated_example_sheets_never_break_check_second_half() {
    mutate_example_sheets(1);
}
