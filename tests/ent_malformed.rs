//! Malformed ENT exports give a clear French message; duplicate logins are reported.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use serde_json::Value;

fn check_with_ent(content: &[u8], extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let ent = dir.path().join("ent.csv");
    std::fs::write(&ent, content).unwrap();
    let ent_text = ent.display().to_string();
    let eleves = common::exemple("eleves.txt").display().to_string();
    let mut args = vec!["check", "--format", "json", "--ent", ent_text.as_str()];
    args.extend_from_slice(extra);
    args.push(&eleves);
    common::run(&args)
}

#[test]
fn a_wrong_encoding_is_a_clear_error() {
    let output = check_with_ent(b"\xFF\xFEN\x00o\x00m", &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("Export ENT illisible"), "{err}");
    assert!(err.contains("UTF-16LE"), "{err}");
}

#[test]
fn no_login_column_asks_for_a_mapping() {
    let output = check_with_ent("Nom;Prénom;Classe\nBERTIN;Tayeb;5A\n".as_bytes(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("Export ENT non reconnu"), "{err}");
    assert!(err.contains("--ent-columns"), "{err}");
    assert!(err.contains("Nom, Prénom, Classe"), "{err}");
}

#[test]
fn an_unclosed_quote_is_told_first_whatever_else_is_wrong() {
    // Unknown columns, a line of the wrong width, or nothing wrong but the quote: the quote
    // that swallows the rest of the file is what the message says, with its line.
    for content in [
        "Nom;Prénom;Classe\nBERTIN;Tayeb;5A\nMARTIN;\"Paul;5B\n",
        "\"Type\";\"Nom\";\"Prénom\";\"Identifiant\"\n\"Enseignant\";\"A\"\n\"Enseignant\";\"C\";\"D\";\"c.d\nE;F;e.f\n",
        "\"Type\";\"Nom\";\"Prénom\";\"Identifiant\"\n\"Enseignant\";\"A\";\"B\";\"a.b\"\n\"Enseignant\";\"C\";\"D\";\"c.d\n",
    ] {
        let output = check_with_ent(content.as_bytes(), &[]);
        assert_eq!(output.status.code(), Some(2), "{content}");
        let err = common::stderr(&output);
        assert!(err.contains("jamais refermée"), "{content}: {err}");
        assert!(err.contains("Ligne 3"), "{content}: {err}");
    }
    // Without the quote, the line of the wrong width is what is wrong.
    let output = check_with_ent(
        "\"Type\";\"Nom\";\"Prénom\";\"Identifiant\"\n\"Enseignant\";\"A\"\n\"Enseignant\";\"C\";\"D\";\"c.d\"\n"
            .as_bytes(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(!err.contains("jamais refermée"), "{err}");
    assert!(err.contains("Ligne 2"), "{err}");
}

#[test]
fn duplicate_logins_and_empty_names_are_reported_not_merged() {
    let content = "NOM;PRENOM;LOGIN;CLASSE\n\
                   BERTIN;Tayeb;tayeb.bertin;5A\n\
                   BERTON;Kenza;tayeb.bertin;5A\n\
                   ;;personne;5A\n"
        .as_bytes();
    let output = check_with_ent(content, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ent = &report["ent"];
    assert_eq!(ent["layout"], "envole");
    let kinds: Vec<(&str, u64)> = ent["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    assert!(kinds.contains(&("ent_duplicate_login", 2)), "{kinds:?}");
    assert!(kinds.contains(&("ent_duplicate_login", 3)), "{kinds:?}");
    assert!(kinds.contains(&("ent_empty_name", 4)), "{kinds:?}");
    // Neither account holding the duplicated login is linked automatically.
    let findings = report["files"][0]["findings"].as_array().unwrap();
    let bertin = findings
        .iter()
        .filter(|f| f["nom"] == "BERTIN")
        .collect::<Vec<_>>();
    assert!(
        bertin.iter().all(|f| f["suggested"] != "tayeb.bertin"),
        "{bertin:?}"
    );
}

#[test]
fn a_column_mapping_is_used_and_remembered_for_the_same_layout() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ent = common::write_unknown_ent_export(dir.path());
    let ent_text = ent.display().to_string();
    let eleves = common::exemple("eleves.txt").display().to_string();
    let with_mapping = common::run_with_config(
        &[
            "check",
            "--format",
            "json",
            "--ent",
            &ent_text,
            "--ent-columns",
            "login=Compte,nom=Famille,prenom=Usuel,naissance=Naissance",
            &eleves,
        ],
        config.path(),
    );
    assert_eq!(
        with_mapping.status.code(),
        Some(0),
        "{}",
        common::stderr(&with_mapping)
    );
    let report: Value = serde_json::from_slice(&with_mapping.stdout).unwrap();
    assert_eq!(report["ent"]["layout"], "personnalise");
    let berton = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["nom"] == "BERTON" && f["kind"] == "cas_to_link")
        .unwrap()
        .clone();
    assert_eq!(berton["suggested"], "kenza.b");
    assert!(
        berton["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "même date de naissance (23/02/2000)")
    );
    // Same layout, no --ent-columns: the mapping is remembered.
    let again = common::run_with_config(
        &["check", "--format", "json", "--ent", &ent_text, &eleves],
        config.path(),
    );
    assert_eq!(again.status.code(), Some(0), "{}", common::stderr(&again));
    // A bad mapping names the missing column.
    let bad = common::run_with_config(
        &[
            "check",
            "--ent",
            &ent_text,
            "--ent-columns",
            "login=Absente",
            &eleves,
        ],
        config.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(common::stderr(&bad).contains("colonne « Absente » absente"));
}
