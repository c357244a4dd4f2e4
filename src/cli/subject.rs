//! `piiscan subject find|verify|hash`: data-subject access and erasure verification.

use super::common::{load_key, prepare_with, CommonArgs, Prepared};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use piiscan::finding::Finding;
use piiscan::scan::{ScanOptions, Scanner, Sink, Stats, StructureSummary};
use piiscan::subject::{hash_subject, parse_subjects, subject_catalog, IdKind, Matcher, Subject};
use piiscan::Confidence;
use std::collections::BTreeSet;
use std::io::{self, Read, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SubjectIds {
    #[arg(long)]
    pub email: Vec<String>,
    #[arg(long)]
    pub phone: Vec<String>,
    #[arg(long)]
    pub name: Vec<String>,
    /// A custom identifier: `customer_id=4711`.
    #[arg(long = "id", value_name = "KEY=VALUE")]
    pub ids: Vec<String>,
    /// Subjects from a JSON or TOML file (one object, a list, or {"subjects": [...]}).
    #[arg(long)]
    pub subject: Option<PathBuf>,
    /// Key for hashed subject files (else PIISCAN_KEY).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum SubjectCmd {
    /// List every record that mentions the subject(s).
    Find {
        #[command(flatten)]
        who: SubjectIds,
        #[command(flatten)]
        common: CommonArgs,
        /// Print JSON Lines instead of text.
        #[arg(long)]
        json: bool,
        /// Follow identifiers found in matched rows (the row's own id column, e.g. a customer's
        /// `customer_id`) to other records.
        #[arg(long)]
        expand: bool,
        /// How many rounds --expand follows.
        #[arg(long, default_value = "1")]
        expand_depth: u32,
    },
    /// Erasure verification: exit 0 when no trace is left, 1 when something remains.
    Verify {
        #[command(flatten)]
        who: SubjectIds,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Access / portability export: every record found, grouped by source, as JSON (rows as
    /// objects keyed by column name, log lines as text). Contains raw values: the person's own
    /// data, written only to an explicit --output.
    Export {
        #[command(flatten)]
        who: SubjectIds,
        #[command(flatten)]
        common: CommonArgs,
        #[arg(long, short = 'o', required = true)]
        output: PathBuf,
    },
    /// Write the subject file with keyed hashes of the normalised identifiers instead of values.
    Hash {
        #[command(flatten)]
        who: SubjectIds,
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
}

fn subjects_of(who: &SubjectIds) -> Result<Vec<Subject>> {
    let mut out = match &who.subject {
        Some(p) => parse_subjects(
            &std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
        None => Vec::new(),
    };
    let mut ids = Vec::new();
    for i in &who.ids {
        let (k, v) = i
            .split_once('=')
            .with_context(|| format!("--id {i}: expected KEY=VALUE"))?;
        ids.push((k.trim().to_string(), v.trim().to_string()));
    }
    if !(who.email.is_empty() && who.phone.is_empty() && who.name.is_empty() && ids.is_empty()) {
        out.push(Subject {
            email: who.email.clone(),
            phone: who.phone.clone(),
            name: who.name.clone(),
            id: ids,
            hashed: false,
        });
    }
    anyhow::ensure!(
        !out.is_empty(),
        "no subject given: --email, --phone, --name, --id or --subject FILE"
    );
    Ok(out)
}

/// One place where a subject appears.
#[derive(serde::Serialize)]
struct Hit {
    subject: usize,
    identifier: &'static str,
    #[serde(flatten)]
    finding: Finding,
    /// The matched value, for `export` only (never serialised with the hit).
    #[serde(skip)]
    raw: String,
}

/// A structured row: path, table, row number.
type RowKey = (String, Option<String>, u64);

struct SubjectSink {
    matcher: Matcher,
    /// Names found in the current structured row (first and last name columns), combined
    /// pairwise when the row ends: `first_name=Jane`, `last_name=Doe` is "Jane Doe".
    row_names: Option<(RowKey, Vec<Finding>)>,
    hits: Vec<Hit>,
    files: u64,
    bytes: u64,
    tables: BTreeSet<(String, String)>,
    skipped: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl SubjectSink {
    fn hit(&mut self, s: usize, identifier: &'static str, f: &Finding) {
        let mut finding = f.clone();
        let raw = finding.value.take().unwrap_or_default();
        self.hits.push(Hit {
            subject: s,
            identifier,
            finding,
            raw,
        });
    }

    /// A name the catalogue's name detectors found (hashed subjects): looked up whole, as
    /// first + last, and kept to be combined with the other names of its row.
    fn person_name(&mut self, f: &Finding, raw: &str) {
        let mut forms = vec![raw.to_string()];
        forms.extend(piiscan::subject::first_and_last(raw));
        let mut matched: Vec<usize> = forms
            .iter()
            .flat_map(|v| self.matcher.lookup(IdKind::Name, v).to_vec())
            .collect();
        matched.sort_unstable();
        matched.dedup();
        for s in matched {
            self.hit(s, "name", f);
        }
        if let Some(row) = f.location.row {
            let key = (
                f.path.to_string(),
                f.location.table.as_deref().map(str::to_string),
                row,
            );
            if self.row_names.as_ref().is_some_and(|(k, _)| *k != key) {
                self.flush_row();
            }
            self.row_names
                .get_or_insert_with(|| (key, Vec::new()))
                .1
                .push(f.clone());
        }
    }

    /// Pairs of names found in different cells of one row, looked up as one name.
    fn flush_row(&mut self) {
        let Some((_, names)) = self.row_names.take() else {
            return;
        };
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                if a.location.column == b.location.column {
                    continue;
                }
                let (Some(va), Some(vb)) = (&a.value, &b.value) else {
                    continue;
                };
                let both = format!("{va} {vb}");
                for s in self.matcher.lookup(IdKind::Name, &both).to_vec() {
                    self.hit(s, "name", a);
                    self.hit(s, "name", b);
                }
            }
        }
    }
}

impl Sink for SubjectSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let raw = f.value.clone().unwrap_or_default();
        let (kind, probe) = match f.detector.as_str() {
            "email" => (IdKind::Email, raw),
            "phone" => (IdKind::Phone, raw),
            "subject.name" => (IdKind::Name, raw),
            "person_name" => {
                self.person_name(f, &raw);
                return Ok(());
            }
            d if d.starts_with("subject.id.") => {
                (IdKind::Id, format!("{}={raw}", &d["subject.id.".len()..]))
            }
            _ => return Ok(()),
        };
        for s in self.matcher.lookup(kind, &probe).to_vec() {
            self.hit(s, kind.as_str(), f);
        }
        Ok(())
    }
    fn skipped(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.skipped.push((path.into(), reason.into()));
        Ok(())
    }
    fn error(&mut self, path: &str, reason: &str) -> io::Result<()> {
        eprintln!("piiscan: {path}: {reason}");
        self.errors.push((path.into(), reason.into()));
        Ok(())
    }
    fn scanned(
        &mut self,
        path: &str,
        bytes: u64,
        structure: Option<&StructureSummary>,
    ) -> io::Result<()> {
        self.flush_row();
        self.files += 1;
        self.bytes += bytes;
        if let Some(s) = structure {
            for (p, _) in &s.places {
                if let Some(t) = &p.table {
                    self.tables.insert((path.to_string(), t.to_string()));
                }
            }
        }
        Ok(())
    }
}

fn search(who: &SubjectIds, common: &CommonArgs) -> Result<SubjectSink> {
    search_subjects(subjects_of(who)?, who, common)
}

/// The id that identifies the row a hit lies in: the first column of a table or CSV row when
/// its name ends in "id" (`customer_id` of a customer row, not its `support_rep_id`).
fn row_identity(
    h: &Hit,
    cache: &mut std::collections::HashMap<
        String,
        Option<(Vec<u8>, piiscan::format::StructureIndex)>,
    >,
) -> Option<(String, String)> {
    let loc = &h.finding.location;
    let row = loc.row?;
    let entry = cache.entry(h.finding.path.to_string()).or_insert_with(|| {
        let (mut reader, name) = open_source(&h.finding.path).ok().flatten()?;
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).ok()?;
        let kind = piiscan::format::detect_kind(&name, &bytes[..bytes.len().min(8192)]);
        let ix = piiscan::format::index(kind, &bytes)?;
        Some((bytes, ix))
    });
    let (bytes, ix) = entry.as_ref()?;
    let first = ix.cells().find(|c| {
        c.row == row && ix.places[c.place as usize].table.as_deref() == loc.table.as_deref()
    })?;
    let col = ix.places[first.place as usize].column.as_deref()?;
    if !piiscan::format::normalize_name(col).ends_with("id") {
        return None;
    }
    Some((
        col.to_string(),
        String::from_utf8_lossy(&bytes[first.start..first.end]).into_owned(),
    ))
}

/// `find --expand`: repeats the search with the ids of matched rows added, reporting on stderr
/// which identifier led where.
fn search_expanding(who: &SubjectIds, common: &CommonArgs, depth: u32) -> Result<SubjectSink> {
    let mut subjects = subjects_of(who)?;
    anyhow::ensure!(
        subjects.iter().all(|s| !s.hashed),
        "--expand needs plain subjects (hashed ids cannot be extended)"
    );
    let mut sink = search_subjects(subjects.clone(), who, common)?;
    let mut cache = std::collections::HashMap::new();
    for _ in 0..depth {
        let mut added = false;
        for h in &sink.hits {
            if let Some((k, v)) = row_identity(h, &mut cache) {
                let s = &mut subjects[h.subject];
                if !s
                    .id
                    .iter()
                    .any(|(a, b)| a.eq_ignore_ascii_case(&k) && *b == v)
                {
                    eprintln!(
                        "expand: subject {} gains {k}={} (its row {} of {} in {}, found by {})",
                        h.subject + 1,
                        "*".repeat(v.chars().count()),
                        h.finding.location.row.unwrap_or(0),
                        h.finding.location.table.as_deref().unwrap_or("-"),
                        h.finding.path,
                        h.identifier
                    );
                    s.id.push((k, v));
                    added = true;
                }
            }
        }
        if !added {
            break;
        }
        sink = search_subjects(subjects.clone(), who, common)?;
    }
    Ok(sink)
}

fn search_subjects(
    subjects: Vec<Subject>,
    who: &SubjectIds,
    common: &CommonArgs,
) -> Result<SubjectSink> {
    let key = load_key(who.key_file.as_deref())?;
    let matcher = Matcher::new(&subjects, key.as_deref()).map_err(anyhow::Error::msg)?;
    let Prepared {
        engine,
        opts,
        inputs,
        walk_errors,
        ..
    } = prepare_with(common, Some(subject_catalog(&subjects)?))?;
    // Every candidate is looked up, however weak: a verification must not miss a trace.
    let scanner = Scanner::new(
        engine,
        ScanOptions {
            min_confidence: Confidence::Low,
            reveal: true,
            ..opts
        },
    );
    let mut sink = SubjectSink {
        matcher,
        row_names: None,
        hits: Vec::new(),
        files: 0,
        bytes: 0,
        tables: BTreeSet::new(),
        skipped: Vec::new(),
        errors: Vec::new(),
    };
    for e in &walk_errors {
        sink.errors.push((e.path.clone(), e.reason.clone()));
    }
    scanner.run(&inputs, &mut sink, &Stats::default())?;
    Ok(sink)
}

/// Records built from the matched values alone (a database table, an archive member): each
/// row holds the matched columns, marked `partial`.
fn export_from_hits(path: &str, hits: &[&Hit]) -> serde_json::Value {
    use std::collections::BTreeMap;
    // (table or "line", row or line) -> (matched columns, identifiers)
    type Partial<'a> = (
        serde_json::Map<String, serde_json::Value>,
        BTreeSet<&'a str>,
    );
    let mut records: BTreeMap<(String, u64), Partial> = BTreeMap::new();
    for h in hits {
        let loc = &h.finding.location;
        let key = match loc.row {
            Some(row) => (loc.table.as_deref().unwrap_or_default().to_string(), row),
            None => (String::from("line"), h.finding.line),
        };
        let column = loc
            .column
            .clone()
            .or_else(|| loc.key_path.clone())
            .unwrap_or_else(|| "text".into());
        let e = records.entry(key).or_default();
        e.0.insert(column.to_string(), serde_json::Value::String(h.raw.clone()));
        e.1.insert(h.identifier);
    }
    let records: Vec<serde_json::Value> = records
        .into_iter()
        .map(|((table, row), (data, by))| {
            if table == "line" {
                serde_json::json!({"line": row, "data": data, "partial": true, "matched_by": by})
            } else {
                serde_json::json!({"table": table, "row": row, "data": data, "partial": true, "matched_by": by})
            }
        })
        .collect();
    serde_json::json!({"path": path, "kind": "matched values", "records": records})
}

/// A fresh reader over a source that is read again after the scan (export, `--expand`),
/// decompressing, and the name its structure is read by (`users.csv.gz` → `users.csv`);
/// `None` for archive members and databases.
fn open_source(path: &str) -> Result<Option<(Box<dyn Read>, String)>> {
    if path.contains("!/") || path.contains("://") || path.starts_with("sqlite:") {
        return Ok(None);
    }
    let mut file = std::fs::File::open(path)
        .with_context(|| format!("cannot re-read {path} for the export"))?;
    let mut head = Vec::new();
    (&mut file).take(16).read_to_end(&mut head)?;
    if head.starts_with(b"SQLite format 3\0") {
        return Ok(None); // a database file: its tables were read, not its bytes
    }
    let compression = piiscan::source::compress::detect(&head);
    let file = std::io::Cursor::new(head).chain(file);
    Ok(Some(match compression {
        Some(c) => (
            Box::new(piiscan::source::compress::decode(
                c,
                file,
                piiscan::source::compress::Limits::default(),
            )?) as Box<dyn Read>,
            c.inner_name(path),
        ),
        None => (Box::new(file) as Box<dyn Read>, path.to_string()),
    }))
}

/// Builds the export document: per source, each record once (a structured row as an object
/// keyed by column name, otherwise the text line), with the identifiers that led to it. Sources
/// are streamed (structured ones in record-aligned windows), so a large dump is not loaded
/// whole.
fn export(hits: &[Hit]) -> Result<serde_json::Value> {
    use std::collections::{BTreeMap, HashMap, HashSet};
    use std::io::BufRead;
    let mut by_path: BTreeMap<&str, Vec<&Hit>> = BTreeMap::new();
    for h in hits {
        by_path.entry(h.finding.path.as_str()).or_default().push(h);
    }
    let mut sources = Vec::new();
    for (path, hits) in by_path {
        let Some((mut reader, name)) = open_source(path)? else {
            sources.push(export_from_hits(path, &hits));
            continue;
        };
        let mut head = Vec::new();
        (&mut reader).take(8192).read_to_end(&mut head)?;
        let kind = piiscan::format::detect_kind(&name, &head);
        let structured = matches!(
            kind,
            piiscan::format::Kind::Csv | piiscan::format::Kind::Sql
        );
        // Wanted records: rows by (table, row), other records by line.
        let mut rows: BTreeMap<(String, u64), BTreeSet<&str>> = BTreeMap::new();
        let mut lines: BTreeMap<u64, BTreeSet<&str>> = BTreeMap::new();
        for h in &hits {
            let loc = &h.finding.location;
            match loc.row {
                Some(row) if structured => rows
                    .entry((loc.table.as_deref().unwrap_or_default().to_string(), row))
                    .or_default()
                    .insert(h.identifier),
                _ => lines
                    .entry(h.finding.line)
                    .or_default()
                    .insert(h.identifier),
            };
        }
        let mut records: Vec<serde_json::Value> = Vec::new();
        if !rows.is_empty() {
            let mut wanted: HashMap<&str, HashSet<u64>> = HashMap::new();
            for (t, r) in rows.keys() {
                wanted.entry(t.as_str()).or_default().insert(*r);
            }
            let mut data: HashMap<(String, u64), serde_json::Map<String, serde_json::Value>> =
                HashMap::new();
            let input = std::io::Cursor::new(head.clone()).chain(reader);
            for w in piiscan::format::Windows::new(input, kind, 8 << 20) {
                let w = w.with_context(|| format!("cannot re-read {path} for the export"))?;
                let Some(ix) = &w.index else { continue };
                let sets: Vec<Option<&HashSet<u64>>> = ix
                    .places
                    .iter()
                    .map(|p| wanted.get(p.table.as_deref().unwrap_or("")))
                    .collect();
                for c in ix.cells() {
                    let Some(set) = sets[c.place as usize] else {
                        continue;
                    };
                    if !set.contains(&c.row) {
                        continue;
                    }
                    let place = &ix.places[c.place as usize];
                    let table = place.table.as_deref().unwrap_or("").to_string();
                    data.entry((table, c.row)).or_default().insert(
                        place.column.as_deref().unwrap_or("?").to_string(),
                        serde_json::Value::String(
                            String::from_utf8_lossy(&w.buf[c.start..c.end]).into_owned(),
                        ),
                    );
                }
            }
            for ((table, row), by) in &rows {
                let row_data = data.remove(&(table.clone(), *row)).unwrap_or_default();
                let table = (!table.is_empty()).then_some(table);
                records.push(serde_json::json!({
                    "table": table, "row": row, "data": row_data, "matched_by": by
                }));
            }
        }
        if !lines.is_empty() {
            let Some((reader, _)) = open_source(path)? else {
                continue;
            };
            let mut reader = std::io::BufReader::new(reader);
            let mut buf = Vec::new();
            let mut n = 0u64;
            let last = lines.keys().next_back().copied().unwrap_or(0);
            while n < last {
                buf.clear();
                if reader.read_until(b'\n', &mut buf)? == 0 {
                    break;
                }
                n += 1;
                let Some(by) = lines.get(&n) else { continue };
                let text = String::from_utf8_lossy(&buf)
                    .trim_end_matches(['\n', '\r'])
                    .to_string();
                records.push(match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(v) if v.is_object() => {
                        serde_json::json!({"line": n, "data": v, "matched_by": by})
                    }
                    _ => serde_json::json!({"line": n, "text": text, "matched_by": by}),
                });
            }
        }
        sources.push(serde_json::json!({"path": path, "kind": kind.as_str(), "records": records}));
    }
    Ok(
        serde_json::json!({"schema": 1, "generated_by": "piiscan subject export", "sources": sources}),
    )
}

fn describe(h: &Hit) -> String {
    let f = &h.finding;
    let mut place = format!("{}:{}:{}", f.path, f.line, f.column);
    if let Some(t) = &f.location.table {
        place.push_str(&format!(" table {t}"));
    }
    if let Some(c) = &f.location.column {
        place.push_str(&format!(" column {c}"));
    }
    if let Some(k) = &f.location.key_path {
        place.push_str(&format!(" key {k}"));
    }
    if let Some(r) = f.location.row {
        place.push_str(&format!(" row {r}"));
    }
    format!(
        "{place}: subject {} by {} {}",
        h.subject + 1,
        h.identifier,
        f.masked
    )
}

pub fn run(cmd: SubjectCmd) -> Result<i32> {
    match cmd {
        SubjectCmd::Hash { who, output } => {
            let key = load_key(who.key_file.as_deref())?
                .context("hashing needs a key: --key-file FILE or PIISCAN_KEY")?;
            let hashed: Vec<Subject> = subjects_of(&who)?
                .iter()
                .map(|s| hash_subject(&key, s))
                .collect();
            let text = serde_json::to_string_pretty(&hashed)? + "\n";
            match output {
                Some(p) => std::fs::write(&p, text)
                    .with_context(|| format!("cannot write {}", p.display()))?,
                None => io::stdout().write_all(text.as_bytes())?,
            }
            Ok(0)
        }
        SubjectCmd::Find {
            who,
            common,
            json,
            expand,
            expand_depth,
        } => {
            let sink = if expand {
                search_expanding(&who, &common, expand_depth)?
            } else {
                search(&who, &common)?
            };
            let mut out = io::BufWriter::new(io::stdout().lock());
            for h in &sink.hits {
                if json {
                    serde_json::to_writer(&mut out, h)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{}", describe(h))?;
                }
            }
            out.flush()?;
            eprintln!(
                "{} record{} found in {} files / {} bytes / {} tables",
                sink.hits.len(),
                if sink.hits.len() == 1 { "" } else { "s" },
                sink.files,
                sink.bytes,
                sink.tables.len()
            );
            Ok(if !sink.errors.is_empty() {
                2
            } else if sink.hits.is_empty() {
                0
            } else {
                1
            })
        }
        SubjectCmd::Export {
            who,
            common,
            output,
        } => {
            let sink = search(&who, &common)?;
            let doc = export(&sink.hits)?;
            let records = doc["sources"].as_array().map_or(0, |s| {
                s.iter()
                    .map(|x| x["records"].as_array().map_or(0, Vec::len))
                    .sum()
            });
            std::fs::write(&output, serde_json::to_string_pretty(&doc)? + "\n")
                .with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!(
                "{records} records from {} sources written to {}",
                doc["sources"].as_array().map_or(0, Vec::len),
                output.display()
            );
            Ok(if !sink.errors.is_empty() { 2 } else { 0 })
        }
        SubjectCmd::Verify { who, common } => {
            let sink = search(&who, &common)?;
            for (p, r) in &sink.skipped {
                eprintln!("not scanned: {p}: {r}");
            }
            if sink.hits.is_empty() {
                outln!(
                    "not found in {} files / {} bytes / {} tables ({} not scanned, {} errors)",
                    sink.files,
                    sink.bytes,
                    sink.tables.len(),
                    sink.skipped.len(),
                    sink.errors.len()
                )?;
            } else {
                for h in &sink.hits {
                    outln!("{}", describe(h))?;
                }
                outln!(
                    "still present: {} records in {} files / {} bytes scanned",
                    sink.hits.len(),
                    sink.files,
                    sink.bytes
                )?;
            }
            Ok(if !sink.errors.is_empty() {
                2
            } else if sink.hits.is_empty() {
                0
            } else {
                1
            })
        }
    }
}
