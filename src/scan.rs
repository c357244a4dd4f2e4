//! The driver: runs inputs in parallel through source → engine → sink. Small files are read
//! whole; large files are split into chunks read with positioned reads and scanned in
//! parallel with an overlap, so memory stays bounded whatever the file size; stdin is streamed
//! in blocks. Results reach the sink in input order; those of a large input (text chunks,
//! structured windows, stdin blocks) batch by batch as they are ready, so memory does not grow
//! with its findings either.

use crate::detect::{Engine, Match, ScanState};
use crate::error::io_reason;
use crate::filter::{Allowlist, Baseline, IgnoreMarkers};
use crate::finding::{Confidence, Finding, Location, SharedStr};
use crate::format::StructureIndex;
use crate::retention::RecordAge;
use crate::source::decode::{sniff, transcode_utf16, Encoding, Sniffed};
use crate::source::Input;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Receives what a scan produces. One engine feeds many outputs: printers, inventories,
/// redactors and subject searches are all sinks.
pub trait Sink {
    /// A finding at or above the threshold, in input order and by offset within an input.
    fn finding(&mut self, f: &Finding) -> io::Result<()>;
    /// An input that was not scanned, and why (binary, too large, ...).
    fn skipped(&mut self, _path: &str, _reason: &str) -> io::Result<()> {
        Ok(())
    }
    /// An input that could not be read.
    fn error(&mut self, _path: &str, _reason: &str) -> io::Result<()> {
        Ok(())
    }
    /// An input was scanned (after its findings): its size and, for structured inputs, its
    /// places and row counts.
    fn scanned(
        &mut self,
        _path: &str,
        _bytes: u64,
        _structure: Option<&StructureSummary>,
    ) -> io::Result<()> {
        Ok(())
    }
    /// All inputs are done.
    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        Ok(())
    }
}

/// Collects findings in memory (library users and tests).
#[derive(Default)]
pub struct VecSink {
    pub findings: Vec<Finding>,
    pub skipped: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

impl Sink for VecSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.findings.push(f.clone());
        Ok(())
    }
    fn skipped(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.skipped.push((path.into(), reason.into()));
        Ok(())
    }
    fn error(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.errors.push((path.into(), reason.into()));
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub min_confidence: Confidence,
    /// Put raw values into findings (`--reveal`).
    pub reveal: bool,
    /// Scan files that look binary instead of skipping them.
    pub binary: bool,
    pub max_filesize: Option<u64>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Bytes per chunk for large files, structured windows and stdin blocks. 2 MiB: every
    /// chunk in flight is memory touched for the first time (no transparent huge pages, see
    /// `main.rs`), and on a 64 MB file 8 MiB chunks spent a tenth of the run in page faults
    /// (corpus, one thread: 0.93 s at 8 MiB, 0.79 s at 2 MiB, 0.82 s at 1 MiB).
    pub chunk_size: usize,
    pub allowlist: Allowlist,
    /// Known findings: suppressed, or (with `write_baseline`) fingerprinted for a new baseline.
    pub baseline: Option<Baseline>,
    pub write_baseline: bool,
    /// When set, findings carry a keyed digest of their value (inventories count distinct
    /// values without keeping them).
    pub digest_key: Option<Vec<u8>>,
    /// When set, findings carry the age of their record (retention audits, inventories).
    pub dater: Option<std::sync::Arc<crate::retention::Dater>>,
    /// How live databases are read.
    pub db: crate::db::DbOptions,
    /// Read CSV/JSON/SQL with their structure (off: everything as plain text).
    pub structure: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            min_confidence: Confidence::Medium,
            reveal: false,
            binary: false,
            max_filesize: None,
            threads: 0,
            chunk_size: 2 << 20,
            allowlist: Allowlist::default(),
            baseline: None,
            write_baseline: false,
            digest_key: None,
            dater: None,
            db: crate::db::DbOptions::default(),
            structure: true,
        }
    }
}

/// Counters of a run, also read live by progress displays.
#[derive(Debug, Default)]
pub struct Stats {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub findings: AtomicU64,
    pub skipped: AtomicU64,
    pub errors: AtomicU64,
    pub suppressed: AtomicU64,
    /// What is being read now when it is worth showing (a database table).
    pub current: Mutex<String>,
}

impl Stats {
    pub fn get(v: &AtomicU64) -> u64 {
        v.load(Ordering::Relaxed)
    }
}

/// What scanning one input produced.
enum Outcome {
    Findings {
        path: String,
        bytes: u64,
        findings: Vec<Finding>,
        structure: Option<StructureSummary>,
        /// Read stopped early (corrupt compressed data, a bomb limit): what was read was
        /// scanned, and this is reported as an error.
        problem: Option<String>,
    },
    Skipped(String, String),
    /// An archive: one outcome per member.
    Many(Vec<Outcome>),
    Error(String, String),
}

/// What a worker sends for input `i`: the findings of a large input batch by batch as they
/// are ready (so memory does not grow with its findings), then the input's outcome.
enum Message {
    Part(Vec<Finding>),
    Done(Outcome),
}

/// Where the findings of a large input go as they are ready.
type Emit<'a> = &'a mut dyn FnMut(Vec<Finding>);

/// Line numbering carried from one batch of chunks to the next.
#[derive(Default)]
struct LineCursor {
    lines_before: u64,
    last_newline: Option<u64>,
}

pub struct Scanner {
    engine: Engine,
    opts: ScanOptions,
    overlap: usize,
    /// Chunk buffers of large text files, reused: a fresh buffer per chunk cost a page fault
    /// and the kernel's zeroing for every 4 KiB read.
    chunk_buffers: Mutex<Vec<Vec<u8>>>,
    /// Set when the sink fails (its reader went away): inputs and chunks not yet started are
    /// not scanned, since nothing more can be delivered.
    cancelled: std::sync::atomic::AtomicBool,
    /// Each detector's id and category, shared by its findings (a dense export has millions).
    detector_names: Vec<(SharedStr, SharedStr)>,
}

/// Matches of one chunk, with what the driver needs to number lines across chunks.
struct ChunkResult {
    /// (absolute match, newlines between core start and match start, absolute start of its
    /// line if that line starts inside this chunk's buffer).
    matches: Vec<(Match, u64, Option<u64>)>,
    newlines: u64,
    last_newline: Option<u64>,
    /// The matched bytes, one after another (`raw_ends[i]` ends match `i`'s): one buffer per
    /// chunk, not one allocation per finding.
    raw: Vec<u8>,
    raw_ends: Vec<usize>,
    locations: Vec<Location>,
    ages: Vec<Option<RecordAge>>,
}

/// The structure of one input as the inventory needs it: every place (table column, CSV
/// column, key path) with its row count, and why structure stopped early if it did.
#[derive(Debug, Clone, Default)]
pub struct StructureSummary {
    pub kind: String,
    pub places: Vec<(crate::format::Place, u64)>,
    pub problem: Option<String>,
}

impl StructureSummary {
    fn of(ix: &StructureIndex) -> StructureSummary {
        StructureSummary {
            kind: ix.kind.map_or("text", |k| k.as_str()).to_string(),
            places: ix
                .places
                .iter()
                .cloned()
                .zip(ix.rows.iter().copied())
                .collect(),
            problem: ix.problem.clone(),
        }
    }

    /// Adds one window's places (row counts are running totals, so the larger wins).
    fn merge(&mut self, ix: &StructureIndex) {
        for (place, &rows) in ix.places.iter().zip(&ix.rows) {
            match self.places.iter_mut().find(|(p, _)| p == place) {
                Some(entry) => entry.1 = entry.1.max(rows),
                None => self.places.push((place.clone(), rows)),
            }
        }
        if self.problem.is_none() {
            self.problem.clone_from(&ix.problem);
        }
    }

    /// Every key path of a JSON input was looked for in every record, as a whole-buffer
    /// index says: each gets the records of all windows (a window only knows the key paths
    /// it met, so a key missing from the last windows kept their predecessors' count).
    fn every_key_path_in_every_record(&mut self) {
        let records = self.places.iter().map(|(_, rows)| *rows).max().unwrap_or(0);
        for (_, rows) in &mut self.places {
            *rows = records;
        }
    }
}

impl Scanner {
    pub fn new(engine: Engine, opts: ScanOptions) -> Scanner {
        let overlap = (engine.max_match_len() + 64).max(4096);
        let detector_names = engine
            .specs()
            .map(|s| {
                (
                    SharedStr::from(s.id.as_str()),
                    SharedStr::from(s.category.as_str()),
                )
            })
            .collect();
        Scanner {
            detector_names,
            engine,
            opts,
            overlap,
            chunk_buffers: Mutex::new(Vec::new()),
            cancelled: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    fn take_chunk_buffer(&self) -> Vec<u8> {
        match self.chunk_buffers.lock() {
            Ok(mut free) => free.pop().unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// Takes back a chunk's buffer, its bytes left in place: the next chunk overwrites them
    /// (and keeps only what it read), so its `resize` zeroes nothing.
    fn give_chunk_buffer(&self, buf: Vec<u8>) {
        if let Ok(mut free) = self.chunk_buffers.lock() {
            // One per thread is all a run uses at a time.
            if free.len() < rayon::current_num_threads() {
                free.push(buf);
            }
        }
    }

    /// The reader an input gets: by name and content, or plain text without `structure`.
    pub fn kind_of(&self, name: &str, head: &[u8]) -> crate::format::Kind {
        if self.opts.structure {
            crate::format::detect_kind(name, head)
        } else {
            crate::format::Kind::Text
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn options(&self) -> &ScanOptions {
        &self.opts
    }

    fn pool(&self) -> Result<rayon::ThreadPool, crate::Error> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.opts.threads)
            .build()
            .map_err(|e| crate::Error::Usage(format!("cannot start worker threads: {e}")))
    }

    /// A live database: every table, in parallel over the configured connections; one
    /// outcome per table, named `display`, with `table.column` places.
    fn scan_database(&self, target: &crate::db::DbTarget, display: &str, stats: &Stats) -> Outcome {
        let engine = &self.engine;
        // Text-like columns, columns named for personal data (a `birth_date` of type date),
        // and, when records are dated, the date fields.
        let dating = self.opts.dater.is_some();
        let wants = |c: &crate::db::ColumnInfo| {
            c.textlike
                || !engine.hinted_detectors(&c.name).is_empty()
                || (dating && crate::retention::date_field_score(&c.name) > 0)
        };
        let on_table = |t: &str| {
            if let Ok(mut cur) = stats.current.lock() {
                *cur = format!("{display} {t}");
            }
        };
        let scan_batch = |buf: &[u8], ix: &StructureIndex, st: &mut ScanState| {
            let chunk = self.scan_chunk(buf, 0, 0, buf.len(), Some(ix), st);
            self.to_findings(display, vec![chunk], None)
        };
        let new_state = || engine.new_state();
        let on_bytes = |n: u64| {
            stats.bytes.fetch_add(n, Ordering::Relaxed);
        };
        match crate::db::scan_tables(
            target,
            &self.opts.db,
            &wants,
            &scan_batch,
            &new_state,
            &on_bytes,
            &on_table,
        ) {
            Err(e) => Outcome::Error(display.into(), e.to_string()),
            Ok(tables) => Outcome::Many(
                tables
                    .into_iter()
                    .map(|t| Outcome::Findings {
                        path: display.into(),
                        bytes: t.bytes,
                        findings: t.findings,
                        structure: Some(StructureSummary {
                            kind: "database".into(),
                            places: t.places,
                            problem: None,
                        }),
                        problem: t.error,
                    })
                    .collect(),
            ),
        }
    }

    /// Scans an in-memory buffer as if it were a file named `path`.
    pub fn scan_bytes(&self, path: &str, bytes: &[u8]) -> Vec<Finding> {
        let mut state = self.engine.new_state();
        self.scan_whole(bytes, path, path, &mut state).0
    }

    /// A whole input in memory: structure from `name` (the file or member name, without a
    /// compression suffix) and content, then one scan; findings are reported under `display`.
    fn scan_whole(
        &self,
        data: &[u8],
        display: &str,
        name: &str,
        state: &mut ScanState,
    ) -> (Vec<Finding>, Option<StructureSummary>) {
        let kind = self.kind_of(name, &data[..data.len().min(8192)]);
        let ix = crate::format::index(kind, data);
        let chunk = self.scan_chunk(data, 0, 0, data.len(), ix.as_ref(), state);
        (
            self.to_findings(display, vec![chunk], None),
            ix.as_ref().map(StructureSummary::of),
        )
    }

    /// Scans every input and pushes results into `sink` in input order. Returns the stats;
    /// `Err` only when the sink fails (an unreadable input is reported to the sink instead).
    pub fn run(
        &self,
        inputs: &[Input],
        sink: &mut dyn Sink,
        stats: &Stats,
    ) -> Result<(), crate::Error> {
        self.cancelled.store(false, Ordering::Relaxed);
        let pool = self.pool()?;
        let threads = pool.current_num_threads();
        let states: Vec<Mutex<ScanState>> = (0..threads + 1)
            .map(|_| Mutex::new(self.engine.new_state()))
            .collect();
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Message)>(threads * 4 + 4);
        std::thread::scope(|scope| -> Result<(), crate::Error> {
            let states = &states;
            scope.spawn(move || {
                pool.install(|| {
                    inputs
                        .par_iter()
                        .enumerate()
                        .for_each_with(tx, |tx, (i, input)| {
                            if self.is_cancelled() {
                                return;
                            }
                            let mut emit = |part: Vec<Finding>| {
                                let _ = tx.send((i, Message::Part(part)));
                            };
                            let outcome = self.scan_input(input, states, stats, &mut emit);
                            let _ = tx.send((i, Message::Done(outcome)));
                        });
                });
            });
            // Inputs are delivered in order: messages of the input being delivered go to the
            // sink at once, those of later inputs wait here.
            let mut pending: BTreeMap<usize, Vec<Message>> = BTreeMap::new();
            let mut next = 0;
            let mut sink_error = None;
            let mut handle = |msg: Message, sink_error: &mut Option<io::Error>| {
                let done = matches!(msg, Message::Done(_));
                if sink_error.is_none() {
                    let delivered = match msg {
                        Message::Part(findings) => self.deliver_part(findings, sink, stats),
                        Message::Done(o) => self.deliver(o, sink, stats),
                    };
                    if let Err(e) = delivered {
                        self.cancelled.store(true, Ordering::Relaxed);
                        *sink_error = Some(e);
                    }
                }
                done
            };
            for (i, msg) in rx {
                pending.entry(i).or_default().push(msg);
                // The input being delivered, then later ones that already finished.
                while let Some(msgs) = pending.remove(&next) {
                    let mut done = false;
                    for m in msgs {
                        done = handle(m, &mut sink_error);
                    }
                    if !done {
                        break;
                    }
                    next += 1;
                }
            }
            match sink_error {
                Some(e) => Err(crate::Error::Output(e)),
                None => Ok(()),
            }
        })?;
        sink.finish(stats)?;
        Ok(())
    }

    fn deliver_part(
        &self,
        findings: Vec<Finding>,
        sink: &mut dyn Sink,
        stats: &Stats,
    ) -> io::Result<()> {
        stats
            .findings
            .fetch_add(findings.len() as u64, Ordering::Relaxed);
        for f in &findings {
            sink.finding(f)?;
        }
        Ok(())
    }

    fn deliver(&self, o: Outcome, sink: &mut dyn Sink, stats: &Stats) -> io::Result<()> {
        match o {
            Outcome::Findings {
                path,
                bytes,
                findings,
                structure,
                problem,
            } => {
                if let Some(p) = problem {
                    stats.errors.fetch_add(1, Ordering::Relaxed);
                    sink.error(&path, &p)?;
                }
                stats.files.fetch_add(1, Ordering::Relaxed);
                self.deliver_part(findings, sink, stats)?;
                sink.scanned(&path, bytes, structure.as_ref())?;
            }
            Outcome::Skipped(p, r) => {
                stats.skipped.fetch_add(1, Ordering::Relaxed);
                sink.skipped(&p, &r)?;
            }
            Outcome::Many(outcomes) => {
                for o in outcomes {
                    self.deliver(o, sink, stats)?;
                }
            }
            Outcome::Error(p, r) => {
                stats.errors.fetch_add(1, Ordering::Relaxed);
                sink.error(&p, &r)?;
            }
        }
        Ok(())
    }

    fn with_state<T>(&self, states: &[Mutex<ScanState>], f: impl FnOnce(&mut ScanState) -> T) -> T {
        let idx = rayon::current_thread_index()
            .unwrap_or(states.len() - 1)
            .min(states.len() - 1);
        match states[idx].lock() {
            Ok(mut g) => f(&mut g),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    fn scan_input(
        &self,
        input: &Input,
        states: &[Mutex<ScanState>],
        stats: &Stats,
        emit: Emit<'_>,
    ) -> Outcome {
        match input {
            Input::Stdin => {
                let stdin = io::stdin();
                let mut lock = stdin.lock();
                // Findings go on block by block: a stream may never end.
                match self.with_state(states, |st| {
                    self.scan_stream_partial("-", &mut lock, st, stats, Some(emit))
                }) {
                    (findings, None) => Outcome::Findings {
                        path: "-".into(),
                        bytes: 0,
                        findings,
                        structure: None,
                        problem: None,
                    },
                    (_, Some(e)) => Outcome::Error("-".into(), io_reason(&e)),
                }
            }
            Input::Database(target) => self.scan_database(target, &target.display(), stats),
            Input::File { path, display } => {
                match self.scan_file(path, display, states, stats, emit) {
                    Ok(o) => o,
                    Err(e) => Outcome::Error(display.clone(), io_reason(&e)),
                }
            }
        }
    }

    fn scan_file(
        &self,
        path: &std::path::Path,
        display: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
        emit: Emit<'_>,
    ) -> io::Result<Outcome> {
        let file = File::open(path)?;
        let md = file.metadata()?;
        let mtime = md
            .modified()
            .ok()
            .and_then(crate::retention::time::unix_seconds)
            .filter(|_| self.opts.dater.is_some());
        let mut dated = |mut part: Vec<Finding>| {
            date_findings_by_mtime(&mut part, mtime);
            emit(part)
        };
        let mut outcome = self.scan_opened(file, &md, path, display, states, stats, &mut dated)?;
        date_by_mtime(&mut outcome, mtime);
        Ok(outcome)
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_opened(
        &self,
        file: File,
        md: &std::fs::Metadata,
        path: &std::path::Path,
        display: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
        emit: Emit<'_>,
    ) -> io::Result<Outcome> {
        if md.is_dir() {
            return Ok(Outcome::Skipped(display.into(), "directory".into()));
        }
        let size = md.len();
        if let Some(max) = self.opts.max_filesize {
            if size > max {
                return Ok(Outcome::Skipped(
                    display.into(),
                    format!("too large ({size} bytes > --max-filesize {max})"),
                ));
            }
        }
        let mut head = vec![0u8; 8192.min(size as usize)];
        read_exact_at(&file, &mut head, 0)?;
        if head.starts_with(b"PK\x03\x04") {
            return Ok(self.scan_zip(file, display, states, stats));
        }
        if head.starts_with(b"SQLite format 3\0") {
            let target = crate::db::DbTarget::sqlite(path.to_path_buf());
            return Ok(self.scan_database(&target, display, stats));
        }
        if head.len() > 262 && &head[257..262] == b"ustar" {
            return Ok(self.scan_tar(Box::new(file), display, "tar", states, stats));
        }
        if let Some(c) = crate::source::compress::detect(&head) {
            let inner = c.inner_name(display).to_ascii_lowercase();
            if inner.ends_with(".tar") || display.to_ascii_lowercase().ends_with(".tgz") {
                let dec = crate::source::compress::decode(
                    c,
                    file,
                    crate::source::compress::Limits::default(),
                )?;
                let container = format!("tar+{}", c.as_str());
                return Ok(self.scan_tar(Box::new(dec), display, &container, states, stats));
            }
            return self.scan_compressed(c, file, display, states, stats);
        }
        if head.starts_with(b"%PDF-") || head.starts_with(OLE_MAGIC) {
            let cap = crate::source::compress::Limits::default().max_expanded;
            if size > cap {
                return Ok(Outcome::Skipped(
                    display.into(),
                    format!("document too large ({size} bytes > {cap}): limit hit"),
                ));
            }
            let mut bytes = Vec::with_capacity(size as usize);
            (&file).read_to_end(&mut bytes)?;
            return Ok(self.scan_document_bytes(&bytes, display, states, stats));
        }
        let sniffed = sniff(&head);
        if sniffed == Sniffed::Binary && !self.opts.binary {
            return Ok(Outcome::Skipped(display.into(), "binary".into()));
        }
        if let Sniffed::Text(enc @ (Encoding::Utf16Le | Encoding::Utf16Be)) = sniffed {
            let bytes = std::fs::read(path)?;
            stats.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
            let t = transcode_utf16(&bytes, enc);
            let chunk = self.with_state(states, |st| {
                self.scan_chunk(&t.text, 0, 0, t.text.len(), None, st)
            });
            return Ok(Outcome::Findings {
                path: display.into(),
                bytes: size,
                findings: self.to_findings(display, vec![chunk], Some(&|p| t.original(p))),
                structure: None,
                problem: None,
            });
        }
        let chunk = self.opts.chunk_size.max(self.overlap * 2) as u64;
        if size > chunk * 2 {
            let kind = self.kind_of(display, &head);
            if kind != crate::format::Kind::Text {
                let (findings, structure, failure) =
                    self.scan_windowed(file, kind, display, states, stats, Some(emit));
                return Ok(Outcome::Findings {
                    path: display.into(),
                    bytes: size,
                    findings,
                    structure: Some(structure),
                    problem: failure.map(|e| io_reason(&e)),
                });
            }
        }
        if size <= chunk * 2 {
            let mut bytes = Vec::with_capacity(size as usize);
            (&file).read_to_end(&mut bytes)?;
            stats.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
            let (findings, structure) =
                self.with_state(states, |st| self.scan_whole(&bytes, display, display, st));
            return Ok(Outcome::Findings {
                path: display.into(),
                bytes: size,
                findings,
                structure,
                problem: None,
            });
        }
        let n_chunks = size.div_ceil(chunk);
        // Waves of a few chunks per thread: scanned in parallel, then numbered and sent on,
        // so the findings held at once do not grow with the file.
        let wave = (rayon::current_num_threads().max(1) * 2) as u64;
        let mut lines = LineCursor::default();
        let mut first = 0;
        while first < n_chunks {
            let results = self.scan_text_chunks(
                &file,
                first..(first + wave).min(n_chunks),
                chunk,
                size,
                states,
                stats,
            )?;
            self.emit_findings(display, results, &mut lines, emit);
            first += wave;
        }
        Ok(Outcome::Findings {
            path: display.into(),
            bytes: size,
            findings: Vec::new(),
            structure: None,
            problem: None,
        })
    }

    /// Chunks `range` of a large text file (each read with the overlap on both sides),
    /// scanned in parallel.
    fn scan_text_chunks(
        &self,
        file: &File,
        range: std::ops::Range<u64>,
        chunk: u64,
        size: u64,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> io::Result<Vec<ChunkResult>> {
        let ov = self.overlap as u64;
        range
            .into_par_iter()
            .map(|i| {
                if self.is_cancelled() {
                    return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
                }
                let core_start = i * chunk;
                let core_end = ((i + 1) * chunk).min(size);
                let buf_start = core_start.saturating_sub(ov);
                let buf_end = (core_end + ov).min(size);
                let mut buf = self.take_chunk_buffer();
                buf.resize((buf_end - buf_start) as usize, 0);
                let result = read_exact_at(file, &mut buf, buf_start).map(|got| {
                    buf.truncate(got);
                    stats
                        .bytes
                        .fetch_add(core_end - core_start, Ordering::Relaxed);
                    let cs = (core_start - buf_start) as usize;
                    let ce = ((core_end - buf_start) as usize).min(buf.len());
                    self.with_state(states, |st| {
                        self.scan_chunk(&buf, buf_start, cs, ce, None, st)
                    })
                });
                self.give_chunk_buffer(buf);
                result
            })
            .collect()
    }

    /// One archive member, already in memory: sniffed, structured by its name, scanned.
    fn scan_member(
        &self,
        data: &[u8],
        member_path: &str,
        container: &str,
        mtime: Option<i64>,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> Outcome {
        let head = &data[..data.len().min(8192)];
        if head.starts_with(b"%PDF-") || head.starts_with(OLE_MAGIC) {
            let mut o = self.scan_document_bytes(data, member_path, states, stats);
            date_by_mtime(&mut o, mtime);
            return o;
        }
        if head.starts_with(b"PK\x03\x04") {
            if let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(data)) {
                if let Some(kind) = crate::source::document::ooxml_kind(&zip) {
                    let mut budget = crate::source::compress::Limits::default().max_expanded;
                    let mut o =
                        self.scan_ooxml(&mut zip, kind, member_path, &mut budget, states, stats);
                    date_by_mtime(&mut o, mtime);
                    return o;
                }
            }
        }
        if crate::source::compress::detect(head).is_some() || head.starts_with(b"PK\x03\x04") {
            return Outcome::Skipped(
                member_path.into(),
                "nested archive or compressed member: not scanned".into(),
            );
        }
        if sniff(head) == Sniffed::Binary && !self.opts.binary {
            return Outcome::Skipped(member_path.into(), "binary".into());
        }
        stats.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        let name = member_path.rsplit("!/").next().unwrap_or(member_path);
        let (mut findings, structure) =
            self.with_state(states, |st| self.scan_whole(data, member_path, name, st));
        for f in &mut findings {
            f.container = Some(container.to_string());
        }
        let mut o = Outcome::Findings {
            path: member_path.into(),
            bytes: data.len() as u64,
            findings,
            structure,
            problem: None,
        };
        date_by_mtime(&mut o, mtime);
        o
    }

    /// A PDF or an OLE (legacy / encrypted Office) file in memory.
    fn scan_document_bytes(
        &self,
        bytes: &[u8],
        display: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> Outcome {
        use crate::source::document;
        let head = &bytes[..bytes.len().min(8192)];
        if let Some(reason) = document::ole_reason(head, bytes) {
            return Outcome::Skipped(display.into(), reason.to_string());
        }
        let limit = crate::source::compress::Limits::default().max_expanded;
        match document::pdf_text(bytes, limit) {
            Ok(doc) => self.scan_document(doc, display, "pdf", states, stats),
            Err(e) => document_problem(display, e),
        }
    }

    /// A Word, Excel or PowerPoint package: its text (sheets as CSV, `book.xlsx!/Sheet1`).
    fn scan_ooxml<R: Read + std::io::Seek>(
        &self,
        zip: &mut zip::ZipArchive<R>,
        kind: crate::source::document::Ooxml,
        display: &str,
        budget: &mut u64,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> Outcome {
        match crate::source::document::ooxml_text(zip, kind, budget) {
            Ok(doc) => self.scan_document(doc, display, kind.as_str(), states, stats),
            Err(e) => document_problem(display, e),
        }
    }

    /// Scans a document's extracted text; offsets are in that text.
    fn scan_document(
        &self,
        doc: crate::source::document::Document,
        display: &str,
        container: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> Outcome {
        use crate::source::document::Document;
        let parts: Vec<(String, Vec<u8>, &str)> = match doc {
            Document::Text(t) => vec![(display.to_string(), t.into_bytes(), "document.txt")],
            Document::Sheets(sheets) => sheets
                .into_iter()
                .map(|s| (format!("{display}!/{}", s.name), s.csv, "sheet.csv"))
                .collect(),
        };
        let mut out: Vec<Outcome> = parts
            .into_iter()
            .map(|(path, bytes, name)| {
                stats.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                let (mut findings, structure) =
                    self.with_state(states, |st| self.scan_whole(&bytes, &path, name, st));
                for f in &mut findings {
                    f.container = Some(container.to_string());
                }
                Outcome::Findings {
                    path,
                    bytes: bytes.len() as u64,
                    findings,
                    structure,
                    problem: None,
                }
            })
            .collect();
        if out.len() == 1 {
            out.pop().unwrap_or(Outcome::Many(Vec::new()))
        } else {
            Outcome::Many(out)
        }
    }

    fn scan_zip<R: Read + std::io::Seek>(
        &self,
        file: R,
        display: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> Outcome {
        let mut zip = match zip::ZipArchive::new(file) {
            Ok(z) => z,
            Err(e) => {
                return Outcome::Error(display.into(), format!("not a readable zip archive: {e}"))
            }
        };
        let mut budget = crate::source::compress::Limits::default().max_expanded;
        if let Some(kind) = crate::source::document::ooxml_kind(&zip) {
            return self.scan_ooxml(&mut zip, kind, display, &mut budget, states, stats);
        }
        let mut out = Vec::new();
        for i in 0..zip.len().min(MAX_MEMBERS) {
            let mut member = match zip.by_index(i) {
                Ok(m) => m,
                Err(e) => {
                    out.push(Outcome::Error(
                        format!("{display}!/#{i}"),
                        format!("unreadable member: {e}"),
                    ));
                    continue;
                }
            };
            if !member.is_file() {
                continue;
            }
            let path = format!("{display}!/{}", member.name().trim_start_matches('/'));
            if member.encrypted() {
                out.push(Outcome::Skipped(path, "encrypted".into()));
                continue;
            }
            let size = member.size();
            match crate::source::compress::read_member(&mut member, size, &mut budget) {
                Ok(data) => {
                    let mtime = member
                        .last_modified()
                        .and_then(crate::source::compress::zip_time);
                    out.push(self.scan_member(&data, &path, "zip", mtime, states, stats))
                }
                Err(e) => out.push(Outcome::Skipped(path, e.reason("not scanned"))),
            }
        }
        if zip.len() > MAX_MEMBERS {
            out.push(Outcome::Skipped(
                display.into(),
                format!("more than {MAX_MEMBERS} members: the rest was not scanned"),
            ));
        }
        Outcome::Many(out)
    }

    fn scan_tar(
        &self,
        reader: Box<dyn Read + Send>,
        display: &str,
        container: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> Outcome {
        let mut archive = tar::Archive::new(reader);
        let mut budget = crate::source::compress::Limits::default().max_expanded;
        let mut out = Vec::new();
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => {
                return Outcome::Error(display.into(), format!("not a readable tar archive: {e}"))
            }
        };
        for (n, entry) in entries.enumerate() {
            if n >= MAX_MEMBERS {
                out.push(Outcome::Skipped(
                    display.into(),
                    format!("more than {MAX_MEMBERS} members: the rest was not scanned"),
                ));
                break;
            }
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    out.push(Outcome::Error(
                        display.into(),
                        format!("archive damaged after {n} members: {e}"),
                    ));
                    break;
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = entry
                .path()
                .map(|p| p.to_string_lossy().trim_start_matches('/').to_string())
                .unwrap_or_else(|_| format!("#{n}"));
            let path = format!("{display}!/{name}");
            let size = entry.size();
            let mtime = entry
                .header()
                .mtime()
                .ok()
                .and_then(|t| i64::try_from(t).ok());
            match crate::source::compress::read_member(&mut entry, size, &mut budget) {
                Ok(data) => {
                    out.push(self.scan_member(&data, &path, container, mtime, states, stats))
                }
                Err(e) => out.push(Outcome::Skipped(path, e.reason("not scanned"))),
            }
        }
        Outcome::Many(out)
    }

    /// A compressed file: decoded with bomb limits; content up to 8 chunks is scanned whole
    /// (with the structure its inner name implies, `users.csv.gz` as CSV), larger content
    /// streamed (in structured windows when the inner name or content says CSV/JSON/SQL).
    /// Offsets are in the decompressed content; findings carry the container.
    fn scan_compressed(
        &self,
        c: crate::source::compress::Compression,
        file: File,
        display: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
    ) -> io::Result<Outcome> {
        // 64 MiB with the default chunk size: content that fits is sniffed and scanned whole
        // (and a decompression bomb is caught by its ratio before the sniff sees only zeros).
        let whole_limit = self.opts.chunk_size as u64 * 32;
        let bytes_before = stats.bytes.load(Ordering::Relaxed);
        let inner = c.inner_name(display);
        let mut dec =
            crate::source::compress::decode(c, file, crate::source::compress::Limits::default())?;
        let mut whole = Vec::new();
        let mut problem = (&mut dec)
            .take(whole_limit + 1)
            .read_to_end(&mut whole)
            .err();
        let head = &whole[..whole.len().min(8192)];
        if problem.is_none() && sniff(head) == Sniffed::Binary && !self.opts.binary {
            return Ok(Outcome::Skipped(
                display.into(),
                format!("binary (inside {})", c.as_str()),
            ));
        }
        let (mut findings, structure) = if problem.is_some() || whole.len() as u64 <= whole_limit {
            stats.bytes.fetch_add(whole.len() as u64, Ordering::Relaxed);
            self.with_state(states, |st| self.scan_whole(&whole, display, &inner, st))
        } else {
            let kind = self.kind_of(&inner, head);
            let mut chained = std::io::Cursor::new(whole).chain(dec);
            if kind == crate::format::Kind::Text {
                let (f, e) = self.with_state(states, |st| {
                    self.scan_stream_partial(display, &mut chained, st, stats, None)
                });
                problem = e;
                (f, None)
            } else {
                let (f, structure, e) =
                    self.scan_windowed(chained, kind, display, states, stats, None);
                problem = e;
                (f, Some(structure))
            }
        };
        for f in &mut findings {
            f.container = Some(c.as_str().to_string());
        }
        Ok(Outcome::Findings {
            path: display.into(),
            bytes: stats
                .bytes
                .load(Ordering::Relaxed)
                .saturating_sub(bytes_before),
            findings,
            structure,
            problem: problem.map(|e| e.to_string()),
        })
    }

    /// A structured input of any size: cut into record-aligned windows (each indexed with
    /// the reader's state carried over), the next batch of windows read while the current
    /// one is scanned in parallel. A read error ends the input; what was read is kept.
    fn scan_windowed(
        &self,
        reader: impl Read + Send,
        kind: crate::format::Kind,
        display: &str,
        states: &[Mutex<ScanState>],
        stats: &Stats,
        mut emit: Option<Emit<'_>>,
    ) -> (Vec<Finding>, StructureSummary, Option<io::Error>) {
        let per_batch = rayon::current_num_threads().max(1);
        let mut windows = crate::format::Windows::new(reader, kind, self.opts.chunk_size);
        let mut failure = None;
        let read_batch = |windows: &mut crate::format::Windows<_>, failure: &mut Option<_>| {
            let mut batch = Vec::with_capacity(per_batch);
            while batch.len() < per_batch && failure.is_none() {
                match windows.next() {
                    Some(Ok(w)) => batch.push(w),
                    Some(Err(e)) => *failure = Some(e),
                    None => break,
                }
            }
            batch
        };
        let mut summary = StructureSummary {
            kind: kind.as_str().to_string(),
            ..Default::default()
        };
        let mut chunks = Vec::new();
        let mut lines = LineCursor::default();
        let mut batch = read_batch(&mut windows, &mut failure);
        while !batch.is_empty() {
            for ix in batch.iter().filter_map(|w| w.index.as_ref()) {
                summary.merge(ix);
            }
            let (next, results) = rayon::join(
                || read_batch(&mut windows, &mut failure),
                || {
                    batch
                        .par_iter()
                        .map(|w| {
                            stats.bytes.fetch_add(w.buf.len() as u64, Ordering::Relaxed);
                            self.with_state(states, |st| {
                                self.scan_chunk(
                                    &w.buf,
                                    w.base,
                                    0,
                                    w.buf.len(),
                                    w.index.as_ref(),
                                    st,
                                )
                            })
                        })
                        .collect::<Vec<_>>()
                },
            );
            match emit.as_mut() {
                Some(emit) => self.emit_findings(display, results, &mut lines, emit),
                None => chunks.extend(results),
            }
            for w in std::mem::replace(&mut batch, next) {
                windows.recycle(w.buf);
            }
        }
        if kind == crate::format::Kind::Json {
            summary.every_key_path_in_every_record();
        }
        (self.to_findings(display, chunks, None), summary, failure)
    }

    /// Streams a reader in blocks, keeping an overlap between blocks so that no match and no
    /// keyword context is lost at a block boundary; memory is bounded by the block size.
    pub fn scan_stream(
        &self,
        display: &str,
        reader: &mut dyn Read,
        state: &mut ScanState,
        stats: &Stats,
    ) -> io::Result<Vec<Finding>> {
        match self.scan_stream_partial(display, reader, state, stats, None) {
            (findings, None) => Ok(findings),
            (_, Some(e)) => Err(e),
        }
    }

    /// Like [`Self::scan_stream`], but a read error ends the input instead of discarding it:
    /// the findings in what was read come back with the error. With `emit`, findings go there
    /// block by block instead.
    fn scan_stream_partial(
        &self,
        display: &str,
        reader: &mut dyn Read,
        state: &mut ScanState,
        stats: &Stats,
        mut emit: Option<Emit<'_>>,
    ) -> (Vec<Finding>, Option<io::Error>) {
        let mut lines = LineCursor::default();
        let mut failure = None;
        let block = self.opts.chunk_size.max(self.overlap * 2);
        let ov = self.overlap;
        let mut buf: Vec<u8> = Vec::with_capacity(block + ov);
        let mut base: u64 = 0; // absolute offset of buf[0]
        let mut committed: usize = 0; // buf position up to which matches were taken
        let mut chunks = Vec::new();
        let mut eof = false;
        while !eof {
            if buf.len() < block + ov && !eof {
                // Into the buffer's spare room: a pipe gives 64 KiB a read, and zeroing the
                // rest of the block before each read cost more than the read.
                let want = block + ov - buf.len();
                match (&mut *reader).take(want as u64).read_to_end(&mut buf) {
                    // Short of the block only at the end of the input.
                    Ok(n) => eof = n < want,
                    Err(e) => {
                        failure = Some(e);
                        eof = true;
                    }
                }
            }
            let limit = if eof {
                buf.len()
            } else {
                buf.len().saturating_sub(ov).max(committed)
            };
            stats
                .bytes
                .fetch_add((limit - committed) as u64, Ordering::Relaxed);
            let chunk = self.scan_chunk(&buf, base, committed, limit, None, state);
            match emit.as_mut() {
                Some(emit) => self.emit_findings(display, vec![chunk], &mut lines, emit),
                None => chunks.push(chunk),
            }
            let drop = limit.saturating_sub(ov);
            buf.drain(..drop);
            base += drop as u64;
            committed = limit - drop;
        }
        (self.to_findings(display, chunks, None), failure)
    }

    /// The overlap kept between chunks: the longest match plus its keyword window.
    pub fn overlap(&self) -> usize {
        self.overlap
    }

    /// Matches starting in `buf[core_start..core_end]` that pass the confidence threshold, the
    /// allowlist and the ignore markers (what redaction replaces).
    pub fn filtered_matches(
        &self,
        buf: &[u8],
        core_start: usize,
        core_end: usize,
        state: &mut ScanState,
    ) -> Vec<Match> {
        self.filtered_matches_with(buf, core_start, core_end, None, state)
    }

    /// [`Self::filtered_matches`] with a structure index (column hints applied).
    pub fn filtered_matches_with(
        &self,
        buf: &[u8],
        core_start: usize,
        core_end: usize,
        structure: Option<&StructureIndex>,
        state: &mut ScanState,
    ) -> Vec<Match> {
        let mut markers = IgnoreMarkers::new();
        let mut all = self.engine.scan(buf, state);
        if let Some(ix) = structure {
            self.apply_column_hints(buf, ix, &mut all, false, state);
        }
        all.into_iter()
            .filter(|m| {
                m.start >= core_start
                    && m.start < core_end
                    && m.confidence >= self.opts.min_confidence
                    && !markers.on_line(buf, None, m.start)
                    && (self.opts.allowlist.is_empty()
                        || !self.opts.allowlist.allows(&buf[m.start..m.end]))
            })
            .collect()
    }

    /// Scans `buf` (which starts at absolute offset `base`) and keeps matches starting in
    /// `buf[core_start..core_end]`.
    fn scan_chunk(
        &self,
        buf: &[u8],
        base: u64,
        core_start: usize,
        core_end: usize,
        structure: Option<&StructureIndex>,
        state: &mut ScanState,
    ) -> ChunkResult {
        let mut all = self.engine.scan(buf, state);
        if let Some(ix) = structure {
            self.apply_column_hints(buf, ix, &mut all, true, state);
        }
        let mut matches = Vec::with_capacity(all.len());
        let mut raw = Vec::new();
        let mut raw_ends = Vec::with_capacity(all.len());
        let mut locations = Vec::with_capacity(all.len());
        let mut ages = Vec::new();
        let dates = match (&self.opts.dater, structure) {
            (Some(d), Some(ix)) => Some(d.index(buf, ix)),
            _ => None,
        };
        let mut markers = IgnoreMarkers::new();
        // Line numbers and line starts are advanced incrementally (matches come sorted), so a
        // single huge line with many matches costs linear time, not quadratic.
        let mut line = 0u64;
        let mut counted_to = core_start;
        let mut line_start_in_buf: Option<usize> = (core_start == 0 && base == 0).then_some(0);
        for &m in &all {
            if m.start < core_start || m.start >= core_end {
                continue;
            }
            if m.confidence < self.opts.min_confidence {
                continue;
            }
            // Counted in bulk, then the last one found from the end: lines between matches
            // are many, and a call per newline cost more than the scan of a log line.
            let gap = &buf[counted_to..m.start];
            let newlines = memchr::memchr_iter(b'\n', gap).count();
            if newlines > 0 {
                line += newlines as u64;
                line_start_in_buf = memchr::memrchr(b'\n', gap).map(|nl| counted_to + nl + 1);
            }
            counted_to = m.start;
            let value = &buf[m.start..m.end];
            if markers.on_line(buf, line_start_in_buf, m.start)
                || (!self.opts.allowlist.is_empty() && self.opts.allowlist.allows(value))
            {
                continue;
            }
            let abs = Match {
                start: m.start + base as usize,
                end: m.end + base as usize,
                ..m
            };
            matches.push((abs, line, line_start_in_buf.map(|p| base + p as u64)));
            raw.extend_from_slice(value);
            raw_ends.push(raw.len());
            locations.push(structure.map_or_else(Location::text, |ix| ix.location(m.start)));
            if let Some(d) = &self.opts.dater {
                ages.push(Some(d.date_at(buf, structure.zip(dates.as_ref()), m.start)));
            }
        }
        self.engine.recycle(all, state);
        // The core's line breaks: those counted up to the last match, and the rest.
        let core_end = core_end.min(buf.len());
        let newlines = line + memchr::memchr_iter(b'\n', &buf[counted_to..core_end]).count() as u64;
        let core = &buf[core_start..core_end];
        let last_newline = memchr::memrchr(b'\n', core).map(|i| base + (core_start + i) as u64);
        ChunkResult {
            matches,
            newlines,
            last_newline,
            raw,
            raw_ends,
            locations,
            ages,
        }
    }

    /// Column names as context: a match in a column whose name hints at its detector gains
    /// confidence, and a cell with no match is checked against the detectors its column hints
    /// at (a `dob` column's dates, a `cvv` column's digits). With `may_lower` off
    /// (redaction), column names only ever add findings: a value that looks personal is
    /// replaced even in a column named for something else.
    fn apply_column_hints(
        &self,
        buf: &[u8],
        ix: &StructureIndex,
        matches: &mut Vec<Match>,
        may_lower: bool,
        state: &mut ScanState,
    ) {
        let hints: Vec<Vec<usize>> = ix
            .places
            .iter()
            .map(|p| {
                p.hint_name()
                    .map(|n| self.engine.hinted_detectors(n))
                    .unwrap_or_default()
            })
            .collect();
        // Columns whose name says what they hold, but nothing piiscan detects by that name:
        // a phone-shaped postal code or a card-shaped amount there is likely a false match.
        const OTHER_DATA: &[&str] = &[
            "postal", "zip", "plz", "postcode", "price", "amount", "total", "quantity", "qty",
            "freight", "discount", "version", "duration", "latency", "count",
        ];
        let other: Vec<bool> = ix
            .places
            .iter()
            .map(|p| {
                p.hint_name().is_some_and(|n| {
                    let n = crate::format::normalize_name(n);
                    OTHER_DATA.iter().any(|w| n.contains(w))
                })
            })
            .collect();
        // Columns naming things, not people: a track title or a city that reads like a name
        // or an address is not one.
        let things: Vec<bool> = ix.places.iter().map(names_a_thing).collect();
        if hints.iter().all(Vec::is_empty) && !other.contains(&true) && !things.contains(&true) {
            return; // no column name says anything
        }
        for m in matches.iter_mut() {
            if let Some(c) = ix.cell_at(m.start) {
                let place = c.place as usize;
                let hinted = &hints[place];
                if hinted.contains(&m.detector) {
                    m.confidence = m.confidence.raised();
                } else if may_lower
                    && (!hinted.is_empty() || other[place])
                    && !self.is_self_evident(m.detector)
                {
                    // The column names another kind of data.
                    m.confidence = m.confidence.lowered();
                } else if may_lower && things[place] && self.is_free_text_detector(m.detector) {
                    m.confidence = Confidence::Low;
                }
            }
        }
        if hints.iter().all(Vec::is_empty) {
            return;
        }
        let mut added = Vec::new();
        let mut displaced = Vec::new();
        let mut mi = 0;
        let hinted_places: Vec<bool> = hints.iter().map(|h| !h.is_empty()).collect();
        for c in ix.cells_in(&hinted_places) {
            let hinted = &hints[c.place as usize];
            while mi < matches.len() && matches[mi].end <= c.start {
                mi += 1;
            }
            let cell_end = c.end.max(c.start + 1);
            let inside = matches[mi..].iter().take_while(|m| m.start < cell_end);
            let mut others = Vec::new();
            let mut has_hinted = false;
            for (k, m) in inside.enumerate() {
                has_hinted |= hinted.contains(&m.detector);
                others.push(mi + k);
            }
            if has_hinted {
                continue; // the cell already holds what its column names
            }
            if let Some(m) = hinted
                .iter()
                .find_map(|&d| self.engine.check_cell(buf, d, c.start, c.end, state))
            {
                // The whole value is what the column says (a postal code, not a phone
                // number inside it): other matches within it give way.
                displaced.extend(
                    others
                        .into_iter()
                        .filter(|&k| matches[k].start >= m.start && matches[k].end <= m.end),
                );
                added.push(m);
            }
        }
        if !displaced.is_empty() {
            let mut k = 0;
            matches.retain(|_| {
                k += 1;
                displaced.binary_search(&(k - 1)).is_err()
            });
        }
        if !added.is_empty() {
            matches.extend(added);
            matches.sort_by_key(|m| m.start);
        }
    }

    /// Detectors whose matches are what they are whatever the column is called: a valid
    /// e-mail address in a `contact` column, an IBAN in `notes`, a key in `config`.
    fn is_self_evident(&self, detector: usize) -> bool {
        let spec = self.engine.spec(detector);
        matches!(spec.id.as_str(), "email" | "iban" | "jwt") || spec.category == "credentials"
    }

    /// Detectors that read people's names and addresses out of free text (and so can take a
    /// song title for one).
    fn is_free_text_detector(&self, detector: usize) -> bool {
        matches!(
            self.engine.spec(detector).id.as_str(),
            "person_name" | "street_address"
        )
    }

    /// Whether a birth date puts its person under 16 at "now" (`--now`, else the clock).
    fn is_child_birth_date(&self, raw: &[u8]) -> bool {
        let now = self.opts.dater.as_ref().map_or_else(
            || crate::retention::time::unix_seconds(std::time::SystemTime::now()).unwrap_or(0),
            |d| d.now,
        );
        let order = self
            .opts
            .dater
            .as_ref()
            .map_or(crate::retention::DateOrder::Oldest, |d| d.order);
        // The value as matched (`March 3, 2019`), or without a label such as `dob:`.
        let start = raw.iter().position(u8::is_ascii_digit).unwrap_or(raw.len());
        let parse = |v: &[u8]| crate::retention::time::parse_value(v, order, now);
        parse(raw)
            .or_else(|| parse(&raw[start..]))
            .is_some_and(|t| t <= now && t > crate::retention::time::minus_months(now, 16 * 12))
    }

    /// Turns chunk results (in file order) into findings with line and column numbers.
    fn to_findings(
        &self,
        path: &str,
        chunks: Vec<ChunkResult>,
        map: Option<&dyn Fn(usize) -> u64>,
    ) -> Vec<Finding> {
        // Sized once: a large export has findings by the ten thousand, and growing the vector
        // by doubling copied them over and over into fresh pages.
        let mut out = Vec::with_capacity(chunks.iter().map(|c| c.matches.len()).sum());
        self.for_each_finding(path, chunks, map, &mut LineCursor::default(), &mut |f| {
            out.push(f)
        });
        out
    }

    /// The findings of `chunks` (which follow those `lines` numbered) sent on in pieces of
    /// 1024: the channel bounds messages, so small pieces keep what waits in it small, and
    /// no vector of a whole batch's findings is built (or copied) at all.
    fn emit_findings(
        &self,
        path: &str,
        chunks: Vec<ChunkResult>,
        lines: &mut LineCursor,
        emit: Emit<'_>,
    ) {
        const PIECE: usize = 1024;
        let mut piece = Vec::with_capacity(PIECE);
        self.for_each_finding(path, chunks, None, lines, &mut |f| {
            piece.push(f);
            if piece.len() == PIECE {
                emit(std::mem::replace(&mut piece, Vec::with_capacity(PIECE)));
            }
        });
        if !piece.is_empty() {
            emit(piece);
        }
    }

    /// Each match of `chunks` as a finding, in order; `lines` carries the numbering from
    /// the chunks before.
    fn for_each_finding(
        &self,
        path: &str,
        chunks: Vec<ChunkResult>,
        map: Option<&dyn Fn(usize) -> u64>,
        lines: &mut LineCursor,
        out: &mut dyn FnMut(Finding),
    ) {
        let LineCursor {
            mut lines_before,
            last_newline: mut last_nl,
        } = *lines;
        let shared_path = SharedStr::from(path);
        for c in chunks {
            let mut ages = c.ages.into_iter();
            let mut raw_start = 0;
            for (((m, line_in_chunk, line_start), raw_end), location) in
                c.matches.into_iter().zip(c.raw_ends).zip(c.locations)
            {
                let raw = &c.raw[raw_start..raw_end];
                raw_start = raw_end;
                let age = ages.next().flatten();
                let spec = self.engine.spec(m.detector);
                let fingerprint = self
                    .opts
                    .baseline
                    .as_ref()
                    .map(|b| b.fingerprint(path, &spec.id, raw));
                if let (Some(b), Some(fp), false) =
                    (&self.opts.baseline, &fingerprint, self.opts.write_baseline)
                {
                    if b.contains(fp) {
                        continue;
                    }
                }
                let line_start = line_start.unwrap_or_else(|| last_nl.map_or(0, |n| n + 1));
                let (start, end) = match map {
                    Some(f) => (f(m.start), f(m.end)),
                    None => (m.start as u64, m.end as u64),
                };
                let col_start = match map {
                    Some(f) => f(line_start as usize),
                    None => line_start,
                };
                let column = match map {
                    // Columns count characters in transcoded text: bytes of UTF-16 / 2.
                    Some(_) => (start - col_start) / 2 + 1,
                    None => start - col_start + 1,
                };
                // A birth date that makes the person a child at scan time: children's data
                // is singled out by privacy law and policies.
                let sensitivity = if spec.id == "date_of_birth" && self.is_child_birth_date(raw) {
                    crate::finding::Sensitivity::Child
                } else {
                    spec.sensitivity
                };
                out(Finding {
                    path: shared_path.clone(),
                    start,
                    end,
                    line: lines_before + line_in_chunk + 1,
                    column,
                    detector: self.detector_names[m.detector].0.clone(),
                    category: self.detector_names[m.detector].1.clone(),
                    sensitivity,
                    confidence: m.confidence,
                    masked: crate::detect::mask::mask(raw, spec.mask, spec.mask_prefix),
                    value: self
                        .opts
                        .reveal
                        .then(|| String::from_utf8_lossy(raw).into_owned()),
                    location,
                    container: None,
                    claims: (spec.id == "jwt")
                        .then(|| crate::detect::validate::personal_claims(raw))
                        .filter(|c| !c.is_empty()),
                    fingerprint,
                    digest: self
                        .opts
                        .digest_key
                        .as_deref()
                        .map(|k| value_digest(k, &spec.id, raw)),
                    age,
                });
            }
            lines_before += c.newlines;
            if c.last_newline.is_some() {
                last_nl = c.last_newline;
            }
        }
        *lines = LineCursor {
            lines_before,
            last_newline: last_nl,
        };
    }
}

/// Whether a column holds names of things rather than of people or places people live: a
/// title, a genre, a city, or the `name` of a track, album, product, company, category …
fn names_a_thing(place: &crate::format::Place) -> bool {
    let Some(column) = place.hint_name() else {
        return false;
    };
    let column = crate::format::normalize_name(column);
    const THING_COLUMNS: &[&str] = &[
        "title",
        "subtitle",
        "headline",
        "genre",
        "productname",
        "companyname",
        "categoryname",
        "city",
        "country",
        "region",
        "state",
        "territory",
        "shipname",
        "itemname",
    ];
    if THING_COLUMNS
        .iter()
        .any(|t| column == *t || column.ends_with(t))
    {
        return true;
    }
    if column != "name" {
        return false;
    }
    let table = place
        .table
        .as_deref()
        .map(crate::format::normalize_name)
        .unwrap_or_default();
    let singular = table.strip_suffix('s').unwrap_or(&table);
    const THING_TABLES: &[&str] = &[
        "track",
        "album",
        "song",
        "product",
        "item",
        "genre",
        "playlist",
        "mediatype",
        "categorie",
        "category",
        "region",
        "territorie",
        "shipper",
        "supplier",
        "company",
        "brand",
        "tag",
        "city",
        "countrie",
        "country",
    ];
    THING_TABLES.contains(&singular)
}

/// HMAC-SHA256 of a value (case and separators ignored), truncated to 16 bytes.
fn value_digest(key: &[u8], detector: &str, value: &[u8]) -> [u8; 16] {
    use hmac::{Hmac, Mac};
    let mut out = [0u8; 16];
    if let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(key) {
        mac.update(detector.as_bytes());
        mac.update(&[0]);
        for b in value
            .iter()
            .filter(|b| b.is_ascii_alphanumeric() || **b >= 0x80 || **b == b'@')
        {
            mac.update(&[b.to_ascii_lowercase()]);
        }
        out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
    }
    out
}

/// Records without a date of their own are as old as the file (or member) holding them.
fn date_by_mtime(o: &mut Outcome, mtime: Option<i64>) {
    let Some(t) = mtime else {
        return;
    };
    match o {
        Outcome::Findings { findings, .. } => date_findings_by_mtime(findings, Some(t)),
        Outcome::Many(os) => os.iter_mut().for_each(|o| date_by_mtime(o, Some(t))),
        _ => {}
    }
}

fn date_findings_by_mtime(findings: &mut [Finding], mtime: Option<i64>) {
    let Some(t) = mtime else {
        return;
    };
    for f in findings {
        if let Some(a) = &mut f.age {
            if a.undated_record() {
                *a = RecordAge::new(Some(t), crate::retention::DateSource::Mtime, None);
            }
        }
    }
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// A document whose text could not be read: encrypted and unsupported ones are skipped (with
/// the reason, in coverage), unreadable ones are errors.
fn document_problem(display: &str, e: crate::source::document::DocumentError) -> Outcome {
    use crate::source::document::DocumentError;
    match e {
        DocumentError::Unreadable { .. } => Outcome::Error(display.into(), e.to_string()),
        _ => Outcome::Skipped(display.into(), e.to_string()),
    }
}

/// Members read from one archive at most.
const MAX_MEMBERS: usize = 100_000;

/// Reads as much of `buf` as the file holds from `offset`; returns the count.
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            match file.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, SeekFrom};
        let mut f = file.try_clone()?;
        f.seek(SeekFrom::Start(offset))?;
        let mut done = 0;
        while done < buf.len() {
            match f.read(&mut buf[done..]) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }
}
