//! The JSON report of `check`: serde_json's pretty printing, written on every core.
//!
//! A département's report is 54 MB, most of it the rows' findings: one core writing them was
//! the last tenth of `check --ent` with the other core idle. The findings are now written in
//! chunks of rows on every core and streamed in order; the rest (each list's description, the
//! duplicate logins, the ENT export's findings) is small and written as before. Each finding is
//! written by hand as serde_json would write it ([`write_finding`]). The bytes are serde_json's
//! `to_writer_pretty` of the whole report (tests compare them).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::ent::EntDirectory;
use crate::model::checks::duplicate_groups;
use crate::model::columns::ListKind;
use crate::model::findings::{Finding, Severity};
use crate::model::table::{MissingColumn, Table};
use crate::review::analysis::Analysis;

/// Rows whose findings one core writes at a time: a few hundred kilobytes of text, so that the
/// cores share the work evenly and the buffers stay small (the report is streamed, never held).
const ROWS_PER_CHUNK: usize = 2048;

/// Writes the report of these lists: the bytes of serde_json's `to_writer_pretty` of
/// [`JsonReport`] with each list's findings in it, and a final new line.
pub(super) fn write_report(
    out: &mut impl Write,
    tables: &[Table],
    ent: Option<&EntDirectory>,
    analysis: &Analysis,
) -> io::Result<()> {
    let report = json_report(tables, ent, analysis);
    out.write_all(b"{\n  \"files\": [")?;
    let mut head = Vec::new();
    for (t, (table, file)) in tables.iter().zip(&report.files).enumerate() {
        out.write_all(if t == 0 { b"\n    " } else { b",\n    " })?;
        head.clear();
        write_nested(&mut head, 2, file)?;
        // The findings are the list's last member: written before its closing brace.
        let Some(members) = head.strip_suffix(b"\n    }") else {
            return Err(io::Error::other(
                "rapport JSON : description de liste inattendue",
            ));
        };
        out.write_all(members)?;
        out.write_all(b",\n      \"findings\": ")?;
        write_findings(out, table, t, analysis)?;
        out.write_all(b"\n    }")?;
    }
    if !report.files.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"],\n  \"duplicates\": ")?;
    write_nested(&mut *out, 1, &report.duplicates)?;
    out.write_all(b",\n  \"ent\": ")?;
    write_nested(&mut *out, 1, &report.ent)?;
    out.write_all(b"\n}\n")
}

/// The findings of list `t` as a JSON array four levels deep, the rows' chunks written on every
/// core, a round of chunks at a time, then streamed in row order.
fn write_findings(
    out: &mut impl Write,
    table: &Table,
    t: usize,
    analysis: &Analysis,
) -> io::Result<()> {
    // Each finding is written after « ,\n » and its indentation; the array's first drops the
    // comma (serde_json's first element follows the bracket's new line alone).
    let chunk_of = |first_row: usize, buffer: &mut Vec<u8>| -> io::Result<()> {
        buffer.clear();
        let rows = first_row..(first_row + ROWS_PER_CHUNK).min(table.rows.len());
        for r in rows {
            for f in analysis.row(t, r) {
                buffer.extend_from_slice(b",\n        ");
                write_finding(buffer, &json_finding(table, r, f))?;
            }
        }
        Ok(())
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (mut mine, mut others) = (Vec::new(), vec![Vec::new(); cores - 1]);
    let mut any = false;
    out.write_all(b"[")?;
    for round in (0..table.rows.len()).step_by(ROWS_PER_CHUNK * cores) {
        std::thread::scope(|scope| -> io::Result<()> {
            let workers: Vec<_> = others
                .iter_mut()
                .zip(1..)
                .map(|(buffer, k)| {
                    scope.spawn(move || chunk_of(round + k * ROWS_PER_CHUNK, buffer))
                })
                .collect();
            chunk_of(round, &mut mine)?;
            for worker in workers {
                match worker.join() {
                    Ok(written) => written?,
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok(())
        })?;
        for buffer in std::iter::once(&mine).chain(&others) {
            let text = match buffer.split_first() {
                Some((_comma, rest)) if !any => rest,
                _ => buffer.as_slice(),
            };
            any |= !buffer.is_empty();
            out.write_all(text)?;
        }
    }
    if any {
        out.write_all(b"\n      ")?;
    }
    out.write_all(b"]")
}

/// Writes `value` as serde_json's pretty printer writes it `level` levels deep in a document
/// (its first line not indented: the caller has written what goes before it).
fn write_nested(out: impl Write, level: usize, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        out,
        Nested {
            level,
            has_value: false,
        },
    );
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// serde_json's `PrettyFormatter` (two spaces a level), starting at a given depth.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn indent(&self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        const SPACES: &[u8] = b"                                                                ";
        let mut width = self.level * 2;
        while width > 0 {
            let n = width.min(SPACES.len());
            out.write_all(&SPACES[..n])?;
            width -= n;
        }
        Ok(())
    }

    /// An array or an object begins: one level deeper, nothing in it yet.
    fn open(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// It ends: its closing bracket on a line of its own unless it was empty.
    fn close(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }

    /// A member or an element begins on a new line, after a comma unless it is the first.
    fn next_line(&mut self, out: &mut (impl Write + ?Sized), first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.next_line(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.next_line(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A finding four levels deep, as [`write_nested`] writes it, by hand: serde_json escapes a
/// string byte by byte through a table, a tenth of a département's report (323 million
/// instructions for its 54 MB); most strings here need no escape, which one pass tells.
fn write_finding(out: &mut Vec<u8>, f: &JsonFinding<'_>) -> io::Result<()> {
    /// A member's new line and indentation (five levels).
    const MEMBER: &[u8] = b"\n          ";
    let mut number = itoa::Buffer::new();
    let key = |out: &mut Vec<u8>, name: &str, first: bool| {
        out.extend_from_slice(if first { b"{" } else { b"," });
        out.extend_from_slice(MEMBER);
        push_json_str(out, name);
        out.extend_from_slice(b": ");
    };
    let optional = |out: &mut Vec<u8>, value: Option<&str>| match value {
        Some(value) => push_json_str(out, value),
        None => out.extend_from_slice(b"null"),
    };
    let list = |out: &mut Vec<u8>, items: &[String]| {
        if items.is_empty() {
            return out.extend_from_slice(b"[]");
        }
        for (i, item) in items.iter().enumerate() {
            out.extend_from_slice(if i == 0 { b"[" } else { b"," });
            out.extend_from_slice(b"\n            ");
            push_json_str(out, item);
        }
        out.extend_from_slice(MEMBER);
        out.extend_from_slice(b"]");
    };
    key(out, "row", true);
    out.extend_from_slice(number.format(f.row).as_bytes());
    key(out, "line", false);
    out.extend_from_slice(number.format(f.line).as_bytes());
    for (name, value) in [
        ("nom", f.nom),
        ("prenom", f.prenom),
        ("kind", f.kind),
        ("status", f.status),
    ] {
        key(out, name, false);
        push_json_str(out, value);
    }
    // The enums as serde names them (a few bytes each).
    key(out, "severity", false);
    serde_json::to_writer(&mut *out, &f.severity).map_err(io::Error::from)?;
    key(out, "column", false);
    optional(out, f.column);
    key(out, "value", false);
    push_json_str(out, f.value);
    key(out, "action", false);
    serde_json::to_writer(&mut *out, &f.action).map_err(io::Error::from)?;
    key(out, "suggested", false);
    optional(out, f.suggested);
    key(out, "message", false);
    push_json_str(out, f.message);
    key(out, "evidence", false);
    list(out, f.evidence);
    key(out, "candidates", false);
    list(out, f.candidates);
    out.extend_from_slice(b"\n        }");
    Ok(())
}

/// `text` as a JSON string, escaped as serde_json escapes it: quotes, backslashes and the
/// control characters below U+0020 (`\b`, `\t`, `\n`, `\f`, `\r`, else `\u00xx`).
fn push_json_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // One pass over every byte, without a branch to leave early: the compiler does it many
    // bytes at a time.
    let escapes = bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    out.push(b'"');
    if !escapes {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(short);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    row: usize,
    line: usize,
    nom: &'a str,
    prenom: &'a str,
    kind: &'static str,
    status: &'static str,
    severity: Severity,
    column: Option<&'a str>,
    value: &'a str,
    action: Option<crate::model::findings::Action>,
    suggested: Option<&'a str>,
    message: &'a str,
    evidence: &'a [String],
    candidates: &'a [String],
}

#[derive(Serialize)]
struct JsonMissingColumn {
    column: &'static str,
    kind: MissingColumn,
    severity: Severity,
    message: &'static str,
}

#[derive(Serialize)]
struct JsonFile {
    path: String,
    list: ListKind,
    list_source: &'static str,
    list_reason: String,
    missing_columns: Vec<JsonMissingColumn>,
    encoding: &'static str,
    delimiter: String,
    line_ending: &'static str,
    rows: usize,
}

#[derive(Serialize)]
struct JsonEntFinding<'a> {
    line: usize,
    login: &'a str,
    nom: &'a str,
    prenom: &'a str,
    kind: &'a str,
    severity: Severity,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonEnt<'a> {
    path: String,
    layout: &'static str,
    encoding: &'static str,
    accounts: usize,
    /// Every login found on several accounts, with their lines.
    shared_logins: Vec<JsonSharedLogin>,
    findings: Vec<JsonEntFinding<'a>>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: Vec<JsonFile>,
    /// Every CAS found on several rows, each row listed once.
    duplicates: Vec<JsonDuplicate<'a>>,
    ent: Option<JsonEnt<'a>>,
}

#[derive(Serialize)]
struct JsonDuplicateRow<'a> {
    path: String,
    line: usize,
    nom: &'a str,
    prenom: &'a str,
}

#[derive(Serialize)]
struct JsonDuplicate<'a> {
    cas: &'a str,
    rows: Vec<JsonDuplicateRow<'a>>,
}

#[derive(Serialize)]
struct JsonSharedLogin {
    login: String,
    lines: Vec<usize>,
}

fn json_report<'a>(
    tables: &'a [Table],
    ent: Option<&'a EntDirectory>,
    analysis: &'a Analysis,
) -> JsonReport<'a> {
    let files = tables
        .iter()
        .map(|table| JsonFile {
            path: table.path.display().to_string(),
            list: table.list,
            list_source: table.list_reason.code(),
            list_reason: table.list_why(),
            missing_columns: table
                .missing_key_columns()
                .into_iter()
                .map(|m| JsonMissingColumn {
                    column: m.title(),
                    kind: m,
                    severity: Severity::Error,
                    message: m.message(),
                })
                .collect(),
            encoding: table.format.encoding.json_name(),
            delimiter: table.format.delimiter_text(),
            line_ending: table.format.line_ending.label(),
            rows: table.rows.len(),
        })
        .collect();
    let ent = ent.map(|ent| {
        let mut findings: Vec<JsonEntFinding> = ent
            .problems
            .iter()
            .map(|p| JsonEntFinding {
                line: p.line,
                login: &p.login,
                nom: "",
                prenom: "",
                kind: p.kind,
                severity: Severity::Warning,
                message: &p.message,
            })
            .collect();
        findings.extend(analysis.ent.iter().map(|f| {
            let account = &ent.accounts[f.account];
            JsonEntFinding {
                line: account.line,
                login: &account.login,
                nom: &account.nom,
                prenom: &account.prenom,
                kind: f.finding.kind.code(),
                severity: f.finding.severity(),
                message: &f.finding.message,
            }
        }));
        JsonEnt {
            path: ent.path.display().to_string(),
            layout: ent.layout.code(),
            encoding: ent.encoding.json_name(),
            accounts: ent.accounts.len(),
            shared_logins: shared_logins(ent)
                .into_iter()
                .map(|(login, lines)| JsonSharedLogin { login, lines })
                .collect(),
            findings,
        }
    });
    let duplicates = duplicate_groups(tables)
        .into_iter()
        .map(|(_, rows)| {
            let (t0, r0) = rows[0];
            JsonDuplicate {
                cas: tables[t0].cas_id(r0),
                rows: rows
                    .iter()
                    .map(|&(t, r)| JsonDuplicateRow {
                        path: tables[t].path.display().to_string(),
                        line: tables[t].rows[r].line,
                        nom: tables[t].nom(r),
                        prenom: tables[t].prenom(r),
                    })
                    .collect(),
            }
        })
        .collect();
    JsonReport {
        files,
        duplicates,
        ent,
    }
}

/// The logins found on several accounts of the export, with the lines of those accounts.
pub(super) fn shared_logins(ent: &EntDirectory) -> Vec<(String, Vec<usize>)> {
    let mut shared: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in ent
        .problems
        .iter()
        .filter(|p| p.kind == "ent_duplicate_login")
    {
        let i = *index.entry(p.login.to_lowercase()).or_insert_with(|| {
            shared.push((p.login.clone(), Vec::new()));
            shared.len() - 1
        });
        shared[i].1.push(p.line);
    }
    shared
}

fn json_finding<'a>(table: &'a Table, row: usize, f: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        row: row + 1,
        line: table.rows[row].line,
        nom: table.nom(row),
        prenom: table.prenom(row),
        kind: f.kind.code(),
        status: f.kind.status(),
        severity: f.severity(),
        column: f.column.map(|c| table.columns[c].title.as_str()),
        value: &f.value,
        action: f.action,
        suggested: f.suggested.as_deref(),
        message: &f.message,
        evidence: &f.evidence,
        candidates: &f.candidates,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::review::analysis::analyze_for_reports;
    use crate::synthetic::{GenOptions, generate, load};

    /// The findings of one list as `check` serialized them before they were written on every
    /// core: one by one, by serde.
    struct Findings<'a> {
        table: &'a Table,
        t: usize,
        analysis: &'a Analysis,
    }

    impl Serialize for Findings<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let Self { table, t, analysis } = *self;
            serializer.collect_seq((0..table.rows.len()).flat_map(|r| {
                analysis
                    .row(t, r)
                    .iter()
                    .map(move |f| json_finding(table, r, f))
            }))
        }
    }

    #[derive(Serialize)]
    struct WholeFile<'a> {
        #[serde(flatten)]
        head: &'a JsonFile,
        findings: Findings<'a>,
    }

    #[derive(Serialize)]
    struct WholeReport<'a> {
        files: Vec<WholeFile<'a>>,
        duplicates: &'a [JsonDuplicate<'a>],
        ent: &'a Option<JsonEnt<'a>>,
    }

    /// The report as serde_json's `to_writer_pretty` writes it whole, then a new line.
    fn serde_whole(tables: &[Table], ent: Option<&EntDirectory>, analysis: &Analysis) -> String {
        let report = json_report(tables, ent, analysis);
        let whole = WholeReport {
            files: tables
                .iter()
                .zip(&report.files)
                .enumerate()
                .map(|(t, (table, head))| WholeFile {
                    head,
                    findings: Findings { table, t, analysis },
                })
                .collect(),
            duplicates: &report.duplicates,
            ent: &report.ent,
        };
        let mut bytes = serde_json::to_vec_pretty(&whole).unwrap();
        bytes.push(b'\n');
        String::from_utf8(bytes).unwrap()
    }

    fn written(tables: &[Table], ent: Option<&EntDirectory>, analysis: &Analysis) -> String {
        let mut bytes = Vec::new();
        write_report(&mut bytes, tables, ent, analysis).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_report_written_on_every_core_is_serde_s_pretty_report_byte_for_byte() {
        // 5,000 pupils: the pupils' and the parents' lists span several rounds of chunks on two
        // cores (`findings_that_start_late…` spans rounds on any number).
        let options = GenOptions {
            pupils: 5_000,
            ..GenOptions::college(3)
        };
        let (tables, ent) = load(&generate(&options)).unwrap();
        assert!(tables.iter().any(|t| t.rows.len() > 2 * ROWS_PER_CHUNK));
        let analysis = analyze_for_reports(&tables, Some(&ent));
        let report = written(&tables, Some(&ent), &analysis);
        assert_eq!(report, serde_whole(&tables, Some(&ent), &analysis));
        assert!(report.matches("\"kind\": \"cas_to_link\"").count() > 1000);

        // Without the ENT export: no matcher finding, `"ent": null`.
        let analysis = analyze_for_reports(&tables, None);
        let report = written(&tables, None, &analysis);
        assert_eq!(report, serde_whole(&tables, None, &analysis));
        assert!(report.ends_with("\"ent\": null\n}\n"));
    }

    /// Findings that start after a whole round of chunks without any, or after one chunk
    /// without any: the first finding written drops its comma whichever buffer holds it.
    #[test]
    fn findings_that_start_late_are_written_as_serde_writes_them() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        for clean in [ROWS_PER_CHUNK + 5, cores * ROWS_PER_CHUNK + 5] {
            let mut text = "Nom;Prénom;Identifiant CAS\n".to_owned();
            for k in 0..clean {
                text.push_str(&format!("MARTIN;Léa;lea.martin{k}\n"));
            }
            // Rows without a CAS: each has a finding.
            for _ in 0..30 {
                text.push_str("PETIT;Jo;\n");
            }
            let table =
                Table::from_bytes(Path::new("personnels.csv"), text.as_bytes(), None).unwrap();
            let tables = [table];
            let analysis = analyze_for_reports(&tables, None);
            assert!(analysis.row(0, 0).is_empty());
            assert!(!analysis.row(0, clean).is_empty());
            assert_eq!(
                written(&tables, None, &analysis),
                serde_whole(&tables, None, &analysis)
            );
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        let mut texts: Vec<String> = (0u8..0x80)
            .map(|b| format!("a{}b", char::from(b)))
            .collect();
        texts.extend(
            [
                "",
                "\"",
                "\\",
                "é « » \u{2028}\u{7f}",
                "\u{0}\u{1f}\u{8}\u{c}\r\n\t",
            ]
            .map(String::from),
        );
        for text in &texts {
            let mut ours = Vec::new();
            push_json_str(&mut ours, text);
            assert_eq!(ours, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn a_finding_written_by_hand_is_what_serde_writes() {
        let table = Table::from_bytes(
            Path::new("eleves.csv"),
            "Nom;Prénom;Identifiant CAS\n\"D\"\"UPONT\";Zoé\\;x\ty\n".as_bytes(),
            None,
        )
        .unwrap();
        let mut finding = crate::model::findings::Finding::new(
            crate::model::findings::FindingKind::CasToLink,
            Some(2),
            "x\ty",
            "« message » \"cité\"\n\u{1}".to_owned(),
        );
        for (evidence, candidates, suggested) in [
            (vec![], vec![], None),
            (
                vec!["un".to_owned(), "deux\r".to_owned()],
                vec!["a.b".to_owned()],
                Some("lea.dupont".to_owned()),
            ),
        ] {
            finding.evidence = evidence;
            finding.candidates = candidates;
            finding.suggested = suggested;
            for column in [Some(2), None] {
                finding.column = column;
                let json = json_finding(&table, 0, &finding);
                let mut ours = Vec::new();
                write_finding(&mut ours, &json).unwrap();
                let mut serde = Vec::new();
                write_nested(&mut serde, 4, &json).unwrap();
                assert_eq!(String::from_utf8(ours), String::from_utf8(serde));
            }
        }
    }

    #[test]
    fn empty_lists_and_hostile_texts_are_written_as_serde_writes_them() {
        // A list without a finding: its findings are `[]`.
        let clean = Table::from_bytes(
            Path::new("personnels.csv"),
            "Nom;Prénom;Identifiant CAS\nDUPONT;Anne;anne.dupont\n".as_bytes(),
            Some(ListKind::Personnels),
        )
        .unwrap();
        // Quotes, backslashes, control characters (a few, or the file is taken for binary),
        // a line separator, empty cells.
        let mut text = "Nom;Prénom;Identifiant CAS\n\"A\"\"\\B\u{1}\";Zoé\u{7f};x\ty\n\
                        É;\u{2028}\u{1f};x\ty\n;;\n"
            .to_owned();
        for k in 0..60 {
            text.push_str(&format!("MARTIN;Léa{k};lea.martin{}\n", k % 7));
        }
        let hostile = Table::from_bytes(
            Path::new("pro\"f\\s.csv"),
            text.as_bytes(),
            Some(ListKind::Professeurs),
        )
        .unwrap();
        for tables in [
            vec![],
            vec![clean.clone()],
            vec![clean.clone(), hostile.clone(), clean],
            vec![hostile],
        ] {
            let analysis = analyze_for_reports(&tables, None);
            let report = written(&tables, None, &analysis);
            assert_eq!(report, serde_whole(&tables, None, &analysis));
            // The clean list alone has no finding (twice, its login is a duplicate).
            if tables.len() == 1 && tables[0].list == ListKind::Personnels {
                assert!(report.contains("\"findings\": []\n"), "{report}");
            }
        }
    }
}
