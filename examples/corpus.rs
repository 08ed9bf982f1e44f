//! Writes a synthetic campaign in ducha's formats, of any size, for benchmarks:
//!
//!     cargo run --release --example corpus -- --towns 40000 --out /tmp/c40k [--items 30]
//!         [--groups N] [--commits N] [--hugo DIR]
//!
//! Towns are scored pseudo-randomly (the same sizes write the same files), in every entry
//! form: scores, deductions with reasons and evidence notes, criteria, not assessed. With
//! `--commits N` the folder becomes a git repository of N commits by the groups' members.
//! With `--hugo DIR` it also writes the same data as a Hugo site that renders the same
//! pages, for comparison.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use git2::{IndexAddOption, Repository, Signature, Time};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Options {
    towns: usize,
    items: usize,
    groups: usize,
    commits: usize,
    out: PathBuf,
    hugo: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        towns: 21,
        items: 30,
        groups: 0,
        commits: 0,
        out: PathBuf::from("corpus"),
        hugo: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--towns" => o.towns = value.parse().expect("--towns N"),
            "--items" => o.items = value.parse().expect("--items N"),
            "--groups" => o.groups = value.parse().expect("--groups N"),
            "--commits" => o.commits = value.parse().expect("--commits N"),
            "--out" => o.out = PathBuf::from(value),
            "--hugo" => o.hugo = Some(PathBuf::from(value)),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    if o.groups == 0 {
        o.groups = o.towns.div_ceil(7).max(1);
    }
    o
}

/// Item points in halves: every item is worth 1 to 8 points, the last one makes the total 100.
struct Item {
    id: String,
    halves: u64,
    criteria: Vec<u64>,
    conditional: bool,
}

fn rubric(items: usize, rng: &mut Rng) -> Vec<Item> {
    let items = items.clamp(2, 190);
    let mut out = Vec::new();
    let mut left: u64 = 200;
    for i in 0..items {
        let remaining = (items - i) as u64;
        let halves = if remaining == 1 {
            left
        } else {
            (2 + rng.below(6)).min(left - (remaining - 1))
        };
        left -= halves;
        let criteria = if halves >= 4 && i % 5 == 4 {
            vec![halves / 2, halves - halves / 2]
        } else {
            Vec::new()
        };
        out.push(Item {
            id: (i + 1).to_string(),
            halves,
            criteria,
            conditional: i == 1,
        });
    }
    out
}

fn half(h: u64) -> String {
    if h % 2 == 0 {
        (h / 2).to_string()
    } else {
        format!("{}.5", h / 2)
    }
}

const REASONS: [&str; 6] = [
    "抽查 10 户，1 户缺饮水安全检测报告",
    "台账未按月更新，缺 2 个月记录",
    "会议记录缺少签到表",
    "公示栏内容未更新",
    "资金使用台账未按项目分列",
    "村道沿线有积存垃圾",
];

fn sheet(
    slug: &str,
    group: usize,
    items: &[Item],
    poor: bool,
    rng: &mut Rng,
    signer: &str,
) -> String {
    let mut s = format!(
        "town: {slug}\ngroup: g{group}\nstatus: final\nvisited: [2020-03-0{}]\nscores:\n",
        1 + rng.below(5)
    );
    for item in items {
        let id = &item.id;
        if item.conditional && !poor {
            let _ = writeln!(s, "  \"{id}\": {{not_assessed: 本镇无贫困村}}");
            continue;
        }
        if !item.criteria.is_empty() {
            let parts: Vec<String> = item
                .criteria
                .iter()
                .enumerate()
                .map(|(k, h)| format!("c{k}: {}", half(h - rng.below(2).min(*h))))
                .collect();
            let _ = writeln!(s, "  \"{id}\": {{criteria: {{{}}}}}", parts.join(", "));
            continue;
        }
        match rng.below(4) {
            0 => {
                let lost = 1 + rng.below(item.halves.min(3));
                let _ = writeln!(
                    s,
                    "  \"{id}\":\n    deductions:\n      - points: {}\n        reason: {}\n    note: |\n      抽查记录见附件，**已当面反馈**。",
                    half(lost),
                    REASONS[rng.below(6) as usize]
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "  \"{id}\": {{score: {}}}",
                    half(item.halves - rng.below(2))
                );
            }
        }
    }
    let _ = write!(
        s,
        "summary: |\n  总体较好，个别项目台账不全。\nsignoff:\n  leader: 组长{group}\n  members: [{signer}]\n  date: 2020-03-06\n"
    );
    s
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("creating a folder");
    }
    std::fs::write(path, text).expect("writing a file");
}

fn main() {
    let o = options();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ o.towns as u64);
    let items = rubric(o.items, &mut rng);
    let content = o.out.join("content");
    write(
        &content.join("campaign.yaml"),
        "id: synthetic\ntitle: 合成督查\nissuer: 合成县委办公室\nissued: 2020-02-29\ninspection: {start: 2020-03-01, end: 2020-03-05}\nreview_deadline: 2020-03-06\ntimezone: Asia/Shanghai\nlanguage: zh-CN\nsample: true\nscoring: {step: 0.5, not_assessed: rescale}\nconsequences:\n  - {bottom: 3, actions: [全县通报批评, 下达专项督办通知], deadline_days: 15}\noffice:\n  - {name: 督查室, git: office@example.org}\n",
    );
    let mut r = String::from("total: 100\nsections:\n");
    let half_way = items.len() / 2;
    for (k, chunk) in [&items[..half_way], &items[half_way..]].iter().enumerate() {
        let _ = write!(
            r,
            "  - id: s{k}\n    title: 第{}方面\n    parts:\n      - title: 部分\n        items:\n",
            k + 1
        );
        for item in chunk.iter() {
            let _ = write!(
                r,
                "          - id: \"{}\"\n            category: 内容{}\n            indicator: 指标{}\n            requirement: 按要求落实，台账齐全。\n            points: {}\n",
                item.id,
                item.id,
                item.id,
                half(item.halves)
            );
            if item.conditional {
                r.push_str("            assessed_if: poor\n");
            }
            if !item.criteria.is_empty() {
                r.push_str("            criteria:\n");
                for (c, h) in item.criteria.iter().enumerate() {
                    let _ = writeln!(
                        r,
                        "              - {{id: c{c}, text: 细则{c}, points: {}}}",
                        half(*h)
                    );
                }
            }
        }
    }
    write(&content.join("rubric.yaml"), &r);
    let mut towns = String::new();
    let mut groups = vec![Vec::new(); o.groups];
    for t in 0..o.towns {
        let poor = t % 3 != 0;
        let _ = writeln!(
            towns,
            "- {{name: 乡镇{t}, slug: t{t}, attributes: {{poor: {}}}}}",
            u8::from(poor)
        );
        groups[t % o.groups].push(t);
    }
    write(&content.join("towns.yaml"), &towns);
    let mut g = String::new();
    for (i, members) in groups.iter().enumerate() {
        let slugs: Vec<String> = members.iter().map(|t| format!("t{t}")).collect();
        let _ = write!(
            g,
            "- id: g{i}\n  name: 第{i}小组\n  leader: {{name: 组长{i}, git: leader{i}@example.org}}\n  members:\n    - {{name: 成员{i}a, git: m{i}a@example.org}}\n    - {{name: 成员{i}b, git: m{i}b@example.org}}\n  towns: [{}]\n",
            slugs.join(", ")
        );
    }
    write(&content.join("groups.yaml"), &g);
    let mut texts = Vec::with_capacity(o.towns);
    for t in 0..o.towns {
        let group = t % o.groups;
        let text = sheet(
            &format!("t{t}"),
            group,
            &items,
            t % 3 != 0,
            &mut rng,
            &format!("成员{group}a"),
        );
        write(&content.join(format!("sheets/t{t}.yaml")), &text);
        texts.push(text);
    }
    if o.commits > 0 {
        history(&o, &items, &mut rng);
    }
    if let Some(hugo) = &o.hugo {
        hugo_site(hugo, &o, &texts);
    }
    eprintln!(
        "wrote {} towns, {} groups, {} items{} into {}",
        o.towns,
        o.groups,
        items.len(),
        if o.commits > 0 {
            format!(", {} commits", o.commits)
        } else {
            String::new()
        },
        o.out.display()
    );
}

/// A repository whose first commit holds the campaign, and whose later commits each change one
/// score of one town, by a member of its group, a day apart within the inspection.
fn history(o: &Options, items: &[Item], rng: &mut Rng) {
    let repo = Repository::init(&o.out).expect("git init");
    let commit = |message: &str, name: &str, email: &str, when: i64| {
        let mut index = repo.index().expect("index");
        index
            .add_all(["content"], IndexAddOption::DEFAULT, None)
            .expect("git add");
        index.write().expect("index");
        let tree = repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let who = Signature::new(name, email, &Time::new(when, 480)).expect("signature");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
            .expect("commit");
    };
    let start = 1_583_020_800; // 2020-03-01 08:00 in Beijing
    commit("campaign", "督查室", "office@example.org", start - 86_400);
    let plain: Vec<&Item> = items
        .iter()
        .filter(|i| i.criteria.is_empty() && !i.conditional)
        .collect();
    for c in 1..o.commits {
        let t = rng.below(o.towns as u64) as usize;
        let group = t % o.groups;
        let path = o.out.join(format!("content/sheets/t{t}.yaml"));
        let text = std::fs::read_to_string(&path).expect("reading a sheet");
        let item = plain[rng.below(plain.len() as u64) as usize];
        let key = format!("  \"{}\": {{score: ", item.id);
        let changed = match text.find(&key) {
            Some(at) => {
                let end = text[at..].find('}').map_or(text.len(), |e| at + e);
                format!(
                    "{}{key}{}{}",
                    &text[..at],
                    half(item.halves - rng.below(3).min(item.halves)),
                    &text[end..]
                )
            }
            None => text.replace("总体较好", &format!("总体较好（第 {c} 次复核）")),
        };
        write(&path, &changed);
        let when = start + (c as i64 * 345_600 / o.commits.max(1) as i64);
        commit(
            &format!("t{t} 第 {} 项复核", item.id),
            &format!("成员{group}a"),
            &format!("m{group}a@example.org"),
            when,
        );
    }
}

/// The same data for Hugo: each sheet as a data file, a content page per town, and templates
/// that render the ranking, town pages and group pages.
fn hugo_site(dir: &Path, o: &Options, texts: &[String]) {
    write(
        &dir.join("hugo.toml"),
        "baseURL = '/'\ntitle = 'synthetic'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', '404']\n",
    );
    for (t, text) in texts.iter().enumerate() {
        write(&dir.join(format!("data/sheets/t{t}.yaml")), text);
        write(
            &dir.join(format!("content/towns/t{t}.md")),
            &format!("---\ntitle: 乡镇{t}\nslug: t{t}\n---\n"),
        );
    }
    for g in 0..o.groups {
        let towns: Vec<String> = (g..o.towns)
            .step_by(o.groups)
            .map(|t| format!("t{t}"))
            .collect();
        write(
            &dir.join(format!("content/groups/g{g}.md")),
            &format!(
                "---\ntitle: 第{g}小组\ntowns: [{}]\n---\n",
                towns.join(", ")
            ),
        );
    }
    write(
        &dir.join("layouts/_default/baseof.html"),
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    );
    write(
        &dir.join("layouts/index.html"),
        "{{ define \"main\" }}<table>{{ range $slug, $s := .Site.Data.sheets }}{{ $total := 0.0 }}{{ range $id, $e := $s.scores }}{{ with $e.score }}{{ $total = add $total . }}{{ end }}{{ end }}<tr><td><a href=\"towns/{{ $slug }}/\">{{ $s.town }}</a></td><td>{{ $s.group }}</td><td>{{ $total }}</td></tr>{{ end }}</table>{{ end }}\n",
    );
    write(
        &dir.join("layouts/towns/single.html"),
        "{{ define \"main\" }}{{ $s := index .Site.Data.sheets .Params.slug }}<h1>{{ .Title }}</h1><table>{{ range $id, $e := $s.scores }}<tr><td>{{ $id }}</td><td>{{ $e.score }}</td><td>{{ range $e.deductions }}{{ .points }} {{ .reason }}{{ end }}</td><td>{{ with $e.note }}{{ . | markdownify }}{{ end }}</td></tr>{{ end }}</table>{{ $s.summary | markdownify }}{{ end }}\n",
    );
    write(
        &dir.join("layouts/groups/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Params.towns }}{{ $s := index site.Data.sheets . }}<li><a href=\"../../towns/{{ . }}/\">{{ $s.town }}</a> {{ $s.status }}</li>{{ end }}</ul>{{ end }}\n",
    );
    write(
        &dir.join("layouts/_default/list.html"),
        "{{ define \"main\" }}{{ .Title }}{{ end }}\n",
    );
}
