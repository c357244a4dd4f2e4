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

/// The `piiscan:ignore` markers of one buffer, found once.
pub struct IgnoreMarkers {
    positions: Vec<usize>,
}

impl IgnoreMarkers {
    pub fn new(buf: &[u8]) -> IgnoreMarkers {
        IgnoreMarkers {
            positions: memchr::memmem::find_iter(buf, IGNORE_MARKER).collect(),
        }
    }

    /// Whether the line that starts at or before `line_start` and holds `pos` carries a
    /// marker. Costs nothing when the buffer has no marker.
    pub fn on_line(&self, buf: &[u8], line_start: Option<usize>, pos: usize) -> bool {
        if self.positions.is_empty() {
            return false;
        }
        let line_start =
            line_start.unwrap_or_else(|| memchr::memrchr(b'\n', &buf[..pos]).map_or(0, |i| i + 1));
        let line_end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        let first = self.positions.partition_point(|&p| p < line_start);
        self.positions.get(first).is_some_and(|&p| p < line_end)
    }
}
