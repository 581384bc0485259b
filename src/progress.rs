//! Progress of a long command-line run on stderr (files, schools, phases), drawn only when stderr
//! is a terminal: tests, pipes and redirections see nothing.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar or spinner on stderr, or nothing when stderr is not a terminal.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// Nothing drawn, whatever stderr is.
    pub fn hidden() -> Self {
        Self(None)
    }

    /// A bar counting `total` items (`what`: « établissement(s) »…).
    pub fn bar(total: usize, what: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        let template = format!("{{bar:30}} {{pos}}/{{len}} {what} {{elapsed}} {{wide_msg}}");
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▌ ");
        let bar = ProgressBar::new(total as u64).with_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Self(Some(bar))
    }

    /// A spinner showing the current phase.
    pub fn spinner(phase: impl Into<Cow<'static, str>>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        let style = ProgressStyle::with_template("{spinner} {elapsed} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = ProgressBar::new_spinner()
            .with_style(style)
            .with_message(phase);
        bar.enable_steady_tick(Duration::from_millis(100));
        Self(Some(bar))
    }

    /// Shows what is being done now.
    pub fn phase(&self, phase: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.0 {
            bar.set_message(phase);
        }
    }

    /// One more item done.
    pub fn inc(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Removes the bar, leaving stderr as it was.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Dropped before `finish` (an early error return): the bar must not stay on screen.
        if let Some(bar) = &self.0
            && !bar.is_finished()
        {
            bar.finish_and_clear();
        }
    }
}
