//! Helpers shared by the integration tests.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn piiscan() -> Command {
    let mut c = Command::cargo_bin("piiscan").expect("binary built");
    c.env_remove("PIISCAN_KEY").env("NO_COLOR", "1");
    c
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses JSON Lines output.
pub fn jsonl(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// Byte offset of `needle` in `file` (the n-th occurrence, 0-based).
pub fn offset_of(file: &Path, needle: &str, nth: usize) -> usize {
    let bytes = std::fs::read(file).expect("read fixture");
    let n = needle.as_bytes();
    bytes
        .windows(n.len())
        .enumerate()
        .filter(|(_, w)| *w == n)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
}

/// 1-based line and column of a byte offset.
pub fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let col = match before.iter().rposition(|&b| b == b'\n') {
        Some(i) => offset - i,
        None => offset + 1,
    } as u64;
    (line, col)
}

/// Every file below `dir` (recursively).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}
