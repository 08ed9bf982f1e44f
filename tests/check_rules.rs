//! Every rule of `ducha check`: break the fixture in one way and expect exactly what the user
//! is told (code, file, line, column), and the exit code.

mod common;

use common::*;

/// Runs `check --format json ARGS` and compares the whole list of diagnostics (in any order)
/// and the exit code.
#[track_caller]
fn expect_with(fx: &Fixture, args: &[&str], exit: i32, expected: &[(&str, &str, u32, u32)]) {
    let (code, mut got) = fx.check_json(args);
    let mut want = diags(expected);
    got.sort();
    want.sort();
    assert_eq!(got, want, "diagnostics of `check {args:?}`");
    assert_eq!(code, exit, "exit code of `check {args:?}`");
}

#[track_caller]
fn expect(fx: &Fixture, exit: i32, expected: &[(&str, &str, u32, u32)]) {
    expect_with(fx, &[], exit, expected);
}

/// The message of the only diagnostic, as `--format json` gives it.
fn only_message(fx: &Fixture) -> String {
    let (_, stdout, _) = fx.check(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let list = json["diagnostics"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{stdout}");
    list[0]["message"].as_str().unwrap().to_string()
}

/// The fixture, with its messages in Chinese.
fn in_chinese() -> Fixture {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "language: en", "language: zh-CN");
    fx
}

/// Fails when a message holds English words (a parser's own text, untranslated).
#[track_caller]
fn no_english(message: &str) {
    let words: Vec<&str> = message
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 4 && *w != "YAML")
        .collect();
    assert!(words.is_empty(), "English in {message:?}: {words:?}");
}

/// Sets item 2 of Xiantang's sheet (line 11) to another value.
fn xiantang_item_2(value: &str) -> Fixture {
    let fx = Fixture::new();
    fx.edit(
        XIANTANG,
        r#"  "2": {score: 4.5}"#,
        &format!(r#"  "2": {value}"#),
    );
    fx
}

/// Sets the criteria of item 3 on Xiantang's sheet (line 12).
fn xiantang_criteria(value: &str) -> Fixture {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "{criteria: {a: 3, b: 1.5}}", value);
    fx
}

// ---------------------------------------------------------------------------------------------
// Clean campaigns

#[test]
fn fixture_checks_clean() {
    let fx = Fixture::new();
    let (code, stdout, stderr) = fx.check(&[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(fx.diags(), vec![]);
}

#[test]
fn bundled_example_checks_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, stdout, stderr) = ducha(&["--root", root, "check", "--format", "json"]);
    assert_eq!(parse_diags(&stdout, &stderr), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn utf8_bom_and_crlf_line_ends_are_accepted() {
    let fx = Fixture::new();
    for (path, text) in FILES.iter().filter(|(p, _)| p.ends_with(".yaml")) {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(text.replace('\n', "\r\n").bytes());
        fx.write(path, bytes);
    }
    expect(&fx, 0, &[]);
}

#[test]
fn positions_are_right_after_a_bom_and_crlf() {
    let fx = xiantang_item_2("{score: 5.5}");
    let text = fx.read(XIANTANG).replace('\n', "\r\n");
    fx.write(XIANTANG, format!("\u{feff}{text}"));
    expect(&fx, 1, &[("E0302", XIANTANG, 11, 16)]);
}

#[test]
fn a_draft_sheet_needs_no_signoff_and_no_visits() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "status: final", "status: draft")
        .edit(XIANTANG, "visited: [2020-03-02]\n", "")
        .edit(
            XIANTANG,
            "signoff:\n  leader: Pan\n  members: [Lan, Liu]\n  date: 2020-03-05\n",
            "",
        );
    expect(&fx, 0, &[]);
}

#[test]
fn an_attribute_may_be_false_instead_of_zero() {
    let fx = Fixture::new();
    fx.edit(TOWNS, "poverty_villages: 0", "poverty_villages: false");
    expect(&fx, 0, &[]);
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let fx = Fixture::new();
    fx.edit(RUBRIC, "total: 20", "total: 25")
        .edit(XIANTANG, "{score: 4.5}", "{score: 5.5}")
        .edit(LUOHU, "leader: Yan", "leader: Pan")
        .remove(XINGANG);
    expect(
        &fx,
        1,
        &[
            ("E0203", RUBRIC, 1, 8),
            ("E0302", XIANTANG, 11, 16),
            ("E0316", LUOHU, 10, 11),
            ("W0322", TOWNS, 2, 25),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// E01xx: files and their format

#[test]
fn e0101_a_gbk_sheet_is_refused_and_the_message_says_gbk() {
    let fx = Fixture::new();
    let text = fx.read(XIANTANG);
    let (before, after) = text.split_once("Roads clean, records complete.").unwrap();
    // 仙塘镇 in GBK.
    let bytes = [
        before.as_bytes(),
        b"\xcf\xc9\xcc\xc1\xd5\xf2",
        after.as_bytes(),
    ]
    .concat();
    fx.write(XIANTANG, bytes);
    // The sheet is there, only unreadable: no "xiantang has no sheet yet" besides.
    expect(&fx, 1, &[("E0101", XIANTANG, 13, 10)]);
    assert!(only_message(&fx).contains("GBK"));
}

#[test]
fn e0101_a_gbk_sheet_is_told_the_command_that_converts_it_and_how_to_set_the_editor() {
    let fx = in_chinese();
    let text = fx.read(XIANTANG).replace("Roads clean", "道路整洁");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    fx.write(XIANTANG, gbk.as_ref());
    expect(&fx, 1, &[("E0101", XIANTANG, 13, 10)]);
    let message = only_message(&fx);
    let command = "iconv -f GBK -t UTF-8 content/sheets/xiantang.yaml > xiantang.tmp \
                   && mv xiantang.tmp content/sheets/xiantang.yaml";
    assert!(message.contains(command), "{message}");
    assert!(
        message.contains(r#"VS Code：设置 "files.encoding": "utf8""#),
        "{message}"
    );
    assert!(
        message.contains("WPS、记事本：另存为 → 编码选 UTF-8"),
        "{message}"
    );
    // The command does what it says, run where ducha runs (where iconv is installed).
    let iconv = std::process::Command::new("iconv")
        .arg("--version")
        .output();
    if iconv.is_ok_and(|o| o.status.success()) {
        let status = std::process::Command::new("sh")
            .args(["-c", command])
            .current_dir(fx.root())
            .status()
            .unwrap();
        assert!(status.success());
        expect(&fx, 0, &[]);
    }
}

#[test]
fn e0101_a_gbk_towns_file_is_refused() {
    let fx = Fixture::new();
    let text = fx.read(TOWNS);
    let (before, after) = text.split_once("Xiantang").unwrap();
    let bytes = [
        before.as_bytes(),
        b"\xcf\xc9\xcc\xc1\xd5\xf2",
        after.as_bytes(),
    ]
    .concat();
    fx.write(TOWNS, bytes);
    expect(&fx, 1, &[("E0101", TOWNS, 1, 10)]);
    assert!(only_message(&fx).contains("GBK"));
}

#[test]
fn e0101_bytes_that_are_not_gbk_either_are_not_called_gbk() {
    let fx = Fixture::new();
    fx.write(GROUPS, b"- id: g1\n  name: Group \xff\xff\n");
    expect(&fx, 1, &[("E0101", GROUPS, 2, 15)]);
    assert!(!only_message(&fx).contains("GBK"));
}

#[test]
fn e0101_a_utf16_file_is_refused() {
    let fx = Fixture::new();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in FILES[3].1.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    fx.write(GROUPS, bytes);
    expect(&fx, 1, &[("E0101", GROUPS, 1, 1)]);
    assert!(only_message(&fx).contains("UTF-16"));
}

#[test]
fn e0102_a_tab_used_for_indenting() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "    - {name: Ou}", "\t- {name: Ou}");
    expect(&fx, 1, &[("E0102", GROUPS, 5, 1)]);
}

#[test]
fn e0102_a_second_document() {
    let fx = Fixture::new();
    let text = fx.read(CAMPAIGN);
    fx.write(CAMPAIGN, format!("{text}---\nid: other\n"));
    expect(&fx, 1, &[("E0102", CAMPAIGN, 19, 1)]);
}

#[test]
fn e0102_an_alias_to_an_undefined_anchor() {
    let fx = Fixture::new();
    fx.edit(RUBRIC, "category: Villages", "category: *villages");
    expect(&fx, 1, &[("E0102", RUBRIC, 13, 23)]);
}

#[test]
fn e0102_an_unclosed_bracket_is_reported_at_the_bracket() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "towns: [luohu]", "towns: [luohu");
    expect(&fx, 1, &[("E0102", GROUPS, 17, 10)]);
    assert!(only_message(&fx).contains("this `[` is never closed"));
}

/// The common syntax errors, each told in Chinese without the parser's English, at the
/// character at fault: (file, from, to, line, column, words of the message).
#[test]
fn e0102_syntax_errors_are_told_in_chinese_at_the_character_at_fault() {
    let cases: &[(&str, &str, &str, u32, u32, &str)] = &[
        (GROUPS, "    - {name: Ou}", "\t- {name: Ou}", 5, 1, "Tab"),
        (
            XIANTANG,
            "group: g1",
            "group:g1",
            2,
            6,
            "冒号「:」后要有一个空格",
        ),
        (
            XIANTANG,
            "summary: Roads clean, records complete.",
            "summary Roads clean",
            13,
            1,
            "这一行缺少冒号",
        ),
        (
            XIANTANG,
            "leader: Pan",
            "leader: Pan: Yan",
            15,
            14,
            "值中含有「: 」",
        ),
        (
            XIANTANG,
            "  members: [Lan",
            " members: [Lan",
            16,
            2,
            "缩进不对",
        ),
        (
            XIANTANG,
            "status: final",
            "status: \"final",
            3,
            9,
            "引号「\"」没有闭合",
        ),
        (
            XIANTANG,
            "visited: [2020-03-02]",
            "visited: [2020-03-02",
            4,
            10,
            "「[」没有对应的「]」",
        ),
        (
            XIANTANG,
            "visited: [2020-03-02]",
            "visited: [2020-03-02]]",
            4,
            22,
            "多余的「]」",
        ),
        (
            XIANTANG,
            "evidence: [evidence/xiantang/1-water.jpg]",
            r#"evidence: ["evidence\photos\1.jpg"]"#,
            10,
            29,
            "反斜杠「\\」是转义符",
        ),
        (
            XIANTANG,
            "\"2\": {score: 4.5}",
            "\"2\": {score: 4.5 note: ok}",
            11,
            20,
            "缺少半角逗号",
        ),
        (
            XIANTANG,
            "status: final",
            "status: @final",
            3,
            9,
            "不能以「@」开头",
        ),
        (
            CAMPAIGN,
            "id: test-2020",
            "%YAML 1.2\n%YAML 1.2\n---\nid: test-2020",
            2,
            1,
            "YAML 语法错误",
        ),
    ];
    for (file, from, to, line, col, words) in cases {
        let fx = in_chinese();
        fx.edit(file, from, to);
        expect(&fx, 1, &[("E0102", file, *line, *col)]);
        let message = only_message(&fx);
        assert!(message.contains(words), "{to:?}: {message}");
        no_english(&message);
    }
}

#[test]
fn e0102_an_extra_bracket() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "towns: [luohu]", "towns: [luohu]]");
    expect(&fx, 1, &[("E0102", GROUPS, 17, 17)]);
}

#[test]
fn e0102_a_tab_indenting_a_key_after_a_plain_value() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "  name: Group Two", "\tname: Group Two");
    expect(&fx, 1, &[("E0102", GROUPS, 12, 1)]);
}

// ---------------------------------------------------------------------------------------------
// E0118: full-width slips of a Chinese keyboard

/// Edits Xiantang's sheet in a Chinese campaign and expects one E0118 at `line`:`col` with
/// exactly `message`: the sheet is read as meant, so nothing else is reported.
#[track_caller]
fn slip(from: &str, to: &str, line: u32, col: u32, message: &str) {
    let fx = in_chinese();
    fx.edit(XIANTANG, from, to);
    expect(&fx, 1, &[("E0118", XIANTANG, line, col)]);
    assert_eq!(only_message(&fx), message);
}

#[test]
fn e0118_a_full_width_colon_after_a_key() {
    slip(
        "summary: Roads clean, records complete.",
        "summary：一般。",
        13,
        8,
        "全角冒号「：」应为半角「:」，即：summary: 一般。",
    );
}

#[test]
fn e0118_a_full_width_colon_in_braces() {
    slip(
        "{score: 4.5}",
        "{score：4.5}",
        11,
        14,
        "全角冒号「：」应为半角「:」，即：\"2\": {score: 4.5}",
    );
}

#[test]
fn e0118_a_full_width_colon_in_the_only_key_of_an_item() {
    slip(
        "\"2\": {score: 4.5}",
        "\"2\":\n    score：4.5",
        12,
        10,
        "全角冒号「：」应为半角「:」，即：score: 4.5",
    );
}

#[test]
fn e0118_a_full_width_colon_after_a_quoted_item_id() {
    slip(
        "\"2\": {score: 4.5}",
        "\"2\"：{score: 4.5}",
        11,
        6,
        "全角冒号「：」应为半角「:」，即：\"2\": {score: 4.5}",
    );
}

#[test]
fn e0118_full_width_digits_in_a_score() {
    slip(
        "{score: 4.5}",
        "{score: ４.５}",
        11,
        16,
        "全角数字「４」应为半角「4」，即：\"2\": {score: 4.5}",
    );
}

#[test]
fn e0118_full_width_digits_in_a_count() {
    let fx = in_chinese();
    fx.edit(CAMPAIGN, "deadline_days: 15", "deadline_days: １５");
    expect(&fx, 1, &[("E0118", CAMPAIGN, 16, 20)]);
    assert_eq!(
        only_message(&fx),
        "全角数字「１５」应为半角「15」，即：deadline_days: 15"
    );
}

#[test]
fn e0118_a_full_width_comma_after_a_score() {
    slip(
        "{score: 4.5}",
        "{score: 4.5，}",
        11,
        19,
        "全角逗号「，」应删除，即：\"2\": {score: 4.5}",
    );
}

#[test]
fn e0118_a_full_width_comma_between_list_entries() {
    slip(
        "members: [Lan, Liu]",
        "members: [Lan，Liu]",
        16,
        16,
        "全角逗号「，」应为半角「,」，即：members: [Lan, Liu]",
    );
}

#[test]
fn e0118_a_full_width_space_used_to_indent() {
    slip(
        "    deductions:",
        "\u{3000}\u{3000}deductions:",
        7,
        1,
        "全角空格不能用于缩进：请改为半角空格",
    );
}

#[test]
fn e0118_chinese_quotes_around_an_item_id() {
    slip(
        "\"2\": {score: 4.5}",
        "“2”: {score: 4.5}",
        11,
        3,
        "中文引号「“”」应为半角「\"\"」，即：\"2\": {score: 4.5}",
    );
}

#[test]
fn e0118_chinese_quotes_around_a_choice() {
    slip(
        "status: final",
        "status: “final”",
        3,
        9,
        "中文引号「“”」应为半角「\"\"」，即：status: \"final\"",
    );
}

#[test]
fn e0118_full_width_brackets_around_a_list() {
    slip(
        "visited: [2020-03-02]",
        "visited: （2020-03-02）",
        4,
        10,
        "全角括号「（」应为半角「[」，即：visited: [2020-03-02]",
    );
}

#[test]
fn e0118_full_width_digits_in_a_date() {
    slip(
        "date: 2020-03-05",
        "date: ２０２０-03-05",
        17,
        9,
        "全角数字「２０２０」应为半角「2020」，即：date: 2020-03-05",
    );
}

#[test]
fn e0118_in_english() {
    let fx = Fixture::new();
    fx.edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary：Roads clean.",
    );
    expect(&fx, 1, &[("E0118", XIANTANG, 13, 8)]);
    assert_eq!(
        only_message(&fx),
        "full-width colon `：` instead of `:`: write `summary: Roads clean.`"
    );
}

#[test]
fn full_width_punctuation_inside_text_is_right() {
    let fx = in_chinese();
    fx.edit(
        XIANTANG,
        "reason: One household lacks a water test report",
        "reason: 抽查 10 户，1 户缺检测报告（见附件）",
    )
    .edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary: |\n  \u{3000}\u{3000}总体：良好，“两不愁”落实。\n  结论：合格",
    )
    .edit(
        LUOHU,
        "No poverty villages in this town",
        "本镇无省定相对贫困村，不考核",
    );
    expect(&fx, 0, &[]);
}

#[test]
fn e0103_an_empty_sheet() {
    let fx = Fixture::new();
    fx.write(XIANTANG, "");
    // No "xiantang has no sheet yet" besides: the file is there, and empty.
    expect(&fx, 1, &[("E0103", XIANTANG, 1, 1)]);
}

#[test]
fn e0103_a_file_with_only_comments() {
    let fx = Fixture::new();
    fx.write(GROUPS, "# groups to come\n");
    expect(&fx, 1, &[("E0103", GROUPS, 1, 1)]);
}

#[test]
fn e0104_deep_nesting_is_refused() {
    let fx = Fixture::new();
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    fx.edit(GROUPS, "name: Group Two", &format!("name: {deep}"));
    // The list of groups is level 1 and the group level 2: the 63rd bracket is level 65.
    expect(&fx, 1, &[("E0104", GROUPS, 12, 9 + 62)]);
}

#[test]
fn e0104_an_alias_bomb_is_refused() {
    let fx = Fixture::new();
    // Ten levels of ten aliases each: 10^10 nodes once expanded.
    let mut bomb = String::from("name:\n    - &l0 [x, x, x, x, x, x, x, x, x, x]");
    for i in 1..=9 {
        let prev = format!("*l{}", i - 1);
        bomb.push_str(&format!("\n    - &l{i} [{}]", vec![prev; 10].join(", ")));
    }
    fx.edit(GROUPS, "name: Group Two", &bomb);
    // Line 18 holds &l5; its eighth alias takes the expansion past a million nodes.
    expect(&fx, 1, &[("E0104", GROUPS, 18, 47)]);
}

#[test]
fn e0105_a_required_file_is_missing() {
    let fx = Fixture::new();
    fx.remove(GROUPS);
    expect(&fx, 1, &[("E0105", GROUPS, 1, 1)]);
}

#[test]
fn e0105_without_a_rubric() {
    let fx = Fixture::new();
    fx.remove(RUBRIC);
    expect(&fx, 1, &[("E0105", RUBRIC, 1, 1)]);
}

#[test]
fn e0106_an_item_given_twice_under_scores() {
    let fx = xiantang_item_2("{score: 4.5}\n  \"2\": {score: 3}");
    expect(&fx, 1, &[("E0106", XIANTANG, 12, 3)]);
}

#[test]
fn e0106_an_item_given_twice_quoted_and_plain() {
    let fx = xiantang_item_2("{score: 4.5}\n  2: {score: 3}");
    expect(&fx, 1, &[("E0106", XIANTANG, 12, 3)]);
}

#[test]
fn e0106_a_key_given_twice() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "language: en\n", "language: en\nlanguage: en\n");
    expect(&fx, 1, &[("E0106", CAMPAIGN, 9, 1)]);
}

#[test]
fn e0107_a_misspelt_key() {
    let fx = xiantang_item_2("{scroe: 4.5}");
    expect(&fx, 1, &[("E0107", XIANTANG, 11, 9)]);
    assert!(only_message(&fx).contains("`score`"));
}

#[test]
fn e0107_an_unknown_key_in_towns() {
    let fx = Fixture::new();
    fx.edit(TOWNS, "slug: luohu,", "slug: luohu, region: east,");
    expect(&fx, 1, &[("E0107", TOWNS, 3, 30)]);
}

#[test]
fn e0108_a_quoted_score() {
    let fx = xiantang_item_2(r#"{score: "4.5"}"#);
    expect(&fx, 1, &[("E0108", XIANTANG, 11, 16)]);
}

#[test]
fn e0108_members_not_a_list() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "members: [Lan, Liu]", "members: Lan");
    expect(&fx, 1, &[("E0108", XIANTANG, 16, 12)]);
}

#[test]
fn e0108_visited_not_a_list_is_reported_once() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "visited: [2020-03-02]", "visited: 2020-03-02");
    // Not also "a final sheet lists no visit dates": it does list one, in the wrong form.
    expect(&fx, 1, &[("E0108", XIANTANG, 4, 10)]);
}

#[test]
fn e0109_a_signoff_without_date() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "  date: 2020-03-05\n", "");
    expect(&fx, 1, &[("E0109", XIANTANG, 15, 3)]);
}

#[test]
fn e0109_a_rubric_item_without_indicator_is_reported_once() {
    let fx = Fixture::new();
    fx.edit(
        RUBRIC,
        "            indicator: Households lifted out of poverty\n",
        "",
    );
    // The item is still there: no "items add up to 10", no "there is no item 1".
    expect(&fx, 1, &[("E0109", RUBRIC, 8, 13)]);
}

#[test]
fn e0110_more_than_two_decimals() {
    let fx = xiantang_item_2("{score: 4.555}");
    expect(&fx, 1, &[("E0110", XIANTANG, 11, 16)]);
}

#[test]
fn e0110_an_exponent() {
    let fx = Fixture::new();
    fx.edit(XINGANG, "{score: 10}", "{score: 1e1}");
    expect(&fx, 1, &[("E0110", XINGANG, 6, 16)]);
}

#[test]
fn e0111_a_date_without_leading_zeros() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "date: 2020-03-05", "date: 2020-3-5");
    expect(&fx, 1, &[("E0111", XIANTANG, 17, 9)]);
}

#[test]
fn e0111_a_date_that_does_not_exist() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "issued: 2020-02-29", "issued: 2020-02-30");
    expect(&fx, 1, &[("E0111", CAMPAIGN, 4, 9)]);
}

#[test]
fn e0111_a_bad_visit_date_is_reported_once() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "visited: [2020-03-02]", "visited: [2020-3-2]");
    // Not also "a final sheet lists no visit dates".
    expect(&fx, 1, &[("E0111", XIANTANG, 4, 11)]);
}

#[test]
fn e0112_an_unknown_language() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "language: en", "language: english");
    expect(&fx, 1, &[("E0112", CAMPAIGN, 8, 11)]);
}

#[test]
fn e0112_an_unknown_not_assessed_rule() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "not_assessed: rescale", "not_assessed: rescaled");
    expect(&fx, 1, &[("E0112", CAMPAIGN, 12, 17)]);
}

#[test]
fn e0112_a_capitalised_status_is_reported_once() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "status: final", "status: Final");
    // The sheet is there: no "xiantang has no sheet yet".
    expect(&fx, 1, &[("E0112", XIANTANG, 3, 9)]);
}

#[test]
fn e0113_an_empty_not_assessed_reason() {
    let fx = Fixture::new();
    fx.edit(LUOHU, "No poverty villages in this town", r#""""#);
    expect(&fx, 1, &[("E0113", LUOHU, 7, 23)]);
}

#[test]
fn e0113_an_empty_title() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "title: Test campaign", "title: \"  \"");
    expect(&fx, 1, &[("E0113", CAMPAIGN, 2, 8)]);
}

#[test]
fn e0113_an_empty_evidence_path() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "[evidence/xiantang/1-water.jpg]", r#"[""]"#);
    expect(&fx, 1, &[("E0113", XIANTANG, 10, 20)]);
}

#[test]
fn e0114_an_id_with_a_space() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "id: test-2020", "id: test 2020");
    expect(&fx, 1, &[("E0114", CAMPAIGN, 1, 5)]);
}

#[test]
fn e0213_an_unknown_timezone() {
    let fx = Fixture::new();
    fx.edit(
        CAMPAIGN,
        "timezone: Asia/Shanghai",
        "timezone: Asia/Beijing",
    );
    expect(&fx, 1, &[("E0213", CAMPAIGN, 7, 11)]);
}

#[test]
fn item_and_criterion_ids_may_be_any_text() {
    let fx = Fixture::new();
    fx.edit(RUBRIC, "- id: \"1\"", "- id: 一");
    for sheet in [XIANTANG, XINGANG, LUOHU] {
        fx.edit(sheet, "  \"1\":", "  一:");
    }
    expect(&fx, 0, &[]);
}

#[test]
fn w0115_a_stray_file_in_sheets() {
    let fx = Fixture::new();
    fx.write("content/sheets/notes.txt", "call the town office\n");
    expect(&fx, 0, &[("W0115", "content/sheets/notes.txt", 1, 1)]);
    expect_with(
        &fx,
        &["--strict"],
        1,
        &[("W0115", "content/sheets/notes.txt", 1, 1)],
    );
}

// ---------------------------------------------------------------------------------------------
// E02xx: the campaign's set-up

#[test]
fn e0201_inspection_before_the_notice_was_issued() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "issued: 2020-02-29", "issued: 2020-03-02");
    expect(&fx, 1, &[("E0201", CAMPAIGN, 5, 21)]);
}

#[test]
fn e0202_a_zero_step() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "step: 0.5", "step: 0");
    expect(&fx, 1, &[("E0202", CAMPAIGN, 11, 9)]);
}

#[test]
fn e0203_items_do_not_add_up_to_the_total() {
    let fx = Fixture::new();
    fx.edit(RUBRIC, "total: 20", "total: 25");
    expect(&fx, 1, &[("E0203", RUBRIC, 1, 8)]);
}

#[test]
fn e0204_criteria_do_not_add_up_to_their_item() {
    let fx = Fixture::new();
    fx.edit(
        RUBRIC,
        "Roads free of rubbish, points: 3}",
        "Roads free of rubbish, points: 3.5}",
    );
    expect(&fx, 1, &[("E0204", RUBRIC, 24, 21)]);
}

#[test]
fn e0205_a_section_id_used_twice() {
    let fx = Fixture::new();
    fx.edit(RUBRIC, "- id: revival", "- id: poverty");
    expect(&fx, 1, &[("E0205", RUBRIC, 18, 9)]);
}

#[test]
fn e0205_a_town_slug_used_twice() {
    let fx = Fixture::new();
    let text = fx.read(TOWNS);
    fx.write(
        TOWNS,
        format!(
            "{text}- {{name: Xiantang East, slug: xiantang, attributes: {{poverty_villages: 1}}}}\n"
        ),
    );
    expect(&fx, 1, &[("E0205", TOWNS, 4, 31)]);
}

#[test]
fn e0205_a_town_name_used_twice() {
    let fx = Fixture::new();
    fx.edit(TOWNS, "{name: Xingang,", "{name: Xiantang,");
    expect(&fx, 1, &[("E0205", TOWNS, 2, 10)]);
}

#[test]
fn e0206_points_off_the_step() {
    let fx = Fixture::new();
    fx.edit(RUBRIC, "total: 20", "total: 19.75")
        .edit(RUBRIC, "points: 10", "points: 9.75");
    expect(
        &fx,
        1,
        &[
            ("E0206", RUBRIC, 1, 8),
            ("E0206", RUBRIC, 11, 21),
            // Xingang's full marks of 10 are now above the item's 9.75 points.
            ("E0302", XINGANG, 6, 16),
        ],
    );
}

#[test]
fn e0207_a_town_without_the_attribute_the_rubric_uses() {
    let fx = Fixture::new();
    fx.edit(
        TOWNS,
        "slug: xingang, attributes: {poverty_villages: 2}}",
        "slug: xingang}",
    );
    expect(&fx, 1, &[("E0207", TOWNS, 2, 3)]);
}

#[test]
fn w0215_an_attribute_without_a_name() {
    let fx = Fixture::new();
    fx.edit(
        RUBRIC,
        "  poverty_villages: poverty villages\n",
        "  other: Other\n",
    );
    expect(&fx, 0, &[("W0215", RUBRIC, 17, 26)]);
    assert!(only_message(&fx).contains("add attributes: {poverty_villages: name} to rubric.yaml"));
    expect_with(&fx, &["--strict"], 1, &[("W0215", RUBRIC, 17, 26)]);
}

#[test]
fn e0208_a_town_in_no_group() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "towns: [xiantang, xingang]", "towns: [xiantang]");
    expect(&fx, 1, &[("E0208", TOWNS, 2, 25)]);
}

#[test]
fn e0209_a_town_in_two_groups() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "towns: [luohu]", "towns: [luohu, xingang]");
    expect(&fx, 1, &[("E0209", GROUPS, 17, 18)]);
}

#[test]
fn e0210_a_group_lists_an_unknown_town() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "towns: [luohu]", "towns: [luohu, nowhere]");
    expect(&fx, 1, &[("E0210", GROUPS, 17, 18)]);
}

#[test]
fn e0210_a_sheet_for_an_unknown_town() {
    let fx = Fixture::new();
    let path = "content/sheets/nowhere.yaml";
    fx.write(path, fx.read(LUOHU).replace("town: luohu", "town: nowhere"));
    expect(&fx, 1, &[("E0210", path, 1, 7)]);
}

#[test]
fn e0211_bottom_zero() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "bottom: 1", "bottom: 0");
    expect(&fx, 1, &[("E0211", CAMPAIGN, 14, 13)]);
}

#[test]
fn e0211_bottom_covering_every_town() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "bottom: 1", "bottom: 3");
    expect(&fx, 1, &[("E0211", CAMPAIGN, 14, 13)]);
}

#[test]
fn e0211_a_deadline_of_zero_days() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "deadline_days: 15", "deadline_days: 0");
    expect(&fx, 1, &[("E0211", CAMPAIGN, 16, 20)]);
}

#[test]
fn e0212_a_git_address_that_is_not_an_email() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "lan@example.org", "lan.example.org");
    expect(&fx, 1, &[("E0212", GROUPS, 7, 24)]);
}

#[test]
fn e0212_one_address_for_two_people() {
    let fx = Fixture::new();
    fx.edit(GROUPS, "liu@example.org", "lan@example.org");
    expect(&fx, 1, &[("E0212", GROUPS, 8, 24)]);
}

// ---------------------------------------------------------------------------------------------
// E03xx: score sheets

#[test]
fn e0301_a_score_below_zero() {
    let fx = xiantang_item_2("{score: -1}");
    expect(&fx, 1, &[("E0301", XIANTANG, 11, 16)]);
}

#[test]
fn e0301_a_negative_deduction() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "- points: 2", "- points: -2");
    expect(&fx, 1, &[("E0301", XIANTANG, 8, 17)]);
}

#[test]
fn e0301_a_criterion_below_zero() {
    let fx = xiantang_criteria("{criteria: {a: -1, b: 1.5}}");
    expect(&fx, 1, &[("E0301", XIANTANG, 12, 23)]);
}

#[test]
fn e0302_a_score_above_the_points() {
    let fx = xiantang_item_2("{score: 5.5}");
    expect(&fx, 1, &[("E0302", XIANTANG, 11, 16)]);
}

#[test]
fn e0302_a_criterion_above_its_points() {
    let fx = xiantang_criteria("{criteria: {a: 3.5, b: 1.5}}");
    expect(&fx, 1, &[("E0302", XIANTANG, 12, 23)]);
}

#[test]
fn e0303_a_score_off_the_step() {
    let fx = xiantang_item_2("{score: 4.25}");
    expect(&fx, 1, &[("E0303", XIANTANG, 11, 16)]);
}

#[test]
fn e0303_a_deduction_off_the_step() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "- points: 2", "- points: 0.25");
    expect(&fx, 1, &[("E0303", XIANTANG, 8, 17)]);
}

#[test]
fn e0304_a_deduction_without_reason() {
    let fx = Fixture::new();
    fx.edit(
        XIANTANG,
        "        reason: One household lacks a water test report\n",
        "",
    );
    expect(&fx, 1, &[("E0304", XIANTANG, 8, 9)]);
}

#[test]
fn e0304_a_deduction_with_an_empty_reason() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "One household lacks a water test report", r#""""#);
    expect(&fx, 1, &[("E0304", XIANTANG, 9, 17)]);
}

#[test]
fn e0305_score_and_deductions_disagree() {
    let fx = Fixture::new();
    fx.edit(XINGANG, "score: 4\n", "score: 3.5\n");
    expect(&fx, 1, &[("E0305", XINGANG, 8, 12)]);
}

#[test]
fn w0306_deductions_above_the_points_only_warn() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "- points: 2", "- points: 11");
    expect(&fx, 0, &[("W0306", XIANTANG, 6, 3)]);
    expect_with(&fx, &["--strict"], 1, &[("W0306", XIANTANG, 6, 3)]);
}

#[test]
fn w0306_a_score_of_zero_agrees_with_deductions_above_the_points() {
    let fx = Fixture::new();
    fx.edit(XINGANG, "score: 4\n", "score: 0\n")
        .edit(XINGANG, "- points: 1", "- points: 6");
    expect(&fx, 0, &[("W0306", XINGANG, 7, 3)]);
}

#[test]
fn e0307_not_assessed_in_a_town_with_poverty_villages() {
    let fx = xiantang_item_2("{not_assessed: No poverty villages}");
    expect(&fx, 1, &[("E0307", XIANTANG, 11, 23)]);
}

#[test]
fn e0307_not_assessed_on_an_item_that_is_always_assessed() {
    let fx = Fixture::new();
    fx.edit(
        LUOHU,
        r#""1": {score: 7.5}"#,
        r#""1": {not_assessed: Not done}"#,
    );
    expect(&fx, 1, &[("E0307", LUOHU, 6, 23)]);
}

#[test]
fn e0308_scored_where_the_item_must_be_not_assessed() {
    let fx = Fixture::new();
    fx.edit(
        LUOHU,
        "{not_assessed: No poverty villages in this town}",
        "{score: 5}",
    );
    expect(&fx, 1, &[("E0308", LUOHU, 7, 3)]);
}

#[test]
fn e0309_a_missing_item() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "  \"2\": {score: 4.5}\n", "");
    // At the key `scores`, where the item is to be added.
    expect(&fx, 1, &[("E0309", XIANTANG, 5, 1)]);
}

#[test]
fn e0310_an_unknown_item() {
    let fx = xiantang_item_2("{score: 4.5}\n  \"4\": {score: 1}");
    expect(&fx, 1, &[("E0310", XIANTANG, 12, 3)]);
}

#[test]
fn e0310_a_mistyped_item_id_is_unknown_and_leaves_the_item_missing() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "\"2\": {score: 4.5}", "\"4\": {score: 4.5}");
    expect(
        &fx,
        1,
        &[("E0309", XIANTANG, 5, 1), ("E0310", XIANTANG, 11, 3)],
    );
}

#[test]
fn e0311_an_entry_without_a_score() {
    let fx = xiantang_item_2("{}");
    expect(&fx, 1, &[("E0311", XIANTANG, 11, 8)]);
}

#[test]
fn e0311_an_entry_with_only_a_note() {
    let fx = xiantang_item_2("{note: to be scored}");
    expect(&fx, 1, &[("E0311", XIANTANG, 11, 8)]);
}

#[test]
fn e0311_criteria_and_a_score_together() {
    let fx = Fixture::new();
    fx.edit(
        LUOHU,
        "{criteria: {a: 3, b: 2}}",
        "{score: 5, criteria: {a: 3, b: 2}}",
    );
    expect(&fx, 1, &[("E0311", LUOHU, 8, 8)]);
}

#[test]
fn e0311_not_assessed_and_a_score_together() {
    let fx = Fixture::new();
    fx.edit(LUOHU, "{not_assessed:", "{score: 0, not_assessed:");
    expect(&fx, 1, &[("E0311", LUOHU, 7, 8)]);
}

#[test]
fn e0311_criteria_on_an_item_without_criteria() {
    let fx = Fixture::new();
    fx.edit(LUOHU, "{score: 7.5}", "{criteria: {a: 7.5}}");
    expect(&fx, 1, &[("E0311", LUOHU, 6, 8)]);
}

#[test]
fn e0312_a_criterion_not_scored() {
    let fx = xiantang_criteria("{criteria: {a: 3}}");
    expect(&fx, 1, &[("E0312", XIANTANG, 12, 8)]);
}

#[test]
fn e0313_an_unknown_criterion() {
    let fx = xiantang_criteria("{criteria: {a: 3, b: 1.5, c: 1}}");
    expect(&fx, 1, &[("E0313", XIANTANG, 12, 34)]);
}

#[test]
fn e0314_evidence_that_does_not_exist() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "1-water.jpg", "2-photo.jpg");
    expect(&fx, 1, &[("E0314", XIANTANG, 10, 20)]);
}

#[test]
fn e0314_evidence_that_is_a_folder() {
    let fx = Fixture::new();
    fx.edit(
        XIANTANG,
        "evidence/xiantang/1-water.jpg",
        "evidence/xiantang",
    );
    expect(&fx, 1, &[("E0314", XIANTANG, 10, 20)]);
}

#[test]
fn e0315_evidence_climbing_out_of_the_repository() {
    let fx = Fixture::new();
    fx.edit(
        XIANTANG,
        "evidence/xiantang/1-water.jpg",
        "../../etc/passwd",
    );
    expect(&fx, 1, &[("E0315", XIANTANG, 10, 20)]);
}

#[test]
fn e0315_an_absolute_evidence_path() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "evidence/xiantang/1-water.jpg", "/etc/passwd");
    expect(&fx, 1, &[("E0315", XIANTANG, 10, 20)]);
}

#[cfg(unix)]
#[test]
fn e0315_evidence_through_a_link_to_outside() {
    let fx = Fixture::new();
    let outside = tempfile::NamedTempFile::new().unwrap();
    let link = fx.root().join("content/evidence/xiantang/link.jpg");
    std::os::unix::fs::symlink(outside.path(), link).unwrap();
    fx.edit(XIANTANG, "1-water.jpg", "link.jpg");
    expect(&fx, 1, &[("E0315", XIANTANG, 10, 20)]);
}

#[test]
fn e0316_signed_by_another_group_s_leader() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "leader: Pan", "leader: Yan");
    expect(&fx, 1, &[("E0316", XIANTANG, 15, 11)]);
}

#[test]
fn e0316_signed_by_a_member_of_another_group() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "members: [Lan, Liu]", "members: [Lan, Jiang]");
    expect(&fx, 1, &[("E0316", XIANTANG, 16, 18)]);
}

#[test]
fn e0317_a_final_sheet_without_signoff() {
    let fx = Fixture::new();
    fx.edit(
        XIANTANG,
        "signoff:\n  leader: Pan\n  members: [Lan, Liu]\n  date: 2020-03-05\n",
        "",
    );
    expect(&fx, 1, &[("E0317", XIANTANG, 3, 9)]);
}

#[test]
fn e0317_a_final_sheet_signed_by_the_leader_alone_is_signed() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "  members: [Lan, Liu]\n", "");
    // A sign-off needs its leader and date; members are listed when they signed too.
    expect(&fx, 0, &[]);
}

#[test]
fn e0318_a_visit_before_the_inspection() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "visited: [2020-03-02]", "visited: [2020-02-28]");
    expect(&fx, 1, &[("E0318", XIANTANG, 4, 11)]);
}

#[test]
fn e0318_a_visit_after_the_inspection() {
    let fx = Fixture::new();
    fx.edit(XINGANG, "2020-03-04]", "2020-03-06]");
    expect(&fx, 1, &[("E0318", XINGANG, 4, 23)]);
}

#[test]
fn e0318_no_visit_is_judged_by_a_window_that_ends_before_it_starts() {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "end: 2020-03-05", "end: 2020-02-05");
    // Only the window itself is wrong: every sheet's visits would be "outside" it.
    let codes: Vec<String> = fx.diags().into_iter().map(|d| d.0).collect();
    assert!(codes.contains(&"E0201".to_string()), "{codes:?}");
    assert!(!codes.contains(&"E0318".to_string()), "{codes:?}");
}

#[test]
fn e0319_a_sheet_filed_by_another_group_is_reported_once() {
    let fx = Fixture::new();
    fx.edit(LUOHU, "group: g2", "group: g1");
    // The sign-off by Luohu's own group is right: no "Yan is not the group's leader".
    expect(&fx, 1, &[("E0319", LUOHU, 2, 8)]);
}

#[test]
fn e0319_an_unknown_group() {
    let fx = Fixture::new();
    fx.edit(LUOHU, "group: g2", "group: g9");
    expect(&fx, 1, &[("E0319", LUOHU, 2, 8)]);
}

#[test]
fn e0321_two_sheets_for_one_town() {
    let fx = Fixture::new();
    // Xiantang's sheet copied over Xingang's, the town left unchanged.
    fx.write(XINGANG, fx.read(XIANTANG));
    expect(
        &fx,
        1,
        &[
            ("E0321", XINGANG, 1, 7),
            ("W0323", XINGANG, 1, 7),
            ("W0322", TOWNS, 2, 25),
        ],
    );
}

#[test]
fn w0322_a_missing_sheet_warns_and_fails_with_strict() {
    let fx = Fixture::new();
    fx.remove(LUOHU);
    expect(&fx, 0, &[("W0322", TOWNS, 3, 23)]);
    expect_with(&fx, &["--strict"], 1, &[("W0322", TOWNS, 3, 23)]);
}

#[test]
fn w0323_a_sheet_not_named_after_its_town() {
    let fx = Fixture::new();
    let path = "content/sheets/luohu-town.yaml";
    fx.write(path, fx.read(LUOHU)).remove(LUOHU);
    expect(&fx, 0, &[("W0323", path, 1, 7)]);
}

#[test]
fn w0324_signed_before_the_last_visit() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "date: 2020-03-05", "date: 2020-03-01");
    expect(&fx, 0, &[("W0324", XIANTANG, 17, 9)]);
}

#[test]
fn w0324_signed_after_the_review_deadline() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "date: 2020-03-05", "date: 2020-03-07");
    expect(&fx, 0, &[("W0324", XIANTANG, 17, 9)]);
    expect_with(&fx, &["--strict"], 1, &[("W0324", XIANTANG, 17, 9)]);
}

#[test]
fn w0325_a_final_sheet_without_visits() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "visited: [2020-03-02]\n", "");
    expect(&fx, 0, &[("W0325", XIANTANG, 3, 9)]);
}

#[test]
fn w0325_a_final_sheet_with_an_empty_list_of_visits() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "visited: [2020-03-02]", "visited: []");
    expect(&fx, 0, &[("W0325", XIANTANG, 3, 9)]);
}

/// Where `needle` stands in `file` of the fixture, counted from 1, on its `nth` line holding it.
fn place(fx: &Fixture, file: &str, needle: &str, nth: usize) -> (u32, u32) {
    let text = fx.read(file);
    let (line, at) = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| l.find(needle).map(|at| (i, &l[..at])))
        .nth(nth)
        .unwrap_or_else(|| panic!("no {needle} in {file}"));
    (line as u32 + 1, at.chars().count() as u32 + 1)
}

#[test]
fn grades_adjustments_and_vetoes_are_checked_where_they_are_written() {
    let fx = Fixture::new();
    fx.append(
        CAMPAIGN,
        "grades:\n  - {name: A, min: 80}\n  - {name: B, min: 90}\n  - {name: C, min: 10}\n",
    );
    fx.append(
        RUBRIC,
        "adjustments:\n  - {id: p, kind: bonus, text: T, points_each: 1, cap: 2.5}\nvetoes:\n  - {id: p, text: V}\n",
    );
    fx.append(
        XIANTANG,
        "adjustments:\n  nosuch: [{reason: r}]\n  p: [{evidence: []}]\nvetoes:\n  p: {reason: x}\n",
    );
    let at = |file: &'static str, needle: &str, nth: usize| {
        let (line, column) = place(&fx, file, needle, nth);
        (file, line, column)
    };
    let expected = [
        ("E0217", at(CAMPAIGN, "90}", 0)),
        ("E0217", at(CAMPAIGN, "10}", 0)),
        ("E0218", at(RUBRIC, "2.5}", 0)),
        ("E0218", at(RUBRIC, "p, text: V", 0)),
        ("E0329", at(XIANTANG, "nosuch:", 0)),
        ("E0330", at(XIANTANG, "{evidence: []}", 0)),
        ("E0331", at(XIANTANG, "p: {reason: x}", 0)),
    ];
    let expected: Vec<(&str, &str, u32, u32)> = expected
        .iter()
        .map(|(code, (file, line, column))| (*code, *file, *line, *column))
        .collect();
    expect(&fx, 1, &expected);
}

#[test]
fn e0220_a_town_without_the_class_attribute() {
    let fx = Fixture::new();
    fx.append(CAMPAIGN, "classes: class\n");
    fx.edit(
        TOWNS,
        "poverty_villages: 3}",
        "poverty_villages: 3, class: A}",
    );
    fx.edit(
        TOWNS,
        "poverty_villages: 2}",
        "poverty_villages: 2, class: B}",
    );
    // Luohu has no class: its entry in towns.yaml is where to add it.
    expect(&fx, 1, &[("E0220", TOWNS, 3, 3)]);
    fx.edit(
        TOWNS,
        "poverty_villages: 0}",
        "poverty_villages: 0, class: B}",
    );
    expect(&fx, 0, &[]);
}

#[test]
fn e0220_no_town_has_the_class_attribute() {
    let fx = Fixture::new();
    fx.append(CAMPAIGN, "classes: klass\n");
    let (line, column) = place(&fx, CAMPAIGN, "klass", 0);
    expect(&fx, 1, &[("E0220", CAMPAIGN, line, column)]);
    assert!(only_message(&fx).contains("poverty_villages"));
}

#[test]
fn e0221_an_item_depends_on_an_attribute_written_as_a_word() {
    let fx = Fixture::new();
    fx.edit(TOWNS, "poverty_villages: 2}", "poverty_villages: two}");
    let (line, column) = place(&fx, TOWNS, "two}", 0);
    expect(&fx, 1, &[("E0221", TOWNS, line, column)]);
}

#[test]
fn w0601_to_w0603_personal_numbers_at_their_characters() {
    let fx = Fixture::new();
    leak_personal_numbers(&fx);
    fx.edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary: |\n  Subsidy not paid to card 6222021234567890128.\n  # old ID 110105491231002",
    );
    let diags = fx.diags();
    let personal: Vec<_> = diags.iter().filter(|d| d.0.starts_with("W06")).collect();
    assert_eq!(
        personal,
        [
            &("W0601".into(), XIANTANG.into(), 9, 27),
            &("W0602".into(), XIANTANG.into(), 9, 52),
            &("W0602".into(), XIANTANG.into(), 10, 38),
            &("W0603".into(), XIANTANG.into(), 14, 28),
            &("W0601".into(), XIANTANG.into(), 15, 12),
        ],
        "{diags:?}"
    );
    let (_, out, _) = fx.check(&[]);
    assert!(out.contains("440102********1230"), "{out}");
}

#[test]
fn w0601_to_w0603_leave_numbers_that_only_look_personal() {
    let fx = Fixture::new();
    fx.edit(
        XIANTANG,
        "One household lacks a water test report",
        "Report 110105194912310021 has a wrong check digit; checked 20200306; rows 1 2 3 4 12.5; order 138123456789; landline 0762-0000000",
    )
    .edit(
        GROUPS,
        "members:\n    - {name: Lan",
        "contact: {name: Ye, phone: \"13900001111\"}\n  members:\n    - {name: Lan",
    );
    let diags = fx.diags();
    assert!(!diags.iter().any(|d| d.0.starts_with("W06")), "{diags:?}");
}
