//! The « Identification impossible » search on the command line (`identifier`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

#[test]
fn identifier_finds_the_person_when_nom_and_prenom_are_given_the_other_way_round() {
    let ent = common::exemple("ent-export-classique.csv")
        .display()
        .to_string();
    let output = common::run_paths(
        &[
            "identifier",
            "--nom",
            "Philippe",
            "--prenom",
            "BOIVIN",
            "--naissance",
            "30/06/1999",
            "--ent",
            &ent,
        ],
        &common::exemple_lists(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let text = common::stdout(&output);
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.starts_with("1. BOVIN Philippe — Élèves, ligne 6"),
        "{text}"
    );
    assert!(text.contains("Nom et prénom dans l'autre ordre"), "{text}");
    // Compared in the right order, only the nom differs; the login is the ENT's.
    assert!(
        text.contains("Nom différent : « BOVIN » dans PRONOTE, « BOIVIN » dans l'ENT"),
        "{text}"
    );
    assert!(!text.contains("Prénom différent"), "{text}");
    assert!(
        text.contains("Solution 2 : saisir « philippe.boivin »"),
        "{text}"
    );
}
