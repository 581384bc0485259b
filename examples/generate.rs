//! Writes a generated base (the four lists and `ent.csv`) into a folder, to look at or to run
//! the command line on: `cargo run --example generate -- DOSSIER [SEED] [--naissances]
//! [--departement] [--eleves N] [--etablissements N [--ent-partage]] [--colonnes-completes]`.
//!
//! With `--colonnes-completes`, the lists carry every column the client exports (addresses,
//! telephones, every tick of the Responsables; the élèves in UTF-16LE): about twice the bytes
//! for the same people and the same truth.
//!
//! With `--etablissements N`, the base is spread over N schools and written as one sub-folder
//! per school (`college-001`…), each with its lists and its own `ent.csv`; with `--ent-partage`,
//! one export of the whole département with « Établissements » (`DOSSIER/ent-departement.csv`)
//! replaces the schools' own exports.
#![allow(clippy::unwrap_used, clippy::expect_used)] // A tool stops on the first failure.

use pronote_companion::synthetic::{GenOptions, write_files, write_split_files};

/// The number after `flag`, if the flag is given.
fn number_after(args: &[String], flag: &str) -> Option<usize> {
    let at = args.iter().position(|a| a == flag)?;
    Some(
        args.get(at + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{flag} N")),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().expect("dossier de sortie");
    let pupils = number_after(&args, "--eleves");
    let schools = number_after(&args, "--etablissements");
    let values: Vec<usize> = ["--eleves", "--etablissements"]
        .iter()
        .filter_map(|flag| args.iter().position(|a| a == flag).map(|i| i + 1))
        .collect();
    let seed = args
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(i, _)| !values.contains(i))
        .find_map(|(_, a)| a.parse().ok())
        .unwrap_or(1);
    let base = if args.iter().any(|a| a == "--departement") {
        GenOptions::departement(seed)
    } else {
        GenOptions::college(seed)
    };
    let options = GenOptions {
        ent_birth_dates: args.iter().any(|a| a == "--naissances"),
        pupils: pupils.unwrap_or(base.pupils),
        schools: schools.unwrap_or(0),
        full_columns: args.iter().any(|a| a == "--colonnes-completes"),
        ..base
    };
    let dir = std::path::Path::new(dir);
    if schools.is_some() {
        write_split_files(&options, dir, args.iter().any(|a| a == "--ent-partage")).unwrap();
    } else {
        write_files(&options, dir).unwrap();
    }
    println!("{options:?} écrit dans {}", dir.display());
}
