//! The loading screen: while files are read and analysed, it says which phase runs and how
//! far the loading is.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use pronote_companion::app::{App, Command, Document};
use pronote_companion::synthetic::{GenOptions, open_requests, write_files};
use pronote_companion::timing::LOADING_PHASES;

#[test]
fn the_loading_screen_names_the_phase_and_a_percentage_that_only_grows() {
    let dir = tempfile::tempdir().unwrap();
    let options = GenOptions {
        pupils: 3_000,
        teachers: 60,
        staff: 20,
        ..GenOptions::college(5)
    };
    write_files(&options, dir.path()).unwrap();
    let requests = open_requests(dir.path());

    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(|_| App::with_document(Document::default()));
    harness.run();
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, Command::Load(requests));
    assert!(harness.state().is_loading());

    let mut titles = Vec::new();
    let mut percents = Vec::new();
    let start = std::time::Instant::now();
    while harness.state().is_loading() && start.elapsed().as_secs() < 120 {
        harness.step();
        if !harness.state().is_loading() {
            break;
        }
        harness.get_by_label("Chargement en cours…");
        let title = LOADING_PHASES
            .iter()
            .map(|p| p.title)
            .find(|title| harness.query_by_label(title).is_some())
            .expect("the loading screen names the phase running");
        if titles.last() != Some(&title) {
            titles.push(title);
        }
        // The status bar has its own bar (« Chargement 1 / 5 »): the screen's says « … % ».
        let percent: u32 = harness
            .get_all_by_role(Role::ProgressIndicator)
            .filter_map(|bar| bar.accesskit_node().label())
            .find_map(|label| label.strip_suffix(" %").and_then(|p| p.parse().ok()))
            .expect("the loading screen shows a percentage");
        percents.push(percent);
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    harness.run();
    assert!(!harness.state().is_loading());
    assert_eq!(harness.state().doc.tables.len(), 4);
    // The phases come in their order (the reading first, if a frame came before its end);
    // the percentage moves on and never goes back.
    assert!(!titles.is_empty());
    let positions: Vec<usize> = titles
        .iter()
        .map(|title| {
            LOADING_PHASES
                .iter()
                .position(|p| p.title == *title)
                .unwrap()
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{titles:?}");
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
    assert!(percents.iter().all(|&p| p <= 100), "{percents:?}");
}
