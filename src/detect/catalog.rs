//! The detector catalogue: pattern packs (TOML) parsed into [`DetectorSpec`]s. The default packs
//! in `patterns/` are compiled into the binary; users add their own with `--patterns`.

use crate::finding::{Confidence, Sensitivity};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Packs shipped in the binary, in priority order (earlier packs win ties in overlap resolution).
pub const DEFAULT_PACKS: &[(&str, &str)] = &[
    (
        "credentials.toml",
        include_str!("../../patterns/credentials.toml"),
    ),
    (
        "financial.toml",
        include_str!("../../patterns/financial.toml"),
    ),
    (
        "identity.toml",
        include_str!("../../patterns/identity.toml"),
    ),
    ("contact.toml", include_str!("../../patterns/contact.toml")),
    ("network.toml", include_str!("../../patterns/network.toml")),
    ("special.toml", include_str!("../../patterns/special.toml")),
];

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: cannot read pattern pack: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: invalid pattern pack: {reason}")]
    Parse { path: String, reason: String },
    #[error("{pack}: detector '{id}': {reason}")]
    Detector {
        pack: String,
        id: String,
        reason: String,
    },
}

/// How the engine finds the places where a detector may match, before running its regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A run of digits (with separators) holding at least `min_digits` digits.
    Digits,
    /// An alphanumeric token containing digits, `token_len` long.
    Alnum,
    /// A `:` between hex digits (IPv6, MAC addresses).
    HexColon,
    /// The `@` of an e-mail address.
    At,
    /// One of `literals`, case-insensitively; `anchor` says where the literal sits in the match.
    Literal,
    /// One of `keywords`; the value is looked for in the `keyword_window` bytes after it.
    Keyword,
}

/// Where a literal trigger sits inside the match it announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    #[default]
    Start,
    Inner,
}

/// How a finding's value is shown in reports (never raw).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MaskStyle {
    /// First character, then stars (separators kept).
    #[default]
    Edges,
    /// `j***@e******.com`.
    Email,
    /// Everything but the last four digits.
    Last4,
    /// A non-secret prefix (such as `AKIA` or `ghp_`), then stars.
    Prefix,
    /// Nothing but stars (separators kept).
    Full,
}

fn default_window() -> usize {
    48
}
fn default_max_len() -> usize {
    128
}

/// A bundled word list by name (`patterns/lexicons/`; provenance in its README).
pub fn lexicon(name: &str) -> Option<&'static str> {
    match name {
        "given_names" => Some(include_str!("../../patterns/lexicons/given_names.txt")),
        "surnames" => Some(include_str!("../../patterns/lexicons/surnames.txt")),
        _ => None,
    }
}

/// One detector as written in a pack.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    pub id: String,
    /// Distinguishes several detectors that report the same id (a formatted and a bare form).
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub name: String,
    pub category: String,
    pub sensitivity: Sensitivity,
    pub regex: String,
    pub trigger: Trigger,
    #[serde(default)]
    pub min_digits: usize,
    /// Digit trigger: the fewest bytes a match covers from its first digit to its last,
    /// separators included (`1.2.3.4` is 7). Shorter digit runs are skipped before any
    /// automaton runs, so the timestamps, counters and durations of a log cost almost nothing.
    /// `min_digits` when unset; `patterns check` runs the examples through it.
    #[serde(default)]
    pub min_span: usize,
    #[serde(default)]
    pub token_len: Option<[usize; 2]>,
    /// Digit trigger: how many bytes before the first digit a match may start (`+`, `(`, a
    /// letter prefix such as a NINO's).
    #[serde(default)]
    pub lead: usize,
    #[serde(default)]
    pub literals: Vec<String>,
    /// A bundled word list (`patterns/lexicons/<name>.txt`) added to `literals`.
    #[serde(default)]
    pub lexicon: Option<String>,
    /// Literal trigger: a literal counts only as a capitalised whole word (`Mark`, not `mark`
    /// or `Marketing`), so large name lexicons cost little on ordinary text.
    #[serde(default)]
    pub capitalized: bool,
    /// Literal trigger with `capitalized`: the literals are endings of a capitalised word
    /// (`straße` in `Musterstraße`, or `Weg` alone).
    #[serde(default)]
    pub suffix: bool,
    /// Literal trigger: a literal counts only as a whole word (lexicon terms such as `vol`
    /// must not fire inside `volume`).
    #[serde(default)]
    pub whole_word: bool,
    #[serde(default)]
    pub anchor: Anchor,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default = "default_window")]
    pub keyword_window: usize,
    #[serde(default)]
    pub require_keyword: bool,
    /// Every value holds a digit (a house number, a date, a code): a search window without one
    /// is skipped before the regex runs — prose mentions `address` or `born` far more often
    /// than it gives one. Implied by `trigger = "digits"`. `patterns check` runs the examples
    /// through this test too.
    #[serde(default)]
    pub needs_digit: bool,
    #[serde(default)]
    pub validator: Option<String>,
    pub confidence: Confidence,
    #[serde(default)]
    pub mask: MaskStyle,
    #[serde(default)]
    pub mask_prefix: usize,
    /// A regex that, matching the bytes just before a candidate (anchored at its start),
    /// rejects it: `(?i)v$` keeps `v1.2.3.4` from being an IP address.
    #[serde(default)]
    pub reject_before: Option<String>,
    /// A regex that, matching the bytes just after a candidate, rejects it.
    #[serde(default)]
    pub reject_after: Option<String>,
    /// The longest match this detector can produce; bounds the search window.
    #[serde(default = "default_max_len")]
    pub max_len: usize,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
    #[serde(skip)]
    pub pack: String,
    /// From a pack compiled into the binary (tested in CI): its automata may be built on
    /// first use. A user's pack is built up front, so its errors show before the scan.
    #[serde(skip)]
    pub builtin: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    #[allow(dead_code)]
    pack: Option<toml::Value>,
    #[serde(default)]
    detector: Vec<DetectorSpec>,
}

/// All detectors known to a run, in priority order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub detectors: Vec<DetectorSpec>,
}

impl Catalog {
    /// The packs compiled into the binary.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        // (see `lexicon` for the bundled word lists)
        let mut c = Catalog::default();
        for (name, text) in DEFAULT_PACKS {
            c.add_pack_str(name, text)?;
        }
        for d in &mut c.detectors {
            d.builtin = true;
        }
        Ok(c)
    }

    /// Parses one pack's text; `name` is used in error messages and `patterns list`.
    pub fn parse_pack(name: &str, text: &str) -> Result<Vec<DetectorSpec>, CatalogError> {
        let file: PackFile = toml::from_str(text).map_err(|e| CatalogError::Parse {
            path: name.to_string(),
            reason: e.message().to_string(),
        })?;
        let mut out = Vec::with_capacity(file.detector.len());
        for mut d in file.detector {
            d.pack = name.to_string();
            if let Some(lex) = &d.lexicon {
                let words = lexicon(lex).ok_or_else(|| CatalogError::Detector {
                    pack: name.to_string(),
                    id: d.id.clone(),
                    reason: format!("unknown lexicon '{lex}'"),
                })?;
                d.literals.extend(
                    words
                        .lines()
                        .map(str::trim)
                        .filter(|w| !w.is_empty())
                        .map(String::from),
                );
            }
            validate_spec(&d)?;
            out.push(d);
        }
        Ok(out)
    }

    /// Adds a pack; a detector with an id already present replaces the earlier one.
    pub fn add_pack_str(&mut self, name: &str, text: &str) -> Result<(), CatalogError> {
        for d in Self::parse_pack(name, text)? {
            if let Some(slot) = self
                .detectors
                .iter_mut()
                .find(|x| x.id == d.id && x.variant == d.variant)
            {
                *slot = d;
            } else {
                self.detectors.push(d);
            }
        }
        Ok(())
    }

    /// Adds a pack file, or every `*.toml` in a directory (sorted by name).
    pub fn add_path(&mut self, path: &Path) -> Result<(), CatalogError> {
        let io = |source| CatalogError::Io {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                self.add_path(&f)?;
            }
            return Ok(());
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        self.add_pack_str(&path.display().to_string(), &text)
    }

    pub fn get(&self, id: &str) -> Option<&DetectorSpec> {
        self.detectors.iter().find(|d| d.id == id)
    }
}

fn validate_spec(d: &DetectorSpec) -> Result<(), CatalogError> {
    let err = |reason: String| CatalogError::Detector {
        pack: d.pack.clone(),
        id: d.id.clone(),
        reason,
    };
    if d.id.is_empty()
        || !d
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return Err(err(
            "id must be lowercase letters, digits, '_' and '.'".into()
        ));
    }
    if let Some(v) = &d.validator {
        if super::validate::by_name(v).is_none() {
            return Err(err(format!("unknown validator '{v}'")));
        }
    }
    match d.trigger {
        Trigger::Digits if d.min_digits == 0 => {
            return Err(err("trigger 'digits' needs min_digits".into()))
        }
        Trigger::Alnum if d.token_len.is_none() => {
            return Err(err("trigger 'alnum' needs token_len".into()))
        }
        Trigger::Literal if d.literals.is_empty() => {
            return Err(err("trigger 'literal' needs literals".into()))
        }
        Trigger::Keyword if d.keywords.is_empty() => {
            return Err(err("trigger 'keyword' needs keywords".into()))
        }
        _ => {}
    }
    if d.examples.is_empty() || d.negative_examples.is_empty() {
        return Err(err(
            "every detector needs examples and negative_examples".into()
        ));
    }
    Ok(())
}
