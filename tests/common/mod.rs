//! A small real campaign in a temporary folder, and ways to run `ducha check` on it.
//!
//! Three towns in two groups, a rubric of three items worth 20 points, and one final signed
//! sheet per town, each written in a different entry form. It checks clean; a test breaks it
//! in one way and looks at what `ducha check` reports.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Synthetic campaigns of any size, the same that `cargo run --example corpus` writes.
#[path = "../../examples/corpus/campaign.rs"]
pub mod corpus;

pub const CAMPAIGN: &str = "content/campaign.yaml";
pub const RUBRIC: &str = "content/rubric.yaml";
pub const TOWNS: &str = "content/towns.yaml";
pub const GROUPS: &str = "content/groups.yaml";
pub const XIANTANG: &str = "content/sheets/xiantang.yaml";
pub const XINGANG: &str = "content/sheets/xingang.yaml";
pub const LUOHU: &str = "content/sheets/luohu.yaml";
pub const EVIDENCE: &str = "content/evidence/xiantang/1-water.jpg";

/// The fixture's files. Line numbers matter: the tests point at them.
pub const FILES: &[(&str, &str)] = &[
    (
        CAMPAIGN,
        r#"id: test-2020
title: Test campaign
issuer: County office
issued: 2020-02-29
inspection: {start: 2020-03-01, end: 2020-03-05}
review_deadline: 2020-03-06
timezone: Asia/Shanghai
language: en
sample: true
scoring:
  step: 0.5
  not_assessed: rescale
consequences:
  - bottom: 1
    actions: [notice]
    deadline_days: 15
office:
  - {name: Clerk, git: clerk@example.org}
"#,
    ),
    (
        RUBRIC,
        r#"total: 20
sections:
  - id: poverty
    title: Poverty alleviation
    parts:
      - title: Results
        items:
          - id: "1"
            category: Households
            indicator: Households lifted out of poverty
            points: 10
          - id: "2"
            category: Villages
            indicator: Income in poor villages
            requirement: Not assessed in towns without poverty villages.
            points: 5
            assessed_if: poverty_villages
  - id: revival
    title: Rural revival
    parts:
      - items:
          - id: "3"
            indicator: Clean villages
            points: 5
            criteria:
              - {id: a, text: Roads free of rubbish, points: 3}
              - {id: b, text: Fields free of plastic, points: 2}
attributes:
  poverty_villages: poverty villages
"#,
    ),
    (
        TOWNS,
        r#"- {name: Xiantang, slug: xiantang, attributes: {poverty_villages: 3}}
- {name: Xingang, slug: xingang, attributes: {poverty_villages: 2}}
- {name: Luohu, slug: luohu, attributes: {poverty_villages: 0}}
"#,
    ),
    (
        GROUPS,
        r#"- id: g1
  name: Group One
  leader: {name: Pan, git: pan@example.org}
  deputies:
    - {name: Ou}
  members:
    - {name: Lan, git: lan@example.org}
    - {name: Liu, git: liu@example.org}
  towns: [xiantang, xingang]

- id: g2
  name: Group Two
  leader: {name: Yan, git: yan@example.org}
  deputies: [{name: He}]
  members:
    - {name: Jiang, git: jiang@example.org}
  towns: [luohu]
"#,
    ),
    // Deductions with reason and evidence; a plain score; criteria.
    (
        XIANTANG,
        r#"town: xiantang
group: g1
status: final
visited: [2020-03-02]
scores:
  "1":
    deductions:
      - points: 2
        reason: One household lacks a water test report
        evidence: [evidence/xiantang/1-water.jpg]
  "2": {score: 4.5}
  "3": {criteria: {a: 3, b: 1.5}}
summary: Roads clean, records complete.
signoff:
  leader: Pan
  members: [Lan, Liu]
  date: 2020-03-05
"#,
    ),
    // Full marks as a score; a score with deductions that agree; criteria.
    (
        XINGANG,
        r#"town: xingang
group: g1
status: final
visited: [2020-03-03, 2020-03-04]
scores:
  "1": {score: 10}
  "2":
    score: 4
    deductions:
      - points: 1
        reason: Income ledger incomplete
  "3": {criteria: {a: 2.5, b: 2}}
signoff:
  leader: Pan
  members: [Ou]
  date: 2020-03-06
"#,
    ),
    // A town without poverty villages: item 2 is not assessed.
    (
        LUOHU,
        r#"town: luohu
group: g2
status: final
visited: [2020-03-01]
scores:
  "1": {score: 7.5}
  "2": {not_assessed: No poverty villages in this town}
  "3": {criteria: {a: 3, b: 2}}
signoff:
  leader: Yan
  members: [Jiang, He]
  date: 2020-03-06
"#,
    ),
    (EVIDENCE, "not really a photo\n"),
];

/// Writes a resident ID and a mobile number into Xiantang's deduction reason, and names its
/// evidence file after a mobile number: what a careless sheet leaks.
pub fn leak_personal_numbers(f: &Fixture) {
    f.edit(
        XIANTANG,
        "One household lacks a water test report",
        "Household 440102198001021230 (tel. 13812345678) lacks a report",
    )
    .edit(
        XIANTANG,
        "evidence/xiantang/1-water.jpg",
        "evidence/xiantang/13912345678.jpg",
    )
    .write("content/evidence/xiantang/13912345678.jpg", "photo");
}

/// (code, file, line, column), as `--format json` reports a diagnostic.
pub type Diag = (String, String, u32, u32);

pub struct Fixture {
    dir: TempDir,
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("creating a temporary folder"),
        };
        for (path, text) in FILES {
            fixture.write(path, text);
        }
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (text or raw bytes) relative to the root, creating its folders.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Self {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, contents).unwrap_or_else(|e| panic!("writing {path}: {e}"));
        self
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path))
            .unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    /// Replaces `from` by `to` in a file. `from` must occur exactly once, so that an edit can
    /// neither silently do nothing nor change more than meant.
    pub fn edit(&self, path: &str, from: &str, to: &str) -> &Self {
        let text = self.read(path);
        match text.matches(from).count() {
            1 => self.write(path, text.replacen(from, to, 1)),
            0 => panic!("{path} has no {from:?} to edit:\n{text}"),
            n => panic!("{path} has {from:?} {n} times: make the edit unambiguous"),
        }
    }

    /// Adds `text` at the end of a file.
    pub fn append(&self, path: &str, text: &str) -> &Self {
        let mut all = self.read(path);
        all.push_str(text);
        self.write(path, all)
    }

    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.root().join(path))
            .unwrap_or_else(|e| panic!("removing {path}: {e}"));
        self
    }

    /// `ducha --root ROOT check ARGS…`: (exit code, stdout, stderr).
    pub fn check(&self, args: &[&str]) -> (i32, String, String) {
        let root = self.root().to_str().unwrap();
        let mut all = vec!["--root", root, "check"];
        all.extend_from_slice(args);
        ducha(&all)
    }

    /// The exit code and the diagnostics of `check --format json ARGS…`.
    pub fn check_json(&self, args: &[&str]) -> (i32, Vec<Diag>) {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = self.check(&all);
        (code, parse_diags(&stdout, &stderr))
    }

    /// The diagnostics of `check --format json`.
    pub fn diags(&self) -> Vec<Diag> {
        self.check_json(&[]).1
    }
}

/// Reads the (code, file, line, column) of each diagnostic from `--format json` output.
pub fn parse_diags(stdout: &str, stderr: &str) -> Vec<Diag> {
    let json: serde_json::Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    json["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics array:\n{stdout}"))
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap_or_else(|| panic!("no {k}: {d}"));
            let number = |k: &str| d[k].as_u64().unwrap_or_else(|| panic!("no {k}: {d}")) as u32;
            (
                field("code").to_string(),
                field("file").to_string(),
                number("line"),
                number("column"),
            )
        })
        .collect()
}

/// Runs the built `ducha` with `args`: (exit code, stdout, stderr). Fails the test if it
/// takes more than 30 s or is killed by a signal (a crash).
pub fn ducha(args: &[&str]) -> (i32, String, String) {
    run(Command::new(env!("CARGO_BIN_EXE_ducha")), args)
}

/// `ducha` with environment variables set, such as `LANG`.
pub fn ducha_env(env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ducha"));
    command.envs(env.iter().copied());
    run(command, args)
}

/// `ducha` run from the folder `cwd`, for paths relative to it.
pub fn ducha_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ducha"));
    command.current_dir(cwd);
    run(command, args)
}

/// Another program, run as `ducha` is.
pub fn run_program(program: &str, args: &[&str]) -> (i32, String, String) {
    run(Command::new(program), args)
}

/// True when strace is installed and may trace here.
pub fn strace_works() -> bool {
    Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run(mut command: Command, args: &[&str]) -> (i32, String, String) {
    // The system's language is English unless a test says otherwise, whatever the machine's.
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if command.get_envs().all(|(set, _)| set != name) {
            command.env_remove(name);
        }
    }
    let mut child = command
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting ducha");
    // Read both pipes on threads so that a large output cannot block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).map(|_| s)
    });
    let stderr = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).map(|_| s)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ducha {args:?} ran for more than 30 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = String::from_utf8(stdout.join().unwrap().unwrap()).expect("stdout is UTF-8");
    let stderr = String::from_utf8(stderr.join().unwrap().unwrap()).expect("stderr is UTF-8");
    let code = status
        .code()
        .unwrap_or_else(|| panic!("ducha {args:?} was killed ({status}); stderr:\n{stderr}"));
    (code, stdout, stderr)
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The names in `dir` that start with `prefix`, sorted.
pub fn names_starting(dir: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
}

/// The names in `dir` starting with `prefix` once the sites that builds retired there are
/// removed: a build hands the site it replaced to a process of its own, which removes it once
/// the build has ended. Waits up to a minute for them to go.
pub fn names_settled(dir: &Path, prefix: &str) -> Vec<String> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let names = names_starting(dir, prefix);
        if names.is_empty() || std::time::Instant::now() > until {
            return names;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Owned diagnostics from a readable list of expectations.
pub fn diags(expected: &[(&str, &str, u32, u32)]) -> Vec<Diag> {
    expected
        .iter()
        .map(|(code, file, line, col)| (code.to_string(), file.to_string(), *line, *col))
        .collect()
}

/// Headless Chromium with a fresh profile, as the browser tests start it (Debian's
/// `chromium`, or `DUCHA_CHROMIUM`).
pub fn headless(profile: &Path) -> Command {
    let browser = std::env::var("DUCHA_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null());
    command
}

/// Commits everything in the fixture as `name <email>` at `when` (RFC 3339).
pub fn commit(f: &Fixture, name: &str, email: &str, when: &str, message: &str) -> String {
    let repo = git2::Repository::open(f.root())
        .or_else(|_| git2::Repository::init(f.root()))
        .unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    // Deletions too.
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let ts: jiff::Timestamp = when.parse().unwrap();
    let who = git2::Signature::new(name, email, &git2::Time::new(ts.as_second(), 480)).unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
        .unwrap()
        .to_string()
}

/// The fixture committed by the office before the inspection.
pub fn repository() -> Fixture {
    let f = Fixture::new();
    f.write(".gitignore", "/site\n");
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T18:00:00+08:00",
        "Set up the campaign",
    );
    f
}

/// The town with `slug` in a list of towns of a JSON export or report.
pub fn by_slug<'j>(towns: &'j serde_json::Value, slug: &str) -> &'j serde_json::Value {
    towns
        .as_array()
        .unwrap_or_else(|| panic!("not a list of towns: {towns}"))
        .iter()
        .find(|t| t["slug"] == slug)
        .unwrap_or_else(|| panic!("no town {slug} in {towns}"))
}

/// The text of each cell of each body row of the table that starts at `marker`.
pub fn table_rows(dom: &str, marker: &str) -> Vec<Vec<String>> {
    let start = dom
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in the page"));
    let table = &dom[start..start + dom[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let cell = &cell[cell.find('>').unwrap() + 1..];
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in cell[..cell.find("</td>").unwrap_or(cell.len())].chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_string()
                })
                .collect()
        })
        .collect()
}

/// Runs `work` on a thread, which says the name of each input through `trying` before it
/// tries it and returns the failures; fails the test when one input takes longer than
/// `patience` (it hangs), when the thread dies, or when any input failed (the first `shown`).
pub fn survives(
    patience: Duration,
    shown: usize,
    work: impl FnOnce(&dyn Fn(String)) -> Vec<String> + Send + 'static,
) {
    let (progress, report) = std::sync::mpsc::channel::<Result<String, Vec<String>>>();
    std::thread::spawn(move || {
        let trying = |name: String| {
            let _ = progress.send(Ok(name));
        };
        let failures = work(&trying);
        let _ = progress.send(Err(failures));
    });
    let mut current = String::from("(starting)");
    loop {
        match report.recv_timeout(patience) {
            Ok(Ok(now)) => current = now,
            Ok(Err(failures)) => {
                assert!(
                    failures.is_empty(),
                    "{} inputs failed; the first ones:\n{}",
                    failures.len(),
                    failures[..failures.len().min(shown)].join("\n")
                );
                return;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("one input took more than {patience:?}: {current}")
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                panic!("the worker died on: {current}")
            }
        }
    }
}

/// A campaign made for printing, in Chinese: `towns` towns, and a rubric of two sections of
/// ten parts each whose items have requirements of very different lengths, so that a town
/// report runs over several pages with part headings all down them. Parts are titled
/// `PARTnn` and items `ITEMnn`, so that the printed text shows where each one went.
pub fn paper_campaign(root: &Path, towns: usize) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "content/campaign.yaml",
        "id: paper\ntitle: 2020 年度印制专项督查\nissuer: 中共某县委办公室\nissued: 2020-02-29\n\
inspection: {start: 2020-03-01, end: 2020-03-05}\nreview_deadline: 2020-03-06\nlanguage: zh-CN\n\
scoring: {step: 0.5}\nconsequences:\n  - {bottom: 3, actions: [全县通报批评, 下达专项督办通知, 限期落实整改], deadline_days: 15}\n",
    );
    let lengths = [
        1, 7, 2, 11, 3, 5, 14, 1, 9, 4, 2, 12, 6, 1, 8, 3, 10, 2, 5, 13,
    ];
    let mut rubric = String::from("total: 100\nsections:\n");
    let mut item = 0;
    for section in 0..2 {
        rubric.push_str(&format!(
            "  - id: s{section}\n    title: SECTION{section}方面\n    parts:\n"
        ));
        for part in 0..10 {
            let p = section * 10 + part;
            rubric.push_str(&format!("      - title: PART{p:02}部分\n        items:\n"));
            for _ in 0..2 {
                item += 1;
                let requirement = "按要求落实各项工作，台账齐全，资料完整，群众满意。"
                    .repeat(lengths[(item * 3 + p) % lengths.len()]);
                rubric.push_str(&format!(
                    "          - {{id: \"{item}\", category: 内容{p}, indicator: ITEM{item:02}指标, requirement: {requirement}, points: 2.5}}\n"
                ));
            }
        }
    }
    write("content/rubric.yaml", &rubric);
    let mut list = String::new();
    let mut slugs = Vec::new();
    for t in 0..towns {
        list.push_str(&format!("- {{name: 乡镇{t:02}, slug: t{t:02}}}\n"));
        slugs.push(format!("t{t:02}"));
    }
    write("content/towns.yaml", &list);
    write(
        "content/groups.yaml",
        &format!(
            "- id: g1\n  name: 第一小组\n  leader: {{name: 组长}}\n  members: [{{name: 成员}}]\n  towns: [{}]\n",
            slugs.join(", ")
        ),
    );
    for (t, slug) in slugs.iter().enumerate() {
        let mut sheet = format!("town: {slug}\ngroup: g1\nstatus: final\nscores:\n");
        // Town t loses half a point on each of its first t items: no two towns tie.
        for i in 1..=item {
            let score = if i <= t { "2" } else { "2.5" };
            sheet.push_str(&format!("  \"{i}\": {{score: {score}}}\n"));
        }
        sheet.push_str(
            "summary: 总体较好。\nsignoff: {leader: 组长, members: [成员], date: 2020-03-06}\n",
        );
        write(&format!("content/sheets/{slug}.yaml"), &sheet);
    }
}

/// Every HTML page under `site`, sorted.
pub fn pages_of(site: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = tree(site)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .map(|p| site.join(p))
        .collect();
    pages.sort();
    pages
}

/// The host and port of the first address in a line such as "serving http://…/".
pub fn address(line: &str) -> &str {
    line.split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
}

/// (status, body) of a GET sent as written, without any normalising of the path.
pub fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // Read the headers, then as much body as they announce: not every server closes.
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            head.push_str(&line);
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        head.push_str(&line);
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            reader.read_to_end(&mut body).unwrap();
        }
    }
    let response = format!("{head}{}", String::from_utf8_lossy(&body));
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Fetches `path` until its body contains `text`; fails after 30 s.
pub fn until(port: u16, path: &str, text: &str) -> String {
    let started = Instant::now();
    loop {
        let (_, body) = get(port, path);
        if body.contains(text) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{path} never showed {text:?}; last:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
