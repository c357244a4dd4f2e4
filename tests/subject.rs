//! `piiscan subject find|verify|hash` on the real Chinook dump and on generated logs.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn chinook() -> PathBuf {
    repo().join("../shared/realdata/chinook.pg_dump.sql")
}

/// Rows of a COPY block (tab-separated fields), read independently of piiscan.
fn copy_rows(text: &str, table: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines
        .by_ref()
        .find(|l| l.starts_with(&format!("COPY public.{table} (")))
        .unwrap();
    let cols = header[header.find('(').unwrap() + 1..header.find(')').unwrap()]
        .split(", ")
        .map(str::to_string)
        .collect();
    (
        cols,
        lines
            .take_while(|l| *l != "\\.")
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect(),
    )
}

/// `subject hash` of `subject` with a key file written in `dir`: the key file, the hashed
/// subject file and its text.
fn hash_subject(dir: &Path, subject: &Path) -> (PathBuf, PathBuf, String) {
    let key = dir.join("key");
    std::fs::write(&key, "erasure-key").unwrap();
    let hashed = dir.join("hashed.json");
    piiscan()
        .args(["subject", "hash", "--subject"])
        .arg(subject)
        .arg("--key-file")
        .arg(&key)
        .arg("-o")
        .arg(&hashed)
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&hashed).unwrap();
    (key, hashed, text)
}

fn find_json(args: &[&str], path: &Path) -> Vec<serde_json::Value> {
    let out = piiscan()
        .args(["subject", "find", "--json"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    jsonl(&out.stdout)
}

#[test]
fn find_by_email_and_customer_id_returns_the_customer_row_and_invoices() {
    let text = std::fs::read_to_string(chinook()).unwrap();
    let (cols, customers) = copy_rows(&text, "customer");
    let email_col = cols.iter().position(|c| c == "email").unwrap();
    let id_col = cols.iter().position(|c| c == "customer_id").unwrap();
    let person = &customers[4];
    let (email, id) = (person[email_col].clone(), person[id_col].clone());
    let (icols, invoices) = copy_rows(&text, "invoice");
    let inv_cust = icols.iter().position(|c| c == "customer_id").unwrap();
    let expected_invoices = invoices.iter().filter(|r| r[inv_cust] == id).count();
    assert!(expected_invoices > 0);

    let by_email = find_json(&["--email", &email.to_uppercase()], &chinook());
    assert_eq!(by_email.len(), 1, "{by_email:?}");
    assert_eq!(by_email[0]["location"]["table"], "customer");
    assert_eq!(by_email[0]["location"]["column"], "email");
    assert_eq!(by_email[0]["location"]["row"], 5);
    assert_eq!(by_email[0]["identifier"], "email");
    assert!(
        by_email[0].get("value").is_none(),
        "no raw values in find output"
    );

    let by_both = find_json(
        &["--email", &email, "--id", &format!("customer_id={id}")],
        &chinook(),
    );
    let invoices_found = by_both
        .iter()
        .filter(|h| h["location"]["table"] == "invoice")
        .count();
    assert_eq!(invoices_found, expected_invoices);
    assert!(by_both
        .iter()
        .any(|h| h["location"]["table"] == "customer" && h["location"]["column"] == "customer_id"));
}

#[test]
fn verify_exits_1_while_present_and_0_after_erasure_also_with_a_hashed_subject() {
    let text = std::fs::read_to_string(chinook()).unwrap();
    let (cols, customers) = copy_rows(&text, "customer");
    let email_col = cols.iter().position(|c| c == "email").unwrap();
    let phone_col = cols.iter().position(|c| c == "phone").unwrap();
    let person = customers[9].clone();
    let email = person[email_col].clone();
    let phone = person[phone_col].clone();
    let dir = tempfile::tempdir().unwrap();
    let subject = dir.path().join("subject.json");
    std::fs::write(
        &subject,
        serde_json::json!({"email": email, "phone": phone}).to_string(),
    )
    .unwrap();
    piiscan()
        .args(["subject", "verify", "--subject"])
        .arg(&subject)
        .arg(chinook())
        .assert()
        .code(1);

    // Erase the person's customer row (invoices keep only the customer id).
    let row = person.join("\t");
    let erased: String = text
        .lines()
        .filter(|l| *l != row)
        .map(|l| format!("{l}\n"))
        .collect();
    let cleaned = dir.path().join("cleaned.sql");
    std::fs::write(&cleaned, erased).unwrap();
    let out = piiscan()
        .args(["subject", "verify", "--subject"])
        .arg(&subject)
        .arg(&cleaned)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("not found in 1 files /") && said.contains("tables"),
        "{said}"
    );

    // The verification job can hold only hashes.
    let (key, hashed, htext) = hash_subject(dir.path(), &subject);
    assert!(!htext.contains(&email) && !htext.contains('@') && htext.contains("\"hashed\": true"));
    piiscan()
        .args(["subject", "verify", "--subject"])
        .arg(&hashed)
        .arg("--key-file")
        .arg(&key)
        .arg(chinook())
        .assert()
        .code(1);
    piiscan()
        .args(["subject", "verify", "--subject"])
        .arg(&hashed)
        .arg("--key-file")
        .arg(&key)
        .arg(&cleaned)
        .assert()
        .code(0);
    piiscan()
        .args(["subject", "verify", "--subject"])
        .arg(&hashed)
        .arg(chinook())
        .assert()
        .code(2);

    // Redacting with keyed pseudonyms also removes every trace.
    let red = dir.path().join("red");
    piiscan()
        .env("PIISCAN_KEY", "k")
        .args(["redact", "--operator", "email=hash", "--out"])
        .arg(&red)
        .arg(chinook())
        .assert()
        .code(0);
    let red_file = std::fs::read_dir(&red).unwrap().next().is_some();
    assert!(red_file);
    let redacted = files_under(&red)
        .into_iter()
        .find(|p| p.ends_with("chinook.pg_dump.sql"))
        .unwrap();
    piiscan()
        .args(["subject", "verify", "--subject"])
        .arg(&subject)
        .arg(&redacted)
        .assert()
        .code(0);
}

#[test]
fn identifiers_match_in_any_written_form() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(
        &log,
        "login Jane.Doe@Example.com\ncall 020 7946 0958 back\ncall +44 (0)20 7946-0958 again\nticket by DOE, Jane\nsigned Jane Q. Doe\nother 020 7946 0959\n{\"customer_id\": 4711}\ncustomer_id=47110\n",
    )
    .unwrap();
    let hits = find_json(
        &[
            "--email",
            "jane.doe@example.com",
            "--phone",
            "+44 20 7946 0958",
            "--name",
            "Jane Doe",
            "--id",
            "customer_id=4711",
        ],
        &log,
    );
    let lines: Vec<u64> = hits.iter().map(|h| h["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 7], "{hits:?}");
}

#[test]
fn export_writes_each_record_once_as_structured_json() {
    let text = std::fs::read_to_string(chinook()).unwrap();
    let (cols, customers) = copy_rows(&text, "customer");
    let person = &customers[2];
    let get = |name: &str| person[cols.iter().position(|c| c == name).unwrap()].clone();
    let (icols, invoices) = copy_rows(&text, "invoice");
    let inv_cust = icols.iter().position(|c| c == "customer_id").unwrap();
    let expected_invoices = invoices
        .iter()
        .filter(|r| r[inv_cust] == get("customer_id"))
        .count();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export.json");
    piiscan()
        .args([
            "subject",
            "export",
            "--email",
            &get("email"),
            "--phone",
            &get("phone"),
            "--id",
            &format!("customer_id={}", get("customer_id")),
            "-o",
        ])
        .arg(&out)
        .arg(chinook())
        .assert()
        .code(0);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let records = doc["sources"][0]["records"].as_array().unwrap();
    let customer: Vec<_> = records
        .iter()
        .filter(|r| r["table"] == "customer")
        .collect();
    assert_eq!(
        customer.len(),
        1,
        "one record although three identifiers matched it"
    );
    assert_eq!(
        customer[0]["data"]["first_name"],
        get("first_name").as_str()
    );
    assert_eq!(customer[0]["data"]["email"], get("email").as_str());
    let by: Vec<&str> = customer[0]["matched_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(by, ["email", "id", "phone"]);
    assert_eq!(
        records.iter().filter(|r| r["table"] == "invoice").count(),
        expected_invoices
    );
}

#[test]
fn expand_follows_the_customer_id_of_the_matched_row_to_the_invoices() {
    let text = std::fs::read_to_string(chinook()).unwrap();
    let (cols, customers) = copy_rows(&text, "customer");
    let person = &customers[7];
    let email = person[cols.iter().position(|c| c == "email").unwrap()].clone();
    let id = person[cols.iter().position(|c| c == "customer_id").unwrap()].clone();
    let (icols, invoices) = copy_rows(&text, "invoice");
    let inv_cust = icols.iter().position(|c| c == "customer_id").unwrap();
    let expected = invoices.iter().filter(|r| r[inv_cust] == id).count();
    assert_eq!(
        find_json(&["--email", &email], &chinook())
            .iter()
            .filter(|h| h["location"]["table"] == "invoice")
            .count(),
        0
    );
    let out = piiscan()
        .args(["subject", "find", "--json", "--expand", "--email", &email])
        .arg(chinook())
        .output()
        .unwrap();
    let hits = jsonl(&out.stdout);
    assert_eq!(
        hits.iter()
            .filter(|h| h["location"]["table"] == "invoice")
            .count(),
        expected
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gains customer_id=") && err.contains("found by email"),
        "{err}"
    );
    assert!(
        !err.contains(&email),
        "the expansion report shows no raw identifier"
    );
}

#[test]
fn hashed_subject_files_find_names_in_name_columns_and_in_text() {
    // A Chinook customer by name only, in a hashed subject file: found in the customer row
    // (separate first and last name columns) and in a support log that writes the name with
    // a middle initial and a middle name; gone after erasure of both.
    let text = std::fs::read_to_string(chinook()).unwrap();
    let (cols, customers) = copy_rows(&text, "customer");
    let first_col = cols.iter().position(|c| c == "first_name").unwrap();
    let last_col = cols.iter().position(|c| c == "last_name").unwrap();
    let person = customers[1].clone(); // Leonie Köhler
    let (first, last) = (person[first_col].clone(), person[last_col].clone());
    let rows_with_name = customers
        .iter()
        .filter(|r| r[first_col] == first && r[last_col] == last)
        .count();
    assert_eq!(rows_with_name, 1);

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("support.log");
    std::fs::write(
        &log,
        format!(
            "2026-11-02 ticket 1 opened by {first} {last} about an invoice\n\
             2026-11-03 call with Ms {last} (callback requested)\n\
             2026-11-04 unrelated line about Jane Roe\n"
        ),
    )
    .unwrap();
    let subject = dir.path().join("subject.json");
    // Given with a middle name: also found as first + last.
    std::fs::write(
        &subject,
        serde_json::json!({"name": format!("{first} Maria {last}")}).to_string(),
    )
    .unwrap();
    let (key, hashed, htext) = hash_subject(dir.path(), &subject);
    assert!(!htext.contains(&last) && !htext.to_lowercase().contains("maria"));

    let verify = |paths: &[&Path]| {
        piiscan()
            .args(["subject", "verify", "--subject"])
            .arg(&hashed)
            .arg("--key-file")
            .arg(&key)
            .args(paths)
            .output()
            .unwrap()
    };
    let out = verify(&[&chinook(), &log]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(report.contains("customer"), "{report}");
    assert!(report.contains("support.log"), "{report}");

    // Erase the customer row and the log line: nothing left.
    let row = person.join("\t");
    let erased: String = text
        .lines()
        .filter(|l| *l != row)
        .map(|l| format!("{l}\n"))
        .collect();
    let cleaned = dir.path().join("cleaned.sql");
    std::fs::write(&cleaned, erased).unwrap();
    std::fs::write(&log, "2026-11-04 unrelated line about Jane Roe\n").unwrap();
    let out = verify(&[&cleaned, &log]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn export_reads_compressed_files_archive_members_and_databases() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = "id,email,city,plan\n1,ada.example@example.com,London,pro\n2,other@example.org,Paris,basic\n";
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(d.join("export.csv.gz")).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(csv.as_bytes()).unwrap();
    gz.finish().unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(d.join("backup.zip")).unwrap());
    zip.start_file(
        "exports/users.csv",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(csv.as_bytes()).unwrap();
    zip.finish().unwrap();
    let db = rusqlite::Connection::open(d.join("app.sqlite")).unwrap();
    db.execute_batch(
        "CREATE TABLE users (id INTEGER, email TEXT, note TEXT);
         INSERT INTO users VALUES (7, 'ada.example@example.com', 'vip'), (8, 'x@example.net', '');",
    )
    .unwrap();
    drop(db);
    let out = d.join("subject.json");
    piiscan()
        .args([
            "subject",
            "export",
            "--email",
            "Ada.Example@example.com",
            "--output",
        ])
        .arg(&out)
        .arg(d.join("export.csv.gz"))
        .arg(d.join("backup.zip"))
        .arg(d.join("app.sqlite"))
        .assert()
        .code(0);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let sources = doc["sources"].as_array().unwrap();
    let by_path = |end: &str| {
        sources
            .iter()
            .find(|s| s["path"].as_str().unwrap().ends_with(end))
            .unwrap_or_else(|| panic!("{end} missing: {doc}"))
    };
    // The compressed CSV is re-read (decompressed): the whole row, every column.
    let gz_rec = &by_path("export.csv.gz")["records"][0];
    assert_eq!(gz_rec["data"]["email"], "ada.example@example.com");
    assert_eq!(gz_rec["data"]["city"], "London");
    assert_eq!(gz_rec["data"]["plan"], "pro");
    // The archive member and the database table: the matched values, marked partial.
    for end in ["exports/users.csv", "app.sqlite"] {
        let recs = by_path(end)["records"].as_array().unwrap();
        assert_eq!(recs.len(), 1, "{end}");
        assert_eq!(recs[0]["partial"], true);
        assert_eq!(recs[0]["data"]["email"], "ada.example@example.com", "{end}");
    }
    assert!(!doc.to_string().contains("other@example.org"));
}
