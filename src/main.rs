use std::io::Write;
use std::process::ExitCode;

// Loading and rendering allocate many small strings on every core.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use ducha::lang::Lang;
use ducha::{app, cli};

fn main() -> ExitCode {
    // A build hands the site it replaced to a process of its own to remove.
    if let Some(retired) = std::env::var_os(ducha::write::RETIRED) {
        let removed = ducha::write::remove_retired(std::path::Path::new(&retired));
        return if removed {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    // Before a campaign is read, ducha speaks the system's language: in its help too.
    let cli = match cli::parse(std::env::args_os().collect(), Lang::system()) {
        cli::Parsed::Run(cli) => cli,
        cli::Parsed::Stop { text, stdout, code } => {
            let _ = if stdout {
                std::io::stdout().write_all(text.as_bytes())
            } else {
                std::io::stderr().write_all(text.as_bytes())
            };
            return ExitCode::from(code);
        }
    };
    let lang = app::language(&cli);
    let color = cli.color.on(&std::io::stderr());
    match app::run(cli, lang) {
        Ok(app::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(app::Outcome::Findings) => ExitCode::from(1),
        Err(error) => {
            eprintln!("{}", error.report(lang, color));
            ExitCode::from(2)
        }
    }
}
