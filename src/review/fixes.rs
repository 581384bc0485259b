//! Planning the fixes of findings (which cell changes, and to what); the steps to do them in the
//! PRONOTE client are in `plan.rs`.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::analysis::Analysis;
use crate::model::columns::ColumnRole;
use crate::model::edit::Edit;
use crate::model::findings::{Action, AutoFix, FindingKind};
use crate::model::fold::lowercase;
use crate::model::table::Table;

/// Which kinds of finding a fix run applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Clear (or replace) stale CAS ids.
    pub clear_stale: bool,
    /// Clear (or replace) CAS ids that are another person's.
    pub clear_suspect: bool,
    /// Clear a duplicated CAS id from the rows that are not its holder.
    pub clear_duplicates: bool,
    /// Set the CAS id of confidently linked rows (and replace cleared ones with the person's own).
    pub link: bool,
    /// Tick *Accès à l'Espace Parents*.
    pub grant_parent_access: bool,
}

impl FixOptions {
    /// Every fix.
    pub fn all() -> Self {
        Self {
            clear_stale: true,
            clear_suspect: true,
            clear_duplicates: true,
            link: true,
            grant_parent_access: true,
        }
    }

    /// Only the fixes of one kind of finding (the window's "apply every proposed fix").
    pub fn for_kind(kind: FindingKind) -> Self {
        let mut options = Self::default();
        if let Some(fix) = kind.auto_fix() {
            *options.switch(fix) = true;
        }
        options
    }

    fn switch(&mut self, fix: AutoFix) -> &mut bool {
        match fix {
            AutoFix::ClearStale => &mut self.clear_stale,
            AutoFix::ClearSuspect => &mut self.clear_suspect,
            AutoFix::ClearDuplicates => &mut self.clear_duplicates,
            AutoFix::Link => &mut self.link,
            AutoFix::GrantParentAccess => &mut self.grant_parent_access,
        }
    }

    fn applies(&self, kind: FindingKind) -> bool {
        let mut options = *self;
        kind.auto_fix().is_some_and(|fix| *options.switch(fix))
    }
}

/// One planned cell change and the finding behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFix {
    /// Table index.
    pub table: usize,
    /// Row.
    pub row: usize,
    /// Column.
    pub column: usize,
    /// New value.
    pub value: String,
    /// Why.
    pub kind: FindingKind,
}

/// Plans the fixes of `rows` (all rows when `None`) for the kinds `options` allows.
///
/// A login is only set where no other row keeps it, so a fix never creates a duplicate.
pub fn plan_fixes(
    tables: &[Table],
    analysis: &Analysis,
    options: FixOptions,
    rows: Option<&[(usize, usize)]>,
) -> Vec<PlannedFix> {
    let all: Vec<(usize, usize)>;
    let rows = match rows {
        Some(rows) => rows,
        None => {
            all = tables
                .iter()
                .enumerate()
                .flat_map(|(t, table)| (0..table.rows.len()).map(move |r| (t, r)))
                .collect();
            &all
        }
    };
    // Swapped homonyms are fixed together: the partner of a selected row comes along.
    let mut rows = rows.to_vec();
    // Which rows are in, looked up (not searched: a département has 2,000 partners among
    // 120,000 rows).
    let mut taken: Vec<Vec<bool>> = tables.iter().map(|t| vec![false; t.rows.len()]).collect();
    let mut take = |(t, r): (usize, usize)| {
        let slot = taken.get_mut(t).and_then(|rows| rows.get_mut(r));
        match slot {
            Some(slot) if !*slot => {
                *slot = true;
                true
            }
            Some(_) => false,
            None => true,
        }
    };
    for &row in &rows {
        take(row);
    }
    let mut k = 0;
    while k < rows.len() {
        let (t, r) = rows[k];
        for finding in analysis.row(t, r) {
            if let Some(partner) = finding.partner
                && options.applies(finding.kind)
                && take(partner)
            {
                rows.push(partner);
            }
        }
        k += 1;
    }
    // Each row's fixes read only its findings: on every core, in the rows' order.
    let plan: Vec<PlannedFix> = crate::parallel::par_map(rows.len(), |range| {
        let mut plan = Vec::new();
        for &(t, r) in &rows[range] {
            row_fixes(tables, analysis, options, t, r, &mut plan);
        }
        plan
    });
    drop_conflicting_logins(tables, plan)
}

/// The fixes of row `r` of table `t` for the kinds `options` allows, pushed onto `plan`.
fn row_fixes(
    tables: &[Table],
    analysis: &Analysis,
    options: FixOptions,
    t: usize,
    r: usize,
    plan: &mut Vec<PlannedFix>,
) {
    let table = &tables[t];
    let mut cas_target: Option<(String, FindingKind)> = None;
    for finding in analysis.row(t, r) {
        if !options.applies(finding.kind) {
            continue;
        }
        match finding.action {
            Some(Action::GrantParentAccess) => {
                if let (Some(column), Some(token)) = (finding.column, &finding.suggested) {
                    plan.push(PlannedFix {
                        table: t,
                        row: r,
                        column,
                        value: token.clone(),
                        kind: finding.kind,
                    });
                }
            }
            Some(Action::SetCas) if options.link => {
                if let Some(login) = &finding.suggested {
                    cas_target = Some((login.clone(), finding.kind));
                }
            }
            Some(Action::SetCas | Action::ClearCas)
                if finding.kind != FindingKind::CasToLink
                    && finding.kind != FindingKind::IdentityMismatch
                    && cas_target.is_none() =>
            {
                cas_target = Some((String::new(), finding.kind));
            }
            _ => {}
        }
    }
    if let (Some((value, kind)), Some(column)) = (cas_target, table.column(ColumnRole::CasId))
        && table.cell(r, column).trim() != value
    {
        plan.push(PlannedFix {
            table: t,
            row: r,
            column,
            value,
            kind,
        });
    }
}

fn drop_conflicting_logins(tables: &[Table], mut plan: Vec<PlannedFix>) -> Vec<PlannedFix> {
    // The CAS each planned fix leaves on its row (the last fix of a row wins).
    let mut fixed_cas: FxHashMap<(usize, usize), &str> = FxHashMap::default();
    fixed_cas.reserve(plan.len());
    for fix in &plan {
        if tables[fix.table].column(ColumnRole::CasId) == Some(fix.column) {
            fixed_cas.insert((fix.table, fix.row), &fix.value);
        }
    }
    // How many rows hold each CAS a fix sets, once the plan is applied, folded to lower case:
    // only those logins are counted, not every login of a département's 120,000 rows. The rows
    // are looked at on every core; each hit names the login's slot.
    let mut slots: FxHashMap<Cow<'_, str>, usize> = FxHashMap::default();
    for fix in &plan {
        if !fix.value.is_empty() && tables[fix.table].column(ColumnRole::CasId) == Some(fix.column)
        {
            let next = slots.len();
            slots.entry(lowercase(&fix.value)).or_insert(next);
        }
    }
    let mut holders = vec![0usize; slots.len()];
    // No fix sets a login (only clears or parent access): no row to look at.
    if !slots.is_empty() {
        for (t, table) in tables.iter().enumerate() {
            let hits: Vec<usize> = crate::parallel::par_map(table.rows.len(), |range| {
                range
                    .filter_map(|r| {
                        let cas = fixed_cas
                            .get(&(t, r))
                            .copied()
                            .unwrap_or_else(|| table.cas_id(r));
                        if cas.is_empty() {
                            return None;
                        }
                        slots.get(lowercase(cas).as_ref()).copied()
                    })
                    .collect()
            });
            for slot in hits {
                holders[slot] += 1;
            }
        }
    }
    let held_by = |login: &str| {
        slots
            .get(&lowercase(login))
            .map_or(0, |&slot| holders[slot])
    };
    let conflicting: FxHashSet<(usize, usize)> = plan
        .iter()
        .filter(|f| {
            !f.value.is_empty()
                && tables[f.table].column(ColumnRole::CasId) == Some(f.column)
                && held_by(&f.value) > 1
        })
        .map(|f| (f.table, f.row))
        .collect();
    for fix in &mut plan {
        if conflicting.contains(&(fix.table, fix.row))
            && tables[fix.table].column(ColumnRole::CasId) == Some(fix.column)
        {
            // Keep the clearing part of the change when the row had a CAS to remove.
            fix.value = String::new();
        }
    }
    plan.retain(|f| tables[f.table].cell(f.row, f.column).trim() != f.value);
    plan
}

/// Writes the planned fixes into the cells, without the edit and its inverse that
/// [`plan_to_edit`] would build (a département's 60,000 values copied twice), where nothing is
/// to be undone: `fix`'s lists, and the copy of the lists a plan of every fix is made on.
pub fn apply_planned(tables: &mut [Table], plan: Vec<PlannedFix>) {
    for fix in plan {
        let _ = tables[fix.table].set_cell(fix.row, fix.column, fix.value);
    }
}

/// The planned fixes as one edit.
pub fn plan_to_edit(plan: &[PlannedFix]) -> Edit {
    Edit::Batch(
        plan.iter()
            .map(|f| Edit::SetCell {
                table: f.table,
                row: f.row,
                column: f.column,
                value: f.value.clone(),
            })
            .collect(),
    )
}

/// A cell made safe to open in a spreadsheet: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be taken as a formula, so it gets a leading `'` (OWASP CSV injection).
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    // All six are ASCII: the first byte says it (a work list has 700,000 cells).
    if matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::columns::ListKind;
    use std::path::Path;

    #[test]
    fn a_login_a_fix_would_put_on_two_rows_is_not_set() {
        // Rows 0-6; column 2 is Identifiant CAS.
        let list = "Nom;Prénom;Identifiant CAS\n\
                    MARTIN;Léa;Lea.Martin\n\
                    MARTIN;Lea;\n\
                    PETIT;Jo;jo.petit\n\
                    DURAND;Eva;\n\
                    BLANC;Noé;noe.blanc\n\
                    ROUX;Zoé;\n\
                    ROUX;Zoe;\n";
        let table = Table::from_bytes(
            Path::new("eleves.csv"),
            list.as_bytes(),
            Some(ListKind::Eleves),
        )
        .unwrap();
        let fix = |row: usize, value: &str| PlannedFix {
            table: 0,
            row,
            column: 2,
            value: value.to_owned(),
            kind: FindingKind::CasToLink,
        };
        let plan = vec![
            // Held by row 0 in another case: not set.
            fix(1, "lea.martin"),
            // Row 2's login moves to row 3, and row 2 is cleared: no conflict.
            fix(2, ""),
            fix(3, "jo.petit"),
            // Row 4 gets a login nobody else holds.
            fix(4, "noe.blanc2"),
            // Two rows would get one login: neither does.
            fix(5, "zoe.roux"),
            fix(6, "Zoe.Roux"),
        ];
        let kept: Vec<(usize, String)> =
            drop_conflicting_logins(std::slice::from_ref(&table), plan)
                .into_iter()
                .map(|f| (f.row, f.value))
                .collect();
        assert_eq!(
            kept,
            [
                (2, String::new()),
                (3, "jo.petit".to_owned()),
                (4, "noe.blanc2".to_owned())
            ]
        );
    }
}
