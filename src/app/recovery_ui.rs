//! The dialogs of things that went wrong: a failed save, a loading that died, and the offer
//! to restore the unsaved edits of an earlier session.

use egui::RichText;

use super::{Command, Dialog, Journal};

/// The body of a recovery dialog; other dialogs draw nothing here.
pub fn recovery_dialog_ui(
    ui: &mut egui::Ui,
    dialog: &Dialog,
    offer: Option<&Journal>,
    commands: &mut Vec<Command>,
) {
    match dialog {
        Dialog::SaveFailed(text) => {
            ui.heading("Enregistrement impossible");
            ui.label(RichText::new(text.as_str()).color(ui.visuals().error_fg_color));
            ui.label(
                "Vos modifications sont toujours là : corrigez le problème (fichier ouvert dans \
                 Excel, disque plein, dossier protégé…) puis enregistrez à nouveau.",
            );
            if ui.button("Fermer").clicked() {
                commands.push(Command::CloseDialog);
            }
        }
        Dialog::LoadFailed(text) => {
            ui.heading("Chargement interrompu");
            ui.label(RichText::new(text.as_str()).color(ui.visuals().error_fg_color));
            if ui.button("Fermer").clicked() {
                commands.push(Command::CloseDialog);
            }
        }
        Dialog::RestoreJournal => {
            ui.heading("Modifications non enregistrées retrouvées");
            let Some(journal) = offer else {
                commands.push(Command::CloseDialog);
                return;
            };
            ui.label(format!(
                "La session précédente s'est arrêtée avant d'enregistrer {} modification(s) \
                 dans :",
                journal.cell_count()
            ));
            for file in &journal.files {
                ui.label(format!(
                    "{} ({} cellule(s))",
                    file.path.display(),
                    file.cells.len()
                ));
            }
            ui.label(
                "« Restaurer » rouvre ces fichiers et y remet les modifications ; « Abandonner » \
                 les efface définitivement.",
            );
            ui.horizontal(|ui| {
                if ui.button("Restaurer").clicked() {
                    commands.push(Command::RestoreJournal);
                }
                if ui.button("Abandonner").clicked() {
                    commands.push(Command::DiscardJournal);
                }
            });
        }
        _ => {}
    }
}
