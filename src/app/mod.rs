//! The window. egui only; all data work goes through `model`, `io` and `ent`.

use std::process::ExitCode;

use crate::cli::Inputs;

/// Opens the window with the given files, or the embedded example base.
pub fn run_native(inputs: Inputs) -> ExitCode {
    let _ = inputs;
    ExitCode::SUCCESS
}
