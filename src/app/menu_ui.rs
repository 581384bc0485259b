//! The menu bar, the tabs and the status bar.

use egui::{Panel, RichText};

use super::background::LoadJob;
use super::{App, BulkAction, Command, Tab};
use crate::model::findings::FindingKind;

/// The menu bar: Fichier, Édition, Extraire, Outils, Aide.
pub fn menu_bar_ui(ui: &mut egui::Ui, app: &App) -> Vec<Command> {
    let mut commands = Vec::new();
    Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("Fichier", |ui| {
                if ui.button("Ouvrir des exports PRONOTE…  (Ctrl+O)").clicked() {
                    commands.push(Command::OpenDialog);
                }
                if ui.button("Ouvrir l'export des comptes ENT…").clicked() {
                    commands.push(Command::OpenEntDialog);
                }
                ui.menu_button("Fichiers récents", |ui| {
                    if app.state.recent.is_empty() {
                        ui.label("Aucun fichier récent");
                    }
                    // Name first, then its folder: two exports of the same name stay apart.
                    for path in &app.state.recent {
                        let name = path.file_name().map_or_else(
                            || path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                        let folder = path
                            .parent()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default();
                        if ui
                            .button(format!("{name}  —  {folder}"))
                            .on_hover_text(path.display().to_string())
                            .clicked()
                        {
                            commands.push(Command::Load(vec![
                                crate::review::open::OpenRequest::Auto(path.clone()),
                            ]));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                if ui
                    .button("Enregistrer les listes corrigées…  (Ctrl+S)")
                    .clicked()
                {
                    commands.push(Command::ShowExport);
                }
                if ui
                    .button("Imprimer la liste « À faire dans PRONOTE »…")
                    .clicked()
                {
                    commands.push(Command::PrintWorkList);
                }
                ui.separator();
                if ui.button("Quitter").clicked() {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button("Édition", |ui| {
                let undo = app.doc.history.undo_labels().last().map(str::to_owned);
                let redo = app.doc.history.redo_labels().next().map(str::to_owned);
                let undo_text = match &undo {
                    Some(label) => format!("Annuler : {label}  (Ctrl+Z)"),
                    None => "Annuler  (Ctrl+Z)".to_owned(),
                };
                if ui
                    .add_enabled(undo.is_some(), egui::Button::new(undo_text))
                    .clicked()
                {
                    commands.push(Command::Undo);
                }
                let redo_text = match &redo {
                    Some(label) => format!("Rétablir : {label}  (Ctrl+Y)"),
                    None => "Rétablir  (Ctrl+Y)".to_owned(),
                };
                if ui
                    .add_enabled(redo.is_some(), egui::Button::new(redo_text))
                    .clicked()
                {
                    commands.push(Command::Redo);
                }
                ui.menu_button("Historique", |ui| {
                    let labels: Vec<&str> = app.doc.history.undo_labels().collect();
                    if labels.is_empty() {
                        ui.label("Aucune modification");
                    }
                    for (i, label) in labels.iter().enumerate() {
                        ui.label(format!("{}. {label}", i + 1));
                    }
                    for label in app.doc.history.redo_labels() {
                        ui.label(RichText::new(format!("(annulé) {label}")).weak());
                    }
                });
                ui.separator();
                if ui.button("Tout sélectionner  (Ctrl+A)").clicked() {
                    commands.push(Command::SelectAll);
                }
                let parent_access = app.current_table().is_some_and(|t| {
                    app.doc.tables[t]
                        .column(crate::model::columns::ColumnRole::ParentAccess)
                        .is_some()
                });
                ui.menu_button("Modifier la sélection", |ui| {
                    selection_menu_ui(ui, parent_access, &mut commands);
                });
                if let Some(t) = app.current_table() {
                    ui.menu_button("Appliquer toutes les corrections proposées", |ui| {
                        for kind in FindingKind::FIXABLE {
                            let count = app.doc.summaries[t]
                                .by_kind
                                .iter()
                                .find(|(k, _)| *k == kind)
                                .map_or(0, |(_, n)| *n);
                            if ui
                                .add_enabled(
                                    count > 0,
                                    egui::Button::new(format!("{} ({count})", kind.status())),
                                )
                                .clicked()
                            {
                                commands.push(Command::ApplyKind(kind));
                            }
                        }
                    });
                }
            });
            ui.menu_button("Extraire", |ui| {
                if ui.button("Tout extraire  (Ctrl+T)").clicked() {
                    commands.push(Command::ExtractAll);
                }
            });
            ui.menu_button("Outils", |ui| {
                if ui
                    .button("Assistant « Identification impossible »…  (Ctrl+I)")
                    .clicked()
                {
                    commands.push(Command::ShowAssistant);
                }
            });
            ui.menu_button("Aide", |ui| {
                if ui.button("Statuts et FAQ  (F1)").clicked() {
                    commands.push(Command::SelectTab(Tab::Help));
                }
            });
        });
    });
    commands
}

/// The entries of *Modifier la sélection* (menu Édition and right click); the Espace Parents
/// only where the list has its column (Responsables).
pub fn selection_menu_ui(ui: &mut egui::Ui, parent_access: bool, commands: &mut Vec<Command>) {
    ui.menu_button("CAS et ENT", |ui| {
        if ui.button(BulkAction::ClearCas.label()).clicked() {
            commands.push(Command::Bulk(BulkAction::ClearCas));
        }
        if ui.button(BulkAction::SetProposedCas.label()).clicked() {
            commands.push(Command::Bulk(BulkAction::SetProposedCas));
        }
    });
    if parent_access {
        ui.menu_button("Accès à l'Espace Parents", |ui| {
            if ui.button("Autoriser").clicked() {
                commands.push(Command::Bulk(BulkAction::GrantParentAccess));
            }
        });
    }
}

/// The tabs: one per list, with its row count and a badge of its errors, then the ENT accounts
/// and the help.
pub fn tabs_ui(ui: &mut egui::Ui, app: &App) -> Vec<Command> {
    let mut commands = Vec::new();
    Panel::top("onglets").show(ui, |ui| {
        // One line, whatever the width: past the window's edge it scrolls sideways, with a
        // scroll bar of its own under the tabs (not floating over them).
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::horizontal()
            .id_salt("onglets")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if !app.doc.tables.is_empty() {
                        if ui
                            .selectable_label(
                                app.tab == Tab::Dashboard,
                                RichText::new("Tableau de bord").strong(),
                            )
                            .on_hover_text("Par où commencer : les problèmes de chaque liste")
                            .clicked()
                        {
                            commands.push(Command::SelectTab(Tab::Dashboard));
                        }
                        ui.separator();
                    }
                    let labels = tab_labels(app, true);
                    // Row counts are left to the tooltips when the tabs would not fit on one
                    // line (1024 points with large lists): « Aide » stays in view.
                    let labels = if tabs_width(ui, app, &labels) > ui.available_width() {
                        tab_labels(app, false)
                    } else {
                        labels
                    };
                    for (t, table) in app.doc.tables.iter().enumerate() {
                        let text = labels.lists[t].clone();
                        let errors = app.doc.summaries.get(t).map_or(0, |s| s.errors);
                        let selected = app.tab == Tab::List(table.stamp.id);
                        let response = ui
                            .selectable_label(selected, RichText::new(text).strong())
                            .on_hover_text(format!("{} ligne(s)", table.rows.len()));
                        let response = if errors > 0 {
                            // The count alone: the tabs fit in 1024 points.
                            ui.label(
                                RichText::new(errors.to_string())
                                    .color(ui.visuals().error_fg_color)
                                    .strong(),
                            )
                            .on_hover_text(format!("{errors} ligne(s) en erreur"));
                            response
                        } else {
                            response
                        };
                        if response.clicked() {
                            commands.push(Command::SelectTab(Tab::List(table.stamp.id)));
                        }
                        ui.add_space(6.0);
                    }
                    if let Some(ent) = &app.doc.ent {
                        let text = labels.ent.clone();
                        if ui
                            .selectable_label(app.tab == Tab::Ent, text)
                            .on_hover_text(format!("{} compte(s) ENT", ent.accounts.len()))
                            .clicked()
                        {
                            commands.push(Command::SelectTab(Tab::Ent));
                        }
                        if !ent.problems.is_empty() {
                            ui.label(
                                RichText::new(ent.problems.len().to_string())
                                    .color(ui.visuals().error_fg_color)
                                    .strong(),
                            )
                            .on_hover_text(
                                "Identifiants en double ou comptes sans nom dans l'export ENT",
                            );
                        }
                        ui.separator();
                    }
                    if ui
                        .selectable_label(app.tab == Tab::WorkList, "À faire dans PRONOTE")
                        .clicked()
                    {
                        commands.push(Command::SelectTab(Tab::WorkList));
                    }
                    ui.separator();
                    if ui.selectable_label(app.tab == Tab::Help, "Aide").clicked() {
                        commands.push(Command::SelectTab(Tab::Help));
                    }
                });
            });
    });
    commands
}

/// The texts of the list tabs and of the ENT tab, with their counts (`counts`) or without.
struct TabLabels {
    lists: Vec<String>,
    ent: String,
}

fn tab_labels(app: &App, counts: bool) -> TabLabels {
    let mut seen = Vec::new();
    let lists = app
        .doc
        .tables
        .iter()
        .map(|table| {
            let duplicate_list = seen.contains(&table.list);
            seen.push(table.list);
            let mut text = table.list.label().to_owned();
            if counts {
                text = format!("{text} ({})", table.rows.len());
            }
            if duplicate_list {
                text = format!("{text} — {}", table.file_name());
            }
            text
        })
        .collect();
    let ent = match (&app.doc.ent, counts) {
        (Some(ent), true) => format!("Comptes ENT ({})", ent.accounts.len()),
        _ => "Comptes ENT".to_owned(),
    };
    TabLabels { lists, ent }
}

/// The width the tab row takes after « Tableau de bord » with these labels: texts measured,
/// plus the buttons' padding, the spaces, the error badges and the separators.
fn tabs_width(ui: &egui::Ui, app: &App, labels: &TabLabels) -> f32 {
    let spacing = ui.spacing();
    let font = egui::TextStyle::Button.resolve(ui.style());
    let text = |text: &str| {
        ui.painter()
            .layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
            .size()
            .x
    };
    let button =
        |label: &str| text(label) + 2.0 * spacing.button_padding.x + spacing.item_spacing.x;
    let separator = 2.0 * spacing.item_spacing.x + 6.0;
    // « Tableau de bord » is already laid out: the rest of the row is measured.
    let mut width = 0.0;
    for (t, label) in labels.lists.iter().enumerate() {
        width += button(label) + 6.0;
        let errors = app.doc.summaries.get(t).map_or(0, |s| s.errors);
        if errors > 0 {
            width += text(&errors.to_string()) + spacing.item_spacing.x;
        }
    }
    if let Some(ent) = &app.doc.ent {
        width += button(&labels.ent) + separator;
        if !ent.problems.is_empty() {
            width += text(&ent.problems.len().to_string()) + spacing.item_spacing.x;
        }
    }
    width + button("À faire dans PRONOTE") + separator + button("Aide")
}

/// The status bar: visible / total rows, selection, unsaved changes, file format, progress.
pub fn status_bar_ui(ui: &mut egui::Ui, app: &App, load: Option<&LoadJob>, saving: bool) {
    Panel::bottom("barre_etat").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(t) = app.current_table() {
                let table = &app.doc.tables[t];
                let view = &app.doc.views[t];
                ui.label(format!(
                    "{} / {}",
                    view.visible_cached().len(),
                    table.rows.len()
                ));
                ui.separator();
                ui.label(format!("{} sélectionnée(s)", view.selected_visible_count()))
                    .on_hover_text("Lignes sélectionnées parmi les lignes affichées");
                ui.separator();
                ui.label(table.format.describe());
                ui.separator();
            }
            let unsaved = app.doc.unsaved;
            if unsaved > 0 {
                ui.label(
                    RichText::new(format!("{unsaved} modification(s) non enregistrée(s)"))
                        .color(ui.visuals().warn_fg_color),
                );
            } else {
                ui.label("Aucune modification en attente");
            }
            if let Some(job) = load {
                ui.separator();
                ui.add(
                    egui::ProgressBar::new(job.progress())
                        .desired_width(160.0)
                        .text(format!("Chargement {} / {}", job.done, job.total)),
                );
            }
            if saving {
                ui.separator();
                ui.spinner();
                ui.label("Enregistrement…");
            }
            if let Some(notice) = &app.notice {
                ui.separator();
                let color = if notice.is_error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                let first_line = notice.text.lines().next().unwrap_or("");
                // At most 70 % of the bar, cut with « … »; the whole message on hover.
                let width = ui.available_width() * 0.7;
                ui.scope(|ui| {
                    ui.set_max_width(width);
                    ui.add(egui::Label::new(RichText::new(first_line).color(color)).truncate())
                        .on_hover_text(&notice.text);
                });
            }
            if let Some(text) = app.worklist.status_text() {
                ui.separator();
                ui.add(egui::Label::new(text).truncate()).on_hover_text(
                    "Étapes dans le client PRONOTE : onglet « À faire dans PRONOTE »",
                );
            }
        });
    });
}
