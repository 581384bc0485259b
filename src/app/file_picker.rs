//! Opening files from inside the window: the system's dialog where it works, else (Linux
//! without an XDG portal, a portal that fails) a small file picker of our own — with a
//! message saying why, never silence.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::RichText;

use super::{App, Command, Dialog};
use crate::review::open::OpenRequest as LoadRequest;

/// What the picker is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickPurpose {
    /// PRONOTE lists (several at once) or an ENT export.
    Lists,
    /// The ENT export.
    Ent,
    /// The folder where corrected lists are saved.
    ExportFolder,
}

impl PickPurpose {
    /// The picker's title.
    fn title(self) -> &'static str {
        match self {
            Self::Lists => "Ouvrir des exports PRONOTE",
            Self::Ent => "Ouvrir l'export des comptes ENT",
            Self::ExportFolder => "Dossier où enregistrer",
        }
    }
}

/// One entry of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// File or folder name.
    pub name: String,
    /// Full path.
    pub path: PathBuf,
    /// Whether it is a folder.
    pub is_dir: bool,
}

/// The built-in file picker.
#[derive(Clone, Debug, PartialEq)]
pub struct FilePicker {
    /// What it is for.
    pub purpose: PickPurpose,
    /// The folder shown.
    pub folder: PathBuf,
    /// The folder field (typed, then Entrée or « Aller »).
    pub folder_text: String,
    /// The folder's entries: folders first, then files, by name.
    pub entries: Vec<Entry>,
    /// The files chosen.
    pub selected: BTreeSet<PathBuf>,
    /// Why the folder could not be read.
    pub error: Option<String>,
    /// Why the system's dialog was not used (shown on top).
    pub reason: Option<String>,
    /// Every file, not only `.csv` and `.txt`.
    pub all_files: bool,
    /// Places offered on the left: (name, folder).
    pub places: Vec<(String, PathBuf)>,
}

impl FilePicker {
    /// A picker for `purpose`, on `folder`, saying `reason` when the system's dialog failed.
    pub fn new(
        purpose: PickPurpose,
        folder: PathBuf,
        reason: Option<String>,
        recent: &[PathBuf],
    ) -> Self {
        let mut places = Vec::new();
        if let Some(dirs) = directories::UserDirs::new() {
            places.push(("Dossier personnel".to_owned(), dirs.home_dir().to_owned()));
            for (name, dir) in [
                ("Documents", dirs.document_dir()),
                ("Téléchargements", dirs.download_dir()),
                ("Bureau", dirs.desktop_dir()),
            ] {
                if let Some(dir) = dir {
                    places.push((name.to_owned(), dir.to_owned()));
                }
            }
        }
        for path in recent {
            if let Some(parent) = path.parent()
                && !parent.as_os_str().is_empty()
                && !places.iter().any(|(_, p)| p == parent)
            {
                let name = parent.file_name().map_or_else(
                    || parent.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                places.push((format!("Récent : {name}"), parent.to_owned()));
            }
        }
        let mut picker = Self {
            purpose,
            folder: PathBuf::new(),
            folder_text: String::new(),
            entries: Vec::new(),
            selected: BTreeSet::new(),
            error: None,
            reason,
            all_files: false,
            places,
        };
        picker.go_to(folder);
        picker
    }

    /// Shows another folder (the selection is dropped).
    pub fn go_to(&mut self, folder: PathBuf) {
        self.selected.clear();
        self.folder_text = folder.display().to_string();
        match list_folder(
            &folder,
            self.all_files || self.purpose == PickPurpose::ExportFolder,
        ) {
            Ok(entries) => {
                self.entries = entries;
                self.error = None;
                self.folder = folder;
            }
            Err(err) => {
                self.error = Some(format!("Dossier illisible ({err}) : {}", folder.display()));
            }
        }
    }

    /// What « Ouvrir » does with the files chosen, or for a folder picker, the folder shown.
    fn commands(&self) -> Vec<Command> {
        let files: Vec<PathBuf> = self.selected.iter().cloned().collect();
        match self.purpose {
            PickPurpose::Lists => vec![Command::Load(
                files.into_iter().map(LoadRequest::Auto).collect(),
            )],
            PickPurpose::Ent => files
                .into_iter()
                .next()
                .map(|path| Command::Load(vec![LoadRequest::Ent(path, None)]))
                .into_iter()
                .collect(),
            PickPurpose::ExportFolder => vec![Command::ExportFolderChosen(self.folder.clone())],
        }
    }
}

/// The entries of `folder`: folders first, then files (only `.csv` and `.txt` unless `all`),
/// each by name; hidden ones left out.
pub fn list_folder(folder: &Path, all: bool) -> std::io::Result<Vec<Entry>> {
    let mut entries: Vec<Entry> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return None;
            }
            let path = entry.path();
            let is_dir = path.is_dir();
            let wanted = is_dir
                || all
                || path.extension().is_some_and(|e| {
                    let e = e.to_string_lossy().to_lowercase();
                    e == "csv" || e == "txt"
                });
            wanted.then_some(Entry { name, path, is_dir })
        })
        .collect();
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(entries)
}

/// Why the system's file dialog cannot be used here, if it cannot (Linux without a session
/// bus: no XDG portal to ask).
fn native_unavailable() -> Option<String> {
    if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return Some(
            "Le sélecteur de fichiers du système n'est pas disponible (pas de portail XDG) : \
             voici celui de pronote-companion."
                .to_owned(),
        );
    }
    None
}

/// A system dialog that comes back this fast without a file did not open (a portal that
/// fails answers at once; a person takes longer to cancel).
const TOO_FAST: Duration = Duration::from_millis(400);

impl App {
    /// The folder a picker starts in: the last file's, else the documents folder.
    fn picker_start(&self) -> PathBuf {
        self.state
            .recent
            .first()
            .and_then(|p| p.parent())
            .filter(|p| p.is_dir())
            .map(Path::to_owned)
            .or_else(|| {
                directories::UserDirs::new().and_then(|d| d.document_dir().map(Path::to_owned))
            })
            .or_else(|| directories::UserDirs::new().map(|d| d.home_dir().to_owned()))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default()
    }

    /// Opens the built-in picker.
    pub(super) fn show_picker(
        &mut self,
        purpose: PickPurpose,
        start: PathBuf,
        reason: Option<String>,
    ) {
        self.dialog = Some(Dialog::FilePicker(Box::new(FilePicker::new(
            purpose,
            start,
            reason,
            &self.state.recent,
        ))));
    }

    /// Ctrl+O, « Ouvrir l'export des comptes ENT… »: the system's dialog, or ours.
    pub(super) fn open_files(&mut self, purpose: PickPurpose, ctx: &egui::Context) {
        let start = self.picker_start();
        let reason = if self.native_dialogs && !self.state.builtin_picker {
            native_unavailable()
        } else {
            Some(String::new())
        };
        if let Some(reason) = reason {
            let reason = (!reason.is_empty()).then_some(reason);
            self.show_picker(purpose, start, reason);
            return;
        }
        let dialog = rfd::FileDialog::new()
            .set_title(purpose.title())
            .set_directory(&start)
            .add_filter("Exports (csv, txt)", &["csv", "txt", "CSV", "TXT"]);
        let asked = Instant::now();
        let picked: Option<Vec<PathBuf>> = match purpose {
            PickPurpose::Lists => dialog.pick_files(),
            PickPurpose::Ent => dialog.pick_file().map(|p| vec![p]),
            PickPurpose::ExportFolder => dialog.pick_folder().map(|p| vec![p]),
        };
        match picked {
            Some(paths) => {
                let requests = match purpose {
                    PickPurpose::Ent => paths
                        .into_iter()
                        .map(|p| LoadRequest::Ent(p, None))
                        .collect(),
                    _ => paths.into_iter().map(LoadRequest::Auto).collect(),
                };
                self.apply(ctx, Command::Load(requests));
            }
            None if asked.elapsed() < TOO_FAST => {
                self.show_picker(
                    purpose,
                    start,
                    Some(
                        "Le sélecteur de fichiers du système n'a pas pu s'ouvrir : voici celui de \
                         pronote-companion."
                            .to_owned(),
                    ),
                );
            }
            None => {}
        }
    }

    /// « Parcourir… » of the save dialog: the system's folder dialog, or ours.
    pub(super) fn browse_export_folder(&mut self, folder: PathBuf) {
        let start = if folder.is_dir() {
            folder
        } else {
            self.picker_start()
        };
        if self.native_dialogs && !self.state.builtin_picker && native_unavailable().is_none() {
            let asked = Instant::now();
            match rfd::FileDialog::new()
                .set_title(PickPurpose::ExportFolder.title())
                .set_directory(&start)
                .pick_folder()
            {
                Some(chosen) => {
                    self.dialog = Some(Dialog::Export {
                        folder: chosen.display().to_string(),
                    });
                    return;
                }
                None if asked.elapsed() >= TOO_FAST => return,
                None => {}
            }
        }
        let reason = (self.native_dialogs && !self.state.builtin_picker).then(|| {
            native_unavailable().unwrap_or_else(|| {
                "Le sélecteur de dossiers du système n'a pas pu s'ouvrir : voici celui de \
                 pronote-companion."
                    .to_owned()
            })
        });
        self.show_picker(PickPurpose::ExportFolder, start, reason);
    }
}

/// The picker's body, inside the modal.
pub fn file_picker_ui(
    ui: &mut egui::Ui,
    picker: &mut FilePicker,
    always_builtin: &mut bool,
    commands: &mut Vec<Command>,
) {
    ui.heading(picker.purpose.title());
    if let Some(reason) = &picker.reason {
        ui.label(RichText::new(reason).color(ui.visuals().warn_fg_color));
    }
    let mut go_to: Option<PathBuf> = None;
    ui.horizontal(|ui| {
        let label = ui.label("Dossier :");
        let field = ui
            .add(egui::TextEdit::singleline(&mut picker.folder_text).desired_width(440.0))
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Aller").clicked() || entered {
            go_to = Some(PathBuf::from(picker.folder_text.trim()));
        }
        if ui
            .add_enabled(
                picker.folder.parent().is_some(),
                egui::Button::new("Dossier parent"),
            )
            .clicked()
        {
            go_to = picker.folder.parent().map(Path::to_owned);
        }
    });
    if let Some(error) = &picker.error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    let mut open_now = false;
    // A fixed height: the modal never grows past the window, its buttons stay in view.
    ui.allocate_ui_with_layout(
        egui::vec2(650.0, 300.0),
        egui::Layout::left_to_right(egui::Align::Min),
        |ui| {
            ui.set_height(300.0);
            ui.vertical(|ui| {
                ui.set_width(170.0);
                ui.label(RichText::new("Emplacements").strong());
                for (name, folder) in &picker.places {
                    if ui
                        .selectable_label(picker.folder == *folder, name)
                        .on_hover_text(folder.display().to_string())
                        .clicked()
                    {
                        go_to = Some(folder.clone());
                    }
                }
            });
            ui.add_space(8.0);
            ui.vertical(|ui| {
                egui::ScrollArea::vertical()
                    .id_salt("selecteur_fichiers")
                    .max_height(300.0)
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        ui.set_width(460.0);
                        if picker.entries.is_empty() {
                            ui.label(
                                RichText::new("Aucun fichier csv ou txt dans ce dossier.").weak(),
                            );
                        }
                        for entry in &picker.entries {
                            if entry.is_dir {
                                if ui
                                    .selectable_label(
                                        false,
                                        RichText::new(format!("{}/", entry.name)).strong(),
                                    )
                                    .on_hover_text("Ouvrir ce dossier")
                                    .clicked()
                                {
                                    go_to = Some(entry.path.clone());
                                }
                                continue;
                            }
                            let chosen = picker.selected.contains(&entry.path);
                            let response = ui.selectable_label(chosen, &entry.name);
                            if response.clicked() && picker.purpose != PickPurpose::ExportFolder {
                                let several = picker.purpose == PickPurpose::Lists
                                    && super::grid_keys::click_modifiers(ui.ctx()).command;
                                if !several {
                                    picker.selected.clear();
                                }
                                if chosen && several {
                                    picker.selected.remove(&entry.path);
                                } else {
                                    picker.selected.insert(entry.path.clone());
                                }
                            }
                            if response.double_clicked()
                                && picker.purpose != PickPurpose::ExportFolder
                            {
                                picker.selected.clear();
                                picker.selected.insert(entry.path.clone());
                                open_now = true;
                            }
                        }
                    });
            });
        },
    );
    if picker.purpose != PickPurpose::ExportFolder
        && ui
            .checkbox(&mut picker.all_files, "Afficher tous les fichiers")
            .changed()
    {
        go_to = Some(picker.folder.clone());
    }
    ui.checkbox(always_builtin, "Toujours utiliser ce sélecteur")
        .on_hover_text("Au lieu de celui du système (retenu pour les prochaines fois)");
    ui.separator();
    ui.horizontal(|ui| {
        let (text, ready) = match picker.purpose {
            PickPurpose::ExportFolder => ("Choisir ce dossier".to_owned(), picker.error.is_none()),
            PickPurpose::Lists if picker.selected.len() > 1 => (
                format!("Ouvrir les {} fichiers", picker.selected.len()),
                true,
            ),
            _ => ("Ouvrir".to_owned(), !picker.selected.is_empty()),
        };
        if ui.add_enabled(ready, egui::Button::new(text)).clicked() || (open_now && ready) {
            commands.extend(picker.commands());
            if picker.purpose != PickPurpose::ExportFolder {
                commands.push(Command::CloseDialog);
            }
        }
        if ui.button("Annuler").clicked() {
            commands.push(Command::CloseDialog);
        }
        if picker.purpose == PickPurpose::Lists {
            ui.label(RichText::new("Ctrl+clic pour en choisir plusieurs").weak());
        }
    });
    if let Some(folder) = go_to {
        picker.go_to(folder);
    }
}
