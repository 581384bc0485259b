//! A bounded fuzz of the two readers: arbitrary bytes, and bytes built from the pieces CSV
//! parsing cares about (separators, quotes, line ends, byte-order marks, known titles). No input
//! may panic; an accepted list writes back to the same bytes; the analysis of whatever is
//! accepted does not panic either. A few seconds in `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use std::path::Path;

use pronote_companion::ent::EntDirectory;
use pronote_companion::model::table::Table;
use pronote_companion::review::analysis::analyze;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

const PIECES: &[&[u8]] = &[
    b";",
    b",",
    b"\t",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFE\xFF",
    b"\0",
    b"\xE9",
    b"\xC3\xA9",
    b"\x1b[2J",
    b"Nom",
    b"Pr\xC3\xA9nom",
    b"Identifiant CAS",
    b"Esp. Par.",
    b"N\xC3\xA9(e) le",
    b"Identifiant",
    b"Type",
    b"Login",
    b"El\xC3\xA8ve",
    b"Parent",
    b"jean.dupont",
    b"Oui",
    b"Non",
    b"01/02/2010",
    b"DUPONT",
    b"L\xC3\xA9a",
    b"x",
    b" ",
];

fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|pieces| pieces.concat())
}

fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..400)
}

fn config() -> Config {
    Config {
        cases: 10_000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

fn read_list(bytes: &[u8]) {
    for name in [
        "professeurs.csv",
        "eleves.txt",
        "responsables.csv",
        "liste.csv",
    ] {
        if let Ok(table) = Table::from_bytes(Path::new(name), bytes, None) {
            // An accepted list writes back to the same bytes when nothing was edited.
            assert_eq!(table.to_bytes().unwrap(), bytes, "{name}");
            let _ = analyze(std::slice::from_ref(&table), None);
        }
    }
}

fn read_ent(bytes: &[u8]) {
    if let Ok(ent) = EntDirectory::from_bytes(Path::new("ent.csv"), bytes, None) {
        let list = Table::from_bytes(
            Path::new("professeurs.csv"),
            "Nom;Prénom;Identifiant CAS\nDUPONT;Léa;jean.dupont\n".as_bytes(),
            None,
        )
        .unwrap();
        let _ = analyze(&[list], Some(&ent));
    }
    let _ = EntDirectory::from_bytes(
        Path::new("ent.csv"),
        bytes,
        Some("login=Login,nom=Nom,prenom=Prénom"),
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_list_reader_never_panics_on_arbitrary_bytes(bytes in any_bytes()) {
        read_list(&bytes);
    }

    #[test]
    fn the_list_reader_never_panics_on_csv_like_bytes(bytes in csv_like()) {
        read_list(&bytes);
    }

    #[test]
    fn the_ent_reader_never_panics_on_arbitrary_bytes(bytes in any_bytes()) {
        read_ent(&bytes);
    }

    #[test]
    fn the_ent_reader_never_panics_on_csv_like_bytes(bytes in csv_like()) {
        read_ent(&bytes);
    }
}
