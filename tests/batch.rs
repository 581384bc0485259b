//! `check` and `fix` over a département: one sub-folder per school, each school's outputs the
//! bytes of a single run on its folder, a bad school reported while the others complete, the
//! summary (CSV, JSON) and the HTML report, a shared ENT export split by « Établissements ».

#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pronote_companion::synthetic::{GenOptions, generate_split};

/// A hostile school folder name: markup, a quote, an ampersand and a `#` (no `/`: a folder name).
const HOSTILE: &str = "<img src=x onerror=alert(1)> \"L&M\" #2";

/// A small département: three generated schools (own ENT exports), the FAQ's example base as a
/// fourth; with `shared`, the generated schools have no export of their own and the shared one
/// is returned (the example school is then left out: the shared export does not name it).
fn departement(root: &Path, shared: bool) -> Option<PathBuf> {
    let options = GenOptions {
        pupils: 240,
        teachers: 15,
        staff: 6,
        schools: 3,
        ..GenOptions::college(3)
    };
    let (schools, shared_ent) = generate_split(&options);
    for school in &schools {
        let folder = root.join(&school.folder);
        std::fs::create_dir_all(&folder).unwrap();
        for list in &school.base.lists {
            std::fs::write(folder.join(&list.file_name), &list.bytes).unwrap();
        }
        if !shared {
            std::fs::write(folder.join("ent.csv"), &school.base.ent_bytes).unwrap();
        }
    }
    if shared {
        let path = root.with_extension("ent.csv");
        std::fs::write(&path, shared_ent).unwrap();
        return Some(path);
    }
    let example = root.join("exemple-faq");
    std::fs::create_dir_all(&example).unwrap();
    for name in [
        "professeurs.csv",
        "eleves.txt",
        "responsables.csv",
        "ent-export-classique.csv",
    ] {
        std::fs::copy(common::exemple(name), example.join(name)).unwrap();
    }
    None
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files of a folder, by name.
fn files_of(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn school_folders(root: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders
}

#[test]
fn every_schools_outputs_are_the_bytes_of_a_single_run_on_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("departement");
    departement(&root, false);
    let root_arg = root.display().to_string();

    // fix --all: the corrected lists, the work list and what fix prints.
    let out = tmp.path().join("corrige");
    let batch = common::run(&[
        "fix",
        "--all",
        &root_arg,
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(batch.status.code(), Some(0), "{}", common::stderr(&batch));
    assert!(
        batch.stderr.is_empty(),
        "no progress bar without a terminal"
    );
    let schools = school_folders(&root);
    assert_eq!(schools.len(), 4);
    for school in &schools {
        let name = school.file_name().unwrap().to_string_lossy().into_owned();
        let single_out = tmp.path().join("seul").join(&name);
        let single = common::run(&[
            "fix",
            "--all",
            &school.display().to_string(),
            "--out-dir",
            &single_out.display().to_string(),
        ]);
        assert_eq!(single.status.code(), Some(0), "{}", common::stderr(&single));
        let mut written = files_of(&out.join(&name));
        let report = written.remove("rapport.txt").expect("the school's report");
        assert_eq!(
            written,
            files_of(&single_out),
            "{name}: same files, same bytes"
        );
        // What fix prints names its output folder: the only difference.
        let printed = common::stdout(&single).replace(
            &single_out.display().to_string(),
            &out.join(&name).display().to_string(),
        );
        assert_eq!(String::from_utf8(report).unwrap(), printed, "{name}");
    }

    // check, text and JSON: each school's report is what check prints on its folder.
    for format in ["text", "json"] {
        let out = tmp.path().join(format!("verifie-{format}"));
        let batch = common::run(&[
            "check",
            "--format",
            format,
            &root_arg,
            "--out-dir",
            &out.display().to_string(),
        ]);
        assert_eq!(batch.status.code(), Some(1), "errors found");
        assert!(batch.stderr.is_empty());
        let report_name = if format == "json" {
            "rapport.json"
        } else {
            "rapport.txt"
        };
        for school in &schools {
            let name = school.file_name().unwrap().to_string_lossy().into_owned();
            let single = common::run(&["check", "--format", format, &school.display().to_string()]);
            let report = std::fs::read(out.join(&name).join(report_name)).unwrap();
            assert_eq!(report, single.stdout, "{name} ({format})");
            assert!(out.join(&name).join("a-faire-dans-pronote.html").is_file());
        }
    }
}

#[test]
fn a_school_with_an_unreadable_file_is_reported_while_the_others_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("departement");
    departement(&root, false);
    let bad = root.join("college-002").join("eleves.txt");
    std::fs::write(&bad, b"\x00\x01\x02\xff\xfe\x00binaire\x00").unwrap();
    // A file beside the schools is not read, and the run says so.
    std::fs::write(root.join("notes.txt"), "à voir").unwrap();
    let out = tmp.path().join("sortie");
    let output = common::run(&[
        "check",
        &root.display().to_string(),
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a school not run: exit code 2"
    );
    let remarks = common::stderr(&output);
    assert!(
        remarks.contains("non lus") && remarks.contains("notes.txt"),
        "{remarks}"
    );
    let printed = common::stdout(&output);
    assert!(printed.contains("college-002 : NON TRAITÉ"), "{printed}");
    for name in ["college-001", "college-003", "exemple-faq"] {
        assert!(
            out.join(name).join("rapport.txt").is_file(),
            "{name} completed"
        );
    }
    assert!(!out.join("college-002").join("rapport.txt").exists());
    let csv = text(&out.join("synthese.csv"));
    let line = csv
        .lines()
        .find(|l| l.starts_with("college-002;"))
        .expect("the bad school's line");
    assert!(line.starts_with("college-002;erreur;"), "{line}");
    assert!(line.contains("eleves.txt"), "the file is named: {line}");
    let json: serde_json::Value = serde_json::from_str(&text(&out.join("synthese.json"))).unwrap();
    assert_eq!(json["totals"]["schools"], 4);
    assert_eq!(json["totals"]["failed"], 1);
    let html = text(&out.join("rapport.html"));
    assert!(html.contains("Non traité"));
    // Run again into the same folder: refused at once without --force, done with it.
    let again = |force: bool| {
        let mut args = vec![
            "check".to_owned(),
            root.display().to_string(),
            "--out-dir".to_owned(),
            out.display().to_string(),
        ];
        if force {
            args.push("--force".to_owned());
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        common::run(&refs)
    };
    let refused = again(false);
    assert_eq!(refused.status.code(), Some(2));
    assert!(common::stderr(&refused).contains("--force"));
    assert!(refused.stdout.is_empty(), "no school run");
    let replaced = again(true);
    assert_eq!(replaced.status.code(), Some(2), "the bad school again");
    assert!(common::stdout(&replaced).contains("college-001 : "));
    assert!(!common::stdout(&replaced).contains("college-001 : NON TRAITÉ"));
}

/// Findings per file and kind in a `check --format json` report.
fn kinds_in_report(report: &serde_json::Value) -> BTreeMap<(String, String), u64> {
    let mut kinds = BTreeMap::new();
    for file in report["files"].as_array().unwrap() {
        let name = Path::new(file["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for finding in file["findings"].as_array().unwrap() {
            let kind = finding["kind"].as_str().unwrap().to_owned();
            *kinds.entry((name.clone(), kind)).or_default() += 1;
        }
    }
    kinds
}

#[test]
fn the_summary_counts_each_schools_findings_per_list_and_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("departement");
    departement(&root, false);
    let out = tmp.path().join("sortie");
    let output = common::run(&[
        "check",
        "--format",
        "json",
        &root.display().to_string(),
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let summary: serde_json::Value =
        serde_json::from_str(&text(&out.join("synthese.json"))).unwrap();
    let csv = text(&out.join("synthese.csv"));
    let header: Vec<&str> = csv.lines().next().unwrap().split(';').collect();
    assert_eq!(header[0], "\u{feff}Établissement");
    assert!(header.contains(&"Homonymes inversés") && header.contains(&"À lier"));
    let mut total_errors = 0;
    for school in summary["schools"].as_array().unwrap() {
        assert_eq!(school["status"], "done");
        let name = school["name"].as_str().unwrap();
        // The school's own report says the same, file by file.
        let report: serde_json::Value =
            serde_json::from_str(&text(&out.join(name).join("rapport.json"))).unwrap();
        let expected = kinds_in_report(&report);
        let mut counted = BTreeMap::new();
        for list in school["lists"].as_array().unwrap() {
            let file = list["file"].as_str().unwrap().to_owned();
            total_errors += list["errors"].as_u64().unwrap();
            if list["list"] == "Export ENT" {
                continue;
            }
            for (kind, n) in list["kinds"].as_object().unwrap() {
                counted.insert((file.clone(), kind.clone()), n.as_u64().unwrap());
            }
            // And one CSV line per school and list, with the same counts.
            let line = csv
                .lines()
                .find(|l| l.starts_with(&format!("{name};traité;")) && l.contains(&file))
                .unwrap_or_else(|| panic!("{name} {file} in the CSV"));
            let cells: Vec<&str> = line.split(';').collect();
            assert_eq!(cells[4], list["rows"].to_string());
            assert_eq!(cells[5], list["errors"].to_string());
            let at = header.iter().position(|h| *h == "À lier").unwrap();
            assert_eq!(
                cells[at],
                list["kinds"]["cas_to_link"]
                    .as_u64()
                    .unwrap_or(0)
                    .to_string()
            );
        }
        assert_eq!(counted, expected, "{name}");
    }
    assert_eq!(summary["totals"]["errors"].as_u64().unwrap(), total_errors);
    assert!(total_errors > 0);
}

#[test]
fn a_shared_ent_export_is_split_by_establishments_as_own_exports_would_be() {
    let tmp = tempfile::tempdir().unwrap();
    let own = tmp.path().join("propres");
    departement(&own, false);
    std::fs::remove_dir_all(own.join("exemple-faq")).unwrap();
    let shared_root = tmp.path().join("partage");
    let shared = departement(&shared_root, true).unwrap();
    let run = |root: &Path, ent: Option<&Path>, out: &Path| {
        let mut args = vec![
            "check".to_owned(),
            root.display().to_string(),
            "--out-dir".to_owned(),
            out.display().to_string(),
        ];
        if let Some(ent) = ent {
            args.extend(["--ent".to_owned(), ent.display().to_string()]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = common::run(&refs);
        assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
        let json: serde_json::Value =
            serde_json::from_str(&text(&out.join("synthese.json"))).unwrap();
        json["totals"].clone()
    };
    let own_totals = run(&own, None, &tmp.path().join("sortie-propres"));
    let shared_totals = run(
        &shared_root,
        Some(&shared),
        &tmp.path().join("sortie-partage"),
    );
    assert_eq!(own_totals, shared_totals);

    // A school the shared export does not name cannot be told apart: it says so.
    let stranger = shared_root.join("lycee-inconnu");
    std::fs::create_dir_all(&stranger).unwrap();
    std::fs::copy(
        common::exemple("professeurs.csv"),
        stranger.join("professeurs.csv"),
    )
    .unwrap();
    let out = tmp.path().join("sortie-inconnu");
    let output = common::run(&[
        "check",
        &shared_root.display().to_string(),
        "--ent",
        &shared.display().to_string(),
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let printed = common::stdout(&output);
    assert!(
        printed.contains("lycee-inconnu : NON TRAITÉ : aucun compte de l'export ENT partagé"),
        "{printed}"
    );
    assert!(out.join("college-001").join("rapport.txt").is_file());
}

#[test]
fn a_shared_export_without_establishments_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let own = tmp.path().join("propres");
    departement(&own, false);
    // One school's export, as generated: no « Établissements » column.
    let without = tmp.path().join("ent-sans-etablissements.csv");
    std::fs::copy(own.join("college-001").join("ent.csv"), &without).unwrap();
    let root = tmp.path().join("departement");
    departement(&root, true);
    let output = common::run(&[
        "check",
        &root.display().to_string(),
        "--ent",
        &without.display().to_string(),
        "--out-dir",
        &tmp.path().join("sortie").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        common::stderr(&output).contains("n'a pas de colonne « Établissements »"),
        "{}",
        common::stderr(&output)
    );
}

#[test]
fn a_hostile_school_name_is_escaped_in_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("departement");
    departement(&root, false);
    std::fs::rename(root.join("exemple-faq"), root.join(HOSTILE)).unwrap();
    let out = tmp.path().join("sortie");
    let output = common::run(&[
        "fix",
        "--all",
        &root.display().to_string(),
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let html = text(&out.join("rapport.html"));
    assert!(!html.contains("<img"), "no markup from a folder name");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; &quot;L&amp;M&quot; #2"));
    // The link stays one path segment, to the school's work list.
    assert!(html.contains(
        "href=\"%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%20%22L%26M%22%20%232/a-faire-dans-pronote.html\""
    ));
    assert!(
        out.join(HOSTILE)
            .join("a-faire-dans-pronote.html")
            .is_file()
    );
    // No resource from the network.
    assert!(!html.contains("http://") && !html.contains("https://"));
    // A check report needs a folder to write into.
    let output = common::run(&["check", &root.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("--out-dir"));
    // And one school's check prints its report: an output folder there is a mistake, said so.
    let output = common::run(&[
        "check",
        &root.join("college-001").display().to_string(),
        "--out-dir",
        &tmp.path().join("inutile").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("qu'avec un dossier de département"));
}

#[test]
fn a_folder_is_given_alone_and_its_own_export_is_not_doubled_by_ent() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("departement");
    departement(&root, false);
    let school = root.join("college-001");
    let output = common::run(&[
        "check",
        &school.display().to_string(),
        &common::exemple("professeurs.csv").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("un dossier se donne seul"));
    let output = common::run(&[
        "check",
        &school.display().to_string(),
        "--ent",
        &root
            .join("college-002")
            .join("ent.csv")
            .display()
            .to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        common::stderr(&output).contains("contient son propre export ENT"),
        "{}",
        common::stderr(&output)
    );
}
