//! Memory does not grow with the number of findings in one large input: its findings reach
//! the sink batch by batch. Measured as this test process's peak resident set (Linux), so
//! this file holds one test and nothing else runs beside it.

use piiscan::detect::{Catalog, Engine, EngineOptions};
use piiscan::finding::Finding;
use piiscan::scan::{ScanOptions, Scanner, Sink, Stats};
use piiscan::source::Input;
use std::io::Write;
use std::path::Path;

/// Counts findings and their lines without keeping them.
#[derive(Default)]
struct CountingSink {
    findings: u64,
    last_line: u64,
}

impl Sink for CountingSink {
    fn finding(&mut self, f: &Finding) -> std::io::Result<()> {
        self.findings += 1;
        assert!(f.line >= self.last_line, "findings out of order");
        self.last_line = f.line;
        Ok(())
    }
}

/// A contacts export: every row holds an e-mail address, a phone number and an IP address.
fn write_contacts(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "id,email,phone,ip").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "{i},person.{i}@mail-example.com,+44 20 7946 {:04},10.{}.{}.{}",
            i % 10_000,
            i % 250,
            (i / 250) % 250,
            1 + i % 200
        )
        .unwrap();
    }
}

/// Peak resident set of this process so far, in KiB (`VmHWM`).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

fn scan(scanner: &Scanner, path: &Path) -> CountingSink {
    let mut sink = CountingSink::default();
    let input = Input::File {
        path: path.to_path_buf(),
        display: path.display().to_string(),
    };
    scanner
        .run(&[input], &mut sink, &Stats::default())
        .expect("scan");
    sink
}

#[test]
#[cfg(target_os = "linux")]
fn peak_memory_does_not_grow_with_the_findings_of_one_input() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("small.csv"), dir.path().join("large.csv"));
    write_contacts(&small, 20_000);
    write_contacts(&large, 160_000);
    let engine = Engine::new(&Catalog::builtin().unwrap(), &EngineOptions::default()).unwrap();
    // Windows of 256 KiB: both files are read window by window.
    let scanner = Scanner::new(
        engine,
        ScanOptions {
            chunk_size: 256 << 10,
            threads: 1,
            ..Default::default()
        },
    );
    let before = peak_kib();
    let found_small = scan(&scanner, &small).findings;
    let after_small = peak_kib();
    let found_large = scan(&scanner, &large).findings;
    let after_large = peak_kib();
    assert!(
        found_small >= 60_000,
        "{found_small} findings in the small file"
    );
    assert!(
        found_large >= 8 * found_small,
        "{found_large} findings in the large file"
    );
    // Eight times the findings: the large file may not raise the peak by more than what the
    // small one took (all of its findings held at once would take about eight times that).
    let small_cost = after_small - before;
    let large_extra = after_large - after_small;
    assert!(
        large_extra <= small_cost,
        "peak grew by {large_extra} KiB for the large file after {small_cost} KiB for the small one"
    );
}
