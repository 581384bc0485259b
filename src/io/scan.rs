//! Splits decoded text into records and fields, keeping where each field stands in the text.
//!
//! Parsing is `csv_core`'s (the engine of the `csv` crate); this module only tracks the byte
//! span of every field so that the writer can put back the untouched text around an edit.

use std::ops::Range;

/// One field as it stands in the text: its span (quotes included) and its unquoted value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedField {
    /// Byte span in the decoded text, quotes included, delimiter and line end excluded.
    pub span: Range<usize>,
    /// The field's value once quotes are removed (kept inline up to 24 bytes: most fields).
    pub value: compact_str::CompactString,
}

/// One record (a line of the table, or several lines when a quoted field holds line breaks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedRecord {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    /// The record's fields, in order.
    pub fields: Vec<ScannedField>,
}

/// One field as [`scan_each`] meets it, borrowed: no allocation per field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef<'a> {
    /// Byte span in the decoded text, quotes included, delimiter and line end excluded.
    pub span: Range<usize>,
    /// The field's value once quotes are removed (the text itself when it was not quoted).
    pub value: &'a str,
    /// 1-based line of the file where the field's record starts.
    pub line: usize,
    /// Whether it is the last field of its record.
    pub record_end: bool,
}

/// Reads every record of `text` with `delimiter`, the way the `csv` crate would.
pub fn scan(text: &str, delimiter: u8) -> Vec<ScannedRecord> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    scan_each(text, delimiter, |field| {
        fields.push(ScannedField {
            span: field.span,
            value: compact_str::CompactString::from(field.value),
        });
        if field.record_end {
            records.push(ScannedRecord {
                line: field.line,
                fields: std::mem::take(&mut fields),
            });
        }
    });
    records
}

/// Calls `visit` with every field of `text`, in order, the way [`scan`] reads them, without
/// building a record or a string: a caller keeps what it needs (a list keeps each field's span,
/// and copies only the values that are not the text between its quotes).
pub fn scan_each(text: &str, delimiter: u8, visit: impl FnMut(FieldRef<'_>)) {
    scan_each_with(text, delimiter, true, visit);
}

/// [`scan_each`], with or without its fast path for plain lines (`csv_core` reads every line
/// without it: the tests compare both).
fn scan_each_with(text: &str, delimiter: u8, fast: bool, mut visit: impl FnMut(FieldRef<'_>)) {
    let bytes = text.as_bytes();
    // The fast path splits a line as `csv_core` does with its default settings (quote `"`,
    // doubled to escape it, any of CR, LF, CRLF ending a record, no comment or escape
    // character): a setting added to the reader below must be added to it too. A byte order
    // mark still at the start of the text is `csv_core`'s to drop: the first line is then left
    // to it.
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut output = vec![0u8; 1024];
    let mut pos = 0;
    let mut record_line = 1;
    let mut lines_seen = 0;
    let mut counted_upto = 0;
    let mut record_start = true;
    loop {
        let fast = fast && !(bom && pos == 0);
        if fast
            && record_start
            && let Some(line) = plain_line(bytes, pos, delimiter, &mut spans)
        {
            lines_seen += count_line_breaks(bytes, counted_upto..line.start);
            counted_upto = line.start;
            record_line = lines_seen + 1;
            for (k, span) in spans.iter().enumerate() {
                // Quotes are ASCII: the text between them is whole characters.
                let value = if bytes.get(span.start) == Some(&b'"') {
                    &text[span.start + 1..span.end - 1]
                } else {
                    &text[span.clone()]
                };
                visit(FieldRef {
                    span: span.clone(),
                    value,
                    line: record_line,
                    record_end: k + 1 == spans.len(),
                });
            }
            // The line end is left to the reader, which skips it as it skips blank lines.
            pos = line.end;
            continue;
        }
        let field_start_pos = pos;
        let mut written = 0;
        let result = loop {
            let (result, nin, nout) = reader.read_field(&bytes[pos..], &mut output[written..]);
            pos += nin;
            written += nout;
            match result {
                csv_core::ReadFieldResult::OutputFull => {
                    let len = output.len();
                    output.resize(len * 2, 0);
                }
                csv_core::ReadFieldResult::InputEmpty if pos < bytes.len() => {}
                other => break other,
            }
        };
        let (record_end, at_end) = match result {
            csv_core::ReadFieldResult::Field { record_end } => (record_end, false),
            csv_core::ReadFieldResult::End => (true, true),
            // The whole input was given: an empty input means the end, and `read_field`
            // is called once more with nothing to flush the last field.
            _ => match reader.read_field(&[], &mut output[written..]) {
                (csv_core::ReadFieldResult::Field { record_end }, _, nout) => {
                    written += nout;
                    (record_end, false)
                }
                _ => (true, true),
            },
        };
        if at_end {
            break;
        }
        let mut start = field_start_pos;
        if record_start {
            // Line ends before a record belong to the previous one (or to blank lines).
            while start < pos && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            lines_seen += count_line_breaks(bytes, counted_upto..start);
            counted_upto = start;
            record_line = lines_seen + 1;
        }
        let mut end = pos;
        if record_end {
            while end > start && matches!(bytes[end - 1], b'\r' | b'\n') {
                end -= 1;
            }
        } else if end > start && bytes[end - 1] == delimiter {
            end -= 1;
        }
        let raw = &bytes[start..end];
        let output = &output[..written];
        let lossy;
        // An unquoted field is its text as it stands: no copy, no second check of its UTF-8.
        let value = if raw == output {
            &text[start..end]
        } else {
            match std::str::from_utf8(output) {
                Ok(value) => value,
                Err(_) => {
                    lossy = String::from_utf8_lossy(output).into_owned();
                    lossy.as_str()
                }
            }
        };
        visit(FieldRef {
            span: start..end,
            value,
            line: record_line,
            record_end,
        });
        record_start = record_end;
    }
}

/// The record starting at `pos` when it is one plain line (nearly every line of a PRONOTE list
/// and of most ENT exports, which quote every field): each field either holds no quote, or is
/// quoted with no quote or line break inside and closed right before a delimiter or the line's
/// end. Its span, line ends excluded, with its fields' spans in `fields`. Such a line is split
/// where `csv_core` splits it, and a quoted field is the text between its quotes, as it reads
/// it, without its state machine going byte by byte; any other line is left to it.
fn plain_line(
    bytes: &[u8],
    pos: usize,
    delimiter: u8,
    fields: &mut Vec<Range<usize>>,
) -> Option<Range<usize>> {
    let is_line_end = |b: &u8| matches!(b, b'\r' | b'\n');
    let start = pos + bytes.get(pos..)?.iter().position(|b| !is_line_end(b))?;
    let end = memchr::memchr2(b'\r', b'\n', &bytes[start..]).map_or(bytes.len(), |n| start + n);
    fields.clear();
    let line = &bytes[start..end];
    if memchr::memchr(b'"', line).is_none() {
        // No quote at all (a PRONOTE list's lines): split at every delimiter in one pass,
        // rather than looking for the next delimiter, then for a quote, field after field.
        let mut at = start;
        for n in memchr::memchr_iter(delimiter, line) {
            fields.push(at..start + n);
            at = start + n + 1;
        }
        fields.push(at..end);
        return Some(start..end);
    }
    let mut at = start;
    loop {
        let field_end = if bytes.get(at) == Some(&b'"') && at < end {
            // Its closing quote, on this line.
            at + 2 + memchr::memchr(b'"', &bytes[at + 1..end])?
        } else {
            let field_end = memchr::memchr(delimiter, &bytes[at..end]).map_or(end, |n| at + n);
            if memchr::memchr(b'"', &bytes[at..field_end]).is_some() {
                return None;
            }
            field_end
        };
        fields.push(at..field_end);
        if field_end == end {
            return Some(start..end);
        }
        if bytes[field_end] != delimiter {
            // A doubled quote, or text after the closing quote.
            return None;
        }
        at = field_end + 1;
    }
}

/// Where a field opened with a quote is never closed: the byte offset of that quote.
///
/// Such a field swallows the rest of the file, so it can only be the last field of the last
/// record.
pub fn unclosed_quote(text: &str, records: &[ScannedRecord]) -> Option<usize> {
    let field = records.last()?.fields.last()?;
    unclosed_quote_in(text, field.span.clone())
}

/// Whether the field at `span` opens a quote it never closes: the byte offset of that quote.
pub fn unclosed_quote_in(text: &str, span: Range<usize>) -> Option<usize> {
    let raw = &text.as_bytes()[span.clone()];
    if raw.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    loop {
        let Some(found) = raw
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == b'"'))
        else {
            return Some(span.start);
        };
        let quote = i + found;
        if raw.get(quote + 1) == Some(&b'"') {
            i = quote + 2;
        } else {
            return None;
        }
    }
}

/// The 1-based line of a byte offset of `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    count_line_breaks(text.as_bytes(), 0..offset.min(text.len())) + 1
}

/// Counts line breaks the way an editor numbers lines (`\r\n`, `\n` or a lone `\r`).
fn count_line_breaks(bytes: &[u8], range: Range<usize>) -> usize {
    range
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Picks the separator of a table: the one of `;`, tab and `,` found most often outside quotes
/// in the header line, `;` winning ties (PRONOTE's own choice).
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for byte in text.bytes() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            b';' if !in_quotes => counts[0] += 1,
            b'\t' if !in_quotes => counts[1] += 1,
            b',' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b';', b'\t', b','];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<Vec<&str>> {
        scan(text, b';')
            .iter()
            .map(|r| r.fields.iter().map(|f| &text[f.span.clone()]).collect())
            .collect()
    }

    #[test]
    fn spans_keep_quotes_and_drop_line_ends() {
        let text = "a;\"b;c\"\r\n\"d\"\"e\";\r\n\r\nf;\"g\nh\"";
        assert_eq!(
            spans(text),
            vec![
                vec!["a", "\"b;c\""],
                vec!["\"d\"\"e\"", ""],
                vec!["f", "\"g\nh\""]
            ]
        );
        let records = scan(text, b';');
        assert_eq!(records[1].fields[0].value, "d\"e");
        assert_eq!(records[2].fields[1].value, "g\nh");
        assert_eq!(
            records.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 2, 4]
        );
    }

    #[test]
    fn an_unclosed_quote_is_found_with_its_line() {
        let text = "Nom;Prénom\nA;B\nC;\"D\nE;F\n";
        let records = scan(text, b';');
        let offset = unclosed_quote(text, &records).unwrap();
        assert_eq!(line_of(text, offset), 3);
        for closed in ["a;\"b\"\"c\"\n", "a;b\n", "a;\"b\nc\"\n", "a;\"\""] {
            assert_eq!(
                unclosed_quote(closed, &scan(closed, b';')),
                None,
                "{closed}"
            );
        }
        let escaped = "a;\"b\"\"";
        assert!(unclosed_quote(escaped, &scan(escaped, b';')).is_some());
    }

    /// Records as the `csv` crate reads them, fields unquoted.
    fn csv_records(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .byte_records()
            .map(|r| {
                r.unwrap()
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect()
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn fields_are_read_as_the_csv_crate_reads_them(
            text in "[ab;\t\"\r\né]{0,40}",
            delimiter in proptest::sample::select(vec![b';', b'\t']),
        ) {
            let ours: Vec<Vec<String>> = scan(&text, delimiter)
                .into_iter()
                .map(|r| r.fields.into_iter().map(|f| f.value.into_string()).collect())
                .collect();
            proptest::prop_assert_eq!(ours, csv_records(&text, delimiter));
        }
    }

    /// Every field as [`scan_each_with`] visits it.
    fn visited(text: &str, delimiter: u8, fast: bool) -> Vec<(Range<usize>, String, usize, bool)> {
        let mut fields = Vec::new();
        scan_each_with(text, delimiter, fast, |f| {
            fields.push((f.span, f.value.to_owned(), f.line, f.record_end));
        });
        fields
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn the_fast_paths_read_every_field_where_csv_core_reads_it(
            text in "\u{feff}?((\"[ab;é\n]{0,3}\")|[ab]{0,2}|;|\t|\r\n|\n|\r|\"){0,30}",
            delimiter in proptest::sample::select(vec![b';', b'\t']),
        ) {
            proptest::prop_assert_eq!(
                visited(&text, delimiter, true),
                visited(&text, delimiter, false)
            );
        }
    }

    #[test]
    fn a_line_quoting_every_field_is_read_without_the_state_machine_as_with_it() {
        let text = "\"Id\";\"Nom\"\r\n\"u1\";\"DUPONT; Léa\"\r\n\"u2\";\r\n\"u3\";\"dit \"\"Zozo\"\"\"\n;\"\"";
        assert_eq!(
            spans(text),
            vec![
                vec!["\"Id\"", "\"Nom\""],
                vec!["\"u1\"", "\"DUPONT; Léa\""],
                vec!["\"u2\"", ""],
                vec!["\"u3\"", "\"dit \"\"Zozo\"\"\""],
                vec!["", "\"\""]
            ]
        );
        let records = scan(text, b';');
        assert_eq!(records[1].fields[1].value, "DUPONT; Léa");
        assert_eq!(records[3].fields[1].value, "dit \"Zozo\"");
        assert_eq!(visited(text, b';', true), visited(text, b';', false));
    }

    #[test]
    fn quote_free_lines_and_quoted_records_mix() {
        let text = "a;b\r\n\r\n\"c\r\nd\";e\rf;\n;g\n\"h\"\"\";i";
        assert_eq!(
            spans(text),
            vec![
                vec!["a", "b"],
                vec!["\"c\r\nd\"", "e"],
                vec!["f", ""],
                vec!["", "g"],
                vec!["\"h\"\"\"", "i"]
            ]
        );
        let records = scan(text, b';');
        assert_eq!(
            records.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 3, 5, 6, 7]
        );
        assert_eq!(records[1].fields[0].value, "c\r\nd");
        assert_eq!(records[4].fields[0].value, "h\"");
    }

    #[test]
    fn the_last_field_without_line_end_is_read() {
        assert_eq!(spans("a;b\nc;"), vec![vec!["a", "b"], vec!["c", ""]]);
    }

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_delimiter("a\tb\t\"c;d;e\"\n"), b'\t');
        assert_eq!(detect_delimiter("a,b;c,d\n"), b',');
        assert_eq!(detect_delimiter("abc\n"), b';');
    }
}
