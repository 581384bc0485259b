//! Time from an edit to every status shown again, in the real `App`, headless, with a
//! département-sized base (~124,000 rows and ~120,000 ENT accounts).
//!
//! `cargo bench --bench edit` writes the generated files (child process), loads them in the
//! `App` the way the window does, then measures with `egui_kittest`, for each kind of edit a
//! superviseur makes: the command (fiche > Lier, a hand edit, Ctrl+Z, « Modifier la
//! sélection » on 200 rows) plus the next frame, until the grid shows the new statuses. Each
//! measure checks that the statuses changed and that no analysis was left for the background.
#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark stops on the first failure.

mod common;

use std::time::Instant;

use common::median_ms;

use egui_kittest::Harness;
use pronote_companion::app::{App, BulkAction, Command};
use pronote_companion::model::columns::ColumnRole;
use pronote_companion::model::findings::FindingKind;

/// Carries out `command` and draws the next frame; the time of both.
fn timed(harness: &mut Harness<'_, App>, command: Command) -> f64 {
    let ctx = harness.ctx.clone();
    let start = Instant::now();
    harness.state_mut().apply(&ctx, command);
    let command_done = start.elapsed().as_secs_f64();
    harness.step();
    if std::env::var_os("DETAIL").is_some() {
        eprintln!(
            "commande {:.1} ms, image {:.1} ms",
            command_done * 1000.0,
            (start.elapsed().as_secs_f64() - command_done) * 1000.0
        );
    }
    let elapsed = start.elapsed().as_secs_f64();
    assert!(
        !harness.state().doc.analysis_pending,
        "the analysis was left for the background"
    );
    elapsed
}

/// Empties the Identifiant CAS (column `cas`) of each of `rows` by a hand edit; the time of each.
fn clear_each(harness: &mut Harness<'_, App>, t: usize, cas: usize, rows: &[usize]) -> Vec<f64> {
    rows.iter()
        .map(|&row| {
            let command = Command::SetCell {
                table: t,
                row,
                column: cas,
                value: String::new(),
            };
            timed(harness, command)
        })
        .collect()
}

/// Rows of table `t` with a finding of `kind` (whose proposed login no other row holds), the
/// first `n`.
fn rows_with(app: &App, t: usize, kind: FindingKind, n: usize) -> Vec<usize> {
    (0..app.doc.tables[t].rows.len())
        .filter(|&r| {
            app.doc.analysis.row(t, r).iter().any(|f| {
                f.kind == kind
                    && f.suggested
                        .as_ref()
                        .is_none_or(|login| !app.doc.cas_holders.contains_key(login))
            })
        })
        .take(n)
        .collect()
}

fn main() {
    let Some((app, t)) = common::departement_app() else {
        return;
    };
    let cas = app.doc.tables[t].column(ColumnRole::CasId).expect("CAS");
    let to_link = rows_with(&app, t, FindingKind::CasToLink, 40);
    let suspects = rows_with(&app, t, FindingKind::CasSuspect, 20);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 850.0))
        .build_eframe(|_| app);
    harness.run_steps(3);

    // Fiche > Lier: the proposed login set on a row « À lier ».
    let mut linking = Vec::new();
    for &row in &to_link[..20] {
        let login = harness.state().doc.analysis.row(t, row)[0]
            .suggested
            .clone()
            .expect("proposition");
        linking.push(timed(
            &mut harness,
            Command::Link {
                table: t,
                row,
                login,
            },
        ));
        let status = harness.state().doc.analysis.status(t, row);
        assert_ne!(status, Some(FindingKind::CasToLink), "ligne {row}");
    }
    let (median, p95) = median_ms(linking);
    println!("fiche > Lier (une ligne) : médiane {median:.1} ms, p95 {p95:.1} ms");

    // A hand edit clearing a suspect login.
    let clearing = clear_each(&mut harness, t, cas, &suspects);
    for &row in &suspects {
        let status = harness.state().doc.analysis.status(t, row);
        assert_ne!(status, Some(FindingKind::CasSuspect), "ligne {row}");
    }
    let (median, p95) = median_ms(clearing);
    println!("saisie : identifiant CAS vidé : médiane {median:.1} ms, p95 {p95:.1} ms");

    // Ctrl+Z of each of those edits.
    let mut undoing = Vec::new();
    for _ in 0..20 {
        undoing.push(timed(&mut harness, Command::Undo));
    }
    let (median, p95) = median_ms(undoing);
    println!("Ctrl+Z : médiane {median:.1} ms, p95 {p95:.1} ms");
    for &row in &suspects {
        let status = harness.state().doc.analysis.status(t, row);
        assert_eq!(
            status,
            Some(FindingKind::CasSuspect),
            "ligne {row} après Ctrl+Z"
        );
    }

    // « Modifier la sélection > Renseigner l'identifiant CAS proposé » on 5 rows at a time,
    // confirmed.
    let mut bulk = Vec::new();
    for chunk in to_link[20..].chunks(5) {
        harness.state_mut().doc.views[t].selection = chunk.iter().copied().collect();
        let ctx = harness.ctx.clone();
        harness
            .state_mut()
            .apply(&ctx, Command::Bulk(BulkAction::SetProposedCas));
        assert!(
            harness.state().dialog.is_some(),
            "Modifier la sélection n'a rien proposé : {:?}",
            harness.state().notice.as_ref().map(|n| n.text.clone())
        );
        bulk.push(timed(&mut harness, Command::ConfirmPending));
        for &row in chunk {
            let status = harness.state().doc.analysis.status(t, row);
            assert_ne!(status, Some(FindingKind::CasToLink), "ligne {row}");
        }
    }
    let (median, p95) = median_ms(bulk);
    println!(
        "Modifier la sélection (5 lignes), confirmé : médiane {median:.1} ms, p95 {p95:.1} ms"
    );

    // Every proposal of a status at once (« Appliquer les corrections proposées : À lier »):
    // thousands of rows in one change.
    let before = rows_with(harness.state(), t, FindingKind::CasToLink, usize::MAX).len();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::ApplyKind(FindingKind::CasToLink));
    let cells = match &harness.state().dialog {
        Some(pronote_companion::app::Dialog::Confirm(change)) => change.cell_count(),
        _ => panic!("rien à confirmer"),
    };
    let all = timed(&mut harness, Command::ConfirmPending);
    let after = rows_with(harness.state(), t, FindingKind::CasToLink, usize::MAX).len();
    println!(
        "toutes les corrections « À lier » ({cells} cellules ; {before} lignes à lier avant, {after} après) : {:.0} ms",
        all * 1000.0
    );
    assert!(after < before);

    // After saving those thousands of changes, one more edit stays as quick: the cells saved
    // are looked up, not searched, to count what is unsaved.
    harness.state_mut().doc.mark_saved();
    let suspects = rows_with(harness.state(), t, FindingKind::CasSuspect, 10);
    let after_saving = clear_each(&mut harness, t, cas, &suspects);
    assert_eq!(harness.state().doc.unsaved, suspects.len());
    let (median, p95) = median_ms(after_saving);
    println!(
        "saisie après l'enregistrement de ces {cells} cellules : médiane {median:.1} ms, p95 {p95:.1} ms"
    );
}
