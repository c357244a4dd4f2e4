//! The age of a record: a date column of its row (CSV, JSON record, SQL table), else the
//! leading timestamp of its log line (or of the line a continuation line belongs to), else the
//! file's modification time; and when none of these can be told, "unknown" — never "fresh".

use super::time::{parse_leading, parse_value, Utc};
use super::DateOrder;
use crate::format::{normalize_name, StructureIndex};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Where a record's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// A date column or key of the record (`date_field` names it).
    Field,
    /// The timestamp the log line (or the line it continues) starts with.
    Timestamp,
    /// The file's (or archive member's) modification time: the record carries no date.
    Mtime,
    /// No date could be told: a date field that is empty or unreadable, or stdin.
    Unknown,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Field => "field",
            DateSource::Timestamp => "timestamp",
            DateSource::Mtime => "mtime",
            DateSource::Unknown => "unknown",
        }
    }
}

/// The age evidence of the record a finding is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordAge {
    /// UTC seconds since the epoch (kept out of JSON; `record_date` shows it).
    #[serde(skip)]
    pub time: Option<i64>,
    /// RFC 3339, UTC.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub record_date: Option<String>,
    pub date_source: DateSource,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_field: Option<String>,
}

impl RecordAge {
    pub fn new(time: Option<i64>, source: DateSource, field: Option<&str>) -> RecordAge {
        RecordAge {
            time,
            record_date: time.map(|t| Utc(t).to_string()),
            date_source: source,
            date_field: field.map(str::to_string),
        }
    }

    /// No date in the record itself: the modification time stands in when there is one.
    pub fn undated_record(&self) -> bool {
        self.date_source == DateSource::Unknown && self.date_field.is_none()
    }
}

/// How much a column or key name says "this is when the record was last current": the
/// last-activity names first, then end, creation and business-event dates. Birth, expiry,
/// due, hire and start dates say nothing about a record's age and are never picked.
pub fn date_field_score(name: &str) -> u8 {
    let n = normalize_name(name);
    const NEVER: &[&str] = &[
        "birth",
        "dob",
        "expir",
        "expdate",
        "expmonth",
        "expyear",
        "due",
        "valid",
        "hire",
        "start",
        "begin",
        "since",
        "required",
        "anniversary",
        "deadline",
        "scheduled",
    ];
    if NEVER.iter().any(|w| n.contains(w)) {
        return 0;
    }
    const LAST: &[&str] = &[
        "updatedat",
        "modifiedat",
        "lastmodified",
        "lastupdated",
        "updated",
        "modified",
        "lastlogin",
        "lastloginat",
        "lastseen",
        "lastseenat",
        "lastactivity",
        "lastactive",
        "lastactivityat",
        "updatedon",
        "modifiedon",
    ];
    const END: &[&str] = &[
        "endedat",
        "enddate",
        "cancelledat",
        "canceledat",
        "closedat",
        "terminatedat",
        "deletedat",
        "deactivatedat",
        "membershipend",
        "cancellationdate",
        "terminationdate",
    ];
    const CREATED: &[&str] = &[
        "createdat",
        "created",
        "createdon",
        "creationdate",
        "registeredat",
        "signupdate",
        "timestamp",
        "ts",
        "time",
        "datetime",
        "loggedat",
        "eventtime",
        "occurredat",
        "date",
        "receivedat",
        "sentat",
    ];
    if LAST.contains(&n.as_str()) {
        6
    } else if END.contains(&n.as_str()) {
        5
    } else if CREATED.contains(&n.as_str()) {
        4
    } else if n.ends_with("date")
        || n.ends_with("at") && name.to_ascii_lowercase().ends_with("_at")
        || n.ends_with("time")
        || n.ends_with("timestamp")
        || n.ends_with("datetime")
    {
        3
    } else {
        0
    }
}

/// Dates records: "now", the day-month order of ambiguous dates and, optionally, the date
/// fields to use instead of picking them by name.
#[derive(Debug, Clone)]
pub struct Dater {
    pub now: i64,
    pub order: DateOrder,
    /// Normalised `--date-field` names; empty means "pick by name".
    pub fields: Vec<String>,
}

/// The date field picked per table (or per file for CSV and JSON) and each row's date.
#[derive(Debug, Default)]
pub struct BufferDates {
    field_of_table: HashMap<Option<Arc<str>>, u32>,
    rows: HashMap<(u32, u64), i64>,
}

impl BufferDates {
    /// The date field chosen for each table (`None`: CSV / JSON) by name.
    pub fn fields<'a>(
        &'a self,
        ix: &'a StructureIndex,
    ) -> impl Iterator<Item = (Option<&'a str>, &'a str)> + 'a {
        self.field_of_table
            .iter()
            .filter_map(|(t, &p)| Some((t.as_deref(), ix.places.get(p as usize)?.hint_name()?)))
    }
}

/// Lines a continuation line (a stack trace, a wrapped message) may be away from the
/// timestamped line it belongs to.
const CONTINUATION_LINES: usize = 200;

impl Dater {
    pub fn new(now: i64, order: DateOrder, fields: &[String]) -> Dater {
        Dater {
            now,
            order,
            fields: fields.iter().map(|f| normalize_name(f)).collect(),
        }
    }

    fn field_score(&self, ix: &StructureIndex, place: u32) -> u8 {
        let p = &ix.places[place as usize];
        let Some(name) = p.hint_name() else {
            return 0;
        };
        if self.fields.is_empty() {
            return date_field_score(name);
        }
        let full = p.key_path.as_deref().map(normalize_name);
        let n = normalize_name(name);
        u8::from(
            self.fields
                .iter()
                .any(|f| *f == n || Some(f) == full.as_ref()),
        ) * 10
    }

    /// Picks each table's date field and reads every row's date from it. Among the
    /// candidates a table has, the best-named one whose values are dates wins (a `time`
    /// column holding `12:00:00` gives way to the `date` column next to it).
    pub fn index(&self, buf: &[u8], ix: &StructureIndex) -> BufferDates {
        let mut candidates: HashMap<Option<Arc<str>>, Vec<(u8, u32)>> = HashMap::new();
        let mut parsed: HashMap<u32, Vec<(u64, i64)>> = HashMap::new();
        for (i, p) in ix.places.iter().enumerate() {
            let score = self.field_score(ix, i as u32);
            if score > 0 {
                candidates
                    .entry(p.table.clone())
                    .or_default()
                    .push((score, i as u32));
                parsed.insert(i as u32, Vec::new());
            }
        }
        if candidates.is_empty() {
            return BufferDates::default();
        }
        for c in ix.cells() {
            if let Some(rows) = parsed.get_mut(&c.place) {
                if let Some(t) = parse_value(&buf[c.start..c.end], self.order, self.now) {
                    rows.push((c.row, t));
                }
            }
        }
        let mut field_of_table = HashMap::new();
        let mut rows = HashMap::new();
        for (table, mut cands) in candidates {
            // Best score first; among equals, the earlier column.
            cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let pick = cands
                .iter()
                .find(|(_, p)| parsed.get(p).is_some_and(|v| !v.is_empty()))
                .or(cands.first());
            if let Some(&(_, place)) = pick {
                field_of_table.insert(table, place);
                for &(row, t) in parsed.get(&place).into_iter().flatten() {
                    rows.entry((place, row)).or_insert(t);
                }
            }
        }
        BufferDates {
            field_of_table,
            rows,
        }
    }

    /// The age of the record holding byte `pos` of `buf`.
    pub fn date_at(
        &self,
        buf: &[u8],
        structure: Option<(&StructureIndex, &BufferDates)>,
        pos: usize,
    ) -> RecordAge {
        if let Some((ix, dates)) = structure {
            if let Some(c) = ix.cell_at(pos) {
                let table = &ix.places[c.place as usize].table;
                if let Some(&field) = dates.field_of_table.get(table) {
                    let name = ix.places[field as usize].hint_name();
                    return match dates.rows.get(&(field, c.row)) {
                        Some(&t) => RecordAge::new(Some(t), DateSource::Field, name),
                        None => RecordAge::new(None, DateSource::Unknown, name),
                    };
                }
                // A structured record without a date field: its line's timestamp would be
                // some other record's, so only the file's time can stand in.
                return RecordAge::new(None, DateSource::Unknown, None);
            }
        }
        match self.line_date(buf, pos) {
            Some(t) => RecordAge::new(Some(t), DateSource::Timestamp, None),
            None => RecordAge::new(None, DateSource::Unknown, None),
        }
    }

    /// The timestamp of the line holding `pos`, or of the nearest timestamped line before it
    /// when the line has none (continuation lines).
    pub fn line_date(&self, buf: &[u8], pos: usize) -> Option<i64> {
        let mut end = pos.min(buf.len());
        for _ in 0..CONTINUATION_LINES {
            let start = memchr::memrchr(b'\n', &buf[..end]).map_or(0, |i| i + 1);
            let line_end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
            if let Some(t) = self.line_timestamp(&buf[start..line_end]) {
                return Some(t);
            }
            if start == 0 {
                return None;
            }
            end = start - 1;
        }
        None
    }

    /// A log line's own timestamp: at its start (after a syslog `<PRI>` and version, a `[`,
    /// or within its first three words: `INFO 2024-…`), the bracketed common-log-format time,
    /// or a JSON line's `ts` / `time` / `timestamp` key.
    pub fn line_timestamp(&self, line: &[u8]) -> Option<i64> {
        let line = &line[..line.len().min(4096)];
        let mut b = line.trim_ascii_start();
        if b.first() == Some(&b'<') {
            if let Some(close) = b.iter().take(6).position(|&c| c == b'>') {
                b = &b[close + 1..];
                if b.starts_with(b"1 ") {
                    b = &b[2..];
                }
            }
        }
        if b.first() == Some(&b'{') {
            return self.json_line_timestamp(b);
        }
        let mut rest = b;
        for _ in 0..3 {
            let r = rest.trim_ascii_start();
            let r = r.strip_prefix(b"[").unwrap_or(r);
            if let Some(t) = parse_leading(r, self.order, self.now) {
                return Some(t);
            }
            match r.iter().position(|c| *c == b' ') {
                Some(i) => rest = &r[i..],
                None => break,
            }
        }
        // Common log format: `host - user [05/Mar/2024:12:00:00 +0000] "GET …"`.
        let head = &b[..b.len().min(200)];
        let open = memchr::memchr(b'[', head)?;
        parse_leading(&head[open + 1..], self.order, self.now)
    }

    fn json_line_timestamp(&self, line: &[u8]) -> Option<i64> {
        const KEYS: &[&[u8]] = &[
            b"\"timestamp\"",
            b"\"@timestamp\"",
            b"\"ts\"",
            b"\"time\"",
            b"\"datetime\"",
            b"\"date\"",
            b"\"created_at\"",
        ];
        for key in KEYS {
            let Some(i) = memchr::memmem::find(line, key) else {
                continue;
            };
            let after = line[i + key.len()..].trim_ascii_start();
            let Some(v) = after.strip_prefix(b":") else {
                continue;
            };
            let v = v.trim_ascii_start();
            let v = v.strip_prefix(b"\"").unwrap_or(v);
            let end = v
                .iter()
                .position(|c| matches!(c, b'"' | b',' | b'}'))
                .unwrap_or(v.len());
            if let Some(t) = parse_value(&v[..end], self.order, self.now) {
                return Some(t);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retention::time::days_from_civil;

    fn dater() -> Dater {
        Dater::new(
            days_from_civil(2026, 11, 23) * 86400,
            DateOrder::Oldest,
            &[],
        )
    }

    #[test]
    fn picks_record_age_fields_by_name() {
        assert!(date_field_score("updated_at") > date_field_score("created_at"));
        assert!(date_field_score("created_at") > date_field_score("invoice_date"));
        assert!(date_field_score("invoice_date") > 0);
        for never in [
            "birth_date",
            "dob",
            "card_expiry",
            "due_date",
            "hire_date",
            "name",
            "format",
        ] {
            assert_eq!(date_field_score(never), 0, "{never}");
        }
    }

    #[test]
    fn a_date_field_must_hold_dates() {
        let csv = b"time,date,email\n12:00:00,2020-01-05,a@example.org\n";
        let ix = crate::format::index(crate::format::Kind::Csv, csv).unwrap();
        let d = dater();
        let dates = d.index(csv, &ix);
        let pos = csv.len() - 5;
        let age = d.date_at(csv, Some((&ix, &dates)), pos);
        assert_eq!(age.date_field.as_deref(), Some("date"));
        assert_eq!(age.time, Some(days_from_civil(2020, 1, 5) * 86400));
        // An explicit --date-field wins over names.
        let only_time = Dater::new(d.now, DateOrder::Oldest, &["Time".to_string()]);
        let dates = only_time.index(csv, &ix);
        let age = only_time.date_at(csv, Some((&ix, &dates)), pos);
        assert_eq!((age.date_field.as_deref(), age.time), (Some("time"), None));
    }

    #[test]
    fn log_lines() {
        let d = dater();
        let march_5 = Some(days_from_civil(2024, 3, 5));
        let day_of = |t: Option<i64>| t.map(|t| t.div_euclid(86400));
        for line in [
            &b"<34>1 2024-03-05T00:00:00Z host app - msg"[..],
            b"INFO 2024-03-05 10:00:00 user=x",
            b"10.0.0.1 - - [05/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200",
            b"{\"level\":\"info\",\"ts\":1709640000,\"msg\":\"x\"}",
        ] {
            assert_eq!(
                day_of(d.line_timestamp(line)),
                march_5,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert_eq!(d.line_timestamp(b"user jane logged in"), None);
        let log = b"2024-03-05T10:00:00Z error for jane@example.org\n  at Foo.bar\n  at Baz.qux jane@example.org\n";
        assert_eq!(day_of(d.line_date(log, log.len() - 10)), march_5);
    }
}
