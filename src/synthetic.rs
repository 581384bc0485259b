//! A generator of realistic, entirely invented test data: a school's (or a département's)
//! PRONOTE lists and the ENT export of the same people, with the damages of real life (the
//! findings of `model::findings`), and the truth (which ENT login is each row's).
//! Deterministic from a seed. Test support behind the `synthetic` feature: the tests, benches
//! and examples have it, the product does not.

use std::collections::HashMap;

use crate::ent::matcher::predicted_login;
use crate::io::encoding::{TextEncoding, encode};
use crate::model::columns::ListKind;

const NOMS: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFÈVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEBVRE",
    "FAURE",
    "ANDRÉ",
    "MERCIER",
    "BLANC",
    "GUÉRIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANÇOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "PERRIN",
    "ROBIN",
    "CLÉMENT",
    "MORIN",
    "NICOLAS",
    "HENRY",
    "ROUSSEL",
    "MATHIEU",
    "GAUTIER",
    "MASSON",
    "MARCHAND",
    "DUVAL",
    "DENIS",
    "DUMONT",
    "MARIE",
    "LEMAIRE",
    "NOËL",
    "MEYER",
    "DUFOUR",
    "MEUNIER",
    "BRUN",
    "BLANCHARD",
    "GIRAUD",
    "JOLY",
    "RIVIÈRE",
    "LUCAS",
    "BRUNET",
    "GAILLARD",
    "BARBIER",
    "ARNAUD",
    "MARTINEZ",
    "GÉRARD",
    "ROCHE",
    "RENARD",
    "SCHMITT",
    "ROY",
    "LEROUX",
    "COLIN",
    "VIDAL",
    "CARON",
    "PICARD",
    "ROGER",
    "FABRE",
    "AUBERT",
    "LEMOINE",
    "RENAUD",
    "DUMAS",
    "LACROIX",
    "OLIVIER",
    "PHILIPPE",
    "BOURGEOIS",
    "PIERRE",
    "BENOÎT",
    "REY",
    "LECLERC",
    "PAYET",
    "ROLLAND",
    "LECLERCQ",
    "GUILLAUME",
    "LECOMTE",
    "LOPEZ",
    "JEAN",
    "DUPUY",
    "GUILLOT",
    "HUBERT",
    "BERGER",
    "CARPENTIER",
    "SANCHEZ",
    "DUPUIS",
    "MOULIN",
    "LOUIS",
    "DESCHAMPS",
    "HUET",
    "VASSEUR",
    "PEREZ",
    "BOUCHER",
    "FLEURY",
    "ROYER",
    "KLEIN",
    "JACQUET",
    "ADAM",
    "PARIS",
    "POIRIER",
    "MARTY",
    "AUBRY",
    "GUYOT",
    "CARRÉ",
    "CHARLES",
    "RENAULT",
    "CHARPENTIER",
    "MÉNARD",
    "MAILLARD",
    "BARON",
    "BERTIN",
    "BAILLY",
    "HERVÉ",
    "SCHNEIDER",
    "FERNANDEZ",
    "LE GALL",
    "COLLET",
    "LÉGER",
    "BOUVIER",
    "JULIEN",
    "PRÉVOST",
    "MILLET",
    "PERROT",
    "DANIEL",
    "LE ROUX",
    "COUSIN",
    "GERMAIN",
    "BRETON",
    "BESSON",
    "LANGLOIS",
    "RÉMY",
    "LE GOFF",
    "PELLETIER",
    "LÉVÊQUE",
    "PERRIER",
    "LEBLANC",
    "BARRÉ",
    "LEBRUN",
    "MARCHAL",
    "WEBER",
    "MALLET",
    "HAMON",
    "BOULANGER",
    "JACOB",
    "MONNIER",
    "MICHAUD",
    "RODRIGUEZ",
    "GUICHARD",
    "GILLET",
    "ÉTIENNE",
    "GRONDIN",
    "POULAIN",
    "TESSIER",
    "CHEVALLIER",
    "COLLIN",
    "CHAUVIN",
    "DA SILVA",
    "BOUCHET",
    "GAY",
    "LEMAÎTRE",
    "BÉNARD",
    "MARÉCHAL",
    "HUMBERT",
    "REYNAUD",
    "ANTOINE",
    "HOARAU",
    "PERRET",
    "BARTHÉLEMY",
    "CORDIER",
    "PICHON",
    "LEJEUNE",
    "GILBERT",
    "LAMY",
    "DELAUNAY",
    "PASQUIER",
    "CARLIER",
    "LAPORTE",
    "DE LA FONTAINE",
    "D'ALMEIDA",
    "N'DIAYE",
    "DIALLO",
    "TRAORÉ",
    "NGUYEN",
    "BENALI",
    "HADDAD",
    "KOWALSKI",
    "O'NEILL",
    "DE SOUSA",
    "LE BIHAN",
    "MARTIN-DUPONT",
    "LEFORT-GIRAUD",
    "SAINT-MARTIN",
    "DU PONT",
];

const PRENOMS: &[&str] = &[
    "Léa",
    "Emma",
    "Chloé",
    "Manon",
    "Inès",
    "Jade",
    "Louise",
    "Léna",
    "Lina",
    "Zoé",
    "Alice",
    "Camille",
    "Sarah",
    "Clara",
    "Anaïs",
    "Maëlys",
    "Juliette",
    "Lou",
    "Romane",
    "Eva",
    "Ambre",
    "Agathe",
    "Mathilde",
    "Margaux",
    "Océane",
    "Noémie",
    "Élise",
    "Héloïse",
    "Lucie",
    "Margot",
    "Nina",
    "Rose",
    "Anna",
    "Capucine",
    "Élodie",
    "Justine",
    "Pauline",
    "Marine",
    "Laura",
    "Marie-Lou",
    "Anne-Sophie",
    "Marie-Ange",
    "Héléna",
    "Yasmine",
    "Salomé",
    "Célia",
    "Maëlle",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Adam",
    "Raphaël",
    "Nathan",
    "Léo",
    "Ethan",
    "Noah",
    "Tom",
    "Théo",
    "Paul",
    "Sacha",
    "Maël",
    "Nolan",
    "Enzo",
    "Mathis",
    "Timéo",
    "Baptiste",
    "Clément",
    "Maxime",
    "Antoine",
    "Alexandre",
    "Thomas",
    "Quentin",
    "Valentin",
    "Romain",
    "Julien",
    "Kylian",
    "Mohamed",
    "Yanis",
    "Rayan",
    "Noé",
    "Axel",
    "Évan",
    "Loïc",
    "Jean-Baptiste",
    "Pierre-Louis",
    "Jean-Marc",
    "Marc-Antoine",
    "Jérémy",
    "Benoît",
    "Gaëtan",
    "Aurélien",
    "Cédric",
    "Sébastien",
    "François",
    "Stéphane",
    "Frédéric",
    "Hervé",
    "Régis",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Valérie",
    "Christine",
    "Véronique",
    "Sandrine",
    "Stéphanie",
    "Céline",
    "Sophie",
    "Aurélie",
    "Delphine",
    "Émilie",
    "Karine",
    "Virginie",
    "Patricia",
    "Hélène",
    "Laurence",
    "Agnès",
    "Brigitte",
    "Béatrice",
    "Philippe",
    "Patrick",
    "Christophe",
    "Laurent",
    "Nicolas",
    "Éric",
    "David",
    "Olivier",
    "Thierry",
    "Pascal",
    "Vincent",
    "Franck",
    "Didier",
    "Jérôme",
    "Bruno",
    "Guillaume",
    "Fabrice",
    "Jean-Pierre",
    "Jean-Luc",
    "Marie-Christine",
    "Marie-Hélène",
    "Anne-Laure",
    "Gérard",
];

/// Syllables of the long tail of surnames: most French people bear a surname outside any list
/// of the commonest ones, so half the noms are built from these.
const NOM_HEADS: &[&str] = &[
    "BER", "CHA", "DE", "GRA", "LA", "MA", "PER", "RO", "SAU", "TOU", "VAL", "BOU", "CAR", "DUR",
    "FAU", "GAL", "JOU", "LAN", "MOR", "PAS", "QUIN", "RIV", "SEL", "TER", "VER", "BRI", "COU",
    "DAR", "FLO", "GUI", "HER", "JAN", "LEV", "MON", "NAU", "POU", "REN", "SOU", "THI",
];
const NOM_TAILS: &[&str] = &[
    "TIN", "RAND", "MONT", "GEOT", "LIER", "NIER", "VAL", "BERT", "CHON", "DET", "LOT", "RIN",
    "SSEAU", "TEAU", "VIN", "ZARD", "QUET", "GNON", "CHARD", "RAUD", "BAUD", "CELIN", "DOUX",
    "GEON", "LARD", "MIER", "NEAU", "PIN", "RIAT", "TARD", "VEAU", "ZIN", "CAUD", "FOUR",
];

fn random_nom(rng: &mut fastrand::Rng) -> String {
    if rng.bool() {
        pick(rng, NOMS).to_owned()
    } else {
        let mut nom = format!("{}{}", pick(rng, NOM_HEADS), pick(rng, NOM_TAILS));
        if rng.u8(..20) == 0 {
            nom = format!("{nom}-{}{}", pick(rng, NOM_HEADS), pick(rng, NOM_TAILS));
        }
        nom
    }
}

const CLASSES_PER_LEVEL: usize = 6;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Seed of every random choice.
    pub seed: u64,
    /// Pupils (their parents follow, about 1.6 per pupil).
    pub pupils: usize,
    /// Teachers.
    pub teachers: usize,
    /// Other staff.
    pub staff: usize,
    /// Whether the ENT export carries birth dates (Open ENT NG's does not).
    pub ent_birth_dates: bool,
    /// Per thousand pairs of namesakes with an ENT account each, how many had their logins
    /// exchanged by a migration.
    pub swaps_per_mille: u16,
    /// Schools the families are spread over (a pupil's class ends with `-N`); 0: one school per
    /// 600 pupils.
    pub schools: usize,
    /// Whether the lists carry every column the client exports (addresses, telephones, every
    /// tick of the Responsables, the élèves in UTF-16LE), as a superviseur's « toutes les
    /// colonnes » export does: about twice the bytes for the same rows and the same truth.
    pub full_columns: bool,
}

impl GenOptions {
    /// A collège: 600 pupils and their parents, 55 teachers, 25 staff.
    pub fn college(seed: u64) -> Self {
        Self {
            seed,
            pupils: 600,
            teachers: 55,
            staff: 25,
            ent_birth_dates: false,
            // Half the namesake pairs of a collège: enough swaps to test on every seed.
            swaps_per_mille: 500,
            schools: 0,
            full_columns: false,
        }
    }

    /// A département-sized base: about 126,000 rows (54,000 pupils, their ~61,000 parents,
    /// 4,500 teachers, 1,500 staff).
    pub fn departement(seed: u64) -> Self {
        Self {
            seed,
            pupils: 54_000,
            teachers: 4_500,
            staff: 1_500,
            ent_birth_dates: false,
            // A département has namesakes everywhere; a migration renumbers some of them.
            swaps_per_mille: 50,
            schools: 0,
            full_columns: false,
        }
    }
}

/// A generated PRONOTE list, as file bytes, with the truth of each row.
#[derive(Clone, Debug)]
pub struct GeneratedList {
    /// The list.
    pub list: ListKind,
    /// File name.
    pub file_name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Per data row: the login of that person's ENT account (`None` when they have none).
    pub truth: Vec<Option<String>>,
    /// Per data row: whether its stored login was exchanged with a namesake's (injected swap).
    pub swapped: Vec<bool>,
}

/// A generated base.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The PRONOTE lists.
    pub lists: Vec<GeneratedList>,
    /// The ENT export (Open ENT NG "Export classique").
    pub ent_bytes: Vec<u8>,
    /// How many ENT accounts.
    pub ent_accounts: usize,
}

#[derive(Clone, Debug)]
struct Person {
    list: ListKind,
    nom: String,
    prenom: String,
    birth: String,
    classe: String,
    email: String,
    children: Vec<usize>,
    login: Option<String>,
    ent_nom: String,
    ent_prenom: String,
    cas: String,
    parent_access: bool,
    /// Whether the person has a row in PRONOTE (a twin may be in the ENT only).
    in_pronote: bool,
    /// Whether the stored login was exchanged with a namesake's by a migration.
    swapped: bool,
    /// Whether the person has no ENT account, whatever the draw.
    no_account: bool,
    /// The school (0-based): a family's, or one given in turn to teachers and staff.
    school: usize,
}

/// Twins' prénoms: one letter, or a gendered ending, apart.
const TWIN_PRENOMS: &[(&str, &str)] = &[
    ("Louis", "Louise"),
    ("Paul", "Paula"),
    ("Simon", "Simone"),
    ("Daniel", "Danielle"),
    ("Gabriel", "Gabrielle"),
    ("Denis", "Denise"),
    ("Pascal", "Pascale"),
    ("Mathis", "Mathys"),
    ("Léo", "Léa"),
    ("Jean", "Jeanne"),
];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// A typing mistake: a letter missing, changed, added, or two letters transposed.
fn one_letter_typo(rng: &mut fastrand::Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let letters: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if letters.is_empty() {
        return text.to_owned();
    }
    let i = letters[rng.usize(..letters.len())];
    let mut out = chars.clone();
    let lower = !chars[i].is_uppercase();
    let letter = |c: char| if lower { c } else { c.to_ascii_uppercase() };
    match rng.u8(..4) {
        0 => {
            out.remove(i);
        }
        1 => {
            let replacement = letter('e');
            out[i] = if chars[i] == replacement {
                letter('a')
            } else {
                replacement
            };
        }
        2 => out.insert(i, letter(['r', 'n', 's', 'l'][rng.usize(..4)])),
        _ => {
            // A transposition with the next letter (DENIS / DENSI), else the previous one.
            let j = if i + 1 < chars.len() && chars[i + 1].is_alphabetic() {
                i + 1
            } else {
                i - 1
            };
            if chars[i] == chars[j] {
                out.remove(i);
            } else {
                out.swap(i, j);
            }
        }
    }
    out.into_iter().collect()
}

fn strip_accents(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// Generates a base.
pub fn generate(options: &GenOptions) -> Generated {
    let (people, ghosts) = people_of(options);
    assemble(options, &people, &ghosts, &|_| true, None)
}

/// One school of a split département: its folder name and its files.
#[derive(Clone, Debug)]
pub struct GeneratedSchool {
    /// Folder name (`college-001`), whose folded form is the school's « Établissements » value.
    pub folder: String,
    /// The school's lists and its own ENT export (its accounts only).
    pub base: Generated,
}

/// The name of school `index` in the « Établissements » column (`Collège 001`).
fn school_name(index: usize) -> String {
    format!("Collège {:03}", index + 1)
}

/// Generates a base spread over `options.schools` schools and splits it: per school its lists
/// and its own ENT export, and the département's one shared ENT export whose « Établissements »
/// column names each account's school. Logins are numbered over the whole département, as the
/// ENT numbers homonyms platform-wide.
pub fn generate_split(options: &GenOptions) -> (Vec<GeneratedSchool>, Vec<u8>) {
    let (people, ghosts) = people_of(options);
    let schools = options.schools.max(1);
    let split = (0..schools)
        .map(|school| GeneratedSchool {
            folder: format!("college-{:03}", school + 1),
            base: assemble(options, &people, &ghosts, &|p| p.school == school, None),
        })
        .collect();
    let all: Vec<&Person> = people
        .iter()
        .filter(|p| p.login.is_some())
        .chain(ghosts.iter())
        .collect();
    let shared_ent = write_ent(
        &all,
        &people,
        options.ent_birth_dates,
        Some(&|p: &Person| school_name(p.school)),
    );
    (split, shared_ent)
}

/// The files of the people `keep` accepts: the four lists and their ENT export (with an
/// « Établissements » column when `establishment` names each account's school).
fn assemble(
    options: &GenOptions,
    people: &[Person],
    ghosts: &[Person],
    keep: &dyn Fn(&Person) -> bool,
    establishment: Option<&dyn Fn(&Person) -> String>,
) -> Generated {
    let lists = [
        ListKind::Professeurs,
        ListKind::Eleves,
        ListKind::Responsables,
        ListKind::Personnels,
    ]
    .iter()
    .map(|&list| write_list(list, people, keep, options.full_columns))
    .collect();
    let ent_people: Vec<&Person> = people
        .iter()
        .filter(|p| p.login.is_some())
        .chain(ghosts.iter())
        .filter(|p| keep(p))
        .collect();
    let ent_bytes = write_ent(&ent_people, people, options.ent_birth_dates, establishment);
    Generated {
        lists,
        ent_bytes,
        ent_accounts: ent_people.len(),
    }
}

/// Everybody of a generated base, and the departed pupils still in the ENT (`ghosts`).
fn people_of(options: &GenOptions) -> (Vec<Person>, Vec<Person>) {
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut people: Vec<Person> = Vec::new();
    let blank = |list| Person {
        list,
        nom: String::new(),
        prenom: String::new(),
        birth: String::new(),
        classe: String::new(),
        email: String::new(),
        children: Vec::new(),
        login: None,
        ent_nom: String::new(),
        ent_prenom: String::new(),
        cas: String::new(),
        parent_access: true,
        in_pronote: true,
        swapped: false,
        no_account: false,
        school: 0,
    };
    let levels = ["6", "5", "4", "3"];
    let schools = if options.schools > 0 {
        options.schools
    } else {
        (options.pupils / 600).max(1)
    };
    // Pupils, by family: a family has 1 to 3 children.
    let mut pupils: Vec<usize> = Vec::new();
    while pupils.len() < options.pupils {
        // Some families bear the nom of another and name a child alike: homonym pupils, in
        // other classes, with other parents.
        let namesake_index =
            (!pupils.is_empty() && rng.u16(..1000) < 25).then(|| pupils[rng.usize(..pupils.len())]);
        let namesake = namesake_index.map(|i| people[i].clone());
        let nom = namesake
            .as_ref()
            .map_or_else(|| random_nom(&mut rng), |p| p.nom.clone());
        let kids = 1 + usize::from(rng.u8(..10) < 3) + usize::from(rng.u8(..10) == 0);
        let school = rng.usize(..schools);
        let mut family = Vec::new();
        for k in 0..kids {
            if pupils.len() >= options.pupils {
                break;
            }
            let level = rng.usize(..4);
            let mut p = blank(ListKind::Eleves);
            p.school = school;
            p.nom = nom.clone();
            p.prenom = match &namesake {
                Some(other) if k == 0 => other.prenom.clone(),
                // Siblings never share a prénom.
                _ => loop {
                    let prenom = pick(&mut rng, &PRENOMS[..96]);
                    if !family.iter().any(|&f: &usize| people[f].prenom == prenom) {
                        break prenom.to_owned();
                    }
                },
            };
            let year = 2015 - level as u32;
            p.birth = format!("{:02}/{:02}/{year}", rng.u32(1..=28), rng.u32(1..=12));
            p.classe = format!(
                "{}{}{}",
                levels[level],
                (b'A' + rng.u8(..CLASSES_PER_LEVEL as u8)) as char,
                if schools > 1 {
                    format!("-{school}")
                } else {
                    String::new()
                }
            );
            if k == 0
                && let Some(other) = &namesake
                && other.classe == p.classe
            {
                // A namesake is in another class (one class letter further).
                let letter = p.classe.as_bytes()[1] - b'A';
                let next = (b'A' + (letter + 1) % CLASSES_PER_LEVEL as u8) as char;
                p.classe.replace_range(1..2, &next.to_string());
            }
            // Twins: same nom, birth date and class, prénoms a letter or an ending apart. Half
            // of them are split: one has no ENT account yet, the other has left PRONOTE.
            let twin = (pupils.len() + 1 < options.pupils && rng.u16(..1000) < 15).then(|| {
                let (first, second) = TWIN_PRENOMS[rng.usize(..TWIN_PRENOMS.len())];
                p.prenom = first.to_owned();
                let mut twin = p.clone();
                twin.prenom = second.to_owned();
                if rng.bool() {
                    p.no_account = true;
                    twin.in_pronote = false;
                }
                twin
            });
            family.push(people.len());
            pupils.push(people.len());
            people.push(p);
            if let Some(twin) = twin {
                family.push(people.len());
                pupils.push(people.len());
                people.push(twin);
            }
        }
        // One or two responsables. A namesake family's parents bear other prénoms than the
        // namesake's own (two fathers of one name, each with a child of one name, are rarer than
        // the generator's short lists of prénoms would make them).
        let taken_prenoms: Vec<String> = namesake_index
            .map(|other| {
                // The namesake's own parents follow it closely in the list of people.
                people[other..]
                    .iter()
                    .take(8)
                    .filter(|p| p.list == ListKind::Responsables && p.children.contains(&other))
                    .map(|p| p.prenom.clone())
                    .collect()
            })
            .unwrap_or_default();
        let parents = if rng.u8(..10) < 7 { 2 } else { 1 };
        for k in 0..parents {
            let mut p = blank(ListKind::Responsables);
            p.school = school;
            p.birth = adult_birth(&mut rng);
            p.nom = if k == 1 && rng.u8(..10) < 3 {
                random_nom(&mut rng)
            } else {
                nom.clone()
            };
            // Two parents of one family never share a prénom.
            let first_parent = (k == 1).then(|| people[people.len() - 1].prenom.clone());
            p.prenom = loop {
                let prenom = pick(&mut rng, &PRENOMS[96..]);
                if !taken_prenoms.iter().any(|t| t == prenom)
                    && first_parent.as_deref() != Some(prenom)
                {
                    break prenom.to_owned();
                }
            };
            p.children = family.clone();
            people.push(p);
        }
    }
    for list in [ListKind::Professeurs, ListKind::Personnels] {
        let count = if list == ListKind::Professeurs {
            options.teachers
        } else {
            options.staff
        };
        let first = people.len();
        for k in 0..count {
            let mut p = blank(list);
            p.school = k % schools;
            p.birth = adult_birth(&mut rng);
            if people.len() > first && rng.u16(..1000) < 30 {
                // A namesake colleague.
                let other = &people[first + rng.usize(..people.len() - first)];
                p.nom = other.nom.clone();
                p.prenom = other.prenom.clone();
            } else {
                p.nom = random_nom(&mut rng);
                p.prenom = pick(&mut rng, &PRENOMS[96..]).to_owned();
            }
            people.push(p);
        }
    }
    // The ENT accounts: most people have one, with the Open ENT NG login rule.
    // Homonyms are numbered platform-wide in the order accounts are created.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for p in &mut people {
        p.ent_nom = p.nom.clone();
        p.ent_prenom = p.prenom.clone();
        // Typos on the ENT side: the login is built from the ENT's (mistyped) name.
        match rng.u16(..1000) {
            0..=14 => p.ent_nom = one_letter_typo(&mut rng, &p.ent_nom),
            15..=24 => p.ent_prenom = one_letter_typo(&mut rng, &p.ent_prenom),
            _ => {}
        }
        if p.no_account || rng.u16(..1000) < 25 {
            continue; // new arrival: no ENT account yet
        }
        let base = predicted_login(&p.ent_nom, &p.ent_prenom);
        let n = taken.entry(base.clone()).or_default();
        *n += 1;
        let login = if *n == 1 { base } else { format!("{base}{n}") };
        p.login = Some(login);
    }
    // Academic e-mail addresses (in PRONOTE and in the ENT alike), numbered by the académie for
    // namesakes, in its own order: not the ENT login's number.
    let mut addresses: HashMap<String, usize> = HashMap::new();
    for p in people.iter_mut().rev() {
        if matches!(p.list, ListKind::Professeurs | ListKind::Personnels) {
            let base = predicted_login(&p.nom, &p.prenom);
            let n = addresses.entry(base.clone()).or_default();
            *n += 1;
            p.email = if *n == 1 {
                format!("{base}@ac-exemple.fr")
            } else {
                format!("{base}.{n}@ac-exemple.fr")
            };
        }
    }
    // Identity damages: the PRONOTE side differs from the ENT's.
    for p in &mut people {
        let roll = rng.u16(..1000);
        match roll {
            0..=19 => p.nom = one_letter_typo(&mut rng, &p.nom),
            20..=34 => p.prenom = strip_accents(&p.prenom),
            35..=44 if p.prenom.contains('-') => {
                p.prenom = p.prenom.split('-').next().unwrap_or("").to_owned();
            }
            45..=52 if p.list == ListKind::Responsables => {
                p.ent_nom = format!("{}-{}", p.nom, pick(&mut rng, &NOMS[..60]));
            }
            53..=58 => std::mem::swap(&mut p.ent_nom, &mut p.ent_prenom),
            59..=73 => p.prenom = one_letter_typo(&mut rng, &p.prenom),
            _ => {}
        }
    }
    // The stored Identifiant CAS: set for those who connected, sometimes stale or wrong.
    let logins: Vec<Option<String>> = people.iter().map(|p| p.login.clone()).collect();
    let count = people.len();
    for (i, p) in people.iter_mut().enumerate() {
        let roll = rng.u16(..1000);
        let Some(login) = &p.login else {
            if roll < 300 {
                // A login of the previous ENT, that no longer exists.
                p.cas = format!(
                    "{}.{}",
                    strip_accents(&p.prenom).to_lowercase(),
                    rng.u32(100..999)
                );
            }
            continue;
        };
        p.cas = match roll {
            0..=549 => login.clone(),
            550..=589 => {
                // Changed by a migration: the stored one is the old provider's `nom.prenom`.
                let (first, last) = login.split_once('.').unwrap_or((login.as_str(), ""));
                format!("{last}.{first}")
            }
            590..=599 => {
                // Another person's login, stored on this row.
                let other = rng.usize(..count);
                logins[other]
                    .clone()
                    .filter(|_| other != i)
                    .unwrap_or_default()
            }
            _ => String::new(),
        };
        if p.list == ListKind::Responsables && rng.u16(..1000) < 40 {
            p.parent_access = false;
        }
    }
    // Homonyms renumbered by a migration: each keeps the other's login. Or one has no account
    // any more and still holds the login of a namesake.
    let mut namesakes: HashMap<(ListKind, String), Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        if let Some(login) = &p.login
            && p.in_pronote
        {
            let base = login
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_owned();
            namesakes.entry((p.list, base)).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = namesakes.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        let (a, b) = (group[0], group[1]);
        let (Some(login_a), Some(login_b)) = (people[a].login.clone(), people[b].login.clone())
        else {
            continue;
        };
        let roll = rng.u16(..1000);
        match roll {
            _ if roll < options.swaps_per_mille => {
                people[a].cas = login_b;
                people[b].cas = login_a;
                people[a].swapped = true;
                people[b].swapped = true;
            }
            _ if roll < options.swaps_per_mille + 100 => {
                people[a].login = None;
                people[a].cas = login_b;
            }
            _ => {}
        }
    }
    // A few spouses holding the other parent's CAS (duplicates).
    for i in 1..count {
        if people[i].list == ListKind::Responsables
            && people[i - 1].list == ListKind::Responsables
            && people[i].children == people[i - 1].children
            && rng.u16(..1000) < 8
            && !people[i - 1].cas.is_empty()
        {
            people[i].cas = people[i - 1].cas.clone();
        }
    }
    // ENT orphans: departed pupils still in the ENT.
    let mut ghosts = Vec::new();
    for k in 0..(options.pupils / 50) {
        let mut p = blank(ListKind::Eleves);
        p.school = k % schools;
        p.ent_nom = pick(&mut rng, NOMS).to_owned();
        p.ent_prenom = pick(&mut rng, &PRENOMS[..96]).to_owned();
        p.classe = "3A".to_owned();
        p.login = Some(format!(
            "{}.parti{k}",
            predicted_login(&p.ent_nom, &p.ent_prenom)
        ));
        ghosts.push(p);
    }
    (people, ghosts)
}

fn quote_if_needed(field: &str, delimiter: char) -> String {
    if field.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

fn adult_birth(rng: &mut fastrand::Rng) -> String {
    format!(
        "{:02}/{:02}/{}",
        rng.u32(1..=28),
        rng.u32(1..=12),
        rng.u32(1960..=1995)
    )
}

/// A deterministic number from a row's index, for the columns that carry no truth (addresses,
/// telephones, ticks): they take nothing from the random draws, so the slim and the full
/// exports of a seed hold the same people with the same logins.
fn row_hash(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64 ^ salt).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 32)
}

fn pick_by<'a>(items: &[&'a str], h: u64) -> &'a str {
    items[(h % items.len() as u64) as usize]
}

/// A postal address: (Adresse 1, Adresse 2, Code postal, Ville).
fn address(i: usize) -> (String, String, String, String) {
    const STREETS: &[&str] = &[
        "rue des Lilas",
        "avenue de la République",
        "boulevard Jean Jaurès",
        "chemin du Moulin",
        "allée des Peupliers",
        "place de l'Église",
        "impasse des Vignes",
        "route de Marseille",
        "rue Victor Hugo",
        "avenue du Général de Gaulle",
    ];
    const SECOND: &[&str] = &[
        "",
        "",
        "",
        "Résidence les Pins, bâtiment B",
        "Appartement 12",
        "Lieu-dit les Granges",
    ];
    const TOWNS: &[(&str, &str)] = &[
        ("13001", "MARSEILLE"),
        ("13100", "AIX-EN-PROVENCE"),
        ("13200", "ARLES"),
        ("13300", "SALON-DE-PROVENCE"),
        ("13400", "AUBAGNE"),
        ("13500", "MARTIGUES"),
        ("13600", "LA CIOTAT"),
        ("13700", "MARIGNANE"),
    ];
    let h = row_hash(i, 0xAD);
    let (code, town) = TOWNS[(h % TOWNS.len() as u64) as usize];
    (
        format!("{} {}", 1 + (h >> 8) % 180, pick_by(STREETS, h >> 16)),
        pick_by(SECOND, h >> 24).to_owned(),
        code.to_owned(),
        town.to_owned(),
    )
}

fn mobile(i: usize) -> String {
    let h = row_hash(i, 0x7E1);
    format!(
        "0{} {:02} {:02} {:02} {:02}",
        6 + h % 2,
        (h >> 4) % 100,
        (h >> 12) % 100,
        (h >> 20) % 100,
        (h >> 28) % 100
    )
}

fn write_list(
    list: ListKind,
    people: &[Person],
    keep: &dyn Fn(&Person) -> bool,
    full: bool,
) -> GeneratedList {
    let rows: Vec<&Person> = people
        .iter()
        .filter(|p| p.list == list && p.in_pronote && keep(p))
        .collect();
    // Every column of the full export, in the client's order; `true` marks the ones of the slim
    // export (a subsequence: the slim files are the same as before the full ones existed).
    let (file_name, encoding, delimiter, eol, columns): (
        &str,
        TextEncoding,
        char,
        &str,
        Vec<(&str, bool)>,
    ) = match list {
        ListKind::Professeurs | ListKind::Personnels => (
            if list == ListKind::Professeurs {
                "professeurs.csv"
            } else {
                "personnels.csv"
            },
            TextEncoding::Utf16Le,
            ';',
            "\r\n",
            vec![
                ("Nom", true),
                ("Prénom", true),
                ("Autorisation", false),
                ("Adresse E-mail", true),
                ("Identifiant de connexion", true),
                ("Mot de passe", true),
                ("Identifiant PRONOTE-ENT", true),
                ("Identifiant CAS", true),
                ("Adresse 1", false),
                ("Adresse 2", false),
                ("Code postal", true),
                ("Ville", false),
                ("Tél. portable", false),
            ],
        ),
        ListKind::Eleves => (
            "eleves.txt",
            if full {
                TextEncoding::Utf16Le
            } else {
                TextEncoding::Utf8
            },
            '\t',
            if full { "\r\n" } else { "\n" },
            vec![
                ("Nom", true),
                ("Prénom", true),
                ("Né(e) le", true),
                ("S", false),
                ("Classe", true),
                ("Projet d'accompagnement", false),
                ("Identifiant de connexion", true),
                ("Mot de passe", false),
                ("Identifiant PRONOTE-ENT", true),
                ("Identifiant CAS", true),
                ("Régime", false),
            ],
        ),
        ListKind::Responsables => (
            "responsables.csv",
            TextEncoding::Windows1252,
            ';',
            "\r\n",
            vec![
                ("Civilité", true),
                ("Nom", true),
                ("Prénom", true),
                ("Mot de passe", false),
                ("Identifiant PRONOTE-ENT", true),
                ("Identifiant CAS", true),
                ("Bul.", false),
                ("Elève", false),
                ("Adm.", false),
                ("Prof.", false),
                ("SMS", false),
                ("Esp. Par.", true),
                ("E-mail", false),
                ("Courrier", false),
                ("Délégué", false),
                ("Adresse 1", false),
                ("Adresse 2", false),
                ("Code postal", false),
                ("Ville", false),
                ("Tél. portable", false),
                ("Adresse E-mail", false),
                ("Élèves", true),
            ],
        ),
    };
    let kept: Vec<bool> = columns.iter().map(|&(_, slim)| full || slim).collect();
    let mut header: Vec<&str> = columns
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c.0)
        .collect();
    // Personnels exports may carry a birth date (and no class): they are not Élèves.
    let staff_birth = list == ListKind::Personnels;
    if staff_birth {
        header.insert(2, "Né(e) le");
    }
    let mut text = header.join(&delimiter.to_string());
    text.push_str(eol);
    let mut truth = Vec::with_capacity(rows.len());
    let mut swapped = Vec::with_capacity(rows.len());
    let tick = |yes: bool| if yes { "Oui" } else { "Non" }.to_owned();
    for (i, p) in rows.iter().enumerate() {
        let pronote_ent_id = format!(
            "{:016X}",
            (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        );
        let login = format!(
            "{}{}",
            crate::model::fold::fold_compact(&p.nom).to_uppercase(),
            i
        );
        let h = row_hash(i, list as u64);
        let (address_1, address_2, postal_code, town) = address(i);
        let fields: Vec<String> = match list {
            ListKind::Professeurs | ListKind::Personnels => vec![
                p.nom.clone(),
                p.prenom.clone(),
                "Oui".to_owned(),
                p.email.clone(),
                login,
                "******".to_owned(),
                pronote_ent_id,
                p.cas.clone(),
                address_1,
                address_2,
                if full {
                    postal_code
                } else {
                    "13001".to_owned()
                },
                town,
                mobile(i),
            ],
            ListKind::Eleves => vec![
                p.nom.clone(),
                p.prenom.clone(),
                p.birth.clone(),
                if h.is_multiple_of(2) { "F" } else { "M" }.to_owned(),
                p.classe.clone(),
                pick_by(&["", "", "", "", "", "", "PAP", "PPS", "PAI"], h >> 8).to_owned(),
                login,
                "******".to_owned(),
                pronote_ent_id,
                p.cas.clone(),
                pick_by(&["Externe", "Demi-pensionnaire", "Interne"], h >> 16).to_owned(),
            ],
            ListKind::Responsables => vec![
                if i % 2 == 0 { "Mme" } else { "M." }.to_owned(),
                p.nom.clone(),
                p.prenom.clone(),
                "******".to_owned(),
                pronote_ent_id,
                p.cas.clone(),
                tick(true),
                tick(false),
                tick(true),
                tick(true),
                tick(!h.is_multiple_of(3)),
                tick(p.parent_access),
                tick(!h.is_multiple_of(5)),
                tick(h.is_multiple_of(4)),
                tick(h.is_multiple_of(40)),
                address_1,
                address_2,
                postal_code,
                town,
                mobile(i),
                format!(
                    "{}.{}{}@courriel.exemple",
                    crate::model::fold::fold_compact(&p.prenom),
                    crate::model::fold::fold_compact(&p.nom),
                    h % 100
                ),
                p.children
                    .iter()
                    .filter(|&&c| people[c].in_pronote)
                    .map(|&c| format!("{} {}", people[c].nom, people[c].prenom))
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
        };
        let mut fields: Vec<String> = fields
            .into_iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|(f, _)| f)
            .collect();
        if staff_birth {
            fields.insert(2, p.birth.clone());
        }
        let line: Vec<String> = fields
            .iter()
            .map(|f| quote_if_needed(f, delimiter))
            .collect();
        text.push_str(&line.join(&delimiter.to_string()));
        text.push_str(eol);
        truth.push(p.login.clone());
        swapped.push(p.swapped);
    }
    GeneratedList {
        list,
        file_name: file_name.to_owned(),
        // Every character generated is in Windows-1252.
        bytes: encode(&text, encoding).unwrap_or_default(),
        truth,
        swapped,
    }
}

fn write_ent(
    accounts: &[&Person],
    people: &[Person],
    birth_dates: bool,
    establishment: Option<&dyn Fn(&Person) -> String>,
) -> Vec<u8> {
    let mut header = vec![
        "Id",
        "Type",
        "Nom",
        "Prénom",
        "Identifiant",
        "Classes",
        "Enfants",
        "Courriel",
    ];
    if birth_dates {
        header.push("Date de naissance");
    }
    if establishment.is_some() {
        header.push("Établissements");
    }
    let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut text = header
        .iter()
        .map(|h| quoted(h))
        .collect::<Vec<_>>()
        .join(";");
    text.push_str("\r\n");
    for (i, p) in accounts.iter().enumerate() {
        let kind = match p.list {
            ListKind::Eleves => "Élève",
            ListKind::Responsables => "Parent",
            ListKind::Professeurs => "Enseignant",
            ListKind::Personnels => "Personnel",
        };
        let children = p
            .children
            .iter()
            .map(|&c| format!("{} {}", people[c].ent_nom, people[c].ent_prenom))
            .collect::<Vec<_>>()
            .join(", ");
        let mut fields = vec![
            format!("u{i:06}"),
            kind.to_owned(),
            p.ent_nom.clone(),
            p.ent_prenom.clone(),
            p.login.clone().unwrap_or_default(),
            p.classe.clone(),
            children,
            p.email.clone(),
        ];
        if birth_dates {
            fields.push(p.birth.clone());
        }
        if let Some(establishment) = establishment {
            fields.push(establishment(p));
        }
        text.push_str(
            &fields
                .iter()
                .map(|f| quoted(f))
                .collect::<Vec<_>>()
                .join(";"),
        );
        text.push_str("\r\n");
    }
    encode(&text, TextEncoding::Utf8Bom).unwrap_or_default()
}

/// Quality of the final Identifiant CAS over every row of a generated base.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// Rows.
    pub rows: usize,
    /// Rows whose person has an ENT account.
    pub with_account: usize,
    /// Share of non-empty final CAS that are the person's own login.
    pub precision: f64,
    /// Share of rows with an account whose final CAS is their login.
    pub recall: f64,
    /// Rows where the tool set a login while a homonym (same folded nom and prénom, same list)
    /// exists, without evidence beyond the names.
    pub homonym_links_without_evidence: usize,
    /// Rows whose stored login was their own and was removed or replaced.
    pub correct_removed: usize,
    /// Rows left with a login that is not theirs (another person's, or none at all).
    pub wrong_left: usize,
    /// Rows whose login was exchanged with a namesake's (injected).
    pub swaps_injected: usize,
    /// Of those, the rows reported as swapped homonyms.
    pub swaps_reported: usize,
    /// Of those, the rows with an error or a warning (swapped, suspect, ambiguous…): none is
    /// left looking right.
    pub swaps_flagged: usize,
}

/// Precision and recall of the final Identifiant CAS of every row against the truth.
fn metrics(original: &[Vec<String>], final_cas: &[Vec<String>], generated: &Generated) -> Metrics {
    let mut m = Metrics {
        rows: 0,
        with_account: 0,
        precision: 1.0,
        recall: 1.0,
        homonym_links_without_evidence: 0,
        correct_removed: 0,
        wrong_left: 0,
        swaps_injected: 0,
        swaps_reported: 0,
        swaps_flagged: 0,
    };
    let (mut set, mut correct, mut found) = (0, 0, 0);
    for ((before, after), list) in original.iter().zip(final_cas).zip(&generated.lists) {
        for ((before, after), truth) in before.iter().zip(after).zip(&list.truth) {
            m.rows += 1;
            let before = before.trim().to_lowercase();
            let after = after.trim().to_lowercase();
            let truth = truth.as_deref();
            if truth.is_some() {
                m.with_account += 1;
            }
            if !after.is_empty() {
                set += 1;
                if truth == Some(after.as_str()) {
                    correct += 1;
                    found += 1;
                } else {
                    m.wrong_left += 1;
                }
            }
            if !before.is_empty() && truth == Some(before.as_str()) && after != before {
                m.correct_removed += 1;
            }
        }
        m.swaps_injected += list.swapped.iter().filter(|&&s| s).count();
    }
    if set > 0 {
        m.precision = correct as f64 / set as f64;
    }
    if m.with_account > 0 {
        m.recall = found as f64 / m.with_account as f64;
    }
    m
}

/// Loads a generated base the way the command line does; the message of the first file that
/// does not read (which would be a bug of the generator).
pub fn load(
    generated: &Generated,
) -> Result<(Vec<crate::model::table::Table>, crate::ent::EntDirectory), String> {
    use std::path::Path;
    let tables = generated
        .lists
        .iter()
        .map(|l| {
            crate::model::table::Table::from_bytes(Path::new(&l.file_name), &l.bytes, Some(l.list))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ent =
        crate::ent::EntDirectory::from_bytes(Path::new("ent.csv"), &generated.ent_bytes, None)
            .map_err(|e| e.to_string())?;
    Ok((tables, ent))
}

/// The Identifiant CAS of every row.
fn cas_of(tables: &[crate::model::table::Table]) -> Vec<Vec<String>> {
    tables
        .iter()
        .map(|t| (0..t.rows.len()).map(|r| t.cas_id(r).to_owned()).collect())
        .collect()
}

/// Runs `fix --all` on a generated base and measures the final Identifiant CAS.
pub fn evaluate(generated: &Generated) -> Result<Metrics, String> {
    use crate::model::columns::ColumnRole;
    use crate::model::findings::{Finding, FindingKind, Severity};
    use crate::model::fold::name_key;
    use crate::review::analysis::analyze;
    use crate::review::fixes::{FixOptions, plan_fixes, plan_to_edit};
    let (mut tables, ent) = load(generated)?;
    let original = cas_of(&tables);
    let analysis = analyze(&tables, Some(&ent));
    let plan = plan_fixes(&tables, &analysis, FixOptions::all(), None);
    // Homonym links: the evidence of every link set on a row that has a homonym.
    let mut homonym_links_without_evidence = 0;
    let mut homonym_count: HashMap<(usize, String, String), usize> = HashMap::new();
    for (t, table) in tables.iter().enumerate() {
        for r in 0..table.rows.len() {
            *homonym_count
                .entry((t, name_key(table.nom(r)), name_key(table.prenom(r))))
                .or_default() += 1;
        }
    }
    for fix in &plan {
        let table = &tables[fix.table];
        if table.column(ColumnRole::CasId) != Some(fix.column) || fix.value.is_empty() {
            continue;
        }
        let key = (
            fix.table,
            name_key(table.nom(fix.row)),
            name_key(table.prenom(fix.row)),
        );
        if homonym_count.get(&key).copied().unwrap_or(0) < 2 {
            continue;
        }
        let separated = analysis.linked(fix.table, fix.row).is_some_and(|c| {
            c.evidence.iter().any(|e| {
                [
                    "même classe",
                    "même enfant",
                    "mêmes enfants",
                    "même adresse",
                    "même date",
                ]
                .iter()
                .any(|k| e.contains(k))
            })
        }) || analysis
            .row(fix.table, fix.row)
            .iter()
            .any(|f| f.kind == FindingKind::CasSwapped);
        if !separated {
            homonym_links_without_evidence += 1;
        }
    }
    // The swapped rows whose findings satisfy `reported`.
    let swapped_rows = |reported: &dyn Fn(&Finding) -> bool| -> usize {
        generated
            .lists
            .iter()
            .enumerate()
            .map(|(t, list)| {
                list.swapped
                    .iter()
                    .enumerate()
                    .filter(|&(r, &s)| s && analysis.row(t, r).iter().any(reported))
                    .count()
            })
            .sum()
    };
    let swaps_reported = swapped_rows(&|f| f.kind == FindingKind::CasSwapped);
    let swaps_flagged = swapped_rows(&|f| f.severity() != Severity::Info);
    let _ = plan_to_edit(&plan).apply(&mut tables);
    let mut m = metrics(&original, &cas_of(&tables), generated);
    m.homonym_links_without_evidence = homonym_links_without_evidence;
    m.swaps_reported = swaps_reported;
    m.swaps_flagged = swaps_flagged;
    Ok(m)
}

/// The rows `fix --all` gets wrong on a generated base, one line each: the row, its stored,
/// true and final login, and what the tool said (to study a failure of [`evaluate`]).
pub fn evaluate_errors(generated: &Generated) -> Result<Vec<String>, String> {
    use crate::model::findings::FindingKind;
    use crate::review::analysis::analyze;
    use crate::review::fixes::{FixOptions, plan_fixes, plan_to_edit};
    let (mut tables, ent) = load(generated)?;
    let original = cas_of(&tables);
    let analysis = analyze(&tables, Some(&ent));
    let plan = plan_fixes(&tables, &analysis, FixOptions::all(), None);
    let _ = plan_to_edit(&plan).apply(&mut tables);
    let after = cas_of(&tables);
    let mut out = Vec::new();
    for (t, list) in generated.lists.iter().enumerate() {
        for (r, truth) in list.truth.iter().enumerate() {
            let before = original[t][r].to_lowercase();
            let now = after[t][r].to_lowercase();
            let truth = truth.clone().unwrap_or_default();
            let wrong = !now.is_empty() && now != truth;
            let removed = !before.is_empty() && before == truth && now != before;
            let missed = !truth.is_empty() && now != truth;
            let swap_missed = list.swapped[r]
                && !analysis
                    .row(t, r)
                    .iter()
                    .any(|f| f.kind == FindingKind::CasSwapped);
            if !(wrong || removed || missed || swap_missed) {
                continue;
            }
            let what = if wrong {
                "FAUX"
            } else if removed {
                "RETIRÉ"
            } else if swap_missed {
                "ÉCHANGE MANQUÉ"
            } else {
                "MANQUÉ"
            };
            let findings: Vec<String> = analysis
                .row(t, r)
                .iter()
                .map(|f| format!("{:?}: {} [{}]", f.kind, f.message, f.evidence.join(" | ")))
                .collect();
            out.push(format!(
                "{what} {} ligne {} {} {} : stocké « {before} », vrai « {truth} », final « {now} » — {}",
                list.file_name,
                tables[t].rows[r].line,
                tables[t].nom(r),
                tables[t].prenom(r),
                findings.join(" // ")
            ));
        }
    }
    Ok(out)
}

/// The SACoche baseline: link a row when exactly one ENT account of its profile has the same
/// nom and prénom (exact, case-insensitive); keep the stored CAS otherwise.
pub fn evaluate_exact_name_baseline(generated: &Generated) -> Result<Metrics, String> {
    let (tables, ent) = load(generated)?;
    let mut index: HashMap<(Option<ListKind>, String, String), Vec<usize>> = HashMap::new();
    for (i, a) in ent.accounts.iter().enumerate() {
        let list = a.profile.and_then(|p| p.list());
        index
            .entry((
                list,
                a.nom.as_str().to_uppercase(),
                a.prenom.as_str().to_uppercase(),
            ))
            .or_default()
            .push(i);
    }
    let final_cas: Vec<Vec<String>> = tables
        .iter()
        .map(|t| {
            (0..t.rows.len())
                .map(|r| {
                    let key = (
                        Some(t.list),
                        t.nom(r).to_uppercase(),
                        t.prenom(r).to_uppercase(),
                    );
                    match index.get(&key) {
                        Some(found) if found.len() == 1 => ent.accounts[found[0]].login.clone(),
                        _ => t.cas_id(r).to_owned(),
                    }
                })
                .collect()
        })
        .collect();
    Ok(metrics(&cas_of(&tables), &final_cas, generated))
}

/// What opening the files [`write_files`] wrote in `dir` asks: the four lists, then the ENT
/// export.
pub fn open_requests(dir: &std::path::Path) -> Vec<crate::review::open::OpenRequest> {
    use crate::review::open::OpenRequest;
    let mut requests: Vec<OpenRequest> = [
        "professeurs.csv",
        "eleves.txt",
        "responsables.csv",
        "personnels.csv",
    ]
    .iter()
    .map(|name| OpenRequest::Auto(dir.join(name)))
    .collect();
    requests.push(OpenRequest::Ent(dir.join("ent.csv"), None));
    requests
}

/// Generates a base and writes its files (the four lists and `ent.csv`) into `dir`.
pub fn write_files(options: &GenOptions, dir: &std::path::Path) -> std::io::Result<()> {
    let generated = generate(options);
    std::fs::create_dir_all(dir)?;
    for list in &generated.lists {
        std::fs::write(dir.join(&list.file_name), &list.bytes)?;
    }
    std::fs::write(dir.join("ent.csv"), &generated.ent_bytes)
}

/// Generates a département split into `options.schools` schools and writes one sub-folder per
/// school (`college-001`…) into `dir`, each with its lists and, unless `shared_ent`, its own
/// `ent.csv`; with `shared_ent`, the one export of every account, with « Établissements », is
/// `dir/ent-departement.csv`.
pub fn write_split_files(
    options: &GenOptions,
    dir: &std::path::Path,
    shared_ent: bool,
) -> std::io::Result<()> {
    let (schools, shared) = generate_split(options);
    std::fs::create_dir_all(dir)?;
    for school in &schools {
        let folder = dir.join(&school.folder);
        std::fs::create_dir_all(&folder)?;
        for list in &school.base.lists {
            std::fs::write(folder.join(&list.file_name), &list.bytes)?;
        }
        if !shared_ent {
            std::fs::write(folder.join("ent.csv"), &school.base.ent_bytes)?;
        }
    }
    if shared_ent {
        std::fs::write(dir.join("ent-departement.csv"), shared)?;
    }
    Ok(())
}

/// For benchmarks: when this process was started as `EXE --generer DOSSIER ÉLÈVES`, writes a
/// département base with that many pupils into the folder and returns `true` (the caller then
/// exits); with `PRONOTE_COMPANION_COLONNES_COMPLETES` set, the lists carry every column. See
/// [`write_files_in_child`].
pub fn serve_generation_request() -> std::io::Result<bool> {
    let args: Vec<String> = std::env::args().collect();
    let Some(i) = args.iter().position(|a| a == "--generer") else {
        return Ok(false);
    };
    let (Some(dir), Some(pupils)) = (
        args.get(i + 1),
        args.get(i + 2).and_then(|p| p.parse().ok()),
    ) else {
        return Err(std::io::Error::other("usage : --generer DOSSIER ÉLÈVES"));
    };
    let options = GenOptions {
        pupils,
        // The benchmarks' way to load the lists with every column (see `docs/PERFORMANCE.md`).
        full_columns: std::env::var_os("PRONOTE_COMPANION_COLONNES_COMPLETES").is_some(),
        ..GenOptions::departement(7)
    };
    write_files(&options, std::path::Path::new(dir))?;
    Ok(true)
}

/// Writes a département base (seed 7, `pupils` pupils) into `dir` from a child process running
/// the current executable, so that the generator's memory is not counted in the caller's peak.
/// The executable must call [`serve_generation_request`] first thing.
pub fn write_files_in_child(dir: &std::path::Path, pupils: usize) -> std::io::Result<()> {
    let status = std::process::Command::new(std::env::current_exe()?)
        .arg("--generer")
        .arg(dir)
        .arg(pupils.to_string())
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("génération : {status}")))
    }
}
