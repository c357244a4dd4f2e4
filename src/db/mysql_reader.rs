//! MySQL and MariaDB: `information_schema` for tables, columns and primary keys; rows streamed
//! unbuffered (`query_iter`), the first N with `--sample` (MySQL has no TABLESAMPLE). Sessions
//! are read-only with a statement time limit (`max_execution_time` on MySQL,
//! `max_statement_time` on MariaDB; whichever the server knows).

use super::{ColumnInfo, DbError, DbOptions, DbTarget, Reader, Row, TableInfo};
use mysql::prelude::Queryable;
use std::time::Duration;

pub struct MysqlReader {
    conn: mysql::Conn,
}

fn reason(e: &mysql::Error) -> String {
    match e {
        mysql::Error::MySqlError(m) => m.message.clone(),
        mysql::Error::IoError(io) => crate::error::io_reason(io),
        mysql::Error::DriverError(d) => {
            let s = d.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
        other => other.to_string(),
    }
}

fn quote_ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

const TEXT_TYPES: &[&str] = &[
    "char",
    "varchar",
    "tinytext",
    "text",
    "mediumtext",
    "longtext",
    "json",
    "enum",
    "set",
];

impl MysqlReader {
    pub fn connect(t: &DbTarget, opts: &DbOptions) -> Result<MysqlReader, DbError> {
        let user = t
            .user
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "root".into());
        let mut password = t
            .password
            .as_ref()
            .map(|p| p.0.clone())
            .or_else(|| std::env::var("MYSQL_PWD").ok());
        let mode = super::tls::TlsMode::of(t).map_err(DbError::Connect)?;
        let mut use_tls = mode != super::tls::TlsMode::Disable;
        let mut prompted = false;
        loop {
            let ssl = use_tls.then(|| {
                let verify = mode == super::tls::TlsMode::VerifyFull;
                mysql::SslOpts::default()
                    .with_root_cert_path(super::tls::root_cert_file(t))
                    .with_danger_accept_invalid_certs(!verify)
            });
            let builder = mysql::OptsBuilder::new()
                .ssl_opts(ssl)
                .ip_or_hostname(Some(t.host.clone()))
                .tcp_port(t.port.unwrap_or(3306))
                .user(Some(user.clone()))
                .pass(password.clone())
                .db_name(t.database.clone())
                .prefer_socket(false)
                .tcp_connect_timeout(Some(Duration::from_secs(10)));
            match mysql::Conn::new(builder) {
                Ok(mut conn) => {
                    conn.query_drop("SET SESSION TRANSACTION READ ONLY")
                        .map_err(|e| DbError::Connect(reason(&e)))?;
                    // One of these exists, depending on the server.
                    let secs = opts.statement_timeout;
                    let _ = conn.query_drop(format!("SET SESSION max_statement_time = {secs}"));
                    let _ = conn
                        .query_drop(format!("SET SESSION max_execution_time = {}", secs * 1000));
                    return Ok(MysqlReader { conn });
                }
                Err(mysql::Error::DriverError(mysql::DriverError::TlsNotSupported))
                    if use_tls && mode == super::tls::TlsMode::Prefer =>
                {
                    // The server offers no TLS: `prefer` goes on in plain.
                    use_tls = false;
                    continue;
                }
                Err(e) => {
                    let msg = reason(&e);
                    let denied =
                        msg.contains("Access denied") && msg.contains("using password: NO");
                    if denied && !prompted {
                        prompted = true;
                        if let Some(p) = super::prompt_password(&format!("{user}@{}", t.host)) {
                            password = Some(p);
                            continue;
                        }
                        return Err(DbError::NeedPassword(msg));
                    }
                    return Err(DbError::Connect(msg));
                }
            }
        }
    }
}

fn text(v: &mysql::Value) -> Option<String> {
    match v {
        mysql::Value::NULL => None,
        mysql::Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        other => Some(other.as_sql(true).trim_matches('\'').to_string()),
    }
}

impl Reader for MysqlReader {
    fn tables(&mut self) -> Result<Vec<TableInfo>, DbError> {
        let q = |e: mysql::Error| DbError::Query(format!("listing tables: {}", reason(&e)));
        let rows: Vec<mysql::Row> = self
            .conn
            .query(
                "SELECT CAST(c.TABLE_NAME AS CHAR), CAST(c.COLUMN_NAME AS CHAR), \
                        CAST(c.DATA_TYPE AS CHAR), CAST(c.COLUMN_KEY AS CHAR), t.TABLE_ROWS \
                 FROM information_schema.COLUMNS c JOIN information_schema.TABLES t \
                   ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
                 WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' \
                 ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION",
            )
            .map_err(q)?;
        let mut tables: Vec<TableInfo> = Vec::new();
        for r in &rows {
            let cell = |i: usize| r.as_ref(i).and_then(text).unwrap_or_default();
            let (name, column, data_type, key) = (cell(0), cell(1), cell(2), cell(3));
            let estimate = r.as_ref(4).and_then(text).and_then(|s| s.parse().ok());
            let col = ColumnInfo {
                textlike: TEXT_TYPES.contains(&data_type.to_ascii_lowercase().as_str()),
                name: column.clone(),
                data_type,
            };
            if tables.last().is_none_or(|t| t.name != name) {
                tables.push(TableInfo {
                    schema: None,
                    name,
                    columns: Vec::new(),
                    key: Vec::new(),
                    estimated_rows: estimate,
                });
            }
            if let Some(t) = tables.last_mut() {
                if key == "PRI" {
                    t.key.push(column);
                }
                t.columns.push(col);
            }
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
            format!("CAST({} AS CHAR)", quote_ident(c))
        });
        let sql = super::select_sql(&select, &quote_ident(&table.name), opts);
        let err = |e: mysql::Error| DbError::Query(reason(&e));
        let mut batcher = super::Batcher::new(table, opts, batch);
        for row in self.conn.query_iter(sql).map_err(err)? {
            let row = row.map_err(err)?;
            batcher.push(
                (0..row.len())
                    .map(|i| row.as_ref(i).and_then(text))
                    .collect(),
            );
        }
        batcher.finish();
        Ok(())
    }
}
