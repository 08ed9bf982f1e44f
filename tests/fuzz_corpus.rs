//! The fuzz target's short run: every input of `fuzz/corpus/campaign/` and
//! `fuzz/regressions/` goes through `ducha::pipeline` on the example campaign, as
//! `cargo fuzz run campaign` runs it, and a few thousand deterministic mutations of them go
//! through it on the small fixture campaign (in place of the example, by the same archive). None may panic, stop the build with an error,
//! make a faulty site or report, or take more than a few seconds.
//!
//! `DUCHA_WRITE_SEEDS=1 cargo test --test fuzz_corpus` writes the seed inputs into the corpus.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use common::survives;
use ducha::pipeline::{self, Change};

/// A single input may take at most this long: more means it hangs. Inputs with hundreds of
/// findings take a second in a debug build on a busy machine.
const PATIENCE: Duration = Duration::from_secs(10);

/// How many mutations run; a few milliseconds each in a debug build.
const MUTATIONS: usize = 2000;

/// Mutations start from inputs up to this size: larger ones hold the example's rubric, too
/// slow to parse thousands of times in a debug build.
const SMALL: usize = 4096;

fn fuzz_dir(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(folder)
}

/// The files of a folder of `fuzz/`, by name.
fn read_inputs(folder: &str) -> Vec<(String, Vec<u8>)> {
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(fuzz_dir(folder))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            (
                format!("{folder}/{name}"),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    inputs.sort();
    inputs
}

/// The committed corpus, the inputs that once broke a build, and the seeds, each input once.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut inputs = [
        read_inputs("corpus/campaign"),
        read_inputs("regressions"),
        seed_archives(),
    ]
    .concat();
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|(_, bytes)| seen.insert(bytes.clone()));
    inputs
}

/// The fixture of the other tests in place of the example: small enough to build thousands of
/// times in seconds.
fn fixture() -> Vec<Change> {
    let mut changes = vec![Change::Drop {
        prefix: "content/".into(),
    }];
    changes.extend(
        common::FILES
            .iter()
            .map(|(path, text)| put(path, text.as_bytes())),
    );
    changes
}

/// An archive applied to the fixture instead of the example, as an archive on the example: the
/// fuzz target replays it as it is.
fn on_fixture(archive: &[u8]) -> Vec<u8> {
    // `%%drop //` removes nothing (no path starts with `/`): it ends the fixture's last file,
    // so that what the archive has before its first change is not taken into that file.
    [
        &pipeline::archive(&fixture()).unwrap(),
        &b"\n%%drop //\n"[..],
        archive,
    ]
    .concat()
}

fn put(path: &str, bytes: &[u8]) -> Change {
    Change::Put {
        path: path.to_string(),
        bytes: bytes.to_vec(),
    }
}

/// The fuzzer's seeds: the example as it is, each of its files on its own (for the fuzzer to
/// mutate real YAML of every kind), and the small fixture in place of the example.
fn seeds() -> Vec<(String, Vec<Change>)> {
    let example = pipeline::example();
    let mut seeds = vec![("example".to_string(), vec![])];
    for (path, bytes) in example.files.iter().filter(|(p, _)| p.ends_with(".yaml")) {
        let name = path.trim_start_matches("content/").replace('/', "-");
        seeds.push((name, vec![put(path, bytes)]));
    }
    seeds.push((
        "no-evidence".into(),
        vec![Change::Drop {
            prefix: "content/evidence/".into(),
        }],
    ));
    let mut small = fixture();
    seeds.push(("fixture".into(), small.clone()));
    let text = |path: &str| common::FILES.iter().find(|(p, _)| *p == path).unwrap().1;
    let sheet = text(common::XINGANG);
    let draft = sheet
        .replace("status: final", "status: draft")
        .replace("\"3\": {criteria: {a: 2.5, b: 2}}", "\"3\": {}");
    let mut drafted = small.clone();
    drafted.push(put(common::XINGANG, draft.as_bytes()));
    seeds.push(("fixture-draft".into(), drafted));
    let zh = text(common::CAMPAIGN)
        .replace("language: en", "language: zh-CN")
        .replace("not_assessed: rescale", "not_assessed: full_marks");
    small.push(put(common::CAMPAIGN, zh.as_bytes()));
    small.push(Change::Drop {
        prefix: common::LUOHU.into(),
    });
    seeds.push(("fixture-zh-provisional".into(), small));
    seeds
        .into_iter()
        .map(|(name, changes)| (format!("seed-{name}"), changes))
        .collect()
}

/// A small PRNG (xorshift64*), so that every run tries the same mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values that have broken parsers and arithmetic before.
const INTERESTING: &[&str] = &[
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "-9223372036854775808",
    "1e9",
    "1e308",
    "-1",
    "0",
    "0.001",
    "99999999999999999999.99",
    ".nan",
    "-.inf",
    "2020-02-30",
    "2020-13-01",
    "0000-01-01",
    "9999-12-31",
    "99999-01-01",
    "~",
    "[]",
    "{}",
    "\"\"",
    "*a",
    "&a [*a]",
    "!!binary aGk=",
    "\"\\u202e\\x1b[31m\"",
    "../../.git/config",
    "/etc/passwd",
    "evidence/",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
];

/// One deterministic mutation of `input`: a byte flipped, a cut, a splice with another input,
/// a line doubled or dropped, or a value replaced by an interesting one.
fn mutate(rng: &mut Rng, input: &[u8], others: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    let at = rng.below(out.len() + 1);
    match rng.below(7) {
        0 if !out.is_empty() => {
            let i = at.min(out.len() - 1);
            out[i] ^= 1 << rng.below(8);
        }
        1 => out.truncate(at),
        2 => {
            let other = others[rng.below(others.len())];
            out.truncate(at);
            out.extend_from_slice(&other[rng.below(other.len() + 1)..]);
        }
        3 | 4 => {
            // The value after a `: ` (or at a random place) becomes an interesting one.
            let colons: Vec<usize> = (0..out.len().saturating_sub(1))
                .filter(|&i| &out[i..i + 2] == b": ")
                .collect();
            let start = match colons.len() {
                0 => at,
                n => colons[rng.below(n)] + 2,
            };
            let end = out[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(out.len(), |n| start + n);
            let value = match rng.below(INTERESTING.len() + 1) {
                i if i < INTERESTING.len() => INTERESTING[i].as_bytes().to_vec(),
                _ => vec![b'x'; 100_000],
            };
            out.splice(start..end, value);
        }
        _ => {
            let lines: Vec<&[u8]> = out.split_inclusive(|b| *b == b'\n').collect();
            let i = rng.below(lines.len());
            let mut changed: Vec<&[u8]> = lines.clone();
            if rng.below(2) == 0 {
                changed.insert(i, lines.get(i).copied().unwrap_or(b"\n"));
            } else if !changed.is_empty() {
                changed.remove(i);
            }
            out = changed.concat();
        }
    }
    out
}

/// The mutations that the test runs, by a name that says where they came from.
fn mutations(inputs: &[(String, Vec<u8>)], count: usize) -> Vec<(String, Vec<u8>)> {
    let small: Vec<&(String, Vec<u8>)> = inputs.iter().filter(|(_, b)| b.len() <= SMALL).collect();
    let others: Vec<&[u8]> = small.iter().map(|(_, b)| b.as_slice()).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..count)
        .map(|n| {
            let (name, bytes) = small[rng.below(small.len())];
            // Now and then a mutation of a mutation.
            let mut bytes = mutate(&mut rng, bytes, &others);
            if rng.below(4) == 0 {
                bytes = mutate(&mut rng, &bytes, &others);
            }
            (format!("mutation {n} of {name}"), bytes)
        })
        .collect()
}

/// Builds each input on the example, as the fuzz target does, on a thread so that an input
/// that hangs fails the test instead of stalling it. A failing input is saved for
/// `cargo fuzz run campaign FILE`.
fn survive(inputs: Vec<(String, Vec<u8>)>) {
    survives(PATIENCE, usize::MAX, move |trying| {
        let base = pipeline::example();
        let mut failures = Vec::new();
        for (name, archive) in &inputs {
            trying(name.clone());
            let campaign = pipeline::unpack(&base, archive);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                pipeline::build_in_memory(Arc::new(campaign))
            }));
            let problem = match outcome {
                Ok(Ok(built)) if built.faults().is_empty() => continue,
                Ok(Ok(built)) => built.faults().join("; "),
                Ok(Err(e)) => format!("the build could not run: {e:#}"),
                Err(_) => "panic".to_string(),
            };
            failures.push(format!("{name}: {problem} ({})", save(name, archive)));
        }
        failures
    });
}

fn save(name: &str, archive: &[u8]) -> String {
    let file = name.replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-{file}"));
    match std::fs::write(&path, archive) {
        Ok(()) => format!("saved as {}", path.display()),
        Err(e) => format!("not saved: {e}"),
    }
}

fn seed_archives() -> Vec<(String, Vec<u8>)> {
    seeds()
        .into_iter()
        .map(|(name, changes)| (name, pipeline::archive(&changes).unwrap()))
        .collect()
}

#[test]
fn the_seeds_build_what_they_say() {
    if std::env::var_os("DUCHA_WRITE_SEEDS").is_some() {
        for (name, archive) in seed_archives() {
            std::fs::write(fuzz_dir("corpus/campaign").join(name), archive).unwrap();
        }
    }
    let seeds = seed_archives();
    let build = |name: &str| {
        let archive = &seeds.iter().find(|(n, _)| n == name).unwrap().1;
        pipeline::build_in_memory(Arc::new(pipeline::unpack(&pipeline::example(), archive)))
            .unwrap()
    };
    let example = build("seed-example");
    assert_eq!(example.errors, 0, "{:#?}", example.findings);
    assert_eq!(example.ranking.towns.len(), 21);
    let rubric = build("seed-rubric.yaml");
    assert_eq!(rubric.errors, 0, "{:#?}", rubric.findings);

    let example = pipeline::example();
    let fixture = pipeline::unpack(&example, &on_fixture(b"junk\n%%file content/x.yaml\nx\n"));
    assert_eq!(
        fixture.files.keys().collect::<Vec<_>>(),
        common::FILES
            .iter()
            .map(|(p, _)| *p)
            .chain(["content/x.yaml"])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    assert_eq!(fixture.files[common::EVIDENCE], b"not really a photo\n");

    let small = build("seed-fixture");
    assert_eq!(small.errors, 0, "{:#?}", small.findings);
    let site = small.site.unwrap();
    assert!(site.contains_key("towns/luohu/index.html"));
    assert!(!site.contains_key("towns/lankou/index.html"));
    assert!(site.contains_key("files/evidence/xiantang/1-water.jpg"));

    let draft = build("seed-fixture-draft");
    assert_eq!(draft.errors, 0, "{:#?}", draft.findings);
    assert!(
        draft.findings.iter().any(|f| f.code == "W0326"),
        "{:#?}",
        draft.findings
    );
    assert!(draft.ranking.provisional);

    let provisional = build("seed-fixture-zh-provisional");
    let codes: Vec<(&str, &str)> = provisional
        .findings
        .iter()
        .map(|f| (f.code, f.file.as_str()))
        .collect();
    assert_eq!(codes, [("W0322", common::TOWNS)]);
    assert!(provisional.findings[0].message.contains("还没有评分表"));
    let ranking: serde_json::Value =
        serde_json::from_slice(&provisional.site.unwrap()["data/ranking.json"]).unwrap();
    assert_eq!(ranking["provisional"], true);
}

#[test]
fn the_mutations_are_many_varied_and_deterministic() {
    let inputs = inputs();
    let first = mutations(&inputs, 500);
    assert_eq!(first, mutations(&inputs, 500));
    let changed = first
        .iter()
        .filter(|(_, bytes)| !inputs.iter().any(|(_, b)| b == bytes))
        .count();
    assert!(changed > 450, "{changed} of 500 changed their input");
}

#[test]
fn the_corpus_builds_without_a_panic() {
    let base = pipeline::example();
    // Seeds that write a file as the example has it make the example again: build it once.
    let mut seen = std::collections::HashSet::new();
    let inputs: Vec<_> = inputs()
        .into_iter()
        .filter(|(_, archive)| seen.insert(pipeline::unpack(&base, archive).files))
        .collect();
    assert!(inputs.len() > 100, "{}", inputs.len());
    survive(inputs);
}

#[test]
fn mutations_of_the_corpus_build_without_a_panic() {
    let on_fixture = mutations(&inputs(), MUTATIONS)
        .into_iter()
        .map(|(name, archive)| (name, on_fixture(&archive)))
        .collect();
    survive(on_fixture);
}
