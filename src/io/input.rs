//! Opening an input: regular files only, and never more than [`MAX_INPUT_BYTES`].
//!
//! `/dev/zero` would be read until memory runs out, and opening a FIFO with no writer blocks
//! forever: the file's kind and size are checked before it is opened, and again on the open
//! handle, and reading stops at the limit whatever the file claims.

use std::io::Read;
use std::path::Path;

/// The largest input read: 1 Go. A département's ENT export is a few dozen Mo.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Why an input is refused before it is read (wrapped in an `io::Error`, so that every
/// reader reports it as a reading failure with its path).
#[derive(Debug, thiserror::Error)]
pub enum InputRefused {
    /// A folder.
    #[error("c'est un dossier, pas un fichier")]
    Directory,
    /// A device, a FIFO, a socket…
    #[error(
        "ce n'est pas un fichier ordinaire (périphérique, tube ou socket) : donnez un fichier \
         exporté de PRONOTE ou de l'ENT"
    )]
    NotRegular,
    /// Over the size limit.
    #[error(
        "fichier trop grand ({size} octets, au plus {} Mo) : ce n'est pas un export de liste",
        MAX_INPUT_BYTES / (1 << 20)
    )]
    TooLarge {
        /// The size seen.
        size: u64,
    },
}

fn refused(reason: InputRefused) -> std::io::Error {
    std::io::Error::other(reason)
}

/// Reads a whole input file: a regular file (links followed) of at most [`MAX_INPUT_BYTES`].
pub fn read_input(path: &Path) -> std::io::Result<Vec<u8>> {
    // Checked before opening: opening a FIFO would block until a writer comes.
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(refused(InputRefused::Directory));
    }
    if !meta.is_file() {
        return Err(refused(InputRefused::NotRegular));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(refused(InputRefused::TooLarge { size: meta.len() }));
    }
    let file = std::fs::File::open(path)?;
    // The path may have been replaced between the two looks: the open handle decides.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refused(InputRefused::NotRegular));
    }
    let capacity = usize::try_from(meta.len().min(MAX_INPUT_BYTES)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(refused(InputRefused::TooLarge {
            size: bytes.len() as u64,
        }));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_refused_as_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_input(dir.path()).unwrap_err();
        assert!(crate::io::io_reason(&err).contains("dossier"), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gros.csv");
        let file = std::fs::File::create(&path).unwrap();
        // Sparse: no disk space used.
        file.set_len(MAX_INPUT_BYTES + 1).unwrap();
        let err = read_input(&path).unwrap_err();
        assert!(crate::io::io_reason(&err).contains("trop grand"), "{err}");
    }
}
