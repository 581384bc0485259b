//! Edits return their inverse; the history undoes and redoes them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use pronote_companion::model::columns::{ColumnRole, Tick};
use pronote_companion::model::edit::{Edit, History, HistoryError};
use pronote_companion::model::table::Table;
use pronote_companion::model::table::{Stamp, TableId};

fn load() -> Vec<Table> {
    vec![
        Table::read_path(&common::exemple("professeurs.csv"), None).unwrap(),
        Table::read_path(&common::exemple("responsables.csv"), None).unwrap(),
    ]
}

#[test]
fn undo_restores_cas_ids_after_bulk_clear() {
    let mut tables = load();
    let mut history = History::default();
    let before = tables[0].to_bytes().unwrap();
    let rows: Vec<usize> = (0..tables[0].rows.len()).collect();
    let edit = Edit::Batch(
        rows.iter()
            .map(|&r| Edit::clear_cas(&tables, 0, r).unwrap())
            .collect(),
    );
    history.apply(&mut tables, "Supprimer l'identifiant CAS (ENT)", edit);
    assert!((0..tables[0].rows.len()).all(|r| tables[0].cas_id(r).is_empty()));
    assert_eq!(
        tables[0].edited_cells().len(),
        2,
        "GERVAIS and DEJEAN had a CAS"
    );
    assert_eq!(
        history.undo(&mut tables).unwrap().as_deref(),
        Some("Supprimer l'identifiant CAS (ENT)")
    );
    assert_eq!(tables[0].to_bytes().unwrap(), before);
    assert!(tables[0].edited_cells().is_empty());
    assert!(history.redo(&mut tables).unwrap().is_some());
    assert_eq!(tables[0].cas_id(17), "");
    assert!(!history.can_redo());
}

#[test]
fn set_cas_and_set_tick_return_their_inverse() {
    let mut tables = load();
    let edit = Edit::set_cas(&tables, 0, 0, "marie.albert").unwrap();
    let inverse = edit.apply(&mut tables);
    assert_eq!(tables[0].cas_id(0), "marie.albert");
    let _ = inverse.apply(&mut tables);
    assert_eq!(tables[0].cas_id(0), "");

    let col = tables[1].column(ColumnRole::ParentAccess).unwrap();
    let berton = 3;
    assert_eq!(tables[1].tick(berton, col), Some(Tick::Off));
    let inverse = Edit::grant_parent_access(&tables, 1, berton)
        .unwrap()
        .apply(&mut tables);
    assert_eq!(tables[1].cell(berton, col), "Oui", "the file's own token");
    let _ = inverse.apply(&mut tables);
    assert_eq!(tables[1].cell(berton, col), "Non");
}

#[test]
fn a_new_change_drops_the_redo_stack() {
    let mut tables = load();
    let mut history = History::default();
    let edit = Edit::set_cas(&tables, 0, 0, "a").unwrap();
    history.apply(&mut tables, "un", edit);
    let edit = Edit::set_cas(&tables, 0, 1, "b").unwrap();
    history.apply(&mut tables, "deux", edit);
    history.undo(&mut tables).unwrap();
    assert_eq!(history.redo_labels().collect::<Vec<_>>(), vec!["deux"]);
    let edit = Edit::set_cas(&tables, 0, 2, "c").unwrap();
    history.apply(&mut tables, "trois", edit);
    assert!(!history.can_redo());
    assert_eq!(
        history.undo_labels().collect::<Vec<_>>(),
        vec!["un", "trois"]
    );
}

#[test]
fn an_undo_on_a_list_read_again_is_refused_and_changes_nothing() {
    let mut tables = load();
    for (i, table) in tables.iter_mut().enumerate() {
        table.stamp = Stamp {
            id: TableId(i as u32 + 1),
            opened: 0,
        };
    }
    let mut history = History::default();
    let edit = Edit::set_cas(&tables, 0, 0, "marie.albert").unwrap();
    history.apply(&mut tables, "Lier ALBERT Marie", edit);
    // The list is read again from its file (a re-export): same id, new reading.
    let path = tables[0].path.clone();
    let stamp = tables[0].stamp;
    tables[0] = Table::read_path(&path, None).unwrap();
    tables[0].stamp = Stamp {
        opened: stamp.opened + 1,
        ..stamp
    };
    let before = tables[0].to_bytes().unwrap();
    let refused = history.undo(&mut tables).unwrap_err();
    assert!(matches!(refused, HistoryError::UndoReopened { .. }));
    assert_eq!(
        refused.to_string(),
        format!(
            "« Lier ALBERT Marie » ne peut plus être annulé : {} a été rouvert depuis et ses \
             lignes ne sont plus forcément les mêmes. Rien n'a été modifié.",
            tables[0].file_name()
        )
    );
    assert_eq!(tables[0].to_bytes().unwrap(), before);
    assert!(tables[0].edited_cells().is_empty());
    assert_eq!(
        history.undo(&mut tables).unwrap(),
        None,
        "dropped, not retried"
    );
}

#[test]
fn an_undo_follows_its_list_to_a_new_position() {
    let mut tables = load();
    for (i, table) in tables.iter_mut().enumerate() {
        table.stamp = Stamp {
            id: TableId(i as u32 + 1),
            opened: 0,
        };
    }
    let mut history = History::default();
    let col = tables[1].column(ColumnRole::ParentAccess).unwrap();
    let edit = Edit::set_tick(&tables, 1, 3, col, Tick::On);
    history.apply(&mut tables, "Autoriser", edit);
    // Another list is opened before it: it moves from position 1 to 2.
    let other = tables[0].clone();
    tables.insert(0, other);
    tables[0].stamp = Stamp {
        id: TableId(9),
        opened: 0,
    };
    assert_eq!(
        history.undo(&mut tables).unwrap().as_deref(),
        Some("Autoriser")
    );
    assert_eq!(tables[2].cell(3, col), "Non");
    assert!(tables[0].edited_cells().is_empty() && tables[1].edited_cells().is_empty());
}
