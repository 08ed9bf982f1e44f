//! New campaign repositories: an empty one for an office to fill in, or the example with the
//! history of an inspection.

use std::path::Path;

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, Time};
use ssh_key::private::Ed25519Keypair;
use ssh_key::sha2::{Digest, Sha256};
use ssh_key::{LineEnding, PrivateKey};

use crate::cli::Forge;
use crate::model::{Group, Person, Status};
use crate::problem::{Context, Problem, Result};

fn example_text(path: &str) -> Result<String> {
    let (_, bytes) = crate::example::files()
        .iter()
        .find(|(p, _)| *p == path)
        .with_context(|| Problem::Example(path.to_string()))?;
    String::from_utf8(bytes.to_vec())
        .ok()
        .with_context(|| Problem::Example(path.to_string()))
}

/// Refuses a folder that exists and is not empty: `init` never writes over anything.
fn ensure_empty(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Problem::InitNotAFolder(dir.to_path_buf()).into());
        }
        let empty = std::fs::read_dir(dir)
            .with_context(|| Problem::Reading(dir.to_path_buf()))?
            .next()
            .is_none();
        if !empty {
            return Err(Problem::InitNotEmpty(dir.to_path_buf()).into());
        }
    }
    std::fs::create_dir_all(dir).with_context(|| Problem::Creating(dir.to_path_buf()))
}

/// Seconds since 1970 of a time in China (UTC+8), which is where the campaign happens.
fn beijing(date: &str, time: &str) -> Result<i64> {
    let stamp = format!("{date}T{time}:00+08:00");
    let ts: jiff::Timestamp = stamp
        .parse()
        .with_context(|| Problem::Example(stamp.clone()))?;
    Ok(ts.as_second())
}

struct Story {
    repo: Repository,
    dir: std::path::PathBuf,
}

/// The example's signing key of the person committing as `email`: the same on every run, so
/// that the example repository is the same too.
fn example_key(email: &str) -> PrivateKey {
    let seed: [u8; 32] = Sha256::digest(format!("ducha example key\0{email}")).into();
    let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    key.set_comment(format!("{email} (ducha example key)"));
    key
}

/// What `.keys/README.txt` says of the keys beside it.
const KEYS_README: &str =
    "示例密钥：仅供 ducha 示例演示签名提交之用，私钥随示例公开，切勿用于真实工作。
EXAMPLE KEYS: they only show how ducha verifies signed commits; the private keys are public
with the example. Never sign real work with them.

git -c gpg.format=ssh -c user.signingkey=.keys/NAME -c commit.gpgsign=true commit …
";

/// Adds each person's example key to the people of a content file: after `git: EMAIL`, a
/// `keys: [...]` with the key of that address.
fn with_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    while let Some(at) = rest.find("git: ") {
        let start = at + "git: ".len();
        let end = rest[start..]
            .find(['}', ',', '\n', ' '])
            .map_or(rest.len(), |e| start + e);
        let email = &rest[start..end];
        out.push_str(&rest[..end]);
        if rest[end..].starts_with('}')
            && let Ok(line) = example_key(email).public_key().to_openssh()
        {
            out.push_str(&format!(", keys: [\"{line}\"]"));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

impl Story {
    /// Writes a file of the story; content files get the line that points editors at their
    /// schema.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let file = self.dir.join(path);
        let modeline = match path.strip_prefix("content/") {
            Some(name) if name.starts_with("sheets/") => {
                Some(crate::schema::modeline("sheet.schema.json", 2))
            }
            Some(name) if name.starts_with("objections/") => {
                Some(crate::schema::modeline("objections.schema.json", 2))
            }
            Some(name) if name.starts_with("rectification/") => {
                Some(crate::schema::modeline("rectification.schema.json", 2))
            }
            Some(name) if name.ends_with(".yaml") && !name.contains('/') => Some(
                crate::schema::modeline(&name.replace(".yaml", ".schema.json"), 1),
            ),
            _ => None,
        };
        let mut bytes = bytes.to_vec();
        if let Some(line) = modeline
            && !bytes.starts_with(line.as_bytes())
        {
            bytes.splice(0..0, line.into_bytes());
        }
        let bytes = bytes.as_slice();
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| Problem::Creating(parent.to_path_buf()))?;
        }
        std::fs::write(&file, bytes).with_context(|| Problem::Writing(file.clone()))
    }

    /// Tags the last commit as `name`, by `tagger <email>` with `message`: a published round.
    fn tag(&self, name: &str, tagger: &str, email: &str, when: i64, message: &str) -> Result<()> {
        let tagging = || Problem::Committing(message.to_string());
        let head = self
            .repo
            .head()
            .and_then(|h| h.peel(git2::ObjectType::Commit))
            .with_context(tagging)?;
        let who = Signature::new(tagger, email, &Time::new(when, 480)).with_context(tagging)?;
        self.repo
            .tag(name, &head, &who, message, false)
            .with_context(tagging)?;
        Ok(())
    }

    /// Commits the work tree as `person`, signed with the example key of their e-mail.
    fn commit_by(&self, person: &Person, when: i64, message: &str) -> Result<()> {
        self.commit(&person.name.value, &email_of(person), when, message)
    }

    /// Commits the work tree as `name <email>`, signed with the example key of `email`.
    fn commit(&self, name: &str, email: &str, when: i64, message: &str) -> Result<()> {
        self.commit_as(name, email, when, message, true)
    }

    fn commit_as(
        &self,
        name: &str,
        email: &str,
        when: i64,
        message: &str,
        signed: bool,
    ) -> Result<()> {
        let committing = || Problem::Committing(message.to_string());
        let mut index = self.repo.index().with_context(committing)?;
        index
            .add_all(["*"], IndexAddOption::DEFAULT, None)
            .with_context(committing)?;
        index.write().with_context(committing)?;
        let tree = index.write_tree().with_context(committing)?;
        let tree = self.repo.find_tree(tree).with_context(committing)?;
        let who = Signature::new(name, email, &Time::new(when, 480)).with_context(committing)?;
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        if !signed {
            self.repo
                .commit(Some("HEAD"), &who, &who, message, &tree, &parents)
                .with_context(committing)?;
            return Ok(());
        }
        let buffer = self
            .repo
            .commit_create_buffer(&who, &who, message, &tree, &parents)
            .with_context(committing)?;
        let text = buffer.as_str().with_context(committing)?;
        let signature = crate::history::sign(&example_key(email), text).with_context(committing)?;
        let id = self
            .repo
            .commit_signed(text, &signature, None)
            .with_context(committing)?;
        self.repo
            .reference("refs/heads/main", id, true, message)
            .with_context(committing)?;
        Ok(())
    }
}

/// The files of a new campaign repository, by path.
const TEMPLATE: &[(&str, &str)] = &[
    (
        "content/campaign.yaml",
        include_str!("template/campaign.yaml"),
    ),
    ("content/rubric.yaml", include_str!("template/rubric.yaml")),
    ("content/towns.yaml", include_str!("template/towns.yaml")),
    ("content/groups.yaml", include_str!("template/groups.yaml")),
    ("README.md", include_str!("template/README.md")),
    (
        "deploy/nginx.conf",
        include_str!("template/deploy/nginx.conf"),
    ),
    (".gitignore", "/site\n"),
    (
        ".vscode/extensions.json",
        "{\n  \"recommendations\": [\"redhat.vscode-yaml\"]\n}\n",
    ),
];

/// The CI pipeline for a forge: where it goes in the repository, and its text. Each checks
/// every push and merge (pull) request with the forge's annotations, comments with `ducha diff`,
/// and builds the site as an artifact.
pub fn pipeline(forge: Forge) -> (&'static str, &'static str) {
    match forge {
        Forge::Github => (
            ".github/workflows/ducha.yml",
            include_str!("template/ci/github.yml"),
        ),
        Forge::Gitea => (
            ".gitea/workflows/ducha.yml",
            include_str!("template/ci/gitea.yml"),
        ),
        Forge::Gitlab => (".gitlab-ci.yml", include_str!("template/ci/gitlab.yml")),
    }
}

/// Whether `dir` is a campaign repository already: it has `content/campaign.yaml`.
pub fn is_campaign(dir: &Path) -> bool {
    dir.join("content/campaign.yaml").is_file()
}

/// Adds the CI pipeline for `forge` to the campaign repository `dir`, never over a file;
/// returns its path in the repository.
pub fn add_pipeline(dir: &Path, forge: Forge) -> Result<&'static str> {
    let (path, text) = pipeline(forge);
    let file = dir.join(path);
    if file.symlink_metadata().is_ok() {
        return Err(Problem::PipelineExists(file).into());
    }
    // A folder on the way that is a link out of the repository is refused before anything is
    // made through it.
    let mut folder = dir.to_path_buf();
    for part in Path::new(path)
        .parent()
        .into_iter()
        .flat_map(Path::components)
    {
        folder.push(part);
        if folder.symlink_metadata().is_ok() {
            crate::app::in_repository(dir, &folder)?;
        }
    }
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).with_context(|| Problem::Creating(parent.to_path_buf()))?;
    }
    std::fs::write(&file, text).with_context(|| Problem::Writing(file.clone()))?;
    Ok(path)
}

/// Writes a new campaign repository into `dir`: the content files with commented examples,
/// a README for the office, the CI pipeline for `forge`, the editor schemas, and `git init`.
pub fn empty(dir: &Path, forge: Forge) -> Result<()> {
    ensure_empty(dir)?;
    add_pipeline(dir, forge)?;
    for (path, text) in TEMPLATE {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| Problem::Creating(parent.to_path_buf()))?;
        }
        std::fs::write(&file, text).with_context(|| Problem::Writing(file.clone()))?;
    }
    for folder in ["content/sheets", "content/evidence"] {
        let folder = dir.join(folder);
        std::fs::create_dir_all(&folder).with_context(|| Problem::Creating(folder.clone()))?;
    }
    let loaded = crate::load::load(dir)?;
    crate::schema::write(&loaded.content, &dir.join("schemas"))?;
    let mut options = RepositoryInitOptions::new();
    options.initial_head("main");
    Repository::init_opts(dir, &options)
        .with_context(|| Problem::CreatingRepository(dir.to_path_buf()))?;
    Ok(())
}

/// Writes each committer's example key pair into `.keys/`, named by the e-mail's local part,
/// with a README that says what they are.
fn write_keys(dir: &Path, content: &crate::model::Content) -> Result<()> {
    let keys = dir.join(".keys");
    std::fs::create_dir_all(&keys).with_context(|| Problem::Creating(keys.clone()))?;
    let write = |name: &str, text: &str| {
        let file = keys.join(name);
        std::fs::write(&file, text).with_context(|| Problem::Writing(file.clone()))
    };
    write("README.txt", KEYS_README)?;
    let mut emails: Vec<&str> = content
        .people()
        .filter_map(|p| p.git.as_ref().map(|g| g.value.as_str()))
        .collect();
    emails.sort_unstable();
    emails.dedup();
    for email in emails {
        let local = email.split('@').next().unwrap_or(email);
        let name: String = local
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let name = name.as_str();
        let key = example_key(email);
        let private = key
            .to_openssh(LineEnding::LF)
            .ok()
            .with_context(|| Problem::Example(format!(".keys/{name}")))?;
        let public = key
            .public_key()
            .to_openssh()
            .ok()
            .with_context(|| Problem::Example(format!(".keys/{name}.pub")))?;
        write(name, &private)?;
        write(&format!("{name}.pub"), &format!("{public}\n"))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = keys.join(name);
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                .with_context(|| Problem::Writing(file.clone()))?;
        }
    }
    Ok(())
}

/// A sheet as its group first commits it: a draft, not yet signed.
fn draft(final_text: &str) -> String {
    let body = match final_text.find("\nsignoff:") {
        Some(i) => &final_text[..=i],
        None => final_text,
    };
    body.replacen("status: final", "status: draft", 1)
}

fn replace_once(text: &str, from: &str, to: &str, file: &str) -> Result<String> {
    if !text.contains(from) {
        return Err(Problem::Example(file.to_string()).into());
    }
    Ok(text.replacen(from, to, 1))
}

/// The e-mail a person commits with; empty for one without.
fn email_of(person: &Person) -> String {
    person
        .git
        .as_ref()
        .map_or(String::new(), |g| g.value.clone())
}

/// The tag of the example's first round, which the second names as `previous`.
const ROUND_2020: &str = "2020-yingjian";

/// Writes the example campaign into `dir` as a git repository whose commits tell how the
/// inspection went: set-up by the office, sheets filled in by the groups over 1–5 March, one
/// edit by someone outside the group, sign-off by the leaders on the 6th, and one correction
/// after the review deadline; the round tagged, then the next year's round on top of it.
pub fn example(dir: &Path, forge: Option<Forge>) -> Result<()> {
    ensure_empty(dir)?;
    let mut options = RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = Repository::init_opts(dir, &options)
        .with_context(|| Problem::CreatingRepository(dir.to_path_buf()))?;
    let story = Story {
        repo,
        dir: dir.to_path_buf(),
    };

    // The project's own copy is not audited; this one is, and its commits are signed.
    let mut campaign = example_text("campaign.yaml")?;
    if let Some(i) = campaign.find("# This repository's git history") {
        campaign.truncate(i);
    }
    campaign.push_str(
        "# Every change to a sheet must be in a commit signed with the key of someone allowed to\n\
         # make it (the keys below and in groups.yaml; the private keys are in .keys/).\n\
         audit: {require_signed: true}\n",
    );
    story.write(".gitignore", b"/site\n/.keys/\n")?;
    if let Some(forge) = forge {
        let (path, text) = pipeline(forge);
        story.write(path, text.as_bytes())?;
    }
    story.write("content/campaign.yaml", with_keys(&campaign).as_bytes())?;
    for file in ["rubric.yaml", "towns.yaml"] {
        story.write(&format!("content/{file}"), example_text(file)?.as_bytes())?;
    }
    story.write(
        "content/groups.yaml",
        with_keys(&example_text("groups.yaml")?).as_bytes(),
    )?;
    let loaded = crate::load::load(dir)?;
    crate::schema::write(&loaded.content, &dir.join("schemas"))?;
    write_keys(dir, &loaded.content)?;
    story.commit(
        "叶浩",
        "yehao@example.org",
        beijing("2020-02-29", "17:30")?,
        "建立专项督查：督查通知、评分表、乡镇名单和督查小组\n\n依据县委办公室 2020 年 2 月 29 日通知。评分表原件部分单元格缺失，按通知附件重建，见 rubric.yaml 开头说明。",
    )?;

    let towns = loaded.content.towns.clone().unwrap_or_default();
    let groups = loaded.content.groups.clone().unwrap_or_default();
    let by_town = loaded.content.group_of_towns();
    let group_of = |slug: &str| -> Option<&Group> { by_town.get(slug).copied() };

    // The final sheets, and what each group committed first.
    let mut sheets = Vec::new();
    for town in &towns {
        let slug = &town.slug.value;
        let path = format!("sheets/{slug}.yaml");
        let mut text = example_text(&path)?;
        let sheet = crate::history::parse_sheet(text.as_bytes(), slug)
            .with_context(|| Problem::Example(path.clone()))?;
        if slug == "xiantang" {
            // The edit by someone outside the group, which the leader then signs without noticing.
            text = replace_once(&text, "\"13\": {score: 3}", "\"13\": {score: 2.5}", &path)?;
        }
        let last_visit = sheet
            .visited
            .iter()
            .map(|d| d.value)
            .max()
            .map_or_else(|| "2020-03-05".to_string(), |d| d.to_string());
        sheets.push((
            slug.clone(),
            town.name.value.clone(),
            text,
            last_visit,
            sheet.status.value,
        ));
    }
    let mut order: Vec<usize> = (0..sheets.len()).collect();
    order.sort_by(|a, b| sheets[*a].3.cmp(&sheets[*b].3).then(a.cmp(b)));
    let mut turn = std::collections::HashMap::new();
    for (n, &i) in order.iter().enumerate() {
        let (slug, name, text, day, _) = &sheets[i];
        let Some(group) = group_of(slug) else {
            continue;
        };
        let writers: Vec<_> = group.members.iter().filter(|p| p.git.is_some()).collect();
        let k: &mut usize = turn.entry(group.id.value.clone()).or_insert(0);
        let Some(writer) = writers.get(*k % writers.len().max(1)) else {
            continue;
        };
        *k += 1;
        let first_draft = if slug == "xiantang" {
            // Committed as the group wrote it; the outside edit comes later.
            draft(&example_text(&format!("sheets/{slug}.yaml"))?)
        } else {
            draft(text)
        };
        story.write(
            &format!("content/sheets/{slug}.yaml"),
            first_draft.as_bytes(),
        )?;
        for (path, bytes) in crate::example::files() {
            if path.starts_with(&format!("evidence/{slug}/")) {
                story.write(&format!("content/{path}"), bytes)?;
            }
        }
        let minute = 10 + (n % 45);
        story.commit_as(
            &writer.name.value,
            &email_of(writer),
            beijing(day, &format!("19:{minute:02}"))?,
            &format!("{name}：现场督查评分，待组长审核"),
            // One member forgets to sign: the audit flags the change.
            slug != "luohu",
        )?;
    }

    let xiantang = sheets
        .iter()
        .find(|s| s.0 == "xiantang")
        .with_context(|| Problem::Example("sheets/xiantang.yaml".into()))?;
    story.write(
        "content/sheets/xiantang.yaml",
        draft(&xiantang.2).as_bytes(),
    )?;
    story.commit(
        "江叶保",
        "jiangyebao@example.org",
        beijing("2020-03-05", "21:40")?,
        "仙塘镇第 13 项：公益性岗位台账不全，改为 2.5 分",
    )?;

    for (g, group) in groups.iter().enumerate() {
        let mut count = 0;
        for (slug, _, text, _, status) in &sheets {
            if *status == Status::Final && group.towns.iter().any(|t| &t.value == slug) {
                story.write(&format!("content/sheets/{slug}.yaml"), text.as_bytes())?;
                count += 1;
            }
        }
        story.commit_by(
            &group.leader,
            beijing("2020-03-06", &format!("{}:30", 15 + g))?,
            &format!("{}：组长审核签名，{count} 个乡镇评分表定稿", group.name),
        )?;
    }

    let path = "content/sheets/xichang.yaml";
    let file = dir.join(path);
    let text = std::fs::read_to_string(&file).with_context(|| Problem::Reading(file.clone()))?;
    let corrected = replace_once(
        &text,
        "      - points: 0.5\n        reason: 水质检测报告为镇自检，非县级以上检测部门出具",
        "      - points: 1\n        reason: 水质检测报告为镇自检，非县级以上检测部门出具",
        path,
    )?;
    story.write(path, corrected.as_bytes())?;
    story.commit(
        "刘增威",
        "liuzengwei@example.org",
        beijing("2020-03-09", "10:15")?,
        "锡场镇第 9 项复核：水质检测报告非县级以上部门出具，扣分由 0.5 调整为 1",
    )?;
    // The round is published: its tag carries the summary `ducha publish` writes.
    let round = crate::pipeline::work_tree(dir)?;
    story.tag(
        ROUND_2020,
        "叶浩",
        "yehao@example.org",
        beijing("2020-03-10", "09:00")?,
        &crate::publish::summary(&round, ROUND_2020, crate::model::Lang::Zh),
    )?;
    second_round(&story, &campaign, &groups, &sheets)?;
    // Leave a clean work tree: the index matches the last commit.
    story
        .repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .with_context(|| Problem::CreatingRepository(dir.to_path_buf()))?;
    Ok(())
}

/// What each town's 2021 sheet changes from its 2020 one: the items whose problems were put
/// right (scored full marks), and lines added at the end (adjustments, vetoes).
const ROUND_2021: &[(&str, &[&str], &str)] = &[
    // Most of its problems put right: from last place into the middle.
    ("chuantang", &["8", "11", "12", "15"], ""),
    (
        "lankou",
        &["9", "12"],
        "adjustments:\n  promoted:\n    - reason: 消费扶贫“以购代捐”做法被市扶贫办简报推广\n      evidence: [evidence/lankou/2021-promoted.svg]\n",
    ),
    (
        "yihe",
        &[],
        "adjustments:\n  promoted:\n    - reason: 农村人居环境整治经验被省农业农村厅通报推广\n      evidence: [evidence/yihe/2021-promoted.svg]\n",
    ),
    (
        "shangguan",
        &[],
        "adjustments:\n  criticised:\n    - reason: 2021 年 1 月因扶贫资金拨付滞后被市委办公室通报批评\n      evidence: [evidence/shangguan/2021-criticised.svg]\n",
    ),
    (
        "huangtian",
        &[],
        "vetoes:\n  accident:\n    reason: 2021 年 2 月辖区内发生较大道路交通事故，造成 3 人死亡\n    evidence: [evidence/huangtian/2021-accident.svg]\n",
    ),
];

/// The 2021 round: the office opens it on top of the tagged 2020 round, with grades, the
/// rubric's adjustments and vetoes, and an escalation for towns in the bottom three twice;
/// each group leader then commits the group's final sheets.
fn second_round(
    story: &Story,
    campaign_2020: &str,
    groups: &[Group],
    sheets: &[(String, String, String, String, Status)],
) -> Result<()> {
    let mut campaign = campaign_2020
        .replace("2020-yingjian", "2021-yingjian")
        .replace("2020 年度", "2021 年度")
        .replace("issued: 2020-02-29", "issued: 2021-02-26")
        .replace("2020-03-0", "2021-03-0")
        .replace("〔2020〕", "〔2021〕")
        .replace(
            "audit: {require_signed: true}",
            &format!("audit: {{require_signed: true, from: {ROUND_2020}}}   # 2020 年度的提交已审计，不再重复"),
        );
    campaign = replace_once(
        &campaign,
        "    deadline_days: 15\n",
        "    deadline_days: 15\n  - bottom: 3                        # 连续两轮倒数 3 名\n    rounds: 2\n    actions: [约谈主要负责人]\n",
        "campaign.yaml",
    )?;
    campaign.push_str(&format!(
        "previous: {ROUND_2020}               # 上一轮：2020 年度督查的标签\n\
         grades:                              # 等次：按公布的总分\n  \
         - {{name: 优秀, min: 90}}\n  \
         - {{name: 良好, min: 80}}\n  \
         - {{name: 合格, min: 60}}\n  \
         - {{name: 不合格, min: 0}}\n"
    ));
    story.write("content/campaign.yaml", with_keys(&campaign).as_bytes())?;
    let mut rubric = example_text("rubric.yaml")?;
    rubric.push_str(
        "# 加减分项和一票否决（评分表 100 分之外）\n\
         adjustments:\n  \
         - {id: promoted, kind: bonus, text: 工作经验被市级以上推广, points_each: 1, cap: 3}\n  \
         - {id: criticised, kind: penalty, text: 被市级以上通报批评, points_each: 2, cap: 6}\n\
         vetoes:\n  \
         - {id: accident, text: 发生较大以上安全生产事故}\n",
    );
    story.write("content/rubric.yaml", rubric.as_bytes())?;
    story.commit(
        "叶浩",
        "yehao@example.org",
        beijing("2021-02-26", "16:00")?,
        "建立 2021 年度专项督查：上一轮为 2020 年度，增设等次、加减分项、一票否决和连续倒数约谈",
    )?;

    for (g, group) in groups.iter().enumerate() {
        let mut count = 0;
        for (slug, _, text, _, status) in sheets {
            if *status != Status::Final || !group.towns.iter().any(|t| &t.value == slug) {
                continue;
            }
            let path = format!("content/sheets/{slug}.yaml");
            let mut sheet = text
                .replace("2020-03-0", "2021-03-0")
                .replace("2020 年", "2021 年")
                .replace("2019 年", "2020 年");
            if let Some((_, cleared, added)) = ROUND_2021.iter().find(|(s, _, _)| s == slug) {
                for item in *cleared {
                    sheet = full_marks(&sheet, item, &path)?;
                }
                sheet.push_str(added);
                for name in evidence_named(added) {
                    story.write(&format!("content/{name}"), &paper(name).into_bytes())?;
                }
            }
            story.write(&path, sheet.as_bytes())?;
            count += 1;
        }
        story.commit_by(
            &group.leader,
            beijing("2021-03-06", &format!("{}:30", 15 + g))?,
            &format!(
                "{}：2021 年度督查评分，组长审核签名，{count} 个乡镇评分表定稿",
                group.name
            ),
        )?;
    }

    // Two towns object within the window; the office files their requests.
    let requests = [
        (
            "liucheng",
            "  - item: \"8\"\n    filed: 2021-03-08\n    claim: 危房改造补助资金已于 3 月 5 日拨付到户，督查时银行回单尚未送达\n    evidence: [evidence/liucheng/2021-objection-8.svg]\n",
            "    decision: accepted\n    decided: 2021-03-10\n    decided_by: 叶浩\n    note: 经核对银行回单，资金已于督查前拨付到户，恢复该项分数\n",
        ),
        (
            "shangguan",
            "  - item: \"1\"\n    filed: 2021-03-08\n    claim: 退出户的村民代表民主评议记录存档于村委会\n    evidence: [evidence/shangguan/2021-objection-1.svg]\n",
            "    decision: rejected\n    decided: 2021-03-10\n    decided_by: 叶浩\n    note: 所附评议记录为督查后补写，日期与退出程序不符，维持原扣分\n",
        ),
    ];
    campaign
        .push_str("objections: {days: 5}                # 征求意见期：评议评分审核截止日起 5 日\n");
    story.write("content/campaign.yaml", with_keys(&campaign).as_bytes())?;
    for (slug, request, _) in &requests {
        let text = format!("town: {slug}\nrequests:\n{request}");
        story.write(&format!("content/objections/{slug}.yaml"), text.as_bytes())?;
        for name in evidence_named(request) {
            story.write(&format!("content/{name}"), &paper(name).into_bytes())?;
        }
    }
    story.commit(
        "叶浩",
        "yehao@example.org",
        beijing("2021-03-08", "17:00")?,
        "收到柳城镇、上莞镇对评分的异议，征求意见期至 3 月 11 日",
    )?;

    // The office decides both; the accepted one is then put right by the group's leader, who
    // signs the sheet again.
    for (slug, request, decision) in &requests {
        let text = format!("town: {slug}\nrequests:\n{request}{decision}");
        story.write(&format!("content/objections/{slug}.yaml"), text.as_bytes())?;
    }
    story.commit(
        "叶浩",
        "yehao@example.org",
        beijing("2021-03-10", "11:00")?,
        "异议复核：柳城镇第 8 项采纳，上莞镇第 1 项驳回",
    )?;
    let path = "content/sheets/liucheng.yaml";
    let file = story.dir.join(path);
    let text = std::fs::read_to_string(&file).with_context(|| Problem::Reading(file.clone()))?;
    let text = replace_once(
        &full_marks(&text, "8", path)?,
        "  date: 2021-03-06",
        "  date: 2021-03-10",
        path,
    )?;
    let text = replace_once(
        &text,
        "{score: 3}   # 已整改",
        "{score: 3}   # 异议采纳",
        path,
    )?;
    story.write(path, text.as_bytes())?;
    let leader = groups
        .iter()
        .find(|g| g.towns.iter().any(|t| t.value == "liucheng"))
        .map(|g| &g.leader)
        .with_context(|| Problem::Example(path.to_string()))?;
    story.commit_by(
        leader,
        beijing("2021-03-10", "16:00")?,
        "柳城镇第 8 项：异议采纳，补助资金已拨付，恢复 3 分；组长重新签名",
    )?;
    rectification(story)?;
    // The round is published once the office is satisfied.
    let round = crate::pipeline::work_tree(&story.dir)?;
    story.tag(
        "2021-yingjian",
        "叶浩",
        "yehao@example.org",
        beijing("2021-03-25", "17:30")?,
        &crate::publish::summary(&round, "2021-yingjian", crate::model::Lang::Zh),
    )?;
    late_rectification(story)
}

/// After publication 上莞镇 reports another problem put right, and its report names a household
/// head by resident ID and mobile number: `check` warns (W0601, W0602) and the site shows
/// them masked.
fn late_rectification(story: &Story) -> Result<()> {
    let path = "content/rectification/shangguan.yaml";
    let file = story.dir.join(path);
    let mut records =
        std::fs::read_to_string(&file).with_context(|| Problem::Reading(file.clone()))?;
    records.push_str(
        "  - item: \"3\"\n    deduction: 1\n    measures: 党委书记补写专题调研报告 2 篇，附走访笔记；\
         入户走访脱贫户户主黄某（身份证号 441625196803152316，联系电话 13925061234），\
         核实“两不愁三保障”落实情况\n    done: 2021-03-26\n",
    );
    story.write(path, records.as_bytes())?;
    story.commit(
        "叶浩",
        "yehao@example.org",
        beijing("2021-03-27", "09:30")?,
        "上莞镇报送整改情况：第 3 项专题调研报告已补写",
    )
}

/// The bottom three answer for their problems (整改台账): 上莞镇 puts two right and the
/// office closes one (销号); the others are still open when the due date passes.
fn rectification(story: &Story) -> Result<()> {
    let records = "town: shangguan\nproblems:\n  \
         - item: \"1\"\n    deduction: 1\n    measures: 补开村民代表大会，完善 2 户退出户的民主评议程序\n    done: 2021-03-15\n    evidence: [evidence/shangguan/2021-rectify-1.svg]\n  \
         - item: \"1\"\n    deduction: 2\n    measures: 逐户补签《扶贫手册》收入确认页\n    done: 2021-03-17\n    evidence: [evidence/shangguan/2021-rectify-2.svg]\n";
    story.write("content/rectification/shangguan.yaml", records.as_bytes())?;
    for name in evidence_named(records) {
        story.write(&format!("content/{name}"), &paper(name).into_bytes())?;
    }
    story.commit(
        "叶浩",
        "yehao@example.org",
        beijing("2021-03-18", "10:00")?,
        "上莞镇报送整改情况：第 1 项两个问题已整改",
    )?;
    let closed = records.replacen(
        "evidence: [evidence/shangguan/2021-rectify-1.svg]\n",
        "evidence: [evidence/shangguan/2021-rectify-1.svg]\n    closed: {by: 叶浩, date: 2021-03-25}\n",
        1,
    );
    story.write("content/rectification/shangguan.yaml", closed.as_bytes())?;
    story.commit(
        "叶浩",
        "yehao@example.org",
        beijing("2021-03-25", "16:00")?,
        "上莞镇第 1 项第 1 个问题复核合格，销号",
    )
}

/// The sheet with item `id` scored full marks: its entry, and every line indented under it,
/// becomes `"id": {score: …}` with the item's points taken from its old entry's place.
fn full_marks(sheet: &str, id: &str, file: &str) -> Result<String> {
    let head = format!("  \"{id}\":");
    let rubric = example_text("rubric.yaml")?;
    let points = rubric_points(&rubric, id).with_context(|| Problem::Example(file.to_string()))?;
    let mut out = String::with_capacity(sheet.len());
    let mut lines = sheet.lines().peekable();
    let mut found = false;
    while let Some(line) = lines.next() {
        if line.starts_with(&head) {
            found = true;
            while lines.peek().is_some_and(|l| l.starts_with("    ")) {
                lines.next();
            }
            out.push_str(&format!("{head} {{score: {points}}}   # 已整改\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    match found {
        true => Ok(out),
        false => Err(Problem::Example(file.to_string()).into()),
    }
}

/// An item's points as the example's rubric writes them.
fn rubric_points(rubric: &str, id: &str) -> Option<String> {
    let at = rubric.find(&format!("id: \"{id}\""))?;
    let rest = &rubric[at..];
    let points = &rest[rest.find("points: ")? + "points: ".len()..];
    let end = points.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    Some(points[..end].to_string())
}

/// The evidence files a block of sheet lines lists.
fn evidence_named(lines: &str) -> Vec<&str> {
    lines
        .lines()
        .filter_map(|l| l.trim().strip_prefix("evidence: ["))
        .flat_map(|l| l.trim_end_matches(']').split(", "))
        .collect()
}

/// A stand-in for a scanned document: a sheet of paper with its file name on it.
fn paper(name: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"360\" height=\"240\" viewBox=\"0 0 360 240\">\n\
<title>示例材料：{name}</title>\n\
<rect width=\"360\" height=\"240\" fill=\"#f3f0e8\"/>\n\
<rect x=\"70\" y=\"14\" width=\"220\" height=\"180\" fill=\"#fff\" stroke=\"#888\"/>\n\
<text x=\"180\" y=\"110\" font-size=\"12\" text-anchor=\"middle\" font-family=\"sans-serif\" fill=\"#222\">示例材料</text>\n\
<text x=\"180\" y=\"220\" font-size=\"11\" text-anchor=\"middle\" font-family=\"sans-serif\" fill=\"#555\">{name}</text>\n\
</svg>\n"
    )
}
