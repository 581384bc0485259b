//! Bad files give a French message naming the file (and line), exit code 2, nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::path::PathBuf;

fn assert_refused(content: &[u8], name: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let bad: PathBuf = dir.path().join(name);
    std::fs::write(&bad, content).unwrap();
    let out = dir.path().join("sortie");
    let out_text = out.display().to_string();
    for args in [
        vec!["check"],
        vec!["fix", "--all", "--out-dir", out_text.as_str()],
    ] {
        let output = common::run_paths(&args, &[common::exemple("eleves.txt"), bad.clone()]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let err = common::stderr(&output);
        assert!(err.contains(&bad.display().to_string()), "{name}: {err}");
        for part in expected {
            assert!(err.contains(part), "{name}: {err} should contain {part}");
        }
        assert!(!out.exists(), "nothing is written for {name}");
    }
}

#[test]
fn an_empty_file_is_refused() {
    assert_refused(b"", "vide.csv", &["vide"]);
}

#[test]
fn a_binary_file_is_refused() {
    assert_refused(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
        "image.csv",
        &["binaire"],
    );
}

#[test]
fn a_file_with_no_recognisable_column_is_refused() {
    assert_refused(
        b"a;b;c\r\n1;2;3\r\n",
        "inconnu.csv",
        &["Aucune colonne reconnue"],
    );
}

#[test]
fn ragged_rows_are_refused_with_their_line() {
    assert_refused(
        b"Nom;Pr\xc3\xa9nom;Classe\nDUPONT;L\xc3\xa9a;5A\nMARTIN;Paul\n",
        "bancal.csv",
        &["Ligne 3", "2 colonne(s) au lieu de 3"],
    );
}

#[test]
fn duplicate_columns_are_refused() {
    assert_refused(
        b"Nom;Pr\xc3\xa9nom;Nom\nDUPONT;L\xc3\xa9a;X\n",
        "doublon.csv",
        &["« Nom » figure deux fois"],
    );
}

#[test]
fn an_unreadable_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.csv");
    let output = common::run_paths(&["check"], std::slice::from_ref(&missing));
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("Impossible de lire le fichier"), "{err}");
    assert!(err.contains(&missing.display().to_string()));
}

#[test]
fn a_bad_option_is_a_french_usage_error() {
    let output = common::run(&["check", "--inconnu"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("argument inconnu « --inconnu »"));
}

#[test]
fn an_ent_export_given_as_a_list_says_to_use_ent() {
    let output = common::run_paths(&["check"], &[common::exemple("ent-export-classique.csv")]);
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("export des comptes de l'ENT"), "{err}");
    assert!(err.contains("--ent"), "{err}");
}
