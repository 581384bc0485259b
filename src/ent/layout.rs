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

/// The fields a mapping can name, with their French names for messages and `--ent-columns`.
pub const FIELDS: [(&str, &str); 9] = [
    ("login", "identifiant de connexion ENT"),
    ("nom", "nom"),
    ("prenom", "prénom"),
    ("naissance", "date de naissance"),
    ("profil", "profil"),
    ("classe", "classe"),
    ("enfants", "enfants"),
    ("email", "e-mail"),
    ("cp", "code postal"),
];

impl EntColumns {
    fn slot(&mut self, field: &str) -> Option<&mut Option<usize>> {
        Some(match field {
            "login" | "identifiant" => &mut self.login,
            "nom" => &mut self.nom,
            "prenom" => &mut self.prenom,
            "naissance" | "datedenaissance" | "date" => &mut self.birth_date,
            "profil" | "type" => &mut self.profile,
            "classe" | "classes" => &mut self.classe,
            "enfants" => &mut self.children,
            "email" | "courriel" | "mail" => &mut self.email,
            "cp" | "codepostal" => &mut self.code_postal,
            _ => return None,
        })
    }

    /// Resolves a mapping like `login=Identifiant,nom=Nom,prenom=Prénom` against a header.
    pub fn from_spec(spec: &str, titles: &[String]) -> Result<Self, String> {
        let mut columns = Self::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, title)) = part.split_once('=') else {
                return Err(format!(
                    "« {part} » : attendu champ=Titre de colonne (par exemple login=Identifiant)"
                ));
            };
            let field_key = fold_compact(field);
            let Some(slot) = columns.slot(&field_key) else {
                let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
                return Err(format!(
                    "champ « {field} » inconnu (champs possibles : {})",
                    known.join(", ")
                ));
            };
            let wanted = fold_compact(title);
            let Some(index) = titles.iter().position(|t| fold_compact(t) == wanted) else {
                return Err(format!(
                    "colonne « {title} » absente de l'en-tête (colonnes : {})",
                    titles.join(", ")
                ));
            };
            *slot = Some(index);
        }
        Ok(columns)
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

/// A key naming a header layout, to remember the user's mapping for the next file like it.
pub fn header_signature(titles: &[String]) -> String {
    titles
        .iter()
        .map(|t| fold_compact(t))
        .collect::<Vec<_>>()
        .join("|")
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

    /// The mapping remembered for this header, if any.
    pub fn lookup(&self, titles: &[String]) -> Option<String> {
        self.load().remove(&header_signature(titles))
    }

    /// Remembers a mapping for this header.
    pub fn remember(&self, titles: &[String], spec: &str) -> std::io::Result<()> {
        let mut all = self.load();
        all.insert(header_signature(titles), spec.to_owned());
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
