//! The real `App` driven through AccessKit labels with egui_kittest (accessibility check on).
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use common::wait_for_loading;

use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Dialog, Document};
use pronote_companion::cli::Inputs;
use pronote_companion::ent::layout::MappingStore;
use pronote_companion::model::columns::ColumnRole;
use pronote_companion::model::findings::FindingKind;

fn harness_on_example() -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|cc| App::new(cc, &[]));
    harness.run();
    // The window opens on the dashboard; the lists are one click away.
    harness.get_by_label("Professeurs (19)").click();
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
    (0..table.rows.len())
        .find(|&r| table.nom(r) == nom)
        .unwrap()
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
    assert_eq!(harness.state().current_table(), Some(eleves));
    assert!(harness.get_all_by_label("BOVIN").count() >= 1);
    harness.get_by_label("Professeurs (19)").click();
    harness.run();
    let profs = table_index(harness.state(), "Professeurs");
    assert_eq!(harness.state().current_table(), Some(profs));
    // The DEJEAN row is there, flagged Suspect, with the stored CAS highlighted.
    assert!(harness.get_all_by_label("DEJEAN").count() >= 1);
    harness.get_by_label("michelle.moreau");
    harness.get_by_label("Suspect");
    let dejean = row_of(harness.state(), profs, "DEJEAN");
    assert_eq!(
        harness.state().doc.analysis.status(profs, dejean),
        Some(FindingKind::CasSuspect)
    );
    // A click on the row shows its fiche.
    harness.get_all_by_label("DEJEAN").next().unwrap().click();
    harness.run();
    assert_eq!(harness.state().doc.views[profs].focused, Some(dejean));
    harness.get_by_label("DEJEAN Yannick");
    // The fiche can be hidden for more room, and shown again.
    harness.get_by_label("Fiche").click();
    harness.run();
    assert!(harness.query_by_label("DEJEAN Yannick").is_none());
    harness.key_press(Key::F3);
    harness.run();
    harness.get_by_label("DEJEAN Yannick");
    // Passwords are masked.
    assert!(harness.query_by_label("x7Qp17").is_none());
    harness.get_all_by_label("******").next().unwrap();
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn utf16le_text(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap()
}

#[test]
fn review_bulk_clear_undo_redo_link_export_and_guard() {
    let mut harness = harness_on_example();
    let profs = table_index(harness.state(), "Professeurs");
    let dejean = row_of(harness.state(), profs, "DEJEAN");
    let cas = |h: &Harness<'_, App>| h.state().doc.tables[profs].cas_id(dejean).to_owned();

    // Filter on "Suspect", select all, right click > Modifier la sélection > CAS et ENT.
    harness.get_by_label("Suspect (1)").click();
    harness.run();
    assert_eq!(harness.state().doc.views[profs].visible_cached(), &[dejean]);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    assert_eq!(harness.state().doc.views[profs].selection.len(), 1);
    harness
        .get_all_by_label("DEJEAN")
        .next()
        .unwrap()
        .click_secondary();
    harness.run();
    harness.get_by_label("Modifier la sélection").hover();
    harness.run();
    harness.get_by_label("CAS et ENT").hover();
    harness.run();
    harness
        .get_by_label("Supprimer l'identifiant CAS (ENT)")
        .click();
    harness.run();

    // The confirmation says how many rows and previews the change.
    assert!(matches!(harness.state().dialog, Some(Dialog::Confirm(_))));
    harness.get_by_label("1 ligne(s), 1 modification(s) :");
    harness.get_by_label("DEJEAN Yannick — Identifiant CAS : « michelle.moreau » sera supprimé");
    harness.get_by_label("Confirmer").click();
    harness.run();
    assert_eq!(cas(&harness), "");
    assert!(harness.query_by_label("michelle.moreau").is_none());
    assert_eq!(harness.state().doc.unsaved, 1);

    // Undo, redo.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(cas(&harness), "michelle.moreau");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert_eq!(cas(&harness), "");

    // Link DEJEAN to his own account from the fiche.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::T);
    harness.run();
    assert_eq!(harness.state().doc.views[profs].visible_cached().len(), 19);
    harness
        .get_by_label("yannick.dejean@fournisseur.fr")
        .click();
    harness.run();
    assert_eq!(harness.state().doc.views[profs].focused, Some(dejean));
    assert!(harness.get_all_by_label("· même adresse e-mail").count() >= 1);
    harness.get_by_label("Lier à yannick.dejean").click();
    harness.run();
    assert_eq!(cas(&harness), "yannick.dejean");
    let edited_cell = harness.state().doc.tables[profs]
        .column(pronote_companion::model::columns::ColumnRole::CasId);
    assert!(harness.state().doc.tables[profs].is_edited(dejean, edited_cell.unwrap()));

    // Export to a temporary folder and compare the bytes written.
    let out = tempfile::tempdir().unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let folder = harness.get_by_label("Dossier :");
    folder.click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("Dossier :")
        .type_text(&out.path().display().to_string());
    harness.run();
    harness.get_by_label("Enregistrer").click();
    // One frame: the save runs on its thread, with a spinner meanwhile.
    harness.step();
    harness.state_mut().wait_for_save();
    harness.run();
    let original = std::fs::read(common::exemple("professeurs.csv")).unwrap();
    let expected = utf16le(&utf16le_text(&original).replace(
        "WQPYXNMRE35CTUF8;michelle.moreau;",
        "WQPYXNMRE35CTUF8;yannick.dejean;",
    ));
    let written = std::fs::read(out.path().join("professeurs-corrige.csv")).unwrap();
    assert_eq!(written, expected);
    assert_eq!(
        std::fs::read(out.path().join("eleves-corrige.txt")).unwrap(),
        std::fs::read(common::exemple("eleves.txt")).unwrap()
    );
    let work_list = std::fs::read_to_string(out.path().join("a-faire-dans-pronote.csv")).unwrap();
    assert!(work_list.contains("DEJEAN;Yannick;Identifiant CAS;michelle.moreau;yannick.dejean;"));
    let html = std::fs::read_to_string(out.path().join("a-faire-dans-pronote.html")).unwrap();
    assert!(html.contains("Renseigner l'identifiant CAS"));
    assert_eq!(harness.state().doc.unsaved, 0);
    harness.get_by_label_contains(&format!("Enregistré dans {} :", out.path().display()));

    // One more change, then Fichier > Quitter: the guard asks first.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().doc.unsaved, 1);
    harness.get_by_label("Fichier").click();
    harness.run();
    harness.get_by_label("Quitter").click();
    harness.run();
    assert_eq!(harness.state().dialog, Some(Dialog::UnsavedGuard));
    harness.get_by_label("Modifications non enregistrées");
    harness.get_by_label("Annuler").click();
    harness.run();
    assert_eq!(harness.state().dialog, None);
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

#[test]
fn the_assistant_finds_bovin_and_proposes_both_fixes_each_confirmed_first() {
    let mut harness = harness_on_example();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    harness.run();
    fill(&mut harness, "Nom", "BOIVIN");
    fill(&mut harness, "Prénom", "Philippe");
    fill(&mut harness, "Date de naissance", "30/06/1999");
    harness.run();
    harness.get_by_label_contains("1. BOVIN Philippe");
    harness.get_by_label("« BOVIN » dans PRONOTE");
    let eleves = table_index(harness.state(), "Élèves");
    let bovin = row_of(harness.state(), eleves, "BOVIN");

    // Solution 2 asks first, with the preview; nothing changes until « Confirmer ».
    harness
        .get_by_label("Renseigner l'identifiant CAS (solution 2) #1")
        .click();
    harness.run();
    assert!(matches!(harness.state().dialog, Some(Dialog::Confirm(_))));
    harness.get_by_label("Lier BOVIN Philippe à « philippe.boivin »");
    harness.get_by_label("BOVIN Philippe — Identifiant CAS : « philippe.boivin » sera renseigné");
    assert_eq!(harness.state().doc.tables[eleves].cas_id(bovin), "");
    harness.get_by_label("Confirmer").click();
    harness.run();
    assert_eq!(
        harness.state().doc.tables[eleves].cas_id(bovin),
        "philippe.boivin"
    );
    // The assistant is back, ready for the other solution.
    assert_eq!(harness.state().dialog, Some(Dialog::Assistant));

    // Solution 1: cancelled, then confirmed.
    harness
        .get_by_label("Corriger PRONOTE (solution 1) #1")
        .click();
    harness.run();
    harness.get_by_label("BOVIN Philippe — Nom : « BOVIN » devient « BOIVIN »");
    harness.get_by_label("Annuler").click();
    harness.run();
    assert_eq!(harness.state().doc.tables[eleves].nom(bovin), "BOVIN");
    assert_eq!(harness.state().dialog, Some(Dialog::Assistant));
    harness
        .get_by_label("Corriger PRONOTE (solution 1) #1")
        .click();
    harness.run();
    harness.get_by_label("Confirmer").click();
    harness.run();
    assert_eq!(harness.state().doc.tables[eleves].nom(bovin), "BOIVIN");
    // Like every change: in the history, undone by Ctrl+Z.
    assert_eq!(
        harness.state().doc.history.undo_labels().last(),
        Some("Corriger PRONOTE comme l'ENT : BOVIN Philippe")
    );
}

#[test]
fn the_assistant_finds_a_person_whose_nom_and_prenom_came_the_other_way_round() {
    let mut harness = harness_on_example();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    harness.run();
    // The ENT's order: prénom in the nom field.
    fill(&mut harness, "Nom", "Philippe");
    fill(&mut harness, "Prénom", "BOVIN");
    harness.run();
    harness.get_by_label_contains("1. BOVIN Philippe");
    harness.get_by_label_contains("Nom et prénom dans l'autre ordre");
    let eleves = table_index(harness.state(), "Élèves");
    let bovin = row_of(harness.state(), eleves, "BOVIN");
    assert_eq!(
        harness
            .state()
            .assistant
            .results
            .first()
            .map(|r| (r.table, r.row)),
        Some((eleves, bovin))
    );
}

#[test]
fn the_assistant_takes_the_grid_to_the_row_it_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Nom;Prénom;Né(e) le;Classe;Identifiant CAS\n");
    for i in 0..400 {
        text.push_str(&format!("ELEVE{i:03};Prenom{i:03};01/01/2012;6A;\n"));
    }
    let big = dir.path().join("eleves.csv");
    std::fs::write(&big, text).unwrap();
    let mut app = App::with_document(Document::default());
    app.load_now(&[
        pronote_companion::review::open::OpenRequest::Auto(common::exemple("professeurs.csv")),
        pronote_companion::review::open::OpenRequest::Auto(big),
    ]);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    let eleves = table_index(harness.state(), "Élèves");
    assert_ne!(harness.state().current_table(), Some(eleves));
    assert!(
        harness.query_by_label("ELEVE350").is_none(),
        "far down, not built"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    harness.run();
    fill(&mut harness, "Nom", "ELEVE350");
    fill(&mut harness, "Prénom", "Prenom350");
    harness.run();
    let state = harness.state();
    assert_eq!(state.current_table(), Some(eleves));
    let row = row_of(state, eleves, "ELEVE350");
    assert_eq!(
        state.doc.views[eleves]
            .selection
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![row]
    );
    assert_eq!(state.doc.views[eleves].focused, Some(row));
    // Scrolled to it: the grid builds only the rows in view.
    assert!(harness.get_all_by_label("ELEVE350").count() >= 1);
    assert!(harness.query_by_label("ELEVE000").is_none());
}

#[test]
fn a_bad_file_gives_a_french_message_and_the_others_stay_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("vide.csv");
    std::fs::write(&bad, b"").unwrap();
    let mut app = App::with_document(Document::example(true));
    app.load_now(&[
        pronote_companion::review::open::OpenRequest::Auto(bad.clone()),
        pronote_companion::review::open::OpenRequest::Auto(common::exemple("eleves.txt")),
    ]);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    assert_eq!(harness.state().doc.tables.len(), 1);
    harness.get_by_label("Fichier non chargé");
    assert!(
        harness
            .get_all_by_label_contains("le fichier est vide")
            .count()
            >= 1
    );
    harness.get_by_label("Fermer").click();
    harness.run();
    harness.get_by_label("Élèves (13)");
}

#[test]
fn files_given_on_the_command_line_load_in_the_background() {
    let inputs = Inputs {
        files: vec![
            common::exemple("eleves.txt"),
            common::exemple("responsables.csv"),
        ],
        ent: Some(common::exemple("ent-export-classique.csv")),
        ..Inputs::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|cc| App::new(cc, &inputs.requests()));
    wait_for_loading(&mut harness);
    assert!(!harness.state().doc.is_example);
    assert_eq!(harness.state().doc.tables.len(), 2);
    harness.get_by_label("Élèves (13)");
    harness.get_by_label("Comptes ENT (51)");
    harness.get_by_label("3 fichier(s) chargé(s).");
}

#[test]
fn an_unknown_ent_export_asks_for_its_columns_and_loads_with_them() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ent = common::write_unknown_ent_export(dir.path());
    let mut app = App::with_document(Document::example(false));
    app.mapping_store = Some(MappingStore::at(config.path()));
    app.load_now(&[pronote_companion::review::open::OpenRequest::Auto(
        ent.clone(),
    )]);
    assert!(matches!(app.dialog, Some(Dialog::EntMapping(_))));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    harness.get_by_label("Colonnes de l'export ENT");
    // Login, nom and naissance are guessed; the prénom column is chosen by hand.
    assert!(
        harness
            .query_by_label("Charger avec ces colonnes")
            .is_some()
    );
    harness.get_by_label("prénom *").click();
    harness.run();
    harness.get_by_label("Usuel").click();
    harness.run();
    harness.get_by_label("Charger avec ces colonnes").click();
    harness.step();
    wait_for_loading(&mut harness);
    let ent = harness.state().doc.ent.as_ref().unwrap();
    assert_eq!(ent.layout.code(), "personnalise");
    assert_eq!(ent.accounts[0].login, "kenza.b");
    harness.get_by_label("Comptes ENT (1)");
    // The choice is remembered for the next export with the same header.
    let titles: Vec<String> = ["Compte", "Famille", "Usuel", "Naissance"]
        .map(String::from)
        .into();
    assert_eq!(
        MappingStore::at(config.path()).lookup(&titles).as_deref(),
        Some("login=Compte,nom=Famille,prenom=Usuel,naissance=Naissance")
    );
}

#[test]
fn a_headerless_ent_export_is_mapped_by_column_number_in_the_window() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // No header, and logins the content cannot tell from names: the user says which is which.
    let ent = dir.path().join("comptes.csv");
    std::fs::write(&ent, "DUPONT;Jean;JDUPONT\nMARTIN;Léa;LMARTIN\n").unwrap();
    let mut app = App::with_document(Document::example(false));
    app.mapping_store = Some(MappingStore::at(config.path()));
    app.load_now(&[pronote_companion::review::open::OpenRequest::Auto(
        ent.clone(),
    )]);
    let Some(Dialog::EntMapping(mapping)) = &app.dialog else {
        panic!("the columns are asked for");
    };
    assert!(!mapping.has_header, "line 1 is an account");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    harness.get_by_label("La première ligne contient les titres des colonnes");
    for (field, column) in [
        ("identifiant de connexion ENT *", "Colonne 3 : JDUPONT"),
        ("nom *", "Colonne 1 : DUPONT"),
        ("prénom *", "Colonne 2 : Jean"),
    ] {
        harness.get_by_label(field).click();
        harness.run();
        harness.get_by_label(column).click();
        harness.run();
    }
    harness.get_by_label("Charger avec ces colonnes").click();
    harness.step();
    wait_for_loading(&mut harness);
    let ent = harness.state().doc.ent.as_ref().unwrap();
    let accounts: Vec<(&str, &str, &str)> = ent
        .accounts
        .iter()
        .map(|a| (a.nom.as_str(), a.prenom.as_str(), a.login.as_str()))
        .collect();
    assert_eq!(
        accounts,
        vec![("DUPONT", "Jean", "JDUPONT"), ("MARTIN", "Léa", "LMARTIN")]
    );
    harness.get_by_label("Comptes ENT (2)");
    // Remembered by number for the next export without header of three columns.
    let next: Vec<String> = ["ROUX", "Nadia", "NROUX"].map(String::from).into();
    assert_eq!(
        MappingStore::at(config.path()).lookup(&next).as_deref(),
        Some("login=3,nom=1,prenom=2,entete=non")
    );
}

#[test]
fn on_a_large_base_a_cas_edit_is_analysed_at_once_and_a_name_edit_in_the_background() {
    use pronote_companion::model::edit::Edit;
    use pronote_companion::synthetic::{GenOptions, write_files};
    let dir = tempfile::tempdir().unwrap();
    let options = GenOptions {
        pupils: 5_000,
        teachers: 60,
        staff: 20,
        ..GenOptions::college(11)
    };
    write_files(&options, dir.path()).unwrap();
    let mut app = App::with_document(Document::default());
    app.load_now(&pronote_companion::synthetic::open_requests(dir.path()));
    let rows: usize = app.doc.tables.iter().map(|t| t.rows.len()).sum();
    assert!(rows >= pronote_companion::app::document::BACKGROUND_ANALYSIS_ROWS);
    // A row whose CAS is correct (no finding): clearing it makes it "À lier" once analysed.
    let t = 0;
    let r = (0..app.doc.tables[t].rows.len())
        .find(|&r| !app.doc.tables[t].cas_id(r).is_empty() && app.doc.analysis.row(t, r).is_empty())
        .unwrap();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    // An Identifiant CAS cleared: the rows it can change are analysed again at once, with no
    // loading screen.
    let edit = Edit::clear_cas(&harness.state().doc.tables, t, r).unwrap();
    harness
        .state_mut()
        .doc
        .apply("Supprimer l'identifiant CAS (ENT)", edit);
    assert!(!harness.state().doc.analysis_pending);
    harness.step();
    assert!(!harness.state().is_loading());
    let doc = &harness.state().doc;
    assert_eq!(doc.tables[t].cas_id(r), "");
    assert_eq!(doc.analysis.status(t, r), Some(FindingKind::CasToLink));
    assert_eq!(doc.unsaved, 1);
    // A nom changed: the identities change, the whole analysis runs in the background.
    let nom = doc.tables[t].column(ColumnRole::Nom).unwrap();
    let edit = Edit::SetCell {
        table: t,
        row: r,
        column: nom,
        value: "ZZYZX".to_owned(),
    };
    harness.state_mut().doc.apply("Modifier le nom", edit);
    assert!(harness.state().doc.analysis_pending);
    harness.step();
    assert!(harness.state().is_loading());
    wait_for_loading(&mut harness);
    let doc = &harness.state().doc;
    assert!(!doc.analysis_pending);
    assert_eq!(doc.analysis.status(t, r), Some(FindingKind::NoEntAccount));
    assert_eq!(doc.unsaved, 2);
    assert_eq!(doc.history.undo_labels().count(), 2);
}

#[test]
fn a_double_click_on_a_cas_cell_edits_it_by_hand() {
    // A wide screen, so that the CAS column is in view beside the fiche; frames of 1/60 s so
    // that two clicks make a double click.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(2200.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(|cc| App::new(cc, &[]));
    harness.run();
    harness.get_by_label("Professeurs (19)").click();
    harness.run();
    let profs = table_index(harness.state(), "Professeurs");
    let gervais = row_of(harness.state(), profs, "GERVAIS");
    let cell = harness.get_by_label("florence.gervais").rect().center();
    harness.hover_at(cell);
    for _ in 0..2 {
        for pressed in [true, false] {
            harness.event(egui::Event::PointerButton {
                pos: cell,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::default(),
            });
        }
    }
    harness.step();
    harness.run();
    assert!(
        harness.state().editing.is_some(),
        "the cell is being edited"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text("florence.gervais2".to_owned()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.state().editing.is_none());
    assert_eq!(
        harness.state().doc.tables[profs].cas_id(gervais),
        "florence.gervais2"
    );
    assert_eq!(
        harness.state().doc.analysis.status(profs, gervais),
        None,
        "now Lié"
    );
    harness.get_by_label("GERVAIS Florence : « Identifiant CAS » modifié (Ctrl+Z pour annuler).");
    assert_eq!(
        harness.state().doc.history.undo_labels().last(),
        Some("Modifier « Identifiant CAS » à la main")
    );
}

#[test]
fn a_professeurs_file_can_be_declared_personnels() {
    let mut harness = harness_on_example();
    harness
        .get_by_role_and_label(Role::ComboBox, "Liste :")
        .click();
    harness.run();
    harness.get_by_label("Personnels").click();
    harness.run();
    harness.get_by_label("Personnels (19)");
    harness.get_by_label("professeurs.csv est maintenant traité comme la liste Personnels.");
    // The teachers' ENT accounts are Enseignant: no Personnel account matches them, and
    // DEJEAN's stored login is still MOREAU Michelle's.
    let t = table_index(harness.state(), "Personnels");
    let albert = row_of(harness.state(), t, "ALBERT");
    assert_eq!(
        harness.state().doc.analysis.status(t, albert),
        Some(FindingKind::NoEntAccount)
    );
    let dejean = row_of(harness.state(), t, "DEJEAN");
    assert_eq!(
        harness.state().doc.analysis.status(t, dejean),
        Some(FindingKind::CasSuspect)
    );
}

#[test]
fn every_list_can_be_redeclared_as_any_list_and_the_change_is_undone_by_ctrl_z() {
    let mut harness = harness_on_example();
    harness.get_by_label("Élèves (13)").click();
    harness.run();
    let t = table_index(harness.state(), "Élèves");
    // Why it is Élèves, beside the selector.
    harness.get_by_label("(reconnue comme Élèves : nom du fichier eleves.txt)");
    harness
        .get_by_role_and_label(Role::ComboBox, "Liste :")
        .click();
    harness.run();
    harness.get_by_label("Responsables").click();
    harness.run();
    assert_eq!(
        harness.state().doc.tables[t].list,
        pronote_companion::model::columns::ListKind::Responsables
    );
    harness.get_by_label("Responsables (13)");
    harness.get_by_label("(déclarée comme Responsables dans la fenêtre)");
    // Analysed again as Responsables: BOVIN's pupil account is no parent's.
    let bovin = row_of(harness.state(), t, "BOVIN");
    assert_eq!(
        harness.state().doc.analysis.status(t, bovin),
        Some(FindingKind::NoEntAccount)
    );
    assert_eq!(
        harness.state().doc.history.undo_labels().last(),
        Some("Déclarer eleves.txt comme liste Responsables")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label("Élèves (13)");
    harness.get_by_label("(reconnue comme Élèves : nom du fichier eleves.txt)");
    assert_ne!(
        harness.state().doc.analysis.status(t, bovin),
        Some(FindingKind::NoEntAccount)
    );
}

#[test]
fn a_staff_list_under_a_neutral_name_is_personnels_once_the_ent_export_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("export.csv");
    std::fs::write(
        &list,
        "Nom;Prénom;Né(e) le;Identifiant CAS\nGARNIER;Sylvie;12/03/1975;sylvie.garnier\n\
         LEROY;Marc;05/11/1980;marc.leroy\n",
    )
    .unwrap();
    let ent = dir.path().join("ent.csv");
    std::fs::write(
        &ent,
        "Id;Type;Nom;Prénom;Identifiant\n1;Personnel;GARNIER;Sylvie;sylvie.garnier\n\
         2;Personnel;LEROY;Marc;marc.leroy\n",
    )
    .unwrap();
    let mut app = App::with_document(Document::default());
    app.load_now(&[
        pronote_companion::review::open::OpenRequest::Auto(list),
        pronote_companion::review::open::OpenRequest::Ent(ent, None),
    ]);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    harness.get_by_label("Personnels (2)").click();
    harness.run();
    harness.get_by_label(
        "(reconnue comme Personnels : 2 ligne(s) sur 2 correspondent à des comptes ENT de profil \
         Personnel)",
    );
    assert_eq!(harness.state().doc.analysis.error_count(0), 0);
}

#[test]
fn liste_given_per_file_on_the_command_line_is_honoured_by_the_window() {
    use pronote_companion::cli::ListChoice;
    use pronote_companion::model::columns::ListKind;
    let inputs = Inputs {
        files: vec![
            common::exemple("eleves.txt"),
            common::exemple("professeurs.csv"),
        ],
        liste: vec![ListChoice {
            file: Some("professeurs.csv".into()),
            list: ListKind::Personnels,
        }],
        ..Inputs::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|cc| App::new(cc, &inputs.requests()));
    wait_for_loading(&mut harness);
    harness.get_by_label("Élèves (13)");
    harness.get_by_label("Personnels (19)").click();
    harness.run();
    harness.get_by_label("(déclarée comme Personnels sur la ligne de commande (--liste))");
}
