//! Streaming redaction: reads a source in blocks, commits whole lines (or, for a line longer
//! than a block, everything but an overlap), writes every byte outside a finding unchanged and
//! each finding's replacement. Memory is bounded by the block size; nothing is dropped.

use super::operator::{FileState, Redactor};
use crate::scan::Scanner;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::Path;

/// What one redaction did: counts per detector and operator, bytes in and out. Never values.
#[derive(Debug, Default, Clone, serde::Serialize, PartialEq, Eq)]
pub struct RedactCounts {
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub redacted: u64,
    /// detector -> operator -> count
    pub by_detector: BTreeMap<String, BTreeMap<String, u64>>,
    /// Archive members left out of the redacted copy, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_copied: Vec<NotCopied>,
    /// Where `fpe` wrote encrypted values in the output (byte spans and detector, never
    /// values), so `piiscan unredact` can reverse exactly those; plain files only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fpe_spans: Vec<FpeSpan>,
    /// SHA-256 of the output as written, when it has `fpe_spans` (unredact checks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_sha256: Option<String>,
}

/// One format-preserving-encrypted value in a redacted output.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct FpeSpan {
    pub start: u64,
    pub end: u64,
    pub detector: String,
}

/// An archive member that a redacted copy does not contain.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct NotCopied {
    pub path: String,
    pub reason: String,
}

impl RedactCounts {
    pub fn add(&mut self, other: &RedactCounts) {
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.redacted += other.redacted;
        self.not_copied.extend(other.not_copied.iter().cloned());
        // Spans are offsets into one output: they do not add up across outputs.
        for (d, ops) in &other.by_detector {
            let e = self.by_detector.entry(d.clone()).or_default();
            for (op, n) in ops {
                *e.entry(op.clone()).or_default() += n;
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct StreamOptions {
    /// Flush after every batch of complete lines, so `tail -F log | piiscan redact -` forwards
    /// each line as it arrives.
    pub flush_lines: bool,
    /// The input is JSON / NDJSON (also sniffed from its first byte): a value that is not
    /// inside a string (a bare number) is replaced by a JSON string, so the output parses.
    pub json: bool,
    /// `--older-than`: only data in records past their retention limit is replaced.
    pub older_than: Option<std::sync::Arc<crate::retention::AgeFilter>>,
    /// The input's modification time: the age of records that carry no date.
    pub mtime: Option<i64>,
}

/// Whether the span starting at `start` is a bare JSON value rather than part of a string:
/// the nearest non-blank byte before it is `:`, `[` or `,`.
fn bare_json_value(buf: &[u8], start: usize) -> bool {
    buf[..start]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b':' | b'[' | b','))
}

/// `"…"` around a replacement, with `"` and `\` escaped.
fn json_string(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 2);
    out.push(b'"');
    for &b in value {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

/// Writes `buf[written..limit]` with every match replaced; returns the new write position
/// (a match may end past `limit`).
#[allow(clippy::too_many_arguments)]
fn write_redacted(
    scanner: &Scanner,
    redactor: &Redactor,
    buf: &[u8],
    mut written: usize,
    limit: usize,
    matches: &[crate::detect::Match],
    json: bool,
    file_state: &mut FileState,
    writer: &mut dyn Write,
    counts: &mut RedactCounts,
) -> io::Result<usize> {
    for m in matches {
        if m.start < written {
            continue;
        }
        let spec = scanner.engine().spec(m.detector);
        let (op, mut replacement) = redactor.replace(spec, &buf[m.start..m.end], file_state);
        let plain_len = replacement.len();
        let quoted = json && bare_json_value(buf, m.start);
        if quoted {
            replacement = json_string(&replacement);
        }
        if op == super::Operator::Fpe {
            let start = counts.bytes_out + (m.start - written) as u64 + u64::from(quoted);
            counts.fpe_spans.push(FpeSpan {
                start,
                end: start + plain_len as u64,
                detector: spec.id.clone(),
            });
        }
        writer.write_all(&buf[written..m.start])?;
        writer.write_all(&replacement)?;
        counts.bytes_out += (m.start - written + replacement.len()) as u64;
        counts.redacted += 1;
        *counts
            .by_detector
            .entry(spec.id.clone())
            .or_default()
            .entry(op.as_str().to_string())
            .or_default() += 1;
        written = m.end;
    }
    if written < limit {
        writer.write_all(&buf[written..limit])?;
        counts.bytes_out += (limit - written) as u64;
        written = limit;
    }
    Ok(written)
}

/// Redacts a CSV, JSON or SQL input of any size with its structure (CSV columns, JSON keys,
/// SQL table columns) as context, so column-hinted values (`dob`, `cvv`) are replaced too.
/// The input is read in record-aligned windows: memory is bounded by the window size.
pub fn redact_structured(
    scanner: &Scanner,
    redactor: &Redactor,
    kind: crate::format::Kind,
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    options: &StreamOptions,
) -> io::Result<RedactCounts> {
    let mut state = scanner.engine().new_state();
    let mut counts = RedactCounts::default();
    let mut file_state = FileState::default();
    let json = kind == crate::format::Kind::Json;
    let target = scanner.options().chunk_size;
    for window in crate::format::Windows::new(reader, kind, target) {
        let crate::format::Window { buf, index, .. } = window?;
        let ix = index.as_ref();
        let mut matches = scanner.filtered_matches_with(&buf, 0, buf.len(), ix, &mut state);
        if let Some(filter) = &options.older_than {
            let dates = ix.map(|ix| filter.dater.index(&buf, ix));
            let structure = ix.zip(dates.as_ref());
            matches.retain(|m| {
                let spec = scanner.engine().spec(m.detector);
                let age = filter.age_at(&buf, structure, m.start, None, options.mtime);
                filter.due(&age, &spec.id, &spec.category)
            });
        }
        counts.bytes_in += buf.len() as u64;
        write_redacted(
            scanner,
            redactor,
            &buf,
            0,
            buf.len(),
            &matches,
            json,
            &mut file_state,
            writer,
            &mut counts,
        )?;
    }
    writer.flush()?;
    Ok(counts)
}

/// Redacts `reader` into `writer`.
pub fn redact_stream(
    scanner: &Scanner,
    redactor: &Redactor,
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    options: StreamOptions,
) -> io::Result<RedactCounts> {
    let StreamOptions {
        flush_lines,
        mut json,
        older_than,
        mtime,
    } = options;
    // The last timestamp committed, for continuation lines whose timestamped line has left
    // the buffer.
    let mut carried: Option<i64> = None;
    let mut sniffed = false;
    let block = scanner.options().chunk_size.clamp(64 << 10, 8 << 20);
    let overlap = scanner.overlap();
    let mut state = scanner.engine().new_state();
    let mut file_state = FileState::default();
    let mut counts = RedactCounts::default();
    let mut buf: Vec<u8> = Vec::with_capacity(block + overlap);
    let mut written = 0usize; // buf[..written] has been written (or replaced)
    let mut searched_nl = 0usize; // buf[..searched_nl] holds no newline past `written`
    let mut eof = false;
    let mut read_buf = vec![0u8; 64 << 10];
    while !eof {
        let n = loop {
            match reader.read(&mut read_buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        eof = n == 0;
        buf.extend_from_slice(&read_buf[..n]);
        counts.bytes_in += n as u64;
        if !sniffed {
            if let Some(first) = buf.iter().find(|b| !b.is_ascii_whitespace()) {
                json |= *first == b'{' || *first == b'[';
                sniffed = true;
            }
        }
        let from = searched_nl.max(written);
        let limit = if eof {
            buf.len()
        } else if let Some(nl) = memchr::memrchr(b'\n', &buf[from..]) {
            from + nl + 1
        } else if buf.len() >= block + overlap {
            buf.len() - overlap
        } else {
            searched_nl = buf.len();
            continue;
        };
        if limit > written {
            let mut matches = scanner.filtered_matches(&buf, written, limit, &mut state);
            if let Some(filter) = &older_than {
                matches.retain(|m| {
                    let spec = scanner.engine().spec(m.detector);
                    let age = filter.age_at(&buf, None, m.start, carried, mtime);
                    filter.due(&age, &spec.id, &spec.category)
                });
                if let Some(t) = filter.dater.line_date(&buf, limit.saturating_sub(1)) {
                    carried = Some(t);
                }
            }
            written = write_redacted(
                scanner,
                redactor,
                &buf,
                written,
                limit,
                &matches,
                json,
                &mut file_state,
                writer,
                &mut counts,
            )?;
            if flush_lines {
                writer.flush()?;
            }
        }
        // Keep an overlap before the committed point as context for the next scan.
        let keep_from = limit.saturating_sub(overlap).min(written);
        buf.drain(..keep_from);
        written -= keep_from;
        searched_nl = written;
    }
    writer.flush()?;
    Ok(counts)
}

/// Redacts `head` followed by the rest of `input`: with its structure when the name or
/// content says CSV/JSON/SQL, as a line stream otherwise.
pub fn redact_named(
    scanner: &Scanner,
    redactor: &Redactor,
    name: &str,
    head: &[u8],
    input: &mut dyn Read,
    out: &mut dyn Write,
    options: StreamOptions,
) -> io::Result<RedactCounts> {
    let kind = scanner.kind_of(name, head);
    let options = StreamOptions {
        json: is_json_name(Path::new(name)),
        ..options
    };
    if kind != crate::format::Kind::Text {
        return redact_structured(
            scanner,
            redactor,
            kind,
            &mut head.chain(input),
            out,
            &options,
        );
    }
    redact_stream(scanner, redactor, &mut head.chain(input), out, options)
}

/// JSON by name; other files are sniffed by the stream itself.
pub fn is_json_name(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "json" | "ndjson" | "jsonl" | "geojson"
        )
    })
}
