//! A loaded ENT export: its accounts and the problems found while reading it.

use compact_str::CompactString;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::layout::{EntColumns, EntLayout, Mapping, looks_like_header, numbered_titles};
use crate::io::encoding::{self, DecodeError, TextEncoding};
use crate::io::scan::{
    ScannedRecord, detect_delimiter, scan, scan_each, unclosed_quote, unclosed_quote_in,
};
use crate::model::columns::{ListKind, recognise_list};
use crate::model::date::Date;
use crate::model::fold::{fold_compact, fold_compact_inline};

/// A field of an account: most are short, kept inline without an allocation of their own.
pub type Text = compact_str::CompactString;

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
        // Open ENT NG's own words first, as they are written: no folding for 120,000 accounts.
        match text {
            "Élève" => return Self::Eleve,
            "Parent" => return Self::Parent,
            "Enseignant" => return Self::Enseignant,
            "Personnel" => return Self::Personnel,
            _ => {}
        }
        match fold_compact_inline(text).as_str() {
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
    pub nom: Text,
    /// Prénom.
    pub prenom: Text,
    /// Date de naissance, when the export has one.
    pub birth_date: Option<Date>,
    /// Profile, when the export has one.
    pub profile: Option<Profile>,
    /// Class (pupils).
    pub classe: Text,
    /// Children as written (`NOM Prénom, NOM Prénom`).
    pub children: Text,
    /// E-mail.
    pub email: Text,
    /// Code postal.
    pub code_postal: Text,
    /// The schools of the account as written in « Établissements » (a shared export of several
    /// schools), empty without that column.
    pub establishments: Text,
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
         login=…,nom=…,prenom=… (titres, ou numéros de colonne : 1 pour la première) \
         (colonnes lues : {titles}) : {path}"
    )]
    UnknownLayout {
        /// The file.
        path: PathBuf,
        /// The header, for the user to write the mapping.
        titles: String,
    },
    /// A PRONOTE list given where an ENT export is expected.
    #[error(
        "{name} est une liste PRONOTE ({list}), pas un export de comptes ENT : ouvrez-la comme \
         les autres listes (sans --ent, ou Fichier > Ouvrir des exports PRONOTE) et donnez comme \
         export ENT l'export des comptes utilisateurs fait dans la console de l'ENT : {path}"
    )]
    PronoteList {
        /// The file.
        path: PathBuf,
        /// Its name.
        name: String,
        /// The list it is (« Élèves »).
        list: &'static str,
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

/// Folded titles that only a PRONOTE list export has.
const PRONOTE_ONLY_TITLES: [&str; 5] = [
    "identifiantcas",
    "identifiantcasent",
    "identifiantpronoteent",
    "esppar",
    "accesalespaceparents",
];

/// The PRONOTE list a header is, when it has a column only PRONOTE writes (Identifiant CAS,
/// Identifiant PRONOTE-ENT, Esp. Par., or PRONOTE's « Né(e) le » beside its « Identifiant de
/// connexion »).
pub fn pronote_list(titles: &[String], path: &Path) -> Option<ListKind> {
    let keys: Vec<String> = titles.iter().map(|t| fold_compact(t)).collect();
    let has = |key: &str| keys.iter().any(|k| k == key);
    let pronote_only = PRONOTE_ONLY_TITLES.iter().any(|k| has(k))
        || (has("identifiantdeconnexion") && has("neele"));
    if !pronote_only {
        return None;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    recognise_list(titles, &file_name).map(|r| r.list)
}

/// Whether a cell looks like an ENT login: one word of letters, digits and `.` `_` `-` `@`,
/// with a separator or a digit (`prenom.nom`, `jdupont12`), and no date.
fn looks_like_login(value: &str) -> bool {
    (2..=80).contains(&value.chars().count())
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        && value.chars().any(char::is_alphabetic)
        && value
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | '@'))
        && Date::parse(value).is_none()
}

/// Whether a cell looks like a nom or a prénom: letters, spaces, hyphens and apostrophes.
fn looks_like_name(value: &str) -> bool {
    value.chars().any(char::is_alphabetic)
        && value
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'))
}

/// The columns of an export without a header line (Toutatice: nom, prénom, identifiant ENT),
/// told by their content: line 1 holds no title, one column holds logins, two hold names
/// (which is the prénom: the one the logins start with, else the one not in capitals, else the
/// second, as Toutatice writes them); a column of dates is the birth date, one of profiles the
/// profile. `None` when the content does not say.
fn guess_headerless(records: &[ScannedRecord]) -> Option<EntColumns> {
    let first = records.first()?;
    let width = first.fields.len();
    let first_line: Vec<String> = first.fields.iter().map(|f| f.value.to_string()).collect();
    if !(3..=8).contains(&width) || looks_like_header(&first_line) {
        return None;
    }
    let sample: Vec<Vec<&str>> = records
        .iter()
        .filter(|r| r.fields.len() == width)
        .take(500)
        .map(|r| r.fields.iter().map(|f| f.value.trim()).collect())
        .collect();
    if sample.len() * 10 < records.len().min(500) * 9 {
        return None;
    }
    // The share of the rows whose cell in column `c` is filled and passes `test`.
    let share = |c: usize, test: &dyn Fn(&str) -> bool| -> f64 {
        let hits = sample
            .iter()
            .filter(|row| !row[c].is_empty() && test(row[c]))
            .count();
        hits as f64 / sample.len() as f64
    };
    let profile = (0..width).find(|&c| share(c, &|v| Profile::parse(v) != Profile::Autre) >= 0.9);
    let birth_date = (0..width).find(|&c| share(c, &|v| Date::parse(v).is_some()) >= 0.9);
    let login = (0..width)
        .filter(|&c| Some(c) != profile && Some(c) != birth_date)
        .filter(|&c| share(c, &looks_like_login) >= 0.9)
        .filter(|&c| {
            let distinct: std::collections::HashSet<&str> =
                sample.iter().map(|row| row[c]).collect();
            distinct.len() * 10 >= sample.len() * 9
        })
        .max_by(|&a, &b| {
            let dotted = |c| share(c, &|v: &str| v.contains('.'));
            dotted(a).total_cmp(&dotted(b)).then(b.cmp(&a))
        })?;
    let names: Vec<usize> = (0..width)
        .filter(|&c| ![Some(login), profile, birth_date].contains(&Some(c)))
        .filter(|&c| share(c, &looks_like_name) >= 0.9)
        .collect();
    if names.len() < 2 {
        return None;
    }
    // The two name columns the logins are made of, else the first two.
    let in_login = |c: usize| {
        sample
            .iter()
            .filter(|row| {
                let key = crate::model::fold::name_key(row[c]);
                !key.is_empty() && fold_compact(row[login]).contains(&key)
            })
            .count()
    };
    let mut ranked: Vec<(usize, usize)> = names.iter().map(|&c| (in_login(c), c)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let (mut a, mut b) = (ranked[0].1, ranked[1].1);
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    // Which of the two is the prénom: the logins start with it (`prenom.nom`)…
    let mut a_first = 0i64;
    for row in &sample {
        let login_key = fold_compact(row[login]);
        let pos = |c: usize| {
            let key = crate::model::fold::name_key(row[c]);
            (!key.is_empty()).then(|| login_key.find(&key)).flatten()
        };
        if let (Some(pa), Some(pb)) = (pos(a), pos(b)) {
            a_first += if pa < pb { 1 } else { -1 };
        }
    }
    let capitals = |c: usize| {
        share(c, &|v: &str| {
            v.chars().any(char::is_alphabetic) && !v.chars().any(char::is_lowercase)
        })
    };
    let prenom_is_a = if a_first != 0 {
        a_first > 0
    } else if (capitals(a) - capitals(b)).abs() > 0.5 {
        capitals(a) < capitals(b)
    } else {
        false
    };
    let (nom, prenom) = if prenom_is_a { (b, a) } else { (a, b) };
    Some(EntColumns {
        login: Some(login),
        nom: Some(nom),
        prenom: Some(prenom),
        birth_date,
        profile,
        ..EntColumns::default()
    })
}

/// The first record of an export (its header, if it has one), its fields unquoted: read from
/// a start of the text that holds it, rather than from the whole export.
fn first_record(text: &str, delimiter: u8) -> Vec<String> {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let start = scan(&text[..end], delimiter);
    let records = if start.len() >= 2 || end == text.len() {
        start
    } else {
        scan(text, delimiter)
    };
    records
        .into_iter()
        .next()
        .map(|r| {
            r.fields
                .into_iter()
                .map(|f| f.value.into_string())
                .collect()
        })
        .unwrap_or_default()
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
    /// The first account of every lower-cased login (`duplicated` says whether it is the only
    /// one): one number per login, not a list each.
    by_login: HashMap<CompactString, usize>,
    /// Per account: whether its login is on several accounts.
    duplicated: Vec<bool>,
}

impl EntDirectory {
    /// Reads an ENT export from a file; `mapping` (`login=…,nom=…`) overrides detection.
    pub fn read_path(path: &Path, mapping: Option<&str>) -> Result<Self, EntReadError> {
        Self::read_path_choosing(path, |_| mapping.map(str::to_owned))
    }

    /// [`Self::read_path`] with the mapping chosen from the first line
    /// ([`Self::from_bytes_choosing`]): the file is read and decoded once.
    pub fn read_path_choosing(
        path: &Path,
        choose: impl FnOnce(&[String]) -> Option<String>,
    ) -> Result<Self, EntReadError> {
        let bytes = crate::io::read_input(path).map_err(|source| EntReadError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_bytes_choosing(path, &bytes, choose)
    }

    /// The first line of an ENT export (its header, if it has one), to build a mapping.
    pub fn read_titles(path: &Path) -> Result<Vec<String>, EntReadError> {
        let bytes = crate::io::read_input(path).map_err(|source| EntReadError::Io {
            path: path.to_owned(),
            source,
        })?;
        let (text, _) = encoding::decode(&bytes).map_err(|source| EntReadError::Decode {
            path: path.to_owned(),
            source,
        })?;
        Ok(first_record(&text, detect_delimiter(&text)))
    }

    /// Reads an ENT export from bytes.
    pub fn from_bytes(
        path: &Path,
        bytes: &[u8],
        mapping: Option<&str>,
    ) -> Result<Self, EntReadError> {
        Self::from_bytes_choosing(path, bytes, |_| mapping.map(str::to_owned))
    }

    /// [`Self::from_bytes`] with the mapping chosen by `choose` from the first line (the
    /// titles [`Self::read_titles`] gives): a remembered mapping is looked up without reading
    /// and decoding the file a second time.
    pub fn from_bytes_choosing(
        path: &Path,
        bytes: &[u8],
        choose: impl FnOnce(&[String]) -> Option<String>,
    ) -> Result<Self, EntReadError> {
        let (text, encoding) = encoding::decode(bytes).map_err(|source| EntReadError::Decode {
            path: path.to_owned(),
            source,
        })?;
        let delimiter = detect_delimiter(&text);
        let mapping = choose(&first_record(&text, delimiter));
        let mapping = mapping.as_deref();
        // A field opened with a quote and never closed swallows the rest of the file: that is
        // what a refused export is told first, whatever else its first line says.
        let unclosed_first =
            |err: EntReadError| match unclosed_quote(&text, &scan(&text, delimiter)) {
                Some(offset) => EntReadError::UnclosedQuote {
                    path: path.to_owned(),
                    line: crate::io::scan::line_of(&text, offset),
                },
                None => err,
            };
        let first = first_record(&text, delimiter);
        if let Some(list) = pronote_list(&first, path) {
            return Err(unclosed_first(EntReadError::PronoteList {
                path: path.to_owned(),
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                list: list.label(),
            }));
        }
        let bad_mapping = |reason| {
            unclosed_first(EntReadError::BadMapping {
                path: path.to_owned(),
                reason,
            })
        };
        let (layout, columns, has_header) = match mapping {
            Some(spec) => {
                let mapping = Mapping::parse(spec).map_err(bad_mapping)?;
                let has_header = mapping.has_header(&first);
                let titles = if has_header {
                    first.clone()
                } else {
                    numbered_titles(first.len())
                };
                let columns = mapping.resolve(&titles).map_err(bad_mapping)?;
                (EntLayout::Personnalise, columns, has_header)
            }
            None => match EntColumns::detect(&first) {
                Some((layout, columns)) => (layout, columns, true),
                // Without a header, the content says which column is which (a rare export:
                // read whole for that).
                None => match guess_headerless(&scan(&text, delimiter)) {
                    Some(columns) => (EntLayout::SansEnTete, columns, false),
                    None => {
                        return Err(unclosed_first(EntReadError::UnknownLayout {
                            path: path.to_owned(),
                            titles: first.join(", "),
                        }));
                    }
                },
            },
        };
        let titles = if has_header {
            first
        } else {
            numbered_titles(first.len())
        };
        let establishments_col = has_header.then(|| establishments_column(&titles)).flatten();
        let (Some(login_col), Some(nom_col), Some(prenom_col)) =
            (columns.login, columns.nom, columns.prenom)
        else {
            return Err(unclosed_first(EntReadError::IncompleteMapping {
                path: path.to_owned(),
            }));
        };
        // The accounts, read field by field: no copy of the whole export as records first.
        let mut accounts = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count());
        let mut problems = Vec::new();
        let mut record: Vec<CompactString> = Vec::with_capacity(titles.len());
        // Only the columns read are copied out of the text; the others are only counted.
        let mut read = vec![false; titles.len()];
        for column in [
            Some(login_col),
            Some(nom_col),
            Some(prenom_col),
            columns.birth_date,
            columns.profile,
            columns.classe,
            columns.children,
            columns.email,
            columns.code_postal,
            establishments_col,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(slot) = read.get_mut(column) {
                *slot = true;
            }
        }
        let mut records_seen = 0usize;
        let mut last_field = 0..0;
        let mut ragged = None;
        scan_each(&text, delimiter, |field| {
            last_field = field.span;
            if read.get(record.len()).copied().unwrap_or(false) {
                record.push(CompactString::from(field.value));
            } else {
                record.push(CompactString::default());
            }
            if !field.record_end {
                return;
            }
            let is_header = has_header && records_seen == 0;
            records_seen += 1;
            if is_header || ragged.is_some() {
                record.clear();
                return;
            }
            if record.len() != titles.len() {
                ragged = Some(EntReadError::Ragged {
                    path: path.to_owned(),
                    line: field.line,
                    expected: titles.len(),
                    found: record.len(),
                });
                record.clear();
                return;
            }
            let cell = |col: Option<usize>| -> Text {
                col.map(|c| Text::from(record[c].trim()))
                    .unwrap_or_default()
            };
            let login = cell(Some(login_col)).into_string();
            let nom = cell(Some(nom_col));
            let prenom = cell(Some(prenom_col));
            if login.is_empty() || (nom.is_empty() && prenom.is_empty()) {
                problems.push(EntProblem {
                    kind: "ent_empty_name",
                    line: field.line,
                    login: login.clone(),
                    message: format!(
                        "Ligne {} : compte ENT sans identifiant ou sans nom ni prénom, ignoré.",
                        field.line
                    ),
                });
            } else {
                accounts.push(EntAccount {
                    line: field.line,
                    login,
                    nom,
                    prenom,
                    birth_date: columns.birth_date.and_then(|c| Date::parse(&record[c])),
                    profile: columns.profile.map(|c| Profile::parse(&record[c])),
                    classe: cell(columns.classe),
                    children: cell(columns.children),
                    email: cell(columns.email),
                    code_postal: cell(columns.code_postal),
                    establishments: cell(establishments_col),
                });
            }
            record.clear();
        });
        if let Some(offset) = unclosed_quote_in(&text, last_field) {
            return Err(EntReadError::UnclosedQuote {
                path: path.to_owned(),
                line: crate::io::scan::line_of(&text, offset),
            });
        }
        if let Some(err) = ragged {
            return Err(err);
        }
        if accounts.is_empty() {
            return Err(EntReadError::NoAccounts {
                path: path.to_owned(),
            });
        }
        let (by_login, duplicated) = logins_of(&accounts);
        for indexes in duplicate_groups(&accounts, &duplicated) {
            // A few lines only: 20,000 accounts on one login must not give 20,000 messages of
            // 20,000 line numbers each.
            let lines = crate::model::findings::short_list(
                indexes.iter().map(|&i| accounts[i].line.to_string()),
                indexes.len(),
            );
            for &i in &indexes {
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
            duplicated,
        })
    }

    /// The single account with this login (case-insensitive); `None` when absent or duplicated.
    pub fn account_by_login(&self, login: &str) -> Option<usize> {
        self.account_by_lowercase_login(&lowercase(login))
    }

    /// [`Self::account_by_login`] for a login already in lower case.
    pub fn account_by_lowercase_login(&self, login: &str) -> Option<usize> {
        let &first = self.by_login.get(login)?;
        (!self.is_duplicate_account(first)).then_some(first)
    }

    /// Whether any account has this login.
    pub fn has_login(&self, login: &str) -> bool {
        self.by_login.contains_key(lowercase(login).as_ref())
    }

    /// Whether this login is on several accounts.
    pub fn is_duplicate_login(&self, login: &str) -> bool {
        self.by_login
            .get(lowercase(login).as_ref())
            .is_some_and(|&first| self.is_duplicate_account(first))
    }

    /// Whether the login of account `i` is on several accounts (without looking it up).
    pub fn is_duplicate_account(&self, i: usize) -> bool {
        self.duplicated.get(i).copied().unwrap_or(false)
    }

    /// The part of the export whose accounts `keep` accepts (one school of a shared export).
    /// Accounts keep their line in the file; a login stays reported as duplicated when it is
    /// on several of the accounts kept. Nameless lines, which belong to no account, are left out.
    pub fn retain_accounts(&self, keep: impl Fn(&EntAccount) -> bool) -> Self {
        let accounts: Vec<EntAccount> = self.accounts.iter().filter(|a| keep(a)).cloned().collect();
        let (by_login, duplicated) = logins_of(&accounts);
        let kept_lines: std::collections::HashSet<usize> =
            accounts.iter().map(|a| a.line).collect();
        let problems = self
            .problems
            .iter()
            .filter(|p| p.kind == "ent_duplicate_login" && kept_lines.contains(&p.line))
            .filter(|p| {
                by_login
                    .get(p.login.to_lowercase().as_str())
                    .is_some_and(|&first| duplicated[first])
            })
            .cloned()
            .collect();
        Self {
            path: self.path.clone(),
            layout: self.layout,
            encoding: self.encoding,
            titles: self.titles.clone(),
            accounts,
            problems,
            by_login,
            duplicated,
        }
    }

    /// The lists that have profiles in this export (to know where orphans may belong).
    pub fn profiles(&self) -> impl Iterator<Item = Option<Profile>> + '_ {
        self.accounts.iter().map(|a| a.profile)
    }
}

/// The column « Établissements » (or « Établissement ») of a header, where a shared export of
/// several schools names each account's schools.
pub fn establishments_column(titles: &[String]) -> Option<usize> {
    titles
        .iter()
        .position(|t| matches!(fold_compact(t).as_str(), "etablissements" | "etablissement"))
}

/// Lower case, borrowing when the text already is (most logins are).
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(text.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `login.to_lowercase()`, without a heap allocation for a short ASCII login.
fn lowercase_key(login: &str) -> CompactString {
    if login.is_ascii() {
        let mut key = CompactString::from(login);
        key.make_ascii_lowercase();
        key
    } else {
        CompactString::from(login.to_lowercase())
    }
}

/// The first account of each login, in lower case (kept inline: most logins are short), and
/// per account whether its login is on several accounts.
fn logins_of(accounts: &[EntAccount]) -> (HashMap<CompactString, usize>, Vec<bool>) {
    let mut by_login: HashMap<CompactString, usize> = HashMap::with_capacity(accounts.len());
    let mut duplicated = vec![false; accounts.len()];
    for (i, account) in accounts.iter().enumerate() {
        let first = *by_login.entry(lowercase_key(&account.login)).or_insert(i);
        if first != i {
            duplicated[first] = true;
            duplicated[i] = true;
        }
    }
    (by_login, duplicated)
}

/// The accounts of each login found on several accounts, each group in account order, the
/// groups in the order of their first account.
fn duplicate_groups(accounts: &[EntAccount], duplicated: &[bool]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<CompactString, usize> = HashMap::new();
    for (i, account) in accounts.iter().enumerate() {
        if !duplicated[i] {
            continue;
        }
        let next = groups.len();
        let group = *group_of
            .entry(lowercase_key(&account.login))
            .or_insert(next);
        if group == next {
            groups.push(Vec::new());
        }
        groups[group].push(i);
    }
    groups
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn logins_on_several_accounts_whatever_their_case_are_no_account_of_their_own() {
        let export = "NOM;PRENOM;LOGIN\n\
                      BERTIN;Tayeb;Tayeb.Bertin\n\
                      MARTIN;Léa;lea.martin\n\
                      BERTON;Kenza;tayeb.bertin\n\
                      PETIT;Jo;jo.petit\n\
                      PETIT;Joé;JO.PETIT\n\
                      BERTIN;Toufik;TAYEB.BERTIN\n";
        let ent = EntDirectory::from_bytes(Path::new("ent.csv"), export.as_bytes(), None).unwrap();
        assert_eq!(ent.account_by_login("LEA.MARTIN"), Some(1));
        for login in ["tayeb.bertin", "jo.petit"] {
            assert_eq!(ent.account_by_login(login), None, "{login}");
            assert!(ent.is_duplicate_login(login), "{login}");
            assert!(ent.has_login(login), "{login}");
        }
        assert!(!ent.is_duplicate_login("lea.martin"));
        assert!(!ent.has_login("personne"));
        let duplicated: Vec<bool> = (0..6).map(|i| ent.is_duplicate_account(i)).collect();
        assert_eq!(duplicated, [true, false, true, true, true, true]);
        // One message per account, in line order, each naming the lines of its login.
        let messages: Vec<(usize, &str)> = ent
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            messages.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [2, 4, 5, 6, 7]
        );
        assert!(messages[0].1.contains("lignes 2, 4, 7"), "{messages:?}");
        assert!(messages[2].1.contains("lignes 5, 6"), "{messages:?}");
        // A part of the export keeps a login duplicated only among the accounts kept.
        let part = ent.retain_accounts(|a| a.nom != "BERTON" && a.prenom != "Toufik");
        assert!(part.account_by_login("tayeb.bertin").is_some());
        assert_eq!(part.account_by_login("jo.petit"), None);
        assert_eq!(part.problems.len(), 2);
    }

    #[test]
    fn a_profile_written_as_open_ent_ng_writes_it_is_the_profile_its_folding_gives() {
        for (text, folded) in [
            ("Élève", "eleve"),
            ("Parent", "parent"),
            ("Enseignant", "enseignant"),
            ("Personnel", "personnel"),
        ] {
            assert_eq!(Profile::parse(text), Profile::parse(folded), "{text}");
            assert_ne!(Profile::parse(text), Profile::Autre, "{text}");
        }
        assert_eq!(Profile::parse(" ÉLÈVES "), Profile::Eleve);
        assert_eq!(Profile::parse("Invité"), Profile::Autre);
    }
}
