//! What one list shows: search, status filter, sort, selection. Rebuilt only when they change.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::columns::ColumnRole;
use crate::model::findings::FindingKind;
use crate::model::fold::{fold_compact, push_fold_compact};
use crate::model::table::Table;
use crate::review::analysis::Analysis;

/// A status filter chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusFilter {
    /// Rows whose status (most serious finding) or any finding is of this kind.
    Kind(FindingKind),
    /// Rows without any finding.
    Clean,
}

/// What the grid is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// The status column.
    Status,
    /// A column of the file.
    Column(usize),
}

/// The view state of one table.
#[derive(Clone, Debug, Default)]
pub struct TableView {
    /// Text of the search box.
    pub search: String,
    /// Active status chips: a row is shown when it matches any of them (none: every row).
    pub filters: BTreeSet<StatusFilter>,
    /// Sort column and direction (`true` = ascending).
    pub sort: Option<(SortKey, bool)>,
    /// Selected rows (indexes into the table).
    pub selection: BTreeSet<usize>,
    /// Anchor of Shift-click ranges.
    pub anchor: Option<usize>,
    /// The row shown in the fiche.
    pub focused: Option<usize>,
    /// A row to bring into view at the next frame, centred (then cleared).
    pub scroll_to: Option<usize>,
    /// A row to bring into view at the next frame with as little scrolling as possible (the
    /// keyboard's cursor; then cleared).
    pub reveal: Option<usize>,
    /// Whether the grid was drawn once this session (it then starts at the top left).
    pub shown: bool,
    /// The grid's vertical scroll offset and body height at the last frame, in points.
    pub body_view: (f32, f32),
    /// The grid's sideways scroll offset at the last frame, in points.
    pub side_offset: f32,
    /// Visible rows in display order (cached).
    visible: Vec<usize>,
    /// What the search looks in: built when the list is read (else at the first search), kept
    /// across edits (the edited rows are folded again, see [`SearchIndex`]).
    search_index: Option<SearchIndex>,
    /// Whether the cells may have changed since the search index's edited rows were folded.
    search_edits_stale: bool,
    /// Per sorted column: every row in its order, kept until the cells change.
    sort_orders: BTreeMap<usize, Vec<u32>>,
    /// Rows matching the search, by status chip (empty while the search is empty: the
    /// table's summary counts then apply).
    search_counts: BTreeMap<StatusFilter, usize>,
    /// Whether `visible` must be rebuilt.
    stale: bool,
}

impl TableView {
    /// A view showing every row.
    pub fn new(rows: usize) -> Self {
        Self {
            visible: (0..rows).collect(),
            stale: false,
            ..Self::default()
        }
    }

    /// Marks the cached rows out of date (after a new analysis, or a filter change).
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    /// Marks the cells changed (after an edit and its analysis): the edited rows are folded
    /// again for the search, the sort orders are taken again.
    pub fn data_changed(&mut self) {
        self.search_edits_stale = true;
        self.sort_orders.clear();
        self.stale = true;
    }

    /// Takes the search index built for `table` as it was read (on the thread that read it).
    pub fn set_search_index(&mut self, index: SearchIndex) {
        self.search_index = Some(index);
        self.search_edits_stale = true;
    }

    /// Does now what the first search or the next sort would otherwise do in a frame: the
    /// search index and the order of the sorted column (the loading thread calls it, after the
    /// analysis).
    pub fn prepare(&mut self, table: &Table) {
        self.refresh_search_index(table);
        if let Some((SortKey::Column(c), _)) = self.sort {
            self.column_order(table, c);
        }
    }

    /// Builds the search index if there is none (or the list's columns were recognised again),
    /// and folds the edited rows again if the cells changed.
    fn refresh_search_index(&mut self, table: &Table) -> &SearchIndex {
        let columns = SearchIndex::columns_of(table);
        let index = match self.search_index.take() {
            Some(index) if index.fits(table, &columns) => {
                let mut index = index;
                if self.search_edits_stale {
                    index.refold_edits(table);
                }
                index
            }
            _ => SearchIndex::build(table),
        };
        self.search_edits_stale = false;
        self.search_index.insert(index)
    }

    /// Every row of `table` in the order of column `c` (folded text, then row), computed once
    /// until the cells change. Nom, prénom, login and CAS are taken from the search index (one
    /// text, read in order) rather than from the cells (scattered in memory).
    fn column_order(&mut self, table: &Table, c: usize) -> &[u32] {
        if !self.sort_orders.contains_key(&c) {
            let indexed =
                self.search_index.is_some() && SearchIndex::columns_of(table).contains(&c);
            let order = if indexed {
                self.refresh_search_index(table).column_order(c)
            } else {
                None
            };
            let order = order.unwrap_or_else(|| column_order(table, c));
            self.sort_orders.insert(c, order);
        }
        self.sort_orders.get(&c).map_or(&[], Vec::as_slice)
    }

    /// The rows to show, in order; rebuilt if needed.
    pub fn visible(&mut self, table: &Table, t: usize, analysis: &Analysis) -> &[usize] {
        if self.stale {
            self.rebuild(table, t, analysis);
        }
        &self.visible
    }

    /// The rows shown at the last rebuild.
    pub fn visible_cached(&self) -> &[usize] {
        &self.visible
    }

    /// Clears search and filter ("Extraire > Tout extraire").
    pub fn extract_all(&mut self) {
        self.search.clear();
        self.filters.clear();
        self.stale = true;
    }

    /// Shows only the rows of one chip (`None`: every row).
    pub fn set_filter(&mut self, filter: Option<StatusFilter>) {
        self.filters = filter.into_iter().collect();
        self.stale = true;
    }

    /// A click on a chip: alone, it shows that chip's rows (or every row when it was the only
    /// one active); with Ctrl, it adds the chip to the active ones or takes it out.
    pub fn click_chip(&mut self, filter: StatusFilter, combine: bool) {
        if combine {
            if !self.filters.remove(&filter) {
                self.filters.insert(filter);
            }
        } else if self.filters.len() == 1 && self.filters.contains(&filter) {
            self.filters.clear();
        } else {
            self.set_filter(Some(filter));
        }
        self.stale = true;
    }

    /// Whether a search or a chip hides rows.
    pub fn is_filtered(&self) -> bool {
        !self.filters.is_empty() || !self.search.trim().is_empty()
    }

    /// How many rows matching the search have this chip's status; `None` while the search is
    /// empty (the table's summary counts apply).
    pub fn search_count(&self, filter: StatusFilter) -> Option<usize> {
        if self.search.trim().is_empty() {
            return None;
        }
        Some(self.search_counts.get(&filter).copied().unwrap_or(0))
    }

    /// Recomputes the visible rows from search, filter and sort.
    pub fn rebuild(&mut self, table: &Table, t: usize, analysis: &Analysis) {
        let query = fold_compact(&self.search);
        let found: Vec<usize> = if query.is_empty() {
            (0..table.rows.len()).collect()
        } else {
            self.refresh_search_index(table).rows_containing(&query)
        };
        // Rows found by status chip, as bits of `FindingKind as u8` (the clean rows apart).
        let mut kind_counts = [0usize; FindingKind::ALL.len()];
        let mut clean = 0;
        let mut visible = Vec::new();
        for r in found {
            let findings = analysis.row(t, r);
            if !query.is_empty() {
                if findings.is_empty() {
                    clean += 1;
                }
                let mut seen = 0u32;
                for finding in findings {
                    let bit = 1u32 << (finding.kind as u8);
                    if seen & bit == 0 {
                        seen |= bit;
                        kind_counts[usize::from(finding.kind as u8)] += 1;
                    }
                }
            }
            let shown = self.filters.is_empty()
                || self.filters.iter().any(|filter| match filter {
                    StatusFilter::Clean => findings.is_empty(),
                    StatusFilter::Kind(kind) => findings.iter().any(|f| f.kind == *kind),
                });
            if shown {
                visible.push(r);
            }
        }
        self.search_counts = FindingKind::ALL
            .iter()
            .map(|&kind| {
                (
                    StatusFilter::Kind(kind),
                    kind_counts[usize::from(kind as u8)],
                )
            })
            .chain([(StatusFilter::Clean, clean)])
            .filter(|&(_, n)| n > 0)
            .collect();
        if let Some((key, ascending)) = self.sort {
            // `visible` is in row order: ties keep it (a stable sort).
            visible = match key {
                SortKey::Status => {
                    // Most serious first, the rows without finding last: one pass per status.
                    let mut by_status = vec![Vec::new(); FindingKind::ALL.len() + 1];
                    for &r in &visible {
                        let status = analysis
                            .status(t, r)
                            .map_or(FindingKind::ALL.len(), |k| usize::from(k as u8));
                        by_status[status].push(r);
                    }
                    by_status.concat()
                }
                SortKey::Column(c) => {
                    let rows = table.rows.len();
                    let order = self.column_order(table, c);
                    if visible.len() == rows {
                        order.iter().map(|&r| r as usize).collect()
                    } else {
                        // The column's order, kept to the visible rows.
                        let mut shown = vec![false; rows];
                        for &r in &visible {
                            shown[r] = true;
                        }
                        order
                            .iter()
                            .map(|&r| r as usize)
                            .filter(|&r| shown[r])
                            .collect()
                    }
                }
            };
            if !ascending {
                visible.reverse();
            }
        }
        self.visible = visible;
        self.stale = false;
    }

    /// Sorts by a column; a second click on the same column reverses the order.
    pub fn toggle_sort(&mut self, key: SortKey) {
        self.sort = match self.sort {
            Some((current, ascending)) if current == key => Some((key, !ascending)),
            _ => Some((key, true)),
        };
        self.stale = true;
    }

    /// A click on a row: alone, with Ctrl (toggle) or with Shift (range from the anchor).
    pub fn click(&mut self, row: usize, ctrl: bool, shift: bool) {
        if shift && let Some(anchor) = self.anchor {
            let a = self.visible.iter().position(|&r| r == anchor);
            let b = self.visible.iter().position(|&r| r == row);
            if let (Some(a), Some(b)) = (a, b) {
                if !ctrl {
                    self.selection.clear();
                }
                let (lo, hi) = (a.min(b), a.max(b));
                self.selection.extend(self.visible[lo..=hi].iter().copied());
                self.focused = Some(row);
                return;
            }
        }
        if ctrl {
            if !self.selection.remove(&row) {
                self.selection.insert(row);
            }
        } else {
            self.selection.clear();
            self.selection.insert(row);
        }
        self.anchor = Some(row);
        self.focused = Some(row);
    }

    /// Selects every visible row (Ctrl+A).
    pub fn select_all(&mut self) {
        self.selection = self.visible.iter().copied().collect();
    }

    /// How many selected rows are visible (a search or a chip may hide others).
    pub fn selected_visible_count(&self) -> usize {
        self.visible
            .iter()
            .filter(|r| self.selection.contains(r))
            .count()
    }

    /// The selected rows that are visible, in display order.
    pub fn selected_visible(&self) -> Vec<usize> {
        self.visible
            .iter()
            .copied()
            .filter(|r| self.selection.contains(r))
            .collect()
    }
}

/// Lists at least this long are sorted on two cores (the first click on a column of a large
/// list must fit in a frame).
const PARALLEL_SORT_ROWS: usize = 8192;

/// The halves of `0..rows` a sort works on: two from [`PARALLEL_SORT_ROWS`] rows, else one.
fn sort_halves(rows: usize) -> Vec<std::ops::Range<usize>> {
    if rows >= PARALLEL_SORT_ROWS {
        vec![0..rows / 2, rows / 2..rows]
    } else {
        std::iter::once(0..rows).collect()
    }
}

/// Every row of `table` in the order of column `c`: folded text, then row.
fn column_order(table: &Table, c: usize) -> Vec<u32> {
    // The cells are scattered in memory: each half of the rows is folded on its own core.
    let fold = |range: std::ops::Range<usize>| {
        let mut text = String::with_capacity(range.len() * 12);
        let mut starts = Vec::with_capacity(range.len() + 1);
        let width = table.columns.len();
        for r in range {
            // A list's column is far below 4 GB.
            starts.push(text.len() as u32);
            push_fold_compact(&mut text, if c < width { table.cell(r, c) } else { "" });
        }
        starts.push(text.len() as u32);
        (text, starts)
    };
    let halves = sort_halves(table.rows.len());
    let folded: Vec<(String, Vec<u32>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = halves
            .iter()
            .skip(1)
            .map(|range| scope.spawn(|| fold(range.clone())))
            .collect();
        let mut folded = vec![fold(halves[0].clone())];
        folded.extend(workers.into_iter().map(|w| {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }));
        folded
    });
    sorted_rows(table.rows.len(), |r| {
        let half = usize::from(halves.len() > 1 && r as usize >= halves[0].end);
        let (text, starts) = &folded[half];
        let i = r as usize - halves[half].start;
        &text.as_bytes()[starts[i] as usize..starts[i + 1] as usize]
    })
}

/// Rows `0..rows` in the order of their folded cells `key(row)`, then by row; a large list is
/// sorted in two halves, one per core, then merged (the same order: rows break every tie).
fn sorted_rows<'a>(rows: usize, key: impl Fn(u32) -> &'a [u8] + Sync) -> Vec<u32> {
    // Each row as one number: the first 8 bytes of its folded cell, whether the cell is longer,
    // then the row. Sorting the numbers orders every row but those whose cells are longer and
    // share their first 8 bytes (a folded cell holds no zero byte, so a shorter cell still comes
    // first; two short cells with the same 8 bytes are equal): those are sorted again by their
    // cells. A list has far fewer than 4 billion rows.
    let row_of = |e: u128| e as u32;
    let is_long = |e: u128| (e >> 32) & 1 == 1;
    let compare = |a: &u128, b: &u128| {
        if a >> 64 == b >> 64 && is_long(*a) && is_long(*b) {
            key(row_of(*a))
                .cmp(key(row_of(*b)))
                .then(row_of(*a).cmp(&row_of(*b)))
        } else {
            a.cmp(b)
        }
    };
    let sort = |range: std::ops::Range<usize>| {
        let mut order: Vec<u128> = range
            .map(|r| {
                let r = r as u32;
                let cell = key(r);
                (u128::from(prefix(cell)) << 64)
                    | (u128::from(cell.len() > 8) << 32)
                    | u128::from(r)
            })
            .collect();
        order.sort_unstable();
        // The long cells sharing their first 8 bytes, together at the end of their run.
        let mut start = 0;
        while start < order.len() {
            let first = order[start] >> 64;
            let mut end = start + 1;
            while end < order.len() && order[end] >> 64 == first {
                end += 1;
            }
            let long = start + order[start..end].partition_point(|&e| !is_long(e));
            if end - long > 1 {
                order[long..end].sort_unstable_by(compare);
            }
            start = end;
        }
        order
    };
    let halves = sort_halves(rows);
    if halves.len() == 1 {
        return sort(0..rows).into_iter().map(row_of).collect();
    }
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| sort(halves[1].clone()));
        let first = sort(halves[0].clone());
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    });
    let mut order = Vec::with_capacity(rows);
    let (mut a, mut b) = (first.into_iter().peekable(), second.into_iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if compare(x, y).is_le() {
            a.next()
        } else {
            b.next()
        };
        order.extend(next.map(row_of));
    }
    order.extend(a.chain(b).map(row_of));
    order
}

/// The first 8 bytes of a folded cell, as a number that sorts as they do.
fn prefix(key: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let n = key.len().min(8);
    bytes[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(bytes)
}

/// The nom, prénom, login and Identifiant CAS of every row of a list, folded, in one text:
/// what the search box looks in. Built once from the cells as read; an edit does not build it
/// again, the edited rows are folded apart ([`Self::refold_edits`]).
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// The columns folded, in order.
    columns: Vec<usize>,
    /// Each row's folded cells, `|` between them and `\n` after the row.
    text: String,
    /// Where each row starts in `text`; one more entry, the end of `text`.
    starts: Vec<u32>,
    /// Where each row's fields start in `text`, `columns.len()` per row: a column's sort reads
    /// its field without splitting the row.
    field_starts: Vec<u32>,
    /// The cells edited when `text` was built (their rows are folded apart).
    edited_at_build: Vec<(usize, usize)>,
    /// The rows edited now or at the build, folded from their current cells, by row.
    edited_rows: Vec<(usize, String)>,
}

impl SearchIndex {
    /// The columns the search looks in.
    fn columns_of(table: &Table) -> Vec<usize> {
        [
            ColumnRole::Nom,
            ColumnRole::Prenom,
            ColumnRole::Login,
            ColumnRole::CasId,
        ]
        .iter()
        .filter_map(|r| table.column(*r))
        .collect()
    }

    /// Folds every row of `table`.
    pub fn build(table: &Table) -> Self {
        let columns = Self::columns_of(table);
        let mut text = String::with_capacity(table.rows.len() * 32);
        let mut starts = Vec::with_capacity(table.rows.len() + 1);
        let mut field_starts = Vec::with_capacity(table.rows.len() * columns.len());
        for r in 0..table.rows.len() {
            // The index of a list is far below 4 GB.
            starts.push(text.len() as u32);
            Self::push_row(&mut text, table, r, &columns, &mut field_starts);
        }
        starts.push(text.len() as u32);
        let mut index = Self {
            columns,
            text,
            starts,
            field_starts,
            edited_at_build: table.edited_cells(),
            edited_rows: Vec::new(),
        };
        index.refold_edits(table);
        index
    }

    /// Appends row `r` folded, and where each of its fields starts.
    fn push_row(
        out: &mut String,
        table: &Table,
        r: usize,
        columns: &[usize],
        field_starts: &mut Vec<u32>,
    ) {
        let width = table.columns.len();
        for (i, &c) in columns.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            field_starts.push(out.len() as u32);
            push_fold_compact(out, if c < width { table.cell(r, c) } else { "" });
        }
        out.push('\n');
    }

    /// Whether it was built on `table` with these columns.
    fn fits(&self, table: &Table, columns: &[usize]) -> bool {
        self.columns == columns && self.starts.len() == table.rows.len() + 1
    }

    /// Folds again the rows whose cells are edited now or were at the build.
    fn refold_edits(&mut self, table: &Table) {
        let mut rows: Vec<usize> = table
            .edited_cells()
            .into_iter()
            .chain(self.edited_at_build.iter().copied())
            .filter(|(_, c)| self.columns.contains(c))
            .map(|(r, _)| r)
            .filter(|&r| r < table.rows.len())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        self.edited_rows = rows
            .into_iter()
            .map(|r| {
                let mut key = String::new();
                Self::push_row(&mut key, table, r, &self.columns, &mut Vec::new());
                (r, key)
            })
            .collect();
    }

    /// Every row in the order of column `c` (folded text, then row), if the index holds it.
    fn column_order(&self, c: usize) -> Option<Vec<u32>> {
        let field = self.columns.iter().position(|&indexed| indexed == c)?;
        let rows = self.starts.len() - 1;
        let mut edited = self.edited_rows.iter().peekable();
        let fields = self.columns.len();
        let text = self.text.as_bytes();
        let cells: Vec<&[u8]> = (0..rows)
            .map(|r| match edited.next_if(|(e, _)| *e == r) {
                Some((_, key)) => {
                    let row = key.as_bytes();
                    let row = row.strip_suffix(b"\n").unwrap_or(row);
                    row.split(|&b| b == b'|').nth(field).unwrap_or_default()
                }
                None => {
                    // The field ends before the next one's `|`, or before the row's `\n`.
                    let start = self.field_starts[r * fields + field] as usize;
                    let end = match self.field_starts.get(r * fields + field + 1) {
                        Some(&next) if field + 1 < fields => next as usize - 1,
                        _ => self.starts[r + 1] as usize - 1,
                    };
                    &text[start..end]
                }
            })
            .collect();
        Some(sorted_rows(rows, |r| cells[r as usize]))
    }

    /// The rows whose folded cells contain `query` (folded, not empty), in row order.
    fn rows_containing(&self, query: &str) -> Vec<usize> {
        let is_edited = |r: usize| self.edited_rows.binary_search_by_key(&r, |e| e.0).is_ok();
        let mut rows = Vec::new();
        let mut from = 0;
        while let Some(found) = self.text[from..].find(query) {
            let at = from + found;
            // The row whose text holds `at`: the last start at or before it.
            let r = self.starts.partition_point(|&s| s as usize <= at) - 1;
            if !is_edited(r) {
                rows.push(r);
            }
            // One match is enough: on to the next row.
            from = self.starts[r + 1] as usize;
        }
        if !self.edited_rows.is_empty() {
            rows.extend(
                self.edited_rows
                    .iter()
                    .filter(|(_, key)| key.contains(query))
                    .map(|(r, _)| *r),
            );
            rows.sort_unstable();
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Document;
    use crate::model::edit::Edit;

    #[test]
    fn a_large_list_sorted_on_two_cores_is_in_the_same_order_as_sorted_on_one() {
        // Keys that share long prefixes, empty ones, ties: 20,000 rows from a simple generator.
        let mut seed = 7u64;
        let keys: Vec<Vec<u8>> = (0..20_000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let len = (seed >> 60) as usize;
                let mut key = b"martinez".to_vec();
                key.truncate((seed >> 56) as usize % 9);
                key.extend((0..len).map(|i| b"abc"[((seed >> (i * 3)) % 3) as usize]));
                key
            })
            .collect();
        let order = sorted_rows(keys.len(), |r| &keys[r as usize]);
        let mut expected: Vec<u32> = (0..keys.len() as u32).collect();
        expected.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));
        assert_eq!(sort_halves(keys.len()).len(), 2);
        assert_eq!(order, expected);
    }

    /// What the search found before the index: every row whose folded cells contain the query.
    fn rows_found_by_folding_each_row(table: &Table, query: &str) -> Vec<usize> {
        let columns = SearchIndex::columns_of(table);
        (0..table.rows.len())
            .filter(|&r| {
                columns
                    .iter()
                    .map(|&c| fold_compact(table.cell(r, c)))
                    .collect::<Vec<_>>()
                    .join("|")
                    .contains(query)
            })
            .collect()
    }

    #[test]
    fn the_search_index_finds_what_folding_each_row_finds() {
        let doc = Document::example(true);
        for table in &doc.tables {
            let index = SearchIndex::build(table);
            for query in ["a", "e", "martin", "helene", "moreau", "2", "zzz"] {
                assert_eq!(
                    index.rows_containing(query),
                    rows_found_by_folding_each_row(table, query),
                    "{query} in {}",
                    table.file_name()
                );
            }
        }
    }

    #[test]
    fn an_edited_cas_is_found_by_its_new_value_and_no_longer_by_the_old_one_until_undone() {
        let mut doc = Document::example(true);
        let t = 0;
        let r = (0..doc.tables[t].rows.len())
            .find(|&r| doc.tables[t].cas_id(r).len() > 3)
            .unwrap();
        let old = fold_compact(doc.tables[t].cas_id(r));
        doc.views[t].prepare(&doc.tables[t]);
        let edit = Edit::set_cas(&doc.tables, t, r, "zorglub.nouveau").unwrap();
        doc.apply("Saisir", edit);
        let found = |doc: &mut Document, query: &str| {
            let Document {
                views,
                tables,
                analysis,
                ..
            } = doc;
            views[t].search = query.to_owned();
            views[t].rebuild(&tables[t], t, analysis);
            views[t].visible_cached().contains(&r)
        };
        assert!(found(&mut doc, "zorglubnouveau"));
        // The old value is found only where another of the row's cells holds it (a login).
        let by_folding = rows_found_by_folding_each_row(&doc.tables[t], &old).contains(&r);
        assert_eq!(found(&mut doc, &old), by_folding);
        doc.undo().unwrap();
        assert!(found(&mut doc, &old));
        assert!(!found(&mut doc, "zorglubnouveau"));
    }

    #[test]
    fn a_column_sorts_by_its_folded_text_then_by_row_both_ways() {
        let doc = Document::example(true);
        let t = doc.tables.iter().position(|t| t.rows.len() > 5).unwrap();
        let table = &doc.tables[t];
        for c in 0..table.columns.len() {
            let mut expected: Vec<(String, usize)> = (0..table.rows.len())
                .map(|r| (fold_compact(table.cell(r, c)), r))
                .collect();
            expected.sort_unstable();
            let expected: Vec<usize> = expected.into_iter().map(|(_, r)| r).collect();
            let mut view = TableView::new(table.rows.len());
            view.toggle_sort(SortKey::Column(c));
            view.rebuild(table, t, &doc.analysis);
            assert_eq!(view.visible_cached(), expected);
            view.toggle_sort(SortKey::Column(c));
            view.rebuild(table, t, &doc.analysis);
            let reversed: Vec<usize> = expected.iter().rev().copied().collect();
            assert_eq!(view.visible_cached(), reversed);
        }
    }

    #[test]
    fn the_status_sort_keeps_row_order_among_equal_statuses() {
        let doc = Document::example(true);
        for (t, table) in doc.tables.iter().enumerate() {
            let mut expected: Vec<usize> = (0..table.rows.len()).collect();
            expected.sort_by_key(|&r| doc.analysis.status(t, r).map_or(u8::MAX, |k| k as u8));
            let mut view = TableView::new(table.rows.len());
            view.toggle_sort(SortKey::Status);
            view.rebuild(table, t, &doc.analysis);
            assert_eq!(view.visible_cached(), expected);
        }
    }

    #[test]
    fn names_sharing_their_first_eight_letters_sort_by_the_rest() {
        let csv = "Nom;Prénom;Identifiant CAS\nMARTINEZ-LOPEZ;Ana;\nMartinez;Zoé;\nMARTINEZ;Éloïse;\n\
                   Martin;Luc;\n;Sans;\nMartinezz;Léa;\nMARTINEZ-LOPES;Ana;\nÉmile;Jean;\n";
        let table = Table::from_bytes(
            std::path::Path::new("professeurs.csv"),
            csv.as_bytes(),
            None,
        )
        .unwrap();
        let analysis = Analysis::default();
        let mut view = TableView::new(table.rows.len());
        view.toggle_sort(SortKey::Column(0));
        view.rebuild(&table, 0, &analysis);
        // "", emile, martin, martinez (rows 1 and 2, in row order), martinezlopes,
        // martinezlopez, martinezz.
        assert_eq!(view.visible_cached(), [4, 7, 3, 1, 2, 6, 0, 5]);
        // A search keeps the column's order.
        view.search = "lopez".into();
        view.rebuild(&table, 0, &analysis);
        assert_eq!(view.visible_cached(), [0]);
        view.search = "martinez".into();
        view.rebuild(&table, 0, &analysis);
        assert_eq!(view.visible_cached(), [1, 2, 6, 0, 5]);
    }

    #[test]
    fn a_large_list_sorts_as_its_folded_cells_then_rows_do() {
        let names = [
            "Martin",
            "MARTINEZ",
            "Martinez-Lopez",
            "Éloïse",
            "",
            "Bernard",
            "Dupont",
        ];
        let mut csv = String::from("Nom;Prénom;Identifiant CAS\n");
        for i in 0..25_000usize {
            let name = names[(i * 7919) % names.len()];
            csv.push_str(&format!("{name}{};P{};\n", i % 13, i % 101));
        }
        let table =
            Table::from_bytes(std::path::Path::new("eleves.csv"), csv.as_bytes(), None).unwrap();
        for c in 0..2 {
            let mut expected: Vec<(String, usize)> = (0..table.rows.len())
                .map(|r| (fold_compact(table.cell(r, c)), r))
                .collect();
            expected.sort_unstable();
            let expected: Vec<u32> = expected.into_iter().map(|(_, r)| r as u32).collect();
            assert_eq!(column_order(&table, c), expected);
        }
    }

    #[test]
    fn a_large_search_index_sorts_on_two_cores_as_the_cells_do_with_edits_in_both_halves() {
        let mut csv = String::from("Nom;Prénom;Identifiant CAS\n");
        for i in 0..20_000usize {
            csv.push_str(&format!(
                "NOM{};Prénom{};login{}\n",
                i % 37,
                i % 101,
                i % 53
            ));
        }
        let mut table =
            Table::from_bytes(std::path::Path::new("eleves.csv"), csv.as_bytes(), None).unwrap();
        assert_eq!(sort_halves(table.rows.len()).len(), 2);
        let mut index = SearchIndex::build(&table);
        // Edits before and after the middle of the list, one of them back to a shared value.
        for (r, c, value) in [
            (3, 0, "AAA"),
            (9_999, 1, "zzz"),
            (10_000, 2, "aaa.premier"),
            (17_500, 0, "NOM5"),
            (19_999, 2, ""),
        ] {
            table.set_cell(r, c, value.to_owned());
        }
        index.refold_edits(&table);
        for c in SearchIndex::columns_of(&table) {
            assert_eq!(
                index.column_order(c),
                Some(column_order(&table, c)),
                "column {c}"
            );
        }
    }

    #[test]
    fn the_search_index_sorts_its_columns_as_the_cells_do_before_and_after_an_edit() {
        let mut doc = Document::example(true);
        for t in 0..doc.tables.len() {
            doc.views[t].set_search_index(SearchIndex::build(&doc.tables[t]));
        }
        let t = 0;
        let r = (0..doc.tables[t].rows.len())
            .find(|&r| !doc.tables[t].cas_id(r).is_empty())
            .unwrap();
        let edit = Edit::set_cas(&doc.tables, t, r, "aaa.premier").unwrap();
        for edited in [false, true] {
            if edited {
                doc.apply("Saisir", edit.clone());
            }
            for (t, table) in doc.tables.iter().enumerate() {
                for c in SearchIndex::columns_of(table) {
                    let from_cells = column_order(table, c);
                    assert_eq!(doc.views[t].column_order(table, c), from_cells);
                }
            }
        }
        // The edited CAS comes before every other non-empty one.
        let c = doc.tables[t].column(ColumnRole::CasId).unwrap();
        let (tables, views) = (&doc.tables, &mut doc.views);
        let first_filled = views[t]
            .column_order(&tables[t], c)
            .iter()
            .copied()
            .find(|&row| !tables[t].cas_id(row as usize).is_empty());
        assert_eq!(first_filled, Some(r as u32));
    }
}
