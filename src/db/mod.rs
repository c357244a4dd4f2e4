//! Live databases: PostgreSQL, MySQL/MariaDB and SQLite read like structured dumps. Tables
//! and columns are enumerated, text-like columns (and columns whose name says they hold
//! personal data) are read as text, a sample of rows per table or all of them with a
//! server-side cursor, in batches, each batch laid out as tab-separated lines with a
//! [`StructureIndex`] so the engine, column hints and sinks work as on a dump. Findings carry
//! `table.column`, the row and the primary key.
//!
//! Safe by construction: read-only sessions and transactions, a statement timeout, only
//! `SELECT`s; the password never reaches a report or an error.

mod mysql_reader;
mod pg_reader;
mod sqlite_reader;
pub mod target;
pub mod tls;

pub use target::{DbTarget, Engine as DbEngine};

use crate::finding::Finding;
use crate::format::{Kind, Place, StructureIndex};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// How much of a database is read.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// Rows per table (`--sample`); `None` reads every row (`--full`).
    pub sample: Option<u64>,
    /// Connections scanning tables in parallel.
    pub connections: usize,
    /// Read every column cast to text, not only text-like and personal-named ones.
    pub all_columns: bool,
    /// Longest a statement may run, in seconds.
    pub statement_timeout: u64,
    /// Rows fetched and scanned at a time.
    pub batch_rows: usize,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            sample: Some(10_000),
            connections: 4,
            all_columns: false,
            statement_timeout: 300,
            batch_rows: 2_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ColumnInfo {
    pub name: String,
    pub data_type: String,
    pub textlike: bool,
}

#[derive(Debug, Clone)]
pub struct TableInfo {
    /// `None` for the default schema (`public`, `main`, the connected database).
    pub schema: Option<String>,
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    /// Primary-key columns.
    pub key: Vec<String>,
    /// The server's estimate, when it keeps one.
    pub estimated_rows: Option<u64>,
}

impl TableInfo {
    /// `schema.table`, or `table` in the default schema (as dumps name them).
    pub fn display(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One row: its primary key rendered `id=5` and the values of the columns read.
#[derive(Debug, Clone)]
pub struct Row {
    pub key: Option<String>,
    pub values: Vec<Option<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("{0}")]
    Query(String),
    /// The server wants a password and none was given.
    #[error("password required: {0}")]
    NeedPassword(String),
}

/// One connection, reading tables.
pub(crate) trait Reader: Send {
    fn tables(&mut self) -> Result<Vec<TableInfo>, DbError>;
    /// Reads `columns` of `table` (and its key), calling `batch` with rows in groups.
    fn read(
        &mut self,
        table: &TableInfo,
        columns: &[usize],
        opts: &DbOptions,
        batch: &mut dyn FnMut(Vec<Row>),
    ) -> Result<(), DbError>;
}

/// Opens one connection; a password comes from the URL, the environment (`PGPASSWORD`,
/// `~/.pgpass`, `MYSQL_PWD`) or, on a terminal, a prompt.
pub(crate) fn connect(target: &DbTarget, opts: &DbOptions) -> Result<Box<dyn Reader>, DbError> {
    match target.engine {
        DbEngine::Postgres => Ok(Box::new(pg_reader::PgReader::connect(target, opts)?)),
        DbEngine::Mysql => Ok(Box::new(mysql_reader::MysqlReader::connect(target, opts)?)),
        DbEngine::Sqlite => Ok(Box::new(sqlite_reader::SqliteReader::open(target)?)),
    }
}

/// What scanning one table produced.
#[derive(Debug, Default)]
pub struct TableOutcome {
    pub table: String,
    pub findings: Vec<Finding>,
    pub bytes: u64,
    /// Columns read and the rows read from each.
    pub places: Vec<(Place, u64)>,
    pub error: Option<String>,
}

/// Lays a batch out as tab-separated lines (tabs and line breaks inside values become
/// spaces, so a value never spills into the next cell) with a structure index; returns the
/// buffer, the index and, per row, its key.
pub fn batch_buffer(
    table: &str,
    columns: &[&str],
    first_row: u64,
    rows: &[Row],
) -> (Vec<u8>, StructureIndex) {
    let mut ix = StructureIndex::default();
    ix.kind = Some(Kind::Db);
    let table: Arc<str> = Arc::from(table);
    let places: Vec<u32> = columns
        .iter()
        .map(|c| {
            ix.place_id(Place {
                table: Some(table.clone()),
                column: Some(Arc::from(*c)),
                key_path: None,
            })
        })
        .collect();
    let mut buf = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.values.iter().enumerate() {
            if c > 0 {
                buf.push(b'\t');
            }
            if let Some(v) = v {
                let start = buf.len();
                buf.extend(v.bytes().map(|b| match b {
                    b'\t' | b'\n' | b'\r' => b' ',
                    b => b,
                }));
                ix.push(start, buf.len(), places[c], first_row + r as u64);
            }
        }
        buf.push(b'\n');
    }
    // Rows per column: every row read, values or NULL.
    for p in &places {
        ix.rows[*p as usize] = first_row + rows.len() as u64 - 1;
    }
    (buf, ix)
}

/// Scans one batch's buffer with its structure index, returning its findings.
pub type BatchScanner<'a> =
    dyn Fn(&[u8], &StructureIndex, &mut crate::detect::ScanState) -> Vec<Finding> + Sync + 'a;

/// Scans every table of `target`: tables are shared out over up to `opts.connections`
/// connections; `scan_batch` scans one batch's buffer and index and returns its findings.
/// Per-table problems (no permission, a timeout) are reported in that table's outcome and the
/// other tables go on; `Err` only when no connection can be made or tables cannot be listed.
pub fn scan_tables(
    target: &DbTarget,
    opts: &DbOptions,
    wants_column: &(dyn Fn(&ColumnInfo) -> bool + Sync),
    scan_batch: &BatchScanner<'_>,
    new_state: &(dyn Fn() -> crate::detect::ScanState + Sync),
    on_bytes: &(dyn Fn(u64) + Sync),
    on_table: &(dyn Fn(&str) + Sync),
) -> Result<Vec<TableOutcome>, DbError> {
    let mut first = connect(target, opts)?;
    let tables = first.tables()?;
    let outcomes: Vec<Mutex<Option<TableOutcome>>> =
        tables.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = opts.connections.clamp(1, tables.len().max(1));
    let first = Mutex::new(Some(first));
    let connect_error: Mutex<Option<DbError>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let taken = first.lock().ok().and_then(|mut f| f.take());
                let mut reader = match taken {
                    Some(r) => r,
                    None => match connect(target, opts) {
                        Ok(r) => r,
                        Err(e) => {
                            // Fewer connections than asked: the others take the tables.
                            if let Ok(mut slot) = connect_error.lock() {
                                slot.get_or_insert(e);
                            }
                            return;
                        }
                    },
                };
                let mut state = new_state();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(table) = tables.get(i) else {
                        break;
                    };
                    on_table(&table.display());
                    let outcome = scan_table(
                        reader.as_mut(),
                        table,
                        opts,
                        wants_column,
                        scan_batch,
                        &mut state,
                        on_bytes,
                    );
                    if let Ok(mut slot) = outcomes[i].lock() {
                        *slot = Some(outcome);
                    }
                }
            });
        }
    });
    let mut out = Vec::with_capacity(tables.len());
    for (t, slot) in tables.iter().zip(outcomes) {
        let o = slot.into_inner().ok().flatten();
        out.push(o.unwrap_or_else(|| TableOutcome {
            table: t.display(),
            error: Some("not scanned: no connection was left".into()),
            ..Default::default()
        }));
    }
    if out.iter().all(|o| o.error.is_some()) {
        if let Some(e) = connect_error.into_inner().ok().flatten() {
            return Err(e);
        }
    }
    Ok(out)
}

fn scan_table(
    reader: &mut dyn Reader,
    table: &TableInfo,
    opts: &DbOptions,
    wants_column: &(dyn Fn(&ColumnInfo) -> bool + Sync),
    scan_batch: &BatchScanner<'_>,
    state: &mut crate::detect::ScanState,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> TableOutcome {
    let name = table.display();
    let columns: Vec<usize> = (0..table.columns.len())
        .filter(|&i| opts.all_columns || wants_column(&table.columns[i]))
        .collect();
    let names: Vec<&str> = columns
        .iter()
        .map(|&i| table.columns[i].name.as_str())
        .collect();
    let mut out = TableOutcome {
        table: name.clone(),
        ..Default::default()
    };
    if columns.is_empty() {
        return out;
    }
    let mut rows_read = 0u64;
    let result = reader.read(table, &columns, opts, &mut |rows: Vec<Row>| {
        let first_row = rows_read + 1;
        let (buf, ix) = batch_buffer(&name, &names, first_row, &rows);
        rows_read += rows.len() as u64;
        out.bytes += buf.len() as u64;
        on_bytes(buf.len() as u64);
        for mut f in scan_batch(&buf, &ix, state) {
            // Positions inside a database are the row and the offset within the value.
            if let Some(cell) = ix.cell_at(f.start as usize) {
                let (s, e) = (f.start - cell.start as u64, f.end - cell.start as u64);
                f.start = s;
                f.end = e;
                f.column = s + 1;
            }
            if let Some(row) = f.location.row {
                f.line = row;
                f.location.key = rows
                    .get((row - first_row) as usize)
                    .and_then(|r| r.key.clone());
            }
            out.findings.push(f);
        }
    });
    out.places = names
        .iter()
        .map(|c| {
            (
                Place {
                    table: Some(Arc::from(name.as_str())),
                    column: Some(Arc::from(*c)),
                    key_path: None,
                },
                rows_read,
            )
        })
        .collect();
    if let Err(e) = result {
        out.error = Some(format!("table {name}: {e}"));
    }
    out
}

/// An identifier in standard SQL double quotes (PostgreSQL, SQLite).
pub(crate) fn quote_double(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `SELECT select FROM from`, with `LIMIT n` when sampling.
pub(crate) fn select_sql(select: &str, from: &str, opts: &DbOptions) -> String {
    let mut sql = format!("SELECT {select} FROM {from}");
    if let Some(n) = opts.sample {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    sql
}

/// The key columns, then the wanted columns, each wrapped by `cast` (`"c"::text`,
/// `` CAST(`c` AS CHAR) ``), comma-separated for a `SELECT`.
pub(crate) fn select_list(
    table: &TableInfo,
    columns: &[usize],
    cast: impl Fn(&str) -> String,
) -> String {
    table
        .key
        .iter()
        .map(String::as_str)
        .chain(columns.iter().map(|&i| table.columns[i].name.as_str()))
        .map(cast)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Row {
    /// A row read as `key columns ++ wanted columns`.
    pub(crate) fn split(key: &[String], mut all: Vec<Option<String>>) -> Row {
        let values = all.split_off(key.len().min(all.len()));
        Row {
            key: render_key(key, &all),
            values,
        }
    }
}

/// Collects rows into batches of `batch_rows` for the scanner.
pub(crate) struct Batcher<'a> {
    pending: Vec<Row>,
    size: usize,
    key: &'a [String],
    sink: &'a mut dyn FnMut(Vec<Row>),
}

impl<'a> Batcher<'a> {
    pub(crate) fn new(
        table: &'a TableInfo,
        opts: &DbOptions,
        sink: &'a mut dyn FnMut(Vec<Row>),
    ) -> Batcher<'a> {
        let size = opts.batch_rows.max(1);
        Batcher {
            pending: Vec::with_capacity(size),
            size,
            key: &table.key,
            sink,
        }
    }

    pub(crate) fn push(&mut self, all: Vec<Option<String>>) {
        self.pending.push(Row::split(self.key, all));
        if self.pending.len() >= self.size {
            (self.sink)(std::mem::take(&mut self.pending));
        }
    }

    pub(crate) fn finish(mut self) {
        if !self.pending.is_empty() {
            (self.sink)(std::mem::take(&mut self.pending));
        }
    }
}

/// Renders a primary key: `id=5` or `order_id=7,line=2`.
pub(crate) fn render_key(names: &[String], values: &[Option<String>]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    Some(
        names
            .iter()
            .zip(values)
            .map(|(n, v)| format!("{n}={}", v.as_deref().unwrap_or("NULL")))
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// Asks for a password on the terminal (never echoed), when there is one.
pub(crate) fn prompt_password(what: &str) -> Option<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return None;
    }
    rpassword::prompt_password(format!("Password for {what}: ")).ok()
}
