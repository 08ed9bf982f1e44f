//! Nothing leaks and nothing is faked: links out of the repository, devices and pipes posing as
//! sheets, crafted git trees, numbers past every range, spreadsheet formulas, audit bypasses and
//! control characters all meet a located diagnostic or a harmless output.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// (code, file, line) of each diagnostic.
fn located(diags: &[Diag]) -> Vec<(&str, &str, u32)> {
    diags
        .iter()
        .map(|(code, file, line, _)| (code.as_str(), file.as_str(), *line))
        .collect()
}

/// The message of the first diagnostic with `code`, from `check --format json`.
fn message(f: &Fixture, code: &str) -> String {
    let (_, stdout, _) = f.check(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {stdout}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

fn build(f: &Fixture) -> (i32, String, String) {
    ducha(&["--root", f.root().to_str().unwrap(), "build"])
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("running git");
    assert!(status.success(), "git {args:?}");
}

#[cfg(unix)]
#[test]
fn evidence_through_a_link_and_dot_dot_is_outside_the_repository() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("ssl")).unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    symlink(
        outside.path().join("ssl"),
        f.root().join("content/evidence/lnk"),
    )
    .unwrap();
    symlink("/proc/self/fd", f.root().join("content/evidence/pfd")).unwrap();
    // A decoy where the path would lead if `..` were applied before the link.
    f.write("content/evidence/passwd", "decoy");
    f.write("content/evidence/environ", "decoy");
    f.edit(
        XIANTANG,
        "evidence: [evidence/xiantang/1-water.jpg]",
        "evidence: [evidence/lnk/../passwd, evidence/pfd/../environ]",
    );
    f.edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary: \"[scan](evidence/lnk/../passwd)\"",
    );
    let (code, diags) = f.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        located(&diags),
        [
            ("E0315", XIANTANG, 10),
            ("E0315", XIANTANG, 10),
            ("E0315", XIANTANG, 13),
        ]
    );
    assert_eq!(build(&f).0, 1, "nothing is built");
    assert!(!f.root().join("site").exists());
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_repository_publishes_the_file_it_leads_to() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    f.write("content/scans/1.jpg", "the real scan");
    std::fs::create_dir_all(f.root().join("content/scans/real")).unwrap();
    f.write("content/evidence/1.jpg", "a different file");
    symlink(
        f.root().join("content/scans/real"),
        f.root().join("content/evidence/lnk"),
    )
    .unwrap();
    f.edit(
        XIANTANG,
        "evidence: [evidence/xiantang/1-water.jpg]",
        "evidence: [evidence/lnk/../1.jpg, evidence/1.jpg]",
    );
    assert_eq!(f.check_json(&[]), (0, vec![]));
    assert_eq!(build(&f).0, 0);
    // `lnk/..` is content/scans: both files are published, each under its own name.
    assert_eq!(f.read("site/files/scans/1.jpg"), "the real scan");
    assert_eq!(f.read("site/files/evidence/1.jpg"), "a different file");
    let page = f.read("site/towns/xiantang/index.html");
    assert!(page.contains("href=\"../../files/scans/1.jpg\""), "{page}");
    assert!(
        page.contains("href=\"../../files/evidence/1.jpg\""),
        "{page}"
    );
}

#[cfg(unix)]
#[test]
fn sheets_that_are_links_out_devices_pipes_or_huge_are_refused() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("shadow"),
        "root:$6$SECRET-HASH:19000:0:99999:7:::\n",
    )
    .unwrap();
    let sheets = f.root().join("content/sheets");
    symlink(outside.path().join("shadow"), sheets.join("a-link.yaml")).unwrap();
    symlink("/dev/zero", sheets.join("b-zero.yaml")).unwrap();
    let fifo = sheets.join("c-pipe.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::fs::File::create(sheets.join("d-huge.yaml"))
        .unwrap()
        .set_len(17 * 1024 * 1024)
        .unwrap();
    let (code, diags) = f.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        located(&diags),
        [
            ("E0116", "content/sheets/a-link.yaml", 1),
            ("E0116", "content/sheets/b-zero.yaml", 1),
            ("E0116", "content/sheets/c-pipe.yaml", 1),
            ("E0116", "content/sheets/d-huge.yaml", 1),
        ]
    );
    let (_, human, _) = f.check(&[]);
    assert!(!human.contains("SECRET-HASH"), "{human}");
    assert!(human.contains("leads out of the repository"), "{human}");
}

/// A commit whose tree names entries `../…/pwned.yaml` and an absolute path, as only a crafted
/// object can.
fn crafted_commit(f: &Fixture, names: &[&str]) {
    let repo = git2::Repository::open(f.root()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let tree = head.tree().unwrap();
    let blob = repo.blob(b"town: xiantang\n").unwrap();
    let odb = repo.odb().unwrap();
    let sheets = tree.get_path(Path::new("content/sheets")).unwrap();
    let sheets = repo.find_tree(sheets.id()).unwrap();
    // Entries in git's order: the crafted names start with `.` and `/`, before any letter.
    let mut raw = Vec::new();
    for name in names {
        raw.extend_from_slice(b"100644 ");
        raw.extend_from_slice(name.as_bytes());
        raw.push(0);
        raw.extend_from_slice(blob.as_bytes());
    }
    for entry in sheets.iter() {
        raw.extend_from_slice(format!("{:o} ", entry.filemode()).as_bytes());
        raw.extend_from_slice(entry.name_bytes());
        raw.push(0);
        raw.extend_from_slice(entry.id().as_bytes());
    }
    let sheets = odb.write(git2::ObjectType::Tree, &raw).unwrap();
    let content = tree.get_path(Path::new("content")).unwrap();
    let mut content = repo
        .treebuilder(Some(&repo.find_tree(content.id()).unwrap()))
        .unwrap();
    content.insert("sheets", sheets, 0o040000).unwrap();
    let content = content.write().unwrap();
    let mut top = repo.treebuilder(Some(&tree)).unwrap();
    top.insert("content", content, 0o040000).unwrap();
    let top = repo.find_tree(top.write().unwrap()).unwrap();
    let who = git2::Signature::now("Clerk", "clerk@example.org").unwrap();
    repo.commit(Some("HEAD"), &who, &who, "Crafted", &top, &[&head])
        .unwrap();
}

#[test]
fn diff_writes_nothing_a_crafted_tree_names() {
    let f = repository();
    let victim = tempfile::tempdir().unwrap();
    let climb = "../".repeat(40);
    let relative = format!(
        "{climb}{}/pwned.yaml",
        victim.path().display().to_string().trim_start_matches('/')
    );
    let absolute = format!("{}/absolute.yaml", victim.path().display());
    crafted_commit(&f, &[&relative, &absolute]);
    let root = f.root().to_str().unwrap();
    let (code, stdout, stderr) = ducha(&["--root", root, "diff", "HEAD~1", "HEAD"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(!victim.path().join("pwned.yaml").exists());
    assert!(!victim.path().join("absolute.yaml").exists());
    assert_eq!(std::fs::read_dir(victim.path()).unwrap().count(), 0);
    assert!(stdout.contains("E0117"), "{stdout}");
    // Both versions are read from git's objects: diff needs no writable disk at all.
    let (code, _, stderr) = ducha(&["--root", root, "diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn diff_reads_old_versions_from_git_objects() {
    let f = repository();
    f.edit(XIANTANG, "\"2\": {score: 4.5}", "\"2\": {score: 3}");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-05T19:00:00+08:00",
        "Item 2",
    );
    // The working tree is different again; HEAD~1 and HEAD must come from git.
    f.edit(XIANTANG, "\"2\": {score: 3}", "\"2\": {score: 1}");
    let root = f.root().to_str().unwrap();
    let (code, stdout, _) = ducha(&["--root", root, "diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let town = by_slug(&json["towns"], "xiantang");
    assert_eq!(town["changes"][0]["from"]["points"], "4.5");
    assert_eq!(town["changes"][0]["to"]["points"], "3");
}

#[test]
fn a_deadline_past_the_calendar_is_refused_by_check_and_build_does_not_crash() {
    let f = Fixture::new();
    f.edit(CAMPAIGN, "deadline_days: 15", "deadline_days: 4294967295");
    let (code, diags) = f.check_json(&[]);
    assert_eq!((code, located(&diags)), (1, vec![("E0211", CAMPAIGN, 16)]));
    assert!(message(&f, "E0211").contains("between 1 and 3650"));
    assert_eq!(build(&f).0, 1);
    f.edit(
        CAMPAIGN,
        "deadline_days: 4294967295",
        "deadline_days: 4294967296",
    );
    assert!(message(&f, "E0110").contains("too large"));
    f.edit(CAMPAIGN, "deadline_days: 4294967296", "deadline_days: 3650");
    assert_eq!(f.check_json(&[]), (0, vec![]));
    assert_eq!(build(&f).0, 0);
}

#[test]
fn a_town_with_nothing_assessed_is_an_error_and_never_ranked() {
    let f = Fixture::new();
    f.edit(
        RUBRIC,
        "            points: 10\n",
        "            points: 10\n            assessed_if: poverty_villages\n",
    );
    f.edit(
        RUBRIC,
        "            points: 5\n            criteria:",
        "            points: 5\n            assessed_if: poverty_villages\n            criteria:",
    );
    f.edit(LUOHU, "\"1\": {score: 7.5}", "\"1\": {not_assessed: none}");
    f.edit(
        LUOHU,
        "\"3\": {criteria: {a: 3, b: 2}}",
        "\"3\": {not_assessed: none}",
    );
    let (code, diags) = f.check_json(&[]);
    assert_eq!((code, located(&diags)), (1, vec![("E0328", LUOHU, 5)]));
    let loaded = ducha::load::load(f.root()).unwrap();
    let ranking = ducha::score::rank(&loaded.content);
    let luohu = ranking
        .towns
        .iter()
        .find(|t| {
            t.sheet
                .is_some_and(|s| loaded.content.sheets[s.index()].stem == "luohu")
        })
        .unwrap();
    assert_eq!(luohu.rank, None);
    assert!(luohu.consequences.is_empty());
}

#[test]
fn spreadsheet_formulas_are_neutralised_in_the_csv() {
    let f = Fixture::new();
    f.edit(
        XIANTANG,
        "reason: One household lacks a water test report",
        "reason: '=HYPERLINK(\"http://x.example/\",\"click\")'",
    );
    f.edit(TOWNS, "{name: Xingang,", "{name: \"@Xingang\",");
    f.edit(
        LUOHU,
        "{not_assessed: No poverty villages in this town}",
        "{not_assessed: \"-1+1\"}",
    );
    assert_eq!(f.check_json(&[]).0, 0);
    assert_eq!(build(&f).0, 0);
    let csv = f.read("site/data/scores.csv");
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"click\"\")\"\r\n"),
        "{csv}"
    );
    assert!(csv.contains(",'@Xingang,xingang,"), "{csv}");
    assert!(csv.contains(",'-1+1,"), "{csv}");
    for line in csv.lines() {
        for field in line.split(',') {
            assert!(!field.starts_with(['=', '+', '@']), "{line}");
        }
    }
}

#[test]
fn deleting_a_signed_sheet_and_adding_it_back_changed_is_still_a_change_after_sign_off() {
    let f = repository();
    let signed = f.read(XIANTANG);
    f.remove(XIANTANG);
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-05T19:00:00+08:00",
        "Remove",
    );
    f.write(
        XIANTANG,
        signed.replace("\"2\": {score: 4.5}", "\"2\": {score: 5}"),
    );
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-05T19:30:00+08:00",
        "Add back",
    );
    let (code, diags) = f.check_json(&[]);
    assert_eq!((code, located(&diags)), (0, vec![("W0403", XIANTANG, 1)]));
    // Removing the signed scores, and bringing back others under the old signature.
    assert!(
        message(&f, "W0403").contains("and 1 later"),
        "{}",
        message(&f, "W0403")
    );
    let (_, history, _) = ducha(&["--root", f.root().to_str().unwrap(), "history", "xiantang"]);
    assert!(history.contains("item 2: 4.5 → 5"), "{history}");
}

#[test]
fn a_shallow_clone_says_its_audit_is_incomplete_instead_of_inventing_changes() {
    let f = repository();
    f.edit(XIANTANG, "Roads clean", "Roads very clean");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-07T10:00:00+08:00",
        "Wording",
    );
    assert_eq!(f.check_json(&[]), (0, vec![]), "the full history is clean");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", f.root().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let root = clone.path().join("shallow");
    let (code, stdout, _) = ducha(&[
        "--root",
        root.to_str().unwrap(),
        "check",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(located(&parse_diags(&stdout, "")), [("W0405", CAMPAIGN, 1)]);
}

#[test]
fn hidden_evidence_is_refused_and_odd_names_are_linked_encoded() {
    let f = Fixture::new();
    f.write("content/evidence/.private/id.jpg", "x");
    f.write("content/evidence/xiantang/a #1?%.jpg", "odd name");
    f.edit(
        XIANTANG,
        "evidence: [evidence/xiantang/1-water.jpg]",
        "evidence: [evidence/.private/id.jpg]",
    );
    let (code, diags) = f.check_json(&[]);
    assert_eq!((code, located(&diags)), (1, vec![("E0327", XIANTANG, 10)]));
    f.edit(
        XIANTANG,
        "evidence: [evidence/.private/id.jpg]",
        "evidence: [\"evidence/xiantang/a #1?%.jpg\"]",
    );
    assert_eq!(f.check_json(&[]), (0, vec![]));
    assert_eq!(build(&f).0, 0);
    assert_eq!(
        f.read("site/files/evidence/xiantang/a #1?%.jpg"),
        "odd name"
    );
    let page = f.read("site/towns/xiantang/index.html");
    assert!(
        page.contains("href=\"../../files/evidence/xiantang/a%20%231%3F%25.jpg\""),
        "{page}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_reported_and_the_check_goes_on() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::new();
    let name = std::ffi::OsStr::from_bytes(b"\xd5\xc5.yaml");
    std::fs::write(f.root().join("content/sheets").join(name), "town: x\n").unwrap();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 11}");
    let (code, diags) = f.check_json(&[]);
    assert_eq!(
        (code, located(&diags)),
        (
            1,
            vec![
                ("E0302", XINGANG, 6),
                ("E0117", "content/sheets/\u{fffd}\u{fffd}.yaml", 1),
            ]
        )
    );
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let f = Fixture::new();
    f.edit(
        XIANTANG,
        "town: xiantang",
        "town: xiantang\n\"bad\\e[2J\\a\": 1",
    );
    let (_, human, _) = f.check(&[]);
    assert!(!human.contains(['\u{1b}', '\u{7}']), "{human:?}");
    assert!(human.contains("bad\\x1b[2J\\x07"), "{human}");
    let (_, github, _) = f.check(&["--format", "github"]);
    assert!(!github.contains(['\u{1b}', '\u{7}']), "{github:?}");
    f.edit(XIANTANG, "\n\"bad\\e[2J\\a\": 1", "");
    commit(
        &f,
        "Clerk",
        "clerk@example.org",
        "2020-03-05T18:00:00+08:00",
        "Set up",
    );
    f.edit(
        XIANTANG,
        "      - points: 2\n        reason: One household lacks a water test report",
        "      - points: 2.5\n        reason: \"Ledger\\e]0;owned\\a missing\\r\"",
    );
    commit(
        &f,
        "Pan\u{1b}[31m",
        "pan@example.org",
        "2020-03-05T19:00:00+08:00",
        "Reason\u{1b}[2J\u{7}",
    );
    let root = f.root().to_str().unwrap();
    let (_, history, _) = ducha(&["--root", root, "history"]);
    assert!(!history.contains(['\u{1b}', '\u{7}', '\r']), "{history:?}");
    assert!(history.contains("Reason\\x1b[2J\\x07"), "{history}");
    let (_, markdown, _) = ducha(&["--root", root, "diff", "HEAD~1"]);
    assert!(
        !markdown.contains(['\u{1b}', '\u{7}', '\r']),
        "{markdown:?}"
    );
}

#[test]
fn diff_markdown_shows_content_literally() {
    let f = repository();
    f.edit(
        XIANTANG,
        "        evidence: [evidence/xiantang/1-water.jpg]\n",
        "        evidence: [evidence/xiantang/1-water.jpg]\n      - points: 1\n        reason: \"<img src=x onerror=alert(1)> see @clerk\\n## Heading\\n- [x](http://e.example)\"\n",
    );
    let root = f.root().to_str().unwrap();
    let (_, markdown, _) = ducha(&["--root", root, "diff", "HEAD"]);
    assert_eq!(
        markdown.matches("<img").count(),
        markdown.matches("\\<img").count(),
        "every < is escaped: {markdown}"
    );
    assert!(
        markdown.contains("\\<img src=x onerror=alert\\(1\\)\\>"),
        "{markdown}"
    );
    assert!(markdown.contains("\\@clerk"), "{markdown}");
    assert!(
        !markdown
            .lines()
            .any(|l| l.starts_with("## Heading") || l.starts_with("- [x]")),
        "{markdown}"
    );
}

#[test]
fn messages_name_the_real_problem() {
    let f = Fixture::new();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 1000000000}");
    assert!(
        message(&f, "E0110").contains("too large"),
        "{}",
        message(&f, "E0110")
    );
    f.edit(
        XINGANG,
        "\"1\": {score: 1000000000}",
        "\"1\": {score: !!str 10}",
    );
    assert_eq!(
        located(&f.diags()),
        [("E0108", XINGANG, 6)],
        "a tagged string is not a number"
    );
    f.edit(XINGANG, "\"1\": {score: !!str 10}", "\"1\": {score: 10}");
    let many = format!("town: xingang\nvisited: [{}1]\n", "1,".repeat(1_000_000));
    f.write(XINGANG, many);
    let text = message(&f, "E0104");
    assert!(text.contains("more than 1000000 values"), "{text}");
    assert!(!text.contains("alias"), "{text}");
    let utf16: Vec<u8> = FILES
        .iter()
        .find(|(p, _)| *p == LUOHU)
        .unwrap()
        .1
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    f.write(LUOHU, utf16);
    let text = message(&f, "E0101");
    assert!(text.contains("UTF-16LE"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_theme_file_that_links_out_of_the_repository_is_refused() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "PRIVATE-KEY").unwrap();
    std::fs::create_dir_all(f.root().join("themes/default/static")).unwrap();
    symlink(
        outside.path().join("id_rsa"),
        f.root().join("themes/default/static/style.css"),
    )
    .unwrap();
    let (code, _, stderr) = build(&f);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("leads out of the repository"), "{stderr}");
    let published = std::fs::read_to_string(f.root().join("site/assets/style.css"));
    assert!(
        published.is_ok_and(|css| !css.contains("PRIVATE-KEY")) || !f.root().join("site").exists()
    );
}

#[cfg(unix)]
#[test]
fn new_and_schema_never_write_through_a_link() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    f.remove(LUOHU);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("bashrc");
    std::fs::write(&victim, "keep me\n").unwrap();
    // A dangling link where the new sheet would go, and a schema that links to a file.
    symlink(outside.path().join("planted"), f.root().join(LUOHU)).unwrap();
    std::fs::create_dir_all(f.root().join("schemas")).unwrap();
    symlink(&victim, f.root().join("schemas/sheet.schema.json")).unwrap();
    let root = f.root().to_str().unwrap();
    let (code, _, stderr) = ducha(&["--root", root, "new", "luohu"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("exists already"), "{stderr}");
    assert!(!outside.path().join("planted").exists());
    let (code, _, stderr) = ducha(&["--root", root, "schema"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(f.read("schemas/sheet.schema.json").contains("\"town\""));
    // A schemas/ folder that is itself a link out of the repository is refused.
    std::fs::remove_dir_all(f.root().join("schemas")).unwrap();
    symlink(outside.path(), f.root().join("schemas")).unwrap();
    let (code, _, stderr) = ducha(&["--root", root, "schema"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!outside.path().join("sheet.schema.json").exists());
}
