//! Phase timings on stderr, for profiling a run: `PRONOTE_COMPANION_TEMPS=1 pronote-companion …`
//! prints how long each phase took and the memory in use after it. Silent otherwise.
//!
//! A job can also follow its phases as they start ([`PhaseTracker`]): the window's loading
//! screen says which one runs and how far the loading is.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("PRONOTE_COMPANION_TEMPS").is_some())
}

/// The resident memory of the process in megabytes, where the system tells it.
fn resident_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// A running phase: prints its duration when [`Phase::end`] is called (or when dropped).
pub struct Phase {
    label: &'static str,
    start: Instant,
}

impl Phase {
    /// Starts timing the phase `label`, and tells the tracker following this thread, if any.
    pub fn start(label: &'static str) -> Self {
        TRACKER.with(|t| {
            if let Some(tracker) = &*t.borrow() {
                tracker.enter(label);
            }
        });
        Self {
            label,
            start: Instant::now(),
        }
    }

    /// Ends the phase now.
    pub fn end(self) {}
}

impl Drop for Phase {
    fn drop(&mut self) {
        if enabled() {
            let memory = resident_mb().map_or(String::new(), |mb| format!(", {mb} Mo"));
            eprintln!(
                "[temps] {:<28} {:>8.1} ms{memory}",
                self.label,
                self.start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// A phase a user waits for: the label [`Phase::start`] is given, what a progress display says
/// in French, and its usual share of a loading (per mille, measured on a généré département).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownPhase {
    /// The label given to [`Phase::start`].
    pub label: &'static str,
    /// What the loading screen says while it runs.
    pub title: &'static str,
    /// Its share of the whole loading, per mille (the percentage shown before it starts).
    pub share: u32,
}

/// The phases of a loading, in the order they run: the files are read, then the analysis (see
/// `review::analysis::analyze` and `ent::matcher::reconcile`). The shares come from
/// `PRONOTE_COMPANION_TEMPS=1` on a généré département (124,299 rows and its ENT export).
pub const LOADING_PHASES: [KnownPhase; 10] = [
    KnownPhase {
        label: "lecture",
        title: "Lecture des fichiers",
        share: 150,
    },
    KnownPhase {
        label: "contrôles locaux",
        title: "Contrôles des listes",
        share: 10,
    },
    KnownPhase {
        label: "identités des comptes",
        title: "Lecture des identités des comptes ENT",
        share: 70,
    },
    KnownPhase {
        label: "index des comptes",
        title: "Index des comptes ENT",
        share: 40,
    },
    KnownPhase {
        label: "candidats",
        title: "Recherche des candidats",
        share: 550,
    },
    KnownPhase {
        label: "liens par l'identité",
        title: "Liens par l'identité",
        share: 20,
    },
    KnownPhase {
        label: "jugement des identifiants",
        title: "Jugement des identifiants CAS",
        share: 40,
    },
    KnownPhase {
        label: "homonymes inversés",
        title: "Recherche des homonymes inversés",
        share: 20,
    },
    KnownPhase {
        label: "résultats",
        title: "Résultats du rapprochement",
        share: 30,
    },
    KnownPhase {
        label: "constats ENT",
        title: "Constats ENT",
        share: 70,
    },
];

thread_local! {
    /// The tracker of the job running on this thread, if one follows its phases.
    static TRACKER: RefCell<Option<PhaseTracker>> = const { RefCell::new(None) };
}

/// Tells the tracker following this thread, if any, how far into its current phase the work
/// is (0 to 1).
pub fn progress_within(fraction: f32) {
    TRACKER.with(|t| {
        if let Some(tracker) = &*t.borrow() {
            tracker.set_within(fraction);
        }
    });
}

/// Counts the items of a phase done by several threads, and tells the tracker that followed
/// the thread creating it (if any) how far the phase is, every 1,024 items.
pub struct SharedProgress {
    tracker: Option<PhaseTracker>,
    done: AtomicUsize,
    total: usize,
}

impl SharedProgress {
    /// A count of `total` items, reporting to the tracker following this thread.
    pub fn new(total: usize) -> Self {
        Self {
            tracker: TRACKER.with(|t| t.borrow().clone()),
            done: AtomicUsize::new(0),
            total,
        }
    }

    /// One more item done, on any thread.
    pub fn tick(&self) {
        let Some(tracker) = &self.tracker else {
            return;
        };
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if done.is_multiple_of(1024) {
            // Two threads may report out of order: the bar never steps back.
            tracker.advance_within(done as f32 / self.total.max(1) as f32);
        }
    }
}

/// Which phase of a loading runs, and how far into it: written by the job's thread (through
/// [`Phase::start`] while [`PhaseTracker::follow`] runs), read by a display at every frame.
#[derive(Clone, Debug, Default)]
pub struct PhaseTracker(Arc<TrackerState>);

#[derive(Debug, Default)]
struct TrackerState {
    /// 0 before the first known phase; else 1 + its position in [`LOADING_PHASES`].
    phase: AtomicUsize,
    /// How far into the current phase, per mille (only phases that say it, as the reading).
    within: AtomicU32,
    /// Whether the job reads no file (an analysis after an edit): the reading's share is not
    /// counted.
    no_reading: AtomicBool,
}

impl PhaseTracker {
    /// A tracker for a job that reads files (`reads`), or only analyses.
    pub fn new(reads: bool) -> Self {
        let tracker = Self::default();
        tracker.0.no_reading.store(!reads, Ordering::Relaxed);
        tracker
    }

    /// Runs `work`, reporting here every known phase started on this thread meanwhile.
    pub fn follow<R>(&self, work: impl FnOnce() -> R) -> R {
        /// Puts the previous tracker back, even if `work` panics.
        struct Restore(Option<PhaseTracker>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                TRACKER.with(|t| *t.borrow_mut() = previous);
            }
        }
        let previous = TRACKER.with(|t| t.borrow_mut().replace(self.clone()));
        let _restore = Restore(previous);
        work()
    }

    /// Takes `label` as the current phase, if it is a known one.
    pub fn enter(&self, label: &str) {
        if let Some(i) = LOADING_PHASES.iter().position(|p| p.label == label) {
            self.0.within.store(0, Ordering::Relaxed);
            self.0.phase.store(i + 1, Ordering::Relaxed);
        }
    }

    /// How far into the current phase, 0 to 1.
    pub fn set_within(&self, fraction: f32) {
        let per_mille = (fraction.clamp(0.0, 1.0) * 1000.0) as u32;
        self.0.within.store(per_mille, Ordering::Relaxed);
    }

    /// [`Self::set_within`], unless the phase is already further.
    pub fn advance_within(&self, fraction: f32) {
        let per_mille = (fraction.clamp(0.0, 1.0) * 1000.0) as u32;
        self.0.within.fetch_max(per_mille, Ordering::Relaxed);
    }

    /// The current phase (`None` before the first).
    pub fn current(&self) -> Option<&'static KnownPhase> {
        let phase = self.0.phase.load(Ordering::Relaxed);
        LOADING_PHASES.get(phase.checked_sub(1)?)
    }

    /// How much of the job is done, 0 to 1: the shares of the phases before the current one,
    /// and the part of it done.
    pub fn fraction(&self) -> f32 {
        let no_reading = self.0.no_reading.load(Ordering::Relaxed);
        let counted = |p: &&KnownPhase| !(no_reading && p.label == LOADING_PHASES[0].label);
        let total: u32 = LOADING_PHASES.iter().filter(counted).map(|p| p.share).sum();
        let Some(current) = self.current() else {
            return 0.0;
        };
        let before: u32 = LOADING_PHASES
            .iter()
            .take_while(|p| p.label != current.label)
            .filter(counted)
            .map(|p| p.share)
            .sum();
        let within = self.0.within.load(Ordering::Relaxed).min(1000);
        let done = f64::from(before) + f64::from(current.share) * f64::from(within) / 1000.0;
        (done / f64::from(total.max(1))) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_followed_thread_reports_each_known_phase_and_the_share_grows() {
        let tracker = PhaseTracker::new(true);
        let mut fractions = Vec::new();
        tracker.follow(|| {
            for phase in LOADING_PHASES {
                let _phase = Phase::start(phase.label);
                assert_eq!(tracker.current(), Some(&phase));
                progress_within(0.5);
                fractions.push(tracker.fraction());
            }
            // Phases of other jobs (the command line's report) change nothing.
            let _phase = Phase::start("rapport");
            assert_eq!(tracker.current().map(|p| p.title), Some("Constats ENT"));
        });
        assert!(fractions.windows(2).all(|w| w[0] < w[1]), "{fractions:?}");
        assert!(fractions[fractions.len() - 1] < 1.0);
        // Outside `follow`, the phases are not reported any more.
        let _phase = Phase::start("candidats");
        assert_eq!(tracker.current().map(|p| p.title), Some("Constats ENT"));
    }

    #[test]
    fn items_done_on_other_threads_move_the_phase_forward() {
        let tracker = PhaseTracker::new(true);
        tracker.follow(|| {
            let _phase = Phase::start("candidats");
            let start = tracker.fraction();
            let progress = SharedProgress::new(4096);
            std::thread::scope(|scope| {
                for _ in 0..2 {
                    scope.spawn(|| (0..1024).for_each(|_| progress.tick()));
                }
            });
            // Half of the phase is done: half of its share is added.
            let half = f32::from(u16::try_from(LOADING_PHASES[4].share).unwrap()) / 2000.0;
            assert!((tracker.fraction() - start - half).abs() < 0.001);
            // A thread reporting late (a smaller count) does not move the bar back.
            let now = tracker.fraction();
            tracker.advance_within(0.25);
            assert_eq!(tracker.fraction(), now);
        });
        // Without a tracker, counting costs nothing and reports nothing.
        SharedProgress::new(10).tick();
    }

    #[test]
    fn an_analysis_alone_starts_at_zero_without_the_reading_share() {
        let tracker = PhaseTracker::new(false);
        assert_eq!(tracker.fraction(), 0.0);
        tracker.follow(|| Phase::start("contrôles locaux").end());
        assert_eq!(tracker.fraction(), 0.0);
        assert_eq!(
            tracker.current().map(|p| p.title),
            Some("Contrôles des listes")
        );
    }

    #[test]
    fn the_shares_of_the_loading_phases_make_a_whole() {
        let total: u32 = LOADING_PHASES.iter().map(|p| p.share).sum();
        assert_eq!(total, 1000);
    }
}
