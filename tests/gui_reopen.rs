//! A list re-opened after it changed on disk (re-exported from PRONOTE with fewer rows, or the
//! same rows in another order): nothing that pointed into its rows before is used as it was.
//! The real `App`, driven through AccessKit labels with egui_kittest.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::path::Path;

use common::wait_for_loading;
use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Dialog, Document};
use pronote_companion::review::open::OpenRequest;

const FILES: [&str; 4] = [
    "professeurs.csv",
    "eleves.txt",
    "responsables.csv",
    "ent-export-classique.csv",
];

/// The example base copied into `dir`, opened in the window.
fn harness_on_copies(dir: &Path) -> Harness<'static, App> {
    for name in FILES {
        std::fs::copy(common::exemple(name), dir.join(name)).unwrap();
    }
    let mut app = App::with_document(Document::example(false));
    let requests: Vec<OpenRequest> = FILES
        .iter()
        .map(|n| OpenRequest::Auto(dir.join(n)))
        .collect();
    app.load_now(&requests);
    // As if opened from the menu: they are the recent files.
    app.state.recent = FILES.iter().map(|n| dir.join(n)).collect();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    harness
}

/// Rewrites a text file keeping its first line and the data lines `keep` picks and orders.
fn rewrite(path: &Path, keep: impl FnOnce(Vec<String>) -> Vec<String>) {
    let text = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    let line_end = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text
        .split(line_end)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let header = lines.remove(0);
    let mut out = vec![header];
    out.extend(keep(lines));
    std::fs::write(path, out.join(line_end) + line_end).unwrap();
}

fn fill(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run();
}

/// Fichier > Fichiers récents > `path`, then the loading to its end.
fn reopen_from_recent_files(harness: &mut Harness<'_, App>, path: &Path) {
    harness.get_by_label("Fichier").click();
    harness.run();
    harness.get_by_label("Fichiers récents").hover();
    harness.run();
    // Each recent file shows its name, then its folder.
    let name = path.file_name().unwrap().to_string_lossy();
    let folder = path.parent().unwrap().display();
    harness
        .get_by_label(&format!("{name}  —  {folder}"))
        .click();
    harness.step();
    wait_for_loading(harness);
}

fn table_of(app: &App, file: &str) -> usize {
    app.doc
        .tables
        .iter()
        .position(|t| t.file_name() == file)
        .unwrap()
}

fn row_of(app: &App, t: usize, nom: &str) -> usize {
    let table = &app.doc.tables[t];
    (0..table.rows.len())
        .find(|&r| table.nom(r) == nom)
        .unwrap()
}

/// Every Identifiant CAS of a list, by nom.
fn cas_by_nom(app: &App, t: usize) -> Vec<(String, String)> {
    let table = &app.doc.tables[t];
    let mut all: Vec<(String, String)> = (0..table.rows.len())
        .map(|r| (table.nom(r).to_owned(), table.cas_id(r).to_owned()))
        .collect();
    all.sort();
    all
}

fn search_bovin(harness: &mut Harness<'_, App>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    harness.run();
    fill(harness, "Nom", "BOIVIN");
    fill(harness, "Prénom", "Philippe");
    harness.get_by_label_contains("1. BOVIN Philippe — Élèves, ligne 6");
}

#[test]
fn reopening_a_list_with_fewer_rows_refreshes_the_assistant_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_copies(dir.path());
    search_bovin(&mut harness);
    let eleves_path = dir.path().join("eleves.txt");
    // Re-exported with two pupils only: BOVIN (row 5) is gone.
    rewrite(&eleves_path, |rows| rows.into_iter().take(2).collect());
    reopen_from_recent_files(&mut harness, &eleves_path);
    harness.run();

    let app = harness.state();
    let eleves = table_of(app, "eleves.txt");
    assert_eq!(app.doc.tables[eleves].rows.len(), 2);
    assert_eq!(app.dialog, Some(Dialog::Assistant), "still open");
    for result in &app.assistant.results {
        assert!(
            result.row < app.doc.tables[result.table].rows.len(),
            "every result is a row of the lists as they are now"
        );
    }
    assert!(
        harness
            .query_by_label_contains("1. BOVIN Philippe — Élèves")
            .is_none(),
        "the pupil left the list, and the assistant's results with him"
    );
    harness.get_by_label("Élèves (2)");
}

#[test]
fn reopening_reordered_files_keeps_the_assistant_and_the_ent_tab_on_the_right_people() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_copies(dir.path());

    // The ENT tab searched for « boivin »: one account.
    harness.get_by_label("Comptes ENT (51)").click();
    harness.run();
    fill(&mut harness, "Rechercher :", "boivin");
    harness.get_by_label("philippe.boivin");

    search_bovin(&mut harness);
    let before = harness.state();
    let eleves = table_of(before, "eleves.txt");
    let bovin_before = row_of(before, eleves, "BOVIN");
    let cas_before = cas_by_nom(before, eleves);

    // Both files re-exported with the same rows in the other order.
    let eleves_path = dir.path().join("eleves.txt");
    let ent_path = dir.path().join("ent-export-classique.csv");
    let reverse = |mut rows: Vec<String>| {
        rows.reverse();
        rows
    };
    rewrite(&eleves_path, reverse);
    rewrite(&ent_path, reverse);
    reopen_from_recent_files(&mut harness, &eleves_path);
    reopen_from_recent_files(&mut harness, &ent_path);
    harness.run();
    let app = harness.state();
    let bovin = row_of(app, eleves, "BOVIN");
    assert_ne!(bovin, bovin_before, "BOVIN moved in the file");
    let other = app.doc.tables[eleves].nom(bovin_before).to_owned();

    // The assistant's solution 2 lands on BOVIN, not on whoever took his old place.
    harness.get_by_label_contains("1. BOVIN Philippe — Élèves, ligne 10");
    harness
        .get_by_label("Renseigner l'identifiant CAS (solution 2) #1")
        .click();
    harness.run();
    harness.get_by_label("BOVIN Philippe — Identifiant CAS : « philippe.boivin » sera renseigné");
    harness.get_by_label("Confirmer").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.doc.tables[eleves].cas_id(bovin), "philippe.boivin");
    let mut expected = cas_before;
    for (nom, cas) in &mut expected {
        if nom == "BOVIN" {
            *cas = "philippe.boivin".to_owned();
        }
    }
    assert_eq!(
        cas_by_nom(app, eleves),
        expected,
        "no other pupil changed ({other} took BOVIN's old place)"
    );

    // The ENT tab's search, cached before, is taken again on the re-opened export.
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, pronote_companion::app::Command::CloseDialog);
    harness.run();
    harness.get_by_label("Comptes ENT (51)").click();
    harness.run();
    harness.get_by_label("philippe.boivin");
    assert!(
        harness
            .query_by_label_contains("BOVIN Philippe (Élèves, ligne 10)")
            .is_some(),
        "the account points to BOVIN's row in the new reading"
    );
}

#[test]
fn an_undo_after_the_list_was_reopened_is_refused_in_french_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_copies(dir.path());
    search_bovin(&mut harness);
    harness
        .get_by_label("Renseigner l'identifiant CAS (solution 2) #1")
        .click();
    harness.run();
    harness.get_by_label("Confirmer").click();
    harness.run();
    let eleves_path = dir.path().join("eleves.txt");
    rewrite(&eleves_path, |mut rows| {
        rows.reverse();
        rows
    });
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, pronote_companion::app::Command::CloseDialog);
    reopen_from_recent_files(&mut harness, &eleves_path);
    let eleves = table_of(harness.state(), "eleves.txt");
    let bytes = harness.state().doc.tables[eleves].to_bytes().unwrap();

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let app = harness.state();
    let notice = app.notice.as_ref().unwrap();
    assert!(notice.is_error);
    assert_eq!(
        notice.text,
        "« Lier BOVIN Philippe à « philippe.boivin » » ne peut plus être annulé : eleves.txt a \
         été rouvert depuis et ses lignes ne sont plus forcément les mêmes. Rien n'a été modifié."
    );
    assert_eq!(app.doc.tables[eleves].to_bytes().unwrap(), bytes);
    assert!(app.doc.tables[eleves].edited_cells().is_empty());
    harness.get_by_label_contains("ne peut plus être annulé");
}
