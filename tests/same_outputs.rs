//! The window's export and `fix` build their files with one function: for the same edits, they
//! write the same bytes (the lists, the work list CSV and its printable page).

#![allow(clippy::unwrap_used)]

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Command, Document};
use pronote_companion::review::open::OpenRequest;
use pronote_companion::review::outputs::{WORK_LIST_HTML_NAME, WORK_LIST_NAME, corrected_name};

const FILES: [&str; 4] = [
    "professeurs.csv",
    "eleves.txt",
    "responsables.csv",
    "ent-export-classique.csv",
];

#[test]
fn the_window_and_fix_write_the_same_bytes_for_the_same_edits() {
    // The same input files for both, outside the repository.
    let inputs = tempfile::tempdir().unwrap();
    for name in FILES {
        std::fs::copy(common::exemple(name), inputs.path().join(name)).unwrap();
    }
    let path = |name: &str| inputs.path().join(name);

    // The command line: fix --all.
    let fixed = tempfile::tempdir().unwrap();
    let out_dir = fixed.path().join("corrige");
    let output = common::run(&[
        "fix",
        "--all",
        "--ent",
        &path("ent-export-classique.csv").display().to_string(),
        "--out-dir",
        &out_dir.display().to_string(),
        &path("professeurs.csv").display().to_string(),
        &path("eleves.txt").display().to_string(),
        &path("responsables.csv").display().to_string(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));

    // The window: open the same files, « Appliquer toutes les corrections… », confirm, export.
    let mut app = App::with_document(Document::example(false));
    let requests: Vec<OpenRequest> = FILES.iter().map(|n| OpenRequest::Auto(path(n))).collect();
    app.load_now(&requests);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    harness.get_by_label("À faire dans PRONOTE").click();
    harness.run();
    harness
        .get_by_label("Appliquer toutes les corrections…")
        .click();
    harness.run();
    harness.get_by_label("Confirmer").click();
    harness.run();
    let exported = tempfile::tempdir().unwrap();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Export(exported.path().to_owned()));
    harness.state_mut().wait_for_save();
    harness.run();

    for list in ["professeurs.csv", "eleves.txt", "responsables.csv"] {
        let by_fix = std::fs::read(out_dir.join(list)).unwrap();
        let by_window = std::fs::read(
            exported
                .path()
                .join(corrected_name(std::path::Path::new(list))),
        )
        .unwrap();
        assert!(by_fix == by_window, "{list}: the window and fix differ");
        assert_ne!(
            by_fix,
            std::fs::read(path(list)).unwrap(),
            "{list}: fix --all changes something in each list of the example"
        );
    }
    for name in [WORK_LIST_NAME, WORK_LIST_HTML_NAME] {
        let by_fix = std::fs::read(out_dir.join(name)).unwrap();
        let by_window = std::fs::read(exported.path().join(name)).unwrap();
        assert!(by_fix == by_window, "{name}: the window and fix differ");
    }
}
