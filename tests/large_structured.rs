//! Structured inputs larger than the whole-file limit (two chunks; `--chunk-size` makes that
//! small here) are read in record-aligned windows: every finding still names its column, key
//! path or table column and its row, in plain and compressed files, and redaction keeps the
//! structure too.

mod common;
use common::{files_under, jsonl, piiscan, repo};
use std::io::Write;
use std::path::Path;

/// Findings of `scan --format jsonl` with the given extra arguments.
fn scan(path: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let out = piiscan()
        .args(["scan", "--format", "jsonl", "--no-progress"])
        .args(extra)
        .arg(path)
        .output()
        .expect("run piiscan");
    assert!(
        out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    jsonl(&out.stdout)
}

fn emails<'a>(
    findings: &'a [serde_json::Value],
) -> impl Iterator<Item = &'a serde_json::Value> + 'a {
    findings.iter().filter(|f| f["detector"] == "email")
}

/// A CSV whose notes hold quoted newlines and delimiters, so that record ends are not line
/// ends; row `i` has the address `user{i}@example.com` in the `contact` column.
fn write_csv(path: &Path, rows: usize) {
    let mut f = std::fs::File::create(path).unwrap();
    writeln!(f, "id,contact,note").unwrap();
    for i in 1..=rows {
        writeln!(
            f,
            "{i},user{i}@example.com,\"line one\nline two, with \"\"quotes\"\" {i}\""
        )
        .unwrap();
    }
}

#[test]
fn large_csv_keeps_columns_and_rows_in_every_window() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    let rows = 3000;
    write_csv(&csv, rows);
    let size = std::fs::metadata(&csv).unwrap().len();
    assert!(size > 4 * 16 * 1024, "the file spans many windows");
    let windowed = scan(&csv, &["--chunk-size", "16K"]);
    let found: Vec<_> = emails(&windowed).collect();
    assert_eq!(found.len(), rows);
    for f in &found {
        let row = f["location"]["row"].as_u64().unwrap();
        assert_eq!(f["location"]["column"], "contact", "{f}");
        assert_eq!(
            f["masked"].as_str().unwrap().len(),
            format!("user{row}@example.com").len()
        );
    }
    let mut seen_rows: Vec<u64> = found
        .iter()
        .map(|f| f["location"]["row"].as_u64().unwrap())
        .collect();
    seen_rows.sort_unstable();
    assert_eq!(seen_rows, (1..=rows as u64).collect::<Vec<_>>());
    // Line numbers follow the quoted newlines: row i starts on line 2 + 2 (i - 1).
    for f in &found {
        let row = f["location"]["row"].as_u64().unwrap();
        assert_eq!(f["line"].as_u64().unwrap(), 2 + 2 * (row - 1));
    }
    // The same findings as reading the file whole.
    assert_eq!(windowed, scan(&csv, &[]));
}

#[test]
fn large_ndjson_and_json_arrays_keep_key_paths() {
    let dir = tempfile::tempdir().unwrap();
    let nd = dir.path().join("events.ndjson");
    let arr = dir.path().join("export.json");
    let (mut a, mut b) = (
        std::fs::File::create(&nd).unwrap(),
        std::fs::File::create(&arr).unwrap(),
    );
    let rows = 2000;
    write!(b, "[").unwrap();
    for i in 1..=rows {
        let rec = format!(
            "{{\"id\":{i},\"customer\":{{\"contact\":{{\"email\":\"user{i}@example.com\"}}}},\"note\":\"a, b: {{c}}\"}}"
        );
        writeln!(a, "{rec}").unwrap();
        write!(b, "{rec}{}", if i < rows { ",\n" } else { "]\n" }).unwrap();
    }
    drop((a, b));
    for path in [&nd, &arr] {
        let found = scan(path, &["--chunk-size", "16K"]);
        let mails: Vec<_> = emails(&found).collect();
        assert_eq!(mails.len(), rows, "{}", path.display());
        let expected_path = if path == &nd {
            "$.customer.contact.email"
        } else {
            "$[*].customer.contact.email"
        };
        for (i, f) in mails.iter().enumerate() {
            assert_eq!(f["location"]["key_path"], expected_path);
            assert_eq!(f["location"]["row"].as_u64(), Some(i as u64 + 1));
        }
    }
}

/// `rows_scanned` of each key path, from `inventory --format json` with the given arguments.
fn inventory_rows(path: &Path, extra: &[&str]) -> Vec<(String, u64)> {
    let out = piiscan()
        .args(["inventory", "--format", "json"])
        .args(extra)
        .arg(path)
        .output()
        .expect("run piiscan");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("inventory JSON");
    let mut rows: Vec<(String, u64)> = doc["stores"]
        .as_array()
        .expect("stores")
        .iter()
        .map(|s| {
            (
                s["key_path"].as_str().unwrap_or_default().to_string(),
                s["rows_scanned"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// Every key path of an NDJSON file was looked for in every record: its `rows_scanned` is
/// the file's record count whether the file is read whole or in windows, also for a key that
/// the last windows lack.
#[test]
fn windowed_ndjson_counts_every_record_for_every_key_path() {
    let dir = tempfile::tempdir().unwrap();
    let nd = dir.path().join("events.ndjson");
    let mut f = std::fs::File::create(&nd).unwrap();
    let rows = 3000;
    for i in 1..=rows {
        if i <= 1000 && i % 10 == 0 {
            writeln!(f, "{{\"id\":{i},\"contact\":\"user{i}@example.com\"}}").unwrap();
        } else {
            writeln!(f, "{{\"id\":{i},\"email\":\"user{i}@example.org\"}}").unwrap();
        }
    }
    drop(f);
    let whole = inventory_rows(&nd, &[]);
    let windowed = inventory_rows(&nd, &["--chunk-size", "8K"]);
    assert_eq!(
        whole,
        vec![("$.contact".into(), rows), ("$.email".into(), rows)]
    );
    assert_eq!(windowed, whole);
}

#[test]
fn large_dumps_and_compressed_exports_keep_table_columns() {
    // The real dumps, read in 16 KiB windows (mysqldump's extended INSERT lines are longer, so
    // windows grow to hold them): the same findings, locations and rows as read whole.
    for dump in [
        "chinook.pg_dump.sql",
        "chinook.mysqldump.sql",
        "northwind.pg_dump.sql",
    ] {
        let path = repo().join("../shared/realdata").join(dump);
        let whole = scan(&path, &[]);
        let windowed = scan(&path, &["--chunk-size", "16K"]);
        assert!(whole.len() > 1000, "{dump}");
        assert!(
            whole
                .iter()
                .all(|f| f["location"]["table"].is_string() || f["location"]["kind"] == "sql"),
            "{dump}"
        );
        assert_eq!(windowed, whole, "{dump}");
    }
    // A gzip export over the whole-content limit (32 chunks) is windowed too.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    write_csv(&csv, 3000);
    let gz = dir.path().join("people.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&std::fs::read(&csv).unwrap()).unwrap();
    enc.finish().unwrap();
    assert!(std::fs::metadata(&csv).unwrap().len() > 32 * 4096);
    let found = scan(&gz, &["--chunk-size", "4K"]);
    let mails: Vec<_> = emails(&found).collect();
    assert_eq!(mails.len(), 3000);
    assert!(mails.iter().all(|f| f["location"]["column"] == "contact"));
    assert_eq!(
        mails.last().unwrap()["location"]["row"].as_u64(),
        Some(3000)
    );
}

#[test]
fn large_structured_files_are_redacted_with_their_columns() {
    // A `dob` column holds dates that only the column name marks as personal: they are
    // replaced in every window, and the output keeps every row and column.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    let mut f = std::fs::File::create(&csv).unwrap();
    writeln!(f, "id,dob,plan").unwrap();
    let rows = 4000;
    let dob = |i: usize| format!("19{:02}-0{}-1{}", 50 + i % 40, 1 + i % 9, i % 10);
    for i in 1..=rows {
        writeln!(f, "{i},{},basic", dob(i)).unwrap();
    }
    drop(f);
    let out = dir.path().join("out");
    piiscan()
        .args(["redact", "--quiet", "--chunk-size", "16K", "--out"])
        .arg(&out)
        .arg(&csv)
        .assert()
        .success();
    let files = files_under(&out);
    assert_eq!(files.len(), 1);
    let red = std::fs::read_to_string(&files[0]).unwrap();
    let mut reader = csv::Reader::from_reader(red.as_bytes());
    let mut n = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        n += 1;
        assert_eq!(rec.len(), 3);
        assert_eq!(&rec[0], n.to_string());
        assert_ne!(&rec[1], dob(n), "row {n}");
        assert_eq!(&rec[2], "basic");
    }
    assert_eq!(n, rows);
}
