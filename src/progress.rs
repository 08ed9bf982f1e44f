//! What long work says of itself while it runs: the stage it is in and how far it has come.
//! The stages report here (`stage`, `advance`), whoever runs them; a command shows it on a
//! terminal as one updating line (`Shown`). When no line is shown, reporting costs a load of
//! one flag.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::lang::Lang;

/// Work shorter than this shows no line.
const SHOWN_AFTER: Duration = Duration::from_millis(500);
/// How often the line is drawn again.
const TICK: Duration = Duration::from_millis(100);

/// A stage of the work, named as the line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the score sheets: counts sheets.
    Reading,
    /// Checking the sheets: counts sheets.
    Checking,
    /// Reading the commits of the trail: counts commits.
    History,
    /// Rendering and writing the pages: counts pages.
    Rendering,
}

impl Stage {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::Reading, Lang::Zh) => "读取评分表",
            (Stage::Reading, Lang::En) => "reading sheets",
            (Stage::Checking, Lang::Zh) => "检查评分表",
            (Stage::Checking, Lang::En) => "checking sheets",
            (Stage::History, Lang::Zh) => "读取提交记录",
            (Stage::History, Lang::En) => "reading commits",
            (Stage::Rendering, Lang::Zh) => "生成页面",
            (Stage::Rendering, Lang::En) => "rendering pages",
        }
    }
}

/// Whether a line is shown: until then, nothing is counted.
static WATCHED: AtomicBool = AtomicBool::new(false);
/// The stage now, and how many things it has to do when it knows.
static STAGE: Mutex<Option<(Stage, Option<u64>)>> = Mutex::new(None);
/// How many things the stage has done.
static DONE: AtomicU64 = AtomicU64::new(0);

/// Starts `stage`, which has `total` things to do when that is known.
pub fn stage(stage: Stage, total: Option<u64>) {
    if !WATCHED.load(Ordering::Relaxed) {
        return;
    }
    *STAGE.lock().unwrap_or_else(PoisonError::into_inner) = Some((stage, total));
    DONE.store(0, Ordering::Relaxed);
}

/// Notes that the stage did `n` more things.
pub fn advance(n: u64) {
    if WATCHED.load(Ordering::Relaxed) {
        DONE.fetch_add(n, Ordering::Relaxed);
    }
}

/// The line a command shows on a terminal while it works, from half a second on: the stage,
/// how far it has come and the time since the command started. Gone when the work ends.
pub struct Shown {
    started: Instant,
    stop: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Shown {
    /// Starts the line when standard error is a terminal; otherwise nothing is ever drawn.
    pub fn start(lang: Lang) -> Shown {
        let started = Instant::now();
        if !std::io::stderr().is_terminal() {
            return Shown {
                started,
                stop: None,
            };
        }
        WATCHED.store(true, Ordering::Relaxed);
        let (stop, stopped) = channel();
        let thread = std::thread::spawn(move || {
            if stopped.recv_timeout(SHOWN_AFTER) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            )
            .with_elapsed(started.elapsed());
            let style = indicatif::ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            bar.set_style(style);
            loop {
                bar.set_message(line(lang));
                bar.tick();
                match stopped.recv_timeout(TICK) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            bar.finish_and_clear();
        });
        Shown {
            started,
            stop: Some((stop, thread)),
        }
    }

    /// Takes the line away; returns the time since the command started when a line could
    /// have been shown, for the summary to say.
    pub fn finish(mut self) -> Option<Duration> {
        let (stop, thread) = self.stop.take()?;
        let _ = stop.send(());
        let _ = thread.join();
        WATCHED.store(false, Ordering::Relaxed);
        Some(self.started.elapsed())
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        if let Some((stop, thread)) = self.stop.take() {
            let _ = stop.send(());
            let _ = thread.join();
            WATCHED.store(false, Ordering::Relaxed);
        }
    }
}

/// The stage and its count, as the line shows them.
fn line(lang: Lang) -> String {
    let Some((stage, total)) = *STAGE.lock().unwrap_or_else(PoisonError::into_inner) else {
        return match lang {
            Lang::Zh => "准备中".into(),
            Lang::En => "starting".into(),
        };
    };
    let done = DONE.load(Ordering::Relaxed);
    match total {
        Some(total) => format!("{} {}/{total}", stage.name(lang), done.min(total)),
        None => format!("{} {done}", stage.name(lang)),
    }
}

/// The time a command took, as its summary line ends: " (2.4 s)" or "（2.4 秒）".
pub fn took(time: Duration, lang: Lang) -> String {
    let tenths = time.as_millis().div_ceil(100);
    let (whole, tenth) = (tenths / 10, tenths % 10);
    match lang {
        Lang::Zh => format!("（用时 {whole}.{tenth} 秒）"),
        Lang::En => format!(" ({whole}.{tenth} s)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_taken_is_rounded_up_to_a_tenth_of_a_second() {
        assert_eq!(took(Duration::from_millis(2_401), Lang::En), " (2.5 s)");
        assert_eq!(took(Duration::from_millis(40), Lang::Zh), "（用时 0.1 秒）");
        assert_eq!(took(Duration::from_secs(61), Lang::En), " (61.0 s)");
    }
}
