//! The command line: its arguments, and its help and usage errors in the reader's language.
//!
//! The arguments are declared with clap's derive; what the help says about them is in `HELP`,
//! in Chinese and in English, put in place when the command line is built for a language. A
//! usage error is put into words from the `Problem` table, not by clap.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::lang::Lang;
use crate::problem::{self, Error, Need, Problem};

// The help of every command and argument is in `HELP`, not in doc comments.
#[derive(Debug, Parser)]
#[command(
    name = "ducha",
    version,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    // The campaign repository; `None` is the current folder (see `Cli::root`).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The campaign repository: the folder given with `--root`, else the current one.
    pub fn root(&self) -> &Path {
        self.root.as_deref().unwrap_or(Path::new("."))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Check {
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        #[arg(long)]
        strict: bool,
    },
    Build {
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "TOWN", num_args = 1.., requires = "out")]
        town: Vec<String>,
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        as_of: Option<jiff::civil::Date>,
    },
    Serve {
        #[arg(long, value_name = "PORT", default_value_t = 1111)]
        port: u16,
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        as_of: Option<jiff::civil::Date>,
    },
    Diff {
        #[arg(value_name = "BASE")]
        base: String,
        #[arg(value_name = "HEAD")]
        head: Option<String>,
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
    },
    History {
        #[arg(value_name = "TOWN")]
        town: Option<String>,
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = HistoryFormat::Text)]
        format: HistoryFormat,
    },
    Init {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        #[arg(long)]
        example: bool,
        #[arg(long, value_enum, value_name = "FORGE")]
        ci: Option<Forge>,
    },
    New {
        #[arg(value_name = "TOWN")]
        town: String,
        #[arg(long, conflicts_with = "xlsx")]
        rectification: bool,
        #[arg(long)]
        xlsx: bool,
        #[arg(long, value_name = "DIR", requires = "xlsx")]
        out: Option<PathBuf>,
    },
    Export {
        #[arg(value_enum, value_name = "FORMAT")]
        format: ExportFormat,
        #[arg(value_name = "TOWN")]
        towns: Vec<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    Import {
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        force: bool,
    },
    Publish {
        #[arg(long, value_name = "NAME")]
        tag: Option<String>,
    },
    Schema {
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    Explain {
        #[arg(value_name = "CODE")]
        code: Option<String>,
        #[arg(long, conflicts_with = "code")]
        markdown: bool,
    },
    Help {
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

/// When to colour what ducha writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Whether to colour what goes to `stream`.
    pub fn on(self, stream: &impl IsTerminal) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => stream.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    Gitlab,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Xlsx,
}

/// Where a campaign repository is hosted, for the CI pipeline `init` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Forge {
    Github,
    Gitea,
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Text,
    Json,
}

/// A text of the help in both languages.
#[derive(Debug, Clone, Copy)]
struct Text {
    zh: &'static str,
    en: &'static str,
}

impl Text {
    fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn t(zh: &'static str, en: &'static str) -> Text {
    Text { zh, en }
}

/// `--out` of `build` and of `serve`: the same folder, said the same way.
const SITE_OUT: Text = t(
    "输出文件夹（默认：仓库下的 site/）；路径按所给的理解，相对于当前文件夹",
    "Output folder (default: site/ under the root); taken as given, relative to the current folder",
);

/// The help of the command line: (command, argument, text). The command `""` is ducha itself,
/// whose arguments are global; the argument `""` is the command's one-line description, and
/// `"+"` what its help says after the arguments.
const AS_OF: Text = t(
    "判断期限的日期（YYYY-MM-DD），如征求意见期是否已过；默认为所构建提交的日期，未提交的修改为今天",
    "The day windows and deadlines are judged on (YYYY-MM-DD); by default the day of the commit built, or today for uncommitted changes",
);

const HELP: &[(&str, &str, Text)] = &[
    (
        "",
        "",
        t(
            "督查 — 检查督查评分表仓库，发布排名网站",
            "督查 — checks a repository of inspection score sheets and publishes the ranking",
        ),
    ),
    (
        "",
        "root",
        t(
            "督查仓库：其中有 content/ 的文件夹（默认：当前文件夹）",
            "The campaign repository: the folder that holds content/ (default: the current folder)",
        ),
    ),
    (
        "",
        "color",
        t(
            "何时使用颜色：auto（输出到终端且没有设置 NO_COLOR 时）、always、never（默认 auto）",
            "When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never (default: auto)",
        ),
    ),
    ("", "help", t("显示帮助", "Print help")),
    ("", "version", t("显示版本", "Print version")),
    (
        "check",
        "",
        t(
            "检查内容，报告每一个问题（退出码：0 无误，1 有错误，2 无法运行）",
            "Check the content and report every problem (exit 0 clean, 1 errors, 2 could not run)",
        ),
    ),
    (
        "check",
        "format",
        t(
            "输出格式：human（带原文片段，在终端中着色）、json（一个 JSON 文档）、github（GitHub Actions 命令，在拉取请求中标注）、gitlab（GitLab 代码质量报告，在合并请求中标注）、sarif（SARIF 2.1.0，供代码扫描平台读取）（默认 human）",
            "Output format: human (messages with code frames, coloured on a terminal), json (one JSON document), github (GitHub Actions workflow commands, for pull-request annotations), gitlab (a GitLab Code Quality report, for merge-request annotations), sarif (SARIF 2.1.0, for code-scanning tools) (default: human)",
        ),
    ),
    (
        "check",
        "strict",
        t("把警告也算作错误", "Count warnings as errors"),
    ),
    (
        "build",
        "",
        t(
            "检查后生成网站：排名、各乡镇报告、各督查组、评分表、通报和数据",
            "Check, then build the site: ranking, town reports, groups, scoring table, notices, data",
        ),
    ),
    ("build", "out", SITE_OUT),
    (
        "build",
        "town",
        t(
            "只为这些乡镇生成一份材料（标识或名称，可给多个；须同时给 --out）：全县排名，加上这些乡镇的报告、通知、异议、整改和佐证材料，不含其他乡镇的报告",
            "Build a bundle for these towns only (slugs or names, one or more; needs --out): the county's ranking, with their reports, notices, objections, rectification and evidence, and no other town's report",
        ),
    ),
    ("build", "as_of", AS_OF),
    (
        "serve",
        "",
        t(
            "生成网站并在本机提供浏览，每次修改后重新生成并刷新浏览器",
            "Build, serve the site on this machine, rebuild on every change, and reload the browser",
        ),
    ),
    (
        "serve",
        "port",
        t(
            "监听的端口（0：任一空闲端口；默认 1111）",
            "Port to listen on (0: any free port; default: 1111)",
        ),
    ),
    (
        "serve",
        "bind",
        t(
            "监听的地址（默认 127.0.0.1）；不另给地址时，只有本机能访问",
            "Address to listen on (default: 127.0.0.1); only this machine can connect unless you give another",
        ),
    ),
    ("serve", "out", SITE_OUT),
    ("serve", "as_of", AS_OF),
    (
        "diff",
        "",
        t(
            "一次修改带来什么：名次变化、总分、逐项的变化、新出现和已解决的问题",
            "What a change does: rank moves, totals, item-level changes, new and resolved problems",
        ),
    ),
    (
        "diff",
        "base",
        t(
            "比较的起点（提交编号、标签、分支，或如 HEAD~1）",
            "The commit to compare from (a commit id, tag, branch, or e.g. HEAD~1)",
        ),
    ),
    (
        "diff",
        "head",
        t(
            "比较的终点（默认：工作区）",
            "The commit to compare to (default: the working tree)",
        ),
    ),
    (
        "diff",
        "format",
        t(
            "输出格式：markdown（拉取请求的评论）、json（一个 JSON 文档）（默认 markdown）",
            "Output format: markdown (a pull-request comment), json (one JSON document) (default: markdown)",
        ),
    ),
    (
        "history",
        "",
        t(
            "审计记录：每一次修改评分表的提交，逐项列出",
            "The audit trail: every commit that changed a sheet, item by item",
        ),
    ),
    (
        "history",
        "town",
        t(
            "乡镇的标识或名称（默认：全部乡镇）",
            "A town's slug or name (default: every town)",
        ),
    ),
    (
        "history",
        "format",
        t(
            "输出格式：text（在终端中阅读）、json（一个 JSON 文档）（默认 text）",
            "Output format: text (for reading in a terminal), json (one JSON document) (default: text)",
        ),
    ),
    (
        "init",
        "",
        t("新建督查仓库", "Make a new campaign repository"),
    ),
    (
        "init",
        "+",
        t(
            "新仓库中有：内容文件（其中的示例待替换）、给督查室的 README、CI 工作流和编辑器规则。",
            "The new repository holds content files with examples to replace, a README for the office, a CI workflow and editor schemas.",
        ),
    ),
    (
        "init",
        "dir",
        t("新的或空的文件夹", "A new or empty folder"),
    ),
    (
        "init",
        "example",
        t(
            "改为写入示例督查仓库：一个 git 仓库，带有督查过程的提交记录",
            "The example campaign instead, as a git repository with the history of its inspection",
        ),
    ),
    (
        "init",
        "ci",
        t(
            "CI 流水线的平台：github（默认，.github/workflows/ducha.yml）、gitea（.gitea/workflows/ducha.yml）或 gitlab（.gitlab-ci.yml）；给出已有的督查仓库时，只添加流水线文件",
            "The forge to write the CI pipeline for: github (default, .github/workflows/ducha.yml), gitea (.gitea/workflows/ducha.yml) or gitlab (.gitlab-ci.yml); given an existing campaign repository, only the pipeline is added",
        ),
    ),
    (
        "new",
        "",
        t(
            "为乡镇生成评分表草稿，列出评分表的每一项",
            "Write a draft score sheet for a town, every rubric item listed",
        ),
    ),
    (
        "new",
        "town",
        t("乡镇的标识或名称", "The town's slug or name"),
    ),
    (
        "new",
        "rectification",
        t(
            "改为生成该乡镇的整改台账 content/rectification/<乡镇>.yaml，列出每个待整改的问题",
            "Write the town's rectification records instead, content/rectification/<slug>.yaml, with every problem to put right listed",
        ),
    ),
    (
        "new",
        "xlsx",
        t(
            "改为生成该乡镇的 Excel 填报表 <乡镇>.xlsx，填好后用 ducha import 导入",
            "Write an Excel form to fill in for the town instead, <slug>.xlsx; bring it back with ducha import",
        ),
    ),
    (
        "new",
        "out",
        t(
            "Excel 填报表写入的文件夹（默认：当前文件夹）",
            "Folder the Excel form is written to (default: the current folder)",
        ),
    ),
    (
        "export",
        "",
        t(
            "把乡镇的评分表导出为 Excel 工作簿，版式同纸质评分表，可打印、可修改后用 ducha import 导回",
            "Export towns' score sheets as Excel workbooks laid out like the paper form, to print, or to edit and bring back with ducha import",
        ),
    ),
    ("export", "format", t("导出格式：xlsx", "The format: xlsx")),
    (
        "export",
        "towns",
        t(
            "乡镇的标识或名称（默认：有评分表的所有乡镇）",
            "Towns by slug or name (default: every town with a sheet)",
        ),
    ),
    (
        "export",
        "out",
        t(
            "写入工作簿的文件夹，每个乡镇一个 <乡镇>.xlsx",
            "Folder to write the workbooks to, one <slug>.xlsx per town",
        ),
    ),
    (
        "import",
        "",
        t(
            "把填好的 Excel 评分表导入为 content/sheets/<乡镇>.yaml；先按 check 的规则检查，有错误则一个文件也不写",
            "Turn filled Excel forms into content/sheets/<slug>.yaml; they are checked by check's rules first, and nothing is written while any has an error",
        ),
    ),
    (
        "import",
        "files",
        t(
            "ducha new --xlsx 或 ducha export xlsx 生成、填好的 .xlsx 文件",
            "Filled .xlsx forms, as ducha new --xlsx or ducha export xlsx wrote them",
        ),
    ),
    (
        "import",
        "force",
        t("覆盖已有的评分表", "Overwrite sheets that exist"),
    ),
    (
        "publish",
        "",
        t(
            "正式发布：检查无误、评分表全部定稿、异议全部决定后，为当前提交打上附注标签",
            "Publish: once check --strict is clean, every sheet final and every objection decided, tag the commit checked out",
        ),
    ),
    (
        "publish",
        "tag",
        t(
            "标签名称（默认为督查活动的 id）",
            "The tag's name (default: the campaign's id)",
        ),
    ),
    (
        "schema",
        "",
        t(
            "生成内容文件的 JSON Schema，供编辑器在输入时检查 YAML",
            "Write JSON Schemas of the content files, for editors that check YAML as you type",
        ),
    ),
    (
        "schema",
        "out",
        t(
            "输出文件夹（默认：仓库下的 schemas/）；路径按所给的理解，相对于当前文件夹",
            "Output folder (default: schemas/ under the root); taken as given, relative to the current folder",
        ),
    ),
    (
        "explain",
        "",
        t(
            "按代码（E0302）或名称（score-above-points）解释一条规则；不给出时列出全部规则",
            "Explain a rule by its code (E0302) or name (score-above-points); without one, list them all",
        ),
    ),
    (
        "explain",
        "code",
        t("规则的代码或名称", "A rule's code or name"),
    ),
    (
        "explain",
        "markdown",
        t(
            "把全部规则写成一个 Markdown 文档",
            "Every rule as one Markdown document",
        ),
    ),
    (
        "help",
        "",
        t(
            "显示本帮助，或某个命令的帮助",
            "Print this message or the help of the given command",
        ),
    ),
    ("help", "command", t("命令的名称", "A command's name")),
];

/// Names of the values that arguments take, in Chinese.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("DIR", "文件夹"),
    ("WHEN", "何时"),
    ("FORMAT", "格式"),
    ("PORT", "端口"),
    ("ADDR", "地址"),
    ("BASE", "起点"),
    ("HEAD", "终点"),
    ("TOWN", "乡镇"),
    ("FILE", "文件"),
    ("CODE", "规则"),
    ("COMMAND", "命令"),
];

/// The words clap frames a help or a usage with, in Chinese.
const FRAME: &[(&str, &str)] = &[
    ("Usage:", "用法："),
    ("Commands:", "命令："),
    ("Arguments:", "参数："),
    ("Options:", "选项："),
    ("[OPTIONS]", "[选项]"),
    ("<COMMAND>", "<命令>"),
];

/// The line under a usage error that says where to read more.
const MORE: Text = t(
    "要了解更多，请运行 {} --help",
    "For more information, try `{} --help`.",
);

fn help_text(command: &str, arg: &str, lang: Lang) -> Option<&'static str> {
    HELP.iter()
        .find(|(c, a, _)| *c == command && *a == arg)
        .map(|(_, _, text)| text.get(lang))
}

/// The command line, its help in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let version = Arg::new("version")
        .short('V')
        .long("version")
        .action(ArgAction::Version);
    let mut cmd = described(Cli::command().arg(version), "", lang).mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        described(sub, &name, lang)
    });
    cmd.build();
    cmd
}

/// A command with its description, and the help of each argument it declares, in `lang`.
fn described(cmd: clap::Command, name: &str, lang: Lang) -> clap::Command {
    let help = Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help);
    let mut cmd = cmd;
    if ["init", "explain"].contains(&name) {
        // These read no campaign and refuse `--root` (see `app::run`): it is taken, so that
        // the refusal can say why, but not shown. The global one is not added where this is.
        let root = Arg::new("root")
            .long("root")
            .value_name("DIR")
            .value_parser(clap::value_parser!(PathBuf))
            .hide(true);
        cmd = cmd.arg(root);
    }
    let cmd = cmd
        .disable_help_flag(true)
        .arg(help)
        .about(help_text(name, "", lang))
        .after_help(help_text(name, "+", lang));
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    // Its own arguments in the order declared, then the global ones, then `--version` and
    // `--help`.
    let first = if name.is_empty() { 100 } else { 0 };
    ids.into_iter().enumerate().fold(cmd, |cmd, (i, id)| {
        let help = help_text(name, &id, lang).or_else(|| help_text("", &id, lang));
        let order = match id.as_str() {
            "version" => 1000,
            "help" => 1001,
            _ => first + i,
        };
        cmd.mut_arg(&id, |arg| {
            let mut arg = arg.help(help).display_order(order);
            if arg.get_action().takes_values() {
                // The help text says them, in its language.
                arg = arg.hide_default_value(true).hide_possible_values(true);
            }
            if lang == Lang::Zh {
                let names: Option<Vec<&'static str>> = arg
                    .get_value_names()
                    .into_iter()
                    .flatten()
                    .map(|n| chinese_value_name(n.as_str()))
                    .collect();
                if let Some(names) = names.filter(|n| !n.is_empty()) {
                    arg = arg.value_names(names);
                }
            }
            arg
        })
    })
}

fn chinese_value_name(name: &str) -> Option<&'static str> {
    VALUE_NAMES
        .iter()
        .find(|(en, _)| *en == name)
        .map(|(_, zh)| *zh)
}

/// Clap's own words in a help or usage, in `lang`.
fn framed(text: String, lang: Lang) -> String {
    match lang {
        Lang::En => text,
        Lang::Zh => {
            let mut text = FRAME
                .iter()
                .fold(text, |text, (en, zh)| text.replace(en, zh));
            // `用法：ducha`, not `用法： ducha`: the full-width colon has its space.
            for reset in ["\x1b[0m", ""] {
                text = text.replace(&format!("用法：{reset} "), &format!("用法：{reset}"));
            }
            text
        }
    }
}

/// The help of the command `name` (ducha itself with `None`), in `lang`.
pub fn help(name: Option<&str>, lang: Lang, color: bool) -> Result<String, Error> {
    let mut cmd = command(lang);
    let cmd = match name {
        None => &mut cmd,
        Some(name) => {
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            match cmd.find_subcommand_mut(name) {
                Some(sub) => sub,
                None => {
                    return Err(Problem::UnknownCommand {
                        wanted: name.to_string(),
                        suggestions: closest(name, Vec::new(), &names),
                    }
                    .into());
                }
            }
        }
    };
    let help = cmd.render_help();
    Ok(framed(styled(&help, color), lang))
}

fn styled(text: &clap::builder::StyledStr, color: bool) -> String {
    if color {
        text.ansi().to_string()
    } else {
        text.to_string()
    }
}

/// What the command line asks for.
pub enum Parsed {
    Run(Cli),
    /// A help, the version, or a usage error: what to show, where, and the exit code.
    Stop {
        text: String,
        stdout: bool,
        code: u8,
    },
}

/// Reads the command line; its help and its errors are in `lang`.
pub fn parse(args: Vec<OsString>, lang: Lang) -> Parsed {
    let when = color_when(&args);
    let mut cmd = command(lang);
    let error = match cmd.try_get_matches_from_mut(args) {
        Ok(matches) => match Cli::from_arg_matches(&matches) {
            Ok(cli) => return Parsed::Run(cli),
            Err(e) => e,
        },
        Err(e) => e,
    };
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Stop {
            text: framed(styled(&error.render(), when.on(&std::io::stdout())), lang),
            stdout: true,
            code: 0,
        },
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Parsed::Stop {
            text: framed(styled(&error.render(), when.on(&std::io::stderr())), lang),
            stdout: false,
            code: 2,
        },
        _ => Parsed::Stop {
            text: usage_error(&error, &cmd, lang, when.on(&std::io::stderr())),
            stdout: false,
            code: 2,
        },
    }
}

/// `--color` as given, before the command line is parsed: the help and the usage errors are
/// coloured by it too.
fn color_when(args: &[OsString]) -> ColorWhen {
    let mut when = ColorWhen::Auto;
    let mut args = args.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            Some("--") => break,
            Some("--color") => args.next().flatten(),
            Some(arg) => arg.strip_prefix("--color="),
            None => None,
        };
        if let Some(found) = value.and_then(|v| ColorWhen::from_str(v, false).ok()) {
            when = found;
        }
    }
    when
}

/// A usage error, as ducha says it: the problem, how the command is used, and where to read
/// more.
fn usage_error(error: &clap::Error, cmd: &clap::Command, lang: Lang, color: bool) -> String {
    let problem = match usage_problem(error, cmd) {
        Some(problem) => Error::from(problem),
        None => {
            // The parser's own words: only for errors this command line cannot produce.
            let said = error.render().to_string();
            let first = said.lines().next().unwrap_or_default();
            let said = first.strip_prefix("error: ").unwrap_or(first).to_string();
            Error::new(Problem::CommandLine, problem::Cause::Said(said))
        }
    };
    let mut text = problem.report(lang, color);
    text.push('\n');
    // `ducha check [OPTIONS]`, without its heading.
    let usage = match error.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(usage)) => usage.to_string(),
        _ => String::new(),
    };
    let usage = usage.trim_start_matches("Usage:").trim();
    if !usage.is_empty() {
        text.push('\n');
        text.push_str(&framed(format!("Usage: {usage}"), lang));
        text.push('\n');
    }
    // `ducha check`: the command whose help to read.
    let program: Vec<&str> = usage
        .split_whitespace()
        .take_while(|word| !word.starts_with(['[', '<', '-']))
        .collect();
    let program = if program.is_empty() {
        "ducha".to_string()
    } else {
        program.join(" ")
    };
    text.push('\n');
    text.push_str(&MORE.get(lang).replace("{}", &program));
    text.push('\n');
    text
}

fn context_string(error: &clap::Error, kind: ContextKind) -> String {
    match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join(" "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        _ => String::new(),
    }
}

fn context_strings(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(s)) => s.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(s)) => s.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Candidates for a mistyped name, closest first: clap's, and any other name as close.
fn closest(wanted: &str, mut suggested: Vec<String>, names: &[String]) -> Vec<String> {
    suggested.extend(problem::similar(wanted, names.iter().map(String::as_str)));
    let mut unique: Vec<String> = Vec::new();
    for name in suggested {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    // Stable: of two as close, the one clap found first stays first.
    unique.sort_by_key(|name| problem::edit_distance(wanted, name));
    unique
}

/// The problem a usage error is, in the terms of the `Problem` table.
fn usage_problem(error: &clap::Error, cmd: &clap::Command) -> Option<Problem> {
    let arg = || context_string(error, ContextKind::InvalidArg);
    let value = || context_string(error, ContextKind::InvalidValue);
    Some(match error.kind() {
        ErrorKind::InvalidSubcommand => {
            let wanted = context_string(error, ContextKind::InvalidSubcommand);
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            let suggested = context_strings(error, ContextKind::SuggestedSubcommand);
            Problem::UnknownCommand {
                suggestions: closest(&wanted, suggested, &names),
                wanted,
            }
        }
        ErrorKind::UnknownArgument => {
            let wanted = arg();
            let mut suggested = context_strings(error, ContextKind::SuggestedArg);
            suggested.extend(context_strings(error, ContextKind::SuggestedSubcommand));
            Problem::UnknownArgument {
                suggestions: closest(&wanted, suggested, &[]),
                wanted,
            }
        }
        ErrorKind::InvalidValue => {
            let value = value();
            let suggested = context_strings(error, ContextKind::SuggestedValue);
            Problem::InvalidValue {
                arg: arg(),
                choices: context_strings(error, ContextKind::ValidValue),
                suggestions: closest(&value, suggested, &[]),
                value,
            }
        }
        ErrorKind::ValueValidation => {
            let arg = arg();
            let need = if arg.starts_with("--port") {
                Some(Need::Port)
            } else if arg.starts_with("--bind") {
                Some(Need::Address)
            } else if arg.starts_with("--as-of") {
                Some(Need::Date)
            } else {
                None
            };
            Problem::ValueNotValid {
                arg,
                value: value(),
                need,
            }
        }
        ErrorKind::ArgumentConflict => Problem::Conflict {
            arg: arg(),
            with: context_strings(error, ContextKind::PriorArg).join(", "),
        },
        ErrorKind::MissingRequiredArgument => {
            Problem::MissingArgument(context_strings(error, ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => Problem::MissingArgument(vec!["<COMMAND>".into()]),
        ErrorKind::TooManyValues => Problem::TooManyValues {
            arg: arg(),
            value: value(),
        },
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            Problem::WrongNumberOfValues(arg())
        }
        ErrorKind::NoEquals => Problem::NoEquals(arg()),
        ErrorKind::InvalidUtf8 => Problem::ArgumentNotUtf8,
        _ => return None,
    })
}

/// A day as the command line gives it: YYYY-MM-DD.
fn parse_day(text: &str) -> Result<jiff::civil::Date, &'static str> {
    crate::load::decode::parse_date(text).ok_or("YYYY-MM-DD")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Cli {
        let args = std::iter::once("ducha").chain(args.iter().copied());
        match parse(args.map(OsString::from).collect(), Lang::En) {
            Parsed::Run(cli) => cli,
            Parsed::Stop { text, .. } => panic!("{text}"),
        }
    }

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
        for lang in [Lang::Zh, Lang::En] {
            command(lang).debug_assert();
        }
    }

    #[test]
    fn root_is_accepted_after_the_command() {
        let cli = parsed(&["check", "--root", "x"]);
        assert_eq!(cli.root(), Path::new("x"));
        assert_eq!(parsed(&["check"]).root, None);
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let cmd = command(lang);
            for sub in std::iter::once(&cmd).chain(cmd.get_subcommands()) {
                assert!(sub.get_about().is_some(), "{}", sub.get_name());
                for arg in sub.get_arguments() {
                    assert!(
                        arg.get_help().is_some(),
                        "{} {}",
                        sub.get_name(),
                        arg.get_id()
                    );
                }
            }
        }
        let used = |c: &str, a: &str| {
            let cmd = Cli::command();
            let cmd = if c.is_empty() {
                Some(&cmd)
            } else {
                cmd.get_subcommands().find(|s| s.get_name() == c)
            };
            let Some(cmd) = cmd else { return false };
            a.is_empty()
                || a == "+"
                || ["help", "version"].contains(&a)
                || cmd.get_arguments().any(|arg| arg.get_id() == a)
        };
        for (c, a, _) in HELP {
            assert!(used(c, a), "no argument {a} of {c}");
        }
    }

    #[test]
    fn serve_out_is_build_out() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(
                help_text("serve", "out", lang),
                help_text("build", "out", lang)
            );
        }
    }

    #[test]
    fn color_is_read_before_the_command_line_is_parsed() {
        let args = |a: &[&str]| -> Vec<OsString> { a.iter().map(OsString::from).collect() };
        assert_eq!(color_when(&args(&["ducha", "chek"])), ColorWhen::Auto);
        assert_eq!(
            color_when(&args(&["ducha", "--color", "always", "chek"])),
            ColorWhen::Always
        );
        assert_eq!(
            color_when(&args(&["ducha", "check", "--color=never"])),
            ColorWhen::Never
        );
        assert_eq!(
            color_when(&args(&["ducha", "--", "--color=never"])),
            ColorWhen::Auto
        );
    }
}
