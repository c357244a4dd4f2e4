//! CSV/TSV: delimiter sniffed from the first line (`,` `;` tab `|`), header row detected,
//! quoted fields (with `""` escapes and embedded newlines) handled; every field becomes a
//! cell of its column.

use super::{Place, StructureIndex};
use std::sync::Arc;

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

/// Bit `i` set where `block[i]` is the delimiter, a line feed or a quote (up to 64 bytes).
#[inline]
fn special_mask(block: &[u8], delim: u8) -> u64 {
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
            let mut m = 0u64;
            for k in 0..4 {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
                let hit = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, nl)),
                    _mm_cmpeq_epi8(v, q),
                );
                m |= (_mm_movemask_epi8(hit) as u16 as u64) << (16 * k);
            }
            return m;
        }
    }
    block
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == delim || b == b'\n' || b == b'"')
        .fold(0u64, |m, (i, _)| m | 1 << i)
}

/// Splits `buf` into records and hands each complete one to `on_record` as its (start, end)
/// field spans (quotes excluded from the span). Unquoted fields are cut where a 64-byte mask of
/// delimiters, line feeds and quotes has bits (a field costs a few instructions, not a
/// `memchr` call); a quote opens a quoted field only at a field's start. Only one record's
/// fields are held at a time: a window has millions of fields, and an array of all of them
/// was fresh memory (page faults) on every window.
fn records(
    buf: &[u8],
    delim: u8,
    eof: bool,
    on_record: &mut impl FnMut(&[(usize, usize)]),
) -> Parsed {
    let mut fields: Vec<(usize, usize)> = Vec::with_capacity(16);
    let n = buf.len();
    let mut rec_start = 0;
    let mut field_start = 0;
    let mut i = 0;
    // Ends the field at `end` (a `\r` before a line feed is not part of it).
    let end_field = |fields: &mut Vec<(usize, usize)>, start: usize, end: usize| {
        let end = if end > start && buf[end - 1] == b'\r' && buf.get(end) == Some(&b'\n') {
            end - 1
        } else {
            end
        };
        fields.push((start, end));
    };
    let cut = |rec_start: usize| Parsed {
        consumed: rec_start,
        problem: None,
    };
    'blocks: while i < n {
        let block = &buf[i..(i + 64).min(n)];
        let mut m = special_mask(block, delim);
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
                            None if !eof => return cut(rec_start),
                            None => {
                                fields.push((start, n));
                                on_record(&fields);
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
                    fields.push((start, j));
                    // Whatever follows the closing quote up to the delimiter or line end is
                    // not part of the value.
                    let rest =
                        memchr::memchr2(delim, b'\n', &buf[j + 1..]).map_or(n, |k| j + 1 + k);
                    if rest >= n {
                        if !eof {
                            return cut(rec_start);
                        }
                        on_record(&fields);
                        return Parsed {
                            consumed: n,
                            problem: None,
                        };
                    }
                    if buf[rest] != delim {
                        on_record(&fields);
                        fields.clear();
                        rec_start = rest + 1;
                    }
                    field_start = rest + 1;
                    // The field may pass 64-byte blocks: recompute the mask after it.
                    i = rest + 1;
                    continue 'blocks;
                }
                b'"' => {}
                b'\n' => {
                    end_field(&mut fields, field_start, p);
                    on_record(&fields);
                    fields.clear();
                    rec_start = p + 1;
                    field_start = p + 1;
                }
                _ => {
                    fields.push((field_start, p));
                    field_start = p + 1;
                }
            }
        }
        i += block.len();
    }
    // A record without a final line feed.
    if rec_start < n || !fields.is_empty() {
        if !eof {
            return cut(rec_start);
        }
        end_field(&mut fields, field_start, n);
        on_record(&fields);
    }
    Parsed {
        consumed: n,
        problem: None,
    }
}

fn looks_like_data(buf: &[u8], fields: &[(usize, usize)]) -> bool {
    fields.iter().any(|&(s, e)| {
        let f = &buf[s..e];
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
    let mut ids: Vec<u32> = match &state.header {
        Some((_, names)) => names.iter().map(|n| column(&mut ix, n.clone())).collect(),
        None => Vec::new(),
    };
    let parsed = records(buf, delim, eof, &mut |rec| {
        if state.header.is_none() {
            // The first record names the columns, unless it looks like data.
            let has_header = !looks_like_data(buf, rec);
            let names: Vec<Arc<str>> = if has_header {
                rec.iter()
                    .map(|&(s, e)| Arc::from(String::from_utf8_lossy(&buf[s..e]).trim()))
                    .collect()
            } else {
                (1..=rec.len())
                    .map(|i| Arc::from(format!("col{i}")))
                    .collect()
            };
            ids = names.iter().map(|n| column(&mut ix, n.clone())).collect();
            state.header = Some((delim, names));
            if has_header {
                return;
            }
        }
        state.records_before += 1;
        let row = state.records_before;
        if rec.len() == 1 && rec[0].0 == rec[0].1 {
            return; // blank line
        }
        while ids.len() < rec.len() {
            let extra = column(&mut ix, Arc::from(format!("col{}", ids.len() + 1)));
            ids.push(extra);
        }
        for (&(s, e), &id) in rec.iter().zip(&ids) {
            ix.push(s, e, id, row);
        }
    });
    ix.problem = parsed.problem;
    (ix, parsed.consumed)
}

#[cfg(test)]
mod tests {
    use super::*;
    /// Generated records (plain, empty and quoted fields with delimiters, quotes and line
    /// breaks inside, CRLF and LF endings) come back field for field, across 64-byte blocks.
    #[test]
    fn records_match_generated_fields() {
        let mut r: u32 = 99;
        let mut next = |m: u32| {
            r = r.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (r >> 16) % m
        };
        for _ in 0..200 {
            let mut buf = Vec::new();
            let mut want: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut last_start = 0;
            for _ in 0..1 + next(12) {
                last_start = buf.len();
                let mut rec = Vec::new();
                for f in 0..1 + next(6) {
                    if f > 0 {
                        buf.push(b',');
                    }
                    let len = next(90) as usize;
                    let value: Vec<u8> =
                        (0..len).map(|_| b"ab1 ,\n\"x"[next(7) as usize]).collect();
                    let plain = !value.iter().any(|b| matches!(b, b',' | b'\n' | b'"'));
                    if plain && next(2) == 0 {
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
            let mut got: Vec<Vec<Vec<u8>>> = Vec::new();
            let parsed = records(&buf, b',', true, &mut |rec| {
                got.push(rec.iter().map(|&(s, e)| buf[s..e].to_vec()).collect())
            });
            assert_eq!(got, want, "{}", String::from_utf8_lossy(&buf));
            assert_eq!(parsed.consumed, buf.len());
            // Without the end of input, a record the buffer ends in is left for later.
            let cut = buf.len() - 1;
            let mut complete = 0;
            let part = records(&buf[..cut], b',', false, &mut |_| complete += 1);
            assert_eq!(complete, want.len() - 1);
            assert_eq!(part.consumed, last_start);
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
