//! Writes only `data/ranking.xlsx` of the campaign in a folder, and says how long it took and
//! how much memory it added at its peak: `benches/office.sh` runs it.
//!
//!     workbook DIR

use std::path::PathBuf;
use std::time::Instant;

// The allocator `ducha` itself runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The process's peak and current resident memory, in KiB (Linux's `/proc/self/status`).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: workbook DIR");
        std::process::exit(2);
    };
    let evaluation = ducha::pipeline::work_tree_alone(&root).expect("the campaign evaluates");
    let site = ducha::pipeline::Site::of_work_tree(&root, &evaluation, None).expect("a site");
    // Resets the peak to the memory in use now, so that the peak after is the workbook's own.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (_, before) = memory();
    let sink = ducha::render::Memory::default();
    let started = Instant::now();
    site.workbook(&evaluation, &sink).expect("the workbook");
    let took = started.elapsed();
    let (peak, _) = memory();
    let files = sink.into_files();
    let bytes = files.get("data/ranking.xlsx").map_or(0, Vec::len);
    println!(
        "ranking.xlsx: {:.2} s, {:.1} MB, peak memory added {:.0} MB ({} towns)",
        took.as_secs_f64(),
        bytes as f64 / 1e6,
        peak.saturating_sub(before) as f64 / 1024.0,
        evaluation.ranking.towns.len()
    );
}
