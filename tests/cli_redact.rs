//! `piiscan redact` through the real binary: no leaks, nothing else changed, formats stay
//! valid, pseudonyms are consistent, in-place rewrites are atomic.

mod common;
use common::*;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn copy_samples(dst: &Path) {
    for sub in ["logs", "exports", "dumps"] {
        fs::create_dir_all(dst.join(sub)).unwrap();
        for e in fs::read_dir(repo().join("samples").join(sub)).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), dst.join(sub).join(e.file_name())).unwrap();
        }
    }
}

fn findings_of(path: &Path) -> Vec<serde_json::Value> {
    jsonl(
        &piiscan()
            .args(["scan", "--format", "jsonl", "--min-confidence", "medium"])
            .arg(path)
            .output()
            .unwrap()
            .stdout,
    )
}

#[test]
fn mirrored_copies_leak_nothing_and_change_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    piiscan()
        .current_dir(repo())
        .args(["redact", "samples", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let ndjson = "samples/exports/events.ndjson";
    assert!(
        findings_of(&out.join(ndjson)).is_empty(),
        "{ndjson} still has findings"
    );
    for line in fs::read_to_string(out.join(ndjson)).unwrap().lines() {
        // Bare JSON numbers (coordinates) become strings, so JSON lengths may change.
        serde_json::from_str::<serde_json::Value>(line).expect("NDJSON still parses");
    }
    for rel in [
        "samples/logs/app.log",
        "samples/exports/customers.csv",
        "samples/dumps/shop.sql",
    ] {
        let original = fs::read(repo().join(rel)).unwrap();
        let redacted = fs::read(out.join(rel)).unwrap();
        assert!(
            findings_of(&out.join(rel)).is_empty(),
            "{rel} still has findings"
        );
        // Mask keeps lengths: every byte outside a finding is unchanged, every finding's
        // letters and digits are gone.
        assert_eq!(original.len(), redacted.len(), "{rel}");
        let found = findings_of(&repo().join(rel));
        let spans: Vec<(usize, usize, bool)> = found
            .iter()
            .map(|f| {
                (
                    f["start"].as_u64().unwrap() as usize,
                    f["end"].as_u64().unwrap() as usize,
                    f["detector"] == "date_of_birth",
                )
            })
            .collect();
        assert!(!spans.is_empty());
        for &(s, e, date) in &spans {
            if date {
                // Dates keep a loadable shape: 1900-01-01.
                assert_eq!(&redacted[s..e], b"1900-01-01", "{rel}");
            }
        }
        for (i, (a, b)) in original.iter().zip(&redacted).enumerate() {
            match spans.iter().find(|&&(s, e, _)| i >= s && i < e) {
                None => assert_eq!(a, b, "{rel}: byte {i} changed outside a finding"),
                Some(&(_, _, false)) if a.is_ascii_alphanumeric() => {
                    assert_eq!(*b, b'*', "{rel}: byte {i} inside a finding kept")
                }
                _ => {}
            }
        }
    }
    // The README, which holds no personal data, is copied byte for byte.
    assert_eq!(
        fs::read(out.join("samples/README.md")).unwrap(),
        fs::read(repo().join("samples/README.md")).unwrap()
    );
}

#[test]
fn structured_files_stay_valid() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    piiscan()
        .current_dir(repo())
        .args(["redact", "samples/exports", "--out"])
        .arg(&out)
        .args([
            "--default-operator",
            "tag",
            "--operator",
            "financial=partial",
        ])
        .assert()
        .code(0);
    let read_csv = |p: &Path| -> Vec<Vec<String>> {
        csv::Reader::from_path(p)
            .unwrap()
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    };
    let before = read_csv(&repo().join("samples/exports/customers.csv"));
    let after = read_csv(&out.join("samples/exports/customers.csv"));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.len(), a.len());
        assert_eq!(b[0], a[0], "customer ids are not personal data here");
    }
    assert_eq!(after[0][3], "[EMAIL_1]");
    assert!(
        after[0][7].ends_with("32") && after[0][7].starts_with("****"),
        "partial IBAN: {}",
        after[0][7]
    );
    for line in fs::read_to_string(out.join("samples/exports/events.ndjson"))
        .unwrap()
        .lines()
    {
        serde_json::from_str::<serde_json::Value>(line).expect("NDJSON line still parses");
    }
}

#[test]
fn stdin_filter_keeps_every_line_and_matches_the_file_mode() {
    let log = fs::read(repo().join("samples/logs/app.log")).unwrap();
    let out = piiscan()
        .args(["redact", "-"])
        .write_stdin(log.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout.iter().filter(|&&b| b == b'\n').count(),
        log.iter().filter(|&&b| b == b'\n').count()
    );
    let dir = tempfile::tempdir().unwrap();
    piiscan()
        .current_dir(repo())
        .args(["redact", "samples/logs/app.log", "--out"])
        .arg(dir.path())
        .assert()
        .code(0);
    assert_eq!(
        out.stdout,
        fs::read(dir.path().join("samples/logs/app.log")).unwrap()
    );
    // Invalid UTF-8 passes through untouched; a line without a newline at the end is kept.
    let mut bytes = b"caf\xe9 \xff\xfe ok\n".to_vec();
    bytes.extend_from_slice(b"mail jane.doe@example.com");
    let out = piiscan()
        .args(["redact", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert_eq!(
        out.stdout,
        b"caf\xe9 \xff\xfe ok\nmail ****.***@*******.***"
    );
}

#[test]
fn pseudonyms_are_consistent_across_files_and_depend_on_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir(&src).unwrap();
    fs::write(src.join("a.csv"), "id,email\n1,Jane.Doe@example.com\n").unwrap();
    fs::write(
        src.join("b.ndjson"),
        "{\"user\":\"jane.doe@example.com\"}\n",
    )
    .unwrap();
    fs::write(
        src.join("c.log"),
        "login jane.doe@example.com ok\nlogin other@example.org\n",
    )
    .unwrap();
    let key = dir.path().join("key");
    fs::write(&key, "secret-key-1\n").unwrap();
    let run = |out: &str, envkey: Option<&str>| {
        let mut c = piiscan();
        c.current_dir(dir.path())
            .args(["redact", "src", "--operator", "email=hash", "--out", out]);
        match envkey {
            Some(k) => c.env("PIISCAN_KEY", k),
            None => c.arg("--key-file").arg(&key),
        };
        c.assert().code(0);
        ["a.csv", "b.ndjson", "c.log"]
            .map(|f| fs::read_to_string(dir.path().join(out).join("src").join(f)).unwrap())
    };
    let [a, b, c] = run("o1", None);
    let token = a
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .to_string();
    assert!(
        token.starts_with("email_") && token.len() == "email_".len() + 12,
        "{token}"
    );
    assert!(
        b.contains(&token) && c.contains(&token),
        "same value, same token in every file"
    );
    assert_eq!(c.matches("email_").count(), 2);
    assert!(
        !c.lines().nth(1).unwrap().contains(&token),
        "a different value gets a different token"
    );
    let [a2, ..] = run("o2", Some("secret-key-1"));
    assert_eq!(a, a2, "same key (file or env), same token across runs");
    let [a3, ..] = run("o3", Some("another-key"));
    assert!(!a3.contains(&token));
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "src", "--operator", "email=hash", "--out", "o4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("need a key"));
    assert!(!dir.path().join("o4").exists());
}

#[test]
fn inputs_are_never_written_without_in_place() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path());
    let before = fs::read(dir.path().join("logs/app.log")).unwrap();
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "logs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "logs", "--dry-run", "--report", "m.json"])
        .assert()
        .code(0);
    assert_eq!(fs::read(dir.path().join("logs/app.log")).unwrap(), before);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("m.json")).unwrap()).unwrap();
    assert_eq!(manifest["files"][0]["status"], "would_redact");
    assert!(manifest["totals"]["redacted"].as_u64().unwrap() > 5);
    let text = fs::read_to_string(dir.path().join("m.json")).unwrap();
    assert!(
        !text.contains("jane.doe") && !text.contains("4111"),
        "the manifest holds no values"
    );
    // An output folder inside the input tree is refused (it would be scanned as input).
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "logs", "--out", "logs/red"])
        .assert()
        .code(2);
}

#[test]
fn in_place_rewrites_atomically_with_backup_and_keeps_permissions() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path());
    let log = dir.path().join("logs/app.log");
    let before = fs::read(&log).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&log, fs::Permissions::from_mode(0o640)).unwrap();
    }
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "logs", "--in-place", "--backup", ".orig"])
        .assert()
        .code(0);
    assert_eq!(
        fs::read(dir.path().join("logs/app.log.orig")).unwrap(),
        before
    );
    assert!(findings_of(&log).is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&log).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("logs"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".piiscan-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn killed_in_place_run_leaves_every_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("data");
    fs::create_dir(&src).unwrap();
    let line = "2026-11-20 user jane.doe@example.com paid 4111 1111 1111 1111 from 203.0.113.9\n";
    let body = line.repeat(20_000);
    for i in 0..40 {
        fs::write(src.join(format!("f{i:02}.log")), &body).unwrap();
    }
    let expected_dir = dir.path().join("expected");
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "data", "--out"])
        .arg(&expected_dir)
        .assert()
        .code(0);
    let expected = fs::read(expected_dir.join("data/f00.log")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("piiscan");
    let mut child = std::process::Command::new(bin)
        .current_dir(dir.path())
        .args(["redact", "data", "--in-place", "-j", "1"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    child.kill().unwrap();
    let _ = child.wait();
    let mut redacted = 0;
    for i in 0..40 {
        let now = fs::read(src.join(format!("f{i:02}.log"))).unwrap();
        assert!(
            now == body.as_bytes() || now == expected,
            "f{i:02}.log is neither original nor fully redacted"
        );
        redacted += (now == expected) as usize;
    }
    assert!(
        redacted < 40,
        "the run was killed before it finished (got {redacted})"
    );
}

#[test]
fn unwritable_output_is_a_clear_error_and_symlinks_do_not_escape() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path());
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, "x").unwrap();
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "logs", "--out"])
        .arg(&blocker)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("logs/app.log"));
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "jane.doe@example.com\n").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("logs/link.txt"),
        )
        .unwrap();
        piiscan()
            .current_dir(dir.path())
            .args(["redact", "logs", "--out", "red"])
            .assert()
            .code(0);
        assert!(dir.path().join("red/logs/app.log").exists());
        assert!(
            !dir.path().join("red/logs/link.txt").exists(),
            "symlink out of the tree was followed"
        );
    }
}

#[test]
fn state_file_skips_processed_and_rotated_files_and_redoes_changed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir(&logs).unwrap();
    fs::write(logs.join("app.log"), "login jane.doe@example.com\n").unwrap();
    let run = || {
        piiscan()
            .current_dir(dir.path())
            .args([
                "redact",
                "logs",
                "--in-place",
                "--state",
                "state.json",
                "--report",
                "m.json",
            ])
            .assert()
            .code(0);
        let m: serde_json::Value =
            serde_json::from_slice(&fs::read(dir.path().join("m.json")).unwrap()).unwrap();
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["status"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        run(),
        [("logs/app.log".to_string(), "redacted".to_string())]
    );
    assert_eq!(
        run(),
        [("logs/app.log".to_string(), "already_processed".to_string())]
    );
    // Rotation: the redacted file moves to app.log.1, a new app.log starts.
    fs::rename(logs.join("app.log"), logs.join("app.log.1")).unwrap();
    fs::write(logs.join("app.log"), "login mark.twain@example.org\n").unwrap();
    let statuses = run();
    assert_eq!(
        statuses,
        [
            ("logs/app.log".to_string(), "redacted".to_string()),
            (
                "logs/app.log.1".to_string(),
                "already_processed".to_string()
            )
        ]
    );
    // An appended file is redone.
    let mut f = fs::OpenOptions::new()
        .append(true)
        .open(logs.join("app.log.1"))
        .unwrap();
    std::io::Write::write_all(&mut f, b"late entry erika@example.net\n").unwrap();
    drop(f);
    let statuses = run();
    assert_eq!(
        statuses[1],
        ("logs/app.log.1".to_string(), "redacted".to_string())
    );
    assert!(findings_of(&logs).is_empty());
    let state = fs::read_to_string(dir.path().join("state.json")).unwrap();
    assert!(!state.contains("example"), "the state holds no values");
}

#[test]
fn compressed_files_stay_compressed_and_clean() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir(&src).unwrap();
    let csv = fs::read(repo().join("samples/exports/customers.csv")).unwrap();
    let log = fs::read(repo().join("samples/logs/app.log")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&csv).unwrap();
    fs::write(src.join("customers.csv.gz"), gz.finish().unwrap()).unwrap();
    fs::write(
        src.join("app.log.zst"),
        zstd::encode_all(&log[..], 3).unwrap(),
    )
    .unwrap();
    piiscan()
        .current_dir(dir.path())
        .args(["redact", "src", "--out", "out"])
        .assert()
        .code(0);
    let mut plain_csv = Vec::new();
    flate2::read::GzDecoder::new(
        fs::File::open(dir.path().join("out/src/customers.csv.gz")).unwrap(),
    )
    .read_to_end(&mut plain_csv)
    .unwrap();
    let plain_log =
        zstd::decode_all(fs::File::open(dir.path().join("out/src/app.log.zst")).unwrap()).unwrap();
    assert_eq!(
        plain_log.iter().filter(|&&b| b == b'\n').count(),
        log.iter().filter(|&&b| b == b'\n').count()
    );
    assert_eq!(
        csv::Reader::from_reader(plain_csv.as_slice())
            .records()
            .count(),
        5
    );
    assert!(
        findings_of(&dir.path().join("out")).is_empty(),
        "compressed outputs still hold personal data"
    );
    assert!(!String::from_utf8_lossy(&plain_csv).contains("jane.doe"));
}

/// Member names and contents of a zip.
fn zip_members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .filter_map(|i| {
            let mut m = z.by_index(i).unwrap();
            if !m.is_file() {
                return None;
            }
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut m, &mut data).unwrap();
            Some((m.name().to_string(), data))
        })
        .collect()
}

#[test]
fn archives_are_redacted_member_by_member_into_the_same_format() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = fs::read(repo().join("samples/exports/customers.csv")).unwrap();
    let log = fs::read(repo().join("samples/logs/app.log")).unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRbinary".to_vec();
    let members: Vec<(&str, &[u8])> = vec![
        ("exports/customers.csv", &csv),
        ("logs/app.log", &log),
        ("img/logo.png", &png),
        // A hostile name: redaction never extracts, so it cannot land outside the output.
        ("../../escaped.csv", &csv),
    ];
    let mut zip = zip::ZipWriter::new(fs::File::create(d.join("backup.zip")).unwrap());
    for (name, data) in &members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    let gz = flate2::write::GzEncoder::new(
        fs::File::create(d.join("backup.tar.gz")).unwrap(),
        flate2::Compression::default(),
    );
    let mut tar = tar::Builder::new(gz);
    for (name, data) in members.iter().take(3) {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o640);
        h.set_cksum();
        tar.append_data(&mut h, name, *data).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
    assert!(!findings_of(&d.join("backup.zip")).is_empty());

    let out = d.join("out");
    let manifest = d.join("manifest.json");
    piiscan()
        .current_dir(d)
        .env("PIISCAN_KEY", "k")
        .args(["redact", "backup.zip", "backup.tar.gz", "--out"])
        .arg(&out)
        .arg("--report")
        .arg(&manifest)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("backup.zip!/img/logo.png: binary"));

    // Nothing personal is left in either copy, and nothing was written outside `out`.
    for name in ["backup.zip", "backup.tar.gz"] {
        let copy = out.join(name);
        assert!(copy.is_file(), "{name}");
        assert!(findings_of(&copy).is_empty(), "{name} still has findings");
    }
    assert!(
        !d.join("escaped.csv").exists()
            && !dir.path().parent().unwrap().join("escaped.csv").exists()
    );
    // The zip keeps its text members (the image is left out and listed), CSV rows intact.
    let zipped = zip_members(&out.join("backup.zip"));
    let names: Vec<&str> = zipped.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["exports/customers.csv", "logs/app.log", "../../escaped.csv"]
    );
    let rows = |b: &[u8]| csv::Reader::from_reader(b).records().count();
    assert_eq!(rows(&zipped[0].1), rows(&csv));
    assert_eq!(
        String::from_utf8_lossy(&zipped[1].1).lines().count(),
        String::from_utf8_lossy(&log).lines().count()
    );
    // The tar.gz is still a gzip'd tar with the same text members and modes.
    let mut t = tar::Archive::new(flate2::read::GzDecoder::new(
        fs::File::open(out.join("backup.tar.gz")).unwrap(),
    ));
    let mut tar_names = Vec::new();
    for e in t.entries().unwrap() {
        let e = e.unwrap();
        assert_eq!(e.header().mode().unwrap(), 0o640);
        tar_names.push(e.path().unwrap().to_string_lossy().into_owned());
    }
    assert_eq!(tar_names, ["exports/customers.csv", "logs/app.log"]);
    let m: serde_json::Value = serde_json::from_slice(&fs::read(&manifest).unwrap()).unwrap();
    let text = m.to_string();
    assert!(
        text.contains("img/logo.png") && text.contains("not copied"),
        "{text}"
    );
}

#[test]
fn utf16_files_are_redacted_in_their_own_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = fs::read_to_string(repo().join("samples/exports/customers.csv")).unwrap();
    let log = fs::read_to_string(repo().join("samples/logs/app.log")).unwrap();
    let mut le = vec![0xFF, 0xFE];
    le.extend(csv.encode_utf16().flat_map(u16::to_le_bytes));
    let be: Vec<u8> = log.encode_utf16().flat_map(u16::to_be_bytes).collect();
    fs::write(d.join("export-utf16le.csv"), &le).unwrap();
    fs::write(d.join("app-utf16be.log"), &be).unwrap();
    let mut odd = be.clone();
    odd.push(b'x');
    fs::write(d.join("broken-utf16.log"), &odd).unwrap();
    assert!(!findings_of(&d.join("export-utf16le.csv")).is_empty());

    let out = d.join("out");
    let run = piiscan()
        .current_dir(d)
        .args([
            "redact",
            "export-utf16le.csv",
            "app-utf16be.log",
            "broken-utf16.log",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    // The malformed one is refused (exit 2, one line naming it), the others written.
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("broken-utf16.log: malformed UTF-16"), "{err}");
    assert!(!out.join("broken-utf16.log").exists());

    let red_le = fs::read(out.join("export-utf16le.csv")).unwrap();
    assert!(red_le.starts_with(&[0xFF, 0xFE]), "BOM kept");
    let units: Vec<u16> = red_le[2..]
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("valid UTF-16LE");
    assert_eq!(
        csv::Reader::from_reader(text.as_bytes()).records().count(),
        csv::Reader::from_reader(csv.as_bytes()).records().count()
    );
    let red_be = fs::read(out.join("app-utf16be.log")).unwrap();
    assert_ne!(red_be.first(), Some(&0xFE), "no BOM added");
    let units: Vec<u16> = red_be
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("valid UTF-16BE");
    assert_eq!(text.lines().count(), log.lines().count());
    for f in ["export-utf16le.csv", "app-utf16be.log"] {
        assert!(
            findings_of(&out.join(f)).is_empty(),
            "{f} still has findings"
        );
    }
}

#[test]
fn fpe_keeps_formats_and_unredact_restores_the_exact_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("in")).unwrap();
    let mut csv = String::from("id,email,phone,card,iban,birth_date,cvv\n");
    let cards = [
        "4111 1111 1111 1111",
        "5500 0055 5555 5559",
        "6011 1111 1111 1117",
    ];
    let ibans = ["DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32"];
    for i in 0..30 {
        csv.push_str(&format!(
            "{i},user{i}.name@example.com,+44 20 7946 0{:03},{},{},19{:02}-0{}-1{},12{}\n",
            i,
            cards[i % 3],
            ibans[i % 2],
            50 + i,
            1 + i % 9,
            i % 10,
            i % 10
        ));
    }
    fs::write(d.join("in/people.csv"), &csv).unwrap();
    let json =
        "{\"user\":{\"email\":\"ada.lovelace@example.org\",\"card\":\"4111111111111111\"}}\n";
    fs::write(d.join("in/event.ndjson"), json).unwrap();

    let redact = |key: &str| {
        piiscan()
            .current_dir(d)
            .env("PIISCAN_KEY", key)
            .args(["redact", "in", "--default-operator", "fpe", "--out", "red"])
            .args(["--report", "manifest.json"])
            .assert()
            .code(0);
    };
    redact("fpe-test-key");
    let red = fs::read_to_string(d.join("red/in/people.csv")).unwrap();
    assert_ne!(red, csv);
    assert_eq!(red.len(), csv.len(), "lengths are kept");
    // Same rows and columns; cards and IBANs still valid (found again at high confidence),
    // dates still dates; the three-digit CVVs could not be encrypted and were masked.
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(red.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 30);
    for r in &rows {
        assert!(r[1].ends_with("@example.com"));
        assert_eq!(r[6].len(), 3);
        assert!(r[6].chars().all(|c| c == '*'), "cvv {}", &r[6]);
        let date: Vec<u32> = r[5].split('-').map(|p| p.parse().unwrap()).collect();
        assert!((1900..2100).contains(&date[0]) && (1..=12).contains(&date[1]));
    }
    let found = findings_of(&d.join("red/in/people.csv"));
    let high = |det: &str| {
        found
            .iter()
            .filter(|f| f["detector"] == det && f["confidence"] == "high")
            .count()
    };
    assert_eq!(high("credit_card"), 30);
    assert_eq!(high("iban"), 30);
    let red_json = fs::read_to_string(d.join("red/in/event.ndjson")).unwrap();
    serde_json::from_str::<serde_json::Value>(&red_json).expect("JSON still parses");

    // unredact with the key gives back the original bytes; the manifest never holds values.
    let manifest = fs::read_to_string(d.join("manifest.json")).unwrap();
    assert!(!manifest.contains("example.com") && !manifest.contains("4111"));
    piiscan()
        .current_dir(d.join("red"))
        .env("PIISCAN_KEY", "fpe-test-key")
        .args(["unredact", "in/people.csv", "in/event.ndjson"])
        .args(["--manifest", "../manifest.json", "--out", "../back"])
        .assert()
        .code(0);
    // The CVVs were masked, not encrypted: everything else comes back exactly.
    let back = fs::read_to_string(d.join("back/in/people.csv")).unwrap();
    for (b, o) in back.lines().zip(csv.lines()).skip(1) {
        let (b, o) = (b.rsplit_once(',').unwrap().0, o.rsplit_once(',').unwrap().0);
        assert_eq!(b, o);
    }
    assert_eq!(
        fs::read_to_string(d.join("back/in/event.ndjson")).unwrap(),
        json
    );

    // A wrong key, or a file changed since redaction, is refused — nothing is written.
    piiscan()
        .current_dir(d.join("red"))
        .env("PIISCAN_KEY", "another key")
        .args([
            "unredact",
            "in/people.csv",
            "--manifest",
            "../manifest.json",
            "--out",
            "../x",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not the key"));
    fs::write(d.join("red/in/event.ndjson"), red_json.replace('}', "} ")).unwrap();
    piiscan()
        .current_dir(d.join("red"))
        .env("PIISCAN_KEY", "fpe-test-key")
        .args([
            "unredact",
            "in/event.ndjson",
            "--manifest",
            "../manifest.json",
            "--out",
            "../y",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("changed since redaction"));
    assert!(!d.join("x").exists() && !d.join("y").exists());
    // Value mode: one value back, printed only with --reveal.
    let enc_card = rows[0][3].to_string();
    piiscan()
        .env("PIISCAN_KEY", "fpe-test-key")
        .args([
            "unredact",
            "--detector",
            "credit_card",
            "--reveal",
            &enc_card,
        ])
        .assert()
        .code(0)
        .stdout(format!("{}\n", cards[0]));
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut big = String::new();
    for i in 0..4000 {
        big.push_str(&format!(
            "2026-11-01T10:00:00Z user{i}@example.com logged in from 198.51.100.{}\n",
            i % 250
        ));
    }
    fs::write(d.join("app.log"), &big).unwrap();

    // Standard output that cannot take the data: an error, exit 2, no panic.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("piiscan"))
        .env_remove("PIISCAN_KEY")
        .args(["redact", "-"])
        .stdin(fs::File::open(d.join("app.log")).unwrap())
        .stdout(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("No space left") || err.contains("no space left"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // A 64 KiB file system (tmpfs; the test runs as root in CI) for --out and --in-place.
    let full = d.join("full");
    fs::create_dir_all(&full).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&full)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none(),
            "cannot mount a small tmpfs (CI runs as root and must be able to)"
        );
        eprintln!("NOTE: not root: the --out/--in-place part of this test needs a tmpfs mount");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(full.clone());
    let out = piiscan()
        .current_dir(d)
        .args(["redact", "app.log", "--out"])
        .arg(full.join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("app.log")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].to_lowercase().contains("no space left"), "{err}");
    let leftovers: Vec<_> = files_under(&full);
    assert!(leftovers.is_empty(), "partial files left: {leftovers:?}");

    // In place on the full file system: the original stays whole.
    let small: String = big.lines().take(600).map(|l| format!("{l}\n")).collect();
    let target = full.join("small.log");
    fs::write(&target, &small).unwrap();
    // Fill what is left, so the temp copy cannot be written.
    let _ = fs::write(full.join("filler"), vec![b'x'; 64 << 10]);
    piiscan()
        .args(["redact", "--in-place"])
        .arg(&target)
        .assert()
        .code(2);
    assert_eq!(fs::read_to_string(&target).unwrap(), small);
    assert!(files_under(&full)
        .iter()
        .all(|p| !p.to_string_lossy().contains(".piiscan-")));
}
