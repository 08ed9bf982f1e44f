//! Writes a synthetic campaign in ducha's formats (see `campaign.rs`), of any size, for
//! benchmarks:
//!
//!     cargo run --release --example corpus -- --towns 40000 --out /tmp/c40k [--items 30]
//!         [--groups N] [--commits N] [--signed] [--hugo DIR]
//!
//! With `--commits N` the folder becomes a git repository of N commits by the groups' members;
//! with `--signed` too, each commit is signed with its author's SSH key, the keys are listed in
//! groups.yaml and campaign.yaml, and the campaign requires signed commits.
//! With `--hugo DIR` it also writes the same data as a Hugo site that renders the same
//! pages, for comparison.

use std::path::{Path, PathBuf};

use git2::{IndexAddOption, Repository, Signature, Time};

mod campaign;

use campaign::{Campaign, Item, Rng, half, write, write_campaign};

struct Options {
    towns: usize,
    items: usize,
    groups: usize,
    commits: usize,
    signed: bool,
    out: PathBuf,
    hugo: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        towns: 21,
        items: 30,
        groups: 0,
        commits: 0,
        signed: false,
        out: PathBuf::from("corpus"),
        hugo: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--signed" {
            o.signed = true;
            i += 1;
            continue;
        }
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

fn main() {
    let o = options();
    let Campaign {
        items,
        sheets: texts,
        mut rng,
    } = write_campaign(&o.out, o.towns, o.items, o.groups);
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
    if o.signed {
        list_keys(&o.out);
    }
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
        if !o.signed {
            repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
                .expect("commit");
            return;
        }
        let buffer = repo
            .commit_create_buffer(&who, &who, message, &tree, &parents)
            .expect("commit");
        let text = buffer.as_str().expect("commit text");
        let signature = ducha::history::sign(&key_of(email), text).expect("signing");
        let id = repo
            .commit_signed(text, &signature, None)
            .expect("signed commit");
        let branch = repo
            .find_reference("HEAD")
            .ok()
            .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
            .unwrap_or_else(|| "refs/heads/master".to_string());
        repo.reference(&branch, id, true, message).expect("branch");
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

/// The SSH key of the person committing as `email`, the same on every run.
fn key_of(email: &str) -> ssh_key::PrivateKey {
    use ssh_key::sha2::{Digest, Sha256};
    let seed: [u8; 32] = Sha256::digest(format!("corpus key\0{email}")).into();
    ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&seed))
}

/// Lists each person's key after their `git:` address, and requires signed commits.
fn list_keys(out: &Path) {
    for file in ["content/campaign.yaml", "content/groups.yaml"] {
        let path = out.join(file);
        let text = std::fs::read_to_string(&path).expect("reading");
        let mut keyed = String::new();
        for line in text.split_inclusive('\n') {
            match line.find("git: ") {
                Some(at) => {
                    let start = at + "git: ".len();
                    let end = start + line[start..].find('}').expect("a flow mapping");
                    let key = key_of(&line[start..end])
                        .public_key()
                        .to_openssh()
                        .expect("key");
                    keyed.push_str(&format!(
                        "{}, keys: [\"{key}\"]{}",
                        &line[..end],
                        &line[end..]
                    ));
                }
                None => keyed.push_str(line),
            }
        }
        if file.ends_with("campaign.yaml") {
            keyed.push_str("audit: {require_signed: true}\n");
        }
        write(&path, &keyed);
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
