//! Structured reading of inputs of any size: a reader is cut into windows of about a target
//! size that end on record boundaries (a CSV record, a JSON record, an SQL statement or COPY
//! row), each with its own [`StructureIndex`]. The reader's state (header, open containers,
//! table definitions, the COPY block in progress) carries from one window to the next, so a
//! 10 GB dump is attributed to `table.column` like a small one, in bounded memory.

use super::{csv_index, json_index, sql_index, Kind, StructureIndex};
use std::io::{self, Read};

/// A record larger than this ends structured reading: the rest is read as text.
const MAX_RECORD: usize = 256 << 20;

#[derive(Debug, Clone)]
enum State {
    Csv(csv_index::State),
    Json(json_index::State),
    Sql(sql_index::State),
    /// Plain text, or structure given up: windows end at line ends.
    Text,
}

/// One window: its bytes, where they start in the input, and their structure.
#[derive(Debug)]
pub struct Window {
    pub base: u64,
    pub buf: Vec<u8>,
    pub index: Option<StructureIndex>,
}

/// Cuts a reader into structured windows; see the module documentation.
pub struct Windows<R> {
    reader: R,
    kind: Kind,
    state: State,
    carry: Vec<u8>,
    /// Buffers of scanned windows, handed back by [`Windows::recycle`]: a fresh 8 MiB buffer
    /// per window cost page faults and the kernel's page zeroing on every window.
    spare: Vec<Vec<u8>>,
    base: u64,
    target: usize,
    eof: bool,
}

impl<R: Read> Windows<R> {
    /// `target`: the usual window size (a window grows while one record does not fit).
    pub fn new(reader: R, kind: Kind, target: usize) -> Windows<R> {
        let state = match kind {
            Kind::Csv => State::Csv(Default::default()),
            Kind::Json => State::Json(Default::default()),
            Kind::Sql => State::Sql(Default::default()),
            Kind::Text | Kind::Db => State::Text,
        };
        Windows {
            reader,
            kind,
            state,
            carry: Vec::new(),
            spare: Vec::new(),
            base: 0,
            target: target.max(1 << 10),
            eof: false,
        }
    }

    /// Reads until `carry` holds `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.carry.len() < want && !self.eof {
            let old = self.carry.len();
            let grow = want - old;
            self.carry.reserve_exact(grow);
            // `read_to_end` reads into the spare capacity without zeroing it first and stops
            // at `grow` bytes or the end of the input.
            match (&mut self.reader)
                .take(grow as u64)
                .read_to_end(&mut self.carry)
            {
                Ok(n) => self.eof = n < grow,
                Err(e) => {
                    self.carry.truncate(old);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Indexes `carry` with a copy of the state; returns the index, the bytes it covers, and
    /// the state after them.
    fn index(&self) -> (Option<StructureIndex>, usize, State) {
        let buf = &self.carry[..];
        let mut state = self.state.clone();
        let (ix, consumed) = match &mut state {
            State::Csv(s) => {
                let (ix, n) = csv_index::index_window(buf, s, self.eof);
                (Some(ix), n)
            }
            State::Json(s) => {
                let (ix, n) = json_index::index_window(buf, s, self.eof);
                (Some(ix), n)
            }
            State::Sql(s) => {
                let (ix, n) = sql_index::index_window(buf, s, self.eof);
                (Some(ix), n)
            }
            State::Text if self.eof => (None, buf.len()),
            State::Text => (None, memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1)),
        };
        (ix, consumed, state)
    }

    fn next_window(&mut self) -> io::Result<Option<Window>> {
        let mut want = self.target;
        loop {
            self.fill(want)?;
            if self.carry.is_empty() {
                return Ok(None);
            }
            let (mut ix, mut consumed, mut state) = self.index();
            if consumed == 0 && !self.eof {
                if want < MAX_RECORD {
                    want = want.saturating_mul(2);
                    continue;
                }
                if matches!(self.state, State::Text) {
                    // A line longer than the limit: cut it (the scanner's overlap is lost).
                    consumed = self.carry.len();
                } else {
                    // One record larger than the limit: give up structure here.
                    consumed = self.carry.len();
                    let problem = format!(
                        "a record larger than {} MiB at byte {}: the rest is read as text",
                        MAX_RECORD >> 20,
                        self.base
                    );
                    let mut text = StructureIndex::default();
                    text.problem = Some(problem);
                    ix = Some(text);
                    state = State::Text;
                }
            }
            if let Some(ix) = &mut ix {
                ix.kind = Some(self.kind);
                ix.sort();
                if ix.problem.is_some() {
                    // Malformed from here: the rest is plain text, the problem reported once.
                    state = State::Text;
                }
            }
            self.state = state;
            let mut rest = self.spare.pop().unwrap_or_default();
            rest.clear();
            rest.extend_from_slice(&self.carry[consumed..]);
            let mut buf = std::mem::replace(&mut self.carry, rest);
            buf.truncate(consumed);
            let base = self.base;
            self.base += buf.len() as u64;
            return Ok(Some(Window {
                base,
                buf,
                index: ix,
            }));
        }
    }
}

impl<R> Windows<R> {
    /// Hands a scanned window's buffer back for the windows still to come.
    pub fn recycle(&mut self, buf: Vec<u8>) {
        // Those in flight (a batch scanned while the next is read) are all that is needed.
        if self.spare.len() < 8 {
            self.spare.push(buf);
        }
    }
}

impl<R: Read> Iterator for Windows<R> {
    type Item = io::Result<Window>;

    fn next(&mut self) -> Option<io::Result<Window>> {
        self.next_window().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windowed indexing gives every value the same place and row as indexing the whole.
    fn same_as_whole(kind: Kind, data: &[u8], target: usize) {
        let whole = super::super::index(kind, data).unwrap();
        let expect: Vec<_> = whole
            .cells()
            .map(|c| {
                (
                    c.start,
                    c.end,
                    whole.places[c.place as usize].clone(),
                    c.row,
                )
            })
            .collect();
        let mut got = Vec::new();
        let mut windows = 0;
        for w in Windows::new(data, kind, target) {
            let w = w.unwrap();
            windows += 1;
            let ix = w.index.unwrap();
            assert!(ix.problem.is_none(), "{:?}", ix.problem);
            for c in ix.cells() {
                got.push((
                    c.start + w.base as usize,
                    c.end + w.base as usize,
                    ix.places[c.place as usize].clone(),
                    c.row,
                ));
            }
        }
        assert!(windows > 3, "only {windows} windows");
        assert_eq!(got, expect);
    }

    #[test]
    fn csv_windows_match_the_whole() {
        let mut data = b"id,email,note\n".to_vec();
        for i in 0..400 {
            data.extend_from_slice(
                format!("{i},u{i}@example.com,\"multi\nline, \"\"quoted\"\" {i}\"\n").as_bytes(),
            );
        }
        same_as_whole(Kind::Csv, &data, 1024);
    }

    #[test]
    fn json_windows_match_the_whole() {
        let mut nd = Vec::new();
        let mut arr = b"[".to_vec();
        for i in 0..300 {
            let rec = format!("{{\"user\":{{\"email\":\"u{i}@example.com\",\"n\":{i}}}}}");
            nd.extend_from_slice(rec.as_bytes());
            nd.push(b'\n');
            arr.extend_from_slice(rec.as_bytes());
            arr.extend_from_slice(if i < 299 { b",\n" } else { b"]\n" });
        }
        same_as_whole(Kind::Json, &nd, 1024);
        same_as_whole(Kind::Json, &arr, 1024);
        // One record bigger than the window: cut between tokens, paths kept.
        let mut big = b"{\"users\":[".to_vec();
        for i in 0..300 {
            big.extend_from_slice(format!("{{\"email\":\"u{i}@example.com\"}},").as_bytes());
        }
        big.extend_from_slice(b"{}]}");
        same_as_whole(Kind::Json, &big, 1024);
    }

    #[test]
    fn sql_windows_match_the_whole() {
        let mut data = b"CREATE TABLE public.customer (\n    id integer,\n    email text\n);\n\nCOPY public.customer (id, email) FROM stdin;\n".to_vec();
        for i in 0..200 {
            data.extend_from_slice(format!("{i}\tu{i}@example.com\n").as_bytes());
        }
        data.extend_from_slice(b"\\.\n\nCREATE TABLE `t` (\n  `a` int,\n  `mail` text\n);\n");
        for i in 0..40 {
            data.extend_from_slice(b"INSERT INTO `t` VALUES ");
            for j in 0..5 {
                let sep = if j < 4 { "," } else { ";\n" };
                data.extend_from_slice(format!("({i},'v{j}@example.org'){sep}").as_bytes());
            }
        }
        same_as_whole(Kind::Sql, &data, 1024);
    }

    #[test]
    fn a_malformed_window_turns_the_rest_to_text() {
        let mut data = b"a,b\n1,\"open\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 5000));
        let windows: Vec<_> = Windows::new(&data[..], Kind::Csv, 1024)
            .map(|w| w.unwrap())
            .collect();
        let total: usize = windows.iter().map(|w| w.buf.len()).sum();
        assert_eq!(total, data.len());
        assert!(windows
            .iter()
            .any(|w| w.index.as_ref().is_some_and(|ix| ix.problem.is_some())));
    }
}
