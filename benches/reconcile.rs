//! Reconciling a département: ~120,000 PRONOTE rows with ~120,000 ENT accounts.
//!
//! `cargo bench --bench reconcile` writes the generated files in a child process (so that the
//! generator's memory is not counted), reads them back as the command line does, then times
//! the whole analysis (checks, reconciliation, findings) five times and prints the peak memory.
#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark stops on the first failure.

use std::path::PathBuf;
use std::time::Instant;

use pronote_companion::ent::EntDirectory;
use pronote_companion::model::table::Table;
use pronote_companion::review::analysis::analyze;
use pronote_companion::synthetic::{serve_generation_request, write_files_in_child};

fn memory_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    if serve_generation_request().expect("génération") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("departement");
    let start = Instant::now();
    // 52,000 pupils make ~121,000 rows and ~119,000 ENT accounts: the "120,000 and 120,000" of
    // the target.
    write_files_in_child(&dir, 52_000).expect("génération");
    println!(
        "génération (processus à part) : {:.2} s",
        start.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    let mut tables = Vec::new();
    for name in [
        "professeurs.csv",
        "eleves.txt",
        "responsables.csv",
        "personnels.csv",
    ] {
        tables.push(Table::read_path(&dir.join(name), None).expect("liste"));
    }
    let ent = EntDirectory::read_path(&dir.join("ent.csv"), None).expect("export ENT");
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    println!(
        "lecture : {rows} lignes PRONOTE, {} comptes ENT en {:.2} s",
        ent.accounts.len(),
        start.elapsed().as_secs_f64()
    );
    if let Some(mb) = memory_mb("VmRSS:") {
        println!("mémoire après lecture : {mb:.0} Mo");
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let analysis = analyze(&tables, Some(&ent));
        times.push(start.elapsed().as_secs_f64());
        std::hint::black_box(&analysis);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "rapprochement (analyse complète, 5 essais) : médiane {:.3} s, min {:.3} s, max {:.3} s",
        times[2], times[0], times[4]
    );
    if let Some(mb) = memory_mb("VmHWM:") {
        println!("mémoire maximale du processus : {mb:.0} Mo");
    }
}
