//! Given names the matcher knows, to tell a typo from another person's prénom.
//!
//! « Louis » and « Louise », « Paul » and « Paula », « Mathis » and « Mathys » are one letter
//! apart, but they are the names of two people (twins share nom, birth date and class): such a
//! difference is never a typo. A prénom that is in this list, compared with another prénom of
//! the list, or a masculine/feminine pair of one stem, is a *distinct* prénom.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Common given names in France, folded (lower case, ASCII letters, no hyphen).
const KNOWN: &str = "
aaron abel adam adele adelaide adeline adrian adrien agathe agnes ahmed aicha aimee alain alan
albane albert alexandra alexandre alexia alexis alice alicia aline alix aliya alois aloys alphonse
amandine amaury ambre amelie amine amir anais anatole andre andrea andree ange angela angele
angelique anna annabelle anne annette annick annie anthony antoine antoinette antonin apolline
arielle armand armelle arnaud arthur astrid aubin audrey augustin aurele aurelie aurelien aurore
axel axelle aya ayden aymeric baptiste barbara basile bastien beatrice benedicte benjamin benoit
bernadette bernard berthe blanche blandine brice brigitte bruno camille capucine carla carole
caroline catherine cecile cedric celestin celestine celia celine chantal charlene charles
charlie charline charlotte chloe christelle christian christiane christine christophe claire
clara clarisse claude claudette claudine clea clement clementine cleo clotilde colette colin
coline colombe constance corentin corinne cyprien cyril cyrille damien daniel daniela danielle
danny david deborah delphine denis denise diane didier dimitri dominique dorian dylan eden edgar
edith edmond edouard elena eleonore eli elia elias elie eliane elise elisa elisabeth eliott
ella elliot elodie eloi eloise elsa elyne emeline emile emilie emilien emma emmanuel emmanuelle
enzo eric erica erwan estelle esteban esther ethan etienne eugene eugenie eva evan eve evelyne
fabien fabienne fabio fabrice fanny farah fatima fatoumata felicie felix ferdinand fernand
fernande flavie flavien florence florent florian francis francine franck francois francoise
frederic frederique gabin gabriel gabriela gabrielle gael gaelle gaetan gaetane gaspard gauthier
genevieve geoffrey georges georgette gerald geraldine gerard germain germaine ghislain ghislaine
gilbert gilberte gilles ginette gisele gregoire gregory guillaume gustave guy guylaine hadrien
hector helena helene heloise henri henriette herve hippolyte hortense hugo hugues ibrahim ilan
ilyes ines irene iris isaac isabelle isaure isidore ivan jacqueline jacques jade james jamila
jasmine jean jeanne jeannette jeannine jennifer jeremie jeremy jerome jessica joachim joan joanna
jocelyn jocelyne joel joelle johan johanna jonathan jordan jose josee joseph josephine josiane
josue jules julia julian julie julien juliette justin justine kais karim karima karine kelly
kenza kevin kylian laetitia lana laura laure laurence laurent laurine lea leandre leane lena
leni leo leon leonard leonie leontine lily lina lino lisa lise loan lois loic lola lorenzo
lou louane louis louisa louise luc luca lucas lucie lucien lucienne lucille ludivine ludovic
luna lydie lyna madeleine mael maela maelle maelys maeva magali maite malik malo manon manuel
manuela marc marceau marcel marcelle margaux margot marguerite maria marianne marie marin marina
marine mario marion marius marjorie marthe martin martine maryse mateo mathias mathieu mathilde
mathis mathys matteo matthieu mattheo maud maurice max maxence maxime maximilien mayeul melanie
melina melissa melodie mia michel michele micheline mickael mila milan milo mohamed mona monique
morgan morgane muriel mylene myriam nadia nadine naelle naim nais nathalie nathan nathanael
nicolas nicole nina ninon noa noah noe noel noelle noemie nolan nora norah oceane octave odette
odile olivia olivier oscar pascal pascale patrice patricia patrick paul paula paule pauline
perrine philippe pierre pierrick quentin rachel rafael raphael raphaelle raymond raymonde rayan
rebecca regine regis remi remy renaud rene renee richard robert robin rodolphe roger roland
romain romane romeo rose rosalie roxane ruben sabine sabrina sacha salome samuel samy sandra
sandrine sarah sebastien serge severine sidonie simon simone solal solene solenne sophie
stephane stephanie suzanne sylvain sylvaine sylvie tania theo theodore theophile therese thibault
thibaut thierry thomas tiago timeo timothee tom tristan ugo ulysse valentin valentine valerie
valery vanessa vera veronique victoire victor victoria vincent violette virginie vivien vivienne
xavier yacine yanis yann yannick yasmine yohan yolande youssef yves yvette yvonne zelie zoe
";

fn known() -> &'static HashSet<&'static str> {
    static KNOWN_SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    KNOWN_SET.get_or_init(|| KNOWN.split_whitespace().collect())
}

/// Whether a folded prénom is a common given name.
pub fn is_known(folded: &str) -> bool {
    known().contains(folded)
}

/// The stem of a gendered pair: a final `e` or `a` removed, then a doubled final consonant
/// (`louise` → `louis`, `paula` → `paul`, `danielle` → `daniel`, `jeanne` → `jean`).
fn stem(folded: &str) -> &str {
    let bytes = folded.as_bytes();
    let mut end = bytes.len();
    if end > 3 && matches!(bytes[end - 1], b'e' | b'a') {
        end -= 1;
        if end > 3 && bytes[end - 1] == bytes[end - 2] && !b"aeiouy".contains(&bytes[end - 1]) {
            end -= 1;
        }
    }
    &folded[..end]
}

/// Whether two different folded prénoms are the names of two people, not one name mistyped:
/// both are common given names, or one is the feminine form of the other, a known name
/// (`louis` / `louise`). A final letter dropped from an unknown name (`mathild`) is a typo.
pub fn are_distinct(a: &str, b: &str) -> bool {
    if a == b || a.is_empty() || b.is_empty() {
        return false;
    }
    if is_known(a) && is_known(b) {
        return true;
    }
    let gendered = |masculine: &str, feminine: &str| {
        is_known(masculine) && stem(feminine) == masculine && feminine != masculine
    };
    gendered(a, b) || gendered(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gendered_pairs_are_distinct_prenoms() {
        for (a, b) in [
            ("louis", "louise"),
            ("paul", "paula"),
            ("simon", "simone"),
            ("daniel", "danielle"),
            ("jean", "jeanne"),
            ("gabriel", "gabrielle"),
        ] {
            assert!(are_distinct(a, b), "{a} / {b}");
            assert!(are_distinct(b, a), "{b} / {a}");
        }
    }

    #[test]
    fn typos_are_not_distinct_prenoms() {
        for (a, b) in [
            ("thibault", "thibualt"),
            ("mathilde", "mathlde"),
            ("juliette", "juliete"),
            ("mathilde", "mathild"),
            ("lucas", "lucas"),
        ] {
            assert!(!are_distinct(a, b), "{a} / {b}");
        }
        // Two real names one letter apart are two people.
        assert!(are_distinct("mathis", "mathys"));
        assert!(are_distinct("lea", "leo"));
    }
}
