//! Reading and writing files: encodings, fields, atomic saving. No egui here.

pub mod encoding;
pub mod input;
pub mod save;
pub mod scan;

pub use input::{MAX_INPUT_BYTES, read_input};

/// What went wrong with a file, in French, for the messages (`Impossible de lire… (raison)`).
///
/// The system's own text is English; the common cases are said in French, and a Windows
/// sharing violation (a file open in Excel) gets its own advice.
pub fn io_reason(err: &std::io::Error) -> String {
    io_reason_on(err, cfg!(windows))
}

/// [`io_reason`] as it reads on Windows (`windows`) or elsewhere: the raw error codes 32
/// (sharing violation) and 33 (lock violation) mean something else on other systems.
pub fn io_reason_on(err: &std::io::Error, windows: bool) -> String {
    use std::io::ErrorKind;
    if windows && matches!(err.raw_os_error(), Some(32 | 33)) {
        return "le fichier est ouvert dans un autre programme (Excel, Calc…) : fermez-le puis \
                recommencez"
            .to_owned();
    }
    if windows && err.kind() == std::io::ErrorKind::PermissionDenied {
        // Replacing a file Excel holds open is refused this way too (os error 5).
        return "accès refusé : le fichier est peut-être ouvert dans un autre programme (Excel, \
                Calc…), ou le dossier est protégé"
            .to_owned();
    }
    if err.raw_os_error().is_none()
        && let Some(inner) = err.get_ref()
    {
        // Our own errors wrapped in an io::Error already speak French.
        return inner.to_string();
    }
    let text = match err.kind() {
        ErrorKind::NotFound => "fichier ou dossier introuvable",
        ErrorKind::PermissionDenied => "accès refusé",
        ErrorKind::AlreadyExists => "le fichier existe déjà",
        ErrorKind::StorageFull => "disque plein",
        ErrorKind::QuotaExceeded => "quota disque dépassé",
        ErrorKind::ReadOnlyFilesystem => "support en lecture seule",
        ErrorKind::IsADirectory => "c'est un dossier",
        ErrorKind::NotADirectory => "un élément du chemin n'est pas un dossier",
        ErrorKind::InvalidFilename => "nom de fichier invalide ou trop long",
        ErrorKind::FileTooLarge => "fichier trop grand",
        ErrorKind::ResourceBusy => "fichier occupé par un autre programme",
        ErrorKind::BrokenPipe => "la sortie a été fermée",
        ErrorKind::Interrupted => "opération interrompue",
        _ => return format!("erreur du système : {err}"),
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_sharing_violation_says_the_file_is_open_elsewhere() {
        let err = std::io::Error::from_raw_os_error(32);
        assert!(io_reason_on(&err, true).contains("ouvert dans un autre programme"));
        let err = std::io::Error::from_raw_os_error(33);
        assert!(io_reason_on(&err, true).contains("ouvert dans un autre programme"));
    }

    #[test]
    fn common_failures_are_said_in_french() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(io_reason_on(&full, false), "disque plein");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(io_reason_on(&denied, false), "accès refusé");
        assert!(io_reason_on(&denied, true).contains("ouvert dans un autre programme"));
    }
}
