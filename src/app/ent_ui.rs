//! The "Comptes ENT" tab: every account of the ENT export and what it is linked to.

use egui::{RichText, Sense};
use egui_extras::{Column, TableBuilder};

use std::collections::HashSet;

use super::Document;
use crate::model::checks::row_label;
use crate::model::fold::fold_compact;

/// Which ENT accounts the tab shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EntFilter {
    /// Every account.
    #[default]
    All,
    /// Accounts no PRONOTE row matches.
    Orphans,
    /// Accounts whose login is on several accounts.
    Duplicates,
    /// Accounts matched to a PRONOTE row.
    Linked,
}

impl EntFilter {
    /// The chip's title.
    fn label(self) -> &'static str {
        match self {
            Self::All => "Tous",
            Self::Orphans => "Absents de PRONOTE",
            Self::Duplicates => "Identifiants en double",
            Self::Linked => "Rapprochés",
        }
    }

    /// Every chip, in order.
    const ALL: [Self; 4] = [Self::All, Self::Orphans, Self::Duplicates, Self::Linked];

    /// Whether account `i` passes; `orphans` are the accounts no row matches.
    fn keeps(self, doc: &Document, orphans: &HashSet<usize>, i: usize) -> bool {
        let Some(ent) = &doc.ent else {
            return false;
        };
        match self {
            Self::All => true,
            Self::Orphans => orphans.contains(&i),
            Self::Duplicates => ent.is_duplicate_login(&ent.accounts[i].login),
            Self::Linked => doc
                .analysis
                .reconciliation
                .linked_row
                .get(i)
                .is_some_and(Option::is_some),
        }
    }
}

/// Search and filter of the ENT tab, with its cached result.
#[derive(Clone, Debug, Default)]
pub struct EntView {
    /// Text of the search box.
    pub search: String,
    /// The chip chosen.
    pub filter: EntFilter,
    /// The search, chip and [`Document::revision`] `visible` was built for (positions of
    /// accounts: a re-opened export may hold others at the same places, and every load or
    /// analysis bumps the revision).
    cached_for: Option<(String, EntFilter, u64)>,
    visible: Vec<usize>,
    /// The accounts of each chip, counted once per analysis (revision).
    counts: [usize; 4],
    counted_for: Option<u64>,
}

impl super::App {
    /// Shows the ENT tab with one chip chosen.
    pub(super) fn show_ent_accounts(&mut self, filter: EntFilter) {
        self.tab = super::Tab::Ent;
        self.ent_view.search.clear();
        self.ent_view.filter = filter;
    }
}

/// What an account is, for the status column.
fn account_status(doc: &Document, account: usize) -> String {
    let Some(ent) = &doc.ent else {
        return String::new();
    };
    if ent.is_duplicate_login(&ent.accounts[account].login) {
        return "Identifiant en double dans l'ENT".to_owned();
    }
    if let Some((t, r)) = doc
        .analysis
        .reconciliation
        .linked_row
        .get(account)
        .copied()
        .flatten()
    {
        return format!("Correspond à {}", row_label(&doc.tables[t], r));
    }
    if doc.analysis.ent.iter().any(|f| f.account == account) {
        return "Absent de PRONOTE".to_owned();
    }
    let login = &ent.accounts[account].login;
    if let Some(&(t, r)) = doc.cas_holders.get(&login.to_lowercase()) {
        return format!(
            "Identifiant CAS enregistré sur {} (à vérifier)",
            row_label(&doc.tables[t], r)
        );
    }
    if doc.analysis.reconciliation.is_candidate.get(account) == Some(&true) {
        return "Candidat (à vérifier)".to_owned();
    }
    match ent.accounts[account].profile.and_then(|p| p.list()) {
        Some(list) if !doc.tables.iter().any(|t| t.list == list) => {
            format!("Liste {} non chargée", list.label())
        }
        _ => "Non rapproché".to_owned(),
    }
}

/// Shows the ENT accounts.
pub fn ent_tab_ui(ui: &mut egui::Ui, view: &mut EntView, doc: &Document) {
    let Some(ent) = &doc.ent else {
        ui.label("Aucun export ENT chargé (Fichier > Ouvrir l'export des comptes ENT).");
        return;
    };
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} — {} — {} compte(s)",
            ent.path.display(),
            ent.layout.label(),
            ent.accounts.len()
        ));
        ui.separator();
        let label = ui.label("Rechercher :");
        ui.add(egui::TextEdit::singleline(&mut view.search).desired_width(200.0))
            .labelled_by(label.id);
    });
    if !ent.problems.is_empty() {
        egui::CollapsingHeader::new(
            RichText::new(format!(
                "{} anomalie(s) dans l'export ENT",
                ent.problems.len()
            ))
            .color(ui.visuals().warn_fg_color),
        )
        .id_salt("anomalies_ent")
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(120.0)
                .show(ui, |ui| {
                    for problem in &ent.problems {
                        ui.label(&problem.message);
                    }
                });
        });
    }
    let orphans: HashSet<usize> = if view.counted_for != Some(doc.revision)
        || view.cached_for.as_ref().map(|(_, _, r)| *r) != Some(doc.revision)
    {
        doc.analysis.ent.iter().map(|f| f.account).collect()
    } else {
        HashSet::new()
    };
    if view.counted_for != Some(doc.revision) {
        for (n, filter) in EntFilter::ALL.iter().enumerate() {
            view.counts[n] = (0..ent.accounts.len())
                .filter(|&i| filter.keeps(doc, &orphans, i))
                .count();
        }
        view.counted_for = Some(doc.revision);
    }
    ui.horizontal(|ui| {
        for (filter, count) in EntFilter::ALL.into_iter().zip(view.counts) {
            if ui
                .selectable_label(
                    view.filter == filter,
                    format!("{} ({count})", filter.label()),
                )
                .clicked()
            {
                view.filter = filter;
            }
        }
    });
    let key = (view.search.clone(), view.filter, doc.revision);
    if view.cached_for.as_ref() != Some(&key) {
        let query = fold_compact(&view.search);
        view.visible = (0..ent.accounts.len())
            .filter(|&i| {
                let a = &ent.accounts[i];
                query.is_empty()
                    || [a.login.as_str(), &a.nom, &a.prenom]
                        .iter()
                        .any(|v| fold_compact(v).contains(&query))
            })
            .filter(|&i| view.filter.keeps(doc, &orphans, i))
            .collect();
        view.cached_for = Some(key);
    }
    ui.separator();
    ui.style_mut().interaction.selectable_labels = false;
    let titles = [
        "Identifiant",
        "Nom",
        "Prénom",
        "Profil",
        "Rapprochement",
        "Classe",
        "Enfants",
        "E-mail",
    ];
    let mut builder = TableBuilder::new(ui)
        .id_salt("comptes_ent_v2")
        .striped(true)
        .resizable(true)
        .sense(Sense::click());
    // « Rapprochement » right after who the account is: in view at 1024 points, wide enough
    // for a sentence; the e-mail takes what is left.
    for width in [150.0, 120.0, 110.0, 80.0, 380.0, 60.0, 160.0] {
        builder = builder.column(Column::initial(width).at_least(40.0).clip(true));
    }
    builder = builder.column(Column::remainder().at_least(120.0).clip(true));
    builder
        .header(22.0, |mut header| {
            for title in titles {
                header.col(|ui| {
                    ui.label(RichText::new(title).strong());
                });
            }
        })
        .body(|body| {
            body.rows(20.0, view.visible.len(), |mut row| {
                let i = view.visible[row.index()];
                let a = &ent.accounts[i];
                let profile = a.profile.map(|p| p.label()).unwrap_or("");
                let status = account_status(doc, i);
                for text in [
                    a.login.as_str(),
                    a.nom.as_str(),
                    a.prenom.as_str(),
                    profile,
                    status.as_str(),
                    a.classe.as_str(),
                    a.children.as_str(),
                    a.email.as_str(),
                ] {
                    row.col(|ui| {
                        ui.label(text);
                    });
                }
            });
        });
}
