//! Structure-aware reading: which table, column, JSON key path and row every byte of a CSV,
//! JSON/NDJSON or SQL dump belongs to. The engine still scans the raw bytes (offsets stay those
//! of the file); a [`StructureIndex`] then places each finding, and column names act as
//! context (an `email` column raises confidence; a `dob` column enables date detection).

mod csv_index;
mod json_index;
mod sql_index;
mod windows;

pub use windows::{Window, Windows};

use crate::finding::Location;
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
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    pub start: usize,
    pub end: usize,
    pub place: u32,
    pub row: u64,
}

/// The cells of a buffer, sorted by start, and the places they belong to.
#[derive(Debug, Default)]
pub struct StructureIndex {
    pub kind: Option<Kind>,
    pub places: Vec<Place>,
    pub cells: Vec<Cell>,
    /// Rows seen per place (for `rows_scanned` in inventories).
    pub rows: Vec<u64>,
    /// Set when the input did not parse completely (unbalanced quotes, a cut JSON document):
    /// everything is still scanned as text, and this says why structure stopped.
    pub problem: Option<String>,
    lookup: std::collections::HashMap<Place, u32>,
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
        id
    }

    pub(crate) fn push(&mut self, start: usize, end: usize, place: u32, row: u64) {
        self.cells.push(Cell {
            start,
            end,
            place,
            row,
        });
        let r = &mut self.rows[place as usize];
        *r = (*r).max(row);
    }

    /// The cell holding byte `pos`, if any.
    pub fn cell_at(&self, pos: usize) -> Option<&Cell> {
        let i = self.cells.partition_point(|c| c.start <= pos);
        let c = self.cells.get(i.checked_sub(1)?)?;
        (pos < c.end.max(c.start + 1)).then_some(c)
    }

    pub fn location(&self, pos: usize) -> Location {
        let kind = self.kind.unwrap_or(Kind::Text).as_str().to_string();
        match self.cell_at(pos) {
            Some(c) => {
                let p = &self.places[c.place as usize];
                Location {
                    kind,
                    table: p.table.as_deref().map(str::to_string),
                    column: p.column.as_deref().map(str::to_string),
                    key_path: p.key_path.as_deref().map(str::to_string),
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
    ix.cells.sort_by_key(|c| c.start);
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
    let (c, k) = (normalize_name(column), normalize_name(keyword));
    !k.is_empty() && (c == k || (k.len() >= 4 && c.contains(&k)))
}
