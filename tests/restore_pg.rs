//! Redacted real pg_dump files must still restore into PostgreSQL with the same row counts,
//! and no e-mail address or phone number of the original may survive in the restored data.
//! The test starts a throwaway cluster on 127.0.0.1 (as the `postgres` user when run as
//! root, which `.ci/run` is). It fails — never skips — when PostgreSQL cannot be started.

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
