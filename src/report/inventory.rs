//! The data inventory: findings aggregated per store (a table column, a CSV column, a JSON key
//! path, or a whole text file) and detector, with distinct counts from keyed digests (never
//! values), masked examples, special-category and quasi-identifier flags, category roll-ups
//! and a coverage section that lists everything not scanned and why.

use crate::finding::{Confidence, Finding, Sensitivity, SCHEMA_VERSION};
use crate::format::Place;
use crate::scan::{Sink, Stats, StructureSummary};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DetectorEntry {
    pub detector: String,
    pub category: String,
    pub sensitivity: Sensitivity,
    pub confidence: Confidence,
    pub count: u64,
    pub distinct: u64,
    pub examples: Vec<String>,
    pub first_line: u64,
    pub last_line: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first_row: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_row: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Store {
    pub source: String,
    pub kind: String,
    pub table: Option<String>,
    pub column: Option<String>,
    pub key_path: Option<String>,
    pub rows_scanned: Option<u64>,
    pub quasi_identifier: bool,
    pub special_category: bool,
    pub detectors: Vec<DetectorEntry>,
    /// How old the records holding personal data here are (when the scan dated records).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub record_age: Option<AgeRange>,
    /// The column's kind by its values, whatever its name (`col7` of e-mail addresses):
    /// set when one detector has findings in at least half of the rows scanned.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub holds: Option<Holds>,
}

/// The age range of the records with personal data in one store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct AgeRange {
    /// Oldest and newest record dates (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub oldest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub newest: Option<String>,
    /// The date field the records were dated by, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_field: Option<String>,
    /// Findings per date source: `field`, `timestamp`, `mtime`, `unknown`.
    pub date_sources: BTreeMap<String, u64>,
}

#[derive(Default)]
struct AgeAcc {
    oldest: Option<i64>,
    newest: Option<i64>,
    range: AgeRange,
}

impl Store {
    /// What identifies a store across runs (for `inventory --diff`).
    pub fn key(&self) -> String {
        format!(
            "{} | {} | {} | {}",
            self.source,
            self.table.as_deref().unwrap_or("-"),
            self.column.as_deref().unwrap_or("-"),
            self.key_path.as_deref().unwrap_or("-")
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct CategoryRollup {
    pub stores: u64,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Coverage {
    pub files: u64,
    pub bytes: u64,
    pub structured: u64,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<Skipped>,
    /// Structured inputs whose structure was only partly understood (scanned as text beyond).
    pub partial_structure: Vec<Skipped>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Inventory {
    pub schema: u32,
    pub stores: Vec<Store>,
    pub categories: BTreeMap<String, CategoryRollup>,
    pub coverage: Coverage,
}

#[derive(Default)]
struct Agg {
    entry: Option<DetectorEntry>,
    digests: HashSet<[u8; 16]>,
    /// Rows with at least one finding (rows arrive in order within a store).
    rows_with: u64,
    last_row: Option<u64>,
}

/// What a column holds, judged by its values: the detector found in most of its rows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Holds {
    pub detector: String,
    /// Share of the rows scanned with this detector's findings (0.5 … 1).
    pub share: f64,
}

/// Builds an [`Inventory`] from a scan.
#[derive(Default)]
pub struct InventorySink {
    stores: BTreeMap<(String, Place), (String, BTreeMap<String, Agg>)>,
    rows: BTreeMap<(String, Place), u64>,
    ages: BTreeMap<(String, Place), AgeAcc>,
    coverage: Coverage,
}

const QUASI_DETECTORS: &[&str] = &["date_of_birth", "postal_code"];
const QUASI_NAMES: &[&str] = &[
    "gender",
    "sex",
    "zip",
    "zipcode",
    "postalcode",
    "postcode",
    "plz",
    "birthdate",
    "dateofbirth",
    "dob",
    "age",
    "birthyear",
];

impl InventorySink {
    pub fn new() -> InventorySink {
        InventorySink::default()
    }

    fn place_of(f: &Finding) -> Place {
        Place {
            table: f.location.table.as_deref().map(Into::into),
            column: f.location.column.as_deref().map(Into::into),
            key_path: f.location.key_path.as_deref().map(Into::into),
        }
    }

    pub fn inventory(&self) -> Inventory {
        let mut stores = Vec::new();
        let mut categories: BTreeMap<String, CategoryRollup> = BTreeMap::new();
        for ((source, place), (kind, dets)) in &self.stores {
            let mut detectors: Vec<DetectorEntry> = dets
                .values()
                .filter_map(|a| {
                    a.entry.clone().map(|mut e| {
                        e.distinct = a.digests.len() as u64;
                        e
                    })
                })
                .collect();
            detectors.sort_by(|a, b| b.count.cmp(&a.count).then(a.detector.cmp(&b.detector)));
            let name = place
                .hint_name()
                .map(crate::format::normalize_name)
                .unwrap_or_default();
            let quasi = detectors
                .iter()
                .any(|d| QUASI_DETECTORS.contains(&d.detector.as_str()))
                || QUASI_NAMES.contains(&name.as_str());
            let mut seen = HashSet::new();
            for d in &detectors {
                let c = categories.entry(d.category.clone()).or_default();
                c.count += d.count;
                if seen.insert(d.category.clone()) {
                    c.stores += 1;
                }
            }
            let rows_scanned = self.rows.get(&(source.clone(), place.clone())).copied();
            let holds = rows_scanned.filter(|&r| r > 0).and_then(|rows| {
                dets.values()
                    .filter(|a| a.rows_with >= 3 && a.rows_with * 2 >= rows)
                    .max_by_key(|a| a.rows_with)
                    .and_then(|a| {
                        a.entry.as_ref().map(|e| Holds {
                            detector: e.detector.clone(),
                            share: ((a.rows_with.min(rows) as f64 / rows as f64) * 1000.0).round()
                                / 1000.0,
                        })
                    })
            });
            // A column whose values are mostly one detector's is that detector's column,
            // whatever its name: its findings count at high confidence.
            if let Some(h) = &holds {
                for d in detectors.iter_mut().filter(|d| d.detector == h.detector) {
                    d.confidence = d.confidence.max(Confidence::High);
                }
            }
            stores.push(Store {
                holds,
                source: source.clone(),
                kind: kind.clone(),
                table: place.table.as_deref().map(str::to_string),
                column: place.column.as_deref().map(str::to_string),
                key_path: place.key_path.as_deref().map(str::to_string),
                rows_scanned,
                quasi_identifier: quasi,
                special_category: detectors
                    .iter()
                    .any(|d| d.sensitivity == Sensitivity::Special),
                detectors,
                record_age: self
                    .ages
                    .get(&(source.clone(), place.clone()))
                    .map(|a| AgeRange {
                        oldest: a.oldest.map(crate::retention::time::format_date),
                        newest: a.newest.map(crate::retention::time::format_date),
                        ..a.range.clone()
                    }),
            });
        }
        Inventory {
            schema: SCHEMA_VERSION,
            stores,
            categories,
            coverage: self.coverage.clone(),
        }
    }
}

impl Sink for InventorySink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let key = (f.path.to_string(), Self::place_of(f));
        if let Some(age) = &f.age {
            let acc = self.ages.entry(key.clone()).or_default();
            *acc.range
                .date_sources
                .entry(age.date_source.as_str().to_string())
                .or_default() += 1;
            if acc.range.date_field.is_none() {
                acc.range.date_field.clone_from(&age.date_field);
            }
            if let Some(t) = age.time {
                acc.oldest = Some(acc.oldest.map_or(t, |o| o.min(t)));
                acc.newest = Some(acc.newest.map_or(t, |o| o.max(t)));
            }
        }
        let (_, dets) = self
            .stores
            .entry(key)
            .or_insert_with(|| (f.location.kind.to_string(), BTreeMap::new()));
        let agg = dets.entry(f.detector.to_string()).or_default();
        if let Some(row) = f.location.row {
            if agg.last_row != Some(row) {
                agg.rows_with += 1;
                agg.last_row = Some(row);
            }
        }
        if let Some(d) = f.digest {
            agg.digests.insert(d);
        }
        let e = agg.entry.get_or_insert_with(|| DetectorEntry {
            detector: f.detector.to_string(),
            category: f.category.to_string(),
            sensitivity: f.sensitivity,
            confidence: f.confidence,
            count: 0,
            distinct: 0,
            examples: Vec::new(),
            first_line: f.line,
            last_line: f.line,
            first_row: f.location.row,
            last_row: f.location.row,
        });
        e.count += 1;
        e.confidence = e.confidence.max(f.confidence);
        e.last_line = f.line;
        if f.location.row.is_some() {
            e.last_row = f.location.row;
        }
        if e.examples.len() < 3 && !e.examples.contains(&f.masked) {
            e.examples.push(f.masked.clone());
        }
        Ok(())
    }

    fn skipped(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.coverage.skipped.push(Skipped {
            path: path.into(),
            reason: reason.into(),
        });
        Ok(())
    }

    fn error(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.coverage.errors.push(Skipped {
            path: path.into(),
            reason: reason.into(),
        });
        Ok(())
    }

    fn scanned(
        &mut self,
        path: &str,
        bytes: u64,
        structure: Option<&StructureSummary>,
    ) -> io::Result<()> {
        self.coverage.files += 1;
        self.coverage.bytes += bytes;
        if let Some(s) = structure {
            self.coverage.structured += 1;
            for (place, rows) in &s.places {
                self.rows.insert((path.to_string(), place.clone()), *rows);
            }
            if let Some(p) = &s.problem {
                self.coverage.partial_structure.push(Skipped {
                    path: path.into(),
                    reason: p.clone(),
                });
            }
        }
        Ok(())
    }

    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        Ok(())
    }
}

/// Stores (or detectors within stores) present in `new` but not in `old`.
pub fn diff(old: &Inventory, new: &Inventory) -> Vec<String> {
    let old_keys: BTreeMap<String, &Store> = old.stores.iter().map(|s| (s.key(), s)).collect();
    let mut out = Vec::new();
    for s in &new.stores {
        match old_keys.get(&s.key()) {
            None => out.push(format!(
                "new store: {} ({})",
                s.key(),
                s.detectors
                    .iter()
                    .map(|d| d.detector.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Some(o) => {
                for d in &s.detectors {
                    if !o.detectors.iter().any(|x| x.detector == d.detector) {
                        out.push(format!("new detector in {}: {}", s.key(), d.detector));
                    }
                }
            }
        }
    }
    out
}

/// Markdown: a summary, the store table, categories and coverage.
pub fn to_markdown(inv: &Inventory) -> String {
    let mut s = String::from("# Personal data inventory\n\n");
    s.push_str(&format!(
        "{} stores with personal data in {} files ({} bytes scanned); {} skipped, {} errors.\n\n",
        inv.stores.len(),
        inv.coverage.files,
        inv.coverage.bytes,
        inv.coverage.skipped.len(),
        inv.coverage.errors.len()
    ));
    s.push_str("| source | table | column / key | rows | detectors | records dated | flags |\n|---|---|---|---:|---|---|---|\n");
    for st in &inv.stores {
        let dets: Vec<String> = st
            .detectors
            .iter()
            .map(|d| {
                format!(
                    "{} ×{} ({} distinct, {})",
                    d.detector, d.count, d.distinct, d.confidence
                )
            })
            .collect();
        let mut flags = Vec::new();
        if st.special_category {
            flags.push("special category".to_string());
        }
        if st.quasi_identifier {
            flags.push("quasi-identifier".to_string());
        }
        if let Some(h) = &st.holds {
            flags.push(format!(
                "holds {} ({:.0}% of rows)",
                h.detector,
                h.share * 100.0
            ));
        }
        let dated = st.record_age.as_ref().map_or(String::new(), |a| {
            let by = a.date_field.clone().unwrap_or_else(|| {
                a.date_sources
                    .iter()
                    .max_by_key(|(_, n)| **n)
                    .map_or(String::new(), |(k, _)| k.clone())
            });
            match (&a.oldest, &a.newest) {
                (Some(o), Some(n)) => format!("{o} … {n} ({by})"),
                _ => format!("unknown ({by})"),
            }
        });
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            st.source,
            st.table.as_deref().unwrap_or(""),
            st.column
                .as_deref()
                .or(st.key_path.as_deref())
                .unwrap_or("(whole file)"),
            st.rows_scanned.map(|r| r.to_string()).unwrap_or_default(),
            dets.join("; "),
            dated,
            flags.join(", ")
        ));
    }
    s.push_str("\n## Categories\n\n| category | stores | findings |\n|---|---:|---:|\n");
    for (c, r) in &inv.categories {
        s.push_str(&format!("| {c} | {} | {} |\n", r.stores, r.count));
    }
    s.push_str("\n## Coverage\n\n");
    if inv.coverage.skipped.is_empty()
        && inv.coverage.errors.is_empty()
        && inv.coverage.partial_structure.is_empty()
    {
        s.push_str("Every input was scanned.\n");
    }
    for (what, list) in [
        ("skipped", &inv.coverage.skipped),
        ("error", &inv.coverage.errors),
        (
            "structure only partly read",
            &inv.coverage.partial_structure,
        ),
    ] {
        for x in list {
            s.push_str(&format!("- {what}: {} — {}\n", x.path, x.reason));
        }
    }
    s
}

/// CSV: one row per store and detector.
pub fn to_csv(inv: &Inventory) -> io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "source",
        "kind",
        "table",
        "column",
        "key_path",
        "rows_scanned",
        "detector",
        "category",
        "sensitivity",
        "confidence",
        "count",
        "distinct",
        "quasi_identifier",
        "examples",
        "oldest_record",
        "newest_record",
        "date_field",
    ])
    .map_err(io::Error::other)?;
    for st in &inv.stores {
        let age = st.record_age.as_ref();
        for d in &st.detectors {
            w.write_record([
                st.source.as_str(),
                &st.kind,
                st.table.as_deref().unwrap_or(""),
                st.column.as_deref().unwrap_or(""),
                st.key_path.as_deref().unwrap_or(""),
                &st.rows_scanned.map(|r| r.to_string()).unwrap_or_default(),
                &d.detector,
                &d.category,
                d.sensitivity.as_str(),
                d.confidence.as_str(),
                &d.count.to_string(),
                &d.distinct.to_string(),
                if st.quasi_identifier { "true" } else { "false" },
                &d.examples.join(" | "),
                age.and_then(|a| a.oldest.as_deref()).unwrap_or(""),
                age.and_then(|a| a.newest.as_deref()).unwrap_or(""),
                age.and_then(|a| a.date_field.as_deref()).unwrap_or(""),
            ])
            .map_err(io::Error::other)?;
        }
    }
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}
