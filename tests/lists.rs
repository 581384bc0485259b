//! Which PRONOTE list a file is: its name, then its columns, then the ENT accounts its rows
//! match; said in `check`, and declared per file with `--liste FICHIER=LISTE`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::path::{Path, PathBuf};

use pronote_companion::model::columns::ListKind;
use pronote_companion::model::table::Table;

/// A Personnels export with a birth-date column and no class, as PRONOTE lets one build it.
const PERSONNELS: &str = "Nom;Prénom;Né(e) le;Adresse E-mail;Identifiant CAS\r\n\
GARNIER;Sylvie;12/03/1975;s.garnier@college.fr;sylvie.garnier\r\n\
LEROY;Marc;05/11/1980;;marc.leroy\r\n\
ROUX;Nadia;23/07/1968;;nadia.roux\r\n";

/// The ENT accounts of those three staff, and one pupil.
const ENT: &str = "Id;Type;Nom;Prénom;Identifiant\r\n\
1;Personnel;GARNIER;Sylvie;sylvie.garnier\r\n\
2;Personnel;LEROY;Marc;marc.leroy\r\n\
3;Personnel;ROUX;Nadia;nadia.roux\r\n\
4;Élève;DURAND;Léa;lea.durand\r\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_personnels_file_with_a_birth_date_and_no_class_is_personnels_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "personnels.csv", PERSONNELS);
    let table = Table::read_path(&path, None).unwrap();
    assert_eq!(table.list, ListKind::Personnels);
    assert_eq!(
        table.list_why(),
        "reconnue comme Personnels : nom du fichier personnels.csv"
    );
    let output = common::run_paths(&["check"], &[path]);
    assert!(
        common::stdout(&output)
            .contains("Liste reconnue comme Personnels : nom du fichier personnels.csv"),
        "{}",
        common::stdout(&output)
    );
}

#[test]
fn a_birth_date_alone_does_not_make_a_list_eleves_but_a_class_does() {
    let dir = tempfile::tempdir().unwrap();
    let staff = Table::read_path(&write(dir.path(), "export.csv", PERSONNELS), None).unwrap();
    assert_ne!(staff.list, ListKind::Eleves);
    let pupils = write(
        dir.path(),
        "export2.csv",
        "Nom;Prénom;Né(e) le;Classe\nDURAND;Léa;01/02/2012;5A\n",
    );
    let pupils = Table::read_path(&pupils, None).unwrap();
    assert_eq!(pupils.list, ListKind::Eleves);
    assert_eq!(
        pupils.list_why(),
        "reconnue comme Élèves : colonnes Classe et Né(e) le"
    );
}

#[test]
fn french_file_names_of_the_four_lists_are_recognised() {
    use pronote_companion::model::columns::list_from_file_name as list;
    assert_eq!(list("Élèves.txt"), Some(ListKind::Eleves));
    assert_eq!(list("Liste des élèves 2025.csv"), Some(ListKind::Eleves));
    assert_eq!(list("ListeProfesseurs.csv"), Some(ListKind::Professeurs));
    assert_eq!(list("enseignants.csv"), Some(ListKind::Professeurs));
    assert_eq!(list("export_personnel.txt"), Some(ListKind::Personnels));
    assert_eq!(list("parents.csv"), Some(ListKind::Responsables));
    assert_eq!(
        list("responsables-des-eleves.csv"),
        Some(ListKind::Responsables)
    );
    assert_eq!(list("releves.csv"), None);
    assert_eq!(list("profils.csv"), None);
    assert_eq!(list("export.csv"), None);
}

#[test]
fn under_a_neutral_name_a_staff_list_is_personnels_when_its_rows_match_personnel_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let list = write(dir.path(), "export.csv", PERSONNELS);
    let ent = write(dir.path(), "ent.csv", ENT);
    let ent_arg = ent.display().to_string();
    let output = common::run_paths(
        &["check", "--format", "json", "--ent", &ent_arg],
        std::slice::from_ref(&list),
    );
    let report = json(&output);
    let file = &report["files"][0];
    assert_eq!(file["list"], "personnels", "{report}");
    assert_eq!(file["list_source"], "comptes_ent");
    assert_eq!(
        file["list_reason"],
        "reconnue comme Personnels : 3 ligne(s) sur 3 correspondent à des comptes ENT de profil \
         Personnel"
    );
    assert_eq!(output.status.code(), Some(0), "every stored login is right");
    let text = common::stdout(&common::run_paths(&["check", "--ent", &ent_arg], &[list]));
    assert!(
        text.contains("Liste reconnue comme Personnels : 3 ligne(s) sur 3"),
        "{text}"
    );
}

#[test]
fn fix_keeps_the_correct_logins_of_a_personnels_list_with_a_birth_date() {
    let dir = tempfile::tempdir().unwrap();
    let list = write(dir.path(), "personnels.csv", PERSONNELS);
    let ent = write(dir.path(), "ent.csv", ENT);
    let out = dir.path().join("sortie");
    let output = common::run_paths(
        &[
            "fix",
            "--all",
            "--ent",
            &ent.display().to_string(),
            "--out-dir",
            &out.display().to_string(),
        ],
        &[list],
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    assert_eq!(
        std::fs::read_to_string(out.join("personnels.csv")).unwrap(),
        PERSONNELS
    );
}

#[test]
fn liste_is_given_per_file_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let staff = write(dir.path(), "export.csv", PERSONNELS);
    let eleves = common::exemple("eleves.txt");
    let output = common::run_paths(
        &[
            "check",
            "--format",
            "json",
            "--liste",
            "export.csv=personnels",
        ],
        &[staff.clone(), eleves.clone()],
    );
    assert_ne!(output.status.code(), Some(2), "{}", common::stderr(&output));
    let report = json(&output);
    assert_eq!(report["files"][0]["list"], "personnels");
    assert_eq!(report["files"][0]["list_source"], "ligne_de_commande");
    assert_eq!(
        report["files"][1]["list"], "eleves",
        "the other file is recognised"
    );
    assert_eq!(report["files"][1]["list_source"], "nom_du_fichier");

    // A path names the file too; a global --liste still applies to the files not named.
    let staff_path = format!("{}=personnels", staff.display());
    let output = common::run_paths(
        &[
            "check",
            "--format",
            "json",
            "--liste",
            &staff_path,
            "--liste",
            "professeurs",
        ],
        &[staff.clone(), eleves.clone()],
    );
    let report = json(&output);
    assert_eq!(report["files"][0]["list"], "personnels");
    assert_eq!(report["files"][1]["list"], "professeurs");

    // A file that is not among the inputs, or an unknown list: exit 2, in French.
    let output = common::run_paths(
        &["check", "--liste", "autre.csv=personnels"],
        std::slice::from_ref(&staff),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("aucun des fichiers donnés"));
    let output = common::run_paths(&["check", "--liste", "export.csv=cantine"], &[staff]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("valeur invalide"));
}

#[test]
fn help_documents_liste_per_file() {
    let output = common::run(&["check", "--help"]);
    let help = common::stdout(&output);
    assert!(help.contains("--liste personnels.csv=personnels"), "{help}");
}
