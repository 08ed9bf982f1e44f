//! `ducha init --ci github|gitea|gitlab`: each pipeline follows its forge's schema, and every
//! ducha command in it runs on a real campaign.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// (forge, where its pipeline goes, the schema it follows). Gitea Actions reads GitHub's
/// workflow syntax.
const FORGES: &[(&str, &str, &str)] = &[
    (
        "github",
        ".github/workflows/ducha.yml",
        "github-workflows.json",
    ),
    (
        "gitea",
        ".gitea/workflows/ducha.yml",
        "github-workflows.json",
    ),
    ("gitlab", ".gitlab-ci.yml", "gitlab-ci.json"),
];

/// A forge's schema, from SchemaStore as check-jsonschema vendors it (`.ci/run` unpacks it).
fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/pip/check_jsonschema/builtin_schemas/vendor")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the pipeline tests need {} (.ci/run unpacks the check-jsonschema 0.39.0 wheel into target/pip): {e}",
            path.display()
        )
    });
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors(validator: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn each_pipeline_follows_its_forge_s_schema() {
    let dir = tempfile::tempdir().unwrap();
    for (forge, path, schema_name) in FORGES {
        let repo = dir.path().join(forge);
        let (code, out, err) = ducha(&["init", "--ci", forge, repo.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        for (other, other_path, _) in FORGES {
            assert_eq!(
                repo.join(other_path).exists(),
                other == forge || other_path == path,
                "{forge}: {other_path}"
            );
        }
        let validator = schema(schema_name);
        let doc = yaml(&repo.join(path));
        let found = errors(&validator, &doc);
        assert!(found.is_empty(), "{forge}: {found:#?}");
        // The schema is strict enough to catch a pipeline gone wrong.
        let mut broken = doc.clone();
        match *forge {
            "gitlab" => broken["check"]["artifacts"]["when"] = serde_json::json!("sometimes"),
            _ => broken["jobs"]["ducha"]["steps"] = serde_json::json!({"run": "ducha check"}),
        }
        assert!(!errors(&validator, &broken).is_empty(), "{forge}");
    }
    // A new repository gets GitHub's unless told otherwise.
    let repo = dir.path().join("default");
    assert_eq!(ducha(&["init", repo.to_str().unwrap()]).0, 0);
    assert!(repo.join(".github/workflows/ducha.yml").exists());
    assert!(!repo.join(".gitlab-ci.yml").exists());
}

/// Each line of a pipeline's shell steps that runs ducha, in order.
fn ducha_lines(forge: &str, doc: &serde_json::Value) -> Vec<String> {
    let scripts: Vec<&str> = match forge {
        "gitlab" => doc
            .as_object()
            .unwrap()
            .values()
            .filter_map(|job| job.get("script"))
            .flat_map(|s| s.as_array().unwrap())
            .filter_map(|line| line.as_str())
            .collect(),
        _ => doc["jobs"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|job| job["steps"].as_array().unwrap())
            .filter_map(|step| step.get("run").and_then(|r| r.as_str()))
            .collect(),
    };
    scripts
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .filter(|l| l.starts_with("ducha "))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_ducha_command_of_each_pipeline_runs_on_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let ducha_dir = PathBuf::from(env!("CARGO_BIN_EXE_ducha"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        ducha_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (forge, file, _) in FORGES {
        let repo = dir.path().join(forge);
        let (code, out, err) = ducha(&["init", "--example", "--ci", forge, repo.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        // The pipeline is committed with the campaign.
        let (_, tracked, _) = run_program(
            "git",
            &["-C", repo.to_str().unwrap(), "ls-files", "--", file],
        );
        assert_eq!(tracked.trim(), *file);
        let lines = ducha_lines(forge, &yaml(&repo.join(file)));
        assert!(
            lines.iter().any(|l| l.starts_with("ducha check")),
            "{forge}: {lines:?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("ducha diff")));
        assert!(lines.iter().any(|l| l.starts_with("ducha build")));
        // The request's base: the commit four back, as the forge would name it.
        let (_, base, _) = run_program(
            "git",
            &["-C", repo.to_str().unwrap(), "rev-parse", "HEAD~4"],
        );
        for line in &lines {
            let line = line
                .replace("origin/${{ github.base_ref }}", base.trim())
                .replace("$CI_MERGE_REQUEST_DIFF_BASE_SHA", base.trim());
            let output = std::process::Command::new("sh")
                .args(["-c", &line])
                .current_dir(&repo)
                .env("PATH", &path)
                .env("LANG", "C.UTF-8")
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{forge}: `{line}` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert!(repo.join("site/index.html").exists(), "{forge}");
        assert!(
            std::fs::read_to_string(repo.join("ducha-diff.md"))
                .unwrap()
                .contains("柳城镇** 名次 13 → 12"),
            "{forge}: the comment is the diff report"
        );
        if *forge == "gitlab" {
            let report: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(repo.join("gl-code-quality-report.json")).unwrap(),
            )
            .unwrap();
            assert!(report.is_array(), "{report}");
        }
    }
}

#[test]
fn init_adds_a_pipeline_to_a_campaign_and_never_overwrites_one() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("c");
    assert_eq!(ducha(&["init", repo.to_str().unwrap()]).0, 0);
    let before = tree(&repo);
    let (code, out, err) = ducha(&["init", "--ci", "gitlab", repo.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(".gitlab-ci.yml"), "{out}");
    let after = tree(&repo);
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(added, [".gitlab-ci.yml"]);
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{path} changed");
    }
    let (code, _, err) = ducha(&["init", "--ci", "gitlab", repo.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains(".gitlab-ci.yml") && err.contains("never overwrites"),
        "{err}"
    );
    // A folder on the way that leads out of the repository is refused, and nothing made there.
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, repo.join(".gitea")).unwrap();
    let (code, _, err) = ducha(&["init", "--ci", "gitea", repo.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("outside the repository"), "{err}");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    // Without --ci, a campaign's folder is no place for a new one.
    let (code, _, err) = ducha(&["init", repo.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not empty"), "{err}");
    let (code, _, err) = ducha(&[
        "init",
        "--ci",
        "bitbucket",
        dir.path().join("d").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("github") && err.contains("gitea") && err.contains("gitlab"),
        "{err}"
    );
    assert!(!dir.path().join("d").exists());
}
