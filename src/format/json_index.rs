//! JSON and NDJSON: a byte-level tokenizer that tracks the key path of every string and number
//! (`$.user.contact.email`, arrays as `[*]`). Each top-level value is a record (one per NDJSON
//! line); a top-level array's elements are records too. Key paths are interned once (ids into
//! a table that lives as long as the input), so a value costs a lookup, not an allocation.

use super::{Place, StructureIndex};
use std::sync::Arc;

/// Every key path seen in the input: `$` is 0; a path's children by key and its `[*]`.
#[derive(Debug, Clone)]
struct Paths {
    names: Vec<Arc<str>>,
    children: Vec<foldhash::HashMap<Box<[u8]>, u32>>,
    elements: Vec<Option<u32>>,
    /// The key (last segment) of each path, and the path of the key that followed it in its
    /// object last time (or, for an object's own path, of its first key): records of one
    /// shape repeat their keys in order, so most keys are confirmed by one comparison
    /// instead of a hash lookup.
    keys: Vec<Box<[u8]>>,
    next: Vec<u32>,
    /// The path each path is a child of (a guess must be a child of the object at hand: a
    /// path is both a key of its parent and, for an object value, the parent of its keys).
    parent: Vec<u32>,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            names: vec![Arc::from("$")],
            children: vec![Default::default()],
            elements: vec![None],
            keys: vec![Box::default()],
            next: vec![u32::MAX],
            parent: vec![u32::MAX],
        }
    }
}

impl Paths {
    fn add(&mut self, name: String, key: &[u8], parent: u32) -> u32 {
        let id = self.names.len() as u32;
        self.names.push(Arc::from(name));
        self.children.push(Default::default());
        self.elements.push(None);
        self.keys.push(key.into());
        self.next.push(u32::MAX);
        self.parent.push(parent);
        id
    }

    /// The path of `key` in the object at `parent` whose previous key was `prev`.
    fn child_after(&mut self, parent: u32, prev: Option<u32>, key: &[u8]) -> u32 {
        let from = prev.unwrap_or(parent) as usize;
        let guess = self.next[from];
        if guess != u32::MAX
            && self.parent[guess as usize] == parent
            && *self.keys[guess as usize] == *key
        {
            return guess;
        }
        let id = self.child(parent, key);
        self.next[from] = id;
        id
    }

    fn child(&mut self, parent: u32, key: &[u8]) -> u32 {
        if let Some(&id) = self.children[parent as usize].get(key) {
            return id;
        }
        let name = format!(
            "{}.{}",
            self.names[parent as usize],
            String::from_utf8_lossy(key)
        );
        let id = self.add(name, key, parent);
        self.children[parent as usize].insert(key.into(), id);
        id
    }

    fn element(&mut self, parent: u32) -> u32 {
        if let Some(id) = self.elements[parent as usize] {
            return id;
        }
        let id = self.add(
            format!("{}[*]", self.names[parent as usize]),
            b"[*]",
            parent,
        );
        self.elements[parent as usize] = Some(id);
        id
    }
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    Object {
        path: u32,
        key: Option<u32>,
        expecting_key: bool,
    },
    Array {
        path: u32,
    },
}

/// What one window of a JSON file hands the next: the key paths seen, the open containers
/// and the record count.
#[derive(Debug, Clone, Default)]
pub struct State {
    paths: Paths,
    stack: Vec<Frame>,
    row: u64,
    top_array: bool,
}

pub fn index(buf: &[u8]) -> StructureIndex {
    index_window(buf, &mut State::default(), true).0
}

/// Where the string whose content starts at `s` ends (its closing quote), or `buf.len()` when
/// it does not end in `buf`. Sixteen bytes at a time: JSON strings are mostly short, and a
/// `memchr` call per string cost more than the search.
#[inline]
fn string_end(buf: &[u8], s: usize) -> usize {
    let n = buf.len();
    let mut j = s;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of the x86_64 baseline; each load reads 16 bytes at `j` with
        // `j + 16 <= n`.
        unsafe {
            let quote = _mm_set1_epi8(b'"' as i8);
            let escape = _mm_set1_epi8(b'\\' as i8);
            while j + 16 <= n {
                let v = _mm_loadu_si128(buf.as_ptr().add(j) as *const __m128i);
                let m = _mm_movemask_epi8(_mm_or_si128(
                    _mm_cmpeq_epi8(v, quote),
                    _mm_cmpeq_epi8(v, escape),
                )) as u32;
                if m == 0 {
                    j += 16;
                    continue;
                }
                let p = j + m.trailing_zeros() as usize;
                if buf[p] == b'"' {
                    return p;
                }
                j = p + 2;
            }
        }
    }
    while j < n {
        match buf[j] {
            b'"' => return j,
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    n
}

/// The key path of a value in the innermost open container (`None`: an object value with no
/// key, in malformed input).
#[inline]
fn value_path(paths: &mut Paths, stack: &[Frame]) -> Option<u32> {
    match stack.last() {
        Some(Frame::Object { key, .. }) => *key,
        Some(Frame::Array { path }) => Some(paths.element(*path)),
        None => Some(0),
    }
}

/// The place of a key path in this window's index (created on first use). Inlined (a call
/// per value cost more than the lookup); the first use of a path is out of line.
#[inline]
fn place_of(ix: &mut StructureIndex, places: &mut Vec<u32>, paths: &Paths, path: u32) -> u32 {
    match places.get(path as usize) {
        Some(&place) if place != u32::MAX => place,
        _ => new_place(ix, places, paths, path),
    }
}

#[cold]
fn new_place(ix: &mut StructureIndex, places: &mut Vec<u32>, paths: &Paths, path: u32) -> u32 {
    let slot = path as usize;
    if places.len() <= slot {
        places.resize(slot + 1, u32::MAX);
    }
    places[slot] = ix.place_id(Place {
        table: None,
        column: None,
        key_path: Some(paths.names[slot].clone()),
    });
    places[slot]
}

/// The value of one member of a flat record, as a [`Template`] expects it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    String,
    /// A number, `true`, `false` or `null`.
    Scalar,
}

/// One member of a flat record: where the bytes before its value (`{"ts":` or `,"event":`)
/// are in [`Template::bytes`], the kind of value, and the key path of the value.
#[derive(Debug, Clone, Copy)]
struct Member {
    prefix: (u32, u32),
    /// The prefix as two little-endian words and the mask of its bytes, when it has at most
    /// 16: compared in two loads instead of a `memcmp` call.
    head: [u64; 2],
    mask: [u64; 2],
    slot: Slot,
    path: u32,
}

/// Eight bytes as a little-endian word (`b` holds exactly eight).
#[inline]
fn le_word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    u64::from_le_bytes(w)
}

/// The first 16 bytes of `b` (zero-padded) as two little-endian words, and their mask.
fn words16(b: &[u8]) -> ([u64; 2], [u64; 2]) {
    let mut bytes = [0u8; 16];
    let mut mask = [0u8; 16];
    let n = b.len().min(16);
    bytes[..n].copy_from_slice(&b[..n]);
    mask[..n].fill(0xff);
    (
        [le_word(&bytes[..8]), le_word(&bytes[8..])],
        [le_word(&mask[..8]), le_word(&mask[8..])],
    )
}

/// The shape of the last flat record (a top-level object whose values are all strings and
/// scalars), byte for byte outside its values. Log-shaped NDJSON repeats one shape line after
/// line: a record that matches it is indexed by comparing its structure bytes and finding its
/// values' ends, instead of a step per token; any difference (another key, a nested value,
/// other spacing) sends the record through the tokenizer, which gives the same cells. Rebuilt
/// in place (its arrays kept) from each flat record the tokenizer reads.
#[derive(Debug, Default)]
struct Template {
    bytes: Vec<u8>,
    members: Vec<Member>,
    suffix: (u32, u32),
    /// Whether it holds a shape (none before the first flat record).
    ready: bool,
}

/// Records at most this long become templates (longer ones gain nothing from one).
const TEMPLATE_MAX_RECORD: usize = 4096;

impl Template {
    fn part(&self, (s, e): (u32, u32)) -> &[u8] {
        &self.bytes[s as usize..e as usize]
    }

    /// Indexes the record at `at` (a `{`) as row `row` if it has this shape; returns where it
    /// ends. On a mismatch it may have pushed cells of the members that fitted: the caller
    /// takes them back. Out of line (once per record): inlined, it made the tokenizer's loop
    /// slower for every token.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn apply(
        &self,
        buf: &[u8],
        at: usize,
        eof: bool,
        row: u64,
        ix: &mut StructureIndex,
        places: &mut Vec<u32>,
        paths: &Paths,
    ) -> Option<usize> {
        if !self.ready {
            return None;
        }
        let n = buf.len();
        let mut i = at;
        for m in &self.members {
            let len = (m.prefix.1 - m.prefix.0) as usize;
            let fits = match buf.get(i..i + 16) {
                Some(b) if len <= 16 => {
                    le_word(&b[..8]) & m.mask[0] == m.head[0]
                        && le_word(&b[8..]) & m.mask[1] == m.head[1]
                }
                _ => buf[i..].starts_with(self.part(m.prefix)),
            };
            if !fits {
                return None;
            }
            i += len;
            match m.slot {
                Slot::String => {
                    if buf.get(i) != Some(&b'"') {
                        return None;
                    }
                    let j = string_end(buf, i + 1);
                    if j >= n {
                        return None;
                    }
                    let place = place_of(ix, places, paths, m.path);
                    ix.push_in_window((i + 1) as u32, j as u32, place, row);
                    i = j + 1;
                }
                Slot::Scalar => {
                    // What the tokenizer would read as a scalar, up to where it would end it.
                    let first = *buf.get(i)?;
                    if matches!(first, b'"' | b'{' | b'[') || ends_scalar(first) {
                        return None;
                    }
                    let s = i;
                    while i < n && !ends_scalar(buf[i]) {
                        i += 1;
                    }
                    if i == n && !eof {
                        return None;
                    }
                    if first.is_ascii_digit() || first == b'-' {
                        let place = place_of(ix, places, paths, m.path);
                        ix.push_in_window(s as u32, i as u32, place, row);
                    }
                }
            }
        }
        let suffix = self.part(self.suffix);
        buf[i..].starts_with(suffix).then(|| i + suffix.len())
    }
}

/// Whether `b` ends a scalar token (or, first, makes it empty).
#[inline]
fn ends_scalar(b: u8) -> bool {
    matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n' | b':')
}

/// A top-level object being read by the tokenizer, noted to become the next [`Template`]:
/// its start and its members' values (start, end, kind, key path), while it stays flat. Kept
/// from record to record (its array reused); `active` while a record is being noted.
#[derive(Debug, Default)]
struct Learning {
    active: bool,
    start: usize,
    values: Vec<(usize, usize, Slot, u32)>,
    /// Records in a row that the template was tried on and did not fit: when shapes change
    /// from record to record, learning is pure cost, so it pauses for about as many records.
    misses: u32,
    pause: u32,
}

impl Learning {
    /// A top-level object starts at `at`; `tried`: a template was tried on it and did not fit.
    fn start(&mut self, at: usize, tried: bool) {
        self.misses = if tried { self.misses + 1 } else { 0 };
        self.active = false;
        if self.pause > 0 {
            self.pause -= 1;
            return;
        }
        if self.misses > 2 {
            self.pause = self.misses.min(1024);
        }
        self.active = true;
        self.start = at;
        self.values.clear();
    }

    /// Notes a value of the object; a value without a key (malformed input) ends the noting.
    fn value(&mut self, s: usize, e: usize, slot: Slot, path: Option<u32>) {
        match path {
            Some(path) if self.active && s > self.start => self.values.push((s, e, slot, path)),
            _ => self.active = false,
        }
    }

    /// Makes `template` the shape of the record that ends with the `}` at `close`.
    #[inline(never)]
    fn finish(&mut self, buf: &[u8], close: usize, template: &mut Template) {
        if !std::mem::take(&mut self.active) || close + 1 - self.start > TEMPLATE_MAX_RECORD {
            return;
        }
        template.bytes.clear();
        template.members.clear();
        let keep = |bytes: &mut Vec<u8>, from: usize, to: usize| {
            let at = bytes.len() as u32;
            bytes.extend_from_slice(&buf[from..to]);
            (at, bytes.len() as u32)
        };
        let mut prev = self.start;
        for &(s, e, slot, path) in &self.values {
            let prefix = keep(&mut template.bytes, prev, s);
            let (head, mask) = words16(&buf[prev..s]);
            template.members.push(Member {
                prefix,
                head,
                mask,
                slot,
                path,
            });
            prev = e;
        }
        template.suffix = keep(&mut template.bytes, prev, close + 1);
        template.ready = true;
    }
}

/// Indexes `buf`; unless `eof`, stops after the last whole record (or, inside one record
/// larger than the buffer, before the token the buffer ends in) and returns where.
pub fn index_window(buf: &[u8], state: &mut State, eof: bool) -> (StructureIndex, usize) {
    index_window_with(buf, state, eof, true)
}

/// [`index_window`], with or without record templates (the tests compare the two).
fn index_window_with(
    buf: &[u8],
    state: &mut State,
    eof: bool,
    templates: bool,
) -> (StructureIndex, usize) {
    let mut ix = StructureIndex::default();
    let State {
        mut paths,
        mut stack,
        mut row,
        mut top_array,
    } = std::mem::take(state);
    let mut places: Vec<u32> = Vec::new();
    // The last record boundary: its offset, open containers, record count, top-level array.
    let mut boundary: Option<(usize, Vec<Frame>, u64, bool)> = None;
    let n = buf.len();
    let mut i = 0;
    // Where the buffer ends inside a token (a string or number not yet complete).
    let mut cut_token: Option<usize> = None;
    // Offsets within u32: cells pushed without conversions (and templates, which assume it).
    let fits32 = u32::try_from(n).is_ok();
    let push_cell = |ix: &mut StructureIndex, s: usize, e: usize, place: u32, row: u64| {
        if fits32 {
            ix.push_in_window(s as u32, e as u32, place, row);
        } else {
            ix.push(s, e, place, row);
        }
    };
    let templates_fit = templates && fits32;
    let mut template = Template::default();
    let mut learning = Learning::default();
    while i < n {
        let b = buf[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => {
                if b == b',' {
                    if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                        *expecting_key = true;
                    }
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
                i += 1;
            }
            b'{' | b'[' => {
                if b == b'{' && stack.is_empty() && templates_fit {
                    let mark = ix.cells.len();
                    match template.apply(buf, i, eof, row + 1, &mut ix, &mut places, &paths) {
                        Some(end) => {
                            row += 1;
                            top_array = false;
                            i = end;
                            if !eof {
                                boundary = Some((i, Vec::new(), row, false));
                            }
                            continue;
                        }
                        // Cells of the members that did fit go: the tokenizer reads them again.
                        None => ix.cells.truncate(mark),
                    }
                    learning.start(i, template.ready);
                } else if stack.len() == 1 {
                    learning.active = false; // a nested value: not flat
                }
                let path = if stack.is_empty() {
                    top_array = b == b'[';
                    if !top_array {
                        row += 1;
                    }
                    0
                } else {
                    if top_array && stack.len() == 1 {
                        row += 1;
                    }
                    value_path(&mut paths, &stack).unwrap_or(0)
                };
                stack.push(if b == b'{' {
                    Frame::Object {
                        path,
                        key: None,
                        expecting_key: true,
                    }
                } else {
                    Frame::Array { path }
                });
                i += 1;
            }
            b'}' | b']' => {
                if stack.len() == 1 {
                    if b == b'}' {
                        learning.finish(buf, i, &mut template);
                    }
                    learning.active = false;
                }
                stack.pop();
                if stack.is_empty() {
                    top_array = false;
                }
                i += 1;
                if !eof && (stack.is_empty() || (top_array && stack.len() == 1)) {
                    boundary = Some((i, stack.clone(), row, top_array));
                }
            }
            b'"' => {
                let s = i + 1;
                let j = string_end(buf, s);
                if j >= n {
                    if !eof {
                        cut_token = Some(i);
                        break;
                    }
                    ix.problem = Some(format!("string starting at byte {i} is not closed"));
                    break;
                }
                match stack.last_mut() {
                    Some(Frame::Object {
                        path,
                        key,
                        expecting_key: true,
                    }) => *key = Some(paths.child_after(*path, *key, &buf[s..j])),
                    _ => {
                        let path = value_path(&mut paths, &stack);
                        if let Some(p) = path {
                            let place = place_of(&mut ix, &mut places, &paths, p);
                            push_cell(&mut ix, s, j, place, row.max(1));
                        }
                        if stack.len() == 1 {
                            learning.value(i, j + 1, Slot::String, path);
                        }
                    }
                }
                i = j + 1;
            }
            _ => {
                // number, true, false, null
                let s = i;
                while i < n && !ends_scalar(buf[i]) {
                    i += 1;
                }
                if i == n && !eof {
                    cut_token = Some(s);
                    break;
                }
                if stack.is_empty() {
                    row += 1;
                }
                let tok = &buf[s..i];
                if tok
                    .first()
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'-')
                {
                    if let Some(p) = value_path(&mut paths, &stack) {
                        let place = place_of(&mut ix, &mut places, &paths, p);
                        push_cell(&mut ix, s, i, place, row.max(1));
                    }
                }
                if stack.len() == 1 {
                    let path = match stack.last() {
                        Some(Frame::Object { key, .. }) => *key,
                        _ => None,
                    };
                    learning.value(s, i, Slot::Scalar, path);
                }
                if i == s {
                    i += 1;
                }
            }
        }
    }
    let consumed = if eof {
        if !stack.is_empty() && ix.problem.is_none() {
            ix.problem = Some("the JSON document is cut off (unclosed object or array)".into());
        }
        n
    } else if let Some((at, st, r, top)) = boundary {
        ix.truncate_at(at);
        (stack, row, top_array) = (st, r, top);
        at
    } else {
        cut_token.unwrap_or(n)
    };
    // Every key path was looked for in every record.
    ix.rows.iter_mut().for_each(|r| *r = row);
    *state = State {
        paths,
        stack,
        row,
        top_array,
    };
    (ix, consumed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generated NDJSON of a few shapes (so templates are learned, reused and refused: keys
    /// swapped, a string where a number was, other spacing, nested values, escapes, scalars,
    /// malformed lines), indexed whole and cut at every few bytes: with templates, the same
    /// cells, places, rows, stopping point and problems as the tokenizer alone.
    #[test]
    fn templates_give_the_tokenizers_cells() {
        let mut next = super::super::test_rng(11);
        let mut buf = Vec::new();
        for i in 0..400 {
            let v = ["a@example.com", "x\\\"y", "", "-12", "1 2"][next(5) as usize];
            let line = match next(12) {
                0..=4 => format!("{{\"ts\":\"{i}\",\"n\":{i},\"v\":\"{v}\"}}"),
                5 => format!("{{\"ts\":\"{i}\",\"n\":\"{i}\",\"v\":\"{v}\"}}"),
                6 => format!("{{\"n\":{i},\"ts\":\"{i}\",\"v\":\"{v}\"}}"),
                7 => format!("{{ \"ts\": \"{i}\", \"n\": {i}, \"v\": \"{v}\" }}"),
                8 => format!("{{\"ts\":\"{i}\",\"n\":true,\"v\":null}}"),
                9 => format!("{{\"ts\":\"{i}\",\"u\":{{\"e\":\"{v}\"}},\"n\":[{i},2]}}"),
                10 => format!("{{\"ts\":\"{i}\" \"n\":{i}}}"),
                _ => "{}".to_string(),
            };
            buf.extend_from_slice(line.as_bytes());
            buf.push(b'\n');
        }
        let summary = |ix: &StructureIndex, consumed: usize| {
            let cells: Vec<_> = ix
                .cells()
                .map(|c| (c.start, c.end, ix.places[c.place as usize].clone(), c.row))
                .collect();
            (cells, ix.rows.clone(), ix.problem.clone(), consumed)
        };
        let mut cuts = vec![buf.len()];
        cuts.extend((0..60).map(|_| next(buf.len() as u32) as usize));
        for cut in cuts {
            let part = &buf[..cut];
            let eof = cut == buf.len();
            let (plain, n) = index_window_with(part, &mut State::default(), eof, false);
            let (fast, m) = index_window_with(part, &mut State::default(), eof, true);
            assert_eq!(summary(&fast, m), summary(&plain, n), "cut at {cut}");
        }
    }

    /// The cells of some key paths are those of all cells with those paths, in order.
    #[test]
    fn cells_of_some_paths() {
        let mut buf = Vec::new();
        for i in 0..50 {
            buf.extend_from_slice(
                format!("{{\"id\":{i},\"user\":{{\"email\":\"u{i}@example.com\",\"tags\":[\"a\",\"b\"]}}}}\n")
                    .as_bytes(),
            );
        }
        let ix = index(&buf);
        for path in ["$.user.email", "$.user.tags[*]", "$.id"] {
            let wanted: Vec<bool> = ix
                .places
                .iter()
                .map(|p| p.key_path.as_deref() == Some(path))
                .collect();
            let some: Vec<_> = ix.cells_in(&wanted).collect();
            let all: Vec<_> = ix.cells().filter(|c| wanted[c.place as usize]).collect();
            assert!(some.len() >= 50, "{path}");
            assert_eq!(some, all, "{path}");
        }
    }

    #[test]
    fn string_ends_with_escapes_across_blocks() {
        for pad in 0..40 {
            let mut buf = vec![b'a'; pad];
            buf.extend_from_slice(br#"x\"y\\"#);
            let end = buf.len();
            buf.extend_from_slice(br#"" rest "#);
            assert_eq!(string_end(&buf, 0), end, "pad {pad}");
            assert_eq!(string_end(&buf[..end], 0), end, "unterminated, pad {pad}");
        }
    }

    /// A key path is both a key of its parent and the parent of its own keys: the guess of the
    /// next key must not hand one for the other.
    #[test]
    fn repeated_shapes_keep_their_paths() {
        let buf = br#"{"user":{"email":"a@x.org"},"email":"b@x.org"}
{"user":{"email":"c@x.org"},"email":"d@x.org"}
{"email":"e@x.org","user":{"email":"f@x.org"}}
"#;
        let ix = index(buf);
        let path_of = |v: &[u8]| {
            let c = ix.cells().find(|c| &buf[c.start..c.end] == v).unwrap();
            ix.places[c.place as usize]
                .key_path
                .as_deref()
                .unwrap()
                .to_string()
        };
        assert_eq!(path_of(b"a@x.org"), "$.user.email");
        assert_eq!(path_of(b"b@x.org"), "$.email");
        assert_eq!(path_of(b"c@x.org"), "$.user.email");
        assert_eq!(path_of(b"d@x.org"), "$.email");
        assert_eq!(path_of(b"e@x.org"), "$.email");
        assert_eq!(path_of(b"f@x.org"), "$.user.email");
    }
    fn path_of(buf: &[u8], ix: &StructureIndex, value: &[u8]) -> (String, u64) {
        let c = ix.cells().find(|c| &buf[c.start..c.end] == value).unwrap();
        (
            ix.places[c.place as usize]
                .key_path
                .as_deref()
                .unwrap()
                .to_string(),
            c.row,
        )
    }
    #[test]
    fn key_paths_and_rows() {
        let buf = b"{\"user\":{\"email\":\"a@example.com\",\"tags\":[\"x\"]},\"n\":5}\n{\"user\":{\"email\":\"b@example.org\"},\"geo\":{\"lat\":51.5}}\n";
        let ix = index(buf);
        assert_eq!(
            path_of(buf, &ix, b"a@example.com"),
            ("$.user.email".into(), 1)
        );
        assert_eq!(
            path_of(buf, &ix, b"b@example.org"),
            ("$.user.email".into(), 2)
        );
        assert_eq!(path_of(buf, &ix, b"x"), ("$.user.tags[*]".into(), 1));
        assert_eq!(path_of(buf, &ix, b"51.5"), ("$.geo.lat".into(), 2));
        let arr = b"[{\"email\":\"c@example.net\"},{\"email\":\"d@example.net\"}]";
        let ix = index(arr);
        assert_eq!(
            path_of(arr, &ix, b"d@example.net"),
            ("$[*].email".into(), 2)
        );
        assert!(index(b"{\"a\":\"cut").problem.is_some());
    }
}
