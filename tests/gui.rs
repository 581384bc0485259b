//! The real `App` driven through AccessKit labels with egui_kittest (accessibility check on).

mod common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Dialog, Document, Tab};
use pronote_companion::cli::Inputs;
use pronote_companion::model::findings::FindingKind;

fn harness_on_example() -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|cc| App::new(cc, &Inputs::default()));
    harness.run();
    harness
}

fn table_index(app: &App, list: &str) -> usize {
    app.doc
        .tables
        .iter()
        .position(|t| t.list.label() == list)
        .unwrap()
}

fn row_of(app: &App, t: usize, nom: &str) -> usize {
    let table = &app.doc.tables[t];
    (0..table.rows.len()).find(|&r| table.nom(r) == nom).unwrap()
}

#[test]
fn the_example_base_opens_switches_tabs_and_flags_dejean() {
    let mut harness = harness_on_example();
    assert!(harness.state().doc.is_example);
    assert_eq!(harness.state().doc.tables.len(), 3);
    // Tabs named like PRONOTE's, with their row counts.
    harness.get_by_label("Élèves (13)").click();
    harness.run();
    let eleves = table_index(harness.state(), "Élèves");
    assert_eq!(harness.state().tab, Tab::List(eleves));
    assert!(harness.get_all_by_label("BOVIN").count() >= 1);
    harness.get_by_label("Professeurs (19)").click();
    harness.run();
    let profs = table_index(harness.state(), "Professeurs");
    assert_eq!(harness.state().tab, Tab::List(profs));
    // The DEJEAN row is there, flagged Suspect, with the stored CAS highlighted.
    assert!(harness.get_all_by_label("DEJEAN").count() >= 1);
    harness.get_by_label("michelle.moreau");
    harness.get_by_label("Suspect");
    let dejean = row_of(harness.state(), profs, "DEJEAN");
    assert_eq!(
        harness.state().doc.analysis.status(profs, dejean),
        Some(FindingKind::CasSuspect)
    );
    // Passwords are masked.
    assert!(harness.query_by_label("x7Qp17").is_none());
    harness.get_all_by_label("******").next().unwrap();
}
