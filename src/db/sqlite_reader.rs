//! SQLite: the file is opened read-only; tables from `sqlite_master`, columns and primary keys
//! from `PRAGMA table_info`. Declared types decide what is text (SQLite's type affinity: a
//! type naming CHAR, CLOB or TEXT, JSON, or no type at all).

use super::{ColumnInfo, DbError, DbOptions, DbTarget, Reader, Row, TableInfo};
use rusqlite::OpenFlags;

pub struct SqliteReader {
    conn: rusqlite::Connection,
}

use super::quote_double as quote_ident;

fn reason(e: &rusqlite::Error) -> String {
    e.to_string()
}

impl SqliteReader {
    pub fn open(t: &DbTarget) -> Result<SqliteReader, DbError> {
        let path = t
            .path
            .as_ref()
            .ok_or_else(|| DbError::Connect("no SQLite file given".into()))?;
        if !path.is_file() {
            return Err(DbError::Connect(format!(
                "{}: no such file",
                path.display()
            )));
        }
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| DbError::Connect(reason(&e)))?;
        let _ = conn.busy_timeout(std::time::Duration::from_secs(10));
        Ok(SqliteReader { conn })
    }
}

fn textlike(declared: &str) -> bool {
    let t = declared.to_ascii_uppercase();
    t.is_empty()
        || t.contains("CHAR")
        || t.contains("CLOB")
        || t.contains("TEXT")
        || t.contains("JSON")
}

impl Reader for SqliteReader {
    fn tables(&mut self) -> Result<Vec<TableInfo>, DbError> {
        let q = |e: rusqlite::Error| DbError::Query(format!("listing tables: {}", reason(&e)));
        let names: Vec<String> = {
            let mut st = self
                .conn
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .map_err(q)?;
            let rows = st.query_map([], |r| r.get(0)).map_err(q)?;
            rows.collect::<Result<_, _>>().map_err(q)?
        };
        let mut tables = Vec::new();
        for name in names {
            let mut st = self
                .conn
                .prepare(&format!("PRAGMA table_info({})", quote_ident(&name)))
                .map_err(q)?;
            let cols: Vec<(String, String, i64)> = st
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(5)?)))
                .map_err(q)?
                .collect::<Result<_, _>>()
                .map_err(q)?;
            let mut key: Vec<(i64, String)> = cols
                .iter()
                .filter(|c| c.2 > 0)
                .map(|c| (c.2, c.0.clone()))
                .collect();
            key.sort();
            tables.push(TableInfo {
                schema: None,
                name,
                columns: cols
                    .into_iter()
                    .map(|(name, data_type, _)| ColumnInfo {
                        textlike: textlike(&data_type),
                        name,
                        data_type,
                    })
                    .collect(),
                key: key.into_iter().map(|k| k.1).collect(),
                estimated_rows: None,
            });
        }
        Ok(tables)
    }

    fn read(
        &mut self,
        table: &TableInfo,
        columns: &[usize],
        opts: &DbOptions,
        batch: &mut dyn FnMut(Vec<Row>),
    ) -> Result<(), DbError> {
        let select = super::select_list(table, columns, |c| {
            format!("CAST({} AS TEXT)", quote_ident(c))
        });
        let width = table.key.len() + columns.len();
        let sql = super::select_sql(&select, &quote_ident(&table.name), opts);
        let err = |e: rusqlite::Error| DbError::Query(reason(&e));
        let mut st = self.conn.prepare(&sql).map_err(err)?;
        let mut rows = st.query([]).map_err(err)?;
        let mut batcher = super::Batcher::new(table, opts, batch);
        while let Some(r) = rows.next().map_err(err)? {
            let all: Vec<Option<String>> = (0..width)
                .map(|i| r.get::<_, Option<String>>(i))
                .collect::<Result<_, _>>()
                .map_err(err)?;
            batcher.push(all);
        }
        batcher.finish();
        Ok(())
    }
}
