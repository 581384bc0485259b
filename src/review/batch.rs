//! A batch over a département: one sub-folder per school, each with its lists and its own ENT
//! export or its part of one shared export (told by « Établissements »). This module finds the
//! schools and their files, gives each school its part of a shared export, runs the schools on
//! the cores, and counts what each found for the summary (`synthese.csv`, `synthese.json`,
//! `rapport.html`). What one school produces is left to the caller: it is exactly what a single
//! run on that school's folder does.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::analysis::Analysis;
use crate::ent::EntDirectory;
use crate::ent::layout::is_ent_export_header;
use crate::model::findings::{FindingKind, Severity};
use crate::model::fold::fold_compact;
use crate::model::table::Table;

/// The summary of the whole run, as CSV.
pub const SUMMARY_CSV_NAME: &str = "synthese.csv";

/// The summary of the whole run, as JSON.
pub const SUMMARY_JSON_NAME: &str = "synthese.json";

/// The one-page report of the whole run.
pub const REPORT_HTML_NAME: &str = "rapport.html";

/// Why a school (or the whole batch) cannot be run. Every message names the file or folder last.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// A folder that cannot be listed.
    #[error("dossier illisible ({}) : {}", crate::io::io_reason(.source), .path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A school folder without any list.
    #[error("aucune liste PRONOTE dans ce dossier : {}", .0.display())]
    NoList(PathBuf),
    /// Two ENT exports in one school folder.
    #[error(
        "plusieurs exports ENT dans ce dossier ({names}) : gardez-en un seul : {}",
        .path.display()
    )]
    SeveralEnt {
        /// The school folder.
        path: PathBuf,
        /// Their file names.
        names: String,
    },
    /// A school with its own ENT export while a shared one is given.
    #[error(
        "ce dossier contient son propre export ENT alors qu'un autre est donné avec --ent : \
         retirez l'un des deux : {}",
        .0.display()
    )]
    EntTwice(PathBuf),
    /// A shared export whose accounts do not say their school.
    #[error(
        "l'export ENT partagé n'a pas de colonne « Établissements » : impossible de savoir quels \
         comptes sont ceux de chaque établissement ; donnez l'export de chaque établissement dans \
         son dossier, ou un export avec cette colonne : {}",
        .0.display()
    )]
    NoEstablishments(PathBuf),
    /// No account of the shared export names this school.
    #[error(
        "aucun compte de l'export ENT partagé ne porte l'établissement « {school} » dans sa \
         colonne « Établissements » (valeurs lues : {seen}) : nommez le dossier de \
         l'établissement comme l'ENT le nomme : {}",
        .path.display()
    )]
    NoAccountOfSchool {
        /// The school (its folder name).
        school: String,
        /// A few values of the column.
        seen: String,
        /// The shared export.
        path: PathBuf,
    },
}

/// Whether a name is shown to nobody: hidden files and folders (`.git`, `.DS_Store`…).
fn hidden(path: &Path) -> bool {
    path.file_name()
        .is_none_or(|n| n.to_string_lossy().starts_with('.'))
}

/// The entries of `folder` that are folders (`dirs`) or files, by name, hidden ones left out.
fn entries(folder: &Path, dirs: bool) -> Result<Vec<PathBuf>, BatchError> {
    let error = |source| BatchError::Folder {
        path: folder.to_owned(),
        source,
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(error)? {
        let path = entry.map_err(error)?.path();
        if !hidden(&path) && path.is_dir() == dirs {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Whether `folder` is a département (it holds sub-folders, one per school) rather than one
/// school's folder.
pub fn is_departement(folder: &Path) -> Result<bool, BatchError> {
    Ok(!entries(folder, true)?.is_empty())
}

/// The schools of a département: its sub-folders by name, but `output` (a folder of results
/// put inside it).
pub fn school_folders(root: &Path, output: Option<&Path>) -> Result<Vec<PathBuf>, BatchError> {
    let output = output.and_then(|o| o.canonicalize().ok());
    Ok(entries(root, true)?
        .into_iter()
        .filter(|f| output.is_none() || f.canonicalize().ok() != output)
        .collect())
}

/// The files directly in a département's folder: not read (each school is a sub-folder).
pub fn loose_files(root: &Path) -> Result<Vec<PathBuf>, BatchError> {
    entries(root, false)
}

/// The files of one school.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolFiles {
    /// Its PRONOTE lists, by name.
    pub lists: Vec<PathBuf>,
    /// Its own ENT export, if the folder holds one.
    pub ent: Option<PathBuf>,
}

/// The files of a school's folder: every file whose first line is an ENT export's header is
/// the ENT export, the others are lists (a file that cannot be read is left to the list reader,
/// which says why).
pub fn school_files(folder: &Path) -> Result<SchoolFiles, BatchError> {
    let mut lists = Vec::new();
    let mut ents = Vec::new();
    for file in entries(folder, false)? {
        let is_ent =
            EntDirectory::read_titles(&file).is_ok_and(|titles| is_ent_export_header(&titles));
        if is_ent {
            ents.push(file);
        } else {
            lists.push(file);
        }
    }
    if ents.len() > 1 {
        let names: Vec<String> = ents
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        return Err(BatchError::SeveralEnt {
            path: folder.to_owned(),
            names: names.join(", "),
        });
    }
    if lists.is_empty() {
        return Err(BatchError::NoList(folder.to_owned()));
    }
    Ok(SchoolFiles {
        lists,
        ent: ents.pop(),
    })
}

/// The name of a school: its folder's name.
pub fn school_name(folder: &Path) -> String {
    folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| folder.display().to_string())
}

/// One ENT export shared by every school, indexed by the schools its « Établissements »
/// column names (folded: `college-001` is « Collège 001 »; a cell may list several schools,
/// joined with `,`).
pub struct SharedEnt {
    /// The whole export.
    pub directory: EntDirectory,
    /// Lines of the accounts of each school, by the school's folded name.
    by_school: HashMap<String, HashSet<usize>>,
    /// Accounts whose « Établissements » is empty: no school gets them.
    pub without_school: usize,
}

impl SharedEnt {
    /// Indexes a shared export; refused when it does not say each account's school.
    pub fn new(directory: EntDirectory) -> Result<Self, BatchError> {
        if crate::ent::directory::establishments_column(&directory.titles).is_none() {
            return Err(BatchError::NoEstablishments(directory.path.clone()));
        }
        let mut by_school: HashMap<String, HashSet<usize>> = HashMap::new();
        let mut without_school = 0;
        for account in &directory.accounts {
            let mut named = false;
            for part in account.establishments.split(',') {
                let key = fold_compact(part);
                if !key.is_empty() {
                    by_school.entry(key).or_default().insert(account.line);
                    named = true;
                }
            }
            without_school += usize::from(!named);
        }
        Ok(Self {
            directory,
            by_school,
            without_school,
        })
    }

    /// The part of the export that is `school`'s: the accounts whose « Établissements » names
    /// it. A school no account names is refused (its accounts cannot be told apart).
    pub fn school_part(&self, school: &str) -> Result<EntDirectory, BatchError> {
        let Some(lines) = self.by_school.get(&fold_compact(school)) else {
            let mut seen: Vec<&str> = Vec::new();
            for account in &self.directory.accounts {
                let value = account.establishments.as_str();
                if !seen.contains(&value) {
                    seen.push(value);
                }
                if seen.len() == 5 {
                    break;
                }
            }
            let seen: Vec<String> = seen.iter().map(|s| format!("« {s} »")).collect();
            return Err(BatchError::NoAccountOfSchool {
                school: school.to_owned(),
                seen: seen.join(", "),
                path: self.directory.path.clone(),
            });
        };
        Ok(self
            .directory
            .retain_accounts(|account| lines.contains(&account.line)))
    }
}

/// Runs `run` on every item on `workers` threads (the cores), each item once; the results come
/// back in the items' order. A panic in one item is its own failure (`Err` with the panic's
/// text), the others go on.
pub fn run_parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    run: impl Fn(&T) -> R + Sync,
    done: impl Fn(usize) + Sync,
) -> Vec<Result<R, String>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<R, String>>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(item)))
                .map_err(|panic| {
                    panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default()
                });
            if let Ok(mut results) = results.lock() {
                results[i] = Some(result);
            }
            done(i);
        }
    };
    std::thread::scope(|scope| {
        for n in 1..workers.clamp(1, items.len().max(1)) {
            let _ = std::thread::Builder::new()
                .name(format!("etablissement-{n}"))
                .spawn_scoped(scope, worker);
        }
        worker();
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("non traité".to_owned())))
        .collect()
}

/// The threads a batch uses: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// What one list (or the ENT export) of a school holds, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListCounts {
    /// The list (« Élèves »…, or « Export ENT »).
    pub list: String,
    /// The file's name.
    pub file: String,
    /// Rows (accounts for the ENT export).
    pub rows: usize,
    /// Findings « erreur » (a missing key column counts as one).
    pub errors: usize,
    /// Findings « à corriger » (for the ENT export, its problems too: duplicate logins…).
    pub warnings: usize,
    /// Findings « information ».
    pub infos: usize,
    /// Findings by kind (JSON code), kinds found only.
    pub kinds: BTreeMap<&'static str, usize>,
    /// Rows by status (the most serious finding of the row; « Sans anomalie » when none), in
    /// [`FindingKind::ALL`]'s order, then the rows without findings.
    #[serde(skip)]
    pub statuses: Vec<usize>,
}

impl ListCounts {
    fn new(list: &str, file: &str, rows: usize) -> Self {
        Self {
            list: list.to_owned(),
            file: file.to_owned(),
            rows,
            errors: 0,
            warnings: 0,
            infos: 0,
            kinds: BTreeMap::new(),
            statuses: vec![0; FindingKind::ALL.len() + 1],
        }
    }

    fn add(&mut self, kind: FindingKind) {
        match kind.severity() {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        *self.kinds.entry(kind.code()).or_default() += 1;
    }

    /// Whether these are the counts of the ENT export (not of a PRONOTE list).
    pub fn is_ent(&self) -> bool {
        self.list == ENT_EXPORT
    }

    /// How many findings of `kind`.
    pub fn kind(&self, kind: FindingKind) -> usize {
        self.kinds.get(kind.code()).copied().unwrap_or(0)
    }
}

/// The list name of an ENT export's counts (beside the PRONOTE lists').
pub const ENT_EXPORT: &str = "Export ENT";

/// The label of the rows without findings in the status bars.
pub const NO_FINDING: &str = "Sans anomalie";

/// The index of a row status in [`ListCounts::statuses`].
fn status_index(status: Option<FindingKind>) -> usize {
    status
        .and_then(|k| FindingKind::ALL.iter().position(|&a| a == k))
        .unwrap_or(FindingKind::ALL.len())
}

/// Counts what the analysis found, per list and for the ENT export (its problems, orphans).
pub fn count(tables: &[Table], ent: Option<&EntDirectory>, analysis: &Analysis) -> Vec<ListCounts> {
    let mut counts = Vec::with_capacity(tables.len() + 1);
    for (t, table) in tables.iter().enumerate() {
        let mut list = ListCounts::new(table.list.label(), &table.file_name(), table.rows.len());
        list.errors += table.missing_key_columns().len();
        for r in 0..table.rows.len() {
            for finding in analysis.row(t, r) {
                list.add(finding.kind);
            }
            list.statuses[status_index(analysis.status(t, r))] += 1;
        }
        counts.push(list);
    }
    if let Some(ent) = ent {
        let file = ent
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut list = ListCounts::new(ENT_EXPORT, &file, ent.accounts.len());
        list.warnings += ent.problems.len();
        for finding in &analysis.ent {
            list.add(finding.finding.kind);
        }
        counts.push(list);
    }
    counts
}

/// How one school's run ended.
#[derive(Clone, Debug, Serialize)]
pub struct SchoolSummary {
    /// The school (its folder's name).
    pub name: String,
    /// Its folder.
    pub folder: PathBuf,
    /// Its output folder.
    pub output: PathBuf,
    /// Its counts, or why it could not be run.
    #[serde(flatten)]
    pub outcome: SchoolOutcome,
}

/// A school's result.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum SchoolOutcome {
    /// Run: counts per list.
    Done {
        /// Per list, then the ENT export.
        lists: Vec<ListCounts>,
        /// Changes in its work list.
        changes: usize,
    },
    /// Not run: the French reason.
    Failed {
        /// Why.
        message: String,
    },
}

impl SchoolSummary {
    /// Its lists' counts (none for a school in error).
    pub fn lists(&self) -> &[ListCounts] {
        match &self.outcome {
            SchoolOutcome::Done { lists, .. } => lists,
            SchoolOutcome::Failed { .. } => &[],
        }
    }

    /// Findings of severity « erreur » (the serious ones), over its lists and ENT export.
    pub fn errors(&self) -> usize {
        self.lists().iter().map(|l| l.errors).sum()
    }

    /// Rows by status over its lists (see [`ListCounts::statuses`]).
    pub fn statuses(&self) -> Vec<usize> {
        let mut total = vec![0; FindingKind::ALL.len() + 1];
        for list in self.lists() {
            for (sum, n) in total.iter_mut().zip(&list.statuses) {
                *sum += n;
            }
        }
        total
    }

    /// Whether it could not be run.
    pub fn failed(&self) -> bool {
        matches!(self.outcome, SchoolOutcome::Failed { .. })
    }
}

/// The summary as CSV (UTF-8 with BOM, `;`, for a spreadsheet): one line per school and list,
/// counts by severity and by kind of finding; a school not run is one line with its reason.
pub fn summary_csv(schools: &[SchoolSummary]) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    let mut header: Vec<&str> = vec![
        "Établissement",
        "État",
        "Liste",
        "Fichier",
        "Lignes",
        "Erreurs",
        "À corriger",
        "Informations",
    ];
    header.extend(FindingKind::ALL.iter().map(|k| k.status()));
    header.push("Message");
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&header);
    for school in schools {
        let name = crate::review::fixes::spreadsheet_safe(&school.name);
        match &school.outcome {
            SchoolOutcome::Failed { message } => {
                let mut record = vec![name.into_owned(), "erreur".to_owned()];
                record.resize(header.len() - 1, String::new());
                record.push(crate::review::fixes::spreadsheet_safe(message).into_owned());
                let _ = writer.write_record(&record);
            }
            SchoolOutcome::Done { lists, .. } => {
                for list in lists {
                    let mut record = vec![
                        name.clone().into_owned(),
                        "traité".to_owned(),
                        list.list.clone(),
                        crate::review::fixes::spreadsheet_safe(&list.file).into_owned(),
                        list.rows.to_string(),
                        list.errors.to_string(),
                        list.warnings.to_string(),
                        list.infos.to_string(),
                    ];
                    record.extend(FindingKind::ALL.iter().map(|&k| list.kind(k).to_string()));
                    record.push(String::new());
                    let _ = writer.write_record(&record);
                }
            }
        }
    }
    drop(writer);
    out
}

/// Totals over the schools run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Schools.
    pub schools: usize,
    /// Schools not run.
    pub failed: usize,
    /// PRONOTE rows.
    pub rows: usize,
    /// Findings « erreur ».
    pub errors: usize,
    /// Findings « à corriger ».
    pub warnings: usize,
    /// Information.
    pub infos: usize,
    /// Changes in the work lists.
    pub changes: usize,
    /// Findings by kind.
    pub kinds: BTreeMap<&'static str, usize>,
}

/// The totals over `schools`.
pub fn totals(schools: &[SchoolSummary]) -> Totals {
    let mut totals = Totals {
        schools: schools.len(),
        ..Totals::default()
    };
    for school in schools {
        match &school.outcome {
            SchoolOutcome::Failed { .. } => totals.failed += 1,
            SchoolOutcome::Done { lists, changes } => {
                totals.changes += changes;
                for list in lists {
                    if !list.is_ent() {
                        totals.rows += list.rows;
                    }
                    totals.errors += list.errors;
                    totals.warnings += list.warnings;
                    totals.infos += list.infos;
                    for (kind, n) in &list.kinds {
                        *totals.kinds.entry(kind).or_default() += n;
                    }
                }
            }
        }
    }
    totals
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    totals: Totals,
    schools: &'a [SchoolSummary],
}

/// The summary as JSON: the totals, then per school its state, its output folder and per list
/// its counts by severity and by kind (JSON codes).
pub fn summary_json(schools: &[SchoolSummary]) -> Vec<u8> {
    let summary = SummaryJson {
        totals: totals(schools),
        schools,
    };
    let mut out = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_is_named_by_its_folder_folded() {
        let export = "\u{feff}\"Type\";\"Nom\";\"Prénom\";\"Identifiant\";\"Établissements\"\r\n\
            \"Élève\";\"A\";\"Léa\";\"lea.a\";\"Collège 001\"\r\n\
            \"Enseignant\";\"B\";\"Paul\";\"paul.b\";\"COLLEGE 002, Collège 001\"\r\n\
            \"Élève\";\"C\";\"Zoé\";\"zoe.c\";\"Collège 0011\"\r\n";
        let directory =
            EntDirectory::from_bytes(Path::new("ent.csv"), export.as_bytes(), None).unwrap();
        let shared = SharedEnt::new(directory).unwrap();
        let logins = |school: &str| -> Vec<String> {
            let part = shared.school_part(school).unwrap();
            part.accounts.into_iter().map(|a| a.login).collect()
        };
        assert_eq!(logins("college-001"), ["lea.a", "paul.b"]);
        assert_eq!(logins("College 002"), ["paul.b"]);
        assert!(matches!(
            shared.school_part("lycee"),
            Err(BatchError::NoAccountOfSchool { .. })
        ));
    }

    #[test]
    fn parallel_results_come_back_in_order_and_a_panic_is_one_failure() {
        let items: Vec<usize> = (0..20).collect();
        let results = run_parallel(
            &items,
            2,
            |&i| {
                assert!(i != 7, "boum");
                i * 2
            },
            |_| {},
        );
        for (i, result) in results.iter().enumerate() {
            match result {
                Ok(v) => assert_eq!(*v, i * 2),
                Err(message) => {
                    assert_eq!(i, 7);
                    assert!(message.contains("boum"));
                }
            }
        }
    }
}
