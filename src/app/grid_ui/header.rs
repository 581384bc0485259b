//! The header of the grid: a title per column, a click sorts, a drag of its right edge resizes,
//! a right click hides it.

use egui::text::{LayoutJob, TextWrapping};
use egui::{Color32, CursorIcon, FontId, Rect, Sense, Stroke, TextFormat, pos2, vec2};

use super::columns::GridColumn;

/// Room beside a title for the sort marker and the margins.
const TITLE_MARGIN: f32 = 24.0;

/// What the user did on a column title.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HeaderEvent {
    /// Sort by this column (again: the other way).
    Sort(GridColumn),
    /// The column's new width.
    Resize(GridColumn, f32),
    /// Hide this column.
    Hide(GridColumn),
}

/// One column title to draw.
pub struct HeaderCell<'a> {
    /// The column.
    pub column: GridColumn,
    /// Its title.
    pub title: &'a str,
    /// `Some(true)` when the grid is sorted by it in ascending order, `Some(false)` descending.
    pub sorted: Option<bool>,
    /// Whether the user may hide it (not Statut, Nom, Prénom).
    pub hideable: bool,
}

/// The font of the titles.
fn title_font(ui: &egui::Ui) -> FontId {
    egui::TextStyle::Body.resolve(ui.style())
}

/// The narrowest width that shows a title whole.
pub fn title_width(ui: &egui::Ui, title: &str) -> f32 {
    let galley =
        ui.painter()
            .layout_no_wrap(title.to_owned(), title_font(ui), Color32::PLACEHOLDER);
    galley.size().x + TITLE_MARGIN
}

/// Draws a column title in `rect` (seen through `clip`) and reports what the user did.
pub fn header_cell_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    clip: Rect,
    cell: &HeaderCell<'_>,
    events: &mut Vec<HeaderEvent>,
) {
    let visible = rect.intersect(clip);
    if !visible.is_positive() {
        return;
    }
    let id = ui.scope_id().with(("entete", cell.title));
    let response = ui.interact(visible, id, Sense::click());
    let painter = ui.painter().with_clip_rect(visible);
    let visuals = ui.visuals();
    let fill = if response.hovered() {
        visuals.widgets.hovered.weak_bg_fill
    } else {
        visuals.widgets.inactive.weak_bg_fill
    };
    painter.rect_filled(rect.shrink2(vec2(0.5, 1.0)), 2.0, fill);
    let color = visuals.strong_text_color();
    let mut job = LayoutJob::single_section(
        cell.title.to_owned(),
        TextFormat::simple(title_font(ui), color),
    );
    job.wrap = TextWrapping::truncate_at_width(rect.width() - TITLE_MARGIN);
    let galley = ui.painter().layout_job(job);
    let text_pos = pos2(rect.left() + 6.0, rect.center().y - galley.size().y / 2.0);
    painter.galley(text_pos, galley, color);
    if let Some(ascending) = cell.sorted {
        let center = pos2(rect.right() - 11.0, rect.center().y);
        let (tip, base) = if ascending {
            (center + vec2(0.0, -4.0), center.y + 3.0)
        } else {
            (center + vec2(0.0, 4.0), center.y - 3.0)
        };
        painter.add(egui::Shape::convex_polygon(
            vec![tip, pos2(center.x - 4.0, base), pos2(center.x + 4.0, base)],
            color,
            Stroke::NONE,
        ));
    }
    let order = match (cell.column, cell.sorted) {
        (GridColumn::Status, Some(true)) => ", trié du plus grave au moins grave",
        (GridColumn::Status, Some(false)) => ", trié du moins grave au plus grave",
        (_, Some(true)) => ", trié de A à Z",
        (_, Some(false)) => ", trié de Z à A",
        (_, None) => "",
    };
    let label = format!("{}{order}", cell.title);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let tip = match cell.column {
        GridColumn::Status => {
            "Trier par gravité (les plus graves d'abord, puis l'inverse)".to_owned()
        }
        _ => format!(
            "Trier par « {} » (clic droit : masquer la colonne)",
            cell.title
        ),
    };
    let response = response.on_hover_text(tip);
    if response.clicked() {
        events.push(HeaderEvent::Sort(cell.column));
    }
    if cell.hideable {
        response.context_menu(|ui| {
            if ui.button(format!("Masquer « {} »", cell.title)).clicked() {
                events.push(HeaderEvent::Hide(cell.column));
            }
        });
    }
    // The right edge resizes the column.
    let edge = Rect::from_x_y_ranges(rect.right() - 3.0..=rect.right() + 3.0, rect.y_range())
        .intersect(clip);
    if edge.is_positive() {
        let handle = ui.interact(edge, id.with("bord"), Sense::drag());
        if handle.hovered() || handle.dragged() {
            ui.ctx().set_cursor_icon(CursorIcon::ResizeColumn);
        }
        if handle.dragged()
            && let Some(pointer) = handle.interact_pointer_pos()
        {
            events.push(HeaderEvent::Resize(cell.column, pointer.x - rect.left()));
        }
    }
}
