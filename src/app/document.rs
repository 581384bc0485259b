//! The loaded base: lists, ENT export, analysis, history and the view of each list.

use std::path::{Path, PathBuf};

use super::view::TableView;
use crate::ent::EntDirectory;
use crate::model::edit::{Edit, History, HistoryError};
use crate::model::findings::{Finding, FindingKind, Severity};
use crate::model::table::{Stamp, Table, TableId};
use crate::review::analysis::{Analysis, Updated, analyze_for_edits};

/// The example base embedded in the binary (the FAQ's "Base Exemple").
pub const EXEMPLE: [(&str, &[u8]); 3] = [
    (
        "exemple/professeurs.csv",
        include_bytes!("../../assets/exemple/professeurs.csv"),
    ),
    (
        "exemple/eleves.txt",
        include_bytes!("../../assets/exemple/eleves.txt"),
    ),
    (
        "exemple/responsables.csv",
        include_bytes!("../../assets/exemple/responsables.csv"),
    ),
];

/// The example base's ENT export.
pub const EXEMPLE_ENT: (&str, &[u8]) = (
    "exemple/ent-export-classique.csv",
    include_bytes!("../../assets/exemple/ent-export-classique.csv"),
);

/// Everything loaded in the window.
#[derive(Default)]
pub struct Document {
    /// The PRONOTE lists, in tab order.
    pub tables: Vec<Table>,
    /// The ENT export.
    pub ent: Option<EntDirectory>,
    /// Findings of the current values.
    pub analysis: Analysis,
    /// Findings when the files were loaded (the "why" of the work list): what the work list
    /// reads of them only ([`Analysis::reasons`]).
    pub baseline: Analysis,
    /// Undo/redo.
    pub history: History,
    /// One view per table.
    pub views: Vec<TableView>,
    /// Whether the lists are the embedded example (exports then go to the documents folder).
    pub is_example: bool,
    /// The edited cells and their values at the last export, per table.
    saved: Vec<std::collections::HashMap<(usize, usize), String>>,
    /// Per table: counts of findings by kind, rows without finding, rows in error.
    pub summaries: Vec<TableSummary>,
    /// Cells that differ from what was last saved (kept up to date after every change).
    pub unsaved: usize,
    /// The row holding each stored Identifiant CAS (lower case), for the ENT tab.
    pub cas_holders: std::collections::HashMap<String, (usize, usize)>,
    /// Set when an edit left the analysis to be redone (on a large base, in the background).
    pub analysis_pending: bool,
    /// Bumped at every change of the lists or the analysis (caches compare it).
    pub revision: u64,
    /// Bumped whenever a file is opened or re-opened: positions of rows or accounts taken
    /// before (search results, cached filters) no longer apply and are taken again.
    pub generation: u64,
    /// The id the next new list gets.
    next_table_id: u32,
}

/// From this many rows, the analysis after an edit runs in the background with a progress bar
/// instead of holding the window (about a tenth of a second of analysis).
pub const BACKGROUND_ANALYSIS_ROWS: usize = 10_000;

/// Counts shown on the tabs and the status chips, computed once per analysis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableSummary {
    /// Rows having a finding of each kind, in `FindingKind::ALL` order (only kinds present).
    pub by_kind: Vec<(FindingKind, usize)>,
    /// Rows without any finding.
    pub clean: usize,
    /// Rows with a finding of severity error.
    pub errors: usize,
}

impl Document {
    /// The embedded example base, with its ENT export when `with_ent`.
    pub fn example(with_ent: bool) -> Self {
        let mut doc = Self {
            is_example: true,
            ..Self::default()
        };
        for (name, bytes) in EXEMPLE {
            // The embedded files are the samples the tests read: they always load.
            if let Ok(table) = Table::from_bytes(Path::new(name), bytes, None) {
                doc.tables.push(table);
            }
        }
        if with_ent
            && let Ok(ent) = EntDirectory::from_bytes(Path::new(EXEMPLE_ENT.0), EXEMPLE_ENT.1, None)
        {
            doc.ent = Some(ent);
        }
        doc.tables.sort_by_key(|t| t.list);
        for t in 0..doc.tables.len() {
            doc.tables[t].stamp = doc.new_stamp();
        }
        doc.views = doc
            .tables
            .iter()
            .map(|t| TableView::new(t.rows.len()))
            .collect();
        doc.reanalyze_all();
        doc
    }

    fn new_stamp(&mut self) -> Stamp {
        self.next_table_id += 1;
        Stamp {
            id: TableId(self.next_table_id),
            opened: 0,
        }
    }

    /// Adds a list (replacing one read from the same path); the example base is dropped first.
    ///
    /// A re-opened list keeps its id under a new stamp: its view (selection, fiche) starts
    /// again, and the history refuses the changes made on its previous reading.
    pub fn add_table(&mut self, mut table: Table) {
        if self.is_example {
            self.tables.clear();
            self.views.clear();
            self.ent = None;
            self.history = History::default();
            self.is_example = false;
        }
        self.saved.clear();
        self.revision += 1;
        self.generation += 1;
        let view = TableView::new(table.rows.len());
        match self.tables.iter().position(|t| t.path == table.path) {
            Some(i) => {
                let before = self.tables[i].stamp;
                table.stamp = Stamp {
                    id: before.id,
                    opened: before.opened + 1,
                };
                self.tables[i] = table;
                self.views[i] = view;
            }
            None => {
                table.stamp = self.new_stamp();
                let at = self.tables.partition_point(|t| t.list <= table.list);
                self.tables.insert(at, table);
                self.views.insert(at, view);
            }
        }
    }

    /// The position of a list in [`Self::tables`] (`None`: not loaded any more).
    pub fn position(&self, id: TableId) -> Option<usize> {
        self.tables.iter().position(|t| t.stamp.id == id)
    }

    /// Sets the ENT export (an export of one's own replaces the example's).
    pub fn set_ent(&mut self, ent: EntDirectory) {
        self.revision += 1;
        self.generation += 1;
        self.ent = Some(ent);
    }

    /// Takes each list that neither its name, its columns nor the user decided as the list whose
    /// ENT accounts its rows match (see [`crate::review::open::recognise_lists`]).
    pub fn recognise_lists(&mut self) {
        crate::review::open::recognise_lists(&mut self.tables, self.ent.as_ref());
    }

    /// Re-runs the analysis after a load, and takes it as the baseline.
    pub fn reanalyze_all(&mut self) {
        self.reanalyze();
        let _phase = crate::timing::Phase::start("analyse de référence");
        self.baseline = self.analysis.reasons();
    }

    /// Re-runs the analysis after an edit, and the counts that depend on it.
    pub fn reanalyze(&mut self) {
        self.revision += 1;
        self.analysis_pending = false;
        self.analysis = analyze_for_edits(&self.tables, self.ent.as_ref());
        for view in &mut self.views {
            view.data_changed();
        }
        let _phase = crate::timing::Phase::start("décomptes et titulaires");
        self.summaries = (0..self.tables.len()).map(|t| self.summary(t)).collect();
        self.cas_holders = self
            .tables
            .iter()
            .enumerate()
            .flat_map(|(t, table)| {
                (0..table.rows.len())
                    .filter(move |&r| !table.cas_id(r).is_empty())
                    .map(move |r| (table.cas_id(r).to_lowercase(), (t, r)))
            })
            .collect();
        self.unsaved = self.unsaved_count();
    }

    /// Takes an analysis brought up to date on a few rows: the counts, the holders of the
    /// logins and the views follow those rows only.
    fn take_update(&mut self, updated: Updated) {
        let _phase = crate::timing::Phase::start("mise à jour : décomptes");
        self.revision += 1;
        let mut changed = vec![false; self.tables.len()];
        let mut deltas: Vec<Option<SummaryDelta>> = vec![None; self.tables.len()];
        for ((t, r), before) in &updated.rows {
            changed[*t] = true;
            let delta = deltas[*t].get_or_insert_with(SummaryDelta::default);
            delta.add(before, -1);
            delta.add(self.analysis.row(*t, *r), 1);
        }
        for (t, delta) in deltas.into_iter().enumerate() {
            if let (Some(delta), Some(summary)) = (delta, self.summaries.get_mut(t)) {
                delta.apply_to(summary);
            }
        }
        for (login, holders) in updated.logins {
            match holders.last() {
                // The last holder, as `reanalyze` collects them.
                Some(&last) => {
                    self.cas_holders.insert(login, last);
                }
                None => {
                    self.cas_holders.remove(&login);
                }
            }
        }
        for (view, changed) in self.views.iter_mut().zip(changed) {
            if changed {
                view.data_changed();
            }
        }
        self.unsaved = self.unsaved_count();
    }

    /// The counts of table `t`: every row counted once (see [`SummaryDelta`]).
    fn summary(&self, t: usize) -> TableSummary {
        let mut delta = SummaryDelta::default();
        for r in 0..self.tables[t].rows.len() {
            delta.add(self.analysis.row(t, r), 1);
        }
        let mut summary = TableSummary::default();
        delta.apply_to(&mut summary);
        summary
    }

    /// Re-runs the analysis after an edit now on a small base; on a large one, marks it
    /// pending for the window to run it in the background.
    ///
    /// An edit of Identifiant CAS or Esp. Par. cells is analysed at once whatever the size, on
    /// the rows it can change only ([`Analysis::update_after_edit`]).
    fn after_edit(&mut self, inverse: Option<Edit>) {
        self.revision += 1;
        if !self.analysis_pending
            && let Some(cells) = inverse.as_ref().and_then(Edit::cells_before)
            && let Some(updated) =
                self.analysis
                    .update_after_edit(&self.tables, self.ent.as_ref(), &cells)
        {
            self.take_update(updated);
            return;
        }
        let rows: usize = self.tables.iter().map(|t| t.rows.len()).sum();
        if rows >= BACKGROUND_ANALYSIS_ROWS {
            self.analysis_pending = true;
        } else {
            self.reanalyze();
        }
    }

    /// Applies an edit through the history.
    pub fn apply(&mut self, label: impl Into<String>, edit: Edit) {
        self.history.apply(&mut self.tables, label, edit);
        self.after_edit(self.history.last_undo().cloned());
    }

    /// Undoes the last change; returns its label (`None`: nothing to undo), or why it no
    /// longer applies.
    pub fn undo(&mut self) -> Result<Option<String>, HistoryError> {
        let label = self.history.undo(&mut self.tables)?;
        if label.is_some() {
            self.after_edit(self.history.last_redo().cloned());
        }
        Ok(label)
    }

    /// Redoes the last undone change, as [`Self::undo`].
    pub fn redo(&mut self) -> Result<Option<String>, HistoryError> {
        let label = self.history.redo(&mut self.tables)?;
        if label.is_some() {
            self.after_edit(self.history.last_undo().cloned());
        }
        Ok(label)
    }

    /// How many cells differ from what was last saved (the files, or the last export).
    fn unsaved_count(&self) -> usize {
        let _phase = crate::timing::Phase::start("modifications non enregistrées");
        self.tables
            .iter()
            .enumerate()
            .map(|(t, table)| {
                // Looked up by cell (not searched): after saving a bulk change of thousands of
                // cells, each later edit would otherwise compare every pair of them.
                let Some(saved) = self.saved.get(t) else {
                    return table.edited_cells().len();
                };
                let edited = table.edited_cells();
                let changed = edited
                    .iter()
                    .filter(|&&(r, c)| {
                        saved
                            .get(&(r, c))
                            .is_none_or(|value| *value != table.cell(r, c))
                    })
                    .count();
                // `edited_cells` is sorted.
                let reverted = saved
                    .keys()
                    .filter(|cell| edited.binary_search(cell).is_err())
                    .count();
                changed + reverted
            })
            .sum()
    }

    /// Takes the current values as saved.
    pub fn mark_saved(&mut self) {
        self.unsaved = 0;
        self.saved = self
            .tables
            .iter()
            .map(|table| {
                table
                    .edited_cells()
                    .into_iter()
                    .map(|(r, c)| ((r, c), table.cell(r, c).to_owned()))
                    .collect()
            })
            .collect();
    }

    /// Paths of every file read (never to be overwritten).
    pub fn input_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.tables.iter().map(|t| t.path.clone()).collect();
        paths.extend(self.ent.as_ref().map(|e| e.path.clone()));
        paths
    }
}

/// The change of a [`TableSummary`] when some rows' findings change.
#[derive(Clone, Default)]
struct SummaryDelta {
    by_kind: [isize; FindingKind::ALL.len()],
    clean: isize,
    errors: isize,
}

impl SummaryDelta {
    /// Counts a row with `findings` once more (`sign` 1) or once less (`sign` -1).
    fn add(&mut self, findings: &[Finding], sign: isize) {
        if findings.is_empty() {
            self.clean += sign;
        }
        if findings.iter().any(|f| f.severity() == Severity::Error) {
            self.errors += sign;
        }
        for (i, kind) in FindingKind::ALL.iter().enumerate() {
            if findings.iter().any(|f| f.kind == *kind) {
                self.by_kind[i] += sign;
            }
        }
    }

    fn apply_to(&self, summary: &mut TableSummary) {
        let shift = |n: usize, by: isize| n.saturating_add_signed(by);
        summary.clean = shift(summary.clean, self.clean);
        summary.errors = shift(summary.errors, self.errors);
        summary.by_kind = FindingKind::ALL
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let before = summary
                    .by_kind
                    .iter()
                    .find(|(k, _)| k == kind)
                    .map_or(0, |(_, n)| *n);
                (*kind, shift(before, self.by_kind[i]))
            })
            .filter(|(_, n)| *n > 0)
            .collect();
    }
}
