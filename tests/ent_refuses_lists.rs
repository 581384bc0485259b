//! A PRONOTE list given where the ENT export is expected is refused, saying what it is.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

#[test]
fn a_pronote_list_given_as_the_ent_export_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let eleves = common::exemple("eleves.txt").display().to_string();
    let profs = common::exemple("professeurs.csv");
    for extra in [vec![], vec!["--ent-columns", "login=6,nom=1,prenom=2"]] {
        let mut args = vec!["check", "--ent", eleves.as_str()];
        args.extend(extra.iter().copied());
        let output = common::run_paths(&args, std::slice::from_ref(&profs));
        assert_eq!(output.status.code(), Some(2));
        let err = common::stderr(&output);
        assert!(
            err.contains("eleves.txt est une liste PRONOTE (Élèves), pas un export de comptes ENT"),
            "{err}"
        );
        assert!(
            err.trim_end().ends_with(&eleves),
            "the path comes last: {err}"
        );
    }
    let out = dir.path().join("sortie");
    let output = common::run_paths(
        &[
            "fix",
            "--all",
            "--ent",
            &eleves,
            "--out-dir",
            &out.display().to_string(),
        ],
        &[profs],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn the_window_says_a_pronote_list_opened_as_the_ent_export_is_a_list() {
    use pronote_companion::review::open::{OpenRequest, open};
    let Err(err) = open(
        &OpenRequest::Ent(common::exemple("responsables.csv"), None),
        None,
    )
    .map_err(|e| e.to_string()) else {
        panic!("a PRONOTE list is no ENT export");
    };
    assert!(
        err.contains("responsables.csv est une liste PRONOTE (Responsables)"),
        "{err}"
    );
}

#[test]
fn the_window_shows_the_message_when_a_list_is_opened_as_the_ent_export() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use pronote_companion::app::{App, Document};
    use pronote_companion::review::open::OpenRequest;
    let mut app = App::with_document(Document::example(false));
    app.load_now(&[OpenRequest::Ent(common::exemple("eleves.txt"), None)]);
    assert!(app.doc.ent.is_none(), "no ENT accounts read from a list");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_eframe(|_| app);
    harness.run();
    harness.get_by_label("Fichier non chargé");
    assert!(
        harness
            .get_all_by_label_contains(
                "eleves.txt est une liste PRONOTE (Élèves), pas un export de comptes ENT"
            )
            .count()
            >= 1
    );
}
