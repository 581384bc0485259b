//! Opening any export, for the window and the command line alike: a PRONOTE list (recognised
//! by its name, its columns, or declared), or an ENT export (a known layout, a mapping given or
//! remembered for its header, or columns to ask the user for).

use std::path::{Path, PathBuf};

use crate::ent::layout::{MappingStore, is_ent_export_header};
use crate::ent::{EntDirectory, EntReadError};
use crate::model::columns::ListKind;
use crate::model::table::{ReadError, Table};

/// A file to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenRequest {
    /// A PRONOTE list, or if it is none, an ENT export.
    Auto(PathBuf),
    /// An ENT export, with an optional column mapping (`login=…,nom=…`).
    Ent(PathBuf, Option<String>),
    /// A PRONOTE list declared as this list (`--liste`).
    List(PathBuf, ListKind),
}

impl OpenRequest {
    /// The file.
    pub fn path(&self) -> &Path {
        match self {
            Self::Auto(path) | Self::Ent(path, _) | Self::List(path, _) => path,
        }
    }
}

/// An opened file.
pub enum Opened {
    /// A PRONOTE list.
    Table(Box<Table>),
    /// An ENT export.
    Ent(Box<EntDirectory>),
    /// An export whose columns the user must name (an ENT layout not recognised).
    NeedsMapping {
        /// The file.
        path: PathBuf,
        /// Its column titles (line 1).
        titles: Vec<String>,
    },
}

/// Why a file could not be opened; the French message of the list or ENT reader.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A PRONOTE list that cannot be read.
    #[error(transparent)]
    List(#[from] ReadError),
    /// An ENT export that cannot be read.
    #[error(transparent)]
    Ent(#[from] EntReadError),
}

/// Reads a PRONOTE list (`declared` overrides the list its name and columns say); an ENT
/// export given as a list is refused with a message saying where to give it.
pub fn open_list(path: &Path, declared: Option<ListKind>) -> Result<Table, ReadError> {
    Table::read_path_refusing(path, declared, is_ent_export_header)
}

/// Reads an ENT export with `mapping`, else with the mapping `store` remembers for its header.
/// A mapping given is remembered for the next export with the same header.
pub fn open_ent(
    path: &Path,
    mapping: Option<&str>,
    store: Option<&MappingStore>,
) -> Result<EntDirectory, EntReadError> {
    // The file is read and decoded once: its first line chooses the mapping (the one given, or
    // the one remembered for these titles).
    let mut titles = Vec::new();
    let directory = EntDirectory::read_path_choosing(path, |first| {
        titles = first.to_vec();
        match mapping {
            Some(spec) => Some(spec.to_owned()),
            None => store.and_then(|s| s.lookup(first)),
        }
    })?;
    if let (Some(spec), Some(store)) = (mapping, store) {
        // Remembering is a convenience: a read-only configuration folder is no reason to fail.
        let _ = store.remember(&titles, spec);
    }
    Ok(directory)
}

/// Reads an ENT export; an unknown layout without a mapping asks for its columns.
fn open_ent_or_ask(path: &Path, store: Option<&MappingStore>) -> Result<Opened, OpenError> {
    match open_ent(path, None, store) {
        Ok(directory) => Ok(Opened::Ent(Box::new(directory))),
        Err(EntReadError::UnknownLayout { .. }) => Ok(Opened::NeedsMapping {
            path: path.to_owned(),
            titles: EntDirectory::read_titles(path)?,
        }),
        Err(err) => Err(err.into()),
    }
}

/// Opens one file as `request` says: the one way both front ends open a file.
pub fn open(request: &OpenRequest, store: Option<&MappingStore>) -> Result<Opened, OpenError> {
    match request {
        OpenRequest::Auto(path) => match open_list(path, None) {
            Ok(table) => Ok(Opened::Table(Box::new(table))),
            Err(ReadError::NotAList { .. } | ReadError::EntExport { .. }) => {
                open_ent_or_ask(path, store)
            }
            Err(err) => Err(err.into()),
        },
        OpenRequest::List(path, list) => Ok(Opened::Table(Box::new(open_list(path, Some(*list))?))),
        OpenRequest::Ent(path, None) => open_ent_or_ask(path, store),
        OpenRequest::Ent(path, Some(mapping)) => {
            Ok(Opened::Ent(Box::new(open_ent(path, Some(mapping), store)?)))
        }
    }
}

/// Takes each list that neither its name, its columns nor the user decided as the list whose
/// ENT accounts its rows match (see [`crate::ent::profiles`]).
pub fn recognise_lists(tables: &mut [Table], ent: Option<&EntDirectory>) {
    if let Some(ent) = ent {
        let _ = crate::ent::profiles::recognise_lists(tables, ent);
    }
}

/// Opens the lists (each with its declared list, if any) and the ENT export of a command-line
/// run; the first error stops everything. Each list and the ENT export is read on a thread of
/// its own, so that both cores decode and split; the lists' errors are still reported first,
/// in the order of the lists.
pub fn open_all(
    lists: &[(PathBuf, Option<ListKind>)],
    ent: Option<(&Path, Option<&str>)>,
    store: Option<&MappingStore>,
) -> Result<(Vec<Table>, Option<EntDirectory>), OpenError> {
    let (tables, ent) = std::thread::scope(|scope| {
        let ent = ent.map(|(path, mapping)| scope.spawn(move || open_ent(path, mapping, store)));
        let workers: Vec<_> = lists
            .iter()
            .skip(1)
            .map(|(path, declared)| scope.spawn(move || open_list(path, *declared)))
            .collect();
        let first = lists
            .first()
            .map(|(path, declared)| open_list(path, *declared));
        let read: Vec<Result<Table, ReadError>> = first
            .into_iter()
            .chain(workers.into_iter().map(joined))
            .collect();
        let tables: Result<Vec<Table>, ReadError> = read.into_iter().collect();
        let ent = ent.map(joined);
        (tables, ent)
    });
    let mut tables = tables?;
    let ent = ent.transpose()?;
    recognise_lists(&mut tables, ent.as_ref());
    Ok((tables, ent))
}

/// What a reading thread returned; its panic goes on in the caller.
fn joined<T>(worker: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match worker.join() {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemple(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/exemple")
            .join(name)
    }

    #[test]
    fn an_ent_export_opened_as_any_file_is_read_as_an_ent_export() {
        let opened = open(
            &OpenRequest::Auto(exemple("ent-export-classique.csv")),
            None,
        );
        assert!(matches!(opened, Ok(Opened::Ent(ent)) if ent.accounts.len() == 51));
        for list in ["professeurs.csv", "eleves.txt", "responsables.csv"] {
            let opened = open(&OpenRequest::Auto(exemple(list)), None);
            assert!(matches!(opened, Ok(Opened::Table(_))), "{list}");
        }
    }

    #[test]
    fn an_ent_export_declared_as_a_list_is_refused_with_where_to_give_it() {
        let err = open_list(&exemple("ent-export-classique.csv"), None).err();
        assert!(matches!(err, Some(ReadError::EntExport { .. })), "{err:?}");
    }
}
