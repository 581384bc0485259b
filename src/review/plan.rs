//! The work list as a plan of PRONOTE steps: each change triaged by necessity, the clearing of
//! logins grouped into one bulk action per list (as the PRONOTE client does it), then the hand
//! entries per list, optional work last.
//!
//! The plan is built from the cells that differ from the files (the fixes applied, and any hand
//! edit), with the findings of the files as loaded to say why each change is needed.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;

use super::analysis::Analysis;
use super::fixes::{FixOptions, apply_planned, plan_fixes, spreadsheet_safe};
use crate::model::columns::{ColumnRole, ListKind, PASSWORD_MASK, Tick};
use crate::model::findings::{Finding, FindingKind};
use crate::model::fold::{fold_compact, fold_compact_inline};
use crate::model::table::{Cell, Table};
use crate::parallel::{par_collect, par_map, permute};
use rayon::iter::{IntoParallelIterator, ParallelExtend, ParallelIterator};

/// How the school's PRONOTE identifies a user coming from the ENT (Guide pratique p.131).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdentificationMode {
    /// By identity (nom, prénom, date de naissance) at the first connection, then by CAS id:
    /// PRONOTE fills the Identifiant CAS by itself (the FAQ's mode).
    #[default]
    Identity,
    /// By Identifiant CAS only: every login must be typed in PRONOTE.
    CasOnly,
}

impl IdentificationMode {
    /// Both modes, the default first.
    pub const ALL: [Self; 2] = [Self::Identity, Self::CasOnly];

    /// The value of `--mode-identification`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Identity => "identite",
            Self::CasOnly => "cas",
        }
    }

    /// Reads a `--mode-identification` value.
    pub fn parse(text: &str) -> Option<Self> {
        match fold_compact(text).as_str() {
            "identite" => Some(Self::Identity),
            "cas" => Some(Self::CasOnly),
            _ => None,
        }
    }

    /// The French name, for a choice in the window.
    pub fn label(self) -> &'static str {
        match self {
            Self::Identity => "par l'identité (nom, prénom, date de naissance)",
            Self::CasOnly => "par l'identifiant CAS seul",
        }
    }

    /// The sentence stated at the top of every output.
    pub fn statement(self) -> &'static str {
        match self {
            Self::Identity => {
                "Mode d'identification : par l'identité (nom, prénom, date de naissance). \
                 PRONOTE renseigne seul l'identifiant CAS à la première connexion depuis l'ENT \
                 quand l'identité est la même des deux côtés : ces saisies sont facultatives. \
                 (--mode-identification cas si votre PRONOTE n'identifie que par l'identifiant \
                 CAS.)"
            }
            Self::CasOnly => {
                "Mode d'identification : par l'identifiant CAS seul. PRONOTE ne reconnaît une \
                 personne venant de l'ENT que par son identifiant CAS : chaque identifiant doit \
                 être saisi, rien n'est facultatif."
            }
        }
    }
}

/// Which remedy of an identity mismatch (FAQ A) the work list puts first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdentityRemedy {
    /// Type the ENT login into Identifiant CAS (FAQ A.2).
    #[default]
    SetCas,
    /// Correct nom, prénom or date de naissance in PRONOTE (FAQ A.1).
    FixFiche,
}

impl IdentityRemedy {
    /// The value of `--correction-identite`.
    pub fn code(self) -> &'static str {
        match self {
            Self::SetCas => "cas",
            Self::FixFiche => "fiche",
        }
    }

    /// Reads a `--correction-identite` value.
    pub fn parse(text: &str) -> Option<Self> {
        match fold_compact(text).as_str() {
            "cas" => Some(Self::SetCas),
            "fiche" => Some(Self::FixFiche),
            _ => None,
        }
    }

    /// The French name, for a choice in the window.
    pub fn label(self) -> &'static str {
        match self {
            Self::SetCas => "saisir l'identifiant CAS (FAQ A.2)",
            Self::FixFiche => "corriger la fiche dans PRONOTE (FAQ A.1)",
        }
    }
}

/// The settings of a plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanOptions {
    /// How PRONOTE identifies ENT users.
    pub mode: IdentificationMode,
    /// The remedy of an identity mismatch proposed first.
    pub remedy: IdentityRemedy,
}

/// Why a change is needed, most pressing first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Necessity {
    /// A login that opens another person's space.
    Security,
    /// Someone cannot reach PRONOTE through the ENT.
    AccessBlocked,
    /// PRONOTE would do it by itself at the first connection.
    Optional,
}

impl Necessity {
    /// The French label (CSV column « Nécessité »).
    pub fn label(self) -> &'static str {
        match self {
            Self::Security => "indispensable — sécurité",
            Self::AccessBlocked => "indispensable — accès bloqué",
            Self::Optional => "facultatif",
        }
    }

    /// Whether the change must be made.
    pub fn is_required(self) -> bool {
        self != Self::Optional
    }
}

/// What a step does in the PRONOTE client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum StepAction {
    /// *Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS (ENT)*, on many rows.
    ClearCas,
    /// Type a login into Identifiant CAS.
    SetCas,
    /// Tick *Accès à l'Espace Parents* on a responsable's fiche.
    GrantParentAccess,
    /// Change another value by hand.
    EditValue,
}

impl StepAction {
    /// The short French name.
    pub fn label(self) -> &'static str {
        match self {
            Self::ClearCas => "Supprimer l'identifiant CAS",
            Self::SetCas => "Renseigner l'identifiant CAS",
            Self::GrantParentAccess => "Autoriser l'accès à l'Espace Parents",
            Self::EditValue => "Modifier une valeur",
        }
    }
}

/// One changed cell: a line of the CSV work list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Table index.
    pub table: usize,
    /// Row.
    pub row: usize,
    /// Column.
    pub column: usize,
    /// The PRONOTE list.
    pub list: ListKind,
    /// 1-based line in the file.
    pub line: usize,
    /// Nom.
    pub nom: Cell,
    /// Prénom.
    pub prenom: Cell,
    /// What identifies the row on PRONOTE's screen: classe of a pupil, children of a parent.
    pub landmark: Cell,
    /// The column title.
    pub column_title: Cell,
    /// Value before (never a password).
    pub before: Cell,
    /// Value after (never a password).
    pub after: Cell,
    /// The most pressing necessity of its steps.
    pub necessity: Necessity,
    /// Why, from the findings of the files as loaded.
    pub why: String,
    /// The finding behind it, if any.
    pub kind: Option<FindingKind>,
    /// The numbers of the steps that make it (a replaced login: the bulk clear, then the entry).
    pub steps: Vec<usize>,
}

/// One row of a step: the part of a change it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRow {
    /// Index in [`WorkPlan::changes`].
    pub change: usize,
    /// The value this step leaves in the cell (empty for a clear).
    pub value: Cell,
    /// Why this part is needed.
    pub necessity: Necessity,
}

/// One thing to do in the PRONOTE client: a bulk action on many rows, or one hand entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// 1-based number, in the order to follow.
    pub number: usize,
    /// The list.
    pub list: ListKind,
    /// What it does.
    pub action: StepAction,
    /// Whether it is one action on a selection of rows.
    pub bulk: bool,
    /// The most pressing necessity of its rows.
    pub necessity: Necessity,
    /// What to do, with the menu path.
    pub todo: String,
    /// Its rows, sorted as PRONOTE sorts a list (Nom, Prénom).
    pub rows: Vec<StepRow>,
    /// A key that stays the same for the same step of the same files (to remember it done):
    /// 16 hexadecimal digits.
    pub key: Cell,
}

impl Step {
    /// Appends the group it belongs to (CSV column « Groupe ») to `out` (the CSV writes one for
    /// each of a département's 67,000 step rows).
    pub fn push_group(&self, out: &mut String) {
        if self.bulk {
            for piece in [
                "Action groupée — ",
                self.list.label(),
                " — ",
                self.action.label(),
            ] {
                out.push_str(piece);
            }
        } else {
            out.push_str(if self.necessity.is_required() {
                "Saisies indispensables — "
            } else {
                "Saisies facultatives — "
            });
            out.push_str(self.list.label());
        }
    }
}

/// How many PRONOTE steps a plan takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepCounts {
    /// Bulk actions.
    pub bulk: usize,
    /// Required hand entries.
    pub required: usize,
    /// Optional hand entries.
    pub optional: usize,
}

impl StepCounts {
    /// Every step.
    pub fn total(&self) -> usize {
        self.bulk + self.required + self.optional
    }

    /// The steps that must be done.
    pub fn necessary(&self) -> usize {
        self.bulk + self.required
    }

    /// « 6 actions groupées, 41 saisies indispensables, 812 facultatives ».
    pub fn summary(&self) -> String {
        let plural = |n: usize, one: &str, many: &str| {
            if n > 1 {
                format!("{n} {many}")
            } else {
                format!("{n} {one}")
            }
        };
        format!(
            "{}, {}, {}",
            plural(self.bulk, "action groupée", "actions groupées"),
            plural(
                self.required,
                "saisie indispensable",
                "saisies indispensables"
            ),
            plural(self.optional, "facultative", "facultatives")
        )
    }
}

/// The plan: the changed cells and the steps that make them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkPlan {
    /// The settings it was built with.
    pub options: PlanOptions,
    /// Every changed cell, in the order of its first step.
    pub changes: Vec<Change>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl WorkPlan {
    /// The step counts.
    pub fn counts(&self) -> StepCounts {
        let mut counts = StepCounts::default();
        for step in &self.steps {
            if step.bulk {
                counts.bulk += 1;
            } else if step.necessity.is_required() {
                counts.required += 1;
            } else {
                counts.optional += 1;
            }
        }
        counts
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The step with this number.
    pub fn step(&self, number: usize) -> Option<&Step> {
        number.checked_sub(1).and_then(|i| self.steps.get(i))
    }
}

/// The most serious finding with an action on this cell in the files as loaded.
fn cell_finding(baseline: &Analysis, t: usize, r: usize, c: usize) -> Option<&Finding> {
    baseline
        .row(t, r)
        .iter()
        .filter(|f| f.column == Some(c) && f.action.is_some())
        .min_by_key(|f| f.kind)
}

fn is_security(kind: Option<FindingKind>) -> bool {
    matches!(
        kind,
        Some(FindingKind::CasSwapped | FindingKind::CasSuspect | FindingKind::CasDuplicate)
    )
}

/// Why the login typed into a row is needed.
fn set_necessity(
    kind: Option<FindingKind>,
    mode: IdentificationMode,
    identity_differs: bool,
) -> Necessity {
    if is_security(kind) {
        return Necessity::Security;
    }
    let linked_by_itself = match kind {
        Some(FindingKind::CasToLink | FindingKind::CasStale) => !identity_differs,
        _ => false,
    };
    if linked_by_itself && mode == IdentificationMode::Identity {
        Necessity::Optional
    } else {
        Necessity::AccessBlocked
    }
}

/// What identifies a row on PRONOTE's screen besides its name.
fn landmark(table: &Table, r: usize) -> String {
    match table.list {
        ListKind::Eleves => {
            let classe = table.value(r, ColumnRole::Classe).trim();
            let born = table.value(r, ColumnRole::BirthDate).trim();
            match (classe.is_empty(), born.is_empty()) {
                (false, false) => format!("{classe}, né(e) le {born}"),
                (false, true) => classe.to_owned(),
                (true, false) => format!("né(e) le {born}"),
                (true, true) => String::new(),
            }
        }
        ListKind::Responsables => {
            let children = table.value(r, ColumnRole::Children).trim();
            if children.is_empty() {
                String::new()
            } else {
                format!("enfant(s) : {children}")
            }
        }
        ListKind::Professeurs | ListKind::Personnels => String::new(),
    }
}

/// A piece of work before steps are numbered: the value it leaves is the cell's (empty for a
/// clear), read when its step is written.
#[derive(Clone, Copy)]
struct Piece {
    change: usize,
    action: StepAction,
    necessity: Necessity,
}

/// The plan once every proposed fix is applied (what `fix --all` writes), `tables` untouched.
///
/// `current` is the analysis of `tables` as they are (the fixes are planned from it);
/// `baseline` that of the files as loaded (the reasons).
pub fn plan_all_fixes(
    tables: &[Table],
    current: &Analysis,
    baseline: &Analysis,
    options: PlanOptions,
) -> WorkPlan {
    let mut fixed = tables.to_vec();
    let fixes = plan_fixes(&fixed, current, FixOptions::all(), None);
    apply_planned(&mut fixed, fixes);
    build_plan(&fixed, baseline, options)
}

/// Builds the plan of the cells of `tables` that differ from their files.
///
/// `baseline` is the analysis of the files as loaded: it says why each change is needed.
pub fn build_plan(tables: &[Table], baseline: &Analysis, options: PlanOptions) -> WorkPlan {
    // Every changed cell, then its change on every core (a département has 60,000), written
    // where it stays; then its pieces, which hold no text.
    let cells: Vec<(usize, usize, usize)> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| {
            table
                .edited_cells()
                .into_iter()
                .map(move |(r, c)| (t, r, c))
        })
        .collect();
    let cell_pieces: Vec<[Option<Piece>; 2]> = par_collect(cells.len(), |index| {
        pieces_of(tables, baseline, options, cells[index], index)
    });
    let mut changes: Vec<Change> = par_collect(cells.len(), |index| {
        change_of(tables, baseline, cells[index], &cell_pieces[index])
    });
    let mut pieces: Vec<Piece> = cell_pieces.into_iter().flatten().flatten().collect();
    // Pieces sorted as PRONOTE sorts a list (the sort is stable: a change's pieces stay in order):
    // the changes ranked once by their folded names, then the pieces by the rank of their change
    // (comparing two numbers, not two pairs of texts, at each step of the sort).
    // (Folded names of up to 24 bytes, nearly all, are kept inline: no allocation each.)
    let order: Vec<(Cell, Cell, usize, usize)> = par_map(changes.len(), |range| {
        changes[range]
            .iter()
            .map(|change| {
                (
                    fold_compact_inline(&change.nom),
                    fold_compact_inline(&change.prenom),
                    change.table,
                    change.line,
                )
            })
            .collect()
    });
    let mut by_order: Vec<usize> = (0..changes.len()).collect();
    by_order.sort_unstable_by(|&a, &b| order[a].cmp(&order[b]));
    // Changes of equal keys share a rank, so that their pieces keep the order they had.
    let mut rank = vec![0usize; changes.len()];
    for (k, pair) in by_order.windows(2).enumerate() {
        let next = if order[pair[0]] == order[pair[1]] {
            rank[pair[0]]
        } else {
            k + 1
        };
        rank[pair[1]] = next;
    }
    drop(by_order);
    drop(order);
    pieces.sort_by_key(|piece| rank[piece.change]);
    drop(rank);

    let mut steps: Vec<Step> = Vec::new();
    // 1. The bulk clears, one per list: security first, then by list.
    let mut bulk_lists: Vec<(Necessity, ListKind)> = Vec::new();
    for piece in pieces.iter().filter(|p| p.action == StepAction::ClearCas) {
        let list = changes[piece.change].list;
        match bulk_lists.iter_mut().find(|(_, l)| *l == list) {
            Some(entry) => entry.0 = entry.0.min(piece.necessity),
            None => bulk_lists.push((piece.necessity, list)),
        }
    }
    bulk_lists.sort();
    for (necessity, list) in bulk_lists {
        let rows: Vec<StepRow> = pieces
            .iter()
            .filter(|p| p.action == StepAction::ClearCas && changes[p.change].list == list)
            .map(|p| StepRow {
                change: p.change,
                value: Cell::default(),
                necessity: p.necessity,
            })
            .collect();
        let todo = format!(
            "{} : sélectionnez ces {} ligne(s) (Ctrl+clic sur chacune), puis clic droit > \
             Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS (ENT).",
            list.menu_path(),
            rows.len()
        );
        let key = step_key(list, StepAction::ClearCas, true, &changes, &rows);
        push_step(
            &mut steps,
            &mut changes,
            (list, StepAction::ClearCas, true),
            necessity,
            todo,
            rows,
            key,
        );
    }
    // The bulk clear that removes each change's old login, if any (looked up per hand entry).
    let mut cleared_at: Vec<Option<usize>> = vec![None; changes.len()];
    for step in steps.iter().filter(|s| s.bulk) {
        for row in &step.rows {
            cleared_at[row.change].get_or_insert(step.number);
        }
    }
    // 2. The hand entries, required then optional, per list, each list sorted by Nom, Prénom;
    // each written in its place on every core, numbered in that order.
    // (The sort is stable: each list keeps the Nom, Prénom order of the pieces.)
    let mut hand: Vec<(ListKind, &Piece)> = pieces
        .iter()
        .filter(|p| p.action != StepAction::ClearCas)
        .map(|p| (changes[p.change].list, p))
        .collect();
    hand.sort_by_key(|&(list, piece)| (!piece.necessity.is_required(), list));
    // Each hand step written in its place, on every core (its number is known: they follow
    // the bulk steps in this order); then each change told its step.
    let first = steps.len();
    let hand_steps = (0..hand.len()).into_par_iter().map(|k| {
        let (list, piece) = hand[k];
        let row = hand_row(tables, &changes, piece);
        let todo = hand_todo(
            tables,
            baseline,
            &changes,
            cleared_at[piece.change],
            piece,
            options,
        );
        let key = step_key(
            list,
            piece.action,
            false,
            &changes,
            std::slice::from_ref(&row),
        );
        Step {
            number: first + k + 1,
            list,
            action: piece.action,
            bulk: false,
            necessity: piece.necessity,
            todo,
            rows: vec![row],
            key,
        }
    });
    crate::parallel::on_every_core(|| steps.par_extend(hand_steps));
    for step in &steps[first..] {
        record_step(&mut changes, step);
    }
    name_swap_partners(tables, baseline, &changes, &mut steps);
    // The CSV follows the steps: the changes are put in that order where they are.
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&i| changes[i].steps.first().copied().unwrap_or(usize::MAX));
    let mut remap = vec![0; changes.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new;
    }
    permute(&mut changes, &remap);
    for step in &mut steps {
        for row in &mut step.rows {
            row.change = remap[row.change];
        }
    }
    WorkPlan {
        options,
        changes,
        steps,
    }
}

/// The pieces of work one edited cell (change number `index`) takes: a clear of its old login,
/// an entry, a tick, a value.
fn pieces_of(
    tables: &[Table],
    baseline: &Analysis,
    options: PlanOptions,
    (t, r, c): (usize, usize, usize),
    index: usize,
) -> [Option<Piece>; 2] {
    let table = &tables[t];
    let kind = cell_finding(baseline, t, r, c).map(|f| f.kind);
    let piece = |action: StepAction, necessity: Necessity| {
        Some(Piece {
            change: index,
            action,
            necessity,
        })
    };
    match table.columns[c].role {
        ColumnRole::CasId => {
            let clear = if table.original_value(r, c).trim().is_empty() {
                None
            } else if is_security(kind) {
                piece(StepAction::ClearCas, Necessity::Security)
            } else {
                piece(StepAction::ClearCas, Necessity::AccessBlocked)
            };
            let set = if table.cell(r, c).trim().is_empty() {
                None
            } else {
                // A cell set to a login comes from a finding of its row: never a row whose stored
                // login its identity confirms, the one link `analyze_for_reports` writes without
                // its differences.
                let differs = baseline
                    .linked(t, r)
                    .is_some_and(|c| !c.differences.is_empty());
                piece(
                    StepAction::SetCas,
                    set_necessity(kind, options.mode, differs),
                )
            };
            [clear, set]
        }
        ColumnRole::ParentAccess if table.tick(r, c) == Some(Tick::On) => [
            piece(StepAction::GrantParentAccess, Necessity::AccessBlocked),
            None,
        ],
        _ => [piece(StepAction::EditValue, Necessity::AccessBlocked), None],
    }
}

/// The change of one edited cell, whose pieces of work are `pieces`.
fn change_of(
    tables: &[Table],
    baseline: &Analysis,
    (t, r, c): (usize, usize, usize),
    pieces: &[Option<Piece>; 2],
) -> Change {
    let table = &tables[t];
    let column = &table.columns[c];
    let before = Cell::from(table.original_str(r, c));
    let after = Cell::from(table.cell(r, c));
    let finding = cell_finding(baseline, t, r, c);
    let necessity = pieces
        .iter()
        .flatten()
        .map(|p| p.necessity)
        .min()
        .unwrap_or(Necessity::AccessBlocked);
    let masked = column.role == ColumnRole::Password;
    let mask = |v: Cell| if masked { Cell::from(PASSWORD_MASK) } else { v };
    Change {
        table: t,
        row: r,
        column: c,
        list: table.list,
        line: table.rows[r].line,
        nom: Cell::from(table.nom(r)),
        prenom: Cell::from(table.prenom(r)),
        landmark: landmark(table, r).into(),
        column_title: Cell::from(column.title.as_str()),
        before: mask(before),
        after: mask(after),
        necessity,
        why: finding.map_or_else(
            || "Modification faite à la main dans pronote-companion.".to_owned(),
            |f| f.message.to_string(),
        ),
        kind: finding.map(|f| f.kind),
        steps: Vec::new(),
    }
}

/// The row of a hand entry: the value it leaves is the cell's, never masked. It is only hashed
/// into the step's key, and written in a text for a login (the swapped homonyms' entries):
/// the texts show the change's values, masked.
fn hand_row(tables: &[Table], changes: &[Change], piece: &Piece) -> StepRow {
    let change = &changes[piece.change];
    StepRow {
        change: piece.change,
        value: Cell::from(tables[change.table].cell(change.row, change.column)),
        necessity: piece.necessity,
    }
}

/// A key that stays the same for the same step of the same files (see [`Step::key`]).
fn step_key(
    list: ListKind,
    action: StepAction,
    bulk: bool,
    changes: &[Change],
    rows: &[StepRow],
) -> Cell {
    // The text of the key is hashed as it is written, never held.
    let mut key = Fnv1a::default();
    let _ = write!(key, "{}|{:?}|{bulk}", list.code(), action);
    // Each row's `|line:column:before:value`, piece by piece (the formatting machinery cost
    // more than the hash for a département's 60,000 hand steps).
    let mut line = itoa::Buffer::new();
    for row in rows {
        let change = &changes[row.change];
        for piece in [
            "|",
            line.format(change.line),
            ":",
            &change.column_title,
            ":",
            &change.before,
            ":",
            &row.value,
        ] {
            key.hash(piece);
        }
    }
    compact_str::format_compact!("{:016x}", key.0)
}

/// FNV-1a, a stable hash (a remembered key holds no personal data and survives restarts), of a
/// text written in pieces.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn hash(&mut self, text: &str) {
        for &b in text.as_bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl std::fmt::Write for Fnv1a {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.hash(text);
        Ok(())
    }
}

/// Numbers a step (list, action, bulk) and adds it to the plan.
fn push_step(
    steps: &mut Vec<Step>,
    changes: &mut [Change],
    (list, action, bulk): (ListKind, StepAction, bool),
    necessity: Necessity,
    todo: String,
    rows: Vec<StepRow>,
    key: Cell,
) {
    let step = Step {
        number: steps.len() + 1,
        list,
        action,
        bulk,
        necessity,
        todo,
        rows,
        key,
    };
    record_step(changes, &step);
    steps.push(step);
}

/// Tells each change of `step` that the step is one of its own.
fn record_step(changes: &mut [Change], step: &Step) {
    for row in &step.rows {
        changes[row.change].steps.push(step.number);
    }
}

/// What to type by hand for one piece, with the menu path; `cleared_at` is the bulk step that
/// removes the row's old login first.
fn hand_todo(
    tables: &[Table],
    baseline: &Analysis,
    changes: &[Change],
    cleared_at: Option<usize>,
    piece: &Piece,
    options: PlanOptions,
) -> String {
    let change = &changes[piece.change];
    let menu = change.list.menu_path();
    // The parts of the texts are written straight into each text (one allocation per step: a
    // département has 56,000).
    let who = Who(change);
    match piece.action {
        StepAction::SetCas => {
            let typed = Typed(change.after.trim());
            let after_clear = AfterClear(cleared_at);
            match change.kind {
                Some(FindingKind::CasSwapped) => format!(
                    "{menu} : homonymes inversés. Les deux identifiants CAS doivent d'abord être \
                     supprimés (étape {}) : PRONOTE refuse un identifiant qu'une autre ligne porte \
                     encore. Puis, pour {who}, {typed}.",
                    cleared_at.map_or_else(|| "groupée".to_owned(), |n| n.to_string())
                ),
                Some(FindingKind::IdentityMismatch) => {
                    let differences = baseline
                        .linked(change.table, change.row)
                        .map(|c| c.differences.join(" ; "))
                        .unwrap_or_default();
                    let fiche = format!(
                        "corrigez la fiche de {who} pour qu'elle soit celle de l'ENT ({differences})"
                    );
                    match options.remedy {
                        IdentityRemedy::SetCas => format!(
                            "{menu} : {who}, {typed} (FAQ A.2) — ou bien {fiche} (FAQ A.1)."
                        ),
                        IdentityRemedy::FixFiche => {
                            format!("{menu} : {fiche} (FAQ A.1) — ou bien {typed} (FAQ A.2).")
                        }
                    }
                }
                _ if !piece.necessity.is_required() => format!(
                    "{menu} : {who}, {after_clear}{typed}. Facultatif : PRONOTE le renseignera \
                     seul à la première connexion depuis l'ENT (même identité des deux côtés)."
                ),
                _ => format!("{menu} : {who}, {after_clear}{typed}."),
            }
        }
        StepAction::GrantParentAccess => format!(
            "{menu} : cliquez sur la ligne de {who} pour ouvrir sa fiche, puis cocher « Accès à \
             l'Espace Parents » pour chaque enfant (clic sur la croix, qui devient une coche \
             verte)."
        ),
        StepAction::ClearCas | StepAction::EditValue => {
            let title = &tables[change.table].columns[change.column].title;
            format!(
                "{menu} : {who}, dans la colonne « {title} », remplacez « {} » par « {} ».",
                change.before, change.after
            )
        }
    }
}

/// « Nom Prénom » of a change.
struct Who<'a>(&'a Change);

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0.nom, self.0.prenom)
    }
}

/// What to type for a login.
struct Typed<'a>(&'a str);

impl std::fmt::Display for Typed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "saisissez « {} » dans la colonne Identifiant CAS",
            self.0
        )
    }
}

/// The bulk step that removes the old login first, if any.
struct AfterClear(Option<usize>);

impl std::fmt::Display for AfterClear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(n) => write!(f, "une fois l'ancien identifiant supprimé (étape {n}), "),
            None => Ok(()),
        }
    }
}

/// Completes the entries of swapped homonyms with the partner's step.
fn name_swap_partners(
    tables: &[Table],
    baseline: &Analysis,
    changes: &[Change],
    steps: &mut [Step],
) {
    // The partners of swapped homonyms (a département has 2,000 among 100,000 steps), then the
    // first hand entry of a login of each, in one pass.
    let mut set_step_of: HashMap<(usize, usize), Option<(usize, &str)>> = steps
        .iter()
        .filter(|step| !step.bulk && step.action == StepAction::SetCas)
        .filter_map(|step| {
            let change = &changes[step.rows[0].change];
            (change.kind == Some(FindingKind::CasSwapped)).then_some(change)
        })
        .filter_map(|change| {
            baseline
                .row(change.table, change.row)
                .iter()
                .find_map(|f| f.partner)
        })
        .map(|partner| (partner, None))
        .collect();
    for step in steps.iter() {
        if step.action == StepAction::SetCas && !step.bulk {
            for row in &step.rows {
                let change = &changes[row.change];
                if let Some(slot) = set_step_of.get_mut(&(change.table, change.row)) {
                    slot.get_or_insert((step.number, step.rows[0].value.as_str()));
                }
            }
        }
    }
    let mut additions = Vec::new();
    for step in steps.iter() {
        if step.bulk || step.action != StepAction::SetCas {
            continue;
        }
        let change = &changes[step.rows[0].change];
        if change.kind != Some(FindingKind::CasSwapped) {
            continue;
        }
        let Some((pt, pr)) = baseline
            .row(change.table, change.row)
            .iter()
            .find_map(|f| f.partner)
        else {
            continue;
        };
        if let Some(Some((number, login))) = set_step_of.get(&(pt, pr)) {
            additions.push((
                step.number,
                format!(
                    " L'autre homonyme, {} {}, reçoit « {} » à l'étape {number}.",
                    tables[pt].nom(pr),
                    tables[pt].prenom(pr),
                    login.trim()
                ),
            ));
        }
    }
    for (number, text) in additions {
        if let Some(step) = steps.get_mut(number - 1) {
            step.todo.push_str(&text);
        }
    }
}

/// The plan as CSV: UTF-8 with BOM, `;`, CRLF (opens as is in Excel), one line per changed cell
/// with its step number(s), necessity and group; every cell safe to open in a spreadsheet.
pub fn plan_csv(plan: &WorkPlan) -> Vec<u8> {
    // About its size, reserved once: a département's work list is 35 MB, which grown by doubling
    // would be copied and its memory touched twice over.
    let mut out = Vec::with_capacity(
        plan.changes
            .iter()
            .map(|change| {
                change
                    .steps
                    .iter()
                    .filter_map(|&n| plan.step(n))
                    .map(|step| step.todo.len() + 120)
                    .sum::<usize>()
                    + change.nom.len()
                    + change.prenom.len()
                    + change.column_title.len()
                    + change.before.len()
                    + change.after.len()
                    + change.why.len()
                    + change.landmark.len()
                    + 80
            })
            .sum::<usize>()
            + 3,
    );
    // Writing to a Vec cannot fail.
    let _ = write_plan_csv(plan, &mut out);
    out
}

/// [`plan_csv`] written to `out` as it is made (`fix` writes it straight into its file).
pub fn write_plan_csv(plan: &WorkPlan, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(&[0xEF, 0xBB, 0xBF])?;
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let header = [
        "Étape",
        "Nécessité",
        "Groupe",
        "Liste",
        "Ligne",
        "Nom",
        "Prénom",
        "Colonne",
        "Avant",
        "Après",
        "À faire dans PRONOTE",
        "Pourquoi",
        "Classe ou enfants",
    ];
    writer.write_record(header)?;
    // Each line's computed cells are built in buffers kept from line to line, and every cell is
    // written where it is (a département's work list has 60,000 lines).
    let (mut numbers, mut group, mut todo, mut line) =
        (String::new(), String::new(), String::new(), String::new());
    let mut number = itoa::Buffer::new();
    for change in &plan.changes {
        numbers.clear();
        group.clear();
        todo.clear();
        line.clear();
        for (i, step) in change
            .steps
            .iter()
            .filter_map(|&n| plan.step(n))
            .enumerate()
        {
            if i > 0 {
                group.push_str(" puis ");
                todo.push(' ');
            }
            step.push_group(&mut group);
            for piece in ["Étape ", number.format(step.number), " : ", &step.todo] {
                todo.push_str(piece);
            }
        }
        for (i, &step) in change.steps.iter().enumerate() {
            if i > 0 {
                numbers.push_str(" puis ");
            }
            numbers.push_str(number.format(step));
        }
        line.push_str(number.format(change.line));
        let record: [&str; 13] = [
            &numbers,
            change.necessity.label(),
            &group,
            change.list.label(),
            &line,
            &change.nom,
            &change.prenom,
            &change.column_title,
            &change.before,
            &change.after,
            &todo,
            &change.why,
            &change.landmark,
        ];
        for cell in record {
            writer.write_field(spreadsheet_safe(cell).as_bytes())?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.flush()
}
