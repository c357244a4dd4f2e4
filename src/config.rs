//! `piiscan.toml`: defaults for the command line, the allowlist and extra pattern packs.
//! Command-line flags override what the file says.

use crate::error::Error;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub scan: ScanSection,
    #[serde(default)]
    pub allowlist: AllowlistSection,
    #[serde(default)]
    pub retention: RetentionSection,
}

/// `[retention]`: limits by selector (`default = "1y"`, `credit_card = "13mo"`, a category or
/// a detector family), plus `date_order` and `date_fields`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RetentionSection {
    pub date_order: Option<String>,
    #[serde(default)]
    pub date_fields: Vec<String>,
    #[serde(flatten)]
    pub limits: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    pub min_confidence: Option<String>,
    #[serde(default)]
    pub only: Vec<String>,
    #[serde(default)]
    pub skip: Vec<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub max_filesize: Option<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    pub threads: Option<usize>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowlistSection {
    /// Exact values (case-insensitive) that are never reported.
    #[serde(default)]
    pub values: Vec<String>,
    /// Regexes; a value any of them matches is never reported.
    #[serde(default)]
    pub regexes: Vec<String>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, Error> {
        let err = |reason: String| Error::Config {
            path: path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(crate::error::io_reason(&e)))?;
        toml::from_str(&text).map_err(|e| err(e.message().to_string()))
    }
}

/// Parses sizes such as `100MB`, `2G`, `512k`, `1048576`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("bad size '{s}'"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        other => return Err(format!("bad size unit '{other}' in '{s}'")),
    };
    Ok((n * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn sizes() {
        assert_eq!(parse_size("100MB"), Ok(100 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("512"), Ok(512));
        assert!(parse_size("12x").is_err());
    }
}
