//! The fiche: every field of the selected row, its findings with the FAQ's remedy, its ENT
//! candidates with their evidence and a "Lier" button.

use egui::{Panel, RichText};

use super::grid_ui::status_text;
use super::{App, Command};
use crate::model::columns::{ColumnRole, PASSWORD_MASK};
use crate::model::findings::FindingKind;

/// Below this window width, the fiche is hidden until the user shows it (F3): the grid needs
/// the room for Statut, Nom, Prénom and the Identifiant CAS.
const NARROW_WINDOW: f32 = 1100.0;

impl App {
    /// Whether the fiche is hidden: the user's choice, else hidden on a narrow window.
    pub fn fiche_hidden(&self, ctx: &egui::Context) -> bool {
        if self.state.fiche_chosen {
            self.state.hide_fiche
        } else {
            ctx.content_rect().width() < NARROW_WINDOW
        }
    }

    /// F3: shows or hides the fiche, and remembers the choice.
    pub(super) fn toggle_fiche(&mut self, ctx: &egui::Context) {
        self.state.hide_fiche = !self.fiche_hidden(ctx);
        self.state.fiche_chosen = true;
    }
}

/// The side panel of list `t`: the focused row's fiche, at a width of its own (resizable,
/// remembered) that no content changes.
pub fn fiche_panel_ui(ui: &mut egui::Ui, app: &App, t: usize) -> Vec<Command> {
    let mut commands = Vec::new();
    let table = &app.doc.tables[t];
    // The panel is always there, so that a first click never moves the grid under the pointer.
    let focused = app.doc.views[t].focused.filter(|&r| r < table.rows.len());
    Panel::right("fiche")
        .resizable(true)
        .default_size(320.0)
        .size_range(240.0..=560.0)
        .show(ui, |ui| {
            // The content lives in a child of the panel's own width: a long value wraps or is
            // cut, it never widens the panel (which would move the grid under the pointer).
            let rect = ui.available_rect_before_wrap();
            let mut inner = ui.new_child(
                egui::UiBuilder::new()
                    .max_rect(rect)
                    .layout(egui::Layout::top_down(egui::Align::Min)),
            );
            inner.shrink_clip_rect(rect);
            inner.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
            fiche_ui(&mut inner, app, t, focused, &mut commands);
            ui.advance_cursor_after_rect(rect);
        });
    commands
}

fn fiche_ui(
    ui: &mut egui::Ui,
    app: &App,
    t: usize,
    focused: Option<usize>,
    commands: &mut Vec<Command>,
) {
    let table = &app.doc.tables[t];
    let Some(r) = focused else {
        ui.heading("Fiche");
        ui.label(
            "Cliquez sur une ligne pour voir tous ses champs, ce qui ne va pas et les \
             comptes ENT candidats.",
        );
        return;
    };
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading(format!("{} {}", table.nom(r), table.prenom(r)));
            ui.label(format!(
                "{} — ligne {} — statut : {}",
                table.list.label(),
                table.rows[r].line,
                status_text(&app.doc, t, r)
            ));
            let findings = app.doc.analysis.row(t, r);
            if !findings.is_empty() {
                ui.separator();
                ui.label(RichText::new("Ce qui ne va pas").strong());
            }
            for finding in findings {
                ui.group(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} ({})",
                            finding.kind.status(),
                            finding.severity().label()
                        ))
                        .strong(),
                    );
                    ui.label(finding.message.as_ref());
                    ui.label(RichText::new(finding.kind.remedy()).italics());
                    if finding.kind == FindingKind::IdentityMismatch {
                        identity_ui(ui, app, t, r);
                    }
                    for evidence in &finding.evidence {
                        ui.label(format!("· {evidence}"));
                    }
                });
            }
            candidates_ui(ui, app, t, r, commands);
            ui.separator();
            ui.label(RichText::new("Tous les champs").strong());
            egui::Grid::new("champs")
                .num_columns(2)
                .min_col_width(120.0)
                .striped(true)
                .show(ui, |ui| {
                    for (c, column) in table.columns.iter().enumerate() {
                        if column.role == ColumnRole::Trailing {
                            continue;
                        }
                        ui.label(RichText::new(&column.title).strong());
                        let value = table.cell(r, c);
                        if column.role == ColumnRole::Password && !value.is_empty() {
                            ui.label(PASSWORD_MASK)
                                .on_hover_text(if app.reveal_passwords {
                                    format!("Mot de passe : {value}")
                                } else {
                                    "Mot de passe masqué (Alt + survol pour l'afficher)".to_owned()
                                });
                        } else {
                            ui.label(value);
                        }
                        ui.end_row();
                    }
                });
        });
}

fn identity_ui(ui: &mut egui::Ui, app: &App, t: usize, r: usize) {
    let (Some(candidate), Some(ent)) = (app.doc.analysis.linked(t, r), &app.doc.ent) else {
        return;
    };
    let account = &ent.accounts[candidate.account];
    let table = &app.doc.tables[t];
    egui::Grid::new("identite")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("PRONOTE").strong());
            ui.label(RichText::new("ENT").strong());
            ui.end_row();
            let birth = account
                .birth_date
                .map(|d| d.to_string())
                .unwrap_or_default();
            let rows = [
                ("Nom", table.nom(r).to_owned(), account.nom.to_string()),
                (
                    "Prénom",
                    table.prenom(r).to_owned(),
                    account.prenom.to_string(),
                ),
                (
                    "Né(e) le",
                    table.value(r, ColumnRole::BirthDate).to_owned(),
                    birth,
                ),
            ];
            for (field, pronote, ent_value) in rows {
                let differs = !ent_value.is_empty() && pronote.trim() != ent_value.trim();
                ui.label(field);
                let color = ui.visuals().error_fg_color;
                if differs {
                    ui.label(RichText::new(pronote).color(color).strong());
                    ui.label(RichText::new(ent_value).color(color).strong());
                } else {
                    ui.label(pronote);
                    ui.label(ent_value);
                }
                ui.end_row();
            }
        });
}

fn candidates_ui(ui: &mut egui::Ui, app: &App, t: usize, r: usize, commands: &mut Vec<Command>) {
    let Some(ent) = &app.doc.ent else {
        return;
    };
    let candidates = app.doc.analysis.candidates(t, r);
    if candidates.is_empty() {
        return;
    }
    let table = &app.doc.tables[t];
    ui.separator();
    ui.label(RichText::new("Comptes ENT candidats").strong());
    for candidate in candidates {
        let account = &ent.accounts[candidate.account];
        ui.group(|ui| {
            ui.label(
                RichText::new(format!(
                    "{} — {} {}",
                    account.login, account.nom, account.prenom
                ))
                .strong(),
            );
            {
                let already = table.cas_id(r).eq_ignore_ascii_case(&account.login);
                if already {
                    ui.label("(identifiant CAS actuel)");
                } else if ui
                    .button(format!("Lier à {}", account.login))
                    .on_hover_text("Renseigner cet identifiant CAS sur la ligne")
                    .clicked()
                {
                    commands.push(Command::Link {
                        table: t,
                        row: r,
                        login: account.login.clone(),
                    });
                }
            }
            ui.label(format!("score {}", candidate.score));
            for evidence in &candidate.evidence {
                ui.label(format!("· {evidence}"));
            }
        });
    }
}
