//! Reading then writing a file with no edit gives back its bytes, for every format accepted.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers panic on purpose.

mod common;

use std::path::Path;

use pronote_companion::io::encoding::{TextEncoding, encode};
use pronote_companion::model::table::{LineEnding, Table};
use proptest::prelude::*;

fn round_trip(bytes: &[u8]) -> Vec<u8> {
    let table = Table::from_bytes(Path::new("eleves.csv"), bytes, None).unwrap();
    table.to_bytes().unwrap()
}

#[test]
fn every_sample_file_is_written_back_byte_identical() {
    for path in common::exemple_lists() {
        let bytes = std::fs::read(&path).unwrap();
        let table = Table::read_path(&path, None).unwrap();
        assert_eq!(table.to_bytes().unwrap(), bytes, "{}", path.display());
    }
}

#[test]
fn sample_formats_are_recognised() {
    let prof = Table::read_path(&common::exemple("professeurs.csv"), None).unwrap();
    assert_eq!(prof.format.encoding, TextEncoding::Utf16Le);
    assert_eq!(prof.format.delimiter, b';');
    assert_eq!(prof.format.line_ending, LineEnding::Crlf);
    assert!(prof.format.trailing_delimiter);
    let eleves = Table::read_path(&common::exemple("eleves.txt"), None).unwrap();
    assert_eq!(eleves.format.encoding, TextEncoding::Utf8);
    assert_eq!(eleves.format.delimiter, b'\t');
    assert_eq!(eleves.format.line_ending, LineEnding::Lf);
    let resp = Table::read_path(&common::exemple("responsables.csv"), None).unwrap();
    assert_eq!(resp.format.encoding, TextEncoding::Windows1252);
    assert_eq!(resp.cell(0, 1), "BOSSARD");
    assert_eq!(resp.columns[2].title, "Prénom");
}

/// A table text exercising quoting: separators, quotes and line breaks inside fields.
fn matrix_text(sep: char, eol: &str, trailing: bool, final_eol: bool) -> String {
    let rows: Vec<Vec<String>> = vec![
        vec![
            "Nom",
            "Prénom",
            "Né(e) le",
            "Classe",
            "Identifiant CAS",
            "Commentaire",
        ],
        vec!["DUPONT", "Éloïse", "01/02/2010", "5A", "eloise.dupont", ""],
        vec!["O'BRIEN", "Zoé", "", "4B", "", "dit \"Zozo\""],
        vec![
            "LÉGER",
            "Anaïs",
            "3/4/2011",
            "",
            "anais.leger2",
            "deux\r\nlignes",
        ],
        vec!["MARTIN", "Jean-Marc", "2011-05-06", "6C", "", "a;b,c\td"],
        vec!["", "", "", "", "", ""],
    ]
    .into_iter()
    .map(|r| r.into_iter().map(str::to_owned).collect())
    .collect();
    let quote = |field: &str| {
        if field.contains(['"', ';', ',', '\t', '\r', '\n']) {
            format!("\"{}\"", field.replace('"', "\"\""))
        } else {
            field.to_owned()
        }
    };
    let mut text = String::new();
    for (i, row) in rows.iter().enumerate() {
        let line: Vec<String> = row.iter().map(|f| quote(f)).collect();
        text.push_str(&line.join(&sep.to_string()));
        if trailing {
            text.push(sep);
        }
        if i + 1 < rows.len() || final_eol {
            text.push_str(eol);
        }
    }
    text
}

#[test]
fn the_format_matrix_round_trips_byte_identical() {
    let encodings = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Windows1252,
    ];
    let mut cases = 0;
    for encoding in encodings {
        for sep in [';', '\t', ','] {
            for eol in ["\r\n", "\n"] {
                for trailing in [false, true] {
                    for final_eol in [false, true] {
                        let text = matrix_text(sep, eol, trailing, final_eol);
                        let bytes = encode(&text, encoding).unwrap();
                        let table = Table::from_bytes(Path::new("eleves.csv"), &bytes, None)
                            .unwrap_or_else(|e| panic!("{encoding:?} {sep:?} {eol:?}: {e}"));
                        assert_eq!(table.format.encoding, encoding);
                        assert_eq!(table.format.delimiter, sep as u8);
                        assert_eq!(table.format.trailing_delimiter, trailing);
                        assert_eq!(table.format.final_line_end, final_eol);
                        assert_eq!(table.rows.len(), 5);
                        assert_eq!(table.cell(2, 5), "deux\r\nlignes");
                        assert_eq!(table.cell(1, 5), "dit \"Zozo\"");
                        assert_eq!(
                            table.to_bytes().unwrap(),
                            bytes,
                            "{encoding:?} {sep:?} {eol:?}"
                        );
                        cases += 1;
                    }
                }
            }
        }
    }
    assert_eq!(cases, 120);
}

#[test]
fn an_edit_changes_only_that_cell_and_keeps_quoting() {
    let text = "Nom;Prénom;Identifiant CAS\r\n\"DUPONT\";\"Léa\";\"lea.dupont\"\r\nMARTIN;Paul;paul.martin\r\n";
    let bytes = encode(text, TextEncoding::Utf16Le).unwrap();
    let mut table = Table::from_bytes(Path::new("eleves.csv"), &bytes, None).unwrap();
    table.set_cell(0, 2, "lea.dupont2".into());
    table.set_cell(1, 2, "a;b".into());
    let written = table.to_bytes().unwrap();
    let expected = "Nom;Prénom;Identifiant CAS\r\n\"DUPONT\";\"Léa\";\"lea.dupont2\"\r\nMARTIN;Paul;\"a;b\"\r\n";
    assert_eq!(written, encode(expected, TextEncoding::Utf16Le).unwrap());
    // Back to the original value: the bytes are the original ones again.
    table.set_cell(0, 2, "lea.dupont".into());
    table.set_cell(1, 2, "paul.martin".into());
    assert_eq!(table.to_bytes().unwrap(), bytes);
    assert!(table.edited_cells().is_empty());
    // Quotes in a value are doubled, in a quoted field and in one that must be quoted.
    table.set_cell(0, 1, "Léa \"Lili\"".into());
    table.set_cell(1, 1, "\"Paulo\"".into());
    assert_eq!(table.edited_cells(), vec![(0, 1), (1, 1)]);
    let expected = "Nom;Prénom;Identifiant CAS\r\n\"DUPONT\";\"Léa \"\"Lili\"\"\";\"lea.dupont\"\r\nMARTIN;\"\"\"Paulo\"\"\";paul.martin\r\n";
    let written = table.to_bytes().unwrap();
    assert_eq!(written, encode(expected, TextEncoding::Utf16Le).unwrap());
    let read = Table::from_bytes(Path::new("eleves.csv"), &written, None).unwrap();
    assert_eq!(read.cell(0, 1), "Léa \"Lili\"");
    assert_eq!(read.cell(1, 1), "\"Paulo\"");
}

#[test]
fn a_character_windows_1252_cannot_hold_is_an_error_not_a_question_mark() {
    let bytes = encode("Nom;Prénom\r\nDUPONT;Léa\r\n", TextEncoding::Windows1252).unwrap();
    let mut table = Table::from_bytes(Path::new("eleves.csv"), &bytes, None).unwrap();
    table.set_cell(0, 1, "Łucja".into());
    let err = table.to_bytes().unwrap_err();
    assert_eq!(err.character, 'Ł');
    assert!(
        err.to_string()
            .contains("ne peut pas être écrit en Windows-1252")
    );
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-zéèàçÉÀ' -]{1,12}",
        "[a-z]{1,6}[;,\t][a-z]{0,4}",
        "[a-z]{0,4}\"[a-z]{0,4}",
        "[a-z]{1,4}(\r\n|\n)[a-z]{1,4}",
    ]
}

fn encoding() -> impl Strategy<Value = TextEncoding> {
    prop_oneof![
        Just(TextEncoding::Utf8),
        Just(TextEncoding::Utf8Bom),
        Just(TextEncoding::Utf16Le),
        Just(TextEncoding::Utf16Be),
        Just(TextEncoding::Windows1252),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_tables_round_trip_byte_identical(
        rows in prop::collection::vec(prop::collection::vec(field(), 4), 1..12),
        sep in prop_oneof![Just(';'), Just('\t'), Just(',')],
        crlf in any::<bool>(),
        trailing in any::<bool>(),
        final_eol in any::<bool>(),
        quote_all in any::<bool>(),
        encoding in encoding(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let quote = |f: &str| {
            if quote_all || f.contains(['"', ';', ',', '\t', '\r', '\n']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_owned()
            }
        };
        let header = ["Nom", "Prénom", "Classe", "Identifiant CAS"].map(&quote);
        let mut text = header.join(&sep.to_string());
        if trailing { text.push(sep); }
        for row in &rows {
            text.push_str(eol);
            let line: Vec<String> = row.iter().map(|f| quote(f)).collect();
            text.push_str(&line.join(&sep.to_string()));
            if trailing { text.push(sep); }
        }
        if final_eol { text.push_str(eol); }
        let bytes = encode(&text, encoding).unwrap();
        // A row of one empty field is a blank line; such tables are not lists.
        prop_assume!(rows.iter().all(|r| r.iter().any(|f| !f.is_empty())) || trailing);
        let table = Table::from_bytes(Path::new("eleves.csv"), &bytes, None).unwrap();
        prop_assert_eq!(table.rows.len(), rows.len());
        for (r, written) in rows.iter().enumerate() {
            let read: Vec<&str> = table.row_values(r).take(4).collect();
            prop_assert_eq!(&read[..], &written[..]);
        }
        prop_assert_eq!(table.to_bytes().unwrap(), bytes.clone());
        prop_assert_eq!(round_trip(&bytes), bytes);
    }
}

#[test]
fn the_shared_samples_round_trip_and_match_the_embedded_copies() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if !shared.is_dir() {
        // Outside the project's workspace the embedded copies are tested above.
        return;
    }
    for name in [
        "professeurs.csv",
        "eleves.txt",
        "responsables.csv",
        "ent-export-classique.csv",
    ] {
        let bytes = std::fs::read(shared.join(name)).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(common::exemple(name)).unwrap(),
            "{name}"
        );
        if name != "ent-export-classique.csv" {
            let table = Table::read_path(&shared.join(name), None).unwrap();
            assert_eq!(table.to_bytes().unwrap(), bytes, "{name}");
        }
    }
}

/// What [`Table::write_bytes`] writes, or the message of its error.
fn streamed(table: &Table) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    table
        .write_bytes(&mut out)
        .map(|()| out)
        .map_err(|e| e.to_string())
}

fn edit_value() -> impl Strategy<Value = String> {
    prop_oneof![
        field(),
        // Characters Windows-1252 has (€, œ) and has not (Ł, 😀).
        "[a-zœ€]{0,3}",
        "[a-z]{0,3}[Ł😀][a-z]{0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// `fix` streams each list into its file: the bytes, or the error, are those of `to_bytes`.
    #[test]
    fn a_list_written_as_it_is_made_is_the_list_encoded_whole(
        rows in prop::collection::vec(prop::collection::vec(field(), 4), 1..12),
        edits in prop::collection::vec((0usize..12, 0usize..4, edit_value()), 0..8),
        sep in prop_oneof![Just(';'), Just('\t'), Just(',')],
        quote_all in any::<bool>(),
        encoding in encoding(),
    ) {
        prop_assume!(rows.iter().all(|r| r.iter().any(|f| !f.is_empty())));
        let quote = |f: &str| {
            if quote_all || f.contains(['"', ';', ',', '\t', '\r', '\n']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_owned()
            }
        };
        let mut text = ["Nom", "Prénom", "Classe", "Identifiant CAS"].map(&quote).join(&sep.to_string());
        for row in &rows {
            text.push_str("\r\n");
            let line: Vec<String> = row.iter().map(|f| quote(f)).collect();
            text.push_str(&line.join(&sep.to_string()));
        }
        let bytes = encode(&text, encoding).unwrap();
        let mut table = Table::from_bytes(Path::new("eleves.csv"), &bytes, None).unwrap();
        prop_assert_eq!(streamed(&table), Ok(bytes));
        for (row, column, value) in edits {
            if row < table.rows.len() {
                table.set_cell(row, column, value);
            }
        }
        prop_assert_eq!(streamed(&table), table.to_bytes().map_err(|e| e.to_string()));
    }
}

#[test]
fn a_long_list_is_written_in_slices_that_never_split_a_character() {
    // Longer than the slices the encoder works in, with characters of 2 and 3 bytes in UTF-8
    // (all that Windows-1252 holds) astride every possible cut.
    let mut text = String::from("Nom;Prénom;Identifiant CAS\r\n");
    for i in 0..6000 {
        let pad = "x".repeat(i % 7);
        text.push_str(&format!("NOM{i}{pad};Éloïse€;login.{i}\r\n"));
    }
    for encoding in TextEncoding::ALL {
        let bytes = encode(&text, encoding).unwrap();
        let mut table = Table::from_bytes(Path::new("eleves.csv"), &bytes, None).unwrap();
        assert_eq!(streamed(&table).unwrap(), bytes, "{encoding:?}");
        table.set_cell(3000, 2, "nouveau;login".into());
        table.set_cell(5999, 1, "Zoé \"Zozo\"".into());
        assert_eq!(
            streamed(&table).unwrap(),
            table.to_bytes().unwrap(),
            "{encoding:?}"
        );
        if encoding == TextEncoding::Windows1252 {
            table.set_cell(4000, 0, "ŁUKASZ".into());
            let error = streamed(&table).unwrap_err();
            assert_eq!(error, table.to_bytes().unwrap_err().to_string());
            assert!(error.contains("(ligne 4002)"), "{error}");
        }
    }
}
