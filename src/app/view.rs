//! What one list shows: search, status filter, sort, selection. Rebuilt only when they change.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::columns::ColumnRole;
use crate::model::findings::FindingKind;
use crate::model::fold::fold_compact;
use crate::model::table::Table;
use crate::review::analysis::Analysis;

/// A status filter chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// Active status chips: a row is shown when it matches any of them (none: every row).
    pub filters: BTreeSet<StatusFilter>,
    /// Sort column and direction (`true` = ascending).
    pub sort: Option<(SortKey, bool)>,
    /// Selected rows (indexes into the table).
    pub selection: BTreeSet<usize>,
    /// Anchor of Shift-click ranges.
    pub anchor: Option<usize>,
    /// The row shown in the fiche.
    pub focused: Option<usize>,
    /// A row to bring into view at the next frame, centred (then cleared).
    pub scroll_to: Option<usize>,
    /// A row to bring into view at the next frame with as little scrolling as possible (the
    /// keyboard's cursor; then cleared).
    pub reveal: Option<usize>,
    /// Whether the grid was drawn once this session (it then starts at the top left).
    pub shown: bool,
    /// The grid's vertical scroll offset and body height at the last frame, in points.
    pub body_view: (f32, f32),
    /// The grid's sideways scroll offset at the last frame, in points.
    pub side_offset: f32,
    /// Visible rows in display order (cached).
    visible: Vec<usize>,
    /// Per row: nom, prénom, login and CAS folded, built on the first search, dropped on edits.
    search_keys: Option<Vec<String>>,
    /// Rows matching the search, by status chip (empty while the search is empty: the
    /// table's summary counts then apply).
    search_counts: BTreeMap<StatusFilter, usize>,
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
        self.filters.clear();
        self.stale = true;
    }

    /// Shows only the rows of one chip (`None`: every row).
    pub fn set_filter(&mut self, filter: Option<StatusFilter>) {
        self.filters = filter.into_iter().collect();
        self.stale = true;
    }

    /// A click on a chip: alone, it shows that chip's rows (or every row when it was the only
    /// one active); with Ctrl, it adds the chip to the active ones or takes it out.
    pub fn click_chip(&mut self, filter: StatusFilter, combine: bool) {
        if combine {
            if !self.filters.remove(&filter) {
                self.filters.insert(filter);
            }
        } else if self.filters.len() == 1 && self.filters.contains(&filter) {
            self.filters.clear();
        } else {
            self.set_filter(Some(filter));
        }
        self.stale = true;
    }

    /// Whether a search or a chip hides rows.
    pub fn is_filtered(&self) -> bool {
        !self.filters.is_empty() || !self.search.trim().is_empty()
    }

    /// How many rows matching the search have this chip's status; `None` while the search is
    /// empty (the table's summary counts apply).
    pub fn search_count(&self, filter: StatusFilter) -> Option<usize> {
        if self.search.trim().is_empty() {
            return None;
        }
        Some(self.search_counts.get(&filter).copied().unwrap_or(0))
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
        let found = (0..table.rows.len())
            .filter(|&r| query.is_empty() || keys.get(r).is_some_and(|k| k.contains(&query)));
        let mut counts: BTreeMap<StatusFilter, usize> = BTreeMap::new();
        let mut visible = Vec::new();
        for r in found {
            let findings = analysis.row(t, r);
            if !query.is_empty() {
                if findings.is_empty() {
                    *counts.entry(StatusFilter::Clean).or_default() += 1;
                }
                let mut seen = BTreeSet::new();
                for finding in findings {
                    if seen.insert(finding.kind) {
                        *counts.entry(StatusFilter::Kind(finding.kind)).or_default() += 1;
                    }
                }
            }
            let shown = self.filters.is_empty()
                || self.filters.iter().any(|filter| match filter {
                    StatusFilter::Clean => findings.is_empty(),
                    StatusFilter::Kind(kind) => findings.iter().any(|f| f.kind == *kind),
                });
            if shown {
                visible.push(r);
            }
        }
        self.search_counts = counts;
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

    /// How many selected rows are visible (a search or a chip may hide others).
    pub fn selected_visible_count(&self) -> usize {
        self.visible
            .iter()
            .filter(|r| self.selection.contains(r))
            .count()
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
