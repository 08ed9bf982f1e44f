//! Independent jobs on every core.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// `work` applied to each job, on every core, with the results in the jobs' order. Each
/// thread takes the next job when it is free, so jobs need not cost the same. After a job
/// fails no new job starts, and the first failure in the jobs' order is returned.
pub fn map<T, R, E>(jobs: &[T], work: impl Fn(&T) -> Result<R, E> + Sync) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(jobs.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let mut done: Vec<(usize, Result<R, E>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        let result = work(job);
                        if result.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        done.push((i, result));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_jobs_order() {
        let jobs: Vec<u64> = (0..1000).collect();
        let squares = map(&jobs, |n| Ok::<_, ()>(n * n)).unwrap();
        assert_eq!(squares, jobs.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(
            map(&[] as &[u8], |_| Ok::<u8, ()>(0)).unwrap(),
            Vec::<u8>::new()
        );
    }

    #[test]
    fn the_first_failure_in_order_is_returned() {
        let jobs: Vec<u32> = (0..100).collect();
        let result = map(&jobs, |&n| if n % 10 == 7 { Err(n) } else { Ok(n) });
        // Any failing job may stop the others; the one reported is the first of those that ran.
        assert!(matches!(result, Err(n) if n % 10 == 7));
        assert_eq!(map(&jobs[..7], |&n| Ok::<_, u32>(n)).unwrap().len(), 7);
    }
}
