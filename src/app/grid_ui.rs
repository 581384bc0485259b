//! The list grid: toolbar, status chips, and the virtualised table of the list's columns.
//!
//! Statut, Nom and Prénom are pinned on the left; the other columns scroll sideways under a
//! header that never moves. Only the rows and columns in view are built, so a list of a
//! million rows costs the same frame as a list of a hundred.

mod cas_editor;
mod cells;
pub mod columns;
mod header;
mod toolbar;

use egui::{Rect, Sense, Vec2, pos2, vec2};

use super::document::TableSummary;
use super::grid_keys::{GridKey, read_grid_keys};
use super::view::{SortKey, TableView};
use super::{App, Command, Document, menu_ui};
use crate::model::columns::ColumnRole;
use crate::model::findings::{Action, Finding};
use crate::model::table::Table;
use crate::review::analysis::Analysis;
use cas_editor::{EditorOutcome, cas_editor_ui};
use cells::{CellContent, cell_ui, proposed_cell_ui, status_cell_ui};
use columns::{GridColumn, GridLayout, GridPrefs};
use header::{HeaderCell, HeaderEvent, header_cell_ui};

/// Height of a row.
pub const ROW_HEIGHT: f32 = 22.0;
/// Height of the header.
const HEADER_HEIGHT: f32 = 26.0;

/// The text of a row's status column.
pub fn status_text(doc: &Document, t: usize, r: usize) -> &'static str {
    status_of(&doc.analysis, doc.ent.is_some(), t, r)
}

fn status_of(analysis: &Analysis, has_ent: bool, t: usize, r: usize) -> &'static str {
    match analysis.status(t, r) {
        Some(kind) => kind.status(),
        None if has_ent => "Lié",
        None => "OK",
    }
}

/// The login a row's findings propose for its CAS, if any.
pub fn proposed_login(findings: &[Finding]) -> Option<&str> {
    findings
        .iter()
        .find(|f| f.action == Some(Action::SetCas))
        .and_then(|f| f.suggested.as_deref())
}

/// The toolbar, chips and grid of list `t`.
pub fn list_ui(ui: &mut egui::Ui, app: &mut App, t: usize, fiche_shown: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let keyboard_free = app.dialog.is_none();
    let App {
        doc,
        state,
        editing,
        reveal_passwords,
        ..
    } = app;
    let table = &doc.tables[t];
    let prefs = state.grids.entry(table.list.code().to_owned()).or_default();
    let empty = TableSummary::default();
    let mut bar = toolbar::Toolbar {
        t,
        table,
        summary: doc.summaries.get(t).unwrap_or(&empty),
        view: &mut doc.views[t],
        prefs,
        has_ent: doc.ent.is_some(),
        fiche_shown,
    };
    toolbar::toolbar_ui(ui, &mut bar, &mut commands);
    toolbar::chips_ui(ui, &mut bar, &mut commands);
    ui.separator();
    let mut grid = Grid {
        t,
        table,
        summary: doc.summaries.get(t).unwrap_or(&empty),
        analysis: &doc.analysis,
        has_ent: doc.ent.is_some(),
        view: &mut doc.views[t],
        prefs: state.grids.entry(table.list.code().to_owned()).or_default(),
        editing,
        reveal_passwords: *reveal_passwords,
        keyboard_free,
    };
    grid_ui(ui, &mut grid, &mut commands);
    *reveal_passwords = ui.input(|i| i.modifiers.alt);
    commands
}

/// What the grid of one list borrows.
struct Grid<'a> {
    t: usize,
    table: &'a Table,
    summary: &'a TableSummary,
    analysis: &'a Analysis,
    has_ent: bool,
    view: &'a mut TableView,
    prefs: &'a mut GridPrefs,
    /// The CAS cell being edited: (table, row, column, text).
    editing: &'a mut Option<(usize, usize, usize, String)>,
    reveal_passwords: bool,
    /// No dialog holds the keyboard.
    keyboard_free: bool,
}

/// A deferred action on a row.
enum RowEvent {
    Click { row: usize, ctrl: bool, shift: bool },
    Secondary { row: usize },
    EditCas { row: usize },
}

/// Where the columns are on screen this frame.
struct Placement {
    /// Pinned columns: (column, left, width), fixed.
    pinned: Vec<(GridColumn, f32, f32)>,
    /// Scrolled columns in view: (column, left, width).
    scrolled: Vec<(GridColumn, f32, f32)>,
    /// Where the scrolled columns start (the right edge of the pinned ones).
    scrolled_left: f32,
    /// The right edge of the last column, or of the view.
    right: f32,
}

impl Placement {
    /// Every column in view with the clip of its side within `area` (a header or a row band):
    /// the pinned ones left of `scrolled_left`, the scrolled ones right of it.
    fn cells_clipped(&self, area: Rect) -> impl Iterator<Item = (&(GridColumn, f32, f32), Rect)> {
        let pinned_clip = Rect::from_x_y_ranges(area.left()..=self.scrolled_left, area.y_range());
        let scrolled_clip =
            Rect::from_x_y_ranges(self.scrolled_left..=area.right(), area.y_range());
        self.pinned
            .iter()
            .map(move |c| (c, pinned_clip))
            .chain(self.scrolled.iter().map(move |c| (c, scrolled_clip)))
    }
}

fn place(layout: &GridLayout, origin_x: f32, view: Rect) -> Placement {
    let mut x = view.left();
    let pinned: Vec<(GridColumn, f32, f32)> = layout
        .pinned
        .iter()
        .map(|&(c, w)| {
            let left = x;
            x += w;
            (c, left, w)
        })
        .collect();
    let scrolled_left = x;
    let mut x = origin_x + layout.pinned_width();
    let scrolled = layout
        .scrolled
        .iter()
        .filter_map(|&(c, w)| {
            let left = x;
            x += w;
            (left + w > scrolled_left && left < view.right()).then_some((c, left, w))
        })
        .collect();
    Placement {
        pinned,
        scrolled,
        scrolled_left,
        right: x.max(scrolled_left).min(view.right()),
    }
}

fn grid_ui(ui: &mut egui::Ui, grid: &mut Grid<'_>, commands: &mut Vec<Command>) {
    let table = grid.table;
    let t = grid.t;
    let _ = grid.view.visible(table, t, grid.analysis);
    ui.style_mut().interaction.selectable_labels = false;

    // The keyboard, when nothing else has it.
    let mut events = Vec::new();
    let mut sideways = 0i32;
    let typing = ui.ctx().memory(|m| m.focused().is_some());
    if grid.keyboard_free && !typing && !egui::Popup::is_any_open(ui.ctx()) {
        let page = ((grid.view.body_view.1 / ROW_HEIGHT) as usize).saturating_sub(1);
        for key in read_grid_keys(ui.ctx()) {
            match key {
                GridKey::Move { motion, extend } => {
                    let _ = grid.view.move_cursor(motion, extend, page);
                }
                GridKey::MoveCursor(motion) => grid.view.move_cursor_alone(motion, page),
                GridKey::Sideways(step) => sideways += i32::from(step),
                GridKey::Toggle => grid.view.toggle_cursor(),
                GridKey::Edit => {
                    if let Some(row) = grid.view.focused {
                        events.push(RowEvent::EditCas { row });
                    }
                }
            }
        }
    }

    let status_width = status_width(ui, grid);
    let layout = columns::layout(table, grid.prefs, grid.has_ent, |c| match c {
        GridColumn::Status => status_width,
        _ => header::title_width(ui, columns::title(table, c)),
    });
    let scroll_to = grid.view.scroll_to.take();
    let reveal = grid.view.reveal.take();
    let visible = grid.view.visible_cached();
    let rows = visible.len();
    let position = |row: Option<usize>| row.and_then(|row| visible.iter().position(|&r| r == row));
    let (scroll_to, reveal) = (position(scroll_to), position(reveal));
    let content = vec2(
        layout.pinned_width() + layout.scrolled_width(),
        HEADER_HEIGHT + rows as f32 * ROW_HEIGHT,
    );

    let mut area = egui::ScrollArea::both()
        .id_salt(("grille", table.list, table.file_name()))
        .auto_shrink([false, false])
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .scroll_source(egui::scroll_area::ScrollSource {
            scroll_bar: true,
            drag: egui::scroll_area::DragScroll::Never,
            mouse_wheel: true,
        });
    if !grid.view.shown {
        // A new session starts at the top left: Statut, Nom, Prénom and the CAS in view.
        area = area.scroll_offset(Vec2::ZERO);
        grid.view.shown = true;
    }
    if sideways != 0 {
        // One column's width per key, through the scrolled columns.
        let step = layout
            .scrolled
            .first()
            .map_or(120.0, |(_, w)| *w)
            .clamp(60.0, 200.0);
        let x = (grid.view.side_offset + step * sideways as f32).max(0.0);
        area = area.horizontal_scroll_offset(x);
    }
    let (offset, body_height) = grid.view.body_view;
    // The body's height is known from the previous frame; a tab shown for the first time has
    // none yet: what the area will get is near enough to centre a row.
    let body_height = if body_height > 0.0 {
        body_height
    } else {
        (ui.available_height() - HEADER_HEIGHT).max(ROW_HEIGHT)
    };
    if let Some(index) = scroll_to {
        let top = index as f32 * ROW_HEIGHT - (body_height - ROW_HEIGHT) / 2.0;
        area = area.vertical_scroll_offset(top.max(0.0));
    } else if let Some(index) = reveal {
        let top = index as f32 * ROW_HEIGHT;
        if top < offset {
            area = area.vertical_scroll_offset(top);
        } else if top + ROW_HEIGHT > offset + body_height {
            area = area.vertical_scroll_offset(top + ROW_HEIGHT - body_height);
        }
    }

    let mut header_events = Vec::new();
    let output = area.show_viewport(ui, |ui, viewport| {
        ui.set_min_size(content);
        let origin = ui.max_rect().min;
        let view_rect = Rect::from_min_size(origin + viewport.min.to_vec2(), viewport.size());
        let placement = place(&layout, origin.x, view_rect);
        let header_rect =
            Rect::from_min_size(view_rect.min, vec2(view_rect.width(), HEADER_HEIGHT));
        header_ui(ui, grid, &placement, header_rect, &mut header_events);
        let body = Rect::from_min_max(
            pos2(view_rect.left(), view_rect.top() + HEADER_HEIGHT),
            view_rect.max,
        );
        if rows == 0 {
            empty_ui(ui, grid, body, commands);
            return;
        }
        let first = (viewport.min.y / ROW_HEIGHT).floor().max(0.0) as usize;
        let last = (((viewport.max.y - HEADER_HEIGHT) / ROW_HEIGHT).ceil() as usize + 1).min(rows);
        for index in first..last {
            let top = origin.y + HEADER_HEIGHT + index as f32 * ROW_HEIGHT;
            row_ui(
                ui,
                grid,
                &placement,
                body,
                index,
                top,
                &mut events,
                commands,
            );
        }
        // The edge of the pinned columns.
        ui.painter().vline(
            placement.scrolled_left,
            view_rect.y_range(),
            ui.visuals().widgets.noninteractive.bg_stroke,
        );
    });
    grid.view.side_offset = output.state.clamped_offset().x;
    grid.view.body_view = (
        output.state.clamped_offset().y,
        (output.inner_rect.height() - HEADER_HEIGHT).max(ROW_HEIGHT),
    );

    for event in header_events {
        match event {
            HeaderEvent::Sort(column) => grid.view.toggle_sort(match column {
                GridColumn::File(c) => SortKey::Column(c),
                GridColumn::Status | GridColumn::Proposed => SortKey::Status,
            }),
            HeaderEvent::Resize(column, width) => {
                let key = columns::key(table, column);
                grid.prefs.widths.insert(key, width.clamp(36.0, 600.0));
            }
            HeaderEvent::Hide(column) => {
                grid.prefs.hidden.insert(columns::key(table, column));
            }
        }
    }
    for event in events {
        match event {
            RowEvent::Click { row, ctrl, shift } => grid.view.click(row, ctrl, shift),
            RowEvent::Secondary { row } => {
                if !grid.view.selection.contains(&row) {
                    grid.view.click(row, false, false);
                }
            }
            RowEvent::EditCas { row } => {
                let Some(column) = table.column(ColumnRole::CasId) else {
                    continue;
                };
                // Pre-filled with the proposal, when there is one.
                let current = table.cell(row, column);
                let text = proposed_login(grid.analysis.row(t, row))
                    .unwrap_or(current)
                    .to_owned();
                *grid.editing = Some((t, row, column, text));
                grid.view.reveal = Some(row);
            }
        }
    }
}

/// The widest status of the list, so that no status is cut.
fn status_width(ui: &egui::Ui, grid: &Grid<'_>) -> f32 {
    let mut widest = header::title_width(ui, if grid.has_ent { "Lié" } else { "OK" });
    // The kinds present in the list, without looking at every row.
    for (kind, _) in &grid.summary.by_kind {
        widest = widest.max(header::title_width(ui, kind.status()));
    }
    widest.clamp(80.0, 230.0)
}

fn header_ui(
    ui: &mut egui::Ui,
    grid: &Grid<'_>,
    placement: &Placement,
    header: Rect,
    events: &mut Vec<HeaderEvent>,
) {
    let table = grid.table;
    ui.painter()
        .rect_filled(header, 0.0, ui.visuals().panel_fill);
    let sorted = |column: GridColumn| match (grid.view.sort, column) {
        (Some((SortKey::Status, ascending)), GridColumn::Status) => Some(ascending),
        (Some((SortKey::Column(c), ascending)), GridColumn::File(d)) if c == d => Some(ascending),
        _ => None,
    };
    for (&(column, left, width), clip) in placement.cells_clipped(header) {
        let rect = Rect::from_x_y_ranges(left..=left + width, header.y_range());
        let cell = HeaderCell {
            column,
            title: columns::title(table, column),
            sorted: sorted(column),
            hideable: !placement.pinned.iter().any(|(c, ..)| *c == column),
        };
        header_cell_ui(ui, rect, clip, &cell, events);
    }
}

/// No row to show: say why, and how to see them all again.
fn empty_ui(ui: &mut egui::Ui, grid: &Grid<'_>, body: Rect, commands: &mut Vec<Command>) {
    let rect = Rect::from_min_size(
        body.min + vec2(12.0, 16.0),
        vec2(body.width().min(640.0) - 24.0, 120.0),
    );
    ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
        if grid.table.rows.is_empty() {
            ui.label("Cette liste n'a aucune ligne.");
            return;
        }
        let mut what: Vec<String> = grid
            .view
            .filters
            .iter()
            .map(|f| match f {
                super::view::StatusFilter::Kind(kind) => format!("« {} »", kind.status()),
                super::view::StatusFilter::Clean => "« Lié »".to_owned(),
            })
            .collect();
        if !grid.view.search.trim().is_empty() {
            what.push(format!("la recherche « {} »", grid.view.search.trim()));
        }
        ui.label(format!(
            "Aucune ligne ne correspond à {} : les corrections ont peut-être déjà été faites.",
            what.join(" et ")
        ));
        if ui
            .button("Tout extraire")
            .on_hover_text("Voir à nouveau toutes les lignes (Ctrl+T)")
            .clicked()
        {
            commands.push(Command::ExtractAll);
        }
    });
}

#[allow(clippy::too_many_arguments)] // One row's geometry: splitting it would only hide it.
fn row_ui(
    ui: &mut egui::Ui,
    grid: &mut Grid<'_>,
    placement: &Placement,
    body: Rect,
    index: usize,
    top: f32,
    events: &mut Vec<RowEvent>,
    commands: &mut Vec<Command>,
) {
    let t = grid.t;
    let table = grid.table;
    let r = grid.view.visible_cached()[index];
    let findings = grid.analysis.row(t, r);
    let row_rect = Rect::from_x_y_ranges(body.left()..=placement.right, top..=top + ROW_HEIGHT);
    let shown = row_rect.intersect(body);
    if !shown.is_positive() {
        return;
    }
    let visuals = ui.visuals().clone();
    let selected = grid.view.selection.contains(&r);
    let painter = ui.painter().with_clip_rect(body);
    if selected {
        painter.rect_filled(
            row_rect,
            0.0,
            visuals.selection.bg_fill.gamma_multiply(0.45),
        );
    } else if index % 2 == 1 {
        painter.rect_filled(row_rect, 0.0, visuals.faint_bg_color);
    }
    if grid.view.focused == Some(r) {
        painter.rect_stroke(
            row_rect.shrink(0.5),
            0.0,
            visuals.selection.stroke,
            egui::StrokeKind::Inside,
        );
    }
    let response = ui.interact(shown, ui.scope_id().with(("ligne", r)), Sense::click());

    for (&(column, left, width), clip) in placement.cells_clipped(body) {
        let rect = Rect::from_x_y_ranges(left..=left + width, top..=top + ROW_HEIGHT);
        let clip = rect.intersect(clip);
        if !clip.is_positive() {
            continue;
        }
        let mut cell = ui.new_child(
            egui::UiBuilder::new()
                .id_salt(("cellule", r, left as i32))
                .max_rect(rect)
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
        );
        cell.set_clip_rect(clip);
        match column {
            GridColumn::Status => {
                cell.add_space(4.0);
                status_cell_ui(
                    &mut cell,
                    status_of(grid.analysis, grid.has_ent, t, r),
                    findings,
                );
            }
            GridColumn::Proposed => proposed_cell_ui(&mut cell, proposed_login(findings)),
            GridColumn::File(c) => {
                if let Some((et, er, ec, text)) = grid.editing.as_mut()
                    && (*et, *er, *ec) == (t, r, c)
                {
                    let id = cell.scope_id().with(("edition_cas", r, c));
                    match cas_editor_ui(&mut cell, id, text) {
                        EditorOutcome::Editing => {}
                        EditorOutcome::Commit => {
                            commands.push(Command::SetCell {
                                table: t,
                                row: r,
                                column: c,
                                value: text.trim().to_owned(),
                            });
                            *grid.editing = None;
                        }
                        EditorOutcome::Cancel => *grid.editing = None,
                    }
                    continue;
                }
                let content = CellContent {
                    role: table.columns[c].role,
                    value: table.cell(r, c),
                    findings: findings.iter().filter(|f| f.column == Some(c)).collect(),
                    original: table.is_edited(r, c).then(|| table.original_value(r, c)),
                    reveal_password: grid.reveal_passwords,
                };
                cell_ui(&mut cell, &content);
            }
        }
    }

    // A click just before (selecting the row, or on a tab) makes the double click a triple
    // one for egui: either opens the editor.
    if response.double_clicked() || response.triple_clicked() {
        events.push(RowEvent::EditCas { row: r });
    } else if response.clicked() {
        let modifiers = super::grid_keys::click_modifiers(&response.ctx);
        events.push(RowEvent::Click {
            row: r,
            ctrl: modifiers.command,
            shift: modifiers.shift,
        });
    }
    if response.secondary_clicked() {
        events.push(RowEvent::Secondary { row: r });
    }
    let parent_access = table.column(ColumnRole::ParentAccess).is_some();
    response.context_menu(|ui| {
        ui.menu_button("Modifier la sélection", |ui| {
            menu_ui::selection_menu_ui(ui, parent_access, commands);
        });
    });
}
