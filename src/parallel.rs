//! Work split over the cores: the one way the analysis and the work list run on both.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many chunks each core takes in turn. One chunk per core left a core idle whenever the
/// other had the costlier half (the parents of a list are scored slower than the pupils) or the
/// host slowed it down: the last chunks now go to whichever core is free.
const CHUNKS_PER_CORE: usize = 16;

/// Runs `work` over `0..len` split in chunks that the cores take in turn, and concatenates the
/// results in order. A worker's panic is not swallowed: it is raised again here, since shorter
/// results would pair each result with the wrong input (rows with the wrong accounts).
pub(crate) fn par_map<T: Send>(
    len: usize,
    work: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 1 || len < 2 {
        return work(0..len);
    }
    let chunk = len.div_ceil(threads * CHUNKS_PER_CORE).max(1);
    let next = AtomicUsize::new(0);
    // Each core takes the next chunk until none is left, and keeps its results by chunk.
    let run = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let start = i.saturating_mul(chunk);
            if start >= len {
                return done;
            }
            done.push((i, work(start..(start + chunk).min(len))));
        }
    };
    let mut parts = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
        let mut parts = run();
        for worker in workers {
            match worker.join() {
                Ok(done) => parts.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parts
    });
    parts.sort_unstable_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(len);
    for (_, part) in parts {
        out.extend(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_whatever_the_chunks() {
        for len in [0, 1, 2, 3, 31, 32, 33, 1000, 4097] {
            let out = par_map(len, |range| range.map(|i| i * 3).collect());
            assert_eq!(out, (0..len).map(|i| i * 3).collect::<Vec<_>>(), "{len}");
        }
    }

    #[test]
    fn every_index_is_worked_on_once() {
        let calls: Vec<AtomicUsize> = (0..5000).map(|_| AtomicUsize::new(0)).collect();
        par_map(calls.len(), |range| {
            range
                .map(|i| calls[i].fetch_add(1, Ordering::Relaxed))
                .collect()
        });
        assert!(calls.iter().all(|c| c.load(Ordering::Relaxed) == 1));
    }
}
