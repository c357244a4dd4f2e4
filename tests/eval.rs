//! `piiscan eval` on the seeded labelled corpus (benches/gen_labeled.py: a log, CSV, NDJSON, a
//! SQL dump and four-language support tickets, with hard negatives): the accuracy floors of the
//! detector families hold, and the scoring itself counts misses and false alarms.

mod common;
use common::{piiscan, repo};
use std::process::Command;

fn eval(dir: &std::path::Path, labels: &std::path::Path) -> serde_json::Value {
    let out = piiscan()
        .args(["eval", "--format", "json", "--labels"])
        .arg(labels)
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON scores")
}

fn generate(dir: &std::path::Path) {
    let ok = Command::new("python3")
        .arg(repo().join("benches/gen_labeled.py"))
        .arg(dir)
        .args(["7", "400"])
        .status()
        .expect("python3 (CI has it)")
        .success();
    assert!(ok, "gen_labeled.py failed");
}

#[test]
fn family_floors_hold_on_the_labelled_corpus() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path());
    let scores = eval(dir.path(), &dir.path().join("labels.jsonl"));
    let f1 = |family: &str| scores["families"][family]["f1"].as_f64().unwrap_or(0.0);
    let report = serde_json::to_string_pretty(&scores["families"]).unwrap();
    assert!(f1("validated identifiers") >= 0.97, "{report}");
    assert!(f1("names") >= 0.85, "{report}");
    assert!(f1("special categories") >= 0.8, "{report}");
    assert!(f1("dates of birth") >= 0.9, "{report}");
    assert!(scores["families"]["names"]["labels"].as_u64().unwrap() > 500);

    // Names in name columns (CSV, SQL dump) and in prose (log, tickets), scored apart.
    let all = std::fs::read_to_string(dir.path().join("labels.jsonl")).unwrap();
    for (files, floor) in [
        (&["customers.csv", "shop.sql"][..], 0.95),
        (&["app.log", "tickets.txt"][..], 0.85),
    ] {
        let sub = tempfile::tempdir().unwrap();
        for f in files {
            std::fs::copy(dir.path().join(f), sub.path().join(f)).unwrap();
        }
        let kept: String = all
            .lines()
            .filter(|l| {
                files
                    .iter()
                    .any(|f| l.contains(&format!("\"path\": \"{f}\"")))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(!kept.is_empty(), "no labels for {files:?}");
        let lf = dir.path().join("subset.jsonl");
        std::fs::write(&lf, kept).unwrap();
        let s = eval(sub.path(), &lf);
        let names = &s["detectors"]["person_name"];
        assert!(names["f1"].as_f64().unwrap() >= floor, "{files:?}: {names}");
    }
}

#[test]
fn misses_and_false_alarms_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let text = "mail ana.test@example.org\nbuild 2026.11.23 ok\n";
    std::fs::write(dir.path().join("a.log"), text).unwrap();
    let start = text.find("ana.test").unwrap();
    let end = start + "ana.test@example.org".len();
    // One correct label, one label nothing can find, and no label for the e-mail's twin below.
    let labels = format!(
        "{{\"path\":\"a.log\",\"start\":{start},\"end\":{end},\"detector\":\"email\"}}\n\
         {{\"path\":\"a.log\",\"start\":27,\"end\":37,\"detector\":\"phone\"}}\n"
    );
    let lf = dir.path().join("labels.jsonl");
    std::fs::write(&lf, labels).unwrap();
    std::fs::write(dir.path().join("b.log"), "cc bo.test@example.org\n").unwrap();
    let s = eval(dir.path(), &lf);
    let email = &s["detectors"]["email"];
    assert_eq!(email["labels"].as_u64(), Some(1));
    assert_eq!(email["findings"].as_u64(), Some(2));
    assert_eq!(email["precision"].as_f64(), Some(0.5));
    assert_eq!(email["recall"].as_f64(), Some(1.0));
    assert_eq!(s["detectors"]["phone"]["recall"].as_f64(), Some(0.0));
}
