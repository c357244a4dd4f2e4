//! Suppression of known or accepted findings: the allowlist (values and regexes from config),
//! the baseline (keyed fingerprints of earlier findings, never values) and the inline
//! `piiscan:ignore` marker.

use crate::error::Error;
use hmac::{Hmac, Mac};
use regex_automata::meta::Regex;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeSet;
use std::path::Path;

/// The marker that silences every finding on its line.
pub const IGNORE_MARKER: &[u8] = b"piiscan:ignore";

/// Built once: `memmem::find` builds its searcher at every call, which on a dense export
/// (a finding per line, each line asked about once) cost more than the search.
static IGNORE_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(IGNORE_MARKER));

#[derive(Debug, Default, Clone)]
pub struct Allowlist {
    values: BTreeSet<String>,
    regexes: Vec<Regex>,
}

impl Allowlist {
    pub fn new(values: &[String], regexes: &[String]) -> Result<Allowlist, Error> {
        let mut compiled = Vec::new();
        for r in regexes {
            compiled.push(Regex::new(r).map_err(|e| Error::Config {
                path: "allowlist".into(),
                reason: format!("bad regex '{r}': {e}"),
            })?);
        }
        Ok(Allowlist {
            values: values.iter().map(|v| v.to_lowercase()).collect(),
            regexes: compiled,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.regexes.is_empty()
    }

    pub fn allows(&self, value: &[u8]) -> bool {
        let s = String::from_utf8_lossy(value);
        self.values.contains(&s.to_lowercase())
            || self.regexes.iter().any(|r| r.is_match(s.as_bytes()))
    }
}

type HmacSha256 = Hmac<Sha256>;

/// Keyed fingerprints of accepted findings. The key is the user's (`PIISCAN_KEY` or
/// `--key-file`) when given, otherwise a random salt stored in the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    pub schema: u32,
    /// Hex salt used when no user key is given; empty when fingerprints use the user's key.
    pub salt: String,
    pub fingerprints: BTreeSet<String>,
    #[serde(skip)]
    key: Vec<u8>,
}

/// 32 bytes from the operating system's random source (a key nobody keeps).
pub fn random_key() -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = vec![0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf)
}

fn random_bytes() -> Vec<u8> {
    if let Ok(k) = random_key() {
        return k;
    }
    let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
    use sha2::Digest;
    Sha256::digest(seed.as_bytes()).to_vec()
}

impl Baseline {
    pub fn new(user_key: Option<&[u8]>) -> Baseline {
        let (salt, key) = match user_key {
            Some(k) => (String::new(), k.to_vec()),
            None => {
                let s = random_bytes();
                (hex::encode(&s), s)
            }
        };
        Baseline {
            schema: 1,
            salt,
            fingerprints: BTreeSet::new(),
            key,
        }
    }

    pub fn load(path: &Path, user_key: Option<&[u8]>) -> Result<Baseline, Error> {
        let err = |reason: String| Error::Baseline {
            path: path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(crate::error::io_reason(&e)))?;
        let mut b: Baseline = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        b.key = if b.salt.is_empty() {
            user_key
                .ok_or_else(|| {
                    err("written with a key: give the same PIISCAN_KEY or --key-file".into())
                })?
                .to_vec()
        } else {
            hex::decode(&b.salt).map_err(|e| err(format!("bad salt: {e}")))?
        };
        Ok(b)
    }

    pub fn fingerprint(&self, path: &str, detector: &str, value: &[u8]) -> String {
        let mut mac = match HmacSha256::new_from_slice(&self.key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(detector.as_bytes());
        mac.update(&[0]);
        mac.update(path.as_bytes());
        mac.update(&[0]);
        mac.update(value);
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    pub fn contains(&self, fp: &str) -> bool {
        self.fingerprints.contains(fp)
    }

    pub fn insert(&mut self, fp: String) {
        self.fingerprints.insert(fp);
    }
}

/// The `piiscan:ignore` markers of one buffer, looked for on the lines matches are on, as
/// they ask (in order of position): most lines hold no match, so this reads far less than a
/// search of the whole buffer, and each line is read at most once (the last line is kept,
/// so a buffer that is one huge line is not read again per match).
#[derive(Default)]
pub struct IgnoreMarkers {
    /// The last line asked about: its start, its end (its line break or the buffer's end)
    /// and whether it carries a marker.
    line: Option<(usize, usize, bool)>,
}

impl IgnoreMarkers {
    pub fn new() -> IgnoreMarkers {
        IgnoreMarkers::default()
    }

    /// Whether the line that starts at `line_start` (found when `None`) and holds `pos`
    /// carries a marker.
    pub fn on_line(&mut self, buf: &[u8], line_start: Option<usize>, pos: usize) -> bool {
        if let Some((start, end, marked)) = self.line {
            if start <= pos && pos <= end {
                return marked;
            }
        }
        let start =
            line_start.unwrap_or_else(|| memchr::memrchr(b'\n', &buf[..pos]).map_or(0, |i| i + 1));
        let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        let marked = IGNORE_FINDER.find(&buf[start..end]).is_some();
        self.line = Some((start, end, marked));
        marked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markers asked about line by line, in order of position (with and without the line's
    /// start given), answer as a search of the whole buffer does: the marker's line only,
    /// lines of any length, a buffer without line breaks, a marker cut by the buffer's end.
    #[test]
    fn ignore_markers_match_a_search_of_the_whole_buffer() {
        let mut rng = crate::format::test_rng(11);
        for round in 0..300 {
            let mut buf = Vec::new();
            while buf.len() < 600 {
                match rng(9) {
                    0 => buf.extend_from_slice(IGNORE_MARKER),
                    1 if round % 7 != 0 => buf.push(b'\n'),
                    _ => buf.extend_from_slice(b"ab "),
                }
            }
            if round % 5 == 0 {
                buf.extend_from_slice(&IGNORE_MARKER[..6]);
            }
            let all: Vec<usize> = memchr::memmem::find_iter(&buf, IGNORE_MARKER).collect();
            let mut markers = IgnoreMarkers::new();
            let mut pos = 0;
            while pos < buf.len() {
                let line_start = memchr::memrchr(b'\n', &buf[..pos]).map_or(0, |i| i + 1);
                let line_end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
                let want = all.iter().any(|&p| p >= line_start && p < line_end);
                let given = (rng(2) == 0).then_some(line_start);
                assert_eq!(
                    markers.on_line(&buf, given, pos),
                    want,
                    "round {round} at {pos}"
                );
                pos += 1 + rng(40) as usize;
            }
        }
    }
}
