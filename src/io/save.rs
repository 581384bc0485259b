//! Atomic saving. Every output is first written to a temporary file created exclusively, under
//! a random name, in its target's folder (a link planted there is never followed); only when
//! every output of a run is written are they moved into place, so a run lands whole or not at
//! all.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::io_reason;

/// Why files were not written. Every message ends with the path concerned.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The target is one of the files that were read.
    #[error("Refus d'écrire par-dessus un fichier d'entrée (choisissez un autre dossier) : {0}")]
    WouldOverwriteInput(PathBuf),
    /// The target exists and overwriting was not asked.
    #[error("Le fichier existe déjà (ajoutez --force pour le remplacer) : {0}")]
    Exists(PathBuf),
    /// A folder has the target's name.
    #[error("Un dossier porte déjà ce nom, le fichier ne peut pas être écrit : {0}")]
    IsDirectory(PathBuf),
    /// Two outputs of one run have the same name.
    #[error("Deux fichiers à écrire portent le même nom, l'un remplacerait l'autre : {0}")]
    SameTarget(PathBuf),
    /// The system refused while the temporary files were written: nothing was written.
    #[error("Écriture impossible ({}), aucun fichier n'a été écrit : {path}", io_reason(.source))]
    Io {
        /// The target.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The system refused while moving the files into place.
    #[error(
        "Enregistrement interrompu ({}) ; {} : {path}",
        io_reason(.source),
        summary(.replaced)
    )]
    Interrupted {
        /// The target that could not be put in place.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
        /// Targets already replaced by this run (they existed before: they cannot be put back).
        replaced: Vec<PathBuf>,
    },
}

fn summary(replaced: &[PathBuf]) -> String {
    if replaced.is_empty() {
        "aucun fichier n'a été écrit".to_owned()
    } else {
        let names: Vec<String> = replaced.iter().map(|p| p.display().to_string()).collect();
        format!(
            "seuls ces fichiers ont été remplacés, les autres n'ont pas été écrits : {}",
            names.join(", ")
        )
    }
}

/// Whether two paths name the same file (after resolving links), or the same path.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Checks that `target` may be written: not an input, not a folder, and not existing unless
/// `force`.
pub fn check_target(target: &Path, inputs: &[PathBuf], force: bool) -> Result<(), SaveError> {
    if inputs.iter().any(|input| same_file(input, target)) {
        return Err(SaveError::WouldOverwriteInput(target.to_owned()));
    }
    if target.is_dir() {
        return Err(SaveError::IsDirectory(target.to_owned()));
    }
    if target.exists() && !force {
        return Err(SaveError::Exists(target.to_owned()));
    }
    Ok(())
}

fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes what `write` writes to a new temporary file beside `target`, and has it synced to disk
/// on a thread of its own (the sync waits for the disk, not the processor: the run builds its
/// other files meanwhile); [`place_all`] waits for it before anything is moved into place.
fn stage_writing(
    target: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<(NamedTempFile, Option<Syncing>)> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pronote-companion-").suffix(".tmp");
    #[cfg(unix)]
    {
        // A temporary file is the owner's alone (0600); the file it becomes is an ordinary one,
        // readable as any file the user creates (0666 less the umask, as `File::create`).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(folder_of(target))?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 18, &mut temp);
        write(&mut out)?;
        out.flush()?;
    }
    let file = temp.as_file().try_clone()?;
    let syncing = std::thread::Builder::new()
        .name("synchronisation".to_owned())
        .spawn(move || file.sync_all());
    match syncing {
        Ok(syncing) => Ok((temp, Some(syncing))),
        // No thread to spare: synced here.
        Err(_) => {
            temp.as_file().sync_all()?;
            Ok((temp, None))
        }
    }
}

/// A file's sync to disk, under way.
type Syncing = std::thread::JoinHandle<std::io::Result<()>>;

/// Writes `bytes` to `target` atomically, replacing it if it exists.
pub fn save_atomic(target: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    save_all(&[(target.to_owned(), bytes.to_vec())], true).map(|_| ())
}

/// Writes every output, all or none: each to its temporary file first, then all moved into
/// place. Without `replace`, a target that exists by then (another run wrote it meanwhile)
/// stops the run. When moving into place fails, the files this run created are removed again;
/// files it had already replaced are named in the error. Returns the targets written.
pub fn save_all(outputs: &[(PathBuf, Vec<u8>)], replace: bool) -> Result<Vec<PathBuf>, SaveError> {
    let targets: Vec<&Path> = outputs.iter().map(|(target, _)| target.as_path()).collect();
    check_distinct(&targets)?;
    // Every file staged at once (writing and syncing a département's 100 MB one file after
    // the other waits for each disk flush in turn); the first failure, in the outputs' order,
    // is the one reported. On failure the temporary files staged are removed when dropped.
    let results: Vec<Result<Staged, SaveError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = outputs
            .iter()
            .map(|(target, bytes)| scope.spawn(move || stage_file(target, bytes)))
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let staged = results
        .into_iter()
        .collect::<Result<Vec<Staged>, SaveError>>()?;
    place_all(staged, replace)
}

/// Checks a run's targets before anything is staged: no two of them the same file on a
/// case-insensitive disk, none of them a folder.
pub fn check_distinct(targets: &[&Path]) -> Result<(), SaveError> {
    for (i, target) in targets.iter().enumerate() {
        if targets[..i].iter().any(|other| same_name(other, target)) {
            return Err(SaveError::SameTarget(target.to_path_buf()));
        }
        if target.is_dir() {
            return Err(SaveError::IsDirectory(target.to_path_buf()));
        }
    }
    Ok(())
}

/// A file written and synced beside its target, not in place yet ([`place_all`]); its
/// temporary file is removed if it is dropped instead.
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    temp: NamedTempFile,
    /// Its sync to disk, if still under way.
    syncing: Option<Syncing>,
}

impl Staged {
    /// Where it will be put.
    pub fn target(&self) -> &Path {
        &self.target
    }
}

/// Writes `bytes` into a temporary file beside `target`, synced to disk: the first half of
/// [`save_all`], for a run that writes each file as soon as it is built.
pub fn stage_file(target: &Path, bytes: &[u8]) -> Result<Staged, SaveError> {
    stage_writing_file(target, &mut |out| out.write_all(bytes))
}

/// [`stage_file`] of what `write` writes, as it writes it: a département's work list (tens of
/// megabytes) goes to its file without being held whole in memory first.
pub fn stage_writing_file(
    target: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged, SaveError> {
    match stage_writing(target, write) {
        Ok((temp, syncing)) => Ok(Staged {
            target: target.to_owned(),
            temp,
            syncing,
        }),
        Err(source) => Err(SaveError::Io {
            path: target.to_owned(),
            source,
        }),
    }
}

/// Moves staged files into place, in their order: the second half of [`save_all`], with its
/// rules (see there). Every file's sync to disk is waited for first: a file that could not be
/// synced stops the run before anything is moved.
pub fn place_all(mut staged: Vec<Staged>, replace: bool) -> Result<Vec<PathBuf>, SaveError> {
    for file in &mut staged {
        if let Some(syncing) = file.syncing.take() {
            let synced = syncing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if let Err(source) = synced {
                return Err(SaveError::Io {
                    path: file.target.clone(),
                    source,
                });
            }
        }
    }
    let mut placed: Vec<(PathBuf, bool)> = Vec::with_capacity(staged.len());
    for Staged { target, temp, .. } in staged {
        let existed = std::fs::symlink_metadata(&target).is_ok();
        let result = if replace {
            temp.persist(&target).map(|_| ())
        } else {
            temp.persist_noclobber(&target).map(|_| ())
        };
        if let Err(err) = result {
            let mut replaced = Vec::new();
            for (path, existed) in placed {
                if existed {
                    replaced.push(path);
                } else {
                    // Best effort: a file this run created goes away again.
                    let _ = std::fs::remove_file(&path);
                }
            }
            if err.error.kind() == std::io::ErrorKind::AlreadyExists
                && !replace
                && replaced.is_empty()
            {
                return Err(SaveError::Exists(target));
            }
            return Err(SaveError::Interrupted {
                path: target,
                source: err.error,
                replaced,
            });
        }
        placed.push((target, existed));
    }
    Ok(placed.into_iter().map(|(path, _)| path).collect())
}

/// Whether two targets would be the same file on a case-insensitive disk (Windows, macOS).
fn same_name(a: &Path, b: &Path) -> bool {
    a == b
        || (a.parent() == b.parent()
            && a.file_name().map(|n| n.to_string_lossy().to_lowercase())
                == b.file_name().map(|n| n.to_string_lossy().to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_written_file_has_the_permissions_of_any_file_the_user_creates() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("sonde.csv");
        std::fs::File::create(&probe).unwrap();
        let target = dir.path().join("sortie.csv");
        save_atomic(&target, b"a;b\r\n").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&probe));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_in_the_output_folder_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victime.csv");
        std::fs::write(&victim, b"precieux").unwrap();
        // The names the old code used (.NAME.PID.tmp) and a few guesses: all links to the victim.
        let target = dir.path().join("sortie.csv");
        for name in [
            format!(".sortie.csv.{}.tmp", std::process::id()),
            ".pronote-companion-.tmp".to_owned(),
        ] {
            std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
        }
        save_atomic(&target, b"nouveau").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precieux");
        assert_eq!(std::fs::read(&target).unwrap(), b"nouveau");
    }

    #[cfg(windows)]
    #[test]
    fn a_file_open_in_excel_is_named_with_advice_to_close_it() {
        let err = SaveError::Io {
            path: PathBuf::from(r"C:\sortie\professeurs.csv"),
            source: std::io::Error::from_raw_os_error(32),
        };
        let text = err.to_string();
        assert!(text.contains("ouvert dans un autre programme"), "{text}");
        assert!(text.ends_with(r"C:\sortie\professeurs.csv"), "{text}");
    }

    #[test]
    fn when_one_output_cannot_be_written_none_is() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a.csv");
        let blocked = dir.path().join("b.csv");
        std::fs::create_dir(&blocked).unwrap();
        let outputs = vec![
            (first.clone(), b"a".to_vec()),
            (blocked.clone(), b"b".to_vec()),
        ];
        let err = save_all(&outputs, true).unwrap_err();
        assert!(
            matches!(err, SaveError::IsDirectory(ref p) if *p == blocked),
            "{err}"
        );
        assert!(!first.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_failure_while_moving_into_place_removes_what_the_run_created_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a.csv");
        // A name too long for the file system: staging works (random short name), the move fails.
        let long = dir.path().join(format!("{}.csv", "x".repeat(300)));
        let outputs = vec![
            (first.clone(), b"a".to_vec()),
            (long.clone(), b"b".to_vec()),
        ];
        let err = save_all(&outputs, false).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("aucun fichier n'a été écrit"), "{text}");
        assert!(!first.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no temporary file left"
        );
    }

    #[test]
    fn without_replace_a_file_written_meanwhile_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.csv");
        std::fs::write(&target, b"autre execution").unwrap();
        let err = save_all(&[(target.clone(), b"moi".to_vec())], false).unwrap_err();
        assert!(matches!(err, SaveError::Exists(_)), "{err}");
        assert_eq!(std::fs::read(&target).unwrap(), b"autre execution");
    }
}
