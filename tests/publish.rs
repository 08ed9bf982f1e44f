//! `ducha publish`: refused, with every reason, until the campaign is ready; then a tag whose
//! message sums up the ranking, a site that says it is published, and changes after it flagged.

mod common;

use common::*;

fn git_user(f: &Fixture) {
    let repo = git2::Repository::open(f.root()).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Clerk").unwrap();
    config.set_str("user.email", "clerk@example.org").unwrap();
}

#[test]
fn publish_refuses_with_every_reason() {
    let f = repository();
    git_user(&f);
    f.append(CAMPAIGN, "objections: {days: 5}\n");
    f.write(
        "content/objections/xiantang.yaml",
        "town: xiantang\nrequests:\n  - {item: \"1\", filed: 2020-03-08, claim: Filed on time, evidence: [evidence/xiantang/1-water.jpg]}\n",
    );
    f.edit(XINGANG, "status: final", "status: draft");
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "publish"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("cannot publish"), "{err}");
    assert!(
        err.contains("these towns have no final sheet: Xingang"),
        "{err}"
    );
    assert!(
        err.contains("these objections are not decided: Xiantang item 1"),
        "{err}"
    );
    assert!(err.contains("uncommitted changes"), "{err}");
    assert!(err.contains("ducha check --strict finds"), "{err}");
    let repo = git2::Repository::open(f.root()).unwrap();
    assert!(repo.tag_names(None).unwrap().is_empty(), "no tag was made");
}

#[test]
fn a_published_campaign_says_so_and_flags_later_changes() {
    let f = repository();
    git_user(&f);
    let root = f.root().to_str().unwrap();
    let (code, out, err) = ducha(&["--root", root, "publish"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("Published: Test campaign\n"), "{out}");
    assert!(out.contains("    1  Xingang  18.50\n"), "{out}");
    assert!(out.contains("Bottom 1 (notice): Luohu"), "{out}");
    assert!(out.contains("published: tag test-2020, commit "), "{out}");
    let repo = git2::Repository::open(f.root()).unwrap();
    let tag = repo
        .revparse_single("refs/tags/test-2020")
        .unwrap()
        .into_tag()
        .expect("an annotated tag");
    assert!(
        tag.message()
            .unwrap()
            .unwrap()
            .ends_with("Campaign: test-2020")
    );
    // Its site says it is published, with the tag and the day.
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let ranking = std::fs::read_to_string(f.root().join("site/index.html")).unwrap();
    assert!(ranking.contains("Published: test-2020 ("), "{ranking}");
    // Publishing again under the same name is refused.
    let (code, _, err) = ducha(&["--root", root, "publish"]);
    assert_eq!(code, 1);
    assert!(err.contains("the tag test-2020 already exists"), "{err}");
    // A score changed afterwards is flagged, and the site no longer says published.
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9.5}");
    commit(
        &f,
        "Pan",
        "pan@example.org",
        "2020-03-06T20:00:00+08:00",
        "Item 1 once more",
    );
    let codes: Vec<String> = f.diags().into_iter().map(|d| d.0).collect();
    assert!(codes.contains(&"W0408".to_string()), "{codes:?}");
    assert_eq!(ducha(&["--root", root, "build"]).0, 0);
    let ranking = std::fs::read_to_string(f.root().join("site/index.html")).unwrap();
    assert!(!ranking.contains("Published: test-2020"));
    // Under another name it can be published again, once --strict is clean.
    let (code, _, err) = ducha(&["--root", root, "publish", "--tag", "test-2020-v2"]);
    assert_eq!(code, 1, "the late change is a problem under --strict");
    assert!(err.contains("check --strict"), "{err}");
}
