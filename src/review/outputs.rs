//! What a run writes: each corrected list in its own format, and the work list as CSV and as a
//! printable page. One function builds them for the window's export and for `fix`.

use crate::timing::Phase;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::analysis::Analysis;
use super::plan::{PlanOptions, WorkPlan, build_plan, plan_csv, write_plan_csv};
use super::plan_html::{plan_html, write_plan_html};
use crate::io::encoding::EncodeError;
use crate::io::save::{SaveError, check_target};
use crate::model::table::{Table, WriteError};

/// The name of the work list written beside the corrected lists.
pub const WORK_LIST_NAME: &str = "a-faire-dans-pronote.csv";

/// The name of its printable page.
pub const WORK_LIST_HTML_NAME: &str = "a-faire-dans-pronote.html";

/// How a corrected list is named in the output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Naming {
    /// The list's own name (`fix --out-dir`: the folder is the corrected base).
    SameName,
    /// `<nom>-corrige.<ext>` (the window's export, often into the lists' own folder).
    Corrected,
}

impl Naming {
    /// The file name of `list` in the output folder.
    pub fn file_name(self, list: &Path) -> String {
        match self {
            Self::SameName => list
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "liste".to_owned()),
            Self::Corrected => corrected_name(list),
        }
    }
}

/// The default name of a corrected list: `<nom>-corrige.<ext>`.
pub fn corrected_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "liste".to_owned());
    match path.extension() {
        Some(ext) => format!("{stem}-corrige.{}", ext.to_string_lossy()),
        None => format!("{stem}-corrige"),
    }
}

/// Every file of a run, encoded, with the plan its work list shows.
#[derive(Debug)]
pub struct Outputs {
    /// (target, bytes), the corrected lists first, then the work list CSV and HTML (none of
    /// them when they were written as they were made: see [`build_outputs_with`]).
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The plan of the work list.
    pub plan: WorkPlan,
}

/// Why the outputs cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A list named like the work list would be replaced by it.
    #[error(
        "ce fichier porte le nom de la liste des actions ({WORK_LIST_NAME}), qui le remplacerait \
         dans le dossier de sortie : renommez-le : {}",
        .0.display()
    )]
    WorkListName(PathBuf),
    /// Two lists would be written to the same file.
    #[error("deux fichiers d'entrée ont le même nom, ils s'écraseraient : {}", .0.display())]
    SameName(PathBuf),
    /// A list holds a character its encoding cannot write.
    #[error("{source} : {}", path.display())]
    Encode {
        /// The list.
        path: PathBuf,
        /// What cannot be written.
        source: EncodeError,
    },
    /// A target that must not be written (an input, a folder, an existing file).
    #[error(transparent)]
    Target(#[from] SaveError),
}

/// Builds every output of `tables` into `folder`: the lists as they are now (untouched cells
/// byte for byte as read), the work list of their changes, each change explained by `baseline`
/// (the analysis of the files as opened). Nothing is written.
pub fn build_outputs(
    tables: &[Table],
    baseline: &Analysis,
    options: PlanOptions,
    folder: &Path,
    naming: Naming,
) -> Result<Outputs, OutputError> {
    build_outputs_with(tables, baseline, options, folder, naming, None, |_| ())
        .map(|(outputs, ())| outputs)
}

/// Writes a file's bytes to the writer it is given, as they are made.
pub type Producer<'p> = &'p mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>;

/// Takes a file's target and the [`Producer`] that writes it.
pub type Stream<'s> = dyn Fn(&Path, Producer<'_>) + Sync + 's;

/// [`build_outputs`], running `also` on the plan beside the work list's two forms (what `fix`
/// prints).
///
/// With `stream`, no file is held: each (the lists, then the work list's two forms) is handed
/// to it with a [`Producer`] that writes it as it is made, on the thread that builds it (`fix`
/// streams them into their files, while the other files are still being built: 115 MB of fresh
/// memory spared on a département), and [`Outputs::files`] is empty.
pub fn build_outputs_with<R: Send>(
    tables: &[Table],
    baseline: &Analysis,
    options: PlanOptions,
    folder: &Path,
    naming: Naming,
    stream: Option<&Stream<'_>>,
    also: impl FnOnce(&WorkPlan) -> R + Send,
) -> Result<(Outputs, R), OutputError> {
    let targets = output_targets(tables, folder, naming)?;
    // The plan on one core while the lists are encoded on the other.
    let (files, plan) = std::thread::scope(|scope| {
        let plan = scope.spawn(|| {
            let _phase = Phase::start("plan des étapes");
            build_plan(tables, baseline, options)
        });
        let files = corrected_lists(tables, &targets, stream);
        let plan = plan
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (files, plan)
    });
    let mut files = files?;
    let csv_target = folder.join(WORK_LIST_NAME);
    let html_target = folder.join(WORK_LIST_HTML_NAME);
    // The work list's two forms, one per core, and `also` meanwhile.
    let (csv, html, extra) = std::thread::scope(|scope| {
        let extra = scope.spawn(|| also(&plan));
        let html = scope.spawn(|| {
            let _phase = Phase::start("liste de travail HTML");
            if let Some(stream) = stream {
                stream(&html_target, &mut |out| write_plan_html(&plan, out));
                return None;
            }
            Some(plan_html(&plan).into_bytes())
        });
        let csv = {
            let _phase = Phase::start("liste de travail CSV");
            if let Some(stream) = stream {
                stream(&csv_target, &mut |out| write_plan_csv(&plan, out));
                None
            } else {
                Some(plan_csv(&plan))
            }
        };
        let html = html
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let extra = extra
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (csv, html, extra)
    });
    if let Some(csv) = csv {
        files.push((csv_target, csv));
    }
    if let Some(html) = html {
        files.push((html_target, html));
    }
    Ok((Outputs { files, plan }, extra))
}

/// Where the outputs of `tables` go in `folder`, in the order of [`Outputs::files`]: each list,
/// then the work list CSV and HTML. Known before anything is built, so that they can be checked
/// first.
pub fn output_targets(
    tables: &[Table],
    folder: &Path,
    naming: Naming,
) -> Result<Vec<PathBuf>, OutputError> {
    let mut targets: Vec<PathBuf> = Vec::with_capacity(tables.len() + 2);
    for table in tables {
        let name = naming.file_name(&table.path);
        if name.eq_ignore_ascii_case(WORK_LIST_NAME)
            || name.eq_ignore_ascii_case(WORK_LIST_HTML_NAME)
        {
            return Err(OutputError::WorkListName(table.path.clone()));
        }
        let target = folder.join(name);
        if targets.contains(&target) {
            return Err(OutputError::SameName(target));
        }
        targets.push(target);
    }
    targets.push(folder.join(WORK_LIST_NAME));
    targets.push(folder.join(WORK_LIST_HTML_NAME));
    Ok(targets)
}

/// The lists as they are now, each with its target (the first of `targets`); or, with
/// `stream`, each written into it as it is encoded, and not held.
fn corrected_lists(
    tables: &[Table],
    targets: &[PathBuf],
    stream: Option<&Stream<'_>>,
) -> Result<Vec<(PathBuf, Vec<u8>)>, OutputError> {
    let _phase = Phase::start("listes corrigées");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::with_capacity(tables.len() + 2);
    for (table, target) in tables.iter().zip(targets) {
        if let Some(stream) = stream {
            let mut unwritable = None;
            stream(target, &mut |out| match table.write_bytes(out) {
                Ok(()) => Ok(()),
                Err(WriteError::Io(error)) => Err(error),
                Err(WriteError::Encode(error)) => {
                    let text = error.to_string();
                    unwritable = Some(error);
                    Err(std::io::Error::other(text))
                }
            });
            if let Some(source) = unwritable {
                return Err(OutputError::Encode {
                    path: table.path.clone(),
                    source,
                });
            }
            continue;
        }
        let bytes = table.to_bytes().map_err(|source| OutputError::Encode {
            path: table.path.clone(),
            source,
        })?;
        files.push((target.clone(), bytes));
    }
    Ok(files)
}

/// Checks every target before anything is written: never an input file, never a folder, and
/// an existing file only when `replace`.
pub fn check_targets(
    outputs: &Outputs,
    inputs: &[PathBuf],
    replace: bool,
) -> Result<(), SaveError> {
    for (target, _) in &outputs.files {
        check_target(target, inputs, replace)?;
    }
    Ok(())
}
