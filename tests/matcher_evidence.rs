//! Stored logins judged on all the evidence, homonym swaps caught, typos found, twins kept
//! apart (issue 7): each case is a small base whose finding and `fix --all` result are checked.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

use std::path::Path;

use pronote_companion::ent::EntDirectory;
use pronote_companion::model::columns::ListKind;
use pronote_companion::model::findings::FindingKind;
use pronote_companion::model::table::Table;
use pronote_companion::review::analysis::{Analysis, analyze};
use pronote_companion::review::fixes::{FixOptions, plan_fixes, plan_to_edit};

const ELEVES_HEADER: &str = "Nom\tPrénom\tNé(e) le\tClasse\tIdentifiant CAS\n";
const ENT_HEADER: &str =
    "\"Id\";\"Type\";\"Nom\";\"Prénom\";\"Identifiant\";\"Classes\";\"Date de naissance\"\n";

/// Élèves rows: `(nom, prénom, né le, classe, CAS)`.
fn eleves(rows: &[(&str, &str, &str, &str, &str)]) -> Table {
    let mut text = ELEVES_HEADER.to_owned();
    for (nom, prenom, birth, class, cas) in rows {
        text.push_str(&format!("{nom}\t{prenom}\t{birth}\t{class}\t{cas}\n"));
    }
    Table::from_bytes(
        Path::new("eleves.txt"),
        text.as_bytes(),
        Some(ListKind::Eleves),
    )
    .unwrap()
}

/// Pupil accounts: `(nom, prénom, login, classe, né le)`.
fn ent(accounts: &[(&str, &str, &str, &str, &str)]) -> EntDirectory {
    let mut text = ENT_HEADER.to_owned();
    for (i, (nom, prenom, login, class, birth)) in accounts.iter().enumerate() {
        text.push_str(&format!(
            "\"u{i}\";\"Élève\";\"{nom}\";\"{prenom}\";\"{login}\";\"{class}\";\"{birth}\"\n"
        ));
    }
    EntDirectory::from_bytes(Path::new("ent.csv"), text.as_bytes(), None).unwrap()
}

/// A few unrelated pupils, so that no base is a single pair.
const OTHERS: [(&str, &str, &str, &str, &str); 3] = [
    ("ROUX", "Camille", "02/02/2012", "5B", "camille.roux"),
    ("FAURE", "Hugo", "03/03/2013", "6A", ""),
    ("BLANC", "Zoé", "04/04/2011", "4C", "zoe.blanc"),
];
const OTHER_ACCOUNTS: [(&str, &str, &str, &str, &str); 3] = [
    ("ROUX", "Camille", "camille.roux", "5B", "02/02/2012"),
    ("FAURE", "Hugo", "hugo.faure", "6A", "03/03/2013"),
    ("BLANC", "Zoé", "zoe.blanc", "4C", "04/04/2011"),
];

fn base(
    rows: &[(&str, &str, &str, &str, &str)],
    accounts: &[(&str, &str, &str, &str, &str)],
) -> (Vec<Table>, EntDirectory, Analysis) {
    let rows: Vec<_> = rows.iter().chain(&OTHERS).copied().collect();
    let accounts: Vec<_> = accounts.iter().chain(&OTHER_ACCOUNTS).copied().collect();
    let tables = vec![eleves(&rows)];
    let ent = ent(&accounts);
    let analysis = analyze(&tables, Some(&ent));
    (tables, ent, analysis)
}

fn kinds(analysis: &Analysis, row: usize) -> Vec<FindingKind> {
    analysis.row(0, row).iter().map(|f| f.kind).collect()
}

/// The Identifiant CAS of every row after `fix --all`.
fn fixed(tables: &[Table], analysis: &Analysis) -> Vec<String> {
    let mut tables = tables.to_vec();
    let plan = plan_fixes(&tables, analysis, FixOptions::all(), None);
    let _ = plan_to_edit(&plan).apply(&mut tables);
    (0..tables[0].rows.len())
        .map(|r| tables[0].cas_id(r).to_owned())
        .collect()
}

#[test]
fn a_working_login_of_an_ent_account_with_a_transposed_nom_is_kept() {
    let (tables, _, analysis) = base(
        &[("DENIS", "Thibault", "12/03/2012", "5B", "thibault.densi")],
        &[("DENSI", "Thibault", "thibault.densi", "5B", "12/03/2012")],
    );
    assert!(
        !kinds(&analysis, 0).contains(&FindingKind::CasSuspect),
        "{:?}",
        analysis.row(0, 0)
    );
    let linked = analysis.linked(0, 0).expect("lié");
    assert!(
        linked
            .differences
            .iter()
            .any(|d| d.contains("DENIS") && d.contains("DENSI")),
        "the name difference is shown: {linked:?}"
    );
    assert_eq!(fixed(&tables, &analysis)[0], "thibault.densi");
}

#[test]
fn working_logins_with_a_prenom_typo_accents_or_a_swap_are_kept() {
    let (tables, _, analysis) = base(
        &[
            ("MOREL", "Mathlide", "01/05/2012", "5A", "mathilde.morel"),
            ("GUERIN", "Helene", "02/06/2012", "5A", "helene.guerin"),
            ("Nolan", "PERRIN", "03/07/2013", "6B", "nolan.perrin"),
            ("LE GALL", "Anaïs", "04/08/2011", "4A", "anais.legall"),
        ],
        &[
            ("MOREL", "Mathilde", "mathilde.morel", "5A", "01/05/2012"),
            ("GUÉRIN", "Hélène", "helene.guerin", "5A", "02/06/2012"),
            ("PERRIN", "Nolan", "nolan.perrin", "6B", "03/07/2013"),
            ("LE GALL-MOAL", "Anaïs", "anais.legall", "4A", "04/08/2011"),
        ],
    );
    let after = fixed(&tables, &analysis);
    for (row, login) in [
        "mathilde.morel",
        "helene.guerin",
        "nolan.perrin",
        "anais.legall",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            !kinds(&analysis, row).contains(&FindingKind::CasSuspect),
            "row {row}: {:?}",
            analysis.row(0, row)
        );
        assert_eq!(after[row], *login);
    }
}

#[test]
fn a_login_with_a_contradicting_birth_date_and_class_is_suspect() {
    let (tables, _, analysis) = base(
        &[("MOREAU", "Lucas", "05/05/2012", "5A", "lucas.moreau")],
        &[("MOREAU", "Lucas", "lucas.moreau", "3C", "09/11/2010")],
    );
    assert!(kinds(&analysis, 0).contains(&FindingKind::CasSuspect));
    assert_eq!(fixed(&tables, &analysis)[0], "");
}

#[test]
fn two_homonyms_who_exchanged_logins_are_both_reported_and_fix_exchanges_them() {
    let (tables, _, analysis) = base(
        &[
            ("MARTIN", "Léa", "14/09/2012", "5A", "lea.martin2"),
            ("MARTIN", "Léa", "02/01/2014", "6D", "lea.martin"),
        ],
        &[
            ("MARTIN", "Léa", "lea.martin", "5A", "14/09/2012"),
            ("MARTIN", "Léa", "lea.martin2", "6D", "02/01/2014"),
        ],
    );
    for row in [0, 1] {
        let swapped = analysis
            .row(0, row)
            .iter()
            .find(|f| f.kind == FindingKind::CasSwapped)
            .unwrap_or_else(|| panic!("row {row}: {:?}", analysis.row(0, row)));
        assert!(swapped.message.contains("Échangez"), "{}", swapped.message);
        assert_eq!(analysis.status(0, row), Some(FindingKind::CasSwapped));
    }
    let after = fixed(&tables, &analysis);
    assert_eq!(after[0], "lea.martin");
    assert_eq!(after[1], "lea.martin2");
}

#[test]
fn fixing_one_swapped_homonym_fixes_its_partner_too() {
    let (tables, _, analysis) = base(
        &[
            ("MARTIN", "Léa", "14/09/2012", "5A", "lea.martin2"),
            ("MARTIN", "Léa", "02/01/2014", "6D", "lea.martin"),
        ],
        &[
            ("MARTIN", "Léa", "lea.martin", "5A", "14/09/2012"),
            ("MARTIN", "Léa", "lea.martin2", "6D", "02/01/2014"),
        ],
    );
    let plan = plan_fixes(&tables, &analysis, FixOptions::all(), Some(&[(0, 0)]));
    let rows: Vec<usize> = plan.iter().map(|f| f.row).collect();
    assert!(rows.contains(&0) && rows.contains(&1), "{plan:?}");
}

#[test]
fn homonyms_with_nothing_to_separate_them_are_ambiguous_never_linked() {
    // No class, no birth date in the ENT: two accounts of one name.
    let (tables, _, analysis) = base(
        &[
            ("MARTIN", "Léa", "14/09/2012", "", "lea.martin2"),
            ("MARTIN", "Léa", "02/01/2014", "", "lea.martin"),
        ],
        &[
            ("MARTIN", "Léa", "lea.martin", "", ""),
            ("MARTIN", "Léa", "lea.martin2", "", ""),
        ],
    );
    for row in [0, 1] {
        assert_eq!(
            analysis.status(0, row),
            Some(FindingKind::AmbiguousMatch),
            "{:?}",
            analysis.row(0, row)
        );
        let finding = &analysis.row(0, row)[0];
        assert!(finding.message.contains("homonymes"), "{}", finding.message);
    }
    // Nothing is removed on a doubt.
    let after = fixed(&tables, &analysis);
    assert_eq!(after[0], "lea.martin2");
    assert_eq!(after[1], "lea.martin");
}

#[test]
fn a_person_without_account_holding_a_namesakes_login_is_suspect() {
    let (tables, _, analysis) = base(
        &[
            ("PETIT", "Jules", "10/10/2012", "5C", "jules.petit"),
            ("PETIT", "Jules", "11/11/2013", "6A", ""),
        ],
        &[("PETIT", "Jules", "jules.petit", "6A", "11/11/2013")],
    );
    assert!(
        kinds(&analysis, 0).contains(&FindingKind::CasSuspect),
        "{:?}",
        analysis.row(0, 0)
    );
    let after = fixed(&tables, &analysis);
    assert_eq!(after[0], "");
    assert_eq!(after[1], "jules.petit");
}

#[test]
fn an_ent_name_with_a_typo_and_the_same_birth_date_is_linked() {
    let (tables, _, analysis) = base(
        &[
            ("DUPUIS", "Mathilde", "21/04/2012", "5D", ""),
            ("BERTRAND", "Noé", "22/05/2013", "6C", ""),
        ],
        &[
            ("DUPIUS", "Mathilde", "mathilde.dupius", "5D", "21/04/2012"),
            ("Noé", "BERTAND", "noe.bertand", "6C", "22/05/2013"),
        ],
    );
    let after = fixed(&tables, &analysis);
    assert_eq!(after[0], "mathilde.dupius", "{:?}", analysis.row(0, 0));
    assert_eq!(after[1], "noe.bertand", "{:?}", analysis.row(0, 1));
    assert!(kinds(&analysis, 0).contains(&FindingKind::IdentityMismatch));
}

#[test]
fn a_typo_alone_with_nothing_that_agrees_is_a_candidate_not_a_link() {
    let (tables, _, analysis) = base(
        &[("DUPUIS", "Mathilde", "", "", "")],
        &[("DUPIUS", "Mathilde", "mathilde.dupius", "", "")],
    );
    assert_eq!(analysis.status(0, 0), Some(FindingKind::AmbiguousMatch));
    assert_eq!(fixed(&tables, &analysis)[0], "");
}

#[test]
fn a_twin_only_in_pronote_is_not_linked_to_the_other_twins_account() {
    let (tables, _, analysis) = base(
        &[("MARTIN", "Louis", "07/07/2012", "5A", "")],
        &[("MARTIN", "Louise", "louise.martin", "5A", "07/07/2012")],
    );
    assert!(analysis.linked(0, 0).is_none(), "{:?}", analysis.row(0, 0));
    assert_ne!(analysis.status(0, 0), Some(FindingKind::CasToLink));
    assert_eq!(fixed(&tables, &analysis)[0], "");
}

#[test]
fn twins_present_on_both_sides_are_each_linked_to_their_own_account() {
    let (tables, _, analysis) = base(
        &[
            ("MARTIN", "Louis", "07/07/2012", "5A", ""),
            ("MARTIN", "Louise", "07/07/2012", "5A", ""),
        ],
        &[
            ("MARTIN", "Louise", "louise.martin", "5A", "07/07/2012"),
            ("MARTIN", "Louis", "louis.martin", "5A", "07/07/2012"),
        ],
    );
    let after = fixed(&tables, &analysis);
    assert_eq!(after[0], "louis.martin");
    assert_eq!(after[1], "louise.martin");
}

#[test]
fn stored_logins_are_kept_when_the_ent_export_has_no_account_of_the_lists_profile() {
    // An ENT export of parents only: the pupils' logins cannot be judged stale.
    let tables = vec![eleves(&OTHERS)];
    let ent = EntDirectory::from_bytes(
        Path::new("ent.csv"),
        format!("{ENT_HEADER}\"p1\";\"Parent\";\"ROUX\";\"Marc\";\"marc.roux\";\"\";\"\"\n")
            .as_bytes(),
        None,
    )
    .unwrap();
    let analysis = analyze(&tables, Some(&ent));
    assert!(!kinds(&analysis, 0).contains(&FindingKind::CasStale));
    assert_eq!(fixed(&tables, &analysis)[0], "camille.roux");
}

/// Responsables rows `(nom, prénom, CAS, élèves)` and parent accounts `(nom, prénom, login,
/// enfants)`.
fn parents_base(
    rows: &[(&str, &str, &str, &str)],
    accounts: &[(&str, &str, &str, &str)],
) -> (Vec<Table>, Analysis) {
    let mut text = "Civilité;Nom;Prénom;Identifiant CAS;Esp. Par.;Élèves\n".to_owned();
    for (nom, prenom, cas, children) in rows {
        text.push_str(&format!("Mme;{nom};{prenom};{cas};Oui;{children}\n"));
    }
    let table = Table::from_bytes(
        Path::new("responsables.csv"),
        text.as_bytes(),
        Some(ListKind::Responsables),
    )
    .unwrap();
    let mut ent_text =
        "\"Id\";\"Type\";\"Nom\";\"Prénom\";\"Identifiant\";\"Enfants\"\n".to_owned();
    for (i, (nom, prenom, login, children)) in accounts.iter().enumerate() {
        ent_text.push_str(&format!(
            "\"p{i}\";\"Parent\";\"{nom}\";\"{prenom}\";\"{login}\";\"{children}\"\n"
        ));
    }
    let ent = EntDirectory::from_bytes(Path::new("ent.csv"), ent_text.as_bytes(), None).unwrap();
    let tables = vec![table];
    let analysis = analyze(&tables, Some(&ent));
    (tables, analysis)
}

#[test]
fn a_namesake_linked_to_her_own_account_does_not_take_a_typod_parents_working_login() {
    // ROU Laurence (the X lost) holds ROUX Laurence's login, with both her children. LE ROUX
    // Laurence shares one child's prénom with that account but is clearly her own account's.
    let (tables, analysis) = parents_base(
        &[
            (
                "ROU",
                "Laurence",
                "laurence.roux",
                "ROUX Rayan, ROUX Héléna",
            ),
            ("LE ROUX", "Laurence", "", "LE ROUX Helena"),
            ("MARTIN", "Sophie", "sophie.martin", "MARTIN Léo"),
        ],
        &[
            (
                "ROUX",
                "Laurence",
                "laurence.roux",
                "ROUX Rayan, ROUX Héléna",
            ),
            ("LE ROUX", "Laurence", "laurence.leroux", "LE ROUX Héléna"),
            ("MARTIN", "Sophie", "sophie.martin", "MARTIN Léo"),
        ],
    );
    assert!(
        !kinds(&analysis, 0).contains(&FindingKind::CasSuspect),
        "{:?}",
        analysis.row(0, 0)
    );
    assert_eq!(
        fixed(&tables, &analysis),
        ["laurence.roux", "laurence.leroux", "sophie.martin"]
    );
}
