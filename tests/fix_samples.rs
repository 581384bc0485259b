//! `fix` writes the lists with exactly the fixed cells changed, and the work list.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::path::Path;

use pronote_companion::model::table::Table;

#[test]
fn fix_changes_exactly_the_fixed_cells_and_nothing_else() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().display().to_string();
    let output = common::run_paths(
        &[
            "fix",
            "--clear-suspect",
            "--clear-duplicates",
            "--grant-parent-access",
            "--out-dir",
            &out_dir,
        ],
        &common::exemple_lists(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));

    // (file, nom, column title, before, after)
    let expected = [
        (
            "professeurs.csv",
            "DEJEAN",
            "Identifiant CAS",
            "michelle.moreau",
            "",
        ),
        (
            "responsables.csv",
            "PETIT",
            "Identifiant CAS",
            "claire.martin",
            "",
        ),
        ("responsables.csv", "BERTON", "Esp. Par.", "Non", "Oui"),
        ("responsables.csv", "BOUCHARD", "Esp. Par.", "Non", "Oui"),
        ("responsables.csv", "DURAND", "Esp. Par.", "Non", "Oui"),
    ];
    let mut changed = 0;
    for input in common::exemple_lists() {
        let name = input.file_name().unwrap().to_str().unwrap().to_owned();
        let before = Table::read_path(&input, None).unwrap();
        let written = out.path().join(&name);
        let after = Table::read_path(&written, None).unwrap();
        assert_eq!(after.format, before.format, "{name}");
        assert_eq!(after.columns, before.columns);
        assert_eq!(after.rows.len(), before.rows.len());
        for (r, (b, a)) in before.rows.iter().zip(&after.rows).enumerate() {
            assert_eq!(a.line, b.line);
            for (c, (bv, av)) in before.row_values(r).zip(after.row_values(r)).enumerate() {
                let title = &before.columns[c].title;
                let wanted = expected
                    .iter()
                    .find(|e| e.0 == name && e.1 == before.nom(r) && e.2 == title);
                match wanted {
                    Some(e) => {
                        assert_eq!((bv, av), (e.3, e.4), "{name} {r} {title}");
                        changed += 1;
                    }
                    None => assert_eq!(av, bv, "{name} row {r} column {title} must not change"),
                }
            }
        }
        // Byte level: the unchanged lines are the same bytes.
        let original = std::fs::read(&input).unwrap();
        let fixed = std::fs::read(&written).unwrap();
        if name == "eleves.txt" {
            assert_eq!(fixed, original);
        } else {
            assert_ne!(fixed, original);
        }
    }
    assert_eq!(changed, expected.len());

    let work_list = std::fs::read(out.path().join("a-faire-dans-pronote.csv")).unwrap();
    assert!(work_list.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(work_list).unwrap();
    assert_eq!(text.lines().count(), 1 + expected.len());
    assert!(text.contains("DEJEAN;Yannick;Identifiant CAS;michelle.moreau;;"));
    assert!(
        text.contains("Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS (ENT)")
    );
    assert!(text.contains("cocher « Accès à l'Espace Parents »"));
    // No password ever reaches the work list.
    let prof = Table::read_path(&common::exemple("professeurs.csv"), None).unwrap();
    let password = prof
        .column(pronote_companion::model::columns::ColumnRole::Password)
        .unwrap();
    for r in 0..prof.rows.len() {
        assert!(!text.contains(prof.cell(r, password)));
    }
}

#[test]
fn fix_without_action_writes_faithful_copies() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().display().to_string();
    let output = common::run_paths(&["fix", "--out-dir", &out_dir], &common::exemple_lists());
    assert_eq!(output.status.code(), Some(0));
    for input in common::exemple_lists() {
        let copy = out.path().join(input.file_name().unwrap());
        assert_eq!(std::fs::read(copy).unwrap(), std::fs::read(&input).unwrap());
    }
}

#[test]
fn fix_refuses_to_overwrite_an_input_or_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("eleves.txt");
    std::fs::copy(common::exemple("eleves.txt"), &input).unwrap();
    let dir_text = dir.path().display().to_string();
    let output = common::run_paths(
        &["fix", "--force", "--out-dir", &dir_text],
        std::slice::from_ref(&input),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        common::stderr(&output).contains("fichier d'entrée"),
        "{}",
        common::stderr(&output)
    );
    assert!(!dir.path().join("a-faire-dans-pronote.csv").exists());

    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("eleves.txt"), b"ancien").unwrap();
    let out_text = out.path().display().to_string();
    let output = common::run_paths(
        &["fix", "--out-dir", &out_text],
        std::slice::from_ref(&input),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("existe déjà"));
    assert_eq!(
        std::fs::read(out.path().join("eleves.txt")).unwrap(),
        b"ancien"
    );
    let output = common::run_paths(
        &["fix", "--force", "--out-dir", &out_text],
        std::slice::from_ref(&input),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        std::fs::read(out.path().join("eleves.txt")).unwrap(),
        std::fs::read(Path::new(&input)).unwrap()
    );
}

#[test]
fn fix_leaves_only_its_outputs_in_the_folder_no_temporary_file() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("corrige");
    let out_text = out_dir.display().to_string();
    let output = common::run_paths(
        &["fix", "--all", "--out-dir", &out_text],
        &common::exemple_lists(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "a-faire-dans-pronote.csv",
            "a-faire-dans-pronote.html",
            "eleves.txt",
            "professeurs.csv",
            "responsables.csv"
        ]
    );
}

#[test]
fn fix_whose_outputs_would_collide_writes_nothing_not_even_the_folder() {
    // Two lists whose names differ only by case would be one file on Windows or macOS.
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let first = a.join("Listes.csv");
    let second = b.join("listes.csv");
    std::fs::copy(common::exemple("professeurs.csv"), &first).unwrap();
    std::fs::copy(common::exemple("responsables.csv"), &second).unwrap();
    let out_dir = dir.path().join("sortie");
    let out_text = out_dir.display().to_string();
    let output = common::run_paths(&["fix", "--all", "--out-dir", &out_text], &[first, second]);
    assert_eq!(output.status.code(), Some(2), "{}", common::stderr(&output));
    assert!(
        common::stderr(&output).contains("portent le même nom"),
        "{}",
        common::stderr(&output)
    );
    assert!(!out_dir.exists(), "le dossier de sortie a été créé");
}

#[test]
fn fix_whose_login_a_windows_1252_list_cannot_hold_says_so_and_writes_nothing() {
    // The ENT gives a Polish teacher a login with « ł », which a list saved by Excel in
    // Windows-1252 cannot hold: the list is written as it is made, and stopped there.
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("professeurs.csv");
    let text = "Nom;Prénom;Né(e) le;Identifiant CAS\r\nNOWAK;Lukasz;01/02/1980;\r\n\
                DUPONT;Marie;03/04/1975;\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| if c == 'é' { 0xE9 } else { c as u8 })
        .collect();
    std::fs::write(&list, bytes).unwrap();
    let ent = dir.path().join("ent.csv");
    std::fs::write(
        &ent,
        "\u{feff}\"Id\";\"Type\";\"Nom\";\"Prénom\";\"Identifiant\"\r\n\
         \"u1\";\"Enseignant\";\"NOWAK\";\"Lukasz\";\"łukasz.nowak\"\r\n\
         \"u2\";\"Enseignant\";\"DUPONT\";\"Marie\";\"marie.dupont\"\r\n",
    )
    .unwrap();
    let out_dir = dir.path().join("sortie");
    let output = common::run_paths(
        &[
            "fix",
            "--all",
            "--out-dir",
            &out_dir.display().to_string(),
            "--ent",
        ],
        &[ent, list],
    );
    assert_eq!(output.status.code(), Some(2), "{}", common::stderr(&output));
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("le caractère « ł » (ligne 2) ne peut pas être écrit en Windows-1252")
            && stderr.contains("professeurs.csv"),
        "{stderr}"
    );
    assert!(!out_dir.exists(), "le dossier de sortie est resté");
}
