//! Atomic saving: a temporary file beside the target, then a rename.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The target is one of the files that were read.
    #[error("Refus d'écrire par-dessus un fichier d'entrée (choisissez un autre dossier) : {0}")]
    WouldOverwriteInput(PathBuf),
    /// The target exists and overwriting was not asked.
    #[error("Le fichier existe déjà (ajoutez --force pour le remplacer) : {0}")]
    Exists(PathBuf),
    /// The system refused.
    #[error("Écriture impossible ({source}) : {path}")]
    Io {
        /// The target.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Whether two paths name the same file (after resolving links), or the same path.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Checks that `target` may be written: not an input, and not existing unless `force`.
pub fn check_target(target: &Path, inputs: &[PathBuf], force: bool) -> Result<(), SaveError> {
    if inputs.iter().any(|input| same_file(input, target)) {
        return Err(SaveError::WouldOverwriteInput(target.to_owned()));
    }
    if target.exists() && !force {
        return Err(SaveError::Exists(target.to_owned()));
    }
    Ok(())
}

/// Writes `bytes` to `target` atomically: a temporary file in the same folder, synced, renamed.
pub fn save_atomic(target: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let io_error = |source| SaveError::Io {
        path: target.to_owned(),
        source,
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(io_error)
}
