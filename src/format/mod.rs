//! Structure-aware reading: which table, column, JSON key path and row every byte of a CSV,
//! JSON/NDJSON or SQL dump belongs to. The engine still scans the raw bytes (offsets stay those
//! of the file); a [`StructureIndex`] then places each finding, and column names act as
//! context (an `email` column raises confidence; a `dob` column enables date detection).

mod csv_index;
mod json_index;
mod sql_index;
mod table;
mod windows;

pub use windows::{Window, Windows};

use crate::finding::{Location, SharedStr};
use std::sync::Arc;

/// The structure a file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Csv,
    Json,
    Sql,
    /// A live database table (built by `db`, never from bytes).
    Db,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Csv => "csv",
            Kind::Json => "json",
            Kind::Sql => "sql",
            Kind::Db => "database",
        }
    }
}

/// Picks the reader by file name, then by content.
pub fn detect_kind(path: &str, head: &[u8]) -> Kind {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "csv" | "tsv" | "psv" => return Kind::Csv,
        "json" | "ndjson" | "jsonl" | "geojson" => return Kind::Json,
        "sql" => return Kind::Sql,
        _ => {}
    }
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        return Kind::Json;
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    if text.contains("PostgreSQL database dump")
        || text.contains("MySQL dump")
        || text.contains("MariaDB dump")
    {
        return Kind::Sql;
    }
    Kind::Text
}

/// Where a value lives: a table column, a CSV column or a JSON key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub table: Option<Arc<str>>,
    pub column: Option<Arc<str>>,
    pub key_path: Option<Arc<str>>,
}

impl Place {
    /// The name that column hints are read from: the column, or the last key of a key path.
    pub fn hint_name(&self) -> Option<&str> {
        if let Some(c) = &self.column {
            return Some(c);
        }
        self.key_path.as_deref().map(|p| {
            p.rsplit(['.', '['])
                .next()
                .unwrap_or(p)
                .trim_end_matches(']')
        })
    }
}

/// One value's byte span and the place and row it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub start: usize,
    pub end: usize,
    pub place: u32,
    pub row: u64,
}

/// A cell as stored: 16 bytes (offsets within the indexed buffer, the row relative to its
/// place's first), since an index holds one per value and is walked for every match.
#[derive(Debug, Clone, Copy)]
struct Packed {
    start: u32,
    end: u32,
    place: u32,
    row: u32,
}

/// The cells of a buffer, sorted by start, and the places they belong to.
#[derive(Debug, Default)]
pub struct StructureIndex {
    pub kind: Option<Kind>,
    pub places: Vec<Place>,
    cells: Vec<Packed>,
    /// Per place, the first row a cell of it has (rows are stored relative to it).
    row_base: Vec<u64>,
    /// Rows seen per place (for `rows_scanned` in inventories).
    pub rows: Vec<u64>,
    /// Set when the input did not parse completely (unbalanced quotes, a cut JSON document):
    /// everything is still scanned as text, and this says why structure stopped.
    pub problem: Option<String>,
    lookup: foldhash::HashMap<Place, u32>,
    /// A CSV's cells (the other formats' are in `cells`).
    table: table::Table,
    /// Where the last [`Self::cell_at`] ended (in `cells`, or in the table's records):
    /// lookups come in ascending order, so the next one starts from here.
    last_lookup: std::sync::atomic::AtomicUsize,
}

/// Arrays of dropped indexes, reused by the next window: a window of a large input holds
/// millions of cells, and fresh memory for each costs page faults on every window.
struct Spare<T>(std::sync::Mutex<Vec<Vec<T>>>);

impl<T> Spare<T> {
    /// At most this many spare arrays are kept (windows in flight: one parsed ahead, one
    /// scanned).
    const MAX: usize = 2;

    const fn new() -> Spare<T> {
        Spare(std::sync::Mutex::new(Vec::new()))
    }

    fn take(&self) -> Vec<T> {
        self.0
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    }

    /// Keeps `v` if it is worth keeping (a window's worth) and there is room.
    fn give(&self, v: &mut Vec<T>) {
        if v.capacity() < 1 << 16 {
            return;
        }
        if let Ok(mut spare) = self.0.lock() {
            if spare.len() < Self::MAX {
                let mut v = std::mem::take(v);
                v.clear();
                spare.push(v);
            }
        }
    }
}

static SPARE_CELLS: Spare<Packed> = Spare::new();
static SPARE_SPANS: Spare<[u32; 2]> = Spare::new();
static SPARE_SEPS: Spare<u64> = Spare::new();
static SPARE_RECORDS: Spare<table::Record> = Spare::new();

impl Drop for StructureIndex {
    fn drop(&mut self) {
        SPARE_CELLS.give(&mut self.cells);
        SPARE_SPANS.give(&mut self.table.spans);
        SPARE_SEPS.give(&mut self.table.seps);
        SPARE_RECORDS.give(&mut self.table.records);
    }
}

impl StructureIndex {
    pub(crate) fn place_id(&mut self, place: Place) -> u32 {
        if let Some(&i) = self.lookup.get(&place) {
            return i;
        }
        let id = self.places.len() as u32;
        self.lookup.insert(place.clone(), id);
        self.places.push(place);
        self.rows.push(0);
        self.row_base.push(u64::MAX);
        id
    }

    /// Adds a cell. Inlined: a window adds millions, and the call cost more than the work.
    #[inline]
    pub(crate) fn push(&mut self, start: usize, end: usize, place: u32, row: u64) {
        let rel = self.row_from_base(place, row);
        let (Ok(start), Ok(end), Ok(rel)) =
            (u32::try_from(start), u32::try_from(end), u32::try_from(rel))
        else {
            return self.untracked();
        };
        self.cells.push(Packed {
            start,
            end,
            place,
            row: rel,
        });
        let r = &mut self.rows[place as usize];
        *r = (*r).max(row);
    }

    /// [`Self::push`] for a reader that keeps its buffer's offsets and rows within `u32` (it
    /// checked the buffer's length) and sets [`Self::rows`] itself: no conversions, no row
    /// maximum per cell.
    #[inline]
    pub(crate) fn push_in_window(&mut self, start: u32, end: u32, place: u32, row: u64) {
        // Rows of one buffer: fewer than its bytes, so within u32 of the first.
        let row = self.row_from_base(place, row) as u32;
        self.cells.push(Packed {
            start,
            end,
            place,
            row,
        });
    }

    /// A cell's row relative to the first row of its place (which its first cell sets).
    #[inline]
    fn row_from_base(&mut self, place: u32, row: u64) -> u64 {
        if self.cells.capacity() == 0 {
            self.take_spare_cells();
        }
        let base = &mut self.row_base[place as usize];
        if *base == u64::MAX {
            *base = row;
        }
        row.wrapping_sub(*base)
    }

    /// The first cell: its array is one a dropped index left, if any (out of line, so that
    /// [`Self::push`] stays small enough to inline).
    #[cold]
    #[inline(never)]
    fn take_spare_cells(&mut self) {
        self.cells = SPARE_CELLS.take();
    }

    /// Notes that `place` has cells from row `first` to row `last` (cells kept elsewhere than
    /// [`Self::push`] puts them).
    pub(crate) fn note_rows(&mut self, place: u32, first: u64, last: u64) {
        let p = place as usize;
        self.row_base[p] = self.row_base[p].min(first);
        self.rows[p] = self.rows[p].max(last);
    }

    /// An empty table for a CSV's cells, with arrays left by dropped indexes.
    pub(crate) fn new_table() -> table::Table {
        table::Table {
            spans: SPARE_SPANS.take(),
            seps: SPARE_SEPS.take(),
            records: SPARE_RECORDS.take(),
            ..Default::default()
        }
    }

    /// Windows are far smaller; only a whole buffer over 4 GiB gets here.
    #[cold]
    fn untracked(&mut self) {
        self.problem
            .get_or_insert_with(|| "structure is not tracked past 4 GiB of one buffer".into());
    }

    fn unpack(&self, c: &Packed) -> Cell {
        Cell {
            start: c.start as usize,
            end: c.end as usize,
            place: c.place,
            row: self.row_base[c.place as usize].wrapping_add(u64::from(c.row)),
        }
    }

    /// How many rows of `place` this index spans (first to last row with a cell).
    pub fn row_span(&self, place: u32) -> u64 {
        let p = place as usize;
        match (self.row_base.get(p), self.rows.get(p)) {
            (Some(&base), Some(&last)) if base != u64::MAX && last >= base => last - base + 1,
            _ => 0,
        }
    }

    /// Every cell, in order of position.
    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.cells
            .iter()
            .map(|c| self.unpack(c))
            .chain(self.table.cells())
    }

    /// The cells of the places `wanted` marks (by place id), in order of position: the others
    /// are passed over without being unpacked.
    pub fn cells_in<'a>(&'a self, wanted: &'a [bool]) -> impl Iterator<Item = Cell> + 'a {
        let wanted_place = |place: u32| wanted.get(place as usize).copied().unwrap_or(false);
        self.cells
            .iter()
            .filter(move |c| wanted_place(c.place))
            .map(|c| self.unpack(c))
            .chain(self.table.cells_in(wanted_place))
    }

    /// Drops the cells from byte `at` on (a window that ends earlier than it was parsed).
    pub(crate) fn truncate_at(&mut self, at: usize) {
        self.cells.retain(|c| (c.start as usize) < at);
    }

    pub(crate) fn sort(&mut self) {
        if !self.cells.is_sorted_by_key(|c| c.start) {
            self.cells.sort_by_key(|c| c.start);
        }
    }

    /// The cell holding byte `pos`, if any.
    pub fn cell_at(&self, pos: usize) -> Option<Cell> {
        use std::sync::atomic::Ordering::Relaxed;
        let pos = u32::try_from(pos).ok()?;
        let hint = self.last_lookup.load(Relaxed);
        if !self.table.is_empty() {
            let (found, hint) = self.table.cell_at(pos, hint);
            self.last_lookup.store(hint, Relaxed);
            return found;
        }
        let i = table::count_at_or_before(&self.cells, |c| c.start, pos, hint);
        self.last_lookup.store(i, Relaxed);
        // The last cell starting at or before `pos`, if it holds `pos`.
        let c = self.cells.get(i.checked_sub(1)?)?;
        (pos < c.end.max(c.start + 1)).then(|| self.unpack(c))
    }

    pub fn location(&self, pos: usize) -> Location {
        let kind = self.kind.unwrap_or(Kind::Text).as_str().into();
        match self.cell_at(pos) {
            Some(c) => {
                let p = &self.places[c.place as usize];
                Location {
                    kind,
                    table: p.table.clone().map(SharedStr::from),
                    column: p.column.clone().map(SharedStr::from),
                    key_path: p.key_path.clone().map(SharedStr::from),
                    row: Some(c.row),
                    key: None,
                }
            }
            None => Location {
                kind,
                ..Default::default()
            },
        }
    }
}

/// Builds the index of a whole buffer for `kind` (`None` for plain text).
pub fn index(kind: Kind, buf: &[u8]) -> Option<StructureIndex> {
    let mut ix = match kind {
        Kind::Text | Kind::Db => return None,
        Kind::Csv => csv_index::index(buf),
        Kind::Json => json_index::index(buf),
        Kind::Sql => sql_index::index(buf),
    };
    ix.kind = Some(kind);
    ix.sort();
    Some(ix)
}

/// Lower-case letters and digits only: `Date_Of-Birth` → `dateofbirth`.
pub fn normalize_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a column name hints at a keyword: equal once normalised, or containing it when the
/// keyword is long enough not to match by accident (`billing_phone` ⊇ `phone`).
pub fn name_matches_keyword(column: &str, keyword: &str) -> bool {
    normalized_name_matches(&normalize_name(column), &normalize_name(keyword))
}

/// [`name_matches_keyword`] of names already normalised by [`normalize_name`].
pub fn normalized_name_matches(column: &str, keyword: &str) -> bool {
    !keyword.is_empty() && (column == keyword || (keyword.len() >= 4 && column.contains(keyword)))
}

/// A seeded linear congruential generator for tests: each call gives a number below its
/// argument.
#[cfg(test)]
pub(crate) fn test_rng(seed: u32) -> impl FnMut(u32) -> u32 {
    let mut r = seed;
    move |m| {
        r = r.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (r >> 16) % m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells of 3 to 9 bytes with gaps, and lookups in every order the callers use: ascending
    /// in small and large steps (the near walk and the gallop), then from the start again.
    #[test]
    fn cell_lookups_match_a_linear_search() {
        let mut ix = StructureIndex::default();
        let place = ix.place_id(Place {
            table: None,
            column: Some("email".into()),
            key_path: None,
        });
        let mut cells = Vec::new();
        let mut at = 0;
        for i in 0..5000usize {
            let len = 3 + i % 7;
            ix.push(at, at + len, place, i as u64);
            cells.push((at, at + len));
            at += len + 1 + i % 3;
        }
        let naive = |pos: usize| cells.iter().find(|&&(s, e)| s <= pos && pos < e).copied();
        for step in [1, 7, 40, 333, 2500] {
            let mut pos = 0;
            while pos < at + 10 {
                let got = ix.cell_at(pos).map(|c| (c.start, c.end));
                assert_eq!(got, naive(pos), "step {step} pos {pos}");
                pos += step;
            }
        }
        for pos in [at - 3, 5, 17_000, 2, at + 5] {
            assert_eq!(
                ix.cell_at(pos).map(|c| (c.start, c.end)),
                naive(pos),
                "pos {pos}"
            );
        }
    }
}
