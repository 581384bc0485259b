//! On generated collèges (600 pupils and their parents, teachers, staff; an ENT export with and
//! without birth dates, with the damages of issue 7: typos on both sides, swaps, namesakes whose
//! logins a migration exchanged, twins split between PRONOTE and the ENT), `fix --all` links
//! precisely and nearly completely, and never removes a working login.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use pronote_companion::synthetic::{GenOptions, evaluate, evaluate_exact_name_baseline, generate};

fn assert_quality(options: &GenOptions) {
    let generated = generate(options);
    let metrics = evaluate(&generated).unwrap();
    let baseline = evaluate_exact_name_baseline(&generated).unwrap();
    println!("{options:?} : {metrics:?} ; référence nom+prénom exacts : {baseline:?}");
    assert!(metrics.rows > 1300, "{metrics:?}");
    assert!(metrics.precision >= 0.9995, "precision {metrics:?}");
    assert!(metrics.recall >= 0.99, "recall {metrics:?}");
    assert_eq!(
        metrics.correct_removed, 0,
        "working logins removed {metrics:?}"
    );
    assert_eq!(metrics.homonym_links_without_evidence, 0, "{metrics:?}");
    assert!(metrics.swaps_injected > 0, "the generator swaps logins");
    assert_eq!(
        metrics.swaps_reported, metrics.swaps_injected,
        "every swap reported {metrics:?}"
    );
    assert_eq!(
        metrics.swaps_flagged, metrics.swaps_injected,
        "no swapped row left looking right {metrics:?}"
    );
    // The baseline links homonyms and wrong identities: it is less precise.
    assert!(baseline.precision < metrics.precision, "{baseline:?}");
}

#[test]
fn fix_all_is_precise_and_complete_on_generated_colleges_without_birth_dates_in_the_ent() {
    for seed in [1, 2, 3] {
        assert_quality(&GenOptions::college(seed));
    }
}

#[test]
fn fix_all_is_precise_and_complete_on_generated_colleges_with_birth_dates_in_the_ent() {
    for seed in [4, 5, 6] {
        assert_quality(&GenOptions {
            ent_birth_dates: true,
            ..GenOptions::college(seed)
        });
    }
}

#[test]
fn every_column_the_client_exports_changes_neither_the_people_nor_the_quality() {
    use pronote_companion::model::columns::ListKind;
    use pronote_companion::model::table::Table;
    for seed in [1, 2] {
        let slim = generate(&GenOptions::college(seed));
        let full = generate(&GenOptions {
            full_columns: true,
            ..GenOptions::college(seed)
        });
        for (s, f) in slim.lists.iter().zip(&full.lists) {
            assert_eq!((s.list, &s.truth), (f.list, &f.truth));
            assert!(f.bytes.len() > s.bytes.len() * 3 / 2, "{}", f.file_name);
            let path = std::path::Path::new(&f.file_name);
            let (st, ft) = (
                Table::from_bytes(path, &s.bytes, None).unwrap(),
                Table::from_bytes(path, &f.bytes, None).unwrap(),
            );
            assert!(ft.columns.len() > st.columns.len());
            for r in 0..st.rows.len() {
                assert_eq!(
                    (st.nom(r), st.prenom(r), st.cas_id(r)),
                    (ft.nom(r), ft.prenom(r), ft.cas_id(r))
                );
            }
            if f.list == ListKind::Eleves {
                assert!(f.bytes.starts_with(&[0xFF, 0xFE]), "élèves en UTF-16LE");
            }
        }
        assert_eq!(evaluate(&slim).unwrap(), evaluate(&full).unwrap());
        assert_quality(&GenOptions {
            full_columns: true,
            ..GenOptions::college(seed)
        });
    }
}

#[test]
fn the_generator_is_deterministic_and_damages_the_data() {
    let a = generate(&GenOptions::college(42));
    let b = generate(&GenOptions::college(42));
    assert_eq!(a.ent_bytes, b.ent_bytes);
    for (x, y) in a.lists.iter().zip(&b.lists) {
        assert_eq!(x.bytes, y.bytes);
    }
    let c = generate(&GenOptions::college(43));
    assert_ne!(a.ent_bytes, c.ent_bytes);
    // Some rows have no ENT account, and the ENT has accounts with no row.
    let rows: usize = a.lists.iter().map(|l| l.truth.len()).sum();
    let without: usize = a
        .lists
        .iter()
        .flat_map(|l| &l.truth)
        .filter(|t| t.is_none())
        .count();
    assert!(without > 0 && without < rows / 10);
    assert!(a.ent_accounts > rows - without);
    // Accents and compound names are there.
    let text = String::from_utf8_lossy(&a.ent_bytes);
    assert!(text.contains('é') && text.contains('-'));
    // Staff lists carry a birth date and no class.
    let staff = a
        .lists
        .iter()
        .find(|l| l.file_name == "personnels.csv")
        .unwrap();
    let staff_text = pronote_companion::io::encoding::decode(&staff.bytes)
        .unwrap()
        .0;
    let header = staff_text.lines().next().unwrap();
    assert!(
        header.contains("Né(e) le") && !header.contains("Classe"),
        "{header}"
    );
}

/// The command line's analysis (`analyze_for_reports`) skips the texts of the links that the
/// stored login confirms: it must find exactly what the full analysis finds, link the same
/// accounts, and differ only on those links' texts.
#[test]
fn the_reports_analysis_finds_and_links_what_the_full_one_does() {
    use pronote_companion::ent::EntDirectory;
    use pronote_companion::model::table::Table;
    use pronote_companion::review::analysis::{analyze, analyze_for_reports};
    use std::path::Path;

    for seed in [2, 5] {
        let generated = generate(&GenOptions::college(seed));
        let tables: Vec<Table> = generated
            .lists
            .iter()
            .map(|l| Table::from_bytes(Path::new(&l.file_name), &l.bytes, None).unwrap())
            .collect();
        let ent =
            EntDirectory::from_bytes(Path::new("ent.csv"), &generated.ent_bytes, None).unwrap();
        let full = analyze(&tables, Some(&ent));
        let reports = analyze_for_reports(&tables, Some(&ent));
        assert_eq!(full.ent, reports.ent, "seed {seed}");
        let mut shortened = 0;
        for (t, table) in tables.iter().enumerate() {
            for r in 0..table.rows.len() {
                assert_eq!(
                    full.row(t, r),
                    reports.row(t, r),
                    "seed {seed}, row {t}/{r}"
                );
                let (a, b) = (full.linked(t, r), reports.linked(t, r));
                assert_eq!(
                    a.map(|c| (c.account, c.score, c.support)),
                    b.map(|c| (c.account, c.score, c.support)),
                    "seed {seed}, row {t}/{r}"
                );
                if let (Some(a), Some(b)) = (a, b)
                    && a != b
                {
                    // Only the link a stored login confirms is shorter: that login is its
                    // whole evidence.
                    assert!(
                        a.evidence[0].starts_with("l'identifiant CAS actuel est cet identifiant"),
                        "{a:?}"
                    );
                    assert_eq!(b.evidence, a.evidence[..1], "seed {seed}, row {t}/{r}");
                    assert!(b.differences.is_empty() && b.contradictions.is_empty());
                    shortened += 1;
                }
            }
        }
        // Most rows of a base in use have a working login.
        assert!(shortened > 500, "seed {seed}: {shortened} links shortened");
        // The work list `fix` writes reads the links of the rows it changes: the same.
        let options = pronote_companion::review::plan::PlanOptions::default();
        assert_eq!(
            pronote_companion::review::plan::plan_all_fixes(&tables, &full, &full, options),
            pronote_companion::review::plan::plan_all_fixes(&tables, &reports, &reports, options),
            "seed {seed}"
        );
    }
}
