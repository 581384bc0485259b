//! The list grid: search, status chips, and the virtualised table of the file's columns.

use egui::{Color32, RichText, Sense, Stroke};
use egui_extras::{Column, TableBuilder};

use super::view::{SortKey, StatusFilter};
use super::{App, Command, Document, menu_ui};
use crate::model::columns::{ColumnRole, ListKind, Tick, parse_tick};
use crate::model::findings::{Finding, Severity};

const ROW_HEIGHT: f32 = 20.0;

/// Background of a cell with a finding.
pub fn severity_color(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Error, false) => Color32::from_rgb(255, 205, 205),
        (Severity::Warning, false) => Color32::from_rgb(255, 232, 190),
        (Severity::Info, false) => Color32::from_rgb(225, 235, 250),
        (Severity::Error, true) => Color32::from_rgb(110, 30, 30),
        (Severity::Warning, true) => Color32::from_rgb(100, 70, 20),
        (Severity::Info, true) => Color32::from_rgb(35, 50, 80),
    }
}

/// The text of a row's status column.
pub fn status_text(doc: &Document, t: usize, r: usize) -> &'static str {
    match doc.analysis.status(t, r) {
        Some(kind) => kind.status(),
        None if doc.ent.is_some() => "Lié",
        None => "OK",
    }
}

/// The toolbar and grid of list `t`.
pub fn list_ui(ui: &mut egui::Ui, app: &mut App, t: usize) -> Vec<Command> {
    let mut commands = Vec::new();
    toolbar_ui(ui, app, t, &mut commands);
    ui.separator();
    // Lists are wider than the window: the grid scrolls sideways, rows scroll in the table.
    egui::ScrollArea::horizontal()
        .id_salt(("grille_horizontale", t))
        .auto_shrink([false, false])
        .scroll_source(egui::scroll_area::ScrollSource {
            scroll_bar: true,
            drag: egui::scroll_area::DragScroll::Never,
            mouse_wheel: true,
        })
        .show(ui, |ui| grid_ui(ui, app, t, &mut commands));
    commands
}

fn toolbar_ui(ui: &mut egui::Ui, app: &mut App, t: usize, commands: &mut Vec<Command>) {
    let summary = app.doc.summaries.get(t).cloned().unwrap_or_default();
    let app_list = app.doc.tables[t].list;
    let why = app.doc.tables[t].list_why();
    let hide_fiche = &mut app.state.hide_fiche;
    let view = &mut app.doc.views[t];
    ui.horizontal_wrapped(|ui| {
        let list = app_list;
        let mut chosen = list;
        let label = ui.label("Liste :");
        egui::ComboBox::from_id_salt(("liste", t))
            .selected_text(chosen.label())
            .show_ui(ui, |ui| {
                for kind in ListKind::ALL {
                    ui.selectable_value(&mut chosen, kind, kind.label());
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(format!(
                "{why}. Choisissez une autre liste si celle-ci est fausse (Ctrl+Z pour revenir).",
            ));
        if chosen != list {
            commands.push(Command::SetList {
                table: t,
                list: chosen,
            });
        }
        ui.label(RichText::new(format!("({why})")).weak().small());
        ui.separator();
        let mut show = !*hide_fiche;
        if ui
            .toggle_value(&mut show, "Fiche")
            .on_hover_text("Afficher ou masquer la fiche de la ligne choisie (F3)")
            .changed()
        {
            *hide_fiche = !show;
        }
        ui.separator();
        let label = ui.label("Rechercher :");
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut view.search)
                    .hint_text("nom, prénom, identifiant, CAS")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
        if search.changed() {
            view.invalidate();
        }
        ui.separator();
        let mut chip = |ui: &mut egui::Ui, filter: StatusFilter, text: String| {
            let selected = view.filter == Some(filter);
            if ui.selectable_label(selected, text).clicked() {
                view.filter = if selected { None } else { Some(filter) };
                view.invalidate();
            }
        };
        for (kind, count) in &summary.by_kind {
            chip(
                ui,
                StatusFilter::Kind(*kind),
                format!("{} ({count})", kind.status()),
            );
        }
        let clean = if app.doc.ent.is_some() { "Lié" } else { "OK" };
        chip(
            ui,
            StatusFilter::Clean,
            format!("{clean} ({})", summary.clean),
        );
        if (view.filter.is_some() || !view.search.is_empty())
            && ui
                .button("Tout extraire")
                .on_hover_text(
                    "Extraire > Tout extraire (Ctrl+T) : voir à nouveau toutes les lignes",
                )
                .clicked()
        {
            commands.push(Command::ExtractAll);
        }
        if let Some(StatusFilter::Kind(kind)) = view.filter
            && kind.has_auto_fix()
            && ui
                .button(format!(
                    "Appliquer les corrections proposées : {}",
                    kind.status()
                ))
                .clicked()
        {
            commands.push(Command::ApplyKind(kind));
        }
    });
}

/// A deferred click on a row.
enum RowEvent {
    Click { row: usize, ctrl: bool, shift: bool },
    Secondary { row: usize },
    EditCas { row: usize, column: usize },
}

fn grid_ui(ui: &mut egui::Ui, app: &mut App, t: usize, commands: &mut Vec<Command>) {
    let App {
        doc,
        editing,
        reveal_passwords,
        ..
    } = app;
    let table = &doc.tables[t];
    let analysis = &doc.analysis;
    let view = &mut doc.views[t];
    let _ = view.visible(table, t, analysis);
    let scroll_to = view
        .scroll_to
        .take()
        .and_then(|row| view.visible_cached().iter().position(|&r| r == row));
    let view = &doc.views[t];
    let visible = view.visible_cached();
    let columns: Vec<usize> = (0..table.columns.len())
        .filter(|&c| table.columns[c].role != ColumnRole::Trailing)
        .collect();
    let dark = ui.visuals().dark_mode;
    let mut events = Vec::new();
    let mut sort_clicked = None;
    let mut commit_edit: Option<Command> = None;
    let mut cancel_edit = false;
    ui.style_mut().interaction.selectable_labels = false;

    let mut builder = TableBuilder::new(ui)
        .id_salt(("grille", table.list, table.file_name()))
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(130.0).at_least(60.0).clip(true));
    if let Some(index) = scroll_to {
        builder = builder.scroll_to_row(index, Some(egui::Align::Center));
    }
    for &c in &columns {
        let width = match table.columns[c].role {
            ColumnRole::Nom | ColumnRole::CasId | ColumnRole::Email => 150.0,
            ColumnRole::Prenom | ColumnRole::Login | ColumnRole::PronoteEntId => 120.0,
            ColumnRole::ParentAccess | ColumnRole::Tick => 60.0,
            _ => 100.0,
        };
        builder = builder.column(Column::initial(width).at_least(30.0).clip(true));
    }
    builder
        .header(ROW_HEIGHT + 4.0, |mut header| {
            let arrow = |key: SortKey| match view.sort {
                Some((current, true)) if current == key => " (A-Z)",
                Some((current, false)) if current == key => " (Z-A)",
                _ => "",
            };
            header.col(|ui| {
                if ui
                    .button(RichText::new(format!("Statut{}", arrow(SortKey::Status))).strong())
                    .on_hover_text("Trier par statut")
                    .clicked()
                {
                    sort_clicked = Some(SortKey::Status);
                }
            });
            for &c in &columns {
                header.col(|ui| {
                    let title = &table.columns[c].title;
                    if ui
                        .button(
                            RichText::new(format!("{title}{}", arrow(SortKey::Column(c)))).strong(),
                        )
                        .on_hover_text(format!("Trier par « {title} »"))
                        .clicked()
                    {
                        sort_clicked = Some(SortKey::Column(c));
                    }
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, visible.len(), |mut row| {
                let r = visible[row.index()];
                let findings = analysis.row(t, r);
                row.set_selected(view.selection.contains(&r));
                row.col(|ui| {
                    let status = status_text(doc, t, r);
                    let severity = findings.iter().map(Finding::severity).max();
                    let text = match severity {
                        Some(Severity::Error) => RichText::new(status)
                            .color(ui.visuals().error_fg_color)
                            .strong(),
                        Some(Severity::Warning) => {
                            RichText::new(status).color(ui.visuals().warn_fg_color)
                        }
                        _ => RichText::new(status),
                    };
                    let response = ui.label(text);
                    if !findings.is_empty() {
                        let tip: Vec<String> = findings
                            .iter()
                            .map(|f| format!("{} : {}", f.kind.status(), f.message))
                            .collect();
                        response.on_hover_text(tip.join("\n\n"));
                    }
                });
                for &c in &columns {
                    let role = table.columns[c].role;
                    let value = &table.rows[r].cells[c];
                    let cell_findings: Vec<&Finding> =
                        findings.iter().filter(|f| f.column == Some(c)).collect();
                    let edited = table.is_edited(r, c);
                    let (_, cell) = row.col(|ui| {
                        let rect = ui.max_rect();
                        if let Some(severity) = cell_findings.iter().map(|f| f.severity()).max()
                            && severity > Severity::Info
                        {
                            ui.painter()
                                .rect_filled(rect, 0.0, severity_color(severity, dark));
                        }
                        if edited {
                            ui.painter().rect_stroke(
                                rect.shrink(1.0),
                                2.0,
                                Stroke::new(1.5, Color32::from_rgb(40, 120, 220)),
                                egui::StrokeKind::Inside,
                            );
                        }
                        if let Some((et, er, ec, text)) = editing.as_mut()
                            && (*et, *er, *ec) == (t, r, c)
                        {
                            let response = ui.add(
                                egui::TextEdit::singleline(text)
                                    .desired_width(f32::INFINITY)
                                    .id_salt("edition_cas"),
                            );
                            let response =
                                response.on_hover_text("Entrée pour valider, Échap pour annuler");
                            response.request_focus();
                            if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                                commit_edit = Some(Command::SetCell {
                                    table: t,
                                    row: r,
                                    column: c,
                                    value: text.trim().to_owned(),
                                });
                            } else if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                                cancel_edit = true;
                            }
                            return;
                        }
                        let response = if role == ColumnRole::Password {
                            let response = ui.label(if value.is_empty() { "" } else { "******" });
                            if *reveal_passwords && !value.is_empty() {
                                response.on_hover_text(format!("Mot de passe : {value}"))
                            } else {
                                response.on_hover_text(
                                    "Mot de passe masqué (Alt + survol pour l'afficher)",
                                )
                            }
                        } else if role.is_tick()
                            && let Some(state) = parse_tick(value)
                        {
                            tick_ui(ui, state)
                        } else if role == ColumnRole::CasId
                            && value.trim().is_empty()
                            && let Some(login) = proposed_login(&cell_findings)
                        {
                            ui.label(RichText::new(format!("proposé : {login}")).italics().weak())
                        } else {
                            ui.label(value.as_str())
                        };
                        let mut tip: Vec<String> =
                            cell_findings.iter().map(|f| f.message.clone()).collect();
                        if edited {
                            tip.push(format!(
                                "Modifié (valeur du fichier : « {} »)",
                                table.original_value(r, c)
                            ));
                        }
                        if role == ColumnRole::CasId {
                            tip.push("Double-clic pour modifier l'identifiant CAS".to_owned());
                        }
                        if !tip.is_empty() {
                            response.on_hover_text(tip.join("\n\n"));
                        }
                    });
                    if role == ColumnRole::CasId && cell.double_clicked() {
                        events.push(RowEvent::EditCas { row: r, column: c });
                    }
                }
                let response = row.response();
                if response.clicked() {
                    let modifiers = response.ctx.input(|i| i.modifiers);
                    events.push(RowEvent::Click {
                        row: r,
                        ctrl: modifiers.command,
                        shift: modifiers.shift,
                    });
                }
                if response.secondary_clicked() {
                    events.push(RowEvent::Secondary { row: r });
                }
                response.context_menu(|ui| {
                    ui.menu_button("Modifier la sélection", |ui| {
                        menu_ui::selection_menu_ui(ui, commands);
                    });
                });
            });
        });

    let view = &mut doc.views[t];
    if let Some(key) = sort_clicked {
        view.toggle_sort(key);
    }
    for event in events {
        match event {
            RowEvent::Click { row, ctrl, shift } => view.click(row, ctrl, shift),
            RowEvent::Secondary { row } => {
                if !view.selection.contains(&row) {
                    view.click(row, false, false);
                }
            }
            RowEvent::EditCas { row, column } => {
                let current = doc.tables[t].rows[row].cells[column].clone();
                *editing = Some((t, row, column, current));
            }
        }
    }
    if let Some(command) = commit_edit {
        *editing = None;
        commands.push(command);
    }
    if cancel_edit {
        *editing = None;
    }
    *reveal_passwords = ui.input(|i| i.modifiers.alt);
}

/// The login a row's findings propose for its CAS, if any.
fn proposed_login<'a>(findings: &[&'a Finding]) -> Option<&'a str> {
    findings
        .iter()
        .find(|f| f.action == Some(crate::model::findings::Action::SetCas))
        .and_then(|f| f.suggested.as_deref())
}

/// A tick drawn as a tick (or nothing when not ticked), with an accessible name.
fn tick_ui(ui: &mut egui::Ui, state: Tick) -> egui::Response {
    let size = egui::vec2(14.0, 14.0);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    if state == Tick::On {
        let stroke = Stroke::new(2.0, Color32::from_rgb(30, 150, 60));
        let points = [
            rect.left_center() + egui::vec2(2.0, 0.0),
            rect.center_bottom() + egui::vec2(-1.0, -3.0),
            rect.right_top() + egui::vec2(-2.0, 3.0),
        ];
        ui.painter().line_segment([points[0], points[1]], stroke);
        ui.painter().line_segment([points[1], points[2]], stroke);
    }
    let label = if state == Tick::On {
        "coché"
    } else {
        "non coché"
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, label));
    response
}
