//! With the ENT export, `check` reports what EXPECTED.md lists, with the right logins, and
//! `fix --all` writes them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use pronote_companion::model::table::Table;
use serde_json::Value;

fn report() -> Value {
    let ent = common::exemple("ent-export-classique.csv")
        .display()
        .to_string();
    let output = common::run_paths(
        &["check", "--format", "json", "--ent", &ent],
        &common::exemple_lists(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn finding<'a>(report: &'a Value, nom: &str, kind: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .find(|f| f["nom"] == nom && f["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} on {nom}"))
}

fn kinds_of(report: &Value, nom: &str, prenom: &str) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .filter(|f| f["nom"] == nom && f["prenom"] == prenom)
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn check_with_ent_reports_every_expected_case_with_its_login() {
    let report = report();
    let expected = [
        ("GERVAIS", "cas_stale", "florence.gervais2", "set_cas"),
        ("BESNER", "cas_stale", "marie.besner2", "set_cas"),
        ("DEJEAN", "cas_suspect", "yannick.dejean", "set_cas"),
        ("PETIT", "cas_suspect", "laurent.petit", "set_cas"),
        ("PETIT", "cas_duplicate", "laurent.petit", "set_cas"),
        ("BOVIN", "identity_mismatch", "philippe.boivin", "set_cas"),
        ("DIDER", "identity_mismatch", "eliot.didier", "set_cas"),
        ("BOULAY", "cas_to_link", "emilie.boulay", "set_cas"),
        ("DARRAS", "cas_to_link", "selene.darras", "set_cas"),
        ("ALBERT", "cas_to_link", "mariedesiree.albert", "set_cas"),
        ("LACAZE", "cas_to_link", "jeanmichel.lacaze", "set_cas"),
    ];
    for (nom, kind, login, action) in expected {
        let f = finding(&report, nom, kind);
        assert_eq!(f["suggested"], login, "{nom} {kind}");
        assert_eq!(f["action"], action, "{nom} {kind}");
        assert!(
            !f["evidence"].as_array().unwrap().is_empty(),
            "{nom} has evidence"
        );
    }
    // BOSSARD Hélène is Helene in the ENT: accents only, a confident link.
    assert_eq!(kinds_of(&report, "BOSSARD", "Hélène"), vec!["cas_to_link"]);
    let bossard = finding(&report, "BOSSARD", "cas_to_link");
    assert_eq!(bossard["suggested"], "helene.bossard");
    // The identity difference is reported beside the proposed login.
    let bovin = finding(&report, "BOVIN", "identity_mismatch");
    let evidence: Vec<&str> = bovin["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        evidence.contains(&"nom : BOVIN (PRONOTE) / BOIVIN (ENT)"),
        "{evidence:?}"
    );
    assert!(evidence.contains(&"même classe (5A)"), "{evidence:?}");
    // DEJEAN's stored login is MOREAU Michelle's, another person.
    let dejean = finding(&report, "DEJEAN", "cas_suspect");
    assert!(
        dejean["message"]
            .as_str()
            .unwrap()
            .contains("MOREAU Michelle")
    );
    // MARTIN Claire keeps claire.martin: no finding on her CAS.
    assert!(kinds_of(&report, "MARTIN", "Claire").is_empty());
    assert_eq!(
        kinds_of(&report, "DEMONSTRATION", "Bernard"),
        vec!["no_ent_account"]
    );
    // Every teacher with an empty CAS is À lier.
    let teachers_to_link = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "cas_to_link")
        .count();
    assert_eq!(teachers_to_link, 16);
    // The ENT side: NOUVEAU Lucas is an orphan, and nobody else.
    let ent = &report["ent"];
    assert_eq!(ent["layout"], "open-ent-ng-classique");
    assert_eq!(ent["accounts"], 51);
    let orphans: Vec<&str> = ent["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["login"].as_str().unwrap())
        .collect();
    assert_eq!(orphans, vec!["lucas.nouveau"]);
    // Parent access and birth dates are still checked.
    assert_eq!(
        kinds_of(&report, "BERTON", "Nadia"),
        vec!["cas_to_link", "parent_access_off"]
    );
    assert_eq!(
        kinds_of(&report, "CHOPIN", "Pauline"),
        vec!["birth_date_missing"]
    );
}

#[test]
fn fix_all_writes_the_expected_logins() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().display().to_string();
    let ent = common::exemple("ent-export-classique.csv")
        .display()
        .to_string();
    let output = common::run_paths(
        &["fix", "--all", "--ent", &ent, "--out-dir", &out_dir],
        &common::exemple_lists(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let read = |name: &str| Table::read_path(&out.path().join(name), None).unwrap();
    let cas_of = |table: &Table, nom: &str, prenom: &str| {
        let r = (0..table.rows.len())
            .find(|&r| table.nom(r) == nom && table.prenom(r) == prenom)
            .unwrap();
        table.cas_id(r).to_owned()
    };
    let profs = read("professeurs.csv");
    assert_eq!(cas_of(&profs, "GERVAIS", "Florence"), "florence.gervais2");
    assert_eq!(cas_of(&profs, "DEJEAN", "Yannick"), "yannick.dejean");
    assert_eq!(
        cas_of(&profs, "ALBERT", "Marie-Désirée"),
        "mariedesiree.albert"
    );
    assert_eq!(cas_of(&profs, "DEMONSTRATION", "Bernard"), "");
    let eleves = read("eleves.txt");
    assert_eq!(cas_of(&eleves, "BESNER", "Marie"), "marie.besner2");
    assert_eq!(cas_of(&eleves, "BOVIN", "Philippe"), "philippe.boivin");
    assert_eq!(cas_of(&eleves, "DIDER", "Eliot"), "eliot.didier");
    assert_eq!(cas_of(&eleves, "BOULAY", "Emilie"), "emilie.boulay");
    assert_eq!(cas_of(&eleves, "DARRAS", "Selene"), "selene.darras");
    assert_eq!(cas_of(&eleves, "BERTIN", "Tayeb"), "tayeb.bertin");
    let resp = read("responsables.csv");
    assert_eq!(cas_of(&resp, "PETIT", "Laurent"), "laurent.petit");
    assert_eq!(cas_of(&resp, "MARTIN", "Claire"), "claire.martin");
    assert_eq!(cas_of(&resp, "BOSSARD", "Hélène"), "helene.bossard");
    let work_list = std::fs::read_to_string(out.path().join("a-faire-dans-pronote.csv")).unwrap();
    assert!(
        work_list.contains("GERVAIS;Florence;Identifiant CAS;florence.gervais;florence.gervais2;")
    );
    assert!(
        work_list.contains("n'existe plus dans l'ENT"),
        "the work list says why"
    );
}

#[test]
fn identifier_ranks_the_row_and_gives_both_fixes() {
    let ent = common::exemple("ent-export-classique.csv")
        .display()
        .to_string();
    let output = common::run_paths(
        &[
            "identifier",
            "--nom",
            "BOIVIN",
            "--prenom",
            "Philippe",
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
    assert!(
        text.contains("Nom différent : « BOVIN » dans PRONOTE, « BOIVIN » dans l'ENT"),
        "{text}"
    );
    assert!(
        text.contains("Solution 1 : corriger dans PRONOTE (Ressources > Élèves) Nom = « BOIVIN »"),
        "{text}"
    );
    assert!(
        text.contains("Solution 2 : saisir « philippe.boivin »"),
        "{text}"
    );
}
