//! The grid of a list, driven through AccessKit labels: the CAS in view at the first frame,
//! rows that stay put, the keyboard, combined chips, the way out of an empty filter.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::{App, Dialog, Document, Tab};
use pronote_companion::model::columns::ColumnRole;
use pronote_companion::model::findings::FindingKind;
use pronote_companion::review::open::OpenRequest as LoadRequest;

fn harness_on_example(width: f32, height: f32) -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(12)
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

/// The four lists: the example's three, and its teachers copied as `personnels.csv`.
fn app_with_every_list_kind(dir: &std::path::Path) -> App {
    let personnels = dir.join("personnels.csv");
    std::fs::copy(common::exemple("professeurs.csv"), &personnels).unwrap();
    let mut app = App::with_document(Document::default());
    let mut requests: Vec<LoadRequest> = common::exemple_lists()
        .into_iter()
        .map(LoadRequest::Auto)
        .collect();
    requests.push(LoadRequest::Auto(personnels));
    requests.push(LoadRequest::Ent(
        common::exemple("ent-export-classique.csv"),
        None,
    ));
    app.load_now(&requests);
    app
}

#[test]
fn the_cas_column_is_in_view_at_the_first_frame_of_every_list_at_1024_and_1280() {
    let dir = tempfile::tempdir().unwrap();
    for (width, height) in [(1024.0, 768.0), (1280.0, 800.0)] {
        let app = app_with_every_list_kind(dir.path());
        assert_eq!(app.doc.tables.len(), 4);
        let lists: Vec<(usize, String)> = app
            .doc
            .tables
            .iter()
            .enumerate()
            .map(|(t, table)| (t, table.list.label().to_owned()))
            .collect();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(width, height))
            .build_eframe(|_| app);
        for (t, list) in lists {
            let id = harness.state().doc.tables[t].stamp.id;
            harness.state_mut().tab = Tab::List(id);
            // The first frame of the tab.
            harness.step();
            let header = harness.get_by_role_and_label(Role::Button, "Identifiant CAS");
            let rect = header.rect();
            assert!(
                rect.left() >= 0.0 && rect.right() <= width,
                "{list} at {width}: « Identifiant CAS » at {rect:?}"
            );
            // Not under the fiche, when the window is wide enough to show it.
            if let Some(fiche) = harness.query_by_label_contains("Cliquez sur une ligne") {
                assert!(
                    rect.right() <= fiche.rect().left(),
                    "{list} at {width}: « Identifiant CAS » under the fiche"
                );
            }
            // Statut, Nom and Prénom come first.
            let statut = harness.get_by_role_and_label(Role::Button, "Statut").rect();
            let nom = harness.get_by_role_and_label(Role::Button, "Nom").rect();
            assert!(statut.left() < nom.left() && nom.left() < rect.left());
        }
        // Below 1100 points the fiche starts hidden; above, it is there.
        let fiche_hidden = harness.state().fiche_hidden(&harness.ctx);
        assert_eq!(fiche_hidden, width < 1100.0);
    }
}

#[test]
fn selecting_a_row_moves_no_row_and_the_fiche_keeps_its_width() {
    let mut harness = harness_on_example(1280.0, 800.0);
    let before = harness.get_by_label("ALBERT").rect();
    let cas_before = harness.get_by_label("michelle.moreau").rect();
    let panel_before = harness
        .get_by_label_contains("Cliquez sur une ligne")
        .rect()
        .left();
    harness.get_by_label("DEJEAN").click();
    harness.run();
    harness.get_by_label("DEJEAN Yannick");
    assert_eq!(harness.get_by_label("ALBERT").rect(), before);
    // The fiche shows the CAS too: the grid's is the leftmost.
    let cas_after = harness
        .get_all_by_label("michelle.moreau")
        .map(|n| n.rect())
        .min_by(|a, b| a.left().total_cmp(&b.left()))
        .unwrap();
    assert_eq!(cas_after, cas_before);
    // The fiche's heading starts where its hint started: same width.
    let heading = harness.get_by_label("DEJEAN Yannick").rect().left();
    assert!(
        (heading - panel_before).abs() < 1.0,
        "{heading} vs {panel_before}"
    );
    // And a second row chosen changes nothing either.
    harness.get_by_label("GERVAIS").click();
    harness.run();
    assert_eq!(harness.get_by_label("ALBERT").rect(), before);
}

#[test]
fn the_keyboard_moves_selects_and_edits_as_in_a_spreadsheet() {
    let mut harness = harness_on_example(1280.0, 800.0);
    let profs = table_index(harness.state(), "Professeurs");
    let view = |h: &Harness<'_, App>| h.state().doc.views[profs].clone();
    let visible = view(&harness).visible_cached().to_vec();

    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(view(&harness).focused, Some(visible[0]));
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(view(&harness).focused, Some(visible[1]));
    assert_eq!(view(&harness).selection.len(), 1);
    // Shift extends from the anchor.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    harness.run();
    assert_eq!(
        view(&harness).selection,
        visible[1..4].iter().copied().collect()
    );
    // End, Home, Page Down.
    harness.key_press(Key::End);
    harness.run();
    assert_eq!(view(&harness).focused, visible.last().copied());
    harness.key_press(Key::Home);
    harness.run();
    assert_eq!(view(&harness).focused, Some(visible[0]));
    harness.key_press(Key::PageDown);
    harness.run();
    let at = view(&harness).focused.unwrap();
    assert!(visible.iter().position(|&r| r == at).unwrap() > 5);
    // Space adds a row to the selection, and takes it out.
    harness.key_press(Key::Home);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.key_press(Key::Space);
    harness.run();
    assert_eq!(view(&harness).selection.len(), 2);
    harness.key_press(Key::Space);
    harness.run();
    assert_eq!(view(&harness).selection.len(), 1);

    // Enter edits the CAS, pre-filled with the proposal; Escape leaves it as it was.
    harness.key_press(Key::Home);
    harness.run();
    let albert = row_of(harness.state(), profs, "ALBERT");
    assert_eq!(view(&harness).focused, Some(albert));
    harness.key_press(Key::Enter);
    harness.run();
    let editing = harness.state().editing.clone().unwrap();
    assert_eq!(
        (editing.1, editing.3.as_str()),
        (albert, "mariedesiree.albert")
    );
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().editing.is_none());
    assert_eq!(harness.state().doc.tables[profs].cas_id(albert), "");
    // Enter, Enter: the proposal is taken.
    harness.key_press(Key::Enter);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.state().editing.is_none());
    assert_eq!(
        harness.state().doc.tables[profs].cas_id(albert),
        "mariedesiree.albert"
    );
    assert_eq!(harness.state().doc.analysis.status(profs, albert), None);
}

#[test]
fn a_double_click_on_the_first_row_opens_the_editor_with_the_proposal() {
    let mut harness = harness_on_example(1280.0, 800.0);
    let profs = table_index(harness.state(), "Professeurs");
    let albert = row_of(harness.state(), profs, "ALBERT");
    let cell = harness.get_by_label("mariedesiree.albert").rect().center();
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
    harness.run();
    let editing = harness.state().editing.clone().expect("the editor is open");
    assert_eq!(
        (editing.1, editing.3.as_str()),
        (albert, "mariedesiree.albert")
    );
}

#[test]
fn chips_combine_with_ctrl_click_and_follow_the_search() {
    let mut harness = harness_on_example(1280.0, 800.0);
    let profs = table_index(harness.state(), "Professeurs");
    let dejean = row_of(harness.state(), profs, "DEJEAN");
    let gervais = row_of(harness.state(), profs, "GERVAIS");
    harness.get_by_label("Suspect (1)").click();
    harness.run();
    assert_eq!(harness.state().doc.views[profs].visible_cached(), &[dejean]);
    harness
        .get_by_label("Périmé (1)")
        .click_modifiers(Modifiers::COMMAND);
    harness.run();
    let mut shown = harness.state().doc.views[profs].visible_cached().to_vec();
    shown.sort_unstable();
    let mut expected = vec![dejean, gervais];
    expected.sort_unstable();
    assert_eq!(shown, expected);
    // A Ctrl+click again takes one out.
    harness
        .get_by_label("Suspect (1)")
        .click_modifiers(Modifiers::COMMAND);
    harness.run();
    assert_eq!(
        harness.state().doc.views[profs].visible_cached(),
        &[gervais]
    );
    // A plain click on the only active chip shows every row again.
    harness.get_by_label("Périmé (1)").click();
    harness.run();
    assert!(harness.state().doc.views[profs].filters.is_empty());

    // The counts follow the search.
    harness
        .get_by_role_and_label(Role::TextInput, "Rechercher :")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Rechercher :")
        .type_text("dejean");
    harness.run();
    harness.get_by_label("Suspect (1)");
    harness.get_by_label("À lier (0)");
    harness.get_by_label("Lié (0)");
}

#[test]
fn a_filter_emptied_by_its_fix_says_so_and_tout_extraire_gets_out() {
    let mut harness = harness_on_example(1280.0, 800.0);
    harness.get_by_label("Responsables (18)").click();
    harness.run();
    let t = table_index(harness.state(), "Responsables");
    let label = format!(
        "{} ({})",
        FindingKind::ParentAccessOff.status(),
        harness.state().doc.summaries[t]
            .by_kind
            .iter()
            .find(|(k, _)| *k == FindingKind::ParentAccessOff)
            .unwrap()
            .1
    );
    harness.get_by_label(&label).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    let first = harness.state().doc.views[t].visible_cached()[0];
    let nom = harness.state().doc.tables[t].nom(first).to_owned();
    harness
        .get_all_by_label(&nom)
        .next()
        .unwrap()
        .click_secondary();
    harness.run();
    harness.get_by_label("Modifier la sélection").hover();
    harness.run();
    harness.get_by_label("Accès à l'Espace Parents").hover();
    harness.run();
    harness.get_by_label("Autoriser").click();
    harness.run();
    assert!(matches!(harness.state().dialog, Some(Dialog::Confirm(_))));
    harness.get_by_label("Confirmer").click();
    harness.run();
    // The chip stays, at zero, still active; the grid says why it is empty.
    harness.get_by_label("Esp. Par. non coché (0)");
    assert!(harness.state().doc.views[t].visible_cached().is_empty());
    harness.get_by_label_contains("Aucune ligne ne correspond à « Esp. Par. non coché »");
    assert_eq!(harness.get_all_by_label("Tout extraire").count(), 2);
    harness
        .get_all_by_label("Tout extraire")
        .last()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().doc.views[t].visible_cached().len(), 18);
    assert!(harness.state().doc.views[t].filters.is_empty());
}

#[test]
fn the_espace_parents_is_offered_only_on_a_list_that_has_it() {
    let mut harness = harness_on_example(1280.0, 800.0);
    harness.get_by_label("DEJEAN").click_secondary();
    harness.run();
    harness.get_by_label("Modifier la sélection").hover();
    harness.run();
    harness.get_by_label("CAS et ENT");
    assert!(harness.query_by_label("Accès à l'Espace Parents").is_none());
}

#[test]
fn the_status_bar_counts_only_the_selected_rows_in_view() {
    let mut harness = harness_on_example(1280.0, 800.0);
    let profs = table_index(harness.state(), "Professeurs");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("19 sélectionnée(s)");
    harness.get_by_label("Suspect (1)").click();
    harness.run();
    assert_eq!(harness.state().doc.views[profs].selection.len(), 19);
    harness.get_by_label("1 sélectionnée(s)");
}

#[test]
fn the_columns_can_follow_pronote_and_the_choice_is_kept_per_list() {
    let mut harness = harness_on_example(1280.0, 800.0);
    let profs = table_index(harness.state(), "Professeurs");
    let x = |h: &Harness<'_, App>, title: &str| {
        h.get_by_role_and_label(Role::Button, title).rect().left()
    };
    // The columns that decide first: the CAS before Autorisation.
    assert!(x(&harness, "Identifiant CAS") < x(&harness, "Autorisation"));
    harness.get_by_label("Comme dans PRONOTE").click();
    harness.run();
    // The file's order: Autorisation comes first; the CAS is further right, maybe off screen.
    let cas = harness.query_by_role_and_label(Role::Button, "Identifiant CAS");
    assert!(cas.is_none_or(|cas| cas.rect().left() > x(&harness, "Autorisation")));
    let list = harness.state().doc.tables[profs].list.code().to_owned();
    assert!(harness.state().state.grids[&list].pronote_order);
    // Another list keeps its own layout.
    harness.get_by_label("Élèves (13)").click();
    harness.run();
    let eleves = table_index(harness.state(), "Élèves");
    let code = harness.state().doc.tables[eleves].list.code().to_owned();
    assert!(
        harness
            .state()
            .state
            .grids
            .get(&code)
            .is_none_or(|p| !p.pronote_order)
    );
    let table = &harness.state().doc.tables[eleves];
    assert!(table.column(ColumnRole::CasId).is_some());
}

#[test]
fn left_and_right_arrows_scroll_sideways_and_statut_nom_prenom_stay() {
    let mut harness = harness_on_example(1024.0, 768.0);
    let profs = table_index(harness.state(), "Professeurs");
    let nom = harness.get_by_role_and_label(Role::Button, "Nom").rect();
    harness.key_press(Key::ArrowRight);
    harness.run();
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert!(harness.state().doc.views[profs].side_offset > 0.0);
    // Pinned: Nom has not moved.
    assert_eq!(
        harness.get_by_role_and_label(Role::Button, "Nom").rect(),
        nom
    );
    harness.key_press(Key::ArrowLeft);
    harness.key_press(Key::ArrowLeft);
    harness.run();
    harness.key_press(Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().doc.views[profs].side_offset, 0.0);
}
