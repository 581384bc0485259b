//! Findings: what is wrong with a row (or an ENT account), how serious, and what to do.

use serde::Serialize;
use std::borrow::Cow;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// Someone cannot log in, or will not be able to.
    Warning,
    /// A wrong or damaged link: fix it before anything else.
    Error,
}

impl Severity {
    /// French name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Info => "information",
            Self::Warning => "à corriger",
            Self::Error => "erreur",
        }
    }
}

/// The proposed change for a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Empty the Identifiant CAS.
    ClearCas,
    /// Set the Identifiant CAS to the suggested login.
    SetCas,
    /// Tick *Accès à l'Espace Parents*.
    GrantParentAccess,
}

/// The switch of a fix run (`fix --clear-stale`, the window's « Appliquer les corrections
/// proposées »…) that applies a kind's proposed change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoFix {
    /// Clear (or replace) a stale CAS.
    ClearStale,
    /// Clear (or replace) another person's CAS.
    ClearSuspect,
    /// Clear a duplicated CAS from the rows that are not its holder.
    ClearDuplicates,
    /// Set the CAS to the login of a confident link.
    Link,
    /// Tick *Accès à l'Espace Parents*.
    GrantParentAccess,
}

/// Every kind of finding. Titles, statuses and severities live in the `match`es below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Two homonyms each hold the other's login (homonyms renumbered by an ENT migration).
    CasSwapped,
    /// The stored CAS is another person's (per ENT identity or per name resemblance).
    CasSuspect,
    /// The same CAS on several rows.
    CasDuplicate,
    /// The Identifiant PRONOTE-ENT is not 16 characters `[A-Z0-9]`.
    PronoteEntIdInvalid,
    /// The stored CAS is no ENT login.
    CasStale,
    /// The linked ENT account has another nom, prénom or birth date.
    IdentityMismatch,
    /// Several ENT candidates, none clearly best.
    AmbiguousMatch,
    /// Empty CAS and one confident ENT candidate.
    CasToLink,
    /// *Accès à l'Espace Parents* not ticked.
    ParentAccessOff,
    /// No birth date.
    BirthDateMissing,
    /// A birth date that is no date.
    BirthDateInvalid,
    /// Empty CAS (without ENT export).
    CasMissing,
    /// No ENT account for this person.
    NoEntAccount,
    /// An ENT account with no PRONOTE row.
    EntOrphan,
}

impl FindingKind {
    /// Every kind, most serious first (the order of the status chips).
    pub const ALL: [Self; 14] = [
        Self::CasSwapped,
        Self::CasSuspect,
        Self::CasDuplicate,
        Self::PronoteEntIdInvalid,
        Self::CasStale,
        Self::IdentityMismatch,
        Self::AmbiguousMatch,
        Self::CasToLink,
        Self::ParentAccessOff,
        Self::BirthDateMissing,
        Self::BirthDateInvalid,
        Self::CasMissing,
        Self::NoEntAccount,
        Self::EntOrphan,
    ];

    /// The kinds whose proposed change the tool can apply (the bulk « Appliquer les corrections
    /// proposées »), most serious first: those with an [`Self::auto_fix`] (a test keeps them
    /// in step).
    pub const FIXABLE: [Self; 7] = [
        Self::CasSwapped,
        Self::CasSuspect,
        Self::CasDuplicate,
        Self::CasStale,
        Self::CasToLink,
        Self::IdentityMismatch,
        Self::ParentAccessOff,
    ];

    /// The fix that applies this kind's proposed change, if the tool can apply it (the one
    /// place that says so: menus, grid and fix runs ask here).
    pub fn auto_fix(self) -> Option<AutoFix> {
        match self {
            Self::CasStale => Some(AutoFix::ClearStale),
            Self::CasSuspect | Self::CasSwapped => Some(AutoFix::ClearSuspect),
            Self::CasDuplicate => Some(AutoFix::ClearDuplicates),
            Self::CasToLink | Self::IdentityMismatch => Some(AutoFix::Link),
            Self::ParentAccessOff => Some(AutoFix::GrantParentAccess),
            Self::PronoteEntIdInvalid
            | Self::AmbiguousMatch
            | Self::BirthDateMissing
            | Self::BirthDateInvalid
            | Self::CasMissing
            | Self::NoEntAccount
            | Self::EntOrphan => None,
        }
    }

    /// Whether the tool can apply this kind's proposed change.
    pub fn has_auto_fix(self) -> bool {
        self.auto_fix().is_some()
    }

    /// The name in the JSON report.
    pub fn code(self) -> &'static str {
        match self {
            Self::CasSwapped => "cas_swapped",
            Self::CasSuspect => "cas_suspect",
            Self::CasDuplicate => "cas_duplicate",
            Self::PronoteEntIdInvalid => "pronote_ent_id_invalid",
            Self::CasStale => "cas_stale",
            Self::IdentityMismatch => "identity_mismatch",
            Self::AmbiguousMatch => "ambiguous_match",
            Self::CasToLink => "cas_to_link",
            Self::ParentAccessOff => "parent_access_off",
            Self::BirthDateMissing => "birth_date_missing",
            Self::BirthDateInvalid => "birth_date_invalid",
            Self::CasMissing => "cas_missing",
            Self::NoEntAccount => "no_ent_account",
            Self::EntOrphan => "ent_orphan",
        }
    }

    /// How serious it is.
    pub fn severity(self) -> Severity {
        match self {
            Self::CasSwapped
            | Self::CasSuspect
            | Self::CasDuplicate
            | Self::PronoteEntIdInvalid => Severity::Error,
            Self::CasStale
            | Self::IdentityMismatch
            | Self::AmbiguousMatch
            | Self::CasToLink
            | Self::ParentAccessOff
            | Self::BirthDateMissing
            | Self::BirthDateInvalid => Severity::Warning,
            Self::CasMissing | Self::NoEntAccount | Self::EntOrphan => Severity::Info,
        }
    }

    /// The status shown in the grid's status column and on the filter chips.
    pub fn status(self) -> &'static str {
        match self {
            Self::CasSwapped => "Homonymes inversés",
            Self::CasSuspect => "Suspect",
            Self::CasDuplicate => "Doublon",
            Self::PronoteEntIdInvalid => "Identifiant PRONOTE-ENT abîmé",
            Self::CasStale => "Périmé",
            Self::IdentityMismatch => "Identité divergente",
            Self::AmbiguousMatch => "Ambigu",
            Self::CasToLink => "À lier",
            Self::ParentAccessOff => "Esp. Par. non coché",
            Self::BirthDateMissing => "Date de naissance manquante",
            Self::BirthDateInvalid => "Date de naissance invalide",
            Self::CasMissing => "CAS vide",
            Self::NoEntAccount => "Sans compte ENT",
            Self::EntOrphan => "Absent de PRONOTE",
        }
    }

    /// What the superviseur should do, with the PRONOTE menu path (FAQ A, B, C).
    pub fn remedy(self) -> &'static str {
        match self {
            Self::CasSwapped => {
                "Deux homonymes ont chacun l'identifiant CAS de l'autre (renumérotation par l'ENT) : \
                 chacun entrerait dans l'espace de l'autre. Échangez les deux identifiants CAS (ou \
                 supprimez-les tous les deux : clic droit > Modifier la sélection > CAS et ENT > \
                 Supprimer l'identifiant CAS (ENT))."
            }
            Self::CasSuspect => {
                "Supprimez cet identifiant CAS : sélectionnez la ligne, clic droit > Modifier la \
                 sélection > CAS et ENT > Supprimer l'identifiant CAS (ENT). Il ouvre l'espace \
                 d'une autre personne."
            }
            Self::CasDuplicate => {
                "Un même identifiant CAS ne peut être que sur la fiche de son titulaire : \
                 supprimez-le des autres lignes (clic droit > Modifier la sélection > CAS et ENT > \
                 Supprimer l'identifiant CAS (ENT))."
            }
            Self::PronoteEntIdInvalid => {
                "L'identifiant PRONOTE-ENT doit faire 16 caractères A-Z/0-9 : le fichier a été \
                 abîmé (tableur ?). Ne le corrigez pas à la main : réexportez-le (Imports/Exports > \
                 Socles ENT > Exporter les identifiants PRONOTE)."
            }
            Self::CasStale => {
                "L'identifiant de connexion ENT a changé : supprimez l'identifiant CAS (clic droit > \
                 Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS (ENT)) ou \
                 remplacez-le par l'identifiant ENT actuel."
            }
            Self::IdentityMismatch => {
                "L'ENT connaît cette personne sous une autre identité : la première connexion \
                 échouera (« Identification impossible »). Corrigez le nom, le prénom ou la date de \
                 naissance dans PRONOTE, ou renseignez l'identifiant CAS à la main (FAQ A)."
            }
            Self::AmbiguousMatch => {
                "Plusieurs comptes ENT pourraient correspondre (homonymes) : vérifiez sur la fiche \
                 ENT de la personne et renseignez l'identifiant CAS à la main."
            }
            Self::CasToLink => {
                "Renseignez l'identifiant CAS proposé (clic droit > Modifier la sélection > CAS et \
                 ENT), ou laissez la personne se connecter une première fois depuis l'ENT."
            }
            Self::ParentAccessOff => {
                "Ouvrez la fiche du responsable (Ressources > Responsables) et cochez « Accès à \
                 l'Espace Parents » pour chaque enfant."
            }
            Self::BirthDateMissing => {
                "Renseignez la date de naissance dans PRONOTE (Ressources > Élèves) : sans elle \
                 l'identification par l'ENT échoue."
            }
            Self::BirthDateInvalid => {
                "La date de naissance n'est pas au format JJ/MM/AAAA : corrigez-la dans PRONOTE \
                 (Ressources > Élèves)."
            }
            Self::CasMissing => {
                "Aucun identifiant CAS : il sera renseigné à la première connexion depuis l'ENT si \
                 l'identité est la même des deux côtés."
            }
            Self::NoEntAccount => {
                "Aucun compte ENT ne correspond : la personne ne pourra pas passer par l'ENT tant \
                 que son compte n'existe pas (console de l'ENT)."
            }
            Self::EntOrphan => {
                "Ce compte ENT ne correspond à aucune ligne des listes PRONOTE chargées \
                 (nouvel arrivant ? liste manquante ?)."
            }
        }
    }
}

/// One finding on one row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// What is wrong.
    pub kind: FindingKind,
    /// The column concerned (0-based), when there is one.
    #[serde(skip)]
    pub column: Option<usize>,
    /// The value in that column.
    pub value: String,
    /// The proposed change.
    pub action: Option<Action>,
    /// The value proposed (a login for `set_cas`).
    pub suggested: Option<String>,
    /// The French explanation: what is wrong here and what to do. A fixed text is borrowed:
    /// a département's 49,000 « CAS vide » rows share one.
    pub message: Cow<'static, str>,
    /// Why the tool believes it, strongest first.
    pub evidence: Vec<String>,
    /// Other candidates (ENT logins) a person should choose from.
    pub candidates: Vec<String>,
    /// The other row of a pair whose fix must be applied together (swapped homonyms).
    #[serde(skip)]
    pub partner: Option<(usize, usize)>,
}

impl Finding {
    /// A finding with no action, suggestion or evidence yet.
    pub fn new(
        kind: FindingKind,
        column: Option<usize>,
        value: &str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            kind,
            column,
            value: value.to_owned(),
            action: None,
            suggested: None,
            message: message.into(),
            evidence: Vec::new(),
            candidates: Vec::new(),
            partner: None,
        }
    }

    /// Sets the action and the suggested value.
    #[must_use]
    pub fn with_action(mut self, action: Action, suggested: Option<String>) -> Self {
        self.action = Some(action);
        self.suggested = suggested;
        self
    }

    /// Adds evidence lines.
    #[must_use]
    pub fn with_evidence(mut self, evidence: Vec<String>) -> Self {
        self.evidence = evidence;
        self
    }

    /// Its severity.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }
}

/// How many names a message lists before « et N autre(s) »: a login shared by thousands of
/// rows must not make every one of their messages thousands of names long.
pub const LISTED_AT_MOST: usize = 5;

/// Joins the first [`LISTED_AT_MOST`] of `items` with `, `, and says how many of `total` are
/// left out.
pub fn short_list(items: impl IntoIterator<Item = String>, total: usize) -> String {
    let shown: Vec<String> = items.into_iter().take(LISTED_AT_MOST).collect();
    let mut text = shown.join(", ");
    if total > shown.len() {
        text.push_str(&format!(" et {} autre(s)", total - shown.len()));
    }
    text
}

#[cfg(test)]
mod short_list_tests {
    use super::*;

    #[test]
    fn a_short_list_names_a_few_and_counts_the_rest() {
        let items = (1..=8).map(|i| i.to_string());
        assert_eq!(short_list(items, 8), "1, 2, 3, 4, 5 et 3 autre(s)");
        assert_eq!(short_list(["a".to_owned()], 1), "a");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixable_kinds_are_those_with_an_auto_fix_in_severity_order() {
        let with_fix: Vec<FindingKind> = FindingKind::ALL
            .into_iter()
            .filter(|k| k.has_auto_fix())
            .collect();
        let mut fixable = FindingKind::FIXABLE.to_vec();
        fixable.sort();
        assert_eq!(fixable, with_fix);
    }
}
