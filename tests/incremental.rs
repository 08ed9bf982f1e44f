//! `ducha serve` renders again only the pages whose view changed: after any sequence of edits,
//! what it shows is exactly what a full build of the same content writes.

mod common;

use std::collections::BTreeMap;

use common::*;
use ducha::pipeline;

/// A small deterministic generator, so that a failure can be replayed from its seed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// No edit comes while a preview works: the moments it asks about are spent waiting, as a
/// server's are.
fn never(wait: pipeline::Wait) -> bool {
    if wait == pipeline::Wait::Moment {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    false
}

/// The site a preview renders, or `None` when the content has errors.
fn preview(f: &Fixture, session: &mut pipeline::Session) -> Option<pipeline::Rendered> {
    preview_at(f.root(), day(), session)
}

/// The site a preview of the campaign at `root` renders as of `day`.
fn preview_at(
    root: &std::path::Path,
    day: jiff::civil::Date,
    session: &mut pipeline::Session,
) -> Option<pipeline::Rendered> {
    counted(root, day, session).map(|(rendered, _)| rendered)
}

/// The site a preview renders, and how many of its pages it rendered anew.
fn counted(
    root: &std::path::Path,
    day: jiff::civil::Date,
    session: &mut pipeline::Session,
) -> Option<(pipeline::Rendered, usize)> {
    let mut shown = None;
    let mut show = |pages| shown = Some(pages);
    let (build, rendered) =
        pipeline::preview(root, false, Some(day), session, &mut show, &mut never)
            .expect("the preview runs");
    eprintln!(
        "RENDERED {:?}",
        build.site.as_ref().and_then(|s| s.rendered)
    );
    // What is shown first are the same pages, with the last data files until the new ones.
    if let (Some(shown), Some(rendered)) = (&shown, &rendered) {
        for (path, bytes) in shown.iter() {
            if !path.starts_with("data/") && !path.ends_with(".docx") {
                assert_eq!(rendered.pages.get(path), Some(bytes), "{path}");
            }
        }
    }
    // Diagnostics name the files of this load, whatever an earlier one decoded.
    let fresh = pipeline::preview(
        root,
        false,
        Some(day),
        &mut pipeline::Session::default(),
        &mut |_| {},
        &mut never,
    )
    .expect("the preview runs");
    assert_eq!(build.human, fresh.0.human);
    let anew = build.site.and_then(|s| s.rendered).unwrap_or(0);
    rendered.map(|r| (r, anew))
}

fn day() -> jiff::civil::Date {
    jiff::civil::date(2020, 3, 20)
}

fn files(rendered: &pipeline::Rendered) -> BTreeMap<String, Vec<u8>> {
    rendered
        .pages
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
        .collect()
}

/// One edit of the kind an office makes, picked by `r`; says what it did.
fn edit(f: &Fixture, r: &mut Random, step: usize) -> String {
    let sheets = ["xiantang", "xingang", "luohu"];
    let present: Vec<&str> = sheets
        .iter()
        .copied()
        .filter(|s| f.root().join(format!("content/sheets/{s}.yaml")).exists())
        .collect();
    let sheet = |slug: &str| format!("content/sheets/{slug}.yaml");
    match r.below(11) {
        0 if !present.is_empty() => {
            let slug = present[r.below(present.len())];
            let text = f.read(&sheet(slug));
            let score = ["7.5", "8", "9.5", "6"][r.below(4)];
            let changed = match slug {
                "xingang" => text.replacen(
                    "\"1\": {score: 10}",
                    &format!("\"1\": {{score: {score}}}"),
                    1,
                ),
                "luohu" => text.replacen(
                    "\"1\": {score: 7.5}",
                    &format!("\"1\": {{score: {score}}}"),
                    1,
                ),
                _ => text.replacen("\"2\": {score: 4.5}", "\"2\": {score: 3}", 1),
            };
            f.write(&sheet(slug), changed);
            format!("a score of {slug}")
        }
        1 if !present.is_empty() => {
            let slug = present[r.below(present.len())];
            let text = f.read(&sheet(slug));
            let summary = format!("summary: Note {step} <b>&amp;</b>\n");
            let text = match text.find("summary:") {
                Some(at) => {
                    let end = at + text[at..].find('\n').unwrap() + 1;
                    format!("{}{summary}{}", &text[..at], &text[end..])
                }
                None => text.replacen("signoff:", &format!("{summary}signoff:"), 1),
            };
            f.write(&sheet(slug), text);
            format!("the summary of {slug}")
        }
        2 if present.len() > 1 => {
            let slug = present[r.below(present.len())];
            f.remove(&sheet(slug));
            format!("{slug}'s sheet deleted")
        }
        3 if present.len() < sheets.len() => {
            let missing: Vec<&str> = sheets
                .iter()
                .copied()
                .filter(|s| !present.contains(s))
                .collect();
            let slug = missing[r.below(missing.len())];
            let original = FILES
                .iter()
                .find(|(p, _)| *p == sheet(slug))
                .map(|(_, t)| *t)
                .unwrap();
            f.write(&sheet(slug), original);
            format!("{slug}'s sheet back")
        }
        4 if !present.is_empty() => {
            let slug = present[r.below(present.len())];
            let text = f.read(&sheet(slug));
            f.write(
                &sheet(slug),
                text.replacen("status: final", "status: draft", 1),
            );
            format!("{slug} a draft")
        }
        5 => {
            let text = f.read(RUBRIC);
            let plain = "indicator: Households lifted out of poverty\n";
            let checked = "indicator: Households lifted out of poverty (checked)\n";
            let text = match text.contains(plain) {
                true => text.replacen(plain, checked, 1),
                false => text.replacen(checked, plain, 1),
            };
            f.write(RUBRIC, text);
            "an indicator of the rubric".to_string()
        }
        6 => {
            let text = f.read(CAMPAIGN);
            f.write(
                CAMPAIGN,
                text.replacen(
                    "title: Test campaign",
                    &format!("title: Test campaign {step}"),
                    1,
                ),
            );
            "the campaign's title".to_string()
        }
        7 => {
            let text = f.read(GROUPS);
            f.write(
                GROUPS,
                text.replacen("name: Group Two", &format!("name: Group {step}"), 1),
            );
            "a group's name".to_string()
        }
        8 => {
            // The office's own frame for every page.
            let builtin = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/base.html"),
            )
            .unwrap();
            f.write(
                "themes/default/templates/base.html",
                format!("{builtin}<!-- frame {step} -->\n"),
            );
            "the theme's frame".to_string()
        }
        9 => {
            // The file a sheet links to becomes a link to another file, and back: the sheet
            // is the same, the evidence it publishes is not.
            let path = f.root().join(EVIDENCE);
            let other = f.root().join("content/evidence/xiantang/water-2.jpg");
            std::fs::write(&other, "another photo").unwrap();
            let linked = path.is_symlink();
            std::fs::remove_file(&path).unwrap();
            match linked {
                true => std::fs::write(&path, "photo").unwrap(),
                false => std::os::unix::fs::symlink("water-2.jpg", &path).unwrap(),
            }
            format!(
                "the evidence file {}",
                ["linked", "back"][usize::from(linked)]
            )
        }
        _ if !present.is_empty() => {
            // An error, then its fix: the next render starts from the last good one.
            let slug = present[r.below(present.len())];
            let text = f.read(&sheet(slug));
            f.write(&sheet(slug), text.replacen("status:", "status: [", 1));
            assert!(
                preview(f, &mut pipeline::Session::default()).is_none(),
                "{slug}: the error stops the build"
            );
            f.write(&sheet(slug), text);
            format!("an error in {slug}, then its fix")
        }
        _ => "nothing".to_string(),
    }
}

#[test]
fn every_incremental_render_is_the_full_render_of_the_same_content() {
    for seed in [1u64, 2020] {
        let f = Fixture::new();
        let mut r = Random(seed);
        // What the server keeps from one rebuild to the next.
        let mut session = pipeline::Session::default();
        preview(&f, &mut session).expect("the fixture builds");
        let mut done = Vec::new();
        for step in 0..20 {
            done.push(edit(&f, &mut r, step));
            let Some(next) = preview(&f, &mut session) else {
                continue;
            };
            let full = preview(&f, &mut pipeline::Session::default())
                .expect("a full render of the same content");
            let (a, b) = (files(&next), files(&full));
            assert_eq!(
                a.keys().collect::<Vec<_>>(),
                b.keys().collect::<Vec<_>>(),
                "seed {seed}, after {done:?}"
            );
            for (path, bytes) in &b {
                assert!(
                    a[path] == *bytes,
                    "seed {seed}: {path} differs from a full render after {done:?}"
                );
            }
        }
    }
}

#[test]
fn an_unchanged_page_is_reused_and_a_changed_one_is_not() {
    let f = Fixture::new();
    let mut session = pipeline::Session::default();
    let first = preview(&f, &mut session).unwrap();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9}");
    let second = preview(&f, &mut session).unwrap();
    // Xingang's own page changes; the page of a town whose view is the same is the very
    // bytes of the last render.
    let town =
        |r: &pipeline::Rendered, slug: &str| r.pages[&format!("towns/{slug}/index.html")].to_vec();
    assert_ne!(town(&first, "xingang"), town(&second, "xingang"));
    assert!(
        String::from_utf8(town(&second, "xingang"))
            .unwrap()
            .contains(">9<")
    );
    assert_eq!(town(&first, "luohu"), town(&second, "luohu"));
    let full = preview(&f, &mut pipeline::Session::default()).unwrap();
    assert_eq!(files(&second), files(&full));
}

#[test]
fn a_sheet_decoded_before_at_another_place_points_at_its_own_file() {
    // Xingang's error is found once, then Luohu's sheet goes: Xingang's file is now another in
    // the list of files, and its finding still names it.
    let f = Fixture::new();
    let mut session = pipeline::Session::default();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: ten}");
    assert!(preview(&f, &mut session).is_none());
    f.remove(LUOHU);
    assert!(preview(&f, &mut session).is_none());
    f.edit(XINGANG, "\"1\": {score: ten}", "\"1\": {score: 10}");
    assert!(preview(&f, &mut session).is_some());
}

#[test]
fn town_pages_follow_objections_rectification_and_commits() {
    // The example: earlier rounds, objections, a ledger and a signed history.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    let (code, out, err) = ducha(&["init", "--example", root.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let day = jiff::civil::date(2021, 4, 20);
    let mut session = pipeline::Session::default();
    preview_at(&root, day, &mut session).expect("the example builds");
    let edit = |path: &str, from: &str, to: &str| {
        let path = root.join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    let commit = |message: &str| {
        let repo = git2::Repository::open(&root).unwrap();
        let mut index = repo.index().unwrap();
        index
            .add_all(["content"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let who = git2::Signature::new(
            "叶浩",
            "yehao@example.org",
            &git2::Time::new(1_618_900_000, 480),
        )
        .unwrap();
        let parent = repo.head().unwrap().peel_to_commit().unwrap();
        repo.commit(Some("HEAD"), &who, &who, message, &tree, &[&parent])
            .unwrap();
    };
    // The first edit leaves the tree unlike its commit, which every page's footer says; the
    // edits after it change one town's pages each.
    // A publication tagged on the last commit and dated before the campaign's own: it is the
    // earliest, so the last commit is no longer made after a publication.
    let publish = || {
        let repo = git2::Repository::open(&root).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        let who = git2::Signature::new(
            "叶浩",
            "yehao@example.org",
            &git2::Time::new(1_600_000_000, 480),
        )
        .unwrap();
        let message = "复核后发布\n\nCampaign: 2021-yingjian\n";
        repo.tag("2021-fuhe", head.as_object(), &who, message, false)
            .unwrap();
    };
    let steps: [(&str, &dyn Fn()); 9] = [
        ("a town's summary, uncommitted", &|| {
            edit(
                "content/sheets/liucheng.yaml",
                "summary: ",
                "summary: 复核后：",
            )
        }),
        ("an objection's claim", &|| {
            edit(
                "content/objections/liucheng.yaml",
                "银行回单尚未送达",
                "银行回单尚未送达（已补交）",
            )
        }),
        ("a rectification record's measures", &|| {
            edit(
                "content/rectification/shangguan.yaml",
                "逐户补签《扶贫手册》收入确认页",
                "逐户补签《扶贫手册》收入确认页，并复核",
            )
        }),
        ("the edits committed", &|| commit("复核柳城镇和上莞镇")),
        ("another summary, uncommitted", &|| {
            edit("content/sheets/liucheng.yaml", "summary: ", "summary: 再次")
        }),
        ("the objection decided the other way", &|| {
            edit(
                "content/objections/shangguan.yaml",
                "decision: rejected",
                "decision: accepted",
            )
        }),
        ("a record's measures again", &|| {
            edit(
                "content/rectification/shangguan.yaml",
                "，并复核",
                "，并再次复核",
            )
        }),
        (
            "a score changed and committed after the publication",
            &|| {
                edit(
                    "content/sheets/liucheng.yaml",
                    "\"3\": {score: 3}",
                    "\"3\": {score: 2}",
                );
                commit("柳城镇第 3 项复核后改为 2 分");
            },
        ),
        ("the last commit published under an earlier tag", &publish),
    ];
    for (i, (what, step)) in steps.into_iter().enumerate() {
        step();
        let (next, anew) = counted(&root, day, &mut session).unwrap_or_else(|| panic!("{what}"));
        // A change to one town's files, once the tree differs from its commit, renders its
        // own pages again (its report, and the page listing objections or the ledger), not
        // every page.
        if [1, 2, 5, 6].contains(&i) {
            assert!(
                (1..=3).contains(&anew),
                "{what}: {anew} pages rendered anew"
            );
        }
        let full = preview_at(&root, day, &mut pipeline::Session::default()).unwrap();
        assert_eq!(
            next.pages.keys().collect::<Vec<_>>(),
            full.pages.keys().collect::<Vec<_>>(),
            "{what}"
        );
        for (path, bytes) in full.pages.iter() {
            assert!(
                next.pages[path] == *bytes,
                "{path} differs from a full render after {what}"
            );
        }
    }
}

#[test]
fn a_sheet_known_by_its_stamp_is_read_again_whenever_its_bytes_change() {
    let f = Fixture::new();
    // Stamps are kept only for files that had not changed for a second.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let mut session = pipeline::Session::default();
    let first = preview(&f, &mut session).unwrap();
    // Every sheet is now known by its stamp: unchanged, none is read again.
    let again = preview(&f, &mut session).unwrap();
    assert_eq!(files(&first), files(&again));
    // The same size, and the old modification time put back: only the change time and the
    // bytes differ.
    let path = f.root().join(XINGANG);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9} ");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    let edited = preview(&f, &mut session).unwrap();
    let page = |r: &pipeline::Rendered| {
        String::from_utf8(r.pages["towns/xingang/index.html"].to_vec()).unwrap()
    };
    assert!(page(&edited).contains(">9<"), "{}", page(&edited));
    let full = preview(&f, &mut pipeline::Session::default()).unwrap();
    assert_eq!(files(&edited), files(&full));
    // The sheet swapped for a link to a copy of another town's text is read through the link.
    let copy = f.read(LUOHU).replace("town: luohu", "town: xingang");
    f.write("content/xingang-copy.txt", copy);
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(f.root().join("content/xingang-copy.txt"), &path).unwrap();
    let linked = preview(&f, &mut session);
    let full = preview(&f, &mut pipeline::Session::default());
    assert_eq!(linked.map(|r| files(&r)), full.map(|r| files(&r)));
}

#[test]
fn a_preview_overtaken_by_a_change_leaves_its_data_files_to_the_next() {
    let f = Fixture::new();
    let mut session = pipeline::Session::default();
    let first = preview(&f, &mut session).unwrap();
    assert!(first.whole);
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9}");
    // Another save comes while the pages are being made.
    let (_, overtaken) = pipeline::preview(
        f.root(),
        false,
        Some(day()),
        &mut session,
        &mut |_| {},
        &mut |_| true,
    )
    .unwrap();
    let overtaken = overtaken.unwrap();
    assert!(
        !overtaken.whole,
        "a site without its own data files is never written"
    );
    let page = |r: &pipeline::Rendered| {
        String::from_utf8(r.pages["towns/xingang/index.html"].to_vec()).unwrap()
    };
    assert!(page(&overtaken).contains(">9<"));
    // Until the next preview, the data files are the last site's.
    assert_eq!(
        overtaken.pages["data/ranking.json"],
        first.pages["data/ranking.json"]
    );
    let next = preview(&f, &mut session).unwrap();
    assert!(next.whole);
    assert_ne!(
        next.pages["data/ranking.json"],
        first.pages["data/ranking.json"]
    );
    let full = preview(&f, &mut pipeline::Session::default()).unwrap();
    assert_eq!(files(&next), files(&full));
}

#[test]
fn data_files_stopped_by_an_edit_are_the_last_ones_until_the_next_preview_makes_them() {
    let f = Fixture::new();
    let mut session = pipeline::Session::default();
    let first = preview(&f, &mut session).unwrap();
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9}");
    // Edits pause long enough for the data files to begin, and the next comes while they
    // are made.
    let mut asked = Vec::new();
    let (_, stopped) = pipeline::preview(
        f.root(),
        false,
        Some(day()),
        &mut session,
        &mut |_| {},
        &mut |wait| {
            asked.push(wait);
            wait == pipeline::Wait::Moment
        },
    )
    .unwrap();
    let stopped = stopped.unwrap();
    assert_eq!(asked[0], pipeline::Wait::Pause);
    assert!(asked[1..].iter().all(|w| *w == pipeline::Wait::Moment));
    if asked.len() > 1 {
        // Stopped: nothing of the new data files is kept, and the site is never written.
        assert!(!stopped.whole);
        for (path, bytes) in first.pages.iter() {
            if path.starts_with("data/") || path.ends_with(".docx") {
                assert_eq!(stopped.pages.get(path), Some(bytes), "{path}");
            }
        }
    }
    let next = preview(&f, &mut session).unwrap();
    assert!(next.whole);
    let full = preview(&f, &mut pipeline::Session::default()).unwrap();
    assert_eq!(files(&next), files(&full));
    assert_ne!(
        next.pages["data/ranking.json"],
        first.pages["data/ranking.json"]
    );
}

/// `ducha build` over the site at `out`, as of the fixture's day: how many pages, and how
/// many of them were rendered anew rather than taken from the last site.
fn build_over(f: &Fixture, out: &std::path::Path) -> Option<(usize, usize)> {
    let output = ducha::write::Output::resolve(f.root(), out).expect("the folder is allowed");
    let build = pipeline::build(f.root(), &output, false, Some(day()), &[]).expect("it builds");
    let site = build.site?;
    Some((
        site.pages,
        site.rendered.expect("a build counts what it rendered"),
    ))
}

/// The site a build writes into an empty folder, as of the fixture's day.
fn fresh_build(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let out = f.root().join("fresh");
    if out.exists() {
        std::fs::remove_dir_all(&out).unwrap();
    }
    let (pages, anew) = build_over(f, &out).expect("the content builds");
    assert_eq!(
        anew, pages,
        "a build into an empty folder renders every page"
    );
    tree(&out)
}

#[test]
fn a_build_over_its_last_site_renders_only_what_changed_and_writes_a_fresh_builds_bytes() {
    let f = Fixture::new();
    let out = f.root().join("site");
    let (pages, anew) = build_over(&f, &out).unwrap();
    assert_eq!(anew, pages, "the first build renders every page");
    assert_eq!(build_over(&f, &out), Some((pages, 0)), "nothing changed");
    // A town's score: its page, the ranking and the pages that show them are rendered again,
    // the other towns' pages are not.
    f.edit(XINGANG, "\"1\": {score: 10}", "\"1\": {score: 9}");
    let (pages, anew) = build_over(&f, &out).unwrap();
    assert!(anew > 0 && anew < pages, "{anew} of {pages} rendered");
    assert_eq!(tree(&out), fresh_build(&f));
    let mut r = Random(7);
    let mut done = Vec::new();
    for step in 0..14 {
        done.push(edit(&f, &mut r, step));
        if build_over(&f, &out).is_none() {
            continue;
        }
        let (over, fresh) = (tree(&out), fresh_build(&f));
        assert_eq!(
            over.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>(),
            "after {done:?}"
        );
        for (path, bytes) in &fresh {
            assert!(over[path] == *bytes, "{path} differs after {done:?}");
        }
    }
}

#[test]
fn a_page_of_the_last_site_that_is_not_as_written_is_rendered_again() {
    let f = Fixture::new();
    let out = f.root().join("site");
    let (pages, _) = build_over(&f, &out).unwrap();
    let expected = fresh_build(&f);
    // A page edited in place, with its size kept.
    let page = out.join("towns/luohu/index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("<main", "<mian", 1)).unwrap();
    assert_eq!(build_over(&f, &out), Some((pages, 1)));
    assert_eq!(tree(&out), expected);
    // A page swapped for a link to a file outside with the page's own bytes.
    let outside = f.root().join("copy.html");
    std::fs::write(&outside, &expected["towns/luohu/index.html"]).unwrap();
    std::fs::remove_file(&page).unwrap();
    std::os::unix::fs::symlink(&outside, &page).unwrap();
    assert_eq!(build_over(&f, &out), Some((pages, 1)));
    assert!(!std::fs::symlink_metadata(&page).unwrap().is_symlink());
    assert_eq!(tree(&out), expected);
    // What the last build kept of its views, unreadable or from another theme: every page.
    let views = out.join(ducha::write::VIEWS);
    std::fs::write(&views, "ducha-views 1 zz\n").unwrap();
    assert_eq!(build_over(&f, &out), Some((pages, pages)));
    assert_eq!(tree(&out), expected);
    let town = include_str!("../themes/default/templates/town.html");
    f.write(
        "themes/default/templates/town.html",
        town.replace(
            "<article class=\"report\">",
            "<article class=\"report town\">",
        ),
    );
    let (_, anew) = build_over(&f, &out).unwrap();
    assert_eq!(anew, pages, "a theme changed: every page");
    assert_eq!(tree(&out), fresh_build(&f));
}

#[test]
fn the_site_a_build_replaces_is_removed_by_a_process_of_its_own_and_nothing_else_is() {
    let f = Fixture::new();
    let root = f.root().to_str().unwrap();
    for _ in 0..3 {
        let (code, stdout, stderr) = ducha(&["--root", root, "build"]);
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    assert_eq!(names_settled(f.root(), ".site"), Vec::<String>::new());
    let fresh = f.root().join("fresh");
    let out = fresh.to_str().unwrap();
    let (code, stdout, stderr) = ducha(&["--root", root, "build", "--out", out]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (site, fresh) = (tree(&f.root().join("site")), tree(&fresh));
    assert_eq!(
        site.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        assert!(site[path] == *bytes, "{path} differs from a fresh build");
    }
    // Only a folder named as a build names the site it replaces, and marked as ducha's, is
    // ever removed that way.
    let theirs = f.root().join(".site.new-12");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), "mine").unwrap();
    let marked = f.root().join("kept");
    std::fs::create_dir(&marked).unwrap();
    std::fs::write(marked.join(ducha::write::MARKER), "").unwrap();
    for folder in [&theirs, &marked] {
        let path = folder.to_str().unwrap();
        let (code, _, _) = ducha_env(&[(ducha::write::RETIRED, path)], &["check"]);
        assert_eq!(code, 2, "{path}");
    }
    assert!(theirs.join("notes.txt").exists());
    assert!(marked.join(ducha::write::MARKER).exists());
}
