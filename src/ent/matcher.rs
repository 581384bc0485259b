//! The matcher: for every PRONOTE row, the ENT account that is this person, with the evidence.
//!
//! Candidates come from blocking keys (so the cost stays near-linear), each pair is scored on
//! folded names, birth date, class, children, e-mail, code postal and the Open ENT NG login
//! rule, then rows and accounts are paired one-to-one: a link needs a score above
//! [`LINK_SCORE`] and a lead of [`MARGIN`] over the runner-up on both sides, so homonyms are
//! never linked without evidence that separates them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use strsim::jaro_winkler;

use super::directory::{EntAccount, EntDirectory};
use super::prenoms;
use crate::model::checks::row_label;
use crate::model::columns::{ColumnRole, ListKind};
use crate::model::date::Date;
use crate::model::fold::{PARTICLES, fold_compact, fold_compact_inline, fold_spaced};
use crate::model::table::Table;
use crate::parallel::{par_collect, par_fill_zip, par_map, permute};
use crate::timing::{Phase, SharedProgress};

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
    /// Facts that say the account is somebody else (another birth date, class, children).
    pub contradictions: Vec<String>,
    /// Which facts beyond the names agree ([`SUPPORT_BIRTH`], [`SUPPORT_CLASS`]…).
    pub support: u8,
    /// The prénoms are two different given names (Louis / Louise): never linked automatically.
    pub distinct_prenoms: bool,
    /// The part of the score that comes from the names alone.
    pub name_score: i32,
}

/// Same birth date.
pub const SUPPORT_BIRTH: u8 = 1;
/// A class in common.
pub const SUPPORT_CLASS: u8 = 2;
/// A child in common.
pub const SUPPORT_CHILD: u8 = 4;
/// Same e-mail address.
pub const SUPPORT_EMAIL: u8 = 8;

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

/// What the matcher concluded about a row's stored Identifiant CAS, on all the evidence.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum StoredLogin {
    /// No Identifiant CAS stored.
    #[default]
    Empty,
    /// No ENT account has this login.
    NotInEnt,
    /// Several ENT accounts share this login (reported on the ENT side).
    DuplicateInEnt,
    /// The export has no account of this list's profile: its stored logins cannot be judged.
    ProfileNotExported,
    /// The login's account is this person (names may differ by a typo, accents, a swap…).
    Confirmed {
        /// The account.
        account: usize,
    },
    /// The login's account is somebody else, with positive evidence.
    Other {
        /// The account.
        account: usize,
        /// Why it is somebody else, in French.
        reasons: Vec<String>,
        /// The row that is the account's owner, when one clearly is.
        owner: Option<(usize, usize)>,
        /// The row this one exchanged logins with (homonyms renumbered by a migration).
        swapped_with: Option<(usize, usize)>,
    },
    /// The account may be this person or a namesake: nothing separates them, a person decides.
    Unsure {
        /// The account.
        account: usize,
        /// Why it cannot be decided, in French.
        reason: String,
        /// The other accounts this row may be.
        alternatives: Vec<usize>,
    },
}

/// The matcher's result for every row and every account.
#[derive(Clone, Debug, Default)]
pub struct Reconciliation {
    /// Per table, per row: the row's account (a confirmed stored login, or the identity link).
    pub outcomes: Vec<Vec<MatchOutcome>>,
    /// Per table, per row: the judgement of the stored Identifiant CAS.
    pub stored: Vec<Vec<StoredLogin>>,
    /// Per account: the row linked to it.
    pub linked_row: Vec<Option<(usize, usize)>>,
    /// Per account: whether it is a candidate of some row (linked or not).
    pub is_candidate: Vec<bool>,
    /// What [`rejudge`] needs to judge again the rows an edit touches (shared by clones).
    memo: Option<Arc<Memo>>,
}

impl Reconciliation {
    /// Each row's linked account with its score and its differences from PRONOTE, nothing else
    /// (no evidence, no ambiguous candidates, no judgement of the stored logins): what the work
    /// list reads of the files as loaded (see `Analysis::reasons`).
    pub fn links_with_differences(&self) -> Self {
        let outcomes = self
            .outcomes
            .iter()
            .map(|rows| {
                rows.iter()
                    .map(|outcome| match outcome {
                        MatchOutcome::Linked(c) => MatchOutcome::Linked(Candidate {
                            account: c.account,
                            score: c.score,
                            evidence: Vec::new(),
                            differences: c.differences.clone(),
                            contradictions: Vec::new(),
                            support: c.support,
                            distinct_prenoms: c.distinct_prenoms,
                            name_score: c.name_score,
                        }),
                        MatchOutcome::Ambiguous(_) | MatchOutcome::NoCandidate => {
                            MatchOutcome::NoCandidate
                        }
                    })
                    .collect()
            })
            .collect();
        Self {
            outcomes,
            linked_row: self.linked_row.clone(),
            ..Self::default()
        }
    }
}

/// A candidate's figures without its texts: what judging a stored login reads of it.
#[derive(Clone, Copy, Debug)]
struct Scored {
    account: usize,
    score: i32,
    support: u8,
    name_score: i32,
    distinct_prenoms: bool,
}

impl Scored {
    fn of(account: usize, c: &Candidate) -> Self {
        Self {
            account,
            score: c.score,
            support: c.support,
            name_score: c.name_score,
            distinct_prenoms: c.distinct_prenoms,
        }
    }
}

/// Everything of a reconciliation that depends on identities alone, not on the stored
/// Identifiant CAS: an edit of Identifiant CAS leaves it as it is, so that only the rows whose
/// judgement it can change are judged again ([`rejudge`]).
#[derive(Debug)]
struct Memo {
    fields: Comparable,
    /// Per list group: whether the export has accounts of that profile.
    exported_groups: [bool; 4],
    account_groups: Vec<Vec<u8>>,
    /// Per table, per row: the candidates, best first.
    candidates: Vec<Vec<Vec<Scored>>>,
    /// Per table, per row: whether the stored login's account is a candidate only because it
    /// is stored (no blocking key brought it).
    pushed: Vec<Vec<bool>>,
    /// Per account: the rows that have it as a candidate, with their score.
    account_rows: AccountRows,
    /// Per account: the row linked to it by identity alone.
    identity_row: Vec<Option<(usize, usize)>>,
    /// Per table, per row: the account linked to it by identity alone.
    identity_account: Vec<Vec<Option<usize>>>,
    /// Per account: its family, the accounts linked to it by a folded name or a login base in
    /// common (transitively). Homonyms exchange logins only within a family.
    family: Vec<u32>,
}

/// Per account, the rows that have it as a candidate (table, row, score), in the order of the
/// lists and rows: one array for all, each account's rows side by side, rather than a list per
/// account (a hundred thousand allocations on a département).
#[derive(Debug, Default)]
struct AccountRows {
    /// Where each account's rows start in `rows`; one more entry, the end.
    starts: Vec<u32>,
    rows: Vec<(u32, u32, i32)>,
}

impl AccountRows {
    /// From each row's candidates (`candidates[table][row]`), for `accounts` accounts.
    fn of_candidates(candidates: &[Vec<Vec<Scored>>], accounts: usize) -> Self {
        let mut counts = vec![0u32; accounts + 1];
        for found in candidates.iter().flatten().flatten() {
            counts[found.account + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let starts = counts.clone();
        let mut next = counts;
        let mut rows = vec![(0, 0, 0); starts[accounts] as usize];
        for (t, table) in candidates.iter().enumerate() {
            for (r, found) in table.iter().enumerate() {
                for c in found {
                    // Lists and exports have far fewer than 4 billion rows and candidates.
                    rows[next[c.account] as usize] = (t as u32, r as u32, c.score);
                    next[c.account] += 1;
                }
            }
        }
        Self { starts, rows }
    }

    /// The rows that have `account` as a candidate, with their score.
    fn of(&self, account: usize) -> impl Iterator<Item = (usize, usize, i32)> + '_ {
        let (start, end) = (self.starts[account], self.starts[account + 1]);
        self.rows[start as usize..end as usize]
            .iter()
            .map(|&(t, r, score)| (t as usize, r as usize, score))
    }
}

/// A folded word or key: names are short, kept inline without an allocation of their own.
type Word = compact_str::CompactString;

/// A person's identity, folded once.
#[derive(Clone, Debug, Default)]
struct Identity<'a> {
    nom: &'a str,
    prenom: &'a str,
    nom_key: Word,
    /// The nom folded with its particles (`LE ROUX` and `LEROUX` are both `leroux`).
    nom_full: Word,
    /// The words of the nom when there are several (empty for a one-word nom: see `nom_words`).
    nom_parts: Vec<Word>,
    prenom_key: Word,
    /// The words of the prénom when there are several.
    prenom_parts: Vec<Word>,
    /// Hashes of `nom_key`, `prenom_key` and `nom_full`: unequal hashes are unequal keys, which
    /// spares comparing the texts of the million pairs that blocking brings together.
    nom_hash: u64,
    prenom_hash: u64,
    nom_full_hash: u64,
    /// Letter counts of `nom_key` and `prenom_key` (see [`letters_in_common`]).
    nom_letters: Letters,
    prenom_letters: Letters,
    birth: Option<Date>,
    classes: Vec<Word>,
    children: Vec<Vec<Word>>,
    email_local: Word,
    code_postal: &'a str,
    login: Cow<'a, str>,
    /// Whether this is a PRONOTE row (whose login the Open ENT NG rule predicts).
    is_row: bool,
}

impl<'a> Identity<'a> {
    fn new(nom: &'a str, prenom: &'a str) -> Self {
        // One folding of each part gives every key: `nom_full` is all the nom's words joined,
        // `nom_key` its significant words (particles aside, as `name_words` does).
        // Most names are one ASCII word: their keys are that word, without a list of words.
        let (nom_full, nom_key, nom_parts) = match single_ascii_word(nom) {
            Some(word) => (word.clone(), word, Vec::new()),
            None => {
                let mut nom_words = fold_into_words(nom);
                let nom_full = join_words(&nom_words);
                if nom_words.iter().any(|w| !PARTICLES.contains(&w.as_str())) {
                    nom_words.retain(|w| !PARTICLES.contains(&w.as_str()));
                }
                let (nom_key, nom_parts) = key_and_parts(nom_words);
                (nom_full, nom_key, nom_parts)
            }
        };
        let (prenom_key, prenom_parts) = match single_ascii_word(prenom) {
            Some(word) => (word, Vec::new()),
            None => key_and_parts(fold_into_words(prenom)),
        };
        Self {
            nom: nom.trim(),
            prenom: prenom.trim(),
            nom_hash: text_hash(&nom_key),
            prenom_hash: text_hash(&prenom_key),
            nom_full_hash: text_hash(&nom_full),
            nom_letters: Letters::of(&nom_key),
            prenom_letters: Letters::of(&prenom_key),
            nom_full,
            nom_key,
            nom_parts,
            prenom_key,
            prenom_parts,
            birth: None,
            classes: Vec::new(),
            children: Vec::new(),
            email_local: Word::default(),
            code_postal: "",
            login: Cow::Borrowed(""),
            is_row: false,
        }
    }

    fn nom_words(&self) -> &[Word] {
        if self.nom_parts.is_empty() {
            std::slice::from_ref(&self.nom_key)
        } else {
            &self.nom_parts
        }
    }

    fn prenom_words(&self) -> &[Word] {
        if self.prenom_parts.is_empty() {
            std::slice::from_ref(&self.prenom_key)
        } else {
            &self.prenom_parts
        }
    }

    fn from_row(table: &'a Table, row: usize) -> Self {
        let mut id = Self::new(table.nom(row), table.prenom(row));
        id.is_row = true;
        id.birth = Date::parse(table.value(row, ColumnRole::BirthDate));
        id.classes = split_list(table.value(row, ColumnRole::Classe))
            .map(class_key)
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
        id.classes = split_list(&account.classe).map(class_key).collect();
        id.children = split_list(&account.children).map(child_words).collect();
        id.email_local = email_local(&account.email);
        id.code_postal = account.code_postal.trim();
        id.login = lowercase(&account.login);
        id
    }

    fn first_prenom(&self) -> &str {
        self.prenom_words().first().map_or("", Word::as_str)
    }

    fn nom_part(&self) -> Part<'_> {
        Part {
            raw: self.nom,
            key: &self.nom_key,
            words: self.nom_words(),
            hash: self.nom_hash,
            letters: &self.nom_letters,
        }
    }

    fn prenom_part(&self) -> Part<'_> {
        Part {
            raw: self.prenom,
            key: &self.prenom_key,
            words: self.prenom_words(),
            hash: self.prenom_hash,
            letters: &self.prenom_letters,
        }
    }

    fn same_nom_key(&self, other: &Self) -> bool {
        self.nom_hash == other.nom_hash && self.nom_key == other.nom_key
    }

    fn same_nom_full(&self, other: &Self) -> bool {
        self.nom_full_hash == other.nom_full_hash && self.nom_full == other.nom_full
    }
}

/// A name's words joined into its key, and the words kept apart when there are several (one
/// word would only repeat the key: see [`Identity::nom_words`]).
fn key_and_parts(mut words: Vec<Word>) -> (Word, Vec<Word>) {
    if words.len() == 1 {
        (words.pop().unwrap_or_default(), Vec::new())
    } else {
        (join_words(&words), words)
    }
}

/// [`crate::model::fold::fold_words`], each word kept inline (folded without a `String` per
/// word).
fn fold_into_words(text: &str) -> Vec<Word> {
    if text.is_ascii() {
        return ascii_words(text)
            .map(|w| {
                let mut word = Word::new(w);
                word.make_ascii_lowercase();
                word
            })
            .collect();
    }
    fold_spaced(text)
        .split_whitespace()
        .map(Word::new)
        .collect()
}

/// `text` folded as [`fold_into_words`] folds it, when that gives one word and `text` is ASCII.
fn single_ascii_word(text: &str) -> Option<Word> {
    if !text.is_ascii() {
        return None;
    }
    let mut words = ascii_words(text);
    let word = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let mut word = Word::new(word);
    word.make_ascii_lowercase();
    Some(word)
}

/// The runs of ASCII letters and digits of `text`, found byte by byte (splitting on a
/// character test decoded every character of the millions of names and children read).
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        // Cut next to ASCII bytes only: always on a character boundary.
        (start < at).then(|| &text[start..at])
    })
}

/// Words joined without separator.
fn join_words(words: &[Word]) -> Word {
    words.iter().map(Word::as_str).collect()
}

/// A fast hash of a folded key (see [`Identity::nom_hash`]).
fn text_hash(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

/// What [`Sieve::may_match`] reads of an identity, packed in one cache line's worth: the
/// blocking brings each row tens of accounts, most of which the names dismiss, and reading the
/// whole identity of each (several cache lines, in random order) was most of the search's time.
#[derive(Clone, Copy, Debug, Default)]
struct Sieve {
    nom_hash: u64,
    prenom_hash: u64,
    nom_full_hash: u64,
    /// Which letters a to z occur in the key.
    nom_mask: u32,
    prenom_mask: u32,
    /// Byte lengths of the keys, 255 for any longer.
    nom_len: u8,
    prenom_len: u8,
    nom_first: u8,
    prenom_first: u8,
    /// The nom, the prénom has several words (their words may be a subset of the other's).
    nom_multi: bool,
    prenom_multi: bool,
    /// The key is ASCII: its byte length is its letter count.
    nom_ascii: bool,
    prenom_ascii: bool,
}

/// A part of a name as the sieve sees it.
#[derive(Clone, Copy)]
struct SievePart {
    hash: u64,
    mask: u32,
    len: u8,
    multi: bool,
    ascii: bool,
}

impl Sieve {
    fn of(id: &Identity) -> Self {
        let mask = |key: &str| {
            key.bytes()
                .filter(u8::is_ascii_lowercase)
                .fold(0u32, |m, b| m | 1 << (b - b'a'))
        };
        // Clamped, a difference of lengths can only shrink: the sieve stays on the safe side.
        let len = |key: &str| u8::try_from(key.len()).unwrap_or(u8::MAX);
        Self {
            nom_hash: id.nom_hash,
            prenom_hash: id.prenom_hash,
            nom_full_hash: id.nom_full_hash,
            nom_mask: mask(&id.nom_key),
            prenom_mask: mask(&id.prenom_key),
            nom_len: len(&id.nom_key),
            prenom_len: len(&id.prenom_key),
            nom_first: id.nom_key.as_bytes().first().copied().unwrap_or(0),
            prenom_first: id.prenom_key.as_bytes().first().copied().unwrap_or(0),
            nom_multi: !id.nom_parts.is_empty(),
            prenom_multi: !id.prenom_parts.is_empty(),
            nom_ascii: id.nom_key.is_ascii(),
            prenom_ascii: id.prenom_key.is_ascii(),
        }
    }

    fn nom(&self) -> SievePart {
        SievePart {
            hash: self.nom_hash,
            mask: self.nom_mask,
            len: self.nom_len,
            multi: self.nom_multi,
            ascii: self.nom_ascii,
        }
    }

    fn prenom(&self) -> SievePart {
        SievePart {
            hash: self.prenom_hash,
            mask: self.prenom_mask,
            len: self.prenom_len,
            multi: self.prenom_multi,
            ascii: self.prenom_ascii,
        }
    }

    /// Whether [`compare_part`] may find the two parts alike: false only when it surely
    /// returns `None` (different keys, neither one's words all among the other's, and lengths
    /// or letters too far apart for the edits it accepts).
    fn part_may_match(p: SievePart, a: SievePart) -> bool {
        if p.len == 0 || a.len == 0 {
            return false;
        }
        if p.hash == a.hash {
            return true;
        }
        // The words of one all among the other's (`compare_part`'s subset: a nom d'usage, the
        // first prénom of a compound one), which needs several words on one side: then every
        // letter of the one is in the other.
        if (p.multi || a.multi) && (p.mask & !a.mask == 0 || a.mask & !p.mask == 0) {
            return true;
        }
        let shortest = usize::from(p.len.min(a.len));
        if shortest < MIN_TYPO_LEN {
            return false;
        }
        // `compare_part` accepts one edit, or two from `MIN_TWO_TYPOS_LEN` letters. Between
        // ASCII keys an edit changes the length by one at most and leaves at most one letter
        // on either side that the other lacks. A letter of several bytes changes the byte
        // length by more: other keys keep the bound of two edits on the byte lengths.
        let edits = if shortest >= MIN_TWO_TYPOS_LEN || !(p.ascii && a.ascii) {
            2
        } else {
            1
        };
        p.len.abs_diff(a.len) <= edits
            && (p.mask & !a.mask).count_ones() <= u32::from(edits)
            && (a.mask & !p.mask).count_ones() <= u32::from(edits)
    }

    /// Whether [`compare_names`] may find a match between a row (`self`) and an account: false
    /// only when it surely returns `None`, so that the pair need not be scored.
    fn may_match(&self, a: &Self) -> bool {
        let nom = (self.nom_len > 0 && self.nom_full_hash == a.nom_full_hash)
            || Self::part_may_match(self.nom(), a.nom());
        if nom && Self::part_may_match(self.prenom(), a.prenom()) {
            return true;
        }
        // Nom and prénom swapped on one side: the test of `compare_names`, then its two parts.
        (self.nom_first == a.prenom_first || self.prenom_first == a.nom_first)
            && Self::part_may_match(self.nom(), a.prenom())
            && Self::part_may_match(self.prenom(), a.nom())
    }
}

/// One part of a name (nom or prénom) as [`compare_part`] reads it.
#[derive(Clone, Copy)]
struct Part<'a> {
    raw: &'a str,
    key: &'a str,
    words: &'a [Word],
    hash: u64,
    letters: &'a Letters,
}

/// How many times each letter occurs in a folded key (other characters share the last slot).
#[derive(Clone, Debug, Default)]
struct Letters([u8; 27]);

impl Letters {
    fn of(key: &str) -> Self {
        let mut counts = [0u8; 27];
        for byte in key.bytes() {
            let slot = match byte {
                b'a'..=b'z' => usize::from(byte - b'a'),
                _ => 26,
            };
            counts[slot] = counts[slot].saturating_add(1);
        }
        Self(counts)
    }

    /// How many letters two keys share, counted with multiplicity.
    fn in_common(&self, other: &Self) -> usize {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| usize::from(*a.min(b)))
            .sum()
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

/// A class name folded, with the ordinal spelt out dropped (`3ème A`, `3EME A` and `3A` are one
/// class; `3E` stays section E).
fn class_key(text: &str) -> Word {
    let folded = fold_compact_inline(text);
    let digits = folded.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        for ordinal in ["ieme", "eme"] {
            if let Some(rest) = folded[digits..].strip_prefix(ordinal)
                && !rest.is_empty()
            {
                return Word::from(format!("{}{rest}", &folded[..digits]));
            }
        }
    }
    folded
}

fn child_words(text: &str) -> Vec<Word> {
    let mut words = fold_into_words(text);
    words.sort();
    words
}

fn email_local(email: &str) -> Word {
    let email = email.trim();
    if !email.contains('@') {
        return Word::default();
    }
    fold_compact_inline(email.split('@').next().unwrap_or(""))
}

/// Whether `login` is the one Open ENT NG gives `p` ([`predicted_login`], a homonym's number
/// aside), compared part by part so that no login is written for the million pairs scored.
fn fits_login_rule(p: &Identity, login: &str) -> bool {
    let Some((prenom, nom)) = login_base(login).split_once('.') else {
        return false;
    };
    // `prenom_key` is the prénom folded like `fold_compact` does (words joined).
    !p.prenom_key.is_empty()
        && !p.nom_full.is_empty()
        && prenom == prefix(&p.prenom_key, 30)
        && nom == prefix(&p.nom_full, 30)
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

/// The shortest name part in which a typo is accepted (shorter names are other names).
const MIN_TYPO_LEN: usize = 4;
/// The shortest name part in which two typos are accepted.
const MIN_TWO_TYPOS_LEN: usize = 7;

/// A blocking key: a hash of (group, kind, two parts). A collision only adds a candidate that
/// the scoring then dismisses, so a fast hash is safe and saves the memory of a million strings.
fn block_key(group: u8, kind: u8, first: &str, second: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    (group, kind, first, second).hash(&mut hasher);
    hasher.finish()
}

/// Hashes a `u64` that already is a hash ([`block_key`]) by taking it as it is.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; any other input is folded in all the same.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// The accounts under each blocking key, by position (see [`AccountIdentities`]): one array of
/// positions cut into blocks, and the block of each key. A list per key was a million small
/// allocations on a département, and twice the memory.
struct BlockIndex {
    /// The keys whose bit [`HALF_BIT`] is 0, then those where it is 1: each half is built on
    /// its own core (a département's million keys took 40 ms on one).
    halves: Vec<Blocks>,
}

/// The bit of a key that says its half of the index: above the bits a map of a million keys
/// takes its buckets from, below the seven that `hashbrown` compares in a group.
const HALF_BIT: u32 = 40;

fn half_of(key: u64) -> usize {
    ((key >> HALF_BIT) & 1) as usize
}

/// The blocks of one half of the keys.
struct Blocks {
    /// The block of each key.
    blocks: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    /// Where each block starts in `positions`, and where the last one ends.
    starts: Vec<u32>,
    positions: Vec<u32>,
}

impl BlockIndex {
    /// The index of `keys`: `keys[i]` are the keys of account `i`, at position `position_of[i]`.
    /// A key given twice for an account lists it twice, as a list per key did.
    fn of(keys: &[Vec<u64>], position_of: &[u32]) -> Self {
        Self {
            halves: par_map(2, |halves| {
                halves
                    .map(|half| Blocks::of(keys, position_of, half))
                    .collect()
            }),
        }
    }

    /// The positions of the accounts under `key`.
    fn get(&self, key: u64) -> Option<&[u32]> {
        self.halves.get(half_of(key))?.get(key)
    }
}

impl Blocks {
    /// The blocks of the keys of `half`, each listing its accounts in the order of `keys`.
    fn of(keys: &[Vec<u64>], position_of: &[u32], half: usize) -> Self {
        let in_half = |key: &&u64| half_of(**key) == half;
        let total = keys.iter().flatten().filter(in_half).count();
        // Room for every key at once (most are distinct): grown step by step, the map of a
        // département's million keys would be rebuilt a dozen times.
        let mut blocks: HashMap<u64, u32, BuildHasherDefault<KeyHasher>> =
            HashMap::with_capacity_and_hasher(total, BuildHasherDefault::default());
        // The block of each key, in the order of `keys`, and the size of each block.
        let mut block_of: Vec<u32> = Vec::with_capacity(total);
        let mut sizes: Vec<u32> = Vec::new();
        for &key in keys.iter().flatten().filter(in_half) {
            // Far fewer than 4 billion keys.
            let next = sizes.len() as u32;
            let block = *blocks.entry(key).or_insert(next);
            if block == next {
                sizes.push(0);
            }
            sizes[block as usize] += 1;
            block_of.push(block);
        }
        let mut starts: Vec<u32> = Vec::with_capacity(sizes.len() + 1);
        let mut end = 0;
        starts.push(0);
        for size in sizes {
            end += size;
            starts.push(end);
        }
        let mut next = starts.clone();
        let mut positions = vec![0u32; block_of.len()];
        let mut block_of = block_of.into_iter();
        for (i, account_keys) in keys.iter().enumerate() {
            for _ in account_keys.iter().filter(in_half) {
                let Some(block) = block_of.next() else {
                    break;
                };
                let slot = &mut next[block as usize];
                positions[*slot as usize] = position_of[i];
                *slot += 1;
            }
        }
        Self {
            blocks,
            starts,
            positions,
        }
    }

    /// The positions of the accounts under `key`.
    fn get(&self, key: u64) -> Option<&[u32]> {
        let block = *self.blocks.get(&key)? as usize;
        Some(&self.positions[self.starts[block] as usize..self.starts[block + 1] as usize])
    }
}

/// The blocking keys under which an account is indexed, in `group`.
fn index_keys(id: &Identity, group: u8) -> Vec<u64> {
    let mut keys = Vec::with_capacity(12);
    let initial = prefix(&id.prenom_key, 1);
    keys.push(block_key(group, 0, &id.nom_key, initial));
    if id.nom_full != id.nom_key {
        keys.push(block_key(group, 0, &id.nom_full, initial));
    }
    for word in id.nom_words() {
        if word.len() >= 3 && *word != id.nom_key {
            keys.push(block_key(group, 0, word, initial));
        }
    }
    // A typo in the nom after its first two letters: the prénom and the start of the nom.
    let nom2 = prefix(&id.nom_key, 2);
    keys.push(block_key(group, 1, &id.prenom_key, nom2));
    if id.prenom_words().len() > 1 {
        keys.push(block_key(group, 1, id.first_prenom(), nom2));
    }
    if let Some(birth) = id.birth {
        let birth = birth.to_string();
        keys.push(block_key(group, 2, &id.prenom_key, &birth));
        // A typo in the prénom's first letter, or a swap: the nom and the birth date find it.
        keys.push(block_key(group, 5, &id.nom_key, &birth));
    }
    if let Some(class) = id.classes.first() {
        // A typo at the start of the nom (or of the prénom) is found within the class.
        keys.push(block_key(group, 3, class, &id.prenom_key));
        keys.push(block_key(group, 4, class, &id.nom_key));
    }
    for child in id.children.iter().take(3) {
        // A parent's typo'd nom is found by the prénom and a child.
        keys.push(block_key(group, 6, &id.prenom_key, &child.concat()));
    }
    keys
}

/// The keys a row looks up: its own, plus the swapped nom/prénom.
fn query_keys(id: &Identity, group: u8) -> Vec<u64> {
    let mut keys = index_keys(id, group);
    keys.push(block_key(group, 0, &id.prenom_key, prefix(&id.nom_key, 1)));
    if let Some(birth) = id.birth {
        let birth = birth.to_string();
        keys.push(block_key(group, 2, &id.nom_key, &birth));
        keys.push(block_key(group, 5, &id.prenom_key, &birth));
    }
    if let Some(class) = id.classes.first() {
        keys.push(block_key(group, 3, class, &id.nom_key));
        keys.push(block_key(group, 4, class, &id.prenom_key));
    }
    keys
}

struct NameMatch {
    score: i32,
    evidence: Vec<String>,
    differences: Vec<String>,
    /// The prénoms are two different given names: a candidate, never a link.
    distinct_prenoms: bool,
}

/// How one part (nom or prénom) of two names compares.
struct PartMatch {
    score: i32,
    evidence: String,
    difference: Option<String>,
    /// A prénom one letter away that is another given name (Louis / Louise).
    distinct: bool,
}

fn compare_part(what: &str, p: Part, a: Part, full: i32, want: bool) -> Option<PartMatch> {
    let (p_raw, p_key, p_words) = (p.raw, p.key, p.words);
    let (a_raw, a_key, a_words) = (a.raw, a.key, a.words);
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
    let part = |score: i32, evidence: String, difference: Option<String>| PartMatch {
        score,
        evidence,
        difference,
        distinct: false,
    };
    if p.hash == a.hash && p_key == a_key {
        return Some(if !want || p_raw.to_lowercase() == a_raw.to_lowercase() {
            part(full, text(&|| format!("même {what}")), None)
        } else {
            part(
                full,
                format!("{what} : {p_raw} / {a_raw} (accents ou ponctuation)"),
                None,
            )
        });
    }
    let subset = |small: &[Word], large: &[Word]| {
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
        return Some(part(full * 85 / 100, label, diff()));
    }
    // Keys are folded to ASCII letters for French names: byte lengths are letter counts.
    let shortest = p_key.len().min(a_key.len());
    if p_key.len().abs_diff(a_key.len()) > 2 || shortest < MIN_TYPO_LEN {
        return None;
    }
    // Cheap necessary condition: two edits change at most two letters of the multiset, so
    // most unrelated names are dismissed before the edit distance.
    if p.letters.in_common(a.letters) + 2 < p_key.len().max(a_key.len()) {
        return None;
    }
    // Optimal string alignment: a transposition (DENIS / DENSI) is one edit, like a letter
    // missing, added or changed.
    let distance = osa_distance(p_key, a_key);
    let typo = if distance == 1 {
        Some((85, "une lettre d'écart"))
    } else if distance == 2 && shortest >= MIN_TWO_TYPOS_LEN && jaro_winkler(p_key, a_key) >= 0.93 {
        Some((70, "deux lettres d'écart"))
    } else {
        None
    };
    let (percent, why) = typo?;
    if what == "prénom" && prenoms::are_distinct(p_key, a_key) {
        // Two given names, not one mistyped: twins and siblings are told apart by this alone.
        return Some(PartMatch {
            score: 0,
            evidence: text(&|| format!("prénoms différents : {p_raw} / {a_raw}")),
            difference: diff(),
            distinct: true,
        });
    }
    Some(part(
        full * percent / 100,
        text(&|| format!("{what} : {p_raw} / {a_raw} ({why})")),
        diff(),
    ))
}

/// The longest ASCII text [`osa_distance`] compares on the stack.
const OSA_STACK_LEN: usize = 47;

/// The most edits any comparison of names accepts: [`osa_distance`] counts no further.
const MAX_EDITS: usize = 2;

/// `strsim::osa_distance` counted up to `MAX_EDITS + 1` (any larger distance is that number):
/// every caller accepts at most `MAX_EDITS` edits. Short ASCII texts (up to 47 letters, as
/// folded names are) are compared on the stack, without strsim's three allocations per call,
/// and the count stops as soon as no alignment can come back within `MAX_EDITS` (most pairs
/// that reach it are other names). Longer or non-ASCII texts go to strsim itself.
fn osa_distance(a: &str, b: &str) -> usize {
    const OVER: usize = MAX_EDITS + 1;
    if a.len() > OSA_STACK_LEN || b.len() > OSA_STACK_LEN || !a.is_ascii() || !b.is_ascii() {
        return strsim::osa_distance(a, b).min(OVER);
    }
    // Each letter more on one side is an edit.
    if a.len().abs_diff(b.len()) > MAX_EDITS {
        return OVER;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    // Three rows of the table, as strsim keeps them: two rows above, the row above, this one.
    let mut rows = [[0u8; OSA_STACK_LEN + 1]; 3];
    for (j, cell) in rows[0].iter_mut().take(b.len() + 1).enumerate() {
        *cell = j as u8;
    }
    rows[1] = rows[0];
    let (mut two_up, mut up, mut here) = (0, 1, 2);
    for (i, &a_char) in a.iter().enumerate() {
        rows[here][0] = (i + 1) as u8;
        let mut here_min = i + 1;
        for (j, &b_char) in b.iter().enumerate() {
            let cost = u8::from(a_char != b_char);
            let mut best = (rows[here][j] + 1)
                .min(rows[up][j + 1] + 1)
                .min(rows[up][j] + cost);
            if i > 0 && j > 0 && a_char != b_char && a_char == b[j - 1] && b_char == a[i - 1] {
                best = best.min(rows[two_up][j - 1] + 1);
            }
            rows[here][j + 1] = best;
            here_min = here_min.min(usize::from(best));
        }
        // A cell comes from its row, from the row above, or (a swap) from two rows above plus
        // one; and a row is at most one more than the row above. So once a row is over
        // `MAX_EDITS`, the row above is at least at it, and every later row, and the distance,
        // is over it.
        if here_min > MAX_EDITS {
            return OVER;
        }
        (two_up, up, here) = (up, here, two_up);
    }
    usize::from(rows[up][b.len()]).min(OVER)
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

fn compare_nom(p: &Identity, a: &Identity, want: bool) -> Option<PartMatch> {
    if !p.nom_full.is_empty() && p.same_nom_full(a) && !p.same_nom_key(a) {
        // One side wrote the particle apart (`LE ROUX` / `LEROUX`).
        return Some(PartMatch {
            score: 40,
            evidence: if want {
                format!("nom : {} / {} (accents ou ponctuation)", p.nom, a.nom)
            } else {
                String::new()
            },
            difference: None,
            distinct: false,
        });
    }
    compare_part("nom", p.nom_part(), a.nom_part(), 40, want)
}

fn compare_prenom(p: &Identity, a: &Identity, want: bool) -> Option<PartMatch> {
    compare_part("prénom", p.prenom_part(), a.prenom_part(), 30, want)
}

fn compare_names(p: &Identity, a: &Identity, want: bool) -> Option<NameMatch> {
    let nom = compare_nom(p, a, want);
    let prenom = nom.as_ref().and_then(|_| compare_prenom(p, a, want));
    if let (Some(nom), Some(prenom)) = (nom, prenom) {
        // Scoring alone (`want` false) allocates nothing.
        let (evidence, differences) = if want {
            let evidence = if nom.evidence == "même nom" && prenom.evidence == "même prénom" {
                vec!["même nom et même prénom".to_owned()]
            } else {
                vec![nom.evidence, prenom.evidence]
            };
            let differences = nom
                .difference
                .into_iter()
                .chain(prenom.difference)
                .collect();
            (evidence, differences)
        } else {
            (Vec::new(), Vec::new())
        };
        return Some(NameMatch {
            score: nom.score + prenom.score,
            evidence,
            differences,
            distinct_prenoms: prenom.distinct,
        });
    }
    // Nom and prénom swapped on one side (possibly with a typo as well). A swap keeps the first
    // letter of one part at least: that cheap test spares the comparison to most pairs.
    let first = |text: &str| text.as_bytes().first().copied();
    if p.nom_key.is_empty()
        || p.prenom_key.is_empty()
        || (p.nom_hash == p.prenom_hash && p.nom_key == p.prenom_key)
        || (first(&p.nom_key) != first(&a.prenom_key) && first(&p.prenom_key) != first(&a.nom_key))
    {
        return None;
    }
    let crossed_nom = compare_part("nom", p.nom_part(), a.prenom_part(), 40, false)?;
    let crossed_prenom = compare_part("prénom", p.prenom_part(), a.nom_part(), 30, false)?;
    if crossed_nom.distinct || crossed_prenom.distinct {
        return None;
    }
    let exact = p.nom_key == a.prenom_key && p.prenom_key == a.nom_key;
    let score = (crossed_nom.score + crossed_prenom.score) * 92 / 100;
    if !want {
        return Some(NameMatch {
            score,
            evidence: Vec::new(),
            differences: Vec::new(),
            distinct_prenoms: false,
        });
    }
    let mut text = format!(
        "nom et prénom inversés : {} {} / {} {}",
        p.nom, p.prenom, a.nom, a.prenom
    );
    if !exact {
        text.push_str(" (et une faute de frappe)");
    }
    Some(NameMatch {
        score,
        evidence: vec![text],
        differences: vec![format!(
            "nom et prénom inversés : {} {} (PRONOTE) / {} {} (ENT)",
            p.nom, p.prenom, a.nom, a.prenom
        )],
        distinct_prenoms: false,
    })
}

/// Whether two children's names (folded words, sorted) are one child's: each word of the shorter
/// name matched by a word of the other at most one letter away, in any order (`PIERRE THITIN`
/// is `PIERRE-LOUIS THITIN` with the compound prénom cut).
fn same_child(a: &[Word], b: &[Word]) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if a.len() < 2 || b.len() > a.len() + 1 {
        return false;
    }
    // The words of `b` already matched, as bits (a child's name has far fewer than 64 words).
    let mut used = 0u64;
    a.iter().all(|word| {
        let found = b
            .iter()
            .enumerate()
            .take(64)
            .find(|(j, other)| used & (1 << j) == 0 && close_words(word, other));
        match found {
            Some((j, _)) => {
                used |= 1 << j;
                true
            }
            None => false,
        }
    })
}

/// Two words of a child's name typed by two people: one mistake, or two in a long word.
fn close_words(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // Cheap tests first: two edits change the length by two at most, and the letters by two.
    if a.len().abs_diff(b.len()) > 2 || letters_in_common(a, b) + 2 < a.len().max(b.len()) {
        return false;
    }
    // One mistake is a typo (FRANÇOIS / FRANÇIS, a nom that is also a prénom); two are only
    // when neither word is a prénom (Nathan and Ethan are two children).
    let distance = osa_distance(a, b);
    distance <= 1
        || (distance == 2
            && a.len().min(b.len()) >= 5
            && !prenoms::is_known(a)
            && !prenoms::is_known(b))
}

/// How many children of `p` have no match in `a`.
fn children_missing(p: &[Vec<Word>], a: &[Vec<Word>]) -> usize {
    p.iter()
        .filter(|child| !a.iter().any(|other| same_child(child, other)))
        .count()
}

/// The first child of `p` that `a` has too.
fn children_overlap<'c>(p: &'c [Vec<Word>], a: &[Vec<Word>]) -> Option<&'c [Word]> {
    p.iter()
        .find(|child| a.iter().any(|other| same_child(child, other)))
        .map(Vec::as_slice)
}

/// Which fields of this pair of exports can be compared. A field written one way in PRONOTE
/// and another in the ENT (`3A` / `3e1`) would contradict every true pair: it is then ignored.
#[derive(Clone, Copy, Debug)]
struct Comparable {
    classes: bool,
    children: bool,
}

impl Default for Comparable {
    fn default() -> Self {
        Self {
            classes: true,
            children: true,
        }
    }
}

/// Scores one (row, account) pair; `None` when the names do not match at all.
fn score_pair(p: &Identity, a: &Identity, want: bool, fields: Comparable) -> Option<Candidate> {
    let names = compare_names(p, a, want)?;
    Some(score_fields(names, p, a, want, fields))
}

/// Adds the evidence of every field beyond the names.
fn score_fields(
    names: NameMatch,
    p: &Identity,
    a: &Identity,
    want: bool,
    fields: Comparable,
) -> Candidate {
    let mut score = names.score;
    let mut evidence = Vec::new();
    let mut differences = names.differences;
    let mut contradictions = Vec::new();
    let mut support = 0;
    // Texts are only written for the pairs kept as candidates (`want`): scoring stays cheap.
    macro_rules! note {
        ($list:ident, $($arg:tt)*) => {
            if want {
                $list.push(format!($($arg)*));
            }
        };
    }
    if let (Some(pb), Some(ab)) = (p.birth, a.birth) {
        if pb == ab {
            score += 30;
            support |= SUPPORT_BIRTH;
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
            note!(
                contradictions,
                "dates de naissance différentes : {pb} (PRONOTE) / {ab} (ENT)"
            );
        }
    }
    if fields.children && !p.children.is_empty() && !a.children.is_empty() {
        match children_overlap(&p.children, &a.children) {
            Some(child) => {
                // The same children on both sides separate two namesake parents who share one
                // child's name: each child missing on one side weighs a little.
                let missing = children_missing(&p.children, &a.children)
                    + children_missing(&a.children, &p.children);
                score += if missing == 0 {
                    35
                } else {
                    25 - 5 * missing.min(3) as i32
                };
                support |= SUPPORT_CHILD;
                if want {
                    let child = child.join(" ").to_uppercase();
                    if missing == 0 && p.children.len() > 1 {
                        evidence.push(format!("mêmes enfants : {child}…"));
                    } else {
                        evidence.push(format!("même enfant : {child}"));
                    }
                }
            }
            None => {
                score -= 25;
                note!(evidence, "aucun enfant en commun");
                note!(contradictions, "aucun enfant en commun");
            }
        }
    }
    if fields.classes && !p.classes.is_empty() && !a.classes.is_empty() {
        if let Some(class) = p.classes.iter().find(|c| a.classes.contains(c)) {
            score += 10;
            support |= SUPPORT_CLASS;
            note!(evidence, "même classe ({})", class.to_uppercase());
        } else {
            score -= 10;
            let text = || {
                format!(
                    "classes différentes ({} / {})",
                    p.classes.join(", ").to_uppercase(),
                    a.classes.join(", ").to_uppercase()
                )
            };
            if want {
                evidence.push(text());
                contradictions.push(text());
            }
        }
    }
    if !p.email_local.is_empty() && !a.email_local.is_empty() && p.email_local == a.email_local {
        score += 25;
        support |= SUPPORT_EMAIL;
        note!(evidence, "même adresse e-mail");
    }
    if !p.code_postal.is_empty() && p.code_postal == a.code_postal {
        score += 5;
        note!(evidence, "même code postal ({})", p.code_postal);
    }
    if p.is_row && fits_login_rule(p, &a.login) {
        score += 5;
        note!(
            evidence,
            "identifiant ENT conforme à la règle prenom.nom ({})",
            login_base(&a.login)
        );
    }
    if want {
        evidence.splice(0..0, names.evidence);
    }
    Candidate {
        account: 0,
        score,
        evidence,
        differences,
        contradictions,
        support,
        distinct_prenoms: names.distinct_prenoms,
        name_score: names.score,
    }
}

/// A stored login's account whose nom is entirely different but whose prénom is the row's,
/// with a birth date, a child or an e-mail in common: a nom d'usage (marriage) on one side.
fn score_usage_name(p: &Identity, a: &Identity, fields: Comparable) -> Option<Candidate> {
    let prenom = compare_prenom(p, a, true)?;
    if prenom.distinct || prenom.difference.is_some() {
        return None;
    }
    let names = NameMatch {
        score: 30,
        evidence: vec![format!(
            "même prénom, nom différent : {} / {} (nom d'usage ?)",
            p.nom, a.nom
        )],
        differences: vec![format!("nom : {} (PRONOTE) / {} (ENT)", p.nom, a.nom)],
        distinct_prenoms: false,
    };
    let candidate = score_fields(names, p, a, true, fields);
    (candidate.support & (SUPPORT_BIRTH | SUPPORT_CHILD | SUPPORT_EMAIL) != 0
        && candidate.contradictions.is_empty())
    .then_some(candidate)
}

/// What the candidate search of one row reads.
struct CandidateContext<'a> {
    ent: &'a EntDirectory,
    accounts: &'a AccountIdentities<'a>,
    /// The [`Sieve`] of every account, side by side, by position (as `accounts`).
    sieves: &'a [Sieve],
    /// The positions of the accounts under each key.
    index: &'a BlockIndex,
    account_groups: &'a [Vec<u8>],
    fields: Comparable,
}

impl CandidateContext<'_> {
    /// The scored candidates of one row, best first, and whether the stored login's account is
    /// among them only because it is stored. `seen` is a buffer kept from row to row, of
    /// accounts' positions (see [`AccountIdentities`]).
    fn candidates(&self, table: &Table, row: usize, seen: &mut Vec<usize>) -> (Vec<Scored>, bool) {
        let group = group_of_list(table.list);
        let id = Identity::from_row(table, row);
        seen.clear();
        for key in query_keys(&id, group) {
            if let Some(block) = self.index.get(key)
                && block.len() <= MAX_BLOCK
            {
                seen.extend(block.iter().map(|&i| i as usize));
            }
        }
        let mut stored_only = None;
        if !id.login.is_empty()
            && let Some(i) = self.ent.account_by_lowercase_login(&id.login)
            && self.account_groups[i].contains(&group)
        {
            let position = self.accounts.position_of[i] as usize;
            if !seen.contains(&position) {
                stored_only = Some(i);
            }
            seen.push(position);
        }
        seen.sort_unstable();
        seen.dedup();
        // Scores only (no evidence text): the texts are written for the outcomes that show
        // them ([`settle`]), a few per row.
        let sieve = Sieve::of(&id);
        let mut found: Vec<Scored> = seen
            .iter()
            .filter(|&&position| sieve.may_match(&self.sieves[position]))
            .filter_map(|&position| {
                let account = self.accounts.account_at[position] as usize;
                score_pair(&id, self.accounts.at(position), false, self.fields)
                    .filter(|c| c.score >= CANDIDATE_SCORE)
                    .map(|c| Scored::of(account, &c))
            })
            .collect();
        found.sort_by(|a, b| b.score.cmp(&a.score).then(a.account.cmp(&b.account)));
        let pushed = stored_only.is_some_and(|i| found.iter().any(|c| c.account == i));
        (found, pushed)
    }
}

/// Decides from pairs of unique, exactly named people whether classes and children are written
/// alike in PRONOTE and in the ENT (see [`Comparable`]).
fn comparable_fields(
    tables: &[Table],
    accounts: &AccountIdentities,
    groups: &[Vec<u8>],
) -> Comparable {
    // A sample of the rows is enough: every row of a large base would only cost time. Their
    // identities are folded on every core.
    let sampled: Vec<(usize, usize)> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| {
            let step = (table.rows.len() / 3000).max(1);
            (0..table.rows.len()).step_by(step).map(move |r| (t, r))
        })
        .collect();
    let sample: Vec<(u8, Identity)> = par_map(sampled.len(), |range| {
        sampled[range]
            .iter()
            .map(|&(t, r)| {
                let table = &tables[t];
                (group_of_list(table.list), Identity::from_row(table, r))
            })
            .collect()
    });
    // The account of each sampled name, when exactly one bears it in the row's group (`None`
    // when several do): only the sampled names are looked up, in a map that stays small,
    // rather than every account's name gathered in one.
    let mut by_name: rustc_hash::FxHashMap<(u8, &str, &str), Option<Option<usize>>> =
        Default::default();
    for (group, p) in &sample {
        by_name.insert((*group, p.nom_key.as_str(), p.prenom_key.as_str()), None);
    }
    for (position, id) in accounts.by_position.iter().enumerate() {
        let i = accounts.account_at[position] as usize;
        for &group in &groups[i] {
            if let Some(slot) =
                by_name.get_mut(&(group, id.nom_key.as_str(), id.prenom_key.as_str()))
            {
                *slot = match slot {
                    None => Some(Some(i)),
                    Some(_) => Some(None),
                };
            }
        }
    }
    let (mut classes, mut classes_agree, mut children, mut children_agree) = (0, 0, 0, 0);
    for (group, p) in &sample {
        let Some(Some(Some(i))) = by_name.get(&(*group, p.nom_key.as_str(), p.prenom_key.as_str()))
        else {
            continue;
        };
        let a = &accounts[*i];
        if !p.classes.is_empty() && !a.classes.is_empty() {
            classes += 1;
            if p.classes.iter().any(|c| a.classes.contains(c)) {
                classes_agree += 1;
            }
        }
        if !p.children.is_empty() && !a.children.is_empty() {
            children += 1;
            if children_overlap(&p.children, &a.children).is_some() {
                children_agree += 1;
            }
        }
    }
    // Few pairs say nothing either way: compare. Many pairs that mostly disagree: the two
    // exports write the field differently.
    let alike = |total: usize, agree: usize| total < 20 || agree * 2 >= total;
    Comparable {
        classes: alike(classes, classes_agree),
        children: alike(children, children_agree),
    }
}

/// Whether two names are a few typing mistakes apart, part by part (or crossed): enough for a
/// stored login to be kept, never enough to link one.
fn loosely_similar(p: &Identity, a: &Identity) -> bool {
    fn close(x: &str, y: &str, prenoms: bool) -> bool {
        if x == y {
            return true;
        }
        if x.is_empty() || y.is_empty() {
            return false;
        }
        let shortest = x.len().min(y.len());
        let distance = osa_distance(x, y);
        if prenoms && distance > 1 && prenoms::are_distinct(x, y) {
            return false;
        }
        (shortest >= 3 && distance <= 1)
            || (shortest >= 5 && distance <= 2 && letters_in_common(x, y) + 1 >= shortest)
    }
    let direct = close(&p.nom_key, &a.nom_key, false) && close(&p.prenom_key, &a.prenom_key, true);
    let crossed = close(&p.nom_key, &a.prenom_key, false) && close(&p.prenom_key, &a.nom_key, true);
    direct || crossed
}

/// A login without the number Open ENT NG appends for namesakes (`lea.martin2` → `lea.martin`).
fn login_base(login: &str) -> &str {
    login.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Whether the nom or the prénom is alike (same folded key, or one typing mistake apart).
fn half_similar(p: &Identity, a: &Identity) -> bool {
    let alike = |x: &str, y: &str| !x.is_empty() && (x == y || osa_distance(x, y) <= 1);
    alike(&p.nom_key, &a.nom_key)
        || p.nom_full == a.nom_full
        || alike(&p.prenom_key, &a.prenom_key)
        || alike(&p.nom_key, &a.prenom_key)
        || alike(&p.prenom_key, &a.nom_key)
}

/// Whether two accounts bear the same folded name (homonyms), in either order.
fn homonyms(a: &Identity, b: &Identity) -> bool {
    let same_nom = a.nom_key == b.nom_key || a.nom_full == b.nom_full;
    (same_nom && a.prenom_key == b.prenom_key)
        || (a.nom_key == b.prenom_key && a.prenom_key == b.nom_key)
}

/// The profile groups that may hold the same person's login: a list's own, and Professeurs with
/// Personnels (a documentaliste may be either).
fn compatible_groups(group: u8, account_groups: &[u8]) -> bool {
    account_groups.contains(&group)
        || (matches!(group, 2 | 3) && account_groups.iter().any(|g| matches!(g, 2 | 3)))
}

/// Every account's identity, in an order of the accounts that puts alike names side by side
/// (by prénom, then nom): the order of the candidate search's index and sieves, and of the
/// identities themselves. The candidates of a row are mostly accounts of its prénom, whose
/// sieves and identities are then read one after the other instead of at random among a
/// département's 120,000 (the search was mostly waiting for memory); the rows are searched in
/// the same order ([`name_order`]), so that one row's accounts are near the previous row's.
/// The same export sorted by login took « candidats » from 588 to 470 ms, and the lists sorted
/// by prénom as well to 367 ms: this order makes any export and lists behave like that.
struct AccountIdentities<'a> {
    /// The identities, by position.
    by_position: Vec<Identity<'a>>,
    /// The account at each position.
    account_at: Vec<u32>,
    /// The position of each account.
    position_of: Vec<u32>,
}

impl<'a> AccountIdentities<'a> {
    fn of(ent: &'a EntDirectory) -> Self {
        let keys: Vec<(u64, u64)> = par_map(ent.accounts.len(), |range| {
            let mut folded = String::new();
            ent.accounts[range]
                .iter()
                .map(|a| name_order(&mut folded, &a.prenom, &a.nom))
                .collect()
        });
        // An export has far fewer than 4 billion accounts.
        let mut order: Vec<((u64, u64), u32)> = keys.into_iter().zip(0..).collect();
        order.sort_unstable();
        let account_at: Vec<u32> = order.into_iter().map(|(_, i)| i).collect();
        let mut position_of = vec![0u32; account_at.len()];
        for (position, &account) in account_at.iter().enumerate() {
            position_of[account as usize] = position as u32;
        }
        // Written where they stay: the largest array of the analysis.
        let by_position: Vec<Identity> = par_collect(account_at.len(), |position| {
            Identity::from_account(&ent.accounts[account_at[position] as usize])
        });
        Self {
            by_position,
            account_at,
            position_of,
        }
    }

    fn len(&self) -> usize {
        self.by_position.len()
    }

    /// The identity at `position`.
    fn at(&self, position: usize) -> &Identity<'a> {
        &self.by_position[position]
    }
}

/// Where a person goes in the name order of [`AccountIdentities`]: the first letters of the
/// prénom, then of the nom, folded (`folded` is a buffer kept from call to call). Only the
/// speed of the search depends on it, never its results.
fn name_order(folded: &mut String, prenom: &str, nom: &str) -> (u64, u64) {
    let mut start = |text: &str| {
        folded.clear();
        crate::model::fold::push_fold_compact(folded, text);
        let mut bytes = [0u8; 8];
        for (slot, byte) in bytes.iter_mut().zip(folded.bytes()) {
            *slot = byte;
        }
        u64::from_be_bytes(bytes)
    };
    (start(prenom), start(nom))
}

impl<'a> std::ops::Index<usize> for AccountIdentities<'a> {
    type Output = Identity<'a>;

    /// The identity of account number `account`.
    fn index(&self, account: usize) -> &Identity<'a> {
        &self.by_position[self.position_of[account] as usize]
    }
}

/// The account identities a judgement reads: all of them, or only those a few rows need.
enum Accounts<'a> {
    All(&'a AccountIdentities<'a>),
    Some(HashMap<usize, Identity<'a>>),
}

impl<'a> Accounts<'a> {
    fn get(&self, account: usize) -> &Identity<'a> {
        match self {
            Self::All(all) => &all[account],
            // `rejudge` folds every account its rows can reach before judging them.
            Self::Some(some) => &some[&account],
        }
    }
}

/// Everything the judgement of stored logins reads.
struct Judge<'a> {
    tables: &'a [Table],
    ent: &'a EntDirectory,
    accounts: Accounts<'a>,
    memo: &'a Memo,
}

impl Judge<'_> {
    /// Judges the stored Identifiant CAS of one row; with the pair's comparison when it has one.
    fn judge(&self, t: usize, row: usize) -> (StoredLogin, Option<Candidate>) {
        let table = &self.tables[t];
        let cas = table.cas_id(row);
        if cas.is_empty() {
            return (StoredLogin::Empty, None);
        }
        let group = group_of_list(table.list);
        if self.ent.is_duplicate_login(cas) {
            return (StoredLogin::DuplicateInEnt, None);
        }
        let Some(account) = self.ent.account_by_login(cas) else {
            if !self.memo.exported_groups[usize::from(group)] {
                return (StoredLogin::ProfileNotExported, None);
            }
            return (StoredLogin::NotInEnt, None);
        };
        let other = |reasons: Vec<String>, owner: Option<(usize, usize)>| StoredLogin::Other {
            account,
            reasons,
            owner,
            swapped_with: None,
        };
        let unsure = |reason: String, alternatives: Vec<usize>| StoredLogin::Unsure {
            account,
            reason,
            alternatives,
        };
        if !compatible_groups(group, &self.memo.account_groups[account]) {
            let profile = self.ent.accounts[account]
                .profile
                .map_or("autre", |p| p.label());
            return (
                other(
                    vec![format!(
                        "profil différent : compte ENT « {profile} », liste {}",
                        table.list.label()
                    )],
                    self.memo.identity_row[account],
                ),
                None,
            );
        }
        if self.memo.identity_account[t][row] == Some(account) {
            // The row's identity designates this very account, with a lead on both sides.
            return (StoredLogin::Confirmed { account }, None);
        }
        let p = Identity::from_row(table, row);
        let a = self.accounts.get(account);
        let pair = score_pair(&p, a, true, self.memo.fields)
            .or_else(|| score_usage_name(&p, a, self.memo.fields))
            .map(|mut c| {
                c.account = account;
                c
            });
        let Some(pair) = pair.or_else(|| {
            // Names too far apart to link on, but close enough that the stored login (which
            // PRONOTE once matched) outweighs them, unless something contradicts.
            loosely_similar(&p, a).then(|| {
                let names = NameMatch {
                    score: 50,
                    evidence: vec![format!(
                        "noms proches : {} {} / {} {} (fautes de frappe)",
                        p.nom, p.prenom, a.nom, a.prenom
                    )],
                    differences: vec![format!(
                        "nom et prénom : {} {} (PRONOTE) / {} {} (ENT)",
                        p.nom, p.prenom, a.nom, a.prenom
                    )],
                    distinct_prenoms: prenoms::are_distinct(&p.prenom_key, &a.prenom_key),
                };
                let mut c = score_fields(names, &p, a, true, self.memo.fields);
                c.account = account;
                c
            })
        }) else {
            let reason = format!(
                "noms différents : {} {} (PRONOTE) / {} {} (ENT)",
                p.nom, p.prenom, a.nom, a.prenom
            );
            // Nom and prénom both unlike the account's, or the account clearly another row's:
            // somebody else. One of them alike (a sibling? a typo?): a person decides.
            let owner = self.memo.identity_row[account].filter(|&o| o != (t, row));
            if owner.is_some() || !half_similar(&p, a) {
                return (other(vec![reason], owner), None);
            }
            return (unsure(reason, Vec::new()), None);
        };
        if !pair.contradictions.is_empty() {
            return (
                other(pair.contradictions.clone(), self.memo.identity_row[account]),
                Some(pair),
            );
        }
        if let Some(owner) = self.memo.identity_row[account]
            && owner != (t, row)
        {
            // Another row is the account's by identity. It is clearly the owner when it has
            // evidence beyond the names that this row lacks; on names alone (an exact namesake
            // against a typo on the row holding the login), a person decides.
            let (owner_support, owner_fields) = self.memo.candidates[owner.0][owner.1]
                .iter()
                .find(|c| c.account == account)
                .map_or((0, 0), |c| (c.support, c.score - c.name_score));
            let label = row_label(&self.tables[owner.0], owner.1);
            if owner_support & !pair.support != 0 || owner_fields > pair.score - pair.name_score {
                return (
                    other(
                        vec![format!("ce compte correspond mieux à {label}")],
                        Some(owner),
                    ),
                    Some(pair),
                );
            }
            return (
                unsure(
                    format!(
                        "{label} a le même nom que ce compte, sans autre preuve qui la désigne"
                    ),
                    Vec::new(),
                ),
                Some(pair),
            );
        }
        if let Some(own) = self.memo.identity_account[t][row]
            && own != account
        {
            let own_id = self.accounts.get(own);
            let login = &self.ent.accounts[own].login;
            if homonyms(own_id, a) {
                return (
                    other(
                        vec![format!(
                            "homonymes dans l'ENT : l'identité de la ligne désigne l'autre compte « {login} »"
                        )],
                        None,
                    ),
                    Some(pair),
                );
            }
            return (
                unsure(
                    format!("l'identité de la ligne désigne plutôt le compte « {login} »"),
                    vec![own],
                ),
                Some(pair),
            );
        }
        if pair.distinct_prenoms {
            return (
                unsure(
                    format!(
                        "prénoms différents ({} / {}) : deux personnes (jumeaux ?) ou une faute \
                         de frappe",
                        p.prenom, a.prenom
                    ),
                    Vec::new(),
                ),
                Some(pair),
            );
        }
        // Other rows that fit this account as well (PRONOTE homonyms), or much better.
        let mut rivals = Vec::new();
        for (ot, or, score) in self.memo.account_rows.of(account) {
            // A row whose identity designates another account, with a clear lead over this one,
            // is that account's person: no rival (LE ROUX Laurence, linked to her own account,
            // does not take ROUX Laurence's from ROU Laurence, who holds it with her children).
            if (ot, or) == (t, row)
                || self.memo.identity_account[ot][or].is_some_and(|a| a != account)
            {
                continue;
            }
            if score >= pair.score + MARGIN {
                return (
                    other(
                        vec![format!(
                            "ce compte correspond mieux à {}",
                            row_label(&self.tables[ot], or)
                        )],
                        Some((ot, or)),
                    ),
                    Some(pair),
                );
            }
            if score > pair.score - MARGIN {
                rivals.push(row_label(&self.tables[ot], or));
            }
        }
        // Other accounts that fit this row as well (ENT homonyms).
        let alternatives: Vec<usize> = self.memo.candidates[t][row]
            .iter()
            .filter(|c| c.account != account && c.score > pair.score - MARGIN)
            .map(|c| c.account)
            .collect();
        if !alternatives.is_empty() {
            let logins: Vec<&str> = alternatives
                .iter()
                .map(|&i| self.ent.accounts[i].login.as_str())
                .collect();
            return (
                unsure(
                    format!(
                        "homonymes dans l'ENT ({}) : rien ne les distingue (date de naissance, \
                         classe, enfants, e-mail)",
                        logins.join(", ")
                    ),
                    alternatives,
                ),
                Some(pair),
            );
        }
        if !rivals.is_empty() {
            return (
                unsure(
                    format!(
                        "homonymes dans PRONOTE ({}) : rien ne dit laquelle de ces fiches est \
                         ce compte",
                        rivals.join(", ")
                    ),
                    Vec::new(),
                ),
                Some(pair),
            );
        }
        (StoredLogin::Confirmed { account }, Some(pair))
    }
}

/// Reconciles every row of `tables` with the accounts of `ent`.
///
/// Rows and accounts are first paired on identity alone (a stored login weighs nothing there, so
/// that two homonyms who exchanged logins are not paired by them); then each stored login is
/// judged on all the evidence ([`StoredLogin`]).
pub fn reconcile(tables: &[Table], ent: &EntDirectory) -> Reconciliation {
    reconcile_with(tables, ent, Extent::All)
}

/// [`reconcile`], keeping what [`rejudge`] needs to follow edits: the window's.
pub fn reconcile_for_edits(tables: &[Table], ent: &EntDirectory) -> Reconciliation {
    reconcile_with(tables, ent, Extent::Edits)
}

/// [`reconcile`] for what the reports show ([`Extent::Reports`]): the command line's.
pub fn reconcile_for_reports(tables: &[Table], ent: &EntDirectory) -> Reconciliation {
    reconcile_with(tables, ent, Extent::Reports)
}

/// What a reconciliation writes and keeps beyond the outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Extent {
    /// The texts the reports show. A row whose stored login its identity link confirms (most
    /// rows of a base in use) has no finding: its link carries the stored login as its only
    /// evidence, without the texts of each field or the differences (a département's 60,000
    /// such rows were a fifth of the analysis, for texts no report prints).
    Reports,
    /// Every text of every shown candidate.
    All,
    /// Every text, and what [`rejudge`] needs to follow edits.
    Edits,
}

fn reconcile_with(tables: &[Table], ent: &EntDirectory, extent: Extent) -> Reconciliation {
    let for_edits = extent == Extent::Edits;
    let texts = extent != Extent::Reports;
    let phase = Phase::start("identités des comptes");
    let accounts = AccountIdentities::of(ent);
    let account_groups: Vec<Vec<u8>> = par_map(ent.accounts.len(), |range| {
        ent.accounts[range].iter().map(groups_of_account).collect()
    });
    let fields = comparable_fields(tables, &accounts, &account_groups);
    phase.end();
    let phase = Phase::start("index des comptes");
    // The keys of every account on every core, in the order of the positions (see
    // `AccountIdentities`), then indexed.
    let keys: Vec<Vec<u64>> = par_map(accounts.len(), |range| {
        range
            .map(|position| {
                let i = accounts.account_at[position] as usize;
                if ent.is_duplicate_account(i) {
                    return Vec::new();
                }
                account_groups[i]
                    .iter()
                    .flat_map(|&group| index_keys(accounts.at(position), group))
                    .collect()
            })
            .collect()
    });
    let positions: Vec<u32> = (0..keys.len() as u32).collect();
    let index = BlockIndex::of(&keys, &positions);
    drop(positions);
    drop(keys);
    let family = if for_edits {
        let _phase = Phase::start("familles de comptes");
        families(ent, &accounts)
    } else {
        Vec::new()
    };
    phase.end();
    let phase = Phase::start("candidats");
    let sieves: Vec<Sieve> = accounts.by_position.iter().map(Sieve::of).collect();
    // Candidates of every row, best first, computed on every core (the index is read-only).
    let context = CandidateContext {
        ent,
        accounts: &accounts,
        sieves: &sieves,
        index: &index,
        account_groups: &account_groups,
        fields,
    };
    // The longest phase of a loading: the window's loading screen follows it row by row.
    let progress = SharedProgress::new(tables.iter().map(|t| t.rows.len()).sum());
    let (candidates, pushed): (Vec<Vec<Vec<Scored>>>, Vec<Vec<bool>>) = tables
        .iter()
        .map(|table| {
            // The rows searched in the accounts' name order (see `AccountIdentities`), then
            // their results put back in row order.
            let keys: Vec<(u64, u64)> = par_map(table.rows.len(), |range| {
                let mut folded = String::new();
                range
                    .map(|r| name_order(&mut folded, table.prenom(r), table.nom(r)))
                    .collect()
            });
            let mut order: Vec<((u64, u64), u32)> = keys.into_iter().zip(0..).collect();
            order.sort_unstable();
            let order: Vec<usize> = order.into_iter().map(|(_, r)| r as usize).collect();
            let mut found: Vec<(Vec<Scored>, bool)> = par_map(order.len(), |range| {
                let mut seen = Vec::new();
                order[range]
                    .iter()
                    .map(|&row| {
                        progress.tick();
                        context.candidates(table, row, &mut seen)
                    })
                    .collect()
            });
            // The k-th result is row `order[k]`'s.
            permute(&mut found, &order);
            found.into_iter().unzip()
        })
        .unzip();
    drop(index);
    drop(sieves);
    phase.end();
    let phase = Phase::start("liens par l'identité");
    // The best and second-best row of every account, and every row that has it as a candidate.
    let mut best_rows: Vec<[Option<i32>; 2]> = vec![[None, None]; accounts.len()];
    let mut best_row_of: Vec<Option<(usize, usize)>> = vec![None; accounts.len()];
    let account_rows = AccountRows::of_candidates(&candidates, accounts.len());
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
    // Identity links: a clear lead on both sides, and prénoms that are one name.
    let mut identity_row: Vec<Option<(usize, usize)>> = vec![None; accounts.len()];
    let identity_account: Vec<Vec<Option<usize>>> = candidates
        .iter()
        .enumerate()
        .map(|(t, rows)| {
            rows.iter()
                .enumerate()
                .map(|(r, found)| {
                    let best = found.first()?;
                    let runner_up = found.get(1).map(|c| c.score);
                    let [_, account_second] = best_rows[best.account];
                    let row_lead = runner_up.is_none_or(|s| best.score - s >= MARGIN);
                    let account_lead = best_row_of[best.account] == Some((t, r))
                        && account_second.is_none_or(|s| best.score - s >= MARGIN);
                    (best.score >= LINK_SCORE && row_lead && account_lead && !best.distinct_prenoms)
                        .then(|| {
                            identity_row[best.account] = Some((t, r));
                            best.account
                        })
                })
                .collect()
        })
        .collect();
    let mut exported_groups = [false; 4];
    for groups in &account_groups {
        for &g in groups {
            exported_groups[usize::from(g)] = true;
        }
    }
    let memo = Memo {
        fields,
        exported_groups,
        account_groups,
        candidates,
        pushed,
        account_rows,
        identity_row,
        identity_account,
        family,
    };
    phase.end();
    let phase = Phase::start("jugement des identifiants");
    let judge = Judge {
        tables,
        ent,
        accounts: Accounts::All(&accounts),
        memo: &memo,
    };
    let every_row: Vec<(usize, usize)> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| (0..table.rows.len()).map(move |r| (t, r)))
        .collect();
    // Written where they stay: built in chunks and copied, the judgements were the peak of a
    // département's memory.
    let mut judged: Vec<(StoredLogin, Option<Candidate>)> = par_collect(every_row.len(), |i| {
        let (t, r) = every_row[i];
        judge.judge(t, r)
    });
    phase.end();
    let phase = Phase::start("homonymes inversés");
    judge.mark_swaps(&every_row, &mut judged);
    drop(every_row);
    phase.end();
    let _phase = Phase::start("résultats");
    // The peak of a département's memory is in this phase: the accounts' identities (60 MB)
    // go first, and each shown candidate's identity is folded again for its evidence (most
    // rows show one). Kept instead, they raised the peak by 40 MB and made the phase slower:
    // the evidence texts then take fresh memory rather than theirs.
    drop(judge);
    drop(accounts);
    let mut linked_row = memo.identity_row.clone();
    // The outcomes, list by list, on every core, with the evidence of the candidates they
    // show; each confirmed pair is taken from its judgement (not copied).
    let mut first_row = 0;
    let settled: Vec<Vec<(MatchOutcome, Option<usize>)>> = tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            let start = first_row;
            first_row += table.rows.len();
            // Written where they stay (see `par_fill`).
            let mut settled: Vec<(MatchOutcome, Option<usize>)> =
                std::iter::repeat_with(Default::default)
                    .take(table.rows.len())
                    .collect();
            par_fill_zip(
                &mut judged[start..first_row],
                &mut settled,
                |first, judged, slots| {
                    for (k, ((judgement, pair), slot)) in
                        judged.iter_mut().zip(slots.iter_mut()).enumerate()
                    {
                        let r = first + k;
                        let evidence = |found: &[Scored]| {
                            let p = Identity::from_row(table, r);
                            with_evidence(&p, found, fields, ent)
                        };
                        let identity = memo.identity_account[t][r];
                        let found = &memo.candidates[t][r];
                        *slot = settle(
                            ent,
                            found,
                            evidence,
                            judgement,
                            pair.take(),
                            identity,
                            texts,
                        );
                    }
                },
            );
            settled
        })
        .collect();
    // What only the window's edits need goes now, before the outcomes are put in place.
    let memo = for_edits.then(|| Arc::new(memo));
    let mut judged = judged.into_iter().map(|(judgement, _)| judgement);
    let stored: Vec<Vec<StoredLogin>> = tables
        .iter()
        .map(|table| judged.by_ref().take(table.rows.len()).collect())
        .collect();
    drop(judged);
    // Each list's outcomes take the place of its settled pairs (no second copy).
    let outcomes: Vec<Vec<MatchOutcome>> = settled
        .into_iter()
        .enumerate()
        .map(|(t, rows)| {
            rows.into_iter()
                .enumerate()
                .map(|(r, (outcome, confirmed))| {
                    if let Some(account) = confirmed {
                        linked_row[account] = Some((t, r));
                    }
                    outcome
                })
                .collect()
        })
        .collect();
    Reconciliation {
        outcomes,
        stored,
        linked_row,
        is_candidate,
        memo,
    }
}

/// The outcome of a row from its candidates and the judgement of its stored login; with the
/// account its stored login links it to, beyond its identity link.
///
/// `found` are the row's candidates, and `evidence` writes the texts of some of them: only
/// the candidates the outcome shows are written, and without `texts` not those of an identity
/// link that the stored login confirms ([`Extent::Reports`]).
fn settle(
    ent: &EntDirectory,
    found: &[Scored],
    evidence: impl FnOnce(&[Scored]) -> Vec<Candidate>,
    judgement: &StoredLogin,
    pair: Option<Candidate>,
    identity_account: Option<usize>,
    texts: bool,
) -> (MatchOutcome, Option<usize>) {
    let stored_evidence = |account: usize| {
        format!(
            "l'identifiant CAS actuel est cet identifiant ENT ({})",
            ent.accounts[account].login
        )
    };
    if let (StoredLogin::Confirmed { account }, Some(mut pair)) = (judgement, pair) {
        pair.evidence.insert(0, stored_evidence(*account));
        return (MatchOutcome::Linked(pair), Some(*account));
    }
    if found.is_empty() {
        return (MatchOutcome::NoCandidate, None);
    }
    let outcome = if let Some(account) = identity_account {
        let i = found.iter().position(|c| c.account == account).unwrap_or(0);
        if !texts
            && *judgement == (StoredLogin::Confirmed { account })
            && let Some(best) = found.get(i).filter(|c| c.account == account)
        {
            let linked = Candidate {
                account,
                score: best.score,
                evidence: vec![stored_evidence(account)],
                differences: Vec::new(),
                contradictions: Vec::new(),
                support: best.support,
                distinct_prenoms: best.distinct_prenoms,
                name_score: best.name_score,
            };
            return (MatchOutcome::Linked(linked), None);
        }
        match evidence(&found[i..=i]).pop() {
            Some(mut linked) => {
                if *judgement == (StoredLogin::Confirmed { account }) {
                    linked.evidence.insert(0, stored_evidence(account));
                }
                MatchOutcome::Linked(linked)
            }
            None => MatchOutcome::NoCandidate,
        }
    } else {
        MatchOutcome::Ambiguous(evidence(&found[..found.len().min(5)]))
    };
    (outcome, None)
}

/// The candidates `found` of the row `p` with their evidence, in the same order; each account's
/// identity is folded again from the export (only the candidates an outcome shows get here).
fn with_evidence(
    p: &Identity,
    found: &[Scored],
    fields: Comparable,
    ent: &EntDirectory,
) -> Vec<Candidate> {
    found
        .iter()
        .filter_map(|c| {
            let account = Identity::from_account(&ent.accounts[c.account]);
            let mut candidate = score_pair(p, &account, true, fields)?;
            candidate.account = c.account;
            Some(candidate)
        })
        .collect()
}

/// Gathers accounts into families: accounts with the same folded name or the same login base
/// (`lea.martin`, `lea.martin2`) are of one family, transitively.
fn families(ent: &EntDirectory, accounts: &AccountIdentities) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..accounts.len() as u32).collect();
    fn root(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            let up = parent[parent[i as usize] as usize];
            parent[i as usize] = up;
            i = up;
        }
        i
    }
    let mut by_name: rustc_hash::FxHashMap<(&str, &str), u32> = Default::default();
    let mut by_base: rustc_hash::FxHashMap<&str, u32> = Default::default();
    by_name.reserve(accounts.len());
    by_base.reserve(accounts.len());
    for account in 0..accounts.len() {
        let id = &accounts[account];
        let i = account as u32;
        let name = (id.nom_full.as_str(), id.prenom_key.as_str());
        let base = login_base(&ent.accounts[i as usize].login);
        for first in [
            *by_name.entry(name).or_insert(i),
            *by_base.entry(base).or_insert(i),
        ] {
            let (a, b) = (root(&mut parent, first), root(&mut parent, i));
            if a != b {
                parent[b as usize] = a;
            }
        }
    }
    (0..accounts.len() as u32)
        .map(|i| root(&mut parent, i))
        .collect()
}

/// What [`rejudge`] judged again.
#[derive(Debug, Default)]
pub struct Rejudged {
    /// The rows whose outcome and stored-login judgement were computed again.
    pub rows: Vec<(usize, usize)>,
    /// The accounts whose linked row changed.
    pub accounts: Vec<usize>,
}

/// Judges again, after an edit of the Identifiant CAS of `edited` rows (with the value each had
/// before), the rows whose judgement the edit can change: the edited rows, and the rows holding
/// a login of the same families (an exchange of logins between homonyms is found within a
/// family). The identities did not change, nor the candidates, nor the identity links, so the
/// result is the one [`reconcile`] would give, at the cost of a few rows.
///
/// `None` when the edit changes what an identity alone decides (a stored login was the only
/// way to one of the row's candidates): then [`reconcile`] must run again.
pub fn rejudge(
    tables: &[Table],
    ent: &EntDirectory,
    rec: &mut Reconciliation,
    edited: &[(usize, usize, &str)],
) -> Option<Rejudged> {
    let memo = Arc::clone(rec.memo.as_ref()?);
    let _phase = Phase::start("mise à jour : jugement");
    if !crate::model::table::matches_tables(&memo.candidates, tables) {
        return None;
    }
    let mut affected: std::collections::HashSet<u32> = Default::default();
    let mut needed: std::collections::HashSet<usize> = Default::default();
    let mut edited_rows = Vec::with_capacity(edited.len());
    for &(t, r, old) in edited {
        let table = &tables[t];
        let group = group_of_list(table.list);
        let new = ent.account_by_login(table.cas_id(r));
        let before = ent.account_by_login(old);
        // The candidates must stay the same: the old login's account must not have been a
        // candidate for being stored only, and the new one must not become one for that.
        if memo.pushed[t][r] && before != new {
            return None;
        }
        if let Some(i) = new
            && memo.account_groups[i].contains(&group)
            && !memo.candidates[t][r].iter().any(|c| c.account == i)
        {
            let p = Identity::from_row(table, r);
            let a = Identity::from_account(&ent.accounts[i]);
            if score_pair(&p, &a, false, memo.fields).is_some_and(|c| c.score >= CANDIDATE_SCORE) {
                return None;
            }
        }
        for account in [new, before].into_iter().flatten() {
            affected.insert(memo.family[account]);
        }
        edited_rows.push((t, r));
    }
    edited_rows.sort_unstable();
    edited_rows.dedup();
    // The rows to judge again: the edited ones, and the holders of logins of the families.
    let mut rows = edited_rows.clone();
    if !affected.is_empty() {
        for (t, table_stored) in rec.stored.iter().enumerate() {
            for (r, judgement) in table_stored.iter().enumerate() {
                if let StoredLogin::Confirmed { account }
                | StoredLogin::Other { account, .. }
                | StoredLogin::Unsure { account, .. } = judgement
                    && affected.contains(&memo.family[*account])
                {
                    rows.push((t, r));
                }
            }
        }
        rows.sort_unstable();
        rows.dedup();
    }
    // The identities the judgements read: the rows' stored and identity accounts.
    for &(t, r) in &rows {
        needed.extend(ent.account_by_login(tables[t].cas_id(r)));
        needed.extend(memo.identity_account[t][r]);
    }
    let needed: Vec<usize> = needed.into_iter().collect();
    let accounts: HashMap<usize, Identity> = par_map(needed.len(), |range| {
        needed[range]
            .iter()
            .map(|&i| (i, Identity::from_account(&ent.accounts[i])))
            .collect()
    })
    .into_iter()
    .collect();
    let judge = Judge {
        tables,
        ent,
        accounts: Accounts::Some(accounts),
        memo: &memo,
    };
    let mut judged: Vec<(StoredLogin, Option<Candidate>)> = par_map(rows.len(), |range| {
        rows[range]
            .iter()
            .map(|&(t, r)| judge.judge(t, r))
            .collect()
    });
    judge.mark_swaps(&rows, &mut judged);
    // The accounts whose linked row may change: those confirmed on a row judged again,
    // before or after. Every row holding their logins is of their family: judged again.
    let mut confirmed: Vec<usize> = Vec::new();
    let mut note_confirmed = |judgement: &StoredLogin| {
        if let StoredLogin::Confirmed { account } = judgement {
            confirmed.push(*account);
        }
    };
    for (&(t, r), (judgement, _)) in rows.iter().zip(&judged) {
        note_confirmed(&rec.stored[t][r]);
        note_confirmed(judgement);
    }
    confirmed.sort_unstable();
    confirmed.dedup();
    // The outcomes. A row that was not edited and keeps its judgement keeps its outcome (its
    // pair is the same); a row's candidates are scored again (for their evidence) only when
    // its outcome lists them.
    let edited_set: std::collections::HashSet<(usize, usize)> = edited_rows.into_iter().collect();
    for (&(t, r), (judgement, pair)) in rows.iter().zip(judged) {
        if edited_set.contains(&(t, r)) || rec.stored[t][r] != judgement {
            let evidence = |found: &[Scored]| {
                let p = Identity::from_row(&tables[t], r);
                with_evidence(&p, found, memo.fields, ent)
            };
            let identity = memo.identity_account[t][r];
            let found = &memo.candidates[t][r];
            rec.outcomes[t][r] = settle(ent, found, evidence, &judgement, pair, identity, true).0;
        }
        rec.stored[t][r] = judgement;
    }
    // Their linked rows, as `reconcile` sets them: the identity link, then the last row (in
    // row order) that confirms the stored login beyond it.
    let mut last_confirming: HashMap<usize, (usize, usize)> = HashMap::new();
    for &(t, r) in &rows {
        if let StoredLogin::Confirmed { account } = rec.stored[t][r]
            && memo.identity_account[t][r] != Some(account)
        {
            last_confirming.insert(account, (t, r));
        }
    }
    let mut accounts = Vec::new();
    for account in confirmed {
        let linked = last_confirming
            .get(&account)
            .copied()
            .or(memo.identity_row[account]);
        if rec.linked_row[account] != linked {
            rec.linked_row[account] = linked;
            accounts.push(account);
        }
    }
    Some(Rejudged { rows, accounts })
}

impl Judge<'_> {
    /// Finds the homonyms whose logins a migration exchanged: two rows holding the logins of two
    /// accounts of one name, where at least one holds a login judged somebody else's, and where
    /// exchanging the two logins fits both rows clearly better, with nothing contradicting.
    /// Both rows are marked, so that the fix exchanges both or neither.
    /// `rows` are the rows looked at (every row, or the families an edit touched) and
    /// `judged[i]` the judgement of `rows[i]`.
    fn mark_swaps(&self, rows: &[(usize, usize)], judged: &mut [(StoredLogin, Option<Candidate>)]) {
        let stored_account = |judgement: &StoredLogin| match judgement {
            StoredLogin::Confirmed { account }
            | StoredLogin::Other { account, .. }
            | StoredLogin::Unsure { account, .. } => Some(*account),
            _ => None,
        };
        // Only the names and login bases of the accounts held by somebody else matter.
        let mut wanted_names: rustc_hash::FxHashSet<(&str, &str)> = Default::default();
        let mut wanted_bases: rustc_hash::FxHashSet<&str> = Default::default();
        for (judgement, _) in judged.iter() {
            if let StoredLogin::Other { account, .. } = judgement {
                let id = self.accounts.get(*account);
                wanted_names.insert((id.nom_full.as_str(), id.prenom_key.as_str()));
                wanted_bases.insert(login_base(&self.ent.accounts[*account].login));
            }
        }
        if wanted_names.is_empty() {
            return;
        }
        // The rows holding each such account's login (as positions in `rows`), and those
        // accounts by name and by base.
        let mut holders: rustc_hash::FxHashMap<usize, Vec<usize>> = Default::default();
        let mut by_name: rustc_hash::FxHashMap<(&str, &str), Vec<usize>> = Default::default();
        // Open ENT NG numbers namesakes `prenom.nom`, `prenom.nom2`…: a renumbering exchanges
        // logins of one base, whatever a nom d'usage on one account.
        let mut by_base: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
        for (i, (judgement, _)) in judged.iter().enumerate() {
            if let Some(account) = stored_account(judgement) {
                let id = self.accounts.get(account);
                let name = (id.nom_full.as_str(), id.prenom_key.as_str());
                let base = login_base(&self.ent.accounts[account].login);
                if !wanted_names.contains(&name) && !wanted_bases.contains(base) {
                    continue;
                }
                let holders = holders.entry(account).or_default();
                if holders.is_empty() {
                    by_name.entry(name).or_default().push(account);
                    by_base.entry(base).or_default().push(account);
                }
                holders.push(i);
            }
        }
        let score_of = |(t, r): (usize, usize), account: usize| {
            let p = Identity::from_row(&self.tables[t], r);
            score_pair(&p, self.accounts.get(account), true, self.memo.fields)
        };
        // Each row's exchanges, on every core (each is scored twice, with its texts), in the
        // order of the rows.
        let judged_now: &[(StoredLogin, Option<Candidate>)] = judged;
        let swaps_of = |i: usize| {
            let mut swaps = Vec::new();
            let (judgement, pair) = &judged_now[i];
            let (t, r) = rows[i];
            let StoredLogin::Other { account: held, .. } = judgement else {
                return swaps;
            };
            let id = self.accounts.get(*held);
            let mut namesakes: Vec<usize> = by_name
                .get(&(id.nom_full.as_str(), id.prenom_key.as_str()))
                .into_iter()
                .flatten()
                .chain(
                    by_base
                        .get(login_base(&self.ent.accounts[*held].login))
                        .into_iter()
                        .flatten(),
                )
                .copied()
                .collect();
            namesakes.sort_unstable();
            namesakes.dedup();
            for other_account in namesakes {
                if other_account == *held
                    || self.memo.identity_account[t][r].is_some_and(|a| a != other_account)
                {
                    continue;
                }
                let Some(partners) = holders.get(&other_account) else {
                    continue;
                };
                // The partner: the one holder of the other login that the exchange fits.
                let mut found = Vec::new();
                for &j in partners {
                    let (pt, pr) = rows[j];
                    if (pt, pr) == (t, r)
                        || self.tables[pt].list != self.tables[t].list
                        || matches!(judged_now[j].0, StoredLogin::Confirmed { .. })
                        || self.memo.identity_account[pt][pr].is_some_and(|a| a != *held)
                    {
                        continue;
                    }
                    let (Some(mine), Some(theirs)) =
                        (score_of((t, r), other_account), score_of((pt, pr), *held))
                    else {
                        continue;
                    };
                    let fits = |c: &Candidate| {
                        c.contradictions.is_empty()
                            && !c.distinct_prenoms
                            && c.score >= CANDIDATE_SCORE
                    };
                    let now = pair.as_ref().map_or(0, |c| c.score)
                        + judged_now[j].1.as_ref().map_or(0, |c| c.score);
                    if fits(&mine) && fits(&theirs) && mine.score + theirs.score >= now + MARGIN {
                        found.push(j);
                    }
                }
                if let [partner] = found.as_slice() {
                    swaps.push((i, *partner, other_account));
                }
            }
            swaps
        };
        let swaps: Vec<(usize, usize, usize)> =
            par_map(judged_now.len(), |range| range.flat_map(swaps_of).collect());
        for (i, j, partner_account) in swaps {
            let (t, r) = rows[i];
            if let StoredLogin::Other { swapped_with, .. } = &mut judged[i].0 {
                *swapped_with = Some(rows[j]);
            }
            let partner = &mut judged[j].0;
            match partner {
                StoredLogin::Other { swapped_with, .. } => *swapped_with = Some((t, r)),
                _ => {
                    *partner = StoredLogin::Other {
                        account: partner_account,
                        reasons: vec![format!(
                            "ce compte correspond mieux à {}",
                            row_label(&self.tables[t], r)
                        )],
                        owner: Some((t, r)),
                        swapped_with: Some((t, r)),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names from a few spellings: particles, compound names, accents, short names.
    fn name() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let word = prop::sample::select(vec![
            "MARTIN",
            "Martín",
            "LE",
            "DE",
            "ROUX",
            "LEROUX",
            "Jean",
            "Marc",
            "Anne",
            "Lou",
            "Louis",
            "Éloïse",
            "NGUYEN",
            "N'GUYEN",
            "ab",
            "x",
            "",
            "Zoé",
            "Isabelle",
            "Christophe",
            "CHRISTOPHE-MARIE",
            "Łucja",
            "Жанна",
            "BERNARD",
            "Jacques",
            "Michał",
        ]);
        prop::collection::vec(word, 0..4).prop_map(|words| words.join(" "))
    }

    /// A letter typed by mistake: mostly ASCII, sometimes one that stays several bytes once
    /// folded (`ж`), one that folds to an ASCII letter (`ł`, `é`, `ß`), or a digit.
    fn letter() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            1 => proptest::sample::select(vec!['ł', 'ж', 'é', 'ß', '1']),
        ]
    }

    /// Whether the sieve keeps the pair of the row `nom prenom` and the account `nom_a prenom_a`
    /// (its two parts exchanged when `swapped`) whenever `compare_names` would match them.
    fn sieve_keeps_what_matches(
        nom: &str,
        prenom: &str,
        nom_a: String,
        prenom_a: String,
        swapped: bool,
    ) -> bool {
        let (nom_a, prenom_a) = if swapped {
            (prenom_a, nom_a)
        } else {
            (nom_a, prenom_a)
        };
        let p = Identity::new(nom, prenom);
        let a = Identity::new(&nom_a, &prenom_a);
        Sieve::of(&p).may_match(&Sieve::of(&a)) || compare_names(&p, &a, false).is_none()
    }

    /// `text` with up to three edits (letter removed, added, changed, or two letters swapped).
    fn misspelt(text: String, edits: Vec<(u8, usize, char)>) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for (kind, at, letter) in edits {
            let at = at % (chars.len() + 1);
            match kind % 4 {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 => chars.insert(at, letter),
                2 if at < chars.len() => chars[at] = letter,
                3 if at + 1 < chars.len() => chars.swap(at, at + 1),
                _ => {}
            }
        }
        chars.into_iter().collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The sieve that spares scoring most pairs only dismisses pairs whose names the
        /// scoring would not match either: whatever it dismisses, `compare_names` rejects.
        /// The account is the row's name misspelt, possibly with nom and prénom swapped.
        #[test]
        fn the_sieve_never_dismisses_a_pair_the_names_would_match(
            nom in name(),
            prenom in name(),
            swapped in proptest::bool::ANY,
            nom_edits in proptest::collection::vec((0u8..4, 0usize..20, letter()), 0..4),
            prenom_edits in proptest::collection::vec((0u8..4, 0usize..20, letter()), 0..4),
        ) {
            let nom_a = misspelt(nom.clone(), nom_edits);
            let prenom_a = misspelt(prenom.clone(), prenom_edits);
            proptest::prop_assert!(sieve_keeps_what_matches(&nom, &prenom, nom_a, prenom_a, swapped));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Nor a pair where one side's nom or prénom has only some of the other's words (a nom
        /// d'usage, the first prénom of a compound one), or those words and one more.
        #[test]
        fn the_sieve_never_dismisses_names_whose_words_are_among_the_others(
            nom in name(),
            prenom in name(),
            extra in name(),
            keep in proptest::collection::vec(proptest::bool::ANY, 0..4),
            which in 0u8..4,
            swapped in proptest::bool::ANY,
        ) {
            let some_words = |text: &str| {
                text.split(' ')
                    .zip(keep.iter().chain(std::iter::repeat(&true)))
                    .filter(|(_, kept)| **kept)
                    .map(|(word, _)| word)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let more_words = |text: &str| format!("{text} {extra}");
            let (nom_a, prenom_a) = match which {
                0 => (some_words(&nom), prenom.clone()),
                1 => (nom.clone(), some_words(&prenom)),
                2 => (more_words(&nom), prenom.clone()),
                _ => (nom.clone(), more_words(&prenom)),
            };
            proptest::prop_assert!(sieve_keeps_what_matches(&nom, &prenom, nom_a, prenom_a, swapped));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The words found byte by byte are those of a split on any character that is not an
        /// ASCII letter or digit, and a name of one ASCII word gets the keys of the general path.
        #[test]
        fn words_found_byte_by_byte_are_the_split_ones(
            text in "[a-zA-Z0-9 '\\-.,éÉœßж\\t]{0,30}",
            nom in "((le|De|LA|d) )?[A-Za-z]{1,8}( |-|')?[A-Za-z]{0,8}",
            prenom in "[A-Za-z]{1,8}(-[A-Za-z]{1,8})?",
        ) {
            let split: Vec<&str> = text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            proptest::prop_assert_eq!(ascii_words(&text).collect::<Vec<_>>(), split);
            let words: Vec<Word> = crate::model::fold::fold_words(&text)
                .into_iter()
                .map(Word::from)
                .collect();
            proptest::prop_assert_eq!(fold_into_words(&text), words);
            let id = Identity::new(&nom, &prenom);
            let mut words = fold_into_words(&nom);
            let full = join_words(&words);
            if words.iter().any(|w| !PARTICLES.contains(&w.as_str())) {
                words.retain(|w| !PARTICLES.contains(&w.as_str()));
            }
            let (key, parts) = key_and_parts(words);
            proptest::prop_assert_eq!(&id.nom_full, &full);
            proptest::prop_assert_eq!(&id.nom_key, &key);
            proptest::prop_assert_eq!(&id.nom_parts, &parts);
            let (prenom_key, prenom_parts) = key_and_parts(fold_into_words(&prenom));
            proptest::prop_assert_eq!(&id.prenom_key, &prenom_key);
            proptest::prop_assert_eq!(&id.prenom_parts, &prenom_parts);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The edit distance computed on the stack is strsim's up to three, for short and long
        /// texts, ASCII or not, with the swaps of two letters it counts as one edit.
        #[test]
        fn the_edit_distance_is_strsims(
            a in "[a-e]{0,50}|[a-z é-]{0,12}",
            b_edits in proptest::collection::vec((0u8..4, 0usize..60, letter()), 0..4),
            other in "[a-e]{0,50}",
            related in proptest::bool::ANY,
        ) {
            let b = if related { misspelt(a.clone(), b_edits) } else { other };
            let strsim = |x: &str, y: &str| strsim::osa_distance(x, y).min(MAX_EDITS + 1);
            proptest::prop_assert_eq!(osa_distance(&a, &b), strsim(&a, &b));
            proptest::prop_assert_eq!(osa_distance(&b, &a), strsim(&b, &a));
        }
    }

    #[test]
    fn the_edit_distance_counts_a_swap_as_one_edit_and_stops_at_three() {
        for (a, b, distance) in [
            ("", "", 0),
            ("", "abc", 3),
            ("", "abcdef", 3),
            ("denis", "densi", 1),
            ("ca", "abc", 3),
            ("martin", "matrin", 1),
            ("bernard", "bernadr", 1),
            ("bernard", "brenadr", 2),
            ("durand", "dupont", 3),
            ("abcdefgh", "badcfehg", 3),
            ("łucja", "lucja", 1),
            ("łucja", "zzzzz", 3),
        ] {
            assert_eq!(osa_distance(a, b), distance, "{a} / {b}");
            assert_eq!(
                osa_distance(a, b),
                strsim::osa_distance(a, b).min(3),
                "{a} / {b}"
            );
        }
        let long = "a".repeat(OSA_STACK_LEN);
        let longer = format!("{long}b");
        assert_eq!(osa_distance(&long, &longer), 1);
        assert_eq!(osa_distance(&longer, &format!("b{long}")), 2);
    }

    #[test]
    fn the_blocking_index_lists_each_key_s_accounts_in_account_order_repeats_included() {
        // Accounts 0 to 3 at positions 2, 0, 3, 1; account 3 gives key 7 twice.
        let keys = vec![vec![7, 9], vec![7], vec![], vec![7, 7, 11]];
        let index = BlockIndex::of(&keys, &[2, 0, 3, 1]);
        assert_eq!(index.get(7), Some(&[2, 0, 1, 1][..]));
        assert_eq!(index.get(9), Some(&[2][..]));
        assert_eq!(index.get(11), Some(&[1][..]));
        assert_eq!(index.get(8), None);
        let empty = BlockIndex::of(&[], &[]);
        assert_eq!(empty.get(7), None);
    }

    #[test]
    fn the_blocking_index_in_two_halves_is_the_list_of_each_key_s_accounts() {
        // Keys on both sides of the half bit, mixed in each account's keys.
        let high = 1u64 << HALF_BIT;
        let keys: Vec<Vec<u64>> = (0..200u64)
            .map(|i| {
                let mut k = vec![i % 7, high | (i % 5), (i % 3) << 41];
                if i % 4 == 0 {
                    k.push(high | 3);
                }
                k
            })
            .collect();
        let position_of: Vec<u32> = (0..200u32).rev().collect();
        let index = BlockIndex::of(&keys, &position_of);
        let mut expected: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, account_keys) in keys.iter().enumerate() {
            for &key in account_keys {
                expected.entry(key).or_default().push(position_of[i]);
            }
        }
        assert!(expected.keys().any(|&k| half_of(k) == 0));
        assert!(expected.keys().any(|&k| half_of(k) == 1));
        for (key, positions) in &expected {
            assert_eq!(index.get(*key), Some(&positions[..]), "{key:#x}");
        }
        assert_eq!(index.get(high | 99), None);
    }

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
    fn the_login_rule_is_checked_as_the_predicted_login_would_be() {
        let long = "Abcdefghijklmnopqrstuvwxyzabcdefgh";
        for (nom, prenom) in [
            ("DE LA FONTAINE", "Jean-Marc"),
            ("Lemaître", "Véronique"),
            ("N'DIAYE", "Aïssatou"),
            (long, long),
        ] {
            let id = Identity::new(nom, prenom);
            let predicted = predicted_login(nom, prenom);
            assert!(fits_login_rule(&id, &predicted), "{predicted}");
            assert!(
                fits_login_rule(&id, &format!("{predicted}2")),
                "{predicted}2"
            );
            assert!(!fits_login_rule(&id, &format!("x{predicted}")));
            assert!(!fits_login_rule(&id, &predicted.replace('.', "")));
        }
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

    #[test]
    fn a_panicking_worker_fails_the_whole_reconciliation_instead_of_shortening_it() {
        // A shorter result would pair rows with the wrong accounts: the panic must come back.
        let outcome = std::panic::catch_unwind(|| {
            par_map(1000, |range| {
                assert!(range.start == 0, "worker failed");
                range.collect::<Vec<_>>()
            })
        });
        let machine_has_two_workers =
            std::thread::available_parallelism().map_or(1, |n| n.get()) > 1;
        if machine_has_two_workers {
            assert!(outcome.is_err());
        } else {
            assert_eq!(outcome.map(|v| v.len()).ok(), Some(1000));
        }
        assert_eq!(par_map(1000, |range| range.collect::<Vec<_>>()).len(), 1000);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod comparable_tests {
    use super::*;
    use std::path::Path;

    /// Pupils named `NOMi Léa`, in class `pronote_class` in PRONOTE and `ent_class` in the ENT;
    /// the ENT also holds `namesakes` other accounts named like the first pupils, in the same
    /// class as them.
    fn fields(pronote_class: &str, ent_class: &str, namesakes: usize) -> Comparable {
        let mut list = String::from("Nom;Prénom;Classe\n");
        let mut export = String::from("NOM;PRENOM;LOGIN;CLASSE\n");
        for i in 0..30 {
            let nom = format!(
                "NOM{}{}",
                char::from(b'A' + (i / 26) as u8),
                char::from(b'A' + (i % 26) as u8)
            );
            list.push_str(&format!("{nom};Léa;{pronote_class}\n"));
            export.push_str(&format!("{nom};Léa;lea.{i};{ent_class}\n"));
            if i < namesakes {
                export.push_str(&format!("{nom};Léa;lea.bis{i};{ent_class}\n"));
            }
        }
        let table = Table::from_bytes(
            Path::new("eleves.csv"),
            list.as_bytes(),
            Some(ListKind::Eleves),
        )
        .unwrap();
        let ent = EntDirectory::from_bytes(Path::new("ent.csv"), export.as_bytes(), None).unwrap();
        let accounts = AccountIdentities::of(&ent);
        let groups: Vec<Vec<u8>> = ent.accounts.iter().map(groups_of_account).collect();
        comparable_fields(std::slice::from_ref(&table), &accounts, &groups)
    }

    #[test]
    fn classes_written_otherwise_in_the_ent_are_not_compared() {
        assert!(fields("3A", "3A", 0).classes);
        assert!(!fields("3A", "3e1", 0).classes);
        // Only uniquely named people count: with 15 of the 30 names doubled, 15 unique pairs
        // remain, too few to say anything.
        assert!(fields("3A", "3e1", 15).classes);
        // 20 unique pairs that disagree are enough.
        assert!(!fields("3A", "3e1", 10).classes);
    }
}
