//! Loading and saving on named background threads, with progress.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::ent::EntDirectory;
use crate::io::save::save_atomic;
use crate::model::table::{ReadError, Table};

/// A file to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadRequest {
    /// A PRONOTE list, or if it is none, an ENT export.
    Auto(PathBuf),
    /// An ENT export, with an optional column mapping.
    Ent(PathBuf, Option<String>),
}

impl LoadRequest {
    fn path(&self) -> &PathBuf {
        match self {
            Self::Auto(path) | Self::Ent(path, _) => path,
        }
    }
}

/// A loaded file.
pub enum Loaded {
    /// A PRONOTE list.
    Table(Box<Table>),
    /// An ENT export.
    Ent(Box<EntDirectory>),
}

/// Loads one file: the worker body, tested without threads.
pub fn load_one(request: &LoadRequest) -> Result<Loaded, String> {
    match request {
        LoadRequest::Auto(path) => match Table::read_path(path, None) {
            Ok(table) => Ok(Loaded::Table(Box::new(table))),
            Err(ReadError::NotAList { .. }) => {
                let store = crate::ent::layout::MappingStore::open();
                let titles = EntDirectory::read_titles(path).map_err(|e| e.to_string())?;
                let mapping = store.and_then(|s| s.lookup(&titles));
                EntDirectory::read_path(path, mapping.as_deref())
                    .map(|e| Loaded::Ent(Box::new(e)))
                    .map_err(|e| e.to_string())
            }
            Err(err) => Err(err.to_string()),
        },
        LoadRequest::Ent(path, mapping) => {
            let directory = crate::cli::load_ent(path, mapping.as_deref()).map_err(|e| e.0)?;
            Ok(Loaded::Ent(Box::new(directory)))
        }
    }
}

/// What the loading thread reports.
pub enum LoadEvent {
    /// A file is being read.
    Started(String),
    /// A file is read (or failed).
    Done(Result<Loaded, String>),
}

/// A loading in progress.
pub struct LoadJob {
    rx: Receiver<LoadEvent>,
    /// How many files to read.
    pub total: usize,
    /// How many are read.
    pub done: usize,
    /// The file being read.
    pub current: String,
}

impl LoadJob {
    /// Starts reading `requests` on a background thread.
    pub fn spawn(requests: Vec<LoadRequest>, ctx: egui::Context) -> Result<Self, String> {
        let (tx, rx) = channel();
        let total = requests.len();
        std::thread::Builder::new()
            .name("chargement".to_owned())
            .spawn(move || {
                for request in requests {
                    let name = request.path().display().to_string();
                    let _ = tx.send(LoadEvent::Started(name));
                    ctx.request_repaint();
                    let _ = tx.send(LoadEvent::Done(load_one(&request)));
                    ctx.request_repaint();
                }
            })
            .map_err(|e| format!("chargement impossible : {e}"))?;
        Ok(Self {
            rx,
            total,
            done: 0,
            current: String::new(),
        })
    }

    /// The results arrived since the last call; `None` once everything is read.
    pub fn poll(&mut self) -> Option<Vec<Result<Loaded, String>>> {
        let mut results = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(LoadEvent::Started(name)) => self.current = name,
                Ok(LoadEvent::Done(result)) => {
                    self.done += 1;
                    results.push(result);
                }
                Err(TryRecvError::Empty) => return Some(results),
                Err(TryRecvError::Disconnected) => {
                    return if results.is_empty() && self.done >= self.total {
                        None
                    } else {
                        Some(results)
                    };
                }
            }
        }
    }

    /// Progress, 0 to 1.
    pub fn progress(&self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f32 / self.total as f32
        }
    }
}

/// Writes every file atomically; the worker body of a save, tested without threads.
pub fn save_all(outputs: &[(PathBuf, Vec<u8>)]) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (path, bytes) in outputs {
        save_atomic(path, bytes).map_err(|e| e.to_string())?;
        written.push(path.clone());
    }
    Ok(written)
}

/// A save in progress. Only one at a time.
pub struct SaveJob {
    rx: Receiver<Result<Vec<PathBuf>, String>>,
}

impl SaveJob {
    /// Starts writing on a background thread.
    pub fn spawn(outputs: Vec<(PathBuf, Vec<u8>)>, ctx: egui::Context) -> Result<Self, String> {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("enregistrement".to_owned())
            .spawn(move || {
                let _ = tx.send(save_all(&outputs));
                ctx.request_repaint();
            })
            .map_err(|e| format!("enregistrement impossible : {e}"))?;
        Ok(Self { rx })
    }

    /// The result, once done.
    pub fn poll(&self) -> Option<Result<Vec<PathBuf>, String>> {
        match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("l'enregistrement s'est arrêté sans résultat".to_owned()))
            }
        }
    }

    /// Waits for the result (tests and closing).
    pub fn wait(self) -> Result<Vec<PathBuf>, String> {
        self.rx
            .recv()
            .unwrap_or_else(|_| Err("l'enregistrement s'est arrêté sans résultat".to_owned()))
    }
}
