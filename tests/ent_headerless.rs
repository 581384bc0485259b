//! ENT exports without a header line (Toutatice), mappings by column number or by titles
//! holding `,` and `=`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::path::{Path, PathBuf};

use pronote_companion::ent::{EntDirectory, EntLayout};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn logins(ent: &EntDirectory) -> Vec<(String, String, String)> {
    ent.accounts
        .iter()
        .map(|a| (a.nom.to_string(), a.prenom.to_string(), a.login.clone()))
        .collect()
}

fn triple(nom: &str, prenom: &str, login: &str) -> (String, String, String) {
    (nom.to_owned(), prenom.to_owned(), login.to_owned())
}

#[test]
fn a_headerless_toutatice_export_is_read_with_the_right_logins() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "toutatice.csv",
        "DUPONT;Jean;jean.dupont\r\nMARTIN;Léa;lea.martin2\r\nLE GALL;Anne-Marie;annemarie.legall\r\n",
    );
    let ent = EntDirectory::read_path(&path, None).unwrap();
    assert_eq!(ent.layout, EntLayout::SansEnTete);
    assert_eq!(
        logins(&ent),
        vec![
            triple("DUPONT", "Jean", "jean.dupont"),
            triple("MARTIN", "Léa", "lea.martin2"),
            triple("LE GALL", "Anne-Marie", "annemarie.legall"),
        ],
        "line 1 is an account, not a header"
    );
    // Prénom first: the logins say which column is the prénom.
    let path = write(
        dir.path(),
        "autre-ordre.csv",
        "Jean,Dupont,jean.dupont\nLéa,Martin,lea.martin2\n",
    );
    let ent = EntDirectory::read_path(&path, None).unwrap();
    assert_eq!(
        logins(&ent),
        vec![
            triple("Dupont", "Jean", "jean.dupont"),
            triple("Martin", "Léa", "lea.martin2")
        ]
    );
}

#[test]
fn check_reconciles_a_list_with_a_headerless_export() {
    let dir = tempfile::tempdir().unwrap();
    let ent = write(
        dir.path(),
        "toutatice.csv",
        "BOVIN;Philippe;philippe.bovin\nDUPONT;Jean;jean.dupont\nMARTIN;Léa;lea.martin\n",
    );
    let list = write(
        dir.path(),
        "eleves.csv",
        "Nom;Prénom;Classe;Identifiant CAS\nDUPONT;Jean;5A;jean.dupont\nMARTIN;Léa;4B;\n",
    );
    let output = common::run_paths(
        &[
            "check",
            "--format",
            "json",
            "--ent",
            &ent.display().to_string(),
        ],
        &[list],
    );
    assert_ne!(output.status.code(), Some(2), "{}", common::stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ent"]["layout"], "sans-en-tete");
    assert_eq!(report["ent"]["accounts"], 3);
    let findings = report["files"][0]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["nom"] == "MARTIN" && f["suggested"] == "lea.martin"),
        "{report}"
    );
}

#[test]
fn ent_columns_by_number_read_an_export_without_header() {
    let dir = tempfile::tempdir().unwrap();
    // Logins with nothing that says "login" (no dot, no digit): the content cannot tell.
    let ent = write(
        dir.path(),
        "comptes.csv",
        "DUPONT;Jean;JDUPONT\nMARTIN;Léa;LMARTIN\n",
    );
    assert!(EntDirectory::read_path(&ent, None).is_err());
    let read = EntDirectory::read_path(&ent, Some("login=3,nom=1,prenom=2")).unwrap();
    assert_eq!(
        logins(&read),
        vec![
            triple("DUPONT", "Jean", "JDUPONT"),
            triple("MARTIN", "Léa", "LMARTIN")
        ]
    );
    // The same on the command line.
    let list = write(
        dir.path(),
        "eleves.csv",
        "Nom;Prénom;Classe;Identifiant CAS\nDUPONT;Jean;5A;JDUPONT\n",
    );
    let output = common::run_paths(
        &[
            "check",
            "--format",
            "json",
            "--ent",
            &ent.display().to_string(),
            "--ent-columns",
            "login=3,nom=1,prenom=2",
        ],
        &[list],
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ent"]["accounts"], 2);
    // With a header line, numbers name its columns and line 1 is skipped.
    let with_header = write(
        dir.path(),
        "avec-entete.csv",
        "Famille;Usuel;Compte\nDUPONT;Jean;JDUPONT\n",
    );
    let read = EntDirectory::read_path(&with_header, Some("login=3,nom=1,prenom=2")).unwrap();
    assert_eq!(logins(&read), vec![triple("DUPONT", "Jean", "JDUPONT")]);
    // A number past the last column says how many there are.
    let err = EntDirectory::read_path(&ent, Some("login=4,nom=1,prenom=2"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("pas de colonne n° 4 (le fichier a 3 colonne(s)"),
        "{err}"
    );
}

#[test]
fn a_mapping_names_a_column_whose_title_holds_a_comma_or_an_equals_sign() {
    let dir = tempfile::tempdir().unwrap();
    let ent = write(
        dir.path(),
        "atrium.csv",
        "Compte;\"Nom, usage\";Prénom=usuel;\"Code \"\"CP\"\"\"\nkenza.b;BERTON;Kenza;13001\n",
    );
    let read = EntDirectory::read_path(
        &ent,
        Some(r#"login=Compte, nom="Nom, usage", prenom="Prénom=usuel", cp="Code ""CP""""#),
    )
    .unwrap();
    assert_eq!(logins(&read), vec![triple("BERTON", "Kenza", "kenza.b")]);
    assert_eq!(read.accounts[0].code_postal, "13001");
    let err = EntDirectory::read_path(&ent, Some(r#"login=Compte,nom="Nom, usage"#))
        .unwrap_err()
        .to_string();
    assert!(err.contains("guillemet non refermé"), "{err}");
}
