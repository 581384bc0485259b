//! What panels ask the app to do ([`Command`]) and how the app does it: one method per
//! command, called once per frame by [`App::apply`] (as rerun's `command_handling.rs`).

use std::path::{Path, PathBuf};

use super::background::SaveJob;
use super::dialogs::{Dialog, PendingChange};
use super::{App, Tab};
use crate::model::columns::{ColumnRole, ListKind, ListReason, Tick};
use crate::model::edit::Edit;
use crate::model::findings::FindingKind;
use crate::review::fixes::{FixOptions, plan_fixes, plan_to_edit};
use crate::review::open::OpenRequest;
use crate::review::outputs::{Naming, build_outputs, check_targets};
use crate::review::plan::PlanOptions;

/// A bulk change of the selection (right click > Modifier la sélection).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// *CAS et ENT > Supprimer l'identifiant CAS (ENT)*.
    ClearCas,
    /// *CAS et ENT > Renseigner l'identifiant CAS proposé*.
    SetProposedCas,
    /// *Accès à l'Espace Parents > Autoriser*.
    GrantParentAccess,
}

impl BulkAction {
    /// The menu entry, also the history label.
    pub fn label(self) -> &'static str {
        match self {
            Self::ClearCas => "Supprimer l'identifiant CAS (ENT)",
            Self::SetProposedCas => "Renseigner l'identifiant CAS proposé",
            Self::GrantParentAccess => "Autoriser l'accès à l'Espace Parents",
        }
    }
}

/// What panels ask the app to do, applied at the end of the frame.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// File > Ouvrir (dialog).
    OpenDialog,
    /// File > Ouvrir l'export ENT (dialog).
    OpenEntDialog,
    /// Load files in the background.
    Load(Vec<OpenRequest>),
    /// Show a tab.
    SelectTab(Tab),
    /// Ask to confirm a bulk change of the current selection.
    Bulk(BulkAction),
    /// Ask to confirm every proposed fix of a status, in the current list.
    ApplyKind(FindingKind),
    /// Ask to confirm a change (the assistant's fixes).
    Propose(PendingChange),
    /// Apply the change being confirmed.
    ConfirmPending,
    /// Close the dialog.
    CloseDialog,
    /// Ctrl+Z.
    Undo,
    /// Ctrl+Y.
    Redo,
    /// Set one cell (hand edit).
    SetCell {
        /// Table.
        table: usize,
        /// Row.
        row: usize,
        /// Column.
        column: usize,
        /// Value.
        value: String,
    },
    /// Set a row's CAS to a candidate's login (fiche > Lier).
    Link {
        /// Table.
        table: usize,
        /// Row.
        row: usize,
        /// ENT login.
        login: String,
    },
    /// Extraire > Tout extraire (Ctrl+T).
    ExtractAll,
    /// Ctrl+A.
    SelectAll,
    /// Show the export dialog.
    ShowExport,
    /// Write the corrected lists and the work list into a folder.
    Export(PathBuf),
    /// Open the "Identification impossible" assistant.
    ShowAssistant,
    /// Take the grid to the rows of a status: their tab, that chip alone, all selected.
    ShowStatus {
        /// Table.
        table: usize,
        /// The status.
        kind: FindingKind,
    },
    /// Show the ENT accounts, filtered.
    ShowEntAccounts(super::ent_ui::EntFilter),
    /// The folder chosen in the built-in picker, back to the save dialog.
    ExportFolderChosen(PathBuf),
    /// « Parcourir… » in the save dialog, from the folder typed.
    BrowseExportFolder(PathBuf),
    /// Save, then quit (the guard of unsaved changes).
    SaveAndQuit,
    /// Write into a folder, replacing the files a previous save left there (confirmed).
    ExportReplacing(PathBuf),
    /// Take the grid to a row: its tab, selected, in view.
    ShowRow {
        /// Table.
        table: usize,
        /// Row.
        row: usize,
    },
    /// Ask to quit.
    Quit,
    /// Quit, dropping unsaved changes.
    QuitWithoutSaving,
    /// Reopen the files of the journal left by an earlier session and put its edits back.
    RestoreJournal,
    /// Drop the journal left by an earlier session.
    DiscardJournal,
    /// Open the printable work list in the browser.
    PrintWorkList,
    /// Show or hide the fiche panel (F3).
    ToggleFiche,
    /// Re-declare which list a file is (through the history: undoable).
    SetList {
        /// Table.
        table: usize,
        /// The list.
        list: ListKind,
    },
    /// Change how the work list is planned.
    SetPlanOptions(PlanOptions),
    /// Tick a step of the work list off as done, or back (by its key).
    ToggleStepDone(String),
    /// Ask to confirm every proposed fix of every list.
    ApplyAllFixes,
    /// Remember an ENT column mapping for its header layout.
    RememberMapping {
        /// The header.
        titles: Vec<String>,
        /// The mapping (`login=…,nom=…`).
        spec: String,
    },
}

impl App {
    /// Builds the change a bulk action makes on the selected rows of the current list.
    pub fn bulk_change(&self, action: BulkAction) -> Option<PendingChange> {
        let t = self.current_table()?;
        let table = &self.doc.tables[t];
        let rows = self.doc.views[t].selected_visible();
        let edits: Vec<Edit> = match action {
            BulkAction::ClearCas => rows
                .iter()
                .filter(|&&r| !table.cas_id(r).is_empty())
                .filter_map(|&r| Edit::clear_cas(&self.doc.tables, t, r))
                .collect(),
            BulkAction::SetProposedCas => {
                let selected: Vec<(usize, usize)> = rows.iter().map(|&r| (t, r)).collect();
                let options = FixOptions {
                    grant_parent_access: false,
                    ..FixOptions::all()
                };
                let plan = plan_fixes(
                    &self.doc.tables,
                    &self.doc.analysis,
                    options,
                    Some(&selected),
                );
                let plan: Vec<_> = plan.into_iter().filter(|f| !f.value.is_empty()).collect();
                match plan_to_edit(&plan) {
                    Edit::Batch(edits) => edits,
                    single => vec![single],
                }
            }
            BulkAction::GrantParentAccess => {
                let column = table.column(ColumnRole::ParentAccess)?;
                rows.iter()
                    .filter(|&&r| table.tick(r, column) != Some(Tick::On))
                    .map(|&r| Edit::set_tick(&self.doc.tables, t, r, column, Tick::On))
                    .collect()
            }
        };
        Some(PendingChange::new(&self.doc.tables, action.label(), edits))
    }

    /// Builds the change that applies every proposed fix of a status in the current list.
    pub fn kind_change(&self, kind: FindingKind) -> Option<PendingChange> {
        let t = self.current_table()?;
        let rows: Vec<(usize, usize)> =
            (0..self.doc.tables[t].rows.len()).map(|r| (t, r)).collect();
        let mut options = FixOptions::for_kind(kind);
        options.link = true;
        let plan = plan_fixes(&self.doc.tables, &self.doc.analysis, options, Some(&rows));
        let plan: Vec<_> = plan
            .into_iter()
            .filter(|f| f.kind == kind || kind == FindingKind::CasToLink)
            .collect();
        let label = format!("Appliquer les corrections proposées : {}", kind.status());
        let edits = match plan_to_edit(&plan) {
            Edit::Batch(edits) => edits,
            single => vec![single],
        };
        Some(PendingChange::new(&self.doc.tables, label, edits))
    }

    /// The files an export writes into `folder`: each list as `<nom>-corrige.<ext>`, and the
    /// work list as CSV and HTML (built by the same function as `fix`'s).
    pub fn export_outputs(&self, folder: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        let outputs = build_outputs(
            &self.doc.tables,
            &self.doc.baseline,
            self.state.plan_options,
            folder,
            Naming::Corrected,
        )
        .map_err(|e| e.to_string())?;
        check_targets(&outputs, &self.doc.input_paths(), true).map_err(|e| e.to_string())?;
        Ok(outputs.files)
    }

    /// Carries out one command, then journals the unsaved edits it may have made.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        self.carry_out(ctx, command);
        self.sync_journal();
    }

    /// Routes a command to its method.
    fn carry_out(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenDialog => self.open_files(super::file_picker::PickPurpose::Lists, ctx),
            Command::OpenEntDialog => self.open_files(super::file_picker::PickPurpose::Ent, ctx),
            Command::Load(requests) => self.start_loading(requests, ctx),
            Command::SelectTab(tab) => self.select_tab(tab),
            Command::Bulk(action) => self.ask_bulk(action),
            Command::ApplyKind(kind) => self.ask_apply_kind(kind),
            Command::Propose(change) => self.propose(change),
            Command::ConfirmPending => self.confirm_pending(),
            Command::CloseDialog => self.close_dialog(),
            Command::ShowRow { table, row } => self.show_row(table, row),
            Command::ShowStatus { table, kind } => self.show_status(table, kind),
            Command::ShowEntAccounts(filter) => self.show_ent_accounts(filter),
            Command::ExportFolderChosen(folder) => self.export_folder_chosen(&folder),
            Command::BrowseExportFolder(folder) => self.browse_export_folder(folder),
            Command::SaveAndQuit => self.save_and_quit(),
            Command::ExportReplacing(folder) => self.start_export(&folder, ctx),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::SetCell {
                table,
                row,
                column,
                value,
            } => self.set_cell(table, row, column, value),
            Command::Link { table, row, login } => self.link(table, row, &login),
            Command::ExtractAll => self.extract_all(),
            Command::SelectAll => self.select_all(),
            Command::ShowExport => self.show_export(),
            Command::Export(folder) => self.export_unless_replacing(folder, ctx),
            Command::ShowAssistant => self.dialog = Some(Dialog::Assistant),
            Command::Quit => self.quit(ctx),
            Command::QuitWithoutSaving => self.quit_without_saving(ctx),
            Command::RememberMapping { titles, spec } => self.remember_mapping(&titles, &spec),
            Command::ToggleFiche => self.toggle_fiche(ctx),
            Command::SetList { table, list } => self.set_list(table, list),
            Command::RestoreJournal => self.restore_journal(ctx),
            Command::DiscardJournal => self.discard_journal(),
            Command::PrintWorkList => self.print_work_list(ctx),
            Command::SetPlanOptions(options) => self.state.plan_options = options,
            Command::ToggleStepDone(key) => self.toggle_step_done(key),
            Command::ApplyAllFixes => self.apply_all_fixes(),
        }
    }

    fn select_tab(&mut self, tab: Tab) {
        self.tab = tab;
        self.editing = None;
    }

    /// Asks to confirm a bulk change of the selection, or says there is nothing to change.
    fn ask_bulk(&mut self, action: BulkAction) {
        match self.bulk_change(action) {
            Some(change) if change.cell_count() > 0 => {
                self.dialog = Some(Dialog::Confirm(change));
            }
            _ => self.notify(
                format!("{} : rien à modifier dans la sélection.", action.label()),
                false,
            ),
        }
    }

    /// Asks to confirm every proposed fix of a status in the current list.
    fn ask_apply_kind(&mut self, kind: FindingKind) {
        match self.kind_change(kind) {
            Some(change) if change.cell_count() > 0 => {
                self.dialog = Some(Dialog::Confirm(change));
            }
            _ => self.notify(
                format!("Aucune correction automatique pour « {} ».", kind.status()),
                false,
            ),
        }
    }

    fn propose(&mut self, change: PendingChange) {
        if change.cell_count() > 0 {
            self.dialog = Some(Dialog::Confirm(change));
        }
    }

    /// Applies the change being confirmed (back to the assistant when it came from there).
    fn confirm_pending(&mut self) {
        let Some(Dialog::Confirm(change)) = self.dialog.take() else {
            return;
        };
        let count = change.cell_count();
        let label = change.label.clone();
        if change.from_assistant {
            self.dialog = Some(Dialog::Assistant);
            self.assistant.refresh();
        }
        self.doc.apply(change.label, change.edit);
        self.notify(format!("{label} : {count} modification(s)."), false);
    }

    fn close_dialog(&mut self) {
        if matches!(
            self.dialog,
            Some(Dialog::Export { .. } | Dialog::ConfirmReplace { .. })
        ) {
            self.quit_after_save = false;
        }
        self.dialog = match self.dialog.take() {
            Some(Dialog::Confirm(change)) if change.from_assistant => Some(Dialog::Assistant),
            _ => None,
        };
    }

    fn undo(&mut self) {
        match self.doc.undo() {
            Ok(Some(label)) => self.notify(format!("Annulé : {label}"), false),
            Ok(None) => self.notify("Rien à annuler.", false),
            Err(refused) => self.notify(refused.to_string(), true),
        }
    }

    fn redo(&mut self) {
        match self.doc.redo() {
            Ok(Some(label)) => self.notify(format!("Rétabli : {label}"), false),
            Ok(None) => self.notify("Rien à rétablir.", false),
            Err(refused) => self.notify(refused.to_string(), true),
        }
    }

    /// A hand edit of one cell.
    fn set_cell(&mut self, table: usize, row: usize, column: usize, value: String) {
        let Some(t) = self.doc.tables.get(table) else {
            return;
        };
        let (Some(column_def), true) = (t.columns.get(column), row < t.rows.len()) else {
            return;
        };
        let title = column_def.title.clone();
        let who = format!("{} {}", t.nom(row), t.prenom(row));
        let edit = Edit::SetCell {
            table,
            row,
            column,
            value,
        };
        self.doc
            .apply(format!("Modifier « {title} » à la main"), edit);
        self.notify(
            format!("{who} : « {title} » modifié (Ctrl+Z pour annuler)."),
            false,
        );
    }

    /// Fiche > Lier: sets a row's CAS to a candidate's login.
    fn link(&mut self, table: usize, row: usize, login: &str) {
        let Some(t) = self.doc.tables.get(table) else {
            return;
        };
        if row >= t.rows.len() {
            return;
        }
        let who = format!("{} {}", t.nom(row), t.prenom(row));
        if let Some(edit) = Edit::set_cas(&self.doc.tables, table, row, login) {
            self.doc.apply(format!("Lier {who} à « {login} »"), edit);
            self.notify(format!("{who} lié(e) à « {login} »."), false);
        }
    }

    fn extract_all(&mut self) {
        if let Some(t) = self.current_table() {
            self.doc.views[t].extract_all();
        }
        self.ent_view.search.clear();
    }

    fn select_all(&mut self) {
        if let Some(t) = self.current_table() {
            let view = &mut self.doc.views[t];
            let _ = view.visible(&self.doc.tables[t], t, &self.doc.analysis);
            view.select_all();
        }
    }

    fn show_export(&mut self) {
        let folder = self.default_export_folder();
        self.dialog = Some(Dialog::Export {
            folder: folder.display().to_string(),
        });
    }

    /// Fichier > Quitter: asks first when changes are unsaved.
    fn quit(&mut self, ctx: &egui::Context) {
        if self.doc.unsaved > 0 {
            self.dialog = Some(Dialog::UnsavedGuard);
        } else {
            self.allow_close = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn quit_without_saving(&mut self, ctx: &egui::Context) {
        self.clear_journal();
        self.allow_close = true;
        self.dialog = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn remember_mapping(&mut self, titles: &[String], spec: &str) {
        if let Some(store) = &self.mapping_store
            && let Err(err) = store.remember(titles, spec)
        {
            self.notify(
                format!("Correspondance de colonnes non mémorisée : {err}"),
                true,
            );
        }
    }

    fn discard_journal(&mut self) {
        self.clear_journal();
        self.dialog = None;
    }

    /// Takes the grid to a row: its tab, the row alone selected and in the fiche, scrolled into
    /// view (the search and the status filter are cleared if they hide it).
    fn show_row(&mut self, table: usize, row: usize) {
        if table >= self.doc.tables.len() || row >= self.doc.tables[table].rows.len() {
            return;
        }
        self.tab = Tab::List(self.doc.tables[table].stamp.id);
        self.editing = None;
        let view = &mut self.doc.views[table];
        let visible = view.visible(&self.doc.tables[table], table, &self.doc.analysis);
        if !visible.contains(&row) {
            view.extract_all();
        }
        view.click(row, false, false);
        view.scroll_to = Some(row);
    }

    /// Takes a file as another list, through the history (Ctrl+Z goes back), and analyses again.
    fn set_list(&mut self, table: usize, list: ListKind) {
        let Some(t) = self.doc.tables.get(table) else {
            return;
        };
        if t.list == list {
            return;
        }
        let name = t.file_name();
        let edit = Edit::SetList {
            table,
            list,
            reason: ListReason::Window,
        };
        self.doc.apply(
            format!("Déclarer {name} comme liste {}", list.label()),
            edit,
        );
        self.notify(
            format!(
                "{name} est maintenant traité comme la liste {}.",
                list.label()
            ),
            false,
        );
    }

    fn default_export_folder(&self) -> PathBuf {
        if let Some(folder) = &self.state.export_folder {
            return folder.clone();
        }
        if !self.doc.is_example
            && let Some(parent) = self.doc.tables.first().and_then(|t| t.path.parent())
            && !parent.as_os_str().is_empty()
        {
            return parent.to_owned();
        }
        // Never « . »: a folder the user can find again.
        let dirs = directories::UserDirs::new();
        dirs.as_ref()
            .and_then(|d| d.document_dir().map(Path::to_owned))
            .or_else(|| dirs.as_ref().map(|d| d.home_dir().to_owned()))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The folder chosen in the built-in picker goes back into the save dialog.
    fn export_folder_chosen(&mut self, folder: &Path) {
        self.dialog = Some(Dialog::Export {
            folder: folder.display().to_string(),
        });
    }

    /// « Enregistrer et quitter » : the save dialog, and the window closes once saved.
    fn save_and_quit(&mut self) {
        self.quit_after_save = true;
        self.show_export();
    }

    /// Writes into `folder`, unless files of a previous save are there: then asks first.
    fn export_unless_replacing(&mut self, folder: PathBuf, ctx: &egui::Context) {
        let existing: Vec<String> = match self.export_outputs(&folder) {
            Ok(outputs) => outputs
                .iter()
                .filter(|(path, _)| path.exists())
                .filter_map(|(path, _)| path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect(),
            Err(_) => Vec::new(),
        };
        if existing.is_empty() {
            self.start_export(&folder, ctx);
        } else {
            self.dialog = Some(Dialog::ConfirmReplace { folder, existing });
        }
    }

    fn start_export(&mut self, folder: &Path, ctx: &egui::Context) {
        if self.save_job.is_some() {
            self.notify(
                "Un enregistrement est déjà en cours : attendez qu'il se termine.",
                true,
            );
            return;
        }
        if !folder.is_dir() {
            self.notify(format!("Dossier introuvable : {}", folder.display()), true);
            return;
        }
        match self.export_outputs(folder) {
            Ok(outputs) => match SaveJob::spawn(outputs, ctx.clone()) {
                Ok(job) => {
                    self.save_job = Some(job);
                    self.state.export_folder = Some(folder.to_owned());
                    self.dialog = None;
                    self.notify("Enregistrement en cours…", false);
                }
                Err(err) => self.notify(err, true),
            },
            Err(err) => {
                self.notify(err.clone(), true);
                self.dialog = Some(Dialog::SaveFailed(err));
            }
        }
    }
}
