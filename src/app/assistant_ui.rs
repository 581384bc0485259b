//! The "Identification impossible" assistant: the four fields the user saw, the closest rows,
//! the fields that differ, and both fixes of the FAQ (correct PRONOTE, or set the CAS).

use egui::{Color32, RichText};

use super::dialogs::PendingChange;
use super::{Command, Document};
use crate::ent::assistant::{IdentityQuery, RankedRow, ent_login_for, rank_rows};
use crate::model::columns::ColumnRole;
use crate::model::edit::Edit;

/// The assistant's fields and results.
#[derive(Clone, Debug, Default)]
pub struct Assistant {
    /// What the user typed.
    pub query: IdentityQuery,
    /// The closest rows for that query.
    pub results: Vec<RankedRow>,
    /// The login to set, prefilled from the ENT export when it knows the person.
    pub login: String,
    /// The query the results are for, and the [`super::Document::generation`] they were
    /// searched in: their rows are positions, valid only in that reading of the lists.
    searched_for: Option<(IdentityQuery, u64)>,
}

impl Assistant {
    /// Searches again at the next frame (the lists changed).
    pub fn refresh(&mut self) {
        self.searched_for = None;
    }
}

/// A fix of the assistant, to be confirmed like every other change.
fn proposal(doc: &Document, label: String, edits: Vec<Edit>) -> Command {
    let mut change = PendingChange::new(&doc.tables, label, edits);
    change.from_assistant = true;
    Command::Propose(change)
}

fn field_ui(ui: &mut egui::Ui, label: &str, value: &mut String) {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(220.0))
        .labelled_by(label.id);
    ui.end_row();
}

/// The assistant window: its own fields and results, the lists read only.
pub fn assistant_window_ui(
    ctx: &egui::Context,
    assistant: &mut Assistant,
    doc: &Document,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Assistant « Identification impossible »")
        .open(&mut open)
        .default_width(620.0)
        .default_pos([260.0, 140.0])
        .show(ctx, |ui| {
            ui.label(
                "Recopiez les « Données connues » de l'écran « Identification impossible » (ce \
                 que l'ENT a transmis) :",
            );
            egui::Grid::new("assistant_champs").num_columns(2).show(ui, |ui| {
                field_ui(ui, "Nom", &mut assistant.query.nom);
                field_ui(ui, "Prénom", &mut assistant.query.prenom);
                field_ui(ui, "Date de naissance", &mut assistant.query.naissance);
                field_ui(ui, "Code postal", &mut assistant.query.code_postal);
            });
            let searched = (assistant.query.clone(), doc.generation);
            if assistant.searched_for.as_ref() != Some(&searched) {
                assistant.results = if assistant.query.nom.trim().is_empty() {
                    Vec::new()
                } else {
                    rank_rows(&doc.tables, &assistant.query, 5)
                };
                assistant.login = doc
                    .ent
                    .as_ref()
                    .and_then(|ent| {
                        ent_login_for(ent, &assistant.query.nom, &assistant.query.prenom)
                    })
                    .unwrap_or_default();
                assistant.searched_for = Some(searched);
                // The grid follows the closest row, as PRONOTE's own lists would show it.
                if let Some(best) = assistant.results.first() {
                    commands.push(Command::ShowRow {
                        table: best.table,
                        row: best.row,
                    });
                }
            }
            ui.separator();
            if assistant.results.is_empty() && !assistant.query.nom.trim().is_empty() {
                ui.label("Aucune fiche proche dans les listes chargées.");
            }
            for (i, result) in assistant.results.iter().enumerate() {
                let table = &doc.tables[result.table];
                ui.group(|ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(result.title(&doc.tables, i + 1)).strong());
                        if numbered_button(ui, true, "Afficher dans la liste", i + 1)
                            .on_hover_text("Sélectionne cette ligne dans son onglet")
                            .clicked()
                        {
                            commands.push(Command::ShowRow {
                                table: result.table,
                                row: result.row,
                            });
                        }
                    });
                    if let Some(note) = result.swap_note(&assistant.query) {
                        ui.label(RichText::new(note).color(ui.visuals().warn_fg_color));
                    }
                    if result.differences.is_empty() {
                        ui.label("Identité identique : vérifiez le profil et l'identifiant CAS déjà enregistré.");
                    }
                    for difference in &result.differences {
                        ui.horizontal(|ui| {
                            ui.label(format!("{} :", difference.field()));
                            ui.label(RichText::new(format!("« {} » dans PRONOTE", difference.pronote)).color(Color32::from_rgb(200, 60, 60)).strong());
                            ui.label(RichText::new(format!("« {} » dans l'ENT", difference.typed)).strong());
                        });
                    }
                    ui.horizontal(|ui| {
                        let fixable: Vec<(usize, String)> = result
                            .differences
                            .iter()
                            // The code postal is the address's, not the identity's: PRONOTE's
                            // fiche keeps it, only the identity is corrected.
                            .filter(|d| d.role != ColumnRole::CodePostal)
                            .filter_map(|d| table.column(d.role).map(|c| (c, d.typed.clone())))
                            .collect();
                        if !fixable.is_empty()
                            && numbered_button(ui, true, "Corriger PRONOTE (solution 1)", i + 1)
                                .on_hover_text("Remplace dans la liste les valeurs qui diffèrent par celles de l'ENT")
                                .clicked()
                        {
                            let edits = fixable
                                .into_iter()
                                .map(|(column, value)| Edit::SetCell {
                                    table: result.table,
                                    row: result.row,
                                    column,
                                    value,
                                })
                                .collect();
                            let label = format!(
                                "Corriger PRONOTE comme l'ENT : {} {}",
                                table.nom(result.row),
                                table.prenom(result.row)
                            );
                            commands.push(proposal(doc, label, edits));
                        }
                        if table.column(ColumnRole::CasId).is_some() {
                            let label = ui.label("Identifiant ENT :");
                            ui.add(egui::TextEdit::singleline(&mut assistant.login).desired_width(160.0))
                                .labelled_by(label.id);
                            if numbered_button(
                                ui,
                                !assistant.login.trim().is_empty(),
                                "Renseigner l'identifiant CAS (solution 2)",
                                i + 1,
                            )
                                .clicked()
                                && let Some(edit) = Edit::set_cas(
                                    &doc.tables,
                                    result.table,
                                    result.row,
                                    assistant.login.trim(),
                                )
                            {
                                let label = format!(
                                    "Lier {} {} à « {} »",
                                    table.nom(result.row),
                                    table.prenom(result.row),
                                    assistant.login.trim()
                                );
                                commands.push(proposal(doc, label, vec![edit]));
                            }
                        }
                    });
                });
            }
        });
    if !open {
        commands.push(Command::CloseDialog);
    }
    commands
}

/// A button of the n-th result: its text alone on screen, its number in its accessible name
/// (« … #2 ») so that a screen reader, and a test, tell the results' buttons apart.
fn numbered_button(ui: &mut egui::Ui, enabled: bool, text: &str, n: usize) -> egui::Response {
    let response = ui.add_enabled(enabled, egui::Button::new(text));
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, enabled, format!("{text} #{n}"))
    });
    response
}
