//! The cells of the grid: the status cell, a cell of the file, the proposed login.

use egui::{Color32, Label, RichText, Sense, Stroke};

use crate::model::columns::{ColumnRole, PASSWORD_MASK, Tick, parse_tick};
use crate::model::findings::{Finding, Severity};

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

/// The status cell: the status in the colour of its severity, the findings in its tooltip.
pub fn status_cell_ui(ui: &mut egui::Ui, status: &str, findings: &[Finding]) {
    let severity = findings.iter().map(Finding::severity).max();
    let text = match severity {
        Some(Severity::Error) => RichText::new(status)
            .color(ui.visuals().error_fg_color)
            .strong(),
        Some(Severity::Warning) => RichText::new(status).color(ui.visuals().warn_fg_color),
        _ => RichText::new(status),
    };
    let response = ui.add(Label::new(text).truncate());
    if !findings.is_empty() {
        // Built only when hovered: a frame draws hundreds of cells.
        response.on_hover_ui(|ui| {
            let tip: Vec<String> = findings
                .iter()
                .map(|f| format!("{} : {}", f.kind.status(), f.message))
                .collect();
            ui.label(tip.join("\n\n"));
        });
    }
}

/// What one cell of the file shows.
pub struct CellContent<'a> {
    /// The column's role.
    pub role: ColumnRole,
    /// The value.
    pub value: &'a str,
    /// The findings on this cell.
    pub findings: Vec<&'a Finding>,
    /// The value in the file, when the cell was edited.
    pub original: Option<String>,
    /// Whether passwords are shown in tooltips (Alt held).
    pub reveal_password: bool,
}

/// A cell of the file: its background says the severity of its findings, a frame says it was
/// edited, the tooltip says why.
pub fn cell_ui(ui: &mut egui::Ui, cell: &CellContent<'_>) {
    let rect = ui.max_rect();
    let dark = ui.visuals().dark_mode;
    if let Some(severity) = cell.findings.iter().map(|f| f.severity()).max()
        && severity > Severity::Info
    {
        ui.painter()
            .rect_filled(rect, 0.0, severity_color(severity, dark));
    }
    if cell.original.is_some() {
        ui.painter().rect_stroke(
            rect.shrink(1.0),
            2.0,
            Stroke::new(1.5, Color32::from_rgb(40, 120, 220)),
            egui::StrokeKind::Inside,
        );
    }
    ui.add_space(4.0);
    let value = cell.value;
    let response = if cell.role == ColumnRole::Password {
        let response = ui.label(if value.is_empty() { "" } else { PASSWORD_MASK });
        if cell.reveal_password && !value.is_empty() {
            response.on_hover_text(format!("Mot de passe : {value}"))
        } else {
            response.on_hover_text("Mot de passe masqué (Alt + survol pour l'afficher)")
        }
    } else if cell.role.is_tick()
        && let Some(state) = parse_tick(value)
    {
        tick_ui(ui, state)
    } else {
        ui.add(Label::new(value).truncate())
    };
    let has_tip =
        !cell.findings.is_empty() || cell.original.is_some() || cell.role == ColumnRole::CasId;
    if has_tip {
        // Built only when hovered: a frame draws hundreds of cells.
        response.on_hover_ui(|ui| {
            let mut tip: Vec<String> = cell
                .findings
                .iter()
                .map(|f| f.message.to_string())
                .collect();
            if let Some(original) = &cell.original {
                tip.push(format!("Modifié (valeur du fichier : « {original} »)"));
            }
            if cell.role == ColumnRole::CasId {
                tip.push("Double-clic ou Entrée pour modifier l'identifiant CAS".to_owned());
            }
            ui.label(tip.join("\n\n"));
        });
    }
}

/// The proposed login, in italics.
pub fn proposed_cell_ui(ui: &mut egui::Ui, login: Option<&str>) {
    let Some(login) = login else {
        return;
    };
    ui.add_space(4.0);
    ui.add(Label::new(RichText::new(login).italics()).truncate())
        .on_hover_text(
            "Identifiant proposé d'après l'export ENT : Entrée ou double-clic pour le renseigner \
             (après vérification), ou clic droit > Modifier la sélection > CAS et ENT",
        );
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
