//! `ducha check` and `ducha explain` as a user and a CI script see them: output formats,
//! exit codes, `--root`, languages.

mod common;

use common::*;
use serde_json::json;

const ABOVE: &str = "score 5.5 is above item 2's standard points (5)";
const NO_SHEET: &str =
    "Luohu has no sheet yet: run `ducha new luohu`; until then the ranking is provisional";

/// The fixture with one error (a score above its points) and one warning (a missing sheet).
fn error_and_warning() -> Fixture {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "{score: 4.5}", "{score: 5.5}")
        .remove(LUOHU);
    fx
}

fn json_of(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

// ---------------------------------------------------------------------------------------------
// human

#[test]
fn human_clean_run_says_so() {
    let (code, stdout, stderr) = Fixture::new().check(&[]);
    assert_eq!(stdout, "check passed: no problems\n");
    assert_eq!(stderr, "");
    assert_eq!(code, 0);
}

#[test]
fn human_shows_a_code_frame_with_a_caret_under_the_value() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "{score: 4.5}", "{score: 5.5}");
    let (code, stdout, _) = fx.check(&[]);
    assert_eq!(
        stdout,
        "\
error[E0302]: score 5.5 is above item 2's standard points (5)
  --> content/sheets/xiantang.yaml:11:16
   |
11 |   \"2\": {score: 5.5}
   |                ^^^ at most 5

check finished: 1 error, 0 warnings
"
    );
    assert_eq!(code, 1);
}

#[test]
fn human_lines_up_the_caret_after_wide_characters() {
    let fx = Fixture::new();
    fx.edit(TOWNS, "{name: Xingang,", "{name: 新港镇,").edit(
        GROUPS,
        "towns: [xiantang, xingang]",
        "towns: [xiantang]",
    );
    let (code, stdout, _) = fx.check(&[]);
    assert_eq!(
        stdout,
        "\
error[E0208]: 新港镇 is in no group: add it to the towns of a group in groups.yaml
 --> content/towns.yaml:2:21
  |
2 | - {name: 新港镇, slug: xingang, attributes: {poverty_villages: 2}}
  |                        ^^^^^^^

check finished: 1 error, 0 warnings
"
    );
    assert_eq!(code, 1);
}

/// Old Mac line ends (a lone CR) end lines for YAML too: each frame shows the line the parser
/// meant, and a long line after them cannot push a caret past the end of another line.
#[test]
fn human_frames_lines_ended_by_a_lone_carriage_return() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "{score: 4.5}", "{score: 5.5}").edit(
        XIANTANG,
        "group: g1",
        &format!("group: {}g2", " ".repeat(200)),
    );
    let text = fx.read(XIANTANG).replace('\n', "\r");
    fx.write(XIANTANG, format!("{text}\n# {}\n", "-".repeat(120)));
    let (code, stdout, stderr) = fx.check(&[]);
    assert_eq!(
        stdout,
        format!(
            "\
error[E0319]: Xiantang is inspected by g1, not g2: correct the group
 --> content/sheets/xiantang.yaml:2:208
  |
2 | …{0}g2
  | {0} ^^

error[E0302]: score 5.5 is above item 2's standard points (5)
  --> content/sheets/xiantang.yaml:11:16
   |
11 |   \"2\": {{score: 5.5}}
   |                ^^^ at most 5

check finished: 2 errors, 0 warnings
",
            " ".repeat(40)
        )
    );
    assert_eq!(stderr, "");
    assert_eq!(code, 1);
}

#[test]
fn human_lists_errors_and_warnings_by_file_and_line() {
    let (code, stdout, _) = error_and_warning().check(&[]);
    let heads: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .collect();
    assert_eq!(
        heads,
        [
            format!("error[E0302]: {ABOVE}"),
            format!("warning[W0322]: {NO_SHEET}"),
        ]
    );
    assert!(
        stdout.contains("\n --> content/towns.yaml:3:23\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("\ncheck finished: 1 error, 1 warning\n"),
        "{stdout}"
    );
    assert_eq!(code, 1);
}

#[test]
fn human_output_to_a_pipe_has_no_colour() {
    let (_, stdout, _) = error_and_warning().check(&[]);
    assert!(!stdout.contains('\x1b'), "{stdout:?}");
}

// ---------------------------------------------------------------------------------------------
// json

#[test]
fn json_has_exactly_the_documented_shape() {
    let (code, stdout, _) = error_and_warning().check(&["--format", "json"]);
    assert_eq!(
        json_of(&stdout),
        json!({
            "diagnostics": [
                {
                    "code": "E0302",
                    "severity": "error",
                    "message": ABOVE,
                    "file": "content/sheets/xiantang.yaml",
                    "line": 11,
                    "column": 16
                },
                {
                    "code": "W0322",
                    "severity": "warning",
                    "message": NO_SHEET,
                    "file": "content/towns.yaml",
                    "line": 3,
                    "column": 23
                }
            ],
            "errors": 1,
            "warnings": 1
        })
    );
    assert_eq!(code, 1);
}

#[test]
fn json_of_a_clean_run() {
    let (code, stdout, _) = Fixture::new().check(&["--format", "json"]);
    assert_eq!(
        json_of(&stdout),
        json!({"diagnostics": [], "errors": 0, "warnings": 0})
    );
    assert_eq!(code, 0);
}

#[test]
fn json_with_strict_counts_warnings_as_errors() {
    let fx = Fixture::new();
    fx.remove(LUOHU);
    let (code, stdout, _) = fx.check(&["--format", "json", "--strict"]);
    assert_eq!(
        json_of(&stdout),
        json!({
            "diagnostics": [{
                "code": "W0322",
                "severity": "error",
                "message": NO_SHEET,
                "file": "content/towns.yaml",
                "line": 3,
                "column": 23
            }],
            "errors": 1,
            "warnings": 0
        })
    );
    assert_eq!(code, 1);
}

// ---------------------------------------------------------------------------------------------
// github

#[test]
fn github_annotations() {
    let (code, stdout, _) = error_and_warning().check(&["--format", "github"]);
    assert_eq!(
        stdout,
        format!(
            "::error file=content/sheets/xiantang.yaml,line=11,col=16,title=E0302::{ABOVE}\n\
             ::warning file=content/towns.yaml,line=3,col=23,title=W0322::{NO_SHEET}\n"
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn github_with_strict_annotates_warnings_as_errors() {
    let fx = Fixture::new();
    fx.remove(LUOHU);
    let (code, stdout, _) = fx.check(&["--format", "github", "--strict"]);
    assert_eq!(
        stdout,
        format!("::error file=content/towns.yaml,line=3,col=23,title=W0322::{NO_SHEET}\n")
    );
    assert_eq!(code, 1);
}

#[test]
fn github_escapes_a_comma_in_a_file_name() {
    let fx = Fixture::new();
    fx.write("content/sheets/luo,hu.yaml", fx.read(LUOHU))
        .remove(LUOHU);
    let (code, stdout, _) = fx.check(&["--format", "github"]);
    assert_eq!(
        stdout,
        "::warning file=content/sheets/luo%2Chu.yaml,line=1,col=7,title=W0323::\
         the file is not named after its town: rename it luohu.yaml\n"
    );
    assert_eq!(code, 0);
}

// ---------------------------------------------------------------------------------------------
// exit codes and arguments

#[test]
fn warnings_alone_exit_0_and_1_with_strict() {
    let fx = Fixture::new();
    fx.remove(LUOHU);
    assert_eq!(fx.check(&[]).0, 0);
    assert_eq!(fx.check(&["--strict"]).0, 1);
}

#[test]
fn root_is_accepted_before_and_after_the_command() {
    let fx = error_and_warning();
    let root = fx.root().to_str().unwrap();
    let before = ducha(&["--root", root, "check", "--format", "json"]);
    let after = ducha(&["check", "--format", "json", "--root", root]);
    assert_eq!(before.0, 1);
    assert_eq!(before, after);
    assert_eq!(parse_diags(&after.1, &after.2).len(), 2);
}

#[test]
fn root_defaults_to_the_current_folder() {
    let fx = error_and_warning();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ducha"))
        .args(["check", "--format", "json"])
        .current_dir(fx.root())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(parse_diags(&stdout, "").len(), 2);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_root_that_does_not_exist_exits_2() {
    let fx = Fixture::new();
    let missing = fx.root().join("no-such-folder");
    let (code, stdout, stderr) = ducha(&["--root", missing.to_str().unwrap(), "check"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("no-such-folder"), "{stderr}");
}

#[test]
fn a_root_without_content_exits_2() {
    let fx = Fixture::new();
    let bare = fx.root().join("bare");
    std::fs::create_dir(&bare).unwrap();
    let (code, stdout, stderr) = ducha(&["--root", bare.to_str().unwrap(), "check"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("content/"), "{stderr}");
}

#[test]
fn a_root_that_is_a_file_exits_2() {
    let fx = Fixture::new();
    let file = fx.root().join(CAMPAIGN);
    let (code, _, stderr) = ducha(&["--root", file.to_str().unwrap(), "check"]);
    assert_eq!(code, 2);
    assert!(!stderr.is_empty());
}

#[test]
fn an_unknown_format_exits_2() {
    let (code, stdout, stderr) = Fixture::new().check(&["--format", "xml"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("xml"), "{stderr}");
}

#[test]
fn an_unknown_option_exits_2() {
    let (code, _, stderr) = Fixture::new().check(&["--stirct"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--stirct"), "{stderr}");
}

#[test]
fn a_missing_sheets_folder_is_only_missing_sheets() {
    let fx = Fixture::new();
    fx.remove(XIANTANG).remove(XINGANG).remove(LUOHU);
    std::fs::remove_dir(fx.root().join("content/sheets")).unwrap();
    let (code, diags) = fx.check_json(&[]);
    assert_eq!(
        diags,
        common::diags(&[
            ("W0322", TOWNS, 1, 26),
            ("W0322", TOWNS, 2, 25),
            ("W0322", TOWNS, 3, 23),
        ])
    );
    assert_eq!(code, 0);
}

// ---------------------------------------------------------------------------------------------
// explain

#[test]
fn explain_prints_a_rule_s_documentation() {
    let (code, stdout, _) = ducha(&["explain", "E0302"]);
    assert!(
        stdout.starts_with("E0302 score-above-points (error)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("得分高于标准分"), "{stdout}");
    assert!(
        stdout.contains("Score above the standard points"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "What it checks: a score is at most its item's (or criterion's) standard points"
        ),
        "{stdout}"
    );
    assert_eq!(code, 0);
}

#[test]
fn explain_takes_a_rule_s_name_too() {
    let by_code = ducha(&["explain", "E0302"]);
    let by_name = ducha(&["explain", "score-above-points"]);
    assert_eq!(by_name, by_code);
}

#[test]
fn explain_without_a_code_lists_every_rule() {
    let (code, stdout, _) = ducha(&["explain"]);
    for rule in ducha::explain::rules() {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(rule.code) && l.contains(rule.name)),
            "{} missing from:\n{stdout}",
            rule.code
        );
    }
    assert_eq!(code, 0);
}

#[test]
fn explain_an_unknown_code_exits_2() {
    let (code, stdout, stderr) = ducha(&["explain", "E9999"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("E9999"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// language

fn in_chinese() -> Fixture {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "language: en", "language: zh-CN");
    fx
}

#[test]
fn zh_cn_campaign_checks_clean_in_chinese() {
    let (code, stdout, _) = in_chinese().check(&[]);
    assert_eq!(stdout, "检查通过：没有问题\n");
    assert_eq!(code, 0);
}

#[test]
fn zh_cn_campaign_gets_chinese_messages() {
    let fx = in_chinese();
    fx.edit(XIANTANG, "{score: 4.5}", "{score: 5.5}");
    let (code, stdout, _) = fx.check(&[]);
    assert_eq!(
        stdout,
        "\
error[E0302]: 得分 5.5 高于第 2 项的标准分（5）
  --> content/sheets/xiantang.yaml:11:16
   |
11 |   \"2\": {score: 5.5}
   |                ^^^ 最多 5

检查完成：1 个错误，0 个警告
"
    );
    assert_eq!(code, 1);
    let (_, stdout, _) = fx.check(&["--format", "json"]);
    assert_eq!(
        json_of(&stdout)["diagnostics"][0]["message"],
        "得分 5.5 高于第 2 项的标准分（5）"
    );
    let (_, stdout, _) = fx.check(&["--format", "github"]);
    assert!(
        stdout.ends_with("title=E0302::得分 5.5 高于第 2 项的标准分（5）\n"),
        "{stdout}"
    );
}

#[test]
fn chinese_is_the_default_language() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "language: en\n", "").remove(LUOHU);
    let (code, stdout, _) = fx.check(&["--format", "json"]);
    assert_eq!(
        json_of(&stdout)["diagnostics"][0]["message"],
        "Luohu 还没有评分表：运行 ducha new luohu；在此之前排名为暂定"
    );
    assert_eq!(code, 0);
}

// ---------------------------------------------------------------------------------------------
// gitlab

#[test]
fn gitlab_code_quality_report() {
    let fx = error_and_warning();
    let (code, stdout, _) = fx.check(&["--format", "gitlab"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let issues = report.as_array().unwrap();
    assert_eq!(issues.len(), 2, "{stdout}");
    assert_eq!(issues[0]["check_name"], "score-above-points");
    assert_eq!(issues[0]["severity"], "major");
    assert_eq!(issues[0]["description"], format!("E0302 {ABOVE}"));
    assert_eq!(
        issues[0]["location"],
        json!({"path": "content/sheets/xiantang.yaml", "lines": {"begin": 11}})
    );
    assert_eq!(issues[1]["severity"], "minor");
    assert_eq!(issues[1]["location"]["path"], "content/towns.yaml");
    // Fingerprints tell findings apart, and stay the same from run to run.
    let prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_ne!(prints[0], prints[1]);
    assert!(prints.iter().all(|p| p.len() == 32));
    let (_, again, _) = fx.check(&["--format", "gitlab"]);
    assert_eq!(again, stdout);
    // A clean campaign gives an empty report.
    let (code, stdout, _) = Fixture::new().check(&["--format", "gitlab"]);
    assert_eq!((code, stdout.as_str()), (0, "[]\n"));
}

// ---------------------------------------------------------------------------------------------
// sarif

/// The SARIF 2.1.0 JSON Schema, as Microsoft's SARIF Multitool ships it (.ci/run installs it
/// with npm under target/npm).
fn sarif_schema() -> jsonschema::Validator {
    let path = std::env::var_os("SARIF_SCHEMA").map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json")
        },
        std::path::PathBuf::from,
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the SARIF tests need the schema at {}: npm install --prefix target/npm @microsoft/sarif-multitool-linux@5.7.0 ({e})",
            path.display()
        )
    });
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

#[test]
fn sarif_log_follows_the_schema_with_one_rule_per_code() {
    let validator = sarif_schema();
    let fx = error_and_warning();
    let (code, stdout, _) = fx.check(&["--format", "sarif"]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{stdout}");
    let mut bogus = log.clone();
    bogus["runs"][0]["results"][0]["level"] = json!("bogus");
    assert!(!validator.is_valid(&bogus), "the schema is enforced");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["E0302", "W0322"]);
    assert!(
        rules[0]["help"]["text"]
            .as_str()
            .unwrap()
            .starts_with("What it checks:")
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results[0]["ruleId"], "E0302");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["message"]["text"], ABOVE);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "content/sheets/xiantang.yaml"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        11
    );
    assert_eq!(results[1]["level"], "warning");
    // --strict makes every warning an error; a clean campaign gives a valid log with no result.
    let (_, strict, _) = fx.check(&["--format", "sarif", "--strict"]);
    let strict: serde_json::Value = serde_json::from_str(&strict).unwrap();
    assert_eq!(strict["runs"][0]["results"][1]["level"], "error");
    let (code, clean, _) = Fixture::new().check(&["--format", "sarif"]);
    assert_eq!(code, 0);
    let clean: serde_json::Value = serde_json::from_str(&clean).unwrap();
    assert!(validator.is_valid(&clean));
    assert_eq!(clean["runs"][0]["results"], serde_json::json!([]));
}
