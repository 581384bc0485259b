//! `check` and `fix` over a département: one sub-folder per school, each run exactly as a single
//! run on that school's folder, the schools on the cores, then the summary of the whole run.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::{
    CheckArgs, CliError, FixArgs, Inputs, UsageError, create_out_dir, fix_outputs, has_errors,
    load_inputs, printable, school_inputs, write_check_report, write_stdout,
};
use crate::ent::layout::MappingStore;
use crate::io::save::{check_target, save_all};
use crate::progress::Progress;
use crate::review::analysis::analyze_for_reports;
use crate::review::batch::{
    BatchError, REPORT_HTML_NAME, SUMMARY_CSV_NAME, SUMMARY_JSON_NAME, SchoolOutcome,
    SchoolSummary, SharedEnt, count, loose_files, run_parallel, school_files, school_folders,
    school_name, summary_csv, summary_json, workers,
};
use crate::review::batch_html::batch_html;
use crate::review::open::{open_ent, recognise_lists};
use crate::review::outputs::{WORK_LIST_HTML_NAME, WORK_LIST_NAME};
use crate::review::plan::{plan_all_fixes, plan_csv};
use crate::review::plan_html::plan_html;

/// The command run on each school.
#[derive(Clone, Copy)]
pub(super) enum BatchCommand<'a> {
    /// `check`: each school's report (what `check` prints) and work list.
    Check(&'a CheckArgs),
    /// `fix`: each school's corrected lists and work list, and what `fix` prints.
    Fix(&'a FixArgs),
}

impl BatchCommand<'_> {
    /// The name of the school's report: what a single run prints.
    fn report_name(self) -> &'static str {
        match self {
            Self::Check(args) if args.format == super::OutputFormat::Json => "rapport.json",
            Self::Check(_) | Self::Fix(_) => "rapport.txt",
        }
    }
}

/// What one school gave: its summary, and whether `check` found an error in it.
struct SchoolRun {
    summary: SchoolSummary,
    errors: bool,
}

/// Runs `command` on every school of `root` into `out_dir/<school>/`, then writes the summary
/// (`synthese.csv`, `synthese.json`, `rapport.html`) into `out_dir`. A school that cannot be
/// run is reported in the summary and the others go on; an unreadable shared ENT export stops
/// everything (no school could be run).
pub(super) fn run_batch(
    root: &Path,
    inputs: &Inputs,
    out_dir: &Path,
    force: bool,
    command: BatchCommand<'_>,
) -> Result<ExitCode, CliError> {
    let usage = |e: BatchError| UsageError(e.to_string());
    let folders = school_folders(root, Some(out_dir)).map_err(usage)?;
    // A summary already there (a previous run) stops the run before any school is done.
    for name in [SUMMARY_CSV_NAME, SUMMARY_JSON_NAME, REPORT_HTML_NAME] {
        check_target(&out_dir.join(name), &[], force).map_err(|e| UsageError(e.to_string()))?;
    }
    remark_loose_files(root, inputs.ent.as_deref());
    let shared = match &inputs.ent {
        Some(path) => {
            let progress = Progress::spinner("Lecture de l'export ENT partagé…");
            let store = MappingStore::open();
            let shared = open_ent(path, inputs.ent_columns.as_deref(), store.as_ref())
                .map_err(|e| UsageError(e.to_string()))?;
            let shared = SharedEnt::new(shared).map_err(usage)?;
            progress.finish();
            if shared.without_school > 0 {
                remark(&format!(
                    "{} compte(s) de l'export ENT partagé n'ont pas d'établissement dans « \
                     Établissements » : aucun établissement ne les reçoit : {}",
                    shared.without_school,
                    path.display()
                ));
            }
            Some(shared)
        }
        None => None,
    };
    create_out_dir(out_dir)?;
    let progress = Progress::bar(folders.len(), "établissement(s)");
    let results = run_parallel(
        &folders,
        workers(),
        |folder| run_school(folder, inputs, shared.as_ref(), out_dir, force, command),
        |i| {
            if let Some(folder) = folders.get(i) {
                progress.phase(format!("{} terminé", school_name(folder)));
            }
            progress.inc();
        },
    );
    progress.phase("Synthèse…");
    let runs: Vec<SchoolRun> = results
        .into_iter()
        .zip(&folders)
        .map(|(result, folder)| {
            result.unwrap_or_else(|panic| SchoolRun {
                summary: SchoolSummary {
                    name: school_name(folder),
                    folder: folder.clone(),
                    output: out_dir.join(school_name(folder)),
                    outcome: SchoolOutcome::Failed {
                        message: format!("erreur interne du programme (à signaler) : {panic}"),
                    },
                },
                errors: false,
            })
        })
        .collect();
    let errors = runs.iter().any(|r| r.errors);
    let schools: Vec<SchoolSummary> = runs.into_iter().map(|r| r.summary).collect();
    let links = [
        ("Liste de travail", WORK_LIST_HTML_NAME),
        ("Rapport", command.report_name()),
    ];
    let title = school_name(root);
    let files = vec![
        (out_dir.join(SUMMARY_CSV_NAME), summary_csv(&schools)),
        (out_dir.join(SUMMARY_JSON_NAME), summary_json(&schools)),
        (
            out_dir.join(REPORT_HTML_NAME),
            batch_html(&title, &schools, &links).into_bytes(),
        ),
    ];
    save_all(&files, force).map_err(|e| UsageError(e.to_string()))?;
    progress.finish();
    write_stdout(&batch_text(&schools, out_dir))?;
    let failed = schools.iter().any(SchoolSummary::failed);
    Ok(match command {
        _ if failed => ExitCode::from(2),
        BatchCommand::Check(_) if errors => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

/// A remark on stderr (stderr may be closed: nothing more can be said then).
fn remark(text: &str) {
    let _ = writeln!(std::io::stderr(), "Remarque : {}", printable(text));
}

/// Says which files of the département's folder are not read (but the shared export given with
/// --ent): a shared export left there without --ent would leave every school without one.
fn remark_loose_files(root: &Path, shared: Option<&Path>) {
    let shared = shared.and_then(|p| p.canonicalize().ok());
    let Ok(files) = loose_files(root) else {
        return;
    };
    let names: Vec<String> = files
        .iter()
        .filter(|f| shared.is_none() || f.canonicalize().ok() != shared)
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    if !names.is_empty() {
        remark(&format!(
            "fichiers du dossier du département non lus (chaque établissement est un \
             sous-dossier ; un export ENT commun se donne avec --ent) : {} : {}",
            names.join(", "),
            root.display()
        ));
    }
}

/// What the batch prints: one line per school, the schools not run with their reason.
fn batch_text(schools: &[SchoolSummary], out_dir: &Path) -> String {
    let totals = crate::review::batch::totals(schools);
    let mut text = String::new();
    for school in schools {
        let line = match &school.outcome {
            SchoolOutcome::Done { lists, changes } => {
                let count = |f: fn(&crate::review::batch::ListCounts) -> usize| -> usize {
                    lists.iter().map(f).sum()
                };
                format!(
                    "{} : {} erreur(s), {} à corriger, {} information(s), {} modification(s) \
                     proposée(s)\n",
                    school.name,
                    count(|l| l.errors),
                    count(|l| l.warnings),
                    count(|l| l.infos),
                    changes
                )
            }
            SchoolOutcome::Failed { message } => {
                format!("{} : NON TRAITÉ : {message}\n", school.name)
            }
        };
        text.push_str(&line);
    }
    text.push_str(&format!(
        "{} établissement(s), dont {} non traité(s) ; {} erreur(s), {} à corriger, {} \
         information(s). Synthèse : {}\n",
        totals.schools,
        totals.failed,
        totals.errors,
        totals.warnings,
        totals.infos,
        out_dir.join(REPORT_HTML_NAME).display()
    ));
    printable(&text)
}

/// Runs one school: what a single run on its folder does, its files written into
/// `out_dir/<school>/`.
fn run_school(
    folder: &Path,
    inputs: &Inputs,
    shared: Option<&SharedEnt>,
    out_dir: &Path,
    force: bool,
    command: BatchCommand<'_>,
) -> SchoolRun {
    let name = school_name(folder);
    let output = out_dir.join(&name);
    let (outcome, errors) =
        match school_outcome(folder, &name, inputs, shared, &output, force, command) {
            Ok((outcome, errors)) => (outcome, errors),
            Err(message) => (SchoolOutcome::Failed { message }, false),
        };
    SchoolRun {
        summary: SchoolSummary {
            name,
            folder: folder.to_owned(),
            output,
            outcome,
        },
        errors,
    }
}

/// Reads, analyses and writes one school; the French reason when it cannot.
fn school_outcome(
    folder: &Path,
    name: &str,
    inputs: &Inputs,
    shared: Option<&SharedEnt>,
    output: &Path,
    force: bool,
    command: BatchCommand<'_>,
) -> Result<(SchoolOutcome, bool), String> {
    let files = school_files(folder).map_err(|e| e.to_string())?;
    let inputs = school_inputs(inputs, files, shared.is_some()).map_err(|e| e.to_string())?;
    let (tables, ent) = match shared {
        // The school's part of the shared export, as if it were its own export.
        Some(shared) => {
            let part = shared.school_part(name).map_err(|e| e.to_string())?;
            let lists = Inputs {
                ent: None,
                ..inputs.clone()
            };
            let (mut tables, _) = load_inputs(&lists).map_err(|e| e.to_string())?;
            recognise_lists(&mut tables, Some(&part));
            (tables, Some(part))
        }
        None => load_inputs(&inputs).map_err(|e| e.to_string())?,
    };
    let (files, lists, changes, errors) = match command {
        BatchCommand::Check(args) => {
            let analysis = analyze_for_reports(&tables, ent.as_ref());
            let plan = plan_all_fixes(&tables, &analysis, &analysis, args.plan.options());
            let mut report = Vec::new();
            write_check_report(
                args,
                &tables,
                ent.as_ref(),
                &analysis,
                Some(&plan),
                &mut report,
            )
            .map_err(|e| e.to_string())?;
            let files = vec![
                (output.join(command.report_name()), report),
                (output.join(WORK_LIST_NAME), plan_csv(&plan)),
                (
                    output.join(WORK_LIST_HTML_NAME),
                    plan_html(&plan).into_bytes(),
                ),
            ];
            let lists = count(&tables, ent.as_ref(), &analysis);
            (
                files,
                lists,
                plan.changes.len(),
                has_errors(&tables, &analysis),
            )
        }
        BatchCommand::Fix(args) => {
            let run = fix_outputs(args, &inputs, tables, ent, output, false)
                .map_err(|e| e.to_string())?;
            let changes = run.outputs.plan.changes.len();
            let mut files = run.outputs.files;
            files.push((output.join(command.report_name()), run.report.into_bytes()));
            (files, run.counts, changes, false)
        }
    };
    create_out_dir(output).map_err(|e| e.to_string())?;
    save_all(&files, force).map_err(|e| e.to_string())?;
    Ok((SchoolOutcome::Done { lists, changes }, errors))
}
