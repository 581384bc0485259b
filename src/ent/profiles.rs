//! Which PRONOTE list a file is, told by the profiles of the ENT accounts its rows match.
//!
//! Cheap on purpose (one hash of folded nom + prénom per profile, no scoring): it runs before
//! the matcher, whose candidates depend on the list.

use std::collections::HashMap;

use super::directory::EntDirectory;
use crate::model::columns::{ListKind, ListReason};
use crate::model::fold::name_key;
use crate::model::table::Table;

/// The ENT accounts' lists (by profile), keyed by folded nom and prénom.
#[derive(Clone, Debug, Default)]
pub struct ProfileIndex {
    /// For each folded `nom|prénom`, a bit per list of [`ListKind::ALL`].
    by_name: HashMap<String, u8>,
}

fn key(nom: &str, prenom: &str) -> String {
    format!("{}|{}", name_key(nom), name_key(prenom))
}

fn bit(list: ListKind) -> u8 {
    let index = ListKind::ALL.iter().position(|l| *l == list).unwrap_or(0);
    1 << index
}

/// What the ENT accounts say of a file: most of its rows are people of one profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileVerdict {
    /// The list of that profile.
    pub list: ListKind,
    /// Rows matching an account of that profile by folded nom and prénom.
    pub matched: usize,
    /// Rows with a nom.
    pub rows: usize,
}

impl ProfileIndex {
    /// Indexes the accounts that have a profile (an export without profiles gives an empty index).
    pub fn new(ent: &EntDirectory) -> Self {
        let mut by_name: HashMap<String, u8> = HashMap::new();
        for account in &ent.accounts {
            if let Some(list) = account.profile.and_then(|p| p.list()) {
                *by_name
                    .entry(key(&account.nom, &account.prenom))
                    .or_default() |= bit(list);
            }
        }
        Self { by_name }
    }

    /// The list whose accounts most rows of `table` match (more than half of the rows with a
    /// nom, and more than any other profile), if there is one.
    pub fn verdict(&self, table: &Table) -> Option<ProfileVerdict> {
        if self.by_name.is_empty() {
            return None;
        }
        let mut counts = [0usize; 4];
        let mut rows = 0;
        for row in 0..table.rows.len() {
            let nom = table.nom(row);
            if nom.trim().is_empty() {
                continue;
            }
            rows += 1;
            if let Some(bits) = self.by_name.get(&key(nom, table.prenom(row))) {
                for (i, count) in counts.iter_mut().enumerate() {
                    if bits & (1 << i) != 0 {
                        *count += 1;
                    }
                }
            }
        }
        let (best, &matched) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
        let unique = counts
            .iter()
            .enumerate()
            .all(|(i, c)| i == best || *c < matched);
        (matched > 0 && matched * 2 > rows && unique).then(|| ProfileVerdict {
            list: ListKind::ALL[best],
            matched,
            rows,
        })
    }
}

/// Takes each list that neither its file name, its columns nor the user decided as the list
/// whose ENT accounts its rows match. Returns the indexes of the tables whose list changed.
pub fn recognise_lists(tables: &mut [Table], ent: &EntDirectory) -> Vec<usize> {
    let undecided: Vec<usize> = (0..tables.len())
        .filter(|&t| !tables[t].list_reason.is_decisive())
        .collect();
    if undecided.is_empty() {
        return Vec::new();
    }
    let index = ProfileIndex::new(ent);
    let mut changed = Vec::new();
    for t in undecided {
        let Some(verdict) = index.verdict(&tables[t]) else {
            continue;
        };
        let table = &mut tables[t];
        if table.list != verdict.list {
            changed.push(t);
        }
        table.redeclare(
            verdict.list,
            ListReason::EntProfiles {
                matched: verdict.matched,
                rows: verdict.rows,
            },
        );
    }
    changed
}
