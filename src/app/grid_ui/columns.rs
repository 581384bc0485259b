//! Which columns the grid shows, in which order and how wide: the columns that decide first
//! (Statut, Nom, Prénom, identity, Identifiant CAS, proposed login), or the file's own order
//! (« comme dans PRONOTE »). Remembered per list kind.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::columns::ColumnRole;
use crate::model::fold::fold_compact;
use crate::model::table::Table;

/// The title of the column of proposed logins (ours, not the file's).
pub const PROPOSED_TITLE: &str = "CAS proposé";
/// The title of the status column (ours, not the file's).
pub const STATUS_TITLE: &str = "Statut";

/// A column of the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridColumn {
    /// The row's status (most serious finding).
    Status,
    /// A column of the file, by index.
    File(usize),
    /// The login the tool proposes for the Identifiant CAS.
    Proposed,
}

/// How one list kind's grid is laid out, remembered between runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GridPrefs {
    /// Whether the columns follow the file's order (« comme dans PRONOTE »).
    pub pronote_order: bool,
    /// The columns hidden by the user, by folded title.
    pub hidden: BTreeSet<String>,
    /// Widths set by the user, by folded title.
    pub widths: BTreeMap<String, f32>,
}

/// The columns shown: pinned on the left, then scrolled sideways; each with its width.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GridLayout {
    /// Statut, Nom, Prénom: always in view.
    pub pinned: Vec<(GridColumn, f32)>,
    /// The others, in order.
    pub scrolled: Vec<(GridColumn, f32)>,
}

impl GridLayout {
    /// Width of the pinned columns.
    pub fn pinned_width(&self) -> f32 {
        self.pinned.iter().map(|(_, w)| w).sum()
    }

    /// Width of the scrolled columns.
    pub fn scrolled_width(&self) -> f32 {
        self.scrolled.iter().map(|(_, w)| w).sum()
    }
}

/// The roles that say who a row is, shown right after Nom and Prénom, in this order.
const IDENTITY_ROLES: [ColumnRole; 3] = [
    ColumnRole::BirthDate,
    ColumnRole::Classe,
    ColumnRole::Children,
];

/// The title of a grid column.
pub fn title(table: &Table, column: GridColumn) -> &str {
    match column {
        GridColumn::Status => STATUS_TITLE,
        GridColumn::File(c) => &table.columns[c].title,
        GridColumn::Proposed => PROPOSED_TITLE,
    }
}

/// The key a column's preferences are remembered by: its folded title.
pub fn key(table: &Table, column: GridColumn) -> String {
    fold_compact(title(table, column))
}

/// The width of a column before the user resizes it: enough for its usual values.
fn default_width(table: &Table, column: GridColumn) -> f32 {
    let role = match column {
        GridColumn::Status => return 130.0,
        GridColumn::Proposed => return 150.0,
        GridColumn::File(c) => table.columns[c].role,
    };
    match role {
        ColumnRole::Nom | ColumnRole::CasId => 150.0,
        ColumnRole::Email | ColumnRole::Children => 170.0,
        ColumnRole::Prenom | ColumnRole::Login | ColumnRole::PronoteEntId => 120.0,
        ColumnRole::BirthDate => 90.0,
        ColumnRole::Classe | ColumnRole::Civilite | ColumnRole::CodePostal => 70.0,
        ColumnRole::ParentAccess | ColumnRole::Tick => 60.0,
        _ => 100.0,
    }
}

/// The columns of `table` as `prefs` lay them out. `with_proposed`: an ENT export is loaded,
/// so logins can be proposed. `min_width` gives the narrowest width a column's title needs.
pub fn layout(
    table: &Table,
    prefs: &GridPrefs,
    with_proposed: bool,
    min_width: impl Fn(GridColumn) -> f32,
) -> GridLayout {
    let nom = table.column(ColumnRole::Nom);
    let prenom = table.column(ColumnRole::Prenom);
    let pinned: Vec<GridColumn> = std::iter::once(GridColumn::Status)
        .chain(nom.map(GridColumn::File))
        .chain(prenom.map(GridColumn::File))
        .collect();
    let shown = |c: usize| {
        table.columns[c].role != ColumnRole::Trailing
            && Some(c) != nom
            && Some(c) != prenom
            && !prefs.hidden.contains(&key(table, GridColumn::File(c)))
    };
    let mut scrolled: Vec<GridColumn> = Vec::new();
    if prefs.pronote_order {
        scrolled.extend(
            (0..table.columns.len())
                .filter(|&c| shown(c))
                .map(GridColumn::File),
        );
    } else {
        let mut first: Vec<usize> = Vec::new();
        for role in IDENTITY_ROLES {
            first.extend((0..table.columns.len()).filter(|&c| table.columns[c].role == role));
        }
        first.extend(table.column(ColumnRole::CasId));
        scrolled.extend(
            first
                .iter()
                .copied()
                .filter(|&c| shown(c))
                .map(GridColumn::File),
        );
        if with_proposed && !prefs.hidden.contains(&fold_compact(PROPOSED_TITLE)) {
            scrolled.push(GridColumn::Proposed);
        }
        // The Espace Parents decides too (Responsables).
        let access: Vec<usize> = (0..table.columns.len())
            .filter(|&c| table.columns[c].role == ColumnRole::ParentAccess)
            .collect();
        scrolled.extend(
            access
                .iter()
                .copied()
                .filter(|&c| shown(c))
                .map(GridColumn::File),
        );
        first.extend(access);
        scrolled.extend(
            (0..table.columns.len())
                .filter(|&c| shown(c) && !first.contains(&c))
                .map(GridColumn::File),
        );
    }
    let width = |column: GridColumn| {
        let remembered = prefs.widths.get(&key(table, column)).copied();
        let width =
            remembered.unwrap_or_else(|| default_width(table, column).max(min_width(column)));
        width.clamp(36.0, 600.0)
    };
    GridLayout {
        pinned: pinned.into_iter().map(|c| (c, width(c))).collect(),
        scrolled: scrolled.into_iter().map(|c| (c, width(c))).collect(),
    }
}

/// The columns the user may hide or show: every column but Statut, Nom and Prénom.
pub fn choosable(table: &Table, with_proposed: bool) -> Vec<GridColumn> {
    let mut columns: Vec<GridColumn> = (0..table.columns.len())
        .filter(|&c| {
            !matches!(
                table.columns[c].role,
                ColumnRole::Trailing | ColumnRole::Nom | ColumnRole::Prenom
            )
        })
        .map(GridColumn::File)
        .collect();
    if with_proposed {
        columns.push(GridColumn::Proposed);
    }
    columns
}
