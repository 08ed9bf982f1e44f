//! Why a command could not run (exit 2): the translation table of every such error, in Chinese
//! and in English, and the error type that carries one with its causes.
//!
//! An error is raised with its data where it happens and put into words once, in `main`, in
//! the language of the person who ran the command.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::lang::Lang;

/// What could not be done, with what it concerns.
#[derive(Debug)]
pub enum Problem {
    // The campaign repository.
    NoRoot(PathBuf),
    RootIsAFile(PathBuf),
    NoContent(PathBuf),
    SetupNotLoaded,
    UnknownTown {
        wanted: String,
        known: Vec<String>,
    },
    SheetExists(PathBuf),
    /// `ducha new TOWN --rectification` for a town with nothing to put right.
    NoProblems(String),
    UnknownRule {
        wanted: String,
        suggestions: Vec<String>,
    },
    /// A folder that ducha writes into is a link out of the repository.
    LinkOutside {
        folder: PathBuf,
        target: PathBuf,
    },
    NotARepository(PathBuf),
    NoCommit(String),
    ReadingHistory,
    ReadingStatus,

    // Files and folders.
    Reading(PathBuf),
    Resolving(PathBuf),
    Creating(PathBuf),
    Writing(PathBuf),
    Copying(PathBuf),
    WritingStdout,
    NoParent(PathBuf),

    // The output folder.
    RefusedOut {
        given: PathBuf,
        /// Where the given path leads, when that is somewhere else.
        resolved: Option<PathBuf>,
        why: Option<Refusal>,
    },
    LinkToNothing {
        link: PathBuf,
        target: PathBuf,
    },
    LinkToFile {
        link: PathBuf,
        target: PathBuf,
    },
    ThroughFile(PathBuf),
    FollowingLink(PathBuf),
    MovingSite(PathBuf),
    MovingAside(PathBuf),

    // The theme and the schemas.
    ThemeFile {
        path: String,
        trouble: ThemeTrouble,
    },
    Templates,
    Preparing(String),
    Rendering(String),
    /// A workbook or document of the site could not be made.
    Document(String),
    WritingSchema(&'static str),

    // `init`.
    InitNotAFolder(PathBuf),
    InitNotEmpty(PathBuf),
    /// `init --ci` in a campaign repository that has the pipeline file already.
    PipelineExists(PathBuf),
    CreatingRepository(PathBuf),
    Committing(String),
    /// The example built into this program does not fit its own story.
    Example(String),

    // `serve`.
    Listen {
        address: SocketAddr,
        kind: io::ErrorKind,
    },
    ServerAddress,
    CtrlC,
    /// `serve` stopped making the data files because the content changed meanwhile; the next
    /// rebuild makes them.
    Overtaken,
    Watching,
    /// The server could not take a connection; it goes on trying.
    Accepting,

    // The command line.
    UnknownCommand {
        wanted: String,
        suggestions: Vec<String>,
    },
    UnknownArgument {
        wanted: String,
        suggestions: Vec<String>,
    },
    InvalidValue {
        /// The argument as the help shows it: `--format <FORMAT>`.
        arg: String,
        value: String,
        choices: Vec<String>,
        suggestions: Vec<String>,
    },
    ValueNotValid {
        arg: String,
        value: String,
        need: Option<Need>,
    },
    Conflict {
        arg: String,
        with: String,
    },
    MissingArgument(Vec<String>),
    TooManyValues {
        arg: String,
        value: String,
    },
    WrongNumberOfValues(String),
    NoEquals(String),
    ArgumentNotUtf8,
    /// What the command-line parser said, for the cases that no variant above covers.
    CommandLine,
    /// `--root` given to a command that reads no campaign repository.
    RootNotUsed(&'static str),
}

/// What the value of an argument has to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Port,
    Address,
    Date,
}

/// Why the site may not go to an output folder.
#[derive(Debug)]
pub enum Refusal {
    Root,
    HoldsRoot(PathBuf),
    Inside(&'static str),
    TopOfFileSystem,
    /// Not empty, and without the marker file that ducha leaves in the folders it writes.
    NotEmpty {
        marker: &'static str,
    },
    Changed {
        was: PathBuf,
        now: PathBuf,
    },
}

/// Why a file of the theme cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeTrouble {
    NotUtf8,
    NotAFile,
    Outside,
    TooLarge,
}

/// A problem, and what caused it; one pointer wide, so that results stay small.
#[derive(Debug)]
pub struct Error(Box<Failure>);

#[derive(Debug)]
struct Failure {
    problem: Problem,
    cause: Option<Cause>,
}

/// What went wrong underneath a problem.
#[derive(Debug)]
pub enum Cause {
    Io(io::Error),
    Error(Error),
    /// A library's own words (git, the templates, the file watcher), shown as they are.
    Said(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Problem> for Error {
    fn from(problem: Problem) -> Error {
        Error(Box::new(Failure {
            problem,
            cause: None,
        }))
    }
}

impl From<io::Error> for Cause {
    fn from(e: io::Error) -> Cause {
        Cause::Io(e)
    }
}

impl From<Error> for Cause {
    fn from(e: Error) -> Cause {
        Cause::Error(e)
    }
}

impl From<git2::Error> for Cause {
    fn from(e: git2::Error) -> Cause {
        // Only the message: its class and code say nothing to a reader.
        Cause::Said(e.message().to_string())
    }
}

impl From<tera::Error> for Cause {
    fn from(e: tera::Error) -> Cause {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        Cause::Said(text)
    }
}

impl From<rust_xlsxwriter::XlsxError> for Cause {
    fn from(e: rust_xlsxwriter::XlsxError) -> Cause {
        Cause::Said(e.to_string())
    }
}

impl From<notify::Error> for Cause {
    fn from(e: notify::Error) -> Cause {
        Cause::Said(e.to_string())
    }
}

impl From<ctrlc::Error> for Cause {
    fn from(e: ctrlc::Error) -> Cause {
        Cause::Said(e.to_string())
    }
}

impl From<serde_json::Error> for Cause {
    fn from(e: serde_json::Error) -> Cause {
        Cause::Said(e.to_string())
    }
}

impl From<jiff::Error> for Cause {
    fn from(e: jiff::Error) -> Cause {
        Cause::Said(e.to_string())
    }
}

impl From<tempfile::PersistError> for Cause {
    fn from(e: tempfile::PersistError) -> Cause {
        Cause::Io(e.error)
    }
}

impl Error {
    pub fn new(problem: Problem, cause: impl Into<Cause>) -> Error {
        Error(Box::new(Failure {
            problem,
            cause: Some(cause.into()),
        }))
    }

    /// The error as `main` prints it: marked as an error (in red with `color`), in `lang`.
    pub fn report(&self, lang: Lang, color: bool) -> String {
        format!("{}{}", error_mark(lang, color), self.text(lang))
    }

    pub fn problem(&self) -> &Problem {
        &self.0.problem
    }

    /// The problem, then each cause, then what to do.
    pub fn text(&self, lang: Lang) -> String {
        let sep = match lang {
            Lang::Zh => "：",
            Lang::En => ": ",
        };
        let mut parts = vec![self.0.problem.text(lang)];
        let mut advice: Vec<String> = self.0.problem.advice(lang).into_iter().collect();
        let mut cause = self.0.cause.as_ref();
        while let Some(next) = cause {
            cause = match next {
                Cause::Io(e) => {
                    parts.push(io_text(e, lang));
                    None
                }
                Cause::Said(said) => {
                    parts.push(said.clone());
                    None
                }
                Cause::Error(e) => {
                    parts.push(e.0.problem.text(lang));
                    advice.extend(e.0.problem.advice(lang));
                    e.0.cause.as_ref()
                }
            };
        }
        let mut text = parts.join(sep);
        for advice in advice {
            text.push_str(match lang {
                Lang::Zh => "；",
                Lang::En => "; ",
            });
            text.push_str(&advice);
        }
        text
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for Error {}

/// Gives an error its problem: `.context(Problem::…)`, like `anyhow`'s.
pub trait Context<T> {
    fn context(self, problem: Problem) -> Result<T>;
    fn with_context(self, problem: impl FnOnce() -> Problem) -> Result<T>;
}

impl<T, E: Into<Cause>> Context<T> for std::result::Result<T, E> {
    fn context(self, problem: Problem) -> Result<T> {
        self.map_err(|e| Error::new(problem, e))
    }

    fn with_context(self, problem: impl FnOnce() -> Problem) -> Result<T> {
        self.map_err(|e| Error::new(problem(), e))
    }
}

impl<T> Context<T> for Option<T> {
    fn context(self, problem: Problem) -> Result<T> {
        self.ok_or_else(|| problem.into())
    }

    fn with_context(self, problem: impl FnOnce() -> Problem) -> Result<T> {
        self.ok_or_else(|| problem().into())
    }
}

/// `error: ` or `错误：`, in bold red with `color`, as clap and the diagnostics mark errors.
pub fn error_mark(lang: Lang, color: bool) -> String {
    let (word, space) = match lang {
        Lang::Zh => ("错误：", ""),
        Lang::En => ("error:", " "),
    };
    if color {
        format!("\x1b[1;31m{word}\x1b[0m{space}")
    } else {
        format!("{word}{space}")
    }
}

/// What the system said, in words a reader of `lang` knows.
fn io_text(e: &io::Error, lang: Lang) -> String {
    use io::ErrorKind as K;
    let (zh, en) = match e.kind() {
        K::NotFound => ("没有这个文件或文件夹", "no such file or folder"),
        K::PermissionDenied => ("权限不足", "permission denied"),
        K::AlreadyExists => ("文件已存在", "it exists already"),
        K::NotADirectory => ("不是文件夹", "not a folder"),
        K::IsADirectory => ("是文件夹，不是文件", "a folder, not a file"),
        K::DirectoryNotEmpty => ("文件夹不是空的", "the folder is not empty"),
        K::ReadOnlyFilesystem => ("磁盘是只读的", "the disk is read-only"),
        K::StorageFull => ("磁盘已满", "the disk is full"),
        K::QuotaExceeded => ("超出磁盘配额", "the disk quota is used up"),
        K::FileTooLarge => ("文件太大", "the file is too large"),
        K::InvalidFilename => ("文件名无效或太长", "the file name is invalid or too long"),
        K::TooManyLinks => ("链接太多", "too many links"),
        K::CrossesDevices => ("不能跨磁盘移动", "cannot move across disks"),
        K::ResourceBusy => ("正被占用", "busy"),
        K::AddrInUse => ("端口已被占用", "the port is in use"),
        K::AddrNotAvailable => ("本机没有这个地址", "this machine has no such address"),
        K::TimedOut => ("超时", "timed out"),
        K::Interrupted => ("被中断", "interrupted"),
        K::InvalidData => ("数据无效", "invalid data"),
        K::UnexpectedEof => ("文件意外结束", "the file ended early"),
        K::OutOfMemory => ("内存不足", "out of memory"),
        _ => {
            return match lang {
                Lang::Zh => format!("系统报错（{e}）"),
                Lang::En => e.to_string(),
            };
        }
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Names for a list, at most `n` of them and how many more.
fn some_of(names: &[String], n: usize, lang: Lang) -> String {
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let mut text = names.iter().take(n).cloned().collect::<Vec<_>>().join(sep);
    if names.len() > n {
        let more = names.len() - n;
        text.push_str(&match lang {
            Lang::Zh => format!(" 等（另有 {more} 个）"),
            Lang::En => format!(" and {more} more"),
        });
    }
    text
}

/// `a`, `b` or `c`, as a list of candidates to pick from.
/// `。是不是 `a`？` or `. Did you mean `a`?` after a message; nothing without suggestions.
fn did_you_mean(suggestions: &[String], lang: Lang) -> String {
    match (suggestions.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Zh) => format!("。是不是 {}？", quoted(suggestions, lang)),
        (false, Lang::En) => format!(". Did you mean {}?", quoted(suggestions, lang)),
    }
}

fn quoted(names: &[String], lang: Lang) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => match lang {
            Lang::Zh => format!("{} 或 {last}", rest.join("、")),
            Lang::En => format!("{} or {last}", rest.join(", ")),
        },
        _ => quoted.join(""),
    }
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        use Problem as P;
        match (self, lang) {
            (P::NoRoot(root), Lang::Zh) => format!(
                "没有文件夹 {}：请在督查仓库中运行 ducha，或用 --root 给出它的文件夹",
                root.display()
            ),
            (P::NoRoot(root), Lang::En) => format!(
                "there is no folder {}: run ducha in a campaign repository, or give its folder with --root",
                root.display()
            ),
            (P::RootIsAFile(root), Lang::Zh) => format!(
                "{} 是文件，不是文件夹：--root 要给出督查仓库的文件夹（其中有 content/）",
                root.display()
            ),
            (P::RootIsAFile(root), Lang::En) => format!(
                "{} is a file, not a folder: --root takes the campaign repository's folder (the one that holds content/)",
                root.display()
            ),
            (P::NoContent(root), Lang::Zh) => format!(
                "{} 中没有 content/ 文件夹：请在督查仓库中运行 ducha，或用 --root 给出它的文件夹",
                root.display()
            ),
            (P::NoContent(root), Lang::En) => format!(
                "{} has no content/ folder: run ducha in a campaign repository, or give its folder with --root",
                root.display()
            ),
            (P::SetupNotLoaded, Lang::Zh) => {
                "towns.yaml、rubric.yaml 和 groups.yaml 都能读取后才能生成评分表：请运行 ducha check 查看问题".into()
            }
            (P::SetupNotLoaded, Lang::En) => {
                "towns.yaml, rubric.yaml and groups.yaml must load before sheets can be made: run ducha check".into()
            }
            (P::UnknownTown { wanted, known }, Lang::Zh) => {
                let mut text = format!("towns.yaml 中没有乡镇 `{wanted}`：请给出乡镇的标识或名称");
                let near = similar(wanted, known.iter().map(String::as_str));
                text.push_str(&did_you_mean(&near, lang));
                if !known.is_empty() {
                    let sep = if near.is_empty() { "。" } else { "" };
                    text.push_str(&format!("{sep}乡镇有：{}", some_of(known, 30, lang)));
                }
                text
            }
            (P::UnknownTown { wanted, known }, Lang::En) => {
                let mut text = format!(
                    "there is no town `{wanted}` in towns.yaml: give a town's slug or name"
                );
                let near = similar(wanted, known.iter().map(String::as_str));
                text.push_str(&did_you_mean(&near, lang));
                if !known.is_empty() {
                    let sep = if near.is_empty() { "." } else { "" };
                    text.push_str(&format!("{sep} The towns are: {}", some_of(known, 30, lang)));
                }
                text
            }
            (P::SheetExists(path), Lang::Zh) => format!(
                "{} 已经存在：ducha new 从不覆盖评分表",
                path.display()
            ),
            (P::SheetExists(path), Lang::En) => format!(
                "{} exists already: ducha new never overwrites a sheet",
                path.display()
            ),
            (P::NoProblems(town), Lang::Zh) => format!(
                "{town}没有需要整改的问题：只有列入结果运用且有整改期限的乡镇（或 rectification: all 时的每个乡镇）的扣分需要整改，且须先定稿排名"
            ),
            (P::NoProblems(town), Lang::En) => format!(
                "{town} has no problem to put right: only the deductions of towns under a consequence with deadline_days (or of every town, with rectification: all) are, once the ranking is complete"
            ),
            (
                P::UnknownRule {
                    wanted,
                    suggestions,
                },
                Lang::Zh,
            ) => {
                let mut text = format!("没有规则 {wanted}：ducha explain 列出全部规则");
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (
                P::UnknownRule {
                    wanted,
                    suggestions,
                },
                Lang::En,
            ) => {
                let mut text = format!("there is no rule {wanted}: ducha explain lists them all");
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (P::LinkOutside { folder, target }, Lang::Zh) => format!(
                "不写入 {}：它是指向仓库之外 {} 的链接",
                folder.display(),
                target.display()
            ),
            (P::LinkOutside { folder, target }, Lang::En) => format!(
                "refusing to write into {}: it is a link to {}, outside the repository",
                folder.display(),
                target.display()
            ),
            (P::NotARepository(root), Lang::Zh) => format!(
                "{} 不在 git 仓库中：没有可以比较的提交",
                root.display()
            ),
            (P::NotARepository(root), Lang::En) => format!(
                "{} is not in a git repository: there are no commits to compare",
                root.display()
            ),
            (P::NoCommit(revision), Lang::Zh) => format!(
                "本仓库中没有提交 `{revision}`：请给出提交编号、标签、分支，或如 HEAD~1 这样的写法"
            ),
            (P::NoCommit(revision), Lang::En) => format!(
                "there is no commit `{revision}` in this repository: give a commit id, a tag, a branch, or e.g. HEAD~1"
            ),
            (P::ReadingHistory, Lang::Zh) => "无法读取 git 历史".into(),
            (P::ReadingHistory, Lang::En) => "cannot read the git history".into(),
            (P::ReadingStatus, Lang::Zh) => "无法读取工作区的修改状态".into(),
            (P::ReadingStatus, Lang::En) => "cannot read the status of the work tree".into(),

            (P::Reading(path), Lang::Zh) => format!("无法读取 {}", path.display()),
            (P::Reading(path), Lang::En) => format!("cannot read {}", path.display()),
            (P::Resolving(path), Lang::Zh) => format!("找不到 {}", path.display()),
            (P::Resolving(path), Lang::En) => format!("cannot find {}", path.display()),
            (P::Creating(path), Lang::Zh) => format!("无法创建 {}", path.display()),
            (P::Creating(path), Lang::En) => format!("cannot create {}", path.display()),
            (P::Writing(path), Lang::Zh) => format!("无法写入 {}", path.display()),
            (P::Writing(path), Lang::En) => format!("cannot write {}", path.display()),
            (P::Copying(path), Lang::Zh) => format!("无法复制 {}", path.display()),
            (P::Copying(path), Lang::En) => format!("cannot copy {}", path.display()),
            (P::WritingStdout, Lang::Zh) => "无法输出到标准输出".into(),
            (P::WritingStdout, Lang::En) => "cannot write to standard output".into(),
            (P::NoParent(path), Lang::Zh) => format!("{} 没有上级文件夹", path.display()),
            (P::NoParent(path), Lang::En) => format!("{} has no parent folder", path.display()),

            (
                P::RefusedOut {
                    given,
                    resolved,
                    why,
                },
                Lang::Zh,
            ) => {
                let mut text = format!("不把网站写入 {}", given.display());
                if let Some(resolved) = resolved {
                    text.push_str(&format!("（即 {}）", resolved.display()));
                }
                if let Some(why) = why {
                    text.push('：');
                    text.push_str(&why.text(lang));
                }
                text
            }
            (
                P::RefusedOut {
                    given,
                    resolved,
                    why,
                },
                Lang::En,
            ) => {
                let mut text = format!("refusing to write the site to {}", given.display());
                if let Some(resolved) = resolved {
                    text.push_str(&format!(" (that is {})", resolved.display()));
                }
                if let Some(why) = why {
                    text.push_str(": ");
                    text.push_str(&why.text(lang));
                }
                text
            }
            (P::LinkToNothing { link, target }, Lang::Zh) => format!(
                "{} 是指向 {} 的链接，而后者不存在",
                link.display(),
                target.display()
            ),
            (P::LinkToNothing { link, target }, Lang::En) => format!(
                "{} is a link to {}, which does not exist",
                link.display(),
                target.display()
            ),
            (P::LinkToFile { link, target }, Lang::Zh) => format!(
                "{} 是指向文件 {} 的链接，不是文件夹",
                link.display(),
                target.display()
            ),
            (P::LinkToFile { link, target }, Lang::En) => format!(
                "{} is a link to the file {}, not a folder",
                link.display(),
                target.display()
            ),
            (P::ThroughFile(path), Lang::Zh) => format!("{} 是文件，不是文件夹", path.display()),
            (P::ThroughFile(path), Lang::En) => {
                format!("{} is a file, not a folder", path.display())
            }
            (P::FollowingLink(path), Lang::Zh) => format!("无法跟随链接 {}", path.display()),
            (P::FollowingLink(path), Lang::En) => {
                format!("cannot follow the link {}", path.display())
            }
            (P::MovingSite(target), Lang::Zh) => {
                format!("无法把新网站放到 {}", target.display())
            }
            (P::MovingSite(target), Lang::En) => {
                format!("cannot move the new site into {}", target.display())
            }
            (P::MovingAside(target), Lang::Zh) => {
                format!("无法把原来的网站 {} 移开", target.display())
            }
            (P::MovingAside(target), Lang::En) => {
                format!("cannot move the previous site {} aside", target.display())
            }

            (P::ThemeFile { path, trouble }, Lang::Zh) => match trouble {
                ThemeTrouble::NotUtf8 => format!("{path} 不是 UTF-8 编码：请另存为 UTF-8"),
                ThemeTrouble::NotAFile => format!("{path} 不是普通文件"),
                ThemeTrouble::Outside => {
                    format!("{path} 是指向仓库之外的链接：请把文件本身放在那里")
                }
                ThemeTrouble::TooLarge => format!("{path} 超过 16 MiB"),
            },
            (P::ThemeFile { path, trouble }, Lang::En) => match trouble {
                ThemeTrouble::NotUtf8 => format!("{path} is not UTF-8: save it as UTF-8"),
                ThemeTrouble::NotAFile => format!("{path} is not a regular file"),
                ThemeTrouble::Outside => format!(
                    "{path} is a link that leads out of the repository: put the file itself there"
                ),
                ThemeTrouble::TooLarge => format!("{path} is larger than 16 MiB"),
            },
            (P::Templates, Lang::Zh) => "无法读取主题的模板".into(),
            (P::Templates, Lang::En) => "cannot read the theme's templates".into(),
            (P::Preparing(template), Lang::Zh) => format!("无法为 {template} 准备数据"),
            (P::Preparing(template), Lang::En) => format!("cannot prepare {template}"),
            (P::Rendering(template), Lang::Zh) => format!("无法用模板 {template} 生成页面"),
            (P::Rendering(template), Lang::En) => format!("cannot render {template}"),
            (P::Document(path), Lang::Zh) => format!("无法生成 {path}"),
            (P::Document(path), Lang::En) => format!("cannot make {path}"),
            (P::WritingSchema(name), Lang::Zh) => format!("无法生成 {name}"),
            (P::WritingSchema(name), Lang::En) => format!("cannot write {name}"),

            (P::InitNotAFolder(dir), Lang::Zh) => {
                format!("{} 已经存在，而且不是文件夹", dir.display())
            }
            (P::InitNotAFolder(dir), Lang::En) => {
                format!("{} exists and is not a folder", dir.display())
            }
            (P::PipelineExists(path), Lang::Zh) => format!(
                "{} 已经存在：ducha init 从不覆盖文件；要换一份，先删除或改名",
                path.display()
            ),
            (P::PipelineExists(path), Lang::En) => format!(
                "{} exists already: ducha init never overwrites a file; remove or rename it first",
                path.display()
            ),
            (P::InitNotEmpty(dir), Lang::Zh) => format!(
                "{} 不是空文件夹：请给出新的或空的文件夹，以免覆盖任何文件",
                dir.display()
            ),
            (P::InitNotEmpty(dir), Lang::En) => format!(
                "{} is not empty: give a new or empty folder, so that nothing is overwritten",
                dir.display()
            ),
            (P::CreatingRepository(dir), Lang::Zh) => {
                format!("无法在 {} 创建 git 仓库", dir.display())
            }
            (P::CreatingRepository(dir), Lang::En) => {
                format!("cannot create a git repository in {}", dir.display())
            }
            (P::Committing(message), Lang::Zh) => format!("无法提交「{message}」"),
            (P::Committing(message), Lang::En) => format!("cannot commit \"{message}\""),
            (P::Example(what), Lang::Zh) => {
                format!("内置示例中的 {what} 与示例的过程不符：这个 ducha 程序有缺陷")
            }
            (P::Example(what), Lang::En) => format!(
                "the built-in example's {what} does not fit its story: this build of ducha is broken"
            ),

            (P::Listen { address, .. }, Lang::Zh) => format!("无法在 {address} 上监听"),
            (P::Listen { address, .. }, Lang::En) => format!("cannot listen on {address}"),
            (P::ServerAddress, Lang::Zh) => "服务器没有地址".into(),
            (P::ServerAddress, Lang::En) => "the server has no address".into(),
            (P::CtrlC, Lang::Zh) => "无法接管 Ctrl-C".into(),
            (P::CtrlC, Lang::En) => "cannot install the Ctrl-C handler".into(),
            (P::Overtaken, Lang::Zh) => "内容已有新的修改，数据文件留待下次生成".into(),
            (P::Overtaken, Lang::En) => {
                "the content changed meanwhile: the data files are left to the next rebuild".into()
            }
            (P::Watching, Lang::Zh) => "无法开始监视文件的修改".into(),
            (P::Watching, Lang::En) => "cannot start to watch for changes".into(),
            (P::Accepting, Lang::Zh) => "无法接受新的连接".into(),
            (P::Accepting, Lang::En) => "cannot take new connections".into(),

            (P::UnknownCommand { wanted, suggestions }, Lang::Zh) => {
                let mut text = format!("没有命令 `{wanted}`");
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (P::UnknownCommand { wanted, suggestions }, Lang::En) => {
                let mut text = format!("there is no command `{wanted}`");
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (P::UnknownArgument { wanted, suggestions }, Lang::Zh) => {
                let mut text = if wanted.starts_with('-') {
                    format!("没有参数 `{wanted}`")
                } else {
                    format!("多余的参数 `{wanted}`")
                };
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (P::UnknownArgument { wanted, suggestions }, Lang::En) => {
                let mut text = if wanted.starts_with('-') {
                    format!("there is no argument `{wanted}`")
                } else {
                    format!("unexpected argument `{wanted}`")
                };
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (
                P::InvalidValue {
                    arg,
                    value,
                    choices,
                    suggestions,
                },
                Lang::Zh,
            ) => {
                let mut text = if value.is_empty() {
                    format!("{arg} 需要一个值")
                } else {
                    format!("`{value}` 不是 {arg} 可取的值")
                };
                if !choices.is_empty() {
                    text.push_str(&format!("：可取 {}", choices.join("、")));
                }
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (
                P::InvalidValue {
                    arg,
                    value,
                    choices,
                    suggestions,
                },
                Lang::En,
            ) => {
                let mut text = if value.is_empty() {
                    format!("{arg} needs a value")
                } else {
                    format!("`{value}` is not a value of {arg}")
                };
                if !choices.is_empty() {
                    text.push_str(&format!(": the values are {}", choices.join(", ")));
                }
                text.push_str(&did_you_mean(suggestions, lang));
                text
            }
            (P::ValueNotValid { arg, value, need }, Lang::Zh) => {
                let mut text = format!("`{value}` 不能用作 {arg}");
                match need {
                    Some(Need::Port) => text.push_str("：端口须为 0 到 65535 的整数"),
                    Some(Need::Address) => {
                        text.push_str("：须为本机的 IP 地址，如 127.0.0.1 或 0.0.0.0")
                    }
                    Some(Need::Date) => text.push_str("：日期写作 YYYY-MM-DD，如 2020-03-20"),
                    None => {}
                }
                text
            }
            (P::ValueNotValid { arg, value, need }, Lang::En) => {
                let mut text = format!("`{value}` cannot be used for {arg}");
                match need {
                    Some(Need::Port) => text.push_str(": a port is a whole number from 0 to 65535"),
                    Some(Need::Address) => text.push_str(
                        ": it takes an IP address of this machine, such as 127.0.0.1 or 0.0.0.0",
                    ),
                    Some(Need::Date) => text.push_str(": write a date as YYYY-MM-DD, e.g. 2020-03-20"),
                    None => {}
                }
                text
            }
            (P::Conflict { arg, with }, Lang::Zh) => format!("{arg} 不能与 {with} 同时使用"),
            (P::Conflict { arg, with }, Lang::En) => format!("{arg} cannot be used with {with}"),
            (P::MissingArgument(args), Lang::Zh) => format!("缺少 {}", args.join("、")),
            (P::MissingArgument(args), Lang::En) => {
                format!("the command needs {}", args.join(", "))
            }
            (P::TooManyValues { arg, value }, Lang::Zh) => {
                format!("{arg} 只接受一个值，`{value}` 是多余的")
            }
            (P::TooManyValues { arg, value }, Lang::En) => {
                format!("{arg} takes one value: `{value}` is one too many")
            }
            (P::WrongNumberOfValues(arg), Lang::Zh) => format!("{arg} 的值的个数不对"),
            (P::WrongNumberOfValues(arg), Lang::En) => {
                format!("wrong number of values for {arg}")
            }
            (P::NoEquals(arg), Lang::Zh) => format!("{arg} 的值要写在 = 之后"),
            (P::NoEquals(arg), Lang::En) => format!("{arg} takes its value after `=`"),
            (P::ArgumentNotUtf8, Lang::Zh) => "命令行中有不是 UTF-8 编码的参数".into(),
            (P::ArgumentNotUtf8, Lang::En) => "an argument is not valid UTF-8".into(),
            (P::CommandLine, Lang::Zh) => "命令行有误".into(),
            (P::CommandLine, Lang::En) => "the command line is not valid".into(),
            (P::RootNotUsed(command), Lang::Zh) => {
                format!("ducha {command} 不读取督查仓库，不接受 --root")
            }
            (P::RootNotUsed(command), Lang::En) => {
                format!("ducha {command} reads no campaign repository and takes no --root")
            }
        }
    }

    /// What to do about it, said after the causes.
    fn advice(&self, lang: Lang) -> Option<String> {
        let kind = match self {
            Problem::Listen { kind, .. } => kind,
            Problem::Accepting => {
                return Some(
                    match lang {
                        Lang::Zh => "稍后重试",
                        Lang::En => "trying again",
                    }
                    .into(),
                );
            }
            Problem::RootNotUsed(command) => {
                return Some(match (*command, lang) {
                    ("init", Lang::Zh) => {
                        "新仓库的文件夹直接写在命令之后：ducha init <文件夹>".into()
                    }
                    ("init", Lang::En) => {
                        "give the new repository's folder after the command: ducha init DIR".into()
                    }
                    (_, Lang::Zh) => "请去掉 --root".into(),
                    (_, Lang::En) => "leave out --root".into(),
                });
            }
            _ => return None,
        };
        Some(
            match (kind, lang) {
                (io::ErrorKind::AddrInUse, Lang::Zh) => {
                    "是否有另一个服务器在用这个端口？用 --port 换一个"
                }
                (io::ErrorKind::AddrInUse, Lang::En) => {
                    "is another server using the port? Choose another with --port"
                }
                (io::ErrorKind::PermissionDenied, Lang::Zh) => {
                    "1024 以下的端口需要管理员权限：用 --port 换一个"
                }
                (io::ErrorKind::PermissionDenied, Lang::En) => {
                    "ports below 1024 need administrator rights: choose another with --port"
                }
                (io::ErrorKind::AddrNotAvailable, Lang::Zh) => "--bind 要给出本机的地址",
                (io::ErrorKind::AddrNotAvailable, Lang::En) => {
                    "--bind takes an address of this machine"
                }
                (_, Lang::Zh) => "用 --port 换一个端口，或用 --bind 换一个地址",
                (_, Lang::En) => "choose another port with --port, or another address with --bind",
            }
            .to_string(),
        )
    }
}

impl Refusal {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Refusal::Root, Lang::Zh) => "它就是督查仓库本身".into(),
            (Refusal::Root, Lang::En) => "it is the campaign repository itself".into(),
            (Refusal::HoldsRoot(root), Lang::Zh) => {
                format!("它包含督查仓库 {}", root.display())
            }
            (Refusal::HoldsRoot(root), Lang::En) => {
                format!("it holds the campaign repository {}", root.display())
            }
            (Refusal::Inside(folder), Lang::Zh) => format!("它在仓库的 {folder}/ 之中"),
            (Refusal::Inside(folder), Lang::En) => {
                format!("it is inside {folder}/ of the repository")
            }
            (Refusal::TopOfFileSystem, Lang::Zh) => "它是文件系统的最顶层".into(),
            (Refusal::TopOfFileSystem, Lang::En) => "it is the top of the file system".into(),
            (Refusal::NotEmpty { marker }, Lang::Zh) => format!(
                "这个文件夹不是空的，也不是 ducha 写的（其中没有 {marker}）：请换一个 --out，或清空它"
            ),
            (Refusal::NotEmpty { marker }, Lang::En) => format!(
                "the folder is not empty and was not written by ducha (it has no {marker}); choose another --out, or empty it"
            ),
            (Refusal::Changed { was, now }, Lang::Zh) => format!(
                "它原来指向 {}，现在指向 {}：ducha 运行期间，路径上的文件夹或链接被改动了",
                was.display(),
                now.display()
            ),
            (Refusal::Changed { was, now }, Lang::En) => format!(
                "it led to {} and now leads to {}; a folder or link on the way changed while ducha was running",
                was.display(),
                now.display()
            ),
        }
    }
}

/// What a command says on its way without stopping: a warning, or why it waits.
#[derive(Debug)]
pub enum Notice {
    /// The output folder's parent cannot be locked: builds into it at once are not kept apart.
    CannotLock {
        folder: PathBuf,
        target: PathBuf,
        cause: io::Error,
    },
    Waiting(PathBuf),
    LeftoverKept {
        leftover: PathBuf,
        cause: io::Error,
    },
    PreviousKept {
        target: PathBuf,
        previous: PathBuf,
        cause: io::Error,
    },
    NotPutBack {
        site: PathBuf,
        cause: io::Error,
    },
}

impl Notice {
    /// The line to print, marked as a warning where it is one.
    pub fn text(&self, lang: Lang) -> String {
        let warning = match lang {
            Lang::Zh => "警告：",
            Lang::En => "warning: ",
        };
        match (self, lang) {
            (
                Notice::CannotLock {
                    folder,
                    target,
                    cause,
                },
                Lang::Zh,
            ) => format!(
                "{warning}无法锁定 {}（{}）：同时写入 {} 的另一次生成不会与这一次错开",
                folder.display(),
                io_text(cause, lang),
                target.display()
            ),
            (
                Notice::CannotLock {
                    folder,
                    target,
                    cause,
                },
                Lang::En,
            ) => format!(
                "{warning}cannot lock {} ({}); a build into {} at the same time is not kept apart from this one",
                folder.display(),
                io_text(cause, lang),
                target.display()
            ),
            (Notice::Waiting(target), Lang::Zh) => {
                format!(
                    "正在等待另一次写入 {} 的 ducha 生成结束，或删除它替换下的网站",
                    target.display()
                )
            }
            (Notice::Waiting(target), Lang::En) => format!(
                "waiting for another ducha build into {} to finish, or to remove the site it replaced",
                target.display()
            ),
            (Notice::LeftoverKept { leftover, cause }, Lang::Zh) => format!(
                "{warning}无法删除之前的生成留下的 {}：{}",
                leftover.display(),
                io_text(cause, lang)
            ),
            (Notice::LeftoverKept { leftover, cause }, Lang::En) => format!(
                "{warning}cannot remove {}, left by an earlier build: {}",
                leftover.display(),
                io_text(cause, lang)
            ),
            (
                Notice::PreviousKept {
                    target,
                    previous,
                    cause,
                },
                Lang::Zh,
            ) => format!(
                "{warning}新网站已在 {}，但无法删除原来的网站 {}（{}）；下次生成时会删除它",
                target.display(),
                previous.display(),
                io_text(cause, lang)
            ),
            (
                Notice::PreviousKept {
                    target,
                    previous,
                    cause,
                },
                Lang::En,
            ) => format!(
                "{warning}the new site is in {}, but the previous one could not be removed from {} ({}); the next build removes it",
                target.display(),
                previous.display(),
                io_text(cause, lang)
            ),
            (Notice::NotPutBack { site, cause }, Lang::Zh) => format!(
                "{warning}无法放回一次中断的生成留在 {} 的网站：{}",
                site.display(),
                io_text(cause, lang)
            ),
            (Notice::NotPutBack { site, cause }, Lang::En) => format!(
                "{warning}cannot put back the site an interrupted build left in {}: {}",
                site.display(),
                io_text(cause, lang)
            ),
        }
    }
}

/// The candidates close to `given`, closest first: those within a third of its length in
/// edits (at least one), or that start with it.
pub fn similar<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let given_lower = given.to_lowercase();
    let limit = (given.chars().count() / 3).max(1);
    let mut near: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != given)
        .filter_map(|candidate| {
            let distance = edit_distance(&given_lower, &candidate.to_lowercase());
            let prefix = given.chars().count() >= 2 && candidate.starts_with(given);
            (distance <= limit || prefix).then_some((distance, candidate))
        })
        .collect();
    near.sort();
    near.dedup();
    near.into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Levenshtein distance, with a swap of two neighbours counting as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_comes_first() {
        let commands = [
            "check", "build", "serve", "diff", "history", "init", "new", "schema", "explain",
        ];
        assert_eq!(similar("chek", commands), ["check"]);
        assert_eq!(similar("biuld", commands), ["build"]);
        assert_eq!(similar("hist", commands), ["history"]);
        assert!(similar("zzzz", commands).is_empty());
    }

    #[test]
    fn a_cause_is_said_in_the_reader_s_language() {
        let e: Result<()> = Err(io::Error::from(io::ErrorKind::NotFound))
            .context(Problem::Reading(PathBuf::from("a.yaml")));
        let e = e.unwrap_err();
        assert_eq!(e.text(Lang::Zh), "无法读取 a.yaml：没有这个文件或文件夹");
        assert_eq!(
            e.text(Lang::En),
            "cannot read a.yaml: no such file or folder"
        );
    }

    #[test]
    fn advice_comes_after_the_causes() {
        let address: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        let kind = io::ErrorKind::AddrInUse;
        let e: Result<()> = Err(io::Error::from(kind)).context(Problem::Listen { address, kind });
        assert_eq!(
            e.unwrap_err().text(Lang::Zh),
            "无法在 127.0.0.1:1111 上监听：端口已被占用；是否有另一个服务器在用这个端口？用 --port 换一个"
        );
    }

    #[test]
    fn git_says_no_class_and_code() {
        let e = git2::Error::new(
            git2::ErrorCode::NotFound,
            git2::ErrorClass::Reference,
            "reference 'refs/heads/x' not found",
        );
        let e: Result<()> = Err(e).context(Problem::ReadingHistory);
        let text = e.unwrap_err().text(Lang::En);
        assert!(!text.contains("class="), "{text}");
    }
}
