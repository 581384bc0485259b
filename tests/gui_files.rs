//! Files opened and saved from inside the window: the built-in picker (used when the system's
//! dialog is missing), the save that asks before replacing, « Enregistrer et quitter ».
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use common::wait_for_loading;
use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Dialog, Document};

fn harness_with(app: App) -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(|_| app);
    harness.run();
    harness
}

fn go_to_folder(harness: &mut Harness<'_, App>, folder: &std::path::Path) {
    harness
        .get_by_role_and_label(Role::TextInput, "Dossier :")
        .click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Dossier :")
        .type_text(&folder.display().to_string());
    harness.run();
    harness.get_by_label("Aller").click();
    harness.run();
}

#[test]
fn the_built_in_picker_opens_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    let eleves = dir.path().join("exports").join("eleves.txt");
    std::fs::copy(common::exemple("eleves.txt"), &eleves).unwrap();
    std::fs::write(dir.path().join("exports").join("notes.pdf"), b"%PDF").unwrap();
    // No system dialog here (as on Linux without an XDG portal): Ctrl+O shows ours.
    let mut harness = harness_with(App::with_document(Document::example(true)));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    assert!(matches!(
        harness.state().dialog,
        Some(Dialog::FilePicker(_))
    ));
    harness.get_by_label("Ouvrir des exports PRONOTE");
    go_to_folder(&mut harness, dir.path());
    // Folders first; a click opens one.
    harness.get_by_label("exports/").click();
    harness.run();
    // Only csv and txt files are offered.
    assert!(harness.query_by_label("notes.pdf").is_none());
    harness.get_by_label("eleves.txt").click();
    harness.run();
    harness.get_by_label("Ouvrir").click();
    harness.step();
    wait_for_loading(&mut harness);
    let app = harness.state();
    assert!(app.dialog.is_none());
    assert!(!app.doc.is_example);
    assert_eq!(app.doc.tables.len(), 1);
    assert_eq!(app.doc.tables[0].path, eleves);
    // The recent files name their folder.
    harness.get_by_label("Fichier").click();
    harness.run();
    harness.get_by_label("Fichiers récents").hover();
    harness.run();
    harness.get_by_label(&format!(
        "eleves.txt  —  {}",
        dir.path().join("exports").display()
    ));
}

#[test]
fn the_built_in_picker_says_why_a_folder_cannot_be_read() {
    let mut harness = harness_with(App::with_document(Document::example(true)));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    go_to_folder(&mut harness, std::path::Path::new("/dossier/introuvable"));
    harness.get_by_label_contains("Dossier illisible");
}

#[test]
fn saving_twice_in_one_folder_asks_before_replacing_and_names_the_folder() {
    let out = tempfile::tempdir().unwrap();
    let mut app = App::with_document(Document::example(true));
    app.state.export_folder = Some(out.path().to_owned());
    let mut harness = harness_with(app);
    for round in 0..2 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
        harness.run();
        harness.get_by_label("Enregistrer").click();
        harness.step();
        if round == 1 {
            // The second time, the files are there: replace them only if asked to.
            assert!(matches!(
                harness.state().dialog,
                Some(Dialog::ConfirmReplace { .. })
            ));
            harness.run();
            harness.get_by_label("Remplacer les fichiers déjà enregistrés ?");
            harness.get_by_label("Remplacer").click();
            harness.step();
        }
        harness.state_mut().wait_for_save();
        harness.run();
        harness.get_by_label_contains(&format!("Enregistré dans {} :", out.path().display()));
    }
}

#[test]
fn enregistrer_et_quitter_saves_then_closes() {
    let out = tempfile::tempdir().unwrap();
    let mut app = App::with_document(Document::example(true));
    app.state.export_folder = Some(out.path().to_owned());
    let mut harness = harness_with(app);
    // One change, then Fichier > Quitter.
    let edit = pronote_companion::model::edit::Edit::clear_cas(&harness.state().doc.tables, 0, 17);
    if let Some(edit) = edit {
        harness.state_mut().doc.apply("test", edit);
    }
    assert!(harness.state().doc.unsaved > 0);
    harness.get_by_label("Fichier").click();
    harness.run();
    harness.get_by_label("Quitter").click();
    harness.run();
    harness.get_by_label("Enregistrer et quitter…").click();
    harness.run();
    harness.get_by_label("Enregistrer").click();
    harness.step();
    harness.state_mut().wait_for_save();
    harness.step();
    assert_eq!(harness.state().doc.unsaved, 0);
    assert!(harness.state().closing_after_save() || harness.state().dialog.is_none());
    assert!(out.path().join("professeurs-corrige.csv").exists());
}
