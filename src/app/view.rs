//! What one list shows: search, status filter, sort, selection. Rebuilt only when they change.

use std::collections::BTreeSet;

use crate::model::columns::ColumnRole;
use crate::model::findings::FindingKind;
use crate::model::fold::fold_compact;
use crate::model::table::Table;
use crate::review::analysis::Analysis;

/// A status filter chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusFilter {
    /// Rows whose status (most serious finding) or any finding is of this kind.
    Kind(FindingKind),
    /// Rows without any finding.
    Clean,
}

/// What the grid is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// The status column.
    Status,
    /// A column of the file.
    Column(usize),
}

/// The view state of one table.
#[derive(Clone, Debug, Default)]
pub struct TableView {
    /// Text of the search box.
    pub search: String,
    /// Active status chip.
    pub filter: Option<StatusFilter>,
    /// Sort column and direction (`true` = ascending).
    pub sort: Option<(SortKey, bool)>,
    /// Selected rows (indexes into the table).
    pub selection: BTreeSet<usize>,
    /// Anchor of Shift-click ranges.
    pub anchor: Option<usize>,
    /// The row shown in the fiche.
    pub focused: Option<usize>,
    /// A row to bring into view at the next frame (then cleared).
    pub scroll_to: Option<usize>,
    /// Visible rows in display order (cached).
    visible: Vec<usize>,
    /// Per row: nom, prénom, login and CAS folded, built on the first search, dropped on edits.
    search_keys: Option<Vec<String>>,
    /// Whether `visible` must be rebuilt.
    stale: bool,
}

impl TableView {
    /// A view showing every row.
    pub fn new(rows: usize) -> Self {
        Self {
            visible: (0..rows).collect(),
            stale: false,
            ..Self::default()
        }
    }

    /// Marks the cached rows out of date (after a new analysis, or a filter change).
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    /// Marks the cells changed: the folded search keys are built again at the next search.
    pub fn data_changed(&mut self) {
        self.search_keys = None;
        self.stale = true;
    }

    /// The rows to show, in order; rebuilt if needed.
    pub fn visible(&mut self, table: &Table, t: usize, analysis: &Analysis) -> &[usize] {
        if self.stale {
            self.rebuild(table, t, analysis);
        }
        &self.visible
    }

    /// The rows shown at the last rebuild.
    pub fn visible_cached(&self) -> &[usize] {
        &self.visible
    }

    /// Clears search and filter ("Extraire > Tout extraire").
    pub fn extract_all(&mut self) {
        self.search.clear();
        self.filter = None;
        self.stale = true;
    }

    /// Recomputes the visible rows from search, filter and sort.
    pub fn rebuild(&mut self, table: &Table, t: usize, analysis: &Analysis) {
        let query = fold_compact(&self.search);
        if !query.is_empty() && self.search_keys.is_none() {
            let columns: Vec<usize> = [
                ColumnRole::Nom,
                ColumnRole::Prenom,
                ColumnRole::Login,
                ColumnRole::CasId,
            ]
            .iter()
            .filter_map(|r| table.column(*r))
            .collect();
            self.search_keys = Some(
                table
                    .rows
                    .iter()
                    .map(|row| {
                        columns
                            .iter()
                            .map(|&c| fold_compact(&row.cells[c]))
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect(),
            );
        }
        let keys = self.search_keys.as_deref().unwrap_or(&[]);
        let mut visible: Vec<usize> = (0..table.rows.len())
            .filter(|&r| query.is_empty() || keys.get(r).is_some_and(|k| k.contains(&query)))
            .filter(|&r| match self.filter {
                None => true,
                Some(StatusFilter::Clean) => analysis.row(t, r).is_empty(),
                Some(StatusFilter::Kind(kind)) => analysis.row(t, r).iter().any(|f| f.kind == kind),
            })
            .collect();
        if let Some((key, ascending)) = self.sort {
            match key {
                SortKey::Status => {
                    visible.sort_by_key(|&r| analysis.status(t, r).map_or(u8::MAX, |k| k as u8));
                }
                SortKey::Column(c) => {
                    let mut keyed: Vec<(String, usize)> = visible
                        .iter()
                        .map(|&r| (fold_compact(&table.rows[r].cells[c]), r))
                        .collect();
                    keyed.sort_unstable();
                    visible = keyed.into_iter().map(|(_, r)| r).collect();
                }
            }
            if !ascending {
                visible.reverse();
            }
        }
        self.visible = visible;
        self.stale = false;
    }

    /// Sorts by a column; a second click on the same column reverses the order.
    pub fn toggle_sort(&mut self, key: SortKey) {
        self.sort = match self.sort {
            Some((current, ascending)) if current == key => Some((key, !ascending)),
            _ => Some((key, true)),
        };
        self.stale = true;
    }

    /// A click on a row: alone, with Ctrl (toggle) or with Shift (range from the anchor).
    pub fn click(&mut self, row: usize, ctrl: bool, shift: bool) {
        if shift && let Some(anchor) = self.anchor {
            let a = self.visible.iter().position(|&r| r == anchor);
            let b = self.visible.iter().position(|&r| r == row);
            if let (Some(a), Some(b)) = (a, b) {
                if !ctrl {
                    self.selection.clear();
                }
                let (lo, hi) = (a.min(b), a.max(b));
                self.selection.extend(self.visible[lo..=hi].iter().copied());
                self.focused = Some(row);
                return;
            }
        }
        if ctrl {
            if !self.selection.remove(&row) {
                self.selection.insert(row);
            }
        } else {
            self.selection.clear();
            self.selection.insert(row);
        }
        self.anchor = Some(row);
        self.focused = Some(row);
    }

    /// Selects every visible row (Ctrl+A).
    pub fn select_all(&mut self) {
        self.selection = self.visible.iter().copied().collect();
    }

    /// The selected rows that are visible, in display order.
    pub fn selected_visible(&self) -> Vec<usize> {
        self.visible
            .iter()
            .copied()
            .filter(|r| self.selection.contains(r))
            .collect()
    }
}
