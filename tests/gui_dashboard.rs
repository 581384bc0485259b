//! The dashboard (« Tableau de bord »): what the window opens on, counts equal to the lists',
//! buttons that take the grid to those rows.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::view::{StatusFilter, TableView};
use pronote_companion::app::{App, Dialog, Tab};
use pronote_companion::model::findings::{FindingKind, Severity};

fn harness_on_example() -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(|cc| App::new(cc, &[]));
    harness.run();
    harness
}

/// The rows of a list that the chip of `kind` shows, counted by a view of their own.
fn rows_of_kind(app: &App, t: usize, kind: FindingKind) -> Vec<usize> {
    let table = &app.doc.tables[t];
    let mut view = TableView::new(table.rows.len());
    view.set_filter(Some(StatusFilter::Kind(kind)));
    view.rebuild(table, t, &app.doc.analysis);
    let mut rows = view.visible_cached().to_vec();
    rows.sort_unstable();
    rows
}

#[test]
fn the_window_opens_on_the_dashboard_and_its_counts_are_the_lists_counts() {
    let harness = harness_on_example();
    assert_eq!(harness.state().tab, Tab::Dashboard);
    harness.get_by_label("Tableau de bord : par où commencer");
    let app = harness.state();
    let mut buttons = 0;
    for (t, table) in app.doc.tables.iter().enumerate() {
        for kind in FindingKind::ALL {
            let count = rows_of_kind(app, t, kind).len();
            let label = format!(
                "Voir les {count} « {} » dans {}",
                kind.status(),
                table.list.label()
            );
            let shown = harness.query_by_label(&label).is_some();
            if count > 0 && kind.severity() > Severity::Info {
                assert!(shown, "{label} ({kind:?})");
                buttons += 1;
            }
        }
    }
    // Suspect and Périmé on Professeurs, Esp. Par. on Responsables… at least those.
    assert!(buttons >= 4, "{buttons}");
    // The ENT export's anomalies too.
    harness.get_by_label_contains("Absents de PRONOTE :");
}

#[test]
fn a_dashboard_button_selects_those_rows_in_their_tab() {
    let mut harness = harness_on_example();
    let t = harness
        .state()
        .doc
        .tables
        .iter()
        .position(|t| t.list.label() == "Responsables")
        .unwrap();
    let kind = FindingKind::ParentAccessOff;
    let expected = rows_of_kind(harness.state(), t, kind);
    assert!(!expected.is_empty());
    let label = format!(
        "Voir les {} « {} » dans Responsables",
        expected.len(),
        kind.status()
    );
    harness.get_by_label(&label).scroll_to_me();
    harness.run();
    harness.get_by_label(&label).click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.tab, Tab::List(app.doc.tables[t].stamp.id));
    let selected: Vec<usize> = app.doc.views[t].selection.iter().copied().collect();
    assert_eq!(selected, expected);
    let mut visible = app.doc.views[t].visible_cached().to_vec();
    visible.sort_unstable();
    assert_eq!(visible, expected);
    // The chip is on, with the same count.
    harness.get_by_label(&format!("{} ({})", kind.status(), expected.len()));
    harness.get_by_label(&format!("{} sélectionnée(s)", expected.len()));
}

#[test]
fn a_dashboard_fix_asks_for_confirmation_first() {
    let mut harness = harness_on_example();
    harness
        .get_by_label("Corriger : Suspect (Professeurs)…")
        .click();
    harness.run();
    assert!(matches!(harness.state().dialog, Some(Dialog::Confirm(_))));
    harness.get_by_label("1 ligne(s), 1 modification(s) :");
    harness.get_by_label("Annuler").click();
    harness.run();
    assert_eq!(harness.state().doc.unsaved, 0);
}

#[test]
fn the_ent_anomalies_lead_to_the_ent_tab_filtered() {
    let mut harness = harness_on_example();
    let orphans = harness.state().doc.analysis.ent.len();
    assert!(orphans > 0);
    let label = format!("Voir ces {orphans} comptes");
    harness.get_by_label(&label).scroll_to_me();
    harness.run();
    harness.get_by_label(&label).click();
    harness.run();
    assert_eq!(harness.state().tab, Tab::Ent);
    harness.get_by_label(&format!("Absents de PRONOTE ({orphans})"));
}
