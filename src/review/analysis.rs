//! Everything the tool says about the loaded lists: the checks, and with an ENT export the
//! reconciliation, as findings per row plus findings on the ENT side.

use crate::timing::Phase;
use std::collections::HashMap;

use crate::ent::EntDirectory;
use crate::ent::matcher::{
    Candidate, MatchOutcome, Reconciliation, StoredLogin, reconcile, reconcile_for_edits,
    reconcile_for_reports, rejudge,
};
use crate::model::checks::{
    CheckOptions, GroupLabels, RowFindings, check_duplicates_by_resemblance, check_row,
    check_tables, duplicate_groups, grant_token, row_label,
};
use crate::model::columns::{ColumnRole, ListKind};
use crate::model::findings::{Action, Finding, FindingKind, Severity};
use crate::model::fold::lowercase;
use crate::model::table::Table;

/// A finding about an ENT account.
#[derive(Clone, Debug, PartialEq)]
pub struct EntFinding {
    /// Index of the account in the directory.
    pub account: usize,
    /// The finding (`ent_orphan`).
    pub finding: Finding,
}

/// The findings of every row and of the ENT export.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Per table, per row.
    pub rows: RowFindings,
    /// About ENT accounts.
    pub ent: Vec<EntFinding>,
    /// The matcher's decisions (empty without an ENT export).
    pub reconciliation: Reconciliation,
}

impl Analysis {
    /// What the work list reads of this analysis, copied: every row's findings, and each linked
    /// row's account with its differences from PRONOTE ([`crate::review::plan::build_plan`]).
    /// The candidates' evidence and the stored logins' judgements are left out: the window
    /// keeps this of the files as loaded, and a whole copy of a département's analysis took
    /// 130-210 ms and 100 MB. The findings are copied on one core, the links on the other.
    pub fn reasons(&self) -> Self {
        std::thread::scope(|scope| {
            let reconciliation = scope.spawn(|| self.reconciliation.links_with_differences());
            let rows = self.rows.clone();
            let ent = self.ent.clone();
            let reconciliation = reconciliation
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Self {
                rows,
                ent,
                reconciliation,
            }
        })
    }

    /// The findings of one row.
    pub fn row(&self, table: usize, row: usize) -> &[Finding] {
        self.rows
            .get(table)
            .and_then(|t| t.get(row))
            .map_or(&[], Vec::as_slice)
    }

    /// The row's status: the most serious finding, or `None` when all is well.
    pub fn status(&self, table: usize, row: usize) -> Option<FindingKind> {
        self.row(table, row).iter().map(|f| f.kind).min()
    }

    /// How many rows of a table have a finding of severity error.
    pub fn error_count(&self, table: usize) -> usize {
        self.rows.get(table).map_or(0, |rows| {
            rows.iter()
                .filter(|f| f.iter().any(|f| f.severity() == Severity::Error))
                .count()
        })
    }

    /// The candidate linked to a row, if any.
    pub fn linked(&self, table: usize, row: usize) -> Option<&Candidate> {
        self.reconciliation
            .outcomes
            .get(table)
            .and_then(|t| t.get(row))
            .and_then(MatchOutcome::linked)
    }

    /// The candidates of a row, best first (one when linked).
    pub fn candidates(&self, table: usize, row: usize) -> Vec<&Candidate> {
        match self
            .reconciliation
            .outcomes
            .get(table)
            .and_then(|t| t.get(row))
        {
            Some(MatchOutcome::Linked(c)) => vec![c],
            Some(MatchOutcome::Ambiguous(list)) => list.iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// Analyses the loaded lists, with the ENT export when there is one.
pub fn analyze(tables: &[Table], ent: Option<&EntDirectory>) -> Analysis {
    analyze_with(tables, ent, reconcile)
}

/// [`analyze`], keeping what [`Analysis::update_after_edit`] needs to follow edits.
pub fn analyze_for_edits(tables: &[Table], ent: Option<&EntDirectory>) -> Analysis {
    analyze_with(tables, ent, reconcile_for_edits)
}

/// [`analyze`] for the reports of the command line: the same findings, but a row whose stored
/// login its identity confirms (no finding) is linked without the texts of its evidence and its
/// differences, which no report prints ([`reconcile_for_reports`]).
pub fn analyze_for_reports(tables: &[Table], ent: Option<&EntDirectory>) -> Analysis {
    analyze_with(tables, ent, reconcile_for_reports)
}

/// The analysis, the lists reconciled with the ENT export by `reconcile`.
fn analyze_with(
    tables: &[Table],
    ent: Option<&EntDirectory>,
    reconcile: fn(&[Table], &EntDirectory) -> Reconciliation,
) -> Analysis {
    let options = CheckOptions {
        cas_without_ent: ent.is_none(),
    };
    let phase = Phase::start("contrôles locaux");
    let mut rows = check_tables(tables, options);
    phase.end();
    let Some(ent) = ent else {
        return Analysis {
            rows,
            ..Analysis::default()
        };
    };
    let reconciliation = reconcile(tables, ent);
    let _phase = Phase::start("constats ENT");
    // Each row's finding is written on its own (texts of the messages): on every core, into
    // the row's findings, first. The peak of a département's memory is here: each row gets room
    // for this one only (a push into a full list would make room for four findings or double).
    for (t, row_findings) in rows.iter_mut().enumerate() {
        crate::parallel::par_fill(row_findings, |first, slots| {
            for (k, findings) in slots.iter_mut().enumerate() {
                let row = first + k;
                let outcome = &reconciliation.outcomes[t][row];
                let Some(finding) = ent_finding(tables, ent, &reconciliation, t, row, outcome)
                else {
                    continue;
                };
                findings.reserve_exact(1);
                findings.insert(0, finding);
            }
        });
    }
    resolve_duplicates(
        tables,
        ent,
        &reconciliation,
        duplicate_groups(tables),
        &mut rows,
    );
    let ent_findings = orphans(tables, ent, &reconciliation);
    Analysis {
        rows,
        ent: ent_findings,
        reconciliation,
    }
}

/// A cell an edit changed: (table, row, column, value before the edit).
pub type EditedCell = (usize, usize, usize, String);

/// What [`Analysis::update_after_edit`] changed.
#[derive(Debug, Default)]
pub struct Updated {
    /// The rows whose findings were built again, with their findings before.
    pub rows: Vec<((usize, usize), Vec<Finding>)>,
    /// The logins (in lower case) whose holders may have changed, with their holders now.
    pub logins: Vec<(String, Vec<(usize, usize)>)>,
}

impl Analysis {
    /// Brings the analysis up to date after an edit of Identifiant CAS and Esp. Par. cells,
    /// working only on the rows the edit can change: the edited rows, the rows holding the
    /// logins they held or hold now, and with an ENT export the rows the matcher judges again
    /// ([`rejudge`]). The result is the one [`analyze`] would give, in milliseconds at any size.
    ///
    /// `None`, with nothing changed, when the edit needs the whole analysis (another column, a
    /// list re-declared, an analysis of other lists, an identity link that a stored login
    /// decided).
    pub fn update_after_edit(
        &mut self,
        tables: &[Table],
        ent: Option<&EntDirectory>,
        cells: &[EditedCell],
    ) -> Option<Updated> {
        if !crate::model::table::matches_tables(&self.rows, tables) {
            return None;
        }
        let mut edited_cas: Vec<(usize, usize, &str)> = Vec::new();
        let mut rows: Vec<(usize, usize)> = Vec::new();
        for (t, r, column, before) in cells {
            let table = tables.get(*t)?;
            if *r >= table.rows.len() {
                return None;
            }
            if table.column(ColumnRole::CasId) == Some(*column) {
                edited_cas.push((*t, *r, before.trim()));
            } else if table.column(ColumnRole::ParentAccess) != Some(*column) {
                return None;
            }
            rows.push((*t, *r));
        }
        if let Some(ent) = ent {
            let rejudged = rejudge(tables, ent, &mut self.reconciliation, &edited_cas)?;
            rows.extend(rejudged.rows);
            let mut logins: Vec<String> = rejudged
                .accounts
                .iter()
                .map(|&a| ent.accounts[a].login.to_lowercase())
                .collect();
            logins.extend(
                edited_cas
                    .iter()
                    .map(|(_, _, before)| before.to_lowercase()),
            );
            Some(self.rebuild_rows(tables, Some(ent), rows, logins, &rejudged.accounts))
        } else {
            if !self.reconciliation.outcomes.is_empty() {
                return None;
            }
            let logins = edited_cas
                .iter()
                .map(|(_, _, before)| before.to_lowercase())
                .collect();
            Some(self.rebuild_rows(tables, None, rows, logins, &[]))
        }
    }

    /// Builds again the findings of `rows`, of every row holding one of their logins or of
    /// `logins`, and the ENT findings of the accounts of those logins and of `accounts`.
    fn rebuild_rows(
        &mut self,
        tables: &[Table],
        ent: Option<&EntDirectory>,
        mut rows: Vec<(usize, usize)>,
        mut logins: Vec<String>,
        accounts: &[usize],
    ) -> Updated {
        let phase = Phase::start("mise à jour : titulaires");
        logins.extend(
            rows.iter()
                .map(|&(t, r)| tables[t].cas_id(r).to_lowercase()),
        );
        logins.retain(|l| !l.is_empty());
        logins.sort_unstable();
        logins.dedup();
        // Every holder of those logins, in row order (as `duplicate_groups` lists them).
        let wanted: std::collections::HashSet<&str> = logins.iter().map(String::as_str).collect();
        // An ASCII login keeps its length in lower case: most cells are dismissed by it.
        let lengths: std::collections::HashSet<usize> = logins.iter().map(String::len).collect();
        let mut holders: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for (t, table) in tables.iter().enumerate() {
            let Some(column) = table.column(ColumnRole::CasId) else {
                continue;
            };
            for r in 0..table.rows.len() {
                let cas = table.cell(r, column).trim();
                if cas.is_empty() || (cas.is_ascii() && !lengths.contains(&cas.len())) {
                    continue;
                }
                let folded = lowercase(cas);
                if let Some(&login) = wanted.get(folded.as_ref()) {
                    holders.entry(login).or_default().push((t, r));
                }
            }
        }
        for group in holders.values() {
            rows.extend(group);
        }
        rows.sort_unstable();
        rows.dedup();
        phase.end();
        let phase = Phase::start("mise à jour : constats");
        let options = CheckOptions {
            cas_without_ent: ent.is_none(),
        };
        let mut tokens: Vec<Option<Option<String>>> = vec![None; tables.len()];
        let mut before = Vec::with_capacity(rows.len());
        for &(t, r) in &rows {
            let token = tokens[t].get_or_insert_with(|| grant_token(&tables[t]));
            let mut findings = check_row(&tables[t], r, options, token.as_deref());
            if let Some(ent) = ent {
                let outcome = &self.reconciliation.outcomes[t][r];
                if let Some(finding) = ent_finding(tables, ent, &self.reconciliation, t, r, outcome)
                {
                    findings.insert(0, finding);
                }
            }
            before.push(((t, r), std::mem::replace(&mut self.rows[t][r], findings)));
        }
        phase.end();
        let _phase = Phase::start("mise à jour : doublons, comptes");
        let groups: Vec<(String, Vec<(usize, usize)>)> = logins
            .iter()
            .filter_map(|login| {
                let group = holders.get(login.as_str())?;
                (group.len() > 1).then(|| (login.clone(), group.clone()))
            })
            .collect();
        match ent {
            Some(ent) => {
                resolve_duplicates(tables, ent, &self.reconciliation, groups, &mut self.rows);
                let loaded: Vec<ListKind> = tables.iter().map(|t| t.list).collect();
                let mut recheck: Vec<usize> = accounts.to_vec();
                recheck.extend(
                    logins
                        .iter()
                        .filter_map(|l| ent.account_by_lowercase_login(l)),
                );
                recheck.sort_unstable();
                recheck.dedup();
                for i in recheck {
                    let held =
                        || holders.contains_key(ent.accounts[i].login.to_lowercase().as_str());
                    let now = orphan(ent, &self.reconciliation, &loaded, i, held);
                    let at = self.ent.partition_point(|f| f.account < i);
                    let present = self.ent.get(at).is_some_and(|f| f.account == i);
                    match (present, now) {
                        (true, Some(finding)) => self.ent[at] = finding,
                        (true, None) => {
                            self.ent.remove(at);
                        }
                        (false, Some(finding)) => self.ent.insert(at, finding),
                        (false, None) => {}
                    }
                }
            }
            None => check_duplicates_by_resemblance(tables, groups, &mut self.rows),
        }
        let logins = logins
            .iter()
            .map(|login| {
                let group = holders.remove(login.as_str()).unwrap_or_default();
                (login.clone(), group)
            })
            .collect();
        Updated {
            rows: before,
            logins,
        }
    }
}

fn account_label(ent: &EntDirectory, account: usize) -> String {
    // `NOM Prénom (login, Profil)`, pushed piece by piece: one per finding of a département.
    let a = &ent.accounts[account];
    let profile = a.profile.map(|p| p.label());
    let mut label = String::with_capacity(
        a.nom.len() + a.prenom.len() + a.login.len() + profile.map_or(0, str::len) + 6,
    );
    for piece in [&a.nom, " ", &a.prenom, " (", &a.login] {
        label.push_str(piece);
    }
    if let Some(profile) = profile {
        label.push_str(", ");
        label.push_str(profile);
    }
    label.push(')');
    label
}

fn ent_finding(
    tables: &[Table],
    ent: &EntDirectory,
    rec: &Reconciliation,
    t: usize,
    row: usize,
    outcome: &MatchOutcome,
) -> Option<Finding> {
    let table = &tables[t];
    let col = table.column(ColumnRole::CasId)?;
    // Read where it is (its reasons and alternatives are not copied for every row).
    let empty = StoredLogin::Empty;
    let stored = rec
        .stored
        .get(t)
        .and_then(|rows| rows.get(row))
        .unwrap_or(&empty);
    // Most rows of a base in use hold their own login: nothing to say, and nothing to write
    // first (a département's 60,000 such rows each had their name and login copied for it).
    if !table.cas_id(row).is_empty()
        && matches!(
            stored,
            StoredLogin::Confirmed { .. }
                | StoredLogin::DuplicateInEnt
                | StoredLogin::ProfileNotExported
        )
    {
        return None;
    }
    let cas = table.cas_id(row).to_owned();
    let who = format!("{} {}", table.nom(row), table.prenom(row));
    let own = outcome.linked();
    let own_login = own.map(|c| ent.accounts[c.account].login.clone());
    let replace_with = |finding: Finding| match &own_login {
        Some(login) => finding.with_action(Action::SetCas, Some(login.clone())),
        None => finding.with_action(Action::ClearCas, None),
    };
    let own_text = match &own_login {
        Some(login) => format!(" Son compte ENT est « {login} »."),
        None => String::new(),
    };
    if !cas.is_empty() {
        let reasons_of = |account: usize, reasons: &[String]| {
            let mut evidence = vec![format!(
                "« {cas} » appartient à {} dans l'ENT",
                account_label(ent, account)
            )];
            evidence.extend(reasons.iter().cloned());
            if let Some(c) = own {
                evidence.extend(
                    c.evidence
                        .iter()
                        .map(|e| format!("compte {} : {e}", ent.accounts[c.account].login)),
                );
            }
            evidence
        };
        match stored {
            StoredLogin::Empty => {}
            StoredLogin::Confirmed { .. }
            | StoredLogin::DuplicateInEnt
            | StoredLogin::ProfileNotExported => return None,
            StoredLogin::Other {
                account,
                reasons,
                swapped_with: Some((pt, pr)),
                ..
            } => {
                let (pt, pr) = (*pt, *pr);
                let partner = row_label(&tables[pt], pr);
                let message = format!(
                    "Homonymes inversés : l'identifiant CAS « {cas} » est celui du compte ENT de \
                     {partner}, et {partner} a celui de {who} (« {} »). Échangez les deux \
                     identifiants CAS : chacun entrerait sinon dans l'espace de l'autre.",
                    tables[pt].cas_id(pr)
                );
                let mut evidence = reasons_of(*account, reasons);
                evidence.insert(1, format!("échange avec {partner}"));
                let partner_cas = tables[pt].cas_id(pr).to_owned();
                let mut finding = Finding::new(FindingKind::CasSwapped, Some(col), &cas, message)
                    .with_evidence(evidence)
                    .with_action(Action::SetCas, Some(partner_cas));
                finding.partner = Some((pt, pr));
                return Some(finding);
            }
            StoredLogin::Other {
                account,
                reasons,
                owner,
                ..
            } => {
                let message = format!(
                    "L'identifiant CAS « {cas} » est celui du compte ENT de {}, une autre \
                     personne ({}) : {who} entrerait dans son espace. Supprimez-le (clic droit > \
                     Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS \
                     (ENT)).{own_text}",
                    account_label(ent, *account),
                    reasons.join(" ; ")
                );
                let mut evidence = reasons_of(*account, reasons);
                if let Some((ht, hr)) = *owner {
                    evidence.push(format!(
                        "ce compte correspond à {}",
                        row_label(&tables[ht], hr)
                    ));
                }
                return Some(replace_with(
                    Finding::new(FindingKind::CasSuspect, Some(col), &cas, message)
                        .with_evidence(evidence),
                ));
            }
            StoredLogin::Unsure {
                account,
                reason,
                alternatives,
            } => {
                let message = format!(
                    "L'identifiant CAS « {cas} » est celui du compte ENT de {}, mais {reason}. \
                     Vérifiez dans la console de l'ENT que c'est bien {who} avant de le garder \
                     ou de le supprimer.",
                    account_label(ent, *account)
                );
                let mut finding =
                    Finding::new(FindingKind::AmbiguousMatch, Some(col), &cas, message)
                        .with_evidence(reasons_of(*account, std::slice::from_ref(reason)));
                finding.candidates = std::iter::once(*account)
                    .chain(alternatives.iter().copied())
                    .map(|i| ent.accounts[i].login.clone())
                    .collect();
                return Some(finding);
            }
            StoredLogin::NotInEnt => {
                let message = match &own_login {
                    Some(login) => format!(
                        "L'identifiant CAS « {cas} » n'existe plus dans l'ENT : le compte actuel de \
                         {who} est « {login} ». Remplacez-le (ou supprimez-le pour que la prochaine \
                         connexion le renseigne)."
                    ),
                    None => format!(
                        "L'identifiant CAS « {cas} » n'existe plus dans l'ENT : supprimez-le (clic \
                         droit > Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS \
                         (ENT)) pour que la prochaine connexion depuis l'ENT le renseigne."
                    ),
                };
                let mut evidence = vec![format!("aucun compte ENT n'a l'identifiant « {cas} »")];
                if let Some(c) = own {
                    evidence.extend(c.evidence.iter().cloned());
                }
                return Some(replace_with(
                    Finding::new(FindingKind::CasStale, Some(col), &cas, message)
                        .with_evidence(evidence),
                ));
            }
        }
    }
    match outcome {
        MatchOutcome::Linked(c) => {
            let login = ent.accounts[c.account].login.clone();
            if c.differences.is_empty() {
                let message = format!(
                    "Compte ENT trouvé : « {login} » ({}). Renseignez cet identifiant CAS.",
                    account_label(ent, c.account)
                );
                Some(
                    Finding::new(FindingKind::CasToLink, Some(col), "", message)
                        .with_action(Action::SetCas, Some(login))
                        .with_evidence(c.evidence.clone()),
                )
            } else {
                let message = format!(
                    "L'ENT connaît {who} sous une autre identité ({}) : la première connexion \
                     échouera (« Identification impossible »). Corrigez PRONOTE pour qu'il \
                     corresponde à l'ENT (FAQ A.1), ou renseignez l'identifiant CAS « {login} » \
                     (FAQ A.2).",
                    c.differences.join(" ; ")
                );
                let mut evidence = c.differences.clone();
                evidence.extend(c.evidence.iter().cloned());
                Some(
                    Finding::new(FindingKind::IdentityMismatch, Some(col), "", message)
                        .with_action(Action::SetCas, Some(login))
                        .with_evidence(evidence),
                )
            }
        }
        MatchOutcome::Ambiguous(list) => {
            let logins: Vec<String> = list
                .iter()
                .map(|c| ent.accounts[c.account].login.clone())
                .collect();
            let labels = list
                .iter()
                .map(|c| account_label(ent, c.account))
                .collect::<Vec<_>>()
                .join(", ");
            let message = match list.as_slice() {
                [only] if only.distinct_prenoms => format!(
                    "Un compte ENT proche de {who} porte un autre prénom : {labels}. Deux \
                     personnes (jumeaux ?) ou une faute de frappe : vérifiez dans la console de \
                     l'ENT avant de renseigner l'identifiant CAS à la main."
                ),
                [_] => format!(
                    "Un compte ENT proche de {who}, sans preuve suffisante pour le lier : \
                     {labels}. Vérifiez dans la console de l'ENT et renseignez l'identifiant CAS \
                     à la main."
                ),
                _ => format!(
                    "Plusieurs comptes ENT possibles pour {who}, aucun ne se détache : {labels}. \
                     Vérifiez dans la console de l'ENT et renseignez l'identifiant CAS à la main."
                ),
            };
            let mut finding = Finding::new(FindingKind::AmbiguousMatch, Some(col), "", message)
                .with_evidence(
                    list.iter()
                        .map(|c| {
                            format!(
                                "{} (score {}) : {}",
                                ent.accounts[c.account].login,
                                c.score,
                                c.evidence.join(", ")
                            )
                        })
                        .collect(),
                );
            finding.candidates = logins;
            Some(finding)
        }
        MatchOutcome::NoCandidate => Some(Finding::new(
            FindingKind::NoEntAccount,
            Some(col),
            "",
            format!("Aucun compte ENT ne correspond à {who} dans l'export."),
        )),
    }
}

impl MatchOutcome {
    /// Whether this account is among the row's candidates (its names fit the row's).
    pub fn is_candidate_account(&self, account: usize) -> bool {
        match self {
            Self::Linked(c) => c.account == account,
            Self::Ambiguous(list) => list.iter().any(|c| c.account == account),
            Self::NoCandidate => false,
        }
    }
}

fn resolve_duplicates(
    tables: &[Table],
    ent: &EntDirectory,
    rec: &Reconciliation,
    groups: Vec<(String, Vec<(usize, usize)>)>,
    rows: &mut RowFindings,
) {
    for (cas, group) in groups {
        let keeper = ent
            .account_by_login(&cas)
            .and_then(|a| rec.linked_row[a])
            .filter(|k| group.contains(k));
        let labels = GroupLabels::new(tables, &group);
        for &(t, r) in &group {
            if Some((t, r)) == keeper {
                continue;
            }
            let table = &tables[t];
            let value = table.cas_id(r).to_owned();
            let own_login = rec.outcomes[t][r]
                .linked()
                .map(|c| ent.accounts[c.account].login.clone());
            let message = match keeper {
                Some((kt, kr)) => format!(
                    "L'identifiant CAS « {value} » est aussi sur {}, qui en est le titulaire dans \
                     l'ENT : supprimez-le de cette ligne.",
                    row_label(&tables[kt], kr)
                ),
                None => format!(
                    "L'identifiant CAS « {value} » est aussi sur {} : vérifiez dans l'ENT qui en \
                     est le titulaire.",
                    labels.others((t, r))
                ),
            };
            let mut finding = Finding::new(
                FindingKind::CasDuplicate,
                table.column(ColumnRole::CasId),
                &value,
                message,
            )
            .with_evidence(labels.evidence((t, r)));
            if keeper.is_some() {
                finding = match own_login {
                    Some(login) => finding.with_action(Action::SetCas, Some(login)),
                    None => finding.with_action(Action::ClearCas, None),
                };
            }
            rows[t][r].push(finding);
        }
    }
}

fn orphans(tables: &[Table], ent: &EntDirectory, rec: &Reconciliation) -> Vec<EntFinding> {
    let loaded: Vec<_> = tables.iter().map(|t| t.list).collect();
    // The few accounts no row is nor has as a candidate: only their logins are looked for
    // among the lists' CAS (a set of every CAS of a département cost 120,000 copies).
    let unmatched: Vec<usize> = (0..ent.accounts.len())
        .filter(|&i| unmatched_list(ent, rec, &loaded, i).is_some())
        .collect();
    let mut held: HashMap<String, bool> = unmatched
        .iter()
        .map(|&i| (ent.accounts[i].login.to_lowercase(), false))
        .collect();
    if !held.is_empty() {
        for table in tables {
            for r in 0..table.rows.len() {
                let cas = table.cas_id(r);
                if cas.is_empty() {
                    continue;
                }
                if let Some(found) = held.get_mut(lowercase(cas).as_ref()) {
                    *found = true;
                }
            }
        }
    }
    unmatched
        .into_iter()
        .filter_map(|i| {
            let login = ent.accounts[i].login.to_lowercase();
            orphan(ent, rec, &loaded, i, || held.get(&login) == Some(&true))
        })
        .collect()
}

/// The list of an account that no row of it is, nor has as a candidate, when that list is
/// loaded: an orphan unless a row holds its login.
fn unmatched_list(
    ent: &EntDirectory,
    rec: &Reconciliation,
    loaded: &[ListKind],
    i: usize,
) -> Option<ListKind> {
    let list = ent.accounts[i].profile.and_then(|p| p.list())?;
    (loaded.contains(&list) && rec.linked_row[i].is_none() && !rec.is_candidate[i]).then_some(list)
}

/// The finding of an account that no row of its list is, nor holds (`held`: whether a row
/// holds its login).
fn orphan(
    ent: &EntDirectory,
    rec: &Reconciliation,
    loaded: &[ListKind],
    i: usize,
    held: impl FnOnce() -> bool,
) -> Option<EntFinding> {
    let account = &ent.accounts[i];
    let list = unmatched_list(ent, rec, loaded, i)?;
    if held() {
        return None;
    }
    let message = format!(
        "Le compte ENT {} n'a aucune ligne dans la liste {} de PRONOTE : nouvel arrivant à \
         créer dans PRONOTE, ou compte à fermer dans l'ENT.",
        account_label(ent, i),
        list.label()
    );
    Some(EntFinding {
        account: i,
        finding: Finding::new(FindingKind::EntOrphan, None, &account.login, message),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use super::*;

    /// An account that no row is nor resembles is an orphan, unless a row holds its login
    /// (in any case); every analysis says so alike.
    #[test]
    fn an_unmatched_account_is_an_orphan_unless_a_row_holds_its_login() {
        let ent = EntDirectory::from_bytes(
            Path::new("ent.csv"),
            "\"Id\";\"Type\";\"Nom\";\"Prénom\";\"Identifiant\";\"Classes\";\"Enfants\";\"Courriel\"\n\
             \"u1\";\"Élève\";\"NOUVEAU\";\"Lucas\";\"lucas.nouveau\";\"6A\";\"\";\"\"\n\
             \"u2\";\"Élève\";\"AUTRE\";\"Zoé\";\"zoe.autre\";\"6A\";\"\";\"\"\n\
             \"u3\";\"Élève\";\"DUPONT\";\"Jean\";\"jean.dupont\";\"6A\";\"\";\"\"\n\
             \"u4\";\"Enseignant\";\"PROF\";\"Anne\";\"anne.prof\";\"\";\"\";\"\"\n"
                .as_bytes(),
            None,
        )
        .unwrap();
        let eleves = Table::from_bytes(
            Path::new("eleves.csv"),
            "Nom;Prénom;Classe;Identifiant CAS\n\
             DUPONT;Jean;6A;jean.dupont\n\
             MARTIN;Paul;6A;Zoe.AUTRE\n"
                .as_bytes(),
            Some(ListKind::Eleves),
        )
        .unwrap();
        let tables = [eleves];
        for analysis in [
            analyze(&tables, Some(&ent)),
            analyze_for_reports(&tables, Some(&ent)),
            analyze_for_edits(&tables, Some(&ent)),
        ] {
            let orphans: Vec<&str> = analysis
                .ent
                .iter()
                .map(|f| ent.accounts[f.account].login.as_str())
                .collect();
            // AUTRE Zoé's login is on MARTIN Paul's row: not an orphan. PROF Anne's list
            // (Professeurs) is not loaded.
            assert_eq!(orphans, ["lucas.nouveau"]);
            assert_eq!(analysis.ent[0].finding.kind, FindingKind::EntOrphan);
            assert!(
                analysis.ent[0].finding.message.contains("NOUVEAU Lucas"),
                "{}",
                analysis.ent[0].finding.message
            );
        }
    }
}
