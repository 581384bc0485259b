//! What each status means in one sentence, and which case of the FAQ it belongs to: the words
//! of the dashboard (« Tableau de bord »), next to the titles of `findings`.

use super::findings::FindingKind;

/// The three cases of the FAQ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaqCase {
    /// A — « Identification impossible »: the identity differs between PRONOTE and the ENT.
    A,
    /// B — the ENT login changed, or is stored on the wrong person.
    B,
    /// C — the access is closed (Espace Parents).
    C,
}

impl FaqCase {
    /// The case as the help page names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::A => "FAQ A — Identification impossible",
            Self::B => "FAQ B — l'identifiant ENT a changé",
            Self::C => "FAQ C — accès fermé",
        }
    }
}

impl FindingKind {
    /// The statuses in the order the dashboard lists them: what opens someone else's space
    /// first, then stale logins, then what blocks a first connection, then the rest.
    pub const BY_URGENCY: [Self; 13] = [
        Self::CasSwapped,
        Self::CasSuspect,
        Self::CasDuplicate,
        Self::CasStale,
        Self::CasToLink,
        Self::IdentityMismatch,
        Self::ParentAccessOff,
        Self::AmbiguousMatch,
        Self::PronoteEntIdInvalid,
        Self::BirthDateMissing,
        Self::BirthDateInvalid,
        Self::CasMissing,
        Self::NoEntAccount,
    ];

    /// What the status means, in one sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::CasSwapped => {
                "Deux homonymes ont chacun l'identifiant CAS de l'autre : chacun entrerait dans \
                 l'espace de l'autre."
            }
            Self::CasSuspect => {
                "L'identifiant CAS enregistré est celui d'une autre personne : elle entrerait \
                 dans cet espace."
            }
            Self::CasDuplicate => "Le même identifiant CAS est enregistré sur plusieurs fiches.",
            Self::PronoteEntIdInvalid => {
                "L'identifiant PRONOTE-ENT a été abîmé (tableur ?) : réexportez-le de PRONOTE."
            }
            Self::CasStale => {
                "L'identifiant CAS n'existe plus dans l'ENT (migration, renumérotation) : la \
                 connexion échoue."
            }
            Self::CasToLink => {
                "Identifiant CAS vide, un seul compte ENT correspond sûrement : il peut être \
                 renseigné d'avance."
            }
            Self::IdentityMismatch => {
                "L'ENT connaît la personne sous un autre nom, prénom ou date de naissance : la \
                 première connexion échouera."
            }
            Self::ParentAccessOff => {
                "« Accès à l'Espace Parents » n'est pas coché : le parent ne peut pas entrer."
            }
            Self::AmbiguousMatch => {
                "Plusieurs comptes ENT pourraient correspondre (homonymes) : une personne doit \
                 choisir."
            }
            Self::BirthDateMissing => {
                "Sans date de naissance, l'ENT ne peut pas identifier la personne."
            }
            Self::BirthDateInvalid => {
                "La date de naissance n'est pas une date : l'identification par l'ENT échouera."
            }
            Self::CasMissing => {
                "Identifiant CAS vide : il sera renseigné à la première connexion si l'identité \
                 est la même des deux côtés."
            }
            Self::NoEntAccount => {
                "Aucun compte ENT ne correspond : la personne ne peut pas passer par l'ENT."
            }
            Self::EntOrphan => {
                "Comptes de l'ENT sans fiche dans les listes PRONOTE chargées (nouvel arrivant, \
                 liste manquante ?)."
            }
        }
    }

    /// The FAQ case the status belongs to, if any.
    pub fn faq_case(self) -> Option<FaqCase> {
        match self {
            Self::CasSwapped | Self::CasSuspect | Self::CasDuplicate | Self::CasStale => {
                Some(FaqCase::B)
            }
            Self::CasToLink
            | Self::IdentityMismatch
            | Self::AmbiguousMatch
            | Self::BirthDateMissing
            | Self::BirthDateInvalid => Some(FaqCase::A),
            Self::ParentAccessOff => Some(FaqCase::C),
            Self::PronoteEntIdInvalid | Self::CasMissing | Self::NoEntAccount | Self::EntOrphan => {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_lists_every_row_status_once() {
        for kind in FindingKind::ALL {
            let listed = FindingKind::BY_URGENCY
                .iter()
                .filter(|k| **k == kind)
                .count();
            let expected = usize::from(kind != FindingKind::EntOrphan);
            assert_eq!(listed, expected, "{kind:?}");
            assert!(!kind.meaning().is_empty());
        }
    }
}
