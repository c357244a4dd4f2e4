//! `--state FILE` for nightly jobs: what was already processed (path, size, modification time,
//! content hash), so the next run redacts only new or changed files. A rotated file
//! (`app.log` → `app.log.1`) is recognised by its content hash and skipped too.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read};
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Seen {
    pub size: u64,
    pub mtime_ns: u128,
    pub sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub schema: u32,
    pub files: BTreeMap<String, Seen>,
    #[serde(skip)]
    hashes: HashSet<String>,
}

fn mtime_ns(md: &std::fs::Metadata) -> u128 {
    md.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

impl State {
    /// Loads a state file; a missing file is an empty state.
    pub fn load(path: &Path) -> Result<State, String> {
        let mut s: State = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("{}: not a piiscan state file: {e}", path.display()))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => State {
                schema: 1,
                ..Default::default()
            },
            Err(e) => {
                return Err(format!(
                    "{}: {}",
                    path.display(),
                    crate::error::io_reason(&e)
                ))
            }
        };
        s.hashes = s.files.values().map(|v| v.sha256.clone()).collect();
        Ok(s)
    }

    /// Whether `path` is already done: same size and mtime as recorded for it (a stat, no
    /// read), or — for a path not seen before — content already processed under another name.
    pub fn already_done(&self, key: &str, path: &Path) -> bool {
        let Ok(md) = std::fs::metadata(path) else {
            return false;
        };
        if let Some(seen) = self.files.get(key) {
            return seen.size == md.len() && seen.mtime_ns == mtime_ns(&md);
        }
        !self.hashes.is_empty() && sha256_file(path).is_ok_and(|h| self.hashes.contains(&h))
    }

    /// Records the file as it is now on disk.
    pub fn record(&mut self, key: &str, path: &Path) -> io::Result<()> {
        let md = std::fs::metadata(path)?;
        let seen = Seen {
            size: md.len(),
            mtime_ns: mtime_ns(&md),
            sha256: sha256_file(path)?,
        };
        self.hashes.insert(seen.sha256.clone());
        self.files.insert(key.to_string(), seen);
        Ok(())
    }

    /// Writes the state atomically (temp file in the same folder, then rename).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer_pretty(tmp.as_file(), self)?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}
