//! Database targets as given on the command line (`postgres://user@host:5432/db`,
//! `mysql://…`, `sqlite:path/to/file.db`). The password is kept apart and never shown: Debug
//! and the display form leave it out.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Mysql,
    Sqlite,
}

/// A password that prints as `***`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbTarget {
    pub engine: Engine,
    pub host: String,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub database: Option<String>,
    /// SQLite: the database file.
    pub path: Option<PathBuf>,
    /// Query parameters (`?sslmode=disable`), without the password.
    pub params: Vec<(String, String)>,
}

impl DbTarget {
    /// Parses a database URL; `None` when `s` is not one (then it is a path).
    pub fn parse(s: &str) -> Option<Result<DbTarget, String>> {
        let lower = s.to_ascii_lowercase();
        if let Some(rest) = lower
            .strip_prefix("sqlite://")
            .or_else(|| lower.strip_prefix("sqlite:"))
        {
            let path = &s[s.len() - rest.len()..];
            if path.is_empty() {
                return Some(Err(
                    "sqlite: needs a file path (sqlite:path/to/file.db)".into()
                ));
            }
            return Some(Ok(DbTarget::sqlite(PathBuf::from(path))));
        }
        let engine = if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Engine::Postgres
        } else if lower.starts_with("mysql://") || lower.starts_with("mariadb://") {
            Engine::Mysql
        } else {
            return None;
        };
        Some(Self::parse_url(s, engine))
    }

    pub fn sqlite(path: PathBuf) -> DbTarget {
        DbTarget {
            engine: Engine::Sqlite,
            host: String::new(),
            port: None,
            user: None,
            password: None,
            database: None,
            path: Some(path),
            params: Vec::new(),
        }
    }

    fn parse_url(s: &str, engine: Engine) -> Result<DbTarget, String> {
        // Never echo the URL itself in an error: it may hold a password.
        let u = url::Url::parse(s).map_err(|e| format!("not a valid database URL ({e})"))?;
        let decode = |v: &str| {
            percent_decode(v).ok_or_else(|| "bad percent-encoding in the URL".to_string())
        };
        let user = match u.username() {
            "" => None,
            name => Some(decode(name)?),
        };
        let password = u.password().map(decode).transpose()?.map(Secret);
        let database = u
            .path()
            .trim_start_matches('/')
            .split('/')
            .next()
            .filter(|d| !d.is_empty())
            .map(decode)
            .transpose()?;
        let host = u.host_str().unwrap_or("localhost").to_string();
        let params = u
            .query_pairs()
            .filter(|(k, _)| k != "password")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Ok(DbTarget {
            engine,
            host,
            port: u.port(),
            user,
            password,
            database,
            path: None,
            params,
        })
    }

    /// How the target is named in reports: the URL without the password.
    pub fn display(&self) -> String {
        match self.engine {
            Engine::Sqlite => format!(
                "sqlite:{}",
                self.path
                    .as_deref()
                    .unwrap_or_else(|| "".as_ref())
                    .display()
            ),
            Engine::Postgres | Engine::Mysql => {
                let scheme = if self.engine == Engine::Postgres {
                    "postgres"
                } else {
                    "mysql"
                };
                let user = self
                    .user
                    .as_deref()
                    .map_or(String::new(), |u| format!("{u}@"));
                let port = self.port.map_or(String::new(), |p| format!(":{p}"));
                let db = self.database.as_deref().unwrap_or("");
                format!("{scheme}://{user}{}{port}/{db}", self.host)
            }
        }
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = DbTarget::parse("postgres://app:s3cr%40t@db.internal:5433/shop?sslmode=disable")
            .unwrap()
            .unwrap();
        assert_eq!(t.engine, Engine::Postgres);
        assert_eq!(t.user.as_deref(), Some("app"));
        assert_eq!(t.password, Some(Secret("s3cr@t".into())));
        assert_eq!((t.host.as_str(), t.port), ("db.internal", Some(5433)));
        assert_eq!(t.database.as_deref(), Some("shop"));
        assert_eq!(t.display(), "postgres://app@db.internal:5433/shop");
        assert!(!format!("{t:?}").contains("s3cr"));
        let m = DbTarget::parse("mariadb://root@127.0.0.1/chinook")
            .unwrap()
            .unwrap();
        assert_eq!(m.engine, Engine::Mysql);
        let s = DbTarget::parse("sqlite:data/app.db").unwrap().unwrap();
        assert_eq!(s.path, Some(PathBuf::from("data/app.db")));
        assert!(DbTarget::parse("logs/app.log").is_none());
        assert!(DbTarget::parse("sqlite:").unwrap().is_err());
    }
}
