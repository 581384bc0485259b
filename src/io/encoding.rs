//! Text encodings of PRONOTE and ENT exports: detection, decoding and faithful re-encoding.
//!
//! Decoding is done by `encoding_rs` only. UTF-16 is written back here, runs of ASCII widened a
//! byte at a time and other characters through the standard library's `char::encode_utf16`,
//! since `encoding_rs` (like the Encoding Standard) never encodes to UTF-16.

use std::borrow::Cow;

use encoding_rs::{EncoderResult, Encoding, UTF_8, UTF_16LE, WINDOWS_1252};
use serde::Serialize;

/// How a file's bytes map to text, including its byte-order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 without byte-order mark.
    Utf8,
    /// UTF-8 with the byte-order mark `EF BB BF`.
    Utf8Bom,
    /// UTF-16 little-endian with its byte-order mark (PRONOTE's own text export).
    Utf16Le,
    /// UTF-16 big-endian with its byte-order mark.
    Utf16Be,
    /// Windows-1252 (what Excel writes on a French Windows).
    Windows1252,
}

impl TextEncoding {
    /// Every encoding the reader accepts, in the order they are tried.
    pub const ALL: [Self; 5] = [
        Self::Utf16Le,
        Self::Utf16Be,
        Self::Utf8Bom,
        Self::Utf8,
        Self::Windows1252,
    ];

    /// The name shown to the user and written in reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8Bom => "UTF-8 avec BOM",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Windows1252 => "Windows-1252",
        }
    }

    /// The machine name used in the JSON report.
    pub fn json_name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf8Bom => "utf-8-bom",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
            Self::Windows1252 => "windows-1252",
        }
    }
}

/// Why bytes could not be turned into text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// The file holds no byte at all.
    #[error("le fichier est vide")]
    Empty,
    /// Bytes that no text encoding of an export produces (NUL bytes, control characters).
    #[error("le fichier n'est pas un texte (fichier binaire ?) : ce n'est pas un export de liste")]
    Binary,
    /// A byte-order mark announced an encoding the rest of the file does not follow.
    #[error(
        "le fichier annonce l'encodage {0} mais son contenu n'est pas valide dans cet encodage"
    )]
    Malformed(&'static str),
}

/// A character the file's encoding cannot hold.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "le caractère « {character} » (ligne {line}) ne peut pas être écrit en {encoding} : \
     remplacez-le ou enregistrez dans un autre fichier"
)]
pub struct EncodeError {
    /// The character that has no code in the encoding.
    pub character: char,
    /// 1-based line of the text where it stands.
    pub line: usize,
    /// The target encoding's label.
    pub encoding: &'static str,
}

/// Decodes a whole file: byte-order mark first, then strict UTF-8, else Windows-1252. UTF-8
/// text is borrowed from `bytes` (an ENT export, read once, is not copied).
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let kind = if encoding == UTF_8 {
            TextEncoding::Utf8Bom
        } else if encoding == UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        let text = encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[bom_len..])
            .ok_or(DecodeError::Malformed(kind.label()))?;
        check_is_text(&text)?;
        return Ok((text, kind));
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let (text, kind) = match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, TextEncoding::Windows1252)
        }
    };
    check_is_text(&text)?;
    Ok((text, kind))
}

/// [`decode`], for bytes the caller gives up: UTF-8 text keeps their memory (a list kept as
/// read is not copied whole once more), without its byte-order mark.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<(String, TextEncoding), DecodeError> {
    let (len, kind) = match decode(&bytes)? {
        (Cow::Owned(text), kind) => return Ok((text, kind)),
        (Cow::Borrowed(text), kind) => (text.len(), kind),
    };
    // Borrowed text is UTF-8: the bytes after the byte-order mark, if any.
    bytes.drain(..bytes.len() - len);
    let text = String::from_utf8(bytes).map_err(|_| DecodeError::Malformed(kind.label()))?;
    Ok((text, kind))
}

/// Refuses text made of control characters: a binary file that happened to decode.
///
/// One pass over the bytes rather than two over the characters: a character starts at every
/// byte that is not a continuation byte, and the control characters (`Cc`) are the bytes
/// below `0x20` and `0x7F`, and U+0080 to U+009F, written `C2 80` to `C2 9F`.
fn check_is_text(text: &str) -> Result<(), DecodeError> {
    let bytes = text.as_bytes();
    let mut chars = 0usize;
    let mut ascii_controls = 0usize;
    // Counted in bytes over chunks short enough not to overflow them: the compiler counts
    // 32 bytes at a time.
    for chunk in bytes.chunks(255) {
        let (mut chunk_chars, mut chunk_controls) = (0u8, 0u8);
        for &b in chunk {
            chunk_chars += u8::from((b as i8) >= -0x40);
            chunk_controls +=
                u8::from((b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7F);
        }
        chars += usize::from(chunk_chars);
        ascii_controls += usize::from(chunk_controls);
    }
    // Most exports have no `C2` byte at all (no « », °, nor U+0080 to U+00BF): one `memchr`.
    let c1_controls = if bytes.contains(&0xC2) {
        bytes
            .windows(2)
            .filter(|pair| pair[0] == 0xC2 && (0x80..=0x9F).contains(&pair[1]))
            .count()
    } else {
        0
    };
    if bytes.contains(&0) || (ascii_controls + c1_controls) * 20 > chars.max(1) {
        return Err(DecodeError::Binary);
    }
    Ok(())
}

/// Encodes text back into `encoding`, with the byte-order mark the encoding carries.
pub fn encode(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, EncodeError> {
    let units = match encoding {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
        _ => 1,
    };
    let mut out = Vec::with_capacity(text.len() * units + 3);
    PieceEncoder::new(encoding)
        .push(text, &mut out)
        .map_err(|unmappable| unmappable.error(text, 0, encoding))?;
    Ok(out)
}

/// [`encode`] in pieces, as they come: the text of a list between its edited cells, each edited
/// cell, in order, without the whole text being gathered first. The byte-order mark comes with
/// the first piece.
#[derive(Debug)]
pub struct PieceEncoder {
    encoding: TextEncoding,
    started: bool,
}

/// A piece of text holds a character its encoding cannot write (Windows-1252).
#[derive(Debug)]
pub struct Unmappable {
    /// The character.
    pub character: char,
    /// The bytes of the piece read up to it, itself included.
    pub consumed: usize,
}

impl Unmappable {
    /// The error of `piece` in `encoding`, with `lines_before` lines of the text written before
    /// the piece.
    pub fn error(&self, piece: &str, lines_before: usize, encoding: TextEncoding) -> EncodeError {
        EncodeError {
            character: self.character,
            line: lines_before + line_breaks(&piece[..self.consumed]) + 1,
            encoding: encoding.label(),
        }
    }
}

/// How many line feeds `text` holds.
pub fn line_breaks(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

impl PieceEncoder {
    /// An encoder into `encoding`, before its first piece.
    pub fn new(encoding: TextEncoding) -> Self {
        Self {
            encoding,
            started: false,
        }
    }

    /// Appends `piece`, encoded, to `out` (after the byte-order mark, for the first piece).
    pub fn push(&mut self, piece: &str, out: &mut Vec<u8>) -> Result<(), Unmappable> {
        if !self.started {
            self.started = true;
            out.extend_from_slice(match self.encoding {
                TextEncoding::Utf8Bom => &[0xEF, 0xBB, 0xBF],
                TextEncoding::Utf16Le => &[0xFF, 0xFE],
                TextEncoding::Utf16Be => &[0xFE, 0xFF],
                TextEncoding::Utf8 | TextEncoding::Windows1252 => &[],
            });
        }
        match self.encoding {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => out.extend_from_slice(piece.as_bytes()),
            TextEncoding::Utf16Le => push_utf16(piece, out, u16::to_le_bytes),
            TextEncoding::Utf16Be => push_utf16(piece, out, u16::to_be_bytes),
            TextEncoding::Windows1252 => {
                // Windows-1252 has no state between characters: each piece is encoded alone.
                let mut encoder = WINDOWS_1252.new_encoder();
                out.reserve(piece.len());
                let mut read = 0;
                loop {
                    let (result, consumed) = encoder.encode_from_utf8_to_vec_without_replacement(
                        &piece[read..],
                        out,
                        true,
                    );
                    read += consumed;
                    match result {
                        EncoderResult::InputEmpty => break,
                        EncoderResult::OutputFull => out.reserve(piece.len() - read + 16),
                        EncoderResult::Unmappable(character) => {
                            return Err(Unmappable {
                                character,
                                consumed: read,
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Appends `text` in UTF-16 to `out`, `bytes` giving each code unit's order. Runs of ASCII
/// (nearly all of a list) are widened a byte at a time into zeroed space: encoding each
/// character through `encode_utf16` cost a département's fix 300 million instructions.
fn push_utf16(text: &str, out: &mut Vec<u8>, bytes: fn(u16) -> [u8; 2]) {
    out.reserve(text.len() * 2);
    let low_first = bytes(1) == [1, 0];
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        let start = out.len();
        out.resize(start + ascii * 2, 0);
        let offset = usize::from(!low_first);
        for (pair, &byte) in out[start..]
            .chunks_exact_mut(2)
            .zip(&rest.as_bytes()[..ascii])
        {
            pair[offset] = byte;
        }
        rest = &rest[ascii..];
        let mut units = [0u16; 2];
        if let Some(c) = rest.chars().next() {
            for &unit in c.encode_utf16(&mut units).iter() {
                out.extend_from_slice(&bytes(unit));
            }
            rest = &rest[c.len_utf8()..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_windows_1252_byte_survives_a_round_trip() {
        let bytes: Vec<u8> = (1u8..=255)
            .filter(|b| !b.is_ascii_control() || *b == b'\t')
            .collect();
        let (text, encoding) = decode(&bytes).unwrap();
        assert_eq!(encoding, TextEncoding::Windows1252);
        assert_eq!(encode(&text, encoding).unwrap(), bytes);
    }

    #[test]
    fn an_unmappable_character_is_an_error_naming_it() {
        let err = encode("a\nb€c\n漢", TextEncoding::Windows1252).unwrap_err();
        assert_eq!(err.character, '漢');
        assert_eq!(err.line, 3);
        assert!(err.to_string().contains("Windows-1252"));
    }

    #[test]
    fn utf16_with_an_odd_byte_is_malformed() {
        assert_eq!(
            decode(&[0xFF, 0xFE, b'a', 0, b'b']),
            Err(DecodeError::Malformed("UTF-16LE"))
        );
    }

    #[test]
    fn control_characters_are_counted_as_characters_are() {
        for text in [
            "a\u{1}b\u{7f}c\u{85}d\u{9f}é\u{a0}«\t\r\n",
            "\u{1}\u{2}\u{3}abcdefghijklmnopqrstuvwxyz0123456789",
            "\u{80}\u{81}\u{82}éèàùçœ€漢字abcdefghijklmnopqrstuvwx",
            "\u{1}abcdefghijklmnopqrs",
            "\u{1}abcdefghijklmnopqrst",
        ] {
            let controls = text
                .chars()
                .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
                .count();
            let by_chars = controls * 20 > text.chars().count().max(1);
            assert_eq!(check_is_text(text).is_err(), by_chars, "{text:?}");
        }
    }

    #[test]
    fn a_nul_byte_without_bom_means_binary() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0"), Err(DecodeError::Binary));
    }

    #[test]
    fn bytes_given_up_decode_as_borrowed_bytes_do_in_every_encoding() {
        let text = "Nom;Prénom\r\nÉLODIE;Zoé\r\n";
        for encoding in TextEncoding::ALL {
            let bytes = encode(text, encoding).unwrap();
            let (borrowed, kind) = decode(&bytes).unwrap();
            assert_eq!((borrowed.as_ref(), kind), (text, encoding));
            assert_eq!(decode_owned(bytes).unwrap(), (text.to_owned(), encoding));
        }
        // UTF-8 is not copied: its text is the bytes (less the byte-order mark).
        assert!(matches!(decode(text.as_bytes()), Ok((Cow::Borrowed(_), _))));
        // A byte-order mark alone is an empty text (the list reader then finds no line).
        assert_eq!(
            decode_owned(b"\xEF\xBB\xBF".to_vec()),
            Ok((String::new(), TextEncoding::Utf8Bom))
        );
        assert_eq!(decode_owned(Vec::new()), Err(DecodeError::Empty));
    }

    proptest::proptest! {
        /// UTF-16 is what `encode_utf16` gives, in both byte orders, after the byte-order mark.
        #[test]
        fn utf16_is_encode_utf16_in_both_orders(text in "(\\PC|[a-zA-Z ;\t\r\n]){0,60}") {
            let le: Vec<u8> = [0xFF, 0xFE].into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
            let be: Vec<u8> = [0xFE, 0xFF].into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
            proptest::prop_assert_eq!(encode(&text, TextEncoding::Utf16Le).unwrap(), le);
            proptest::prop_assert_eq!(encode(&text, TextEncoding::Utf16Be).unwrap(), be);
        }
    }
}
