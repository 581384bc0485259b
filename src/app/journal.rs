//! The journal of unsaved edits: the edited cells, written next to the app's settings after
//! every change, so that a crash (or a loading that dies) loses none of them. The next start
//! offers to restore them; a save or an explicit discard deletes the journal.
//!
//! Only the edited cells are kept (file, line, column title, value before and after): no other
//! personal data.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::edit::Edit;
use crate::model::table::Table;

/// One edited cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalCell {
    /// 0-based data row.
    pub row: usize,
    /// 1-based line of the row in the file (checked before restoring).
    pub line: usize,
    /// The column's title as in the file.
    pub column: String,
    /// The value in the file (checked before restoring: the file must not have changed).
    pub before: String,
    /// The edited value.
    pub after: String,
}

/// The edited cells of one list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalFile {
    /// The list as read.
    pub path: PathBuf,
    /// Its edited cells.
    pub cells: Vec<JournalCell>,
}

/// Every unsaved edit of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// One entry per list with edits.
    pub files: Vec<JournalFile>,
    /// The ENT export that was loaded, reopened with the lists.
    pub ent: Option<PathBuf>,
}

impl Journal {
    /// The edits of `tables` (the cells that differ from their files).
    pub fn of_tables(tables: &[Table]) -> Self {
        let files = tables
            .iter()
            .filter_map(|table| {
                let cells: Vec<JournalCell> = table
                    .edited_cells()
                    .into_iter()
                    .map(|(row, col)| JournalCell {
                        row,
                        line: table.rows[row].line,
                        column: table.columns[col].title.clone(),
                        before: table.original_value(row, col),
                        after: table.cell(row, col).to_owned(),
                    })
                    .collect();
                (!cells.is_empty()).then(|| JournalFile {
                    path: table.path.clone(),
                    cells,
                })
            })
            .collect();
        Self { files, ent: None }
    }

    /// How many cells it holds.
    pub fn cell_count(&self) -> usize {
        self.files.iter().map(|f| f.cells.len()).sum()
    }

    /// The edit that puts the journal's values back into `tables` (loaded from the same files),
    /// and how many cells could not be restored because their file changed meanwhile.
    pub fn to_edit(&self, tables: &[Table]) -> (Edit, usize) {
        let mut edits = Vec::new();
        let mut skipped = 0;
        for file in &self.files {
            let Some(t) = tables.iter().position(|t| t.path == file.path) else {
                skipped += file.cells.len();
                continue;
            };
            let table = &tables[t];
            for cell in &file.cells {
                let column = table.columns.iter().position(|c| c.title == cell.column);
                let fits = |col: usize| {
                    table
                        .rows
                        .get(cell.row)
                        .is_some_and(|r| r.line == cell.line)
                        && table.cell(cell.row, col) == cell.before
                };
                match column {
                    Some(col) if fits(col) => edits.push(Edit::SetCell {
                        table: t,
                        row: cell.row,
                        column: col,
                        value: cell.after.clone(),
                    }),
                    _ => skipped += 1,
                }
            }
        }
        (Edit::Batch(edits), skipped)
    }
}

/// Why the journal could not be written (shown in the status bar: the edits themselves are
/// still in the window).
#[derive(Debug, thiserror::Error)]
#[error("Journal des modifications non enregistré ({reason}) : {path}")]
pub struct JournalError {
    /// The journal file.
    pub path: PathBuf,
    /// What went wrong, in French.
    pub reason: String,
}

/// Where the journal lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalStore {
    path: PathBuf,
}

impl JournalStore {
    /// The journal kept in `dir` (tests point it to a temporary folder).
    pub fn at(dir: &Path) -> Self {
        Self {
            path: dir.join("modifications-non-enregistrees.json"),
        }
    }

    /// The journal of this user, next to the settings (`PRONOTE_COMPANION_CONFIG_DIR`
    /// overrides the folder).
    pub fn open() -> Option<Self> {
        let dir = match std::env::var_os("PRONOTE_COMPANION_CONFIG_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => directories::ProjectDirs::from("fr", "", "pronote-companion")?
                .config_dir()
                .to_owned(),
        };
        Some(Self::at(&dir))
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal left by an earlier session, if any (an unreadable one counts as none).
    pub fn load(&self) -> Option<Journal> {
        let bytes = crate::io::read_input(&self.path).ok()?;
        let journal: Journal = serde_json::from_slice(&bytes).ok()?;
        (journal.cell_count() > 0).then_some(journal)
    }

    /// Writes the journal; an empty one deletes the file.
    pub fn write(&self, journal: &Journal) -> Result<(), JournalError> {
        let error = |reason: String| JournalError {
            path: self.path.clone(),
            reason,
        };
        if journal.cell_count() == 0 {
            return self.clear();
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| error(crate::io::io_reason(&e)))?;
        }
        let bytes = serde_json::to_vec_pretty(journal).map_err(|e| error(e.to_string()))?;
        crate::io::save::save_atomic(&self.path, &bytes).map_err(|e| error(e.to_string()))
    }

    /// Deletes the journal (after a save, or when the user discards the edits).
    pub fn clear(&self) -> Result<(), JournalError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(JournalError {
                path: self.path.clone(),
                reason: crate::io::io_reason(&e),
            }),
        }
    }
}
