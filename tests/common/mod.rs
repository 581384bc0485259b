//! Helpers shared by the integration tests: the example base, running the binary.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example base shipped in `assets/exemple/` (a copy of the FAQ's samples).
pub fn exemple(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/exemple")
        .join(name)
}

/// The three PRONOTE lists of the example base.
pub fn exemple_lists() -> Vec<PathBuf> {
    ["professeurs.csv", "eleves.txt", "responsables.csv"]
        .iter()
        .map(|n| exemple(n))
        .collect()
}

/// Runs the binary with `args`, with a private configuration folder.
pub fn run(args: &[&str]) -> Output {
    let config = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_pronote-companion"))
        .args(args)
        .env("PRONOTE_COMPANION_CONFIG_DIR", config.path())
        .output()
        .unwrap()
}

/// Runs the binary with `args` and the configuration folder `config`.
pub fn run_with_config(args: &[&str], config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pronote-companion"))
        .args(args)
        .env("PRONOTE_COMPANION_CONFIG_DIR", config)
        .output()
        .unwrap()
}

/// `run` with paths.
pub fn run_paths(args: &[&str], paths: &[PathBuf]) -> Output {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(paths.iter().map(|p| p.display().to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    run(&refs)
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An ENT export in a layout no ENT uses (as an Atrium export may be): columns Compte, Famille,
/// Usuel, Naissance; one account, kenza.b (BERTON Kenza, 23/02/2000). Written in `dir`.
pub fn write_unknown_ent_export(dir: &Path) -> PathBuf {
    let ent = dir.join("atrium.csv");
    std::fs::write(
        &ent,
        "Compte;Famille;Usuel;Naissance\nkenza.b;BERTON;Kenza;23/02/2000\n".as_bytes(),
    )
    .unwrap();
    ent
}

/// Steps the real `App` until its background job (loading, analysis, saving) ends: up to a
/// minute, since a debug build on a busy two-core machine (CI) analyses a large base slowly.
pub fn wait_for_loading(harness: &mut egui_kittest::Harness<'_, pronote_companion::app::App>) {
    let start = std::time::Instant::now();
    while harness.state().is_loading() && start.elapsed() < std::time::Duration::from_secs(60) {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run();
}
