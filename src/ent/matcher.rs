//! The matcher: for every PRONOTE row, the ENT account that is this person, with the evidence.
//!
//! Candidates come from blocking keys (so the cost stays near-linear), each pair is scored on
//! folded names, birth date, class, children, e-mail, code postal and the Open ENT NG login
//! rule, then rows and accounts are paired one-to-one: a link needs a score above
//! [`LINK_SCORE`] and a lead of [`MARGIN`] over the runner-up on both sides, so homonyms are
//! never linked without evidence that separates them.

use std::borrow::Cow;
use std::collections::HashMap;

use strsim::{jaro_winkler, levenshtein};

use super::directory::{EntAccount, EntDirectory};
use crate::model::columns::{ColumnRole, ListKind};
use crate::model::date::Date;
use crate::model::fold::{fold_compact, fold_words, name_key, name_words};
use crate::model::table::Table;

/// The score a pair needs to be linked.
pub const LINK_SCORE: i32 = 70;
/// The lead over the runner-up (on the row's side and the account's side) a link needs.
pub const MARGIN: i32 = 15;
/// The score under which an account is not even listed as a candidate.
pub const CANDIDATE_SCORE: i32 = 50;
/// Blocks larger than this are skipped (a key shared by that many people separates nothing).
const MAX_BLOCK: usize = 2000;

/// A possible ENT account for a row, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the account in the directory.
    pub account: usize,
    /// Total score.
    pub score: i32,
    /// Evidence in French, strongest first.
    pub evidence: Vec<String>,
    /// Identity differences between PRONOTE and the ENT (what makes the first connection fail).
    pub differences: Vec<String>,
}

/// What the matcher decided for one row.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum MatchOutcome {
    /// One confident account.
    Linked(Candidate),
    /// Candidates, none clearly best: a person chooses.
    Ambiguous(Vec<Candidate>),
    /// No candidate at all.
    #[default]
    NoCandidate,
}

impl MatchOutcome {
    /// The linked candidate, if any.
    pub fn linked(&self) -> Option<&Candidate> {
        match self {
            Self::Linked(candidate) => Some(candidate),
            _ => None,
        }
    }
}

/// The matcher's result for every row and every account.
#[derive(Clone, Debug, Default)]
pub struct Reconciliation {
    /// Per table, per row.
    pub outcomes: Vec<Vec<MatchOutcome>>,
    /// Per account: the row linked to it.
    pub linked_row: Vec<Option<(usize, usize)>>,
    /// Per account: whether it is a candidate of some row (linked or not).
    pub is_candidate: Vec<bool>,
}

/// A person's identity, folded once.
#[derive(Clone, Debug)]
struct Identity<'a> {
    nom: &'a str,
    prenom: &'a str,
    nom_key: String,
    /// The words of the nom when there are several (empty for a one-word nom: see `nom_words`).
    nom_parts: Vec<String>,
    prenom_key: String,
    /// The words of the prénom when there are several.
    prenom_parts: Vec<String>,
    birth: Option<Date>,
    classes: Vec<String>,
    children: Vec<Vec<String>>,
    email_local: String,
    code_postal: &'a str,
    login: Cow<'a, str>,
    /// The login the Open ENT NG rule gives (rows only; empty for accounts).
    predicted: String,
}

impl<'a> Identity<'a> {
    fn new(nom: &'a str, prenom: &'a str) -> Self {
        let nom_parts = name_words(nom);
        let prenom_parts = fold_words(prenom);
        let nom_key = nom_parts.concat();
        let prenom_key = prenom_parts.concat();
        // One-word names keep no separate word list: it would only repeat the key.
        let keep = |parts: Vec<String>| if parts.len() > 1 { parts } else { Vec::new() };
        Self {
            nom: nom.trim(),
            prenom: prenom.trim(),
            nom_key,
            nom_parts: keep(nom_parts),
            prenom_key,
            prenom_parts: keep(prenom_parts),
            birth: None,
            classes: Vec::new(),
            children: Vec::new(),
            email_local: String::new(),
            code_postal: "",
            login: Cow::Borrowed(""),
            predicted: String::new(),
        }
    }

    fn nom_words(&self) -> &[String] {
        if self.nom_parts.is_empty() {
            std::slice::from_ref(&self.nom_key)
        } else {
            &self.nom_parts
        }
    }

    fn prenom_words(&self) -> &[String] {
        if self.prenom_parts.is_empty() {
            std::slice::from_ref(&self.prenom_key)
        } else {
            &self.prenom_parts
        }
    }

    fn from_row(table: &'a Table, row: usize) -> Self {
        let mut id = Self::new(table.nom(row), table.prenom(row));
        id.predicted = predicted_login(id.nom, id.prenom);
        id.birth = Date::parse(table.value(row, ColumnRole::BirthDate));
        id.classes = split_list(table.value(row, ColumnRole::Classe))
            .map(fold_compact)
            .collect();
        id.children = split_list(table.value(row, ColumnRole::Children))
            .map(child_words)
            .collect();
        id.email_local = email_local(table.value(row, ColumnRole::Email));
        id.code_postal = table.value(row, ColumnRole::CodePostal).trim();
        id.login = lowercase(table.cas_id(row));
        id
    }

    fn from_account(account: &'a EntAccount) -> Self {
        let mut id = Self::new(&account.nom, &account.prenom);
        id.birth = account.birth_date;
        id.classes = split_list(&account.classe).map(fold_compact).collect();
        id.children = split_list(&account.children).map(child_words).collect();
        id.email_local = email_local(&account.email);
        id.code_postal = account.code_postal.trim();
        id.login = lowercase(&account.login);
        id
    }

    fn first_prenom(&self) -> &str {
        self.prenom_words().first().map_or("", String::as_str)
    }
}

/// Lower case, borrowing when the text already is.
fn lowercase(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_uppercase) {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn child_words(text: &str) -> Vec<String> {
    let mut words = fold_words(text);
    words.sort();
    words
}

fn email_local(email: &str) -> String {
    let email = email.trim();
    if !email.contains('@') {
        return String::new();
    }
    fold_compact(email.split('@').next().unwrap_or(""))
}

/// The login Open ENT NG would give this person: `prenom.nom`, letters and digits only, each
/// part cut at 30 characters (a number is appended for homonyms).
pub fn predicted_login(nom: &str, prenom: &str) -> String {
    let cut = |s: String| s.chars().take(30).collect::<String>();
    format!("{}.{}", cut(fold_compact(prenom)), cut(fold_compact(nom)))
}

/// The profile group of a list: rows of a list are only matched to accounts of its profile.
fn group_of_list(list: ListKind) -> u8 {
    match list {
        ListKind::Eleves => 0,
        ListKind::Responsables => 1,
        ListKind::Professeurs => 2,
        ListKind::Personnels => 3,
    }
}

/// The groups an account may be matched in (all of them when the export has no profile).
fn groups_of_account(account: &EntAccount) -> Vec<u8> {
    match account.profile {
        Some(profile) => profile.list().map(group_of_list).into_iter().collect(),
        None => vec![0, 1, 2, 3],
    }
}

fn prefix(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// A blocking key: a hash of (group, kind, two parts). A collision only adds a candidate that
/// the scoring then dismisses, so hashes are safe and save the memory of a million strings.
fn block_key(group: u8, kind: u8, first: &str, second: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (group, kind, first, second).hash(&mut hasher);
    hasher.finish()
}

/// The blocking keys under which an account is indexed, in `group`.
fn index_keys(id: &Identity, group: u8) -> Vec<u64> {
    let mut keys = Vec::with_capacity(6);
    let initial = prefix(&id.prenom_key, 1);
    keys.push(block_key(group, 0, &id.nom_key, initial));
    for word in id.nom_words() {
        if word.len() >= 3 && *word != id.nom_key {
            keys.push(block_key(group, 0, word, initial));
        }
    }
    let nom2 = prefix(&id.nom_key, 2);
    keys.push(block_key(group, 1, &id.prenom_key, nom2));
    if id.prenom_words().len() > 1 {
        keys.push(block_key(group, 1, id.first_prenom(), nom2));
    }
    if let Some(birth) = id.birth {
        keys.push(block_key(group, 2, &id.prenom_key, &birth.to_string()));
    }
    keys
}

/// The keys a row looks up: its own, plus the swapped nom/prénom.
fn query_keys(id: &Identity, group: u8) -> Vec<u64> {
    let mut keys = index_keys(id, group);
    keys.push(block_key(group, 0, &id.prenom_key, prefix(&id.nom_key, 1)));
    keys
}

struct NameMatch {
    score: i32,
    evidence: Vec<String>,
    differences: Vec<String>,
}

fn compare_part(
    what: &str,
    (p_raw, p_key, p_words): (&str, &str, &[String]),
    (a_raw, a_key, a_words): (&str, &str, &[String]),
    full: i32,
    want: bool,
) -> Option<(i32, String, Option<String>)> {
    if p_key.is_empty() || a_key.is_empty() {
        return None;
    }
    // Texts are only written for the pairs kept as candidates (`want`): scoring stays cheap.
    let text = |make: &dyn Fn() -> String| if want { make() } else { String::new() };
    let diff = || {
        Some(text(&|| {
            format!("{what} : {p_raw} (PRONOTE) / {a_raw} (ENT)")
        }))
    };
    if p_key == a_key {
        return Some(if !want || p_raw.to_lowercase() == a_raw.to_lowercase() {
            (full, text(&|| format!("même {what}")), None)
        } else {
            (
                full,
                format!("{what} : {p_raw} / {a_raw} (accents ou ponctuation)"),
                None,
            )
        });
    }
    let subset = |small: &[String], large: &[String]| {
        !small.is_empty()
            && small.len() < large.len()
            && small.iter().any(|w| w.len() >= 3)
            && small.iter().all(|w| large.contains(w))
    };
    if subset(p_words, a_words) || subset(a_words, p_words) {
        let label = if what == "nom" {
            text(&|| format!("nom d'usage : {p_raw} / {a_raw}"))
        } else {
            text(&|| format!("premier prénom d'un prénom composé : {p_raw} / {a_raw}"))
        };
        return Some((full * 85 / 100, label, diff()));
    }
    // Keys are folded to ASCII letters for French names: byte lengths are letter counts.
    let shortest = p_key.len().min(a_key.len());
    if p_key.len().abs_diff(a_key.len()) > 2 || shortest < 4 {
        return None;
    }
    // Cheap necessary condition: two edits change at most two letters of the multiset, so
    // most unrelated names are dismissed before the (allocating) Levenshtein distance.
    if letters_in_common(p_key, a_key) + 2 < p_key.len().max(a_key.len()) {
        return None;
    }
    let distance = levenshtein(p_key, a_key);
    if distance == 1 && shortest >= 4 {
        return Some((
            full * 85 / 100,
            text(&|| format!("{what} : {p_raw} / {a_raw} (une lettre d'écart)")),
            diff(),
        ));
    }
    if distance == 2 && shortest >= 7 && jaro_winkler(p_key, a_key) >= 0.93 {
        return Some((
            full * 70 / 100,
            text(&|| format!("{what} : {p_raw} / {a_raw} (deux lettres d'écart)")),
            diff(),
        ));
    }
    None
}

/// How many letters two ASCII keys share, counted with multiplicity (non-letters count as one).
fn letters_in_common(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 27];
    let slot = |byte: u8| match byte {
        b'a'..=b'z' => usize::from(byte - b'a'),
        _ => 26,
    };
    for byte in a.bytes() {
        counts[slot(byte)] += 1;
    }
    let mut common = 0;
    for byte in b.bytes() {
        let count = &mut counts[slot(byte)];
        if *count > 0 {
            *count -= 1;
            common += 1;
        }
    }
    common
}

fn compare_names(p: &Identity, a: &Identity, want: bool) -> Option<NameMatch> {
    let nom = compare_part(
        "nom",
        (p.nom, &p.nom_key, p.nom_words()),
        (a.nom, &a.nom_key, a.nom_words()),
        40,
        want,
    );
    let prenom = nom.as_ref().and_then(|_| {
        compare_part(
            "prénom",
            (p.prenom, &p.prenom_key, p.prenom_words()),
            (a.prenom, &a.prenom_key, a.prenom_words()),
            30,
            want,
        )
    });
    if let (Some(nom), Some(prenom)) = (nom, prenom) {
        let mut evidence = vec![nom.1, prenom.1];
        if evidence[0] == "même nom" && evidence[1] == "même prénom" {
            evidence = vec!["même nom et même prénom".to_owned()];
        }
        return Some(NameMatch {
            score: nom.0 + prenom.0,
            evidence,
            differences: nom.2.into_iter().chain(prenom.2).collect(),
        });
    }
    if !p.nom_key.is_empty() && p.nom_key == a.prenom_key && p.prenom_key == a.nom_key {
        return Some(NameMatch {
            score: 64,
            evidence: vec![format!(
                "nom et prénom inversés : {} {} / {} {}",
                p.nom, p.prenom, a.nom, a.prenom
            )],
            differences: vec![format!(
                "nom et prénom inversés : {} {} (PRONOTE) / {} {} (ENT)",
                p.nom, p.prenom, a.nom, a.prenom
            )],
        });
    }
    None
}

fn children_overlap(p: &[Vec<String>], a: &[Vec<String>]) -> Option<String> {
    p.iter().find_map(|child| {
        a.iter()
            .any(|other| {
                other == child
                    || (other.len() == child.len()
                        && other
                            .iter()
                            .zip(child)
                            .filter(|(x, y)| x != y)
                            .all(|(x, y)| levenshtein(x, y) <= 1))
            })
            .then(|| child.join(" ").to_uppercase())
    })
}

/// Scores one (row, account) pair; `None` when the names do not match at all.
fn score_pair(p: &Identity, a: &Identity, want: bool) -> Option<Candidate> {
    let names = compare_names(p, a, want)?;
    let mut score = names.score;
    let mut evidence = Vec::new();
    let mut differences = names.differences;
    // Texts are only written for the pairs kept as candidates (`want`): scoring stays cheap.
    macro_rules! note {
        ($list:ident, $($arg:tt)*) => {
            if want {
                $list.push(format!($($arg)*));
            }
        };
    }
    if !p.login.is_empty() && p.login == a.login {
        score += 50;
        note!(
            evidence,
            "l'identifiant CAS actuel est cet identifiant ENT ({})",
            a.login
        );
    }
    if let (Some(pb), Some(ab)) = (p.birth, a.birth) {
        if pb == ab {
            score += 30;
            note!(evidence, "même date de naissance ({pb})");
        } else if pb.is_day_month_swap(ab) || pb.is_one_digit_off(ab) {
            score += 12;
            let why = if pb.is_day_month_swap(ab) {
                "jour et mois inversés"
            } else {
                "un chiffre d'écart"
            };
            note!(evidence, "date de naissance : {pb} / {ab} ({why})");
            note!(
                differences,
                "date de naissance : {pb} (PRONOTE) / {ab} (ENT)"
            );
        } else {
            score -= 60;
            note!(evidence, "dates de naissance différentes : {pb} / {ab}");
            note!(
                differences,
                "date de naissance : {pb} (PRONOTE) / {ab} (ENT)"
            );
        }
    }
    if !p.children.is_empty() && !a.children.is_empty() {
        match children_overlap(&p.children, &a.children) {
            Some(child) => {
                score += 25;
                note!(evidence, "même enfant : {child}");
            }
            None => {
                score -= 25;
                note!(evidence, "aucun enfant en commun");
            }
        }
    }
    if !p.classes.is_empty() && !a.classes.is_empty() {
        if let Some(class) = p.classes.iter().find(|c| a.classes.contains(c)) {
            score += 10;
            note!(evidence, "même classe ({})", class.to_uppercase());
        } else {
            score -= 10;
            note!(
                evidence,
                "classes différentes ({} / {})",
                p.classes.join(", ").to_uppercase(),
                a.classes.join(", ").to_uppercase()
            );
        }
    }
    if !p.email_local.is_empty() && !a.email_local.is_empty() && p.email_local == a.email_local {
        score += 25;
        note!(evidence, "même adresse e-mail");
    }
    if !p.code_postal.is_empty() && p.code_postal == a.code_postal {
        score += 5;
        note!(evidence, "même code postal ({})", p.code_postal);
    }
    let predicted = &p.predicted;
    if !predicted.is_empty() && a.login.trim_end_matches(|c: char| c.is_ascii_digit()) == predicted
    {
        score += 5;
        note!(
            evidence,
            "identifiant ENT conforme à la règle prenom.nom ({predicted})"
        );
    }
    evidence.splice(0..0, names.evidence);
    Some(Candidate {
        account: 0,
        score,
        evidence,
        differences,
    })
}

/// What the candidate search of one row reads.
struct CandidateContext<'a> {
    ent: &'a EntDirectory,
    accounts: &'a [Identity<'a>],
    index: &'a HashMap<u64, Vec<u32>>,
    account_groups: &'a [Vec<u8>],
}

impl CandidateContext<'_> {
    /// The scored candidates of one row, best first.
    /// `seen` is a buffer kept from row to row.
    fn candidates(&self, table: &Table, row: usize, seen: &mut Vec<usize>) -> Vec<Candidate> {
        let group = group_of_list(table.list);
        let id = Identity::from_row(table, row);
        seen.clear();
        for key in query_keys(&id, group) {
            if let Some(block) = self.index.get(&key)
                && block.len() <= MAX_BLOCK
            {
                seen.extend(block.iter().map(|&i| i as usize));
            }
        }
        if !id.login.is_empty()
            && let Some(i) = self.ent.account_by_lowercase_login(&id.login)
            && self.account_groups[i].contains(&group)
        {
            seen.push(i);
        }
        seen.sort_unstable();
        seen.dedup();
        let mut found: Vec<Candidate> = seen
            .iter()
            .filter(|&&i| {
                score_pair(&id, &self.accounts[i], false)
                    .is_some_and(|c| c.score >= CANDIDATE_SCORE)
            })
            .filter_map(|&i| {
                score_pair(&id, &self.accounts[i], true).map(|mut c| {
                    c.account = i;
                    c
                })
            })
            .collect();
        found.sort_by(|a, b| b.score.cmp(&a.score).then(a.account.cmp(&b.account)));
        found
    }
}

/// Reconciles every row of `tables` with the accounts of `ent`.
pub fn reconcile(tables: &[Table], ent: &EntDirectory) -> Reconciliation {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = ent.accounts.len().div_ceil(threads).max(1);
    let accounts: Vec<Identity> = std::thread::scope(|scope| {
        let workers: Vec<_> = ent
            .accounts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(Identity::from_account).collect::<Vec<_>>())
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, (account, id)) in ent.accounts.iter().zip(&accounts).enumerate() {
        if ent.is_duplicate_login(&account.login) {
            continue;
        }
        for group in groups_of_account(account) {
            for key in index_keys(id, group) {
                // An export has far fewer than 4 billion accounts.
                index.entry(key).or_default().push(i as u32);
            }
        }
    }
    let account_groups: Vec<Vec<u8>> = ent.accounts.iter().map(groups_of_account).collect();
    // Candidates of every row, best first, computed on every core (the index is read-only).
    let context = CandidateContext {
        ent,
        accounts: &accounts,
        index: &index,
        account_groups: &account_groups,
    };
    let candidates: Vec<Vec<Vec<Candidate>>> = tables
        .iter()
        .map(|table| {
            let rows = table.rows.len();
            let chunk = rows.div_ceil(threads).max(1);
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..rows)
                    .step_by(chunk)
                    .map(|start| {
                        let context = &context;
                        scope.spawn(move || {
                            let mut seen = Vec::new();
                            (start..(start + chunk).min(rows))
                                .map(|row| context.candidates(table, row, &mut seen))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().unwrap_or_default())
                    .collect()
            })
        })
        .collect();
    // The best and second-best row of every account.
    let mut best_rows: Vec<[Option<i32>; 2]> = vec![[None, None]; accounts.len()];
    let mut best_row_of: Vec<Option<(usize, usize)>> = vec![None; accounts.len()];
    let mut is_candidate = vec![false; accounts.len()];
    for (t, rows) in candidates.iter().enumerate() {
        for (r, found) in rows.iter().enumerate() {
            for c in found {
                is_candidate[c.account] = true;
                let slot = &mut best_rows[c.account];
                if slot[0].is_none_or(|s| c.score > s) {
                    slot[1] = slot[0];
                    slot[0] = Some(c.score);
                    best_row_of[c.account] = Some((t, r));
                } else if slot[1].is_none_or(|s| c.score > s) {
                    slot[1] = Some(c.score);
                }
            }
        }
    }

    let mut linked_row = vec![None; accounts.len()];
    let outcomes = candidates
        .into_iter()
        .enumerate()
        .map(|(t, rows)| {
            rows.into_iter()
                .enumerate()
                .map(|(r, mut found)| {
                    let Some(best) = found.first() else {
                        return MatchOutcome::NoCandidate;
                    };
                    let runner_up = found.get(1).map(|c| c.score);
                    let [_, account_second] = best_rows[best.account];
                    let row_lead = runner_up.is_none_or(|s| best.score - s >= MARGIN);
                    let account_lead = best_row_of[best.account] == Some((t, r))
                        && account_second.is_none_or(|s| best.score - s >= MARGIN);
                    if best.score >= LINK_SCORE && row_lead && account_lead {
                        linked_row[best.account] = Some((t, r));
                        MatchOutcome::Linked(found.swap_remove(0))
                    } else {
                        found.truncate(5);
                        MatchOutcome::Ambiguous(found)
                    }
                })
                .collect()
        })
        .collect();
    Reconciliation {
        outcomes,
        linked_row,
        is_candidate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_ent_ng_login_rule_is_predicted() {
        assert_eq!(
            predicted_login("DE LA FONTAINE", "Jean-Marc"),
            "jeanmarc.delafontaine"
        );
        assert_eq!(
            predicted_login("Lemaître", "Véronique"),
            "veronique.lemaitre"
        );
    }

    #[test]
    fn a_one_letter_typo_in_the_nom_is_a_difference_with_evidence() {
        let p = Identity::new("BOVIN", "Philippe");
        let a = Identity::new("BOIVIN", "Philippe");
        let m = compare_names(&p, &a, true).unwrap();
        assert!(m.evidence.iter().any(|e| e.contains("une lettre")));
        assert_eq!(m.differences, vec!["nom : BOVIN (PRONOTE) / BOIVIN (ENT)"]);
    }

    #[test]
    fn accents_alone_are_no_difference() {
        let p = Identity::new("DARRAS", "Selene");
        let a = Identity::new("DARRAS", "Sélène");
        let m = compare_names(&p, &a, true).unwrap();
        assert!(m.differences.is_empty());
        assert!(m.evidence.iter().any(|e| e.contains("accents")));
    }

    #[test]
    fn unrelated_names_do_not_match() {
        assert!(
            compare_names(
                &Identity::new("DEJEAN", "Yannick"),
                &Identity::new("MOREAU", "Michelle"),
                true
            )
            .is_none()
        );
    }
}

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
    /// Fields that differ: (field, PRONOTE value, typed value).
    pub differences: Vec<(&'static str, String, String)>,
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
}

/// Ranks the rows of every table by closeness to the query; the `limit` closest.
pub fn rank_rows(tables: &[Table], query: &IdentityQuery, limit: usize) -> Vec<RankedRow> {
    let q_nom = name_key(&query.nom);
    let q_prenom = fold_compact(&query.prenom);
    let q_birth = Date::parse(&query.naissance);
    let mut ranked = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for row in 0..table.rows.len() {
            let nom = table.nom(row);
            let prenom = table.prenom(row);
            let nom_sim = jaro_winkler(&q_nom, &name_key(nom));
            let prenom_sim = jaro_winkler(&q_prenom, &fold_compact(prenom));
            if nom_sim < 0.75 || prenom_sim < 0.6 {
                continue;
            }
            let mut score = (nom_sim * 45.0 + prenom_sim * 35.0) as i32;
            let mut differences = Vec::new();
            if nom.trim() != query.nom.trim() {
                differences.push(("Nom", nom.to_owned(), query.nom.trim().to_owned()));
            }
            if prenom.trim() != query.prenom.trim() {
                differences.push(("Prénom", prenom.to_owned(), query.prenom.trim().to_owned()));
            }
            let birth_text = table.value(row, ColumnRole::BirthDate);
            if table.column(ColumnRole::BirthDate).is_some() && !query.naissance.trim().is_empty() {
                let row_birth = Date::parse(birth_text);
                if row_birth.is_some() && row_birth == q_birth {
                    score += 15;
                } else {
                    differences.push((
                        "Date de naissance",
                        birth_text.to_owned(),
                        query.naissance.trim().to_owned(),
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
                    differences.push((
                        "Code postal",
                        cp.to_owned(),
                        query.code_postal.trim().to_owned(),
                    ));
                }
            }
            ranked.push(RankedRow {
                table: t,
                row,
                score: score.min(100),
                differences,
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

/// The login of the only ENT account with this nom and prénom (folded), if exactly one has them:
/// the login to type in Identifiant CAS for an "Identification impossible" (FAQ A.2).
pub fn ent_login_for(ent: &EntDirectory, nom: &str, prenom: &str) -> Option<String> {
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
        if r.differences.is_empty() {
            text.push_str("   Identité identique : vérifiez le profil et l'identifiant CAS déjà enregistré.\n");
        }
        for (field, pronote, typed) in &r.differences {
            text.push_str(&format!(
                "   {field} différent : « {pronote} » dans PRONOTE, « {typed} » dans l'ENT\n"
            ));
        }
        if i == 0 && !r.differences.is_empty() {
            text.push_str(&format!(
                "   Solution 1 : corriger dans PRONOTE ({}) {} pour qu'il corresponde à l'ENT.\n",
                table.list.menu_path(),
                r.differences
                    .iter()
                    .map(|(f, _, typed)| format!("{f} = « {typed} »"))
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
