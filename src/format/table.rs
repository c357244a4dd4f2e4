//! The cells of a table-shaped input (CSV) in compact form: the span of every field and the
//! records the fields form. A field's column is its position in its record and its row is its
//! record's, so neither is stored per field: a CSV window holds millions of fields, and
//! writing a place and a row for each cost more than finding the field.

use super::Cell;

/// One record: its cells are `spans[first..first + len]`, cell `j` in the column
/// `columns[j]`. A record without cells (a header, a blank line) has `len` 0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record {
    pub first: u32,
    pub len: u32,
    /// Where its first field starts: lookups find the record, then the field within it,
    /// reading a few cache lines instead of galloping over every field between two matches.
    pub start: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Table {
    /// Every field's `[start, end)`, in input order (also those of a header).
    pub spans: Vec<[u32; 2]>,
    /// Every record, in input order: `records[i]` is row `first_row + i`.
    pub records: Vec<Record>,
    /// The place of each column, by position in the record.
    pub columns: Vec<u32>,
    pub first_row: u64,
}

impl Table {
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Cell `j` of record `i`.
    fn cell(&self, i: usize, j: usize) -> Cell {
        let [start, end] = self.spans[self.records[i].first as usize + j];
        Cell {
            start: start as usize,
            end: end as usize,
            place: self.columns[j],
            row: self.first_row + i as u64,
        }
    }

    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.records
            .iter()
            .enumerate()
            .flat_map(move |(i, r)| (0..r.len as usize).map(move |j| self.cell(i, j)))
    }

    /// The cells of the columns whose place `wanted` accepts.
    pub fn cells_in(&self, wanted: impl Fn(u32) -> bool) -> CellsIn<'_> {
        CellsIn {
            table: self,
            columns: (0..self.columns.len())
                .filter(|&j| wanted(self.columns[j]))
                .collect(),
            record: 0,
            next: 0,
        }
    }

    /// The cell holding byte `pos`; `hint` is where the last lookup ended (lookups come in
    /// ascending order) and is moved on.
    pub fn cell_at(&self, pos: u32, hint: usize) -> (Option<Cell>, usize) {
        let r = count_at_or_before(&self.records, |r| r.start, pos, hint);
        let found = (|| {
            let i = r.checked_sub(1)?;
            let rec = self.records[i];
            let fields = self
                .spans
                .get(rec.first as usize..rec.first as usize + rec.len as usize)?;
            // A header or a blank line has no fields here (`len` 0): no cell.
            let j = fields.partition_point(|f| f[0] <= pos).checked_sub(1)?;
            let [start, end] = fields[j];
            (pos < end.max(start + 1)).then(|| self.cell(i, j))
        })();
        (found, r)
    }
}

/// See [`Table::cells_in`].
pub(crate) struct CellsIn<'a> {
    table: &'a Table,
    /// The wanted columns, in order.
    columns: Vec<usize>,
    record: usize,
    /// Into `columns`, for the record at hand.
    next: usize,
}

impl Iterator for CellsIn<'_> {
    type Item = Cell;

    fn next(&mut self) -> Option<Cell> {
        loop {
            let len = self.table.records.get(self.record)?.len as usize;
            if let Some(&j) = self.columns.get(self.next).filter(|&&j| j < len) {
                self.next += 1;
                return Some(self.table.cell(self.record, j));
            }
            self.record += 1;
            self.next = 0;
        }
    }
}

/// How many of `items` (sorted by `key`) have a key at or before `pos`. Lookups come in
/// ascending order: from `hint` (the previous answer) the search walks, then gallops forward,
/// costing the logarithm of the distance rather than of the whole array; a lookup behind the
/// hint searches all.
pub(crate) fn count_at_or_before<T>(
    items: &[T],
    key: impl Fn(&T) -> u32,
    pos: u32,
    hint: usize,
) -> usize {
    let hint = hint.min(items.len());
    if hint == 0 || key(&items[hint - 1]) > pos {
        return items.partition_point(|c| key(c) <= pos);
    }
    // Near the hint, a walk: it reads memory in order, which the prefetcher keeps ahead of,
    // where the probes of a gallop each miss the cache.
    const WALK: usize = 64;
    if let Some(n) = items[hint..].iter().take(WALK).position(|c| key(c) > pos) {
        return hint + n;
    }
    // Everything before `lo` is at or before `pos`; the answer is at most `probe`.
    let mut lo = (hint + WALK).min(items.len());
    let mut step = 1;
    let probe = loop {
        let probe = lo + step - 1;
        if probe >= items.len() || key(&items[probe]) > pos {
            break probe.min(items.len());
        }
        lo = probe + 1;
        step *= 2;
    };
    lo + items[lo..probe].partition_point(|c| key(c) <= pos)
}
