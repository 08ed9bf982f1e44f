//! `ducha serve`: build, serve the output folder, rebuild on every change, reload the browser.

mod address;
mod http;
mod reload;
mod site;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::cli::ColorWhen;
use crate::diag::{Finding, Severity};
use crate::model::Lang;
use crate::outcome::{Outcome, print};
use crate::pipeline::{self, Pages, Rendered, Wait};
use crate::problem::{Context, Error, Problem, Result};

/// An editor's burst of saves and temporary files settles within this.
const QUIET: Duration = Duration::from_millis(40);
/// How long to wait for more once every file written has been closed: a save is whole then.
const SETTLE: Duration = Duration::from_millis(5);
/// How long the served site must stay the same before it is written to the output folder, at
/// the least.
const WRITE_QUIET: Duration = Duration::from_millis(500);
/// Data files and office documents made in less than this are made as soon as the pages are
/// shown. Slower ones (a campaign of many thousand towns) wait for edits to pause for as long
/// as making them took the last time, so that a save soon after another need not wait for them;
/// a save while they are made stops them, and the rebuild it starts makes them again.
const FILES_AT_ONCE: Duration = Duration::from_secs(1);
/// How often a rebuild making its data files looks for an edit that makes them stale.
const MOMENT: Duration = Duration::from_millis(20);

/// What the server shows: the last good site, or the problems that stop the next one.
pub struct State {
    pub output: crate::write::Output,
    /// The day every build is as of, when `--as-of` gives one.
    pub as_of: Option<jiff::civil::Date>,
    /// Tells this run of the server from an earlier one, so that pages served by that one
    /// reload too.
    pub instance: u64,
    pub lang: Mutex<Lang>,
    /// Bumped on every build; open pages reload when it changes.
    pub generation: Mutex<u64>,
    pub changed: Condvar,
    /// The problems of the last build when it had errors; empty when it built.
    pub problems: Mutex<Vec<Finding>>,
    /// The pages of the last good build, served from memory as soon as they are rendered.
    pub pages: Mutex<Option<Pages>>,
    /// Set while a rebuild makes the pages someone waits for: writing the site to the output
    /// folder waits meanwhile.
    pub rebuilding: AtomicBool,
}

impl State {
    fn new(output: crate::write::Output) -> State {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        State {
            as_of: None,
            output,
            instance: started ^ u64::from(std::process::id()),
            lang: Mutex::new(Lang::Zh),
            generation: Mutex::new(0),
            changed: Condvar::new(),
            problems: Mutex::new(Vec::new()),
            pages: Mutex::new(None),
            rebuilding: AtomicBool::new(false),
        }
    }

    fn finish(&self, lang: Lang, problems: Vec<Finding>) {
        *self.lang.lock().unwrap_or_else(|e| e.into_inner()) = lang;
        *self.problems.lock().unwrap_or_else(|e| e.into_inner()) = problems;
        let mut generation = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        *generation += 1;
        self.changed.notify_all();
    }

    pub fn generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What a page is served with, and what its reload stream sends after each build.
    pub fn token(&self) -> String {
        format!("{:x}.{}", self.instance, self.generation())
    }
}

/// Builds once, reporting to the terminal, and shows the result in the browser at once; the
/// site goes to `writes` to be written to the output folder. Without `writes` (the first
/// build) the site is written before this returns, and served from there. Once the pages are
/// shown, `overtaken` says whether the content has changed since (waiting for edits to pause),
/// and the data files are then left to the next rebuild. `files_took` is how long the data
/// files took to make, the last time they were made.
fn rebuild(
    root: &Path,
    state: &State,
    writes: Option<&Latest<Rendered>>,
    session: &mut pipeline::Session,
    color: bool,
    (overtaken, files_took): (&mut dyn FnMut(Wait) -> bool, &mut Duration),
) -> Result<()> {
    let started = Instant::now();
    state.rebuilding.store(true, Ordering::Relaxed);
    // The time spent waiting for edits to pause is not the rebuild's.
    let mut waited = Duration::ZERO;
    let mut files_started = None;
    let mut overtaken = |wait: Wait| {
        let asked = Instant::now();
        let changed = overtaken(wait);
        if wait == Wait::Pause {
            waited += asked.elapsed();
            files_started = (!changed).then(Instant::now);
        }
        changed
    };
    let mut shown_after = None;
    // The new pages are shown as soon as they are made; the data files follow.
    let mut show = |pages: Pages| {
        if writes.is_some() {
            let lang = *state.lang.lock().unwrap_or_else(|e| e.into_inner());
            *state.pages.lock().unwrap_or_else(|e| e.into_inner()) = Some(pages);
            state.finish(lang, Vec::new());
        }
        shown_after = Some(started.elapsed());
        state.rebuilding.store(false, Ordering::Relaxed);
    };
    let previewed = pipeline::preview(root, color, state.as_of, session, &mut show, &mut overtaken);
    state.rebuilding.store(false, Ordering::Relaxed);
    let (build, rendered) = previewed?;
    // Data files stopped by an edit say nothing of how long they take.
    if let (Some(files_started), Some(true)) = (files_started, rendered.as_ref().map(|r| r.whole)) {
        *files_took = files_started.elapsed();
    }
    eprint!("{}", build.human);
    let summary = build.summary(state.output.path());
    let took = started.elapsed().saturating_sub(waited).as_millis();
    let anew = build.site.as_ref().and_then(|s| s.rendered);
    match (shown_after, anew) {
        (Some(shown), Some(n)) => eprintln!(
            "{summary}{}",
            match build.lang {
                Lang::Zh => format!(
                    "（{took} ms，页面在 {} ms 时已显示；重新生成 {n} 个页面）",
                    shown.as_millis()
                ),
                Lang::En => format!(
                    " ({took} ms; pages shown at {} ms; {n} rendered anew)",
                    shown.as_millis()
                ),
            }
        ),
        _ => eprintln!("{summary} ({took} ms)"),
    }
    match rendered {
        Some(rendered) => {
            match writes {
                Some(_) if !rendered.whole => {
                    // Shown already; the next rebuild makes the data files and writes the site.
                }
                Some(writes) => {
                    // The same pages, now with their data files: nothing to reload.
                    *state.lang.lock().unwrap_or_else(|e| e.into_inner()) = build.lang;
                    *state.pages.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some(Arc::clone(&rendered.pages));
                    writes.put(rendered);
                }
                None => {
                    // The first site is on disk before the server answers.
                    pipeline::write_rendered(&state.output, &rendered, &|| false)?;
                    *state.pages.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some(Arc::clone(&rendered.pages));
                    state.finish(build.lang, Vec::new());
                }
            }
        }
        None => {
            let problems = build
                .problems
                .into_iter()
                .filter(|p| p.severity == Severity::Error)
                .collect();
            state.finish(build.lang, problems);
        }
    }
    Ok(())
}

/// A slot for the newest of a series of values: a value not yet taken is replaced by a newer
/// one, so that the writer only ever writes the latest site.
pub struct Latest<T> {
    slot: Mutex<(Option<T>, bool)>,
    ready: Condvar,
}

impl<T> Latest<T> {
    fn new() -> Self {
        Latest {
            slot: Mutex::new((None, false)),
            ready: Condvar::new(),
        }
    }

    fn put(&self, value: T) {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).0 = Some(value);
        self.ready.notify_all();
    }

    /// After this, `take` returns what is left, then `None`.
    fn close(&self) {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
        self.ready.notify_all();
    }

    fn take(&self) -> Option<T> {
        let guard = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        let mut guard = self
            .ready
            .wait_while(guard, |(value, closed)| value.is_none() && !*closed)
            .unwrap_or_else(|e| e.into_inner());
        guard.0.take()
    }

    /// Like `take`, once no newer value has come for `quiet` (or the slot is closed): the last
    /// of a burst of values.
    fn take_settled(&self, quiet: Duration) -> Option<T> {
        let mut value = self.take()?;
        loop {
            let guard = self.slot.lock().unwrap_or_else(|e| e.into_inner());
            let (mut guard, _) = self
                .ready
                .wait_timeout_while(guard, quiet, |(newer, closed)| newer.is_none() && !*closed)
                .unwrap_or_else(|e| e.into_inner());
            match guard.0.take() {
                Some(newer) => value = newer,
                None => return Some(value),
            }
        }
    }
}

pub fn run(
    root: &Path,
    out: &Path,
    bind: IpAddr,
    port: u16,
    as_of: Option<jiff::civil::Date>,
    color: ColorWhen,
    lang: Lang,
) -> Result<Outcome> {
    let color = color.on(&std::io::stderr());
    // Refuse a bad output folder before anything else happens.
    let output = crate::write::Output::resolve(root, out)?.speaking(lang);
    let mut state = State::new(output.clone());
    state.as_of = as_of;
    let state = Arc::new(state);
    let address = SocketAddr::new(bind, port);
    let listener = TcpListener::bind(address).map_err(|e| {
        Error::new(
            Problem::Listen {
                address,
                kind: e.kind(),
            },
            e,
        )
    })?;
    // Watch before the first build, so that no change made once it starts is missed.
    let (events, changes) = channel();
    let (mut watches, notes) = watch::Watches::start(root, output.path(), events)?;
    let writes = Arc::new(Latest::new());
    let writer = {
        let writes = Arc::clone(&writes);
        let output = output.clone();
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            // The site on disk follows the one served once edits pause, so that writing it
            // never holds the cores while someone is editing: for at least as long as the
            // last write took, since a large site takes seconds to write. It runs behind the
            // rebuilds, and stops while one makes its pages.
            crate::write::behind_others();
            let mut quiet = WRITE_QUIET;
            while let Some(rendered) = writes.take_settled(quiet) {
                let started = Instant::now();
                let hold = || state.rebuilding.load(Ordering::Relaxed);
                if let Err(e) = pipeline::write_rendered(&output, &rendered, &hold) {
                    eprintln!("{}", e.report(rendered.lang, color));
                }
                quiet = WRITE_QUIET.max(started.elapsed());
            }
        })
    };
    let mut session = pipeline::Session::default();
    let mut files_took = Duration::ZERO;
    // The first site is made whole before the server answers: nothing overtakes it, and the
    // moments it asks about while its data files are made are spent waiting.
    let mut first = |wait: Wait| {
        if wait == Wait::Moment {
            std::thread::sleep(MOMENT);
        }
        false
    };
    rebuild(
        root,
        &state,
        None,
        &mut session,
        color,
        (&mut first, &mut files_took),
    )?;
    let lang = *state.lang.lock().unwrap_or_else(|e| e.into_inner());
    for note in notes {
        eprintln!("{}", note.text(lang));
    }
    let local = listener.local_addr().context(Problem::ServerAddress)?;
    let said = address::announce(local, lang);
    if let Some(warning) = said.warning {
        eprintln!("{warning}");
    }
    print(&format!("{}\n", said.serving))?;

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst)).context(Problem::CtrlC)?;
    }
    let reloads = Arc::new(reload::Reloads::new());
    {
        let state = Arc::clone(&state);
        let reloads = Arc::clone(&reloads);
        let seen = state.generation();
        std::thread::spawn(move || reloads.broadcast(&state, seen));
    }
    {
        let state = Arc::clone(&state);
        let hosts = site::Hosts::for_loopback(bind, local.port());
        std::thread::spawn(move || {
            let trouble_state = Arc::clone(&state);
            http::serve(
                listener,
                move |request, connection| {
                    site::answer(request, connection, &state, &reloads, hosts.as_ref());
                },
                move |e| {
                    let lang = *trouble_state.lang.lock().unwrap_or_else(|e| e.into_inner());
                    let e = Error::new(
                        Problem::Accepting,
                        std::io::Error::new(e.kind(), e.to_string()),
                    );
                    eprintln!("{}", e.report(lang, color));
                },
            )
        });
    }

    // When the next rebuild starts, unless another change comes first.
    let mut pending: Option<Instant> = None;
    // Takes in one event: says what to, and moves the next rebuild.
    let take = |watches: &mut watch::Watches, event, pending: &mut Option<Instant>| {
        let (change, notes) = watches.take(event);
        let lang = *state.lang.lock().unwrap_or_else(|e| e.into_inner());
        for note in notes {
            eprintln!("{}", note.text(lang));
        }
        match change {
            watch::Change::None => {}
            watch::Change::Started => *pending = Some(Instant::now() + QUIET),
            watch::Change::Done => *pending = Some(Instant::now() + SETTLE),
        }
    };
    while !stop.load(Ordering::SeqCst) {
        // Wait for the next change, or for the last one to have settled.
        let wait = pending.map_or(Duration::from_millis(50), |at| {
            at.saturating_duration_since(Instant::now())
        });
        match changes.recv_timeout(wait) {
            Ok(event) => take(&mut watches, event, &mut pending),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if pending.is_some_and(|at| Instant::now() >= at) {
            pending = None;
            watches.rebuilding();
            // The changes made while the pages were made, or before edits paused for as long
            // as the data files took to make the last time.
            let quiet = if files_took < FILES_AT_ONCE {
                Duration::ZERO
            } else {
                files_took
            };
            let mut overtaken = |wait: Wait| {
                let until = Instant::now()
                    + match wait {
                        Wait::Pause => quiet,
                        Wait::Moment => MOMENT,
                    };
                loop {
                    while let Ok(event) = changes.try_recv() {
                        take(&mut watches, event, &mut pending);
                    }
                    let now = Instant::now();
                    if pending.is_some() || now >= until || stop.load(Ordering::SeqCst) {
                        return pending.is_some();
                    }
                    match changes.recv_timeout((until - now).min(Duration::from_millis(50))) {
                        Ok(event) => take(&mut watches, event, &mut pending),
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return false,
                    }
                }
            };
            if let Err(e) = rebuild(
                root,
                &state,
                Some(&writes),
                &mut session,
                color,
                (&mut overtaken, &mut files_took),
            ) {
                let lang = *state.lang.lock().unwrap_or_else(|e| e.into_inner());
                eprintln!("{}", e.report(lang, color));
            }
        }
    }
    drop(watches);
    // The last good site is written before the server stops.
    writes.close();
    let _ = writer.join();
    Ok(Outcome::Clean)
}
