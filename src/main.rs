//! pronote-companion: the command line, or the window.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match pronote_companion::cli::parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Some(command) => pronote_companion::cli::run(command),
        None => pronote_companion::app::run_native(cli.inputs),
    }
}
