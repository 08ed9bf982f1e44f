//! The command line in the language of the person who types it: the help of every command,
//! the usage errors, the rules' explanations and every error that stops a command (exit 2), in
//! Chinese where the campaign or the system is Chinese; and the global `--color`.

mod common;

use common::*;

const ZH: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];
const EN: &[(&str, &str)] = &[("LANG", "C")];

fn in_chinese() -> Fixture {
    let fx = Fixture::new();
    fx.edit(CAMPAIGN, "language: en", "language: zh-CN");
    fx
}

// ---------------------------------------------------------------------------------------------
// errors that stop a command

#[test]
fn an_unknown_commit_is_said_plainly_in_the_campaign_s_language() {
    let fx = in_chinese();
    commit(
        &fx,
        "Clerk",
        "clerk@example.org",
        "2020-03-01T09:00:00+08:00",
        "Set up",
    );
    let root = fx.root().to_str().unwrap();
    for env in [EN, ZH] {
        let (code, stdout, err) = ducha_env(env, &["--root", root, "diff", "nosuch"]);
        assert_eq!((code, stdout.as_str()), (2, ""));
        assert!(err.starts_with("错误：本仓库中没有提交 `nosuch`"), "{err}");
        assert!(!err.contains("class="), "{err}");
    }
    let en = Fixture::new();
    let root = en.root().to_str().unwrap();
    let (_, _, err) = ducha_env(ZH, &["--root", root, "diff", "HEAD"]);
    assert!(
        err.starts_with("error: "),
        "the campaign's language wins: {err}"
    );
    assert!(err.contains("is not in a git repository"), "{err}");
}

#[test]
fn new_and_history_say_what_is_wrong_in_chinese() {
    let fx = in_chinese();
    let root = fx.root().to_str().unwrap();
    let (code, _, err) = ducha_env(EN, &["--root", root, "new", "xiantang"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("xiantang.yaml 已经存在：ducha new 从不覆盖评分表"),
        "{err}"
    );
    let (code, _, err) = ducha_env(EN, &["--root", root, "new", "xiantan"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：towns.yaml 中没有乡镇 `xiantan`：请给出乡镇的标识或名称。是不是 `xiantang`？乡镇有：xiantang、xingang、luohu"),
        "{err}"
    );
    // Two near names: the nearer first (one letter off, then two).
    let (code, _, err) = ducha_env(EN, &["--root", root, "new", "xingtang"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("。是不是 `xingang` 或 `xiantang`？乡镇有："),
        "{err}"
    );
    assert!(!fx.root().join("content/sheets/xingtang.yaml").exists());
    let (code, _, err) = ducha_env(EN, &["--root", root, "history", "nowhere"]);
    assert_eq!(code, 2);
    assert!(err.contains("towns.yaml 中没有乡镇 `nowhere`"), "{err}");
}

#[test]
fn a_refused_output_folder_is_said_in_chinese() {
    let fx = in_chinese();
    let root = fx.root().to_str().unwrap();
    let (code, _, err) = ducha_in(
        fx.root(),
        &["--root", root, "build", "--out", "content/site"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("错误：不把网站写入 content/site（即 ")
            && err.contains("）：它在仓库的 content/ 之中"),
        "{err}"
    );
}

#[test]
fn a_busy_port_is_said_in_chinese() {
    let fx = in_chinese();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let root = fx.root().to_str().unwrap();
    let (code, _, err) = ducha_env(EN, &["--root", root, "serve", "--port", &port]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "错误：无法在 127.0.0.1:{port} 上监听：端口已被占用；是否有另一个服务器在用这个端口？用 --port 换一个"
        )),
        "{err}"
    );
}

#[test]
fn without_a_campaign_the_system_language_speaks() {
    let fx = Fixture::new();
    let missing = fx.root().join("no-such-folder");
    let missing = missing.to_str().unwrap();
    let (code, _, err) = ducha_env(ZH, &["--root", missing, "check"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "错误：没有文件夹 {missing}：请在督查仓库中运行 ducha，或用 --root 给出它的文件夹"
        )),
        "{err}"
    );
    let (_, _, err) = ducha_env(EN, &["--root", missing, "check"]);
    assert!(
        err.starts_with(&format!("error: there is no folder {missing}")),
        "{err}"
    );
    let (code, _, err) = ducha_env(ZH, &["init", fx.root().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("不是空文件夹：请给出新的或空的文件夹"),
        "{err}"
    );
    let (code, _, err) = ducha_env(ZH, &["explain", "E030"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：没有规则 E030：ducha explain 列出全部规则。是不是 `E0301`"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// help

const COMMANDS: &[&str] = &[
    "check", "build", "serve", "diff", "history", "init", "new", "schema", "explain", "help",
];

#[test]
fn the_help_is_in_chinese_on_a_chinese_system() {
    let (code, out, err) = ducha_env(ZH, &["--help"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        out.starts_with("督查 — 检查督查评分表仓库，发布排名网站\n\n用法：ducha [选项] <命令>\n\n命令：\n  check    检查内容，报告每一个问题"),
        "{out}"
    );
    assert!(
        out.contains("\n选项：\n      --root <文件夹>  督查仓库："),
        "{out}"
    );
    assert!(out.contains("  -h, --help           显示帮助\n"), "{out}");
    let (code, out, _) = ducha_env(ZH, &["new", "--help"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
为乡镇生成评分表草稿，列出评分表的每一项

用法：ducha new [选项] <乡镇>

参数：
  <乡镇>  乡镇的标识或名称

选项：
      --rectification  改为生成该乡镇的整改台账 content/rectification/<乡镇>.yaml，列出每个待整改的问题
      --xlsx           改为生成该乡镇的 Excel 填报表 <乡镇>.xlsx，填好后用 ducha import 导入
      --out <文件夹>   Excel 填报表写入的文件夹（默认：当前文件夹）
      --root <文件夹>  督查仓库：其中有 content/ 的文件夹（默认：当前文件夹）
      --color <何时>   何时使用颜色：auto（输出到终端且没有设置 NO_COLOR 时）、always、never（默认 auto）
  -h, --help           显示帮助
"
    );
    assert_eq!(ducha_env(ZH, &["help", "new"]).1, out);
    // Whichever of the locale variables comes first decides.
    let lc_all = [("LC_ALL", "zh_CN.UTF-8"), ("LANG", "C")];
    assert_eq!(ducha_env(&lc_all, &["new", "--help"]).1, out);
}

#[test]
fn no_command_s_help_has_clap_s_english_in_chinese() {
    for command in COMMANDS {
        let (code, out, _) = ducha_env(ZH, &[command, "--help"]);
        assert_eq!(code, 0, "{command}");
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print",
            "[default",
            "possible",
            "OPTIONS",
            "<DIR>",
            "<TOWN>",
            "FORMAT",
        ] {
            assert!(!out.contains(english), "{command}: {english} in\n{out}");
        }
        assert!(out.contains("用法：ducha "), "{command}:\n{out}");
    }
}

#[test]
fn the_help_is_in_english_elsewhere() {
    for env in [EN, &[][..], &[("LANG", "de_DE.UTF-8")][..]] {
        let (code, out, _) = ducha_env(env, &["--help"]);
        assert_eq!(code, 0);
        assert!(
            out.starts_with("督查 — checks a repository of inspection score sheets and publishes the ranking\n\nUsage: ducha [OPTIONS] <COMMAND>\n\nCommands:\n  check    Check the content"),
            "{out}"
        );
    }
    let (_, out, _) = ducha_env(EN, &["new", "--help"]);
    assert!(
        out.starts_with("Write a draft score sheet for a town, every rubric item listed\n\nUsage: ducha new [OPTIONS] <TOWN>\n\nArguments:\n  <TOWN>  The town's slug or name\n"),
        "{out}"
    );
    assert!(
        !out.contains(|c: char| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{out}"
    );
}

#[test]
fn serve_out_is_described_as_build_out_and_init_in_a_few_words() {
    for env in [ZH, EN] {
        let out_line = |command: &str| {
            let (_, help, _) = ducha_env(env, &[command, "--help"]);
            // The words; the column they start at follows each command's longest option.
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with("--out"))
                .unwrap();
            line[line.find('>').unwrap() + 1..].trim_start().to_string()
        };
        assert_eq!(out_line("serve"), out_line("build"));
        let (_, help, _) = ducha_env(env, &["--help"]);
        let init = help.lines().find(|l| l.starts_with("  init ")).unwrap();
        assert!(
            init == "  init     新建督查仓库"
                || init == "  init     Make a new campaign repository",
            "{init}"
        );
    }
    let (_, help, _) = ducha_env(EN, &["serve", "--help"]);
    assert!(
        help.contains("--out <DIR>     Output folder (default: site/ under the root); taken as given, relative to the current folder\n"),
        "{help}"
    );
}

#[test]
fn explain_speaks_the_system_s_language() {
    let (code, out, _) = ducha_env(ZH, &["explain", "E0302"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
E0302 score-above-points（错误）
得分高于标准分
Score above the standard points

检查内容：得分不超过该评分项（或细则）的标准分。
示例：
    \"3\": {score: 4}     # 第 3 项标准分为 3 分
"
    );
    let (_, out, _) = ducha_env(EN, &["explain", "E0302"]);
    assert!(
        out.starts_with("E0302 score-above-points (error)\n"),
        "{out}"
    );
    assert!(out.contains("What it checks: a score is at most"), "{out}");
    assert!(!out.contains("检查内容"), "{out}");
    // Every rule has its Chinese body, and says it in Chinese.
    for rule in ducha::explain::rules() {
        let (code, out, _) = ducha_env(ZH, &["explain", rule.code]);
        assert_eq!(code, 0);
        assert!(out.contains("\n检查内容："), "{}:\n{out}", rule.code);
        assert!(!out.contains("What it checks"), "{}:\n{out}", rule.code);
    }
}

// ---------------------------------------------------------------------------------------------
// usage errors

#[test]
fn a_mistyped_command_gets_the_closest_first() {
    let (code, out, err) = ducha_env(EN, &["chek"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("error: there is no command `chek`. Did you mean `check`"),
        "{err}"
    );
    assert!(
        err.ends_with(
            "\n\nUsage: ducha [OPTIONS] <COMMAND>\n\nFor more information, try `ducha --help`.\n"
        ),
        "{err}"
    );
    let (code, _, err) = ducha_env(ZH, &["chek"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：没有命令 `chek`。是不是 `check`"),
        "{err}"
    );
    assert!(
        err.ends_with("\n\n用法：ducha [选项] <命令>\n\n要了解更多，请运行 ducha --help\n"),
        "{err}"
    );
    let (_, _, err) = ducha_env(EN, &["hisotry"]);
    assert!(err.contains("Did you mean `history`"), "{err}");
    let (code, _, err) = ducha_env(ZH, &["help", "chek"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：没有命令 `chek`。是不是 `check`"),
        "{err}"
    );
}

#[test]
fn usage_errors_are_in_chinese_on_a_chinese_system() {
    let (code, _, err) = ducha_env(ZH, &["check", "--formt", "json"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：没有参数 `--formt`。是不是 `--format`？\n\n用法：ducha check --format <格式>\n\n要了解更多，请运行 ducha check --help\n"),
        "{err}"
    );
    let (code, _, err) = ducha_env(ZH, &["check", "--format", "yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：`yaml` 不是 --format <格式> 可取的值：可取 human、json、github"),
        "{err}"
    );
    let (code, _, err) = ducha_env(ZH, &["new"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：缺少 <乡镇>\n\n用法：ducha new <乡镇>"),
        "{err}"
    );
    let (code, _, err) = ducha_env(ZH, &["serve", "--port", "http"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：`http` 不能用作 --port <端口>：端口须为 0 到 65535 的整数"),
        "{err}"
    );
    let (code, _, err) = ducha_env(ZH, &["explain", "E0302", "--markdown"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：[规则] 不能与 --markdown 同时使用"),
        "{err}"
    );
    let (code, _, err) = ducha_env(EN, &["check", "--format", "yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: `yaml` is not a value of --format <FORMAT>: the values are human, json, github"
        ),
        "{err}"
    );
    // Without a command: the help, on standard error, and exit 2 as before.
    let (code, out, err) = ducha_env(ZH, &[]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("用法：ducha [选项] <命令>"), "{err}");
}

#[test]
fn root_is_refused_by_commands_that_read_no_campaign() {
    let fx = Fixture::new();
    let dir = fx.root().join("new-campaign");
    let dir = dir.to_str().unwrap();
    for args in [
        &["init", "--root", "x", dir][..],
        &["--root", "x", "init", dir][..],
        &["--root=x", "init", "--example", dir][..],
    ] {
        let (code, out, err) = ducha_env(EN, args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert_eq!(
            err,
            "error: ducha init reads no campaign repository and takes no --root; give the new repository's folder after the command: ducha init DIR\n"
        );
        assert!(!std::path::Path::new(dir).exists());
    }
    let (code, _, err) = ducha_env(ZH, &["init", "--root", "x", dir]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "错误：ducha init 不读取督查仓库，不接受 --root；新仓库的文件夹直接写在命令之后：ducha init <文件夹>\n"
    );
    for args in [
        &["explain", "--root", "x", "E0302"][..],
        &["--root", "x", "explain"][..],
    ] {
        let (code, out, err) = ducha_env(EN, args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert_eq!(
            err,
            "error: ducha explain reads no campaign repository and takes no --root; leave out --root\n"
        );
    }
    // Their help does not offer it.
    for command in ["init", "explain"] {
        let (_, help, _) = ducha_env(EN, &[command, "--help"]);
        assert!(!help.contains("--root"), "{help}");
    }
    let (_, help, _) = ducha_env(EN, &["check", "--help"]);
    assert!(help.contains("--root <DIR>"), "{help}");
}

// ---------------------------------------------------------------------------------------------
// --color

#[test]
fn color_always_colours_even_through_a_pipe_and_never_never() {
    let fx = Fixture::new();
    fx.edit(XIANTANG, "{score: 4.5}", "{score: 5.5}");
    let root = fx.root().to_str().unwrap();
    let (code, out, _) = ducha_env(EN, &["--root", root, "check", "--color", "always"]);
    assert_eq!(code, 1);
    assert!(out.contains("\x1b[1;31merror[E0302]\x1b[0m"), "{out:?}");
    for args in [
        &["--root", root, "check"][..],
        &["--root", root, "--color", "never", "check"][..],
        &["--root", root, "check", "--color=never"][..],
    ] {
        let (code, out, _) = ducha_env(&[("LANG", "C"), ("NO_COLOR", "")], args);
        assert_eq!(code, 1);
        assert!(out.starts_with("error[E0302]"), "{out:?}");
        assert!(!out.contains('\x1b'), "{args:?}: {out:?}");
    }
    // Errors that stop a command, usage errors and the help too.
    let (_, _, err) = ducha_env(EN, &["--color", "always", "--root", "nowhere", "check"]);
    assert!(
        err.starts_with("\x1b[1;31merror:\x1b[0m there is no folder"),
        "{err:?}"
    );
    let (_, _, err) = ducha_env(ZH, &["--color", "always", "chek"]);
    assert!(
        err.starts_with("\x1b[1;31m错误：\x1b[0m没有命令"),
        "{err:?}"
    );
    let (_, out, _) = ducha_env(EN, &["--color=always", "--help"]);
    assert!(out.contains('\x1b'), "{out:?}");
    let (_, out, _) = ducha_env(EN, &["--help"]);
    assert!(!out.contains('\x1b'), "{out:?}");
    let (code, _, err) = ducha_env(ZH, &["--color", "sometimes", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误：`sometimes` 不是 --color <何时> 可取的值：可取 auto、always、never"),
        "{err}"
    );
}
