//! The « À faire dans PRONOTE » view: the plan of the work list, steps in order, each ticked
//! off as done (remembered for these files), the rows of a bulk step listed.

use std::collections::BTreeSet;

use egui::{RichText, ScrollArea};

use super::document::Document;
use super::{App, Command, State};
use crate::model::edit::Edit;
use crate::review::fixes::{FixOptions, plan_fixes, plan_to_edit};
use crate::review::plan::{
    IdentificationMode, IdentityRemedy, Necessity, PlanOptions, Step, WorkPlan, build_plan,
    plan_all_fixes,
};

/// The plan shown, rebuilt when the document or the settings change.
#[derive(Default)]
pub struct WorkListView {
    cache: Option<CachedPlan>,
}

struct CachedPlan {
    revision: u64,
    options: PlanOptions,
    plan: WorkPlan,
    /// Whether it previews every proposed fix (nothing changed yet) rather than the changes made.
    preview: bool,
}

impl WorkListView {
    /// Rebuilds the plan if the document or the settings changed since the last frame.
    ///
    /// With no change made yet, the plan previews every proposed fix when `want_preview` (that
    /// costs a copy of the lists: the window asks for it on a small base or in the view only).
    pub fn refresh(&mut self, doc: &Document, options: PlanOptions, want_preview: bool) {
        if self.cache.as_ref().is_some_and(|c| {
            c.revision == doc.revision && c.options == options && (c.preview || !want_preview)
        }) {
            return;
        }
        let made = build_plan(&doc.tables, &doc.baseline, options);
        let (plan, preview) = if made.is_empty() && want_preview {
            (
                plan_all_fixes(&doc.tables, &doc.analysis, &doc.baseline, options),
                true,
            )
        } else {
            (made, false)
        };
        self.cache = Some(CachedPlan {
            revision: doc.revision,
            options,
            plan,
            preview,
        });
    }

    /// The plan (empty before the first refresh).
    pub fn plan(&self) -> Option<&WorkPlan> {
        self.cache.as_ref().map(|c| &c.plan)
    }

    /// Whether the plan previews the proposed fixes rather than the changes made.
    pub fn is_preview(&self) -> bool {
        self.cache.as_ref().is_some_and(|c| c.preview)
    }

    /// The status bar text: « À faire dans PRONOTE : 6 actions groupées, … ».
    pub fn status_text(&self) -> Option<String> {
        let cache = self.cache.as_ref()?;
        if cache.plan.is_empty() && !cache.preview {
            return None;
        }
        let counts = cache.plan.counts();
        Some(if cache.preview {
            format!(
                "À faire dans PRONOTE si vous appliquez les corrections proposées : {}",
                counts.summary()
            )
        } else {
            format!("À faire dans PRONOTE : {}", counts.summary())
        })
    }
}

/// The key under which the steps done are remembered: the files loaded.
pub fn files_key(doc: &Document) -> String {
    let mut paths: Vec<String> = doc
        .input_paths()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    paths.sort();
    paths.join("|")
}

/// The view. Returns the commands of its buttons.
pub fn worklist_ui(
    ui: &mut egui::Ui,
    view: &WorkListView,
    doc: &Document,
    state: &State,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(cache) = &view.cache else {
        return commands;
    };
    let plan = &cache.plan;
    let done = state.worklist_done.get(&files_key(doc));
    let is_done = |step: &Step| done.is_some_and(|d| d.contains(step.key.as_str()));
    ui.heading("À faire dans PRONOTE");
    let mut options = state.plan_options;
    ui.horizontal(|ui| {
        ui.label("Votre PRONOTE identifie les utilisateurs de l'ENT :");
        for mode in IdentificationMode::ALL {
            ui.radio_value(&mut options.mode, mode, mode.label());
        }
    });
    ui.horizontal(|ui| {
        ui.label("Identité divergente, proposer d'abord :");
        for remedy in [IdentityRemedy::SetCas, IdentityRemedy::FixFiche] {
            ui.radio_value(&mut options.remedy, remedy, remedy.label());
        }
    });
    if options != state.plan_options {
        commands.push(Command::SetPlanOptions(options));
    }
    ui.label(RichText::new(plan.options.mode.statement()).italics());
    let counts = plan.counts();
    let finished = plan.steps.iter().filter(|s| is_done(s)).count();
    ui.horizontal(|ui| {
        ui.label(RichText::new(counts.summary()).strong());
        ui.label(format!(
            "— {finished} / {} étape(s) faite(s)",
            counts.total()
        ));
        if ui.button("Imprimer…").clicked() {
            commands.push(Command::PrintWorkList);
        }
    });
    if cache.preview {
        ui.horizontal(|ui| {
            ui.label(
                "Aucune correction appliquée pour l'instant : voici ce qui resterait à faire \
                 dans PRONOTE après toutes les corrections proposées.",
            );
            if !plan.is_empty() && ui.button("Appliquer toutes les corrections…").clicked() {
                commands.push(Command::ApplyAllFixes);
            }
        });
    }
    ui.separator();
    if plan.is_empty() {
        ui.label("Rien à faire dans PRONOTE.");
        return commands;
    }
    ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        let bulk: Vec<&Step> = plan.steps.iter().filter(|s| s.bulk).collect();
        if !bulk.is_empty() {
            ui.heading("Actions groupées");
            for step in bulk {
                step_ui(ui, plan, step, is_done(step), &mut commands);
            }
        }
        let required: Vec<&Step> = plan
            .steps
            .iter()
            .filter(|s| !s.bulk && s.necessity.is_required())
            .collect();
        if !required.is_empty() {
            ui.heading(format!("Saisies indispensables ({})", required.len()));
            for step in required {
                step_ui(ui, plan, step, is_done(step), &mut commands);
            }
        }
        let optional: Vec<&Step> = plan
            .steps
            .iter()
            .filter(|s| !s.bulk && !s.necessity.is_required())
            .collect();
        if !optional.is_empty() {
            egui::CollapsingHeader::new(format!(
                "Saisies facultatives ({}) : PRONOTE les fera seul",
                optional.len()
            ))
            .default_open(false)
            .show(ui, |ui| {
                for step in optional {
                    step_ui(ui, plan, step, is_done(step), &mut commands);
                }
            });
        }
    });
    commands
}

fn necessity_color(ui: &egui::Ui, necessity: Necessity) -> egui::Color32 {
    match necessity {
        Necessity::Security => ui.visuals().error_fg_color,
        Necessity::AccessBlocked => ui.visuals().warn_fg_color,
        Necessity::Optional => ui.visuals().weak_text_color(),
    }
}

fn step_ui(
    ui: &mut egui::Ui,
    plan: &WorkPlan,
    step: &Step,
    done: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let mut checked = done;
        let title = if step.bulk {
            format!(
                "Étape {} — {} — {} ({} ligne(s))",
                step.number,
                step.list.label(),
                step.action.label(),
                step.rows.len()
            )
        } else {
            format!("Étape {}", step.number)
        };
        if ui.checkbox(&mut checked, title).changed() {
            commands.push(Command::ToggleStepDone(step.key.to_string()));
        }
        ui.label(
            RichText::new(step.necessity.label())
                .color(necessity_color(ui, step.necessity))
                .strong(),
        );
    });
    ui.indent(("etape", step.number), |ui| {
        let text = RichText::new(&step.todo);
        ui.label(if done {
            text.strikethrough().weak()
        } else {
            text
        });
        if step.bulk {
            egui::CollapsingHeader::new(format!(
                "Les {} ligne(s) de l'étape {}",
                step.rows.len(),
                step.number
            ))
            .id_salt(("lignes", step.number))
            .default_open(false)
            .show(ui, |ui| {
                for row in &step.rows {
                    let Some(change) = plan.changes.get(row.change) else {
                        continue;
                    };
                    let landmark = if change.landmark.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", change.landmark)
                    };
                    ui.label(format!(
                        "{} {}{landmark} — ligne {} — « {} » ({})",
                        change.nom,
                        change.prenom,
                        change.line,
                        change.before,
                        row.necessity.label()
                    ));
                }
            });
        }
    });
    ui.add_space(4.0);
}

impl App {
    /// Ticks a step off as done, or back; remembered for these files.
    pub(super) fn toggle_step_done(&mut self, key: String) {
        let files = files_key(&self.doc);
        let done: &mut BTreeSet<String> = self.state.worklist_done.entry(files).or_default();
        if !done.remove(&key) {
            done.insert(key);
        }
    }

    /// Asks to confirm every proposed fix of every list (as `fix --all`).
    pub(super) fn apply_all_fixes(&mut self) {
        let plan = plan_fixes(
            &self.doc.tables,
            &self.doc.analysis,
            FixOptions::all(),
            None,
        );
        let edits = match plan_to_edit(&plan) {
            Edit::Batch(edits) => edits,
            single => vec![single],
        };
        let change = super::PendingChange::new(
            &self.doc.tables,
            "Appliquer toutes les corrections proposées",
            edits,
        );
        if change.cell_count() > 0 {
            self.dialog = Some(super::Dialog::Confirm(change));
        } else {
            self.notify("Aucune correction proposée.", false);
        }
    }

    /// Writes the printable work list of the current plan and opens it in the browser.
    pub(super) fn print_work_list(&mut self, ctx: &egui::Context) {
        self.worklist
            .refresh(&self.doc, self.state.plan_options, true);
        let Some(plan) = self.worklist.plan() else {
            return;
        };
        let html = crate::review::plan_html::plan_html(plan);
        let path = std::env::temp_dir().join("pronote-companion-a-faire-dans-pronote.html");
        match crate::io::save::save_atomic(&path, html.as_bytes()) {
            Ok(()) => {
                ctx.open_url(egui::OpenUrl::new_tab(format!("file://{}", path.display())));
                self.last_work_list = Some(path);
                self.notify("Liste « À faire dans PRONOTE » ouverte dans le navigateur : imprimez-la (Ctrl+P).", false);
            }
            Err(err) => self.notify(err.to_string(), true),
        }
    }
}
