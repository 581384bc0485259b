//! Phase timings on stderr, for profiling a run: `PRONOTE_COMPANION_TEMPS=1 pronote-companion …`
//! prints how long each phase took and the memory in use after it. Silent otherwise.

use std::sync::OnceLock;
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
    /// Starts timing the phase `label`.
    pub fn start(label: &'static str) -> Self {
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
