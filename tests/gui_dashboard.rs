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

/// Clicks the dashboard's « Voir » button of `kind` in `list`, showing `count` rows.
fn click_voir(harness: &mut Harness<'_, App>, count: usize, kind: FindingKind, list: &str) {
    let label = format!("Voir les {count} « {} » dans {list}", kind.status());
    harness.get_by_label(&label).scroll_to_me();
    harness.run();
    harness.get_by_label(&label).click();
    harness.run();
}

/// The first row shown in list `t` is whole, below the pinned header, not half hidden under
/// it (a tab shown for the first time does not know its height yet).
fn assert_first_row_below_the_header(harness: &Harness<'_, App>, t: usize) {
    let app = harness.state();
    let first = app.doc.views[t].visible_cached()[0];
    let nom = app.doc.tables[t].nom(first).to_owned();
    let header = harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Statut")
        .rect();
    let top = harness
        .query_all_by_label(&nom)
        .map(|node| node.rect().top())
        .fold(f32::INFINITY, f32::min);
    assert!(top >= header.bottom() - 0.5, "{top} < {}", header.bottom());
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
    click_voir(&mut harness, expected.len(), kind, "Responsables");
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
    assert_first_row_below_the_header(&harness, t);
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

/// The window on a generated collège (seed 3: 1,381 rows and its ENT export).
fn app_on_generated_college() -> App {
    use pronote_companion::app::document::Document;
    use pronote_companion::synthetic::{GenOptions, open_requests, write_files};
    let dir = tempfile::tempdir().unwrap();
    write_files(&GenOptions::college(3), dir.path()).unwrap();
    let mut app = App::with_document(Document::default());
    app.load_now(&open_requests(dir.path()));
    app
}

#[test]
fn the_tabs_fit_in_1024_points_on_a_collège_and_show_their_counts_when_wider() {
    for (width, counts) in [(1024.0, false), (1400.0, true)] {
        let app = app_on_generated_college();
        let eleves = app.doc.tables.iter().find(|t| t.list.label() == "Élèves");
        let rows = eleves.unwrap().rows.len();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(width, 768.0))
            .with_max_steps(12)
            .build_eframe(|_| app);
        harness.run();
        // The menu's « Aide » and the tab's: the rightmost is the tab.
        let right = harness
            .query_all_by_role_and_label(egui::accesskit::Role::Button, "Aide")
            .map(|node| node.rect().right())
            .fold(0.0, f32::max);
        assert!(right > 500.0 && right <= width, "{width}: {right}");
        let with_count = format!("Élèves ({rows})");
        assert_eq!(
            harness.query_by_label(&with_count).is_some(),
            counts,
            "{width}"
        );
        assert_eq!(
            harness.query_by_label("Élèves").is_some(),
            !counts,
            "{width}"
        );
    }
}

#[test]
fn on_a_long_list_the_first_row_shown_by_a_dashboard_button_is_below_the_header() {
    let app = app_on_generated_college();
    let t = app
        .doc
        .tables
        .iter()
        .position(|t| t.list.label() == "Élèves")
        .unwrap();
    // The kind with the most rows: they fill more than the window.
    let (kind, expected) = FindingKind::ALL
        .into_iter()
        .filter(|k| k.severity() > Severity::Info)
        .map(|k| (k, rows_of_kind(&app, t, k)))
        .max_by_key(|(_, rows)| rows.len())
        .unwrap();
    assert!(expected.len() > 40, "{}", expected.len());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(|_| app);
    harness.run();
    click_voir(&mut harness, expected.len(), kind, "Élèves");
    let app = harness.state();
    assert_eq!(app.tab, Tab::List(app.doc.tables[t].stamp.id));
    assert_first_row_below_the_header(&harness, t);
}
