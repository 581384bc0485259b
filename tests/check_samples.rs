//! `check` on the example base reports what `EXPECTED.md` lists, and nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use serde_json::Value;

fn findings(report: &Value) -> Vec<(String, String, String, String, Option<String>)> {
    let mut out = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let list = file["list"].as_str().unwrap().to_owned();
        for f in file["findings"].as_array().unwrap() {
            out.push((
                list.clone(),
                format!(
                    "{} {}",
                    f["nom"].as_str().unwrap(),
                    f["prenom"].as_str().unwrap()
                ),
                f["kind"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["suggested"].as_str().map(str::to_owned),
            ));
        }
    }
    out
}

#[test]
fn check_without_ent_reports_exactly_the_expected_findings() {
    let output = common::run_paths(&["check", "--format", "json"], &common::exemple_lists());
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["ent"].is_null());
    let files = report["files"].as_array().unwrap();
    assert_eq!(files[0]["encoding"], "utf-16le");
    assert_eq!(files[0]["delimiter"], ";");
    assert_eq!(files[0]["rows"], 19);
    let mut found: Vec<(String, String, String)> = findings(&report)
        .into_iter()
        .filter(|f| f.2 != "cas_missing")
        .map(|(list, who, kind, _, _)| (list, who, kind))
        .collect();
    found.sort();
    let mut expected: Vec<(String, String, String)> = [
        ("professeurs", "DEJEAN Yannick", "cas_suspect"),
        ("responsables", "PETIT Laurent", "cas_duplicate"),
        ("responsables", "PETIT Laurent", "cas_suspect"),
        ("responsables", "MARTIN Claire", "cas_duplicate"),
        ("responsables", "BERTON Nadia", "parent_access_off"),
        ("responsables", "BOUCHARD Thierry", "parent_access_off"),
        ("responsables", "DURAND Alain", "parent_access_off"),
        ("eleves", "CHOPIN Pauline", "birth_date_missing"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    expected.sort();
    assert_eq!(found, expected);
    // Every cas_missing is an information, on a row whose CAS is empty.
    let missing: Vec<_> = findings(&report)
        .into_iter()
        .filter(|f| f.2 == "cas_missing")
        .collect();
    assert!(missing.iter().all(|f| f.3 == "info"));
    assert_eq!(missing.len(), 17 + 5 + 5);
}

#[test]
fn the_dejean_finding_names_the_column_the_value_and_the_action() {
    let output = common::run_paths(&["check", "--format", "json"], &common::exemple_lists());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let dejean = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["nom"] == "DEJEAN")
        .unwrap()
        .clone();
    assert_eq!(dejean["row"], 18);
    assert_eq!(dejean["line"], 19);
    assert_eq!(dejean["column"], "Identifiant CAS");
    assert_eq!(dejean["value"], "michelle.moreau");
    assert_eq!(dejean["action"], "clear_cas");
    assert_eq!(dejean["severity"], "error");
    assert!(
        dejean["message"]
            .as_str()
            .unwrap()
            .contains("Supprimer l'identifiant CAS (ENT)")
    );
}

#[test]
fn check_text_output_is_french_and_exit_code_zero_without_errors() {
    let output = common::run_paths(&["check"], &[common::exemple("eleves.txt")]);
    assert_eq!(output.status.code(), Some(0));
    let text = common::stdout(&output);
    assert!(
        text.contains("Date de naissance manquante pour CHOPIN Pauline"),
        "{text}"
    );
    assert!(text.contains("Résumé : 0 erreur(s)"), "{text}");
}

#[test]
fn help_is_in_french() {
    let output = common::run(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let text = common::stdout(&output);
    assert!(text.contains("Utilisation"), "{text}");
    assert!(text.contains("Vérifie les listes"), "{text}");
    let output = common::run(&["fix", "--help"]);
    assert!(common::stdout(&output).contains("Coche « Accès à l'Espace Parents »"));
}
