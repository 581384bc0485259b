//! Work split over the cores: how the analysis and the work list run on both (threads of our
//! own, or rayon's for results written in place; `cli::json` writes the report on its own).

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

/// Fills `out` on every core, in chunks taken in turn as [`par_map`] takes them:
/// `work(start, slots)` writes the results of `start..start + slots.len()` into `slots`. Each
/// result is written where it stays: built apart and then copied, as `par_map` does, a
/// département's judgements would take twice their memory, and fresh memory is the costliest
/// part of the work on a virtual machine. A worker's panic is raised again here.
pub(crate) fn par_fill<T: Send>(out: &mut [T], work: impl Fn(usize, &mut [T]) + Sync) {
    // Zero-sized inputs: no memory.
    let mut nothing = vec![(); out.len()];
    par_fill_zip(&mut nothing, out, |start, _, slots| work(start, slots));
}

/// [`par_fill`] over two arrays of one length, cut in the same chunks: `work(start, inputs,
/// slots)` reads and may take from `inputs[k]` to write `slots[k]`, for the items
/// `start..start + slots.len()`. Results made from values each input gives up (a row's
/// confirmed pair) without a lock per item. A worker's panic is raised again here.
pub(crate) fn par_fill_zip<A: Send, T: Send>(
    inputs: &mut [A],
    out: &mut [T],
    work: impl Fn(usize, &mut [A], &mut [T]) + Sync,
) {
    assert_eq!(
        inputs.len(),
        out.len(),
        "par_fill_zip: arrays of different lengths"
    );
    let len = out.len();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 1 || len < 2 {
        work(0, inputs, out);
        return;
    }
    let chunk = len.div_ceil(threads * CHUNKS_PER_CORE).max(1);
    let chunks = std::sync::Mutex::new(
        inputs
            .chunks_mut(chunk)
            .zip(out.chunks_mut(chunk))
            .enumerate(),
    );
    let run = || {
        loop {
            let next = chunks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .next();
            let Some((i, (inputs, slots))) = next else {
                return;
            };
            work(i * chunk, inputs, slots);
        }
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
        run();
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// `(0..len).map(item)` on every core, each result written where it stays: for large results,
/// where [`par_map`]'s copy would count. Rayon writes straight into the array's fresh memory
/// from both cores, so its pages are first touched (and zeroed by the system) on both: filled
/// with placeholders first, a département's account identities (46 MB) had every page zeroed
/// on one core, 75 ms where the other waited.
pub(crate) fn par_collect<T: Send>(len: usize, item: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    use rayon::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};
    if len < 2 {
        // Nothing to share: no pool to make (the window plans its work list after each edit).
        return (0..len).map(item).collect();
    }
    let mut out = Vec::new();
    on_every_core(|| {
        (0..len)
            .into_par_iter()
            .map(item)
            .collect_into_vec(&mut out)
    });
    out
}

/// Runs `work`, whose rayon iterators then run on a pool of one thread per core made for it and
/// let go after it (its threads end soon after, as [`par_map`]'s do): threads kept alive between
/// phases keep their allocator's memory too (+20 MB on a département with rayon's shared pool).
pub(crate) fn on_every_core<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        // No thread could be made: rayon then tries its shared pool (where threads cannot be made
        // at all, `par_map`'s threads could not be either).
        Err(_) => work(),
    }
}

/// Moves each item `i` of `items` to `new_place[i]` (a permutation), in place: results made in
/// another order (a département's 60,000 work-list changes, its rows searched in name order)
/// are put back without a copy into fresh memory.
pub(crate) fn permute<T>(items: &mut [T], new_place: &[usize]) {
    // `place[i]`: where the item now at `i` goes. Each swap puts one item in its place for good.
    let mut place = new_place.to_vec();
    for i in 0..items.len() {
        while place[i] != i {
            let j = place[i];
            items.swap(i, j);
            place.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_puts_each_item_at_its_new_place() {
        for new_place in [
            vec![],
            vec![0],
            vec![1, 0],
            vec![2, 0, 1],
            vec![1, 2, 0],
            vec![0, 3, 4, 1, 2, 5],
            vec![5, 4, 3, 2, 1, 0],
        ] {
            let mut items: Vec<usize> = (0..new_place.len()).collect();
            permute(&mut items, &new_place);
            for (old, &new) in new_place.iter().enumerate() {
                assert_eq!(items[new], old, "{new_place:?}");
            }
        }
    }

    #[test]
    fn results_come_back_in_input_order_whatever_the_chunks() {
        for len in [0, 1, 2, 3, 31, 32, 33, 1000, 4097] {
            let out = par_map(len, |range| range.map(|i| i * 3).collect());
            assert_eq!(out, (0..len).map(|i| i * 3).collect::<Vec<_>>(), "{len}");
        }
    }

    #[test]
    fn a_fill_writes_every_slot_with_its_own_index() {
        for len in [0, 1, 2, 3, 31, 32, 33, 1000, 4097] {
            let mut out = vec![usize::MAX; len];
            par_fill(&mut out, |start, slots| {
                for (k, slot) in slots.iter_mut().enumerate() {
                    *slot = (start + k) * 3;
                }
            });
            assert_eq!(out, (0..len).map(|i| i * 3).collect::<Vec<_>>(), "{len}");
        }
    }

    #[test]
    fn a_zipped_fill_takes_each_input_into_its_own_slot() {
        for len in [0, 1, 2, 3, 33, 4097] {
            let mut inputs: Vec<Option<String>> = (0..len).map(|i| Some(i.to_string())).collect();
            let mut out = vec![(usize::MAX, String::new()); len];
            par_fill_zip(&mut inputs, &mut out, |start, inputs, slots| {
                for (k, (input, slot)) in inputs.iter_mut().zip(slots).enumerate() {
                    *slot = (start + k, input.take().unwrap_or_default());
                }
            });
            let expected: Vec<(usize, String)> = (0..len).map(|i| (i, i.to_string())).collect();
            assert_eq!(out, expected, "{len}");
            assert!(inputs.iter().all(Option::is_none), "{len}");
        }
    }

    #[test]
    fn a_collect_gives_each_index_its_item_in_order() {
        for len in [0, 1, 2, 33, 4097] {
            let out = par_collect(len, |i| Some(i * 3));
            assert_eq!(
                out,
                (0..len).map(|i| Some(i * 3)).collect::<Vec<_>>(),
                "{len}"
            );
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
