//! PostgreSQL: catalogue queries for tables, columns and primary keys (so a table the user
//! may not read is still listed, and its refusal reported); rows through a portal (a
//! server-side cursor) in batches, sampled with `TABLESAMPLE SYSTEM` when the table is large.
//! Every session is read-only (`default_transaction_read_only`) with a statement timeout.

use super::{ColumnInfo, DbError, DbOptions, DbTarget, Reader, Row, TableInfo};
use std::collections::HashMap;
use std::time::Duration;

pub struct PgReader {
    client: postgres::Client,
}

/// `~/.pgpass` (or `PGPASSFILE`): `host:port:database:user:password`, `*` matching anything.
fn pgpass(host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    let text = std::fs::read_to_string(path).ok()?;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => cur.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        if fields.len() != 5 {
            continue;
        }
        let port_s = port.to_string();
        let ok = |f: &str, v: &str| f == "*" || f == v;
        if ok(&fields[0], host)
            && ok(&fields[1], &port_s)
            && ok(&fields[2], db)
            && ok(&fields[3], user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

/// A server message without the noise: `db error: ERROR: permission denied…` → the message;
/// a connection failure with its cause (`connection refused`).
fn reason(e: &postgres::Error) -> String {
    if let Some(d) = e.as_db_error() {
        return d.message().to_string();
    }
    let mut s = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        // An I/O error may wrap the real cause (a TLS alert, a certificate problem).
        let text = match c.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => inner.to_string(),
                None => crate::error::io_reason(io),
            },
            None => c.to_string(),
        };
        if !s.contains(&text) {
            s = format!("{s}: {text}");
        }
        cause = c.source();
    }
    s
}

use super::quote_double as quote_ident;

const TEXT_TYPES: &[&str] = &[
    "text",
    "character",
    "json",
    "jsonb",
    "xml",
    "citext",
    "name",
];

impl PgReader {
    pub fn connect(t: &DbTarget, opts: &DbOptions) -> Result<PgReader, DbError> {
        let user = t
            .user
            .clone()
            .or_else(|| std::env::var("PGUSER").ok())
            .unwrap_or_else(|| std::env::var("USER").unwrap_or_else(|_| "postgres".into()));
        let port = t.port.unwrap_or(5432);
        let db = t.database.clone().unwrap_or_else(|| user.clone());
        let mut password = t
            .password
            .as_ref()
            .map(|p| p.0.clone())
            .or_else(|| std::env::var("PGPASSWORD").ok())
            .or_else(|| pgpass(&t.host, port, &db, &user));
        let mode = super::tls::TlsMode::of(t).map_err(DbError::Connect)?;
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(
            super::tls::client_config(mode, super::tls::root_cert_file(t).as_deref())
                .map_err(DbError::Connect)?,
        );
        let mut prompted = false;
        loop {
            let mut cfg = postgres::Config::new();
            cfg.ssl_mode(match mode {
                super::tls::TlsMode::Disable => postgres::config::SslMode::Disable,
                super::tls::TlsMode::Prefer => postgres::config::SslMode::Prefer,
                _ => postgres::config::SslMode::Require,
            });
            cfg.host(&t.host)
                .port(port)
                .user(&user)
                .dbname(&db)
                .application_name("piiscan")
                .connect_timeout(Duration::from_secs(10))
                .options(&format!(
                    "-c default_transaction_read_only=on -c statement_timeout={}",
                    opts.statement_timeout * 1000
                ));
            if let Some(p) = &password {
                cfg.password(p);
            }
            match cfg.connect(tls.clone()) {
                Ok(client) => return Ok(PgReader { client }),
                Err(e) => {
                    let msg = reason(&e);
                    let auth = msg.contains("password") || msg.contains("authentication");
                    if auth && password.is_none() && !prompted {
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

impl Reader for PgReader {
    fn tables(&mut self) -> Result<Vec<TableInfo>, DbError> {
        let q = |e: postgres::Error| DbError::Query(format!("listing tables: {}", reason(&e)));
        let rows = self
            .client
            .query(
                "SELECT n.nspname::text, c.relname::text, a.attname::text, \
                        format_type(a.atttypid, a.atttypmod), c.reltuples::float8 \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_attribute a ON a.attrelid = c.oid \
                 WHERE c.relkind IN ('r', 'm') AND a.attnum > 0 AND NOT a.attisdropped \
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                   AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' \
                 ORDER BY 1, 2, a.attnum",
                &[],
            )
            .map_err(q)?;
        let keys = self
            .client
            .query(
                "SELECT n.nspname::text, c.relname::text, a.attname::text \
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) \
                 WHERE i.indisprimary ORDER BY 1, 2, array_position(i.indkey::int2[], a.attnum)",
                &[],
            )
            .map_err(q)?;
        let mut key_of: HashMap<(String, String), Vec<String>> = HashMap::new();
        for r in &keys {
            key_of
                .entry((r.get(0), r.get(1)))
                .or_default()
                .push(r.get(2));
        }
        let mut tables: Vec<TableInfo> = Vec::new();
        for r in &rows {
            let (schema, name): (String, String) = (r.get(0), r.get(1));
            let data_type: String = r.get(3);
            let estimate: f64 = r.get(4);
            let col = ColumnInfo {
                name: r.get(2),
                textlike: TEXT_TYPES.iter().any(|t| data_type.starts_with(t)),
                data_type,
            };
            let schema_shown = (schema != "public").then(|| schema.clone());
            match tables.last_mut() {
                Some(t) if t.name == name && t.schema == schema_shown => t.columns.push(col),
                _ => tables.push(TableInfo {
                    key: key_of.remove(&(schema, name.clone())).unwrap_or_default(),
                    schema: schema_shown,
                    name,
                    columns: vec![col],
                    estimated_rows: (estimate >= 0.0).then_some(estimate as u64),
                }),
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
        let from = format!(
            "{}.{}",
            quote_ident(table.schema.as_deref().unwrap_or("public")),
            quote_ident(&table.name)
        );
        let select = super::select_list(table, columns, |c| format!("{}::text", quote_ident(c)));
        // Large tables are sampled by pages (twice the pages the sample needs, as pages hold
        // uneven rows); small ones, and tables never analysed, read their first rows.
        let sampled = opts
            .sample
            .zip(table.estimated_rows)
            .filter(|&(n, est)| est > n * 2)
            .map(|(n, est)| {
                let pct = (n as f64 * 2.0 / est as f64 * 100.0).min(100.0);
                format!(" TABLESAMPLE SYSTEM ({pct:.6})")
            });
        let sql = super::select_sql(&select, &(from + &sampled.unwrap_or_default()), opts);
        let err = |e: postgres::Error| DbError::Query(reason(&e));
        let mut tx = self.client.transaction().map_err(err)?;
        let portal = tx.bind(sql.as_str(), &[]).map_err(err)?;
        loop {
            let rows = tx
                .query_portal(&portal, opts.batch_rows.max(1) as i32)
                .map_err(err)?;
            if rows.is_empty() {
                break;
            }
            let out: Vec<Row> = rows
                .iter()
                .map(|r| Row::split(&table.key, (0..r.len()).map(|i| r.get(i)).collect()))
                .collect();
            let n = out.len();
            batch(out);
            if n < opts.batch_rows {
                break;
            }
        }
        tx.rollback().map_err(err)
    }
}
