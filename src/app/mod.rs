//! The window. egui only; all data work goes through `model`, `io` and `ent`.
//!
//! Panels read the [`Document`] and return [`Command`]s; [`App::apply`] (in `commands.rs`, one
//! method per command) carries them out once per frame, so every change of the lists goes
//! through the history.

mod assistant_ui;
mod background;
mod commands;
mod dashboard_ui;
mod dialogs;
pub mod document;
mod ent_ui;
mod fiche_ui;
mod file_picker;
mod grid_keys;
mod grid_ui;
mod help_ui;
pub mod journal;
mod menu_ui;
mod recovery_ui;
pub mod view;
mod worklist_ui;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

pub use background::{LoadOutcome, load_into, save_all};
pub use commands::{BulkAction, Command};
pub use dialogs::{Dialog, PendingChange};
pub use document::Document;
pub use journal::{Journal, JournalStore};

use crate::ent::layout::MappingStore;
use crate::model::table::TableId;
use crate::review::open::OpenRequest;
use crate::review::plan::PlanOptions;
use background::{LoadJob, SaveJob};

/// What is persisted between runs: paths and folders only, never personal data.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// The last export folder.
    pub export_folder: Option<PathBuf>,
    /// Whether the fiche panel is hidden (more room for the grid), once the user chose.
    pub hide_fiche: bool,
    /// Whether the user showed or hid the fiche (else it hides itself on a narrow window).
    pub fiche_chosen: bool,
    /// How each list kind's grid is laid out (columns, order, widths), by list code.
    pub grids: std::collections::BTreeMap<String, grid_ui::columns::GridPrefs>,
    /// Whether files are always opened with the built-in picker, not the system's.
    pub builtin_picker: bool,
    /// How the work list is planned (identification mode, remedy of an identity mismatch).
    pub plan_options: PlanOptions,
    /// The steps of the work list ticked off as done, per set of files: hashed step keys.
    pub worklist_done: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
}

/// The tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// « Tableau de bord »: where to start.
    Dashboard,
    /// A PRONOTE list, by id (its position changes when lists are added).
    List(TableId),
    /// The ENT accounts.
    Ent,
    /// The help page.
    Help,
    /// « À faire dans PRONOTE »: the plan of the work list.
    WorkList,
}

/// A message shown in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// French text.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
}

/// The application.
pub struct App {
    /// Persisted settings.
    pub state: State,
    /// The loaded base.
    pub doc: Document,
    /// The tab shown.
    pub tab: Tab,
    /// The open dialog.
    pub dialog: Option<Dialog>,
    /// The last message.
    pub notice: Option<Notice>,
    /// Search and selection of the ENT tab.
    pub ent_view: ent_ui::EntView,
    /// The "Identification impossible" assistant.
    pub assistant: assistant_ui::Assistant,
    /// The CAS cell being edited: (table, row, column, text).
    pub editing: Option<(usize, usize, usize, String)>,
    /// Whether passwords are shown in tooltips (on demand, per session).
    pub reveal_passwords: bool,
    /// The printable work list written by the last export.
    pub last_work_list: Option<PathBuf>,
    /// Where ENT column mappings are remembered (none: not remembered).
    pub mapping_store: Option<MappingStore>,
    /// Where the unsaved edits are journaled (none: not journaled).
    pub journal_store: Option<JournalStore>,
    /// A journal found at start (or after a failed loading), offered for restoring.
    pub journal_offer: Option<Journal>,
    /// The journal to apply once its files are loaded.
    pending_restore: Option<Journal>,
    /// The journal last written, to write only on change.
    last_journal: Journal,
    /// The « À faire dans PRONOTE » view.
    pub worklist: worklist_ui::WorkListView,
    /// The document's revision last seen, and when (seconds of the window's clock): the
    /// status bar's work list waits for edits to pause on a large base.
    revision_seen: (u64, f64),
    /// Whether the system's file dialogs are tried (off in tests: the built-in picker).
    pub native_dialogs: bool,
    /// Whether the window closes once the save in progress succeeds.
    quit_after_save: bool,
    load_job: Option<LoadJob>,
    save_job: Option<SaveJob>,
    allow_close: bool,
}

const STATE_KEY: &str = "pronote-companion-state";

impl App {
    /// The app on a document, without persistence (tests, benchmarks).
    pub fn with_document(doc: Document) -> Self {
        let tab = if doc.tables.is_empty() {
            Tab::Help
        } else {
            Tab::Dashboard
        };
        Self {
            state: State::default(),
            doc,
            tab,
            dialog: None,
            notice: None,
            ent_view: ent_ui::EntView::default(),
            assistant: assistant_ui::Assistant::default(),
            editing: None,
            reveal_passwords: false,
            last_work_list: None,
            mapping_store: None,
            journal_store: None,
            journal_offer: None,
            pending_restore: None,
            last_journal: Journal::default(),
            worklist: worklist_ui::WorkListView::default(),
            revision_seen: (0, 0.0),
            native_dialogs: false,
            quit_after_save: false,
            load_job: None,
            save_job: None,
            allow_close: false,
        }
    }

    /// The app as started by eframe: persisted state, then the given files or the example base.
    pub fn new(cc: &eframe::CreationContext<'_>, requests: &[OpenRequest]) -> Self {
        // PRONOTE's client is light: so is this window, whatever the system theme.
        cc.egui_ctx.set_theme(egui::Theme::Light);
        let with_ent = requests.is_empty();
        let mut app = Self::with_document(Document::example(with_ent));
        app.native_dialogs = true;
        app.mapping_store = MappingStore::open();
        if let Some(store) = JournalStore::open() {
            app.set_journal_store(store);
        }
        if let Some(storage) = cc.storage
            && let Some(state) = eframe::get_value::<State>(storage, STATE_KEY)
        {
            app.state = state;
        }
        if !requests.is_empty() {
            app.start_loading(requests.to_vec(), &cc.egui_ctx);
        }
        app
    }

    /// Journals the unsaved edits in `store`; a journal an earlier session left there is
    /// offered for restoring.
    pub fn set_journal_store(&mut self, store: JournalStore) {
        self.journal_offer = store.load();
        self.journal_store = Some(store);
        if self.journal_offer.is_some() {
            self.dialog = Some(Dialog::RestoreJournal);
        }
    }

    /// Writes the journal when the unsaved edits changed (an empty journal deletes it). Not
    /// while an earlier session's journal waits for the user's answer: it would be lost.
    fn sync_journal(&mut self) {
        if self.journal_offer.is_some() || self.pending_restore.is_some() || self.doc.is_example {
            return;
        }
        let Some(store) = &self.journal_store else {
            return;
        };
        let journal = if self.doc.unsaved > 0 || self.doc.analysis_pending {
            let mut journal = Journal::of_tables(&self.doc.tables);
            journal.ent = self.doc.ent.as_ref().map(|e| e.path.clone());
            journal
        } else {
            Journal::default()
        };
        if journal == self.last_journal {
            return;
        }
        match store.write(&journal) {
            Ok(()) => self.last_journal = journal,
            Err(err) => self.notify(err.to_string(), true),
        }
    }

    /// Deletes the journal (the edits were saved, or the user dropped them).
    fn clear_journal(&mut self) {
        self.journal_offer = None;
        self.last_journal = Journal::default();
        if let Some(store) = &self.journal_store
            && let Err(err) = store.clear()
        {
            self.notify(err.to_string(), true);
        }
    }

    fn restore_journal(&mut self, ctx: &egui::Context) {
        let Some(journal) = self.journal_offer.take() else {
            return;
        };
        self.dialog = None;
        let mut requests: Vec<OpenRequest> = journal
            .files
            .iter()
            .map(|f| OpenRequest::Auto(f.path.clone()))
            .collect();
        requests.extend(journal.ent.clone().map(|ent| OpenRequest::Ent(ent, None)));
        self.pending_restore = Some(journal);
        self.start_loading(requests, ctx);
    }

    /// Puts the restored journal's edits back once its files are loaded.
    fn apply_restored(&mut self) {
        let Some(journal) = self.pending_restore.take() else {
            return;
        };
        let (edit, skipped) = journal.to_edit(&self.doc.tables);
        let count = edit.cell_count();
        if count > 0 {
            self.doc
                .apply("Restaurer les modifications non enregistrées", edit);
        }
        let mut text = format!("{count} modification(s) non enregistrée(s) restaurée(s).");
        if skipped > 0 {
            text.push_str(&format!(
                " {skipped} n'ont pas pu l'être : leur fichier a changé ou n'a pas pu être relu."
            ));
        }
        match &mut self.notice {
            // A file that could not be read again: keep its message beside this one.
            Some(notice) if notice.is_error => {
                notice.text.push('\n');
                notice.text.push_str(&text);
            }
            _ => self.notify(text, skipped > 0),
        }
    }

    /// Loads files synchronously (tests and benchmarks), as the background loading does.
    pub fn load_now(&mut self, requests: &[OpenRequest]) {
        let doc = std::mem::take(&mut self.doc);
        let outcome = background::load_into(doc, requests, self.mapping_store.as_ref(), |_, _| {});
        self.receive_loaded(outcome);
    }

    /// Whether files are being loaded (the lists are then on the loading thread).
    pub fn is_loading(&self) -> bool {
        self.load_job.is_some()
    }

    fn start_loading(&mut self, requests: Vec<OpenRequest>, ctx: &egui::Context) {
        if self.load_job.is_some() {
            self.notify(
                "Un chargement est déjà en cours : attendez qu'il se termine.",
                true,
            );
            return;
        }
        for request in &requests {
            self.remember_recent(request.path());
        }
        self.editing = None;
        let doc = std::mem::take(&mut self.doc);
        match LoadJob::spawn(doc, requests, self.mapping_store.clone(), ctx.clone()) {
            Ok(job) => self.load_job = Some(job),
            Err(failed) => {
                let (doc, err) = *failed;
                self.doc = doc;
                self.notify(err, true);
            }
        }
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = path.to_owned();
        self.state.recent.retain(|p| *p != path);
        self.state.recent.insert(0, path);
        self.state.recent.truncate(10);
    }

    fn receive_loaded(&mut self, outcome: background::LoadOutcome) {
        self.take_loaded(outcome);
        self.warn_missing_columns();
        self.apply_restored();
        self.sync_journal();
    }

    /// Says which loaded lists lack a column the checks need, and what cannot be checked.
    fn warn_missing_columns(&mut self) {
        let lines: Vec<String> = self
            .doc
            .tables
            .iter()
            .flat_map(|t| {
                t.missing_key_columns()
                    .into_iter()
                    .map(move |m| format!("{} : {}", t.file_name(), m.message()))
            })
            .collect();
        if lines.is_empty() {
            return;
        }
        // First: the status bar shows the first line.
        let mut text = lines.join("\n");
        if let Some(notice) = self.notice.take() {
            text.push('\n');
            text.push_str(&notice.text);
        }
        self.notify(text, true);
    }

    fn take_loaded(&mut self, outcome: background::LoadOutcome) {
        let opened = outcome.loaded > 0;
        self.doc = outcome.doc;
        if opened && let Some(Dialog::Confirm(change)) = &self.dialog {
            // Its edit names rows by position, in the lists as they were.
            let back = change.from_assistant.then_some(Dialog::Assistant);
            self.dialog = back;
            self.notify(
                "La modification proposée n'a pas été appliquée : des fichiers ont été ouverts \
                 entre-temps. Proposez-la à nouveau.",
                true,
            );
        }
        // Once files are loaded, the window starts from the dashboard.
        if !self.doc.tables.is_empty() && (opened || self.current_table().is_none()) {
            self.tab = Tab::Dashboard;
        }
        if let Some((path, titles)) = outcome.mappings.into_iter().next() {
            let mut text = format!(
                "Export ENT non reconnu : indiquez ses colonnes ({}).",
                path.display()
            );
            for err in &outcome.errors {
                text.push('\n');
                text.push_str(err);
            }
            self.notify(text, !outcome.errors.is_empty());
            self.dialog = Some(Dialog::EntMapping(dialogs::EntMapping::new(path, titles)));
            return;
        }
        if outcome.errors.is_empty() {
            if outcome.loaded > 0 {
                self.notify(format!("{} fichier(s) chargé(s).", outcome.loaded), false);
            }
        } else {
            let text = outcome.errors.join("\n");
            self.notify(text.clone(), true);
            self.dialog = Some(Dialog::Error(text));
        }
    }

    fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
        });
    }

    /// The table of the current tab.
    pub fn current_table(&self) -> Option<usize> {
        match self.tab {
            Tab::List(id) => self.doc.position(id),
            _ => None,
        }
    }

    /// Waits for a save in progress (tests).
    pub fn wait_for_save(&mut self) {
        if let Some(job) = self.save_job.take() {
            let result = job.wait();
            self.finish_save(result);
        }
    }

    fn finish_save(&mut self, result: Result<Vec<PathBuf>, String>) {
        match result {
            Ok(paths) => {
                self.doc.mark_saved();
                self.clear_journal();
                self.last_work_list = paths
                    .iter()
                    .find(|p| p.extension().is_some_and(|e| e == "html"))
                    .cloned();
                let names: Vec<String> = paths
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect();
                let folder = paths
                    .first()
                    .and_then(|p| p.parent())
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                self.notify(
                    format!(
                        "Enregistré dans {folder} : {} fichier(s) ({})",
                        names.len(),
                        names.join(", ")
                    ),
                    false,
                );
                if self.quit_after_save {
                    // Closed at the next frame (see `ui`).
                    self.allow_close = true;
                    self.dialog = None;
                }
            }
            Err(err) => {
                self.quit_after_save = false;
                self.notify(err.clone(), true);
                self.dialog = Some(Dialog::SaveFailed(err));
            }
        }
    }

    /// Whether the window was asked to close once saved, and the save is done.
    pub fn closing_after_save(&self) -> bool {
        self.quit_after_save && self.allow_close
    }

    fn poll_background(&mut self) {
        if let Some(job) = &mut self.load_job
            && let Some(result) = job.poll()
        {
            self.load_job = None;
            match result {
                Ok(outcome) => self.receive_loaded(outcome),
                Err(err) => self.loading_failed(err),
            }
        }
        if let Some(job) = &self.save_job
            && let Some(result) = job.poll()
        {
            self.save_job = None;
            self.finish_save(result);
        }
    }

    /// A loading that died: its document is gone with its thread. The window starts again
    /// empty, says so, and offers the journal of the unsaved edits.
    fn loading_failed(&mut self, err: String) {
        self.pending_restore = None;
        self.doc = Document::default();
        self.tab = Tab::Help;
        self.editing = None;
        self.notify(err.clone(), true);
        self.dialog = Some(Dialog::LoadFailed(err));
        if let Some(store) = &self.journal_store {
            self.journal_offer = store.load();
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) -> Vec<Command> {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let mut commands = Vec::new();
        let typing = ctx.memory(|m| m.focused().is_some());
        // (modifiers, key, only outside a text field, command), in matching order: Ctrl+Shift+Z
        // must be tried before Ctrl+Z.
        let table = [
            (Modifiers::COMMAND, Key::O, false, Command::OpenDialog),
            (Modifiers::COMMAND, Key::S, false, Command::ShowExport),
            (Modifiers::COMMAND, Key::T, false, Command::ExtractAll),
            (Modifiers::COMMAND, Key::I, false, Command::ShowAssistant),
            (
                Modifiers::NONE,
                Key::F1,
                false,
                Command::SelectTab(Tab::Help),
            ),
            (Modifiers::NONE, Key::F3, false, Command::ToggleFiche),
            (
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::Z,
                true,
                Command::Redo,
            ),
            (Modifiers::COMMAND, Key::Y, true, Command::Redo),
            (Modifiers::COMMAND, Key::Z, true, Command::Undo),
            (Modifiers::COMMAND, Key::A, true, Command::SelectAll),
            (
                Modifiers::NONE,
                Key::Delete,
                true,
                Command::Bulk(BulkAction::ClearCas),
            ),
        ];
        ctx.input_mut(|i| {
            for (modifiers, key, outside_text, command) in table {
                if (!outside_text || !typing)
                    && i.consume_shortcut(&KeyboardShortcut::new(modifiers, key))
                    && !commands.contains(&command)
                {
                    commands.push(command);
                }
            }
        });
        commands
    }

    fn dropped_files(ctx: &egui::Context) -> Option<Command> {
        let paths: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        (!paths.is_empty())
            .then(|| Command::Load(paths.into_iter().map(OpenRequest::Auto).collect()))
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.poll_background();
        if self.closing_after_save() {
            self.quit_after_save = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.doc.unsaved > 0
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::UnsavedGuard);
        }
        let mut commands = self.shortcuts(&ctx);
        commands.extend(Self::dropped_files(&ctx));

        commands.extend(menu_ui::menu_bar_ui(ui, self));
        commands.extend(menu_ui::tabs_ui(ui, self));
        if self.load_job.is_none() {
            let rows: usize = self.doc.tables.iter().map(|t| t.rows.len()).sum();
            let large = rows >= document::BACKGROUND_ANALYSIS_ROWS;
            let want_preview = self.tab == Tab::WorkList || !large;
            let now = ctx.input(|i| i.time);
            if self.revision_seen.0 != self.doc.revision {
                self.revision_seen = (self.doc.revision, now);
            }
            // On a large base, outside its tab, the work list of the status bar is planned
            // again once the edits pause (the plan of a département's thousands of changes takes
            // a tenth of a second: not in the frame of each edit).
            let settled = now - self.revision_seen.1 >= WORK_LIST_SETTLE_SECONDS;
            if self.tab == Tab::WorkList || !large || settled {
                self.worklist
                    .refresh(&self.doc, self.state.plan_options, want_preview);
            } else {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                    WORK_LIST_SETTLE_SECONDS,
                ));
            }
        }
        menu_ui::status_bar_ui(ui, self, self.load_job.as_ref(), self.save_job.is_some());
        if let Some(job) = &self.load_job {
            egui::CentralPanel::default().show(ui, |ui| loading_ui(ui, job));
            return;
        }
        match (self.tab, self.current_table()) {
            (Tab::List(_), Some(t)) => {
                let fiche_shown = !self.fiche_hidden(&ctx);
                if fiche_shown {
                    commands.extend(fiche_ui::fiche_panel_ui(ui, self, t));
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    commands.extend(grid_ui::list_ui(ui, self, t, fiche_shown));
                });
            }
            (Tab::Dashboard, _) if !self.doc.tables.is_empty() => {
                egui::CentralPanel::default().show(ui, |ui| {
                    commands.extend(dashboard_ui::dashboard_ui(ui, &self.doc));
                });
            }
            (Tab::Ent, _) => {
                egui::CentralPanel::default().show(ui, |ui| {
                    ent_ui::ent_tab_ui(ui, &mut self.ent_view, &self.doc);
                });
            }
            (Tab::WorkList, _) => {
                egui::CentralPanel::default().show(ui, |ui| {
                    commands.extend(worklist_ui::worklist_ui(
                        ui,
                        &self.worklist,
                        &self.doc,
                        &self.state,
                    ));
                });
            }
            _ => {
                egui::CentralPanel::default().show(ui, help_ui::help_ui);
            }
        }
        commands.extend(dialogs::dialog_ui(&ctx, self));
        for command in commands {
            self.apply(&ctx, command);
        }
        if self.journal_offer.is_some() && self.dialog.is_none() && self.load_job.is_none() {
            self.dialog = Some(Dialog::RestoreJournal);
        }
        if self.doc.analysis_pending && self.load_job.is_none() {
            // A large base: the analysis after the edit runs on the loading thread, with its
            // progress bar, rather than freezing the window.
            self.start_loading(Vec::new(), &ctx);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STATE_KEY, &self.state);
    }
}

/// The loading screen: the phase running, how far the loading is, the files read.
fn loading_ui(ui: &mut egui::Ui, job: &LoadJob) {
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading(if job.total == 0 {
            "Analyse en cours…"
        } else {
            "Chargement en cours…"
        });
        ui.add_space(8.0);
        ui.label(egui::RichText::new(job.phase_title()).strong());
        let progress = job.progress();
        ui.add(
            egui::ProgressBar::new(progress)
                .desired_width(400.0)
                .text(format!("{:.0} %", progress * 100.0)),
        );
        if job.total > 0 {
            ui.label(format!(
                "{} / {} fichier(s) lu(s)",
                job.done.min(job.total),
                job.total
            ));
        }
        if job.done < job.total {
            ui.label(&job.current);
        }
        // Four frames a second follow the phases: a spinner would redraw the window without
        // pause, and take from the loading the processor it shares with it.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(250));
    });
}

/// How long edits must pause before the status bar's work list is planned again, on a large
/// base and outside the « À faire dans PRONOTE » tab.
const WORK_LIST_SETTLE_SECONDS: f64 = 0.5;

/// Opens the window with the given files, or the embedded example base.
pub fn run_native(requests: Vec<OpenRequest>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("pronote-companion — identifiants CAS et Espace Parents")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "pronote-companion",
        options,
        Box::new(move |cc| Ok(Box::new(App::new(cc, &requests)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Erreur : impossible d'ouvrir la fenêtre ({err}).");
            ExitCode::from(2)
        }
    }
}
