//! Structure-aware scanning and `piiscan inventory` on the real public dumps and the samples:
//! every personal-data column found with the right table.column and counts, no false columns,
//! coverage and diffs.

mod common;
use common::*;
use std::collections::HashMap;
use std::path::Path;

fn inventory(args: &[&str]) -> serde_json::Value {
    let out = piiscan()
        .current_dir(repo())
        .arg("inventory")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(1) || out.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON inventory")
}

/// detector -> (count, distinct), and rows_scanned, for one (table, column).
type StoreSummary = (HashMap<String, (u64, u64)>, u64);

/// (table, column) -> (detector -> (count, distinct), rows_scanned)
fn stores(inv: &serde_json::Value, source_suffix: &str) -> HashMap<(String, String), StoreSummary> {
    inv["stores"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["source"].as_str().unwrap().ends_with(source_suffix))
        .map(|s| {
            let dets = s["detectors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["detector"].as_str().unwrap().to_string(),
                        (
                            d["count"].as_u64().unwrap(),
                            d["distinct"].as_u64().unwrap(),
                        ),
                    )
                })
                .collect();
            let key = (
                s["table"].as_str().unwrap_or("").to_string(),
                s["column"].as_str().unwrap_or("").to_string(),
            );
            (key, (dets, s["rows_scanned"].as_u64().unwrap_or(0)))
        })
        .collect()
}

/// Non-NULL values of a column in a pg_dump COPY block, read independently of piiscan.
fn copy_column(dump: &Path, table: &str, column: &str) -> Vec<String> {
    let text = std::fs::read_to_string(dump).unwrap();
    let mut lines = text.lines();
    let header = lines
        .by_ref()
        .find(|l| l.starts_with(&format!("COPY public.{table} (")))
        .unwrap();
    let cols: Vec<&str> = header[header.find('(').unwrap() + 1..header.find(')').unwrap()]
        .split(", ")
        .collect();
    let idx = cols
        .iter()
        .position(|c| c.trim_matches('"') == column)
        .unwrap();
    lines
        .take_while(|l| *l != "\\.")
        .map(|l| l.split('\t').nth(idx).unwrap().to_string())
        .filter(|v| v != "\\N")
        .collect()
}

#[test]
fn chinook_and_northwind_personal_columns_are_found_with_table_and_column() {
    let real = repo().join("../shared/realdata");
    let inv = inventory(&["../shared/realdata"]);
    let pg = stores(&inv, "chinook.pg_dump.sql");
    let my = stores(&inv, "chinook.mysqldump.sql");
    let nw = stores(&inv, "northwind.pg_dump.sql");

    let emails = copy_column(&real.join("chinook.pg_dump.sql"), "customer", "email");
    assert_eq!(emails.len(), 59);
    let (dets, rows) = &pg[&("customer".into(), "email".into())];
    assert_eq!(dets["email"], (59, 59));
    assert_eq!(*rows, 59);
    let (dets, _) = &my[&("Customer".into(), "Email".into())];
    assert_eq!(
        dets["email"],
        (59, 59),
        "mysqldump: same people, PascalCase names"
    );

    for (table, column, detector) in [
        ("customer", "phone", "phone"),
        ("customer", "fax", "phone"),
        ("employee", "email", "email"),
        ("employee", "phone", "phone"),
        ("employee", "fax", "phone"),
        ("employee", "birth_date", "date_of_birth"),
    ] {
        let (dets, _) = pg
            .get(&(table.into(), column.into()))
            .unwrap_or_else(|| panic!("chinook pg {table}.{column} missing"));
        assert!(dets.contains_key(detector), "{table}.{column}: {dets:?}");
        let pascal = |s: &str| {
            s.split('_')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect::<String>()
        };
        let my_col = if column == "birth_date" {
            "BirthDate".to_string()
        } else {
            pascal(column)
        };
        assert!(
            my.contains_key(&(pascal(table), my_col.clone())),
            "mysql {}.{}",
            pascal(table),
            my_col
        );
    }
    // Name columns (first, last, contact name) in all three dumps.
    for (stores, table, column) in [
        (&pg, "customer", "first_name"),
        (&pg, "customer", "last_name"),
        (&pg, "employee", "last_name"),
        (&my, "Customer", "FirstName"),
        (&my, "Employee", "LastName"),
        (&nw, "customers", "contact_name"),
        (&nw, "employees", "first_name"),
        (&nw, "suppliers", "contact_name"),
    ] {
        let (dets, _) = stores
            .get(&(table.into(), column.into()))
            .unwrap_or_else(|| panic!("{table}.{column} missing"));
        assert!(
            dets.contains_key("person_name"),
            "{table}.{column}: {dets:?}"
        );
    }
    let first_names = copy_column(&real.join("chinook.pg_dump.sql"), "customer", "first_name");
    assert!(
        pg[&("customer".into(), "first_name".into())].0["person_name"].0
            >= first_names.len() as u64 - 2
    );
    // Artist, track, company and product names are not person names at high confidence
    // (an artist's name in prose is a name, so medium is allowed).
    for s in inv["stores"].as_array().unwrap() {
        let c = s["column"].as_str().unwrap_or("");
        if ["name", "company_name", "product_name", "title"].contains(&c) {
            for d in s["detectors"].as_array().unwrap() {
                assert!(
                    !(d["detector"] == "person_name" && d["confidence"] == "high"),
                    "{}.{c}",
                    s["table"]
                );
            }
        }
    }
    let birth = copy_column(
        &real.join("northwind.pg_dump.sql"),
        "employees",
        "birth_date",
    );
    assert_eq!(
        nw[&("employees".into(), "birth_date".into())].0["date_of_birth"].0,
        birth.len() as u64
    );
    for (table, column) in [
        ("customers", "phone"),
        ("customers", "fax"),
        ("suppliers", "phone"),
        ("employees", "home_phone"),
    ] {
        assert!(
            nw.contains_key(&(table.into(), column.into())),
            "northwind {table}.{column}"
        );
    }
    // Columns with no personal data are not reported at medium confidence or above: titles,
    // track/album/product/genre names, cities. Composers are people, so their names are.
    for ((t, c), (dets, _)) in pg.iter().chain(my.iter()).chain(nw.iter()) {
        let t = t.to_lowercase();
        let people_column = c.eq_ignore_ascii_case("composer");
        assert!(
            people_column
                || ![
                    "track",
                    "genre",
                    "media_type",
                    "mediatype",
                    "album",
                    "playlist",
                    "products",
                    "categories",
                    "order_details",
                    "region",
                    "territories"
                ]
                .contains(&t.as_str()),
            "{t}.{c} reported: {dets:?}"
        );
        assert!(
            !c.to_lowercase().contains("city") && !c.eq_ignore_ascii_case("company_name"),
            "{t}.{c} reported: {dets:?}"
        );
        let c = c.to_lowercase();
        assert!(
            !c.contains("price") && !c.contains("total"),
            "{t}.{c} reported"
        );
        // Postal-code columns hold postal codes, not phone numbers or other identifiers.
        if c.contains("postal") {
            assert!(dets.keys().all(|d| d == "postal_code"), "{t}.{c}: {dets:?}");
        }
    }
    // Northwind's free-text employee notes name people: by full name ("Steven Buchanan"),
    // title ("Mr. Buchanan") and, mostly, by given name alone ("Nancy is a member of …",
    // "Andrew received his BTS …", "Laura received a BA …") — twelve mentions in nine notes.
    let notes = &nw[&("employees".into(), "notes".into())].0;
    let people = notes.get("person_name").map_or(0, |d| d.0);
    assert!(
        people >= 12,
        "employees.notes: {people} person names: {notes:?}"
    );
    // Address and postal-code columns of all three dumps, as addresses and postal codes.
    for (stores, table, column, detector) in [
        (&pg, "customer", "address", "street_address"),
        (&pg, "invoice", "billing_address", "street_address"),
        (&pg, "invoice", "billing_postal_code", "postal_code"),
        (&my, "Invoice", "BillingAddress", "street_address"),
        (&my, "Customer", "PostalCode", "postal_code"),
        (&nw, "orders", "ship_address", "street_address"),
        (&nw, "suppliers", "postal_code", "postal_code"),
    ] {
        let (dets, _) = stores
            .get(&(table.into(), column.into()))
            .unwrap_or_else(|| panic!("{table}.{column} missing"));
        assert!(dets.contains_key(detector), "{table}.{column}: {dets:?}");
    }
    let addresses = copy_column(
        &real.join("chinook.pg_dump.sql"),
        "invoice",
        "billing_address",
    );
    assert_eq!(
        pg[&("invoice".into(), "billing_address".into())].0["street_address"].0,
        addresses.len() as u64
    );
}

#[test]
fn csv_and_ndjson_are_attributed_to_columns_and_key_paths() {
    let inv = inventory(&["samples/exports"]);
    let csv = stores(&inv, "customers.csv");
    // No keyword anywhere near these dates: the column name is the context.
    assert_eq!(
        csv[&("".into(), "date_of_birth".into())].0["date_of_birth"],
        (5, 5)
    );
    assert_eq!(csv[&("".into(), "email".into())].1, 5);
    let json: Vec<&serde_json::Value> = inv["stores"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["source"].as_str().unwrap().ends_with(".ndjson"))
        .collect();
    let by_path: HashMap<&str, &serde_json::Value> = json
        .iter()
        .map(|s| (s["key_path"].as_str().unwrap(), *s))
        .collect();
    assert_eq!(by_path["$.user.email"]["detectors"][0]["detector"], "email");
    assert_eq!(by_path["$.user.email"]["detectors"][0]["count"], 2);
    assert_eq!(by_path["$.card"]["detectors"][0]["detector"], "credit_card");
    assert_eq!(by_path["$.user.birth_date"]["quasi_identifier"], true);
    assert_eq!(by_path["$.user.email"]["rows_scanned"], 6);
    let text = piiscan()
        .current_dir(repo())
        .args(["inventory", "samples", "--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&text.stdout);
    assert!(
        md.contains("| samples/exports/customers.csv |  | email | 5 |"),
        "{md}"
    );
    assert!(!md.contains("jane.doe"), "examples are masked");
    let csv_out = piiscan()
        .current_dir(repo())
        .args(["inventory", "samples", "--format", "csv"])
        .output()
        .unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv_out.stdout.as_slice())
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert!(rows
        .iter()
        .any(|r| &r[3] == "date_of_birth" && &r[6] == "date_of_birth"));
}

#[test]
fn malformed_inputs_are_scanned_as_far_as_possible_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.csv"),
        "id,email\n1,jane.doe@example.com\n2,\"unclosed, mark.twain@example.org\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("cut.json"),
        "{\"user\": {\"email\": \"jane.doe@example.com\", \"note\": \"cut her",
    )
    .unwrap();
    std::fs::write(dir.path().join("dump.sql"), "-- PostgreSQL database dump\nCOPY public.t (id, email) FROM stdin;\n1\tjane.doe@example.com\n").unwrap();
    std::fs::write(
        dir.path().join("blob.bin"),
        b"\0\x01\x02 jane.doe@example.com",
    )
    .unwrap();
    let out = piiscan().arg("inventory").arg(dir.path()).output().unwrap();
    let inv: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let partial: Vec<&str> = inv["coverage"]["partial_structure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(partial.len(), 3, "{partial:?}");
    let emails: u64 = inv["stores"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["detectors"].as_array().unwrap())
        .filter(|d| d["detector"] == "email")
        .map(|d| d["count"].as_u64().unwrap())
        .sum();
    assert_eq!(emails, 4, "every address is still found");
    assert_eq!(inv["coverage"]["skipped"][0]["reason"], "binary");
    assert_eq!(inv["coverage"]["files"], 3);
}

#[test]
fn inventory_diff_reports_new_columns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.csv"),
        "id,email\n1,jane.doe@example.com\n",
    )
    .unwrap();
    let old = dir.path().join("old.json");
    piiscan()
        .arg("inventory")
        .arg(dir.path().join("a.csv"))
        .arg("-o")
        .arg(&old)
        .assert()
        .code(1);
    std::fs::write(
        dir.path().join("a.csv"),
        "id,email,mobile\n1,jane.doe@example.com,+44 20 7946 0958\n",
    )
    .unwrap();
    let new = dir.path().join("new.json");
    piiscan()
        .arg("inventory")
        .arg(dir.path().join("a.csv"))
        .arg("-o")
        .arg(&new)
        .assert()
        .code(1);
    let out = piiscan()
        .args(["inventory", "--diff"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("new store") && text.contains("mobile") && text.contains("phone"),
        "{text}"
    );
    piiscan()
        .args(["inventory", "--diff"])
        .arg(&new)
        .arg(&new)
        .assert()
        .code(0);
}

#[test]
fn compressed_files_are_scanned_transparently_with_limits() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read(repo().join("samples/exports/customers.csv")).unwrap();
    let log = std::fs::read(repo().join("samples/logs/app.log")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&csv).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(dir.path().join("users.csv.gz"), &gz).unwrap();
    std::fs::write(
        dir.path().join("app.log.zst"),
        zstd::encode_all(&log[..], 3).unwrap(),
    )
    .unwrap();
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(&log).unwrap();
    std::fs::write(dir.path().join("app.log.bz2"), bz.finish().unwrap()).unwrap();
    let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 6);
    xz.write_all(&log).unwrap();
    // A misleading name: the magic bytes decide.
    std::fs::write(dir.path().join("app.log.backup"), xz.finish().unwrap()).unwrap();

    let out = piiscan()
        .args(["scan", "--format", "jsonl", "--reveal"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = jsonl(&out.stdout);
    let plain = jsonl(
        &piiscan()
            .args(["scan", "--format", "jsonl", "--reveal"])
            .arg(repo().join("samples/logs/app.log"))
            .output()
            .unwrap()
            .stdout,
    );
    for (name, container) in [
        ("app.log.zst", "zstd"),
        ("app.log.bz2", "bzip2"),
        ("app.log.backup", "xz"),
    ] {
        let inner: Vec<_> = found
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(name))
            .collect();
        assert_eq!(inner.len(), plain.len(), "{name}");
        for (a, b) in inner.iter().zip(&plain) {
            assert_eq!(
                (&a["start"], &a["value"]),
                (&b["start"], &b["value"]),
                "offsets are in the decompressed content"
            );
            assert_eq!(a["container"], container);
        }
    }
    let users: Vec<_> = found
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with("users.csv.gz"))
        .collect();
    assert!(
        users
            .iter()
            .any(|f| f["location"]["column"] == "date_of_birth"),
        "the inner CSV is read as CSV"
    );

    // A truncated archive: what was read is scanned, the damage reported once.
    std::fs::write(dir.path().join("cut.csv.gz"), &gz[..gz.len() / 2]).unwrap();
    // A bomb: 200 MB of zeros in a few hundred bytes.
    std::fs::write(
        dir.path().join("bomb.log.zst"),
        zstd::encode_all(&vec![0u8; 200 << 20][..], 19).unwrap(),
    )
    .unwrap();
    let out = piiscan()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("cut.csv.gz:").count(), 1, "{err}");
    assert!(
        err.contains("bomb.log.zst:") && err.contains("decompression bomb"),
        "{err}"
    );
    assert!(jsonl(&out.stdout)
        .iter()
        .any(|f| f["path"].as_str().unwrap().ends_with("cut.csv.gz")));
}

#[test]
fn archives_are_scanned_member_by_member() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read(repo().join("samples/exports/customers.csv")).unwrap();
    let ndjson = std::fs::read(repo().join("samples/exports/events.ndjson")).unwrap();
    // tar.gz with two members
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (name, data) in [
        ("exports/users.csv", &csv),
        ("exports/events.ndjson", &ndjson),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        builder.append_data(&mut h, name, data.as_slice()).unwrap();
    }
    std::fs::write(
        dir.path().join("backup.tar.gz"),
        builder.into_inner().unwrap().finish().unwrap(),
    )
    .unwrap();
    // zip with a CSV and a nested archive
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zw.start_file("people/users.csv", opts).unwrap();
    zw.write_all(&csv).unwrap();
    zw.start_file("inner.zip", opts).unwrap();
    zw.write_all(b"PK\x03\x04 nested").unwrap();
    std::fs::write(
        dir.path().join("export.zip"),
        zw.finish().unwrap().into_inner(),
    )
    .unwrap();

    let inv: serde_json::Value = serde_json::from_slice(
        &piiscan()
            .arg("inventory")
            .arg(dir.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let stores = inv["stores"].as_array().unwrap();
    let find = |suffix: &str, col: &str| {
        stores
            .iter()
            .find(|s| {
                s["source"].as_str().unwrap().ends_with(suffix)
                    && (s["column"] == col || s["key_path"] == col)
            })
            .unwrap_or_else(|| panic!("{suffix} {col}"))
    };
    assert_eq!(
        find("backup.tar.gz!/exports/users.csv", "email")["detectors"][0]["count"],
        5
    );
    assert_eq!(
        find("backup.tar.gz!/exports/events.ndjson", "$.user.email")["detectors"][0]["count"],
        2
    );
    assert_eq!(
        find("export.zip!/people/users.csv", "date_of_birth")["detectors"][0]["count"],
        5
    );
    let skipped = inv["coverage"]["skipped"].as_array().unwrap();
    assert!(
        skipped.iter().any(|s| s["path"]
            .as_str()
            .unwrap()
            .ends_with("export.zip!/inner.zip")),
        "{skipped:?}"
    );
    let out = piiscan()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path().join("backup.tar.gz"))
        .output()
        .unwrap();
    let f = &jsonl(&out.stdout)[0];
    assert_eq!(f["container"], "tar+gzip");
}

#[test]
fn stores_carry_the_age_range_of_their_records() {
    let real = repo().join("../shared/realdata");
    let inv = inventory(&["../shared/realdata/chinook.pg_dump.sql"]);
    let invoice = inv["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["table"] == "invoice" && s["column"] == "billing_address")
        .expect("invoice.billing_address");
    // The dates straight from the dump text.
    let text = std::fs::read_to_string(real.join("chinook.pg_dump.sql")).unwrap();
    let mut lines = text.lines();
    lines
        .by_ref()
        .find(|l| l.starts_with("COPY public.invoice ("))
        .unwrap();
    let mut dates: Vec<&str> = lines
        .take_while(|l| *l != "\\.")
        .filter(|l| l.split('\t').nth(3) != Some("\\N"))
        .map(|l| &l.split('\t').nth(2).unwrap()[..10])
        .collect();
    dates.sort();
    let age = &invoice["record_age"];
    assert_eq!(age["date_field"], "invoice_date");
    assert_eq!(age["oldest"].as_str(), dates.first().copied());
    assert_eq!(age["newest"].as_str(), dates.last().copied());
    assert_eq!(
        age["date_sources"]["field"].as_u64(),
        Some(dates.len() as u64)
    );
}

#[test]
fn columns_are_classified_by_their_values_whatever_their_names() {
    // `x` holds e-mail addresses in 18 of 20 rows, `col7` phone numbers in 12; `notes` has
    // one address in passing. Only the first two are classified, with the share of rows.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    let mut text = String::from("id,x,col7,notes\n");
    for i in 1..=20 {
        let email = if i % 10 == 0 {
            String::new()
        } else {
            format!("member{i}@example.com")
        };
        let phone = if i <= 12 {
            format!("+44 20 7946 0{i:03}")
        } else {
            String::new()
        };
        let note = if i == 7 {
            "cc: someone@example.org"
        } else {
            "ok"
        };
        text.push_str(&format!("{i},{email},{phone},{note}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let inv = inventory(&[csv.to_str().unwrap()]);
    let store = |column: &str| {
        inv["stores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["column"] == column)
            .unwrap_or_else(|| panic!("{column} missing"))
            .clone()
    };
    let x = store("x");
    assert_eq!(x["holds"]["detector"], "email");
    assert_eq!(x["holds"]["share"].as_f64(), Some(18.0 / 20.0));
    assert_eq!(x["detectors"][0]["confidence"], "high");
    let col7 = store("col7");
    assert_eq!(col7["holds"]["detector"], "phone");
    assert_eq!(col7["holds"]["share"].as_f64(), Some(12.0 / 20.0));
    assert!(store("notes")["holds"].is_null());
}
