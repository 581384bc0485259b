//! Hostile or accidental inputs: a login filled down a whole column, huge headers, devices and
//! FIFOs given as files, unclosed quotes, terminal escapes in names, missing key columns. Each
//! ends with a French message naming the file (exit 2, nothing written) or a report that stays
//! proportional to the input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A Professeurs list of `rows` teachers, every one with the CAS `jean.dupont` (a fill-down).
fn shared_cas_list(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("Nom;Prénom;Adresse E-mail;Identifiant CAS\r\n");
    for i in 0..rows {
        let _ = write!(text, "NOM{i};Prenom{i};p{i}@ecole.fr;jean.dupont\r\n");
    }
    let path = dir.join("professeurs.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// An Open ENT NG export of `accounts` teachers sharing the login `jean.dupont`.
fn shared_login_ent(dir: &Path, accounts: usize) -> PathBuf {
    let mut text =
        String::from("\u{feff}\"Id\";\"Type\";\"Nom\";\"Prénom\";\"Identifiant\";\"Courriel\"\r\n");
    for i in 0..accounts {
        let _ = write!(
            text,
            "\"id{i}\";\"Enseignant\";\"ENT{i}\";\"Compte{i}\";\"jean.dupont\";\"\"\r\n"
        );
    }
    let path = dir.join("ent.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn four_thousand_rows_sharing_one_cas_give_one_grouped_block_listing_each_row_once() {
    let dir = tempfile::tempdir().unwrap();
    let list = shared_cas_list(dir.path(), 4000);
    let start = Instant::now();
    let output = common::run(&["check", &path_arg(&list)]);
    let elapsed = start.elapsed();
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    let text = common::stdout(&output);
    // Proportional to the rows (about 450 bytes each): today's report is quadratic (110 MB for
    // 1,000 rows, and 4,000 abort).
    assert!(text.len() < 4_000_000, "{} bytes", text.len());
    assert_eq!(
        text.matches("l'identifiant CAS « jean.dupont » est sur 4000 lignes")
            .count(),
        1,
        "one block for the shared CAS"
    );
    for i in [0, 1999, 3999] {
        let row = format!(" NOM{i} Prenom{i} — ");
        assert_eq!(
            text.matches(&row).count(),
            1,
            "NOM{i} listed once in the block"
        );
    }
    assert!(text.contains("Résumé : "), "{text}");
    let json = common::run(&["check", "--format", "json", &path_arg(&list)]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let duplicates = value["duplicates"].as_array().unwrap();
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0]["cas"], "jean.dupont");
    assert_eq!(duplicates[0]["rows"].as_array().unwrap().len(), 4000);
    assert!(
        json.stdout.len() < 16_000_000,
        "{} bytes",
        json.stdout.len()
    );
    // Debug build on a shared machine: generous, but quadratic work takes minutes.
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[test]
fn twenty_thousand_ent_accounts_on_one_login_are_reported_as_one_shared_login() {
    let dir = tempfile::tempdir().unwrap();
    let ent = shared_login_ent(dir.path(), 20_000);
    let output = common::run_paths(
        &["check", "--ent", &path_arg(&ent)],
        &[common::exemple("professeurs.csv")],
    );
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        common::stderr(&output)
    );
    let text = common::stdout(&output);
    // Each account is also an orphan (about 240 bytes each): linear.
    assert!(text.len() < 10_000_000, "{} bytes", text.len());
    let header = "L'identifiant ENT « jean.dupont » figure sur 20000 comptes";
    assert_eq!(text.matches(header).count(), 1, "one block for the login");
    // Each account's line is listed once, in that block.
    assert!(text.contains("Lignes : 2, 3, 4,"), "lines listed");
    assert!(text.contains(", 20001\n"), "last line listed");
    let json = common::run_paths(
        &["check", "--format", "json", "--ent", &path_arg(&ent)],
        &[common::exemple("professeurs.csv")],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let shared = value["ent"]["shared_logins"].as_array().unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0]["lines"].as_array().unwrap().len(), 20_000);
}

#[test]
fn a_header_of_twenty_thousand_columns_is_read_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut header = String::from("Nom;Prénom;Identifiant CAS");
    let mut row = String::from("DUPONT;Léa;lea.dupont");
    for i in 0..20_000 {
        let _ = write!(header, ";Colonne {i}");
        row.push_str(";x");
    }
    let path = dir.path().join("large.csv");
    std::fs::write(&path, format!("{header}\n{row}\n")).unwrap();
    let start = Instant::now();
    let output = common::run(&["check", &path_arg(&path)]);
    let elapsed = start.elapsed();
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        common::stderr(&output)
    );
    // Today: 26 s (one fold per pair of titles).
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn a_header_of_two_hundred_thousand_columns_over_short_lines_is_refused_not_an_abort() {
    // 600 kB. The rows' room was reserved as lines × header width before the ragged rows were
    // refused: 320 GB of address space, which Linux lends without looking, but a system that
    // does not overcommit memory refuses (the process is then killed). It is now at most one
    // span per byte of the text.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Nom;Prénom");
    text.push_str(&";".repeat(200_000));
    text.push('\n');
    text.push_str(&"a\n".repeat(200_000));
    let path = dir.path().join("eleves.csv");
    std::fs::write(&path, text).unwrap();
    let output = common::run(&["check", &path_arg(&path)]);
    assert_eq!(output.status.code(), Some(2), "{}", common::stderr(&output));
    let err = common::stderr(&output);
    assert!(
        err.contains("Ligne 2 : 1 colonne(s) au lieu de 200002"),
        "{err}"
    );
    assert!(err.contains(&path_arg(&path)), "{err}");
}

fn assert_refused_with(args_before: &[&str], bad: &Path, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sortie");
    let out_text = path_arg(&out);
    for command in [vec!["check"], vec!["fix", "--all", "--out-dir", &out_text]] {
        let mut args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        args.extend(args_before.iter().map(|s| s.to_string()));
        args.push(path_arg(bad));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = common::run(&refs);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = common::stderr(&output);
        assert!(err.contains(&path_arg(bad)), "{err}");
        for part in expected {
            assert!(err.contains(part), "{err} should contain {part}");
        }
        assert!(!out.exists(), "nothing written");
    }
}

#[cfg(unix)]
#[test]
fn a_device_is_refused_without_being_read() {
    // Today /dev/zero is read until memory runs out.
    let zero = Path::new("/dev/zero");
    assert_refused_with(&[], zero, &["pas un fichier ordinaire"]);
    let output = common::run_paths(
        &["check", "--ent", "/dev/zero"],
        &[common::exemple("professeurs.csv")],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("pas un fichier ordinaire"), "{err}");
    assert!(err.contains("/dev/zero"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_fifo_with_no_writer_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("tube.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let fifo_arg = path_arg(&fifo);
    std::thread::spawn(move || {
        let _ = tx.send(common::run(&["check", &fifo_arg]));
    });
    let output = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("check must not block on a FIFO");
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("pas un fichier ordinaire"), "{err}");
    assert!(err.contains(&path_arg(&fifo)), "{err}");
}

#[test]
fn a_folder_given_as_a_list_is_refused_as_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("listes.csv");
    std::fs::create_dir(&folder).unwrap();
    // A folder is a school's (its files) or a département's (its sub-folders): an empty one
    // holds no list.
    assert_refused_with(&[], &folder, &["aucune liste PRONOTE dans ce dossier"]);
}

#[test]
fn an_unclosed_quote_is_reported_as_such_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("guillemet.csv");
    std::fs::write(
        &bad,
        "Nom;Prénom;Identifiant CAS\nDUPONT;Léa;lea.dupont\nMARTIN;\"Paul;paul.martin\n",
    )
    .unwrap();
    assert_refused_with(&[], &bad, &["Ligne 3", "guillemet", "jamais refermée"]);
    let ent = dir.path().join("ent-guillemet.csv");
    std::fs::write(
        &ent,
        "\"Type\";\"Nom\";\"Prénom\";\"Identifiant\"\n\"Enseignant\";\"A\";\"B\";\"a.b\n",
    )
    .unwrap();
    let output = common::run_paths(
        &["check", "--ent", &path_arg(&ent)],
        &[common::exemple("professeurs.csv")],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(
        err.contains("Ligne 2") && err.contains("jamais refermée"),
        "{err}"
    );
}

#[test]
fn the_same_file_given_twice_is_refused_instead_of_doubling_every_cas() {
    let list = common::exemple("professeurs.csv");
    let output = common::run_paths(&["check"], &[list.clone(), list.clone()]);
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("donné deux fois"), "{err}");
    assert!(err.contains(&path_arg(&list)), "{err}");
}

#[test]
fn terminal_escapes_in_names_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("professeurs.csv");
    std::fs::write(
        &list,
        "Nom;Prénom;Identifiant CAS\nDUPONT\u{1b}[2J\u{1b}]2 pwned\u{7};Léa;zzz\n\
         MARTIN;Paul;paul.martin\nDURAND;Anne;anne.durand\nPETIT;Marc;marc.petit\n",
    )
    .unwrap();
    let output = common::run(&["check", &path_arg(&list)]);
    let text = common::stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
    assert!(
        text.contains("DUPONT\\u{1b}[2J\\u{1b}]2 pwned\\u{7}"),
        "{text}"
    );
}

#[test]
fn an_impossible_birth_date_for_identifier_is_a_usage_error() {
    let output = common::run_paths(
        &[
            "identifier",
            "--nom",
            "BOVIN",
            "--prenom",
            "Lucas",
            "--naissance",
            "99/99/99999999999",
        ],
        &[common::exemple("eleves.txt")],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(
        err.contains("date de naissance invalide « 99/99/99999999999 »"),
        "{err}"
    );
    assert!(err.contains("JJ/MM/AAAA"), "{err}");
}

#[test]
fn a_list_without_identifiant_cas_says_what_cannot_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("professeurs.csv");
    std::fs::write(
        &list,
        "Nom;Prénom;Adresse E-mail\nDUPONT;Léa;lea@ecole.fr\n",
    )
    .unwrap();
    let output = common::run(&["check", &path_arg(&list)]);
    assert_eq!(output.status.code(), Some(1), "the check could not be done");
    let text = common::stdout(&output);
    assert!(
        text.contains("Colonne « Identifiant CAS » absente"),
        "{text}"
    );
    assert!(!text.contains("Résumé : 0 erreur"), "{text}");
    let json = common::run(&["check", "--format", "json", &path_arg(&list)]);
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value["files"][0]["missing_columns"][0]["column"],
        "Identifiant CAS"
    );
}

#[test]
fn responsables_without_esp_par_say_parent_access_cannot_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("responsables.csv");
    std::fs::write(
        &list,
        "Civilité;Nom;Prénom;Identifiant CAS;Bul.\nM.;BOSSARD;Robert;robert.bossard;Oui\n",
    )
    .unwrap();
    let output = common::run(&["check", "--liste", "responsables", &path_arg(&list)]);
    assert_eq!(output.status.code(), Some(1));
    let text = common::stdout(&output);
    assert!(text.contains("Colonne « Esp. Par. » absente"), "{text}");
    assert!(
        text.contains("Espace Parents ne peut pas être vérifié"),
        "{text}"
    );
}

#[test]
fn terminal_escapes_in_names_are_shown_not_sent_by_fix_either() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("responsables.csv");
    std::fs::write(
        &list,
        "Nom;Prénom;Identifiant CAS;Esp. Par.;Élèves\n\
         DUPONT\u{1b}[2J\u{1b}]2 pwned\u{7};Léa;lea.dupont;Non;DUPONT Zoé\n\
         MARTIN;Paul;paul.martin;Oui;MARTIN Jo\nDURAND;Anne;anne.durand;Oui;DURAND Eva\n",
    )
    .unwrap();
    let out_dir = dir.path().join("corrige");
    let output = common::run(&[
        "fix",
        "--all",
        "--out-dir",
        &path_arg(&out_dir),
        &path_arg(&list),
    ]);
    let text = common::stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
    assert!(
        text.contains("DUPONT\\u{1b}[2J\\u{1b}]2 pwned\\u{7} Léa"),
        "{text}"
    );
}
