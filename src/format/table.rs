//! The cells of a table-shaped input (CSV) in compact form: the records, and where their
//! fields are. A field's column is its position in its record and its row is its record's,
//! so neither is stored per field. Nor, in the usual record (no quotes), is the field: a bit
//! per byte marks the separators, and a field is read from those bits when asked for. A
//! window holds millions of fields, and writing a span for each cost more than finding it.

use super::Cell;

/// [`Record::first`] of a record whose fields are read from [`Table::seps`].
pub(crate) const FROM_SEPARATORS: u32 = u32::MAX;

/// One record of `len` cells (0 for a header or a blank line), cell `j` in the column
/// `columns[j]`: its fields are `spans[first..first + len]` (a record with quotes), or, when
/// `first` is [`FROM_SEPARATORS`], run from `start` to `end` split at the bits of `seps`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record {
    pub first: u32,
    pub len: u32,
    /// Where its first field starts: lookups find the record, then the field within it,
    /// reading a few cache lines instead of galloping over every field between two matches.
    pub start: u32,
    /// Where its last field ends (a `\r` before the line feed left out).
    pub end: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Table {
    /// The `[start, end)` of every field of the records with quotes, in input order (also
    /// those of a header).
    pub spans: Vec<[u32; 2]>,
    /// Bit `i % 64` of word `i / 64` is set when byte `i` is a delimiter or line feed outside
    /// quotes; read only within records whose fields are not in `spans`.
    pub seps: Vec<u64>,
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

    /// The spans of a record's fields, in order.
    pub fn fields(&self, r: &Record) -> Fields<'_> {
        if r.first == FROM_SEPARATORS {
            Fields::Separated {
                seps: &self.seps,
                at: r.start,
                end: r.end,
                left: r.len,
            }
        } else {
            let first = r.first as usize;
            Fields::Spans(
                self.spans
                    .get(first..first + r.len as usize)
                    .unwrap_or_default()
                    .iter(),
            )
        }
    }

    fn cell(&self, i: usize, j: usize, [start, end]: [u32; 2]) -> Cell {
        Cell {
            start: start as usize,
            end: end as usize,
            place: self.columns[j],
            row: self.first_row + i as u64,
        }
    }

    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.records.iter().enumerate().flat_map(move |(i, r)| {
            self.fields(r)
                .enumerate()
                .map(move |(j, span)| self.cell(i, j, span))
        })
    }

    /// The cells of the columns whose place `wanted` accepts.
    pub fn cells_in(&self, wanted: impl Fn(u32) -> bool) -> CellsIn<'_> {
        let wanted: Vec<bool> = self.columns.iter().map(|&p| wanted(p)).collect();
        // Past the last wanted column, a record's fields need not be read.
        let reach = wanted.iter().rposition(|&w| w).map_or(0, |j| j + 1);
        CellsIn {
            table: self,
            wanted,
            reach,
            record: 0,
            fields: None,
        }
    }

    /// The cell holding byte `pos`; `hint` is where the last lookup ended (lookups come in
    /// ascending order) and is moved on.
    pub fn cell_at(&self, pos: u32, hint: usize) -> (Option<Cell>, usize) {
        let r = count_at_or_before(&self.records, |r| r.start, pos, hint);
        let found = (|| {
            let i = r.checked_sub(1)?;
            let rec = self.records[i];
            // A header or a blank line has no fields here (`len` 0): no cell.
            let (j, [start, end]) = if rec.first == FROM_SEPARATORS {
                self.separated_field_at(&rec, pos)?
            } else {
                let first = rec.first as usize;
                let fields = self.spans.get(first..first + rec.len as usize)?;
                let j = fields.partition_point(|f| f[0] <= pos).checked_sub(1)?;
                (j, fields[j])
            };
            (pos < end.max(start + 1)).then(|| self.cell(i, j, [start, end]))
        })();
        (found, r)
    }

    /// In a record read from the separators, the last field starting at or before `pos`
    /// (which is at or after the record's start) and its position.
    fn separated_field_at(&self, rec: &Record, pos: u32) -> Option<(usize, [u32; 2])> {
        let (j, last) = separators_before(&self.seps, rec.start, pos);
        if j >= rec.len as usize {
            return None;
        }
        let start = last.map_or(rec.start, |s| s + 1);
        let end = if j + 1 == rec.len as usize {
            rec.end
        } else {
            next_separator(&self.seps, pos).unwrap_or(rec.end)
        };
        Some((j, [start, end]))
    }
}

/// See [`Table::cells_in`].
pub(crate) struct CellsIn<'a> {
    table: &'a Table,
    /// By column position.
    wanted: Vec<bool>,
    reach: usize,
    /// The record the fields are of.
    record: usize,
    /// The fields of `record` not yet looked at, and the position of the next.
    fields: Option<(std::iter::Take<Fields<'a>>, usize)>,
}

impl Iterator for CellsIn<'_> {
    type Item = Cell;

    fn next(&mut self) -> Option<Cell> {
        loop {
            if let Some((fields, j)) = &mut self.fields {
                for span in fields.by_ref() {
                    *j += 1;
                    if self.wanted[*j - 1] {
                        return Some(self.table.cell(self.record, *j - 1, span));
                    }
                }
                self.record += 1;
            }
            if self.reach == 0 {
                return None;
            }
            let r = self.table.records.get(self.record)?;
            self.fields = Some((self.table.fields(r).take(self.reach), 0));
        }
    }
}

/// The fields of one record (see [`Table::fields`]).
pub(crate) enum Fields<'a> {
    Spans(std::slice::Iter<'a, [u32; 2]>),
    Separated {
        seps: &'a [u64],
        /// Where the next field starts.
        at: u32,
        end: u32,
        left: u32,
    },
}

impl Iterator for Fields<'_> {
    type Item = [u32; 2];

    fn next(&mut self) -> Option<[u32; 2]> {
        match self {
            Fields::Spans(it) => it.next().copied(),
            Fields::Separated {
                seps,
                at,
                end,
                left,
            } => {
                *left = left.checked_sub(1)?;
                let span_end = if *left == 0 {
                    *end
                } else {
                    next_separator(seps, *at).unwrap_or(*end)
                };
                let span = [*at, span_end];
                *at = span_end + 1;
                Some(span)
            }
        }
    }
}

/// The first separator at or after `from`.
pub(crate) fn next_separator(seps: &[u64], from: u32) -> Option<u32> {
    let mut k = from as usize / 64;
    let mut w = seps.get(k)? & (u64::MAX << (from % 64));
    while w == 0 {
        k += 1;
        w = *seps.get(k)?;
    }
    Some((k * 64) as u32 + w.trailing_zeros())
}

/// How many separators lie in `from..to`, and the last of them.
fn separators_before(seps: &[u64], from: u32, to: u32) -> (usize, Option<u32>) {
    let (mut count, mut last) = (0, None);
    let (first_word, last_word) = (from as usize / 64, to as usize / 64);
    for k in first_word..=last_word {
        let Some(&(mut w)) = seps.get(k) else { break };
        if k == first_word {
            w &= u64::MAX << (from % 64);
        }
        if k == last_word {
            w &= (1u64 << (to % 64)) - 1;
        }
        if w != 0 {
            count += w.count_ones() as usize;
            last = Some((k * 64) as u32 + 63 - w.leading_zeros());
        }
    }
    (count, last)
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
