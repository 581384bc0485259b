//! The « À faire dans PRONOTE » view, driven through AccessKit labels with egui_kittest.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Dialog, Document, State, Tab};
use pronote_companion::review::plan::IdentificationMode;

fn harness_with(state: State) -> Harness<'static, App> {
    let mut app = App::with_document(Document::example(true));
    app.state = state;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|_| app);
    harness.run();
    harness
}

fn open_view(harness: &mut Harness<'_, App>) {
    harness.get_by_label("À faire dans PRONOTE").click();
    harness.run();
    assert_eq!(harness.state().tab, Tab::WorkList);
}

#[test]
fn the_view_previews_the_steps_then_lists_them_once_the_fixes_are_applied() {
    let mut harness = harness_with(State::default());
    // The status bar says how many PRONOTE steps remain, from any tab.
    harness.get_by_label_contains(
        "si vous appliquez les corrections proposées : 3 actions groupées, 7 saisies \
         indispensables, 26 facultatives",
    );
    open_view(&mut harness);
    harness.get_by_label_contains("Mode d'identification : par l'identité");
    harness
        .get_by_label("Appliquer toutes les corrections…")
        .click();
    harness.run();
    assert!(matches!(harness.state().dialog, Some(Dialog::Confirm(_))));
    harness.get_by_label("Confirmer").click();
    harness.run();
    assert_eq!(harness.state().doc.unsaved, 33);
    harness.get_by_label(
        "À faire dans PRONOTE : 3 actions groupées, 7 saisies indispensables, 26 facultatives",
    );
    // Bulk first: the security clear of the Professeurs list, its rows listed on demand.
    let first = "Étape 1 — Professeurs — Supprimer l'identifiant CAS (2 ligne(s))";
    harness.get_by_label(first);
    harness.get_by_label("Les 2 ligne(s) de l'étape 1").click();
    harness.run();
    harness.get_by_label_contains("DEJEAN Yannick — ligne 19 — « michelle.moreau »");
    // Hand entries next; the optional ones are collapsed.
    harness.get_by_label_contains("saisissez « yannick.dejean » dans la colonne Identifiant CAS");
    assert!(
        harness
            .query_by_label_contains("saisissez « mariedesiree.albert »")
            .is_none()
    );
    harness
        .get_by_label("Saisies facultatives (26) : PRONOTE les fera seul")
        .click();
    harness.run();
    harness.get_by_label_contains("saisissez « mariedesiree.albert »");
}

#[test]
fn a_step_ticked_off_is_remembered_for_these_files() {
    let mut harness = harness_with(State::default());
    open_view(&mut harness);
    harness
        .get_by_label("Appliquer toutes les corrections…")
        .click();
    harness.run();
    harness.get_by_label("Confirmer").click();
    harness.run();
    let first = "Étape 1 — Professeurs — Supprimer l'identifiant CAS (2 ligne(s))";
    harness.get_by_label(first).click();
    harness.run();
    harness.get_by_label_contains("1 / 36 étape(s) faite(s)");
    let state = harness.state().state.clone();
    assert_eq!(
        state.worklist_done.values().map(|d| d.len()).sum::<usize>(),
        1
    );

    // The same files in a new window, with the persisted state: still ticked.
    let mut again = harness_with(state.clone());
    open_view(&mut again);
    again
        .get_by_label("Appliquer toutes les corrections…")
        .click();
    again.run();
    again.get_by_label("Confirmer").click();
    again.run();
    again.get_by_label_contains("1 / 36 étape(s) faite(s)");
    // Ticked again: undone.
    again.get_by_label(first).click();
    again.run();
    again.get_by_label_contains("0 / 36 étape(s) faite(s)");
}

#[test]
fn the_cas_only_setting_makes_every_entry_necessary() {
    let mut harness = harness_with(State::default());
    open_view(&mut harness);
    harness.get_by_label("par l'identifiant CAS seul").click();
    harness.run();
    assert_eq!(
        harness.state().state.plan_options.mode,
        IdentificationMode::CasOnly
    );
    harness.get_by_label_contains("Mode d'identification : par l'identifiant CAS seul");
    // In the view and in the status bar.
    assert_eq!(
        harness
            .get_all_by_label_contains(
                "3 actions groupées, 33 saisies indispensables, 0 facultative"
            )
            .count(),
        2
    );
}

#[test]
fn the_file_menu_prints_the_work_list() {
    let mut harness = harness_with(State::default());
    harness.get_by_label("Fichier").click();
    harness.run();
    harness
        .get_by_label("Imprimer la liste « À faire dans PRONOTE »…")
        .click();
    harness.run();
    let path = harness.state().last_work_list.clone().expect("written");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("3 actions groupées, 7 saisies indispensables, 26 facultatives"));
    assert!(html.contains("<details>"), "optional entries collapsed");
}
