//! Modal dialogs: confirmation of a bulk change, export, unsaved changes, errors.

use std::path::PathBuf;

use egui::{Id, Modal, RichText};

use super::{App, Command, assistant_ui};
use crate::ent::layout::{FIELDS, quote_title};
use crate::model::columns::{ColumnRole, PASSWORD_MASK};
use crate::model::edit::Edit;
use crate::model::table::Table;

/// A change waiting for confirmation, with its preview.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingChange {
    /// History label.
    pub label: String,
    /// The edit.
    pub edit: Edit,
    /// One line per cell: `NOM Prénom — Colonne : « avant » devient « après »`.
    pub preview: Vec<String>,
    /// How many rows are touched.
    pub rows: usize,
    /// Whether the assistant « Identification impossible » asked for it (it comes back after).
    pub from_assistant: bool,
}

impl PendingChange {
    /// A pending change of `edits`, previewed against the current tables.
    pub fn new(tables: &[Table], label: impl Into<String>, edits: Vec<Edit>) -> Self {
        let mut preview = Vec::new();
        let mut rows = std::collections::BTreeSet::new();
        for edit in &edits {
            if let Edit::SetCell {
                table,
                row,
                column,
                value,
            } = edit
            {
                let t = &tables[*table];
                rows.insert((*table, *row));
                let masked = t.columns[*column].role == ColumnRole::Password;
                let (before, after) = if masked {
                    (PASSWORD_MASK.to_owned(), PASSWORD_MASK.to_owned())
                } else {
                    (t.cell(*row, *column).to_string(), value.clone())
                };
                let change = if after.trim().is_empty() {
                    format!("« {before} » sera supprimé")
                } else if before.trim().is_empty() {
                    format!("« {after} » sera renseigné")
                } else {
                    format!("« {before} » devient « {after} »")
                };
                preview.push(format!(
                    "{} {} — {} : {change}",
                    t.nom(*row),
                    t.prenom(*row),
                    t.columns[*column].title
                ));
            }
        }
        Self {
            label: label.into(),
            edit: Edit::Batch(edits),
            preview,
            rows: rows.len(),
            from_assistant: false,
        }
    }

    /// How many cells change.
    pub fn cell_count(&self) -> usize {
        self.edit.cell_count()
    }
}

/// The dialogs.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// Confirm a change.
    Confirm(PendingChange),
    /// Choose the export folder.
    Export {
        /// The folder typed or chosen.
        folder: String,
    },
    /// A save would replace files of a previous save: ask first.
    ConfirmReplace {
        /// The folder.
        folder: PathBuf,
        /// The names of the files already there.
        existing: Vec<String>,
    },
    /// The built-in file picker.
    FilePicker(Box<super::file_picker::FilePicker>),
    /// Closing with unsaved changes.
    UnsavedGuard,
    /// A failure to read.
    Error(String),
    /// The "Identification impossible" assistant.
    Assistant,
    /// Naming the columns of an ENT export not recognised.
    EntMapping(EntMapping),
    /// A save that failed (see `recovery_ui`).
    SaveFailed(String),
    /// A loading that died (see `recovery_ui`).
    LoadFailed(String),
    /// Restore the unsaved edits of an earlier session (see `recovery_ui`).
    RestoreJournal,
}

/// The columns the user chose for an ENT export, one per field of `FIELDS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntMapping {
    /// The export.
    pub path: PathBuf,
    /// Its first line: the column titles, or the first data row when it has no header.
    pub titles: Vec<String>,
    /// For each field of [`FIELDS`], the chosen column.
    pub choices: Vec<Option<usize>>,
    /// Whether the first line holds the column titles (else columns are chosen by number).
    pub has_header: bool,
}

impl EntMapping {
    /// A mapping with the columns guessed from their titles.
    pub fn new(path: PathBuf, titles: Vec<String>) -> Self {
        use crate::model::fold::fold_compact;
        let keys: Vec<String> = titles.iter().map(|t| fold_compact(t)).collect();
        let choices = FIELDS
            .iter()
            .map(|field| {
                keys.iter()
                    .position(|k| field.guesses.contains(&k.as_str()))
            })
            .collect();
        let has_header = crate::ent::layout::looks_like_header(&titles);
        Self {
            path,
            titles,
            choices,
            has_header,
        }
    }

    /// How a column is shown in the choices: its title, or for a file without a header its
    /// number and the value on line 1 (`Colonne 3 : jean.dupont`).
    pub fn column_label(&self, column: usize) -> String {
        if self.has_header {
            self.titles[column].clone()
        } else {
            format!("Colonne {} : {}", column + 1, self.titles[column])
        }
    }

    /// The mapping as `--ent-columns` writes it (`login=Compte,nom="Nom, usage",…`; for a file
    /// without a header, by number: `login=3,nom=1,prenom=2,entete=non`), once login, nom and
    /// prénom are chosen.
    pub fn spec(&self) -> Option<String> {
        let required_missing = FIELDS
            .iter()
            .zip(&self.choices)
            .any(|(field, choice)| field.required && choice.is_none());
        if required_missing {
            return None;
        }
        let mut parts: Vec<String> = FIELDS
            .iter()
            .zip(&self.choices)
            .filter_map(|(field, choice)| {
                choice.map(|c| {
                    if self.has_header {
                        format!("{}={}", field.key, quote_title(&self.titles[c]))
                    } else {
                        format!("{}={}", field.key, c + 1)
                    }
                })
            })
            .collect();
        if !self.has_header {
            parts.push("entete=non".to_owned());
        }
        Some(parts.join(","))
    }
}

/// Shows the open dialog, if any.
pub fn dialog_ui(ctx: &egui::Context, app: &mut App) -> Vec<Command> {
    if matches!(app.dialog, Some(Dialog::Assistant)) {
        // The assistant is a window of its own, not a modal: the lists stay usable beside it.
        return assistant_ui::assistant_window_ui(ctx, &mut app.assistant, &app.doc);
    }
    let mut commands = Vec::new();
    let Some(dialog) = &mut app.dialog else {
        return commands;
    };
    let modal = Modal::new(Id::unique("dialogue")).show(ctx, |ui| {
        ui.set_max_width(720.0);
        match dialog {
            Dialog::Confirm(change) => {
                ui.heading(&change.label);
                ui.label(format!(
                    "{} ligne(s), {} modification(s) :",
                    change.rows,
                    change.cell_count()
                ));
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .show(ui, |ui| {
                        for line in change.preview.iter().take(200) {
                            ui.label(line);
                        }
                        if change.preview.len() > 200 {
                            ui.label(format!("… et {} autre(s)", change.preview.len() - 200));
                        }
                    });
                ui.label("Vous pourrez annuler avec Ctrl+Z.");
                ui.horizontal(|ui| {
                    if ui.button("Confirmer").clicked() {
                        commands.push(Command::ConfirmPending);
                    }
                    if ui.button("Annuler").clicked() {
                        commands.push(Command::CloseDialog);
                    }
                });
            }
            Dialog::Export { folder } => {
                ui.heading("Enregistrer les listes corrigées");
                ui.label(
                    "Chaque liste est enregistrée sous « <nom>-corrige » dans son format \
                     d'origine, avec la liste « À faire dans PRONOTE » (CSV et page à imprimer). \
                     Les fichiers d'origine ne sont jamais remplacés.",
                );
                ui.horizontal(|ui| {
                    let label = ui.label("Dossier :");
                    ui.add(egui::TextEdit::singleline(folder).desired_width(420.0))
                        .labelled_by(label.id);
                    if ui.button("Parcourir…").clicked() {
                        commands.push(Command::BrowseExportFolder(PathBuf::from(folder.trim())));
                    }
                });
                ui.horizontal(|ui| {
                    if ui.button("Enregistrer").clicked() {
                        commands.push(Command::Export(PathBuf::from(folder.trim())));
                    }
                    if ui.button("Annuler").clicked() {
                        commands.push(Command::CloseDialog);
                    }
                });
            }
            Dialog::UnsavedGuard => {
                ui.heading("Modifications non enregistrées");
                ui.label(
                    "Des modifications n'ont pas été enregistrées. Si vous quittez maintenant, \
                     elles seront perdues.",
                );
                ui.horizontal(|ui| {
                    if ui
                        .button("Enregistrer et quitter…")
                        .on_hover_text("Choisir le dossier ; la fenêtre se ferme une fois enregistré")
                        .clicked()
                    {
                        commands.push(Command::SaveAndQuit);
                    }
                    if ui.button("Quitter sans enregistrer").clicked() {
                        commands.push(Command::QuitWithoutSaving);
                    }
                    if ui.button("Annuler").clicked() {
                        commands.push(Command::CloseDialog);
                    }
                });
            }
            Dialog::ConfirmReplace { folder, existing } => {
                ui.heading("Remplacer les fichiers déjà enregistrés ?");
                ui.label(format!(
                    "{} fichier(s) d'un enregistrement précédent se trouvent déjà dans {} :",
                    existing.len(),
                    folder.display()
                ));
                for name in existing.iter().take(12) {
                    ui.label(format!("· {name}"));
                }
                ui.horizontal(|ui| {
                    if ui.button("Remplacer").clicked() {
                        commands.push(Command::ExportReplacing(folder.clone()));
                    }
                    if ui.button("Choisir un autre dossier…").clicked() {
                        commands.push(Command::ExportFolderChosen(folder.clone()));
                    }
                    if ui.button("Annuler").clicked() {
                        commands.push(Command::CloseDialog);
                    }
                });
            }
            Dialog::FilePicker(picker) => {
                super::file_picker::file_picker_ui(
                    ui,
                    picker,
                    &mut app.state.builtin_picker,
                    &mut commands,
                );
            }
            Dialog::Error(text) => {
                ui.heading("Fichier non chargé");
                ui.label(RichText::new(text.as_str()).color(ui.visuals().error_fg_color));
                ui.label("Les autres fichiers restent chargés.");
                if ui.button("Fermer").clicked() {
                    commands.push(Command::CloseDialog);
                }
            }
            Dialog::Assistant => {}
            Dialog::SaveFailed(_) | Dialog::LoadFailed(_) | Dialog::RestoreJournal => {
                super::recovery_ui::recovery_dialog_ui(
                    ui,
                    dialog,
                    app.journal_offer.as_ref(),
                    &mut commands,
                );
            }
            Dialog::EntMapping(mapping) => {
                ui.heading("Colonnes de l'export ENT");
                ui.label(format!(
                    "Ce format d'export n'est pas reconnu. Indiquez quelle colonne contient chaque \
                     information (identifiant, nom et prénom sont obligatoires) ; ce choix sera \
                     retenu pour les exports de même en-tête. {}",
                    mapping.path.display()
                ));
                ui.checkbox(
                    &mut mapping.has_header,
                    "La première ligne contient les titres des colonnes",
                )
                .on_hover_text(
                    "Décochez-la si la première ligne est déjà un compte (export sans en-tête, \
                     comme celui de Toutatice) : les colonnes sont alors désignées par leur numéro.",
                );
                egui::Grid::new("colonnes_ent")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (i, field) in FIELDS.iter().enumerate() {
                            let label = ui.label(if field.required {
                                format!("{} *", field.label)
                            } else {
                                field.label.to_owned()
                            });
                            let selected = mapping.choices[i]
                                .map_or("(aucune)".to_owned(), |c| mapping.column_label(c));
                            let labels: Vec<String> =
                                (0..mapping.titles.len()).map(|c| mapping.column_label(c)).collect();
                            egui::ComboBox::from_id_salt(("colonne_ent", i))
                                .selected_text(selected)
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(&mut mapping.choices[i], None, "(aucune)");
                                    for (c, text) in labels.iter().enumerate() {
                                        ui.selectable_value(
                                            &mut mapping.choices[i],
                                            Some(c),
                                            text,
                                        );
                                    }
                                })
                                .response
                                .labelled_by(label.id);
                            ui.end_row();
                        }
                    });
                ui.horizontal(|ui| {
                    let spec = mapping.spec();
                    if ui
                        .add_enabled(
                            spec.is_some(),
                            egui::Button::new("Charger avec ces colonnes"),
                        )
                        .clicked()
                        && let Some(spec) = spec
                    {
                        commands.push(Command::RememberMapping {
                            titles: mapping.titles.clone(),
                            spec: spec.clone(),
                        });
                        commands.push(Command::Load(vec![crate::review::open::OpenRequest::Ent(
                            mapping.path.clone(),
                            Some(spec),
                        )]));
                        commands.push(Command::CloseDialog);
                    }
                    if ui.button("Annuler").clicked() {
                        commands.push(Command::CloseDialog);
                    }
                });
            }
        }
    });
    if modal.should_close() {
        commands.push(Command::CloseDialog);
    }
    commands
}
