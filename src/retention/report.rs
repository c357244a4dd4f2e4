//! The retention report: per store (file, table, column or key path) and detector, how many
//! records hold personal data past its limit, the oldest and newest of them, and where their
//! dates came from. Records are counted once per store and detector however many findings
//! they hold; records whose age cannot be told are counted apart, never as fresh.

use super::time::{format_date, Utc};
use super::{DateOrder, DateSource, Limits};
use crate::finding::Finding;
use crate::scan::{Sink, Stats};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;

/// Version of the retention JSON schema. Fields are only ever added.
pub const RETENTION_SCHEMA: &str = "piiscan.retention/1";

/// One store and detector.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StoreAge {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub detector: String,
    pub category: String,
    /// The limit that applies (`13mo`) and the selector that set it (`credit_card`, `default`).
    pub limit: String,
    pub limit_from: String,
    /// Records dated before this (`YYYY-MM-DD`) are over the limit.
    pub cutoff: String,
    /// Records over the limit, within it, and of unknown age.
    pub over: u64,
    pub within: u64,
    pub undated: u64,
    /// Oldest and newest record dates over the limit (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oldest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest: Option<String>,
    /// The date field used (`invoice_date`), when records were dated by a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_field: Option<String>,
    /// Records per date source: `field`, `timestamp`, `mtime`, `unknown`.
    pub date_sources: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct Totals {
    pub records_over: u64,
    pub stores_over: u64,
    pub records_within: u64,
    pub records_undated: u64,
    pub files: u64,
    pub errors: u64,
    pub skipped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionReport {
    pub schema: &'static str,
    /// RFC 3339, UTC.
    pub now: String,
    pub date_order: String,
    /// selector → limit.
    pub limits: BTreeMap<String, String>,
    pub stores: Vec<StoreAge>,
    pub totals: Totals,
}

#[derive(Debug, Clone)]
struct Acc {
    age: StoreAge,
    last_record: Option<u64>,
    oldest: Option<i64>,
    newest: Option<i64>,
}

type Key = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// Collects findings into a [`RetentionReport`]. Findings of data without a limit are ignored.
pub struct RetentionSink {
    now: i64,
    order: DateOrder,
    limits: Limits,
    stores: BTreeMap<Key, Acc>,
    order_seen: Vec<Key>,
    errors: u64,
    skipped: u64,
    files: u64,
}

impl RetentionSink {
    pub fn new(limits: Limits, now: i64, order: DateOrder) -> RetentionSink {
        RetentionSink {
            now,
            order,
            limits,
            stores: BTreeMap::new(),
            order_seen: Vec::new(),
            errors: 0,
            skipped: 0,
            files: 0,
        }
    }

    pub fn report(&self) -> RetentionReport {
        let mut totals = Totals {
            files: self.files,
            errors: self.errors,
            skipped: self.skipped,
            ..Default::default()
        };
        let mut stores = Vec::new();
        for k in &self.order_seen {
            let Some(a) = self.stores.get(k) else {
                continue;
            };
            let mut s = a.age.clone();
            s.oldest = a.oldest.map(format_date);
            s.newest = a.newest.map(format_date);
            totals.records_over += s.over;
            totals.records_within += s.within;
            totals.records_undated += s.undated;
            totals.stores_over += u64::from(s.over > 0);
            stores.push(s);
        }
        RetentionReport {
            schema: RETENTION_SCHEMA,
            now: Utc(self.now).to_string(),
            date_order: match self.order {
                DateOrder::Oldest => "oldest",
                DateOrder::Dmy => "dmy",
                DateOrder::Mdy => "mdy",
            }
            .into(),
            limits: self
                .limits
                .entries()
                .iter()
                .map(|(s, a)| (s.clone(), a.to_string()))
                .collect(),
            stores,
            totals,
        }
    }
}

impl Sink for RetentionSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let Some((from, limit)) = self.limits.for_detector(&f.detector, &f.category) else {
            return Ok(());
        };
        let cutoff = limit.cutoff(self.now);
        let key: Key = (
            f.path.to_string(),
            f.location.table.as_deref().map(str::to_string),
            f.location.column.as_deref().map(str::to_string),
            f.location.key_path.as_deref().map(str::to_string),
            f.detector.to_string(),
        );
        let acc = match self.stores.get_mut(&key) {
            Some(a) => a,
            None => {
                self.order_seen.push(key.clone());
                self.stores.entry(key).or_insert_with(|| Acc {
                    age: StoreAge {
                        path: f.path.to_string(),
                        table: f.location.table.as_deref().map(str::to_string),
                        column: f.location.column.as_deref().map(str::to_string),
                        key_path: f.location.key_path.as_deref().map(str::to_string),
                        container: f.container.clone(),
                        detector: f.detector.to_string(),
                        category: f.category.to_string(),
                        limit: limit.to_string(),
                        limit_from: from.to_string(),
                        cutoff: format_date(cutoff),
                        over: 0,
                        within: 0,
                        undated: 0,
                        oldest: None,
                        newest: None,
                        date_field: None,
                        date_sources: BTreeMap::new(),
                    },
                    last_record: None,
                    oldest: None,
                    newest: None,
                })
            }
        };
        // One record, however many findings of this detector it holds.
        let record = f.location.row.unwrap_or(f.line);
        if acc.last_record == Some(record) {
            return Ok(());
        }
        acc.last_record = Some(record);
        let (time, source, field) = match &f.age {
            Some(a) => (a.time, a.date_source, a.date_field.as_deref()),
            None => (None, DateSource::Unknown, None),
        };
        *acc.age
            .date_sources
            .entry(source.as_str().to_string())
            .or_default() += 1;
        if let (Some(field), None) = (field, &acc.age.date_field) {
            acc.age.date_field = Some(field.to_string());
        }
        match time {
            Some(t) if t < cutoff => {
                acc.age.over += 1;
                acc.oldest = Some(acc.oldest.map_or(t, |o| o.min(t)));
                acc.newest = Some(acc.newest.map_or(t, |o| o.max(t)));
            }
            Some(_) => acc.age.within += 1,
            None => acc.age.undated += 1,
        }
        Ok(())
    }

    fn skipped(&mut self, _path: &str, _reason: &str) -> io::Result<()> {
        self.skipped += 1;
        Ok(())
    }

    fn error(&mut self, _path: &str, _reason: &str) -> io::Result<()> {
        self.errors += 1;
        Ok(())
    }

    fn scanned(
        &mut self,
        _path: &str,
        _bytes: u64,
        _structure: Option<&crate::scan::StructureSummary>,
    ) -> io::Result<()> {
        self.files += 1;
        Ok(())
    }

    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        Ok(())
    }
}

/// The report as text: one line per store and detector over its limit, then the undated
/// ones, then totals.
pub fn to_text(r: &RetentionReport) -> String {
    let mut out = String::new();
    let place = |s: &StoreAge| {
        let mut p = s.path.clone();
        match (&s.table, &s.column, &s.key_path) {
            (Some(t), Some(c), _) => p.push_str(&format!(" {t}.{c}")),
            (None, Some(c), _) => p.push_str(&format!(" column {c}")),
            (_, _, Some(k)) => p.push_str(&format!(" {k}")),
            _ => {}
        }
        p
    };
    let source = |s: &StoreAge| match &s.date_field {
        Some(f) => format!("date field {f}"),
        None => s.date_sources.iter().max_by_key(|(_, n)| **n).map_or(
            "no date".into(),
            |(k, _)| match k.as_str() {
                "timestamp" => "line timestamps".into(),
                "mtime" => "file modification time (records carry no date)".into(),
                other => other.to_string(),
            },
        ),
    };
    for s in r.stores.iter().filter(|s| s.over > 0) {
        out.push_str(&format!(
            "{}: {} — {} record{} older than {} (limit {} from {}): {} … {}; {}\n",
            place(s),
            s.detector,
            s.over,
            if s.over == 1 { "" } else { "s" },
            s.cutoff,
            s.limit,
            s.limit_from,
            s.oldest.as_deref().unwrap_or("?"),
            s.newest.as_deref().unwrap_or("?"),
            source(s)
        ));
    }
    for s in r.stores.iter().filter(|s| s.undated > 0) {
        out.push_str(&format!(
            "{}: {} — {} record{} of unknown age{}\n",
            place(s),
            s.detector,
            s.undated,
            if s.undated == 1 { "" } else { "s" },
            s.date_field
                .as_ref()
                .map_or(String::new(), |f| format!(" (empty or unreadable {f})"))
        ));
    }
    let t = &r.totals;
    out.push_str(&format!(
        "{} record{} over the limit in {} store{}; {} within; {} of unknown age ({} file{}, now {})\n",
        t.records_over,
        if t.records_over == 1 { "" } else { "s" },
        t.stores_over,
        if t.stores_over == 1 { "" } else { "s" },
        t.records_within,
        t.records_undated,
        t.files,
        if t.files == 1 { "" } else { "s" },
        &r.now[..10]
    ));
    out
}
