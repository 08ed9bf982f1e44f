//! Builds killed at any moment leave a complete site, and the next build leaves nothing
//! beside it: random SIGKILLs during builds of a generated campaign, then (with strace) a kill
//! at each rename, with the exchange and without it.
//!
//! `DUCHA_KILL_TOWNS` (default 100) and `DUCHA_KILL_RANDOM` (default 30) set the size;
//! `benches/kill.sh` runs the heavy version and prints the figures.

#![cfg(unix)]

mod common;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Campaign {
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// Every file of an uninterrupted build, with its bytes.
    expected: BTreeMap<String, Vec<u8>>,
    /// How many times the site was found complete.
    checks: Cell<usize>,
}

impl Campaign {
    fn site(&self) -> PathBuf {
        self.root.join("site")
    }

    fn build(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ducha"));
        command
            .args(["--root", self.root.to_str().unwrap(), "build"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// The output folder holds a whole site, byte for byte the one an uninterrupted build
    /// writes: the marker, the ranking and every town's page among them.
    fn assert_complete(&self, after: &str) {
        let site = self.site();
        assert!(site.join(".ducha-site").is_file(), "{after}: no marker");
        assert!(site.join("index.html").is_file(), "{after}: no index.html");
        let found = tree(&site);
        if found != self.expected {
            let missing: Vec<_> = self
                .expected
                .keys()
                .filter(|k| !found.contains_key(*k))
                .take(5)
                .collect();
            let differ: Vec<_> = found
                .iter()
                .filter(|(k, v)| self.expected.get(*k) != Some(v))
                .map(|(k, _)| k)
                .take(5)
                .collect();
            panic!(
                "{after}: the site is not complete: {} files of {}; missing {missing:?}; different or extra {differ:?}",
                found.len(),
                self.expected.len()
            );
        }
        self.checks.set(self.checks.get() + 1);
    }

    /// What builds left beside the output folder.
    fn leftovers(&self) -> Vec<String> {
        names_starting(&self.root, ".site")
    }

    /// An uninterrupted build, after which nothing is left beside the site.
    fn assert_clean_build(&self, after: &str) {
        assert!(
            self.build().status().unwrap().success(),
            "{after}: the next build failed"
        );
        self.assert_complete(after);
        let left = names_settled(&self.root, ".site");
        assert_eq!(left, Vec::<String>::new(), "{after}: leftovers");
    }
}

fn campaign(towns: usize) -> Campaign {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("campaign");
    corpus::write_campaign(&root, towns, 30, towns.div_ceil(7));
    let reference = dir.path().join("reference");
    let (code, stdout, stderr) = ducha(&[
        "--root",
        root.to_str().unwrap(),
        "build",
        "--out",
        reference.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let expected = tree(&reference);
    assert!(expected.len() > towns, "a page per town");
    Campaign {
        _dir: dir,
        root,
        expected,
        checks: Cell::new(0),
    }
}

fn killed(status: ExitStatus) -> bool {
    status.signal() == Some(9)
}

#[test]
fn a_killed_build_always_leaves_a_complete_site() {
    let towns = setting("DUCHA_KILL_TOWNS", 100);
    let kills = setting("DUCHA_KILL_RANDOM", 30);
    let c = campaign(towns);
    c.assert_clean_build("the first build");
    let started = Instant::now();
    c.assert_clean_build("a build replacing the first");
    // Only to spread the kills over a whole build, to the removal of the previous site.
    let span = started.elapsed().as_micros().max(1000) as u64 * 6 / 5;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = corpus::Rng(seed);
    let (mut landed, mut writing, mut finished) = (0, 0, 0);
    for i in 0..kills {
        let mut child = c.build().spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if killed(status) {
            landed += 1;
            let own = format!(".site.new-{}", child.id());
            writing += usize::from(c.leftovers().contains(&own));
        } else {
            assert!(status.success(), "kill {i}: the build failed: {status}");
            finished += 1;
        }
        c.assert_complete(&format!("random kill {i} (seed {seed})"));
    }
    let left = c.leftovers().len();
    c.assert_clean_build("the random kills");
    println!(
        "{towns} towns; {kills} builds killed at random within {} ms of their start: {landed} killed ({writing} of them while writing the new site), {finished} finished first; {left} leftover folders before the next build, none after it",
        span / 1000
    );

    if !strace_works() {
        println!("strace is missing or cannot trace here: the kills at each rename are skipped");
        return;
    }
    let exchange = kills_at_each_call(&c, "rename,renameat,renameat2", &[]);
    // An exchange refused, as by a file system without it: two renames instead.
    let fallback = kills_at_each_call(&c, "rename,renameat", &["renameat2:error=EINVAL:when=1+"]);
    // Right after the swap, at the first removal of a file of the previous site.
    let removal = usize::from(strace_build(&c, "unlink,unlinkat,rmdir", &[], 1));
    c.assert_clean_build("the kill at the removal of the previous site");
    println!(
        "kills at a rename: {exchange} with the exchange, {fallback} with two renames, and {removal} at the removal of the previous site; none left anything after the next build"
    );
    println!(
        "{} kills survived; {} complete-site checks passed; 0 leftovers after the next build",
        landed + exchange + fallback + removal,
        c.checks.get()
    );
}

/// Kills a build at the 1st, 2nd, … call of each syscall in `set` until one finishes; each
/// build is also the next build after the kill before it. Returns how many were killed.
fn kills_at_each_call(c: &Campaign, set: &str, also: &[&str]) -> usize {
    let mut n = 0;
    let mut left_by_last = Vec::new();
    loop {
        let landed = strace_build(c, set, also, n + 1);
        let now = c.leftovers();
        let stayed: Vec<_> = left_by_last.iter().filter(|l| now.contains(l)).collect();
        assert!(stayed.is_empty(), "{set}: the next build left {stayed:?}");
        if !landed {
            let now = names_settled(&c.root, ".site");
            assert_eq!(now, Vec::<String>::new(), "{set}: leftovers");
            return n;
        }
        n += 1;
        assert!(n < 20, "{set}: no build finished");
        left_by_last = now;
    }
}

/// Runs a build under strace, killed at call `n` of each syscall in `set`, with the other
/// injections `also`, and checks the site it leaves. Returns whether the kill landed.
fn strace_build(c: &Campaign, set: &str, also: &[&str], n: usize) -> bool {
    let mut command = Command::new("strace");
    command.args(["-f", "-qq", "-o", "/dev/null", "--seccomp-bpf"]);
    for spec in also {
        command.arg(format!("--inject={spec}"));
    }
    // Each injection names its own `when`: without it, strace applies one to the other.
    command
        .arg(format!("--inject={set}:signal=SIGKILL:when={n}"))
        .args([
            env!("CARGO_BIN_EXE_ducha"),
            "--root",
            c.root.to_str().unwrap(),
            "build",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let status = command.status().unwrap();
    let after = format!("a kill at call {n} of {set} {also:?}");
    if status.success() {
        c.assert_complete(&after);
        return false;
    }
    assert!(killed(status), "{after}: {status}");
    if c.site().exists() {
        c.assert_complete(&after);
    } else {
        // Only between the two renames that stand in for an exchange: both sites are beside
        // the output folder, for the next build to put the new one in place.
        assert!(!also.is_empty(), "{after}: the exchange left no site");
        let left = c.leftovers();
        assert!(
            left.iter().any(|n| n.starts_with(".site.new-"))
                && left.iter().any(|n| n.starts_with(".site.old-")),
            "{after}: {left:?}"
        );
    }
    true
}
