//! A loaded ENT export: its accounts and the problems found while reading it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::layout::{EntColumns, EntLayout};
use crate::io::encoding::{self, DecodeError, TextEncoding};
use crate::io::scan::{detect_delimiter, scan};
use crate::model::columns::ListKind;
use crate::model::date::Date;
use crate::model::fold::fold_compact;

/// An ENT account's profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Élève.
    Eleve,
    /// Parent (responsable).
    Parent,
    /// Enseignant.
    Enseignant,
    /// Personnel.
    Personnel,
    /// Invité or anything else: never linked.
    Autre,
}

impl Profile {
    /// Reads a profile as ENTs write it (`Élève`, `Student`, `Relative`, `Teacher`…).
    pub fn parse(text: &str) -> Self {
        match fold_compact(text).as_str() {
            "eleve" | "eleves" | "student" | "eleve1" => Self::Eleve,
            "parent" | "parents" | "relative" | "responsable" | "responsables" => Self::Parent,
            "enseignant" | "enseignants" | "teacher" | "professeur" | "professeurs" => {
                Self::Enseignant
            }
            "personnel" | "personnels" | "personnelnonenseignant" | "staff" => Self::Personnel,
            _ => Self::Autre,
        }
    }

    /// The French name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Eleve => "Élève",
            Self::Parent => "Parent",
            Self::Enseignant => "Enseignant",
            Self::Personnel => "Personnel",
            Self::Autre => "Autre",
        }
    }

    /// The PRONOTE list whose rows this profile may be linked to.
    pub fn list(self) -> Option<ListKind> {
        match self {
            Self::Eleve => Some(ListKind::Eleves),
            Self::Parent => Some(ListKind::Responsables),
            Self::Enseignant => Some(ListKind::Professeurs),
            Self::Personnel => Some(ListKind::Personnels),
            Self::Autre => None,
        }
    }
}

/// One ENT account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntAccount {
    /// 1-based line in the export.
    pub line: usize,
    /// The login PRONOTE receives from the CAS server.
    pub login: String,
    /// Nom.
    pub nom: String,
    /// Prénom.
    pub prenom: String,
    /// Date de naissance, when the export has one.
    pub birth_date: Option<Date>,
    /// Profile, when the export has one.
    pub profile: Option<Profile>,
    /// Class (pupils).
    pub classe: String,
    /// Children as written (`NOM Prénom, NOM Prénom`).
    pub children: String,
    /// E-mail.
    pub email: String,
    /// Code postal.
    pub code_postal: String,
}

/// Something wrong in the ENT export, reported beside the reconciliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntProblem {
    /// `ent_duplicate_login` or `ent_empty_name`.
    pub kind: &'static str,
    /// 1-based line.
    pub line: usize,
    /// The login concerned.
    pub login: String,
    /// French explanation.
    pub message: String,
}

/// Why an ENT export could not be loaded. Every message names the file last.
#[derive(Debug, thiserror::Error)]
pub enum EntReadError {
    /// The file could not be read.
    #[error("Impossible de lire l'export ENT ({}) : {path}", crate::io::io_reason(.source))]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Not text.
    #[error("Export ENT illisible : {source} : {path}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// Why.
        source: DecodeError,
    },
    /// No known layout and no mapping.
    #[error(
        "Export ENT non reconnu : aucune colonne d'identifiant de connexion (Identifiant, Login, \
         Identifiant ENT) avec Nom et Prénom. Indiquez les colonnes avec --ent-columns \
         login=…,nom=…,prenom=… (colonnes lues : {titles}) : {path}"
    )]
    UnknownLayout {
        /// The file.
        path: PathBuf,
        /// The header, for the user to write the mapping.
        titles: String,
    },
    /// The mapping given does not fit the header.
    #[error("Correspondance de colonnes --ent-columns invalide : {reason} : {path}")]
    BadMapping {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A mapping without the three needed fields.
    #[error("La correspondance de colonnes doit nommer login, nom et prenom : {path}")]
    IncompleteMapping {
        /// The file.
        path: PathBuf,
    },
    /// A quoted field never closed.
    #[error(
        "Ligne {line} : un guillemet ouvre une cellule qui n'est jamais refermée (le reste du \
         fichier serait lu comme une seule cellule) : ajoutez le guillemet manquant : {path}"
    )]
    UnclosedQuote {
        /// The file.
        path: PathBuf,
        /// 1-based line of the opening quote.
        line: usize,
    },
    /// Header only.
    #[error("L'export ENT ne contient aucun compte : {path}")]
    NoAccounts {
        /// The file.
        path: PathBuf,
    },
    /// A line without the header's number of fields.
    #[error("Ligne {line} : {found} colonne(s) au lieu de {expected} comme l'en-tête : {path}")]
    Ragged {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// Header fields.
        expected: usize,
        /// Fields on the line.
        found: usize,
    },
}

/// A loaded ENT export.
#[derive(Clone, Debug)]
pub struct EntDirectory {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its recognised layout.
    pub layout: EntLayout,
    /// Its encoding.
    pub encoding: TextEncoding,
    /// Its column titles.
    pub titles: Vec<String>,
    /// Accounts with a login and a name, in file order.
    pub accounts: Vec<EntAccount>,
    /// Duplicate logins and nameless accounts.
    pub problems: Vec<EntProblem>,
    /// Lines of every account by lower-cased login (several when the login is duplicated).
    by_login: HashMap<String, Vec<usize>>,
}

impl EntDirectory {
    /// Reads an ENT export from a file; `mapping` (`login=…,nom=…`) overrides detection.
    pub fn read_path(path: &Path, mapping: Option<&str>) -> Result<Self, EntReadError> {
        let bytes = crate::io::read_input(path).map_err(|source| EntReadError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_bytes(path, &bytes, mapping)
    }

    /// The header of an ENT export, to build a mapping.
    pub fn read_titles(path: &Path) -> Result<Vec<String>, EntReadError> {
        let bytes = crate::io::read_input(path).map_err(|source| EntReadError::Io {
            path: path.to_owned(),
            source,
        })?;
        let (text, _) = encoding::decode(&bytes).map_err(|source| EntReadError::Decode {
            path: path.to_owned(),
            source,
        })?;
        let delimiter = detect_delimiter(&text);
        Ok(scan(&text, delimiter)
            .into_iter()
            .next()
            .map(|r| r.fields.into_iter().map(|f| f.value).collect())
            .unwrap_or_default())
    }

    /// Reads an ENT export from bytes.
    pub fn from_bytes(
        path: &Path,
        bytes: &[u8],
        mapping: Option<&str>,
    ) -> Result<Self, EntReadError> {
        let (text, encoding) = encoding::decode(bytes).map_err(|source| EntReadError::Decode {
            path: path.to_owned(),
            source,
        })?;
        let delimiter = detect_delimiter(&text);
        let records = scan(&text, delimiter);
        if let Some(offset) = crate::io::scan::unclosed_quote(&text, &records) {
            return Err(EntReadError::UnclosedQuote {
                path: path.to_owned(),
                line: crate::io::scan::line_of(&text, offset),
            });
        }
        let mut records = records.into_iter();
        let titles: Vec<String> = records
            .next()
            .map(|r| r.fields.into_iter().map(|f| f.value).collect())
            .unwrap_or_default();
        let (layout, columns) = match mapping {
            Some(spec) => {
                let columns = EntColumns::from_spec(spec, &titles).map_err(|reason| {
                    EntReadError::BadMapping {
                        path: path.to_owned(),
                        reason,
                    }
                })?;
                (EntLayout::Personnalise, columns)
            }
            None => EntColumns::detect(&titles).ok_or_else(|| EntReadError::UnknownLayout {
                path: path.to_owned(),
                titles: titles.join(", "),
            })?,
        };
        let (Some(login_col), Some(nom_col), Some(prenom_col)) =
            (columns.login, columns.nom, columns.prenom)
        else {
            return Err(EntReadError::IncompleteMapping {
                path: path.to_owned(),
            });
        };
        let mut accounts = Vec::new();
        let mut problems = Vec::new();
        for record in records {
            if record.fields.len() != titles.len() {
                return Err(EntReadError::Ragged {
                    path: path.to_owned(),
                    line: record.line,
                    expected: titles.len(),
                    found: record.fields.len(),
                });
            }
            let cell = |col: Option<usize>| -> String {
                col.map(|c| record.fields[c].value.trim().to_owned())
                    .unwrap_or_default()
            };
            let login = cell(Some(login_col));
            let nom = cell(Some(nom_col));
            let prenom = cell(Some(prenom_col));
            if login.is_empty() || (nom.is_empty() && prenom.is_empty()) {
                problems.push(EntProblem {
                    kind: "ent_empty_name",
                    line: record.line,
                    login: login.clone(),
                    message: format!(
                        "Ligne {} : compte ENT sans identifiant ou sans nom ni prénom, ignoré.",
                        record.line
                    ),
                });
                continue;
            }
            accounts.push(EntAccount {
                line: record.line,
                login,
                nom,
                prenom,
                birth_date: columns
                    .birth_date
                    .and_then(|c| Date::parse(&record.fields[c].value)),
                profile: columns
                    .profile
                    .map(|c| Profile::parse(&record.fields[c].value)),
                classe: cell(columns.classe),
                children: cell(columns.children),
                email: cell(columns.email),
                code_postal: cell(columns.code_postal),
            });
        }
        if accounts.is_empty() {
            return Err(EntReadError::NoAccounts {
                path: path.to_owned(),
            });
        }
        let mut by_login: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, account) in accounts.iter().enumerate() {
            by_login
                .entry(account.login.to_lowercase())
                .or_default()
                .push(i);
        }
        let mut duplicates: Vec<&Vec<usize>> = by_login.values().filter(|v| v.len() > 1).collect();
        duplicates.sort();
        for indexes in duplicates {
            // A few lines only: 20,000 accounts on one login must not give 20,000 messages of
            // 20,000 line numbers each.
            let lines = crate::model::findings::short_list(
                indexes.iter().map(|&i| accounts[i].line.to_string()),
                indexes.len(),
            );
            for &i in indexes {
                let account = &accounts[i];
                problems.push(EntProblem {
                    kind: "ent_duplicate_login",
                    line: account.line,
                    login: account.login.clone(),
                    message: format!(
                        "L'identifiant ENT « {} » figure sur plusieurs comptes (lignes {}) : \
                         aucun lien automatique ne sera fait avec lui ; corrigez l'export ou la \
                         console de l'ENT.",
                        account.login, lines
                    ),
                });
            }
        }
        problems.sort_by_key(|p| p.line);
        Ok(Self {
            path: path.to_owned(),
            layout,
            encoding,
            titles,
            accounts,
            problems,
            by_login,
        })
    }

    /// The single account with this login (case-insensitive); `None` when absent or duplicated.
    pub fn account_by_login(&self, login: &str) -> Option<usize> {
        self.account_by_lowercase_login(&login.to_lowercase())
    }

    /// [`Self::account_by_login`] for a login already in lower case.
    pub fn account_by_lowercase_login(&self, login: &str) -> Option<usize> {
        match self.by_login.get(login) {
            Some(indexes) if indexes.len() == 1 => Some(indexes[0]),
            _ => None,
        }
    }

    /// Whether any account has this login.
    pub fn has_login(&self, login: &str) -> bool {
        self.by_login.contains_key(&login.to_lowercase())
    }

    /// Whether this login is on several accounts.
    pub fn is_duplicate_login(&self, login: &str) -> bool {
        self.by_login
            .get(&login.to_lowercase())
            .is_some_and(|v| v.len() > 1)
    }

    /// The lists that have profiles in this export (to know where orphans may belong).
    pub fn profiles(&self) -> impl Iterator<Item = Option<Profile>> + '_ {
        self.accounts.iter().map(|a| a.profile)
    }
}
