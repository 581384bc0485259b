//! ENT export layouts recognised by their headers, and user-given column mappings.

use serde::{Deserialize, Serialize};

use crate::model::fold::fold_compact;

/// The ENT export families this tool recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntLayout {
    /// Open ENT NG / Edifice "Export classique".
    OpenEntNgClassique,
    /// Open ENT NG short export (`Login`, `Alias de login`).
    OpenEntNgCourt,
    /// Skolengo / Kosmos (`Identifiant ENT`).
    Skolengo,
    /// Envole / Scribe (`LOGIN`).
    Envole,
    /// Another export with a login, nom, prénom and birth date.
    AvecDateNaissance,
    /// No header line (Toutatice: nom, prénom, identifiant ENT): columns told by their content.
    SansEnTete,
    /// Columns given by the user.
    Personnalise,
}

impl EntLayout {
    /// The name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Self::OpenEntNgClassique => "Open ENT NG, export classique",
            Self::OpenEntNgCourt => "Open ENT NG, export court",
            Self::Skolengo => "Skolengo / Kosmos",
            Self::Envole => "Envole / Scribe",
            Self::AvecDateNaissance => "export avec date de naissance",
            Self::SansEnTete => "sans ligne d'en-tête, colonnes reconnues à leur contenu",
            Self::Personnalise => "colonnes choisies par l'utilisateur",
        }
    }

    /// The JSON name.
    pub fn code(self) -> &'static str {
        match self {
            Self::OpenEntNgClassique => "open-ent-ng-classique",
            Self::OpenEntNgCourt => "open-ent-ng-court",
            Self::Skolengo => "skolengo",
            Self::Envole => "envole",
            Self::AvecDateNaissance => "avec-date-de-naissance",
            Self::SansEnTete => "sans-en-tete",
            Self::Personnalise => "personnalise",
        }
    }
}

/// Which column holds what, by 0-based index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntColumns {
    /// The ENT login (what PRONOTE receives as CAS user).
    pub login: Option<usize>,
    /// Nom.
    pub nom: Option<usize>,
    /// Prénom.
    pub prenom: Option<usize>,
    /// Date de naissance.
    pub birth_date: Option<usize>,
    /// Profile (Élève, Parent, Enseignant, Personnel).
    pub profile: Option<usize>,
    /// Class of a pupil.
    pub classe: Option<usize>,
    /// Children of a parent.
    pub children: Option<usize>,
    /// E-mail.
    pub email: Option<usize>,
    /// Code postal.
    pub code_postal: Option<usize>,
}

/// A field a column mapping can name: the one table the readers, the mapping dialog and
/// `--ent-columns` share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntField {
    /// The key written in a mapping (`login=…`).
    pub key: &'static str,
    /// Other keys accepted for it in a mapping (folded).
    pub aliases: &'static [&'static str],
    /// The French name, in messages and in the dialog.
    pub label: &'static str,
    /// Whether an export cannot be read without it.
    pub required: bool,
    /// Column titles (folded) the dialog takes as this field before the user chooses.
    pub guesses: &'static [&'static str],
}

/// Every field a mapping can name, required ones first.
pub const FIELDS: [EntField; 9] = [
    EntField {
        key: "login",
        aliases: &["identifiant"],
        label: "identifiant de connexion ENT",
        required: true,
        guesses: &[
            "login",
            "identifiant",
            "compte",
            "uid",
            "identifiantent",
            "loginent",
        ],
    },
    EntField {
        key: "nom",
        aliases: &[],
        label: "nom",
        required: true,
        guesses: &["nom", "nomdefamille", "famille"],
    },
    EntField {
        key: "prenom",
        aliases: &[],
        label: "prénom",
        required: true,
        guesses: &["prenom", "prenoms"],
    },
    EntField {
        key: "naissance",
        aliases: &["datedenaissance", "date"],
        label: "date de naissance",
        required: false,
        guesses: &["datedenaissance", "naissance", "neele", "nele"],
    },
    EntField {
        key: "profil",
        aliases: &["type"],
        label: "profil",
        required: false,
        guesses: &["profil", "type", "categorie"],
    },
    EntField {
        key: "classe",
        aliases: &["classes"],
        label: "classe",
        required: false,
        guesses: &["classe", "classes"],
    },
    EntField {
        key: "enfants",
        aliases: &[],
        label: "enfants",
        required: false,
        guesses: &["enfants", "eleves"],
    },
    EntField {
        key: "email",
        aliases: &["courriel", "mail"],
        label: "e-mail",
        required: false,
        guesses: &["email", "courriel", "mail", "adresseemail"],
    },
    EntField {
        key: "cp",
        aliases: &["codepostal"],
        label: "code postal",
        required: false,
        guesses: &["codepostal", "cp"],
    },
];

impl EntColumns {
    fn slot(&mut self, field: &str) -> Option<&mut Option<usize>> {
        Some(match canonical_field(field)? {
            "login" => &mut self.login,
            "nom" => &mut self.nom,
            "prenom" => &mut self.prenom,
            "naissance" => &mut self.birth_date,
            "profil" => &mut self.profile,
            "classe" => &mut self.classe,
            "enfants" => &mut self.children,
            "email" => &mut self.email,
            "cp" => &mut self.code_postal,
            _ => return None,
        })
    }

    /// Resolves a mapping like `login=Identifiant,nom=Nom,prenom=Prénom` against a header; see
    /// [`Mapping::parse`] for the syntax (numbers, quoted titles).
    pub fn from_spec(spec: &str, titles: &[String]) -> Result<Self, String> {
        Mapping::parse(spec)?.resolve(titles)
    }

    /// Recognises a known layout from the header.
    pub fn detect(titles: &[String]) -> Option<(EntLayout, Self)> {
        let keys: Vec<String> = titles.iter().map(|t| fold_compact(t)).collect();
        let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
        let mut columns = Self {
            login: None,
            nom: find(&["nom", "nomdefamille", "lastname"]),
            prenom: find(&["prenom", "firstname"]),
            birth_date: find(&[
                "datedenaissance",
                "naissance",
                "neele",
                "datenaissance",
                "birthdate",
            ]),
            profile: find(&["type", "profil", "profile", "categorie"]),
            classe: find(&["classes", "classe"]),
            children: find(&["enfants"]),
            email: find(&["courriel", "email", "adresseemail", "mail"]),
            code_postal: find(&["codepostal", "cp"]),
        };
        let layout =
            if let (Some(login), true) = (find(&["identifiant"]), find(&["type"]).is_some()) {
                columns.login = Some(login);
                EntLayout::OpenEntNgClassique
            } else if let (Some(login), Some(_)) = (find(&["login"]), find(&["aliasdelogin"])) {
                columns.login = Some(login);
                EntLayout::OpenEntNgCourt
            } else if let Some(login) = find(&["identifiantent"]) {
                columns.login = Some(login);
                EntLayout::Skolengo
            } else if let Some(login) = find(&["login"]) {
                columns.login = Some(login);
                EntLayout::Envole
            } else if let Some(login) = find(&["identifiant", "identifiantdeconnexion", "uid"]) {
                columns.login = Some(login);
                EntLayout::AvecDateNaissance
            } else {
                return None;
            };
        if columns.nom.is_none() || columns.prenom.is_none() {
            return None;
        }
        if layout == EntLayout::AvecDateNaissance && columns.birth_date.is_none() {
            return None;
        }
        Some((layout, columns))
    }
}

/// A column named in a mapping: by its title, or by its 1-based number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnRef {
    /// The title (compared folded).
    Title(String),
    /// The 1-based number.
    Number(usize),
}

/// A column mapping as given with `--ent-columns` or chosen in the window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    /// (field key of [`FIELDS`], column), in the order given.
    pub fields: Vec<(String, ColumnRef)>,
    /// `entete=oui|non`: whether line 1 holds titles (`None`: told from the mapping and the file).
    pub header: Option<bool>,
}

impl Mapping {
    /// Parses `login=Identifiant,nom=1,prenom="Prénom, usuel",entete=non`.
    ///
    /// A value is a column title, or a column number (1 is the first column). A title holding
    /// `,` `=` or `"`, or made of digits only, is written in double quotes, a `"` in it doubled
    /// (`nom="Nom, usage"`, `cp="75"`). `entete=non` says the file has no header line.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut mapping = Self::default();
        for entry in split_outside_quotes(spec)? {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let Some((field, value)) = entry.split_once('=') else {
                return Err(format!(
                    "« {entry} » : attendu champ=colonne (par exemple login=Identifiant ou login=3)"
                ));
            };
            let (field, value) = (field.trim(), value.trim());
            let (value, quoted) = match value.strip_prefix('"') {
                Some(rest) => {
                    let Some(inner) = rest.strip_suffix('"') else {
                        return Err(format!(
                            "guillemet non refermé après {field}= (écrivez par exemple \
                             {field}=\"Nom, usage\")"
                        ));
                    };
                    if inner.replace("\"\"", "").contains('"') {
                        return Err(format!(
                            "{field}= : dans un titre entre guillemets, doublez le guillemet (\"\")"
                        ));
                    }
                    (inner.replace("\"\"", "\""), true)
                }
                None => (value.to_owned(), false),
            };
            let key = fold_compact(field);
            if key == "entete" {
                mapping.header = match fold_compact(&value).as_str() {
                    "oui" | "o" | "1" | "vrai" => Some(true),
                    "non" | "n" | "0" | "faux" => Some(false),
                    _ => return Err(format!("entete={value} : attendu entete=oui ou entete=non")),
                };
                continue;
            }
            let Some(canonical) = canonical_field(&key) else {
                let known: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
                return Err(format!(
                    "champ « {field} » inconnu (champs possibles : {}, entete)",
                    known.join(", ")
                ));
            };
            if value.is_empty() && !quoted {
                return Err(format!("{field}= : colonne manquante"));
            }
            let column = match value.parse::<usize>() {
                Ok(number) if !quoted => ColumnRef::Number(number),
                _ => ColumnRef::Title(value),
            };
            mapping.fields.push((canonical.to_owned(), column));
        }
        Ok(mapping)
    }

    /// Whether every column is given by number (the file may then have no header).
    pub fn by_number_only(&self) -> bool {
        self.fields
            .iter()
            .all(|(_, c)| matches!(c, ColumnRef::Number(_)))
    }

    /// Whether line 1 of a file starting with `first_line` is a header: as said by `entete=`,
    /// else yes when a column is named by title, else when line 1 looks like titles.
    pub fn has_header(&self, first_line: &[String]) -> bool {
        match self.header {
            Some(header) => header,
            None if !self.by_number_only() => true,
            None => looks_like_header(first_line),
        }
    }

    /// The columns, against a header (or, for numbers, any line of the file).
    pub fn resolve(&self, titles: &[String]) -> Result<EntColumns, String> {
        let mut columns = EntColumns::default();
        for (field, column) in &self.fields {
            let index = match column {
                ColumnRef::Number(number) => {
                    if *number == 0 || *number > titles.len() {
                        return Err(format!(
                            "{field}={number} : pas de colonne n° {number} (le fichier a {} \
                             colonne(s), la première est 1)",
                            titles.len()
                        ));
                    }
                    number - 1
                }
                ColumnRef::Title(title) => {
                    let wanted = fold_compact(title);
                    titles
                        .iter()
                        .position(|t| fold_compact(t) == wanted)
                        .ok_or_else(|| {
                            format!(
                                "colonne « {title} » absente de l'en-tête (colonnes : {})",
                                titles.join(", ")
                            )
                        })?
                }
            };
            if let Some(slot) = columns.slot(field) {
                *slot = Some(index);
            }
        }
        Ok(columns)
    }
}

/// Splits a mapping on the commas that are not between double quotes.
fn split_outside_quotes(spec: &str) -> Result<Vec<&str>, String> {
    let mut entries = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in spec.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                entries.push(&spec[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return Err("guillemet non refermé dans la correspondance de colonnes".to_owned());
    }
    entries.push(&spec[start..]);
    Ok(entries)
}

fn canonical_field(key: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|f| f.key == key || f.aliases.contains(&key))
        .map(|f| f.key)
}

/// A title as a mapping writes it: in double quotes when it holds `,` `=` `"`, is made of digits
/// only, or starts or ends with a space.
pub fn quote_title(title: &str) -> String {
    let needs = title.is_empty()
        || title.contains([',', '=', '"'])
        || title.chars().all(|c| c.is_ascii_digit())
        || title.trim() != title;
    if needs {
        format!("\"{}\"", title.replace('"', "\"\""))
    } else {
        title.to_owned()
    }
}

/// Folded titles that an ENT export or a PRONOTE list writes on its header line.
const KNOWN_TITLES: &[&str] = &[
    "nom",
    "prenom",
    "login",
    "identifiant",
    "identifiantent",
    "identifiantdeconnexion",
    "aliasdelogin",
    "uid",
    "id",
    "idsiecle",
    "identifiantsiecle",
    "type",
    "profil",
    "profile",
    "categorie",
    "classe",
    "classes",
    "enfants",
    "courriel",
    "email",
    "mail",
    "codepostal",
    "cp",
    "naissance",
    "datedenaissance",
    "neele",
    "nomdefamille",
    "lastname",
    "firstname",
    "identifiantcas",
    "compte",
    "famille",
    "usuel",
    "nomdusage",
    "prenomusuel",
    "loginent",
    "alias",
    "etablissement",
    "etablissements",
    "fonction",
    "fonctions",
];

/// Whether a line holds column titles: one of its cells is a title exports use.
pub fn looks_like_header(line: &[String]) -> bool {
    line.iter()
        .any(|cell| KNOWN_TITLES.contains(&fold_compact(cell).as_str()))
}

/// The titles shown for a file without a header: `Colonne 1`, `Colonne 2`…
pub fn numbered_titles(count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("Colonne {n}")).collect()
}

/// The key under which a mapping by number for a file without a header is remembered.
pub fn headerless_signature(columns: usize) -> String {
    format!("#sans-en-tete#{columns}")
}

/// A key naming a header layout, to remember the user's mapping for the next file like it.
pub fn header_signature(titles: &[String]) -> String {
    titles
        .iter()
        .map(|t| fold_compact(t))
        .collect::<Vec<_>>()
        .join("|")
}

/// Whether a header is one of the ENT export layouts that no PRONOTE list shares (Open ENT NG,
/// Skolengo, Envole), with no column that only PRONOTE writes.
pub fn is_ent_export_header(titles: &[String]) -> bool {
    use crate::model::columns::ColumnRole;
    let pronote_only = titles.iter().any(|t| {
        matches!(
            ColumnRole::from_title(t, None),
            ColumnRole::CasId | ColumnRole::PronoteEntId | ColumnRole::ParentAccess
        )
    });
    !pronote_only
        && EntColumns::detect(titles).is_some_and(|(layout, _)| {
            matches!(
                layout,
                EntLayout::OpenEntNgClassique
                    | EntLayout::OpenEntNgCourt
                    | EntLayout::Skolengo
                    | EntLayout::Envole
            )
        })
}

/// The column mappings the user gave, remembered per header layout in the configuration
/// folder (`PRONOTE_COMPANION_CONFIG_DIR` overrides it). Only column titles are stored.
#[derive(Clone, Debug)]
pub struct MappingStore {
    path: std::path::PathBuf,
}

impl MappingStore {
    /// The store kept in `dir`.
    pub fn at(dir: &std::path::Path) -> Self {
        Self {
            path: dir.join("colonnes-ent.json"),
        }
    }

    /// The store of this user, if a configuration folder exists.
    pub fn open() -> Option<Self> {
        let dir = match std::env::var_os("PRONOTE_COMPANION_CONFIG_DIR") {
            Some(dir) => std::path::PathBuf::from(dir),
            None => directories::ProjectDirs::from("fr", "", "pronote-companion")?
                .config_dir()
                .to_owned(),
        };
        Some(Self {
            path: dir.join("colonnes-ent.json"),
        })
    }

    fn load(&self) -> std::collections::BTreeMap<String, String> {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The mapping remembered for the file whose line 1 is `titles`: for that header, or, when
    /// line 1 is no header, for files without a header of as many columns.
    pub fn lookup(&self, titles: &[String]) -> Option<String> {
        let mut all = self.load();
        all.remove(&header_signature(titles)).or_else(|| {
            (!looks_like_header(titles))
                .then(|| all.remove(&headerless_signature(titles.len())))
                .flatten()
        })
    }

    /// Remembers a mapping for the file whose line 1 is `titles` (a mapping by number with
    /// `entete=non`: for every file without a header of as many columns).
    pub fn remember(&self, titles: &[String], spec: &str) -> std::io::Result<()> {
        let mut all = self.load();
        let headerless = Mapping::parse(spec).is_ok_and(|m| m.header == Some(false));
        let key = if headerless {
            headerless_signature(titles.len())
        } else {
            header_signature(titles)
        };
        all.insert(key, spec.to_owned());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_vec_pretty(&all).map_err(std::io::Error::other)?;
        crate::io::save::save_atomic(&self.path, &text).map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(line: &str) -> Vec<String> {
        line.split(';').map(str::to_owned).collect()
    }

    #[test]
    fn known_layouts_are_recognised() {
        let ng =
            titles("Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Classes;Enfants;Courriel");
        let (layout, columns) = EntColumns::detect(&ng).unwrap();
        assert_eq!(layout, EntLayout::OpenEntNgClassique);
        assert_eq!(columns.login, Some(5));
        assert_eq!(columns.children, Some(7));
        let envole = titles("NOM;PRENOM;LOGIN;CLASSE");
        assert_eq!(EntColumns::detect(&envole).unwrap().0, EntLayout::Envole);
        let kosmos = titles("Prénom;Nom;Identifiant ENT;Profil");
        assert_eq!(EntColumns::detect(&kosmos).unwrap().0, EntLayout::Skolengo);
        assert!(EntColumns::detect(&titles("a;b;c")).is_none());
    }

    #[test]
    fn a_quoted_title_reads_back_as_the_same_title() {
        for title in [
            "Nom, usage",
            "a=b",
            "Code \"CP\"",
            "75",
            " Nom",
            "Prénom",
            "",
        ] {
            let spec = format!("nom={}", quote_title(title));
            let mapping = Mapping::parse(&spec).unwrap();
            let expected = ColumnRef::Title(title.to_owned());
            assert_eq!(mapping.fields, vec![("nom".to_owned(), expected)], "{spec}");
        }
        let numbers = Mapping::parse("login=3, nom = 1,prenom=2,entete=non").unwrap();
        assert!(numbers.by_number_only());
        assert_eq!(numbers.header, Some(false));
        assert!(Mapping::parse("login=3,profession=2").is_err());
    }

    #[test]
    fn a_mapping_names_columns_by_title() {
        let header = titles("Compte;Famille;Usuel;Né le");
        let columns = EntColumns::from_spec(
            "login=Compte,nom=Famille,prenom=Usuel,naissance=Né le",
            &header,
        )
        .unwrap();
        assert_eq!(columns.login, Some(0));
        assert_eq!(columns.birth_date, Some(3));
        let err = EntColumns::from_spec("login=Absent", &header).unwrap_err();
        assert!(err.contains("Absent"));
    }
}
