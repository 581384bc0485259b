//! The toolbar of a list: which list it is, the search, the columns, the fiche; then the
//! status chips, « Tout extraire » and the fix of the chosen status.

use egui::{Label, RichText};

use super::columns::{self, GridPrefs};
use crate::app::Command;
use crate::app::document::TableSummary;
use crate::app::view::{StatusFilter, TableView};
use crate::model::columns::ListKind;
use crate::model::findings::FindingKind;
use crate::model::table::Table;

/// What the toolbar of list `t` shows and changes.
pub struct Toolbar<'a> {
    /// The list's index.
    pub t: usize,
    /// The list.
    pub table: &'a Table,
    /// Its counts.
    pub summary: &'a TableSummary,
    /// Its search, chips and selection.
    pub view: &'a mut TableView,
    /// Its columns, remembered per list kind.
    pub prefs: &'a mut GridPrefs,
    /// Whether an ENT export is loaded (rows are then « Lié », logins proposed).
    pub has_ent: bool,
    /// Whether the fiche is shown.
    pub fiche_shown: bool,
}

/// Row 1: list, search, columns, fiche, why the list is what it is.
pub fn toolbar_ui(ui: &mut egui::Ui, bar: &mut Toolbar<'_>, commands: &mut Vec<Command>) {
    let t = bar.t;
    ui.horizontal(|ui| {
        let list = bar.table.list;
        let why = bar.table.list_why();
        let mut chosen = list;
        let label = ui.label("Liste :");
        egui::ComboBox::from_id_salt(("liste", t))
            .selected_text(chosen.label())
            .width(110.0)
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
        ui.separator();
        // The label and its box stay together: one horizontal group that never wraps.
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            let label = ui.label("Rechercher :");
            let width = (ui.available_width() - 460.0).clamp(120.0, 220.0);
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut bar.view.search)
                        .hint_text("nom, prénom, identifiant, CAS")
                        .desired_width(width),
                )
                .labelled_by(label.id);
            if search.changed() {
                bar.view.invalidate();
            }
        });
        ui.separator();
        columns_menu_ui(ui, bar);
        ui.toggle_value(&mut bar.prefs.pronote_order, "Comme dans PRONOTE")
            .on_hover_text(
                "Colonnes dans l'ordre exact du fichier exporté de PRONOTE (sinon : d'abord \
                 celles qui décident, jusqu'à l'identifiant CAS). Statut, Nom et Prénom restent \
                 à gauche.",
            );
        let mut shown = bar.fiche_shown;
        if ui
            .toggle_value(&mut shown, "Fiche")
            .on_hover_text("Afficher ou masquer la fiche de la ligne choisie (F3)")
            .changed()
        {
            commands.push(Command::ToggleFiche);
        }
        ui.separator();
        ui.add(Label::new(RichText::new(format!("({why})")).weak().small()).truncate());
    });
}

/// « Colonnes » : hide or show each column, back to the default.
fn columns_menu_ui(ui: &mut egui::Ui, bar: &mut Toolbar<'_>) {
    let table = bar.table;
    let choosable = columns::choosable(table, bar.has_ent);
    let prefs = &mut *bar.prefs;
    ui.menu_button("Colonnes", |ui| {
        ui.label(RichText::new("Statut, Nom et Prénom sont toujours affichés.").weak());
        for column in choosable {
            let key = columns::key(table, column);
            let mut shown = !prefs.hidden.contains(&key);
            if ui
                .checkbox(&mut shown, columns::title(table, column))
                .changed()
            {
                if shown {
                    prefs.hidden.remove(&key);
                } else {
                    prefs.hidden.insert(key);
                }
            }
        }
        ui.separator();
        if ui.button("Colonnes et largeurs par défaut").clicked() {
            *prefs = GridPrefs::default();
        }
    })
    .response
    .on_hover_text("Choisir les colonnes affichées (retenu pour chaque liste)");
}

/// Row 2: « Tout extraire », the status chips (Ctrl+clic to combine), the fix of the chosen
/// status. The chips stay on one line: a change of count never moves the grid.
pub fn chips_ui(ui: &mut egui::Ui, bar: &mut Toolbar<'_>, commands: &mut Vec<Command>) {
    let view = &mut *bar.view;
    let single_fixable = match (view.filters.len(), view.filters.first()) {
        (1, Some(StatusFilter::Kind(kind))) if kind.has_auto_fix() => Some(*kind),
        _ => None,
    };
    ui.horizontal(|ui| {
        if ui
            .add_enabled(view.is_filtered(), egui::Button::new("Tout extraire"))
            .on_hover_text("Extraire > Tout extraire (Ctrl+T) : voir à nouveau toutes les lignes")
            .on_disabled_hover_text("Toutes les lignes sont affichées")
            .clicked()
        {
            commands.push(Command::ExtractAll);
        }
        ui.separator();
        // The fix button keeps the width of its own label (« … : Homonymes inversés » is wider
        // than « … : Suspect »): the chips scroll in what is left, never under it.
        let fix_label = single_fixable
            .map(|kind| format!("Appliquer les corrections proposées : {}", kind.status()));
        let fix_width = fix_label.as_ref().map_or(0.0, |label| {
            let font = egui::TextStyle::Button.resolve(ui.style());
            let text = ui
                .painter()
                .layout_no_wrap(label.clone(), font, egui::Color32::PLACEHOLDER);
            text.size().x + 2.0 * ui.spacing().button_padding.x + 2.0 * ui.spacing().item_spacing.x
        });
        let chips_width = (ui.available_width() - fix_width).max(100.0);
        ui.allocate_ui(
            egui::vec2(chips_width, ui.spacing().interact_size.y),
            |ui| {
                egui::ScrollArea::horizontal()
                    .id_salt(("puces", bar.t))
                    .max_width(chips_width)
                    .show(ui, |ui| {
                        ui.horizontal(|ui| chip_row_ui(ui, bar.summary, view, bar.has_ent));
                    });
            },
        );
        if let (Some(kind), Some(label)) = (single_fixable, fix_label)
            && ui
                .button(label)
                .on_hover_text("Demande confirmation, avec la liste des changements")
                .clicked()
        {
            commands.push(Command::ApplyKind(kind));
        }
    });
}

/// The chips: one per status present, and every active one even at zero (it must stay
/// clickable to be taken off). Counts follow the search.
fn chip_row_ui(ui: &mut egui::Ui, summary: &TableSummary, view: &mut TableView, has_ent: bool) {
    let mut chips: Vec<(StatusFilter, usize)> = FindingKind::ALL
        .iter()
        .filter_map(|kind| {
            let filter = StatusFilter::Kind(*kind);
            let total = summary
                .by_kind
                .iter()
                .find(|(k, _)| k == kind)
                .map(|(_, n)| *n);
            (total.is_some() || view.filters.contains(&filter)).then(|| {
                (
                    filter,
                    view.search_count(filter).unwrap_or(total.unwrap_or(0)),
                )
            })
        })
        .collect();
    chips.push((
        StatusFilter::Clean,
        view.search_count(StatusFilter::Clean)
            .unwrap_or(summary.clean),
    ));
    let clean = if has_ent { "Lié" } else { "OK" };
    for (filter, count) in chips {
        let name = match filter {
            StatusFilter::Kind(kind) => kind.status(),
            StatusFilter::Clean => clean,
        };
        let selected = view.filters.contains(&filter);
        let response = ui
            .selectable_label(selected, format!("{name} ({count})"))
            .on_hover_text(
                "Clic : n'afficher que ces lignes (un second clic les affiche toutes). \
                 Ctrl+clic : ajouter ce statut aux statuts affichés, ou l'en retirer.",
            );
        if response.clicked() {
            let combine = crate::app::grid_keys::click_modifiers(ui.ctx()).command;
            view.click_chip(filter, combine);
        }
    }
}
