//! Work split over the cores: the one way the analysis and the work list run on both.

/// Runs `work` over `0..len` split in one chunk per core, and concatenates the results in order.
/// A worker's panic is not swallowed: it is raised again here, since shorter results would pair
/// each result with the wrong input (rows with the wrong accounts).
pub(crate) fn par_map<T: Send>(
    len: usize,
    work: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = len.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let work = &work;
        let workers: Vec<_> = (0..len)
            .step_by(chunk)
            .map(|start| scope.spawn(move || work(start..(start + chunk).min(len))))
            .collect();
        let mut out = Vec::with_capacity(len);
        for worker in workers {
            match worker.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}
