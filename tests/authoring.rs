//! Writing content: `init`, `new`, the editor schemas, and the rules page.

mod common;

use std::path::Path;

use common::*;

fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    ducha(&all)
}

fn json_of_yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(root: &Path, name: &str) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("schemas").join(name)).unwrap())
            .unwrap();
    jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("{name} is not a schema: {e}"))
}

#[test]
fn a_new_repository_checks_clean_and_has_what_an_office_needs() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    let (code, _, err) = ducha(&["init", c.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for file in [
        "content/campaign.yaml",
        "content/rubric.yaml",
        "content/towns.yaml",
        "content/groups.yaml",
        "README.md",
        ".gitignore",
        ".github/workflows/ducha.yml",
        "schemas/sheet.schema.json",
        ".git/HEAD",
    ] {
        assert!(c.join(file).exists(), "{file}");
    }
    let workflow = std::fs::read_to_string(c.join(".github/workflows/ducha.yml")).unwrap();
    assert!(workflow.contains("ducha check --format github"));
    assert!(workflow.contains("ducha diff"));
    // It checks, with a warning on each placeholder left to replace; --strict refuses them.
    let (code, out, _) = run(&c, &["check", "--format", "json"]);
    let found = parse_diags(&out, "");
    assert_eq!(code, 0);
    assert!(found.iter().all(|d| d.0 == "W0119"), "{found:?}");
    assert!(found.contains(&("W0119".into(), "content/campaign.yaml".into(), 4, 8)));
    assert!(found.contains(&("W0119".into(), "content/campaign.yaml".into(), 5, 9)));
    assert_eq!(run(&c, &["check", "--strict"]).0, 1);
    let (_, human, _) = run(&c, &["check"]);
    assert!(
        human.contains("`（督查名称）` 是 ducha init 留下的占位内容"),
        "{human}"
    );
    // It never writes over anything.
    let (code, _, err) = ducha(&["init", c.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not empty"), "{err}");
}

#[test]
fn a_sheet_from_new_filled_in_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    assert_eq!(ducha(&["init", c.to_str().unwrap()]).0, 0);
    std::fs::write(
        c.join("content/towns.yaml"),
        "- {name: 仙塘镇, slug: xiantang}\n- {name: 新港镇, slug: xingang}\n- {name: 骆湖镇, slug: luohu}\n- {name: 锡场镇, slug: xichang}\n",
    )
    .unwrap();
    std::fs::write(
        c.join("content/groups.yaml"),
        "- id: g1\n  name: 第一小组\n  leader: {name: 潘玉萍, git: pan@example.org}\n  members: [{name: 蓝旋, git: lan@example.org}]\n  towns: [xiantang, xingang, luohu, xichang]\n",
    )
    .unwrap();
    let (code, out, err) = run(&c, &["new", "仙塘镇"]);
    assert_eq!(code, 0, "{out}{err}");
    let sheet = c.join("content/sheets/xiantang.yaml");
    let draft = std::fs::read_to_string(&sheet).unwrap();
    assert!(draft.starts_with("# yaml-language-server: $schema=../../schemas/sheet.schema.json\n"));
    assert!(draft.contains("town: xiantang\ngroup: g1"));
    assert!(draft.contains("status: draft"));
    // An unfilled draft is work in progress: warnings, not errors.
    let (code, out, _) = run(&c, &["check", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(parse_diags(&out, "").iter().any(|d| d.0 == "W0326"));
    let filled = draft
        .replace(
            "'1': {}",
            "'1':\n    deductions:\n      - {points: 5, reason: 台账不全}",
        )
        .replace("'2': {}", "'2': {criteria: {a: 20, b: 15.5}}")
        .replace("status: draft", "status: final")
        .replace("visited: []", "visited: [2020-03-02]")
        .replace(
            "# signoff:\n#   leader: 潘玉萍\n#   members: []\n#   date: YYYY-MM-DD",
            "signoff:\n  leader: 潘玉萍\n  members: [蓝旋]\n  date: 2020-03-06",
        );
    std::fs::write(&sheet, filled).unwrap();
    let (code, out, _) = run(&c, &["check", "--format", "json"]);
    let diags: Vec<_> = parse_diags(&out, "")
        .into_iter()
        .filter(|d| d.0 != "W0322" && d.0 != "W0404" && d.0 != "W0119")
        .collect();
    assert_eq!(
        (code, diags),
        (0, vec![]),
        "besides the other towns' missing sheets, this one not committed yet and the placeholders"
    );
    // A new campaign is a Chinese one: what stops a command is said in Chinese.
    let (code, _, err) = run(&c, &["new", "xiantang"]);
    assert_eq!(code, 2);
    assert!(err.contains("ducha new 从不覆盖评分表"), "{err}");
    let (code, _, err) = run(&c, &["new", "nowhere"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("乡镇有：xiantang、xingang、luohu、xichang"),
        "{err}"
    );
}

#[test]
fn new_lists_every_item_and_marks_excluded_ones_not_assessed() {
    let f = Fixture::new();
    f.remove(LUOHU);
    let (code, _, err) = run(f.root(), &["new", "luohu"]);
    assert_eq!(code, 0, "{err}");
    let sheet = f.read(LUOHU);
    let one = sheet.find("'1': {}").expect("item 1");
    let two = sheet
        .find("'2': {not_assessed:")
        .expect("item 2 not assessed");
    let three = sheet.find("'3': {}").expect("item 3");
    assert!(one < two && two < three, "rubric order:\n{sheet}");
    assert!(sheet.contains("group: g2"));
    assert!(
        sheet.contains("# 1. Households lifted out of poverty"),
        "{sheet}"
    );
    assert!(sheet.contains("#   a Roads free of rubbish"), "{sheet}");
    assert!(sheet.contains("# Not assessed in towns without poverty villages."));
    // The reason names the attribute as the rubric calls it, not by its key.
    assert!(
        sheet.contains("'2': {not_assessed: 'poverty villages is 0 for this town: not assessed'}"),
        "{sheet}"
    );
    let (code, out) = f.check_json(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        out.iter().map(|d| d.0.as_str()).collect::<Vec<_>>(),
        ["W0326", "W0326"],
        "items 1 and 3 are not scored yet"
    );
}

#[test]
fn the_schemas_accept_every_example_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("schemas");
    let (code, _, err) = run(root, &["schema", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let copy = dir.path();
    let check = |schema: &str, file: &Path| {
        let v = validator(copy, schema);
        let doc = json_of_yaml(file);
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    };
    let content = root.join("content");
    check("campaign.schema.json", &content.join("campaign.yaml"));
    check("rubric.schema.json", &content.join("rubric.yaml"));
    check("towns.schema.json", &content.join("towns.yaml"));
    check("groups.schema.json", &content.join("groups.yaml"));
    let mut sheets = 0;
    for entry in std::fs::read_dir(content.join("sheets")).unwrap() {
        check("sheet.schema.json", &entry.unwrap().path());
        sheets += 1;
    }
    assert_eq!(sheets, 21);
}

#[test]
fn the_sheet_schema_rejects_what_check_rejects_in_structure() {
    let f = Fixture::new();
    assert_eq!(run(f.root(), &["schema"]).0, 0);
    let v = validator(f.root(), "sheet.schema.json");
    let valid = |text: &str| v.is_valid(&serde_yaml::from_str::<serde_json::Value>(text).unwrap());
    let sheet = f.read(XINGANG);
    assert!(valid(&sheet));
    for (from, to, what) in [
        ("\"1\": {score: 10}", "\"1\": {scroe: 10}", "unknown key"),
        (
            "\"1\": {score: 10}",
            "\"1\": {score: 11}",
            "above its points",
        ),
        ("\"1\": {score: 10}", "\"1\": {score: 9.25}", "off the step"),
        (
            "\"1\": {score: 10}",
            "\"1\": {score: \"10\"}",
            "text, not a number",
        ),
        ("\"1\": {score: 10}", "\"1\": {score: -1}", "below zero"),
        ("\"1\": {score: 10}", "\"9\": {score: 10}", "unknown item"),
        ("status: final", "status: Final", "not a status"),
        ("group: g1", "group: g9", "unknown group"),
        ("town: xingang", "town: nowhere", "unknown town"),
        (
            "      - points: 1\n        reason: Income ledger incomplete",
            "      - points: 1",
            "deduction without reason",
        ),
        (
            "\"3\": {criteria: {a: 2.5, b: 2}}",
            "\"3\": {criteria: {a: 2.5, c: 2}}",
            "unknown criterion",
        ),
        (
            "\"3\": {criteria: {a: 2.5, b: 2}}",
            "\"3\": {criteria: {a: 3.5, b: 2}}",
            "criterion above its points",
        ),
        (
            "  date: 2020-03-06",
            "  date: 2020-3-6",
            "a date in another form",
        ),
        (
            "  leader: Pan",
            "  leader: Lan",
            "not the leader of any group",
        ),
    ] {
        assert!(sheet.contains(from), "{what}: {from}");
        assert!(
            !valid(&sheet.replacen(from, to, 1)),
            "{what} must be rejected"
        );
    }
    // The rubric schema and the towns schema as well.
    let rubric = validator(f.root(), "rubric.schema.json");
    let text = f.read(RUBRIC).replace("points: 10\n", "pionts: 10\n");
    assert!(!rubric.is_valid(&serde_yaml::from_str::<serde_json::Value>(&text).unwrap()));
    let towns = validator(f.root(), "towns.schema.json");
    let text = f.read(TOWNS).replace("slug: luohu", "slug: Luo Hu");
    assert!(!towns.is_valid(&serde_yaml::from_str::<serde_json::Value>(&text).unwrap()));
}

#[test]
fn the_rules_page_is_the_rule_table() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, page, _) = ducha(&["explain", "--markdown"]);
    assert_eq!(code, 0);
    let docs = std::fs::read_to_string(Path::new(root).join("docs/rules.md")).unwrap();
    assert_eq!(
        docs, page,
        "docs/rules.md is stale: ducha explain --markdown > docs/rules.md"
    );
    let (_, all, _) = ducha(&["explain"]);
    for line in all.lines() {
        let code = line.split_whitespace().next().unwrap();
        assert!(page.contains(&format!("\n## {code}\n")), "{code}");
    }
}
