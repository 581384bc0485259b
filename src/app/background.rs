//! Loading and saving on named background threads, with progress.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::Document;
use super::view::SearchIndex;

use crate::ent::layout::MappingStore;
use crate::review::open::{OpenError, OpenRequest, Opened, open};
use crate::timing::{self, Phase, PhaseTracker};

/// The result of a loading: the document with the new files in it, analysed.
pub struct LoadOutcome {
    /// The document, with the files added and the analysis done.
    pub doc: Document,
    /// How many files were loaded.
    pub loaded: usize,
    /// The French message of every file that was not.
    pub errors: Vec<String>,
    /// ENT exports whose columns the user must name: (file, column titles).
    pub mappings: Vec<(PathBuf, Vec<String>)>,
}

/// A file read by [`read_files`], with the search index of its list built on the same thread.
struct ReadFile {
    opened: Result<Opened, OpenError>,
    search: Option<SearchIndex>,
}

/// Reads `requests` on up to two threads (the machine's cores: the ENT export and the largest
/// list at once), each list's search index built beside it; the results in request order.
/// `progress` is told, on the calling thread, how many files are read and which one is read.
fn read_files(
    requests: &[OpenRequest],
    store: Option<&MappingStore>,
    progress: &impl Fn(usize, &str),
) -> Vec<Option<ReadFile>> {
    let sizes: Vec<u64> = requests
        .iter()
        .map(|r| std::fs::metadata(r.path()).map_or(0, |m| m.len()).max(1))
        .collect();
    let total: u64 = sizes.iter().sum();
    // The largest files first: the two threads then end at about the same time.
    let mut queue: Vec<usize> = (0..requests.len()).collect();
    queue.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let next = AtomicUsize::new(0);
    let read_one = |i: usize| {
        let opened = open(&requests[i], store);
        let search = match &opened {
            Ok(Opened::Table(table)) => Some(SearchIndex::build(table)),
            _ => None,
        };
        ReadFile { opened, search }
    };
    let mut files: Vec<Option<ReadFile>> = std::iter::repeat_with(|| None)
        .take(requests.len())
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(2)
        .min(requests.len());
    let (tx, rx) = channel::<(usize, ReadFile)>();
    std::thread::scope(|scope| {
        let mut spawned = 0;
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, queue, read_one) = (&next, &queue, &read_one);
            let worker = move || {
                while let Some(&i) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if tx.send((i, read_one(i))).is_err() {
                        break;
                    }
                }
            };
            if std::thread::Builder::new()
                .name("lecture".to_owned())
                .spawn_scoped(scope, worker)
                .is_ok()
            {
                spawned += 1;
            }
        }
        drop(tx);
        if spawned == 0 {
            // No thread to be had: read here, one file after the other.
            for (i, slot) in files.iter_mut().enumerate() {
                progress(i, &requests[i].path().display().to_string());
                *slot = Some(read_one(i));
            }
            return;
        }
        let mut done = 0;
        let mut bytes_done = 0;
        let reading = |files: &[Option<ReadFile>]| {
            files
                .iter()
                .position(Option::is_none)
                .map(|i| requests[i].path().display().to_string())
                .unwrap_or_default()
        };
        progress(0, &reading(&files));
        for (i, file) in rx {
            files[i] = Some(file);
            done += 1;
            bytes_done += sizes[i];
            timing::progress_within(bytes_done as f32 / total as f32);
            progress(done, &reading(&files));
        }
    });
    files
}

/// Reads `requests` into `doc` and analyses it: the worker body, tested without threads.
/// `progress` is told how many files are read and which one is being read; the phases are
/// told to the [`timing::PhaseTracker`] following this thread, if any.
pub fn load_into(
    mut doc: Document,
    requests: &[OpenRequest],
    store: Option<&MappingStore>,
    progress: impl Fn(usize, &str),
) -> LoadOutcome {
    let mut loaded = 0;
    let mut errors = Vec::new();
    let mut mappings = Vec::new();
    if !requests.is_empty() {
        let phase = Phase::start("lecture");
        let files = read_files(requests, store, &progress);
        for file in files.into_iter().flatten() {
            match file.opened {
                Ok(Opened::Table(table)) => {
                    let path = table.path.clone();
                    doc.add_table(*table);
                    if let (Some(index), Some(t)) =
                        (file.search, doc.tables.iter().position(|t| t.path == path))
                    {
                        doc.views[t].set_search_index(index);
                    }
                    loaded += 1;
                }
                Ok(Opened::Ent(ent)) => {
                    doc.set_ent(*ent);
                    loaded += 1;
                }
                Ok(Opened::NeedsMapping { path, titles }) => mappings.push((path, titles)),
                Err(err) => errors.push(err.to_string()),
            }
        }
        phase.end();
    }
    progress(requests.len(), "analyse et rapprochement");
    if requests.is_empty() {
        // An analysis after an edit: the baseline (the files as loaded) stays.
        doc.reanalyze();
    } else {
        doc.recognise_lists();
        doc.reanalyze_all();
    }
    // What the first search or sort of each list would otherwise do in a frame of the window.
    let _phase = Phase::start("recherche et tri");
    for (view, table) in doc.views.iter_mut().zip(&doc.tables) {
        view.prepare(table);
    }
    LoadOutcome {
        doc,
        loaded,
        errors,
        mappings,
    }
}

enum LoadEvent {
    Progress(usize, String),
    Finished(Box<LoadOutcome>),
    Failed(String),
}

/// The text of a panic, for the message that reports it.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "cause inconnue".to_owned())
}

/// The message of a loading that ended without its result.
pub const LOAD_FAILED: &str = "Le chargement s'est arrêté sur une erreur interne : les listes \
    affichées avant lui sont perdues pour cette fenêtre. Vos modifications non enregistrées sont \
    gardées dans le journal : « Restaurer » les rouvre avec leurs fichiers.";

/// A loading in progress: the document is on the worker thread until it is done.
pub struct LoadJob {
    rx: Receiver<LoadEvent>,
    /// How many files to read.
    pub total: usize,
    /// How many are read.
    pub done: usize,
    /// What is being done.
    pub current: String,
    /// The phase of the reading and the analysis, told by the loading thread.
    pub phases: PhaseTracker,
}

impl LoadJob {
    /// Starts reading `requests` into `doc` on a background thread, ENT mappings looked up in
    /// `store`.
    pub fn spawn(
        doc: Document,
        requests: Vec<OpenRequest>,
        store: Option<MappingStore>,
        ctx: egui::Context,
    ) -> Result<Self, Box<(Document, String)>> {
        let total = requests.len();
        Self::spawn_with(doc, total, ctx, move |doc, progress| {
            load_into(doc, &requests, store.as_ref(), progress)
        })
    }

    /// Starts `work` on `doc` on a background thread, `total` being the number of files it
    /// reads (the loading, or a test's stand-in). A panic of `work` ends the job with a
    /// failure, reported by [`Self::poll`].
    pub fn spawn_with(
        doc: Document,
        total: usize,
        ctx: egui::Context,
        work: impl FnOnce(Document, Box<dyn Fn(usize, &str)>) -> LoadOutcome + Send + 'static,
    ) -> Result<Self, Box<(Document, String)>> {
        let phases = PhaseTracker::new(total > 0);
        let job_phases = phases.clone();
        let (tx, rx) = channel();
        // The document comes back through the channel; if the thread cannot start, it is
        // handed back to the caller untouched.
        let (doc_tx, doc_rx) = channel::<Document>();
        let spawned = std::thread::Builder::new()
            .name("chargement".to_owned())
            .spawn(move || {
                let Ok(doc) = doc_rx.recv() else {
                    return;
                };
                let progress_tx = tx.clone();
                let progress_ctx = ctx.clone();
                let progress = Box::new(move |done: usize, current: &str| {
                    let _ = progress_tx.send(LoadEvent::Progress(done, current.to_owned()));
                    progress_ctx.request_repaint();
                });
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    job_phases.follow(|| work(doc, progress))
                }));
                let event = match result {
                    Ok(outcome) => LoadEvent::Finished(Box::new(outcome)),
                    Err(panic) => LoadEvent::Failed(format!(
                        "{LOAD_FAILED} (détail : {})",
                        panic_text(panic.as_ref())
                    )),
                };
                let _ = tx.send(event);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                let _ = doc_tx.send(doc);
                Ok(Self {
                    rx,
                    total,
                    done: 0,
                    current: String::new(),
                    phases,
                })
            }
            Err(err) => Err(Box::new((doc, format!("chargement impossible : {err}")))),
        }
    }

    /// The outcome once the loading is over; an error when it failed (a panic, or a thread
    /// that ended without sending its result).
    pub fn poll(&mut self) -> Option<Result<LoadOutcome, String>> {
        loop {
            match self.rx.try_recv() {
                Ok(LoadEvent::Progress(done, current)) => {
                    self.done = done;
                    self.current = current;
                }
                Ok(LoadEvent::Finished(outcome)) => return Some(Ok(*outcome)),
                Ok(LoadEvent::Failed(message)) => return Some(Err(message)),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => return Some(Err(LOAD_FAILED.to_owned())),
            }
        }
    }

    /// Progress, 0 to 1: by the phases' usual shares once the first phase began, else by
    /// files (the analysis counting as one more).
    pub fn progress(&self) -> f32 {
        if self.phases.current().is_some() {
            self.phases.fraction()
        } else {
            self.done as f32 / (self.total + 1) as f32
        }
    }

    /// What the loading screen says is running: the phase, else the files.
    pub fn phase_title(&self) -> &'static str {
        match self.phases.current() {
            Some(phase) => phase.title,
            None if self.total == 0 => "Analyse",
            None => "Lecture des fichiers",
        }
    }
}

/// Writes every file, all or none (see [`crate::io::save::save_all`]); the worker body of a
/// save, tested without threads.
pub fn save_all(outputs: &[(PathBuf, Vec<u8>)]) -> Result<Vec<PathBuf>, String> {
    crate::io::save::save_all(outputs, true).map_err(|e| e.to_string())
}

/// A save in progress. Only one at a time.
pub struct SaveJob {
    rx: Receiver<Result<Vec<PathBuf>, String>>,
}

impl SaveJob {
    /// Starts writing on a background thread.
    pub fn spawn(outputs: Vec<(PathBuf, Vec<u8>)>, ctx: egui::Context) -> Result<Self, String> {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("enregistrement".to_owned())
            .spawn(move || {
                let _ = tx.send(save_all(&outputs));
                ctx.request_repaint();
            })
            .map_err(|e| format!("enregistrement impossible : {e}"))?;
        Ok(Self { rx })
    }

    /// The result, once done.
    pub fn poll(&self) -> Option<Result<Vec<PathBuf>, String>> {
        match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("l'enregistrement s'est arrêté sans résultat".to_owned()))
            }
        }
    }

    /// Waits for the result (tests and closing).
    pub fn wait(self) -> Result<Vec<PathBuf>, String> {
        self.rx
            .recv()
            .unwrap_or_else(|_| Err("l'enregistrement s'est arrêté sans résultat".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(job: &mut LoadJob) -> Result<LoadOutcome, String> {
        for _ in 0..2000 {
            if let Some(result) = job.poll() {
                return result;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the job never ended");
    }

    #[test]
    fn a_loading_thread_that_panics_ends_the_job_with_a_french_failure() {
        let mut job =
            LoadJob::spawn_with(Document::default(), 1, egui::Context::default(), |_, _| {
                panic!("analyse cassée")
            })
            .ok()
            .unwrap();
        let err = wait(&mut job).err().unwrap();
        assert!(err.starts_with("Le chargement s'est arrêté"), "{err}");
        assert!(err.contains("analyse cassée"), "{err}");
    }

    #[test]
    fn the_loading_screen_says_which_phase_of_the_analysis_runs_and_how_far() {
        use egui_kittest::kittest::Queryable;
        let (release_tx, release_rx) = channel::<()>();
        let mut job = LoadJob::spawn_with(
            Document::default(),
            0,
            egui::Context::default(),
            move |doc, _| {
                let _phase = Phase::start("candidats");
                // Held in the phase until the test has looked at the screen.
                let _ = release_rx.recv();
                LoadOutcome {
                    doc,
                    loaded: 0,
                    errors: Vec::new(),
                    mappings: Vec::new(),
                }
            },
        )
        .ok()
        .unwrap();
        let start = std::time::Instant::now();
        while job.phases.current().is_none() && start.elapsed().as_secs() < 30 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let mut harness = egui_kittest::Harness::new_ui(|ui| super::super::loading_ui(ui, &job));
        harness.run_steps(2);
        harness.get_by_label("Analyse en cours…");
        harness.get_by_label("Recherche des candidats");
        // The analysis alone: the phases before the candidates are about a seventh of it.
        let percent = format!("{:.0} %", job.progress() * 100.0);
        assert_eq!(percent, "14 %");
        harness.get_by_role_and_label(egui::accesskit::Role::ProgressIndicator, &percent);
        drop(harness);
        release_tx.send(()).unwrap();
        assert!(wait(&mut job).is_ok());
    }

    #[test]
    fn a_loading_thread_that_ends_without_a_result_is_a_failure_not_a_wait() {
        let (tx, rx) = channel::<LoadEvent>();
        drop(tx);
        let mut job = LoadJob {
            rx,
            total: 1,
            done: 0,
            current: String::new(),
            phases: PhaseTracker::default(),
        };
        assert_eq!(
            job.poll().map(|r| r.err()),
            Some(Some(LOAD_FAILED.to_owned()))
        );
    }
}
