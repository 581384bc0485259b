//! The checks that need no ENT export: empty or suspect CAS, duplicates, parent access,
//! birth dates and the Identifiant PRONOTE-ENT.

use std::borrow::Cow;
use std::hash::BuildHasher;

use strsim::jaro_winkler;

use super::columns::{ColumnRole, ListKind, Tick};
use super::date::Date;
use super::findings::{Action, Finding, FindingKind, LISTED_AT_MOST, short_list};
use super::fold::{PARTICLES, fold_compact, fold_words, lowercase, name_words};
use super::table::Table;

/// Findings per table, per row.
pub type RowFindings = Vec<Vec<Vec<Finding>>>;

/// Which checks to run: with an ENT export, the ENT decides about CAS links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    /// Run the checks on the Identifiant CAS that only make sense without an ENT export
    /// (`cas_missing`, `cas_suspect` by resemblance, `cas_duplicate` by resemblance).
    pub cas_without_ent: bool,
}

/// Runs every check of the loaded tables.
pub fn check_tables(tables: &[Table], options: CheckOptions) -> RowFindings {
    let mut findings: RowFindings = tables
        .iter()
        .map(|t| vec![Vec::new(); t.rows.len()])
        .collect();
    for (table, rows) in tables.iter().zip(findings.iter_mut()) {
        let grant_token = grant_token(table);
        let mut found = Vec::new();
        for (row, out) in rows.iter_mut().enumerate() {
            check_one_row(table, row, options, grant_token.as_deref(), &mut found);
            if !found.is_empty() {
                // Room for exactly what was found: a first `push` would reserve four findings
                // (670 bytes) on each of a département's 60,000 rows with one.
                *out = Vec::with_capacity(found.len());
                out.append(&mut found);
            }
        }
    }
    if options.cas_without_ent {
        check_duplicates_by_resemblance(tables, duplicate_groups(tables), &mut findings);
    }
    findings
}

/// The checks of one row, its duplicates aside (they are checked by group of rows:
/// [`check_duplicates_by_resemblance`], or with an ENT export by its owner of the login).
/// `grant_token` is the table's [`grant_token`].
pub fn check_row(
    table: &Table,
    row: usize,
    options: CheckOptions,
    grant_token: Option<&str>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    check_one_row(table, row, options, grant_token, &mut out);
    out
}

/// How the table writes a ticked Esp. Par. (`None`: no such column).
pub fn grant_token(table: &Table) -> Option<String> {
    table
        .column(ColumnRole::ParentAccess)
        .map(|col| table.tick_token(col, Tick::On))
}

fn check_one_row(
    table: &Table,
    row: usize,
    options: CheckOptions,
    grant_token: Option<&str>,
    out: &mut Vec<Finding>,
) {
    if options.cas_without_ent {
        check_cas_alone(table, row, out);
    }
    check_parent_access(table, row, grant_token, out);
    check_birth_date(table, row, out);
    check_pronote_ent_id(table, row, out);
}

fn check_cas_alone(table: &Table, row: usize, out: &mut Vec<Finding>) {
    let Some(col) = table.column(ColumnRole::CasId) else {
        return;
    };
    let cas = table.cas_id(row);
    if cas.is_empty() {
        out.push(Finding::new(
            FindingKind::CasMissing,
            Some(col),
            "",
            "Identifiant CAS vide : il sera renseigné à la première connexion depuis l'ENT.",
        ));
        return;
    }
    if !cas_resembles(
        cas,
        table.nom(row),
        table.prenom(row),
        table.value(row, ColumnRole::Email),
    ) {
        let message = format!(
            "L'identifiant CAS « {cas} » ne ressemble ni au nom ni à l'e-mail de {} {} : \
             il est probablement celui d'une autre personne. Supprimez-le (clic droit > \
             Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS (ENT)).",
            table.nom(row),
            table.prenom(row)
        );
        out.push(
            Finding::new(FindingKind::CasSuspect, Some(col), cas, message)
                .with_action(Action::ClearCas, None)
                .with_evidence(vec![format!(
                    "« {cas} » ne contient ni « {} » ni « {} »",
                    table.nom(row),
                    table.prenom(row)
                )]),
        );
    }
}

/// Whether a CAS login looks like the person's: a word of the login close to a word of the nom
/// or prénom, or the login equal to the e-mail's local part.
pub fn cas_resembles(cas: &str, nom: &str, prenom: &str, email: &str) -> bool {
    if shares_a_plain_word(cas, nom) || shares_a_plain_word(cas, prenom) {
        return true;
    }
    let mut cas_words = fold_words(cas);
    for word in &mut cas_words {
        let kept = word.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        word.truncate(kept);
    }
    cas_words.retain(|w| w.len() >= 2);
    let cas_compact = fold_compact(cas);
    let mut name_parts = name_words(nom);
    let nom_words = name_parts.len();
    name_parts.extend(name_words(prenom));
    // `name_key` of each, from the words already folded.
    let nom_key = name_parts[..nom_words].concat();
    let prenom_key = name_parts[nom_words..].concat();
    name_parts.push(nom_key);
    name_parts.push(prenom_key);
    let name_parts = || name_parts.iter().filter(|w| w.len() >= 2);
    // The usual login `prenom.nom` holds the words themselves: the string distance is only
    // computed when no word is found as it is (an equal word is at distance 1.0).
    let found = name_parts().any(|w| {
        cas_words.iter().any(|c| c == w) || (w.len() >= 4 && cas_compact.contains(w.as_str()))
    });
    if found {
        return true;
    }
    let local = email.split('@').next().unwrap_or("");
    if !local.is_empty() && fold_compact(local) == cas_compact {
        return true;
    }
    name_parts().any(|w| cas_words.iter().any(|c| jaro_winkler(c, w) >= 0.88))
}

/// Whether an ASCII login has a word (digits at its end dropped) equal to a word of an ASCII
/// name that is no particle: such a word is among those [`cas_resembles`] compares, equal,
/// hence close. The usual `prenom.nom2` is decided so without folding into new strings.
fn shares_a_plain_word(cas: &str, name: &str) -> bool {
    if !cas.is_ascii() || !name.is_ascii() {
        return false;
    }
    let cas_words = || {
        cas.split(|c: char| !c.is_ascii_alphanumeric())
            .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()))
            .filter(|w| w.len() >= 2)
    };
    // Particles are two or three letters long: longer words need no look at the list.
    let particle = |w: &str| w.len() <= 3 && PARTICLES.iter().any(|p| w.eq_ignore_ascii_case(p));
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2 && !particle(w))
        .any(|w| cas_words().any(|c| c.eq_ignore_ascii_case(w)))
}

fn check_parent_access(table: &Table, row: usize, token: Option<&str>, out: &mut Vec<Finding>) {
    if table.list != ListKind::Responsables {
        return;
    }
    let Some(col) = table.column(ColumnRole::ParentAccess) else {
        return;
    };
    if table.tick(row, col) == Some(Tick::Off) {
        let message = format!(
            "{} {} n'a pas l'accès à l'Espace Parents (Esp. Par. non coché) : ouvrez sa fiche \
             (Ressources > Responsables) et cochez « Accès à l'Espace Parents ».",
            table.nom(row),
            table.prenom(row)
        );
        out.push(
            Finding::new(
                FindingKind::ParentAccessOff,
                Some(col),
                table.cell(row, col),
                message,
            )
            .with_action(Action::GrantParentAccess, token.map(str::to_owned)),
        );
    }
}

fn check_birth_date(table: &Table, row: usize, out: &mut Vec<Finding>) {
    let Some(col) = table.column(ColumnRole::BirthDate) else {
        return;
    };
    let value = table.cell(row, col).trim();
    if value.is_empty() {
        out.push(Finding::new(
            FindingKind::BirthDateMissing,
            Some(col),
            "",
            format!(
                "Date de naissance manquante pour {} {} : l'identification depuis l'ENT échouera. \
                 Renseignez-la dans PRONOTE ({}).",
                table.nom(row),
                table.prenom(row),
                table.list.menu_path()
            ),
        ));
    } else if Date::parse(value).is_none() {
        out.push(Finding::new(
            FindingKind::BirthDateInvalid,
            Some(col),
            value,
            format!(
                "Date de naissance « {value} » invalide (attendu JJ/MM/AAAA) : corrigez-la dans \
                 PRONOTE ({}).",
                table.list.menu_path()
            ),
        ));
    }
}

fn check_pronote_ent_id(table: &Table, row: usize, out: &mut Vec<Finding>) {
    let Some(col) = table.column(ColumnRole::PronoteEntId) else {
        return;
    };
    let value = table.cell(row, col);
    if value.is_empty() {
        return;
    }
    let valid = value.len() == 16
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !valid {
        out.push(Finding::new(
            FindingKind::PronoteEntIdInvalid,
            Some(col),
            value,
            format!(
                "Identifiant PRONOTE-ENT « {value} » abîmé ({} caractère(s), attendu 16 lettres \
                 majuscules ou chiffres) : réexportez-le depuis PRONOTE (Imports/Exports > Socles \
                 ENT > Exporter les identifiants PRONOTE), ne le modifiez pas à la main.",
                value.chars().count()
            ),
        ));
    }
}

/// Groups the rows of every table by folded CAS: the groups of two rows or more, each in row
/// order, sorted by CAS.
///
/// Every filled CAS is hashed on every core and the (hash, row) pairs sorted: the rows of one
/// CAS end up side by side. A map of a département's 100,000 CAS was built on one core, three
/// times a run.
pub fn duplicate_groups(tables: &[Table]) -> Vec<(String, Vec<(usize, usize)>)> {
    let hasher = rustc_hash::FxBuildHasher;
    groups_by_hash(tables, |cas| hasher.hash_one(cas))
}

/// [`duplicate_groups`] with the CAS hashed by `hash` (a test makes them collide).
fn groups_by_hash(
    tables: &[Table],
    hash: impl Fn(&str) -> u64 + Sync,
) -> Vec<(String, Vec<(usize, usize)>)> {
    let mut keyed: Vec<(u64, usize, usize)> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        let Some(col) = table.column(ColumnRole::CasId) else {
            continue;
        };
        keyed.extend(crate::parallel::par_map(table.rows.len(), |range| {
            range
                .filter_map(|r| {
                    let cas = table.cell(r, col).trim();
                    (!cas.is_empty()).then(|| (hash(lowercase(cas).as_ref()), t, r))
                })
                .collect()
        }));
    }
    keyed.sort_unstable();
    let mut groups: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // One hash is one CAS nearly always; two CAS of one hash are told apart here.
        let mut by_cas: Vec<(Cow<'_, str>, RowsOfCas)> = Vec::new();
        for &(_, t, r) in run {
            let cas = lowercase(tables[t].cas_id(r));
            match by_cas.iter_mut().find(|(other, _)| *other == cas) {
                Some((_, rows)) => rows.push((t, r)),
                None => by_cas.push((cas, vec![(t, r)])),
            }
        }
        groups.extend(
            by_cas
                .into_iter()
                .filter(|(_, rows)| rows.len() > 1)
                .map(|(cas, rows)| (cas.into_owned(), rows)),
        );
    }
    groups.sort_unstable();
    groups
}

/// The rows holding one CAS, in row order.
type RowsOfCas = Vec<(usize, usize)>;

/// Describes a row for messages: `NOM Prénom (Liste, ligne N)`.
pub fn row_label(table: &Table, row: usize) -> String {
    format!(
        "{} {} ({}, ligne {})",
        table.nom(row),
        table.prenom(row),
        table.list.label(),
        table.rows[row].line
    )
}

/// The rows of a duplicate group as messages name them: a few labels, built once per group,
/// and how many rows in all. A login filled down over thousands of rows then costs each row a
/// message of a few names, not of thousands.
pub struct GroupLabels {
    labels: Vec<((usize, usize), String)>,
    total: usize,
}

impl GroupLabels {
    /// The labels of the first rows of `group`.
    pub fn new(tables: &[Table], group: &[(usize, usize)]) -> Self {
        Self {
            labels: group
                .iter()
                .take(LISTED_AT_MOST + 1)
                .map(|&(t, r)| ((t, r), row_label(&tables[t], r)))
                .collect(),
            total: group.len(),
        }
    }

    fn others_of(&self, me: (usize, usize)) -> impl Iterator<Item = &String> {
        self.labels
            .iter()
            .filter(move |(row, _)| *row != me)
            .map(|(_, label)| label)
            .take(LISTED_AT_MOST)
    }

    /// The other rows than `me`: `A, B, C et N autre(s)`.
    pub fn others(&self, me: (usize, usize)) -> String {
        short_list(self.others_of(me).cloned(), self.total.saturating_sub(1))
    }

    /// One line of evidence per other row named, and one for the rest.
    pub fn evidence(&self, me: (usize, usize)) -> Vec<String> {
        let mut evidence: Vec<String> = self
            .others_of(me)
            .map(|o| format!("même identifiant CAS que {o}"))
            .collect();
        let rest = self.total.saturating_sub(1 + evidence.len());
        if rest > 0 {
            evidence.push(format!(
                "et {rest} autre(s) ligne(s) avec le même identifiant CAS"
            ));
        }
        evidence
    }
}

/// Adds to each row of the duplicate `groups` (see [`duplicate_groups`]) its finding, without
/// an ENT export: the row the login resembles keeps it.
pub fn check_duplicates_by_resemblance(
    tables: &[Table],
    groups: Vec<(String, Vec<(usize, usize)>)>,
    findings: &mut RowFindings,
) {
    for (cas, rows) in groups {
        let resembling: Vec<(usize, usize)> = rows
            .iter()
            .copied()
            .filter(|&(t, r)| {
                let table = &tables[t];
                cas_resembles(
                    &cas,
                    table.nom(r),
                    table.prenom(r),
                    table.value(r, ColumnRole::Email),
                )
            })
            .collect();
        let keeper = (resembling.len() == 1).then(|| resembling[0]);
        let labels = GroupLabels::new(tables, &rows);
        for &(t, r) in &rows {
            let table = &tables[t];
            let col = table.column(ColumnRole::CasId);
            let value = table.cas_id(r).to_owned();
            let mut finding = match keeper {
                Some(k) if k == (t, r) => Finding::new(
                    FindingKind::CasDuplicate,
                    col,
                    &value,
                    format!(
                        "L'identifiant CAS « {value} » est aussi sur {} : il ressemble au nom de \
                         cette personne, gardez-le ici et supprimez-le des autres lignes.",
                        labels.others((t, r))
                    ),
                ),
                Some(k) => Finding::new(
                    FindingKind::CasDuplicate,
                    col,
                    &value,
                    format!(
                        "L'identifiant CAS « {value} » est aussi sur {}, à qui il ressemble : \
                         supprimez-le de cette ligne (clic droit > Modifier la sélection > CAS et \
                         ENT > Supprimer l'identifiant CAS (ENT)).",
                        row_label(&tables[k.0], k.1)
                    ),
                )
                .with_action(Action::ClearCas, None),
                None => Finding::new(
                    FindingKind::CasDuplicate,
                    col,
                    &value,
                    format!(
                        "L'identifiant CAS « {value} » est aussi sur {} : vérifiez dans l'ENT qui \
                         en est le titulaire et supprimez-le des autres fiches.",
                        labels.others((t, r))
                    ),
                ),
            };
            finding.evidence = labels.evidence((t, r));
            if let Some(suspect) = findings[t][r]
                .iter_mut()
                .find(|f| f.kind == FindingKind::CasSuspect)
                && let Some(k) = keeper
                && k != (t, r)
            {
                suspect.message = format!(
                    "L'identifiant CAS « {value} » ne ressemble pas à {} {} mais à {} : \
                     supprimez-le de cette ligne.",
                    table.nom(r),
                    table.prenom(r),
                    row_label(&tables[k.0], k.1)
                )
                .into();
                suspect
                    .evidence
                    .push(format!("ressemble à {}", row_label(&tables[k.0], k.1)));
            }
            findings[t][r].reserve_exact(1);
            findings[t][r].push(finding);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::borrow::Cow;
    use std::collections::hash_map::Entry;
    use std::path::Path;

    use proptest::prelude::*;
    use rustc_hash::FxHashMap;

    use super::*;

    /// The groups as a map of every CAS found them before (the test's reference).
    fn duplicate_groups_by_map(tables: &[Table]) -> Vec<(String, Vec<(usize, usize)>)> {
        /// The rows of one CAS: most CAS are on one row, which needs no list of its own.
        enum Rows {
            One((usize, usize)),
            Many(Vec<(usize, usize)>),
        }
        let filled = tables
            .iter()
            .filter_map(|t| Some((t, t.column(ColumnRole::CasId)?)))
            .map(|(t, col)| {
                (0..t.rows.len())
                    .filter(|&r| !t.cell(r, col).trim().is_empty())
                    .count()
            })
            .sum();
        // Sized once: growing it rehashed every login of a département several times.
        let mut by_cas: FxHashMap<Cow<'_, str>, Rows> =
            FxHashMap::with_capacity_and_hasher(filled, Default::default());
        for (t, table) in tables.iter().enumerate() {
            let Some(col) = table.column(ColumnRole::CasId) else {
                continue;
            };
            for row in 0..table.rows.len() {
                let cas = table.cell(row, col).trim();
                if cas.is_empty() {
                    continue;
                }
                // Logins are lower-case ASCII nearly always: no copy for them.
                let key = if cas.is_ascii() && !cas.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Borrowed(cas)
                } else {
                    Cow::Owned(cas.to_lowercase())
                };
                match by_cas.entry(key) {
                    Entry::Vacant(entry) => {
                        entry.insert(Rows::One((t, row)));
                    }
                    Entry::Occupied(mut entry) => match entry.get_mut() {
                        Rows::Many(rows) => rows.push((t, row)),
                        Rows::One(first) => {
                            let first = *first;
                            entry.insert(Rows::Many(vec![first, (t, row)]));
                        }
                    },
                }
            }
        }
        let mut groups: Vec<(String, Vec<(usize, usize)>)> = by_cas
            .into_iter()
            .filter_map(|(cas, rows)| match rows {
                Rows::Many(rows) => Some((cas.into_owned(), rows)),
                Rows::One(_) => None,
            })
            .collect();
        groups.sort_unstable();
        groups
    }

    /// A list of one row per value of `cas` (its Identifiant CAS, empty for "").
    fn list(name: &str, cas: &[String]) -> Table {
        let mut text = "Nom;Prénom;Identifiant CAS\n".to_owned();
        for (k, cas) in cas.iter().enumerate() {
            text.push_str(&format!("NOM{k};Prénom;{cas}\n"));
        }
        Table::from_bytes(Path::new(name), text.as_bytes(), Some(ListKind::Eleves)).unwrap()
    }

    proptest! {
        /// Same groups, same order, as the map of every CAS: logins repeated in other cases,
        /// with spaces around, accented, empty.
        #[test]
        fn groups_are_those_of_a_map_of_every_cas(
            first in prop::collection::vec("( ?)(a|b|é|É|A|zoé\\.martin|Zoé\\.Martin|x1|)( ?)", 1..60),
            second in prop::collection::vec("(a|A|b|ß|SS|ss|é|x1|X1|)", 1..60),
        ) {
            let tables = [list("eleves.csv", &first), list("responsables.csv", &second)];
            prop_assert_eq!(duplicate_groups(&tables), duplicate_groups_by_map(&tables));
            // Every CAS of one length under one hash: the runs are split by their CAS.
            prop_assert_eq!(
                groups_by_hash(&tables, |cas| cas.len() as u64 % 3),
                duplicate_groups_by_map(&tables)
            );
        }
    }

    #[test]
    fn a_département_s_lists_of_rows_are_grouped_across_chunks_and_lists() {
        let first: Vec<String> = (0..5000).map(|k| format!("login{}", k % 1700)).collect();
        let second: Vec<String> = (0..3000)
            .map(|k| format!("LOGIN{}", k * 7 % 4000))
            .collect();
        let tables = [
            list("eleves.csv", &first),
            list("responsables.csv", &second),
        ];
        let groups = duplicate_groups(&tables);
        assert_eq!(groups, duplicate_groups_by_map(&tables));
        // login0 is on rows 0, 1700 and 3400 of the first list, and row 0 of the second.
        assert_eq!(
            groups.iter().find(|(cas, _)| cas == "login0").unwrap().1,
            [(0, 0), (0, 1700), (0, 3400), (1, 0)]
        );
    }
}
