//! `piiscan scan` through the real binary: findings, formats, flags, exit codes, bad inputs.

mod common;
use common::*;
use predicates::prelude::*;
use std::fs;

const LOG: &str = "samples/logs/app.log";

fn scan_jsonl(args: &[&str]) -> (Vec<serde_json::Value>, i32) {
    let out = piiscan()
        .current_dir(repo())
        .arg("scan")
        .args(args)
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    (jsonl(&out.stdout), out.status.code().unwrap_or(-1))
}

#[test]
fn finds_the_personal_data_planted_in_the_sample_log_at_the_right_bytes() {
    let (found, code) = scan_jsonl(&[LOG, "--reveal"]);
    assert_eq!(code, 1, "findings mean exit 1");
    let path = repo().join(LOG);
    let bytes = fs::read(&path).unwrap();
    let expect = [
        ("email", "jane.doe@example.com"),
        ("email", "mark.twain@example.org"),
        ("ipv6", "2001:db8:85a3::8a2e:370:7334"),
        ("credit_card", "4111 1111 1111 1111"),
        ("card_cvv", "123"),
        ("phone", "+44 20 7946 0958"),
        ("phone", "020 7946 0123"),
        ("iban", "GB82 WEST 1234 5698 7654 32"),
        ("us_ssn", "078-05-1120"),
        ("api_key.aws", "AKIAIOSFODNN7EXAMPLE"),
        ("mac_address", "00:1a:2b:3c:4d:5e"),
        ("date_of_birth", "1984-07-23"),
        ("ipv4", "203.0.113.42"),
        ("password", "Sup3rS3cret!@db.internal:5432/shop"),
    ];
    for (det, value) in expect {
        let start = offset_of(&path, value, 0);
        let f = found
            .iter()
            .find(|f| f["detector"] == det && f["start"] == start as u64)
            .unwrap_or_else(|| panic!("{det} {value} at {start} not found"));
        assert_eq!(f["end"], (start + value.len()) as u64);
        assert_eq!(f["value"], value);
        let (line, col) = line_col(&bytes, start);
        assert_eq!(
            (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
            (line, col),
            "{det}"
        );
    }
    // The JWT's personal claims are named (not their values).
    let jwt = found.iter().find(|f| f["detector"] == "jwt").unwrap();
    assert_eq!(jwt["claims"], serde_json::json!(["name", "sub"]));
    // Version strings, build numbers and durations are not personal data.
    for f in &found {
        let v = f["value"].as_str().unwrap();
        assert!(
            !v.contains("2.14.3.1") && !v.contains("10.4.2.1") && v != "1234567",
            "false positive {f}"
        );
    }
}

#[test]
fn findings_are_masked_unless_reveal() {
    let (found, _) = scan_jsonl(&[LOG]);
    assert!(!found.is_empty());
    let raw = fs::read_to_string(repo().join(LOG)).unwrap();
    for f in &found {
        assert!(f.get("value").is_none());
        let masked = f["masked"].as_str().unwrap();
        let span = &raw.as_bytes()
            [f["start"].as_u64().unwrap() as usize..f["end"].as_u64().unwrap() as usize];
        assert_ne!(
            masked.as_bytes(),
            span,
            "masked value equals the raw value: {masked}"
        );
        for key in [
            "path",
            "start",
            "end",
            "line",
            "column",
            "detector",
            "category",
            "sensitivity",
            "confidence",
            "location",
        ] {
            assert!(f.get(key).is_some(), "missing {key}");
        }
    }
    let email = found.iter().find(|f| f["detector"] == "email").unwrap();
    assert_eq!(email["masked"], "j*******@e******.com");
    let text = piiscan()
        .current_dir(repo())
        .args(["scan", LOG])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(!stdout.contains("jane.doe@example.com") && !stdout.contains("078-05-1120"));
    assert!(
        stdout.contains(&format!("{LOG}:2:")),
        "grep-like lines when piped"
    );
}

#[test]
fn clean_input_exits_zero_and_stdin_is_scanned() {
    piiscan()
        .args(["scan", "-"])
        .write_stdin("nothing to see here\nversion 1.2.3.4\n")
        .assert()
        .code(0);
    piiscan()
        .args(["scan", "-", "--format", "jsonl"])
        .write_stdin("hello\nmail me: someone@example.org\n")
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("\"path\":\"-\"").and(predicate::str::contains("\"line\":2")),
        );
}

#[test]
fn unreadable_inputs_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, "contact: jane.doe@example.com\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("broken-link")).unwrap();
    let out = piiscan()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path().join("missing.txt"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "an error sets exit 2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing.txt: no such file or directory"),
        "{stderr}"
    );
    let found = jsonl(&out.stdout);
    assert_eq!(found.len(), 1, "the good file was still scanned");
    assert!(found[0]["path"].as_str().unwrap().ends_with("good.txt"));
}

#[test]
fn binary_files_are_skipped_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(b" owner jane.doe@example.com \0\0");
    fs::write(dir.path().join("img.png"), &bytes).unwrap();
    piiscan()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 skipped (1 binary)"));
    piiscan()
        .arg("scan")
        .arg("--binary")
        .arg(dir.path())
        .assert()
        .code(1);
    let out = piiscan()
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["skipped"][0]["reason"], "binary");
}

#[test]
fn utf16_and_latin1_files_report_offsets_in_the_stored_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Name: Zoë\r\nmail: zoe@example.net\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let p16 = dir.path().join("export16.txt");
    fs::write(&p16, &utf16).unwrap();
    let out = piiscan()
        .args(["scan", "--format", "jsonl", "--reveal"])
        .arg(&p16)
        .output()
        .unwrap();
    let found = jsonl(&out.stdout);
    assert_eq!(found.len(), 1, "{found:?}");
    let char_offset = text.find("zoe@").unwrap() - 1; // 'ë' is one UTF-16 unit but two UTF-8 bytes
    assert_eq!(found[0]["start"], (2 + 2 * char_offset) as u64);
    assert_eq!(
        found[0]["end"],
        (2 + 2 * (char_offset + "zoe@example.net".len())) as u64
    );
    assert_eq!(found[0]["line"], 2);
    assert_eq!(found[0]["value"], "zoe@example.net");

    let mut latin1 = b"Stra\xdfe 1, Gr\xfcn \xe9t\xe9\n".to_vec();
    let at = latin1.len();
    latin1.extend_from_slice(b"mail: zoe@example.net\n");
    let pl = dir.path().join("latin1.txt");
    fs::write(&pl, &latin1).unwrap();
    let found = jsonl(
        &piiscan()
            .args(["scan", "--format", "jsonl"])
            .arg(&pl)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["start"], (at + 6) as u64);
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, b"").unwrap();
    piiscan().arg("scan").arg(&empty).assert().code(0);
}

#[test]
fn matches_across_chunk_boundaries_are_found_once_with_exact_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let chunk = 16 * 1024;
    let mut data = Vec::new();
    let mut expected = Vec::new();
    let mut i = 0;
    while data.len() < 20 * chunk {
        // Put an address straddling every chunk boundary, and some in between.
        let boundary = (data.len() / chunk + 1) * chunk;
        while data.len() + 40 < boundary - 10 {
            data.extend_from_slice(b"filler text without personal data 0123\n");
        }
        while data.len() < boundary - 10 {
            data.push(b'x');
        }
        data.push(b' ');
        expected.push(data.len());
        data.extend_from_slice(format!("user{i}@example.com").as_bytes());
        data.extend_from_slice(b" tail\n");
        i += 1;
    }
    let p = dir.path().join("big.log");
    fs::write(&p, &data).unwrap();
    for args in [
        vec!["--chunk-size", "16KB"],
        vec!["--chunk-size", "16KB", "--threads", "1"],
        vec![],
    ] {
        let out = piiscan()
            .args(["scan", "--format", "jsonl", "--only", "email"])
            .args(&args)
            .arg(&p)
            .output()
            .unwrap();
        let found = jsonl(&out.stdout);
        let starts: Vec<usize> = found
            .iter()
            .map(|f| f["start"].as_u64().unwrap() as usize)
            .collect();
        assert_eq!(starts, expected, "args {args:?}");
        for f in &found {
            let (line, col) = line_col(&data, f["start"].as_u64().unwrap() as usize);
            assert_eq!(f["line"], line);
            assert_eq!(f["column"], col);
        }
    }
    // The same through stdin (streamed in blocks).
    let out = piiscan()
        .args([
            "scan",
            "-",
            "--format",
            "jsonl",
            "--only",
            "email",
            "--chunk-size",
            "16KB",
        ])
        .write_stdin(data.clone())
        .output()
        .unwrap();
    let starts: Vec<usize> = jsonl(&out.stdout)
        .iter()
        .map(|f| f["start"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(starts, expected);
}

#[test]
fn one_long_line_without_newline_is_scanned_in_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = vec![b'a'; 300_000];
    data.extend_from_slice(b" jane.doe@example.com ");
    data.extend(std::iter::repeat_n(b'b', 300_000));
    data.extend_from_slice(b" card 4111111111111111");
    let p = dir.path().join("oneline.txt");
    fs::write(&p, &data).unwrap();
    let out = piiscan()
        .args(["scan", "--format", "jsonl", "--chunk-size", "32KB"])
        .arg(&p)
        .output()
        .unwrap();
    let found = jsonl(&out.stdout);
    let dets: Vec<&str> = found
        .iter()
        .map(|f| f["detector"].as_str().unwrap())
        .collect();
    assert_eq!(dets, ["email", "credit_card"]);
    assert_eq!(found[0]["start"], 300_001);
    assert_eq!(found[0]["column"], 300_002);
    assert_eq!(found[1]["line"], 1);
}

#[test]
fn only_skip_and_min_confidence_select_detectors() {
    let (found, _) = scan_jsonl(&[LOG, "--only", "email"]);
    assert!(!found.is_empty() && found.iter().all(|f| f["detector"] == "email"));
    let (found, _) = scan_jsonl(&[LOG, "--only", "credentials"]);
    assert!(found.iter().all(|f| f["category"] == "credentials"));
    assert!(found.iter().any(|f| f["detector"] == "api_key.aws"));
    let (found, _) = scan_jsonl(&[LOG, "--only", "api_key"]);
    assert!(found
        .iter()
        .all(|f| f["detector"].as_str().unwrap().starts_with("api_key.")));
    let (found, _) = scan_jsonl(&[LOG, "--skip", "email,ipv4"]);
    assert!(found
        .iter()
        .all(|f| f["detector"] != "email" && f["detector"] != "ipv4"));
    let (high, _) = scan_jsonl(&[LOG, "--min-confidence", "high"]);
    let (low, _) = scan_jsonl(&[LOG, "--min-confidence", "low"]);
    assert!(high.iter().all(|f| f["confidence"] == "high"));
    assert!(low.len() > high.len());
    piiscan()
        .args(["scan", LOG, "--min-confidence", "sure"])
        .current_dir(repo())
        .assert()
        .code(2);
}

#[test]
fn include_exclude_and_max_filesize_filter_files() {
    let (found, _) = scan_jsonl(&["samples", "-g", "*.csv"]);
    assert!(
        !found.is_empty()
            && found
                .iter()
                .all(|f| f["path"].as_str().unwrap().ends_with(".csv"))
    );
    let (found, _) = scan_jsonl(&["samples", "--exclude", "*.csv", "--exclude", "logs/**"]);
    assert!(found
        .iter()
        .all(|f| !f["path"].as_str().unwrap().ends_with(".csv")));
    assert!(found
        .iter()
        .all(|f| !f["path"].as_str().unwrap().contains("logs/")));
    let out = piiscan()
        .current_dir(repo())
        .args(["scan", "samples", "--max-filesize", "100"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped"));
}

#[test]
fn threads_do_not_change_results_or_their_order() {
    let one = piiscan()
        .current_dir(repo())
        .args(["scan", "samples", "--format", "jsonl", "-j", "1"])
        .output()
        .unwrap();
    let many = piiscan()
        .current_dir(repo())
        .args(["scan", "samples", "--format", "jsonl", "-j", "4"])
        .output()
        .unwrap();
    assert_eq!(one.stdout, many.stdout);
    assert!(!one.stdout.is_empty());
}

#[test]
fn output_formats_csv_json_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("out.csv");
    piiscan()
        .current_dir(repo())
        .args(["scan", LOG, "--format", "csv", "-o"])
        .arg(&csv_path)
        .assert()
        .code(1);
    let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "path");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let (jl, _) = scan_jsonl(&[LOG]);
    assert_eq!(rows.len(), jl.len());
    let out = piiscan()
        .current_dir(repo())
        .args(["scan", LOG, "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["findings"].as_array().unwrap().len(), jl.len());
    assert_eq!(doc["summary"]["files"], 1);
}

#[test]
fn sarif_has_the_structure_code_scanning_requires() {
    let out = piiscan()
        .current_dir(repo())
        .args(["scan", "samples", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif"));
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "piiscan");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string()));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("samples/"));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn config_allowlist_and_inline_ignore_suppress_findings() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    fs::write(&f, "one jane.doe@example.com\ntwo test@allowed.example\nthree card 4111111111111111 piiscan:ignore\n").unwrap();
    let cfg = dir.path().join("piiscan.toml");
    fs::write(
        &cfg,
        "[allowlist]\nvalues = [\"JANE.DOE@example.com\"]\nregexes = ['@allowed\\.example$']\n",
    )
    .unwrap();
    let found = jsonl(
        &piiscan()
            .args(["scan", "--format", "jsonl"])
            .arg(&f)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(found.len(), 2, "the ignore marker silences the card line");
    piiscan()
        .args(["scan", "--config"])
        .arg(&cfg)
        .arg(&f)
        .assert()
        .code(0);
    // piiscan.toml in the working directory is picked up by default.
    piiscan()
        .current_dir(dir.path())
        .args(["scan", "a.txt"])
        .assert()
        .code(0);
    fs::write(&cfg, "[scan]\nbogus = 1\n").unwrap();
    piiscan()
        .args(["scan", "--config"])
        .arg(&cfg)
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("piiscan.toml"));
}

#[test]
fn baseline_suppresses_known_findings_and_stores_no_values() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    fs::write(&f, "jane.doe@example.com\n").unwrap();
    let base = dir.path().join("baseline.json");
    piiscan()
        .args(["scan", "--write-baseline"])
        .arg(&base)
        .arg(&f)
        .assert()
        .code(0);
    let text = fs::read_to_string(&base).unwrap();
    assert!(!text.contains("jane") && !text.contains("example.com"));
    piiscan()
        .args(["scan", "--baseline"])
        .arg(&base)
        .arg(&f)
        .assert()
        .code(0);
    fs::write(&f, "jane.doe@example.com\nnew.person@example.org\n").unwrap();
    let out = piiscan()
        .args(["scan", "--format", "jsonl", "--baseline"])
        .arg(&base)
        .arg(&f)
        .output()
        .unwrap();
    let found = jsonl(&out.stdout);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["line"], 2);
    // With a key, the fingerprint depends on it.
    let keyed = dir.path().join("keyed.json");
    piiscan()
        .env("PIISCAN_KEY", "k1")
        .args(["scan", "--write-baseline"])
        .arg(&keyed)
        .arg(&f)
        .assert()
        .code(0);
    piiscan()
        .env("PIISCAN_KEY", "k1")
        .args(["scan", "--baseline"])
        .arg(&keyed)
        .arg(&f)
        .assert()
        .code(0);
    piiscan()
        .env("PIISCAN_KEY", "k2")
        .args(["scan", "--baseline"])
        .arg(&keyed)
        .arg(&f)
        .assert()
        .code(1);
}

#[test]
fn patterns_list_and_check() {
    let out = piiscan()
        .args(["patterns", "list", "--json"])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for id in [
        "email",
        "phone",
        "credit_card",
        "card_cvv",
        "iban",
        "us_ssn",
        "jwt",
        "api_key.aws",
        "ipv6",
        "in_aadhaar",
    ] {
        assert!(rows.iter().any(|r| r["id"] == id), "{id} missing");
    }
    assert!(rows.iter().all(
        |r| r["examples"].as_u64().unwrap() > 0 && r["negative_examples"].as_u64().unwrap() > 0
    ));
    piiscan()
        .args(["patterns", "check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok:"));
    piiscan()
        .current_dir(repo())
        .args(["patterns", "check", "patterns"])
        .assert()
        .code(0);

    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("custom.toml");
    fs::write(
        &pack,
        employee_pack(
            r#"negative_examples = ["EMP-12", "EMP-123456 but this one should not match"]"#,
        ),
    )
    .unwrap();
    piiscan()
        .args(["patterns", "check"])
        .arg(&pack)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("negative example detected"));
    let f = dir.path().join("hr.txt");
    fs::write(&f, "badge EMP-123456\n").unwrap();
    let found = jsonl(
        &piiscan()
            .args(["scan", "--format", "jsonl", "--patterns"])
            .arg(&pack)
            .arg(&f)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(found[0]["detector"], "employee_id");
    fs::write(&pack, "[[detector]]\nid = \"x\"\n").unwrap();
    piiscan()
        .args(["patterns", "check"])
        .arg(&pack)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("custom.toml"));
    // A user's pack is compiled before anything is read (built-in packs compile on first
    // use): a bad look-behind regex ends the run with the detector named.
    fs::write(
        &pack,
        employee_pack("negative_examples = [\"EMP-12\"]\nreject_before = '''[a-z'''"),
    )
    .unwrap();
    piiscan()
        .args(["scan", "--patterns"])
        .arg(&pack)
        .arg(&f)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("employee_id").and(predicate::str::contains("reject_before")),
        );
}

/// A user's pack with one detector (`EMP-` and six digits) and the lines in `rest`.
fn employee_pack(rest: &str) -> String {
    format!(
        r#"[[detector]]
id = "employee_id"
category = "identity"
sensitivity = "personal"
trigger = "literal"
literals = ["EMP-"]
regex = '''\bEMP-\d{{6}}\b'''
confidence = "high"
examples = ["badge EMP-123456"]
{rest}
"#
    )
}

#[test]
fn readme_demo_command_runs_on_the_samples() {
    let out = piiscan()
        .current_dir(repo())
        .args(["scan", "samples/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // Every file, with the workbook's two sheets counted apart (like archive members).
    fn count(dir: &std::path::Path) -> usize {
        fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| match e.file_type().unwrap().is_dir() {
                true => count(&e.path()),
                false => 1,
            })
            .sum()
    }
    let files = count(&repo().join("samples")) + 1;
    assert!(err.contains(&format!("in {files} files")), "{err}");
}

/// Runs the binary with its stdout closed before it writes anything (`… | head -0`): returns
/// the exit code and stderr.
fn with_stdout_closed(args: &[&str]) -> (i32, String) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("piiscan"))
        .current_dir(repo())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_reader_that_goes_away_ends_listings_and_scans_quietly() {
    let (code, err) = with_stdout_closed(&["patterns", "list"]);
    assert_eq!((code, err.as_str()), (0, ""), "patterns list");
    // The scan stops at the first finding it cannot write; the exit code still says found.
    for format in ["text", "jsonl", "csv"] {
        let (code, err) = with_stdout_closed(&["scan", "--format", format, LOG]);
        assert_eq!((code, err.as_str()), (1, ""), "scan --format {format}");
    }
}

/// `piiscan scan -` reports findings block by block while its input is still open (a log
/// stream may never end), and counts lines across blocks.
#[test]
fn stdin_findings_arrive_while_the_stream_is_still_open() {
    use std::io::{BufRead, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("piiscan"))
        .args([
            "scan",
            "--format",
            "jsonl",
            "--no-progress",
            "--chunk-size",
            "64K",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Well over a block and its overlap: 4000 lines, an address on every 100th.
    let mut text = String::new();
    for i in 0..4000 {
        if i % 100 == 0 {
            text.push_str(&format!(
                "line {i} contact stream.user{i}@mail-example.com\n"
            ));
        } else {
            text.push_str(&format!(
                "line {i} request served in {i} ms without incident\n"
            ));
        }
    }
    stdin.write_all(text.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("a finding before the input ended");
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (first["detector"].as_str(), first["line"].as_u64()),
        (Some("email"), Some(1))
    );
    drop(stdin);
    let rest: Vec<serde_json::Value> = rx
        .iter()
        .map(|l| serde_json::from_str(&l).unwrap())
        .collect();
    assert_eq!(child.wait().unwrap().code(), Some(1));
    let lines: Vec<u64> = std::iter::once(&first)
        .chain(&rest)
        .filter(|f| f["detector"] == "email")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (0..40).map(|k| k * 100 + 1).collect::<Vec<u64>>());
}
