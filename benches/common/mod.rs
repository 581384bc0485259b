//! What the window's benchmarks share: the generated département loaded in the real `App` as
//! the window loads it, the application's allocator, and medians.

use std::path::PathBuf;
use std::time::Instant;

use pronote_companion::app::{App, Document, Tab};
use pronote_companion::synthetic::{
    GenOptions, open_requests, serve_generation_request, write_files_in_child,
};

// The allocator of the application (`src/main.rs`), so that the figures are the window's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Median and 95th percentile of durations in seconds, in milliseconds.
pub fn median_ms(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    (median * 1000.0, p95 * 1000.0)
}

/// The département (`GenOptions::departement(7)`, written by a child process) loaded and
/// analysed in the `App`, on its Responsables tab; with the position of that list. `None` in
/// the child process, which only writes the files.
pub fn departement_app() -> Option<(App, usize)> {
    if serve_generation_request().expect("génération") {
        return None;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("departement-fenetre");
    write_files_in_child(&dir, GenOptions::departement(7).pupils).expect("génération");
    let mut app = App::with_document(Document::default());
    let start = Instant::now();
    let requests = open_requests(&dir);
    app.load_now(&requests);
    let rows: usize = app.doc.tables.iter().map(|t| t.rows.len()).sum();
    println!(
        "chargement et analyse : {rows} lignes en {:.2} s",
        start.elapsed().as_secs_f64()
    );
    let responsables = app
        .doc
        .tables
        .iter()
        .position(|t| t.list.label() == "Responsables")
        .expect("responsables");
    app.tab = Tab::List(app.doc.tables[responsables].stamp.id);
    Some((app, responsables))
}
