//! The shared vocabulary every part of piiscan speaks: findings, their location, confidence and
//! sensitivity. Readers produce locations, the engine produces findings, sinks consume them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Version of the JSON finding / report schema. Fields are only ever added.
pub const SCHEMA_VERSION: u32 = 1;

/// How sure piiscan is that a match is really personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
    pub fn raised(self) -> Self {
        match self {
            Confidence::Low => Confidence::Medium,
            _ => Confidence::High,
        }
    }
    pub fn lowered(self) -> Self {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            other => Err(format!(
                "unknown confidence '{other}' (expected low, medium or high)"
            )),
        }
    }
}

/// The legal weight of a kind of data (DESIGN.md: finding schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    Personal,
    Special,
    Financial,
    Credential,
    GovernmentId,
    Child,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Personal => "personal",
            Sensitivity::Special => "special",
            Sensitivity::Financial => "financial",
            Sensitivity::Credential => "credential",
            Sensitivity::GovernmentId => "government_id",
            Sensitivity::Child => "child",
        }
    }
}

impl fmt::Display for Sensitivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An immutable string shared by many findings (their path, detector id and category): a
/// clone is a reference count, not an allocation. Compares, prints and serialises as the string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SharedStr(std::sync::Arc<str>);

impl SharedStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(s.into())
    }
}

impl From<std::sync::Arc<str>> for SharedStr {
    fn from(s: std::sync::Arc<str>) -> Self {
        SharedStr(s)
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(s.into())
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SharedStr::from)
    }
}

/// Where inside a structured input a finding lives. Plain text has kind `text` and no table,
/// column or key path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Location {
    /// `text`, `csv`, `json`, `sql`, `db`… (borrowed when static: a finding in plain text
    /// costs no allocation for it).
    pub kind: std::borrow::Cow<'static, str>,
    pub table: Option<SharedStr>,
    pub column: Option<SharedStr>,
    pub key_path: Option<SharedStr>,
    pub row: Option<u64>,
    /// A live database row's primary key: `id=5`, `order_id=7,line=2`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key: Option<String>,
}

impl Location {
    pub fn text() -> Self {
        Location {
            kind: "text".into(),
            ..Default::default()
        }
    }
}

/// One piece of personal data found in one input. `masked` never holds the raw value; `value`
/// is only filled when the user asked for `--reveal`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub path: SharedStr,
    pub start: u64,
    pub end: u64,
    pub line: u64,
    pub column: u64,
    pub detector: SharedStr,
    pub category: SharedStr,
    pub sensitivity: Sensitivity,
    pub confidence: Confidence,
    pub masked: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<String>,
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub container: Option<String>,
    /// For tokens (`jwt`): the names (never the values) of personal claims inside.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub claims: Option<Vec<String>>,
    /// Keyed fingerprint for baselines; only computed when a baseline is in use.
    #[serde(skip)]
    pub fingerprint: Option<String>,
    /// Keyed digest of the normalised value, for distinct counts; only with a digest key.
    #[serde(skip)]
    pub digest: Option<[u8; 16]>,
    /// The age of the record the finding is in (`retention`, inventories): `record_date`,
    /// `date_source` and `date_field`, flattened.
    #[serde(flatten, skip_serializing_if = "Option::is_none", default)]
    pub age: Option<crate::retention::RecordAge>,
}
