//! « Tableau de bord »: where to start. Per list, the counts by status as a bar chart, the
//! most serious first, each with its meaning, its FAQ case, the button that selects those rows
//! in their tab and, where the tool can apply it, the fix (confirmed first). Then the ENT
//! export's own anomalies.

use egui::{RichText, Sense, vec2};

use super::ent_ui::EntFilter;
use super::view::StatusFilter;
use super::{App, Command, Document, Tab};
use crate::model::findings::{FindingKind, Severity};

/// The width of a full bar (every row of the list).
const BAR_WIDTH: f32 = 140.0;
/// The width of the status column.
const STATUS_WIDTH: f32 = 180.0;
/// Room left for the two buttons of a line.
const BUTTONS_WIDTH: f32 = 190.0;

impl App {
    /// Takes the grid to the rows of one status: their tab, that chip alone, every one of them
    /// selected, the first in view.
    pub(super) fn show_status(&mut self, table: usize, kind: FindingKind) {
        if table >= self.doc.tables.len() {
            return;
        }
        self.tab = Tab::List(self.doc.tables[table].stamp.id);
        self.editing = None;
        let view = &mut self.doc.views[table];
        view.search.clear();
        view.set_filter(Some(StatusFilter::Kind(kind)));
        let visible = view.visible(&self.doc.tables[table], table, &self.doc.analysis);
        let first = visible.first().copied();
        view.select_all();
        view.anchor = first;
        view.focused = first;
        view.scroll_to = first;
    }
}

/// The dashboard.
pub fn dashboard_ui(ui: &mut egui::Ui, doc: &Document) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading("Tableau de bord : par où commencer");
            ui.label(
                "Pour chaque liste, les problèmes trouvés, les plus graves d'abord. « Voir » ouvre \
                 la liste avec ces lignes sélectionnées ; « Corriger » montre d'abord les \
                 changements et demande confirmation (Ctrl+Z pour annuler).",
            );
            if doc.is_example {
                ui.label(
                    RichText::new(
                        "Base exemple de la FAQ. Ouvrez vos exports : Fichier > Ouvrir des exports \
                         PRONOTE… (Ctrl+O), ou glissez-les dans la fenêtre.",
                    )
                    .italics(),
                );
            }
            ui.add_space(6.0);
            if doc.ent.is_none() {
                ent_missing_ui(ui, &mut commands);
            }
            for t in 0..doc.tables.len() {
                list_ui(ui, doc, t, &mut commands);
            }
            ent_anomalies_ui(ui, doc, &mut commands);
        });
    commands
}

fn ent_missing_ui(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    ui.group(|ui| {
        ui.label(
            RichText::new(
                "Aucun export des comptes ENT : les identifiants CAS ne sont jugés que sur leur \
                 ressemblance avec le nom.",
            )
            .color(ui.visuals().warn_fg_color),
        );
        if ui
            .button("Ouvrir l'export des comptes ENT…")
            .on_hover_text("Console de l'ENT > Imports/Exports > Exporter des comptes")
            .clicked()
        {
            commands.push(Command::OpenEntDialog);
        }
    });
}

/// One list: its name, then one line per status present.
fn list_ui(ui: &mut egui::Ui, doc: &Document, t: usize, commands: &mut Vec<Command>) {
    let table = &doc.tables[t];
    let Some(summary) = doc.summaries.get(t) else {
        return;
    };
    let rows = table.rows.len();
    ui.add_space(6.0);
    ui.label(
        RichText::new(format!(
            "{} — {rows} ligne(s) — {}",
            table.list.label(),
            table.file_name()
        ))
        .heading()
        .size(17.0),
    );
    let present: Vec<(FindingKind, usize)> = FindingKind::BY_URGENCY
        .iter()
        .filter_map(|kind| {
            summary
                .by_kind
                .iter()
                .find(|(k, _)| k == kind)
                .map(|(_, n)| (*kind, *n))
        })
        .filter(|(kind, _)| kind.severity() > Severity::Info)
        .collect();
    let clean = if doc.ent.is_some() { "Lié" } else { "OK" };
    if present.is_empty() {
        ui.label(format!(
            "Rien à corriger : {} ligne(s) « {clean} ».",
            summary.clean
        ));
    }
    for (kind, count) in present {
        status_line_ui(ui, doc, t, kind, count, rows, commands);
    }
    let info: Vec<String> = summary
        .by_kind
        .iter()
        .filter(|(kind, _)| kind.severity() == Severity::Info)
        .map(|(kind, n)| format!("{} : {n}", kind.status()))
        .collect();
    let mut rest = vec![format!("{clean} : {}", summary.clean)];
    rest.extend(info);
    ui.label(RichText::new(format!("Pour information — {}", rest.join(" ; "))).weak());
    ui.separator();
}

/// A column of fixed width in a line of the dashboard: the lines align from list to list.
fn fixed_ui(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.allocate_ui_with_layout(
        vec2(width, 0.0),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_width(width);
            add(ui);
        },
    );
}

/// A button whose accessible name says more than its text (which list, which status).
fn button_named(ui: &mut egui::Ui, text: &str, name: String) -> egui::Response {
    let response = ui.add(egui::Button::new(text));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    response
}

fn status_line_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    t: usize,
    kind: FindingKind,
    count: usize,
    rows: usize,
    commands: &mut Vec<Command>,
) {
    let list = doc.tables[t].list.label();
    let color = match kind.severity() {
        Severity::Error => ui.visuals().error_fg_color,
        Severity::Warning => ui.visuals().warn_fg_color,
        Severity::Info => ui.visuals().text_color(),
    };
    ui.horizontal(|ui| {
        fixed_ui(ui, STATUS_WIDTH, |ui| {
            ui.label(RichText::new(kind.status()).color(color).strong());
        });
        // The bar: its length is the share of the list's rows.
        fixed_ui(ui, BAR_WIDTH + 50.0, |ui| {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(vec2(BAR_WIDTH, 14.0), Sense::hover());
                let share = count as f32 / rows.max(1) as f32;
                let filled = rect.with_max_x(rect.left() + (BAR_WIDTH * share).max(3.0));
                ui.painter()
                    .rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
                ui.painter()
                    .rect_filled(filled, 2.0, color.gamma_multiply(0.8));
                ui.label(RichText::new(count.to_string()).strong());
            });
        });
        let meaning_width = (ui.available_width() - BUTTONS_WIDTH).max(220.0);
        fixed_ui(ui, meaning_width, |ui| {
            ui.label(kind.meaning());
            if let Some(case) = kind.faq_case() {
                ui.label(RichText::new(case.label()).weak().small());
            }
        });
        let name = format!("Voir les {count} « {} » dans {list}", kind.status());
        if button_named(ui, &format!("Voir ({count})"), name)
            .on_hover_text("Ouvre la liste avec ces lignes seules, toutes sélectionnées")
            .clicked()
        {
            commands.push(Command::ShowStatus { table: t, kind });
        }
        if kind.has_auto_fix() {
            let name = format!("Corriger : {} ({list})…", kind.status());
            if button_named(ui, "Corriger…", name)
                .on_hover_text(
                    "Applique les corrections proposées de ce statut, après confirmation \
                     (liste des changements, Ctrl+Z pour annuler)",
                )
                .clicked()
            {
                commands.push(Command::ShowStatus { table: t, kind });
                commands.push(Command::ApplyKind(kind));
            }
        }
    });
    ui.add_space(2.0);
}

/// The ENT export's anomalies: accounts nobody in PRONOTE matches, duplicate logins.
fn ent_anomalies_ui(ui: &mut egui::Ui, doc: &Document, commands: &mut Vec<Command>) {
    let Some(ent) = &doc.ent else {
        return;
    };
    ui.add_space(6.0);
    ui.label(
        RichText::new(format!(
            "Export ENT — {} compte(s) — {}",
            ent.accounts.len(),
            ent.layout.label()
        ))
        .heading()
        .size(17.0),
    );
    let orphans = doc.analysis.ent.len();
    let duplicates = ent
        .problems
        .iter()
        .filter(|p| p.kind == "ent_duplicate_login")
        .count();
    let others = ent.problems.len() - duplicates;
    egui::Grid::new("tableau_de_bord_ent")
        .num_columns(3)
        .spacing(vec2(12.0, 6.0))
        .show(ui, |ui| {
            let lines = [
                (
                    "Absents de PRONOTE",
                    orphans,
                    FindingKind::EntOrphan.meaning(),
                    EntFilter::Orphans,
                ),
                (
                    "Identifiants en double",
                    duplicates,
                    "Le même identifiant sur plusieurs comptes de l'ENT : PRONOTE ne peut pas \
                     savoir qui se connecte. À corriger dans la console de l'ENT.",
                    EntFilter::Duplicates,
                ),
            ];
            for (title, count, meaning, filter) in lines {
                let color = if count > 0 {
                    ui.visuals().warn_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.label(
                    RichText::new(format!("{title} : {count}"))
                        .color(color)
                        .strong(),
                );
                ui.label(meaning);
                if count > 0
                    && ui
                        .button(format!("Voir ces {count} comptes"))
                        .on_hover_text("Onglet Comptes ENT, filtré")
                        .clicked()
                {
                    commands.push(Command::ShowEntAccounts(filter));
                }
                ui.end_row();
            }
        });
    if others > 0 {
        ui.label(format!("{others} compte(s) sans nom dans l'export ENT."));
    }
}
