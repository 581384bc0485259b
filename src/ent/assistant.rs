//! The "Identification impossible" assistant's search: the PRONOTE rows closest to the
//! identity an ENT sent, what differs, and the login to store (FAQ part A).

use strsim::jaro_winkler;

use super::directory::EntDirectory;
use crate::model::columns::ColumnRole;
use crate::model::date::Date;
use crate::model::fold::{fold_compact, name_key};
use crate::model::table::Table;

/// What a user typed from an "Identification impossible" screen (the ENT's values).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdentityQuery {
    /// Nom.
    pub nom: String,
    /// Prénom.
    pub prenom: String,
    /// Date de naissance as typed.
    pub naissance: String,
    /// Code postal.
    pub code_postal: String,
}

/// A PRONOTE row close to a query, with the fields that differ.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedRow {
    /// Table index.
    pub table: usize,
    /// Row.
    pub row: usize,
    /// Closeness, 0 to 100.
    pub score: i32,
    /// Fields that differ.
    pub differences: Vec<Difference>,
    /// Whether the typed nom is the row's prénom and the typed prénom its nom (typed, or sent
    /// by the ENT, the other way round).
    pub swapped: bool,
}

/// A field of the « Identification impossible » screen whose value is not the row's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The column of the row (`Nom`, `Prénom`, `BirthDate` or `CodePostal`).
    pub role: ColumnRole,
    /// The row's value in PRONOTE.
    pub pronote: String,
    /// The value the ENT sent (typed from the screen).
    pub typed: String,
}

impl Difference {
    fn new(role: ColumnRole, pronote: &str, typed: &str) -> Self {
        Self {
            role,
            pronote: pronote.to_owned(),
            typed: typed.to_owned(),
        }
    }

    /// The field as the screen names it.
    pub fn field(&self) -> &'static str {
        match self.role {
            ColumnRole::Nom => "Nom",
            ColumnRole::Prenom => "Prénom",
            ColumnRole::BirthDate => "Date de naissance",
            ColumnRole::CodePostal => "Code postal",
            _ => "Champ",
        }
    }
}

impl RankedRow {
    /// `1. NOM Prénom — Liste, ligne N (ressemblance S %)`, for the command line and the window.
    pub fn title(&self, tables: &[Table], rank: usize) -> String {
        let table = &tables[self.table];
        format!(
            "{rank}. {} {} — {}, ligne {} (ressemblance {} %)",
            table.nom(self.row),
            table.prenom(self.row),
            table.list.label(),
            table.rows[self.row].line,
            self.score
        )
    }

    /// The note shown when nom and prénom were the other way round.
    pub fn swap_note(&self, query: &IdentityQuery) -> Option<String> {
        self.swapped.then(|| {
            format!(
                "Nom et prénom dans l'autre ordre : « {} » est le prénom et « {} » le nom de \
                 cette fiche. Si l'ENT les transmet ainsi, la première connexion échoue : \
                 renseignez l'identifiant CAS (solution 2) ou faites corriger l'ENT.",
                query.nom.trim(),
                query.prenom.trim()
            )
        })
    }
}

/// How close a typed nom and prénom are to a row's, 0 to 80; `None` below the thresholds.
fn name_score(q_nom: &str, q_prenom: &str, nom: &str, prenom: &str) -> Option<f64> {
    let nom_sim = jaro_winkler(q_nom, nom);
    let prenom_sim = jaro_winkler(q_prenom, prenom);
    (nom_sim >= 0.75 && prenom_sim >= 0.6).then_some(nom_sim * 45.0 + prenom_sim * 35.0)
}

/// Ranks the rows of every table by closeness to the query; the `limit` closest. Nom and
/// prénom are compared in both orders (the ENT's order may be the other one): the better wins.
pub fn rank_rows(tables: &[Table], query: &IdentityQuery, limit: usize) -> Vec<RankedRow> {
    let q_nom = name_key(&query.nom);
    let q_prenom = fold_compact(&query.prenom);
    // The same, the other way round: the typed nom compared as a prénom, and back.
    let q_nom_as_prenom = fold_compact(&query.nom);
    let q_prenom_as_nom = name_key(&query.prenom);
    let q_birth = Date::parse(&query.naissance);
    let mut ranked = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for row in 0..table.rows.len() {
            let nom = table.nom(row);
            let prenom = table.prenom(row);
            let (row_nom, row_prenom) = (name_key(nom), fold_compact(prenom));
            let straight = name_score(&q_nom, &q_prenom, &row_nom, &row_prenom);
            let other_way = name_score(&q_prenom_as_nom, &q_nom_as_prenom, &row_nom, &row_prenom);
            let (names, swapped) = match (straight, other_way) {
                (Some(a), Some(b)) if b > a => (b, true),
                (Some(a), _) => (a, false),
                (None, Some(b)) => (b, true),
                (None, None) => continue,
            };
            let mut score = names as i32;
            let (typed_nom, typed_prenom) = if swapped {
                (query.prenom.trim(), query.nom.trim())
            } else {
                (query.nom.trim(), query.prenom.trim())
            };
            let mut differences = Vec::new();
            if nom.trim() != typed_nom {
                differences.push(Difference::new(ColumnRole::Nom, nom, typed_nom));
            }
            if prenom.trim() != typed_prenom {
                differences.push(Difference::new(ColumnRole::Prenom, prenom, typed_prenom));
            }
            let birth_text = table.value(row, ColumnRole::BirthDate);
            if table.column(ColumnRole::BirthDate).is_some() && !query.naissance.trim().is_empty() {
                let row_birth = Date::parse(birth_text);
                if row_birth.is_some() && row_birth == q_birth {
                    score += 15;
                } else {
                    differences.push(Difference::new(
                        ColumnRole::BirthDate,
                        birth_text,
                        query.naissance.trim(),
                    ));
                }
            }
            let cp = table.value(row, ColumnRole::CodePostal).trim();
            if table.column(ColumnRole::CodePostal).is_some()
                && !query.code_postal.trim().is_empty()
            {
                if cp == query.code_postal.trim() {
                    score += 5;
                } else {
                    differences.push(Difference::new(
                        ColumnRole::CodePostal,
                        cp,
                        query.code_postal.trim(),
                    ));
                }
            }
            ranked.push(RankedRow {
                table: t,
                row,
                score: score.min(100),
                differences,
                swapped,
            });
        }
    }
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.differences.len().cmp(&b.differences.len()))
    });
    ranked.truncate(limit);
    ranked
}

/// The login of the only ENT account with this nom and prénom (folded), if exactly one has them,
/// else of the only one with them the other way round: the login to type in Identifiant CAS for
/// an "Identification impossible" (FAQ A.2).
pub fn ent_login_for(ent: &EntDirectory, nom: &str, prenom: &str) -> Option<String> {
    only_login(ent, nom, prenom).or_else(|| only_login(ent, prenom, nom))
}

fn only_login(ent: &EntDirectory, nom: &str, prenom: &str) -> Option<String> {
    let nom = name_key(nom);
    let prenom = fold_compact(prenom);
    let mut found = ent
        .accounts
        .iter()
        .filter(|a| name_key(&a.nom) == nom && fold_compact(&a.prenom) == prenom);
    let first = found.next()?;
    found.next().is_none().then(|| first.login.clone())
}

/// The French explanation of a ranking: closest rows, what differs, the two ways to fix it.
pub fn describe_ranking(
    tables: &[Table],
    ent: Option<&EntDirectory>,
    query: &IdentityQuery,
    ranked: &[RankedRow],
) -> String {
    let mut text = format!(
        "Écran « Identification impossible » : {} {}{}{}\n",
        query.nom.trim(),
        query.prenom.trim(),
        if query.naissance.trim().is_empty() {
            String::new()
        } else {
            format!(", né(e) le {}", query.naissance.trim())
        },
        if query.code_postal.trim().is_empty() {
            String::new()
        } else {
            format!(", code postal {}", query.code_postal.trim())
        }
    );
    if ranked.is_empty() {
        text.push_str(
            "Aucune fiche PRONOTE proche : la personne n'existe peut-être pas dans PRONOTE \
             (vérifiez la liste et l'orthographe).\n",
        );
        return text;
    }
    let login = ent.and_then(|ent| ent_login_for(ent, &query.nom, &query.prenom));
    for (i, r) in ranked.iter().enumerate() {
        let table = &tables[r.table];
        text.push_str(&r.title(tables, i + 1));
        text.push('\n');
        if let Some(note) = r.swap_note(query) {
            text.push_str(&format!("   {note}\n"));
        }
        if r.differences.is_empty() {
            text.push_str("   Identité identique : vérifiez le profil et l'identifiant CAS déjà enregistré.\n");
        }
        for d in &r.differences {
            text.push_str(&format!(
                "   {} différent : « {} » dans PRONOTE, « {} » dans l'ENT\n",
                d.field(),
                d.pronote,
                d.typed
            ));
        }
        if i == 0 && !r.differences.is_empty() {
            text.push_str(&format!(
                "   Solution 1 : corriger dans PRONOTE ({}) {} pour qu'il corresponde à l'ENT.\n",
                table.list.menu_path(),
                r.differences
                    .iter()
                    .map(|d| format!("{} = « {} »", d.field(), d.typed))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            match &login {
                Some(login) => text.push_str(&format!(
                    "   Solution 2 : saisir « {login} » dans la colonne Identifiant CAS de cette fiche.\n"
                )),
                None => text.push_str(
                    "   Solution 2 : saisir dans la colonne Identifiant CAS de cette fiche \
                     l'identifiant ENT de la personne (console de l'ENT, fiche de l'utilisateur).\n",
                ),
            }
        }
    }
    text
}
