//! Long work on a terminal shows one updating line and ends with a summary that says how long
//! it took; the same work with its output going to a file or a pipe prints nothing extra.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

/// Runs `ducha ARGS` with a terminal as its standard output and error (`script` makes one):
/// everything it drew there.
fn on_a_terminal(args: &[&str]) -> String {
    on_a_terminal_but(args, None)
}

/// Runs `ducha ARGS` like `on_a_terminal`, its standard output going to the file `out` when
/// there is one.
fn on_a_terminal_but(args: &[&str], out: Option<&Path>) -> String {
    let mut line = env!("CARGO_BIN_EXE_ducha").to_string();
    let out = out.map(|o| o.to_str().unwrap());
    for arg in args.iter().chain(out.as_slice()) {
        assert!(
            arg.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b)),
            "{arg}"
        );
        line.push(' ');
        line.push_str(arg);
    }
    if let Some(out) = out {
        // The file's name was pushed last: it is where the output goes.
        let at = line.len() - out.len();
        line.insert_str(at, "> ");
    }
    let output = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .expect("the terminal tests need script (util-linux)");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The states of the updating line, in the order they were drawn.
fn drawn_lines(screen: &str) -> Vec<String> {
    screen
        .split(['\r', '\n'])
        .map(|l| l.trim_start_matches("\x1b[2K").trim_end().to_string())
        .filter(|l| l.contains(" · "))
        .collect()
}

/// What a line says of its stage: the stage's name and its count, as "name done/total".
fn counts<'l>(lines: &'l [String], stage: &str) -> Vec<(u64, u64, &'l str)> {
    lines
        .iter()
        .filter_map(|l| {
            let rest = l.split_once(&format!("{stage} "))?.1;
            let (count, elapsed) = rest.split_once(" · ")?;
            let (done, total) = count.split_once('/')?;
            Some((done.parse().ok()?, total.parse().ok()?, elapsed))
        })
        .collect()
}

fn plain(text: &str) -> bool {
    !text.contains('\r') && !text.contains('\x1b') && !text.contains("用时")
}

#[test]
fn a_long_check_and_build_show_their_stage_and_count_on_a_terminal_and_nothing_extra_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    paper_campaign(dir.path(), 1200);
    let root = dir.path().to_str().unwrap();

    let screen = on_a_terminal(&["--root", root, "check"]);
    let lines = drawn_lines(&screen);
    let read = counts(&lines, "读取评分表");
    assert!(!lines.is_empty(), "no progress line: {screen}");
    assert!(
        read.iter()
            .all(|&(done, total, _)| total == 1200 && done <= total),
        "{lines:#?}"
    );
    let summary = screen.lines().last().unwrap().trim();
    assert!(
        summary.contains("检查完成：0 个错误") && summary.ends_with(" 秒）"),
        "{summary}"
    );

    // Into a file from a terminal: the line on the terminal, the report without the time.
    let report = dir.path().join("report.txt");
    let screen = on_a_terminal_but(&["--root", root, "check"], Some(&report));
    assert!(
        !drawn_lines(&screen).is_empty(),
        "no progress line: {screen}"
    );
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(plain(&written), "{written}");
    assert!(
        written.ends_with("检查完成：0 个错误，1200 个警告\n"),
        "{written}"
    );

    let screen = on_a_terminal(&["--root", root, "build"]);
    let lines = drawn_lines(&screen);
    let rendered = counts(&lines, "生成页面");
    assert!(!rendered.is_empty(), "rendering never shown: {lines:#?}");
    // The count only grows, up to every page and file of the site.
    let total = rendered[0].1;
    assert!(total > 1200, "{rendered:?}");
    assert!(
        rendered
            .windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[1].1 == total),
        "{rendered:?}"
    );
    // The line is taken away before the summary, which says the time.
    let last = screen.lines().last().unwrap();
    let summary = last.rsplit("\x1b[2K").next().unwrap().trim();
    assert!(
        summary.starts_with(&format!("已生成 {root}/site：1200 个乡镇"))
            && summary.contains("（用时 ")
            && summary.ends_with(" 秒）"),
        "{last:?}"
    );
    let seconds: f64 = summary
        .rsplit_once("（用时 ")
        .unwrap()
        .1
        .trim_end_matches(" 秒）")
        .parse()
        .unwrap();
    assert!(seconds > 0.0, "{summary}");

    // Into a pipe or a file: the same summary, without the line or the time.
    let (code, stdout, stderr) = ducha(&["--root", root, "build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(plain(&stdout) && plain(&stderr), "{stdout}{stderr}");
    assert!(stdout.starts_with(&format!("已生成 {root}/site：1200 个乡镇")));
    let (code, stdout, stderr) = ducha(&["--root", root, "check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(plain(&stdout) && plain(&stderr), "{stdout}{stderr}");
}

/// Commits `count` edits of one sheet on top of the fixture's repository, each its own commit.
fn many_commits(f: &Fixture, count: usize) {
    let repo = git2::Repository::open(f.root()).unwrap();
    let who = git2::Signature::new(
        "Clerk",
        "clerk@example.org",
        &git2::Time::new(1_583_402_400, 480),
    )
    .unwrap();
    let sheet = f.read(XIANTANG);
    for i in 0..count {
        let text = format!("{sheet}# revision {i}\n");
        let blob = repo.blob(text.as_bytes()).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        let root = head.tree().unwrap();
        let replace = |tree: &git2::Tree, name: &str, id: git2::Oid, mode: i32| {
            let mut builder = repo.treebuilder(Some(tree)).unwrap();
            builder.insert(name, id, mode).unwrap();
            builder.write().unwrap()
        };
        let content = repo
            .find_tree(root.get_name("content").unwrap().id())
            .unwrap();
        let sheets = repo
            .find_tree(content.get_name("sheets").unwrap().id())
            .unwrap();
        let name = Path::new(XIANTANG).file_name().unwrap().to_str().unwrap();
        let sheets = replace(&sheets, name, blob, 0o100644);
        let content = replace(&content, "sheets", sheets, 0o040000);
        let root = repo
            .find_tree(replace(&root, "content", content, 0o040000))
            .unwrap();
        repo.commit(Some("HEAD"), &who, &who, "Revise", &root, &[&head])
            .unwrap();
    }
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
}

#[test]
fn a_long_history_counts_its_commits_on_a_terminal() {
    let f = repository();
    many_commits(&f, 6000);
    let root = f.root().to_str().unwrap();

    let screen = on_a_terminal(&["--root", root, "history"]);
    let lines = drawn_lines(&screen);
    let read: Vec<u64> = lines
        .iter()
        .filter_map(|l| {
            l.split_once("reading commits ")?
                .1
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert!(!read.is_empty(), "no commits counted: {lines:#?}");
    assert!(read.windows(2).all(|w| w[0] <= w[1]) && read[read.len() - 1] <= 6001);
    let summary = screen.lines().last().unwrap();
    let summary = summary.rsplit("\x1b[2K").next().unwrap().trim();
    assert!(
        summary.starts_with("the trail: 6001 commits changed content/ (")
            && summary.ends_with(" s)"),
        "{summary:?}"
    );

    let (code, stdout, stderr) = ducha(&["--root", root, "history"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(plain(&stdout) && stderr.is_empty(), "{stderr}");
}
