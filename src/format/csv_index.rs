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

/// Records of (start, end) field spans (quotes excluded from the span), flat: record `r` is
/// `fields[records[r].1..records[r + 1].1]` and starts at byte `records[r].0`. Unless `eof`, a
/// record the buffer ends in (no newline yet, or a quote still open) is left out: `consumed`
/// is where it starts, so the next window can begin there.
#[derive(Default)]
struct Records {
    records: Vec<(usize, usize)>,
    fields: Vec<(usize, usize)>,
    problem: Option<String>,
    consumed: usize,
}

impl Records {
    fn fields_of(&self, r: usize) -> &[(usize, usize)] {
        let end = self
            .records
            .get(r + 1)
            .map_or(self.fields.len(), |next| next.1);
        &self.fields[self.records[r].1..end]
    }

    /// Leaves out the record begun at `rec_start` (its fields from `first_field` on).
    fn cut(mut self, rec_start: usize, first_field: usize) -> Records {
        self.fields.truncate(first_field);
        self.consumed = rec_start;
        self
    }
}

fn records(buf: &[u8], delim: u8, eof: bool) -> Records {
    let mut out = Records {
        fields: Vec::with_capacity(buf.len() / 8),
        ..Default::default()
    };
    let mut rec_start = 0;
    let mut first_field = 0;
    let mut i = 0;
    let n = buf.len();
    while i < n {
        if buf[i] == b'"' {
            let start = i + 1;
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
                    None if !eof => return out.cut(rec_start, first_field),
                    None => {
                        out.fields.push((start, n));
                        out.records.push((rec_start, first_field));
                        out.problem = Some(format!(
                            "unbalanced quote in the field starting at byte {}",
                            start - 1
                        ));
                        out.consumed = n;
                        return out;
                    }
                }
            }
            out.fields.push((start, j));
            i = j + 1;
            // Skip to the delimiter or line end after the closing quote.
            while i < n && buf[i] != delim && buf[i] != b'\n' {
                i += 1;
            }
        } else {
            let start = i;
            i += memchr::memchr2(delim, b'\n', &buf[i..]).unwrap_or(n - i);
            let mut end = i;
            if end > start && buf[end - 1] == b'\r' {
                end -= 1;
            }
            out.fields.push((start, end));
        }
        if i < n && buf[i] == delim {
            i += 1;
            if i == n || buf[i] == b'\n' {
                out.fields.push((i, i));
            }
            continue;
        }
        if i >= n && !eof {
            // The buffer ends inside this record.
            return out.cut(rec_start, first_field);
        }
        // End of line (or file).
        out.records.push((rec_start, first_field));
        i += 1;
        rec_start = i;
        first_field = out.fields.len();
    }
    if out.fields.len() > first_field {
        if !eof {
            return out.cut(rec_start, first_field);
        }
        out.records.push((rec_start, first_field));
    }
    out.consumed = n;
    out
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
    let recs = records(buf, delim, eof);
    ix.problem.clone_from(&recs.problem);
    let mut first_data = 0;
    let names = match &state.header {
        Some((_, names)) => names.clone(),
        None => {
            if recs.records.is_empty() {
                return (ix, recs.consumed);
            }
            let first = recs.fields_of(0);
            let has_header = !looks_like_data(buf, first);
            let names: Vec<Arc<str>> = if has_header {
                first
                    .iter()
                    .map(|&(s, e)| Arc::from(String::from_utf8_lossy(&buf[s..e]).trim()))
                    .collect()
            } else {
                (1..=first.len())
                    .map(|i| Arc::from(format!("col{i}")))
                    .collect()
            };
            first_data = usize::from(has_header);
            state.header = Some((delim, names.clone()));
            names
        }
    };
    let mut ids: Vec<u32> = names
        .iter()
        .map(|n| {
            ix.place_id(Place {
                table: None,
                column: Some(n.clone()),
                key_path: None,
            })
        })
        .collect();
    for r in first_data..recs.records.len() {
        state.records_before += 1;
        let row = state.records_before;
        let rec = recs.fields_of(r);
        if rec.len() == 1 && rec[0].0 == rec[0].1 {
            continue; // blank line
        }
        for (c, &(s, e)) in rec.iter().enumerate() {
            while ids.len() <= c {
                let extra = ix.place_id(Place {
                    table: None,
                    column: Some(Arc::from(format!("col{}", ids.len() + 1))),
                    key_path: None,
                });
                ids.push(extra);
            }
            ix.push(s, e, ids[c], row);
        }
    }
    let consumed = recs.consumed;
    (ix, consumed)
}

#[cfg(test)]
mod tests {
    use super::*;
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
