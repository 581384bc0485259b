//! The command line: `check`, `fix`, `identifier`, or the window.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, Parser, Subcommand};

use crate::ent::EntDirectory;
use crate::ent::assistant::rank_rows;
use crate::ent::layout::MappingStore;
use crate::io::save::{check_distinct, check_target, stage_writing_file};
use crate::model::checks::duplicate_groups;
use crate::model::columns::ListKind;
use crate::model::findings::{Finding, FindingKind, Severity};
use crate::model::table::Table;
use crate::progress::Progress;
use crate::review::Review;
use crate::review::analysis::{Analysis, analyze_for_reports};
use crate::review::batch::count;
use crate::review::fixes::FixOptions;
use crate::review::open::{OpenRequest, open_all};
use crate::review::outputs::{Naming, WORK_LIST_NAME, build_outputs_with, output_targets};
use crate::review::plan::{
    IdentificationMode, IdentityRemedy, PlanOptions, WorkPlan, plan_all_fixes,
};
use crate::timing::Phase;

mod batch;
mod json;

use json::shared_logins;

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version} — {about}

Utilisation : {usage}

{all-args}{after-help}";

const SUBCOMMAND_HELP_TEMPLATE: &str = "\
{before-help}{about}

Utilisation : {usage}

{all-args}{after-help}";

/// Ligne de commande.
#[derive(Debug, Parser)]
#[command(
    name = "pronote-companion",
    version,
    about = "Vérifier et corriger les identifiants CAS (ENT) et l'accès à l'Espace Parents des listes PRONOTE",
    long_about = None,
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    args_conflicts_with_subcommands = true,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    after_help = "Sans commande, ouvre la fenêtre avec les fichiers donnés, ou la base exemple.\n\
                  Codes de sortie : 0 sans erreur, 1 si une anomalie de gravité « erreur » est \
                  trouvée, 2 en cas d'usage incorrect ou de fichier illisible."
)]
pub struct Cli {
    /// La commande (sans commande : la fenêtre).
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub inputs: Inputs,
    /// Affiche cette aide.
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    pub version: Option<bool>,
}

/// The files every command takes.
#[derive(Debug, Args, Clone, Default)]
pub struct Inputs {
    /// Export ENT des comptes utilisateurs (Open ENT NG, Skolengo, Envole…).
    #[arg(long, value_name = "FICHIER")]
    pub ent: Option<PathBuf>,
    /// Colonnes de l'export ENT s'il n'est pas reconnu : login=Titre,nom=Titre,prenom=Titre
    /// [,naissance=…,profil=…,classe=…,enfants=…,email=…,cp=…] (mémorisé pour ce format). Une
    /// colonne se désigne aussi par son numéro (login=3,nom=1,prenom=2 ; 1 pour la première) ;
    /// un titre contenant « , » « = » ou « " » s'écrit entre guillemets, « " » doublé
    /// (nom="Nom, usage") ; entete=non si la première ligne est déjà un compte.
    #[arg(long, value_name = "CORRESPONDANCE")]
    pub ent_columns: Option<String>,
    /// Déclare la liste d'un fichier : --liste personnels.csv=personnels (répétable, un
    /// fichier par option, désigné par son nom ou son chemin) ; --liste personnels seul vaut pour
    /// tous les fichiers non désignés. Listes : professeurs, eleves, responsables, personnels.
    /// Sans elle, la liste est reconnue par le nom du fichier, ses colonnes, puis les profils
    /// des comptes ENT correspondants.
    #[arg(long, value_name = "[FICHIER=]LISTE", value_parser = parse_list_choice, action = ArgAction::Append)]
    pub liste: Vec<ListChoice>,
    /// Exports de listes PRONOTE (Professeurs, Élèves, Responsables, Personnels) ; ou le
    /// dossier d'un établissement (ses listes et son export ENT) ; ou le dossier d'un
    /// département, un sous-dossier par établissement (check et fix, avec --out-dir).
    #[arg(value_name = "FICHIER|DOSSIER")]
    pub files: Vec<PathBuf>,
}

/// A `--liste` value: a list for one file (`personnels.csv=personnels`) or for every file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListChoice {
    /// The file, as given (a name or a path); `None`: every file not named by another choice.
    pub file: Option<PathBuf>,
    /// The list.
    pub list: ListKind,
}

fn parse_list(text: &str) -> Result<ListKind, String> {
    ListKind::parse(text).ok_or_else(|| {
        format!("liste inconnue « {text} » : professeurs, eleves, responsables ou personnels")
    })
}

fn parse_list_choice(text: &str) -> Result<ListChoice, String> {
    // The list name never holds `=`: the last one separates it from the file.
    match text.rsplit_once('=') {
        Some((file, list)) if !file.trim().is_empty() => Ok(ListChoice {
            file: Some(PathBuf::from(file.trim())),
            list: parse_list(list.trim())?,
        }),
        Some(_) => {
            Err("fichier manquant avant « = » (exemple : personnels.csv=personnels)".to_owned())
        }
        None => Ok(ListChoice {
            file: None,
            list: parse_list(text.trim())?,
        }),
    }
}

impl Inputs {
    /// The list declared with `--liste` for this input file: the choice naming it (by path or
    /// by file name), else the choice for every file.
    pub fn declared_list(&self, path: &Path) -> Option<ListKind> {
        let names_it = |file: &Path| {
            file == path
                || (file.components().count() == 1 && path.file_name() == Some(file.as_os_str()))
        };
        self.liste
            .iter()
            .rev()
            .find(|c| c.file.as_deref().is_some_and(names_it))
            .or_else(|| self.liste.iter().rev().find(|c| c.file.is_none()))
            .map(|c| c.list)
    }

    /// What to open, in order: the lists (declared ones with their list), then the ENT export.
    pub fn requests(&self) -> Vec<OpenRequest> {
        let mut requests: Vec<OpenRequest> = self
            .files
            .iter()
            .map(|path| match self.declared_list(path) {
                Some(list) => OpenRequest::List(path.clone(), list),
                None => OpenRequest::Auto(path.clone()),
            })
            .collect();
        if let Some(ent) = &self.ent {
            requests.push(OpenRequest::Ent(ent.clone(), self.ent_columns.clone()));
        }
        requests
    }

    /// Checks that every file named by `--liste` is among the inputs.
    pub fn check_list_choices(&self) -> Result<(), UsageError> {
        for choice in &self.liste {
            let Some(file) = &choice.file else { continue };
            let known = self.files.iter().any(|path| {
                path == file
                    || (file.components().count() == 1
                        && path.file_name() == Some(file.as_os_str()))
            });
            if !known {
                return Err(UsageError(format!(
                    "--liste {}={} : aucun des fichiers donnés ne s'appelle ainsi : {}",
                    file.display(),
                    choice.list.code(),
                    file.display()
                )));
            }
        }
        Ok(())
    }
}

/// How the work list is planned (`check` and `fix`).
#[derive(Debug, Args, Clone, Default)]
pub struct PlanArgs {
    /// Comment votre PRONOTE identifie les utilisateurs de l'ENT : identite (par défaut : nom,
    /// prénom et date de naissance à la première connexion, comme dans la FAQ ; renseigner un
    /// identifiant CAS dont l'identité est celle de l'ENT est alors facultatif) ou cas
    /// (identifiant CAS seul : tout est à saisir).
    #[arg(long, value_name = "identite|cas", value_parser = parse_mode)]
    pub mode_identification: Option<IdentificationMode>,
    /// Identité divergente : ce que la liste de travail propose d'abord, cas (saisir
    /// l'identifiant CAS, par défaut) ou fiche (corriger nom, prénom ou date de naissance).
    #[arg(long, value_name = "cas|fiche", value_parser = parse_remedy)]
    pub correction_identite: Option<IdentityRemedy>,
}

impl PlanArgs {
    /// The plan settings.
    pub fn options(&self) -> PlanOptions {
        PlanOptions {
            mode: self.mode_identification.unwrap_or_default(),
            remedy: self.correction_identite.unwrap_or_default(),
        }
    }
}

fn parse_mode(text: &str) -> Result<IdentificationMode, String> {
    IdentificationMode::parse(text)
        .ok_or_else(|| format!("mode inconnu « {text} » : identite ou cas"))
}

fn parse_remedy(text: &str) -> Result<IdentityRemedy, String> {
    IdentityRemedy::parse(text)
        .ok_or_else(|| format!("correction inconnue « {text} » : cas ou fiche"))
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Vérifie les listes et affiche les anomalies.
    Check(CheckArgs),
    /// Écrit les listes corrigées et la liste de ce qu'il faut faire dans PRONOTE.
    Fix(FixArgs),
    /// Cherche la personne d'un écran « Identification impossible ».
    Identifier(IdentifierArgs),
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Texte lisible.
    Text,
    /// JSON pour d'autres outils.
    Json,
}

/// `check`.
#[derive(Debug, Args)]
#[command(help_template = SUBCOMMAND_HELP_TEMPLATE)]
pub struct CheckArgs {
    /// Format de sortie : text (lisible, par défaut) ou json (pour d'autres outils).
    #[arg(
        long,
        value_enum,
        default_value_t = OutputFormat::Text,
        value_name = "FORMAT",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub format: OutputFormat,
    /// Affiche aussi les informations (identifiants CAS vides, sans compte ENT…).
    #[arg(long)]
    pub details: bool,
    /// Avec un dossier de département : dossier où écrire le rapport et la liste de travail de
    /// chaque établissement, et la synthèse (synthese.csv, synthese.json, rapport.html).
    #[arg(long, value_name = "DOSSIER")]
    pub out_dir: Option<PathBuf>,
    /// Remplace les fichiers déjà présents dans le dossier de sortie.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub plan: PlanArgs,
    #[command(flatten)]
    pub inputs: Inputs,
}

/// `fix`.
#[derive(Debug, Args)]
#[command(help_template = SUBCOMMAND_HELP_TEMPLATE)]
pub struct FixArgs {
    /// Supprime les identifiants CAS périmés (inconnus de l'ENT).
    #[arg(long)]
    pub clear_stale: bool,
    /// Supprime les identifiants CAS qui sont ceux d'une autre personne.
    #[arg(long)]
    pub clear_suspect: bool,
    /// Supprime un identifiant CAS en double des lignes qui n'en sont pas titulaires.
    #[arg(long)]
    pub clear_duplicates: bool,
    /// Renseigne l'identifiant CAS trouvé dans l'ENT quand le lien est sûr.
    #[arg(long)]
    pub link: bool,
    /// Coche « Accès à l'Espace Parents » des responsables qui ne l'ont pas.
    #[arg(long)]
    pub grant_parent_access: bool,
    /// Toutes les corrections ci-dessus.
    #[arg(long)]
    pub all: bool,
    /// Dossier où écrire les fichiers corrigés (mêmes noms, même format).
    #[arg(long, value_name = "DOSSIER", required = true)]
    pub out_dir: PathBuf,
    /// Remplace les fichiers déjà présents dans le dossier de sortie.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub plan: PlanArgs,
    #[command(flatten)]
    pub inputs: Inputs,
}

/// `identifier`.
#[derive(Debug, Args)]
#[command(help_template = SUBCOMMAND_HELP_TEMPLATE)]
pub struct IdentifierArgs {
    /// Nom affiché sur l'écran « Identification impossible ».
    #[arg(long, required = true)]
    pub nom: String,
    /// Prénom affiché.
    #[arg(long, required = true)]
    pub prenom: String,
    /// Date de naissance affichée (JJ/MM/AAAA).
    #[arg(long, value_name = "JJ/MM/AAAA")]
    pub naissance: Option<String>,
    /// Code postal affiché.
    #[arg(long)]
    pub cp: Option<String>,
    #[command(flatten)]
    pub inputs: Inputs,
}

/// A failure that ends a command with exit code 2, in French.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// How a command fails; every case ends with exit code 2 and a French message.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments, an unreadable input, an output that cannot be written.
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// Standard output refused the report (full disk…): what was printed is incomplete.
    #[error(
        "écriture impossible sur la sortie standard ({}) : le rapport affiché est incomplet",
        crate::io::io_reason(.0)
    )]
    Stdout(std::io::Error),
}

/// Writes `text` to standard output and flushes it. A closed pipe (`| head`) is no failure:
/// the reader has what it wanted, and the command ends quietly.
fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(CliError::Stdout(err)),
    }
}

/// Text from the files made safe for a terminal: control characters (escape sequences that
/// would move the cursor, recolour or retitle the terminal) and bidirectional overrides are
/// shown as `\u{…}` instead of being sent as they are. Line breaks stay.
pub fn printable(text: &str) -> String {
    if has_hidden(text) {
        show_hidden(text)
    } else {
        text.to_owned()
    }
}

/// [`printable`], keeping `text` as it is when it has nothing to show otherwise (a
/// département's `fix` prints 7 MB of steps).
fn printable_owned(text: String) -> String {
    if has_hidden(&text) {
        show_hidden(&text)
    } else {
        text
    }
}

/// `text` with each [`hidden`] character shown as its code.
fn show_hidden(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes text to `out` made [`printable`] on the way: the same bytes as `printable` of the
/// whole text, without building it.
struct PrintableWriter<'a, W: Write> {
    out: &'a mut W,
    /// The first failure of `out` (`fmt::Error` carries nothing).
    error: Option<std::io::Error>,
}

impl<W: Write> std::fmt::Write for PrintableWriter<'_, W> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        let written = if has_hidden(text) {
            self.out.write_all(show_hidden(text).as_bytes())
        } else {
            self.out.write_all(text.as_bytes())
        };
        written.map_err(|err| {
            self.error.get_or_insert(err);
            std::fmt::Error
        })
    }
}

/// Whether `text` holds a [`hidden`] character, found from its bytes rather than by decoding
/// each character (`fix` prints 7 MB of steps, `check` 30 MB of findings): a control is a byte
/// below `0x20` (but a new line or a tab), `0x7F`, or `C2 80` to `C2 9F`; the direction
/// controls are `E2 80 AA` to `E2 80 AE` and `E2 81 A6` to `E2 81 A9`.
fn has_hidden(text: &str) -> bool {
    let bytes = text.as_bytes();
    // One pass over every byte without leaving early: the compiler does it many at a time.
    let ascii = bytes.iter().fold(false, |any, &b| {
        any | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7f)
    });
    ascii
        || memchr::memchr2_iter(0xC2, 0xE2, bytes).any(|i| match bytes[i] {
            0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
            _ => matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
            ),
        })
}

/// Whether [`printable`] shows a character as its code rather than as itself.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Parses the arguments; prints clap's errors in French.
pub fn parse_args() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(err) => match err.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                let _ = err.print();
                Err(ExitCode::SUCCESS)
            }
            _ => {
                eprintln!("Erreur : {}", french_clap_error(&err));
                eprintln!("Voir « pronote-companion --help ».");
                Err(ExitCode::from(2))
            }
        },
    }
}

fn french_clap_error(err: &clap::Error) -> String {
    let context = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join(", "),
        _ => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    match err.kind() {
        ErrorKind::UnknownArgument => format!("argument inconnu « {arg} »"),
        ErrorKind::InvalidSubcommand => {
            format!("commande inconnue « {arg} » (commandes : check, fix, identifier)")
        }
        ErrorKind::MissingRequiredArgument => format!("argument obligatoire manquant : {arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "valeur invalide « {} » pour {arg}",
            context(ContextKind::InvalidValue)
        ),
        ErrorKind::ArgumentConflict => format!("arguments incompatibles : {arg}"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour {arg}")
        }
        _ => "ligne de commande invalide".to_owned(),
    }
}

/// Refuses a file given twice (as two lists, or as a list and the ENT export): each of its
/// rows would be the duplicate of itself.
fn check_distinct_inputs(inputs: &Inputs) -> Result<(), UsageError> {
    let all: Vec<&PathBuf> = inputs.files.iter().chain(inputs.ent.iter()).collect();
    let keys: Vec<PathBuf> = all
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| (*p).clone()))
        .collect();
    for (i, key) in keys.iter().enumerate() {
        if keys[..i].contains(key) {
            return Err(UsageError(format!(
                "le même fichier est donné deux fois (chacune de ses lignes serait le doublon \
                 d'elle-même) : {}",
                all[i].display()
            )));
        }
    }
    Ok(())
}

/// Opens the PRONOTE lists and the ENT export (see [`open_all`]); the first error stops
/// everything.
pub fn load_inputs(inputs: &Inputs) -> Result<(Vec<Table>, Option<EntDirectory>), UsageError> {
    inputs.check_list_choices()?;
    check_distinct_inputs(inputs)?;
    let lists: Vec<(PathBuf, Option<ListKind>)> = inputs
        .files
        .iter()
        .map(|path| (path.clone(), inputs.declared_list(path)))
        .collect();
    let store = MappingStore::open();
    let ent = inputs
        .ent
        .as_deref()
        .map(|path| (path, inputs.ent_columns.as_deref()));
    open_all(&lists, ent, store.as_ref()).map_err(|e| UsageError(e.to_string()))
}

/// Runs a command and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Check(args) => run_check(&args),
        Command::Fix(args) => run_fix(&args),
        Command::Identifier(args) => run_identifier(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // stderr may be closed too: nothing more can be said then.
            let _ = writeln!(
                std::io::stderr(),
                "Erreur : {}",
                printable(&err.to_string())
            );
            ExitCode::from(2)
        }
    }
}

fn require_files(inputs: &Inputs) -> Result<(), CliError> {
    if inputs.files.is_empty() {
        return Err(UsageError(
            "aucun fichier PRONOTE donné (exemple : pronote-companion check eleves.csv)".to_owned(),
        )
        .into());
    }
    Ok(())
}

/// Whether the check found an error, or could not be done for want of a key column.
fn has_errors(tables: &[Table], analysis: &Analysis) -> bool {
    tables.iter().any(|t| !t.missing_key_columns().is_empty())
        || analysis
            .rows
            .iter()
            .flatten()
            .flatten()
            .chain(analysis.ent.iter().map(|f| &f.finding))
            .any(|f| f.severity() == Severity::Error)
}

fn run_check(args: &CheckArgs) -> Result<ExitCode, CliError> {
    require_files(&args.inputs)?;
    if let Some(root) = departement_folder(&args.inputs)? {
        let Some(out_dir) = &args.out_dir else {
            return Err(UsageError(format!(
                "un dossier de département demande --out-dir DOSSIER (où écrire le rapport de \
                 chaque établissement et la synthèse) : {}",
                root.display()
            ))
            .into());
        };
        return batch::run_batch(
            &root,
            &args.inputs,
            out_dir,
            args.force,
            batch::BatchCommand::Check(args),
        );
    }
    if let Some(out_dir) = &args.out_dir {
        return Err(UsageError(format!(
            "check n'écrit dans --out-dir qu'avec un dossier de département (un sous-dossier par \
             établissement) ; pour un établissement, son rapport s'affiche : {}",
            out_dir.display()
        ))
        .into());
    }
    let inputs = school_folder_inputs(&args.inputs)?;
    let progress = Progress::spinner(reading_phase(&inputs));
    let phase = Phase::start("lecture");
    let (tables, ent) = load_inputs(&inputs)?;
    phase.end();
    progress.phase("Analyse…");
    let analysis = analyze_for_reports(&tables, ent.as_ref());
    let _phase = Phase::start("rapport");
    // The spinner goes before the report: both may be on the same terminal.
    progress.finish();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = write_check_report(args, &tables, ent.as_ref(), &analysis, None, &mut out)
        .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        // A closed pipe (`| head`) is no failure: the reader has what it wanted.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(err) => return Err(CliError::Stdout(err)),
    }
    let code = if has_errors(&tables, &analysis) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    end_of_run((tables, ent, analysis));
    Ok(code)
}

/// What `check` prints for these lists, in the format asked: the same bytes on standard output
/// and in a school's report of a batch. A département's JSON report is tens of megabytes: it is
/// streamed to `out`, never held whole in memory. The text ends with the steps `fix --all`
/// would leave: `plan` when the caller has it already, else planned here.
fn write_check_report(
    args: &CheckArgs,
    tables: &[Table],
    ent: Option<&EntDirectory>,
    analysis: &Analysis,
    plan: Option<&WorkPlan>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    match args.format {
        OutputFormat::Json => json::write_report(out, tables, ent, analysis),
        OutputFormat::Text => {
            let planned;
            let plan = match plan {
                Some(plan) => plan,
                None => {
                    planned = plan_all_fixes(tables, analysis, analysis, args.plan.options());
                    &planned
                }
            };
            // Written as it is made, never held whole: a département's text is megabytes.
            let mut text = PrintableWriter { out, error: None };
            let written = write_text_report(&mut text, tables, ent, analysis, args.details)
                .and_then(|()| std::fmt::Write::write_str(&mut text, &plan_summary_text(plan)));
            match (written, text.error) {
                (_, Some(err)) => Err(err),
                (Err(_), None) => Err(std::io::Error::other("écriture du rapport")),
                (Ok(()), None) => Ok(()),
            }
        }
    }
}

/// The phase shown while the files are read.
fn reading_phase(inputs: &Inputs) -> String {
    let count = inputs.files.len() + usize::from(inputs.ent.is_some());
    format!("Lecture de {count} fichier(s)…")
}

/// The human-readable report of `check`. A CAS shared by several rows is one block listing
/// each row once, and so is an ENT login shared by several accounts: the report grows with the
/// number of rows, never with its square. Text from the files is made [`printable`].
pub fn text_report(
    tables: &[Table],
    ent: Option<&EntDirectory>,
    analysis: &Analysis,
    details: bool,
) -> String {
    let mut text = String::new();
    // A `String` takes every write.
    let _ = write_text_report(&mut text, tables, ent, analysis, details);
    printable(&text)
}

/// Writes [`text_report`] to `text` as it goes, before it is made printable.
fn write_text_report(
    text: &mut impl std::fmt::Write,
    tables: &[Table],
    ent: Option<&EntDirectory>,
    analysis: &Analysis,
    details: bool,
) -> std::fmt::Result {
    let mut counts = [0usize; 3];
    for (t, table) in tables.iter().enumerate() {
        writeln!(
            text,
            "{} — {}, {} ligne(s), {}",
            table.path.display(),
            table.list.label(),
            table.rows.len(),
            table.format.describe()
        )?;
        writeln!(text, "  Liste {}", table.list_why())?;
        for missing in table.missing_key_columns() {
            counts[Severity::Error as usize] += 1;
            writeln!(
                text,
                "  [{}] {}",
                Severity::Error.label(),
                missing.message()
            )?;
        }
        let mut hidden = 0;
        for r in 0..table.rows.len() {
            for f in analysis.row(t, r) {
                counts[f.severity() as usize] += 1;
                if f.kind == FindingKind::CasDuplicate {
                    // Listed once per shared CAS below.
                    continue;
                }
                if f.severity() == Severity::Info && !details {
                    hidden += 1;
                    continue;
                }
                writeln!(
                    text,
                    "  ligne {:>4}  {} {}  [{}] {} : {}",
                    table.rows[r].line,
                    table.nom(r),
                    table.prenom(r),
                    f.severity().label(),
                    f.kind.status(),
                    f.message
                )?;
                if let Some(s) = &f.suggested {
                    writeln!(text, "              proposé : {s}")?;
                }
                for e in &f.evidence {
                    writeln!(text, "              · {e}")?;
                }
            }
        }
        if hidden > 0 {
            writeln!(
                text,
                "  ({hidden} information(s) non affichée(s) : --details pour les voir)"
            )?;
        }
    }
    duplicates_report(text, tables, analysis)?;
    if let Some(ent) = ent {
        writeln!(
            text,
            "{} — export ENT ({}), {} compte(s)",
            ent.path.display(),
            ent.layout.label(),
            ent.accounts.len()
        )?;
        for p in &ent.problems {
            counts[Severity::Warning as usize] += 1;
            if p.kind != "ent_duplicate_login" {
                writeln!(text, "  ligne {:>4}  [à corriger] {}", p.line, p.message)?;
            }
        }
        for (login, lines) in &shared_logins(ent) {
            let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
            writeln!(
                text,
                "  [à corriger] L'identifiant ENT « {login} » figure sur {} comptes : aucun lien \
                 automatique ne sera fait avec lui ; corrigez l'export ou la console de l'ENT. \
                 Lignes : {}",
                lines.len(),
                lines.join(", ")
            )?;
        }
        for f in &analysis.ent {
            counts[f.finding.severity() as usize] += 1;
            writeln!(
                text,
                "  ligne {:>4}  [{}] {} : {}",
                ent.accounts[f.account].line,
                f.finding.severity().label(),
                f.finding.kind.status(),
                f.finding.message
            )?;
        }
    }
    writeln!(
        text,
        "Résumé : {} erreur(s), {} à corriger, {} information(s).",
        counts[2], counts[1], counts[0]
    )
}

/// One block per CAS found on several rows, each row listed once with what to do with it.
fn duplicates_report(
    text: &mut impl std::fmt::Write,
    tables: &[Table],
    analysis: &Analysis,
) -> std::fmt::Result {
    use crate::model::findings::Action;
    let groups: Vec<(String, Vec<(usize, usize)>)> = duplicate_groups(tables)
        .into_iter()
        .filter(|(_, rows)| {
            rows.iter().any(|&(t, r)| {
                analysis
                    .row(t, r)
                    .iter()
                    .any(|f| f.kind == FindingKind::CasDuplicate)
            })
        })
        .collect();
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(text, "Identifiants CAS en double ({}) :", groups.len())?;
    for (_, rows) in &groups {
        let (t0, r0) = rows[0];
        let value = tables[t0].cas_id(r0);
        let findings: Vec<Option<&Finding>> = rows
            .iter()
            .map(|&(t, r)| {
                analysis
                    .row(t, r)
                    .iter()
                    .find(|f| f.kind == FindingKind::CasDuplicate)
            })
            .collect();
        let decided = findings
            .iter()
            .any(|f| f.is_none_or(|f| f.action.is_some()));
        writeln!(
            text,
            "  [{}] {} : l'identifiant CAS « {value} » est sur {} lignes{}",
            Severity::Error.label(),
            FindingKind::CasDuplicate.status(),
            rows.len(),
            if decided {
                " ; gardez-le sur la ligne de son titulaire, supprimez-le des autres \
                 (clic droit > Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS \
                 (ENT))."
            } else {
                " ; aucune ne se détache : vérifiez dans l'ENT qui en est le titulaire et \
                 supprimez-le des autres fiches."
            }
        )?;
        for (&(t, r), finding) in rows.iter().zip(&findings) {
            let table = &tables[t];
            let todo = match finding {
                None => "titulaire dans l'ENT : à garder".to_owned(),
                Some(f) => match (f.action, &f.suggested) {
                    (Some(Action::ClearCas), _) => "à supprimer de cette ligne".to_owned(),
                    (Some(Action::SetCas), Some(login)) => {
                        format!("à remplacer par « {login} », son identifiant ENT")
                    }
                    _ if decided => "ressemble à son nom : à garder".to_owned(),
                    _ => "à vérifier".to_owned(),
                },
            };
            writeln!(
                text,
                "      {}, ligne {:>4}  {} {} — {todo}",
                table.file_name(),
                table.rows[r].line,
                table.nom(r),
                table.prenom(r)
            )?;
        }
    }
    Ok(())
}

fn run_fix(args: &FixArgs) -> Result<ExitCode, CliError> {
    require_files(&args.inputs)?;
    if let Some(root) = departement_folder(&args.inputs)? {
        return batch::run_batch(
            &root,
            &args.inputs,
            &args.out_dir,
            args.force,
            batch::BatchCommand::Fix(args),
        );
    }
    let inputs = school_folder_inputs(&args.inputs)?;
    let progress = Progress::spinner(reading_phase(&inputs));
    let (tables, ent) = load_inputs(&inputs)?;
    let options = fix_options(args);
    if ent.is_none() && (options.link || options.clear_stale) && !args.all {
        let _ = writeln!(
            std::io::stderr(),
            "Remarque : --link et --clear-stale demandent un export ENT (--ent FICHIER) ; \
             sans lui, ils ne changent rien."
        );
    }
    progress.phase("Analyse, corrections et écriture…");
    // Each file is written beside its target as soon as it is built; all of them are put in
    // place at the end, or none (another run writing into the same folder meanwhile is caught
    // here without --force).
    let FixRun {
        outputs,
        review,
        staged,
        report,
        created_folders,
        ..
    } = fix_outputs(args, &inputs, tables, ent, &args.out_dir, true)?;
    progress.phase("Mise en place des fichiers…");
    let phase = Phase::start("mise en place");
    if let Err(err) = crate::io::save::place_all(staged, args.force) {
        remove_created(&created_folders);
        return Err(UsageError(err.to_string()).into());
    }
    phase.end();
    progress.finish();
    write_stdout(&report)?;
    end_of_run((review, outputs));
    Ok(ExitCode::SUCCESS)
}

/// The fixes `fix`'s flags ask for.
fn fix_options(args: &FixArgs) -> FixOptions {
    if args.all {
        FixOptions::all()
    } else {
        FixOptions {
            clear_stale: args.clear_stale,
            clear_suspect: args.clear_suspect,
            clear_duplicates: args.clear_duplicates,
            link: args.link,
            grant_parent_access: args.grant_parent_access,
        }
    }
}

/// What `fix` writes into `out_dir` for these lists (every target checked first) and what it
/// prints: the same for a single run and for one school of a batch. With `stage`, the output
/// folder is created and each file written beside its target as soon as it is built (see
/// [`FixRun::staged`]); otherwise nothing is written.
fn fix_outputs(
    args: &FixArgs,
    inputs: &Inputs,
    tables: Vec<Table>,
    ent: Option<EntDirectory>,
    out_dir: &Path,
    stage: bool,
) -> Result<FixRun, UsageError> {
    let usage = |e: &dyn std::fmt::Display| UsageError(e.to_string());
    // One analysis for the whole run, whatever the flags.
    let mut review = Review::new(tables, ent);
    // The counts are for a batch's summary: a single run (`stage`) prints none.
    let counts = if stage {
        Vec::new()
    } else {
        count(&review.tables, review.ent.as_ref(), &review.baseline)
    };
    review.apply_fixes(fix_options(args));
    // The ENT export is not read again (the plan and the outputs come from the lists and the
    // analysis): its memory goes back to the allocator before the plan's is asked for
    // (`fix` on the wide département: 324 -> 299 MB).
    drop(review.ent.take());
    // Every target checked before anything is built or written.
    let targets =
        output_targets(&review.tables, out_dir, Naming::SameName).map_err(|e| usage(&e))?;
    let input_files: Vec<PathBuf> = inputs
        .files
        .iter()
        .cloned()
        .chain(inputs.ent.clone())
        .collect();
    for target in &targets {
        check_target(target, &input_files, args.force).map_err(|e| usage(&e))?;
    }
    if !stage {
        let outputs = review
            .outputs(out_dir, Naming::SameName, args.plan.options())
            .map_err(|e| usage(&e))?;
        let report = fix_report(&outputs.plan, review.tables.len(), out_dir);
        return Ok(FixRun {
            outputs,
            counts,
            review,
            staged: Vec::new(),
            report,
            created_folders: Vec::new(),
        });
    }
    let target_paths: Vec<&Path> = targets.iter().map(PathBuf::as_path).collect();
    check_distinct(&target_paths).map_err(|e| usage(&e))?;
    let created_folders = missing_folders(out_dir);
    create_out_dir(out_dir)?;
    // A failure leaves nothing behind: the files staged are removed when dropped, and the
    // folders this run created (only when empty).
    let undo = |error: UsageError| {
        remove_created(&created_folders);
        error
    };
    let staged = std::sync::Mutex::new(Vec::with_capacity(targets.len()));
    let keep = |file| {
        staged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file);
    };
    let lists = review.tables.len();
    let built = build_outputs_with(
        &review.tables,
        &review.baseline,
        args.plan.options(),
        out_dir,
        Naming::SameName,
        // Every file (the lists, the work list) is written into its file as it is made, never
        // held whole.
        Some(&|target, produce| keep(stage_writing_file(target, produce))),
        |plan| fix_report(plan, lists, out_dir),
    );
    let mut staged = staged
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (outputs, report) = match built {
        Ok(built) => built,
        Err(e) => {
            drop(staged);
            return Err(undo(usage(&e)));
        }
    };
    // In the order of the outputs, whichever core wrote them first: the first failure in that
    // order is the one reported.
    let position = |target: &Path| targets.iter().position(|t| t == target);
    staged.sort_by_key(|file| match file {
        Ok(file) => position(file.target()),
        Err(crate::io::save::SaveError::Io { path, .. }) => position(path),
        Err(_) => None,
    });
    let staged = match staged.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(staged) => staged,
        Err(e) => return Err(undo(usage(&e))),
    };
    Ok(FixRun {
        outputs,
        counts,
        review,
        staged,
        report,
        created_folders,
    })
}

/// What `fix` prints once `outputs` (of `lists` lists) are saved into `out_dir`: the same for a
/// single run and in a school's report of a batch.
fn fix_report(plan: &WorkPlan, lists: usize, out_dir: &Path) -> String {
    let _phase = Phase::start("rapport");
    let mut report = format!(
        "{} modification(s) dans {} fichier(s) ; à reporter dans PRONOTE : {}\n",
        plan.changes.len(),
        lists,
        out_dir.join(WORK_LIST_NAME).display()
    );
    // The steps written after it, in the room reserved once (not built apart and copied).
    push_plan_steps_text(&mut report, plan);
    printable_owned(report)
}

/// What `fix` makes of one set of lists.
struct FixRun {
    /// The files to write.
    outputs: crate::review::outputs::Outputs,
    /// What the analysis found, counted per list (for a batch's summary; empty for a single
    /// run).
    counts: Vec<crate::review::batch::ListCounts>,
    /// The lists and their analysis (the ENT export already let go): a single run leaves them
    /// to the end of the process ([`end_of_run`]), a batch frees them school by school.
    review: Review,
    /// Every file written beside its target (the lists, then the work list's CSV and HTML page,
    /// which `outputs.files` then leaves out), to be put in place
    /// ([`crate::io::save::place_all`]); empty unless asked for.
    staged: Vec<crate::io::save::Staged>,
    /// What it prints ([`fix_report`]).
    report: String,
    /// The folders this run created for its outputs, deepest first: removed again (when empty)
    /// if the files cannot be put in place.
    created_folders: Vec<PathBuf>,
}

/// Leaves `data` (lists, ENT export, analysis: millions of small cells and texts) to the end of
/// the process, which is near: the system takes its memory back at once, where freeing each
/// piece would take a tenth of a second on a département. Only for a single run, never in a
/// loop (a batch) or in the window.
fn end_of_run<T>(data: T) {
    std::mem::forget(data);
}

/// The folders that creating `out_dir` would make: it and each missing parent, deepest first.
fn missing_folders(out_dir: &Path) -> Vec<PathBuf> {
    let mut missing = Vec::new();
    let mut folder = Some(out_dir);
    while let Some(dir) = folder {
        if dir.as_os_str().is_empty() || std::fs::symlink_metadata(dir).is_ok() {
            break;
        }
        missing.push(dir.to_owned());
        folder = dir.parent();
    }
    missing
}

/// Removes the folders a failed run created ([`missing_folders`], deepest first), each only
/// while it is empty: best effort, the run's own error is the one reported.
fn remove_created(folders: &[PathBuf]) {
    for folder in folders {
        if std::fs::remove_dir(folder).is_err() {
            break;
        }
    }
}

/// Creates the output folder if it does not exist.
fn create_out_dir(out_dir: &Path) -> Result<(), UsageError> {
    if out_dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(out_dir).map_err(|e| {
        UsageError(format!(
            "dossier de sortie impossible à créer ({}) : {}",
            crate::io::io_reason(&e),
            out_dir.display()
        ))
    })
}

/// The département folder given, when the one input is a folder of school folders.
fn departement_folder(inputs: &Inputs) -> Result<Option<PathBuf>, UsageError> {
    let folders: Vec<&PathBuf> = inputs.files.iter().filter(|p| p.is_dir()).collect();
    let [folder] = folders.as_slice() else {
        if folders.is_empty() {
            return Ok(None);
        }
        return Err(UsageError(format!(
            "un seul dossier à la fois (un établissement ou un département), sans autre fichier : \
             {}",
            folders[1].display()
        )));
    };
    if inputs.files.len() > 1 {
        return Err(UsageError(format!(
            "un dossier se donne seul, sans autre fichier (ses fichiers sont lus) : {}",
            folder.display()
        )));
    }
    match crate::review::batch::is_departement(folder) {
        Ok(true) => Ok(Some((*folder).clone())),
        Ok(false) => Ok(None),
        Err(err) => Err(UsageError(err.to_string())),
    }
}

/// The inputs with a school's folder replaced by its files: its lists, and its ENT export
/// (unless one is given with --ent, which a second export in the folder contradicts).
fn school_folder_inputs(inputs: &Inputs) -> Result<Inputs, UsageError> {
    let [folder] = inputs.files.as_slice() else {
        return Ok(inputs.clone());
    };
    if !folder.is_dir() {
        return Ok(inputs.clone());
    }
    let files =
        crate::review::batch::school_files(folder).map_err(|e| UsageError(e.to_string()))?;
    school_inputs(inputs, files, inputs.ent.is_some()).map_err(|e| UsageError(e.to_string()))
}

/// The inputs of one school: its lists and its own ENT export, the options given for the run.
/// `shared_ent`: an ENT export is given for every school (then the school has none of its own).
/// A `--liste` naming a file that is not this school's is left out.
fn school_inputs(
    inputs: &Inputs,
    files: crate::review::batch::SchoolFiles,
    shared_ent: bool,
) -> Result<Inputs, crate::review::batch::BatchError> {
    let folder = files
        .lists
        .first()
        .and_then(|p| p.parent())
        .map(Path::to_owned)
        .unwrap_or_default();
    if shared_ent && files.ent.is_some() {
        return Err(crate::review::batch::BatchError::EntTwice(folder));
    }
    let names_one = |file: &Path| {
        files.lists.iter().any(|path| {
            path == file
                || (file.components().count() == 1 && path.file_name() == Some(file.as_os_str()))
        })
    };
    Ok(Inputs {
        ent: if shared_ent {
            inputs.ent.clone()
        } else {
            files.ent
        },
        ent_columns: inputs.ent_columns.clone(),
        liste: inputs
            .liste
            .iter()
            .filter(|c| c.file.as_deref().is_none_or(names_one))
            .cloned()
            .collect(),
        files: files.lists,
    })
}

/// The step count of `check`: what `fix --all` would leave to do in PRONOTE.
fn plan_summary_text(plan: &WorkPlan) -> String {
    let counts = plan.counts();
    format!(
        "À faire dans PRONOTE après « fix --all » : {} ({} étape(s), dont {} indispensable(s)).\n{}\n",
        counts.summary(),
        counts.total(),
        counts.necessary(),
        plan.options.mode.statement()
    )
}

/// Appends the steps of `fix` to `text`, one line each (a bulk step with its row count).
fn push_plan_steps_text(text: &mut String, plan: &WorkPlan) {
    use std::fmt::Write as _;
    let counts = plan.counts();
    // About their size, reserved once (a département's are 7 MB): grown by doubling, the text
    // would be copied and its memory touched twice over.
    text.reserve(plan.steps.len() * 128);
    let _ = write!(
        text,
        "Étapes dans PRONOTE : {} ({} en tout, dont {} indispensable(s)).\n{}\n",
        counts.summary(),
        counts.total(),
        counts.necessary(),
        plan.options.mode.statement()
    );
    for step in &plan.steps {
        // Writing to a String cannot fail.
        if step.bulk {
            let _ = writeln!(
                text,
                "  {:>4}. [{}] {} — {} : {} ligne(s)",
                step.number,
                step.necessity.label(),
                step.list.label(),
                step.action.label(),
                step.rows.len()
            );
        } else if let Some(change) = step.rows.first().and_then(|r| plan.changes.get(r.change)) {
            // "  {:>4}. [{}] {} ligne {} : {} {} — {} ({} → {})", pushed piece by piece: a
            // département has 56,000 of these lines, and formatting each was most of the text.
            text.push_str("  ");
            push_number(text, step.number, 4);
            text.push_str(". [");
            text.push_str(step.necessity.label());
            text.push_str("] ");
            text.push_str(step.list.label());
            text.push_str(" ligne ");
            push_number(text, change.line, 0);
            text.push_str(" : ");
            text.push_str(&change.nom);
            text.push(' ');
            text.push_str(&change.prenom);
            text.push_str(" — ");
            text.push_str(step.action.label());
            text.push_str(" (");
            text.push_str(&change.before);
            text.push_str(" → ");
            text.push_str(&change.after);
            text.push_str(")\n");
        }
    }
}

/// Pushes `n` in decimal, right-aligned on `width` characters with spaces (as `{:>width$}`).
fn push_number(text: &mut String, n: usize, width: usize) {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n);
    for _ in digits.len()..width {
        text.push(' ');
    }
    text.push_str(digits);
}

fn run_identifier(args: &IdentifierArgs) -> Result<ExitCode, CliError> {
    if let Some(naissance) = &args.naissance
        && crate::model::date::Date::parse(naissance).is_none()
    {
        return Err(UsageError(format!(
            "date de naissance invalide « {} » pour --naissance : attendu JJ/MM/AAAA (par \
             exemple 23/02/2011)",
            printable(naissance)
        ))
        .into());
    }
    require_files(&args.inputs)?;
    let (tables, ent) = load_inputs(&args.inputs)?;
    let query = crate::ent::assistant::IdentityQuery {
        nom: args.nom.clone(),
        prenom: args.prenom.clone(),
        naissance: args.naissance.clone().unwrap_or_default(),
        code_postal: args.cp.clone().unwrap_or_default(),
    };
    let ranked = rank_rows(&tables, &query, 5);
    write_stdout(&printable(&crate::ent::assistant::describe_ranking(
        &tables,
        ent.as_ref(),
        &query,
        &ranked,
    )))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::{has_hidden, hidden, missing_folders, push_number, remove_created};

    #[test]
    fn a_number_is_pushed_as_format_pads_it() {
        for n in [0, 7, 42, 999, 1000, 9999, 12345, 56_018, usize::MAX] {
            for width in [0, 4] {
                let mut text = "x".to_owned();
                push_number(&mut text, n, width);
                assert_eq!(text, format!("x{n:>width$}"), "{n} on {width}");
            }
        }
    }

    #[test]
    fn a_failed_run_removes_the_folders_it_created_and_only_while_empty() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("gardé");
        std::fs::create_dir(&kept).unwrap();
        std::fs::write(kept.join("déjà.csv"), b"x").unwrap();
        let out = kept.join("a").join("b").join("c");
        let missing = missing_folders(&out);
        assert_eq!(
            missing,
            [out.clone(), kept.join("a").join("b"), kept.join("a")]
        );
        std::fs::create_dir_all(&out).unwrap();
        remove_created(&missing);
        assert!(!kept.join("a").exists());
        assert!(kept.join("déjà.csv").exists());

        // A folder that received a file meanwhile stays, with its parents.
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(kept.join("a").join("autre.csv"), b"y").unwrap();
        remove_created(&missing);
        assert!(!kept.join("a").join("b").exists());
        assert!(kept.join("a").join("autre.csv").exists());
        assert!(missing_folders(&kept).is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The bytes tell what the characters tell: controls, C1 controls, direction controls
        /// and their neighbours (`→`, `—`, `«`, U+2028…), mixed.
        #[test]
        fn hidden_characters_are_found_from_the_bytes(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', 'é', '\n', '\t', '\r', '\u{0}', '\u{1f}', ' ', '\u{7f}', '\u{80}',
                    '\u{9f}', '\u{a0}', '«', '\u{2028}', '\u{2029}', '\u{202a}', '\u{202e}',
                    '\u{202f}', '\u{2065}', '\u{2066}', '\u{2069}', '\u{206a}', '→', '—',
                    '\u{2000}', '\u{20ac}', 'Ā', '\u{c0}',
                ]),
                0..12,
            )
        ) {
            let text: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(has_hidden(&text), text.chars().any(hidden));
        }
    }
}
