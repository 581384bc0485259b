//! An edit of Identifiant CAS or Esp. Par. is analysed on the rows it can change only
//! (`Analysis::update_after_edit`): after every kind of edit a superviseur makes (a proposal
//! applied, a login cleared, typed, copied onto another row, two logins exchanged, a parent's
//! access ticked, several at once, undone), the result is exactly the whole analysis's, on
//! generated collèges with the damages of issue 7, with and without an ENT export.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use pronote_companion::ent::EntDirectory;
use pronote_companion::model::columns::{ColumnRole, Tick};
use pronote_companion::model::edit::Edit;
use pronote_companion::model::findings::FindingKind;
use pronote_companion::model::table::Table;
use pronote_companion::review::analysis::{Analysis, analyze, analyze_for_edits};
use pronote_companion::synthetic::{GenOptions, generate, load};

/// A small deterministic generator (xorshift), so that a failure names its seed and step.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn assert_same(incremental: &Analysis, whole: &Analysis, what: &str) {
    for (t, (a, b)) in incremental.rows.iter().zip(&whole.rows).enumerate() {
        for (r, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(x, y, "{what}: findings of table {t}, row {r}");
        }
    }
    assert_eq!(incremental.rows.len(), whole.rows.len(), "{what}");
    assert_eq!(incremental.ent, whole.ent, "{what}: ENT findings");
    let (a, b) = (&incremental.reconciliation, &whole.reconciliation);
    assert_eq!(a.outcomes, b.outcomes, "{what}: outcomes");
    assert_eq!(a.stored, b.stored, "{what}: stored logins");
    assert_eq!(a.linked_row, b.linked_row, "{what}: linked rows");
    assert_eq!(a.is_candidate, b.is_candidate, "{what}: candidates");
}

/// One random edit of the kinds a superviseur makes.
fn random_edit(
    dice: &mut Dice,
    tables: &[Table],
    ent: Option<&EntDirectory>,
    analysis: &Analysis,
) -> Option<Edit> {
    let t = dice.below(tables.len());
    let table = &tables[t];
    let r = dice.below(table.rows.len());
    let other_t = dice.below(tables.len());
    let other_r = dice.below(tables[other_t].rows.len());
    // The rows reported as homonyms whose logins were exchanged, from a random start.
    let swapped = || {
        let rows: Vec<(usize, usize)> = analysis
            .rows
            .iter()
            .enumerate()
            .flat_map(|(t, rows)| {
                rows.iter().enumerate().filter_map(move |(r, findings)| {
                    findings
                        .iter()
                        .any(|f| f.kind == FindingKind::CasSwapped)
                        .then_some((t, r))
                })
            })
            .collect();
        rows
    };
    match dice.below(11) {
        // Half of an exchange: one row of a swap takes its partner's login (a duplicate now).
        8 => {
            let rows = swapped();
            let (t, r) = *rows.get(dice.below(rows.len()))?;
            let finding = analysis.rows[t][r]
                .iter()
                .find(|f| f.kind == FindingKind::CasSwapped)?;
            Edit::set_cas(tables, t, r, finding.suggested.as_deref()?)
        }
        // The exchange of a swap, as « Échanger » does (undone later, the swap comes back).
        9 | 10 => {
            let rows = swapped();
            let (t, r) = *rows.get(dice.below(rows.len()))?;
            let finding = analysis.rows[t][r]
                .iter()
                .find(|f| f.kind == FindingKind::CasSwapped)?;
            let (pt, pr) = finding.partner?;
            let mine = tables[t].cas_id(r).to_owned();
            let theirs = tables[pt].cas_id(pr).to_owned();
            Some(Edit::Batch(vec![
                Edit::set_cas(tables, t, r, &theirs)?,
                Edit::set_cas(tables, pt, pr, &mine)?,
            ]))
        }
        // The proposal of a row with one (the fiche's « Appliquer »).
        0 | 1 => {
            let rows = analysis.rows[t].len();
            (0..rows).map(|k| (r + k) % rows).find_map(|row| {
                let finding = analysis.rows[t][row].iter().find(|f| f.action.is_some())?;
                match &finding.suggested {
                    Some(login) => Edit::set_cas(tables, t, row, login),
                    None => Edit::clear_cas(tables, t, row),
                }
            })
        }
        2 => Edit::clear_cas(tables, t, r),
        // Another row's login copied here (a duplicate; an exchange half done).
        3 => Edit::set_cas(tables, t, r, tables[other_t].cas_id(other_r)),
        // Two logins exchanged (the fix of a swap, or a swap made by mistake).
        4 => {
            let mine = table.cas_id(r).to_owned();
            let theirs = tables[other_t].cas_id(other_r).to_owned();
            Some(Edit::Batch(vec![
                Edit::set_cas(tables, t, r, &theirs)?,
                Edit::set_cas(tables, other_t, other_r, &mine)?,
            ]))
        }
        // An ENT login typed in, in capitals sometimes, or a login nobody has.
        5 => {
            let login = match ent {
                Some(ent) if dice.below(4) > 0 => {
                    let login = &ent.accounts[dice.below(ent.accounts.len())].login;
                    if dice.below(3) == 0 {
                        login.to_uppercase()
                    } else {
                        login.clone()
                    }
                }
                _ => "zz.inconnu".to_owned(),
            };
            Edit::set_cas(tables, t, r, &login)
        }
        // Esp. Par. ticked or unticked.
        6 => {
            let column = table.column(ColumnRole::ParentAccess)?;
            let state = if dice.below(2) == 0 {
                Tick::On
            } else {
                Tick::Off
            };
            Some(Edit::set_tick(tables, t, r, column, state))
        }
        // Several at once, one cell changed twice.
        _ => Some(Edit::Batch(vec![
            Edit::set_cas(tables, t, r, "zz.provisoire")?,
            Edit::clear_cas(tables, other_t, other_r)?,
            Edit::set_cas(tables, t, r, tables[other_t].cas_id(other_r))?,
        ])),
    }
}

/// Runs `steps` random edits (and some undos) and compares each update with the whole
/// analysis; returns how many edits were made, and how many of them were updated in place.
fn walk(
    options: &GenOptions,
    with_ent: bool,
    steps: usize,
    swap_changes: &mut usize,
) -> (usize, usize) {
    let generated = generate(options);
    let (mut tables, ent) = load(&generated).unwrap();
    let ent = with_ent.then_some(ent);
    let mut analysis = analyze_for_edits(&tables, ent.as_ref());
    // The command line's analysis is the same, without what following edits needs.
    let plain = analyze(&tables, ent.as_ref());
    assert_same(&plain, &analysis, "analyse de la ligne de commande");
    let mut dice = Dice(options.seed * 7919 + 17);
    let mut undo: Vec<Edit> = Vec::new();
    let (mut made, mut updated) = (0, 0);
    for step in 0..steps {
        let inverse = if !undo.is_empty() && dice.below(5) == 0 {
            undo.pop().unwrap().apply(&mut tables)
        } else {
            let Some(edit) = random_edit(&mut dice, &tables, ent.as_ref(), &analysis) else {
                continue;
            };
            let inverse = edit.apply(&mut tables);
            undo.push(inverse.clone());
            inverse
        };
        made += 1;
        let whole = analyze_for_edits(&tables, ent.as_ref());
        let swaps = |a: &Analysis| {
            a.rows
                .iter()
                .flatten()
                .filter(|f| f.iter().any(|f| f.kind == FindingKind::CasSwapped))
                .count()
        };
        if swaps(&whole) != swaps(&analysis) {
            *swap_changes += 1;
        }
        let cells = inverse.cells_before().unwrap();
        if with_ent && made == 1 {
            // Without what following edits needs, the update declines and changes nothing.
            let mut plain = plain.clone();
            assert!(
                plain
                    .update_after_edit(&tables, ent.as_ref(), &cells)
                    .is_none()
            );
        }
        if analysis
            .update_after_edit(&tables, ent.as_ref(), &cells)
            .is_some()
        {
            updated += 1;
            assert_same(
                &analysis,
                &whole,
                &format!("seed {}, step {step}, {cells:?}", options.seed),
            );
        }
        analysis = whole;
    }
    println!(
        "seed {} : {made} modifications, {updated} mises à jour sur place, {swap_changes} \
         changements d'homonymes inversés",
        options.seed
    );
    (made, updated)
}

fn small_college(seed: u64) -> GenOptions {
    GenOptions {
        pupils: 150,
        teachers: 15,
        staff: 8,
        ..GenOptions::college(seed)
    }
}

#[test]
fn edits_updated_in_place_give_the_whole_analysis_with_an_ent_export() {
    let mut swap_changes = 0;
    for seed in [11, 12] {
        let (made, updated) = walk(&small_college(seed), true, 80, &mut swap_changes);
        // Nearly every edit is updated in place; only a stored login that alone brought a
        // candidate needs the whole analysis.
        assert!(made >= 50, "seed {seed}: {made} edits");
        assert!(
            updated * 10 >= made * 8,
            "seed {seed}: {updated} of {made} updated in place"
        );
    }
    // Edits that made or unmade swaps of rows they did not touch were among them.
    assert!(swap_changes >= 5, "{swap_changes} edits changed the swaps");
}

#[test]
fn edits_updated_in_place_give_the_whole_analysis_with_birth_dates_in_the_ent() {
    let options = GenOptions {
        ent_birth_dates: true,
        ..small_college(13)
    };
    let (made, updated) = walk(&options, true, 80, &mut 0);
    assert!(made >= 50, "{made} edits");
    assert!(
        updated * 10 >= made * 8,
        "{updated} of {made} updated in place"
    );
}

#[test]
fn edits_updated_in_place_give_the_whole_analysis_without_an_ent_export() {
    let (made, updated) = walk(&small_college(14), false, 80, &mut 0);
    assert!(made >= 40, "{made} edits");
    // Without an ENT export, no edit of these columns needs the whole analysis.
    assert_eq!(updated, made);
}

/// Through the window's document: after each edit (and undo, redo), the counts of the
/// dashboard and the tabs, the holders of each login (the ENT tab) and the count of unsaved
/// cells are those a whole analysis gives.
#[test]
fn the_documents_counts_follow_each_edit_as_a_whole_analysis_would() {
    use pronote_companion::app::Document;
    let generated = generate(&small_college(15));
    let (tables, ent) = load(&generated).unwrap();
    let mut doc = Document::default();
    for table in tables {
        doc.add_table(table);
    }
    doc.set_ent(ent);
    doc.reanalyze_all();
    let mut dice = Dice(4242);
    let mut checked = 0;
    for step in 0..50 {
        match dice.below(6) {
            0 => {
                doc.undo().unwrap();
            }
            1 => {
                doc.redo().unwrap();
            }
            _ => {
                let analysis = doc.analysis.clone();
                let Some(edit) = random_edit(&mut dice, &doc.tables, doc.ent.as_ref(), &analysis)
                else {
                    continue;
                };
                doc.apply("modification", edit);
            }
        }
        assert!(!doc.analysis_pending);
        let (summaries, holders, unsaved) =
            (doc.summaries.clone(), doc.cas_holders.clone(), doc.unsaved);
        doc.reanalyze();
        assert_eq!(summaries, doc.summaries, "step {step}: counts");
        assert_eq!(holders, doc.cas_holders, "step {step}: holders of logins");
        assert_eq!(unsaved, doc.unsaved, "step {step}: unsaved cells");
        checked += 1;
    }
    assert!(checked >= 35, "{checked} steps checked");
}
