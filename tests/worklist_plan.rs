//! The work list as a plan of PRONOTE steps: necessity classes, the identification mode, bulk
//! grouping, and a replay of the plan that must give `fix --all`'s files cell by cell.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use pronote_companion::ent::EntDirectory;
use pronote_companion::model::findings::FindingKind;
use pronote_companion::model::fold::fold_compact;
use pronote_companion::model::table::Table;
use pronote_companion::review::analysis::{analyze, analyze_for_edits};
use pronote_companion::review::fixes::{FixOptions, plan_fixes, plan_to_edit, spreadsheet_safe};
use pronote_companion::review::plan::{
    IdentificationMode, IdentityRemedy, Necessity, PlanOptions, StepAction, WorkPlan, build_plan,
    plan_all_fixes, plan_csv,
};
use pronote_companion::synthetic::{GenOptions, generate, load};

fn example() -> (Vec<Table>, EntDirectory) {
    let tables = common::exemple_lists()
        .iter()
        .map(|p| Table::read_path(p, None).unwrap())
        .collect();
    let ent = EntDirectory::read_path(&common::exemple("ent-export-classique.csv"), None).unwrap();
    (tables, ent)
}

/// `fix --all` on the tables: the fixed tables and the plan of the work list.
fn fix_all(
    mut tables: Vec<Table>,
    ent: &EntDirectory,
    mode: IdentificationMode,
) -> (Vec<Table>, WorkPlan) {
    let baseline = analyze(&tables, Some(ent));
    let fixes = plan_fixes(&tables, &baseline, FixOptions::all(), None);
    let _ = plan_to_edit(&fixes).apply(&mut tables);
    let options = PlanOptions {
        mode,
        ..PlanOptions::default()
    };
    let plan = build_plan(&tables, &baseline, options);
    (tables, plan)
}

/// The necessity of the step doing `action` on the row of `nom` `prenom`.
fn necessity_of(plan: &WorkPlan, nom: &str, prenom: &str, action: StepAction) -> Necessity {
    plan.steps
        .iter()
        .filter(|s| s.action == action)
        .flat_map(|s| s.rows.iter())
        .find(|r| {
            let c = &plan.changes[r.change];
            c.nom == nom && c.prenom == prenom
        })
        .unwrap_or_else(|| panic!("no {action:?} step for {nom} {prenom}"))
        .necessity
}

#[test]
fn a_login_opening_another_persons_space_is_security() {
    let (tables, ent) = example();
    let (_, plan) = fix_all(tables, &ent, IdentificationMode::Identity);
    // DEJEAN holds michelle.moreau: cleared in bulk, then his own login typed, both sécurité.
    assert_eq!(
        necessity_of(&plan, "DEJEAN", "Yannick", StepAction::ClearCas),
        Necessity::Security
    );
    assert_eq!(
        necessity_of(&plan, "DEJEAN", "Yannick", StepAction::SetCas),
        Necessity::Security
    );
    // The security bulk steps come first.
    assert!(plan.steps[0].bulk);
    assert_eq!(plan.steps[0].necessity, Necessity::Security);
}

#[test]
fn swapped_homonyms_are_security_cleared_together_then_typed_each() {
    let generated = generate(&GenOptions::college(7));
    let (tables, ent) = load(&generated).unwrap();
    let baseline = analyze(&tables, Some(&ent));
    let swapped: Vec<(usize, usize)> = (0..tables.len())
        .flat_map(|t| (0..tables[t].rows.len()).map(move |r| (t, r)))
        .filter(|&(t, r)| {
            baseline
                .row(t, r)
                .iter()
                .any(|f| f.kind == FindingKind::CasSwapped)
        })
        .collect();
    assert!(!swapped.is_empty(), "the generator makes swapped homonyms");
    let (_, plan) = fix_all(tables, &ent, IdentificationMode::Identity);
    for &(t, r) in &swapped {
        let change = plan
            .changes
            .iter()
            .find(|c| c.table == t && c.row == r)
            .expect("a swapped row is changed");
        assert_eq!(change.necessity, Necessity::Security);
        assert_eq!(change.steps.len(), 2, "cleared in bulk, then typed");
        let clear = plan.step(change.steps[0]).unwrap();
        let set = plan.step(change.steps[1]).unwrap();
        assert!(clear.bulk && clear.action == StepAction::ClearCas);
        assert!(!set.bulk && set.action == StepAction::SetCas);
        assert_eq!(set.necessity, Necessity::Security);
        assert!(
            set.todo
                .contains("Les deux identifiants CAS doivent d'abord être supprimés")
        );
        assert!(set.todo.contains("L'autre homonyme"), "{}", set.todo);
    }
}

#[test]
fn stale_logins_mismatched_identities_and_unticked_access_are_access_blocked() {
    let (tables, ent) = example();
    let (_, plan) = fix_all(tables, &ent, IdentificationMode::Identity);
    // GERVAIS: florence.gervais no longer exists; the clear is needed, typing the new login is
    // not (same identity: PRONOTE links her at her first connection).
    assert_eq!(
        necessity_of(&plan, "GERVAIS", "Florence", StepAction::ClearCas),
        Necessity::AccessBlocked
    );
    assert_eq!(
        necessity_of(&plan, "GERVAIS", "Florence", StepAction::SetCas),
        Necessity::Optional
    );
    // BOVIN is BOIVIN in the ENT: identity mismatch, the entry says which field differs.
    assert_eq!(
        necessity_of(&plan, "BOVIN", "Philippe", StepAction::SetCas),
        Necessity::AccessBlocked
    );
    let bovin = plan
        .steps
        .iter()
        .find(|s| s.todo.contains("BOVIN Philippe"))
        .unwrap();
    assert!(
        bovin.todo.contains("BOVIN (PRONOTE) / BOIVIN (ENT)"),
        "{}",
        bovin.todo
    );
    assert!(bovin.todo.contains("FAQ A.1") && bovin.todo.contains("FAQ A.2"));
    // Esp. Par. not ticked.
    assert_eq!(
        necessity_of(&plan, "BERTON", "Nadia", StepAction::GrantParentAccess),
        Necessity::AccessBlocked
    );
}

#[test]
fn a_login_pronote_links_by_itself_is_optional_and_last() {
    let (tables, ent) = example();
    let (_, plan) = fix_all(tables, &ent, IdentificationMode::Identity);
    assert_eq!(
        necessity_of(&plan, "ALBERT", "Marie-Désirée", StepAction::SetCas),
        Necessity::Optional
    );
    let first_optional = plan
        .steps
        .iter()
        .position(|s| !s.necessity.is_required())
        .unwrap();
    assert!(
        plan.steps[first_optional..]
            .iter()
            .all(|s| !s.necessity.is_required())
    );
    let counts = plan.counts();
    assert_eq!(counts.bulk, 3);
    assert!(counts.optional > counts.required);
}

#[test]
fn in_cas_only_mode_nothing_is_optional() {
    let (tables, ent) = example();
    let (_, identity) = fix_all(tables.clone(), &ent, IdentificationMode::Identity);
    let (_, cas_only) = fix_all(tables, &ent, IdentificationMode::CasOnly);
    assert!(cas_only.steps.iter().all(|s| s.necessity.is_required()));
    assert_eq!(cas_only.counts().optional, 0);
    assert_eq!(cas_only.counts().total(), identity.counts().total());
    assert_eq!(
        necessity_of(&cas_only, "ALBERT", "Marie-Désirée", StepAction::SetCas),
        Necessity::AccessBlocked
    );
    // The command line says which mode it used.
    let ent_path = common::exemple("ent-export-classique.csv")
        .display()
        .to_string();
    let mut paths = common::exemple_lists();
    let text = common::stdout(&common::run_paths(
        &["check", "--mode-identification", "cas", "--ent", &ent_path],
        &paths,
    ));
    assert!(text.contains("par l'identifiant CAS seul"), "{text}");
    assert!(text.contains("0 facultative"), "{text}");
    paths.truncate(3);
    let text = common::stdout(&common::run_paths(&["check", "--ent", &ent_path], &paths));
    assert!(
        text.contains("Mode d'identification : par l'identité"),
        "{text}"
    );
    assert!(
        text.contains("3 actions groupées, 7 saisies indispensables, 26 facultatives"),
        "{text}"
    );
}

/// Replays the plan on the files as a superviseur would in PRONOTE: each bulk clear empties
/// the listed rows, each hand entry sets its value; the result must be `fix --all`'s output.
/// Like PRONOTE, it refuses to type a login another row still holds.
fn replay(mut tables: Vec<Table>, plan: &WorkPlan) -> Vec<Table> {
    for step in &plan.steps {
        for row in &step.rows {
            let change = &plan.changes[row.change];
            if step.action == StepAction::ClearCas {
                assert!(step.bulk);
            }
            if step.action == StepAction::SetCas {
                let login = row.value.trim().to_lowercase();
                for (t, table) in tables.iter().enumerate() {
                    for r in 0..table.rows.len() {
                        assert!(
                            (t, r) == (change.table, change.row)
                                || table.cas_id(r).to_lowercase() != login,
                            "step {}: « {login} » still held by table {t} row {r}",
                            step.number
                        );
                    }
                }
            }
            tables[change.table].set_cell(change.row, change.column, row.value.to_string());
        }
    }
    tables
}

#[test]
fn replaying_the_grouped_plan_gives_fix_all_cell_by_cell_on_a_generated_college() {
    let options = GenOptions {
        pupils: 1110,
        ..GenOptions::college(7)
    };
    let generated = generate(&options);
    let (tables, ent) = load(&generated).unwrap();
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    assert!((2_400..2_700).contains(&rows), "{rows} rows");
    let (fixed, plan) = fix_all(tables.clone(), &ent, IdentificationMode::Identity);
    let replayed = replay(tables.clone(), &plan);
    let mut cells = 0;
    for (t, (a, b)) in replayed.iter().zip(&fixed).enumerate() {
        for r in 0..a.rows.len() {
            for c in 0..a.columns.len() {
                assert_eq!(a.cell(r, c), b.cell(r, c), "table {t} row {r} column {c}");
                cells += 1;
            }
        }
    }
    assert!(cells > 10_000);
    // Every changed cell is in the plan, and the plan is far shorter than one line per cell.
    let changed: usize = fixed.iter().map(|t| t.edited_cells().len()).sum();
    assert_eq!(plan.changes.len(), changed);
    let counts = plan.counts();
    assert!(counts.bulk <= 4, "one bulk clear per list at most");
    assert!(
        counts.necessary() * 4 < changed,
        "{counts:?} for {changed} changes"
    );
    // The bulk steps list their rows sorted by Nom, Prénom.
    for step in plan.steps.iter().filter(|s| s.bulk) {
        let keys: Vec<(String, String)> = step
            .rows
            .iter()
            .map(|r| {
                let c = &plan.changes[r.change];
                (fold_compact(&c.nom), fold_compact(&c.prenom))
            })
            .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    }
    // check's summary gives the same count as the plan of fix --all.
    let baseline = analyze(&tables, Some(&ent));
    let preview = plan_all_fixes(&tables, &baseline, &baseline, PlanOptions::default());
    assert_eq!(preview.counts(), counts);
}

/// FNV-1a of a text, as a step's key is made: the keys the app remembers (steps marked done)
/// must not change from one version to the next.
fn fnv1a(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in text.as_bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[test]
fn step_keys_are_the_hash_of_the_steps_text_as_it_always_was() {
    let generated = generate(&GenOptions {
        pupils: 300,
        ..GenOptions::college(3)
    });
    let (tables, ent) = load(&generated).unwrap();
    let (_, plan) = fix_all(tables, &ent, IdentificationMode::Identity);
    assert!(plan.steps.len() > 100, "{} steps", plan.steps.len());
    for step in &plan.steps {
        let mut text = format!("{}|{:?}|{}", step.list.code(), step.action, step.bulk);
        for row in &step.rows {
            let change = &plan.changes[row.change];
            text.push_str(&format!(
                "|{}:{}:{}:{}",
                change.line, change.column_title, change.before, row.value
            ));
        }
        assert_eq!(step.key, fnv1a(&text), "step {}", step.number);
    }
}

#[test]
fn the_csv_has_step_necessity_and_group_and_no_formula() {
    let (mut tables, ent) = example();
    let baseline = analyze(&tables, Some(&ent));
    // A hand edit that a spreadsheet would take as a formula.
    let col = tables[0]
        .columns
        .iter()
        .position(|c| c.title == "Nom")
        .unwrap();
    tables[0].set_cell(0, col, "=HYPERLINK(\"x\")".to_owned());
    let fixes = plan_fixes(&tables, &baseline, FixOptions::all(), None);
    let _ = plan_to_edit(&fixes).apply(&mut tables);
    let plan = build_plan(&tables, &baseline, PlanOptions::default());
    let text = String::from_utf8(plan_csv(&plan)).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("\u{feff}Étape;Nécessité;Groupe;Liste;Ligne;Nom;Prénom;"));
    assert_eq!(text.lines().count(), 1 + plan.changes.len());
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(!text.contains(";=HYPERLINK"));
    assert!(text.contains("indispensable — sécurité;Action groupée — Professeurs"));
    assert_eq!(spreadsheet_safe("-12"), "'-12");
    assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(spreadsheet_safe("+33"), "'+33");
    assert_eq!(spreadsheet_safe("\tx"), "'\tx");
    assert_eq!(spreadsheet_safe("\rx"), "'\rx");
    assert_eq!(spreadsheet_safe("marie.albert"), "marie.albert");
}

#[test]
fn work_list_page_escapes_hostile_names_and_reasons() {
    let (tables, ent) = example();
    let (_, mut plan) = fix_all(tables, &ent, IdentificationMode::Identity);
    assert!(!plan.changes.is_empty());
    for change in &mut plan.changes {
        change.nom = "<script>alert(1)</script>".into();
        change.prenom = "Zoé \"&\" <b>".into();
        change.why = "<img src=x onerror=alert(2)>".to_owned();
    }
    let html = pronote_companion::review::plan_html::plan_html(&plan);
    assert!(!html.contains("<script>"), "hostile nom escaped");
    assert!(!html.contains("<img"), "hostile reason escaped");
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Zoé &quot;&amp;&quot; &lt;b&gt;"));
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn the_windows_copy_of_the_files_analysis_gives_the_work_list_the_whole_analysis_gives() {
    // The window keeps of the files as loaded only what the work list reads (`reasons`): on
    // generated collèges, with and without birth dates in the ENT, the plan of every fix and of
    // a hand edit is the same, text for text, as from the whole analysis.
    for (seed, birth_dates) in [(3, false), (5, true)] {
        let generated = generate(&GenOptions {
            ent_birth_dates: birth_dates,
            ..GenOptions::college(seed)
        });
        let (mut tables, ent) = load(&generated).unwrap();
        let whole = analyze_for_edits(&tables, Some(&ent));
        let reasons = whole.reasons();
        let fixes = plan_fixes(&tables, &whole, FixOptions::all(), None);
        let _ = plan_to_edit(&fixes).apply(&mut tables);
        let nom = tables[0]
            .columns
            .iter()
            .position(|c| c.title == "Nom")
            .unwrap();
        tables[0].set_cell(1, nom, "NOUVEAU-NOM".to_owned());
        for mode in IdentificationMode::ALL {
            for remedy in [IdentityRemedy::SetCas, IdentityRemedy::FixFiche] {
                let options = PlanOptions { mode, remedy };
                let expected = build_plan(&tables, &whole, options);
                assert_eq!(build_plan(&tables, &reasons, options), expected);
                // What makes the comparison worth it: reasons and partners of every kind.
                let kinds: Vec<_> = expected.changes.iter().filter_map(|c| c.kind).collect();
                for kind in [
                    FindingKind::CasSwapped,
                    FindingKind::IdentityMismatch,
                    FindingKind::CasStale,
                ] {
                    assert!(kinds.contains(&kind), "seed {seed}: no {kind:?} change");
                }
            }
        }
    }
}
