//! pronote-companion: the command line, or the window.

use std::process::ExitCode;

// Reading and matching a département makes millions of small strings: mimalloc allocates and
// frees them several times faster than the system allocator (see docs/PERFORMANCE.md). Its
// 2.x series (feature `v2`): the 3.x one keeps freed memory a second before giving it back,
// and `check --ent` on a département peaked 55 MB higher with it, for no gain in time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic is a bug: say so in French before Rust's own report. The window's unsaved edits
    // are already in the journal, written after every change.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!(
            "Erreur interne du programme (à signaler, avec le texte qui suit). Les modifications \
             non enregistrées de la fenêtre sont gardées et seront proposées au prochain \
             démarrage."
        );
        report(info);
    }));
    let cli = match pronote_companion::cli::parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Some(command) => pronote_companion::cli::run(command),
        None => pronote_companion::app::run_native(cli.inputs.requests()),
    }
}
