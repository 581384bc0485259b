//! The list view: selection with Ctrl and Shift, search, status filter and sort.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use pronote_companion::app::Document;
use pronote_companion::app::view::{SortKey, StatusFilter, TableView};
use pronote_companion::model::findings::FindingKind;

fn responsables() -> (Document, usize) {
    let doc = Document::example(true);
    let t = doc
        .tables
        .iter()
        .position(|t| t.list.label() == "Responsables")
        .unwrap();
    (doc, t)
}

#[test]
fn ctrl_click_toggles_and_shift_click_selects_a_range_in_display_order() {
    let (doc, t) = responsables();
    let mut view = TableView::new(doc.tables[t].rows.len());
    view.click(2, false, false);
    view.click(5, true, false);
    assert_eq!(
        view.selection.iter().copied().collect::<Vec<_>>(),
        vec![2, 5]
    );
    view.click(5, true, false);
    assert_eq!(view.selection.iter().copied().collect::<Vec<_>>(), vec![2]);
    // Shift+click extends from the last row clicked (the anchor), as in a file manager.
    view.click(2, false, false);
    view.click(6, false, true);
    assert_eq!(
        view.selection.iter().copied().collect::<Vec<_>>(),
        vec![2, 3, 4, 5, 6]
    );
    view.click(4, true, false);
    assert_eq!(
        view.selection.iter().copied().collect::<Vec<_>>(),
        vec![2, 3, 5, 6]
    );
    view.click(0, false, false);
    assert_eq!(view.selection.len(), 1);
    assert_eq!(view.focused, Some(0));
}

#[test]
fn search_filter_and_sort_rebuild_the_visible_rows() {
    let (doc, t) = responsables();
    let table = &doc.tables[t];
    let mut view = TableView::new(table.rows.len());
    view.search = "bossard".into();
    view.rebuild(table, t, &doc.analysis);
    assert_eq!(view.visible_cached().len(), 2);
    // Accents and case are folded: "helene" finds "Hélène".
    view.search = "HELENE".into();
    view.rebuild(table, t, &doc.analysis);
    assert_eq!(view.visible_cached().len(), 1);
    view.extract_all();
    view.set_filter(Some(StatusFilter::Kind(FindingKind::ParentAccessOff)));
    view.rebuild(table, t, &doc.analysis);
    let noms: Vec<&str> = view
        .visible_cached()
        .iter()
        .map(|&r| table.nom(r))
        .collect();
    assert_eq!(noms, vec!["BERTON", "BOUCHARD", "DURAND"]);
    view.set_filter(None);
    let prenom = table
        .columns
        .iter()
        .position(|c| c.title == "Prénom")
        .unwrap();
    view.toggle_sort(SortKey::Column(prenom));
    view.rebuild(table, t, &doc.analysis);
    let first = view.visible_cached()[0];
    assert_eq!(table.prenom(first), "Agnès");
    view.toggle_sort(SortKey::Column(prenom));
    view.rebuild(table, t, &doc.analysis);
    let first = view.visible_cached()[0];
    assert_eq!(table.prenom(first), "Thierry");
    view.select_all();
    assert_eq!(view.selection.len(), table.rows.len());
}
