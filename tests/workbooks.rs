//! The Excel workbooks as their users open them: `data/ranking.xlsx` read back and printed by
//! LibreOffice, the town forms exported, filled and imported, and the forms people break.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;

/// The example campaign as `init --example` makes it, in a temporary folder.
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let (code, _, err) = ducha(&["init", "--example", repo.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    (dir, repo)
}

fn at(repo: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--root", repo.to_str().unwrap()];
    all.extend_from_slice(args);
    ducha(&all)
}

/// Converts `files` to PDF with LibreOffice headless, as an office opens them; returns each
/// PDF's text and page count.
fn printed(files: &[PathBuf], out: &Path) -> Vec<(String, u32)> {
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(files)
        .output()
        .expect("LibreOffice (soffice) is installed");
    assert!(status.status.success(), "{status:?}");
    files
        .iter()
        .map(|f| {
            let pdf = out.join(f.with_extension("pdf").file_name().unwrap());
            assert!(pdf.exists(), "LibreOffice made no PDF of {}", f.display());
            let (code, text, err) =
                run_program("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
            assert_eq!(code, 0, "{err}");
            let (_, info, _) = run_program("pdfinfo", &[pdf.to_str().unwrap()]);
            let pages = info
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            (text, pages)
        })
        .collect()
}

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name} in {}: {e}", path.display()))
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

#[test]
fn the_ranking_workbook_holds_what_the_ranking_json_says_and_prints() {
    let (dir, repo) = example();
    let site = dir.path().join("site");
    let (code, _, err) = at(&repo, &["build", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let xlsx = site.join("data/ranking.xlsx");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/ranking.json")).unwrap())
            .unwrap();

    let book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["排名", "得分明细", "扣分明细", "整改台账"],
        "the example keeps a ledger"
    );
    let ranking = sheet(&xlsx, "排名");
    let head: Vec<String> = (0..ranking.width())
        .map(|c| text(ranking.get((0, c))))
        .collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let towns = json["towns"].as_array().unwrap();
    assert_eq!(towns.len(), 21);
    for (i, town) in towns.iter().enumerate() {
        let row = i + 1;
        // Numbers are numbers, equal to the JSON's.
        assert_eq!(
            ranking.get((row, col("名次"))),
            Some(&Data::Float(town["rank"].as_f64().unwrap())),
        );
        assert_eq!(
            text(ranking.get((row, col("乡镇")))),
            town["town"].as_str().unwrap()
        );
        assert_eq!(
            ranking.get((row, col("总分"))),
            Some(&Data::Float(town["total"].as_f64().unwrap())),
            "{}",
            town["town"]
        );
        for (section, title) in [("tuopin", "脱贫攻坚方面"), ("zhenxing", "乡村振兴战略方面")]
        {
            assert_eq!(
                ranking.get((row, col(title))),
                Some(&Data::Float(town["sections"][section].as_f64().unwrap())),
            );
        }
    }
    // Every deduction of the example, with its reason.
    let deductions = sheet(&xlsx, "扣分明细");
    let reasons: Vec<String> = (1..deductions.height())
        .map(|r| text(deductions.get((r, 5))))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("《扶贫手册》收入确认页未经户主签字"))
    );
    let scores = sheet(&xlsx, "得分明细");
    assert_eq!(scores.height(), 22, "a row per town under the header");

    // The same commit writes the same bytes.
    let again = dir.path().join("again");
    let (code, _, err) = at(&repo, &["build", "--out", again.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(&xlsx).unwrap(),
        std::fs::read(again.join("data/ranking.xlsx")).unwrap()
    );
    // The ranking page links it.
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains(r#"href="data/ranking.xlsx""#));

    // Printed as LibreOffice Calc prints it: the header on every page, every town named.
    let pdfs = dir.path().join("pdf");
    let [(printed, pages)] = printed(&[xlsx], &pdfs).try_into().unwrap();
    assert!(printed.contains("2021 年度东源县脱贫攻坚和乡村振兴考核迎检工作专项督查"));
    assert!(printed.contains("第 1 页，共"));
    for town in towns {
        assert!(printed.contains(town["town"].as_str().unwrap()));
    }
    assert!(pages >= 4, "one page at least per sheet: {pages}");
}

#[test]
fn every_sheet_of_the_example_survives_export_import_and_export_again() {
    let (dir, repo) = example();
    let first = dir.path().join("first");
    let (code, out, err) = at(&repo, &["export", "xlsx", "--out", first.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("21"), "{out}");
    let site = dir.path().join("site");
    let (code, _, err) = at(&repo, &["build", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(site.join("data/scores.csv")).unwrap();

    let mut forms: Vec<PathBuf> = std::fs::read_dir(&first)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    forms.sort();
    assert_eq!(forms.len(), 21);
    // Without --force an existing sheet is never overwritten, and nothing is written.
    let sheet_before = std::fs::read(repo.join("content/sheets/xiantang.yaml")).unwrap();
    let mut args = vec!["import"];
    args.extend(forms.iter().map(|f| f.to_str().unwrap()));
    let (code, _, err) = at(&repo, &args);
    assert_eq!(code, 1);
    assert!(err.contains("已存在：确需覆盖时加 --force"), "{err}");
    assert_eq!(
        std::fs::read(repo.join("content/sheets/xiantang.yaml")).unwrap(),
        sheet_before
    );

    args.push("--force");
    let (code, out, err) = at(&repo, &args);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.matches("已导入").count(), 21, "{out}");
    let (code, _, err) = at(&repo, &["build", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(std::fs::read(site.join("data/scores.csv")).unwrap()).unwrap(),
        String::from_utf8(before).unwrap(),
        "every score, deduction and reason as before"
    );
    let (code, out, _) = at(&repo, &["check", "--format", "json"]);
    assert!(!out.contains("\"error\""), "{code} {out}");

    // Exported again, every score cell is the same.
    let second = dir.path().join("second");
    let (code, _, err) = at(
        &repo,
        &["export", "xlsx", "--out", second.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    for form in &forms {
        let name = form.file_stem().unwrap().to_str().unwrap();
        let mut book: Xlsx<_> = open_workbook(form).unwrap();
        let sheet_name = book.sheet_names()[0].clone();
        let a = book.worksheet_range(&sheet_name).unwrap();
        let b = sheet(&second.join(format!("{name}.xlsx")), &sheet_name);
        for r in 0..a.height().max(b.height()) {
            for c in 0..11 {
                assert_eq!(a.get((r, c)), b.get((r, c)), "{name} row {} col {c}", r + 1);
            }
        }
    }

    // Printed as Calc prints them: the paper form's columns, the total and the signatures.
    let pdfs = dir.path().join("pdf");
    let shown = [first.join("xiantang.xlsx"), first.join("huangtian.xlsx")];
    for (text, pages) in printed(&shown, &pdfs) {
        for word in [
            "考核内容",
            "考核指标",
            "考核要求",
            "标准分",
            "考核分",
            "合计",
            "综合评价",
            "组长签名",
        ] {
            assert!(text.contains(word), "{word} in {text}");
        }
        assert_eq!(pages, 2, "{text}");
    }
}

#[test]
fn a_new_form_is_locked_but_for_the_cells_to_fill_and_imports_as_a_draft() {
    let (dir, repo) = example();
    let forms = dir.path().join("forms");
    let (code, out, err) = at(
        &repo,
        &[
            "new",
            "xiantang",
            "--xlsx",
            "--out",
            forms.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("xiantang.xlsx"), "{out}");
    let form = forms.join("xiantang.xlsx");
    // Never overwritten.
    let (code, _, err) = at(
        &repo,
        &[
            "new",
            "xiantang",
            "--xlsx",
            "--out",
            forms.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{err}");
    let xml = part(&std::fs::read(&form).unwrap(), "xl/worksheets/sheet1.xml");
    assert!(xml.contains("<sheetProtection"), "the sheet is protected");
    assert!(xml.contains("<dataValidation"), "scores are limited");
    assert!(
        xml.contains("&lt;=12"),
        "item 1 is limited to its 12 points"
    );

    // Filled in: item 1 scored, item 4 deducted, and signed.
    let rows = rows_of(&form);
    let one = rows[&("item".to_string(), "1".to_string())];
    let deduction = first_of(&form, "deduction");
    let filled = edit(&std::fs::read(&form).unwrap(), |xml| {
        let xml = set(xml, &format!("F{}", one + 1), "<v>11</v>", None);
        let xml = set(
            &xml,
            &format!("A{}", deduction + 1),
            "<is><t>4</t></is>",
            Some("inlineStr"),
        );
        let xml = set(
            &xml,
            &format!("B{}", deduction + 1),
            "<is><t>遍访率不足</t></is>",
            Some("inlineStr"),
        );
        set(&xml, &format!("E{}", deduction + 1), "<v>1.5</v>", None)
    });
    std::fs::remove_file(repo.join("content/sheets/xiantang.yaml")).unwrap();
    let filled_path = dir.path().join("filled.xlsx");
    std::fs::write(&filled_path, filled).unwrap();
    let (code, out, err) = at(&repo, &["import", filled_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let yaml = std::fs::read_to_string(repo.join("content/sheets/xiantang.yaml")).unwrap();
    assert!(yaml.contains("status: draft"), "{yaml}");
    assert!(yaml.contains("  '1':\n    score: 11\n"), "{yaml}");
    assert!(
        yaml.contains("  '4':\n    deductions:\n      - points: 1.5\n        reason: 遍访率不足\n"),
        "{yaml}"
    );
}

/// One part of a zip archive, as text.
fn part(xlsx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The workbook with its form sheet's XML rewritten by `change`.
fn edit(xlsx: &[u8], change: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            bytes = change(&String::from_utf8(bytes).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Puts `value` (the inside of a `<c>`) into the cell `cell` of a sheet's XML.
fn set(xml: &str, cell: &str, value: &str, kind: Option<&str>) -> String {
    let open = format!("<c r=\"{cell}\"");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no cell {cell}"));
    let end = start + xml[start..].find('>').unwrap();
    let tag = &xml[start..=end];
    let attributes = tag
        .trim_start_matches(&open)
        .trim_end_matches('>')
        .trim_end_matches('/')
        .to_string();
    let attributes: String = attributes
        .split(' ')
        .filter(|a| !a.starts_with("t="))
        .collect::<Vec<_>>()
        .join(" ");
    let t = kind.map_or(String::new(), |k| format!(" t=\"{k}\""));
    let replaced = format!("{open}{attributes}{t}>{value}</c>");
    let rest = if tag.ends_with("/>") {
        &xml[end + 1..]
    } else {
        let close = end + xml[end..].find("</c>").unwrap();
        &xml[close + 4..]
    };
    format!("{}{replaced}{rest}", &xml[..start])
}

/// Each row of a form by (kind, item), from 0.
fn rows_of(form: &Path) -> std::collections::BTreeMap<(String, String), u32> {
    let mut book: Xlsx<_> = open_workbook(form).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for r in 0..range.height() as u32 {
        let kind = text(range.get_value((r, 8)));
        if !kind.is_empty() {
            out.entry((kind, text(range.get_value((r, 9)))))
                .or_insert(r);
        }
    }
    out
}

fn first_of(form: &Path, kind: &str) -> u32 {
    rows_of(form)
        .into_iter()
        .find(|((k, _), _)| k == kind)
        .map(|(_, r)| r)
        .unwrap()
}

/// Imports `bytes` as a form into the example and returns (exit code, what it said); asserts
/// that the sheet was left as it was.
fn import_bad(repo: &Path, bytes: &[u8]) -> (i32, String) {
    let file = repo.parent().unwrap().join("form.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let sheets = tree(&repo.join("content/sheets"));
    let (code, out, err) = at(repo, &["import", "--force", file.to_str().unwrap()]);
    assert_eq!(
        tree(&repo.join("content/sheets")),
        sheets,
        "nothing written"
    );
    (code, format!("{out}{err}"))
}

fn exported(repo: &Path, town: &str) -> PathBuf {
    let out = repo.parent().unwrap().join("out");
    let (code, _, err) = at(
        repo,
        &["export", "xlsx", town, "--out", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    out.join(format!("{town}.xlsx"))
}

#[test]
fn broken_forms_are_refused_where_they_are_broken() {
    let (_dir, repo) = example();
    // Not a zip at all.
    let (code, said) = import_bad(&repo, b"PK not really a workbook");
    assert_eq!(code, 1);
    assert!(
        said.contains("form.xlsx: 错误: 不是 Excel 工作簿（.xlsx）"),
        "{said}"
    );

    // A zip bomb: a small archive that unpacks to 80 MiB.
    let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    bomb.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true),
    )
    .unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..80 {
        bomb.write_all(&zeros).unwrap();
    }
    let bomb = bomb.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20);
    let (code, said) = import_bad(&repo, &bomb);
    assert_eq!(code, 1);
    assert!(said.contains("压缩炸弹"), "{said}");

    // A workbook, but not ducha's form.
    let mut plain = rust_xlsxwriter::Workbook::new();
    plain.add_worksheet().write_string(0, 0, "考核分").unwrap();
    let (code, said) = import_bad(&repo, &plain.save_to_buffer().unwrap());
    assert_eq!(code, 1);
    assert!(said.contains("不是 ducha 的评分表"), "{said}");

    // Forms of another campaign, and of a town the campaign lacks.
    let form = exported(&repo, "xiantang");
    let bytes = std::fs::read(&form).unwrap();
    let meta = |from: &str, to: &str| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            if name == "xl/sharedStrings.xml" {
                data = String::from_utf8(data)
                    .unwrap()
                    .replace(&format!(">{from}<"), &format!(">{to}<"))
                    .into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&data).unwrap();
        }
        out.finish().unwrap().into_inner()
    };
    let (code, said) = import_bad(&repo, &meta("2021-yingjian", "2019-other"));
    assert_eq!(code, 1);
    assert!(
        said.contains("这是督查活动「2019-other」的评分表，本仓库的督查活动是「2021-yingjian」"),
        "{said}"
    );
    let (code, said) = import_bad(&repo, &meta("xiantang", "nowhere"));
    assert_eq!(code, 1);
    assert!(said.contains("乡镇「nowhere」不在 towns.yaml 中"), "{said}");

    // Text in a score cell, a score above the item's points, a deduction without a reason:
    // the rules of `check`, at the cell.
    let rows = rows_of(&form);
    let one = rows[&("item".to_string(), "1".to_string())] + 1;
    let two = rows[&("item".to_string(), "2".to_string())] + 1;
    let deduction = first_of(&form, "deduction") + 1;
    let broken = edit(&bytes, |xml| {
        let xml = set(
            xml,
            &format!("F{one}"),
            "<is><t>十一</t></is>",
            Some("inlineStr"),
        );
        set(&xml, &format!("F{two}"), "<v>9</v>", None)
    });
    let (code, said) = import_bad(&repo, &broken);
    assert_eq!(code, 1);
    assert!(
        said.contains(&format!("form.xlsx!F{one}: 错误[E0110]")),
        "{said}"
    );
    assert!(
        said.contains(&format!("form.xlsx!F{two}: 错误[E0302]")),
        "{said}"
    );
    assert!(said.contains("2 个错误：未写入任何评分表"), "{said}");
    let unreasoned = edit(&bytes, |xml| set(xml, &format!("B{deduction}"), "", None));
    let (code, said) = import_bad(&repo, &unreasoned);
    assert_eq!(code, 1);
    assert!(
        said.contains(&format!(
            "form.xlsx!E{deduction}: 错误[E0304]: 第 1 项的扣分没有写明原因"
        )),
        "{said}"
    );

    // A deleted row, and merged score cells.
    let deleted = edit(&bytes, |xml| {
        let start = xml.find(&format!("<row r=\"{two}\"")).unwrap();
        let end = start + xml[start..].find("</row>").unwrap() + 6;
        format!("{}{}", &xml[..start], &xml[end..])
    });
    let (code, said) = import_bad(&repo, &deleted);
    assert_eq!(code, 1);
    assert!(said.contains("缺少第 2 项的行"), "{said}");
    let merged = edit(&bytes, |xml| {
        xml.replacen(
            "<mergeCell ",
            &format!("<mergeCell ref=\"F{one}:F{two}\"/><mergeCell "),
            1,
        )
    });
    let (code, said) = import_bad(&repo, &merged);
    assert_eq!(code, 1);
    assert!(
        said.contains(&format!(
            "form.xlsx!F{one}:F{two}: 错误: 这些单元格被合并了"
        )),
        "{said}"
    );
}

#[test]
fn an_english_campaign_round_trips_notes_evidence_and_texts_yaml_would_misread() {
    let f = Fixture::new();
    f.edit(
        XIANTANG,
        "summary: Roads clean, records complete.",
        "summary: |\n  Roads clean: records complete.\n  # not a comment\n    indented, and 'quoted'\n",
    )
    .edit(
        LUOHU,
        "\"1\": {score: 7.5}",
        "\"1\":\n    score: 7.5\n    note: \"yes: no - [x] {y} & <z> @at\"",
    );
    let root = f.root();
    let site = root.join("first");
    let (code, _, err) = at(root, &["build", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let forms = root.join("forms");
    let (code, out, err) = at(root, &["export", "xlsx", "--out", forms.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("exported 3 towns"), "{out}");
    let rows = rows_of(&forms.join("luohu.xlsx"));
    assert!(rows.contains_key(&("criterion".to_string(), "3".to_string())));
    let mut args = vec!["import", "--force"];
    let paths: Vec<String> = ["xiantang", "xingang", "luohu"]
        .iter()
        .map(|t| forms.join(format!("{t}.xlsx")).display().to_string())
        .collect();
    args.extend(paths.iter().map(String::as_str));
    let (code, out, err) = at(root, &args);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.matches("imported").count(), 3, "{out}");
    let xiantang = f.read(XIANTANG);
    assert!(
        xiantang.contains(
            "summary: |\n  Roads clean: records complete.\n  # not a comment\n    indented, and 'quoted'\n"
        ),
        "{xiantang}"
    );
    assert!(
        xiantang.contains("evidence: [evidence/xiantang/1-water.jpg]"),
        "{xiantang}"
    );
    assert!(xiantang.contains("status: final"), "{xiantang}");
    assert!(xiantang.contains("  date: 2020-03-05"), "{xiantang}");
    let luohu = f.read(LUOHU);
    assert!(
        luohu.contains("not_assessed: No poverty villages in this town"),
        "{luohu}"
    );
    let again = root.join("again");
    let (code, _, err) = at(root, &["build", "--out", again.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for data in ["data/scores.csv", "data/ranking.json"] {
        assert_eq!(
            std::fs::read_to_string(site.join(data)).unwrap(),
            std::fs::read_to_string(again.join(data)).unwrap(),
            "{data}"
        );
    }
    let town = std::fs::read_to_string(again.join("towns/luohu/index.html")).unwrap();
    assert!(
        town.contains("yes: no - [x] {y} &amp; &lt;z&gt; @at"),
        "the note as written"
    );
}
