//! Folding of names and column titles: accents, case, spaces and punctuation removed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Which bytes are ASCII letters and digits: a lookup per byte, without a branch to mispredict
/// (identifiers such as `9E3779B97F4A7C15` mix letters and digits at random, and testing each
/// byte with `is_ascii_alphanumeric` cost about six times more than copying them).
static ASCII_ALPHANUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// `text.to_lowercase()`, borrowed when that changes nothing (logins and CAS nearly always are
/// lower-case ASCII already: no copy for them).
pub fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    let unchanged = if text.is_ascii() {
        !text.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        text.chars().all(|c| {
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        })
    };
    if unchanged {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_lowercase())
    }
}

/// Whether `text` is only ASCII letters and digits (its folding is then its lower case).
pub fn is_ascii_alphanumeric(text: &str) -> bool {
    text.bytes().fold(true, |all, byte| {
        all & ASCII_ALPHANUMERIC[usize::from(byte)]
    })
}

/// Lower-cased letters and digits only, accents removed (`"Esp. Par."` → `"esppar"`,
/// `"Né(e) le"` → `"neele"`). Used to match column titles and logins.
pub fn fold_compact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_fold_compact(&mut out, text);
    out
}

/// [`fold_compact`] into a compact string: kept inline up to 24 bytes, so that the e-mail of
/// each of a département's rows and accounts, folded for the matcher, costs no allocation.
pub fn fold_compact_inline(text: &str) -> compact_str::CompactString {
    const INLINE: usize = 24;
    if text.is_ascii() {
        // Folded on the stack, then copied once into the compact string.
        let mut folded = [0u8; INLINE];
        let mut len = 0;
        for byte in text.bytes() {
            if ASCII_ALPHANUMERIC[usize::from(byte)] {
                let Some(slot) = folded.get_mut(len) else {
                    return compact_str::CompactString::from(fold_compact(text));
                };
                *slot = byte.to_ascii_lowercase();
                len += 1;
            }
        }
        // ASCII letters and digits: always UTF-8.
        return std::str::from_utf8(&folded[..len])
            .map(compact_str::CompactString::from)
            .unwrap_or_default();
    }
    compact_str::CompactString::from(fold_compact(text))
}

/// Appends `text` folded as [`fold_compact`] folds it, without a string of its own for ASCII
/// and Latin text (the grid's search index and sorts fold whole columns this way).
pub fn push_fold_compact(out: &mut String, text: &str) {
    if is_ascii_alphanumeric(text) {
        // Identifiers, logins, most names: copied whole, then lower-cased in place.
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
    } else if text.is_ascii() {
        // Most other names and titles are plain ASCII too: no decomposition to do.
        out.extend(
            text.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else if let Some(table) = latin_table(text) {
        for c in text.chars() {
            out.extend(table.folded(c).chars().filter(|&c| c != ' '));
        }
    } else {
        out.push_str(&fold_compact_decomposing(text));
    }
}

/// [`fold_compact`] through the canonical decomposition of the whole text.
fn fold_compact_decomposing(text: &str) -> String {
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
    fold_spaced(text)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The words of `text` folded as [`fold_words`] folds them, in one text, separated by spaces
/// (and possibly more spaces around them): to split with `split_whitespace` into words kept
/// elsewhere than in `String`s of their own.
pub fn fold_spaced(text: &str) -> String {
    if let Some(table) = latin_table(text) {
        let mut folded = String::with_capacity(text.len());
        for c in text.chars() {
            folded.push_str(table.folded(c));
        }
        return folded;
    }
    decomposed_with_spaces(text)
}

/// The letters and digits of `text` decomposed, marks dropped, lower-cased, with a space for
/// any other character: what [`fold_words`] splits and [`fold_compact`] keeps the letters of.
fn decomposed_with_spaces(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(ligature)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
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

/// The characters below this one (ASCII, Latin-1, Latin Extended-A and B: the letters of
/// French and European names) fold through [`LatinTable`].
const LATIN_END: u32 = 0x250;

/// How each character below [`LATIN_END`] folds alone ([`decomposed_with_spaces`]), built
/// once by the decomposing path itself, so that a text of such characters folds character by
/// character without decomposing the whole text. The result is the same: a decomposition only
/// reorders the combining marks it produces, and every mark is dropped; lower-casing and
/// ligatures go character by character.
struct LatinTable {
    folded: Vec<String>,
}

impl LatinTable {
    fn folded(&self, c: char) -> &str {
        &self.folded[c as usize]
    }
}

/// The table, if every character of `text` is in it.
fn latin_table(text: &str) -> Option<&'static LatinTable> {
    static TABLE: std::sync::OnceLock<LatinTable> = std::sync::OnceLock::new();
    if text.chars().any(|c| u32::from(c) >= LATIN_END) {
        return None;
    }
    Some(TABLE.get_or_init(|| {
        LatinTable {
            // Below U+0250 every code is a character (the surrogates come far later).
            folded: (0..LATIN_END)
                .map(|code| {
                    let c = char::from_u32(code).map(String::from).unwrap_or_default();
                    decomposed_with_spaces(&c)
                })
                .collect(),
        }
    }))
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
    fn lowercase_is_to_lowercase_borrowed_when_nothing_changes() {
        for text in [
            "",
            "lea.martin",
            "Lea.Martin",
            "zoé",
            "ZOÉ",
            "ß",
            "ǅ",
            "Σ",
            "σς",
            "x\u{2028}",
        ] {
            let lower = lowercase(text);
            assert_eq!(lower, text.to_lowercase(), "{text}");
            assert_eq!(
                matches!(lower, std::borrow::Cow::Borrowed(_)),
                lower == text,
                "{text}"
            );
        }
    }

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

    /// Texts made of the Latin table's characters (folded through it), and some texts that also
    /// hold a combining mark or a character beyond it (folded by decomposing the whole text).
    fn latin_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let latin = prop_oneof![
            3 => proptest::char::range('\u{0}', '\u{24f}'),
            1 => proptest::sample::select(vec!['é', 'È', 'ç', 'Œ', 'æ', 'ß', 'Ł', 'İ', 'ǅ', ' ', '-', '\'']),
        ];
        let beyond = proptest::sample::select(vec!['\u{301}', '\u{327}', 'ж', 'Ω', 'ﬁ', '\u{250}']);
        let mixed = prop_oneof![6 => latin.clone(), 1 => beyond];
        prop_oneof![
            4 => proptest::collection::vec(latin, 0..24),
            1 => proptest::collection::vec(mixed, 0..24),
        ]
        .prop_map(|chars| chars.into_iter().collect())
    }

    /// [`fold_words`] through the canonical decomposition of the whole text.
    fn fold_words_decomposing(text: &str) -> Vec<String> {
        decomposed_with_spaces(text)
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_latin_character_folds_alone_as_the_decomposition_folds_it() {
        for code in 0..LATIN_END {
            let text = char::from_u32(code).map(String::from).unwrap_or_default();
            assert_eq!(
                fold_compact(&text),
                fold_compact_decomposing(&text),
                "{code:#x}"
            );
            assert_eq!(
                fold_words(&text),
                fold_words_decomposing(&text),
                "{code:#x}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Folding a text of the table's characters one by one gives what decomposing the whole
        /// text gives (and a text beyond the table still folds by decomposing).
        #[test]
        fn a_text_folds_as_its_decomposition_does(text in latin_text()) {
            proptest::prop_assert_eq!(fold_compact(&text), fold_compact_decomposing(&text));
            proptest::prop_assert_eq!(fold_words(&text), fold_words_decomposing(&text));
        }

        /// The inline folding is the folding, ASCII (kept inline or longer than 24 bytes) or not.
        #[test]
        fn the_inline_folding_is_the_folding(
            text in proptest::prop_oneof![latin_text(), "[ -~]{0,40}"]
        ) {
            let inline = fold_compact_inline(&text);
            proptest::prop_assert_eq!(inline.as_str(), fold_compact(&text));
        }
    }

    #[test]
    fn letters_and_digits_alone_fold_to_their_lower_case() {
        for text in [
            "9E3779B97F4A7C15",
            "abc",
            "ABC123",
            "",
            "a-b",
            "é",
            "a b",
            "x\u{7f}",
        ] {
            let expected: String = text
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            assert_eq!(
                is_ascii_alphanumeric(text),
                text.chars().all(|c| c.is_ascii_alphanumeric()),
                "{text}"
            );
            if text.is_ascii() {
                assert_eq!(fold_compact(text), expected, "{text}");
            }
        }
        assert!(
            (0..=255u8).all(|b| ASCII_ALPHANUMERIC[usize::from(b)] == b.is_ascii_alphanumeric())
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
