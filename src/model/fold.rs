//! Folding of names and column titles: accents, case, spaces and punctuation removed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cased letters and digits only, accents removed (`"Esp. Par."` → `"esppar"`,
/// `"Né(e) le"` → `"neele"`). Used to match column titles and logins.
pub fn fold_compact(text: &str) -> String {
    if text.is_ascii() {
        // Most names and titles are plain ASCII: no decomposition to do.
        return text
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(ligature)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The words of a name, folded: accents and case removed, split on spaces, hyphens,
/// apostrophes and any other non-alphanumeric character (`"Marie-Désirée"` → `["marie", "desiree"]`).
pub fn fold_words(text: &str) -> Vec<String> {
    if text.is_ascii() {
        return text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
    }
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(ligature)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().map(str::to_owned).collect()
}

/// Particles of French names, ignored when comparing names (`de`, `du`, `le`, `d'`…).
pub const PARTICLES: [&str; 9] = ["de", "du", "des", "le", "la", "les", "d", "l", "van"];

/// The significant words of a name: folded, particles removed (unless nothing else is left).
pub fn name_words(text: &str) -> Vec<String> {
    let mut words = fold_words(text);
    if words.iter().any(|w| !PARTICLES.contains(&w.as_str())) {
        words.retain(|w| !PARTICLES.contains(&w.as_str()));
    }
    words
}

/// A name folded to one key: significant words joined without separator
/// (`"Le Gall-Dupont"` → `"galldupont"`).
pub fn name_key(text: &str) -> String {
    name_words(text).concat()
}

fn ligature(c: char) -> char {
    match c {
        'œ' => 'o',
        'æ' => 'a',
        'ß' => 's',
        'ø' => 'o',
        'ł' => 'l',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_titles_fold_to_the_same_key() {
        assert_eq!(fold_compact("Esp. Par."), "esppar");
        assert_eq!(fold_compact("esp par"), "esppar");
        assert_eq!(fold_compact("Né(e) le"), "neele");
        assert_eq!(
            fold_compact("Accès à l'Espace Parents"),
            "accesalespaceparents"
        );
    }

    #[test]
    fn names_fold_accents_hyphens_and_particles() {
        assert_eq!(name_words("Marie-Désirée"), vec!["marie", "desiree"]);
        assert_eq!(name_key("Le Gall-Dupont"), "galldupont");
        assert_eq!(name_key("de l'Isle"), "isle");
        assert_eq!(name_key("Sélène"), name_key("SELENE"));
    }
}
