//! Edits of the loaded tables, each returning its inverse, and the undo/redo history.

use std::collections::BTreeSet;

use super::columns::{ColumnRole, ListKind, ListReason, Tick};
use super::table::{Stamp, Table};

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

    /// Read on the inverse of an edit (what [`Self::apply`] returns, what the history keeps):
    /// every cell it restores, once, with the value it restores, that is the value the cell had
    /// before the edit, as (table, row, column, value). `None` when it re-declares a list.
    pub fn cells_before(&self) -> Option<Vec<(usize, usize, usize, String)>> {
        fn walk<'e>(
            edit: &'e Edit,
            out: &mut std::collections::BTreeMap<(usize, usize, usize), &'e str>,
        ) -> Option<()> {
            match edit {
                // An inverse lists its cells last-changed first: a cell changed twice ends
                // with the value it had before the first change.
                Edit::SetCell {
                    table,
                    row,
                    column,
                    value,
                } => {
                    out.insert((*table, *row, *column), value);
                }
                Edit::Batch(edits) => {
                    for edit in edits {
                        walk(edit, out)?;
                    }
                }
                Edit::SetList { .. } => return None,
            }
            Some(())
        }
        let mut cells = std::collections::BTreeMap::new();
        walk(self, &mut cells)?;
        Some(
            cells
                .into_iter()
                .map(|((t, r, c), value)| (t, r, c, value.to_owned()))
                .collect(),
        )
    }

    /// The positions of the tables the edit touches.
    fn tables(&self, out: &mut BTreeSet<usize>) {
        match self {
            Self::SetCell { table, .. } | Self::SetList { table, .. } => {
                out.insert(*table);
            }
            Self::Batch(edits) => edits.iter().for_each(|e| e.tables(out)),
        }
    }

    /// The same edit with every table position `p` replaced by `to(p)`.
    fn move_tables(&mut self, to: &impl Fn(usize) -> usize) {
        match self {
            Self::SetCell { table, .. } | Self::SetList { table, .. } => *table = to(*table),
            Self::Batch(edits) => edits.iter_mut().for_each(|e| e.move_tables(to)),
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

/// One step of the history: what it was called, the edit that reverts it, and which reading
/// of which list each table position of that edit meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// French description (`Supprimer l'identifiant CAS (ENT) : 3 lignes`).
    pub label: String,
    /// The edit that reverts the change (for an undone change: that redoes it).
    pub revert: Edit,
    /// (position, stamp, file name) of every table the edit touches, when it was recorded.
    on: Vec<(usize, Stamp, String)>,
}

impl Change {
    fn new(label: String, revert: Edit, tables: &[Table]) -> Self {
        let mut positions = BTreeSet::new();
        revert.tables(&mut positions);
        let on = positions
            .into_iter()
            .filter_map(|p| tables.get(p).map(|t| (p, t.stamp, t.file_name())))
            .collect();
        Self { label, revert, on }
    }

    /// The edit with its tables at their current positions; the file that was re-opened (or
    /// closed) since, when there is one: then the edit no longer applies.
    fn resolve(&self, tables: &[Table]) -> Result<Edit, String> {
        let mut moves = Vec::with_capacity(self.on.len());
        for (position, stamp, file) in &self.on {
            let same_place = tables.get(*position).is_some_and(|t| t.stamp == *stamp);
            let found = if same_place {
                Some(*position)
            } else {
                tables.iter().position(|t| t.stamp == *stamp)
            };
            match found {
                Some(now) => moves.push((*position, now)),
                None => return Err(file.clone()),
            }
        }
        let mut edit = self.revert.clone();
        edit.move_tables(&|p| {
            moves
                .iter()
                .find(|(before, _)| *before == p)
                .map_or(p, |(_, now)| *now)
        });
        Ok(edit)
    }
}

/// Why an undo or a redo was refused (nothing was changed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// The list the change was made on was re-opened since: its rows may be others.
    #[error(
        "« {label} » ne peut plus être annulé : {file} a été rouvert depuis et ses lignes ne \
         sont plus forcément les mêmes. Rien n'a été modifié."
    )]
    UndoReopened {
        /// The change.
        label: String,
        /// The list's file name.
        file: String,
    },
    /// The same, for a redo.
    #[error(
        "« {label} » ne peut plus être rétabli : {file} a été rouvert depuis et ses lignes ne \
         sont plus forcément les mêmes. Rien n'a été modifié."
    )]
    RedoReopened {
        /// The change.
        label: String,
        /// The list's file name.
        file: String,
    },
}

/// Undo and redo stacks. A change is only undone on the very reading of the lists it was made
/// on: after a list is re-opened, its changes are refused, never applied to other rows.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
}

impl History {
    /// Applies `edit` and records it under `label`; the redo stack is dropped.
    pub fn apply(&mut self, tables: &mut [Table], label: impl Into<String>, edit: Edit) {
        let revert = edit.apply(tables);
        self.undo.push(Change::new(label.into(), revert, tables));
        self.redo.clear();
    }

    /// Reverts the last change; returns its label (`None`: nothing to undo). A change whose
    /// list was re-opened since is refused and dropped.
    pub fn undo(&mut self, tables: &mut [Table]) -> Result<Option<String>, HistoryError> {
        let Some(change) = self.undo.pop() else {
            return Ok(None);
        };
        let edit = change
            .resolve(tables)
            .map_err(|file| HistoryError::UndoReopened {
                label: change.label.clone(),
                file,
            })?;
        let redo = edit.apply(tables);
        self.redo
            .push(Change::new(change.label.clone(), redo, tables));
        Ok(Some(change.label))
    }

    /// Re-applies the last undone change; returns its label (`None`: nothing to redo). Refused
    /// and dropped as [`Self::undo`] when its list was re-opened since.
    pub fn redo(&mut self, tables: &mut [Table]) -> Result<Option<String>, HistoryError> {
        let Some(change) = self.redo.pop() else {
            return Ok(None);
        };
        let edit = change
            .resolve(tables)
            .map_err(|file| HistoryError::RedoReopened {
                label: change.label.clone(),
                file,
            })?;
        let undo = edit.apply(tables);
        self.undo
            .push(Change::new(change.label.clone(), undo, tables));
        Ok(Some(change.label))
    }

    /// The inverse of the last change made or redone (see [`Edit::cells_before`]).
    pub fn last_undo(&self) -> Option<&Edit> {
        self.undo.last().map(|c| &c.revert)
    }

    /// The inverse of the last change undone.
    pub fn last_redo(&self) -> Option<&Edit> {
        self.redo.last().map(|c| &c.revert)
    }

    /// Labels of the changes that can be undone, oldest first.
    pub fn undo_labels(&self) -> impl Iterator<Item = &str> {
        self.undo.iter().map(|c| c.label.as_str())
    }

    /// Labels of the changes that can be redone, next first.
    pub fn redo_labels(&self) -> impl Iterator<Item = &str> {
        self.redo.iter().rev().map(|c| c.label.as_str())
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
