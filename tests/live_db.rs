//! Live databases against real servers: chinook loaded into a throwaway PostgreSQL cluster, a
//! throwaway MariaDB server and a SQLite file built here from the same data; the inventory of
//! each live database must match the inventory of its dump column for column. Bad cases:
//! wrong password, unreachable host, a table without SELECT permission, a large table with
//! `--sample`. These tests fail, never skip, when a server cannot be started.

mod common;
mod servers;
use common::{piiscan, repo};
use servers::{Cluster, Mariadb};
use std::collections::BTreeMap;
use std::path::Path;

/// (table lower-cased, column lower-cased) → detector → count, from a JSON inventory.
type Columns = BTreeMap<(String, String), BTreeMap<String, u64>>;

fn inventory(args: &[&str]) -> (Columns, serde_json::Value) {
    let out = piiscan()
        .current_dir(repo())
        .arg("inventory")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "inventory {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut cols = Columns::new();
    for s in inv["stores"].as_array().unwrap() {
        let key = (
            s["table"].as_str().unwrap_or("").to_lowercase(),
            s["column"].as_str().unwrap_or("").to_lowercase(),
        );
        for d in s["detectors"].as_array().unwrap() {
            cols.entry(key.clone()).or_default().insert(
                d["detector"].as_str().unwrap().to_string(),
                d["count"].as_u64().unwrap(),
            );
        }
    }
    (cols, inv)
}

fn assert_same_columns(live: &Columns, dump: &Columns, what: &str) {
    assert!(
        dump.len() >= 15,
        "{what}: the dump inventory is too small: {dump:?}"
    );
    for (col, dets) in dump {
        assert_eq!(live.get(col), Some(dets), "{what}: {col:?}");
    }
    for col in live.keys() {
        assert!(
            dump.contains_key(col),
            "{what}: {col:?} only in the live database"
        );
    }
}

fn realdata(name: &str) -> std::path::PathBuf {
    repo().join("../shared/realdata").join(name)
}

#[test]
fn postgres_live_inventory_matches_the_dump_and_bad_cases_are_clear() {
    let pg = Cluster::start();
    pg.restore("chinook", &realdata("chinook.pg_dump.sql"));
    let url = format!("postgres://postgres@127.0.0.1:{}/chinook", pg.port);
    let (live, inv) = inventory(&[&url, "--full"]);
    let (dump, _) = inventory(&["../shared/realdata/chinook.pg_dump.sql"]);
    assert_same_columns(&live, &dump, "postgres");
    // Rows and the source are those of the database; the password-free URL names it.
    let email = inv["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["table"] == "customer" && s["column"] == "email")
        .unwrap();
    assert_eq!(email["source"], url.as_str());
    assert_eq!(email["rows_scanned"].as_u64(), Some(59));

    // Retention works on the live tables as on the dump: invoices dated by invoice_date.
    let retention = |target: &str| -> serde_json::Value {
        let out = piiscan()
            .current_dir(repo())
            .args([
                "retention",
                target,
                "--full",
                "--max-age",
                "1y",
                "--now",
                "2026-11-23",
            ])
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        r["stores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["table"] == "invoice" && s["column"] == "billing_address")
            .cloned()
            .expect("invoice.billing_address over its limit")
    };
    let (live_age, dump_age) = (
        retention(&url),
        retention("../shared/realdata/chinook.pg_dump.sql"),
    );
    for k in ["over", "oldest", "newest", "date_field"] {
        assert_eq!(live_age[k], dump_age[k], "{k}");
    }

    // Findings carry the primary key of their row.
    let out = piiscan()
        .arg("scan")
        .arg(&url)
        .args(["--format", "jsonl", "--only", "email", "--full"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings = common::jsonl(&out.stdout);
    let customer: Vec<_> = findings
        .iter()
        .filter(|f| f["location"]["table"] == "customer")
        .collect();
    assert_eq!(customer.len(), 59);
    assert!(customer.iter().all(|f| f["location"]["key"]
        .as_str()
        .is_some_and(|k| k.starts_with("customer_id="))));

    // Data-subject search and erasure verification work on the live database.
    let subject = pg.psql(
        "chinook",
        &["-c", "SELECT email FROM customer WHERE customer_id = 7"],
    );
    let subject = subject.trim();
    let out = piiscan()
        .args(["subject", "find", "--email", subject])
        .arg(&url)
        .arg("--full")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("customer"));
    let out = piiscan()
        .args([
            "subject",
            "verify",
            "--email",
            "nobody.test@example.invalid",
        ])
        .arg(&url)
        .arg("--full")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A large table: --sample reads at most that many rows; --full reads them all.
    pg.psql(
        "chinook",
        &[
            "-c",
            "CREATE TABLE big_log AS SELECT i AS id, 'user' || i || '.test@example.org' AS email \
             FROM generate_series(1, 60000) i; ANALYZE big_log;",
        ],
    );
    let rows_of = |inv: &serde_json::Value| {
        inv["stores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["table"] == "big_log")
            .and_then(|s| s["rows_scanned"].as_u64())
    };
    let (_, sampled) = inventory(&[&url, "--sample", "1000"]);
    let n = rows_of(&sampled).expect("big_log sampled");
    assert!(n > 0 && n <= 1000, "sampled {n} rows");
    let (_, full) = inventory(&[&url, "--full", "--only", "email"]);
    assert_eq!(rows_of(&full), Some(60_000));

    // A role that may read every table but one: that table is one clear line, the rest is
    // scanned.
    pg.psql(
        "chinook",
        &[
            "-c",
            "CREATE ROLE auditor LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO auditor; \
             REVOKE SELECT ON employee FROM auditor;",
        ],
    );
    let auditor = format!("postgres://auditor@127.0.0.1:{}/chinook", pg.port);
    let out = piiscan()
        .arg("scan")
        .arg(&auditor)
        .args(["--format", "jsonl", "--full"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("employee")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("permission denied"), "{err}");
    let findings = common::jsonl(&out.stdout);
    assert!(findings
        .iter()
        .any(|f| f["location"]["table"] == "customer"));
    assert!(!findings
        .iter()
        .any(|f| f["location"]["table"] == "employee"));
}

#[test]
fn unreachable_servers_and_bad_urls_are_one_line_errors_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.txt"), "mail ana.test@example.org\n").unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // nothing listens once the listener is dropped
    for url in [
        format!("postgres://app:Sekr1tPw@127.0.0.1:{port}/shop"),
        format!("mysql://app:Sekr1tPw@127.0.0.1:{port}/shop"),
        "sqlite:missing/nothing.db".to_string(),
    ] {
        let out = piiscan()
            .current_dir(dir.path())
            .args(["scan", &url, "note.txt", "--format", "jsonl"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        let errors = err.lines().filter(|l| l.starts_with("piiscan:")).count();
        assert_eq!(errors, 1, "{err}");
        assert!(!err.contains("error connecting to server\n"), "{err}");
        assert!(
            !err.contains("Sekr1tPw") && !String::from_utf8_lossy(&out.stdout).contains("Sekr1tPw")
        );
        // The other input was still scanned.
        assert_eq!(common::jsonl(&out.stdout).len(), 1, "{url}");
    }
}

#[test]
fn mariadb_live_inventory_matches_the_dump_and_wrong_passwords_are_refused() {
    let db = Mariadb::start();
    db.load(&realdata("chinook.mysqldump.sql"));
    db.sql(
        "CREATE USER 'auditor'@'%' IDENTIFIED BY 'Right-Pw-1'; \
         GRANT SELECT ON Chinook.* TO 'auditor'@'%';",
    );
    let url = format!("mysql://auditor:Right-Pw-1@127.0.0.1:{}/Chinook", db.port);
    let (live, inv) = inventory(&[&url, "--full"]);
    let (dump, _) = inventory(&["../shared/realdata/chinook.mysqldump.sql"]);
    assert_same_columns(&live, &dump, "mariadb");
    let shown = serde_json::to_string(&inv).unwrap();
    assert!(!shown.contains("Right-Pw-1"));
    assert!(shown.contains(&format!("mysql://auditor@127.0.0.1:{}/Chinook", db.port)));

    // The password may come from the environment instead of the URL.
    let out = piiscan()
        .env("MYSQL_PWD", "Right-Pw-1")
        .arg("scan")
        .arg(format!("mysql://auditor@127.0.0.1:{}/Chinook", db.port))
        .args(["--only", "email", "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let wrong = format!("mysql://auditor:Wrong-Pw-2@127.0.0.1:{}/Chinook", db.port);
    let out = piiscan().args(["scan", &wrong]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Access denied"), "{err}");
    assert!(!err.contains("Wrong-Pw-2"));
    assert_eq!(
        err.lines().filter(|l| l.starts_with("piiscan:")).count(),
        1,
        "{err}"
    );
}

/// The tables of a pg_dump's COPY blocks: name, columns and rows (`None` for `\N`).
type CopyTable = (String, Vec<String>, Vec<Vec<Option<String>>>);

fn copy_tables(dump: &Path) -> Vec<CopyTable> {
    let text = std::fs::read_to_string(dump).unwrap();
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        let Some(rest) = l.strip_prefix("COPY public.") else {
            continue;
        };
        let name = rest[..rest.find(' ').unwrap()]
            .trim_matches('"')
            .to_string();
        let cols: Vec<String> = rest[rest.find('(').unwrap() + 1..rest.find(')').unwrap()]
            .split(", ")
            .map(|c| c.trim_matches('"').to_string())
            .collect();
        let unescape = |v: &str| {
            (v != "\\N").then(|| {
                v.replace("\\t", "\t")
                    .replace("\\n", "\n")
                    .replace("\\r", "\r")
                    .replace("\\\\", "\\")
            })
        };
        let rows = lines
            .by_ref()
            .take_while(|l| *l != "\\.")
            .map(|l| l.split('\t').map(unescape).collect())
            .collect();
        out.push((name, cols, rows));
    }
    out
}

#[test]
fn sqlite_built_from_chinook_matches_the_dump_and_is_found_while_walking() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chinook.sqlite");
    let conn = rusqlite::Connection::open(&file).unwrap();
    for (name, cols, rows) in copy_tables(&realdata("chinook.pg_dump.sql")) {
        let defs: Vec<String> = cols.iter().map(|c| format!("\"{c}\" TEXT")).collect();
        conn.execute_batch(&format!("CREATE TABLE \"{name}\" ({});", defs.join(", ")))
            .unwrap();
        let marks = vec!["?"; cols.len()].join(", ");
        let mut st = conn
            .prepare(&format!("INSERT INTO \"{name}\" VALUES ({marks})"))
            .unwrap();
        for r in rows {
            st.execute(rusqlite::params_from_iter(r.iter())).unwrap();
        }
    }
    drop(conn);
    let before = std::fs::read(&file).unwrap();
    let url = format!("sqlite:{}", file.display());
    let (live, _) = inventory(&[&url, "--full"]);
    let (dump, _) = inventory(&["../shared/realdata/chinook.pg_dump.sql"]);
    assert_same_columns(&live, &dump, "sqlite");
    // The same file found inside a folder is recognised by its header.
    let (walked, _) = inventory(&[dir.path().to_str().unwrap(), "--full"]);
    assert_same_columns(&walked, &dump, "sqlite in a folder");
    // Read-only: the file is byte for byte what it was.
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn postgres_over_tls_and_sslmodes() {
    let pg = Cluster::start();
    pg.psql(
        "postgres",
        &[
            "-c",
            "CREATE TABLE contact (id int PRIMARY KEY, email text); \
             INSERT INTO contact VALUES (1, 'ana.test@example.org'), (2, 'bo.test@example.org');",
        ],
    );
    let root = pg.require_tls();
    let base = format!("postgres://postgres@127.0.0.1:{}/postgres", pg.port);
    let scan = |url: &str| {
        let out = piiscan()
            .args(["scan", url, "--only", "email", "--format", "jsonl"])
            .output()
            .unwrap();
        (
            out.status.code(),
            common::jsonl(&out.stdout).len(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The server refuses plain TCP, so these prove TLS was used.
    let (code, n, err) = scan(&base);
    assert_eq!((code, n), (Some(1), 2), "prefer: {err}");
    let (code, n, err) = scan(&format!("{base}?sslmode=require"));
    assert_eq!((code, n), (Some(1), 2), "require: {err}");
    let verify = format!("{base}?sslmode=verify-full&sslrootcert={}", root.display());
    let (code, n, err) = scan(&verify);
    assert_eq!((code, n), (Some(1), 2), "verify-full: {err}");
    // Verified against the public roots, a self-signed certificate is refused.
    let (code, _, err) = scan(&format!("{base}?sslmode=verify-full"));
    assert_eq!(code, Some(2), "{err}");
    // Plain is refused by this server.
    let (code, _, err) = scan(&format!("{base}?sslmode=disable"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("no encryption") || err.contains("pg_hba"),
        "{err}"
    );
}

#[test]
fn mariadb_over_tls() {
    let (db, root) = Mariadb::start_with(true);
    let root = root.expect("certificate");
    db.sql(
        "CREATE DATABASE shop; CREATE TABLE shop.contact (id int PRIMARY KEY, email varchar(80)); \
         INSERT INTO shop.contact VALUES (1, 'ana.test@example.org'); \
         CREATE USER 'tlsonly'@'%' IDENTIFIED BY 'Tls-Pw-3' REQUIRE SSL; \
         GRANT SELECT ON shop.* TO 'tlsonly'@'%';",
    );
    let base = format!("mysql://tlsonly:Tls-Pw-3@127.0.0.1:{}/shop", db.port);
    for url in [
        base.clone(),
        format!("{base}?ssl-mode=VERIFY_IDENTITY&ssl-ca={}", root.display()),
    ] {
        let out = piiscan()
            .args(["scan", &url, "--only", "email", "--format", "jsonl"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(common::jsonl(&out.stdout).len(), 1);
    }
    // The user must use TLS: with it disabled the server says no.
    let out = piiscan()
        .args(["scan", &format!("{base}?ssl-mode=DISABLED")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
