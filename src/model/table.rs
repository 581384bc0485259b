//! A loaded PRONOTE list: its columns, its rows, and the original text it was read from, so
//! that writing it back changes nothing but the edited cells.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use compact_str::CompactString;
use serde::Serialize;

use super::columns::{
    ColumnRole, ListKind, ListReason, Tick, parse_tick, recognise_list, tick_token,
};
use super::fold::fold_compact;
use crate::io::encoding::{self, DecodeError, EncodeError, TextEncoding};
use crate::io::scan::{detect_delimiter, line_of, scan_each, unclosed_quote_in};

/// How lines end in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LineEnding {
    /// `\r\n` (Windows).
    Crlf,
    /// `\n`.
    Lf,
    /// A lone `\r` (old Mac files).
    Cr,
}

impl LineEnding {
    /// Short name shown in the status bar.
    pub fn label(self) -> &'static str {
        match self {
            Self::Crlf => "CRLF",
            Self::Lf => "LF",
            Self::Cr => "CR",
        }
    }
}

/// Everything about the way a file is written, kept to write it back the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFormat {
    /// Text encoding and byte-order mark.
    pub encoding: TextEncoding,
    /// Field separator: `;`, tab or `,`.
    pub delimiter: u8,
    /// Line end.
    pub line_ending: LineEnding,
    /// Whether every line ends with a separator (an empty last column).
    pub trailing_delimiter: bool,
    /// Whether the last line ends with a line end.
    pub final_line_end: bool,
}

impl FileFormat {
    /// The separator as a user reads it.
    pub fn delimiter_label(&self) -> &'static str {
        match self.delimiter {
            b';' => "point-virgule",
            b'\t' => "tabulation",
            b',' => "virgule",
            _ => "autre",
        }
    }

    /// The separator as written in the JSON report.
    pub fn delimiter_text(&self) -> String {
        char::from(self.delimiter).to_string()
    }

    /// One line describing the format, for the status bar and reports.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{}, {}, {}",
            self.encoding.label(),
            self.delimiter_label(),
            self.line_ending.label()
        );
        if self.trailing_delimiter {
            text.push_str(", séparateur en fin de ligne");
        }
        if !self.final_line_end {
            text.push_str(", sans fin de ligne finale");
        }
        text
    }
}

/// One column of a list: its title as written in the file and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The title exactly as in the file's header.
    pub title: String,
    /// What the column holds.
    pub role: ColumnRole,
}

/// The text of one cell when it is kept apart from the file's text (an edited value, a quoted
/// value with doubled quotes): up to 24 bytes it is kept inline. It reads as a `&str`.
pub type Cell = CompactString;

/// One data row. Its cells are read with [`Table::cell`]: they stay in the file's decoded text,
/// where the scanner found them, until they are edited (a département's 1.7 million cells cost
/// no copy and no allocation each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the file where the row starts.
    pub line: usize,
}

/// Why a file could not be loaded. Every message names the file last.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("Impossible de lire le fichier ({}) : {path}", crate::io::io_reason(.source))]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The bytes are not text in any encoding an export uses.
    #[error("Fichier illisible : {source} : {path}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// Why it is not text.
        source: DecodeError,
    },
    /// Text, but no line at all.
    #[error("Le fichier ne contient aucune ligne : {path}")]
    NoHeader {
        /// The file.
        path: PathBuf,
    },
    /// No column title of a PRONOTE list (Nom, Prénom…).
    #[error(
        "Aucune colonne reconnue (il faut au moins « Nom » et « Prénom » en première ligne) : \
         ce n'est pas un export de liste PRONOTE : {path}"
    )]
    NotAList {
        /// The file.
        path: PathBuf,
    },
    /// An ENT user export given as a PRONOTE list.
    #[error(
        "Ce fichier est un export des comptes de l'ENT, pas une liste PRONOTE : donnez-le avec \
         --ent (ou Fichier > Ouvrir l'export des comptes ENT) : {path}"
    )]
    EntExport {
        /// The file.
        path: PathBuf,
    },
    /// The same column title twice.
    #[error(
        "La colonne « {title} » figure deux fois dans l'en-tête (colonnes {first} et {second}) : \
         supprimez le doublon avant de charger : {path}"
    )]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// The title.
        title: String,
        /// 1-based position of its first occurrence.
        first: usize,
        /// 1-based position of the second.
        second: usize,
    },
    /// A row without the header's number of fields.
    #[error(
        "Ligne {line} : {found} colonne(s) au lieu de {expected} comme l'en-tête \
         (un séparateur en trop ou manquant ?) : {path}"
    )]
    Ragged {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields in that row.
        found: usize,
    },
    /// A quoted field whose closing quote never comes: the rest of the file would be one cell.
    #[error(
        "Ligne {line} : un guillemet ouvre une cellule qui n'est jamais refermée (le reste du \
         fichier serait lu comme une seule cellule) : ajoutez le guillemet manquant : {path}"
    )]
    UnclosedQuote {
        /// The file.
        path: PathBuf,
        /// 1-based line of the opening quote.
        line: usize,
    },
    /// A header but no data row.
    #[error("Le fichier ne contient que l'en-tête, aucune ligne de données : {path}")]
    NoRows {
        /// The file.
        path: PathBuf,
    },
}

/// A column the checks need that a list lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingColumn {
    /// « Identifiant CAS »: nothing about the CAS can be checked or fixed.
    CasId,
    /// « Esp. Par. » in a Responsables list: parent access cannot be checked.
    ParentAccess,
}

impl MissingColumn {
    /// The column's title as PRONOTE writes it.
    pub fn title(self) -> &'static str {
        match self {
            Self::CasId => "Identifiant CAS",
            Self::ParentAccess => "Esp. Par.",
        }
    }

    /// What cannot be checked, and what to do, in French.
    pub fn message(self) -> &'static str {
        match self {
            Self::CasId => {
                "Colonne « Identifiant CAS » absente : les identifiants CAS ne peuvent être ni \
                 vérifiés ni corrigés. Ajoutez cette colonne à la liste dans PRONOTE, puis \
                 exportez-la à nouveau."
            }
            Self::ParentAccess => {
                "Colonne « Esp. Par. » absente : l'accès à l'Espace Parents ne peut pas être \
                 vérifié. Ajoutez cette colonne à la liste des responsables dans PRONOTE, puis \
                 exportez-la à nouveau."
            }
        }
    }
}

/// A list's identity in the workspace: it survives adding other lists and re-opening the list
/// (positions in the workspace do not).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub u32);

/// Which reading of which list: a re-opened list keeps its [`TableId`] and gets a new `opened`,
/// so anything that pointed into its rows before knows it no longer may.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// The list.
    pub id: TableId,
    /// How many times it was re-opened before this reading.
    pub opened: u32,
}

/// A PRONOTE list loaded from a file.
#[derive(Clone, Debug)]
pub struct Table {
    /// Where it was read from.
    pub path: PathBuf,
    /// Which list and which reading of it (set by the workspace that holds it; default alone).
    pub stamp: Stamp,
    /// Which PRONOTE list it is.
    pub list: ListKind,
    /// Why it is taken as that list.
    pub list_reason: ListReason,
    /// How it is written.
    pub format: FileFormat,
    /// Columns in the file's order.
    pub columns: Vec<Column>,
    /// Data rows in the file's order.
    pub rows: Vec<Row>,
    /// The decoded text as read, shared by the clones of the table (a plan works on a copy of
    /// the lists: only the edited cells are copied).
    text: Arc<String>,
    /// Byte span of every data cell in `text`, row after row (`columns.len()` per row): one
    /// array for the whole file rather than one per row, shared by the clones like `text`.
    spans: Arc<Vec<Span>>,
    /// The values that are not their span's text nor the text between its quotes (a quoted
    /// value with doubled quotes, or odd quoting the reader mended), by cell index: few or none.
    unquoted: Arc<rustc_hash::FxHashMap<u32, Cell>>,
    /// The first column of each role (by `ColumnRole as usize`), kept with `columns`: a row's
    /// identity looks up eight roles, for each of a département's rows, several times.
    first_of_role: [Option<u32>; ROLES],
    /// The cells written since loading, by cell index, with their current value (it may be back
    /// to the original one): hashed fast, being numbers (`fix` writes a département's 60,000).
    written: rustc_hash::FxHashMap<u32, Cell>,
    /// One bit per cell, set for the cells in `written` (empty until the first write): reading
    /// a cell after a fix tests its bit rather than hashing (a département's fix writes 60,000
    /// cells, then its plan and outputs read every cell of the lists, some several times).
    written_bits: Vec<u64>,
}

impl Table {
    /// Reads a list from a file; `list` overrides the list recognised from the headers.
    pub fn read_path(path: &Path, list: Option<ListKind>) -> Result<Self, ReadError> {
        Self::read_path_refusing(path, list, |_| false)
    }

    /// Reads a list from a file, refusing it as [`ReadError::EntExport`] when `is_ent_header`
    /// says its header is an ENT export's (the review layer passes the ENT layouts: `model`
    /// knows nothing of them).
    pub fn read_path_refusing(
        path: &Path,
        list: Option<ListKind>,
        is_ent_header: fn(&[String]) -> bool,
    ) -> Result<Self, ReadError> {
        let bytes = crate::io::read_input(path).map_err(|source| ReadError::Io {
            path: path.to_owned(),
            source,
        })?;
        let size = bytes.len();
        let (text, encoding) =
            encoding::decode_owned(bytes).map_err(|source| ReadError::Decode {
                path: path.to_owned(),
                source,
            })?;
        Self::from_text(path, text, encoding, size, list, is_ent_header)
    }

    /// Reads a list from bytes, `path` naming it in messages and recognising the list.
    pub fn from_bytes(
        path: &Path,
        bytes: &[u8],
        list: Option<ListKind>,
    ) -> Result<Self, ReadError> {
        Self::from_bytes_refusing(path, bytes, list, |_| false)
    }

    /// [`Self::from_bytes`], refusing an ENT export's header as [`Self::read_path_refusing`].
    pub fn from_bytes_refusing(
        path: &Path,
        bytes: &[u8],
        list: Option<ListKind>,
        is_ent_header: fn(&[String]) -> bool,
    ) -> Result<Self, ReadError> {
        let (text, encoding) = encoding::decode(bytes).map_err(|source| ReadError::Decode {
            path: path.to_owned(),
            source,
        })?;
        Self::from_text(
            path,
            text.into_owned(),
            encoding,
            bytes.len(),
            list,
            is_ent_header,
        )
    }

    /// Reads a list from its decoded text (`size`: the file's length in bytes, for messages).
    fn from_text(
        path: &Path,
        text: String,
        encoding: TextEncoding,
        size: usize,
        list: Option<ListKind>,
        is_ent_header: fn(&[String]) -> bool,
    ) -> Result<Self, ReadError> {
        if u32::try_from(text.len()).is_err() {
            // Spans are kept on 32 bits; `read_input` never gets near (1 Go at most).
            return Err(ReadError::Io {
                path: path.to_owned(),
                source: std::io::Error::other(crate::io::input::InputRefused::TooLarge {
                    size: size as u64,
                }),
            });
        }
        let delimiter = detect_delimiter(&text);
        let scanned = Scanned::read(&text, delimiter);
        if let Some(offset) = scanned
            .last_field
            .and_then(|span| unclosed_quote_in(&text, span.range()))
        {
            return Err(ReadError::UnclosedQuote {
                path: path.to_owned(),
                line: line_of(&text, offset),
            });
        }
        let Some(titles) = scanned.titles else {
            return Err(ReadError::NoHeader {
                path: path.to_owned(),
            });
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let Some(detected) = recognise_list(&titles, &file_name) else {
            return Err(ReadError::NotAList {
                path: path.to_owned(),
            });
        };
        if is_ent_header(&titles) {
            return Err(ReadError::EntExport {
                path: path.to_owned(),
            });
        }
        let (list, list_reason) = match list {
            Some(list) => (list, ListReason::CommandLine),
            None => (detected.list, detected.reason),
        };
        check_duplicate_titles(path, &titles)?;
        let columns = columns_of(&titles, list);
        if let Some((line, found)) = scanned.ragged {
            return Err(ReadError::Ragged {
                path: path.to_owned(),
                line,
                expected: columns.len(),
                found,
            });
        }
        let Scanned {
            rows,
            spans,
            unquoted,
            ..
        } = scanned;
        if rows.is_empty() {
            return Err(ReadError::NoRows {
                path: path.to_owned(),
            });
        }
        let line_ending = if text.contains("\r\n") {
            LineEnding::Crlf
        } else if text.contains('\n') {
            LineEnding::Lf
        } else if text.contains('\r') {
            LineEnding::Cr
        } else {
            LineEnding::Crlf
        };
        let format = FileFormat {
            encoding,
            delimiter,
            line_ending,
            trailing_delimiter: columns.last().map(|c| c.role) == Some(ColumnRole::Trailing),
            final_line_end: text.ends_with(['\n', '\r']),
        };
        Ok(Self {
            path: path.to_owned(),
            stamp: Stamp::default(),
            list,
            list_reason,
            format,
            rows,
            text: Arc::new(text),
            spans: Arc::new(spans),
            unquoted: Arc::new(unquoted),
            first_of_role: first_of_role(&columns),
            columns,
            written: rustc_hash::FxHashMap::default(),
            written_bits: Vec::new(),
        })
    }

    /// Takes the file as another list, for `reason`: the columns are recognised again (a title
    /// such as `E-mail` means a tick in the Responsables list), the cells are untouched.
    pub fn redeclare(&mut self, list: ListKind, reason: ListReason) {
        let titles: Vec<String> = self.columns.iter().map(|c| c.title.clone()).collect();
        self.columns = columns_of(&titles, list);
        self.first_of_role = first_of_role(&self.columns);
        self.list = list;
        self.list_reason = reason;
    }

    /// Why the file is taken as its list, in French.
    pub fn list_why(&self) -> String {
        self.list_reason.sentence(self.list)
    }

    /// The file name, for tabs and messages.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }

    /// The columns the checks need that this file lacks, with what cannot be checked.
    pub fn missing_key_columns(&self) -> Vec<MissingColumn> {
        let mut missing = Vec::new();
        if self.column(ColumnRole::CasId).is_none() {
            missing.push(MissingColumn::CasId);
        }
        if self.list == ListKind::Responsables && self.column(ColumnRole::ParentAccess).is_none() {
            missing.push(MissingColumn::ParentAccess);
        }
        missing
    }

    /// The first column with this role.
    #[inline]
    pub fn column(&self, role: ColumnRole) -> Option<usize> {
        let first = self.first_of_role[role as usize].map(|c| c as usize);
        debug_assert_eq!(first, self.columns.iter().position(|c| c.role == role));
        first
    }

    /// The current value of a cell (panics out of the table, as indexing does).
    #[inline]
    pub fn cell(&self, row: usize, column: usize) -> &str {
        let index = self.checked_index(row, column);
        if self.is_written(index)
            && let Some(value) = self.written.get(&index)
        {
            return value;
        }
        self.original(index)
    }

    /// The current values of a row, in the file's column order.
    pub fn row_values(&self, row: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.columns.len()).map(move |column| self.cell(row, column))
    }

    /// The value of the first column with `role` on `row` (empty when there is no such column).
    pub fn value(&self, row: usize, role: ColumnRole) -> &str {
        match self.column(role) {
            Some(col) if row < self.rows.len() => self.cell(row, col),
            _ => "",
        }
    }

    /// The row's nom.
    pub fn nom(&self, row: usize) -> &str {
        self.value(row, ColumnRole::Nom)
    }

    /// The row's prénom.
    pub fn prenom(&self, row: usize) -> &str {
        self.value(row, ColumnRole::Prenom)
    }

    /// The row's Identifiant CAS, trimmed.
    pub fn cas_id(&self, row: usize) -> &str {
        self.value(row, ColumnRole::CasId).trim()
    }

    /// Sets a cell and returns its previous value.
    pub fn set_cell(&mut self, row: usize, column: usize, value: String) -> String {
        let previous = self.cell(row, column).to_owned();
        let index = self.index(row, column);
        if self.written_bits.is_empty() {
            self.written_bits = vec![0; self.spans.len().div_ceil(64)];
        }
        self.written_bits[index as usize / 64] |= 1 << (index % 64);
        self.written.insert(index, value.into());
        previous
    }

    /// The token this file uses for a tick state in `column`.
    pub fn tick_token(&self, column: usize, state: Tick) -> String {
        tick_token((0..self.rows.len()).map(|r| self.cell(r, column)), state)
    }

    /// Whether the tick in `column` is on for `row` (`None` when the cell is not a tick value).
    pub fn tick(&self, row: usize, column: usize) -> Option<Tick> {
        parse_tick(self.cell(row, column))
    }

    /// The value a cell had when the file was read (panics out of the table, as indexing does).
    pub fn original_value(&self, row: usize, column: usize) -> String {
        self.original_str(row, column).to_owned()
    }

    /// [`Self::original_value`], borrowed from the file's text.
    pub fn original_str(&self, row: usize, column: usize) -> &str {
        self.original(self.checked_index(row, column))
    }

    /// Whether a cell differs from the file (a cell out of the table does not).
    pub fn is_edited(&self, row: usize, column: usize) -> bool {
        if column >= self.columns.len() || row >= self.rows.len() {
            return false;
        }
        let index = self.index(row, column);
        self.written
            .get(&index)
            .is_some_and(|value| value.as_str() != self.original(index))
    }

    /// The cells that differ from the file, in file order.
    pub fn edited_cells(&self) -> Vec<(usize, usize)> {
        let width = self.columns.len();
        let mut cells: Vec<(usize, usize)> = self
            .written
            .iter()
            .filter(|&(&index, value)| value.as_str() != self.original(index))
            .map(|(&index, _)| (index as usize / width, index as usize % width))
            .collect();
        cells.sort_unstable();
        cells
    }

    /// The value cell `index` had in the file: its span's text, without its quotes.
    #[inline]
    fn original(&self, index: u32) -> &str {
        if !self.unquoted.is_empty()
            && let Some(value) = self.unquoted.get(&index)
        {
            return value;
        }
        let raw = &self.text[self.spans[index as usize].range()];
        match raw.as_bytes() {
            // Quotes are ASCII: the text between them is whole characters (a lone quote is in
            // `unquoted`, its value not being the text between quotes).
            [b'"', .., b'"'] => &raw[1..raw.len() - 1],
            _ => raw,
        }
    }

    /// Whether cell `index` is in `written`.
    #[inline]
    fn is_written(&self, index: u32) -> bool {
        self.written_bits
            .get(index as usize / 64)
            .is_some_and(|bits| bits & (1 << (index % 64)) != 0)
    }

    /// [`Self::index`] of a cell in the table; panics out of it, as indexing does (past the
    /// last column, `index` would be the next row's cell).
    #[inline]
    fn checked_index(&self, row: usize, column: usize) -> u32 {
        assert!(
            column < self.columns.len() && row < self.rows.len(),
            "cellule ({row}, {column}) hors du tableau"
        );
        self.index(row, column)
    }

    /// A cell's index in `spans`.
    fn index(&self, row: usize, column: usize) -> u32 {
        // Fewer cells than bytes in a list's text (whose length fits in 32 bits): every row but
        // the header's is as wide as the header, whose titles take at least a byte each.
        (row * self.columns.len() + column) as u32
    }

    /// The file's text with every edited cell replaced: the rest is the original text, to the byte.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 64);
        let Ok(()) = self.each_piece(|piece| {
            out.push_str(piece);
            Ok::<(), std::convert::Infallible>(())
        });
        out
    }

    /// [`Self::to_text`], handed to `piece` a piece at a time: the text between edited cells
    /// as read, then each edited cell quoted as it must be.
    fn each_piece<E>(&self, mut piece: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
        let mut field = String::new();
        let mut copied = 0;
        for (row, col) in self.edited_cells() {
            let span = self.span(row, col);
            piece(&self.text[copied..span.start])?;
            let was_quoted = self.text[span.clone()].starts_with('"');
            field.clear();
            self.push_quoted(&mut field, self.cell(row, col), was_quoted);
            piece(&field)?;
            copied = span.end;
        }
        piece(&self.text[copied..])
    }

    /// The bytes to write: the text in the file's encoding.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let text = self.to_text();
        match self.format.encoding {
            // UTF-8 without a byte-order mark is the text itself: no copy.
            TextEncoding::Utf8 => Ok(text.into_bytes()),
            other => encoding::encode(&text, other),
        }
    }

    /// Writes [`Self::to_bytes`] to `out` as it is made, without the list's whole text or its
    /// encoding being held: the text between edited cells straight from the file's text,
    /// encoded a slice at a time (`fix` writes a département's lists this way, 40 MB of fresh
    /// memory spared). The same bytes and the same [`EncodeError`] as [`Self::to_bytes`].
    pub fn write_bytes(&self, out: &mut dyn std::io::Write) -> Result<(), WriteError> {
        /// The encoded bytes are handed to `out` about this many at a time.
        const SLICE: usize = 1 << 16;
        let encoding = self.format.encoding;
        let mut encoder = encoding::PieceEncoder::new(encoding);
        let mut buffer: Vec<u8> = Vec::new();
        // The byte-order mark, if any (an empty list has it too): a piece of nothing.
        encoder
            .push("", &mut buffer)
            .map_err(|unmappable| unmappable.error("", 0, encoding))?;
        out.write_all(&buffer)?;
        buffer.clear();
        let utf8 = matches!(encoding, TextEncoding::Utf8 | TextEncoding::Utf8Bom);
        // The lines written before the slice being encoded: where a character the encoding
        // cannot write stands.
        let mut lines = 0;
        self.each_piece(|piece| {
            if utf8 {
                // The text itself, written as it is.
                return Ok(out.write_all(piece.as_bytes())?);
            }
            let mut rest = piece;
            while !rest.is_empty() {
                let mut end = rest.len().min(SLICE);
                while !rest.is_char_boundary(end) {
                    end += 1;
                }
                let (slice, after) = rest.split_at(end);
                if let Err(unmappable) = encoder.push(slice, &mut buffer) {
                    return Err(WriteError::Encode(unmappable.error(slice, lines, encoding)));
                }
                lines += encoding::line_breaks(slice);
                rest = after;
                if buffer.len() >= SLICE {
                    out.write_all(&buffer)?;
                    buffer.clear();
                }
            }
            Ok(())
        })?;
        out.write_all(&buffer)?;
        Ok(())
    }

    /// Where a data cell stands in the text.
    fn span(&self, row: usize, column: usize) -> Range<usize> {
        self.spans[self.index(row, column) as usize].range()
    }

    /// Appends `value` as a field: quoted if it was or if it must be, its quotes doubled.
    fn push_quoted(&self, out: &mut String, value: &str, was_quoted: bool) {
        let needs =
            value.contains(['"', '\r', '\n']) || value.contains(char::from(self.format.delimiter));
        if was_quoted || needs {
            out.push('"');
            for (i, part) in value.split('"').enumerate() {
                if i > 0 {
                    out.push_str("\"\"");
                }
                out.push_str(part);
            }
            out.push('"');
        } else {
            out.push_str(value);
        }
    }
}

/// Why [`Table::write_bytes`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A character has no code in the list's encoding.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The writer refused.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A field's byte span in a list's text, on 32 bits (the text is at most a few hundred Mo).
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// Only for a text whose length fits in 32 bits (checked before scanning).
    fn new(range: Range<usize>) -> Self {
        Self {
            start: u32::try_from(range.start).unwrap_or(u32::MAX),
            end: u32::try_from(range.end).unwrap_or(u32::MAX),
        }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A list's text split into its header and its rows, each cell kept as its span in the text.
struct Scanned {
    /// The first record's fields, if there is a record.
    titles: Option<Vec<String>>,
    /// Every later record's line.
    rows: Vec<Row>,
    /// The spans of the rows' cells, row after row.
    spans: Vec<Span>,
    /// The values that the span does not give (see [`Table::unquoted`]), by cell index.
    unquoted: rustc_hash::FxHashMap<u32, Cell>,
    /// The first record not as wide as the header: its line and its number of fields.
    ragged: Option<(usize, usize)>,
    /// The span of the last field of the text (where an unclosed quote would be).
    last_field: Option<Span>,
}

impl Scanned {
    fn read(text: &str, delimiter: u8) -> Self {
        let mut scanned = Self {
            titles: None,
            rows: Vec::new(),
            spans: Vec::new(),
            unquoted: rustc_hash::FxHashMap::default(),
            ragged: None,
            last_field: None,
        };
        let mut header = Vec::new();
        let mut width = 0;
        let mut fields = 0;
        scan_each(text, delimiter, |field| {
            scanned.last_field = Some(Span::new(field.span.clone()));
            if scanned.titles.is_none() {
                header.push(field.value.to_owned());
                if field.record_end {
                    width = header.len();
                    scanned.titles = Some(std::mem::take(&mut header));
                    // A row per line at most (fewer when a quoted cell holds a line break),
                    // as wide as the header: no growing and copying of a département's rows.
                    // Never more cells than bytes: a hostile header of 500,000 columns over
                    // 500,000 short lines would otherwise ask for terabytes before the ragged
                    // rows are refused.
                    let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
                    scanned.rows.reserve(lines);
                    scanned
                        .spans
                        .reserve(lines.saturating_mul(width).min(text.len() + 1));
                }
                return;
            }
            let raw = &text[field.span.clone()];
            let given = if raw.as_bytes().first() == Some(&b'"') {
                raw.get(1..raw.len().saturating_sub(1))
            } else {
                Some(raw)
            };
            // The scanner gives most values as the very text (same place, same length): no
            // need to compare their bytes.
            let same_place = given.is_some_and(|given| {
                std::ptr::eq(given.as_ptr(), field.value.as_ptr())
                    && given.len() == field.value.len()
            });
            if !same_place && given != Some(field.value) {
                // Cell indexes fit in 32 bits: fewer cells than bytes (see `Table::index`).
                scanned
                    .unquoted
                    .insert(scanned.spans.len() as u32, Cell::new(field.value));
            }
            scanned.spans.push(Span::new(field.span));
            fields += 1;
            if field.record_end {
                if fields != width && scanned.ragged.is_none() {
                    scanned.ragged = Some((field.line, fields));
                }
                fields = 0;
                scanned.rows.push(Row { line: field.line });
            }
        });
        scanned
    }
}

/// How many column roles there are (`ColumnRole::Other` is the last).
const ROLES: usize = ColumnRole::Other as usize + 1;

/// The first column of each role, by `ColumnRole as usize` (a header has fewer columns than the
/// text has bytes, whose number fits in 32 bits).
fn first_of_role(columns: &[Column]) -> [Option<u32>; ROLES] {
    let mut first = [None; ROLES];
    for (i, column) in columns.iter().enumerate().rev() {
        first[column.role as usize] = Some(i as u32);
    }
    first
}

/// The columns of a header read as `list`.
fn columns_of(titles: &[String], list: ListKind) -> Vec<Column> {
    let last = titles.len().saturating_sub(1);
    titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let mut role = ColumnRole::from_title(title, Some(list));
            if role == ColumnRole::Trailing && i != last {
                role = ColumnRole::Other;
            }
            Column {
                title: title.clone(),
                role,
            }
        })
        .collect()
}

/// Refuses a header with the same (folded) title twice: one pass with a map, so a header of
/// tens of thousands of columns costs no more than its length.
fn check_duplicate_titles(path: &Path, titles: &[String]) -> Result<(), ReadError> {
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(titles.len());
    for (i, title) in titles.iter().enumerate() {
        let key = fold_compact(title);
        if key.is_empty() {
            continue;
        }
        if let Some(&j) = seen.get(&key) {
            return Err(ReadError::DuplicateColumn {
                path: path.to_owned(),
                title: title.clone(),
                first: j + 1,
                second: i + 1,
            });
        }
        seen.insert(key, i);
    }
    Ok(())
}

/// Whether `per_row` (something kept per table and per row, like an analysis) still has the
/// shape of `tables`: as many tables, each with as many rows.
pub fn matches_tables<T>(per_row: &[Vec<T>], tables: &[Table]) -> bool {
    per_row.len() == tables.len()
        && per_row
            .iter()
            .zip(tables)
            .all(|(rows, table)| rows.len() == table.rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list whose cells are quoted in every way a file can quote them.
    fn quoted_list() -> Table {
        let text = "Nom;Prénom;Identifiant CAS\r\n\
                    \"DUPONT\";\"Jean \"\"Jo\"\"\";jean.dupont\r\n\
                    MARTIN;\"\";\"a;b\"\r\n";
        Table::from_bytes(Path::new("eleves.csv"), text.as_bytes(), None).unwrap()
    }

    #[test]
    fn cells_read_from_the_text_are_their_unquoted_values() {
        let table = quoted_list();
        let rows: Vec<Vec<&str>> = (0..2).map(|r| table.row_values(r).collect()).collect();
        assert_eq!(
            rows,
            [
                vec!["DUPONT", "Jean \"Jo\"", "jean.dupont"],
                vec!["MARTIN", "", "a;b"]
            ]
        );
        assert_eq!(table.original_value(0, 1), "Jean \"Jo\"");
        assert!(table.edited_cells().is_empty());
    }

    #[test]
    fn an_edit_is_read_back_written_with_its_quotes_and_undone_to_nothing_edited() {
        let mut table = quoted_list();
        let copy = table.clone();
        assert_eq!(table.set_cell(0, 1, "Jean \"Jojo\"".into()), "Jean \"Jo\"");
        assert_eq!(table.cell(0, 1), "Jean \"Jojo\"");
        assert_eq!(table.original_value(0, 1), "Jean \"Jo\"");
        assert!(table.is_edited(0, 1));
        assert_eq!(table.edited_cells(), [(0, 1)]);
        assert!(
            table
                .to_text()
                .contains("\"Jean \"\"Jojo\"\"\";jean.dupont")
        );
        // The copy made before keeps the file's value.
        assert_eq!(copy.cell(0, 1), "Jean \"Jo\"");
        table.set_cell(0, 1, "Jean \"Jo\"".into());
        assert!(!table.is_edited(0, 1));
        assert!(table.edited_cells().is_empty());
        assert_eq!(table.to_text(), copy.to_text());
    }
}
