//! Writes a generated base (the four lists and `ent.csv`) into a folder, to look at or to run
//! the command line on: `cargo run --example generate -- DOSSIER [SEED] [--naissances]
//! [--departement] [--eleves N]`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // A tool stops on the first failure.

use pronote_companion::synthetic::{GenOptions, write_files};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().expect("dossier de sortie");
    let pupils_at = args.iter().position(|a| a == "--eleves");
    let pupils: Option<usize> = pupils_at.map(|i| {
        args.get(i + 1)
            .and_then(|n| n.parse().ok())
            .expect("--eleves N")
    });
    let seed = args
        .iter()
        .enumerate()
        .skip(1)
        .filter(|&(i, _)| pupils_at.is_none_or(|p| i != p + 1))
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
        ..base
    };
    write_files(&options, std::path::Path::new(dir)).unwrap();
    println!("{options:?} écrit dans {dir}");
}
