//! Retention audits through the real binary: generated logs spanning three years in several
//! timestamp formats, the chinook dump's invoices, date orders, per-detector limits, and
//! `redact --older-than`. Expected values come from the generators and the dump text, never
//! from piiscan.

mod common;
use common::{piiscan, repo};
use std::path::Path;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Civil date of a day count since 1970-01-01 (the test's own conversion, by repeated
/// subtraction, so it shares no code with piiscan's).
fn civil(mut days: i64) -> (i64, usize, i64) {
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut y = 1970;
    loop {
        let len = if leap(y) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        y += 1;
    }
    let lens = [
        31,
        if leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut m = 0;
    while days >= lens[m] {
        days -= lens[m];
        m += 1;
    }
    (y, m + 1, days + 1)
}

/// 2026-11-23 as days since the epoch.
const NOW_DAYS: i64 = 20_780;

/// A tiny deterministic generator (xorshift), so the corpus is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// One log line per record, each with one e-mail address, dated `age` days before
/// 2026-11-23 at 12:00 UTC in one of several formats; some records carry a continuation line
/// (a stack trace) with a second address. Returns the text and, per line, whether the record
/// is older than one year (`None` for lines without an address).
fn generated_log(seed: u64, n: usize) -> (String, Vec<Option<bool>>, Vec<i64>) {
    let mut rng = Rng(seed);
    let mut text = String::new();
    let mut over = Vec::new();
    let mut over_days = Vec::new();
    for i in 0..n {
        let mut age = (rng.next() % 1095) as i64;
        if (364..=366).contains(&age) {
            age += 3; // keep clear of the boundary day
        }
        let format = rng.next() % 5;
        // Syslog lines carry no year: keep them within the last year, where it is certain.
        if format == 3 {
            age %= 300;
        }
        let days = NOW_DAYS - age;
        let (y, m, d) = civil(days);
        let email = format!("user{i}.test@example.org");
        let line = match format {
            0 => format!("{y:04}-{m:02}-{d:02}T12:00:00Z INFO login ok for {email}\n"),
            1 => format!(
                "10.1.2.3 - - [{d:02}/{}/{y:04}:12:00:00 +0000] \"GET /u?mail={email} HTTP/1.1\" 200 512\n",
                MONTHS[m - 1]
            ),
            2 => format!(
                "{{\"ts\":{},\"level\":\"info\",\"user\":\"{email}\"}}\n",
                days * 86400 + 43200
            ),
            3 => format!("{} {d:>2} 12:00:00 web1 app[42]: reset for {email}\n", MONTHS[m - 1]),
            _ => format!("{y:04}/{m:02}/{d:02} 12:00:00 [error] request from {email}\n"),
        };
        text.push_str(&line);
        let is_over = age > 365;
        over.push(Some(is_over));
        if is_over {
            over_days.push(days);
        }
        if format == 0 && i % 7 == 0 {
            text.push_str(&format!("    at Mailer.send(recipient={email})\n"));
            over.push(Some(is_over));
        }
        if i % 11 == 0 {
            text.push_str("    at main.rs:12\n");
            over.push(None);
        }
    }
    (text, over, over_days)
}

fn retention_json(args: &[&str], dir: &Path) -> (serde_json::Value, i32) {
    let out = piiscan()
        .current_dir(dir)
        .arg("retention")
        .args(args)
        .args(["--format", "json", "--now", "2026-11-23"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).expect("JSON retention report"),
        code,
    )
}

fn ymd(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[test]
fn generated_logs_report_exactly_the_lines_older_than_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // Two separate files: the JSON-lines format is read as a text log, not sniffed as JSON.
    let (text, over, over_days) = generated_log(0x5eed, 600);
    std::fs::write(dir.path().join("app.log"), &text).unwrap();
    let expected_over = over.iter().filter(|o| **o == Some(true)).count() as u64;
    let expected_within = over.iter().filter(|o| **o == Some(false)).count() as u64;
    assert!(expected_over > 100 && expected_within > 100);
    let (report, code) = retention_json(&["app.log", "--max-age", "1y"], dir.path());
    assert_eq!(code, 1);
    let stores = report["stores"].as_array().unwrap();
    let email = stores
        .iter()
        .find(|s| s["detector"] == "email")
        .expect("email store");
    assert_eq!(email["over"].as_u64(), Some(expected_over));
    assert_eq!(email["within"].as_u64(), Some(expected_within));
    assert_eq!(email["undated"].as_u64(), Some(0));
    assert_eq!(email["cutoff"], "2025-11-23");
    assert_eq!(
        email["oldest"].as_str(),
        Some(ymd(*over_days.iter().min().unwrap()).as_str())
    );
    assert_eq!(
        email["newest"].as_str(),
        Some(ymd(*over_days.iter().max().unwrap()).as_str())
    );
    assert!(email["date_sources"]["timestamp"].as_u64().unwrap() > 0);

    // A generous limit: nothing is over, exit 0.
    let (report, code) = retention_json(&["app.log", "--max-age", "4y"], dir.path());
    assert_eq!(code, 0);
    assert_eq!(report["totals"]["records_over"].as_u64(), Some(0));
}

#[test]
fn redact_older_than_changes_only_the_old_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (text, over, _) = generated_log(0xfeed, 400);
    let src = dir.path().join("app.log");
    std::fs::write(&src, &text).unwrap();
    for chunk in [None, Some("4096")] {
        let mut cmd = piiscan();
        cmd.current_dir(dir.path())
            .args(["redact", "-", "--older-than", "1y", "--now", "2026-11-23"])
            .write_stdin(text.clone());
        if let Some(c) = chunk {
            cmd.args(["--chunk-size", c]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let redacted = String::from_utf8(out.stdout).unwrap();
        let (a, b): (Vec<&str>, Vec<&str>) = (text.lines().collect(), redacted.lines().collect());
        assert_eq!(a.len(), b.len());
        assert_eq!(a.len(), over.len());
        for ((orig, red), is_over) in a.iter().zip(&b).zip(&over) {
            match is_over {
                Some(true) => assert!(
                    !red.contains("@example.org") && red != orig,
                    "old line kept: {red}"
                ),
                _ => assert_eq!(orig, red, "recent line changed"),
            }
        }
    }
    // The input file itself is never touched.
    assert_eq!(std::fs::read_to_string(&src).unwrap(), text);
}

/// `(invoice_date, billing_address, billing_postal_code)` of every invoice, from the dump text.
fn chinook_invoices() -> Vec<(String, Option<String>, Option<String>)> {
    let text = std::fs::read_to_string(repo().join("../shared/realdata/chinook.pg_dump.sql"))
        .expect("chinook dump");
    let mut lines = text.lines();
    let header = lines
        .by_ref()
        .find(|l| l.starts_with("COPY public.invoice ("))
        .expect("invoice COPY block");
    let cols: Vec<&str> = header[header.find('(').unwrap() + 1..header.find(')').unwrap()]
        .split(", ")
        .collect();
    let at = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    let (d, a, p) = (
        at("invoice_date"),
        at("billing_address"),
        at("billing_postal_code"),
    );
    let val = |v: &str| (v != "\\N").then(|| v.to_string());
    lines
        .take_while(|l| *l != "\\.")
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[d][..10].to_string(), val(f[a]), val(f[p]))
        })
        .collect()
}

#[test]
fn chinook_invoice_billing_addresses_past_one_year() {
    let real = repo().join("../shared/realdata");
    let invoices = chinook_invoices();
    let old: Vec<_> = invoices
        .iter()
        .filter(|i| i.0.as_str() < "2025-11-23")
        .collect();
    let old_addresses: Vec<&String> = old.iter().filter(|i| i.1.is_some()).map(|i| &i.0).collect();
    let old_postal = old.iter().filter(|i| i.2.is_some()).count() as u64;
    assert!(old_addresses.len() > 300);
    let (report, code) = retention_json(&["chinook.pg_dump.sql", "--max-age", "1y"], &real);
    assert_eq!(code, 1);
    let stores = report["stores"].as_array().unwrap();
    let store = |col: &str| {
        stores
            .iter()
            .find(|s| s["table"] == "invoice" && s["column"] == col)
            .unwrap_or_else(|| panic!("invoice.{col} missing: {report}"))
    };
    let addr = store("billing_address");
    assert_eq!(addr["detector"], "street_address");
    assert_eq!(addr["over"].as_u64(), Some(old_addresses.len() as u64));
    assert_eq!(addr["date_field"], "invoice_date");
    assert_eq!(
        addr["oldest"].as_str(),
        old_addresses.iter().min().map(|s| s.as_str())
    );
    assert_eq!(
        addr["newest"].as_str(),
        old_addresses.iter().max().map(|s| s.as_str())
    );
    assert_eq!(
        store("billing_postal_code")["over"].as_u64(),
        Some(old_postal)
    );
    // Tables without a date column are dated by the file, which is recent: not over.
    assert!(!stores
        .iter()
        .any(|s| s["table"] == "customer" && s["over"].as_u64() != Some(0)));

    let (report, code) = retention_json(&["chinook.pg_dump.sql", "--max-age", "30y"], &real);
    assert_eq!(code, 0);
    assert_eq!(report["totals"]["records_over"].as_u64(), Some(0));
}

#[test]
fn ambiguous_dates_follow_the_date_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("signups.csv"),
        "id,email,created_at\n1,ana.test@example.org,01/02/2023\n",
    )
    .unwrap();
    let run = |order: Option<&str>| {
        let mut args = vec![
            "retention",
            "signups.csv",
            "--max-age",
            "2w",
            "--now",
            "2023-01-20",
        ];
        if let Some(o) = order {
            args.extend(["--date-order", o]);
        }
        let out = piiscan()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        out.status.code()
    };
    // 1 February 2023 is in the future of 20 January: within. 2 January is 18 days old.
    assert_eq!(run(Some("dmy")), Some(0));
    assert_eq!(run(Some("mdy")), Some(1));
    // By default the older reading counts (2 January): over.
    assert_eq!(run(None), Some(1));
    let out = piiscan()
        .current_dir(dir.path())
        .args([
            "retention",
            "signups.csv",
            "--max-age",
            "2w",
            "--date-order",
            "ymd",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("date order"));
}

#[test]
fn limits_per_detector_and_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("support.log"),
        "2026-09-01T08:00:00Z ticket from ana.test@example.org phone +44 20 7946 0958\n",
    )
    .unwrap();
    let detectors_over = |args: &[&str]| -> Vec<String> {
        let (r, _) = retention_json(args, dir.path());
        let mut v: Vec<String> = r["stores"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["over"].as_u64() > Some(0))
            .map(|s| s["detector"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    // 83 days old: over a 30-day e-mail limit, within a 1-year default.
    assert_eq!(
        detectors_over(&[
            "support.log",
            "--max-age",
            "email=30d",
            "--max-age",
            "default=1y"
        ]),
        ["email"]
    );
    assert_eq!(
        detectors_over(&["support.log", "--max-age", "contact=60d"]),
        ["email", "phone"]
    );
    assert!(detectors_over(&["support.log", "--max-age", "financial=1d"]).is_empty());
    std::fs::write(
        dir.path().join("piiscan.toml"),
        "[retention]\ndefault = \"1y\"\nphone = \"2mo\"\n",
    )
    .unwrap();
    assert_eq!(detectors_over(&["support.log"]), ["phone"]);
    // The command line overrides the file.
    assert!(detectors_over(&["support.log", "--max-age", "phone=1y"]).is_empty());
}

#[test]
fn records_without_dates_use_mtime_and_unknown_ages_are_counted_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "write to ana.test@example.org\n").unwrap();
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000); // 2020-09
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let (r, code) = retention_json(&["notes.txt", "--max-age", "1y"], dir.path());
    assert_eq!(code, 1);
    assert_eq!(r["stores"][0]["date_sources"]["mtime"].as_u64(), Some(1));
    assert_eq!(r["stores"][0]["oldest"], "2020-09-13");

    // A date column whose value is empty: unknown age, not fresh and not old.
    std::fs::write(
        dir.path().join("users.csv"),
        "email,updated_at\nana.test@example.org,\nbo.test@example.org,2020-01-01\n",
    )
    .unwrap();
    let (r, code) = retention_json(&["users.csv", "--max-age", "1y"], dir.path());
    assert_eq!(code, 1);
    let s = &r["stores"][0];
    assert_eq!(
        (s["over"].as_u64(), s["undated"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["date_field"], "updated_at");

    // stdin has no modification time.
    let out = piiscan()
        .args(["retention", "-", "--max-age", "1y", "--format", "json"])
        .write_stdin("mail ana.test@example.org\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["totals"]["records_undated"].as_u64(), Some(1));
    // No raw value in any report.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ana.test"));
}

#[test]
fn ndjson_records_are_dated_by_their_timestamp_key() {
    let dir = tempfile::tempdir().unwrap();
    let old = (NOW_DAYS - 800) * 86400 * 1000; // epoch milliseconds
    let recent = (NOW_DAYS - 10) * 86400 * 1000;
    std::fs::write(
        dir.path().join("events.ndjson"),
        format!(
            "{{\"timestamp\":{old},\"user\":{{\"email\":\"ana.test@example.org\"}}}}\n{{\"timestamp\":{recent},\"user\":{{\"email\":\"bo.test@example.org\"}}}}\n"
        ),
    )
    .unwrap();
    let (r, _) = retention_json(&["events.ndjson", "--max-age", "1y"], dir.path());
    let s = &r["stores"][0];
    assert_eq!(s["date_field"], "timestamp");
    assert_eq!(
        (s["over"].as_u64(), s["within"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["oldest"].as_str(), Some(ymd(NOW_DAYS - 800).as_str()));
}

#[test]
fn bad_limits_are_one_line_errors() {
    for bad in ["13", "13parsecs", "=1y"] {
        let out = piiscan()
            .args(["retention", "samples", "--max-age", bad])
            .current_dir(repo())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    let out = piiscan()
        .args(["retention", "samples"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn redact_older_than_in_a_dump_keeps_recent_rows() {
    let real = repo().join("../shared/realdata");
    let out_dir = tempfile::tempdir().unwrap();
    let out = piiscan()
        .current_dir(&real)
        .args([
            "redact",
            "chinook.pg_dump.sql",
            "--older-than",
            "1y",
            "--now",
            "2026-11-23",
        ])
        .arg("--out")
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let redacted = std::fs::read_to_string(out_dir.path().join("chinook.pg_dump.sql")).unwrap();
    let mut lines = redacted.lines();
    lines
        .by_ref()
        .find(|l| l.starts_with("COPY public.invoice ("))
        .expect("invoice block");
    let rows: Vec<&str> = lines.take_while(|l| *l != "\\.").collect();
    let originals = chinook_invoices();
    assert_eq!(rows.len(), originals.len());
    let (mut kept, mut replaced) = (0, 0);
    for (row, (date, address, _)) in rows.iter().zip(&originals) {
        let Some(address) = address else { continue };
        let field = row.split('\t').nth(3).unwrap();
        if date.as_str() >= "2025-11-23" {
            assert_eq!(field, address, "recent invoice of {date} changed");
            kept += 1;
        } else {
            assert_ne!(field, address, "old invoice of {date} kept");
            replaced += 1;
        }
    }
    assert!(
        kept > 0 && replaced > 300,
        "{kept} kept, {replaced} replaced"
    );
}
