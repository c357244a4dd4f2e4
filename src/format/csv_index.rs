//! CSV/TSV: delimiter sniffed from the first line (`,` `;` tab `|`), header row detected,
//! quoted fields (with `""` escapes and embedded newlines) handled; every field becomes a
//! cell of its column.

use super::table::{self, Record, FROM_SEPARATORS};
use super::{Place, StructureIndex};
use std::sync::Arc;

/// The longest record whose fields are read from separator bits (longer ones keep a span per
/// field): a lookup counts the bits from the record's start.
const SEPARATED_RECORD_MAX: usize = 1024;

fn sniff_delimiter(buf: &[u8]) -> u8 {
    let line_end = memchr::memchr(b'\n', buf).unwrap_or(buf.len());
    let line = &buf[..line_end];
    let mut best = (b',', 0usize);
    for d in [b',', b'\t', b';', b'|'] {
        let n = line.iter().filter(|&&b| b == d).count();
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// How far [`records`] got: unless `eof`, a record the buffer ends in (no newline yet, or a
/// quote still open) is left out, and `consumed` is where it starts, so the next window can
/// begin there.
struct Parsed {
    consumed: usize,
    problem: Option<String>,
}

/// Bits of one block (up to 64 bytes): where it holds the delimiter, line feeds and quotes.
#[inline]
fn block_masks(block: &[u8], delim: u8) -> [u64; 3] {
    #[cfg(target_arch = "x86_64")]
    if block.len() == 64 {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of the x86_64 baseline and the block holds 64 bytes.
        unsafe {
            let (d, nl, q) = (
                _mm_set1_epi8(delim as i8),
                _mm_set1_epi8(b'\n' as i8),
                _mm_set1_epi8(b'"' as i8),
            );
            let mut out = [0u64; 3];
            for k in 0..4 {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
                for (mask, c) in out.iter_mut().zip([d, nl, q]) {
                    *mask |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) as u16 as u64) << (16 * k);
                }
            }
            return out;
        }
    }
    let mut out = [0u64; 3];
    for (i, &b) in block.iter().enumerate() {
        for (mask, c) in out.iter_mut().zip([delim, b'\n', b'"']) {
            *mask |= u64::from(b == c) << i;
        }
    }
    out
}

/// A field that ends at the line feed at `p`, starting at `start`, does not include a `\r`
/// before it.
#[inline]
fn trim_cr(buf: &[u8], start: usize, p: usize) -> usize {
    if p > start && buf[p - 1] == b'\r' {
        p - 1
    } else {
        p
    }
}

/// What [`records`] fills: the records, the separator bits of those without quotes and the
/// spans of the fields of those with (quotes excluded).
#[derive(Debug, Default)]
struct Parts {
    spans: Vec<[u32; 2]>,
    seps: Vec<u64>,
    records: Vec<Record>,
    /// The most cells a record has.
    widest: u32,
}

impl Parts {
    /// Ends the record whose fields are `spans[first..end]`; a blank line (one empty field)
    /// holds no cells.
    #[inline]
    fn end_spans_record(&mut self, first: usize, end: usize) {
        let blank = end - first == 1 && self.spans[first][0] == self.spans[first][1];
        let len = if blank { 0 } else { (end - first) as u32 };
        self.push_record(Record {
            first: first as u32,
            len,
            start: self.spans[first][0],
            end: self.spans[end - 1][1],
        });
    }

    /// Ends the record with spans whose last field (from `field_start`) the line feed at `p`
    /// ends; returns where the next record starts.
    #[inline]
    fn end_spans_line(&mut self, buf: &[u8], first: usize, field_start: usize, p: usize) -> usize {
        let end = trim_cr(buf, field_start, p);
        self.spans.push([field_start as u32, end as u32]);
        self.end_spans_record(first, self.spans.len());
        p + 1
    }

    /// Ends a record read from the separator bits: from `start` to `end`, with `delims`
    /// delimiters.
    #[inline]
    fn end_separated_record(&mut self, start: usize, delims: u32, end: usize) {
        if end - start > SEPARATED_RECORD_MAX {
            return self.spell_out(start, end);
        }
        let blank = delims == 0 && end == start;
        self.push_record(Record {
            first: FROM_SEPARATORS,
            len: if blank { 0 } else { delims + 1 },
            start: start as u32,
            end: end as u32,
        });
    }

    /// Ends a long record read from the separator bits as a record with spans: a lookup in
    /// one counts the separators before its position, which in a record of megabytes (a
    /// table on one line) with a match every few bytes made lookups quadratic.
    #[cold]
    #[inline(never)]
    fn spell_out(&mut self, start: usize, end: usize) {
        let first = self.spans.len();
        let last = self.spans_from_separators(start, end);
        self.spans.push([last, end as u32]);
        self.end_spans_record(first, self.spans.len());
    }

    /// Pushes the span of each field from `start` that a separator bit before `end` ends;
    /// returns where the field after the last of them starts.
    fn spans_from_separators(&mut self, start: usize, end: usize) -> u32 {
        let mut at = start as u32;
        while let Some(s) = table::next_separator(&self.seps, at).filter(|&s| (s as usize) < end) {
            self.spans.push([at, s]);
            at = s + 1;
        }
        at
    }

    #[inline]
    fn push_record(&mut self, r: Record) {
        self.widest = self.widest.max(r.len);
        self.records.push(r);
    }

    /// Marks the separators `bits` of the 64 bytes from `at`.
    #[inline]
    fn mark(&mut self, at: usize, bits: u64) {
        let (k, shift) = (at / 64, at % 64);
        self.seps[k] |= bits << shift;
        if shift != 0 {
            self.seps[k + 1] |= bits >> (64 - shift);
        }
    }
}

/// Bits `0..=o`.
#[inline]
fn through(o: u32) -> u64 {
    u64::MAX >> (63 - o)
}

/// Splits `buf` (at most 4 GiB) into records (complete ones only, unless `eof`). A 64-byte
/// block without quotes, the usual case, only has its delimiter and line-feed bits marked
/// and a record ended at each line feed (a population count gives its fields); a block with
/// quotes goes byte by byte through its special bytes, as a quote opens a quoted field only
/// at a field's start, and the records it touches keep a span per field.
fn records(buf: &[u8], delim: u8, eof: bool, parts: &mut Parts) -> Parsed {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has the instructions.
        return unsafe { records_avx2(buf, delim, eof, parts) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has the instruction.
        return unsafe { records_popcnt(buf, delim, eof, parts) };
    }
    records_portable::<false>(buf, delim, eof, parts)
}

/// [`records`] with the population count in one instruction (the baseline x86_64 has none:
/// counted by shifts and masks, it took a sixth of the parse).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
unsafe fn records_popcnt(buf: &[u8], delim: u8, eof: bool, parts: &mut Parts) -> Parsed {
    records_portable::<false>(buf, delim, eof, parts)
}

/// [`records`] with a block's bits from two 32-byte compares per byte kind instead of four
/// 16-byte ones.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
unsafe fn records_avx2(buf: &[u8], delim: u8, eof: bool, parts: &mut Parts) -> Parsed {
    records_portable::<true>(buf, delim, eof, parts)
}

/// The delimiter, line-feed and quote bits of a whole 64-byte block, with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn block_masks_avx2(block: &[u8; 64], delim: u8) -> [u64; 3] {
    use std::arch::x86_64::*;
    let (d, nl, q) = (
        _mm256_set1_epi8(delim as i8),
        _mm256_set1_epi8(b'\n' as i8),
        _mm256_set1_epi8(b'"' as i8),
    );
    let lo = _mm256_loadu_si256(block.as_ptr() as *const __m256i);
    let hi = _mm256_loadu_si256(block.as_ptr().add(32) as *const __m256i);
    let bits = |c: __m256i| {
        let l = _mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c)) as u32 as u64;
        let h = _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c)) as u32 as u64;
        l | h << 32
    };
    [bits(d), bits(nl), bits(q)]
}

/// `AVX2`: the caller has checked that the CPU has AVX2 (see [`records_avx2`]).
#[inline(always)]
fn records_portable<const AVX2: bool>(
    buf: &[u8],
    delim: u8,
    eof: bool,
    parts: &mut Parts,
) -> Parsed {
    let n = buf.len();
    parts.seps.clear();
    parts.seps.resize(n / 64 + 2, 0);
    let mut rec_start = 0;
    // Where the current record's spans start (it has some only when it met a quote).
    let mut rec_first = parts.spans.len();
    // Delimiters of the current record, while it has no spans.
    let mut rec_delims = 0u32;
    let mut field_start = 0;
    let mut i = 0;
    let cut = |parts: &mut Parts, rec_first: usize, rec_start: usize| {
        parts.spans.truncate(rec_first);
        Parsed {
            consumed: rec_start,
            problem: None,
        }
    };
    'blocks: while i < n {
        let block = &buf[i..(i + 64).min(n)];
        let [delims, lines, quotes] = match <&[u8; 64]>::try_from(block) {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: with `AVX2` the caller checked that the CPU has it.
            Ok(whole) if AVX2 => unsafe { block_masks_avx2(whole, delim) },
            _ => block_masks(block, delim),
        };
        if quotes == 0 {
            let mut seps = delims | lines;
            let mut lines = lines;
            if parts.spans.len() > rec_first {
                // A record with spans goes on with spans, up to its line feed.
                let upto = if lines == 0 {
                    u64::MAX
                } else {
                    through(lines.trailing_zeros())
                };
                let mut m = delims & upto;
                while m != 0 {
                    let p = i + m.trailing_zeros() as usize;
                    m &= m - 1;
                    parts.spans.push([field_start as u32, p as u32]);
                    field_start = p + 1;
                }
                if lines != 0 {
                    let p = i + lines.trailing_zeros() as usize;
                    rec_start = parts.end_spans_line(buf, rec_first, field_start, p);
                    (rec_first, field_start, rec_delims) = (parts.spans.len(), rec_start, 0);
                }
                seps &= !upto;
                lines &= !upto;
            }
            if seps != 0 {
                parts.mark(i, seps);
            }
            while lines != 0 {
                let o = lines.trailing_zeros();
                lines &= lines - 1;
                let p = i + o as usize;
                let before = seps & ((1u64 << o) - 1);
                if before != 0 {
                    rec_delims += before.count_ones();
                    field_start = i + 64 - before.leading_zeros() as usize;
                }
                let end = trim_cr(buf, field_start, p);
                parts.end_separated_record(rec_start, rec_delims, end);
                seps &= !through(o);
                rec_start = p + 1;
                field_start = p + 1;
                rec_delims = 0;
                // (A long record was spelled out into spans: the next one has none yet.)
                rec_first = parts.spans.len();
            }
            if seps != 0 {
                rec_delims += seps.count_ones();
                field_start = i + 64 - seps.leading_zeros() as usize;
            }
            i += block.len();
            continue;
        }
        if parts.spans.len() == rec_first && field_start > rec_start {
            // The record's fields so far were read from separator bits: it has spans from
            // here on, so those fields get theirs.
            parts.spans_from_separators(rec_start, field_start);
        }
        let seps = delims | lines;
        let mut m = seps | quotes;
        while m != 0 {
            let p = i + m.trailing_zeros() as usize;
            m &= m - 1;
            match buf[p] {
                b'"' if p == field_start => {
                    // A quoted field: up to the closing quote (`""` is an escaped quote).
                    let start = p + 1;
                    let mut j = start;
                    loop {
                        match memchr::memchr(b'"', &buf[j..]) {
                            Some(k) => {
                                j += k;
                                if buf.get(j + 1) == Some(&b'"') {
                                    j += 2;
                                    continue;
                                }
                                break;
                            }
                            None if !eof => return cut(parts, rec_first, rec_start),
                            None => {
                                parts.spans.push([start as u32, n as u32]);
                                parts.end_spans_record(rec_first, parts.spans.len());
                                return Parsed {
                                    consumed: n,
                                    problem: Some(format!(
                                        "unbalanced quote in the field starting at byte {}",
                                        start - 1
                                    )),
                                };
                            }
                        }
                    }
                    parts.spans.push([start as u32, j as u32]);
                    // Whatever follows the closing quote up to the delimiter or line end is
                    // not part of the value.
                    let rest =
                        memchr::memchr2(delim, b'\n', &buf[j + 1..]).map_or(n, |k| j + 1 + k);
                    if rest >= n {
                        if !eof {
                            return cut(parts, rec_first, rec_start);
                        }
                        parts.end_spans_record(rec_first, parts.spans.len());
                        return Parsed {
                            consumed: n,
                            problem: None,
                        };
                    }
                    if buf[rest] != delim {
                        parts.end_spans_record(rec_first, parts.spans.len());
                        rec_first = parts.spans.len();
                        rec_start = rest + 1;
                        rec_delims = 0;
                    }
                    field_start = rest + 1;
                    // The field may pass 64-byte blocks: recompute the masks after it.
                    i = rest + 1;
                    continue 'blocks;
                }
                b'"' => {}
                b'\n' => {
                    rec_start = parts.end_spans_line(buf, rec_first, field_start, p);
                    (rec_first, field_start, rec_delims) = (parts.spans.len(), rec_start, 0);
                }
                _ => {
                    parts.spans.push([field_start as u32, p as u32]);
                    field_start = p + 1;
                }
            }
        }
        i += block.len();
    }
    // A record without a final line feed.
    if rec_start < n || parts.spans.len() > rec_first {
        if !eof {
            return cut(parts, rec_first, rec_start);
        }
        if parts.spans.len() > rec_first {
            parts.spans.push([field_start as u32, n as u32]);
            parts.end_spans_record(rec_first, parts.spans.len());
        } else {
            parts.end_separated_record(rec_start, rec_delims, n);
        }
    }
    Parsed {
        consumed: n,
        problem: None,
    }
}

fn looks_like_data(buf: &[u8], fields: &[[u32; 2]]) -> bool {
    fields.iter().any(|&[s, e]| {
        let f = &buf[s as usize..e as usize];
        f.contains(&b'@')
            || (!f.is_empty()
                && f.iter()
                    .all(|b| b.is_ascii_digit() || *b == b'.' || *b == b'-'))
    })
}

/// What one window of a CSV file hands the next: the delimiter and column names read from the
/// first window, and how many records came before.
#[derive(Debug, Clone, Default)]
pub struct State {
    header: Option<(u8, Vec<Arc<str>>)>,
    records_before: u64,
}

pub fn index(buf: &[u8]) -> StructureIndex {
    index_window(buf, &mut State::default(), true).0
}

/// Indexes the complete records of `buf`; returns the index and how many bytes they take.
pub fn index_window(buf: &[u8], state: &mut State, eof: bool) -> (StructureIndex, usize) {
    let mut ix = StructureIndex::default();
    if u32::try_from(buf.len()).is_err() {
        // Windows are far smaller; only a whole buffer over 4 GiB gets here.
        ix.untracked();
        return (ix, buf.len());
    }
    let delim = state
        .header
        .as_ref()
        .map_or_else(|| sniff_delimiter(buf), |h| h.0);
    let column = |ix: &mut StructureIndex, name: Arc<str>| {
        ix.place_id(Place {
            table: None,
            column: Some(name),
            key_path: None,
        })
    };
    let mut columns: Vec<u32> = match &state.header {
        Some((_, names)) => names.iter().map(|n| column(&mut ix, n.clone())).collect(),
        None => Vec::new(),
    };
    let mut table = StructureIndex::new_table();
    let mut parts = Parts {
        spans: std::mem::take(&mut table.spans),
        seps: std::mem::take(&mut table.seps),
        records: std::mem::take(&mut table.records),
        widest: 0,
    };
    let parsed = self::records(buf, delim, eof, &mut parts);
    let widest = parts.widest;
    table.spans = parts.spans;
    table.seps = parts.seps;
    table.records = parts.records;
    table.first_row = state.records_before + 1;
    if state.header.is_none() {
        if let Some(&first) = table.records.first() {
            // The first record names the columns, unless it looks like data. (A blank
            // line has one empty field.)
            let mut fields: Vec<[u32; 2]> = table.fields(&first).collect();
            if fields.is_empty() {
                fields.push([first.start, first.start]);
            }
            let has_header = !looks_like_data(buf, &fields);
            let names: Vec<Arc<str>> = if has_header {
                fields
                    .iter()
                    .map(|&[s, e]| {
                        Arc::from(String::from_utf8_lossy(&buf[s as usize..e as usize]).trim())
                    })
                    .collect()
            } else {
                (1..=fields.len())
                    .map(|i| Arc::from(format!("col{i}")))
                    .collect()
            };
            columns = names.iter().map(|n| column(&mut ix, n.clone())).collect();
            state.header = Some((delim, names));
            if has_header {
                // Not a row: the rows after it are numbered from 1.
                table.records[0].len = 0;
                table.first_row -= 1;
            }
        }
    }
    let records = std::mem::take(&mut table.records);
    // The rows this window numbered (`first_row` is 0 only when a header took record 0).
    state.records_before = table.first_row + records.len() as u64 - 1;
    // Columns past the named ones, and the first and last row each column has a cell in
    // (column `j` has cells in the records longer than `j`): from each end, the records up to
    // the first that is widest. The parser counted a header's fields, which are no cells:
    // without them, count again.
    let widest = if records.first().is_some_and(|r| r.len == 0) {
        records.iter().map(|r| r.len).max().unwrap_or(0)
    } else {
        widest
    } as usize;
    while columns.len() < widest {
        let extra = column(&mut ix, Arc::from(format!("col{}", columns.len() + 1)));
        columns.push(extra);
    }
    let first_row = table.first_row;
    let mut note = |i: usize, r: &Record, covered: &mut usize| {
        let row = first_row + i as u64;
        for &place in columns.get(*covered..r.len as usize).unwrap_or_default() {
            ix.note_rows(place, row, row);
        }
        *covered = (*covered).max(r.len as usize);
    };
    let mut covered = 0;
    for (i, r) in records.iter().enumerate() {
        if covered == widest {
            break;
        }
        note(i, r, &mut covered);
    }
    let mut covered = 0;
    for (i, r) in records.iter().enumerate().rev() {
        if covered == widest {
            break;
        }
        note(i, r, &mut covered);
    }
    table.records = records;
    table.columns = columns;
    ix.table = table;
    ix.problem = parsed.problem;
    (ix, parsed.consumed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both ways of reading a block's bits agree (the parse takes the AVX2 one where the CPU
    /// has it, and the portable one for a file's last, shorter block).
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn block_bits_agree() {
        assert!(
            std::is_x86_feature_detected!("avx2"),
            "this test compares the AVX2 reading; the CPU has no AVX2"
        );
        let mut next = super::super::test_rng(5);
        let alphabet = b",;\t\n\r\"a0 ";
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in &mut block {
                *b = alphabet[next(alphabet.len() as u32) as usize];
            }
            for delim in [b',', b';', b'\t'] {
                // SAFETY: the CPU has AVX2 (asserted above).
                let fast = unsafe { block_masks_avx2(&block, delim) };
                assert_eq!(fast, block_masks(&block, delim));
            }
        }
    }

    /// Generated records (plain, empty and quoted fields with delimiters, quotes and line
    /// breaks inside, CRLF and LF endings) come back field for field, across 64-byte blocks.
    /// A third of the inputs are mostly plain (short fields, a rare quoted one, now and then
    /// a record of hundreds of fields), so records read from separator bits meet records
    /// with spans inside and across blocks, and long records are spelled out.
    #[test]
    fn records_match_generated_fields() {
        let mut next = super::super::test_rng(99);
        for _ in 0..300 {
            let mostly_plain = next(3) == 0;
            let mut buf = Vec::new();
            let mut want: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut last_start = 0;
            for _ in 0..1 + next(if mostly_plain { 60 } else { 12 }) {
                last_start = buf.len();
                let mut rec = Vec::new();
                // Now and then a record longer than SEPARATED_RECORD_MAX (spelled out).
                let long = mostly_plain && next(10) == 0;
                let fields = if long { 100 + next(200) } else { 1 + next(6) };
                for f in 0..fields {
                    if f > 0 {
                        buf.push(b',');
                    }
                    let (len, alphabet) = if mostly_plain {
                        (next(20) as usize, 4)
                    } else {
                        (next(90) as usize, 7)
                    };
                    let value: Vec<u8> = (0..len)
                        .map(|_| b"ab1 ,\n\"x"[next(alphabet) as usize])
                        .collect();
                    let plain = !value.iter().any(|b| matches!(b, b',' | b'\n' | b'"'));
                    // (A long record without quotes: one with keeps spans anyway.)
                    let quoted = !plain
                        || if mostly_plain {
                            !long && next(25) == 0
                        } else {
                            next(2) == 1
                        };
                    if !quoted {
                        buf.extend_from_slice(&value);
                        rec.push(value);
                    } else {
                        buf.push(b'"');
                        for &b in &value {
                            if b == b'"' {
                                buf.push(b'"');
                            }
                            buf.push(b);
                        }
                        buf.push(b'"');
                        // The span of a quoted field keeps its doubled quotes.
                        let mut span = Vec::new();
                        for &b in &value {
                            if b == b'"' {
                                span.push(b'"');
                            }
                            span.push(b);
                        }
                        rec.push(span);
                    }
                }
                buf.extend_from_slice(if next(2) == 0 { b"\r\n" } else { b"\n" });
                want.push(rec);
            }
            let mut parts = Parts::default();
            let parsed = records(&buf, b',', true, &mut parts);
            let table = super::super::table::Table {
                spans: parts.spans,
                seps: parts.seps,
                records: parts.records,
                ..Default::default()
            };
            // Lookups in a record read from separator bits count them from its start: a long
            // record keeps spans instead.
            assert!(table.records.iter().all(|r| r.first != FROM_SEPARATORS
                || (r.end - r.start) as usize <= SEPARATED_RECORD_MAX));
            // A blank line is a record of one empty field, without cells.
            let got: Vec<Vec<Vec<u8>>> = table
                .records
                .iter()
                .map(|r| {
                    let fields: Vec<Vec<u8>> = table
                        .fields(r)
                        .map(|[s, e]| buf[s as usize..e as usize].to_vec())
                        .collect();
                    if fields.is_empty() {
                        vec![Vec::new()]
                    } else {
                        fields
                    }
                })
                .collect();
            assert_eq!(got, want, "{}", String::from_utf8_lossy(&buf));
            assert_eq!(parsed.consumed, buf.len());
            // Without the end of input, a record the buffer ends in is left for later.
            let cut = buf.len() - 1;
            let mut parts = Parts::default();
            let part = records(&buf[..cut], b',', false, &mut parts);
            assert_eq!(parts.records.len(), want.len() - 1);
            assert_eq!(part.consumed, last_start);
        }
    }

    /// Every field of a generated CSV (a header, blank lines, quoted fields, CRLF and LF,
    /// records longer than the header) is a cell of its column and row; a lookup at any byte
    /// finds the cell holding it, in every order the callers use; each column's rows are
    /// those of its cells.
    #[test]
    fn cells_lookups_and_rows_match_the_generated_records() {
        let mut next = super::super::test_rng(7);
        let names = ["name", "email", "col3", "col4"];
        let mut buf = b"name,email\r\n".to_vec();
        let mut want: Vec<(usize, usize, &str, u64)> = Vec::new();
        for i in 0..400u64 {
            let row = i + 1;
            if i % 7 == 3 {
                buf.push(b'\n'); // a blank line: a row without cells
                continue;
            }
            for (f, name) in names.iter().enumerate().take(1 + next(4) as usize) {
                if f > 0 {
                    buf.push(b',');
                }
                let value = format!("v{i}x{f}");
                let quoted = next(3) == 0;
                if quoted {
                    buf.push(b'"');
                }
                want.push((buf.len(), buf.len() + value.len(), name, row));
                buf.extend_from_slice(value.as_bytes());
                if quoted {
                    buf.push(b'"');
                }
            }
            buf.extend_from_slice(if next(2) == 0 { b"\r\n" } else { b"\n" });
        }
        let ix = index(&buf);
        let column = |place: u32| ix.places[place as usize].column.as_deref().unwrap_or("");
        let got: Vec<_> = ix
            .cells()
            .map(|c| (c.start, c.end, column(c.place), c.row))
            .collect();
        assert_eq!(got, want);
        let naive = |pos: usize| {
            want.iter()
                .find(|c| c.0 <= pos && pos < c.1.max(c.0 + 1))
                .map(|c| (c.0, c.1, c.2, c.3))
        };
        for step in [1, 5, 37, 300, 4000] {
            for pos in (0..buf.len() + 3).step_by(step) {
                let found = ix
                    .cell_at(pos)
                    .map(|c| (c.start, c.end, column(c.place), c.row));
                assert_eq!(found, naive(pos), "step {step} pos {pos}");
            }
        }
        for _ in 0..500 {
            let pos = next(buf.len() as u32) as usize;
            let found = ix
                .cell_at(pos)
                .map(|c| (c.start, c.end, column(c.place), c.row));
            assert_eq!(found, naive(pos), "pos {pos}");
        }
        // The cells of some columns: those of all cells, in the same order.
        for pick in [[true, false, true, false], [false, false, false, true]] {
            let wanted: Vec<bool> = ix
                .places
                .iter()
                .map(|p| {
                    names
                        .iter()
                        .zip(pick)
                        .any(|(n, w)| w && p.column.as_deref() == Some(n))
                })
                .collect();
            let some: Vec<_> = ix.cells_in(&wanted).collect();
            let all: Vec<_> = ix.cells().filter(|c| wanted[c.place as usize]).collect();
            assert!(!some.is_empty());
            assert_eq!(some, all);
        }
        for (place, p) in ix.places.iter().enumerate() {
            let name = p.column.as_deref().unwrap_or("");
            let rows: Vec<u64> = want.iter().filter(|c| c.2 == name).map(|c| c.3).collect();
            assert_eq!(ix.rows[place], rows.last().copied().unwrap_or(0), "{name}");
            let span = rows.last().map_or(0, |last| last - rows[0] + 1);
            assert_eq!(ix.row_span(place as u32), span, "{name}");
        }
    }

    #[test]
    fn fields_and_header() {
        let buf = b"id,email,note\r\n1,a@example.com,\"x, \"\"y\"\"\nz\"\n2,b@example.org,plain\n";
        let ix = index(buf);
        let email = ix
            .cells()
            .find(|c| &buf[c.start..c.end] == b"b@example.org")
            .unwrap();
        assert_eq!(
            ix.places[email.place as usize].column.as_deref(),
            Some("email")
        );
        assert_eq!(email.row, 2);
        let note = ix
            .cells()
            .find(|c| buf[c.start..c.end].starts_with(b"x, "))
            .unwrap();
        assert_eq!(
            ix.places[note.place as usize].column.as_deref(),
            Some("note")
        );
        assert_eq!(ix.rows[0], 2);
        assert!(ix.problem.is_none());
        let ix = index(b"a;b\n1;\"open\n");
        assert!(ix.problem.is_some());
    }
}
