//! Edits of the loaded tables, each returning its inverse, and the undo/redo history.

use super::columns::{ColumnRole, ListKind, ListReason, Tick};
use super::table::Table;

/// A change to the loaded tables. Applying it returns the edit that undoes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Set one cell.
    SetCell {
        /// Index of the table in the workspace.
        table: usize,
        /// 0-based data row.
        row: usize,
        /// 0-based column.
        column: usize,
        /// The new value.
        value: String,
    },
    /// Several edits applied as one (a bulk change of a selection).
    Batch(Vec<Edit>),
    /// Take a file as another list (no cell changes; the analysis follows).
    SetList {
        /// Index of the table in the workspace.
        table: usize,
        /// The list.
        list: ListKind,
        /// Why (the user's choice; on undo, the reason it had before).
        reason: ListReason,
    },
}

impl Edit {
    /// Empty the Identifiant CAS of a row (`None` when the table has no CAS column).
    pub fn clear_cas(tables: &[Table], table: usize, row: usize) -> Option<Self> {
        Self::set_cas(tables, table, row, "")
    }

    /// Set the Identifiant CAS of a row.
    pub fn set_cas(tables: &[Table], table: usize, row: usize, login: &str) -> Option<Self> {
        let column = tables.get(table)?.column(ColumnRole::CasId)?;
        Some(Self::SetCell {
            table,
            row,
            column,
            value: login.to_owned(),
        })
    }

    /// Set a tick, written with the token the file already uses.
    pub fn set_tick(
        tables: &[Table],
        table: usize,
        row: usize,
        column: usize,
        state: Tick,
    ) -> Self {
        let value = tables[table].tick_token(column, state);
        Self::SetCell {
            table,
            row,
            column,
            value,
        }
    }

    /// Tick *Accès à l'Espace Parents* (`None` without such a column).
    pub fn grant_parent_access(tables: &[Table], table: usize, row: usize) -> Option<Self> {
        let column = tables.get(table)?.column(ColumnRole::ParentAccess)?;
        Some(Self::set_tick(tables, table, row, column, Tick::On))
    }

    /// How many cells the edit sets.
    pub fn cell_count(&self) -> usize {
        match self {
            Self::SetCell { .. } => 1,
            Self::Batch(edits) => edits.iter().map(Self::cell_count).sum(),
            Self::SetList { .. } => 0,
        }
    }

    /// Applies the edit and returns its inverse.
    #[must_use = "the inverse is what undoes the edit"]
    pub fn apply(self, tables: &mut [Table]) -> Self {
        match self {
            Self::SetCell {
                table,
                row,
                column,
                value,
            } => {
                let old = tables[table].set_cell(row, column, value);
                Self::SetCell {
                    table,
                    row,
                    column,
                    value: old,
                }
            }
            Self::SetList {
                table,
                list,
                reason,
            } => {
                let t = &mut tables[table];
                let inverse = Self::SetList {
                    table,
                    list: t.list,
                    reason: t.list_reason.clone(),
                };
                t.redeclare(list, reason);
                inverse
            }
            Self::Batch(edits) => {
                let mut inverses: Vec<Self> = edits.into_iter().map(|e| e.apply(tables)).collect();
                inverses.reverse();
                Self::Batch(inverses)
            }
        }
    }
}

/// One step of the history: what it was called and the edit that reverts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// French description (`Supprimer l'identifiant CAS (ENT) : 3 lignes`).
    pub label: String,
    /// The edit that reverts the change (for an undone change: that redoes it).
    pub revert: Edit,
}

/// Undo and redo stacks.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
}

impl History {
    /// Applies `edit` and records it under `label`; the redo stack is dropped.
    pub fn apply(&mut self, tables: &mut [Table], label: impl Into<String>, edit: Edit) {
        let revert = edit.apply(tables);
        self.undo.push(Change {
            label: label.into(),
            revert,
        });
        self.redo.clear();
    }

    /// Reverts the last change; returns its label.
    pub fn undo(&mut self, tables: &mut [Table]) -> Option<String> {
        let change = self.undo.pop()?;
        let redo = change.revert.apply(tables);
        self.redo.push(Change {
            label: change.label.clone(),
            revert: redo,
        });
        Some(change.label)
    }

    /// Re-applies the last undone change; returns its label.
    pub fn redo(&mut self, tables: &mut [Table]) -> Option<String> {
        let change = self.redo.pop()?;
        let undo = change.revert.apply(tables);
        self.undo.push(Change {
            label: change.label.clone(),
            revert: undo,
        });
        Some(change.label)
    }

    /// Labels of the changes that can be undone, oldest first.
    pub fn undo_labels(&self) -> impl Iterator<Item = &str> {
        self.undo.iter().map(|c| c.label.as_str())
    }

    /// Labels of the changes that can be redone, next first.
    pub fn redo_labels(&self) -> impl Iterator<Item = &str> {
        self.redo.iter().rev().map(|c| c.label.as_str())
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
