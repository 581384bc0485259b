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
