//! Redacted real dumps must still restore (pg_dump into PostgreSQL, mysqldump into MariaDB)
//! with the same row counts, and no e-mail address or phone number of the original may survive
//! in the restored data. The tests start throwaway servers on 127.0.0.1 (PostgreSQL as the
//! `postgres` user when run as root, which `.ci/run` is). They fail — never skip — when a
//! server cannot be started.

mod common;
mod servers;
use common::*;
use servers::Cluster;
use std::path::{Path, PathBuf};

#[test]
fn redacted_real_dumps_restore_with_identical_row_counts_and_no_contact_data() {
    let pg = Cluster::start();
    let realdata = repo().join("../shared/realdata");
    let out = tempfile::tempdir().unwrap();
    piiscan()
        .env("PIISCAN_KEY", "restore-test-key")
        .arg("redact")
        .arg(realdata.join("chinook.pg_dump.sql"))
        .arg(realdata.join("northwind.pg_dump.sql"))
        .arg("--out")
        .arg(out.path())
        .args([
            "--operator",
            "email=hash",
            "--operator",
            "phone=tag",
            "--operator",
            "iban=partial",
        ])
        .assert()
        .code(0);
    for name in ["chinook", "northwind"] {
        let original = realdata.join(format!("{name}.pg_dump.sql"));
        let redacted =
            walk_find(out.path(), &format!("{name}.pg_dump.sql")).expect("redacted dump written");
        pg.restore(&format!("orig_{name}"), &original);
        pg.restore(&format!("red_{name}"), &redacted);
        let before = pg.row_counts(&format!("orig_{name}"));
        assert!(
            before.len() >= 8 && before.iter().any(|(_, n)| *n > 50),
            "{name}: {before:?}"
        );
        assert_eq!(
            before,
            pg.row_counts(&format!("red_{name}")),
            "{name}: row counts differ after redaction"
        );

        // No person's name is left in the name columns (person_name is masked by default).
        let name_query = match name {
            "chinook" => "SELECT first_name || ' ' || last_name FROM customer UNION ALL SELECT first_name || ' ' || last_name FROM employee",
            _ => "SELECT first_name || ' ' || last_name FROM employees UNION ALL SELECT contact_name FROM customers",
        };
        let originals_names = pg.psql(&format!("orig_{name}"), &["-c", name_query]);
        let redacted_names = pg.psql(&format!("red_{name}"), &["-c", name_query]);
        assert_eq!(
            originals_names.lines().count(),
            redacted_names.lines().count()
        );
        assert!(originals_names.chars().any(char::is_alphabetic));
        for line in redacted_names.lines() {
            assert!(
                !line.chars().any(char::is_alphanumeric),
                "{name}: a name survives redaction"
            );
        }

        // The original holds e-mails and phones; the restored redacted data holds none.
        let rows = pg.dump_rows(&format!("red_{name}"));
        let scan = piiscan()
            .args(["scan", "-", "--format", "jsonl", "--only", "email,phone"])
            .write_stdin(rows.clone())
            .output()
            .unwrap();
        let left = jsonl(&scan.stdout);
        assert!(
            left.is_empty(),
            "{name}: {} e-mails/phones survive, e.g. {}",
            left.len(),
            left[0]
        );
        let orig_rows = pg.dump_rows(&format!("orig_{name}"));
        let scan = piiscan()
            .args([
                "scan",
                "-",
                "--format",
                "jsonl",
                "--only",
                "email,phone",
                "--reveal",
            ])
            .write_stdin(orig_rows)
            .output()
            .unwrap();
        let originals = jsonl(&scan.stdout);
        assert!(
            originals.len() > 20,
            "{name}: the original has contact data to remove"
        );
        for f in &originals {
            let v = f["value"].as_str().unwrap();
            assert!(
                !rows.contains(v),
                "{name}: {} survives redaction",
                f["detector"]
            );
        }
    }
}

fn walk_find(dir: &Path, name: &str) -> Option<PathBuf> {
    for e in std::fs::read_dir(dir).ok()? {
        let p = e.ok()?.path();
        if p.is_dir() {
            if let Some(f) = walk_find(&p, name) {
                return Some(f);
            }
        } else if p.file_name().is_some_and(|n| n == name) {
            return Some(p);
        }
    }
    None
}

/// Row counts of every table of the `Chinook` database in MariaDB.
fn mariadb_counts(db: &servers::Mariadb) -> Vec<(String, u64)> {
    let tables = db.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'Chinook' ORDER BY table_name");
    tables
        .lines()
        .map(|t| {
            let n = db.sql(&format!("SELECT COUNT(*) FROM `Chinook`.`{t}`"));
            (t.to_string(), n.trim().parse().unwrap())
        })
        .collect()
}

/// Every row of every table, tab-separated, for scanning.
fn mariadb_rows(db: &servers::Mariadb, tables: &[(String, u64)]) -> String {
    tables
        .iter()
        .map(|(t, _)| db.sql(&format!("SELECT * FROM `Chinook`.`{t}`")))
        .collect()
}

#[test]
fn redacted_mysqldump_restores_into_mariadb_with_identical_row_counts() {
    let realdata = repo().join("../shared/realdata");
    let original = realdata.join("chinook.mysqldump.sql");
    let out = tempfile::tempdir().unwrap();
    piiscan()
        .env("PIISCAN_KEY", "restore-test-key")
        .arg("redact")
        .arg(&original)
        .arg("--out")
        .arg(out.path())
        .args(["--operator", "email=hash", "--operator", "phone=tag"])
        .assert()
        .code(0);
    let redacted = walk_find(out.path(), "chinook.mysqldump.sql").expect("redacted dump written");

    let db = servers::Mariadb::start();
    db.load(&original);
    let before = mariadb_counts(&db);
    assert!(
        before.len() >= 10 && before.iter().any(|(_, n)| *n > 1000),
        "{before:?}"
    );
    let orig_rows = mariadb_rows(&db, &before);
    db.sql("DROP DATABASE `Chinook`");
    db.load(&redacted);
    assert_eq!(
        before,
        mariadb_counts(&db),
        "row counts differ after redaction"
    );
    let rows = mariadb_rows(&db, &before);

    let names = db.sql("SELECT CONCAT(FirstName, ' ', LastName) FROM `Chinook`.`Customer`");
    assert_eq!(names.lines().count(), 59);
    assert!(
        names.lines().all(|l| !l.chars().any(char::is_alphanumeric)),
        "a customer's name survives redaction"
    );

    // The originals' e-mails and phones are in the loaded original and not in the redacted.
    let scan = |text: String| {
        jsonl(
            &piiscan()
                .args([
                    "scan",
                    "-",
                    "--format",
                    "jsonl",
                    "--only",
                    "email,phone",
                    "--reveal",
                ])
                .write_stdin(text)
                .output()
                .unwrap()
                .stdout,
        )
    };
    let originals = scan(orig_rows);
    assert!(originals.len() > 100, "{}", originals.len());
    assert!(
        scan(rows.clone()).is_empty(),
        "contact data survives in MariaDB"
    );
    for f in &originals {
        assert!(!rows.contains(f["value"].as_str().unwrap()));
    }
}
