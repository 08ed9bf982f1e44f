//! Signed commits: keys listed per person, git's SSH signatures verified in-process, and the
//! audit that flags every change to a sheet not signed by someone allowed to make it. The
//! commits are made by git itself, with keys made by ssh-keygen.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Makes a key pair with ssh-keygen: (private key file, public key line).
fn keygen(dir: &Path, name: &str, kind: &str) -> (PathBuf, String) {
    let file = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", kind, "-N", "", "-C", name, "-f"])
        .arg(&file)
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let public = std::fs::read_to_string(file.with_extension("pub")).unwrap();
    (file, public.trim().to_string())
}

/// Runs git in the fixture at a time of the inspection; returns its standard output.
fn git(root: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(root)
        .env("GIT_AUTHOR_DATE", "2020-03-05T19:00:00+08:00")
        .env("GIT_COMMITTER_DATE", "2020-03-05T19:00:00+08:00")
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Commits every change as `name <email>`, signed with `key` when there is one; returns the
/// commit's id.
fn commit_as(root: &Path, name: &str, email: &str, key: Option<&Path>, message: &str) -> String {
    let user = [format!("user.name={name}"), format!("user.email={email}")];
    let mut args: Vec<String> = vec!["-c".into(), user[0].clone(), "-c".into(), user[1].clone()];
    if let Some(key) = key {
        for setting in [
            "gpg.format=ssh".to_string(),
            format!("user.signingkey={}", key.display()),
            "commit.gpgsign=true".to_string(),
        ] {
            args.push("-c".into());
            args.push(setting);
        }
    }
    args.extend(["commit", "-q", "-a", "-m", message].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    git(root, &args);
    git(root, &["rev-parse", "HEAD"]).trim().to_string()
}

/// Adds `keys: [...]` to the person with e-mail `email` in `file`.
fn list_key(f: &Fixture, file: &str, email: &str, key: &str) {
    f.edit(
        file,
        &format!("git: {email}}}"),
        &format!("git: {email}, keys: [\"{key}\"]}}"),
    );
}

/// A sheet touched: a comment line added, so that the commit changes it.
fn touch(f: &Fixture, sheet: &str, n: usize) {
    let path = f.root().join(sheet);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("# reviewed {n}\n"));
    std::fs::write(path, text).unwrap();
}

/// The W0406 findings of the check, each as (sheet, message).
fn unverified(root: &str) -> Vec<(String, String)> {
    let (_, out, err) = ducha(&["--root", root, "check", "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "W0406")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

struct Signed {
    f: Fixture,
    keys: tempfile::TempDir,
    /// Commit ids by what they show.
    office: String,
    pan: String,
    lan: String,
    other_group: String,
    stranger: String,
    unsigned: String,
    tampered: String,
}

/// The fixture under `require_signed`: the office signs with RSA, Pan with Ed25519, Lan with
/// ECDSA; then a signature by another group's leader, one by a key nobody lists (under Pan's
/// e-mail), an unsigned commit, and a signed commit altered afterwards.
fn signed_repository() -> Signed {
    let f = Fixture::new();
    let keys = tempfile::tempdir().unwrap();
    let (clerk, clerk_pub) = keygen(keys.path(), "clerk", "rsa");
    let (pan, pan_pub) = keygen(keys.path(), "pan", "ed25519");
    let (lan, lan_pub) = keygen(keys.path(), "lan", "ecdsa");
    let (yan, yan_pub) = keygen(keys.path(), "yan", "ed25519");
    let (stranger, _) = keygen(keys.path(), "stranger", "ed25519");
    f.write(".gitignore", "/site\n");
    f.edit(
        CAMPAIGN,
        "office:\n",
        "audit: {require_signed: true}\noffice:\n",
    );
    list_key(&f, CAMPAIGN, "clerk@example.org", &clerk_pub);
    list_key(&f, GROUPS, "pan@example.org", &pan_pub);
    list_key(&f, GROUPS, "lan@example.org", &lan_pub);
    list_key(&f, GROUPS, "yan@example.org", &yan_pub);
    let root = f.root();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    let office = commit_as(root, "Clerk", "clerk@example.org", Some(&clerk), "Set up");
    touch(&f, XIANTANG, 1);
    let pan_commit = commit_as(root, "Pan", "pan@example.org", Some(&pan), "Xiantang");
    touch(&f, XINGANG, 2);
    let lan_commit = commit_as(root, "Lan", "lan@example.org", Some(&lan), "Xingang");
    touch(&f, XIANTANG, 3);
    let other_group = commit_as(root, "Yan", "yan@example.org", Some(&yan), "Yan edits");
    touch(&f, XINGANG, 4);
    let forged = commit_as(root, "Pan", "pan@example.org", Some(&stranger), "Forged");
    touch(&f, XIANTANG, 5);
    let unsigned = commit_as(root, "Pan", "pan@example.org", None, "Unsigned");
    touch(&f, XINGANG, 6);
    commit_as(
        root,
        "Pan",
        "pan@example.org",
        Some(&pan),
        "Signed, then altered",
    );
    // The same commit with another message, its signature kept: it no longer verifies.
    let raw = git(root, &["cat-file", "commit", "HEAD"]);
    let altered = raw.replace("Signed, then altered", "Signed by the leader");
    let object = root.join("altered-commit");
    std::fs::write(&object, altered).unwrap();
    let tampered = git(
        root,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            object.to_str().unwrap(),
        ],
    )
    .trim()
    .to_string();
    std::fs::remove_file(&object).unwrap();
    git(root, &["update-ref", "refs/heads/main", &tampered]);
    Signed {
        f,
        keys,
        office,
        pan: pan_commit,
        lan: lan_commit,
        other_group,
        stranger: forged,
        unsigned,
        tampered,
    }
}

fn short(id: &str) -> &str {
    &id[..7]
}

#[test]
fn only_changes_signed_by_someone_allowed_pass_the_audit() {
    let s = signed_repository();
    let root = s.f.root().to_str().unwrap();
    // git itself agrees on which signatures hold.
    let allowed = s.keys.path().join("allowed");
    let mut lines = String::new();
    for (email, name) in [
        ("clerk@example.org", "clerk"),
        ("pan@example.org", "pan"),
        ("lan@example.org", "lan"),
        ("yan@example.org", "yan"),
    ] {
        let key = std::fs::read_to_string(s.keys.path().join(format!("{name}.pub"))).unwrap();
        lines.push_str(&format!("{email} {key}"));
    }
    std::fs::write(&allowed, lines).unwrap();
    let setting = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    let log = git(s.f.root(), &["-c", &setting, "log", "--format=%h %G?"]);
    let git_says: Vec<&str> = log.lines().collect();
    assert!(["U", "E"].contains(&&git_says[2][8..]), "{git_says:?}");
    assert_eq!(
        git_says,
        [
            format!("{} B", short(&s.tampered)),
            format!("{} N", short(&s.unsigned)),
            // Good, by a key the allowed-signers file lacks: `U` or `E` as git's version says.
            format!("{} {}", short(&s.stranger), &git_says[2][8..]),
            format!("{} G", short(&s.other_group)),
            format!("{} G", short(&s.lan)),
            format!("{} G", short(&s.pan)),
            format!("{} G", short(&s.office)),
        ]
    );

    let found = unverified(root);
    let expected = [
        (
            XIANTANG,
            &s.other_group,
            "is signed by Yan, who is in neither Group One nor the office",
        ),
        (XINGANG, &s.stranger, "is signed by the key SHA256:"),
        (XIANTANG, &s.unsigned, "is not signed"),
        (
            XINGANG,
            &s.tampered,
            "has a signature that does not hold for it",
        ),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (sheet, commit, words) in expected {
        assert!(
            found.iter().any(|(file, message)| file == sheet
                && message.starts_with(&format!("commit {}", short(commit)))
                && message.contains(words)),
            "no W0406 on {sheet} for {} ({words}): {found:#?}",
            short(commit)
        );
    }
    // Yan is outside Group One by e-mail too; the forged commit passes the e-mail rule, which
    // only the signature catches.
    let (code, out, _) = ducha(&["--root", root, "check", "--format", "json"]);
    assert_eq!(code, 0, "warnings only");
    let w0401: Vec<_> = parse_diags(&out, "")
        .into_iter()
        .filter(|d| d.0 == "W0401")
        .collect();
    assert_eq!(w0401, [("W0401".into(), XIANTANG.into(), 1, 7)]);
    assert_eq!(ducha(&["--root", root, "check", "--strict"]).0, 1);
}

#[test]
fn history_pages_and_diff_say_who_signed() {
    let s = signed_repository();
    let root = s.f.root().to_str().unwrap();
    let (code, json, err) = ducha(&["--root", root, "history", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let signed: Vec<(String, String)> = json["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap()[..7].to_string(),
                format!(
                    "{} {}",
                    c["signature"]["signed"].as_str().unwrap(),
                    c["signature"]["name"].as_str().unwrap_or("")
                ),
            )
        })
        .collect();
    let expect = |id: &str, what: &str| (short(id).to_string(), what.to_string());
    assert_eq!(
        signed,
        [
            expect(&s.tampered, "invalid "),
            expect(&s.unsigned, "unsigned "),
            expect(&s.stranger, "unknown_key "),
            expect(&s.other_group, "verified Yan"),
            expect(&s.lan, "verified Lan"),
            expect(&s.pan, "verified Pan"),
            expect(&s.office, "verified Clerk"),
        ]
    );
    let (_, text, _) = ducha(&["--root", root, "history", "xingang"]);
    assert!(
        text.contains(&format!(
            "{}  2020-03-05 19:00  Lan <lan@example.org>\n  ✔ signed and verified: Lan\n",
            short(&s.lan)
        )),
        "{text}"
    );
    assert!(
        text.contains("  ⚠ signed by an unknown key (SHA256:"),
        "{text}"
    );

    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let page = std::fs::read_to_string(s.f.root().join("site/history/index.html")).unwrap();
    let mark = |page: &str, key: &str, text: &str| {
        page.split("<span class=\"signed signed-").skip(1).any(|s| {
            s.starts_with(&format!("{key}\"")) && s.contains(&format!("</svg> {text}</span>"))
        })
    };
    assert!(
        mark(&page, "verified", "signed and verified: Pan"),
        "history page"
    );
    assert!(
        mark(&page, "invalid", "signature does not verify"),
        "history page"
    );
    let town = std::fs::read_to_string(s.f.root().join("site/towns/xiantang/index.html")).unwrap();
    assert!(
        mark(&town, "verified", "signed and verified: Pan"),
        "town page"
    );
    assert!(mark(&town, "unsigned", "unsigned"), "town page");

    let (_, md, err) = ducha(&["--root", root, "diff", &s.lan]);
    assert!(md.contains("### Signatures"), "{md}{err}");
    assert!(md.contains("1 of 4 commits signed and verified."), "{md}");
    assert!(
        md.contains(&format!(
            "- ✅ `{}` Yan edits — signed and verified: Yan",
            short(&s.other_group)
        )),
        "{md}"
    );
    let (_, md, _) = ducha(&["--root", root, "diff", &s.office, &s.lan]);
    assert!(md.contains("2 of 2 commits signed and verified."), "{md}");
}

#[test]
fn keys_are_read_and_belong_to_one_person_each() {
    let f = Fixture::new();
    let keys = tempfile::tempdir().unwrap();
    let (_, pan) = keygen(keys.path(), "pan", "ed25519");
    list_key(&f, GROUPS, "pan@example.org", &pan);
    list_key(&f, GROUPS, "yan@example.org", &pan);
    // Cut short, and a private key pasted by mistake.
    list_key(&f, GROUPS, "lan@example.org", &pan[..pan.len() - 20]);
    list_key(
        &f,
        CAMPAIGN,
        "clerk@example.org",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
    );
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "check", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let found = parse_diags(&out, &err);
    let column = |file: &str, line: usize| {
        let text = std::fs::read_to_string(f.root().join(file)).unwrap();
        let line_text = text.lines().nth(line - 1).unwrap();
        // Characters to the opening quote of the key, counted from 1.
        line_text[..line_text.find("keys: [\"").unwrap() + "keys: [".len()]
            .chars()
            .count() as u32
            + 1
    };
    assert_eq!(
        found,
        [
            ("E0120".into(), CAMPAIGN.into(), 18, column(CAMPAIGN, 18)),
            ("E0120".into(), GROUPS.into(), 7, column(GROUPS, 7)),
            ("E0216".into(), GROUPS.into(), 13, column(GROUPS, 13)),
        ]
    );
    let (_, human, _) = ducha(&["--root", root, "check"]);
    assert!(
        human.contains(
            "is already listed for Pan on line 3: each person signs with a key of their own"
        ),
        "{human}"
    );
}

#[test]
fn a_signature_that_is_not_ssh_is_reported_as_such() {
    let f = repository();
    let root = f.root().to_str().unwrap();
    f.edit(
        CAMPAIGN,
        "office:\n",
        "audit: {require_signed: true}\noffice:\n",
    );
    touch(&f, XIANTANG, 1);
    // A commit with an OpenPGP signature, as `git commit -S` with gpg writes it.
    let repo = git2::Repository::open(f.root()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who =
        git2::Signature::new("Pan", "pan@example.org", &git2::Time::new(1583406000, 480)).unwrap();
    let parent = repo.head().unwrap().peel_to_commit().unwrap();
    let buffer = repo
        .commit_create_buffer(&who, &who, "Xiantang", &tree, &[&parent])
        .unwrap();
    let pgp = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----";
    let id = repo
        .commit_signed(buffer.as_str().unwrap(), pgp, None)
        .unwrap();
    repo.reference("refs/heads/main", id, true, "signed")
        .unwrap();
    repo.set_head("refs/heads/main").unwrap();
    let found = unverified(root);
    let pgp_commit = found
        .iter()
        .find(|(_, m)| m.starts_with(&format!("commit {}", &id.to_string()[..7])))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(
        pgp_commit
            .1
            .contains("is signed, but not with a listed SSH key (an OpenPGP or X.509 signature)"),
        "{pgp_commit:?}"
    );
}
